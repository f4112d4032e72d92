"""Work out anew what every product page shows from elsewhere (cms/products/shown_facts.py).

Publishing keeps them fresh; run this once after upgrading (pages published before the
facts were kept read everything live until then) or after changing rows by hand."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext_lazy as _

from cms.products.facts_refresh import refresh_all


class Command(BaseCommand):
    help = _("Làm mới những gì trang sản phẩm hiển thị từ nơi khác (chủ đề, bản chuyển mã, "
             "phiên bản ngôn ngữ khác).")

    def handle(self, *args, **options) -> None:
        count = refresh_all()
        self.stdout.write(_("Đã làm mới %(count)d trang sản phẩm.") % {"count": count})
