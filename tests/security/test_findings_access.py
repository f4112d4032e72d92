"""The access side doors a hostile editor, translator and visitor found, each reproduced
the way they found it: through the admin screens and the public URLs."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from cms.products.file_integrity import FileInUse
from media_pipeline.models import MediaItem
from translations.models import TranslationRequest

MEDIA_EDIT = "wagtailsnippets_media_pipeline_mediaitem:edit"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def refused(response) -> bool:
    """Wagtail's admin answers a permission refusal with a redirect to the dashboard."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home"))


def public_bytes(url: str) -> bytes:
    response = Client().get(url)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content)


# --- Finding 1: another district's editor, or a translator, replaces a live recording ----


@pytest.mark.parametrize("who", ["editor_a", "tyz", "editor_b", "reviewer"])
def test_nobody_replaces_the_recording_of_a_live_bulletin(who, content, users, translators,
                                                          media_files):
    user = translators[who] if who in translators else getattr(users, who)
    item = content.live_bulletin.audio
    before = public_bytes(item.file.url)
    other = media_files.speech("khac.mp3", text="Nội dung giả mạo hoàn toàn khác")
    with other.open("rb") as fh:
        client_for(user).post(reverse(MEDIA_EDIT, args=[item.pk]), {
            "title": item.title, "collection": item.collection_id, "file": fh})
    item.refresh_from_db()
    assert public_bytes(item.file.url) == before
    assert not MediaItem.objects.filter(title=item.title).exclude(pk=item.pk).exists() or \
        who in ("editor_b", "reviewer")  # only its managers may make a new version


def test_other_district_cannot_open_the_media_item(content, users, translators):
    item = content.live_bulletin.audio
    for user in (users.editor_a, translators["tyz"]):
        assert refused(client_for(user).get(reverse(MEDIA_EDIT, args=[item.pk])))
        listing = client_for(user).get(reverse("wagtailsnippets_media_pipeline_mediaitem:list"))
        assert item.title not in listing.content.decode()
    page = client_for(users.editor_b).get(reverse(MEDIA_EDIT, args=[item.pk]))
    assert page.status_code == 200
    assert content.live_bulletin.title in page.content.decode()  # which pages use it


def test_replacing_a_live_recording_makes_a_new_version(content, users, media_files):
    item = content.live_bulletin.audio
    before = public_bytes(item.file.url)
    new_file = media_files.speech("moi.mp3", text="Bản ghi mới đã sửa lỗi")
    with new_file.open("rb") as fh:
        response = client_for(users.editor_b).post(
            reverse("products_replace_media", args=[item.pk]),
            {"title": "Bản ghi mới", "collection": item.collection_id, "file": fh})
    assert response.status_code == 302
    new = MediaItem.objects.get(replaces=item)
    content.live_bulletin.refresh_from_db()
    assert content.live_bulletin.audio_id == item.pk  # the live page keeps the approved file
    assert public_bytes(item.file.url) == before
    assert Client().get(new.file.url).status_code == 404  # not public before approval


def test_file_in_use_cannot_be_changed_or_deleted_by_code(content):
    item = content.live_bulletin.audio
    item.file.name = "media/originals/khac.mp3"
    with pytest.raises(FileInUse):
        item.save()
    with pytest.raises(FileInUse), transaction.atomic():
        content.live_bulletin.cover.delete()
    assert get_image_model().objects.filter(pk=content.live_bulletin.cover_id).exists()


# --- Finding 2: an editor changes approved content through its own image or document -----


def test_own_cover_of_a_live_page_keeps_its_file(content, users, media_files):
    cover = content.live_bulletin.cover
    before = public_bytes(cover.file.url)
    new = media_files.image("thay.jpg")
    response = client_for(users.editor_b).post(
        reverse("wagtailimages:edit", args=[cover.pk]),
        {"title": cover.title, "collection": cover.collection_id,
         "file": SimpleUploadedFile("thay.jpg", new.read_bytes(), "image/jpeg")})
    assert response.status_code == 200
    assert "đang được dùng" in response.content.decode()
    cover.refresh_from_db()
    assert public_bytes(cover.file.url) == before


