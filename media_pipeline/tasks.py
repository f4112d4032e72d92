"""Task entry points for the Django Tasks API. They take ids, never objects."""

from __future__ import annotations

from django_tasks import task

from .runner import run_job


@task()
def make_renditions(job_id: int) -> str:
    return run_job(job_id)


@task()
def make_pdf_thumbnail(document_id: int, spec_name: str) -> str:
    from .pdf_thumbnails import make_thumbnail

    return make_thumbnail(document_id, spec_name)
