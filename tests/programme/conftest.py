"""A plan shaped like Sóc Trăng's appendices, for the province and one district."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from programme.models import LineKind, Plan, PlanLine, Subtype

THIS_YEAR = timezone.localdate().year
YEARS = (THIS_YEAR - 2, THIS_YEAR - 1, THIS_YEAR)  # a plan running out this year


def add_lines(plan: Plan, rows) -> None:
    for order, (content, kind, subtype, unit, per_year, central) in enumerate(rows, 1):
        for year in YEARS:
            PlanLine.objects.create(plan=plan, sort_order=order, content=content, kind=kind,
                                    subtype=subtype, unit=unit, year=year, quantity=per_year,
                                    budget_central=Decimal(central))


SOC_TRANG_ROWS = [
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
]


@pytest.fixture
def plans(province):
    provincial = Plan.objects.create(
        title="Kế hoạch thông tin đối ngoại vùng đồng bào DTTS", decision_number="157/KH-UBND",
        decision_date=datetime.date(2023, 8, 1), issuing_body="Ủy ban nhân dân tỉnh",
        organisation=province.department, period_label="2021-2025", first_year=YEARS[0],
        last_year=YEARS[-1])
    add_lines(provincial, SOC_TRANG_ROWS)
    district = Plan.objects.create(
        title="Kế hoạch huyện Cao Lộc", decision_number="12/KH-UBND",
        decision_date=datetime.date(2023, 9, 5), issuing_body="Ủy ban nhân dân huyện Cao Lộc",
        organisation=province.district_a, parent=provincial, period_label="2021-2025",
        first_year=YEARS[0], last_year=YEARS[-1])
    add_lines(district, [("Bản tin tiếng Tày", LineKind.BULLETIN, "", "Bản tin", 12, "30")])
    return provincial, district