def test_own_pdf_of_a_live_handbook_keeps_its_file(content, users, media_files):
    pdf = content.live_handbook.pdf
    before = public_bytes(pdf.url)
    other = media_files.pdf("khac.pdf", pages=1)
    response = client_for(users.editor_b).post(
        reverse("wagtaildocs:edit", args=[pdf.pk]),
        {"title": pdf.title, "collection": pdf.collection_id,
         "file": SimpleUploadedFile("khac.pdf", other.read_bytes(), "application/pdf")})
    assert response.status_code == 200
    pdf.refresh_from_db()
    assert public_bytes(pdf.url) == before


def test_delete_of_a_used_image_is_refused_in_the_admin(content, users):
    cover = content.live_bulletin.cover
    response = client_for(users.editor_b).post(
        reverse("wagtailimages:delete", args=[cover.pk]), follow=True)
    assert get_image_model().objects.filter(pk=cover.pk).exists()
    assert "không thể thay tệp hay xoá" in response.content.decode()


def test_a_file_in_review_is_immutable_too(content, users, media_files):
    """A draft submitted for review holds its file until the reviewer decides."""
    from wagtail.models import Workflow

    draft = content.draft
    Workflow.objects.get(active=True).start(draft, users.editor_b)
    pdf = get_document_model().objects.get(pk=draft.pdf_id)
    other = media_files.pdf("khac.pdf", pages=1)
    client_for(users.editor_b).post(
        reverse("wagtaildocs:edit", args=[pdf.pk]),
        {"title": pdf.title, "collection": pdf.collection_id,
         "file": SimpleUploadedFile("khac.pdf", other.read_bytes(), "application/pdf")})
    assert get_document_model().objects.get(pk=pdf.pk).file.name == pdf.file.name


# --- Finding 6: drafts leak across districts through translation requests and files -------


def test_other_district_cannot_request_translation_of_a_draft(content, users):
    url = reverse("translations:new_request", args=[content.draft.pk])
    editor_a = client_for(users.editor_a)
    assert refused(editor_a.get(url))
    response = editor_a.post(url, {"languages": ["tyz"], "due_date": "2026-12-31", "note": ""})
    assert refused(response)
    assert not TranslationRequest.objects.filter(product=content.draft).exists()


@pytest.fixture
def draft_request(content, users) -> TranslationRequest:
    return TranslationRequest.objects.create(
        product=content.draft, language="tyz", due_date=datetime.date(2026, 12, 31),
        requested_by=users.editor_b)


def test_po_export_of_a_draft_only_for_those_who_may_view_it(draft_request, users,
                                                             translators):
    url = reverse("translations:export", args=[draft_request.pk])
    for user in (users.editor_a, translators["km"]):
        response = client_for(user).get(url)
        assert refused(response)
        assert "bí mật" not in response.content.decode()
    for user in (users.editor_b, users.reviewer, translators["tyz"]):
        response = client_for(user).get(url)
        assert response.status_code == 200
        assert "Tóm tắt nháp bí mật" in response.content.decode()


def test_translators_and_other_districts_do_not_see_the_request(draft_request, users,
                                                                translators):
    for user in (users.editor_a, translators["km"]):
        detail = client_for(user).get(reverse("translations:request", args=[draft_request.pk]))
        assert refused(detail)
        dashboard = client_for(user).get(reverse("translations:dashboard"))
        assert content_title(draft_request) not in dashboard.content.decode()
        for screen in ("edit", "history", "usage"):
            response = client_for(user).get(reverse(
                f"wagtailsnippets_translations_translationrequest:{screen}",
                args=[draft_request.pk]))
            assert refused(response), screen
        listing = client_for(user).get(
            reverse("wagtailsnippets_translations_translationrequest:list"))
        assert content_title(draft_request) not in listing.content.decode()
    listing = client_for(translators["tyz"]).get(
        reverse("wagtailsnippets_translations_translationrequest:list"))
    assert content_title(draft_request) in listing.content.decode()


