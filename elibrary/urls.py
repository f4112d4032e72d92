from django.urls import path

import cms.url_converters  # noqa: F401  (registers <id:…>)

from . import views

app_name = "elibrary"
urlpatterns = [
    path("duyet/", views.browse, name="browse"),
    path("kiosk/", views.kiosk_home, name="kiosk"),
    path("kiosk/<id:page_id>/", views.kiosk_product, name="kiosk_product"),
]
