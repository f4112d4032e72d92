"""Plans to and from XLSX in the appendices' layout."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from programme.exceptions import SheetError
from programme.models import Plan, PlanLine
from programme.xlsx import export_plan, import_plan
from tests.programme.conftest import YEARS


def _cells(data: bytes) -> dict:
    wb = load_workbook(BytesIO(data))
    return {ws.title: ([[c.value for c in row] for row in ws.iter_rows()],
                       sorted(str(r) for r in ws.merged_cells.ranges)) for ws in wb}


def test_export_reads_like_soc_trang_appendix_01(plans):
    provincial, _district = plans
    wb = load_workbook(BytesIO(export_plan(provincial)))
    assert wb.sheetnames == ["Kế hoạch", "Phụ lục 01", "Phụ lục 02", "Phụ lục 03"]
    ws = wb["Phụ lục 01"]
    assert ws["A1"].value == "PHỤ LỤC 01"
    assert "157/KH-UBND ngày 01/08/2023" in ws["A3"].value
    assert [ws.cell(6, c).value for c in range(4, 8)] == [
        "Giai đoạn 2021-2025", *[f"Năm {year}" for year in YEARS]]
    row = [ws.cell(7, c).value for c in range(1, 12)]
    assert row[:7] == [1, "Bản tin (thể hiện dưới dạng âm thanh, chữ viết, hình ảnh)",
                       "Bản tin", 480, 160, 160, 160]
    assert row[7:11] == [pytest.approx(1209.915), pytest.approx(403.305),
                         pytest.approx(403.305), pytest.approx(403.305)]
    assert ws.cell(8, 2).value == "Áp phích" and ws.cell(8, 4).value == 264
    total_row = [ws.cell(10, c).value for c in range(2, 9)]
    assert total_row[0] == "Tổng cộng"
    assert total_row[2:4] == [825, 275]
    assert wb["Phụ lục 02"].cell(7, 4).value == 600
    other = wb["Phụ lục 03"]
    assert other.cell(7, 2).value == "Kiểm tra, giám sát công tác triển khai"
    assert other.cell(7, 4).value == 6
    assert other.cell(9, 4).value is None  # management costs: money, no quantity


def test_round_trip_equals_cell_by_cell(plans):
    provincial, _district = plans
    first = export_plan(provincial)
    provincial.lines.all().delete()
    Plan.objects.filter(pk=provincial.pk).update(title="đã sửa")
    again = import_plan(first)
    assert again.pk == provincial.pk and again.title == provincial.title
    assert again.lines.count() == 7 * 3
    assert _cells(export_plan(again)) == _cells(first)


def _broken(data: bytes, sheet: str, cell: str, value) -> bytes:
    wb = load_workbook(BytesIO(data))
    wb[sheet][cell] = value
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize(("sheet", "cell", "value", "where"), [
    ("Phụ lục 01", "F8", "tám mươi", "dòng 8, cột F"),
    ("Phụ lục 01", "D7", 481, "dòng 7, cột D"),
    ("Phụ lục 01", "Q7", "Phát thanh viên", "dòng 7, cột Q"),
    ("Phụ lục 03", "I7", -5, "dòng 7, cột I"),
    ("Phụ lục 02", "F6", "Năm 2099", "dòng 6, cột F"),
    ("Kế hoạch", "B3", "ngày mai", "dòng 3, cột B"),
])
def test_malformed_sheet_refused_with_row_and_column(plans, sheet, cell, value, where):
    provincial, _district = plans
    data = _broken(export_plan(provincial), sheet, cell, value)
    provincial.lines.filter(year=YEARS[-1]).delete()
    before = list(PlanLine.objects.order_by("pk").values_list("pk", "quantity"))
    with pytest.raises(SheetError) as refused:
        import_plan(data)
    assert f"“{sheet}”, {where}" in str(refused.value)
    assert list(PlanLine.objects.order_by("pk").values_list("pk", "quantity")) == before


def test_not_a_workbook_refused(plans):
    with pytest.raises(SheetError, match="XLSX"):
        import_plan(b"PK\x03\x04 not really")


def test_district_cannot_import_for_the_province(plans, province):
    provincial, _district = plans
    data = export_plan(provincial)
    from cms.organisations.models import Organisation

    with pytest.raises(SheetError, match="dòng 5, cột B"):
        import_plan(data, allowed_organisations=Organisation.objects.filter(
            pk=province.district_a.pk))
    assert provincial.lines.get(kind="bulletin", year=YEARS[0]).budget_central == Decimal("403.305")


def test_province_plan_with_its_districts_rolled_up(client, users, plans):
    from django.urls import reverse

    provincial, district = plans
    client.force_login(users.reviewer)
    index = client.get(reverse("programme_reports")).content.decode()
    assert reverse("programme_rolled_up_xlsx", args=[provincial.pk]) in index
    assert reverse("programme_rolled_up_xlsx", args=[district.pk]) not in index
    data = client.get(reverse("programme_rolled_up_xlsx", args=[provincial.pk])).content
    ws = load_workbook(BytesIO(data))["Phụ lục 01"]
    rows = {ws.cell(r, 2).value: ws.cell(r, 4).value for r in range(7, ws.max_row + 1)}
    assert rows["Bản tin tiếng Tày"] == 36 and rows["Tổng cộng"] == 825 + 36
