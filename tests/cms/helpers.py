"""Small helpers for driving the Wagtail admin the way an editor does."""

from __future__ import annotations

from pathlib import Path

from django.core.files import File
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from media_pipeline.models import MediaItem
from media_pipeline.probe import probe


def media_item(path: Path, title: str = "Bản ghi") -> MediaItem:
    item = MediaItem(title=title)
    item.apply_probe(probe(path))
    with path.open("rb") as fh:
        item.file.save(path.name, File(fh), save=False)
    item.save()
    return item


def image(path: Path, title: str = "Ảnh"):
    img = get_image_model()(title=title)
    with path.open("rb") as fh:
        img.file.save(path.name, File(fh), save=False)
    img.save()
    return img


def document(path: Path, title: str = "Tài liệu"):
    doc = get_document_model()(title=title)
    with path.open("rb") as fh:
        doc.file.save(path.name, File(fh), save=False)
    doc.save()
    return doc


def page_form(title: str, slug: str, **fields) -> dict:
    """POST data for a product page's admin form, with a one-paragraph body."""
    data = {
        "title": title,
        "slug": slug,
        "summary": "Tóm tắt",
        "production_year": 2026,
        "funding_line": "p10-1",
        "rights": "CC BY 4.0",
        "body": streamfield([("paragraph", rich_text("<p>Nội dung bản tin.</p>"))]),
        "topics": [],
    }
    data.update(fields)
    return nested_form_data(data)


def add_url(model, parent) -> str:
    return reverse(
        "wagtailadmin_pages:add",
        args=[model._meta.app_label, model._meta.model_name, parent.pk],
    )


def edit_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])
