"""Backfill the OAI-PMH record table from the live products (e.g. after installing the
delivery app on a site that already had products). Publication keeps it current after."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from ...oai.records import sync_all


class Command(BaseCommand):
    help = _("Đồng bộ bảng bản ghi OAI-PMH với các sản phẩm đang xuất bản.")

    def handle(self, *args, **options):
        count = sync_all()
        self.stdout.write(self.style.SUCCESS(
            _("Đã đồng bộ %(count)d bản ghi OAI-PMH.") % {"count": count}))
