"""Request hygiene before any view runs."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _


class RejectNulMiddleware:
    """A NUL byte in the query string is never meant: PostgreSQL cannot even compare a
    text column with it (the query fails, a 500) and XML cannot carry it. Forms already
    refuse it (Django's ProhibitNullCharactersValidator); this covers the views that read
    ``request.GET`` directly (search, browsing, kiosk, OAI-PMH)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any("\x00" in key or any("\x00" in value for value in values)
               for key, values in request.GET.lists()):
            return HttpResponseBadRequest(_("Yêu cầu chứa ký tự NUL không hợp lệ."),
                                          content_type="text/plain; charset=utf-8")
        return self.get_response(request)
