"""A draft product's page and its files stay out of reach of anonymous visitors."""

import pytest
from django.test import Client
from wagtail.images import get_image_model

from cms.products.models import BulletinPage, DocumentPage

from .helpers import document, image, media_item


@pytest.fixture
def draft(province, media_files):
    cover = image(media_files.image())
    page = BulletinPage(
        title="Bản tin chưa duyệt", slug="chua-duyet", live=False,
        audio=media_item(media_files.speech()), cover=cover,
        body=[("photo", {"image": image(media_files.image("trong-bai.jpg")), "caption": "x"})],
    )
    province.district_a.section_page.add_child(instance=page)
    page.save_revision()
    return page


def file_urls(page) -> list[str]:
    rendition = page.cover.get_rendition("max-960x540|format-webp")
    inline = page.body[0].value["image"]
    return [page.audio.file.url, page.cover.file.url, rendition.url, inline.file.url]


def test_draft_page_and_media_are_not_reachable(draft, users):
    anonymous = Client()
    assert anonymous.get(draft.get_url()).status_code == 404
    for url in file_urls(draft):
        assert anonymous.get(url).status_code == 404, url
    # an editor previewing the draft does see them
    editor = Client()
    editor.force_login(users.editor_a)
    for url in file_urls(draft):
        assert editor.get(url).status_code == 200, url


def test_files_follow_publication_state(draft):
    anonymous = Client()
    draft.save_revision().publish()
    for url in file_urls(draft):
        response = anonymous.get(url)
        assert response.status_code == 200, url
        assert b"".join(response.streaming_content)
    audio = anonymous.get(draft.audio.file.url)
    assert audio["Content-Type"] == "audio/mpeg"

    draft.refresh_from_db()
    draft.unpublish()
    for url in file_urls(draft):
        assert anonymous.get(url).status_code == 404, url


def test_unused_upload_and_path_tricks_are_refused(province, media_files):
    orphan = get_image_model()
    img = image(media_files.image("khong-dung.jpg"))
    assert orphan.objects.filter(pk=img.pk).exists()
    anonymous = Client()
    assert anonymous.get(img.file.url).status_code == 404
    assert anonymous.get("/media/../cms/settings/base.py").status_code == 404
    assert anonymous.get("/media/original_images/%2e%2e/%2e%2e/etc/passwd").status_code == 404


def test_draft_document_pdf_is_not_served(province, media_files):
    pdf = document(media_files.pdf())
    page = DocumentPage(title="Sổ tay nháp", slug="so-tay-nhap", live=False, pdf=pdf)
    province.district_a.section_page.add_child(instance=page)
    anonymous = Client()
    assert anonymous.get(pdf.url).status_code == 404
    assert anonymous.get(pdf.file.url).status_code == 404
    page.save_revision().publish()
    assert anonymous.get(pdf.url).status_code == 200
