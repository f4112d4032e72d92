"""``manage.py restore --from DIR|s3://bucket/prefix``: into an empty installation."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cms.backups import backup
from cms.backups.exceptions import BackupError
from cms.backups.targets import target_from


class Command(BaseCommand):
    help = _("Khôi phục cơ sở dữ liệu và tệp đa phương tiện từ bản sao lưu vào một bản cài đặt "
             "trống.")

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="source", default=settings.LOA_BACKUP_TARGET,
                            help=_("thư mục hoặc s3://bucket/tiền-tố (mặc định LOA_BACKUP_TARGET)"))
        parser.add_argument("--name", help=_("tên bản sao lưu (mặc định: bản mới nhất)"))

    def handle(self, *args, source: str, name: str | None, **options):
        if not source:
            raise CommandError(_("Hãy cho biết nơi lấy: --from THƯ_MỤC hoặc s3://bucket/tiền-tố."))
        try:
            result = backup.restore(target_from(source), name, say=self.stdout.write)
        except BackupError as exc:
            raise CommandError(f"{exc.message} {exc.detail}".strip()) from exc
        repairs = result.repairs
        for label in repairs.dropped_renditions:
            self.stdout.write(_("Bỏ bản chuyển đổi không còn tệp (sẽ làm lại): %(label)s")
                              % {"label": label})
        for label in repairs.missing_originals:
            self.stderr.write(_("Thiếu tệp gốc: %(label)s") % {"label": label})
        self.stdout.write(_("Đã khôi phục bản sao lưu %(name)s: %(files)d tệp; %(dropped)d bản "
                            "chuyển đổi được xếp hàng làm lại; %(missing)d tệp gốc thiếu.")
                          % {"name": result.manifest.name, "files": result.files,
                             "dropped": len(repairs.dropped_renditions),
                             "missing": len(repairs.missing_originals)})
