from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from cms.organisations.provisioning import ensure_translation_roles


class Command(BaseCommand):
    help = _("Tạo nhóm biên dịch cho mọi ngôn ngữ đang bật (quyền sửa chỉ trên bản ngôn ngữ "
            "đó) và quyền yêu cầu dịch cho biên tập viên, người duyệt.")

    def handle(self, *args, **options):
        groups = ensure_translation_roles()
        self.stdout.write(self.style.SUCCESS(
            _("Nhóm biên dịch: %(groups)s") % {"groups": ", ".join(g.name for g in groups)}))
