"""Shared fixtures: a small province set up the way setup_province does it, users in
every role, and real media made with ffmpeg/espeak-ng/Pillow in a temporary folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from cms.organisations.models import Area, Level, Organisation
from cms.organisations.provisioning import PROVINCIAL_EDITORS, REVIEWERS, setup_province
from cms.products.demo import media as demo_media


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _rows_wagtail_migrations_made(request):
    """A transactional test ends with a flush that also empties the rows Wagtail's migrations
    made. Django re-creates content types and permissions after the flush; put back the rest
    the site is built on (root page, root collection, default locale) before such a test."""
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")) and (
        "transactional_db" not in request.fixturenames
    ):
        return
    request.getfixturevalue("transactional_db")
    from django.conf import settings
    from wagtail.models import Collection, Locale, Page

    locale, _created = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")


@pytest.fixture(autouse=True)
def _vietnamese_first():
    """Requests to /en/… leave English active in the thread; each test starts in Vietnamese
    so that reverse() gives the unprefixed Vietnamese URLs."""
    from django.utils import translation

    translation.activate("vi")
    yield
    translation.activate("vi")


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Wagtail caches renditions by image id; ids are reused between tests."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@dataclass
class Province:
    elibrary: object
    department: Organisation
    district_a: Organisation
    district_b: Organisation


@pytest.fixture
def province(db, django_capture_on_commit_callbacks) -> Province:
    with django_capture_on_commit_callbacks(execute=True):
        area = Area.objects.create(name="Lạng Sơn", level=Level.PROVINCE, code="20")
        cao_loc = Area.objects.create(name="Cao Lộc", level=Level.DISTRICT, code="20-CL",
                                      parent=area)
        van_lang = Area.objects.create(name="Văn Lãng", level=Level.DISTRICT, code="20-VL",
                                       parent=area)
        dept = Organisation.objects.create(name="Sở TTTT Lạng Sơn", short_name="Sở TTTT",
                                           area=area)
        a = Organisation.objects.create(name="Phòng VHTT Cao Lộc", short_name="Cao Lộc",
                                        area=cao_loc, parent=dept)
        b = Organisation.objects.create(name="Phòng VHTT Văn Lãng", short_name="Văn Lãng",
                                        area=van_lang, parent=dept)
    elibrary = setup_province("Loa – thử nghiệm")
    refresh = lambda org: Organisation.objects.select_related("section_page").get(pk=org.pk)  # noqa: E731
    return Province(elibrary, refresh(dept), refresh(a), refresh(b))


@dataclass
class Users:
    editor_a: object  # district editor, Cao Lộc
    editor_b: object  # district editor, Văn Lãng
    provincial_editor: object
    reviewer: object
    admin: object


@pytest.fixture
def users(province) -> Users:
    user_model = get_user_model()

    def make(username: str, *groups: Group, superuser: bool = False):
        user = user_model.objects.create_user(username, password="mat-khau-thu",
                                              is_superuser=superuser, is_staff=superuser)
        user.groups.set(groups)
        return user

    return Users(
        editor_a=make("bt_a", province.district_a.editors_group),
        editor_b=make("bt_b", province.district_b.editors_group),
        provincial_editor=make("bt_tinh", Group.objects.get(name=PROVINCIAL_EDITORS)),
        reviewer=make("duyet", Group.objects.get(name=REVIEWERS)),
        admin=make("admin", superuser=True),
    )


class MediaFactory:
    """Real media files, generated on demand."""

    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def speech(self, name: str = "ban tin thử.mp3", text: str = "Xin chào bà con") -> Path:
        return demo_media.speech_mp3(text, self.folder / name)

    def video(self, name: str = "clip.mp4", seconds: int = 2) -> Path:
        return demo_media.test_video(self.folder / name, seconds=seconds, size="320x180")

    def image(self, name: str = "anh.jpg") -> Path:
        return demo_media.cover_image("Ảnh thử", "Lạng Sơn", self.folder / name,
                                      size=(320, 180))

    def pdf(self, name: str = "tai-lieu.pdf", pages: int = 3) -> Path:
        return demo_media.text_pdf("Tài liệu thử", ["Nội dung."], self.folder / name, pages)

    def raw(self, name: str, data: bytes) -> Path:
        path = self.folder / name
        path.write_bytes(data)
        return path


@pytest.fixture
def media_files(tmp_path) -> MediaFactory:
    return MediaFactory(tmp_path / "inputs")
