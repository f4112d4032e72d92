from django.urls import path

from . import views

app_name = "programme"
urlpatterns = [
    path("diem-ho-tro/<slug:code>/phat/", views.kiosk_play, name="kiosk_play"),
]
