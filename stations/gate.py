"""The cheap gate for station downloads behind nginx.

nginx asks the application, with ``auth_request``, whether a station download may leave
(every request by default; ``LOA_STATION_GATE_SECONDS`` > 0 lets it keep a yes per key and
URL); it then sends the file itself and writes the download to its own access log, which
``manage.py ingest_downloads`` turns into the download log. The question costs the
application one indexed read (the station, with ``GateStamp``'s number) on the thread's kept
connection and no write: the bulletin's side of the answer is kept per process while that
number stays the same (``BulletinFiles``), and every change that could alter it changes the
number (stations.signals), so a revoked key or an unpublished bulletin is refused on its
next request. Every other outcome (no key, wrong key, unknown
bulletin, throttled client, the resume of a file already complete) is sent on to the full
download view, which answers with its usual status and message and counts wrong keys.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from functools import cache as once
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import Http404
from django.urls import Resolver404, resolve, reverse

from cms import access_keys
from cms.file_serving import FILE_CSP, disposition
from cms.products.media_access import accel_target
from cms.products.models import BulletinPage
from media_pipeline.models import Rendition

from . import catalogue
from .access import key_from
from .models import GateStamp, Station


def ready_file(page_id: int, profile: str, languages) -> tuple[BulletinPage, Rendition] | None:
    """The live bulletin in one of ``languages`` and its ready rendition in ``profile``, with
    its file; None for a draft, another language or a file not made."""
    page = catalogue.live_bulletins(languages).filter(pk=page_id).first()
    rendition = page and Rendition.objects.filter(
        source_id=page.audio_id, profile=profile, state=Rendition.State.READY).first()
    if not rendition or not rendition.file:
        return None
    return page, rendition


def downloadable(station: Station, page_id: int, profile: str) -> tuple[BulletinPage,
                                                                         Rendition]:
    """The live bulletin in one of the station's languages and its ready rendition in a
    profile the station takes; Http404 for a draft, another language, a file not made."""
    if profile not in (station.audio_profile, catalogue.ALTERNATE_PROFILE):
        raise Http404
    if (found := ready_file(page_id, profile, station.languages)) is None:
        raise Http404
    return found


@dataclass(frozen=True)
class BulletinFile:
    """A live bulletin's ready rendition in one profile, as the gate hands it to nginx."""

    language: str
    headers: dict[str, str]


class BulletinFiles:
    """Each process's answers for the bulletins' side, (bulletin, profile) -> its file or
    None, kept while ``GateStamp`` keeps its number: 200 stations fetching today's bulletin
    need its queries once, and a bulletin unpublished, made private, moved or deleted, or a
    rendition remade, changes the number, so the next question looks again."""

    LIMIT = 10_000  # distinct (bulletin, profile) pairs asked by valid keys, then start over

    def __init__(self) -> None:
        self.kept: tuple[object, dict] = (None, {})

    def get(self, page_id: int, profile: str, stamp: object) -> BulletinFile | None:
        seen, files = self.kept
        if seen != stamp or len(files) > self.LIMIT:
            # replaced whole, never cleared in place: another thread may be reading it
            files = {}
            self.kept = (stamp, files)
        if (page_id, profile) not in files:
            files[page_id, profile] = _bulletin_file(page_id, profile)
        return files[page_id, profile]


BULLETIN_FILES = BulletinFiles()


def _bulletin_file(page_id: int, profile: str) -> BulletinFile | None:
    found = ready_file(page_id, profile, [code for code, _n in settings.LANGUAGES])
    if found is None:
        return None
    page, rendition = found
    headers = {
        "X-Loa-Target": accel_target(rendition.file.name, settings.LOA_STATION_GATE_PREFIX),
        "X-Loa-Bulletin": str(page.pk),
        "X-Loa-Profile": rendition.profile,
        "X-Loa-Size": str(rendition.size),
        # the one Range nginx must not answer itself (see cms.file_serving.complete_resume)
        "X-Loa-Whole": f"bytes={rendition.size}-",
        "X-Loa-Disposition": disposition(rendition.mime_type,
                                         catalogue.download_name(page, rendition)),
        "X-Loa-CSP": FILE_CSP,
    }
    if rendition.sha256:
        digest = base64.b64encode(bytes.fromhex(rendition.sha256)).decode()
        headers["X-Loa-Repr-Digest"] = f"sha-256=:{digest}:"
        headers["X-Loa-Digest"] = f"SHA-256={digest}"
    return BulletinFile(page.locale.language_code, headers)


