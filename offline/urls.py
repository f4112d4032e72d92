from django.urls import path

from . import views

app_name = "offline"
urlpatterns = [
    path("index.json", views.index_json, name="index"),
    path("<str:name>.zim", views.zim_file, name="file"),
]
