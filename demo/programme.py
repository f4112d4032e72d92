"""The demo province's programme: a plan shaped like Sóc Trăng's appendices 01–03 (lines,
quantities and budgets as there, over three years around this one), a district plan rolled
up into it, training sessions, a monitoring round, budget executed, support points as in
Lạng Sơn's appendix, and Quảng Nam's reporting deadlines. Safe to run again."""

from __future__ import annotations

import datetime
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.organisations.models import Area, Organisation
from programme.models import (
    BudgetExecution,
    LineKind,
    MonitoringRound,
    ParticipantGroup,
    Plan,
    PlanLine,
    ReportingDeadline,
    Subtype,
    SupportPoint,
    TrainingParticipants,
    TrainingSession,
)

from . import data

# content, kind, subtype, unit, quantity a year, central budget a year (million VND)
PROVINCE_LINES = [
    ("Bản tin (thể hiện dưới dạng âm thanh, chữ viết, hình ảnh)", LineKind.BULLETIN, "",
     "Bản tin", 160, "403.305"),
    ("Áp phích", LineKind.PRINT, Subtype.POSTER, "Tấm", 88, "36.905"),
    ("Video clip", LineKind.VIDEO, "", "Video", 27, "866.8"),
    ("Bồi dưỡng, tập huấn kiến thức, nghiệp vụ thông tin đối ngoại", LineKind.TRAINING, "",
     "Người", 200, "160"),
    ("Kiểm tra, giám sát công tác triển khai", LineKind.MONITORING, "", "Đợt", 2, "12.15"),
    ("Tham gia Hội nghị tập huấn, hội thảo do Trung ương tổ chức", LineKind.CONFERENCE, "",
     "Đợt", 1, "26.6"),
    ("Chi phí quản lý điều hành (Cước bưu chính, văn phòng phẩm)", LineKind.OTHER, "", "",
     None, "6.39"),
    ("Thiết lập điểm hỗ trợ đồng bào DTTS ứng dụng CNTT", LineKind.SUPPORT_POINTS, "",
     "Điểm", 3, "450"),
]
DISTRICT_LINES = [
    ("Bản tin tiếng Tày", LineKind.BULLETIN, "", "Bản tin", 24, "60"),
]

# commune (demo/data.py), place, TV", amplifier channels/W, speakers W × count, mic m, kiosk
SUPPORT_POINTS = [
    ("Đồng Đăng", "Nhà văn hóa thị trấn", 65, 2, 240, 1200, 2, 50, "dong-dang"),
    ("Tân Thanh", "Bưu điện văn hóa xã", 60, 2, 300, 1200, 2, 40, ""),
    ("Thụy Hùng", "Nhà văn hóa thôn Nà Pàn", 55, 2, 240, 1000, 2, 30, ""),
]


def _lines(plan: Plan, rows) -> None:
    for order, (content, kind, subtype, unit, per_year, central) in enumerate(rows, 1):
        for year in plan.years:
            PlanLine.objects.create(plan=plan, sort_order=order, content=content, kind=kind,
                                    subtype=subtype, unit=unit, year=year, quantity=per_year,
                                    budget_central=Decimal(central))


def ensure_demo_programme(stdout=None) -> None:
    year = timezone.localdate().year
    department = Organisation.objects.get(name=data.DEPARTMENT)
    cao_loc = Organisation.objects.get(short_name="Cao Lộc")
    province_plan, created = Plan.objects.get_or_create(
        organisation=department, decision_number="157/KH-UBND", defaults={
            "title": "Kế hoạch thực hiện nhiệm vụ thông tin đối ngoại vùng đồng bào dân tộc "
                     "thiểu số (Dự án 10, Tiểu dự án 1)",
            "decision_date": datetime.date(year - 1, 8, 1),
            "issuing_body": "Ủy ban nhân dân tỉnh Lạng Sơn", "period_label": "2021-2030",
            "first_year": year - 1, "last_year": year + 1})
    if created:
        _lines(province_plan, PROVINCE_LINES)
    district_plan, created = Plan.objects.get_or_create(
        organisation=cao_loc, decision_number="45/KH-UBND", defaults={
            "title": "Kế hoạch thông tin đối ngoại huyện Cao Lộc",
            "decision_date": datetime.date(year - 1, 9, 5),
            "issuing_body": "Ủy ban nhân dân huyện Cao Lộc", "parent": province_plan,
            "period_label": "2021-2030", "first_year": year - 1, "last_year": year + 1})
    if created:
        _lines(district_plan, DISTRICT_LINES)
        _work_done(province_plan, department, cao_loc, year)
    _support_points(department)
    for report, day, month in ((ReportingDeadline.Report.PLAN, 10, 9),
                               (ReportingDeadline.Report.RESULTS, 15, 12)):
        ReportingDeadline.objects.get_or_create(report=report, day=day, month=month,
                                                defaults={"remind_days_before": 14})
    if stdout is not None:
        stdout.write(_("Kế hoạch mẫu: %(plan)s.") % {"plan": province_plan})


