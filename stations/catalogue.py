"""Which bulletins a station (or the public) receives, and in which file.

Only live, public bulletin pages count: a page's live row holds the approved content
(editors cannot publish; publishing goes through the review workflow).

When the rendition a feed needs is not ready yet, the bulletin stays out of that feed until
the media pipeline finishes it. The original upload is never offered instead: nothing proves
that it meets the profile's format and loudness, and a station's playout expects exactly
that. The low-bit-rate alternate is listed only when it is ready too.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, Prefetch, QuerySet
from django.utils.html import strip_tags
from django.utils.text import normalize_newlines

from cms.products.models import BulletinPage
from media_pipeline.models import Rendition
from media_pipeline.profiles import PROFILES

ALTERNATE_PROFILE = "phone-audio"
FEED_LIMIT = 100


def public_profile() -> str:
    return getattr(settings, "LOA_STATIONS_PUBLIC_PROFILE", "radio-loudspeaker")


@dataclass(frozen=True)
class Episode:
    page: BulletinPage
    language: str
    main: Rendition
    alternate: Rendition | None

    @property
    def guid(self) -> str:
        return episode_guid(self.page)


def episode_guid(page: BulletinPage) -> str:
    """Stable per language version: the product identifier (shared by every language
    version, derived from translation_key) plus the language."""
    return f"{page.identifier}/{page.locale.language_code}"


def split_guid(guid: str) -> tuple[str, str] | None:
    identifier, sep, language = guid.strip().rpartition("/")
    return (identifier, language) if sep and identifier and language else None


def live_bulletins(language_codes) -> QuerySet[BulletinPage]:
    return (
        BulletinPage.objects.live().public()
        .filter(locale__language_code__in=list(language_codes), audio__isnull=False)
        .select_related("audio", "locale")
    )


def bulletin_by_guid(guid: str, language_codes) -> BulletinPage | None:
    parts = split_guid(guid)
    if parts is None or parts[1] not in language_codes:
        return None
    return live_bulletins([parts[1]]).filter(identifier=parts[0]).first()


def episodes(language: str, profile: str, *, limit: int = FEED_LIMIT) -> list[Episode]:
    """Newest first by air date, then publication."""
    ready = Rendition.objects.filter(state=Rendition.State.READY,
                                     profile__in=[profile, ALTERNATE_PROFILE])
    pages = (
        live_bulletins([language])
        .prefetch_related(Prefetch("audio__renditions", queryset=ready, to_attr="ready"))
        .order_by(F("air_date").desc(nulls_last=True), "-first_published_at")
    )
    found = []
    for page in pages:
        by_profile = {r.profile: r for r in page.audio.ready}
        if profile in by_profile:
            found.append(Episode(page, language, by_profile[profile],
                                 by_profile.get(ALTERNATE_PROFILE)))
        if len(found) >= limit:
            break
    return found


def file_extension(rendition: Rendition) -> str:
    profile = PROFILES.get(rendition.profile)
    return profile.container if profile else rendition.file.name.rpartition(".")[2]


def download_name(page: BulletinPage, rendition: Rendition) -> str:
    safe = re.sub(r"[^A-Za-z0-9-]+", "-", page.identifier).strip("-").lower()
    return f"{safe}-{page.locale.language_code}-{rendition.profile}.{file_extension(rendition)}"


def transcript_text(page: BulletinPage) -> str:
    """The bulletin's words as plain text, for podcast:transcript and for reading aloud."""
    parts = [page.title]
    if page.air_date:
        parts.append(page.air_date.strftime("%d/%m/%Y"))
    if page.summary:
        parts.append(page.summary)
    for block in page.body:
        if block.block_type == "heading":
            parts.append(str(block.value))
        elif block.block_type == "paragraph":
            parts.append(html.unescape(strip_tags(block.value.source)))
        elif block.block_type == "quote":
            parts.append(block.value["text"])
    text = "\n\n".join(p.strip() for p in parts if p and p.strip())
    return normalize_newlines(text) + "\n"
