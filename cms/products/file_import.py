"""Put a file from the local disk into the site's stores: a probed media item, a Wagtail
image or a Wagtail document. Used by the demo command, imports and tests alike."""

from __future__ import annotations

from pathlib import Path

from django.core.files import File
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from media_pipeline.models import MediaItem
from media_pipeline.probe import probe
from translations.sanitise import check_plain_text

from .document_types import check_document_content


def _store(obj, path: Path):
    # The same rule as every form: no control characters in a title.
    check_plain_text(obj.title)
    with path.open("rb") as fh:
        obj.file.save(path.name, File(fh), save=False)
    obj.save()
    return obj


def import_media_item(path: Path, title: str) -> MediaItem:
    """A media item whose kind, duration and size come from probing the file."""
    item = MediaItem(title=title)
    item.apply_probe(probe(path))
    return _store(item, path)


def import_image(path: Path, title: str):
    return _store(get_image_model()(title=title), path)


def import_document(path: Path, title: str):
    """A Wagtail document, refused (DocumentContentMismatch) when the content is not what
    the extension says."""
    with path.open("rb") as fh:
        check_document_content(path.name, fh)
    return _store(get_document_model()(title=title), path)
