"""Print the nginx ``server {}`` block that serves station downloads and gated media."""

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

    def handle(self, *args, listen: str, upstream: str, media_root: str, s3_endpoint: str,
               **options):
        self.stdout.write(server_block(listen=listen, media_root=media_root, upstream=upstream,
                                       s3_endpoint=s3_endpoint), ending="")
