"""Real headless Chromium (Debian's) against a live server: what a villager does."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from django.utils.html import escape
from playwright.sync_api import expect
from wagtail.models import Locale

from cms.products.models import BulletinPage
from elibrary.page_weight import PAGE_BUDGET, measure
from tests import script_texts
from tests.browser import FLAGS, first_visit, launch
from tests.elibrary.factories import add_product
from translations import languages, page_fonts
from translations.models import PageFont
from translations.versions import ensure_translation

# Transactional: the live server reads what the test commits.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# How a support point launches its TV: no click needed before the playlist may play.
KIOSK_FLAGS = [*FLAGS, "--autoplay-policy=no-user-gesture-required"]


@pytest.fixture(scope="module")
def chromium(playwright_driver):
    browser = launch(playwright_driver, args=KIOSK_FLAGS)
    yield browser
    browser.close()


@pytest.fixture
def phone(chromium, transactional_db, live_server):
    # Set up after the database and the live server, so closed before the database is
    # flushed: a player still streaming must not race the flush.
    context = chromium.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    yield context.new_page()
    context.close()


@pytest.fixture
def kiosk_tv(chromium, transactional_db, live_server):
    context = chromium.new_context(viewport={"width": 1920, "height": 1080})
    yield context.new_page()
    context.close()


@pytest.fixture
def no_js_phone(chromium, transactional_db, live_server):
    context = chromium.new_context(java_script_enabled=False,
                                   viewport={"width": 360, "height": 740})
    yield context.new_page()
    context.close()


def test_browse_open_a_bulletin_and_play_it(phone, live_server, library):
    bulletin = library.bulletins[0]
    phone.goto(live_server.url + "/")
    phone.get_by_role("link", name="Duyệt thư viện").first.click()
    phone.get_by_role("link", name=re.compile(re.escape(bulletin.title))).click()
    expect(phone.locator("h1")).to_have_text(bulletin.title)
    audio = phone.locator("audio")
    audio.evaluate("a => a.play()")
    # A function, not an expression string: the site's CSP forbids eval, which Playwright
    # would use for a string.
    phone.wait_for_function("() => document.querySelector('audio').currentTime > 0.3",
                            timeout=15000)
    assert audio.evaluate("a => a.error") is None
    assert audio.evaluate("a => a.currentSrc").endswith(bulletin.audio.file.url)
    audio.evaluate("a => a.pause()")


def test_search_without_tones_with_autocomplete(phone, live_server, library):
    bulletin = library.bulletins[0]  # "Cảnh giác với thủ đoạn lừa đảo qua mạng"
    phone.goto(live_server.url + "/tim-kiem/")
    box = phone.locator("form[data-autocomplete] input[name=q]")
    box.press_sequentially("canh giac", delay=30)
    expect(phone.locator("#goi-y option")).to_have_count(1, timeout=10000)
    assert phone.locator("#goi-y option").get_attribute("value") == bulletin.title
    box.fill("lua dao qua mang")
    box.press("Enter")
    result = phone.get_by_role("link", name=bulletin.title)
    expect(result).to_be_visible()
    result.click()
    expect(phone.locator("h1")).to_have_text(bulletin.title)


def test_kiosk_with_the_keyboard_only_and_the_playlist_looping(kiosk_tv, live_server, library,
                                                              province, settings):
    second = add_product(province.department.section_page, BulletinPage,
                         title="Bản tin thứ hai hôm nay", audio=library.draft.audio,
                         air_date=timezone.localdate())
    library.draft.save_revision().publish()  # its recording is now public
    tv = kiosk_tv
    tv.goto(live_server.url + "/kiosk/")

    # arrow keys move the focus between the big controls; Enter opens; Escape comes back
    assert tv.evaluate("document.activeElement.id") == "pl-play"
    tv.keyboard.press("ArrowRight")
    assert tv.evaluate("document.activeElement.id") == "pl-next"
    for _ in range(6):
        tv.keyboard.press("ArrowDown")
    focused = tv.evaluate("document.activeElement.getAttribute('href')")
    assert re.match(r"^/kiosk/\d+/$", focused)
    tv.keyboard.press("Enter")
    tv.wait_for_url(re.compile(r"/kiosk/\d+/$"))
    assert tv.url.endswith(focused)
    tv.keyboard.press("Escape")
    tv.wait_for_url(re.compile(r"/kiosk/$"))

    # the playlist plays today's bulletins one after the other and starts again
    titles = tv.locator("#playlist li").evaluate_all("els => els.map(e => e.dataset.title)")
    assert sorted(titles) == sorted([library.bulletins[0].title, second.title,
                                     library.draft.title])
    player = tv.locator("#playlist-player")
    # four times faster: the loop comes round in seconds
    player.evaluate("a => { a.defaultPlaybackRate = 4; a.playbackRate = 4; }")
    for index in (1, 2, 0):
        expect(tv.locator("body")).to_have_attribute("data-playing", str(index), timeout=20000)
        expect(tv.locator("#now-playing")).to_have_text(titles[index])

    # left alone, the TV shows its idle screen; any key brings the kiosk back
    settings.LOA_KIOSK_IDLE_SECONDS = 2
    tv.goto(live_server.url + "/kiosk/")
    expect(tv.locator("#idle")).to_be_visible(timeout=10000)
    tv.keyboard.press("ArrowDown")
    expect(tv.locator("#idle")).to_be_hidden()


def test_everything_works_with_javascript_off(no_js_phone, live_server, library):
    page = no_js_phone
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Duyệt thư viện").first.click()
    page.locator("select[name=kind]").select_option("ban-tin")
    page.get_by_role("button", name="Lọc").click()
    cards = page.locator(".cards .card")
    expect(cards).to_have_count(1)
    cards.first.locator("a").click()
    expect(page.locator("audio[controls] source")).to_have_count(1)
    page.locator("#q-top").fill("bao ve cot moc")
    page.locator("#q-top").press("Enter")
    document = library.documents[0]  # "Bảo vệ cột mốc biên giới Hữu Nghị"
    page.get_by_role("link", name=document.title).click()
    expect(page.get_by_role("link", name=re.compile("Tải PDF"))).to_be_visible()


@pytest.fixture
def every_script_on(settings):
    """Chinese, Khmer and Tai Viet switched on (before the province is built: its locales),
    and pages' fonts cut when they are published, as in production."""
    settings.LANGUAGES = languages.django_languages(["vi", "en", "zh-hans", "km", "blt"])
    settings.WAGTAIL_CONTENT_LANGUAGES = settings.LANGUAGES
    settings.LOA_FONTS_AT_PUBLISH = True


