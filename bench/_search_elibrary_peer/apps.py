from django.apps import AppConfig


class PeerConfig(AppConfig):
    name = "bench._search_elibrary_peer"
    label = "bench_peer"
    default_auto_field = "django.db.models.BigAutoField"
