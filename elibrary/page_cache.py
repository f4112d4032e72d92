"""Product pages as production serves them: rendered once, then answered from a cache.

A product page a visitor may see without signing in (no view restriction) is kept, once
rendered, under its address (host, path with query, active language) by ``keep_rendered``,
an ``on_serve_page`` hook that runs inside Wagtail's own view-restriction check.
``PageCacheMiddleware``, innermost of the middleware, answers the next anonymous GET for
that address from the cache, before routing: every other middleware still runs.

Every key holds the cache's generation. Publishing or unpublishing any page, deleting one,
changing a view restriction or a site, and changing anything a product page shows from
elsewhere (topics, areas, producers, recordings and their renditions, images, documents)
starts a new generation: the next view renders afresh, so a change is visible at once.
Nothing is ever emptied, so the cache may be shared (Redis); stale renders expire.
Signed-in users (editors) always get a fresh render.
"""

from __future__ import annotations

import hashlib
import uuid

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from cms.products.signals import product_page_shown

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


def anonymous_read(request: HttpRequest) -> bool:
    return (settings.LOA_PAGE_CACHE_SECONDS > 0 and request.method in ("GET", "HEAD")
            and not request.user.is_authenticated)


def address_key(request: HttpRequest) -> str:
    parts = (generation(), request.get_host(), request.get_full_path(),
             translation.get_language() or "")
    # v2: an entry is (content, content type, page id)
    return "loa:page:v2:" + hashlib.sha256("|".join(parts).encode()).hexdigest()


class PageCacheMiddleware:
    """Answers an anonymous GET from the rendered pages ``keep_rendered`` kept."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if anonymous_read(request):
            cached = page_cache().get(address_key(request))
            if cached is not None:
                content, content_type, page_id = cached
                if request.method == "GET":
                    product_page_shown.send(sender=PageCacheMiddleware, page_id=page_id)
                return HttpResponse(content, content_type=content_type)
        return self.get_response(request)


def keep_rendered(next_serve_page):
    """Wagtail ``on_serve_page`` hook: render a public product page and keep it for the
    next anonymous visitor at the same address."""

    def serve(page, request, args, kwargs):
        response = next_serve_page(page, request, args, kwargs)
        if (response.status_code == 200 and not response.streaming
                and getattr(page, "routed_as_product", False) and anonymous_read(request)
                and not page.get_view_restrictions()):
            if hasattr(response, "render"):  # a TemplateResponse, rendered once here
                response.render()
            page_cache().set(address_key(request),
                             (response.content, response["Content-Type"], page.pk),
                             settings.LOA_PAGE_CACHE_SECONDS)
        return response

    return serve


def connect_invalidation() -> None:
    """What makes a kept render stale: any change starts a new generation."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import PageViewRestriction, Site
    from wagtail.signals import page_published, page_unpublished

    from cms.organisations.models import Area, Organisation
    from cms.products.models import Topic
    from media_pipeline.models import MediaItem, Rendition

    page_published.connect(new_generation, dispatch_uid="loa-pages-published")
    page_unpublished.connect(new_generation, dispatch_uid="loa-pages-unpublished")
    post_delete.connect(_page_deleted, dispatch_uid="loa-pages-page-deleted")
    for model in (Topic, Area, Organisation, MediaItem, Rendition, get_image_model(),
                  get_document_model(), PageViewRestriction, Site):
        for signal in (post_save, post_delete):
            signal.connect(new_generation, sender=model,
                           dispatch_uid=f"loa-pages-{signal is post_save}-{model.__name__}")


def _page_deleted(sender, instance, **kwargs) -> None:
    from wagtail.models import Page

    if isinstance(instance, Page):
        new_generation()
