from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfflineConfig(AppConfig):
    """The e-library carried where there is no network: ZIM files for Kiwix."""

    name = "offline"
    label = "offline"
    verbose_name = _("Thư viện ngoại tuyến (Kiwix)")

    def ready(self) -> None:
        from . import signal_handlers  # noqa: F401  (connects the publication signals)
