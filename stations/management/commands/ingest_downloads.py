"""Read station downloads from nginx's access log into the download log (run it from cron
every minute; reading a line twice adds nothing)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from stations.access_log import ingest


class Command(BaseCommand):
    help = _("Đọc nhật ký truy cập của nginx vào nhật ký tải về của các đài.")

    def add_arguments(self, parser):
        parser.add_argument("--log", default=settings.LOA_STATION_DOWNLOAD_LOG,
                            help=_("tệp nhật ký tải về của nginx (mặc định "
                                   "LOA_STATION_DOWNLOAD_LOG)"))
        parser.add_argument("--state",
                            default=str(Path(settings.VAR_DIR) / "ingest-downloads.json"),
                            help=_("tệp ghi nhớ đã đọc tới đâu"))

    def handle(self, *args, log: str, state: str, **options):
        added = ingest(Path(log), Path(state))
        if options["verbosity"]:
            self.stdout.write(_("Đã thêm %(count)d lượt tải về.") % {"count": added})
