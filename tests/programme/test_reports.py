"""The annual results report as PDF (text read back with pdftotext) and XLSX, through the
admin, for the province and a district."""

from __future__ import annotations

import subprocess
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cms.products.models import BulletinPage
from programme.models import BudgetExecution
from tests.elibrary.factories import add_product

THIS_YEAR = timezone.localdate().year


def _pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def _bulletins(section, n):
    for i in range(n):
        add_product(section, BulletinPage, title=f"Bản tin {i}", text="Nội dung")


def test_province_pdf_carries_the_figures(client, users, plans, province, tmp_path):
    provincial, _district = plans
    _bulletins(province.department.section_page, 3)
    _bulletins(province.district_a.section_page, 1)
    line = provincial.lines.get(kind="bulletin", year=THIS_YEAR)
    BudgetExecution.objects.create(line=line, central=Decimal("201.65"))
    client.force_login(users.reviewer)
    response = client.get(reverse("programme_results_pdf", args=[provincial.pk]),
                          {"nam": THIS_YEAR})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content, tmp_path)
    assert f"Báo cáo kết quả thực hiện năm {THIS_YEAR} – Sở TTTT Lạng Sơn" in text
    assert "157/KH-UBND" in text
    bulletin_row = next(row for row in text.splitlines() if "Bản tin (thể hiện" in row)
    assert " 160 " in bulletin_row and " 4 " in bulletin_row and "3%" in bulletin_row
    assert "403,305" in bulletin_row and "201,65" in bulletin_row and "50%" in bulletin_row
    assert "không cộng thêm vào tổng" in " ".join(text.split())
    assert "4/160 · 3%" in text  # the plan-vs-actual chart's label
    assert "Tổng cộng" in text
    assert "Sản phẩm xuất bản theo tháng" in text
    # the monthly chart: 4 products this month, though two lines count the district's one
    chart = text.split("theo tháng")[1].split("Phát thanh")[0].split()
    assert chart[0] == "4" and chart[1:] == [f"T{m}" for m in range(1, 13)]


def test_results_xlsx_plan_vs_actual(client, users, plans, province):
    provincial, _district = plans
    _bulletins(province.department.section_page, 2)
    client.force_login(users.provincial_editor)
    response = client.get(reverse("programme_results_xlsx", args=[provincial.pk]),
                          {"nam": THIS_YEAR})
    ws = load_workbook(BytesIO(response.content)).active
    rows = {ws.cell(r, 2).value: [ws.cell(r, c).value for c in range(3, 11)]
            for r in range(6, ws.max_row + 1)}
    assert rows["Bản tin (thể hiện dưới dạng âm thanh, chữ viết, hình ảnh)"][:4] == [
        "Bản tin", 160, 2, 1]
    assert "theo ngôn ngữ: Tiếng Việt 2" in rows[
        "Bản tin (thể hiện dưới dạng âm thanh, chữ viết, hình ảnh)"][7]
    # Sóc Trăng's 1,307.01 + 160 + 45.14 a year, and the district's 30
    assert rows["Tổng cộng"][4] == pytest.approx(1542.15)
    assert rows["Bản tin tiếng Tày"][1] == 12  # the district's plan rolled up


def test_district_reports_only_its_own(client, users, plans, province):
    provincial, district = plans
    _bulletins(province.department.section_page, 2)
    client.force_login(users.editor_a)
    refused = client.get(reverse("programme_results_pdf", args=[provincial.pk]))
    assert refused.status_code == 404
    response = client.get(reverse("programme_results_xlsx", args=[district.pk]))
    ws = load_workbook(BytesIO(response.content)).active
    assert ws.cell(6, 2).value == "Bản tin tiếng Tày" and ws.cell(6, 5).value == 0
    index = client.get(reverse("programme_reports")).content.decode()
    assert "12/KH-UBND" in index and "157/KH-UBND" not in index
    assert client.get(reverse("programme_reports"), {"nam": "abc"}).status_code == 404


def test_import_through_the_admin(client, users, plans):
    _provincial, district = plans
    client.force_login(users.editor_a)
    own = client.get(reverse("programme_plan_xlsx", args=[district.pk])).content
    district.lines.all().delete()
    response = client.post(reverse("programme_reports"), {"file": BytesIO(own)})
    assert response.status_code == 302
    assert district.lines.count() == 3
    broken = client.post(reverse("programme_reports"), {"file": BytesIO(b"not a workbook")})
    assert broken.status_code == 400
    assert "Tệp không phải bảng tính XLSX" in broken.content.decode()
