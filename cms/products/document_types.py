"""A document is what its bytes are: the extension a document is uploaded under must
agree with its content, so that a page of HTML cannot be stored as ``tai-lieu.pdf``."""

from __future__ import annotations

import posixpath
from typing import BinaryIO

from django import forms
from django.utils.translation import gettext as _
from wagtail.documents.forms import BaseDocumentForm

ZIP = b"PK\x03\x04"
# extension -> what the first bytes must be (None: UTF-8 text)
SIGNATURES: dict[str, bytes | None] = {
    "pdf": b"%PDF-", "odt": ZIP, "docx": ZIP, "epub": ZIP, "txt": None,
}
HEAD = 4096


class DocumentContentMismatch(forms.ValidationError):
    pass


def check_document_content(name: str, fh: BinaryIO) -> None:
    """Raise DocumentContentMismatch (a Vietnamese message) unless the content is what the
    extension says."""
    extension = posixpath.splitext(name)[1].lower().lstrip(".")
    expected = SIGNATURES.get(extension, b"")
    position = fh.tell()
    head = fh.read(HEAD)
    fh.seek(position)
    if expected is None:
        matches = b"\x00" not in head and _utf8_prefix(head)
    else:
        matches = bool(expected) and head.startswith(expected)
    if not matches:
        raise DocumentContentMismatch(
            _("Nội dung tệp không phải là %(type)s như tên tệp ghi (.%(ext)s).")
            % {"type": extension.upper() or _("tài liệu"), "ext": extension},
            code="content_mismatch")


def _utf8_prefix(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:  # a character cut by the 4 KB window is fine
        return exc.start >= len(data) - 3
    return True


class DocumentForm(BaseDocumentForm):
    """Wagtail's document form, checking the content against the extension."""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is not None and hasattr(upload, "read") and getattr(upload, "name", ""):
            check_document_content(upload.name, upload)
        return upload
