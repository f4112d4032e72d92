from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from translations.page_fonts import prune


class Command(BaseCommand):
    help = _("Xoá phông chữ riêng của các trang không được tải trong một số ngày "
             "(trang đã sửa, bản dựng cũ).")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=180,
                            help=_("Số ngày không được dùng (mặc định 180)."))

    def handle(self, *args, days: int, **options):
        deleted = prune(max(days, 1))
        self.stdout.write(_("Đã xoá %(count)d phông chữ của trang.") % {"count": deleted})
