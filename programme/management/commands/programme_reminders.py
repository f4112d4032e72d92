"""Send the reminder e-mails due today (run daily from cron or a systemd timer)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from programme.reminders import send_due_reminders


class Command(BaseCommand):
    help = _("Gửi thư nhắc hạn báo cáo chương trình tới các đơn vị (chạy hằng ngày).")

    def handle(self, *args, **options):
        sent = send_due_reminders()
        for item in sent:
            self.stdout.write(_("Đã nhắc %(organisation)s: %(to)s") % {
                "organisation": item.organisation, "to": ", ".join(item.recipients)})
        self.stdout.write(_("Đã gửi %(count)s thư nhắc.") % {"count": len(sent)})
