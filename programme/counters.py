"""Counts of e-library use and kiosk plays: numbers per product and month or day, never an
address, browser string or account (the programme reports use, not users)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import KioskPlay, ProductUse, SupportPoint


def _bump(model, lookup: dict, field: str, create: dict, by: int = 1) -> None:
    """Add ``by`` to one counter row, creating it when missing (two requests may race to
    create it: the loser adds to the winner's row)."""
    if model.objects.filter(**lookup).update(**{field: F(field) + by}):
        return
    try:
        with transaction.atomic():
            model.objects.create(**lookup, **create, **{field: by})
    except IntegrityError:
        model.objects.filter(**lookup).update(**{field: F(field) + by})


def bump_existing_use(page_id: int, field: str) -> bool:
    """Add one to ``field`` of the page's row for this month when the row exists (one
    UPDATE, nothing loaded); False when this is the month's first use of the page."""
    month = timezone.localdate().replace(day=1)
    return bool(ProductUse.objects.filter(page_id=page_id, month=month)
                .update(**{field: F(field) + 1}))


def count_use(page, field: str) -> None:
    month = timezone.localdate().replace(day=1)
    _bump(ProductUse, {"page": page, "month": month}, field,
          {"translation_key": page.translation_key, "language": page.locale.language_code})


def count_kiosk_play(point: SupportPoint, page) -> None:
    today = timezone.localdate()
    _bump(KioskPlay, {"support_point": point, "page": page, "played_on": today}, "times",
          {"title": page.title[:255], "language": page.locale.language_code})
    SupportPoint.objects.filter(pk=point.pk).update(kiosk_last_contact=timezone.now())
