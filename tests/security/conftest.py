"""A province the way a probe finds it after `make run`: a live Văn Lãng bulletin with its
recording and cover, a live Văn Lãng handbook, a Văn Lãng draft with cover and PDF, and
users in every role (district editors of Cao Lộc and Văn Lãng, provincial editor, reviewer,
Tày and Khmer translators)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Locale

from cms.organisations.provisioning import ensure_translation_roles as ensure_roles
from cms.products.models import BulletinPage, DocumentPage
from tests.cms.helpers import document, image, media_item
from tests.delivery.conftest import products, source_media  # noqa: F401
from tests.elibrary.conftest import library, source_files  # noqa: F401
from tests.stations.conftest import bulletins, encoded_audio, make_station  # noqa: F401
from translations import languages
from translations.roles import translator_group_name

CODES = ["vi", "tyz", "km"]


@pytest.fixture(autouse=True)
def languages_on(settings):
    settings.LANGUAGES = languages.django_languages(CODES)
    settings.WAGTAIL_CONTENT_LANGUAGES = settings.LANGUAGES


@pytest.fixture(autouse=True)
def _no_pipeline_jobs(settings):
    """Renditions are not what these tests are about (tests/media_pipeline makes them)."""
    settings.LOA_MEDIA_ENQUEUE_ON_SAVE = False


@pytest.fixture
def translators(province):
    ensure_roles()
    user_model = get_user_model()

    def make(username: str, code: str):
        user = user_model.objects.create_user(username, password="mat-khau-thu")
        user.groups.add(Group.objects.get(name=translator_group_name(code)))
        return user

    return {"tyz": make("dich_tay", "tyz"), "km": make("dich_khmer", "km")}


@dataclass
class Content:
    live_bulletin: BulletinPage  # Văn Lãng, live, with recording and cover
    live_handbook: DocumentPage  # Văn Lãng, live, with its PDF
    draft: DocumentPage  # Văn Lãng, never published, with cover and PDF


def in_collection(obj, organisation):
    type(obj).objects.filter(pk=obj.pk).update(collection=organisation.collection)
    obj.refresh_from_db()
    return obj


@pytest.fixture
def content(province, users, media_files) -> Content:
    van_lang = province.district_b
    section = van_lang.section_page
    vi = Locale.objects.get(language_code="vi")
    bulletin = BulletinPage(
        title="Bản tin Văn Lãng tháng 3", slug="ban-tin-van-lang", locale=vi,
        summary="Đã duyệt.", air_date=datetime.date(2026, 3, 1),
        audio=in_collection(media_item(media_files.speech()), van_lang),
        cover=in_collection(image(media_files.image("bia-ban-tin.jpg")), van_lang),
    )
    section.add_child(instance=bulletin)
    bulletin.save_revision(user=users.reviewer).publish(user=users.reviewer)
    handbook = DocumentPage(
        title="Sổ tay Văn Lãng", slug="so-tay-van-lang", locale=vi,
        pdf=in_collection(document(media_files.pdf("so-tay.pdf")), van_lang),
    )
    section.add_child(instance=handbook)
    handbook.save_revision(user=users.reviewer).publish(user=users.reviewer)
    draft = DocumentPage(
        title="Tài liệu mật chưa duyệt", slug="tai-lieu-nhap", locale=vi, live=False,
        summary="Tóm tắt nháp bí mật.",
        pdf=in_collection(document(media_files.pdf("nhap.pdf")), van_lang),
        cover=in_collection(image(media_files.image("bia-nhap.jpg")), van_lang),
    )
    section.add_child(instance=draft)
    draft.save_revision(user=users.editor_b)
    return Content(BulletinPage.objects.get(pk=bulletin.pk),
                   DocumentPage.objects.get(pk=handbook.pk), DocumentPage.objects.get(pk=draft.pk))