@dataclass(frozen=True)
class StationFacts:
    """What the gate needs of a station, read in one statement."""

    key_hash: str
    is_active: bool
    audio_profile: str
    languages: list[str]
    stamp: int | None  # GateStamp's number, read in the same statement

    def key_matches(self, key: str) -> bool:
        return self.is_active and access_keys.key_matches(key, self.key_hash)


FACT_FIELDS = ("key_hash", "is_active", "audio_profile", "languages")


@once
def station_statement() -> str:
    """The station's read with the gate's stamp, one parameter (the station's number).

    Written as SQL from the models' table and column names rather than built by the ORM on
    every question: building the query cost ten times the CPU of running it. Cached once
    per process (one database per process)."""
    quote = connection.ops.quote_name
    station, stamp = Station._meta, GateStamp._meta
    columns = ", ".join(f"s.{quote(station.get_field(name).column)}" for name in FACT_FIELDS)
    stamp_value = (f"(SELECT g.{quote(stamp.get_field('value').column)} "
                   f"FROM {quote(stamp.db_table)} g WHERE g.{quote(stamp.pk.column)} = 1)")
    return (f"SELECT {columns}, {stamp_value} FROM {quote(station.db_table)} s "
            f"WHERE s.{quote(station.pk.column)} = %s")


def station_facts(station_id: int) -> StationFacts | None:
    with connection.cursor() as cursor:
        cursor.execute(station_statement(), [station_id])
        row = cursor.fetchone()
    if row is None:
        return None
    key_hash, is_active, audio_profile, station_languages, stamp = row
    if isinstance(station_languages, str):  # SQLite hands JSON back as text
        station_languages = json.loads(station_languages)
    return StationFacts(key_hash, bool(is_active), audio_profile, station_languages, stamp)


def passes(original_uri: str, authorization: str) -> dict[str, str] | None:
    """The gate's decision for the download at ``original_uri``: the headers for nginx, or
    None to send it on to the full view (which refuses with the right status, or serves the
    odd case itself). The key is checked on every question (one indexed read)."""
    parts = urlsplit(original_uri)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    if match.view_name != "stations:download":
        return None
    key = key_from(parse_qs(parts.query).get("key", [""])[0], authorization)
    station = key and station_facts(match.kwargs["station_id"])
    if not station or not station.key_matches(key):
        return None
    profile = match.kwargs["profile"]
    if profile not in (station.audio_profile, catalogue.ALTERNATE_PROFILE):
        return None
    found = BULLETIN_FILES.get(match.kwargs["page_id"], profile, station.stamp)
    if found is None or found.language not in station.languages:
        return None
    return {**found.headers, "X-Loa-Station": str(match.kwargs["station_id"])}


def keep_connection() -> None:
    """Before and after a question: reuse this thread's database connection, whatever its
    age. Opening one costs more than the question (SQLite: a file, its pragmas; PostgreSQL:
    a login and a server process), and stations come in bursts after quiet minutes, when an
    aged connection (CONN_MAX_AGE) would be reopened by every thread at once. It holds no
    transaction between questions; it is dropped once it failed (a page request in the same
    thread still closes it by its age, as Django does)."""
    if connection.connection is not None and connection.errors_occurred \
            and not connection.is_usable():
        connection.close()


def warm() -> None:
    """Run by each web process as it starts (cms/wsgi.py): the first question would load
    every URL configuration and compile the statement, a quarter of a second during which
    the process's other threads wait too — in the middle of a burst of stations."""
    resolve(reverse("stations:download", kwargs={
        "station_id": 1, "page_id": 1, "profile": catalogue.ALTERNATE_PROFILE,
        "filename": "ban-tin.ogg"}))
    station_statement()


def wsgi_gate(environ: dict, start_response):
    """The gate as a bare WSGI application, mounted by cms/wsgi.py ahead of Django
    (``LOA_WSGI_SHORTCUTS``): nginx's question needs none of the page middleware (sessions,
    locale, CSRF, CSP, page cache), which costs more CPU than the question itself. Same
    answers as ``views.download_gate`` (which the test server and runserver use); the
    thread's database connection is kept between questions (``keep_connection``)."""
    keep_connection()
    try:
        allowed = passes(environ.get("HTTP_X_ORIGINAL_URI", ""),
                         environ.get("HTTP_AUTHORIZATION", ""))
    except DatabaseError:
        # e.g. a kept connection the server dropped: "ask the view" (a connection of its own)
        connection.close()
        allowed = None
    finally:
        keep_connection()
    start_response("200 OK" if allowed else "403 Forbidden",
                   [("Content-Length", "0"), *(allowed or {}).items()])
    return [b""]


wsgi_gate.warm = warm  # cms/wsgi.py runs it when it mounts the gate
