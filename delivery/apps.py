import logging

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveryConfig(AppConfig):
    name = "delivery"
    label = "delivery"
    verbose_name = _("Gửi sản phẩm về cơ sở dữ liệu quốc gia")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # bagit.py logs every file it moves and hashes at INFO: too loud for a worker's log.
        logging.getLogger("bagit").setLevel(logging.WARNING)
        from . import signal_handlers  # noqa: F401  (connects the publication signals)
