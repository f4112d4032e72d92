"""Open data, under every language prefix (/du-lieu-mo/, /en/du-lieu-mo/ …)."""

from django.urls import path

from . import opendata

app_name = "opendata"
urlpatterns = [
    path("du-lieu-mo/", opendata.index, name="index"),
    path("du-lieu-mo/catalog.jsonld", opendata.catalogue, name="catalogue"),
    path("du-lieu-mo/ket-qua.csv", opendata.results_csv, name="results_csv"),
    path("du-lieu-mo/ket-qua.json", opendata.results_json, name="results_json"),
    path("du-lieu-mo/san-pham.csv", opendata.products_csv, name="products_csv"),
    path("du-lieu-mo/san-pham.json", opendata.products_json, name="products_json"),
]
