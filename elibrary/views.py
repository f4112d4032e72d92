"""Public views outside the page tree: filtered browsing and the kiosk."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import kiosk
from .browse import BrowseFilters, browse_products, filter_choices

PAGE_SIZE = 24


@require_GET
def browse(request: HttpRequest) -> HttpResponse:
    filters = BrowseFilters.from_query(request.GET, request.LANGUAGE_CODE)
    page = Paginator(browse_products(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "elibrary/browse.html",
                  {"filters": filters, "products": page, **filter_choices()})


@require_GET
def kiosk_home(request: HttpRequest) -> HttpResponse:
    language = request.LANGUAGE_CODE
    return render(request, "kiosk/home.html", {
        "playlist": kiosk.playlist(language, kiosk.parse_ids(request.GET.get("chon", ""))),
        "tiles": kiosk.tiles(language),
        "chosen": request.GET.get("chon", ""),
        "idle_seconds": settings.LOA_KIOSK_IDLE_SECONDS,
    })


@require_GET
def kiosk_product(request: HttpRequest, page_id: int) -> HttpResponse:
    page = kiosk.kiosk_product(request.LANGUAGE_CODE, page_id)
    if page is None:
        raise Http404
    return render(request, "kiosk/product.html",
                  {"page": page, "idle_seconds": settings.LOA_KIOSK_IDLE_SECONDS})
