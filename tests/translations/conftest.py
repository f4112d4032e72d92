"""Fixtures for the languages feature: more languages switched on than the shared suite
uses, translator users, and a Vietnamese bulletin with rich text in its body."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Locale

from cms.organisations.provisioning import ensure_translation_roles
from cms.products.models import BulletinPage
from translations import languages
from translations.roles import translator_group_name
from translations.versions import ensure_translation

CODES = ["vi", "tyz", "nut", "km", "zh-hans", "blt"]


@pytest.fixture(autouse=True)
def languages_on(settings):
    settings.LANGUAGES = languages.django_languages(CODES)
    settings.WAGTAIL_CONTENT_LANGUAGES = settings.LANGUAGES


@pytest.fixture
def translators(province):
    """One translator each for Tày, Khmer and Chinese, in the groups provisioning made."""
    ensure_translation_roles()
    user_model = get_user_model()

    def make(username: str, code: str):
        user = user_model.objects.create_user(username, password="mat-khau-thu")
        user.groups.add(Group.objects.get(name=translator_group_name(code)))
        return user

    return {"tyz": make("dich_tay", "tyz"), "km": make("dich_khmer", "km"),
            "zh-hans": make("dich_trung", "zh-hans")}


RICH = ('<p>Đồn <b>Biên phòng</b> Hữu Nghị &amp; bà con "bản Nà Pàn"'
        ' – xem <a href="https://example.invalid/a?b=1&amp;c=2">trang tin</a>.</p>')


@pytest.fixture
def bulletin(province, users) -> BulletinPage:
    """A live Vietnamese bulletin in the Cao Lộc section."""
    page = BulletinPage(
        title="Bản tin: giữ gìn đường biên giới", slug="ban-tin-bien-gioi",
        locale=Locale.objects.get(language_code="vi"), summary="Tóm tắt bản tin.",
        air_date=datetime.date(2025, 3, 1),
        body=[("heading", "Bộ đội Biên phòng cùng dân bản"), ("paragraph", RICH),
              ("quote", {"text": "Mỗi người dân là một cột mốc sống.", "source": "Già làng"})],
    )
    province.district_a.section_page.add_child(instance=page)
    page.save_revision(user=users.admin).publish(user=users.admin)
    return BulletinPage.objects.get(pk=page.pk)


def publish_translation(source, code: str, title: str, user, **fields):
    """A live language version of ``source`` with its own title (and fields)."""
    page = ensure_translation(source, Locale.objects.get(language_code=code), user=user)
    page.title = title
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision(user=user).publish(user=user)
    return type(page).objects.get(pk=page.pk)


@pytest.fixture(autouse=True)
def _no_pipeline_jobs_on_save(settings):
    """Media items made here do not start the pipeline's jobs: these tests make any
    renditions they need themselves from real ffmpeg output (the jobs are tested in
    tests/media_pipeline)."""
    settings.LOA_MEDIA_ENQUEUE_ON_SAVE = False
