"""The cheap gate for station downloads behind nginx.

nginx asks the application, with ``auth_request``, whether a station download may leave
and keeps a yes for a short while (``LOA_STATION_GATE_SECONDS``, keyed by the key and the
URL); it then sends the file itself and writes the download to its own access log, which
``manage.py ingest_downloads`` turns into the download log. The question costs the
application two or three indexed reads and no write; an answer nginx remembers costs
nothing. Every other outcome (no key, wrong key, unknown bulletin, throttled client, the
resume of a file already complete) is sent on to the full download view, which answers with
its usual status and message and counts wrong keys.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.http import Http404
from django.urls import Resolver404, resolve

from cms.file_serving import FILE_CSP, disposition
from cms.products.media_access import accel_target
from cms.products.models import BulletinPage
from media_pipeline.models import Rendition

from . import catalogue
from .access import key_from
from .models import Station


def downloadable(station: Station, page_id: int, profile: str) -> tuple[BulletinPage,
                                                                         Rendition]:
    """The live bulletin in one of the station's languages and its ready rendition in a
    profile the station takes; Http404 for a draft, another language, a file not made."""
    if profile not in (station.audio_profile, catalogue.ALTERNATE_PROFILE):
        raise Http404
    try:
        page = catalogue.live_bulletins(station.languages).get(pk=page_id)
        rendition = Rendition.objects.get(source_id=page.audio_id, profile=profile,
                                          state=Rendition.State.READY)
    except (BulletinPage.DoesNotExist, Rendition.DoesNotExist):
        raise Http404 from None
    if not rendition.file:
        raise Http404
    return page, rendition


@dataclass(frozen=True)
class Pass:
    """What nginx needs to send the file and log the download."""

    station: Station
    page: BulletinPage
    rendition: Rendition

    def headers(self) -> dict[str, str]:
        rendition = self.rendition
        name = catalogue.download_name(self.page, rendition)
        headers = {
            "X-Loa-Target": accel_target(rendition.file.name, settings.LOA_STATION_GATE_PREFIX),
            "X-Loa-Station": str(self.station.pk),
            "X-Loa-Bulletin": str(self.page.pk),
            "X-Loa-Profile": rendition.profile,
            # the one Range nginx must not answer itself (see cms.file_serving.complete_resume)
            "X-Loa-Size": str(rendition.size),
            "X-Loa-Whole": f"bytes={rendition.size}-",
            "X-Loa-Disposition": disposition(rendition.mime_type, name),
            "X-Loa-CSP": FILE_CSP,
        }
        if rendition.sha256:
            digest = base64.b64encode(bytes.fromhex(rendition.sha256)).decode()
            headers["X-Loa-Repr-Digest"] = f"sha-256=:{digest}:"
            headers["X-Loa-Digest"] = f"SHA-256={digest}"
        return headers


def passes(original_uri: str, authorization: str) -> Pass | None:
    """The gate's decision for the download at ``original_uri``; None sends it on to the
    full view (which refuses with the right status, or serves the odd case itself)."""
    parts = urlsplit(original_uri)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    if match.view_name != "stations:download":
        return None
    key = key_from(parse_qs(parts.query).get("key", [""])[0], authorization)
    if not key:
        return None
    station = Station.objects.filter(pk=match.kwargs["station_id"]).first()
    if station is None or not station.key_matches(key):
        return None
    try:
        page, rendition = downloadable(station, match.kwargs["page_id"], match.kwargs["profile"])
    except Http404:
        return None
    return Pass(station, page, rendition)
