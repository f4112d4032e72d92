from django.urls import path

from .oai.views import oai_pmh

# Mounted at /oai/ by the site's URLconf: the OAI-PMH 2.0 provider.
urlpatterns = [path("", oai_pmh, name="oai_pmh")]
