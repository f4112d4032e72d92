"""Background job: deliver one language version after it is published (ids, not objects)."""

from __future__ import annotations

from django_tasks import task

from .delivery import deliver_page


@task()
def deliver_page_task(page_id: int) -> str:
    outcome = deliver_page(page_id)
    record = outcome.record
    return f"{record} {record.state}" if record else "nothing to deliver"
