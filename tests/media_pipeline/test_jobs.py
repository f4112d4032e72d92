"""Jobs: enqueued on commit with ids, one worker per job, idempotent, bounded retries,
watchdog, cancel and re-run, and the management command."""

from __future__ import annotations

import datetime
import hashlib
import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from media_pipeline import jobs
from media_pipeline.exceptions import JobLost, TransientError
from media_pipeline.ffmpeg_run import classify_failure
from media_pipeline.models import MediaJob, Rendition
from media_pipeline.runner import run_job

from .conftest import make_item, run_profiles, scratch_files, stored_files

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
def test_new_item_enqueues_its_job_id_only_when_the_transaction_commits(hostile, settings):
    settings.TASKS = DB_TASKS
    ours = DBTaskResult.objects.filter(task_path="media_pipeline.tasks.make_renditions")
    with transaction.atomic():
        item = make_item(hostile.mp3())
        assert not ours.exists()  # nothing a worker could see yet
    job = item.jobs.get()
    task = ours.get()
    assert task.args_kwargs["args"] == [job.pk]
    assert job.state == MediaJob.State.QUEUED and job.task_id == str(task.pk)


@pytest.mark.django_db(transaction=True)
def test_replacing_the_file_remakes_the_renditions(hostile, settings):
    settings.TASKS = DB_TASKS
    item = make_item(hostile.mp3("a.mp3", seconds=2))
    first = item.jobs.get()
    with hostile.mp3("b.mp3", seconds=3).open("rb") as fh:
        from django.core.files import File

        item.file.save("b.mp3", File(fh))
    first.refresh_from_db()
    assert first.state == MediaJob.State.CANCELLED  # it was making the old file's outputs
    second = item.active_job()
    assert second.force and second.pk != first.pk


def test_only_one_worker_claims_a_job(db, hostile):
    item = make_item(hostile.mp3())
    job = item.active_job()
    assert jobs.claim(job.pk, "worker-a") is not None
    assert jobs.claim(job.pk, "worker-b") is None
    assert run_job(job.pk) == "not-queued"


def test_job_is_idempotent_and_remakes_only_what_is_missing(db, hostile, settings):
    item = make_item(hostile.mp3())
    job = run_profiles(item, "radio-loudspeaker", "waveform")
    assert job.state == MediaJob.State.SUCCEEDED, job.message
    first = {r.profile: (r.file.name, r.sha256) for r in item.renditions.all()}
    again = run_profiles(item, "radio-loudspeaker", "waveform")
    assert again.state == MediaJob.State.SUCCEEDED
    assert "không cần làm gì" in again.message
    assert {r.profile: (r.file.name, r.sha256) for r in item.renditions.all()} == first
    wave = item.get_rendition("waveform")
    wave.file.storage.delete(wave.file.name)  # a file lost from storage is missing
    third = run_profiles(item, "radio-loudspeaker", "waveform")
    assert third.message.endswith("waveform.")
    assert item.renditions.count() == 2
    assert stored_files(settings.MEDIA_ROOT) == {item.file.name} | set(
        item.renditions.values_list("file", flat=True))


def test_rendition_metadata_matches_the_files(db, hostile, settings):
    item = make_item(hostile.mp3())
    run_profiles(item, "radio-loudspeaker", "broadcast-master-wav", "phone-audio")
    for rendition in item.renditions.all():
        data = (settings.MEDIA_ROOT / rendition.file.name).read_bytes()
        assert rendition.state == Rendition.State.READY
        assert rendition.sha256 == hashlib.sha256(data).hexdigest()
        assert rendition.size == len(data)
        assert rendition.loudness_true_peak <= -1.0
        assert rendition.loudness_range is not None
    assert item.get_rendition("radio-loudspeaker").bit_rate == pytest.approx(128_000, rel=0.05)
    assert item.get_rendition("radio-loudspeaker").loudness_integrated == pytest.approx(
        -16, abs=0.5)
    assert item.get_rendition("broadcast-master-wav").loudness_integrated == pytest.approx(
        -23, abs=0.5)


def test_killed_ffmpeg_is_transient_bad_data_is_not():
    assert isinstance(classify_failure(-9, "killed"), TransientError)
    assert isinstance(classify_failure(1, "No space left on device"), TransientError)
    assert not isinstance(classify_failure(1, "Invalid data found when processing input"),
                          TransientError)


def test_transient_errors_are_retried_a_bounded_number_of_times(db, hostile, settings):
    settings.TASKS = DB_TASKS
    settings.LOA_MEDIA_JOB_MAX_ATTEMPTS = 2
    item = make_item(hostile.mp3())
    job = item.active_job()
    for attempt in (1, 2):
        claimed = jobs.claim(job.pk, f"w{attempt}")
        assert claimed.attempts == attempt
        jobs.retry_or_fail(claimed, f"w{attempt}", TransientError(detail="disk full"))
    job.refresh_from_db()
    assert job.state == MediaJob.State.FAILED
    assert "2 lần" in job.message and job.detail == "disk full"


def test_cancelled_job_stops_at_its_next_heartbeat(db, hostile):
    item = make_item(hostile.mp3())
    job = jobs.claim(item.active_job().pk, "w1")
    reporter = jobs.Reporter(job.pk, "w1")
    reporter.plan([("Mã hoá âm thanh", 1.0)])
    reporter.next_stage()
    assert jobs.cancel(job)
    with pytest.raises(JobLost):
        reporter.write(0.5, force=True)
    job.refresh_from_db()
    assert job.state == MediaJob.State.CANCELLED and "huỷ" in job.message


def test_watchdog_requeues_a_job_whose_worker_went_silent(db, hostile, settings):
    settings.TASKS = DB_TASKS
    settings.LOA_MEDIA_JOB_STALL_SECONDS = 60
    item = make_item(hostile.mp3())
    job = jobs.claim(item.active_job().pk, "dead-worker")
    fresh = jobs.requeue_stalled()
    assert fresh == []  # heartbeat is recent
    MediaJob.objects.filter(pk=job.pk).update(
        lease_until=timezone.now() - datetime.timedelta(minutes=5))
    assert jobs.requeue_stalled() == [job.pk]
    job.refresh_from_db()
    assert job.state == MediaJob.State.QUEUED and job.worker == ""
    assert "chạy lại" in job.message
    settings.LOA_MEDIA_JOB_MAX_ATTEMPTS = 1
    jobs.claim(job.pk, "another")
    MediaJob.objects.filter(pk=job.pk).update(
        lease_until=timezone.now() - datetime.timedelta(minutes=5))
    jobs.requeue_stalled()
    job.refresh_from_db()
    assert job.state == MediaJob.State.FAILED


def test_management_command_remakes_and_purges_a_profile(db, hostile, settings):
    item = make_item(hostile.mp3())
    run_profiles(item, "waveform")
    old = item.get_rendition("waveform")
    (settings.MEDIA_ROOT / old.file.name).write_bytes(b"damaged")
    out = io.StringIO()
    call_command("media_renditions", "--profile", "waveform", stdout=out)
    assert "1/1" in out.getvalue() and "#" in out.getvalue()  # the progress bar
    new = item.get_rendition("waveform")
    data = (settings.MEDIA_ROOT / new.file.name).read_bytes()
    assert data[:4] == b"\x89PNG"  # the damaged file was replaced
    assert new.sha256 == hashlib.sha256(data).hexdigest()
    call_command("media_renditions", "--profile", "waveform", "--purge", stdout=out)
    assert not item.renditions.exists()
    assert stored_files(settings.MEDIA_ROOT) == {item.file.name}
    assert not scratch_files(settings.MEDIA_ROOT)
