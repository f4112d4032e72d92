"""Admin pages: the reports of the plans a user may see, and the XLSX import."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import reports, results, xlsx
from .admin_scope import in_scope
from .exceptions import ProgrammeError
from .models import Plan, PlanLine, SupportPoint
from .scope import organisations_for

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD = 5 * 1024 * 1024


def _require_view(request: HttpRequest) -> None:
    if not request.user.has_perm("programme.view_plan"):
        raise PermissionDenied


def visible_plans(user):
    return Plan.objects.filter(organisation__in=organisations_for(user)).select_related(
        "organisation").annotate(child_count=Count("children"))


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("nam", "")
    if not raw:
        return timezone.localdate().year
    if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
        raise Http404(_("Năm không hợp lệ."))
    return int(raw)


def _plan(request: HttpRequest, pk: int) -> Plan:
    _require_view(request)
    plan = visible_plans(request.user).filter(pk=pk).first()
    if plan is None:
        raise Http404(_("Không có kế hoạch này, hoặc bạn không được xem."))
    return plan


def _download(data: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _name(plan: Plan, what: str, year: int | None, ext: str) -> str:
    stem = slugify(f"{what}-{plan.organisation.short_name}-{year or plan.period_label}")
    return f"{stem}.{ext}"


def plan_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    return _download(xlsx.export_plan(plan), XLSX_TYPE, _name(plan, "ke-hoach", None, "xlsx"))


def rolled_up_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The province's plan with its districts' plans added in, in the appendices' layout."""
    plan = _plan(request, pk)
    lines = PlanLine.objects.filter(plan__in=results.plans_rolled_up(plan)).order_by(
        "plan__parent_id", "plan_id", "sort_order", "id")
    return _download(xlsx.export_plan(plan, lines), XLSX_TYPE,
                     _name(plan, "ke-hoach-tong-hop", None, "xlsx"))


def results_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    plan, year = _plan(request, pk), _year(request)
    data = reports.results_xlsx(reports.build_report(plan, year))
    return _download(data, XLSX_TYPE, _name(plan, "bao-cao-ket-qua", year, "xlsx"))


def results_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    plan, year = _plan(request, pk), _year(request)
    data = reports.results_pdf(reports.build_report(plan, year))
    return _download(data, "application/pdf", _name(plan, "bao-cao-ket-qua", year, "pdf"))


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Tệp XLSX theo mẫu phụ lục"))


def reports_index(request: HttpRequest) -> HttpResponse:
    _require_view(request)
    form = ImportForm()
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if not request.user.has_perm("programme.change_plan"):
            raise PermissionDenied
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                if upload.size > MAX_UPLOAD:
                    raise ProgrammeError(_("Tệp quá lớn (tối đa 5 MB)."))
                plan = xlsx.import_plan(upload.read(),
                                        allowed_organisations=organisations_for(request.user))
            except ProgrammeError as exc:
                form.add_error("file", str(exc))
            else:
                messages.success(request, _("Đã nhập kế hoạch %(plan)s.") % {"plan": plan})
                return redirect("programme_reports")
    year = _year(request)
    return TemplateResponse(request, "programme/admin/reports.html", {
        "plans": visible_plans(request.user), "year": year, "form": form,
        "years": range(year - 3, year + 2),
        "can_import": request.user.has_perm("programme.change_plan"),
    }, status=400 if form.errors else 200)


def _support_point(request: HttpRequest, pk: int) -> SupportPoint:
    """A support point the user may change and sees (its district's, or any for the
    province)."""
    point = SupportPoint.objects.filter(pk=pk).select_related("commune").first()
    if point is None or not request.user.has_perm("programme.change_supportpoint") or (
            not in_scope(request.user, point, SupportPoint)):
        raise Http404(_("Không có điểm hỗ trợ này, hoặc bạn không được sửa."))
    return point


def kiosk_key(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue a support point's kiosk key and show, once, the set-up address the officer
    opens on the kiosk. The key rides in the address's fragment (after #), which browsers
    never send to a server, so it stays out of access logs; the kiosk keeps it."""
    point = _support_point(request, pk)
    setup_url = ""
    if request.method == "POST":
        if not point.kiosk_code:
            messages.error(request, _("Hãy đặt mã máy kiosk cho điểm hỗ trợ trước."))
        else:
            key = point.issue_kiosk_key()
            setup_url = request.build_absolute_uri(
                reverse("elibrary:kiosk") + "?" + urlencode({"diem": point.kiosk_code})
            ) + "#" + urlencode({"khoa": key})
            messages.success(request, _("Đã cấp khóa mới cho máy kiosk. Khóa cũ (nếu có) "
                                        "không còn dùng được."))
    return TemplateResponse(request, "programme/admin/kiosk_key.html", {
        "point": point, "setup_url": setup_url,
        "page_title": _("Khóa máy kiosk: %(point)s") % {"point": point},
        "header_icon": "key"})
