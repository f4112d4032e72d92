"""Admin views: dashboard, asking for translations, the request's review screen (with the
glossary check), PO export and import."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Locale, Page

from . import dashboard, glossary, interface, languages, po_exchange, request_states
from .access import may_view_draft
from .exceptions import TranslationError
from .forms import AssignForm, ImportForm, NewRequestForm
from .models import TranslationRequest
from .pages import translatable_page_model
from .roles import translators_for, user_languages


def _require(request, perm: str) -> None:
    if not request.user.has_perm(f"translations.{perm}"):
        raise PermissionDenied


def _require_request_access(request, req: TranslationRequest) -> None:
    """The product must be one the user may view (its draft included); a translator
    sees only requests for its own languages."""
    user = request.user
    if not may_view_draft(user, req.product):
        raise PermissionDenied
    if not (user.has_perm("translations.add_translationrequest")
            or req.language in user_languages(user) or user.is_superuser):
        raise PermissionDenied


def dashboard_view(request):
    _require(request, "view_translationrequest")
    products = [product for product in translatable_page_model().objects.filter(
        locale__language_code=languages.DEFAULT).specific().order_by(
        "-latest_revision_created_at") if may_view_draft(request.user, product)]
    rows, summaries = dashboard.build(products)
    by_code = {c.language.code: c for c in interface.coverage(
        [s.language.code for s in summaries])}
    for summary in summaries:
        summary.interface = by_code.get(summary.language.code)
    return TemplateResponse(request, "translations/admin/dashboard.html", {
        "rows": rows, "summaries": summaries, "targets": dashboard.target_languages(),
    })


def new_request_view(request, page_id: int):
    _require(request, "add_translationrequest")
    product = get_object_or_404(translatable_page_model(), pk=page_id,
                                locale__language_code=languages.DEFAULT)
    if not may_view_draft(request.user, product):
        raise PermissionDenied  # another organisation's draft: not even its title
    form = NewRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        made = _create_requests(product, form.cleaned_data, request.user)
        messages.success(request, _("Đã tạo %(n)d yêu cầu dịch cho “%(title)s”.")
                         % {"n": made, "title": product.title})
        return redirect("translations:dashboard")
    return TemplateResponse(request, "translations/admin/new_request.html",
                            {"product": product, "form": form})


@transaction.atomic
def _create_requests(product: Page, data: dict, user) -> int:
    made = 0
    for code in data["languages"]:
        translators = list(translators_for(code)[:2])
        _req, created = TranslationRequest.objects.get_or_create(
            product=product, language=code,
            defaults={"due_date": data["due_date"], "note": data["note"], "requested_by": user,
                      "assignee": translators[0] if len(translators) == 1 else None},
        )
        made += created
    return made


def request_detail_view(request, pk: int):
    req = get_object_or_404(TranslationRequest.objects.select_related("product", "assignee"),
                            pk=pk)
    if not (request.user.has_perm("translations.view_translationrequest")
            or req.assignee_id == request.user.pk):
        raise PermissionDenied
    _require_request_access(request, req)
    locale = Locale.objects.filter(language_code=req.language).first()
    translation = locale and req.product.get_translation_or_none(locale)
    missing_terms = glossary.check(translation.specific) if translation else []
    return TemplateResponse(request, "translations/admin/request_detail.html", {
        "req": req, "translation": translation, "missing_terms": missing_terms,
        "assign_form": AssignForm(language=req.language),
        "import_form": ImportForm(),
        "is_assignee": req.assignee_id == request.user.pk or request.user.is_superuser,
        "can_assign": request.user.has_perm("translations.change_translationrequest"),
    })


ACTIONS = {"start": request_states.start, "submit": request_states.submit_for_review}


@require_POST
def request_action_view(request, pk: int, action: str):
    req = get_object_or_404(TranslationRequest, pk=pk)
    _require_request_access(request, req)
    try:
        if action == "assign":
            _require(request, "change_translationrequest")
            form = AssignForm(request.POST, language=req.language)
            if not form.is_valid():
                raise TranslationError(_("Hãy chọn người dịch thuộc nhóm biên dịch ngôn ngữ này."))
            request_states.assign(req, form.cleaned_data["assignee"])
        elif action in ACTIONS:
            ACTIONS[action](req, request.user)
        else:
            raise PermissionDenied
    except TranslationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Đã cập nhật yêu cầu dịch."))
    return redirect("translations:request", pk=pk)


def export_view(request, pk: int):
    req = get_object_or_404(TranslationRequest.objects.select_related("product"), pk=pk)
    if not (request.user.has_perm("translations.view_translationrequest")
            or req.language in user_languages(request.user)):
        raise PermissionDenied
    _require_request_access(request, req)
    body = po_exchange.export_po(req.product, req.language)
    response = HttpResponse(body, content_type="text/x-gettext-translation; charset=utf-8")
    name = po_exchange.export_filename(req.product, req.language)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
def import_view(request, pk: int):
    req = get_object_or_404(TranslationRequest.objects.select_related("product"), pk=pk)
    _require_request_access(request, req)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Hãy chọn tệp PO để nhập."))
        return redirect("translations:request", pk=pk)
    try:
        result = po_exchange.import_po(req.product, req.language,
                                       form.cleaned_data["po_file"].read(), request.user)
    except TranslationError as error:
        messages.error(request, str(error))
    else:
        if result.changed:
            messages.success(request, _("Đã nhập bản dịch: %(n)d mục thay đổi, lưu thành bản nháp.")
                             % {"n": len(result.changed)})
        else:
            messages.info(request, _("Tệp không có gì khác bản dịch hiện tại."))
    return redirect("translations:request", pk=pk)
