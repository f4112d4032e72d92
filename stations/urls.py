"""Station feeds, downloads and airing reports. Mounted outside i18n_patterns: the URLs a
station stores in its cron job must not change with the interface language."""

from django.urls import path

import cms.url_converters  # noqa: F401  (registers <id:…>)

from . import views

app_name = "stations"

urlpatterns = [
    path("feeds/anh-chuong-trinh.jpg", views.default_artwork_view, name="default_artwork"),
    path("feeds/<str:language>.xml", views.public_feed, name="public_feed"),
    path("transcripts/<id:page_id>.txt", views.transcript, name="transcript"),
    path("gate", views.download_gate, name="gate"),
    path("sync_client.py", views.sync_client_script, name="sync_client"),
    path("<id:station_id>/feeds/<str:language>.xml", views.station_feed, name="station_feed"),
    path("<id:station_id>/bulletins/<id:page_id>/<str:profile>/<str:filename>",
         views.station_download, name="download"),
    path("<id:station_id>/airings/", views.airing_page, name="airings"),
    path("<id:station_id>/airings.json", views.airing_api, name="airings_api"),
]
