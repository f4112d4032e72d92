"""Shared fixtures: a small province set up the way setup_province does it, users in
every role, and real media made with ffmpeg/espeak-ng/Pillow in a temporary folder."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.signals import request_finished, request_started
from django.test import TestCase

from cms.organisations.models import Area, Level, Organisation
from cms.organisations.provisioning import PROVINCIAL_EDITORS, REVIEWERS, setup_province
from cms.products.models import ELibraryPage
from demo import media as demo_media
from tests import migrated_copy
from tests.snapshot import DatabaseSnapshot


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Right after migrating, keep a copy of the migrated database: tests that start their
    own Django processes (the worker kill test) begin from it instead of migrating again."""
    from django.db import connection

    with django_db_blocker.unblock():
        migrated_copy.make(connection)
    yield
    with django_db_blocker.unblock():
        migrated_copy.drop(connection)


def _transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )


@pytest.fixture(autouse=True)
def _rows_wagtail_migrations_made(request):
    """A transactional test ends with a flush that also empties the rows Wagtail's migrations
    made. Django re-creates content types and permissions after the flush; put back the rest
    the site is built on (root page, root collection, default locale) before such a test."""
    if not _transactional(request):
        return
    request.getfixturevalue("transactional_db")
    from wagtail.models import Collection, Locale, Page

    locale, _created = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")


class _LiveRequests:
    """Requests the live server is still handling. Its threads go on after a test has ended
    (a download cut by the client is logged when the server notices); the flush that ends a
    transactional test must not race them (on PostgreSQL, TRUNCATE against a late INSERT is
    a deadlock)."""

    def __init__(self) -> None:
        self.count = 0
        self.changed = threading.Condition()

    def started(self, **kwargs) -> None:
        if threading.current_thread() is not threading.main_thread():  # not the test client
            with self.changed:
                self.count += 1

    def finished(self, **kwargs) -> None:
        if threading.current_thread() is not threading.main_thread():
            with self.changed:
                self.count -= 1
                self.changed.notify_all()

    def wait_until_done(self, timeout: float = 15.0) -> None:
        with self.changed:
            self.changed.wait_for(lambda: self.count <= 0, timeout)


_live_requests = _LiveRequests()
request_started.connect(_live_requests.started, dispatch_uid="tests-live-requests")
request_finished.connect(_live_requests.finished, dispatch_uid="tests-live-requests")


@pytest.fixture(autouse=True)
def _live_server_done_before_flush(request):
    """Requests the database first (as pytest-django's own live-server helper does), so this
    teardown runs before its flush."""
    if "live_server" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    _live_requests.wait_until_done()


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Each test starts with no rendered product page kept from another test's database."""
    from django.core.cache import caches

    caches["pages"].clear()


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

    from translations import interface, page_fonts

    for cache in caches.all():
        cache.clear()
    interface.forget()  # interface strings a previous test approved
    page_fonts.forget_known_rows()  # font rows a previous test made, rolled back since


@dataclass
class Province:
    elibrary: object
    department: Organisation
    district_a: Organisation
    district_b: Organisation


SITE_NAME = "Loa – thử nghiệm"


def _build_province() -> None:
    """A province, two districts, their organisations, and what setup_province makes."""
    area = Area.objects.create(name="Lạng Sơn", level=Level.PROVINCE, code="20")
    cao_loc = Area.objects.create(name="Cao Lộc", level=Level.DISTRICT, code="20-CL", parent=area)
    van_lang = Area.objects.create(name="Văn Lãng", level=Level.DISTRICT, code="20-VL",
                                   parent=area)
    with TestCase.captureOnCommitCallbacks(execute=True):  # organisations provision on commit
        dept = Organisation.objects.create(name="Sở TTTT Lạng Sơn", short_name="Sở TTTT",
                                           area=area)
        Organisation.objects.create(name="Phòng VHTT Cao Lộc", short_name="Cao Lộc",
                                    area=cao_loc, parent=dept)
        Organisation.objects.create(name="Phòng VHTT Văn Lãng", short_name="Văn Lãng",
                                    area=van_lang, parent=dept)
    setup_province(SITE_NAME)


def _find_province() -> Province:
    orgs = Organisation.objects.select_related("section_page")
    return Province(
        ELibraryPage.objects.get(locale__language_code=settings.LANGUAGE_CODE),
        orgs.get(area__code="20"), orgs.get(area__code="20-CL"), orgs.get(area__code="20-VL"),
    )


@pytest.fixture(scope="session")
def _province_snapshots() -> dict[tuple[str, ...], DatabaseSnapshot]:
    """Building the province (page tree copied into every locale, groups, permissions) costs
    seconds; it is built once per set of enabled languages and restored into each test that
    asks for it."""
    return {}


@pytest.fixture
def province(request, db, _province_snapshots) -> Province:
    if _transactional(request):  # the flush between such tests changes the ids snapshotted
        _build_province()
        return _find_province()
    languages = tuple(code for code, _name in settings.LANGUAGES)
    if languages not in _province_snapshots:
        # Taken in a savepoint of this test's transaction, which starts from the migrated
        # database like every other test's.
        _province_snapshots[languages] = DatabaseSnapshot.take(_build_province)
    _province_snapshots[languages].restore()
    return _find_province()


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


@pytest.fixture
def latin_only_fontconfig(tmp_path) -> Path:
    """A fontconfig that knows one Latin font, like a phone with no Khmer, Tai Viet or
    Chinese fonts: the web fonts' local() sources find nothing, so they are downloaded, and
    any script they miss shows as tofu instead of being rescued by the system's Noto fonts."""
    font_dir = tmp_path / "fonts"
    font_dir.mkdir()
    os.symlink("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
               font_dir / "NotoSans-Regular.ttf")
    conf = tmp_path / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">'
                    f"<fontconfig><dir>{font_dir}</dir><cachedir>{tmp_path / 'cache'}</cachedir>"
                    f"</fontconfig>")
    return conf


@pytest.fixture(scope="module")
def playwright_driver():
    """Playwright, for the browser tests (tests/browser.py launches Debian's Chromium)."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # around it are plain synchronous calls, so Django's async guard is lifted here only.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as driver:
        yield driver
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
