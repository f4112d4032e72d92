"""Feeds, downloads and airing reports for stations; a public feed per language."""

from __future__ import annotations

import hashlib
import json
from functools import wraps
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cms.organisations.models import Level, Organisation
from cms.products.media_access import StoredFile, file_response
from cms.products.models import BulletinPage
from media_pipeline.models import Rendition

from . import catalogue
from .access import authenticate_station
from .artwork import default_artwork
from .exceptions import InvalidKey, KeyThrottled, MissingKey
from .feeds import FeedSpec, PodcastFeed, artwork_path, build_feed, language_title
from .forms import AiringApiForm, AiringForm
from .gate import downloadable, passes
from .models import AiringReport, DownloadLog, FeedSettings
from .records import download_recorder, record_airing

SYNC_CLIENT = Path(__file__).with_name("sync_client.py")


def station_view(view):
    """Authenticate the station named in the URL: 401 without a key, 403 with a wrong,
    rotated or revoked one. Never the feed, never the file."""

    @wraps(view)
    def wrapper(request: HttpRequest, station_id: int, *args, **kwargs):
        try:
            station, how = authenticate_station(request, station_id)
        except MissingKey as exc:
            response = HttpResponse(str(exc.message), status=401,
                                    content_type="text/plain; charset=utf-8")
            response["WWW-Authenticate"] = 'Basic realm="Loa", charset="UTF-8"'
            return response
        except InvalidKey as exc:
            return HttpResponse(str(exc.message), status=403,
                                content_type="text/plain; charset=utf-8")
        except KeyThrottled as exc:
            response = HttpResponse(str(exc.message), status=429,
                                    content_type="text/plain; charset=utf-8")
            response["Retry-After"] = str(settings.LOA_STATION_KEY_WINDOW_SECONDS)
            return response
        return view(request, station, how, *args, **kwargs)

    return wrapper


def _enabled_language(code: str) -> str:
    if code not in {c for c, _n in settings.LANGUAGES}:
        raise Http404
    return code


def _feed_response(request: HttpRequest, spec: FeedSpec, episodes, *,
                   public: bool) -> HttpResponse:
    body = build_feed(spec, episodes).writeString("utf-8").encode()
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    # Stations poll; on a slow line a 304 saves the whole feed.
    not_modified = get_conditional_response(request, etag=etag)
    response = not_modified or HttpResponse(body, content_type=PodcastFeed.content_type)
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=300" if public else "private, no-cache"
    return response


