"""How a station proves who it is: its key in the URL (``?key=``) or as the password of
HTTP Basic authentication (any user name; the station number is customary)."""

from __future__ import annotations

import base64
import binascii

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from cms.login_throttle import client_address

from .exceptions import InvalidKey, KeyThrottled, MissingKey
from .models import Station


def key_from_request(request: HttpRequest) -> tuple[str, str]:
    """(key, how) where how is "url" or "basic"; ("", "") when none was sent."""
    if key := request.GET.get("key", "").strip():
        return key, "url"
    key = basic_password(request.headers.get("Authorization", ""))
    return (key, "basic") if key else ("", "")


def basic_password(authorization: str) -> str:
    scheme, _sep, payload = authorization.partition(" ")
    if scheme.lower() == "basic" and payload:
        try:
            decoded = base64.b64decode(payload.strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return ""
        return decoded.partition(":")[2].strip()
    return ""


def key_from(query_key: str, authorization: str) -> str:
    """The key of a request known only by its URL's ``key`` and its Authorization header
    (the question nginx asks on a download's behalf)."""
    return query_key.strip() or basic_password(authorization)


def _failures_key(request: HttpRequest) -> str:
    return "loa-station-key-failures:" + client_address(request)


def _count_failure(request: HttpRequest) -> None:
    key = _failures_key(request)
    # add() starts the window only once; incr() keeps its expiry.
    if not cache.add(key, 1, timeout=settings.LOA_STATION_KEY_WINDOW_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.add(key, 1, timeout=settings.LOA_STATION_KEY_WINDOW_SECONDS)


def authenticate_station(request: HttpRequest, station_id: int) -> tuple[Station, str]:
    key, how = key_from_request(request)
    if not key:
        raise MissingKey
    if cache.get(_failures_key(request), 0) >= settings.LOA_STATION_KEY_FAILURES:
        raise KeyThrottled
    station = Station.objects.filter(pk=station_id).first()
    # An unknown number gets the same answer as a wrong key: do not confirm the number.
    if station is None or not station.key_matches(key):
        _count_failure(request)
        raise InvalidKey
    return station, how
