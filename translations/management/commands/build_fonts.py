from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from translations.fonts import build_fonts


class Command(BaseCommand):
    help = _("Tạo bộ phông chữ rút gọn dùng chung (Khmer, Thái, Trung) "
             "từ phông chữ của Debian.")

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help=_("Tạo lại dù đã có."))

    def handle(self, *args, force: bool, verbosity: int, **options):
        written = build_fonts(force=force)
        if verbosity < 1:  # -v0, as make uses it: the files are the outcome
            return
        if not written:
            self.stdout.write(_("Phông chữ đã có sẵn, không cần tạo lại."))
            return
        total = sum(p.stat().st_size for p in written)
        self.stdout.write(self.style.SUCCESS(
            _("Đã tạo %(count)d tệp phông chữ (%(kb).0f KB) trong static/fonts/.")
            % {"count": len(written), "kb": total / 1024}))
