"""RSS 2.0 podcast feeds with the iTunes and Podcasting 2.0 namespaces.

Built on Django's feed generator. Each item carries the enclosure in the feed's profile
(exact byte length and type), the same file again as the default
``podcast:alternateEnclosure`` with its SHA-256 (``podcast:integrity``, SRI form) so a
station can verify what it downloaded, the low-bit-rate alternate when it is ready, and
the bulletin text as ``podcast:transcript``.
"""

from __future__ import annotations

import base64
import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.feedgenerator import Enclosure, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from media_pipeline.models import Rendition
from translations import languages
from translations.plain_text import xml_text

from .catalogue import Episode

ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST_NS = "https://podcastindex.org/namespace/1.0"
# The namespace the Podcasting 2.0 spec fixes for deriving podcast:guid (UUIDv5).
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")

UrlFor = Callable[[Episode, Rendition], str]
# Apple asks for square artwork of 1400-3000 px, JPEG or PNG; Wagtail crops and converts
# whatever cover the editor uploaded.
ARTWORK_SPEC = "fill-1400x1400|format-jpeg"


def artwork_path(image) -> str | None:
    """Site-relative URL of ``image`` as podcast artwork (a Wagtail rendition, served by
    the public media path, so it is public exactly while the image is)."""
    if image is None:
        return None
    return image.get_rendition(ARTWORK_SPEC).url


def episode_artwork(episode: Episode) -> str | None:
    return artwork_path(episode.page.display_cover)


def podcast_guid(stable_url: str) -> str:
    """UUIDv5 of the feed URL without scheme and trailing slashes, as the spec says."""
    bare = stable_url.split("://", 1)[-1].rstrip("/")
    return str(uuid.uuid5(PODCAST_GUID_NAMESPACE, bare))


def sri_sha256(hex_digest: str) -> str:
    return "sha256-" + base64.b64encode(bytes.fromhex(hex_digest)).decode()


class PodcastFeed(Rss201rev2Feed):
    content_type = "application/rss+xml; charset=utf-8"

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:itunes": ITUNES_NS, "xmlns:podcast": PODCAST_NS}

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        feed = self.feed
        handler.addQuickElement("itunes:author", feed["author_name"])
        handler.addQuickElement("itunes:summary", feed["description"])
        handler.addQuickElement("itunes:type", "episodic")
        handler.addQuickElement("itunes:explicit", "false")
        if feed["artwork_url"]:
            handler.addQuickElement("itunes:image", None, {"href": feed["artwork_url"]})
        handler.addQuickElement("itunes:category", None, {"text": "Government"})
        handler.startElement("itunes:owner", {})
        handler.addQuickElement("itunes:name", feed["author_name"])
        handler.addQuickElement("itunes:email", feed["author_email"])
        handler.endElement("itunes:owner")
        handler.addQuickElement("podcast:guid", feed["podcast_guid"])
        handler.addQuickElement("podcast:locked", "yes" if feed["locked"] else "no",
                                {"owner": feed["author_email"]})
        handler.addQuickElement("podcast:medium", "podcast")

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("itunes:duration", str(item["duration"]))
        handler.addQuickElement("itunes:episodeType", "full")
        handler.addQuickElement("itunes:explicit", "false")
        if item["artwork_url"]:
            handler.addQuickElement("itunes:image", None, {"href": item["artwork_url"]})
        handler.addQuickElement("podcast:transcript", None, {
            "url": item["transcript_url"], "type": "text/plain", "language": item["language"],
        })
        for alternate in item["alternates"]:
            attrs = {"type": alternate["type"], "length": str(alternate["length"]),
                     "title": alternate["title"]}
            if alternate["bitrate"]:
                attrs["bitrate"] = str(alternate["bitrate"])
            if alternate["default"]:
                attrs["default"] = "true"
            handler.startElement("podcast:alternateEnclosure", attrs)
            handler.addQuickElement("podcast:source", None, {"uri": alternate["url"]})
            if alternate["sha256"]:
                handler.addQuickElement("podcast:integrity", None, {
                    "type": "sri", "value": sri_sha256(alternate["sha256"])})
            handler.endElement("podcast:alternateEnclosure")


