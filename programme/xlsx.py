"""Plans as XLSX workbooks in the appendices' layout, both ways.

Sheet "Kế hoạch" holds the decision; sheets "Phụ lục 01/02/03" hold the lines as the
provinces print them: STT, content, unit, quantity for the period then per year, central
budget for the period then per year, local budget likewise (million VND), and three columns
of ours at the right (kind, form, language) so a sheet reads back the same. A sheet that does
not follow the layout is refused with the sheet, row and column that are wrong, and nothing
is saved.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from io import BytesIO

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from cms.organisations.models import Organisation

from .exceptions import SheetError
from .models import Appendix, LineKind, Plan, PlanLine, Subtype, appendix_of, language_choices

MONEY_FORMAT = "#,##0.000"
HEADER_ROWS = 6  # title block (4 rows) and two header rows; lines start below
FIRST_LINE_ROW = HEADER_ROWS + 1
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def appendix_titles() -> dict[str, str]:
    return {
        Appendix.PRODUCTS: _("Dự kiến sản xuất các sản phẩm thông tin đối ngoại vùng đồng bào "
                             "dân tộc thiểu số"),
        Appendix.TRAINING: _("Dự kiến bồi dưỡng nghiệp vụ thông tin tuyên truyền, thông tin "
                             "đối ngoại"),
        Appendix.OTHER: _("Dự kiến các nội dung khác thực hiện thông tin đối ngoại vùng đồng "
                          "bào dân tộc thiểu số"),
    }


def sheet_name(appendix: str) -> str:
    return _("Phụ lục %(number)s") % {"number": appendix}


def meta_labels() -> list[tuple[str, str]]:
    return [("title", _("Tên kế hoạch")), ("decision_number", _("Số văn bản")),
            ("decision_date", _("Ngày ban hành")), ("issuing_body", _("Cơ quan ban hành")),
            ("organisation", _("Đơn vị thực hiện")), ("period_label", _("Giai đoạn")),
            ("first_year", _("Từ năm")), ("last_year", _("Đến năm"))]


@dataclass
class RowGroup:
    """One appendix row: the same line over the plan's years."""

    content: str
    kind: str
    subtype: str
    language: str
    unit: str
    quantities: dict[int, int | None] = field(default_factory=dict)
    central: dict[int, Decimal] = field(default_factory=dict)
    local: dict[int, Decimal] = field(default_factory=dict)


def group_lines(lines: Iterable[PlanLine]) -> list[RowGroup]:
    groups: dict[tuple, RowGroup] = {}
    for line in lines:
        group = groups.get(line.key)
        if group is None:
            group = groups[line.key] = RowGroup(line.content, line.kind, line.subtype,
                                                line.language, line.unit)
        # The same line twice in a year (a district's plan rolled up into the province's)
        # adds up.
        if line.quantity is not None:
            group.quantities[line.year] = (group.quantities.get(line.year) or 0) + line.quantity
        else:
            group.quantities.setdefault(line.year, None)
        group.central[line.year] = group.central.get(line.year, Decimal(0)) + line.budget_central
        group.local[line.year] = group.local.get(line.year, Decimal(0)) + line.budget_local
    return list(groups.values())


def _total(values) -> Decimal | int | None:
    present = [v for v in values if v is not None]
    return sum(present) if present else None


# --- export ---------------------------------------------------------------------------

def columns(years: list[int]) -> dict[str, int]:
    """1-based column of each block's first cell (the period total)."""
    width = len(years) + 1
    quantity = 4
    return {"quantity": quantity, "central": quantity + width, "local": quantity + 2 * width,
            "kind": quantity + 3 * width, "subtype": quantity + 3 * width + 1,
            "language": quantity + 3 * width + 2}