def _site_link(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _stable_url(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _transcript_url(request: HttpRequest):
    return lambda ep: request.build_absolute_uri(
        reverse("stations:transcript", args=[ep.page.pk]))


def _department_name() -> str:
    province = Organisation.objects.filter(area__level=Level.PROVINCE).order_by("pk").first()
    return province.name if province else settings.WAGTAIL_SITE_NAME


def _artwork_digest(name: str) -> str:
    return hashlib.sha256(default_artwork(name)).hexdigest()[:16]


def _artwork(request: HttpRequest) -> dict[str, str | None]:
    """The FeedSpec fields for the show's picture: the department's choice, and the drawn
    one (its URL changes with the picture, so podcast apps fetch a renamed department's)."""
    chosen = FeedSettings.load(request_or_site=request).artwork
    fallback = reverse("stations:default_artwork") + "?v=" + _artwork_digest(
        _department_name())
    return {"artwork_path": artwork_path(chosen), "fallback_artwork_path": fallback}


@require_http_methods(["GET", "HEAD"])
def default_artwork_view(request: HttpRequest) -> HttpResponse:
    body = default_artwork(_department_name())
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    response = get_conditional_response(request, etag=etag) or HttpResponse(
        body, content_type="image/jpeg")
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def public_feed(request: HttpRequest, language: str) -> HttpResponse:
    language = _enabled_language(language)
    path = reverse("stations:public_feed", args=[language])
    spec = FeedSpec(
        title=_("Loa – Bản tin %(language)s") % {"language": language_title(language)},
        description=_("Bản tin phát thanh đã duyệt và xuất bản, %(language)s.") % {
            "language": language_title(language)},
        language=language, link=_site_link(request), self_url=request.build_absolute_uri(path),
        stable_url=_stable_url(path),
        enclosure_url=lambda ep, rendition: request.build_absolute_uri(rendition.file.url),
        transcript_url=_transcript_url(request), absolute=request.build_absolute_uri,
        **_artwork(request),
    )
    return _feed_response(request, spec, catalogue.episodes(language, catalogue.public_profile()),
                          public=True)


@require_GET
@station_view
def station_feed(request: HttpRequest, station, how: str, language: str) -> HttpResponse:
    if language not in station.languages:
        raise Http404
    path = reverse("stations:station_feed", args=[station.pk, language])
    query = "?" + urlencode({"key": request.GET["key"]}) if how == "url" else ""

    def enclosure_url(ep: catalogue.Episode, rendition: Rendition) -> str:
        filename = catalogue.download_name(ep.page, rendition)
        return request.build_absolute_uri(reverse(
            "stations:download", args=[station.pk, ep.page.pk, rendition.profile, filename]
        )) + query

    spec = FeedSpec(
        title=_("%(station)s – Bản tin %(language)s") % {
            "station": station.name, "language": language_title(language)},
        description=_("Bản tin đã duyệt dành cho %(station)s.") % {"station": station.name},
        language=language, link=_site_link(request),
        self_url=request.build_absolute_uri(path) + query, stable_url=_stable_url(path),
        enclosure_url=enclosure_url, transcript_url=_transcript_url(request),
        absolute=request.build_absolute_uri, **_artwork(request),
    )
    return _feed_response(request, spec, catalogue.episodes(language, station.audio_profile),
                          public=False)


@require_http_methods(["GET", "HEAD"])
@station_view
def station_download(request: HttpRequest, station, how: str, page_id: int, profile: str,
                     filename: str) -> HttpResponse:
    # A draft, another language, or not made yet: no file either way.
    page, rendition = downloadable(station, page_id, profile)
    stored = StoredFile(page, rendition.file.name, catalogue.download_name(page, rendition),
                        sha256=rendition.sha256, mime_type=rendition.mime_type)
    return file_response(request, stored, public=False,
                         on_transfer=download_recorder(request, station, page, rendition))


@require_GET
def download_gate(request: HttpRequest) -> HttpResponse:
    """nginx's ``auth_request`` for a station download (stations.gate): 200 with what nginx
    needs to send and log the file, or 403 meaning "ask the download view itself"."""
    allowed = passes(request.headers.get("X-Original-URI", ""),
                     request.headers.get("Authorization", ""))
    response = HttpResponse(status=200 if allowed else 403)
    for header, value in (allowed or {}).items():
        response[header] = value
    return response


@require_GET
def transcript(request: HttpRequest, page_id: int) -> HttpResponse:
    page = BulletinPage.objects.live().public().filter(pk=page_id).select_related(
        "locale").first()
    if page is None:
        raise Http404
    response = HttpResponse(catalogue.transcript_text(page),
                            content_type="text/plain; charset=utf-8")
    response["Content-Language"] = page.locale.language_code
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def sync_client_script(request: HttpRequest) -> FileResponse:
    return FileResponse(SYNC_CLIENT.open("rb"), as_attachment=True, filename="loa_sync.py",
                        content_type="text/x-python; charset=utf-8")


@require_http_methods(["GET", "POST"])
@station_view
def airing_page(request: HttpRequest, station, how: str) -> HttpResponse:
    """A plain page where a station's staff confirm what they aired."""
    form = AiringForm(request.POST or None, station=station)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        record_airing(station, data["bulletin"], aired_on=data["aired_on"],
                      aired_at=data["aired_at"], times=data["times"], note=data["note"])
        messages.success(request, _("Đã ghi nhận báo cáo phát sóng. Cảm ơn đài!"))
        return HttpResponseRedirect(request.get_full_path())
    fetched = set(DownloadLog.objects.filter(station=station, complete=True)
                  .values_list("bulletin_id", flat=True))
    bulletins = list(catalogue.live_bulletins(station.languages)
                     .order_by("-air_date", "-pk")[:20])
    return render(request, "stations/airing_page.html", {
        "station": station, "form": form,
        "bulletins": [(b, b.pk in fetched) for b in bulletins],
        "reports": AiringReport.objects.filter(station=station)[:20],
    })


@csrf_exempt  # authenticated by the station key, not by a cookie
@require_POST
@station_view
def airing_api(request: HttpRequest, station, how: str) -> JsonResponse:
    try:
        payload = json.loads(request.body or b"{}")
    except (json.JSONDecodeError, UnicodeDecodeError):
        return JsonResponse({"ok": False, "errors": {"__all__": [_("Nội dung không phải JSON.")]}},
                            status=400)
    if not isinstance(payload, dict):
        payload = {}
    form = AiringApiForm({"guid": payload.get("guid", ""), "aired_on": payload.get("date", ""),
                          "aired_at": payload.get("time", ""), "times": payload.get("times", 1),
                          "note": payload.get("note", "")}, station=station)
    if not form.is_valid():
        return JsonResponse({"ok": False, "errors": form.errors}, status=400)
    data = form.cleaned_data
    report, created = record_airing(
        station, data["bulletin"], aired_on=data["aired_on"], aired_at=data["aired_at"],
        times=data["times"], note=data["note"], source=AiringReport.Source.CLIENT)
    return JsonResponse({"ok": True, "created": created, "id": report.pk,
                         "message": _("Đã ghi nhận báo cáo phát sóng.")},
                        status=201 if created else 200)
