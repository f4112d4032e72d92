"""Language versions of a page: which exist, where they live, and where a visitor who
asks for a missing one ends up (the Vietnamese version with a notice)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.translation import override
from wagtail.models import Locale, Page, Site

from . import languages

# Query parameter that carries the language a visitor asked for but did not get.
FALLBACK_PARAM = "ngon-ngu-yeu-cau"
# Set on a page by ``note_other_live_versions``: True when no other language version of it
# is live, so its versions need no query.
NO_OTHER_LIVE_VERSION = "no_other_live_version"
# Fields whose media is the language's own: a translation starts without them
# (a Tày bulletin is its own recording, not the Vietnamese one).
OWN_MEDIA_FIELDS = ("audio",)


@dataclass(frozen=True)
class Version:
    language: languages.Language
    url: str  # the version's URL, or the URL asking for it when it does not exist yet
    exists: bool  # a live version in this language
    current: bool


def default_locale() -> Locale:
    return Locale.objects.get(language_code=settings.LANGUAGE_CODE)


def site_relative_path(page: Page) -> str | None:
    """``page``'s path below its site root, e.g. ``thu-vien/don-vi-1/ban-tin-01/``.

    Read from Wagtail's cached site root paths (every language's root page), so it costs
    no query: a page's switcher asks for it once per missing language."""
    roots = [root.root_path for root in Site.get_site_root_paths()
             if page.url_path.startswith(root.root_path)]
    if not roots:
        return None
    return page.url_path[len(max(roots, key=len)):]


def asked_for_url(page: Page, code: str, path: str | None = None) -> str | None:
    """The URL of ``page``'s path in language ``code`` (served or fallen back from)."""
    path = site_relative_path(page) if path is None else path
    if path is None:
        return None
    with override(code):
        return reverse("wagtail_serve", args=[path])


def live_translations(page: Page) -> dict[str, Page]:
    """Live versions of ``page`` by language code (including ``page`` itself when live)."""
    if page.live and getattr(page, NO_OTHER_LIVE_VERSION, False):
        # Loaded knowing it is its only live version (most products have one language):
        # nothing to look up. A page served is taken as public: Wagtail checked its view
        # restrictions before serving it.
        return {page.locale.language_code: page}
    pages = (Page.objects.filter(translation_key=page.translation_key).live().public()
             .select_related("locale"))
    return {p.locale.language_code: p for p in pages}


def note_other_live_versions(page: Page) -> None:
    """Remember on ``page`` (``NO_OTHER_LIVE_VERSION``) whether no other language version
    of it is live. One small query (cheaper than annotating the page's own row with the
    subquery); when the page stands alone, as most products do, its versions then need no
    lookup of their own."""
    setattr(page, NO_OTHER_LIVE_VERSION, not other_version_live(page))


def other_version_live(page: Page) -> bool:
    """Whether another language version of ``page`` is live (one small query)."""
    return (Page.objects.filter(translation_key=page.translation_key, live=True)
            .exclude(pk=page.pk).exists())


def language_versions(page: Page, request=None) -> list[Version]:
    """One entry per enabled language, in the registry's order, Vietnamese first.

    A page shows them three times (hreflang, switcher, product languages): they are worked
    out once per request."""
    memo = getattr(request, "loa_language_versions", None) if request is not None else None
    if memo is not None and page.pk in memo:
        return memo[page.pk]
    live = live_translations(page)
    path = site_relative_path(page)
    current = next((code for code, version in live.items() if version.pk == page.pk),
                   None) or page.locale.language_code
    versions = []
    for lang in languages.active():
        version = live.get(lang.code)
        if version is not None:
            url = version.get_url(request)
        else:
            url = (asked_for_url(page, lang.code, path) if path is not None else None) or "#"
        versions.append(Version(lang, url, version is not None, current == lang.code))
    if request is not None:
        request.loa_language_versions = {**(memo or {}), page.pk: versions}
    return versions


def home_versions(request) -> list[Version]:
    """Links to each language's home page, for pages that are not Wagtail pages."""
    site = Site.find_for_request(request)
    if site is None:
        return []
    return language_versions(site.root_page, request)


def ensure_translation(source: Page, locale: Locale, user=None) -> Page:
    """The draft version of ``source`` in ``locale``, made with Wagtail's
    copy_for_translation when it does not exist yet (parents are copied as needed)."""
    existing = source.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific
    specific = source.specific
    exclude = [name for name in OWN_MEDIA_FIELDS if hasattr(specific, name)]
    copy = specific.copy_for_translation(locale, copy_parents=True, exclude_fields=exclude)
    copy.save_revision(user=user)
    return copy.specific