def _work_done(plan: Plan, department: Organisation, cao_loc: Organisation, year: int) -> None:
    """What the finance officer and the department entered by hand this year so far."""
    for title, month, place, groups in (
            ("Bồi dưỡng nghiệp vụ thông tin đối ngoại cho cán bộ cơ sở", 3, "Thành phố Lạng Sơn",
             {ParticipantGroup.MANAGERS: 45, ParticipantGroup.RADIO: 38}),
            ("Tập huấn kỹ năng tuyên truyền khu vực biên giới", 5, "Huyện Cao Lộc",
             {ParticipantGroup.PRESS: 22, ParticipantGroup.FORCES: 15})):
        session = TrainingSession.objects.create(
            organisation=department, title=title, date=datetime.date(year, month, 12),
            place=place, organiser="Cục Thông tin đối ngoại")
        for group, count in groups.items():
            TrainingParticipants.objects.create(session=session, group=group, count=count)
    MonitoringRound.objects.create(
        organisation=department, date=datetime.date(year, 4, 20),
        units_visited="UBND huyện Cao Lộc; Đài truyền thanh xã Đồng Đăng",
        findings="Bản tin tiếng Tày, tiếng Nùng phát đúng lịch; đề nghị bổ sung micro.")
    lines = {line.kind: line for line in plan.lines.filter(year=year)}
    for kind, central, quantity in ((LineKind.BULLETIN, "201.65", None),
                                    (LineKind.TRAINING, "98.5", None),
                                    (LineKind.CONFERENCE, "26.6", 1)):
        BudgetExecution.objects.create(line=lines[kind], date=datetime.date(year, 6, 30),
                                       central=Decimal(central), quantity_done=quantity)


def _support_points(department: Organisation) -> None:
    year = timezone.localdate().year
    for commune, place, tv, channels, amp_w, spk_w, spk_n, mic, kiosk in SUPPORT_POINTS:
        area = Area.objects.filter(name=commune, level="commune").first()
        if area is None or SupportPoint.objects.filter(commune=area).exists():
            continue
        district = Organisation.objects.filter(area=area.parent).first() or department
        SupportPoint.objects.create(
            commune=area, organisation=district, place=place, tv_inches=tv,
            amplifier_channels=channels, amplifier_watts=amp_w, speaker_watts=spk_w,
            speaker_count=spk_n, mic_range_m=mic, other_equipment="Bộ phát wifi, ổn áp",
            installed_on=datetime.date(year, 7, 1) if kiosk or tv >= 60 else None,
            condition=SupportPoint.Condition.GOOD if tv >= 60 else SupportPoint.Condition.PLANNED,
            kiosk_code=kiosk or None)


def issue_demo_kiosk_keys(stdout) -> None:
    """A fresh key for each demo kiosk, with the set-up address an officer would open on
    the support point's TV (the key is shown only once, like a station's)."""
    for point in SupportPoint.objects.exclude(kiosk_code=None).exclude(kiosk_code=""):
        key = point.issue_kiosk_key()
        setup = reverse("elibrary:kiosk") + "?" + urlencode({"diem": point.kiosk_code})
        stdout.write(f"  Kiosk «{point.commune.name}»: {settings.WAGTAILADMIN_BASE_URL}"
                     f"{setup}#{urlencode({'khoa': key})}")
