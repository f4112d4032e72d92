"""A document without a cover shows the first page of its PDF (pdftoppm), on the live page
and in listings, never while the document is a draft; a PDF that cannot be drawn gets a
clear Vietnamese message, keeps the document, and shows nothing half-made."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.files import File
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from PIL import Image
from wagtail.images import get_image_model

from cms.products.document_types import DocumentContentMismatch
from cms.products.file_import import import_document
from cms.products.models import DocumentPage
from media_pipeline.models import DocumentThumbnail

from .test_publication import users_client


def upload(path: Path, capture, title: str = "Sổ tay biên giới"):
    """As the admin does: the document is saved, the picture is made on commit."""
    with capture(execute=True):
        return import_document(path, title)


def thumbnail_of(document) -> DocumentThumbnail:
    return DocumentThumbnail.objects.get(document=document, spec="first-page")


def encrypted_pdf(path: Path) -> Path:
    """A one-page PDF locked with a password we do not know (Standard security handler)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
               b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32
               + b"> /P -4 >>"]
    return _write_pdf(path, objects, b"/Encrypt 4 0 R /ID [<" + b"ab" * 16 + b"><" + b"ab" * 16
                      + b">] ")


def huge_page_pdf(path: Path) -> Path:
    """A 200 × 200 inch page (the largest PDF allows): drawn at 150 dpi it would need 2.7 GB."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 14400 14400] /Contents 4 0 R >>",
               b"<< /Length 34 >>\nstream\n0 0 1 rg 0 0 14400 7200 re f\nendstream"]
    return _write_pdf(path, objects)


def _write_pdf(path: Path, objects: list[bytes], trailer_extra: bytes = b"") -> Path:
    out, offsets = bytearray(b"%PDF-1.6\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, trailer_extra, xref)
    path.write_bytes(bytes(out))
    return path


def test_first_page_is_the_cover_of_the_live_page_only(province, users, media_files,
                                                      django_capture_on_commit_callbacks):
    doc = upload(media_files.pdf(pages=2), django_capture_on_commit_callbacks)
    thumb = thumbnail_of(doc)
    assert thumb.state == DocumentThumbnail.State.READY
    picture = thumb.image
    assert max(picture.width, picture.height) == 1600 and picture.height > picture.width
    assert picture.collection_id == doc.collection_id

    page = DocumentPage(title="Sổ tay biên giới", slug="so-tay-bien-gioi", live=False, pdf=doc)
    province.district_a.section_page.add_child(instance=page)
    page.save_revision()
    # Wagtail cuts long rendition names ("pdf-fi.…webpquality-60.webp"): access must not
    # depend on them, so the card is checked with the listing's own spec.
    card = picture.get_rendition("fill-320x180|format-webp|webpquality-60")
    anonymous, editor = Client(), users_client(users)
    for url in (picture.file.url, card.url):  # a draft's picture stays private
        assert anonymous.get(url).status_code == 404, url
        assert editor.get(url).status_code == 200, url
    edit_view = editor.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert "dùng làm ảnh bìa vì chưa chọn ảnh bìa" in edit_view

    page.save_revision().publish()
    html = anonymous.get(page.url).content.decode()
    cover = picture.get_rendition("width-640|format-webp")
    assert cover.url in html  # srcset of the product page
    served = anonymous.get(cover.url)
    assert served.status_code == 200 and served["Content-Type"] == "image/webp"
    listing = anonymous.get(province.district_a.section_page.url).content.decode()
    assert card.url in listing and anonymous.get(card.url).status_code == 200


def test_unusable_pdfs_fail_clearly_and_keep_the_document(province, users, media_files, settings,
                                                         django_capture_on_commit_callbacks):
    good = media_files.pdf("ban-dau.pdf", pages=1)
    doc = upload(good, django_capture_on_commit_callbacks)
    page = DocumentPage(title="Thông tin chuyên đề", slug="chuyen-de", live=False, pdf=doc)
    province.district_a.section_page.add_child(instance=page)
    page.save_revision()
    assert DocumentPage.objects.get(pk=page.pk).display_cover == thumbnail_of(doc).image

    # The editor replaces the draft's file with a truncated copy (a live page's file cannot
    # be replaced at all: tests/security): the old picture must not stay.
    data = good.read_bytes()
    truncated = media_files.raw("bi cat do.pdf", data[: len(data) // 2])
    with django_capture_on_commit_callbacks(execute=True), truncated.open("rb") as fh:
        doc.file.save(truncated.name, File(fh))
    thumb = thumbnail_of(doc)
    assert thumb.state == DocumentThumbnail.State.FAILED
    assert thumb.message.startswith("Không đọc được tệp PDF") and thumb.image is None
    assert not get_image_model().objects.exists()  # old picture gone, no new half one
    doc.refresh_from_db()
    with doc.file.open("rb") as fh:
        assert fh.read() == data[: len(data) // 2]  # the upload is kept as it came
    assert DocumentPage.objects.get(pk=page.pk).display_cover is None
    edit_view = users_client(users).get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert "Không tạo được ảnh trang đầu: Không đọc được tệp PDF" in edit_view.content.decode()

    locked = upload(encrypted_pdf(media_files.folder / "mat khau.pdf"),
                    django_capture_on_commit_callbacks)
    assert thumbnail_of(locked).message.startswith("Tệp PDF có đặt mật khẩu")
    assert locked.file.size > 0
    # Text under a PDF's name is not taken at all: what a file is decides, not its name.
    text = media_files.raw("van ban.pdf", "Không phải PDF\n".encode() * 40)
    with pytest.raises(DocumentContentMismatch, match="không phải là PDF"):
        upload(text, django_capture_on_commit_callbacks)
    settings.LOA_PDF_THUMBNAIL_TIMEOUT = 0.001  # pdftoppm is killed, the worker goes on
    slow = upload(media_files.pdf("cham.pdf", pages=1),
                  django_capture_on_commit_callbacks)
    assert thumbnail_of(slow).message.startswith("Trang đầu của tệp PDF quá nặng")
    assert not get_image_model().objects.exists()

    settings.LOA_PDF_THUMBNAIL_TIMEOUT = 30
    huge = upload(huge_page_pdf(media_files.folder / "khong lo.pdf"),
                  django_capture_on_commit_callbacks)
    picture = thumbnail_of(huge).image
    assert (picture.width, picture.height) == (1600, 1600)  # size capped, not 30000 px


def test_a_page_too_heavy_for_the_memory_ceiling_leaves_no_blank_picture(
        db, media_files, settings, django_capture_on_commit_callbacks):
    """Under the memory ceiling (LOA_PDF_THUMBNAIL_MEMORY_BYTES) pdftoppm reports the failed
    allocation yet exits 0 with a blank or 1×1 page: that must not become the document's
    picture. The editor reads why, the file is kept, and re-running the command with room
    to draw makes the real picture."""
    settings.LOA_PDF_THUMBNAIL_MEMORY_BYTES = 20 * 1024 * 1024  # less than one drawn page
    doc = upload(media_files.pdf("nang.pdf", pages=1), django_capture_on_commit_callbacks)
    thumb = thumbnail_of(doc)
    assert thumb.state == DocumentThumbnail.State.FAILED and thumb.image is None
    assert thumb.message.startswith("Tệp PDF quá lớn hoặc trang đầu quá nặng")
    assert not get_image_model().objects.exists()
    doc.refresh_from_db()
    assert doc.file.size > 0

    settings.LOA_PDF_THUMBNAIL_MEMORY_BYTES = 512 * 1024 * 1024
    call_command("media_pdf_thumbnails", "--document", str(doc.pk), stdout=StringIO())
    picture = thumbnail_of(doc).image
    assert max(picture.width, picture.height) == 1600
    with picture.file.open("rb") as fh, Image.open(fh) as drawn:
        assert drawn.convert("L").getextrema()[0] < 128  # the page's text, not a blank
