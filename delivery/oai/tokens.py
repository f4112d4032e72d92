"""Resumption tokens: the list request plus where the next page starts, signed so a
harvester cannot forge one, and expiring after ``LOA_OAI["TOKEN_MAX_AGE"]`` seconds.
Paging is by (datestamp, id), so records changed during a harvest are not lost: they
move to the end of the list and are delivered again."""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass

from django.core import signing

SALT = "loa.delivery.oai.resumption"


class BadToken(Exception):
    pass


@dataclass(frozen=True)
class ListState:
    verb: str
    metadata_prefix: str
    from_: str | None  # ISO datetimes (UTC) as the request gave them, normalised
    until: str | None
    set_spec: str | None
    after_datestamp: str | None = None  # position: last (datestamp, id) sent
    after_id: int | None = None
    cursor: int = 0
    complete_size: int = 0


def encode(state: ListState) -> str:
    return signing.dumps(asdict(state), salt=SALT, compress=True)


def decode(token: str, verb: str, max_age: int) -> ListState:
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
        state = ListState(**data)
    except (signing.BadSignature, TypeError, ValueError) as exc:
        raise BadToken(str(exc)) from exc
    if state.verb != verb:
        raise BadToken("token belongs to another verb")
    return state


def expiry(max_age: int) -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC).replace(microsecond=0) + \
        datetime.timedelta(seconds=max_age)
