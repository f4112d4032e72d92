"""The download page: a URL per interface language (included under i18n_patterns)."""

from django.urls import path

from . import views

urlpatterns = [path("ngoai-tuyen/", views.downloads, name="offline_downloads")]
