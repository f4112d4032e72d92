"""Product pages, the most visited public pages, served without loading the home page.

Wagtail's ``serve`` view finds the site, loads its root page, that page's translation in
the visitor's language and its specific row, then routes from there. For a URL shaped like
a product's (three slugs below the home page), ``serve_product`` takes the home page's
path from Wagtail's cached site root paths instead, finds the product by its ``url_path``
(``routing.product_by_url_path``), and hands the route to Wagtail's own ``serve``, which
keeps a route already on the request and runs the usual hooks (view restrictions
included). Any other outcome is left to Wagtail's routing as it is.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from wagtail import views as wagtail_views
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Site

from cms.products.models import HomePage
from cms.products.routing import product_by_url_path


def serve_product(request: HttpRequest, path: str) -> HttpResponse:
    """Wagtail's ``serve``, with the route worked out here when ``path`` leads to a
    product (Wagtail's ``route_for_request`` keeps a route it finds on the request)."""
    route = product_route(request, path)
    if route is not None:
        request._wagtail_route_for_request = route
    return wagtail_views.serve(request, path)


def product_route(request: HttpRequest, path: str):
    """The route to the live product at ``path`` in the visitor's language tree of the
    request's site, or None to let Wagtail route. The tree is the site root's translation
    in the active language, as Wagtail's ``localized`` picks it; without one, Wagtail
    routes. (A translated home page kept in draft still leads to its live products here,
    where Wagtail would look in the site root's tree: they are published pages.)"""
    components = [part for part in path.split("/") if part]
    if len(components) != HomePage.product_levels:
        return None
    site = Site.find_for_request(request)
    root_path = localized_root_path(site, translation.get_language()) if site else None
    product = product_by_url_path(root_path, components) if root_path else None
    if product is None:
        return None
    try:
        return product.route(request, [])
    except Http404:  # a draft: Wagtail's own routing answers (and says 404)
        return None


def localized_root_path(site: Site, language: str | None) -> str | None:
    """``url_path`` of the translation of ``site``'s root page in ``language``, from
    Wagtail's cached site root paths (no query); None when there is none."""
    try:
        code = get_supported_content_language_variant(language or "")
    except LookupError:
        return None
    return next((root.root_path for root in Site.get_site_root_paths()
                 if root.site_id == site.pk and root.language_code == code), None)
