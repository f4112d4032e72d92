"""Reminder e-mails before a reporting deadline: once per deadline, due date and
organisation, to the organisation's address (and the deadline's extra recipients), with what
its report still lacks."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import results
from .dashboard import missing_for
from .models import Plan, ReminderSent, ReportingDeadline


@dataclass
class Sent:
    organisation: str
    recipients: list[str]


def _message(deadline: ReportingDeadline, due: datetime.date, plan: Plan,
             missing: list[str]) -> tuple[str, str]:
    subject = _("[Loa] Hạn %(report)s: %(date)s") % {
        "report": deadline.get_report_display().lower(), "date": f"{due:%d/%m/%Y}"}
    lines = [_("Kính gửi %(organisation)s,") % {"organisation": plan.organisation.name}, "",
             _("Hạn %(report)s là ngày %(date)s (còn %(days)s ngày).") % {
                 "report": deadline.get_report_display().lower(), "date": f"{due:%d/%m/%Y}",
                 "days": (due - timezone.localdate()).days},
             _("Kế hoạch: %(plan)s.") % {"plan": plan}, ""]
    if missing:
        lines.append(_("Còn thiếu:"))
        lines += [f"- {item}" for item in missing]
    else:
        lines.append(_("Số liệu đã đủ; báo cáo tải về tại trang Báo cáo chương trình."))
    lines += ["", f"{settings.WAGTAILADMIN_BASE_URL}/admin/programme/reports/"]
    return subject, "\n".join(lines)


def send_due_reminders(today: datetime.date | None = None) -> list[Sent]:
    today = today or timezone.localdate()
    sent = []
    for deadline in ReportingDeadline.objects.all():
        due = deadline.next_date(today)
        if (due - today).days > deadline.remind_days_before:
            continue
        extra = [a.strip() for a in deadline.recipients.splitlines() if a.strip()]
        year = due.year if deadline.report == ReportingDeadline.Report.RESULTS else today.year
        for plan in Plan.objects.filter(first_year__lte=year, last_year__gte=year
                                        ).select_related("organisation"):
            recipients = [a for a in [plan.organisation.contact_email, *extra] if a]
            if not recipients:
                continue
            try:
                with transaction.atomic():
                    ReminderSent.objects.create(deadline=deadline, due_on=due,
                                                organisation=plan.organisation)
                    missing = missing_for(plan, year, results.line_results(plan, year),
                                          deadline)
                    subject, body = _message(deadline, due, plan, missing)
                    send_mail(subject, body, None, recipients)
            except IntegrityError:  # already reminded for this due date
                continue
            sent.append(Sent(plan.organisation.name, recipients))
    return sent
