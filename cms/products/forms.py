"""Admin forms for Wagtail images and documents (WAGTAILIMAGES_IMAGE_FORM_BASE,
WAGTAILDOCS_DOCUMENT_FORM_BASE): a file that approved content uses keeps its file."""

from __future__ import annotations

from wagtail.images.forms import BaseImageForm

from translations.plain_text import reject_control_characters

from .document_types import DocumentForm as ContentCheckedDocumentForm
from .file_integrity import FileInUse, pages_showing


class ApprovedFileFormMixin:
    """Refuse a new file for an object a live or in-review page uses, with the reason."""

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and "file" in self.changed_data:
            pages = pages_showing(self.instance)
            if pages:
                self.add_error("file", str(FileInUse(self.instance, pages)))
        return cleaned


class PlainTitleMixin:
    """Wagtail's own image and document models cannot take our model validator: their
    forms apply it to the title, as every other plain-text field does."""

    def clean_title(self):
        title = self.cleaned_data.get("title", "")
        reject_control_characters(title)
        return title


class ImageForm(PlainTitleMixin, ApprovedFileFormMixin, BaseImageForm):
    pass


class DocumentForm(PlainTitleMixin, ApprovedFileFormMixin, ContentCheckedDocumentForm):
    """Also: the content must be what the extension says (document_types.py)."""