def content_title(req) -> str:
    return req.product.title


def draft_file_urls(draft) -> list[str]:
    return [draft.pdf.url, draft.pdf.file.url, draft.cover.file.url,
            draft.cover.get_rendition("max-960x540|format-webp").url]


def test_draft_cover_and_pdf_only_for_those_who_may_view_the_draft(content, users,
                                                                   translators):
    urls = draft_file_urls(content.draft)
    for user in (users.editor_a, translators["tyz"], translators["km"]):
        for url in urls:
            assert client_for(user).get(url).status_code == 404, (user, url)
    for user in (users.editor_b, users.provincial_editor, users.reviewer, users.admin):
        for url in urls:
            assert client_for(user).get(url).status_code == 200, (user, url)


def test_a_requested_translator_may_fetch_the_draft_files(draft_request, content,
                                                          translators):
    for url in draft_file_urls(content.draft):
        assert client_for(translators["tyz"]).get(url).status_code == 200, url
        assert client_for(translators["km"]).get(url).status_code == 404, url


def test_first_page_picture_of_a_live_pdf_keeps_its_file(content, users, media_files):
    """The picture drawn from a live handbook's PDF stands in for its cover: it is as
    approved as the PDF (the pipeline itself only ever replaces it by a new image)."""
    from media_pipeline.pdf_thumbnails import make_thumbnail, thumbnail_image

    pdf = content.live_handbook.pdf
    make_thumbnail(pdf.pk)
    picture = thumbnail_image(pdf)
    before = public_bytes(picture.file.url)
    other = media_files.image("gia.jpg")
    response = client_for(users.provincial_editor).post(
        reverse("wagtailimages:edit", args=[picture.pk]),
        {"title": picture.title, "collection": picture.collection_id,
         "file": SimpleUploadedFile("gia.jpg", other.read_bytes(), "image/jpeg")})
    assert response.status_code == 200
    picture.refresh_from_db()
    assert public_bytes(picture.file.url) == before
    make_thumbnail(pdf.pk, force=True)  # the pipeline may still re-make it
    assert thumbnail_image(pdf).pk != picture.pk


def test_bulk_delete_of_used_images_is_refused(content, users):
    cover = content.live_bulletin.cover
    url = reverse("wagtail_bulk_action", args=["wagtailimages", "image", "delete"])
    response = client_for(users.editor_b).post(f"{url}?id={cover.pk}", follow=True)
    assert get_image_model().objects.filter(pk=cover.pk).exists()
    assert "không thể thay tệp hay xoá" in response.content.decode()


def test_new_version_reaches_the_public_only_through_review(content, users, media_files):
    from wagtail.models import Workflow

    page = content.live_bulletin
    old = page.audio
    new_file = media_files.speech("moi.mp3", text="Bản ghi mới đã sửa lỗi")
    with new_file.open("rb") as fh:
        client_for(users.editor_b).post(reverse("products_replace_media", args=[old.pk]),
                                        {"title": "Bản ghi mới", "file": fh})
    new = MediaItem.objects.get(replaces=old)
    draft = page.get_latest_revision_as_object()
    draft.audio = new
    draft.save_revision(user=users.editor_b)
    state = Workflow.objects.get(active=True).start(page, users.editor_b)
    page.refresh_from_db()
    assert page.audio_id == old.pk  # still the approved recording while in review
    assert Client().get(new.file.url).status_code == 404
    state.current_task_state.task.specific.on_action(
        state.current_task_state, users.reviewer, "approve")
    page.refresh_from_db()
    assert page.audio_id == new.pk
    assert public_bytes(new.file.url) == new_file.read_bytes()