def _header(ws, plan: Plan, appendix: str) -> None:
    years, cols = plan.years, columns(plan.years)
    ws.cell(1, 1, _("PHỤ LỤC %(number)s") % {"number": appendix}).font = Font(bold=True)
    ws.cell(2, 1, appendix_titles()[appendix]).font = Font(bold=True)
    ws.cell(3, 1, _("(Kèm theo Kế hoạch số %(number)s ngày %(date)s của %(body)s)") % {
        "number": plan.decision_number, "date": f"{plan.decision_date:%d/%m/%Y}",
        "body": plan.issuing_body})
    top, sub = HEADER_ROWS - 1, HEADER_ROWS
    for col, label in ((1, _("STT")), (2, _("Nội dung thực hiện")), (3, _("Đơn vị tính")),
                       (cols["kind"], _("Loại")), (cols["subtype"], _("Hình thức")),
                       (cols["language"], _("Ngôn ngữ"))):
        ws.cell(top, col, label)
        ws.merge_cells(start_row=top, start_column=col, end_row=sub, end_column=col)
    blocks = (("quantity", _("Số lượng")),
              ("central", _("Kinh phí (triệu đồng) – Ngân sách Trung ương")),
              ("local", _("Kinh phí (triệu đồng) – Ngân sách địa phương")))
    for key, label in blocks:
        start = cols[key]
        ws.cell(top, start, label)
        ws.merge_cells(start_row=top, start_column=start, end_row=top,
                       end_column=start + len(years))
        ws.cell(sub, start, _("Giai đoạn %(period)s") % {"period": plan.period_label})
        for offset, year in enumerate(years, 1):
            ws.cell(sub, start + offset, _("Năm %(year)s") % {"year": year})
    for row in ws.iter_rows(min_row=top, max_row=sub, max_col=cols["language"]):
        for cell in row:
            cell.font, cell.border = Font(bold=True), BOX
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _write_row(ws, row: int, values: dict[int, object], money_cols: set[int]) -> None:
    for col, value in values.items():
        cell = ws.cell(row, col, value)
        cell.border = BOX
        if col in money_cols:
            cell.number_format = MONEY_FORMAT


def _labels(choices) -> dict[str, str]:
    return {str(code): str(label) for code, label in choices}


def _appendix_sheet(wb: Workbook, plan: Plan, appendix: str, groups: list[RowGroup]) -> None:
    ws = wb.create_sheet(sheet_name(appendix))
    _header(ws, plan, appendix)
    years, cols = plan.years, columns(plan.years)
    money_cols = {c for key in ("central", "local")
                  for c in range(cols[key], cols[key] + len(years) + 1)}
    kinds, subtypes = _labels(LineKind.choices), _labels(Subtype.choices)
    langs = _labels(language_choices()[1:])
    row = FIRST_LINE_ROW
    for number, group in enumerate(groups, 1):
        values: dict[int, object] = {1: number, 2: group.content, 3: group.unit or None}
        for key, data in (("quantity", group.quantities), ("central", group.central),
                          ("local", group.local)):
            per_year = [data.get(year) for year in years]
            values[cols[key]] = _total(per_year)
            for offset, value in enumerate(per_year, 1):
                values[cols[key] + offset] = value
        values[cols["kind"]] = kinds[group.kind]
        values[cols["subtype"]] = subtypes.get(group.subtype)
        values[cols["language"]] = langs.get(group.language)
        _write_row(ws, row, values, money_cols)
        row += 1
    totals: dict[int, object] = {2: _("Tổng cộng")}
    for key in ("quantity", "central", "local"):
        for col in range(cols[key], cols[key] + len(years) + 1):
            column_values = [ws.cell(r, col).value for r in range(FIRST_LINE_ROW, row)]
            totals[col] = _total(column_values) if key != "quantity" or all(
                v is not None for v in column_values) else None
    _write_row(ws, row, totals, money_cols)
    for cell in ws[row]:
        cell.font = Font(bold=True)
    ws.column_dimensions["B"].width = 48
    for col in range(3, cols["language"] + 1):
        ws.column_dimensions[get_column_letter(col)].width = 12


def export_plan(plan: Plan, lines=None) -> bytes:
    """The plan's own lines, or ``lines`` (the plan with the plans rolled up into it)."""
    wb = Workbook()
    meta = wb.active
    meta.title = _("Kế hoạch")
    values = {"title": plan.title, "decision_number": plan.decision_number,
              "decision_date": plan.decision_date, "issuing_body": plan.issuing_body,
              "organisation": plan.organisation.name, "period_label": plan.period_label,
              "first_year": plan.first_year, "last_year": plan.last_year}
    for row, (key, label) in enumerate(meta_labels(), 1):
        meta.cell(row, 1, label).font = Font(bold=True)
        cell = meta.cell(row, 2, values[key])
        if key == "decision_date":
            cell.number_format = "DD/MM/YYYY"
    meta.column_dimensions["A"].width = 22
    meta.column_dimensions["B"].width = 60
    groups = group_lines(plan.lines.all() if lines is None else lines)
    for appendix in Appendix.values:
        _appendix_sheet(wb, plan, appendix,
                        [g for g in groups if appendix_of(g.kind) == appendix])
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


