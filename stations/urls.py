"""Station feeds, downloads and airing reports. Mounted outside i18n_patterns: the URLs a
station stores in its cron job must not change with the interface language."""

from django.urls import path

from . import views

app_name = "stations"

urlpatterns = [
    path("feeds/<str:language>.xml", views.public_feed, name="public_feed"),
    path("transcripts/<int:page_id>.txt", views.transcript, name="transcript"),
    path("sync_client.py", views.sync_client_script, name="sync_client"),
    path("<int:station_id>/feeds/<str:language>.xml", views.station_feed, name="station_feed"),
    path("<int:station_id>/bulletins/<int:page_id>/<str:profile>/<str:filename>",
         views.station_download, name="download"),
    path("<int:station_id>/airings/", views.airing_page, name="airings"),
    path("<int:station_id>/airings.json", views.airing_api, name="airings_api"),
]
