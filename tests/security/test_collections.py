"""Files follow organisations and languages: provisioning makes the collections and the
group permissions, and files uploaded before them are sorted into the right one."""

from __future__ import annotations

import datetime

from django.test import Client
from django.urls import reverse
from wagtail.models import Collection, Locale

from cms.organisations.file_collections import sort_files_into_collections
from cms.products.models import BulletinPage
from media_pipeline.models import MediaItem
from tests.cms.helpers import image, media_item
from translations.roles import language_collection_name
from translations.versions import ensure_translation


def test_each_organisation_and_language_has_its_collection(province):
    names = set(Collection.objects.values_list("name", flat=True))
    for org in (province.department, province.district_a, province.district_b):
        assert org.collection.name == org.name
    assert language_collection_name("tyz") in names


def test_files_uploaded_before_collections_are_sorted(province, users, media_files,
                                                      translators):
    root = Collection.get_first_root_node()
    vi = Locale.objects.get(language_code="vi")
    page = BulletinPage(title="Bản tin cũ", slug="ban-tin-cu", locale=vi,
                        air_date=datetime.date(2025, 1, 1),
                        audio=media_item(media_files.speech()),
                        cover=image(media_files.image()))
    province.district_b.section_page.add_child(instance=page)
    page.save_revision(user=users.reviewer).publish(user=users.reviewer)
    tay = ensure_translation(page, Locale.objects.get(language_code="tyz"))
    tay.audio = media_item(media_files.speech("tay.mp3", text="Tiếng Tày"), "Bản Tày")
    tay.save_revision().publish()
    assert page.audio.collection == root

    assert sort_files_into_collections() == 3
    page.audio.refresh_from_db()
    page.cover.refresh_from_db()
    assert page.audio.collection == province.district_b.collection
    assert page.cover.collection == province.district_b.collection
    assert MediaItem.objects.get(pk=tay.audio_id).collection.name == \
        language_collection_name("tyz")
    assert sort_files_into_collections() == 0  # idempotent

    # and now each group sees its own files
    listing = reverse("wagtailsnippets_media_pipeline_mediaitem:list")
    for user, sees, hidden in ((users.editor_b, "Bản ghi", "Bản Tày"),
                               (translators["tyz"], "Bản Tày", "Bản ghi"),
                               (users.editor_a, None, "Bản")):
        client = Client()
        client.force_login(user)
        html = client.get(listing).content.decode()
        titles = set(MediaItem.objects.values_list("title", flat=True))
        shown = {t for t in titles if f">{t}<" in html or f"{t}</a>" in html}
        assert (sees in shown) if sees else not shown, (user, shown)
        assert hidden not in shown
