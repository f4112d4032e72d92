"""``manage.py backup --to DIR|s3://bucket/prefix`` and ``backup --check``."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cms.backups import backup
from cms.backups.exceptions import BackupError
from cms.backups.targets import target_from


class Command(BaseCommand):
    help = _("Sao lưu cơ sở dữ liệu và toàn bộ tệp đa phương tiện (kèm bản kê SHA-256), "
             "hoặc kiểm tra bản sao lưu mới nhất (--check).")

    def add_arguments(self, parser):
        parser.add_argument("--to", default=settings.LOA_BACKUP_TARGET,
                            help=_("thư mục hoặc s3://bucket/tiền-tố (mặc định LOA_BACKUP_TARGET)"))
        parser.add_argument("--check", action="store_true",
                            help=_("không sao lưu: đọc lại bản mới nhất và so mã SHA-256"))
        parser.add_argument("--name", help=_("với --check: tên bản sao lưu cần kiểm tra"))
        parser.add_argument("--max-age-hours", type=float,
                            help=_("với --check: báo lỗi nếu bản mới nhất cũ hơn chừng này giờ"))
        parser.add_argument("--keep", type=int, default=0,
                            help=_("giữ lại chừng này bản mới nhất, xoá các bản cũ hơn"))

    def handle(self, *args, to: str, check: bool, name: str | None,
               max_age_hours: float | None, keep: int, **options):
        if not to:
            raise CommandError(_("Hãy cho biết nơi lưu: --to THƯ_MỤC hoặc s3://bucket/tiền-tố."))
        say = self.stdout.write
        try:
            target = target_from(to)
            if check:
                self.check_last(target, name, max_age_hours)
                return
            backup.make_backup(target, say=say)
            for old in backup.prune(target, keep):
                say(_("Đã xoá bản sao lưu cũ %(name)s.") % {"name": old})
        except BackupError as exc:
            raise CommandError(f"{exc.message} {exc.detail}".strip()) from exc

    def check_last(self, target, name: str | None, max_age_hours: float | None) -> None:
        result = backup.check(target, name, say=self.stdout.write)
        for problem in result.bad:
            self.stderr.write(problem)
        if not result.ok:
            raise CommandError(_("Bản sao lưu %(name)s có %(count)d tệp hỏng hoặc thiếu.")
                               % {"name": result.manifest.name, "count": len(result.bad)})
        age = datetime.datetime.now(datetime.UTC) - result.manifest.created_at
        self.stdout.write(_("Bản sao lưu %(name)s còn nguyên vẹn; tạo cách đây %(hours).1f giờ.")
                          % {"name": result.manifest.name, "hours": age.total_seconds() / 3600})
        if max_age_hours is not None and age.total_seconds() > max_age_hours * 3600:
            raise CommandError(_("Bản sao lưu mới nhất đã cũ hơn %(hours)s giờ.")
                               % {"hours": max_age_hours})
