"""A plan shaped like Sóc Trăng's appendices, for the province and one district."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from demo.programme import PROVINCE_LINES
from programme.models import LineKind, Plan, PlanLine

THIS_YEAR = timezone.localdate().year
YEARS = (THIS_YEAR - 2, THIS_YEAR - 1, THIS_YEAR)  # a plan running out this year


def add_lines(plan: Plan, rows) -> None:
    for order, (content, kind, subtype, unit, per_year, central) in enumerate(rows, 1):
        for year in YEARS:
            PlanLine.objects.create(plan=plan, sort_order=order, content=content, kind=kind,
                                    subtype=subtype, unit=unit, year=year, quantity=per_year,
                                    budget_central=Decimal(central))


# Sóc Trăng's appendix lines, as the demo loads them (without the support points)
SOC_TRANG_ROWS = PROVINCE_LINES[:7]


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
