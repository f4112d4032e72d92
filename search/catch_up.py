"""No lost index update: what the engine could not take is written down
(``PendingIndexUpdate``) and applied once it answers again — by the next index job that
succeeds (a background job), or by ``manage.py search_catch_up`` (cron, every minute)."""

from __future__ import annotations

import logging
from contextvars import ContextVar

from django.apps import apps
from django.db import transaction

logger = logging.getLogger(__name__)
_applying: ContextVar[bool] = ContextVar("loa_search_applying", default=False)


def remember(obj) -> None:
    """``obj``'s index entry could not be written: keep it for later."""
    from search.models import PendingIndexUpdate

    meta = obj._meta
    PendingIndexUpdate.objects.get_or_create(
        app_label=meta.app_label, model_name=meta.model_name, object_id=str(obj.pk))


def pending_count() -> int:
    from search.models import PendingIndexUpdate

    return PendingIndexUpdate.objects.count()


def catching_up_wanted() -> bool:
    """Updates are waiting and we are not applying them right now."""
    return not _applying.get() and pending_count() > 0


def apply_pending(backend, limit: int = 1000) -> int:
    """Re-index (or remove) up to ``limit`` remembered objects on ``backend``; an object
    the engine refuses again is remembered again. Returns how many were applied."""
    from search.models import PendingIndexUpdate

    token = _applying.set(True)
    applied = 0
    try:
        with transaction.atomic():
            rows = list(PendingIndexUpdate.objects.select_for_update(skip_locked=True)
                        .order_by("pk")[:limit])
            PendingIndexUpdate.objects.filter(pk__in=[r.pk for r in rows]).delete()
        for row in rows:
            model = apps.get_model(row.app_label, row.model_name)
            obj = model.objects.filter(pk=row.object_id).first()
            index = backend.get_index_for_model(model)
            if obj is None:
                index.delete_item(model(pk=row.object_id))
            else:
                index.add_item(obj)
            applied += 1
    finally:
        _applying.reset(token)
    if applied:
        logger.info("search engine: %d missed index updates applied", applied)
    return applied
