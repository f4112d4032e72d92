"""URLs of the pages' own font subsets (mounted at /phong-chu/, outside the language
prefixes: one URL whatever the interface language)."""

from django.urls import re_path

from . import font_views

app_name = "page_fonts"
urlpatterns = [
    re_path(r"^(?P<keys>[0-9a-f-]+)\.css$", font_views.stylesheet, name="stylesheet"),
    re_path(r"^(?P<key>[0-9a-f]+)\.woff2$", font_views.font, name="font"),
]
