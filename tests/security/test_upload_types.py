"""What a file is decides its stored name and its type; nothing stored is ever rendered
as a page on the site's origin (finding: an MP3 uploaded as x.html was served as HTML)."""

from __future__ import annotations

import subprocess

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import Collection

from media_pipeline.models import MediaItem

pytestmark = pytest.mark.django_db
SCRIPT_TITLE = "<script>document.title='pwned'</script>"


@pytest.fixture
def editor(users) -> Client:
    client = Client(raise_request_exception=True)
    client.force_login(users.admin)
    return client


def _mp3_named_html(media_files) -> tuple:
    """A valid MP3 (ffprobe reads it) called x.html, with a script in its ID3 title."""
    speech = media_files.speech()
    target = speech.with_name("x.html")
    subprocess.run(["ffmpeg", "-nostdin", "-y", "-loglevel", "error", "-i", str(speech),
                    "-metadata", f"title={SCRIPT_TITLE}", "-c", "copy", "-f", "mp3",
                    str(target)], check=True, timeout=60)
    return target


def test_mp3_uploaded_as_html_is_stored_and_served_as_mp3(editor, media_files):
    path = _mp3_named_html(media_files)
    with path.open("rb") as fh:
        response = editor.post(reverse("wagtailsnippets_media_pipeline_mediaitem:add"),
                               {"title": "Bản tin", "file": fh,
                                "collection": Collection.get_first_root_node().pk})
    assert response.status_code == 302
    item = MediaItem.objects.get()
    assert item.file.name.endswith("/x.mp3")
    served = editor.get(item.file.url)
    assert served.status_code == 200
    assert served["Content-Type"] == "audio/mpeg"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Security-Policy"] == "default-src 'none'; sandbox"


def _add_document(client, path):
    with path.open("rb") as fh:
        return client.post(reverse("wagtaildocs:add"), {
            "title": "Tài liệu", "file": fh, "collection": Collection.get_first_root_node().pk})


@pytest.mark.parametrize(("name", "data"), [
    ("tai-lieu.pdf", b"<html><script>alert(1)</script></html>"),
    ("so-tay.docx", b"%PDF-1.4 not a zip"),
    ("ghi-chu.txt", b"\x00\x01binary\xff\xfe"),
])
def test_document_whose_content_is_not_its_extension_is_refused(editor, media_files, name,
                                                                data):
    response = _add_document(editor, media_files.raw(name, data))
    assert response.status_code == 200
    assert "Nội dung tệp không phải là" in response.content.decode()
    assert not get_document_model().objects.exists()


def test_documents_and_text_go_out_as_attachments_media_streams_inline(editor, media_files,
                                                                      library):
    assert _add_document(editor, media_files.pdf()).status_code == 302
    assert _add_document(editor, media_files.raw("ghi-chu.txt", "Ghi chú".encode())
                         ).status_code == 302
    for document in get_document_model().objects.filter(title="Tài liệu"):
        served = editor.get(document.url)
        assert served.status_code == 200
        assert served["Content-Disposition"].startswith("attachment;"), document.filename
        assert served["X-Content-Type-Options"] == "nosniff"
        assert served["Content-Security-Policy"] == "default-src 'none'; sandbox"
    page = library.bulletins[0]
    public = Client()
    for url, kind in ((page.cover.file.url, "image/"), (page.audio.file.url, "audio/mpeg")):
        served = public.get(url)
        assert served.status_code == 200 and served["Content-Type"].startswith(kind)
        assert served["Content-Disposition"].startswith("inline;")
        assert served["X-Content-Type-Options"] == "nosniff"


def test_document_and_image_titles_refuse_control_characters(editor, media_files):
    with media_files.pdf().open("rb") as fh:
        response = editor.post(reverse("wagtaildocs:add"), {
            "title": "Tài\x0bliệu", "file": fh,
            "collection": Collection.get_first_root_node().pk})
    assert response.status_code == 200 and "ký tự điều khiển" in response.content.decode()
    with media_files.image().open("rb") as fh:
        response = editor.post(reverse("wagtailimages:add"), {
            "title": "Ảnh\x1b", "file": fh,
            "collection": Collection.get_first_root_node().pk})
    assert response.status_code == 200 and "ký tự điều khiển" in response.content.decode()
    assert not get_document_model().objects.filter(title__startswith="Tài").exists()
