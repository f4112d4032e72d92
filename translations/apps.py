from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TranslationsConfig(AppConfig):
    name = "translations"
    verbose_name = _("Ngôn ngữ và dịch thuật")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import signal_handlers  # noqa: F401
        from .page_fonts import forget_known_rows

        # flush (tests between transactional cases) empties the fonts' table
        post_migrate.connect(forget_known_rows, dispatch_uid="loa-page-fonts-forget")
