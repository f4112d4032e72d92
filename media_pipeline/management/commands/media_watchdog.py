"""Re-queue media jobs whose worker died or stalled (the db_worker also does this itself,
every LOA_MEDIA_WATCHDOG_INTERVAL seconds; this command is for cron or a one-off check)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from media_pipeline.jobs import requeue_stalled


class Command(BaseCommand):
    help = _("Xếp hàng lại các lượt chuyển đổi bị treo hoặc mất tiến trình xử lý.")

    def handle(self, *args, **options):
        handled = requeue_stalled()
        self.stdout.write(_("Đã xử lý %(count)d lượt bị treo: %(jobs)s")
                          % {"count": len(handled), "jobs": handled})
