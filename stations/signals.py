"""Tell the station gate when a bulletin's download may have changed: its answers for the
bulletins are kept per process while ``GateStamp`` stays the same (stations.gate)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from media_pipeline.models import Rendition

from .models import GateStamp


def bump() -> None:
    """A new stamp, once the change is committed (inside the change's transaction the stamp's
    row lock would queue every writer behind it); the gate sees it on its next question."""
    transaction.on_commit(_bump)


def _bump() -> None:
    if not GateStamp.objects.filter(pk=1).update(value=F("value") + 1):
        GateStamp.objects.get_or_create(pk=1, defaults={"value": 1})


def _on_change(sender, **kwargs) -> None:
    bump()


def _on_delete(sender, instance, **kwargs) -> None:
    if isinstance(instance, (Page, PageViewRestriction, Rendition)):
        bump()


def connect() -> None:
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(_on_change, dispatch_uid=f"loa-gate-{id(signal)}")
    for model in (PageViewRestriction, Rendition):
        post_save.connect(_on_change, sender=model, dispatch_uid=f"loa-gate-save-{model}")
    post_delete.connect(_on_delete, dispatch_uid="loa-gate-delete")
