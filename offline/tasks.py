"""Task entry point for the Django Tasks API (run by ``db_worker``)."""

from __future__ import annotations

from django_tasks import task


@task()
def rebuild_zims() -> str:
    from .publishing import rebuild_if_due

    return rebuild_if_due()
