from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from cms.organisations.site_address import set_default_site_address


class Command(BaseCommand):
    help = _("Đặt địa chỉ của trang (Wagtail Site) theo LOA_BASE_URL, để mọi liên kết tuyệt "
             "đối trong nguồn tin, OAI và gói BagIt dẫn đúng tới máy chủ đang chạy.")

    def handle(self, *args, **options):
        site = set_default_site_address()
        if site is None:
            self.stdout.write(_("Chưa có trang mặc định; hãy chạy load_demo hoặc "
                                "setup_province trước."))
            return
        self.stdout.write(_("Địa chỉ trang: %(root)s") % {"root": site.root_url})
