"""The annual results report (plan vs actual per line, budget planned vs executed, stations,
delivery, e-library use, training, support points) for one plan — a district's, or the
province's with its districts rolled up — as XLSX and as PDF with SVG charts."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from translations import languages

from . import charts, results
from .figures import percent
from .models import PRODUCT_KINDS, LineKind, ParticipantGroup, Plan, SupportPoint
from .scope import descendants_and_self
from .xlsx import BOX, MONEY_FORMAT


def vn_number(value, places: int = 0) -> str:
    """Vietnamese notation: 1.209,915 (dot for thousands, comma for decimals)."""
    if value is None:
        return "–"
    text = f"{Decimal(value):,.{places}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def vn_money(value) -> str:
    """Million VND as the appendices print them: up to three decimals, none trailing."""
    text = vn_number(value, 3)
    return text.rstrip("0").rstrip(",") if "," in text else text


def language_name(code: str) -> str:
    lang = languages.BY_CODE.get(code)
    return lang.name_vi if lang else code


@dataclass
class Report:
    plan: Plan
    year: int
    lines: list[results.LineResult]
    stations: list[dict]
    deliveries: dict[str, int]
    use: dict[str, dict[str, int]]
    use_by_product: list[dict]
    kiosks: list[dict]
    participants: dict[str, int]
    support_points: list[SupportPoint]
    made_at: object = field(default_factory=timezone.now)

    @property
    def organisation(self):
        return self.plan.organisation

    @property
    def product_lines(self) -> list[results.LineResult]:
        return [line for line in self.lines if line.kind in PRODUCT_KINDS]

    @property
    def budget_planned(self) -> Decimal:
        return sum((line.budget_planned for line in self.lines), Decimal(0))

    @property
    def budget_executed(self) -> Decimal:
        return sum((line.budget_executed for line in self.lines), Decimal(0))

    @property
    def budget_percent(self) -> int | None:
        return percent(self.budget_executed, self.budget_planned)

    @property
    def months(self) -> list[int]:
        """Products first live per month, each product once even when several lines (a
        per-language line, a district's line rolled up) count it."""
        firsts: dict = {}
        for line in self.product_lines:
            firsts.update(line.firsts)
        return results.monthly(firsts)


def build_report(plan: Plan, year: int) -> Report:
    org_ids = descendants_and_self(plan.organisation)
    return Report(
        plan=plan, year=year, lines=results.line_results(plan, year),
        stations=results.station_figures(org_ids, year),
        deliveries=results.delivery_figures(org_ids, year),
        use=results.elibrary_use(org_ids, year),
        use_by_product=results.elibrary_use_by_product(org_ids, year),
        kiosks=results.kiosk_figures(org_ids, year),
        participants=results.participants_by_group(org_ids, year),
        support_points=list(SupportPoint.objects.filter(organisation_id__in=org_ids)
                            .select_related("commune", "organisation")),
    )


def line_note(line: results.LineResult) -> str:
    parts = []
    if line.by_language:
        parts.append(_("theo ngôn ngữ: %(list)s") % {"list": ", ".join(
            f"{language_name(code)} {n}" for code, n in sorted(line.by_language.items()))})
    if not line.counted:
        parts.append(_("số lượng do kế toán nhập"))
    return "; ".join(parts)


def not_double_counted_note() -> str:
    return _("Mỗi sản phẩm được tính một lần, vào năm phiên bản đầu tiên của nó được xuất bản; "
             "các phiên bản ngôn ngữ chỉ là số liệu chi tiết, không cộng thêm vào tổng.")


def title_of(report: Report) -> str:
    return _("Báo cáo kết quả thực hiện năm %(year)s – %(organisation)s") % {
        "year": report.year, "organisation": report.organisation.name}


# --- XLSX ---------------------------------------------------------------------------

def _sheet_rows(ws, start: int, header: list[str], rows: list[list], money: set[int] = frozenset()):
    for col, label in enumerate(header, 1):
        cell = ws.cell(start, col, label)
        cell.font, cell.border = Font(bold=True), BOX
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    for r, row in enumerate(rows, start + 1):
        for col, value in enumerate(row, 1):
            cell = ws.cell(r, col, value)
            cell.border = BOX
            if col in money:
                cell.number_format = MONEY_FORMAT
    return start + len(rows) + 1


def results_xlsx(report: Report) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Kết quả")
    ws.cell(1, 1, title_of(report)).font = Font(bold=True, size=13)
    ws.cell(2, 1, _("Theo Kế hoạch số %(number)s ngày %(date)s của %(body)s") % {
        "number": report.plan.decision_number, "date": f"{report.plan.decision_date:%d/%m/%Y}",
        "body": report.plan.issuing_body})
    ws.cell(3, 1, not_double_counted_note())
    header = [_("STT"), _("Nội dung thực hiện"), _("Đơn vị tính"), _("Kế hoạch năm"),
              _("Thực hiện"), _("Tỷ lệ (%)"), _("Kinh phí kế hoạch (triệu đồng)"),
              _("Kinh phí đã thực hiện (triệu đồng)"), _("Tỷ lệ kinh phí (%)"), _("Ghi chú")]
    rows = [[line.number, line.content, line.unit or None, line.planned, line.actual,
             line.percent, line.budget_planned, line.budget_executed, line.budget_percent,
             line_note(line) or None] for line in report.lines]
    rows.append([None, _("Tổng cộng"), None, None, None, None, report.budget_planned,
                 report.budget_executed, report.budget_percent, None])
    end = _sheet_rows(ws, 5, header, rows, money={7, 8})
    for cell in ws[end - 1]:
        cell.font = Font(bold=True)
    ws.column_dimensions["B"].width = 48
    ws.column_dimensions["J"].width = 40

    use = wb.create_sheet(_("Phát thanh, lưu trữ, sử dụng"))
    row = _sheet_rows(use, 1, [_("Đài"), _("Lượt tải trọn vẹn"), _("Số bản tin đã tải"),
                               _("Lượt phát sóng")],
                      [[s["station"], s["downloads"], s["bulletins"], s["airings"]]
                       for s in report.stations])
    row = _sheet_rows(use, row + 1, [_("Gửi về Bộ"), _("Sản phẩm"), _("Phiên bản ngôn ngữ")],
                      [[_("Đã gửi tới cơ sở dữ liệu quốc gia"), report.deliveries["products"],
                        report.deliveries["versions"]]])
    row = _sheet_rows(use, row + 1, [_("Ngôn ngữ"), _("Lượt xem"), _("Lượt tải")],
                      [[language_name(code), u["views"], u["downloads"]]
                       for code, u in sorted(report.use.items())])
    _sheet_rows(use, row + 1, [_("Điểm hỗ trợ (kiosk)"), _("Lượt phát"),
                               _("Liên lạc lần cuối")],
                [[k["point"], k["plays"], timezone.localtime(k["last_contact"]).strftime(
                    "%d/%m/%Y %H:%M") if k["last_contact"] else None] for k in report.kiosks])
    use.column_dimensions["A"].width = 40

    points = wb.create_sheet(_("Điểm hỗ trợ"))
    _sheet_rows(points, 1, [_("STT"), _("Tên xã"), _("Màn hình tivi (inch)"),
                            _("Amplifier (kênh/W)"), _("Loa (W/số lượng)"),
                            _("Micro không dây (m)"), _("Vật tư, phụ kiện khác"),
                            _("Ngày lắp đặt"), _("Tình trạng")],
                [[n, p.commune.name, p.tv_inches, p.amplifier_label() or None,
                  p.speakers_label() or None, p.mic_range_m, p.other_equipment or None,
                  p.installed_on, p.get_condition_display()]
                 for n, p in enumerate(report.support_points, 1)])
    points.column_dimensions["B"].width = 28

    by_product = wb.create_sheet(_("Lượt xem theo sản phẩm"))
    _sheet_rows(by_product, 1, [_("Mã định danh"), _("Tên sản phẩm"), _("Ngôn ngữ"),
                                _("Lượt xem"), _("Lượt tải")],
                [[u["identifier"], u["title"], language_name(u["language"]), u["views"],
                  u["downloads"]] for u in report.use_by_product])
    by_product.column_dimensions["B"].width = 60

    training = wb.create_sheet(_("Bồi dưỡng"))
    _sheet_rows(training, 1, [_("Đối tượng"), _("Số người")],
                [[str(label), report.participants.get(code, 0)]
                 for code, label in ParticipantGroup.choices])
    training.column_dimensions["A"].width = 60
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


# --- PDF ----------------------------------------------------------------------------

def _month_labels() -> list[str]:
    return [_("T%(month)s") % {"month": m} for m in range(1, 13)]


def report_html(report: Report) -> str:
    chart_rows = [(line.content, line.planned or 0, line.actual or 0) for line in report.lines
                  if line.planned and line.actual is not None]
    legend = (_("Kế hoạch"), _("Thực hiện"))
    return render_to_string("programme/report.html", {
        "report": report, "title": title_of(report), "note": not_double_counted_note(),
        "lines": [{"line": line, "note": line_note(line), "planned": vn_number(line.planned),
                   "actual": vn_number(line.actual), "budget_planned":
                       vn_money(line.budget_planned), "budget_executed":
                       vn_money(line.budget_executed)} for line in report.lines],
        "budget_planned": vn_money(report.budget_planned),
        "budget_executed": vn_money(report.budget_executed),
        # the charts are built from escaped text (charts._text)
        "plan_chart": mark_safe(charts.plan_vs_actual(chart_rows, legend=legend)),
        "month_chart": mark_safe(charts.monthly_bars(report.months, _month_labels())),
        "use": [(language_name(code), u) for code, u in sorted(report.use.items())],
        "participants": [(label, report.participants.get(code, 0))
                         for code, label in ParticipantGroup.choices],
        "training_kind": LineKind.TRAINING,
    })


def results_pdf(report: Report) -> bytes:
    from weasyprint import HTML  # imported here: it loads Pango, which the web process
    # needs only when a report is asked for

    return HTML(string=report_html(report)).write_pdf()
