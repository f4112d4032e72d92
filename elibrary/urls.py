from django.urls import path

from . import views

app_name = "elibrary"
urlpatterns = [
    path("duyet/", views.browse, name="browse"),
    path("kiosk/", views.kiosk_home, name="kiosk"),
    path("kiosk/<int:page_id>/", views.kiosk_product, name="kiosk_product"),
]
