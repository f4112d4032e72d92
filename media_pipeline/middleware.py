"""Show a refused publication to the admin user instead of an error page.

Any admin view that publishes (edit and create views, approval from the edit view or from
the dashboard's workflow modal, bulk publish) may run into ``MediaNotReady``. Wagtail runs
workflow actions and bulk actions in a transaction, so the approval or the batch is rolled
back whole; the draft revision was saved before the publish step, so nothing is lost.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from . import publication
from .exceptions import MediaNotReady


def _back_url(request: HttpRequest, error: MediaNotReady) -> str:
    """Where the admin user came from: the dashboard passes ``next``; the edit and create
    views have no ``next`` and go back to the page's edit view (the draft is saved)."""
    nexts = (request.POST.get("next"), request.GET.get("next"))
    for url in nexts:
        if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
            return url
    if error.page is not None and error.page.pk:
        return reverse("wagtailadmin_pages:edit", args=[error.page.pk])
    return reverse("wagtailadmin_home")


class MediaNotReadyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not isinstance(exception, MediaNotReady):
            return None
        admin_root = reverse("wagtailadmin_home")
        if not request.path.startswith(admin_root):
            return None  # not an admin screen: let it be an error
        if request.path.startswith(admin_root + "api/"):  # the admin API speaks JSON
            return JsonResponse({"message": str(exception.message)}, status=409)
        messages.error(request, exception.message)
        hint = publication.failed_hint(exception.items)
        if hint:
            messages.warning(request, hint)
        url = _back_url(request, exception)
        if request.headers.get("x-requested-with") == "XMLHttpRequest":
            # Wagtail's modal workflow (the dashboard's approve button): close the modal and
            # go to ``url``, where the message is shown.
            from wagtail.admin.modal_workflow import render_modal_workflow

            return render_modal_workflow(request, "", None, {},
                                         json_data={"step": "success", "redirect": url})
        return redirect(url)
