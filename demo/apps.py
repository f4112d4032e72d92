from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo province: its data, generated media and the ``load_demo`` command. No models."""

    name = "demo"
    label = "demo"
    verbose_name = _("Dữ liệu mẫu")
