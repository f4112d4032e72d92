"""The admin dashboard's progress panel and the reminder e-mails before a deadline."""

from __future__ import annotations

import datetime
import re

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from cms.products.models import BulletinPage
from programme.models import ReportingDeadline
from programme.reminders import send_due_reminders
from tests.elibrary.factories import add_product

TODAY = timezone.localdate()


def _deadline(days_ahead: int, remind: int = 10, report="results") -> ReportingDeadline:
    due = TODAY + datetime.timedelta(days=days_ahead)
    return ReportingDeadline.objects.create(report=report, day=due.day, month=due.month,
                                            remind_days_before=remind,
                                            recipients="ban-dan-toc@example.vn")


def _bars(html: str) -> dict[str, tuple[str, str]]:
    return {label: (value, maximum) for maximum, value, label in re.findall(
        r'<progress max="(\d+)" value="(\d+)"[^>]*aria-label="([^"]+)"', html)}


def test_dashboard_shows_this_years_progress_and_the_deadline(client, users, plans, province):
    for i in range(3):
        add_product(province.department.section_page, BulletinPage, title=f"Bản tin {i}")
    add_product(province.district_a.section_page, BulletinPage, title="Bản tin huyện")
    _deadline(20)
    client.force_login(users.reviewer)
    html = client.get("/admin/").content.decode()
    assert f"Tiến độ kế hoạch năm {TODAY.year}" in html
    bars = _bars(html)
    assert bars["Bản tin (thể hiện dưới dạng âm thanh, chữ viết, hình ảnh)"] == ("4", "160")
    assert bars["Áp phích"] == ("0", "88")
    due = TODAY + datetime.timedelta(days=20)
    assert f"Báo cáo kết quả năm – {due:%d/%m/%Y}" in html and "còn 20 ngày" in html
    assert "Chưa nhập kinh phí đã thực hiện" in html

    client.force_login(users.editor_a)
    district = client.get("/admin/").content.decode()
    assert _bars(district) == {"Bản tin tiếng Tày": ("1", "12")}
    client.force_login(users.editor_b)  # no plan of its own
    assert "Chưa có kế hoạch cho năm nay." in client.get("/admin/").content.decode()


def test_reminders_go_out_once_within_the_window(plans, province):
    province.department.contact_email = "so-tttt@example.vn"
    province.department.save()
    province.district_a.contact_email = "vhtt-caoloc@example.vn"
    province.district_a.save()
    _deadline(30, remind=10)
    assert send_due_reminders() == [] and not mail.outbox  # too early
    _deadline(7, remind=10)
    sent = send_due_reminders()
    assert sorted(s.organisation for s in sent) == ["Phòng VHTT Cao Lộc", "Sở TTTT Lạng Sơn"]
    to_district = next(m for m in mail.outbox if "vhtt-caoloc@example.vn" in m.to)
    assert "ban-dan-toc@example.vn" in to_district.to
    assert "còn 7 ngày" in to_district.body
    assert "Bản tin tiếng Tày: mới đạt 0/12 (0%)" in to_district.body
    assert send_due_reminders() == []  # once per due date
    assert len(mail.outbox) == 2


def test_reminder_command_reports_what_it_sent(plans, province, capsys):
    province.department.contact_email = "so-tttt@example.vn"
    province.department.save()
    _deadline(3, remind=5, report="plan")
    call_command("programme_reminders")
    out = capsys.readouterr().out
    assert "Đã nhắc Sở TTTT Lạng Sơn: so-tttt@example.vn, ban-dan-toc@example.vn" in out
    assert "Đã gửi 2 thư nhắc." in out  # the district has only the extra recipient
    assert f"Chưa có kế hoạch năm {TODAY.year + 1}" in mail.outbox[0].body


def test_deadline_dates(client, users, province):
    leap = ReportingDeadline(report="results", day=29, month=2)
    assert leap.next_date(datetime.date(2027, 1, 10)) == datetime.date(2027, 2, 28)
    assert leap.next_date(datetime.date(2027, 3, 1)) == datetime.date(2028, 2, 29)
    client.force_login(users.reviewer)
    from django.urls import reverse

    url = reverse("wagtailsnippets_programme_reportingdeadline:add")
    refused = client.post(url, {"report": "results", "day": 31, "month": 4,
                                "remind_days_before": 14, "recipients": ""})
    assert "Ngày, tháng không hợp lệ." in refused.content.decode()
    client.post(url, {"report": "results", "day": 15, "month": 12, "remind_days_before": 14,
                      "recipients": ""})
    assert [str(d) for d in ReportingDeadline.objects.all()] == ["Báo cáo kết quả năm – 15/12"]
