"""Each product kind can be created through the admin and renders for the public."""

import pytest
from django.test import Client

from cms.products.models import BulletinPage, DocumentPage, PrintPage, ProductPage, VideoPage

from .helpers import add_url, document, image, media_item, page_form


@pytest.fixture
def admin_client_logged(users) -> Client:
    client = Client()
    client.force_login(users.admin)
    return client


@pytest.fixture
def section(province):
    return province.district_a.section_page


def create_and_publish(client, model, section, slug, **fields) -> ProductPage:
    data = page_form(f"Sản phẩm {slug}", slug, **fields)
    data["action-publish"] = "action-publish"
    response = client.post(add_url(model, section), data)
    assert response.status_code == 302, response.context["form"].errors
    return model.objects.get(slug=slug)


def test_bulletin_created_and_rendered_with_its_audio(admin_client_logged, section, media_files):
    audio = media_item(media_files.speech())
    page = create_and_publish(admin_client_logged, BulletinPage, section, "ban-tin-1",
                              audio=audio.pk, air_date="2026-11-20")
    assert page.live and page.organisation.short_name == "Cao Lộc"
    assert page.identifier.startswith("LSN-BT-")
    html = Client().get(page.url).content.decode()
    assert page.title in html and f'src="{audio.file.url}"' in html
    assert "20/11/2026" in html


def test_document_reads_its_page_count_from_the_pdf(admin_client_logged, section, media_files):
    pdf = document(media_files.pdf(pages=5))
    page = create_and_publish(admin_client_logged, DocumentPage, section, "so-tay",
                              doc_type="handbook", pdf=pdf.pk, print_run=300)
    assert page.page_count == 5
    html = Client().get(page.url).content.decode()
    assert "Sổ tay nghiệp vụ" in html and pdf.url in html


def test_print_product_needs_artwork(admin_client_logged, section, media_files):
    data = page_form("Áp phích", "ap-phich", print_format="poster", size="A2")
    data["action-publish"] = "action-publish"
    response = admin_client_logged.post(add_url(PrintPage, section), data)
    assert response.status_code == 200
    assert "Cần tải lên bản in" in response.content.decode()
    assert not PrintPage.objects.filter(slug="ap-phich").exists()

    art = image(media_files.image())
    page = create_and_publish(admin_client_logged, PrintPage, section, "ap-phich",
                              print_format="poster", size="A2", artwork_image=art.pk)
    html = Client().get(page.url).content.decode()
    assert "Áp phích" in html and "A2" in html


def test_video_clip_refuses_an_audio_file(admin_client_logged, section, media_files):
    audio = media_item(media_files.speech())
    data = page_form("Phóng sự", "phong-su", clip_kind="documentary", video=audio.pk)
    data["action-publish"] = "action-publish"
    response = admin_client_logged.post(add_url(VideoPage, section), data)
    assert response.status_code == 200 and not VideoPage.objects.exists()

    clip = media_item(media_files.video(), title="Phóng sự")
    page = create_and_publish(admin_client_logged, VideoPage, section, "phong-su",
                              clip_kind="documentary", video=clip.pk)
    html = Client().get(page.url).content.decode()
    assert "<video" in html and clip.file.url in html
