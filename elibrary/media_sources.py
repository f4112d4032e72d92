"""Which file a player offers to which screen.

Renditions come from the media pipeline (``media_pipeline.profiles``); only READY ones are
used, and the original stays the last source, so a product plays before its renditions exist.
The choice is native HTML5: the browser takes the first ``<source>`` it can play whose
``media`` query matches, so phones get the small files and the kiosk TV the large ones
without any script.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from media_pipeline.models import (
    READY_RENDITIONS,
    MediaItem,
    Rendition,
    prefetch_ready_renditions,
)
from media_pipeline.profiles import PROFILES

KIOSK_MIN_WIDTH = "(min-width: 1200px)"


@dataclass(frozen=True)
class Source:
    url: str
    mime_type: str
    size: int
    label: str
    media: str = ""  # CSS media query for <source media>, empty = any screen
    quality: str = "normal"  # "light" | "normal" | "high", for the connection check


def _ready(item: MediaItem) -> dict[str, Rendition]:
    """The item's READY renditions by profile, prefetched once per item (one query) the
    way Wagtail prefetches image renditions; a caller may have prefetched them already."""
    if not hasattr(item, READY_RENDITIONS):
        prefetch_ready_renditions([item])
    return {rendition.profile: rendition for rendition in getattr(item, READY_RENDITIONS)}


def _from(rendition: Rendition, label, media: str = "", quality: str = "normal") -> Source:
    return Source(rendition.file.url,
                  rendition.mime_type or PROFILES[rendition.profile].mime_type,
                  rendition.size, str(label), media, quality)


def original(item: MediaItem) -> Source:
    ext = posixpath.splitext(item.file.name)[1].lstrip(".").lower()
    kind = "audio" if item.kind == MediaItem.Kind.AUDIO else "video"
    mime = {"mp3": "audio/mpeg", "m4a": "audio/mp4", "ogg": "audio/ogg", "opus": "audio/ogg",
            "wav": "audio/wav", "mp4": "video/mp4", "webm": "video/webm"}.get(ext, "")
    return Source(item.file.url, mime or f"{kind}/{ext}", item.size, str(_("Bản gốc")),
                  quality="high")


def audio_sources(item: MediaItem, *, kiosk: bool = False) -> list[Source]:
    """Phones: Opus 24 kb/s first (a 15-minute bulletin is under 3 MB), then MP3.
    Kiosk: the loudness-normalised MP3 for the support point's amplifier first."""
    ready = _ready(item)
    light = ready.get("phone-audio")
    loud = ready.get("radio-loudspeaker")
    order = [(loud, _("MP3 cho loa")), (light, _("Bản nhẹ cho điện thoại"))] if kiosk else \
        [(light, _("Bản nhẹ cho điện thoại")), (loud, _("MP3 cho loa"))]
    sources = [_from(r, label, quality="light" if r is light else "normal")
               for r, label in order if r]
    return [*sources, original(item)]


def video_sources(item: MediaItem, *, kiosk: bool = False) -> list[Source]:
    """Large screens get 1080p, everyone else 360p (or 240p on the smallest screens)."""
    ready = _ready(item)
    big, mid, small = ready.get("kiosk-1080"), ready.get("phone-360"), ready.get("phone-240")
    sources = []
    if big:
        sources.append(_from(big, _("Bản cho TV"), "" if kiosk else KIOSK_MIN_WIDTH, "high"))
    if mid:
        sources.append(_from(mid, _("Bản 360p"), "(min-width: 400px)" if small else ""))
    if small:
        sources.append(_from(small, _("Bản nhẹ 240p"), quality="light"))
    return [*sources, original(item)]


def poster_url(item: MediaItem) -> str:
    rendition = _ready(item).get("poster")
    return rendition.file.url if rendition else ""


def downloads(item: MediaItem, sources: list[Source] | None = None) -> list[Source]:
    """What the download links offer: the lightest version and the original (from the
    player's ``sources`` when given)."""
    if sources is None:
        sources = audio_sources(item) if item.kind == MediaItem.Kind.AUDIO else video_sources(item)
    light = [s for s in sources if s.quality == "light"]
    return [*light[:1], sources[-1]]
