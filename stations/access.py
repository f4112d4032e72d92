"""How a station proves who it is: its key in the URL (``?key=``) or as the password of
HTTP Basic authentication (any user name; the station number is customary)."""

from __future__ import annotations

import base64
import binascii

from django.http import HttpRequest

from .exceptions import InvalidKey, MissingKey
from .models import Station


def key_from_request(request: HttpRequest) -> tuple[str, str]:
    """(key, how) where how is "url" or "basic"; ("", "") when none was sent."""
    if key := request.GET.get("key", "").strip():
        return key, "url"
    scheme, _sep, payload = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "basic" and payload:
        try:
            decoded = base64.b64decode(payload.strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return "", ""
        return decoded.partition(":")[2].strip(), "basic"
    return "", ""


def authenticate_station(request: HttpRequest, station_id: int) -> tuple[Station, str]:
    key, how = key_from_request(request)
    if not key:
        raise MissingKey
    try:
        station = Station.objects.get(pk=station_id)
    except Station.DoesNotExist:
        raise InvalidKey from None  # same answer as a wrong key: do not confirm the number
    if not station.key_matches(key):
        raise InvalidKey
    return station, how
