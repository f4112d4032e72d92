"""Admin views of the interface translation: progress per language, PO export and import
(what a translator proposes), review and approval (what goes live)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import interface, languages
from .dashboard import target_languages
from .exceptions import TranslationError
from .forms import ImportForm
from .models import InterfaceString

CHANGE, APPROVE = "translations.change_interfacestring", "translations.approve_interfacestring"


def _language(code: str) -> languages.Language:
    if code not in {lang.code for lang in target_languages()}:
        raise Http404
    return languages.BY_CODE[code]


def _require(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def overview_view(request):
    _require(request, CHANGE)
    codes = [lang.code for lang in target_languages()]
    return TemplateResponse(request, "translations/admin/interface.html", {
        "coverage": interface.coverage(codes), "form": ImportForm(),
        "can_approve": request.user.has_perm(APPROVE)})


def export_view(request, code: str):
    _require(request, CHANGE)
    _language(code)
    response = HttpResponse(interface.export_po(code),
                            content_type="text/x-gettext-translation; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{interface.export_filename(code)}"'
    return response


@require_POST
def import_view(request, code: str):
    _require(request, CHANGE)
    language = _language(code)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Hãy chọn tệp PO để nhập."))
        return redirect("translations:interface")
    try:
        result = interface.import_po(code, form.cleaned_data["po_file"].read())
    except TranslationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _(
            "%(lang)s: %(n)d chuỗi giao diện mới hoặc đã sửa, chờ duyệt.") % {
            "lang": language.name_vi, "n": result.changed})
    return redirect("translations:interface_review", code=code)


def review_view(request, code: str):
    _require(request, CHANGE)
    language = _language(code)
    pending = [row for row in InterfaceString.objects.filter(language=code) if row.pending]
    return TemplateResponse(request, "translations/admin/interface_review.html", {
        "language": language, "pending": pending,
        "can_approve": request.user.has_perm(APPROVE)})


@require_POST
def approve_view(request, code: str):
    _require(request, APPROVE)
    language = _language(code)
    ids = [int(pk) for pk in request.POST.getlist("ids") if pk.isdigit()] or None
    count = interface.approve(code, request.user, ids)
    messages.success(request, _("%(lang)s: đã duyệt %(n)d chuỗi giao diện, đang hiển thị "
                                "trên trang công khai.") % {"lang": language.name_vi, "n": count})
    return redirect("translations:interface_review", code=code)
