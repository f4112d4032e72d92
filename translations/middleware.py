"""A visitor who asks for a language version that does not exist sees the Vietnamese one.

``/tyz/thu-vien/…/ban-tin-01/`` with no Tày version is a 404 inside Wagtail; this
middleware looks the same path up in the Vietnamese tree and, when a live public page is
there, redirects to it with the asked-for language in the query string, so the page can
say clearly that the version is missing (templates/translations/product_languages.html)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.utils.translation import get_language_from_path
from wagtail.models import Page, Site

from . import languages
from .versions import FALLBACK_PARAM, default_locale


class LanguageFallbackMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        code = get_language_from_path(request.path_info)
        if not code or code == settings.LANGUAGE_CODE or not languages.get(code):
            return response
        page = default_language_page(request, request.path_info[len(code) + 2:])
        if page is None:
            return response
        return HttpResponseRedirect(f"{page.get_url(request)}?{urlencode({FALLBACK_PARAM: code})}")


def default_language_page(request, path: str) -> Page | None:
    """The live, public Vietnamese page at ``path`` below the site root, if any."""
    site = Site.find_for_request(request)
    if site is None:
        return None
    root = site.root_page.get_translation_or_none(default_locale()) or site.root_page
    components = [part for part in path.split("/") if part]
    try:
        page, _args, _kwargs = root.specific.route(request, components)
    except Http404:
        return None
    if not Page.objects.filter(pk=page.pk).live().public().exists():
        return None
    return page
