"""One lease-and-retry mechanism for database rows that workers take turns on (a media
conversion job, a delivery to the Ministry).

A worker *claims* a row: one conditional UPDATE that only matches while nobody holds a live
lease, so of two workers claiming at once exactly one wins, on SQLite and PostgreSQL alike.
The claim stamps the row with the worker's token and a lease end (``lease_until``); the
holder *renews* the lease as it makes progress. Every later write of the holder is fenced:
it matches only while the row still carries the holder's token (and whatever the caller's
queryset requires, e.g. "still running"), so a worker whose row was cancelled or taken over
writes nothing. A lease that runs out (the worker was killed, its host lost) frees the row
for the next claim or for a watchdog. A failure *releases* the lease, perhaps with a
``next_attempt_at`` planned by the user's ``RetryPolicy`` (exponential backoff, bounded).

Each user keeps its own states and messages: the querysets it passes say which rows may be
claimed or written, the keyword arguments what else changes in the same statement (the
row's own ``worker`` among them: ``release(..., worker="")`` hands a job back to the queue).
"""

from __future__ import annotations

import datetime
import os
import socket
import uuid
from dataclasses import dataclass

from django.db import models
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Leased(models.Model):
    """The columns of the mechanism, for a model whose rows workers claim."""

    attempts = models.PositiveIntegerField(_("số lần thử"), default=0)
    #: the token of the worker that holds (or last held) the row
    worker = models.CharField(_("tiến trình xử lý"), max_length=120, blank=True)
    lease_until = models.DateTimeField(_("giữ đến"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("tự thử lại lúc"), null=True, blank=True,
                                           db_index=True)

    class Meta:
        abstract = True


@dataclass(frozen=True)
class RetryPolicy:
    """``limit`` automatic retries, the n-th (from 0) after ``first_delay`` × 2ⁿ seconds,
    never more than ``max_delay``."""

    limit: int
    first_delay: float
    max_delay: float | None = None

    def exhausted(self, retries_so_far: int) -> bool:
        return retries_so_far >= self.limit

    def delay(self, retries_so_far: int) -> float:
        delay = self.first_delay * 2 ** retries_so_far
        return delay if self.max_delay is None else min(self.max_delay, delay)

    def next_attempt(self, retries_so_far: int) -> datetime.datetime | None:
        """When to try again, or None when the retries are used up."""
        if self.exhausted(retries_so_far):
            return None
        return timezone.now() + datetime.timedelta(seconds=self.delay(retries_so_far))


def new_worker_token() -> str:
    """Host, process id and a random part: unique per claim, and an operator can tell which
    process on which machine holds a row."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def claim(queryset: QuerySet, pk, worker: str, lease_seconds: float, /, **changes):
    """Take row ``pk`` for ``worker`` if it is in ``queryset`` (the rows the caller allows
    to be claimed) and nobody holds a live lease on it; count the attempt. Returns the
    claimed row, or None when another worker has it (or it is not claimable)."""
    now = timezone.now()
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    # One UPDATE, no read first: PostgreSQL re-checks the WHERE clause of a claimant that
    # waited for another's row lock, and SQLite runs one writer at a time.
    taken = queryset.filter(free, pk=pk).update(
        worker=worker, lease_until=now + datetime.timedelta(seconds=lease_seconds),
        attempts=F("attempts") + 1, next_attempt_at=None, **changes)
    return queryset.model._base_manager.get(pk=pk) if taken else None


def renew(queryset: QuerySet, pk, worker: str, lease_seconds: float, /, **changes) -> bool:
    """Extend ``worker``'s lease (with ``changes``, e.g. progress); False when the row is
    no longer the worker's."""
    return bool(queryset.filter(pk=pk, worker=worker).update(
        lease_until=timezone.now() + datetime.timedelta(seconds=lease_seconds), **changes))


def hold(queryset: QuerySet, pk, worker: str):
    """Lock the row while it is still ``worker``'s (None otherwise). Call inside the
    transaction whose writes must not outlive the lease."""
    return queryset.select_for_update().filter(pk=pk, worker=worker).first()


def release(queryset: QuerySet, pk, worker: str, /, *,
            next_attempt_at: datetime.datetime | None = None, **changes) -> bool:
    """End ``worker``'s lease, recording the outcome (``changes``) and when to try again
    (None: not automatically). False, and nothing written, when the row is no longer the
    worker's."""
    return bool(queryset.filter(pk=pk, worker=worker).update(
        lease_until=None, next_attempt_at=next_attempt_at, **changes))


def expired(queryset: QuerySet, now: datetime.datetime | None = None) -> QuerySet:
    """Rows whose holder stopped renewing: its worker died, lost its host, or hangs. Pass
    this to ``release`` too, so a holder that renewed meanwhile keeps its row."""
    return queryset.filter(lease_until__lt=now or timezone.now())


def due(queryset: QuerySet, now: datetime.datetime | None = None) -> QuerySet:
    """Rows whose planned retry has come, the longest waiting first."""
    return queryset.filter(next_attempt_at__lte=now or timezone.now()).order_by(
        "next_attempt_at")
