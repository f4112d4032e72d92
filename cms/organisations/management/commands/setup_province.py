from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from cms.organisations.provisioning import setup_province


class Command(BaseCommand):
    help = _(
        "Tạo cây trang (trang chủ, thư viện điện tử, chuyên mục đơn vị), nhóm người dùng, "
        "quyền trang và quy trình duyệt. Chạy lại an toàn."
    )

    def add_arguments(self, parser):
        parser.add_argument("--site-name", default="Loa")

    def handle(self, *args, site_name: str, **options):
        elibrary = setup_province(site_name)
        self.stdout.write(self.style.SUCCESS(
            _("Đã sẵn sàng: %(path)s") % {"path": elibrary.url_path}))
