"""Product pages as production serves them: rendered once, then answered from a cache.

Wagtail routes the request and checks its view restrictions as always; only then does
``serve_from_cache`` (an ``on_serve_page`` hook, innermost) look for the rendered page.
The key holds Wagtail's ``Page.cache_key`` (id, address, last publication), so publishing
a new version is visible at once. What a product page shows from elsewhere (topics, other
language versions, recordings' renditions, the producer) changes the cache's generation:
every cached page is then stale, without emptying a cache that may be shared (Redis).

Only anonymous GET/HEAD requests are served from it: editors always see the live render.
"""

from __future__ import annotations

import hashlib
import uuid

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils import translation

PAGE_CACHE = "pages"  # the alias in settings.CACHES
GENERATION_KEY = "loa:pages:generation"


def page_cache():
    return caches[PAGE_CACHE]


def generation() -> str:
    """The current generation; a fresh one when the cache has none (new or emptied)."""
    cache = page_cache()
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        value = cache.get(GENERATION_KEY, "")
    return value


def new_generation(**kwargs) -> None:
    """Make every cached page stale (a signal receiver: takes whatever the signal sends)."""
    page_cache().set(GENERATION_KEY, uuid.uuid4().hex, None)


def cacheable(page, request: HttpRequest) -> bool:
    return (settings.LOA_PAGE_CACHE_SECONDS > 0
            and getattr(page, "routed_as_product", False)
            and request.method in ("GET", "HEAD")
            and not request.user.is_authenticated)


def cache_key(page, request: HttpRequest) -> str:
    parts = (generation(), page.cache_key, translation.get_language() or "",
             request.get_host(), request.get_full_path())
    return "loa:page:" + hashlib.sha256("|".join(parts).encode()).hexdigest()


def serve_from_cache(next_serve_page):
    """Wagtail ``on_serve_page`` hook: the cached render of a product page, or render and
    keep it."""

    def serve(page, request, args, kwargs):
        if not cacheable(page, request):
            return next_serve_page(page, request, args, kwargs)
        key = cache_key(page, request)
        cached = page_cache().get(key)
        if cached is not None:
            content, content_type = cached
            return HttpResponse(content, content_type=content_type)
        response = next_serve_page(page, request, args, kwargs)
        if response.status_code == 200 and not response.streaming:
            if hasattr(response, "render"):  # a TemplateResponse, rendered once here
                response.render()
            page_cache().set(key, (response.content, response["Content-Type"]),
                             settings.LOA_PAGE_CACHE_SECONDS)
        return response

    return serve


def connect_invalidation() -> None:
    """What a product page shows beyond its own row: any change starts a new generation."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.signals import page_published, page_unpublished

    from cms.organisations.models import Area, Organisation
    from cms.products.models import Topic
    from media_pipeline.models import MediaItem, Rendition

    page_published.connect(new_generation, dispatch_uid="loa-pages-published")
    page_unpublished.connect(new_generation, dispatch_uid="loa-pages-unpublished")
    for model in (Topic, Area, Organisation, MediaItem, Rendition, get_image_model(),
                  get_document_model()):
        for signal in (post_save, post_delete):
            signal.connect(new_generation, sender=model,
                           dispatch_uid=f"loa-pages-{signal is post_save}-{model.__name__}")

