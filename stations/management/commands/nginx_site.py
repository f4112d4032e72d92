"""Print the nginx site (``http {}`` directives and the ``server {}`` block) that serves
station downloads and gated media."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from stations.nginx import server_block


class Command(BaseCommand):
    help = _("In khối server của nginx cho Loa (tải tệp qua X-Accel-Redirect).")

    def add_arguments(self, parser):
        parser.add_argument("--listen", default="80", help=_("địa chỉ/cổng nginx lắng nghe"))
        parser.add_argument("--upstream", default="127.0.0.1:8000",
                            help=_("địa chỉ của ứng dụng (gunicorn)"))
        parser.add_argument("--media-root", default=str(settings.MEDIA_ROOT),
                            help=_("thư mục MEDIA_ROOT"))
        parser.add_argument("--s3-endpoint", default=settings.LOA_S3_ENDPOINT_URL,
                            help=_("địa chỉ kho S3 khi tệp nằm trên S3 (mặc định "
                                   "LOA_S3_ENDPOINT_URL); nginx lấy tệp từ đó"))
        parser.add_argument("--download-log", default=settings.LOA_STATION_DOWNLOAD_LOG,
                            help=_("nhật ký tải về của các đài do nginx ghi (mặc định "
                                   "LOA_STATION_DOWNLOAD_LOG)"))
        parser.add_argument("--gate-cache", default=settings.LOA_STATION_GATE_CACHE,
                            help=_("thư mục nginx giữ câu trả lời của cổng kiểm tra khóa"))

    def handle(self, *args, listen: str, upstream: str, media_root: str, s3_endpoint: str,
               download_log: str, gate_cache: str, **options):
        self.stdout.write(server_block(listen=listen, media_root=media_root, upstream=upstream,
                                       s3_endpoint=s3_endpoint, download_log=download_log,
                                       gate_cache=gate_cache), ending="")
