"""Background jobs (django-tasks, run by ``manage.py db_worker``) of the public search."""

from __future__ import annotations

from django_tasks import task
from modelsearch import index
from wagtail.models import Page

from . import catch_up
from .public import public_backend


@task()
def apply_pending_updates() -> int:
    """Index updates the engine missed while it was down (``search.catch_up``)."""
    return catch_up.apply_pending(public_backend())


@task()
def reindex_subtree(page_id: int) -> int:
    """A view restriction was set or lifted on a page: its subtree goes in or out of the
    public index (``search.visibility``). Pages are not saved, so nothing else tells."""
    root = Page.objects.filter(pk=page_id).first()
    if root is None:
        return 0
    count = 0
    for page in root.get_descendants(inclusive=True).specific().iterator():
        index.insert_or_update_object(page)
        count += 1
    return count


def schedule_catch_up() -> None:
    """After a write the engine accepted: apply what it missed before, in a background job."""
    if catch_up.catching_up_wanted():
        apply_pending_updates.enqueue()
