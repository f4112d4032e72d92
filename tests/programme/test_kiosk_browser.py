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


def _setup_url(point, user) -> str:
    """The set-up address the admin shows once, as the officer gets it."""
    import re

    from django.test import Client
    from django.urls import reverse

    officer = Client()
    officer.force_login(user)
    page = officer.post(reverse("programme_kiosk_key", args=[point.pk]), {"action": "issue"})
    assert page.status_code == 200
    return re.search(r'<code class="kiosk-setup-url">([^<]+)</code>',
                     page.content.decode()).group(1).replace("&amp;", "&")


def test_kiosk_reports_its_plays(kiosk_tv, live_server, library, province, users):
    commune = Area.objects.create(name="Đồng Đăng", level=Level.COMMUNE, code="20-CL-DD",
                                  parent=province.district_a.area)
    point = SupportPoint.objects.create(commune=commune, organisation=province.district_a,
                                        kiosk_code="dong-dang", condition="good")
    setup_url = _setup_url(point, users.provincial_editor)
    path = setup_url.split("://", 1)[1].split("/", 1)[1]
    assert path.startswith("kiosk/?diem=dong-dang#khoa=")
    tv = kiosk_tv
    tv.goto(live_server.url + "/" + path)
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
    # the kiosk remembers its code and key: a later start without them still reports; the
    # key left the address bar (nobody reads it off the TV)
    assert tv.evaluate("localStorage.getItem('loa-kiosk-diem')") == "dong-dang"
    assert tv.evaluate("localStorage.getItem('loa-kiosk-khoa')") == path.split("#khoa=")[1]
    assert "khoa" not in tv.url


def test_a_browser_without_the_key_adds_no_plays(kiosk_tv, live_server, library, province):
    """Someone opening the kiosk page with a support point's code (it is no secret) plays
    the bulletins but adds nothing to that support point's figures."""
    commune = Area.objects.create(name="Đồng Đăng", level=Level.COMMUNE, code="20-CL-DD",
                                  parent=province.district_a.area)
    point = SupportPoint.objects.create(commune=commune, organisation=province.district_a,
                                        kiosk_code="dong-dang", condition="good")
    point.issue_kiosk_key()
    tv = kiosk_tv
    answers = []
    tv.on("response", lambda r: answers.append(r.status) if "/phat/" in r.url else None)
    tv.goto(live_server.url + "/kiosk/?diem=dong-dang")
    tv.locator("#playlist-player").evaluate("""a => { a.playbackRate = 4; window.ended = 0;
        a.addEventListener("ended", () => { window.ended += 1; }); }""")
    tv.wait_for_function("() => window.ended >= 1", timeout=60000)
    assert answers == []  # it has no key, so it reports nothing
    # a forged report from this page, as a visitor's script would send it
    status = tv.evaluate("""async id => {
        const form = new FormData(); form.append("trang", id); form.append("khoa", "doan-bua");
        return (await fetch("/diem-ho-tro/dong-dang/phat/", {method: "POST", body: form})).status;
    }""", str(library.bulletins[0].pk))
    assert status == 403
    assert not KioskPlay.objects.exists()
    point.refresh_from_db()
    assert point.kiosk_last_contact is None
