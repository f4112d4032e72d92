"""The public search page and its autocomplete."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cms.products.models import Topic

from .products import KINDS, search_products, suggest_titles

PAGE_SIZE = 20
MAX_QUERY = 200


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    kind = request.GET.get("kind", "")
    topic = request.GET.get("topic", "")
    kind = kind if kind in KINDS else ""
    results = None
    if query:
        found = search_products(query, language=request.LANGUAGE_CODE, kind=kind or None,
                                topic=topic or None)
        results = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "search/results.html", {
        "query": query, "kind": kind, "topic": topic, "results": results,
        "kinds": [(key, model._meta.verbose_name) for key, model in KINDS.items()],
        "topics": Topic.objects.all(),
        "language_names": dict(settings.LANGUAGES),
    })


@require_GET
def autocomplete(request: HttpRequest) -> JsonResponse:
    prefix = request.GET.get("q", "").strip()[:MAX_QUERY]
    pages = suggest_titles(prefix, language=request.LANGUAGE_CODE) if prefix else []
    return JsonResponse({"suggestions": [{"title": p.title, "url": p.url} for p in pages]})
