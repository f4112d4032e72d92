from django.core.management.base import BaseCommand

from translations.roles import ensure_roles


class Command(BaseCommand):
    help = ("Tạo nhóm biên dịch cho mọi ngôn ngữ đang bật (quyền sửa chỉ trên bản ngôn ngữ "
            "đó) và quyền yêu cầu dịch cho biên tập viên, người duyệt.")

    def handle(self, *args, **options):
        groups = ensure_roles()
        self.stdout.write(self.style.SUCCESS(
            "Nhóm biên dịch: " + ", ".join(group.name for group in groups)))
