"""First-page pictures of PDF documents, as Wagtail images.

Why a Wagtail image: public pages then use the usual image renditions (WebP, srcset, a
focal point on the page's title band for cropped cards) with no second picture pipeline;
the image sits in the document's collection, so its permissions follow the document's.
A ``DocumentThumbnail`` row ties (document, spec) to the image and says whether it is
ready, stale (the document's file was replaced) or failed (with a message in Vietnamese).

Made by a task enqueued on commit when a PDF is saved; re-made lazily when asked for and
missing or stale (``request_thumbnail``), or by ``manage.py media_pdf_thumbnails``. Drawn
in a scratch folder, checked, then moved into storage; the image row and the link are
written in one transaction, so a page never shows half a picture.
"""

from __future__ import annotations

import logging
import tempfile
from functools import partial
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import transaction
from django.dispatch import Signal
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.utils.file import hash_filelike

from . import pdf_render, storage_io
from .exceptions import MediaError
from .models import DocumentThumbnail

# Sent with ``document_id`` and ``spec_name`` when a PDF picture should be made.
thumbnail_wanted = Signal()

logger = logging.getLogger(__name__)

# Stored names start with this, for people looking at the storage. (Access does not rely
# on names: Wagtail truncates rendition names; the gate asks the database, see
# cms.products.media_access.image_owner.)
FILE_PREFIX = "pdf-first-page-"


def is_pdf(document) -> bool:
    return bool(document and document.file and document.file.name.lower().endswith(".pdf"))


def current_thumbnail(document, spec=pdf_render.FIRST_PAGE) -> DocumentThumbnail | None:
    if not is_pdf(document):
        return None
    return (DocumentThumbnail.objects.select_related("image")
            .filter(document=document, spec=spec.name).first())


def thumbnail_image(document, spec=pdf_render.FIRST_PAGE):
    """The ready first-page picture of ``document``'s current file, or None."""
    row = current_thumbnail(document, spec)
    return row.image if row and row.is_current(document.file.name) else None


def needs_making(document, spec=pdf_render.FIRST_PAGE) -> bool:
    """No picture of the current file yet, and no failure on it either (the same file
    would fail again; a new upload is a new file)."""
    if not is_pdf(document):
        return False
    row = current_thumbnail(document, spec)
    if row is None or row.source != document.file.name:
        return True
    return row.state == DocumentThumbnail.State.READY and row.image_id is None  # image deleted


def request_thumbnail(document, spec=pdf_render.FIRST_PAGE) -> bool:
    """Enqueue the task (on commit, with the id) when the picture needs making."""
    if not needs_making(document, spec):
        return False
    transaction.on_commit(partial(enqueue, document.pk, spec.name))
    return True


def enqueue(document_id: int, spec_name: str) -> None:
    """Announce the picture to make; the task layer (tasks.py) enqueues it."""
    thumbnail_wanted.send(sender=DocumentThumbnail, document_id=document_id,
                          spec_name=spec_name)


def make_thumbnail(document_id: int, spec_name: str = pdf_render.FIRST_PAGE.name, *,
                   force: bool = False) -> str:
    """Idempotent: does nothing when the current file already has its picture (unless
    ``force``). Returns "made", "ready", "failed" or "not-pdf"."""
    spec = pdf_render.SPECS[spec_name]
    document = get_document_model().objects.filter(pk=document_id).first()
    if not is_pdf(document):
        return "not-pdf"
    source = document.file.name
    row = current_thumbnail(document, spec)
    if row is not None and row.is_current(source) and not force:
        return "ready"
    work = storage_io.work_root()
    work.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=work, prefix=f"pdf-{document.pk}-") as tmp:
        try:
            with storage_io.local_source(source, Path(tmp)) as pdf:
                png = pdf_render.render_first_page(pdf, Path(tmp) / "page", spec)
        except MediaError as error:
            _record_failure(document, spec, source, error)
            return "failed"
        return _record_picture(document, spec, source, png, force=force)


def _locked_row(document, spec) -> DocumentThumbnail:
    row, _created = DocumentThumbnail.objects.get_or_create(document=document, spec=spec.name)
    return DocumentThumbnail.objects.select_for_update().get(pk=row.pk)


def _record_failure(document, spec, source: str, error: MediaError) -> None:
    """The picture of a replaced file must not stay on show: it is dropped too."""
    with transaction.atomic():
        row = _locked_row(document, spec)
        old_image = row.image
        row.state, row.source, row.image = DocumentThumbnail.State.FAILED, source, None
        row.message, row.detail = str(error.message), error.detail[-8000:]
        row.save()
        if old_image is not None:
            old_image.delete()
    logger.info("PDF thumbnail of document %s failed: %s", document.pk, error.detail[:200])


def _record_picture(document, spec, source: str, png: Path, *, force: bool) -> str:
    stored = storage_io.move_in_place(png, f"original_images/{FILE_PREFIX}{document.pk}.png")
    try:
        with transaction.atomic():
            row = _locked_row(document, spec)
            if row.is_current(source) and not force:  # another worker finished first
                default_storage.delete(stored)
                return "ready"
            old_image = row.image
            row.image = _image_row(document, stored)
            row.state, row.source, row.message, row.detail = (
                DocumentThumbnail.State.READY, source, "", "")
            row.save()
            if old_image is not None:
                old_image.delete()  # Wagtail removes its file and renditions on commit
    except BaseException:
        if default_storage.exists(stored):
            default_storage.delete(stored)
        raise
    return "made"


def _image_row(document, stored: str):
    image_model = get_image_model()
    image = image_model(
        title=(_("Trang đầu: %(title)s") % {"title": document.title})[:255],
        collection=document.collection,
        uploaded_by_user=document.uploaded_by_user,
    )
    image.file.name = stored
    with default_storage.open(stored, "rb") as fh:
        image.file_hash = hash_filelike(fh)
    image.file_size = default_storage.size(stored)
    with default_storage.open(stored, "rb") as fh:
        from PIL import Image

        with Image.open(fh) as picture:
            image.width, image.height = picture.size
    _focus_on_title_band(image)
    image.save()
    return image


def _focus_on_title_band(image) -> None:
    """Cropped cards (16:9) show the top of the page, where the title is, not its middle."""
    band = min(image.height, round(image.width * 9 / 16))
    image.focal_point_x, image.focal_point_y = image.width // 2, band // 2
    image.focal_point_width, image.focal_point_height = image.width, band



def purge(document) -> None:
    """Delete the document's pictures (signals.py deletes the images with the rows)."""
    for row in DocumentThumbnail.objects.filter(document=document):
        row.delete()
