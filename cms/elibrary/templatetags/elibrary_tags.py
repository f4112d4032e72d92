from __future__ import annotations

from django import template

from cms.elibrary import media_sources

register = template.Library()


@register.inclusion_tag("elibrary/player.html")
def media_player(item, kiosk: bool = False, player_id: str = "") -> dict:
    """An HTML5 <audio>/<video> with the renditions as <source>s and download links."""
    if item is None:
        return {"item": None}
    is_audio = item.kind == "audio"
    sources = (media_sources.audio_sources(item, kiosk=kiosk) if is_audio
               else media_sources.video_sources(item, kiosk=kiosk))
    return {
        "item": item,
        "is_audio": is_audio,
        "sources": sources,
        "poster": "" if is_audio else media_sources.poster_url(item),
        "downloads": [] if kiosk else media_sources.downloads(item),
        "kiosk": kiosk,
        "player_id": player_id,
    }


@register.simple_tag
def kiosk_audio_url(item) -> str:
    """The single file the kiosk playlist plays for ``item``."""
    return media_sources.audio_sources(item, kiosk=True)[0].url if item else ""
