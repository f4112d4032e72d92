"""The life of a media job: requested (queued, task enqueued on commit with the job id),
claimed by exactly one worker under a lease (loa.leases), running with a percentage whose
writes renew the lease, then succeeded, failed (bad input at once; transient errors retried
a bounded number of times) or cancelled. The watchdog re-queues jobs whose worker died or
stalled (its lease ran out)."""

from __future__ import annotations

import datetime
import logging
import time
import uuid
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from loa import leases
from loa.leases import RetryPolicy

from .exceptions import JobLost, MediaError, TransientError
from .models import MediaItem, MediaJob, Rendition

# Sent with ``job_id`` and ``delay`` (seconds) when a job should be run.
job_ready = Signal()

logger = logging.getLogger(__name__)

DEFAULT_MAX_ATTEMPTS = 3
DEFAULT_STALL_SECONDS = 300
DEFAULT_RETRY_DELAY_SECONDS = 30
HEARTBEAT_EVERY_SECONDS = 1.0


def max_attempts() -> int:
    return getattr(settings, "LOA_MEDIA_JOB_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS)


def stall_seconds() -> float:
    return getattr(settings, "LOA_MEDIA_JOB_STALL_SECONDS", DEFAULT_STALL_SECONDS)


# --- requesting -------------------------------------------------------------------------
def request_renditions(item: MediaItem, *, profiles: list[str] | None = None,
                       force: bool = False, user=None, enqueue_task: bool = True) -> MediaJob:
    """Queue a job making the item's missing renditions, unless one is already queued or
    running (that one will do it). The task is enqueued when the transaction commits
    (``enqueue_task=False``: the caller runs the job itself, as the management command)."""
    with transaction.atomic():
        MediaItem.objects.select_for_update().filter(pk=item.pk).first()
        job = item.active_job()
        if job is not None:
            return job
        job = MediaJob.objects.create(item=item, profiles=list(profiles or []), force=force,
                                      created_by=user)
        if enqueue_task:
            transaction.on_commit(partial(enqueue, job.pk))
    return job


def enqueue(job_id: int, delay: float = 0) -> None:
    """Announce that the job is ready to run; the task layer (tasks.py, which sits above
    this module) hands its id, never the object, to the task backend."""
    job_ready.send(sender=MediaJob, job_id=job_id, delay=delay)


def cancel(job: MediaJob) -> bool:
    """Stop a queued or running job. A running worker notices at its next heartbeat, kills
    ffmpeg and removes its scratch files."""
    with transaction.atomic():
        locked = MediaJob.objects.select_for_update().get(pk=job.pk)
        if not locked.is_active:
            return False
        locked.state = MediaJob.State.CANCELLED
        locked.message = _("Đã huỷ theo yêu cầu.")
        locked.finished_at = timezone.now()
        locked.save(update_fields=["state", "message", "finished_at"])
        _drop_placeholders(locked.item_id)
    return True


def rerun(job: MediaJob, *, force: bool = False, user=None) -> MediaJob:
    """Run again what a finished job was asked to make (failed renditions included)."""
    if job.is_active:
        return job
    return request_renditions(job.item, profiles=job.profiles, force=force, user=user)


def _drop_placeholders(item_id: int) -> None:
    Rendition.objects.filter(source_id=item_id, state=Rendition.State.PENDING, file="").delete()


# --- running ----------------------------------------------------------------------------
def running_jobs():
    """The rows a worker may still write to: cancelling a job ends its worker's writes."""
    return MediaJob.objects.filter(state=MediaJob.State.RUNNING)


def claim(job_id: int, worker: str) -> MediaJob | None:
    """Take the job for this worker, or None when it is not queued (already taken by another
    worker, finished, cancelled). The lease lasts the stall time and is renewed at every
    progress write."""
    return leases.claim(MediaJob.objects.filter(state=MediaJob.State.QUEUED), job_id, worker,
                        stall_seconds(), state=MediaJob.State.RUNNING,
                        started_at=timezone.now(), progress=0, stage="")


@dataclass
class Reporter:
    """Progress and heartbeat of one running job. Every write checks that the job is still
    this worker's; when it is not (cancelled, re-queued by the watchdog) it raises JobLost
    so ffmpeg is killed and nothing more is written."""

    job_id: int
    worker: str
    stages: list[tuple[str, float]] = field(default_factory=list)  # (label, weight)
    _index: int = -1
    _last_write: float = 0.0

    def plan(self, stages: list[tuple[str, float]]) -> None:
        self.stages, self._index = stages, -1

    def next_stage(self) -> None:
        self._index += 1
        self.write(0.0, force=True)

    def start(self, label: str) -> None:
        """Go to the planned stage ``label`` (a stage planned but not needed is skipped)."""
        self._index = next(i for i, (name, _w) in enumerate(self.stages) if name == label)
        self.write(0.0, force=True)

    def __call__(self, fraction: float) -> None:
        self.write(fraction)

    def percentage(self, fraction: float) -> float:
        total = sum(w for _label, w in self.stages) or 1.0
        done = sum(w for _label, w in self.stages[: max(self._index, 0)])
        current = self.stages[self._index][1] if 0 <= self._index < len(self.stages) else 0
        return round(min(100.0, 100.0 * (done + current * fraction) / total), 1)

    def write(self, fraction: float, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last_write < HEARTBEAT_EVERY_SECONDS:
            return
        self._last_write = now
        label = self.stages[self._index][0] if 0 <= self._index < len(self.stages) else ""
        if not leases.renew(running_jobs(), self.job_id, self.worker, stall_seconds(),
                            progress=self.percentage(fraction), stage=label[:200]):
            raise JobLost(self.job_id)

    def assert_owned(self) -> MediaJob:
        """Lock the job row; raise JobLost unless this worker still runs it. Call inside
        the transaction that records an output."""
        job = leases.hold(running_jobs(), self.job_id, self.worker)
        if job is None:
            raise JobLost(self.job_id)
        return job


def _finish(job_id: int, worker: str, state: str, message: str = "", detail: str = "",
            **extra) -> bool:
    return leases.release(running_jobs(), job_id, worker, state=state, message=message,
                          detail=detail[-8000:], finished_at=timezone.now(), **extra)


def succeed(job: MediaJob, worker: str, made: list[str]) -> None:
    message = (_("Đã làm xong: %(names)s.") % {"names": ", ".join(made)} if made
               else _("Mọi bản chuyển đổi đã có sẵn; không cần làm gì."))
    _finish(job.pk, worker, MediaJob.State.SUCCEEDED, message, progress=100)


def fail(job: MediaJob, worker: str, error: MediaError) -> None:
    """Bad input, or a transient error out of retries: the editor reads why."""
    if _finish(job.pk, worker, MediaJob.State.FAILED, str(error.message), error.detail):
        _fail_pending_renditions(job.item_id)


def _fail_pending_renditions(item_id: int) -> None:
    Rendition.objects.filter(source_id=item_id, state=Rendition.State.PENDING
                             ).update(state=Rendition.State.FAILED)


def retry_policy() -> RetryPolicy:
    """``max_attempts`` runs in all: the first, then retries after the delay, twice it, …"""
    return RetryPolicy(limit=max_attempts() - 1, first_delay=getattr(
        settings, "LOA_MEDIA_JOB_RETRY_DELAY", DEFAULT_RETRY_DELAY_SECONDS))


def retry_or_fail(job: MediaJob, worker: str, error: TransientError) -> None:
    policy = retry_policy()
    when = policy.next_attempt(job.attempts - 1)
    if when is None:
        fail(job, worker, TransientError(
            _("Lỗi tạm thời lặp lại %(n)d lần; đã dừng. Hãy báo quản trị viên rồi chạy lại.")
            % {"n": job.attempts}, detail=error.detail))
        return
    with transaction.atomic():
        requeued = leases.release(
            running_jobs(), job.pk, worker, next_attempt_at=when, state=MediaJob.State.QUEUED,
            worker="", task_id="", detail=error.detail[-8000:],
            message=_("Lỗi tạm thời; sẽ thử lại (lần %(n)d/%(max)d).")
            % {"n": job.attempts + 1, "max": max_attempts()})
        if requeued:
            delay = policy.delay(job.attempts - 1)
            transaction.on_commit(partial(enqueue, job.pk, delay))


# --- watchdog ---------------------------------------------------------------------------
def requeue_stalled(now: datetime.datetime | None = None) -> list[int]:
    """Running jobs whose lease ran out (no heartbeat for the stall time) lost their worker
    (killed, host gone) or hang: re-queue them (or fail them when out of attempts). Safe
    to run from many workers at once: each job is taken back only while still expired."""
    now = now or timezone.now()
    stale = leases.expired(running_jobs(), now)
    handled = [job.pk for job in stale if _take_back(job, leases.expired(running_jobs(), now))]
    if handled:
        logger.warning("media watchdog re-queued or failed stalled jobs %s", handled)
    return handled


def _take_back(job: MediaJob, stale) -> bool:
    with transaction.atomic():
        if retry_policy().exhausted(job.attempts - 1):
            taken = leases.release(
                stale, job.pk, job.worker, state=MediaJob.State.FAILED,
                finished_at=timezone.now(),
                message=_("Tiến trình xử lý dừng nhiều lần không rõ lý do; đã dừng hẳn. "
                          "Hãy báo quản trị viên."))
            if taken:
                _fail_pending_renditions(job.item_id)
        else:
            taken = leases.release(
                stale, job.pk, job.worker, state=MediaJob.State.QUEUED, worker="",
                task_id="",
                message=_("Tiến trình xử lý bị dừng giữa chừng; đã xếp hàng chạy lại."),
                detail=f"worker {job.worker} silent; its lease ran out at "
                       f"{job.lease_until.isoformat()}")
            if taken:
                transaction.on_commit(partial(enqueue, job.pk))
        if taken:
            _mark_task_abandoned(job.task_id)
    return taken


def _mark_task_abandoned(task_id: str) -> None:
    """The database backend's row for a killed worker's task stays 'running' forever;
    record it as failed so the task list does not lie."""
    if not task_id or "django_tasks_db" not in settings.INSTALLED_APPS:
        return
    from django_tasks_db.models import DBTaskResult

    try:
        uuid.UUID(task_id)
    except ValueError:  # another backend's id
        return
    result = DBTaskResult.objects.filter(pk=task_id, status="RUNNING").first()
    if result is not None:
        result.set_failed(TransientError(detail="worker died or stalled"))