# --- import ---------------------------------------------------------------------------

def _where(ws, row: int, col: int) -> dict:
    return {"sheet": ws.title, "row": row, "column": get_column_letter(col)}


def _fail(message: str, ws, row: int, col: int):
    where = _where(ws, row, col)
    raise SheetError(_("Trang “%(sheet)s”, dòng %(row)s, cột %(column)s: %(message)s") % {
        **where, "message": message}, **where)


def _int(ws, row: int, col: int, *, required: bool = False) -> int | None:
    value = ws.cell(row, col).value
    if value in (None, ""):
        if required:
            _fail(_("thiếu giá trị."), ws, row, col)
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        _fail(_("phải là số nguyên."), ws, row, col)
    try:
        number = Decimal(str(value).strip().replace(".", "") if isinstance(value, str)
                         else str(value))
    except InvalidOperation:
        _fail(_("phải là số nguyên."), ws, row, col)
    if number != number.to_integral_value() or number < 0:
        _fail(_("phải là số nguyên không âm."), ws, row, col)
    return int(number)


def _money(ws, row: int, col: int) -> Decimal:
    value = ws.cell(row, col).value
    if value in (None, ""):
        return Decimal(0)
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        _fail(_("phải là số tiền (triệu đồng)."), ws, row, col)
    text = str(value).strip()
    if isinstance(value, str):  # Vietnamese notation: 1.209,915
        text = text.replace(".", "").replace(",", ".")
    try:
        amount = Decimal(text).quantize(Decimal("0.001"))
    except InvalidOperation:
        _fail(_("phải là số tiền (triệu đồng)."), ws, row, col)
    if amount < 0:
        _fail(_("không được âm."), ws, row, col)
    return amount


def _choice(ws, row: int, col: int, choices, *, required: bool) -> str:
    value = ws.cell(row, col).value
    if value in (None, ""):
        if required:
            _fail(_("thiếu giá trị."), ws, row, col)
        return ""
    text = str(value).strip()
    for code, label in choices:
        if text.casefold() in (str(code).casefold(), str(label).casefold()):
            return str(code)
    _fail(_("giá trị “%(value)s” không có trong danh mục.") % {"value": text}, ws, row, col)
    return ""


def _read_meta(wb) -> dict:
    name = _("Kế hoạch")
    if name not in wb.sheetnames:
        raise SheetError(_("Không có trang “%(sheet)s”.") % {"sheet": name}, sheet=name)
    ws, data = wb[name], {}
    for row, (key, label) in enumerate(meta_labels(), 1):
        if str(ws.cell(row, 1).value or "").strip() != label:
            _fail(_("phải là “%(label)s”.") % {"label": label}, ws, row, 1)
        value = ws.cell(row, 2).value
        if value in (None, ""):
            _fail(_("thiếu giá trị."), ws, row, 2)
        if key in ("first_year", "last_year"):
            value = _int(ws, row, 2, required=True)
        elif key == "decision_date":
            value = _date(ws, row, 2)
        else:
            value = str(value).strip()
        data[key] = value
    if data["first_year"] > data["last_year"] or data["last_year"] - data["first_year"] > 20:
        _fail(_("năm kết thúc không hợp lệ."), ws, 8, 2)
    return data


def _date(ws, row: int, col: int) -> datetime.date:
    value = ws.cell(row, col).value
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.datetime.strptime(str(value).strip(), "%d/%m/%Y").date()
    except ValueError:
        _fail(_("ngày phải viết dạng ngày/tháng/năm."), ws, row, col)
    raise AssertionError  # unreachable: _fail raises


