"""Serve each page's own font subsets (translations.page_fonts). Their URLs carry their
content's key, so browsers and proxies may keep them for good."""

from __future__ import annotations

import re

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from . import page_fonts
from .models import PageFont

FOREVER = "public, max-age=31536000, immutable"
_KEY = rf"[0-9a-f]{{{page_fonts.KEY_LENGTH}}}"
KEYS = re.compile(rf"^{_KEY}(?:-{_KEY}){{0,7}}$")  # one per script: a handful at most


def _not_found() -> Http404:
    return Http404(_("Không có phông chữ này."))


@require_safe
def stylesheet(request: HttpRequest, keys: str) -> HttpResponse:
    if not KEYS.match(keys):
        raise _not_found()
    wanted = keys.split("-")
    rows = {row.key: row for row in PageFont.objects.filter(key__in=wanted).defer("woff2")}
    if len(rows) != len(set(wanted)):
        raise _not_found()
    page_fonts.mark_used(wanted)
    css = page_fonts.stylesheet([rows[key] for key in dict.fromkeys(wanted)])
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = FOREVER
    return response


@require_safe
def font(request: HttpRequest, key: str) -> HttpResponse:
    row = PageFont.objects.filter(key=key).first()
    if row is None:
        raise _not_found()
    response = HttpResponse(page_fonts.woff2(row), content_type="font/woff2")
    response["Cache-Control"] = FOREVER
    return response
