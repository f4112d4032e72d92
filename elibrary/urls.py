from django.urls import path, re_path

from . import views
from .product_views import serve_product

app_name = "elibrary"
urlpatterns = [
    path("duyet/", views.browse, name="browse"),
    path("kiosk/", views.kiosk_home, name="kiosk"),
    path("kiosk/<int:page_id>/", views.kiosk_product, name="kiosk_product"),
    # Product pages (three slugs below the home page): routed without loading the home page
    re_path(r"^(?P<path>[^/]+/[^/]+/[^/]+/)$", serve_product),
]