def _check_headers(ws, years: list[int]) -> None:
    """The year columns must be the plan's years, in order: a sheet of another plan period
    would put every figure in the wrong year."""
    cols, sub = columns(years), HEADER_ROWS
    for key in ("quantity", "central", "local"):
        for offset, year in enumerate(years, 1):
            expected = _("Năm %(year)s") % {"year": year}
            if str(ws.cell(sub, cols[key] + offset).value or "").strip() != expected:
                _fail(_("tiêu đề cột phải là “%(label)s”.") % {"label": expected},
                      ws, sub, cols[key] + offset)


def _read_sheet(ws, appendix: str, years: list[int]) -> list[RowGroup]:
    cols, groups = columns(years), []
    _check_headers(ws, years)
    language_codes = language_choices()[1:]
    for row in range(FIRST_LINE_ROW, ws.max_row + 1):
        content = ws.cell(row, 2).value
        if content is None or str(content).strip() == "":
            if any(ws.cell(row, c).value not in (None, "") for c in range(3, cols["kind"])):
                _fail(_("thiếu nội dung thực hiện."), ws, row, 2)
            continue
        if str(content).strip() == _("Tổng cộng"):
            break
        kind = _choice(ws, row, cols["kind"], LineKind.choices, required=True)
        if appendix_of(kind) != appendix:
            _fail(_("loại này thuộc %(sheet)s.") % {"sheet": sheet_name(appendix_of(kind))},
                  ws, row, cols["kind"])
        group = RowGroup(str(content).strip(), kind,
                         _choice(ws, row, cols["subtype"], Subtype.choices, required=False),
                         _choice(ws, row, cols["language"], language_codes, required=False),
                         str(ws.cell(row, 3).value or "").strip())
        _read_blocks(ws, row, cols, years, group)
        groups.append(group)
    return groups


def _read_blocks(ws, row: int, cols: dict[str, int], years: list[int], group: RowGroup) -> None:
    for key, reader, target in (("quantity", _int, group.quantities),
                                ("central", _money, group.central),
                                ("local", _money, group.local)):
        for offset, year in enumerate(years, 1):
            target[year] = reader(ws, row, cols[key] + offset)
        stated = reader(ws, row, cols[key])
        total = _total(target.values())
        if stated not in (None, Decimal(0)) and stated != (total or 0):
            _fail(_("tổng giai đoạn %(stated)s khác tổng các năm %(total)s.") % {
                "stated": stated, "total": total or 0}, ws, row, cols[key])


def read_plan(data: bytes) -> tuple[dict, list[RowGroup]]:
    """Parse and check a whole workbook; raises SheetError at the first fault."""
    try:
        wb = load_workbook(BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises many types for a file that is not XLSX
        raise SheetError(_("Tệp không phải bảng tính XLSX đọc được.")) from exc
    meta = _read_meta(wb)
    years = list(range(meta["first_year"], meta["last_year"] + 1))
    groups = []
    for appendix in Appendix.values:
        name = sheet_name(appendix)
        if name not in wb.sheetnames:
            raise SheetError(_("Không có trang “%(sheet)s”.") % {"sheet": name}, sheet=name)
        groups += _read_sheet(wb[name], appendix, years)
    return meta, groups


@transaction.atomic
def import_plan(data: bytes, *, allowed_organisations=None) -> Plan:
    """Create or replace (by decision number and organisation) the plan in ``data``."""
    meta, groups = read_plan(data)
    organisations = allowed_organisations if allowed_organisations is not None \
        else Organisation.objects.all()
    organisation = organisations.filter(name=meta.pop("organisation")).first()
    if organisation is None:
        raise SheetError(_("Trang “Kế hoạch”, dòng 5, cột B: không có đơn vị này, hoặc bạn "
                           "không được nhập kế hoạch cho đơn vị này."),
                         sheet=_("Kế hoạch"), row=5, column="B")
    plan, _created = Plan.objects.update_or_create(
        organisation=organisation, decision_number=meta.pop("decision_number"), defaults=meta)
    plan.lines.all().delete()
    for order, group in enumerate(groups, 1):
        PlanLine.objects.bulk_create(
            PlanLine(plan=plan, sort_order=order, content=group.content, kind=group.kind,
                     subtype=group.subtype, language=group.language, unit=group.unit,
                     year=year, quantity=group.quantities.get(year),
                     budget_central=group.central.get(year, Decimal(0)),
                     budget_local=group.local.get(year, Decimal(0)))
            for year in plan.years)
    return plan
