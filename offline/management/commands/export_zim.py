"""``manage.py export_zim``: the live e-library as ZIM files for Kiwix, one per language."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from offline import zim
from offline.exceptions import OfflineError


class Command(BaseCommand):
    help = _("Xuất thư viện điện tử (chỉ sản phẩm đã xuất bản) thành tệp ZIM cho "
                        "Kiwix, mỗi ngôn ngữ một tệp.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--language", action="append", default=[],
                            help=_("Chỉ ngôn ngữ này (mã, ví dụ tyz); lặp lại được."))
        parser.add_argument("--out", default=str(zim.default_dir()),
                            help=_("Thư mục ghi tệp ZIM."))
        parser.add_argument("--all", action="store_true",
                            help=_("Thêm một tệp gồm mọi ngôn ngữ."))
        parser.add_argument("--kiosk", action="store_true",
                            help=_("Kèm video 1080p và MP3 cho loa của điểm hỗ trợ."))

    def handle(self, *args, language: list[str], out: str, all: bool, kiosk: bool,
               **options) -> None:
        enabled = [code for code, _name in settings.LANGUAGES]
        unknown = [code for code in language if code not in enabled]
        if unknown:
            raise CommandError(_("Ngôn ngữ chưa bật: %(codes)s") % {"codes": ", ".join(unknown)})
        selections = [[code] for code in (language or enabled)]
        if all:
            selections.append(enabled)
        for codes in selections:
            try:
                path = zim.build(codes, Path(out), kiosk=kiosk).path
            except OfflineError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(_("Đã tạo %(path)s (%(size)s byte)") % {
                "path": path, "size": f"{path.stat().st_size:,}"})