def test_page_chooser_does_not_name_another_district_draft(content, users):
    search = reverse("wagtailadmin_choose_page_search") + "?q=mật"
    browse = reverse("wagtailadmin_choose_page_child", args=[content.draft.get_parent().pk])
    for url in (search, browse):
        assert content.draft.title not in client_for(users.editor_a).get(url).content.decode()
    assert content.draft.title in client_for(users.editor_b).get(search).content.decode()


def test_another_district_draft_file_cannot_be_chosen_to_see_it(content, users, province):
    """Choosing a neighbour's unpublished cover for one's own draft would make it
    downloadable for oneself: the image chooser does not offer it, the form refuses it."""
    from cms.products.models import BulletinPage
    from tests.cms.helpers import add_url, page_form

    cover = content.draft.cover
    editor_a = client_for(users.editor_a)

    def offered(image) -> bool:
        html = editor_a.get(reverse("wagtailimages_chooser:choose")).json()["html"]
        return reverse("wagtailimages_chooser:chosen", args=[image.pk]) in html

    assert not offered(cover)
    response = editor_a.post(
        add_url(BulletinPage, province.district_a.section_page),
        page_form("Bản tin Cao Lộc", "ban-tin-cao-loc", cover=cover.pk))
    assert response.status_code == 200
    assert "thuộc đơn vị khác" in response.content.decode()
    assert not BulletinPage.objects.filter(slug="ban-tin-cao-loc").exists()
    assert editor_a.get(cover.file.url).status_code == 404
    assert offered(content.live_bulletin.cover)  # a public one may be reused


def test_another_district_draft_image_cannot_go_into_a_body(content, users, province):
    from wagtail.test.utils.form_data import streamfield

    from cms.products.models import BulletinPage
    from tests.cms.helpers import add_url, page_form

    photo = {"image": content.draft.cover.pk, "decorative": "", "alt_text": "Ảnh"}
    body = streamfield([("photo", {"image": photo, "caption": "x"})])
    response = client_for(users.editor_a).post(
        add_url(BulletinPage, province.district_a.section_page),
        page_form("Bản tin ảnh", "ban-tin-anh", body=body))
    assert "thuộc đơn vị khác" in response.content.decode()
    assert not BulletinPage.objects.filter(slug="ban-tin-anh").exists()


def test_media_chooser_lists_only_what_the_editor_may_choose(content, users, province,
                                                             media_files):
    """A district editor choosing a recording for a product sees its own district's items
    and recordings already public, never another district's unpublished ones (not even
    their titles, in the list, in a search or by asking for one by number)."""
    from tests.cms.helpers import media_item
    from tests.security.conftest import in_collection

    chooser = "wagtailsnippetchoosers_media_pipeline_mediaitem"
    secret = in_collection(media_item(media_files.speech("nhap.mp3"),
                                      "Bản ghi mật của Văn Lãng"), province.district_b)
    own = in_collection(media_item(media_files.speech("cao-loc.mp3"),
                                   "Bản ghi của Cao Lộc"), province.district_a)
    public = content.live_bulletin.audio
    editor_a, editor_b = client_for(users.editor_a), client_for(users.editor_b)

    def listed(client, view: str = "choose", query: str = "") -> str:
        response = client.get(reverse(f"{chooser}:{view}") + query)
        assert response.status_code == 200
        return response.json()["html"] if view == "choose" else response.content.decode()

    for html in (listed(editor_a), listed(editor_a, "choose_results", "?q=Bản ghi")):
        assert own.title in html and public.title in html
        assert secret.title not in html
    assert editor_a.get(reverse(f"{chooser}:chosen", args=[secret.pk])).status_code == 404
    assert editor_a.get(reverse(f"{chooser}:chosen", args=[own.pk])).status_code == 200
    # Its own district's editor still finds it.
    assert secret.title in listed(editor_b)
