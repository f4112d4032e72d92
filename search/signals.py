"""Keeping the public index right where Wagtail saves no page: view restrictions."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from wagtail.models import PageViewRestriction


def _restriction_changed(instance: PageViewRestriction, **kwargs) -> None:
    from search.tasks import reindex_subtree

    # A job row written in the same transaction as the restriction (django-tasks' database
    # backend): it runs once both are committed.
    reindex_subtree.enqueue(instance.page_id)


def connect() -> None:
    post_save.connect(_restriction_changed, sender=PageViewRestriction,
                      dispatch_uid="loa_search_restriction_saved")
    post_delete.connect(_restriction_changed, sender=PageViewRestriction,
                        dispatch_uid="loa_search_restriction_deleted")
