from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    label = "loa_search"
    verbose_name = _("Tìm kiếm")

    def ready(self) -> None:
        from search import signals

        signals.connect()
