"""Template tags for the language switcher, hreflang alternates, the fallback notice and
the served fonts."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils.translation import gettext_noop
from wagtail.models import Page

from translations import languages, page_fonts, versions

register = template.Library()


def _page(context) -> Page | None:
    page = context.get("page")
    return page if isinstance(page, Page) and page.pk else None


@register.simple_tag(takes_context=True)
def language_versions(context) -> list[versions.Version]:
    """Every enabled language with the URL of this page's version (or of the request for it)."""
    request = context.get("request")
    page = _page(context)
    if page is not None:
        return versions.language_versions(page, request)
    return versions.home_versions(request) if request is not None else []


@register.simple_tag(takes_context=True)
def hreflang_links(context) -> list[tuple[str, str]]:
    """(hreflang, absolute URL) for every live version, plus x-default (Vietnamese)."""
    request = context.get("request")
    page = _page(context)
    if page is None or request is None:
        return []
    links = [(v.language.hreflang, request.build_absolute_uri(v.url))
             for v in versions.language_versions(page, request) if v.exists]
    default = next((url for code, url in links if code == languages.DEFAULT), None)
    if default:
        links.append(("x-default", default))
    return links


@register.simple_tag(takes_context=True)
def missing_language(context) -> languages.Language | None:
    """The language the visitor asked for and that this page has no version in."""
    request = context.get("request")
    page = _page(context)
    if request is None or page is None:
        return None
    lang = languages.get(request.GET.get(versions.FALLBACK_PARAM, ""))
    if lang is None or lang.code == settings.LANGUAGE_CODE:
        return None
    if lang.code not in {active.code for active in languages.active()}:
        return None
    if any(v.exists and v.language.code == lang.code
           for v in versions.language_versions(page, request)):
        return None
    return lang


@register.simple_tag
def web_fonts_stylesheet() -> str:
    """URL of the subset fonts' stylesheet, or "" when it is switched off or not built."""
    return page_fonts.shared_stylesheet_url()


class PageFontsNode(template.Node):
    def __init__(self, nodelist: template.NodeList) -> None:
        self.nodelist = nodelist

    def render(self, context) -> str:
        html = self.nodelist.render(context)
        # Pages only: their text is bounded (a search page's would make a font per query);
        # offline (ZIM) pages read the shared slices from the file itself.
        if (not getattr(settings, "LOA_WEB_FONTS", True) or context.get("offline")
                or _page(context) is None):
            return html
        return page_fonts.link_into(html)


@register.tag
def page_fonts_head(parser, token) -> PageFontsNode:
    """``{% page_fonts_head %}<html>…</html>{% end_page_fonts_head %}``: links the fonts cut
    for the characters the enclosed page actually shows (translations.page_fonts)."""
    nodelist = parser.parse(("end_page_fonts_head",))
    parser.delete_first_token()
    return PageFontsNode(nodelist)


NOTICE = gettext_noop("Sản phẩm này chưa có bản %(lang)s. Bạn đang xem bản tiếng Việt.")


@register.simple_tag
def fallback_notice(lang: languages.Language) -> dict[str, str]:
    """The notice in Vietnamese, and in the asked-for language when its catalogue has it."""
    from django.utils.translation import gettext, override

    with override(settings.LANGUAGE_CODE):
        vi_text = gettext(NOTICE) % {"lang": lang.name_vi}
    with override(lang.code):
        local = gettext(NOTICE)
    return {"vi": vi_text,
            "local": local % {"lang": lang.name_local} if local != NOTICE else ""}
