from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProductsConfig(AppConfig):
    name = "cms.products"
    label = "products"
    verbose_name = _("Sản phẩm thông tin")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import facts_refresh
        from .file_integrity import connect_guards

        connect_guards()  # approved files are immutable, whatever path changes them
        facts_refresh.connect()  # what a page shows from elsewhere, kept fresh on its row