@dataclass(frozen=True)
class FeedSpec:
    title: str
    description: str
    language: str
    link: str  # the public site
    self_url: str  # as requested (may carry the key)
    stable_url: str  # without credentials: the basis of podcast:guid
    enclosure_url: UrlFor
    transcript_url: Callable[[Episode], str]
    absolute: Callable[[str], str]  # site-relative path -> absolute URL
    artwork_path: str | None = None  # the department's chosen picture, when it has one
    fallback_artwork_path: str | None = None  # drawn, for when no bulletin has a cover
    locked: bool = True


def _alternate(url: str, rendition: Rendition, *, title: str, default: bool) -> dict:
    return {"url": url, "type": rendition.mime_type, "length": rendition.size,
            "bitrate": rendition.bit_rate, "sha256": rendition.sha256, "title": title,
            "default": default}


def _pubdate(episode: Episode) -> datetime.datetime:
    page = episode.page
    if page.air_date:
        return timezone.make_aware(datetime.datetime.combine(page.air_date, datetime.time()))
    return page.first_published_at or page.last_published_at or timezone.now()


def _description(episode: Episode) -> str:
    """Plain text, escaped: podcast apps render an item's description as HTML, and a
    summary is text (``<b>`` in it is meant to be read, not obeyed)."""
    page = episode.page
    lines = [page.summary] if page.summary else []
    if page.air_date:
        lines.append(_("Ngày phát sóng: %(date)s") % {"date": page.air_date.strftime("%d/%m/%Y")})
    return escape("\n".join(lines) or page.title)


def build_feed(spec: FeedSpec, episodes: list[Episode]) -> PodcastFeed:
    email = getattr(settings, "LOA_STATIONS_FEED_EMAIL", settings.DEFAULT_FROM_EMAIL)
    artworks = {episode.page.pk: episode_artwork(episode) for episode in episodes}
    # Without a chosen picture a feed shows the newest bulletin's cover, and without any
    # cover the drawn one (Apple lists no podcast without a channel image).
    channel_art = (spec.artwork_path or next((a for a in artworks.values() if a), None)
                   or spec.fallback_artwork_path)
    feed = PodcastFeed(
        title=xml_text(spec.title), link=spec.link, description=xml_text(spec.description),
        language=spec.language, feed_url=spec.self_url, author_name=settings.WAGTAIL_SITE_NAME,
        author_email=email, podcast_guid=podcast_guid(spec.stable_url), locked=spec.locked,
        ttl="60", artwork_url=channel_art and spec.absolute(channel_art),
    )
    for episode in episodes:
        page, main = episode.page, episode.main
        main_url = spec.enclosure_url(episode, main)
        alternates = [_alternate(main_url, main, title=_("Bản phát sóng"), default=True)]
        if episode.alternate is not None:
            alternates.append(_alternate(spec.enclosure_url(episode, episode.alternate),
                                         episode.alternate, title=_("Bản nhẹ cho điện thoại"),
                                         default=False))
        feed.add_item(
            # Django's feed writer refuses control characters; old rows may hold them.
            title=xml_text(page.title), link=page.full_url or spec.link,
            description=xml_text(_description(episode)),
            pubdate=_pubdate(episode), updateddate=page.last_published_at,
            unique_id=episode.guid, unique_id_is_permalink=False,
            enclosures=[Enclosure(main_url, str(main.size), main.mime_type)],
            duration=round(main.duration or page.audio.duration or 0),
            transcript_url=spec.transcript_url(episode), language=episode.language,
            alternates=alternates,
            artwork_url=artworks[page.pk] and spec.absolute(artworks[page.pk]),
        )
    return feed


def language_title(code: str) -> str:
    lang = languages.BY_CODE.get(code)
    return lang.name_vi if lang else code