# (language, its web font's family, text of page length, its script's main block)
SCRIPT_PAGES = [
    ("zh-hans", "Loa CJK SC", script_texts.chinese, (0x4E00, 0x9FFF)),
    ("km", "Loa Khmer", script_texts.khmer, (0x1780, 0x17FF)),
    ("blt", "Loa Tai Viet", script_texts.tai_viet, (0xAA80, 0xAADF)),
]


def _script_version(source, code: str, text: str, user):
    """A live version of ``source`` in ``code`` whose title, summary and body are in its
    script (the body ≥ 1,500 characters of it, in paragraphs as an editor types them)."""
    page = ensure_translation(source, Locale.objects.get(language_code=code), user=user)
    page.title = text[:24]
    page.summary = text[24:120]
    paragraphs = [text[i:i + 400] for i in range(0, len(text), 400)]
    page.body = [("paragraph", f"<p>{escape(p)}</p>") for p in paragraphs]
    page.save_revision(user=user).publish(user=user)
    return type(page).objects.get(pk=page.pk)


def test_the_budget_holds_with_the_fonts_a_phone_fetches(every_script_on, playwright_driver,
                                                          live_server, demo_library, users,
                                                          client, latin_only_fontconfig):
    """Every page's language menu names 简体中文, ខ្មែរ and Tai Viet in their own scripts,
    and a translated product page is ≥ 1,500 characters of its script. On a phone with none
    of these fonts, the web fonts a first visit fetches count against the page budget too
    (measure() reads the HTML and stylesheets), and the text is drawn with our fonts: the
    page's own subsets (/phong-chu/), never the shared slices."""
    source = demo_library.bulletins[0]
    pages = {"vi": source.url, "home": "/"}
    for code, _family, make_text, block in SCRIPT_PAGES:
        text = make_text()
        assert script_texts.script_length(text, *block) >= 1500
        pages[code] = _script_version(source, code, text, users.admin).url
    browser = launch(playwright_driver, fontconfig=latin_only_fontconfig)
    try:
        for code, url in pages.items():
            family = next((f for c, f, *_ in SCRIPT_PAGES if c == code), "Loa CJK SC")
            # the page's subsets were cut when it was published, before any visit
            cut = set(PageFont.objects.exclude(woff2=None).values_list("key", flat=True))
            assert set(page_fonts.linked_keys(client.get(url).content.decode())) <= cut, url
            # the first phone there (the server renders the page) and the next one (served
            # the page cache, as most visits are) each fetch the page's own fonts alone; the
            # next one's is what is measured
            first = _fonts_of_a_first_visit(browser, live_server.url + url, family)
            fonts = _fonts_of_a_first_visit(browser, live_server.url + url, family)
            for fetched in (first, fonts):
                assert fetched, url  # without a Chinese font the phone must fetch some
                assert all("/phong-chu/" in font_url for font_url in fetched), (url, fetched)
            total = measure(client, url).total + sum(fonts.values())
            assert total <= PAGE_BUDGET, (url, total, fonts)
    finally:
        browser.close()


def _fonts_of_a_first_visit(browser, url: str, family: str) -> dict[str, int]:
    """Bytes of each web font a phone with an empty cache fetches to draw ``url``; checks
    that the menu's 简体中文 and the text of ``family``'s script are drawn with it."""
    with first_visit(browser, {"width": 360, "height": 740}) as phone:
        responses = []
        phone.on("response", lambda response: responses.append(response))
        phone.goto(url, wait_until="networkidle")
        expect(phone.locator(".language-switcher a[hreflang^=zh]")).to_have_text("简体中文")
        for name in {"Loa CJK SC", family}:
            assert phone.evaluate("name => [...document.fonts].some(f => f.family === name"
                                  " && f.status === 'loaded')", name), (url, name)
        return {r.url: len(r.body()) for r in responses if r.request.resource_type == "font"}
