from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from translations.catalogues import write_all


class Command(BaseCommand):
    help = _("Tạo danh mục thông điệp (locale/<mã>/) cho mọi ngôn ngữ được hỗ trợ, "
            "rồi biên dịch (cần để đường dẫn /tyz/… hoạt động).")

    def handle(self, *args, **options):
        paths = write_all()
        for path in paths:
            call_command("compilemessages", locale=[path.parent.parent.name], verbosity=0)
        self.stdout.write(self.style.SUCCESS(
            _("Đã chuẩn bị %(count)d danh mục thông điệp.") % {"count": len(paths)}))
