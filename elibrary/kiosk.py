"""The support-point kiosk: what it shows and what its playlist plays."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from cms.products.models import BulletinPage, ProductPage
from cms.products.search import live_products
from cms.url_converters import database_int

PLAYLIST_FALLBACK_SIZE = 10
# A day with more bulletins than this plays the first ones: the page stays light
# (found with 20,000 bulletins airing on one day in bench/search_elibrary.py).
PLAYLIST_MAX = 50


def _in_language(queryset: QuerySet, language: str) -> QuerySet:
    return queryset.filter(locale__language_code=language)


def playlist(language: str, chosen_ids: list[int] | None = None) -> list[BulletinPage]:
    """The bulletins the kiosk plays in a loop: the ones chosen in the URL (in that order),
    else today's bulletins in the commune's language, else the latest ones."""
    bulletins = _in_language(BulletinPage.objects.live().public(), language).filter(
        audio__isnull=False).select_related("audio")
    if chosen_ids:
        by_id = {b.pk: b for b in bulletins.filter(pk__in=chosen_ids)}
        return [by_id[pk] for pk in chosen_ids if pk in by_id]
    today = list(bulletins.filter(air_date=timezone.localdate()).order_by("title")[:PLAYLIST_MAX])
    if today:
        return today
    return list(bulletins.order_by("-air_date", "-first_published_at")[:PLAYLIST_FALLBACK_SIZE])


def tiles(language: str, limit: int = 12) -> QuerySet:
    return (_in_language(live_products(), language).select_related("cover")
            .prefetch_related("cover__renditions").order_by("-first_published_at")
            .specific()[:limit])


def kiosk_product(language: str, page_id: int) -> ProductPage | None:
    page = _in_language(live_products(), language).filter(pk=page_id).first()
    return page.specific if page else None


def parse_ids(raw: str) -> list[int]:
    ids = (database_int(part.strip()) for part in raw.split(","))
    return [page_id for page_id in ids if page_id is not None][:PLAYLIST_MAX]
