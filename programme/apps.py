from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    name = "programme"
    label = "programme"
    verbose_name = _("Kế hoạch và kết quả chương trình")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signal_handlers  # noqa: F401  (connects the counters)
