"""A support point's TV (Debian's headless Chromium) reports each finished play of its
playlist, like a station reporting an airing: a count per product and day, no personal data."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cms.organisations.models import Area, Level
from programme.models import KioskPlay, SupportPoint
from tests.browser import FLAGS, launch
from tests.elibrary import demo_like

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def chromium(playwright_driver):
    browser = launch(playwright_driver,
                     args=[*FLAGS, "--autoplay-policy=no-user-gesture-required"])
    yield browser
    browser.close()


@pytest.fixture
def library(province, tmp_path_factory, settings):
    settings.LOA_MEDIA_ENQUEUE_ON_SAVE = False  # renditions made by demo_like itself
    return demo_like.build(province, demo_like.make_source_files(tmp_path_factory.mktemp("k")))


@pytest.fixture
def kiosk_tv(chromium, transactional_db, live_server):
    context = chromium.new_context(viewport={"width": 1920, "height": 1080})
    yield context.new_page()
    context.close()


def test_kiosk_reports_its_plays(kiosk_tv, live_server, library, province):
    commune = Area.objects.create(name="Đồng Đăng", level=Level.COMMUNE, code="20-CL-DD",
                                  parent=province.district_a.area)
    point = SupportPoint.objects.create(commune=commune, organisation=province.district_a,
                                        kiosk_code="dong-dang", condition="good")
    tv = kiosk_tv
    tv.goto(live_server.url + "/kiosk/?diem=dong-dang")
    player = tv.locator("#playlist-player")
    player.evaluate("a => { a.defaultPlaybackRate = 4; a.playbackRate = 4; }")
    bulletin = library.bulletins[0]
    # one bulletin in the playlist: it plays, ends (reported), starts again, ends again
    tv.wait_for_function("() => document.querySelector('#playlist-player').currentTime > 0.2",
                         timeout=20000)
    expect(tv.locator("#playlist li")).to_have_count(1)
    for _attempt in range(60):
        if KioskPlay.objects.filter(support_point=point, page=bulletin, times__gte=2).exists():
            break
        tv.wait_for_timeout(500)
    play = KioskPlay.objects.get(support_point=point)
    assert (play.page_id, play.played_on, play.language) == (
        bulletin.pk, timezone.localdate(), "vi")
    assert play.times >= 2
    point.refresh_from_db()
    assert point.kiosk_last_contact is not None
    # the kiosk remembers its code: a later start without ?diem= still reports
    assert tv.evaluate("localStorage.getItem('loa-kiosk-diem')") == "dong-dang"
