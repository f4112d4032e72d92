"""Keeping the site's ZIM files current: rebuilt in the background after publications.

Publications come in bursts (an editor publishing a week's bulletins), so a rebuild waits
until none has come for ``LOA_ZIM_DEBOUNCE_SECONDS``. One build runs at a time (a lease on
the single ``BuildState`` row, never a lock held for the minutes a build takes); a request
that arrives during a build makes the build run again when it ends. Each file is built
under a temporary name, checked with zimcheck, stored under a new name, and only then does
the ``ZimFile`` row (what the download page and the sync client read) point at it; the old
stored file is deleted last.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from . import zim
from .exceptions import OfflineError
from .models import BuildState, ZimFile

logger = logging.getLogger(__name__)
LEASE = datetime.timedelta(hours=3)  # a build older than this died with its worker
CHUNK = 1024 * 1024


def debounce() -> datetime.timedelta:
    return datetime.timedelta(seconds=getattr(settings, "LOA_ZIM_DEBOUNCE_SECONDS", 600))


def selections() -> list[list[str]]:
    """One ZIM per enabled language, and one with all of them."""
    codes = [code for code, _name in settings.LANGUAGES]
    return [[code] for code in codes] + [codes]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def publish(codes: list[str], *, kiosk: bool = False) -> ZimFile:
    """Build, check and store one ZIM; returns the row now offered."""
    with tempfile.TemporaryDirectory(prefix="loa-zim-") as tmp:
        built = zim.build(codes, Path(tmp), kiosk=kiosk)
        zim.check(built.path)
        stamp = timezone.now().strftime("%Y%m%dT%H%M%S")
        with built.path.open("rb") as fh:
            stored = default_storage.save(f"zim/{built.name}_{stamp}.zim", File(fh))
        selection = codes[0] if len(codes) == 1 else "all"
        flavour = "kiosk" if kiosk else "phone"
        values = {"name": built.name, "file": stored, "size": built.path.stat().st_size,
                  "sha256": _sha256(built.path), "product_count": built.product_count,
                  "built_at": timezone.now()}
    with transaction.atomic():
        old = (ZimFile.objects.select_for_update().filter(selection=selection, flavour=flavour)
               .values_list("file", flat=True).first())
        row, _created = ZimFile.objects.update_or_create(selection=selection, flavour=flavour,
                                                         defaults=values)
    if old and old != stored:
        default_storage.delete(old)
    return row


def publish_all() -> list[ZimFile]:
    return [publish(codes) for codes in selections()]


def request_rebuild() -> None:
    """A product went live or left: ask for a rebuild (after this transaction commits)."""
    if not getattr(settings, "LOA_ZIM_AUTO", True):
        return
    transaction.on_commit(_record_request)


def _record_request() -> None:
    now = timezone.now()
    BuildState.objects.get_or_create(pk=1)
    BuildState.objects.filter(pk=1).update(requested_at=now)
    _enqueue(now + debounce())


def _enqueue(when: datetime.datetime) -> None:
    if rebuild_zims.get_backend().supports_defer:
        rebuild_zims.using(run_after=when).enqueue()
    else:  # a backend without deferred runs (tests): build now
        rebuild_zims.enqueue()


def rebuild_if_due(now: datetime.datetime | None = None) -> str:
    """The background job's body: build every ZIM unless one is building or more
    publications are still coming in."""
    now = now or timezone.now()
    with transaction.atomic():
        state, _created = BuildState.objects.select_for_update().get_or_create(pk=1)
        if state.building_since and now - state.building_since < LEASE:
            return "busy"  # the running build looks at requested_at when it ends
        due = state.requested_at is None or now >= state.requested_at + debounce()
        if not due and rebuild_zims.get_backend().supports_defer:
            return "waiting"  # the job enqueued with the last request runs later
        state.building_since = now
        state.save(update_fields=["building_since"])
    error = ""
    try:
        publish_all()
    except OfflineError as failure:
        error = str(failure)
        logger.error("ZIM rebuild failed: %s", error)
    finally:  # whatever happened, the lease ends with this build
        again = _end_build(now, error)
    if again:
        transaction.on_commit(lambda: _enqueue(timezone.now() + debounce()))
    return "failed" if error else "built"


def _end_build(started: datetime.datetime, error: str) -> bool:
    """Release the lease; True when publications came in while building."""
    with transaction.atomic():
        state = BuildState.objects.select_for_update().get(pk=1)
        state.building_since = None
        state.last_error = error
        state.save(update_fields=["building_since", "last_error"])
        return state.requested_at is not None and state.requested_at > started


@task()
def rebuild_zims() -> str:
    """The background job (run by ``db_worker``)."""
    return rebuild_if_due()
