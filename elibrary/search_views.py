"""The public search page and its autocomplete."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cms.products.models import Topic
from cms.products.search import KINDS, search_products, suggest_titles
from cms.url_converters import database_int

PAGE_SIZE = 20
MAX_QUERY = 200
MAX_PAGE = 10_000


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    kind = request.GET.get("kind", "")
    topic = request.GET.get("topic", "")
    kind = kind if kind in KINDS else ""
    results = None
    if query:
        number = _page_number(request.GET.get("page"))
        found = search_products(query, language=request.LANGUAGE_CODE, kind=kind or None,
                                topic=topic or None,
                                window=((number - 1) * PAGE_SIZE, number * PAGE_SIZE))
        results = Paginator(found, PAGE_SIZE).get_page(number)
    return render(request, "search/results.html", {
        "query": query, "kind": kind, "topic": topic, "results": results,
        "kinds": [(key, model._meta.verbose_name) for key, model in KINDS.items()],
        "topics": Topic.objects.all(),
        "language_names": dict(settings.LANGUAGES),
    })


def _page_number(value: str | None) -> int:
    """The page asked for; the Paginator sends anything invalid or beyond the last page
    to a valid page. Bounded first: the number becomes a database offset."""
    return max(min(database_int(value) or 1, MAX_PAGE), 1)


@require_GET
def autocomplete(request: HttpRequest) -> JsonResponse:
    prefix = request.GET.get("q", "").strip()[:MAX_QUERY]
    pages = suggest_titles(prefix, language=request.LANGUAGE_CODE) if prefix else []
    return JsonResponse({"suggestions": [{"title": p.title, "url": p.url} for p in pages]})
