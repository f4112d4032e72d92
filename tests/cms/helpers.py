"""Small helpers for driving the Wagtail admin the way an editor does."""

from __future__ import annotations

from pathlib import Path

from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from cms.products.file_import import import_document, import_image, import_media_item
from media_pipeline.models import MediaItem


def media_item(path: Path, title: str = "Bản ghi") -> MediaItem:
    return import_media_item(path, title)


def image(path: Path, title: str = "Ảnh"):
    return import_image(path, title)


def document(path: Path, title: str = "Tài liệu"):
    return import_document(path, title)


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
