from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ELibraryConfig(AppConfig):
    """The public side: browsing the e-library, the support-point kiosk, media players."""

    name = "elibrary"
    label = "elibrary"
    verbose_name = _("Thư viện điện tử (công khai)")

    def ready(self) -> None:
        from . import publish_fonts  # noqa: F401  (its receiver: fonts cut at publication)
        from .page_cache import connect_invalidation

        connect_invalidation()  # a change a product page shows makes its cached render stale
