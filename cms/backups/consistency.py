"""After a restore: rows that name a file the backup does not hold.

The backup copies the database first and the media second, so every file a row named at the
snapshot existed when the copy began; only a file deleted in between (a rendition re-made or
purged while the backup ran) can be missing. Renditions can be made again, so their rows are
dropped — media renditions are queued to be re-made, picture renditions are re-made by Wagtail
on the next request. Any other missing file (an original upload) is reported, never hidden."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.db import models, transaction
from wagtail.images.models import AbstractRendition

from media_pipeline.jobs import request_renditions
from media_pipeline.models import MediaItem
from media_pipeline.models import Rendition as MediaRendition


@dataclass
class Repairs:
    dropped_renditions: list[str] = field(default_factory=list)
    missing_originals: list[str] = field(default_factory=list)
    requeued_items: list[int] = field(default_factory=list)


def file_fields() -> list[tuple[type[models.Model], str]]:
    return [(model, f.name) for model in apps.get_models() for f in model._meta.get_fields()
            if isinstance(f, models.FileField) and f.concrete]


def repair(present: set[str]) -> Repairs:
    repairs = Repairs()
    items: set[int] = set()
    for model, name in file_fields():
        rows = model._default_manager.exclude(**{name: ""}).exclude(**{f"{name}__isnull": True})
        for pk, stored in rows.values_list("pk", name).iterator():
            if stored in present:
                continue
            label = f"{model._meta.label}#{pk}: {stored}"
            if model is MediaRendition or issubclass(model, AbstractRendition):
                repairs.dropped_renditions.append(label)
                if model is MediaRendition:
                    items.add(model.objects.filter(pk=pk).values_list("source_id",
                                                                      flat=True).get())
                model._default_manager.filter(pk=pk).delete()
            else:
                repairs.missing_originals.append(label)
    for item in MediaItem.objects.filter(pk__in=items):
        with transaction.atomic():
            request_renditions(item)
        repairs.requeued_items.append(item.pk)
    return repairs
