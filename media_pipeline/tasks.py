"""Task entry points for the Django Tasks API, and the receivers that enqueue them. They take
ids, never objects. The job state (jobs.py) and the PDF pictures (pdf_thumbnails.py) only
announce what should run; this module, above them, decides how it is run."""

from __future__ import annotations

import datetime

from django.dispatch import receiver
from django.utils import timezone
from django_tasks import task

from .jobs import job_ready
from .models import MediaJob
from .pdf_thumbnails import make_thumbnail, thumbnail_wanted
from .runner import run_job


@task()
def make_renditions(job_id: int) -> str:
    return run_job(job_id)


@task()
def make_pdf_thumbnail(document_id: int, spec_name: str) -> str:
    return make_thumbnail(document_id, spec_name)


@receiver(job_ready)
def enqueue_job(sender, job_id: int, delay: float = 0, **kwargs) -> None:
    task_ = make_renditions
    if delay and task_.get_backend().supports_defer:
        task_ = task_.using(run_after=timezone.now() + datetime.timedelta(seconds=delay))
    result = task_.enqueue(job_id)
    MediaJob.objects.filter(pk=job_id, task_id="").update(task_id=str(result.id))


@receiver(thumbnail_wanted)
def enqueue_thumbnail(sender, document_id: int, spec_name: str, **kwargs) -> None:
    make_pdf_thumbnail.enqueue(document_id, spec_name)
