"""The life of a media job: requested (queued, task enqueued on commit with the job id),
claimed under a row lock by exactly one worker, running with a heartbeat and percentage,
then succeeded, failed (bad input at once; transient errors retried a bounded number of
times) or cancelled. The watchdog re-queues jobs whose worker died or stalled."""

from __future__ import annotations

import datetime
import logging
import os
import socket
import time
import uuid
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

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


def new_worker_token() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


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
def claim(job_id: int, worker: str) -> MediaJob | None:
    """Take the job for this worker, or None when it is not queued (already taken by another
    worker, finished, cancelled). The row lock makes two workers' claims serial."""
    with transaction.atomic():
        job = MediaJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.state != MediaJob.State.QUEUED:
            return None
        now = timezone.now()
        job.state = MediaJob.State.RUNNING
        job.worker = worker
        job.attempts += 1
        job.started_at = job.heartbeat_at = now
        job.progress = 0
        job.stage = ""
        job.save(update_fields=["state", "worker", "attempts", "started_at", "heartbeat_at",
                                "progress", "stage"])
    return job


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
        updated = MediaJob.objects.filter(
            pk=self.job_id, state=MediaJob.State.RUNNING, worker=self.worker
        ).update(progress=self.percentage(fraction), stage=label[:200],
                 heartbeat_at=timezone.now())
        if not updated:
            raise JobLost(self.job_id)

    def assert_owned(self) -> MediaJob:
        """Lock the job row; raise JobLost unless this worker still runs it. Call inside
        the transaction that records an output."""
        job = MediaJob.objects.select_for_update().filter(
            pk=self.job_id, state=MediaJob.State.RUNNING, worker=self.worker).first()
        if job is None:
            raise JobLost(self.job_id)
        return job


def _finish(job_id: int, worker: str, state: str, message: str = "", detail: str = "",
            **extra) -> bool:
    return bool(MediaJob.objects.filter(
        pk=job_id, state=MediaJob.State.RUNNING, worker=worker
    ).update(state=state, message=message, detail=detail[-8000:], finished_at=timezone.now(),
             **extra))


def succeed(job: MediaJob, worker: str, made: list[str]) -> None:
    message = (_("Đã làm xong: %(names)s.") % {"names": ", ".join(made)} if made
               else _("Mọi bản chuyển đổi đã có sẵn; không cần làm gì."))
    _finish(job.pk, worker, MediaJob.State.SUCCEEDED, message, progress=100)


def fail(job: MediaJob, worker: str, error: MediaError) -> None:
    """Bad input, or a transient error out of retries: the editor reads why."""
    if _finish(job.pk, worker, MediaJob.State.FAILED, str(error.message), error.detail):
        Rendition.objects.filter(source_id=job.item_id, state=Rendition.State.PENDING
                                 ).update(state=Rendition.State.FAILED)


def retry_or_fail(job: MediaJob, worker: str, error: TransientError) -> None:
    if job.attempts >= max_attempts():
        fail(job, worker, TransientError(
            _("Lỗi tạm thời lặp lại %(n)d lần; đã dừng. Hãy báo quản trị viên rồi chạy lại.")
            % {"n": job.attempts}, detail=error.detail))
        return
    with transaction.atomic():
        requeued = MediaJob.objects.filter(
            pk=job.pk, state=MediaJob.State.RUNNING, worker=worker
        ).update(state=MediaJob.State.QUEUED, worker="", task_id="", detail=error.detail[-8000:],
                 message=_("Lỗi tạm thời; sẽ thử lại (lần %(n)d/%(max)d).")
                 % {"n": job.attempts + 1, "max": max_attempts()})
        if requeued:
            delay = getattr(settings, "LOA_MEDIA_JOB_RETRY_DELAY", DEFAULT_RETRY_DELAY_SECONDS)
            transaction.on_commit(partial(enqueue, job.pk, delay * job.attempts))


# --- watchdog ---------------------------------------------------------------------------
def requeue_stalled(now: datetime.datetime | None = None) -> list[int]:
    """Running jobs without a heartbeat for the stall time lost their worker (killed, host
    gone) or hang: re-queue them (or fail them when out of attempts). Safe to run from
    many workers at once: each job is re-checked under its row lock."""
    cutoff = (now or timezone.now()) - datetime.timedelta(seconds=stall_seconds())
    handled = []
    stale = MediaJob.objects.filter(state=MediaJob.State.RUNNING, heartbeat_at__lt=cutoff)
    for job_id in stale.values_list("pk", flat=True):
        with transaction.atomic():
            job = MediaJob.objects.select_for_update().filter(
                pk=job_id, state=MediaJob.State.RUNNING, heartbeat_at__lt=cutoff).first()
            if job is None:
                continue
            _mark_task_abandoned(job.task_id)
            if job.attempts >= max_attempts():
                job.state = MediaJob.State.FAILED
                job.finished_at = timezone.now()
                job.message = _("Tiến trình xử lý dừng nhiều lần không rõ lý do; đã dừng hẳn. "
                                "Hãy báo quản trị viên.")
                job.save(update_fields=["state", "finished_at", "message"])
                Rendition.objects.filter(source_id=job.item_id, state=Rendition.State.PENDING
                                         ).update(state=Rendition.State.FAILED)
            else:
                job.state = MediaJob.State.QUEUED
                job.message = _("Tiến trình xử lý bị dừng giữa chừng; đã xếp hàng chạy lại.")
                job.detail = f"worker {job.worker} silent since {job.heartbeat_at.isoformat()}"
                job.worker = job.task_id = ""
                job.save(update_fields=["state", "message", "detail", "worker", "task_id"])
                transaction.on_commit(partial(enqueue, job.pk))
            handled.append(job.pk)
    if handled:
        logger.warning("media watchdog re-queued or failed stalled jobs %s", handled)
    return handled


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
