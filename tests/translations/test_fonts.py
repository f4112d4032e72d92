"""Khmer, Tai Viet and Chinese render with the site's own fonts, in headless Chromium and
in generated images: no tofu (missing-glyph boxes)."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont

from tests.browser import first_visit, launch
from translations import fonts

from .conftest import publish_translation

SAMPLES = {
    "km": "ព្រឹត្តិបត្រព័ត៌មាន ព្រំដែនខេត្ត",
    "blt": "ꪁꪫꪱꪣ ꪼꪕ ꪒꪾ",
    "zh-hans": "谅山省边境简报",
}


@pytest.fixture(scope="session")
def built_fonts():
    fonts.build_fonts()  # skips when static/fonts is up to date
    return fonts.fonts_dir()


def test_served_subsets_cover_the_samples(built_fonts):
    served = {"km": "khmer.woff2", "blt": "taiviet.woff2"}
    for code, name in served.items():
        assert fonts.missing_glyphs(built_fonts / name, SAMPLES[code]) == []
    cjk = [ch for ch in SAMPLES["zh-hans"]]
    slices = sorted(built_fonts.glob("cjk-sc-*.woff2"))
    covered = set()
    for path in slices:
        covered |= {ch for ch in cjk if not fonts.missing_glyphs(path, ch)}
    assert covered == set(cjk)
    total = sum(p.stat().st_size for p in built_fonts.glob("*.woff2"))
    assert (built_fonts / "khmer.woff2").stat().st_size < 60_000
    assert max(p.stat().st_size for p in slices) < 250_000  # a page fetches slices, not all
    # what every page's language menu needs of Chinese, in a file of its own
    names = built_fonts / "cjk-sc-names.woff2"
    assert fonts.missing_glyphs(names, "简体中文") == [] and names.stat().st_size < 5_000
    assert total < 2_000_000


def _draw(text: str, font: ImageFont.FreeTypeFont) -> Image.Image:
    img = Image.new("L", (900, 120), 255)
    ImageDraw.Draw(img).text((10, 10), text, font=font, fill=0)
    return img


def test_generated_images_use_a_font_with_the_glyphs():
    latin_only = ImageFont.truetype("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf", 48)
    for code, text in SAMPLES.items():
        path, index = fonts.system_font_path(code)
        assert fonts.missing_glyphs(path, text, index) == []
        good = _draw(text, fonts.pillow_font(code, 48))
        tofu = _draw(text, latin_only)
        assert _changed_fraction(good, tofu) > 0.01, code


def _changed_fraction(a: Image.Image, b: Image.Image) -> float:
    width, height = max(a.width, b.width), max(a.height, b.height)
    canvas_a = Image.new("L", (width, height), 255)
    canvas_b = Image.new("L", (width, height), 255)
    canvas_a.paste(a.convert("L"), (0, 0))
    canvas_b.paste(b.convert("L"), (0, 0))
    diff = ImageChops.difference(canvas_a, canvas_b).point(lambda v: 255 if v > 40 else 0)
    return sum(1 for v in diff.get_flattened_data() if v) / (width * height)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_no_tofu_in_chromium(playwright_driver, live_server, settings, bulletin, users,
                             built_fonts, latin_only_fontconfig):
    # URLs first: the ORM refuses to run inside Playwright's event loop.
    urls = {code: live_server.url + publish_translation(bulletin, code, text, users.admin).url
            for code, text in SAMPLES.items()}
    settings.LOA_PAGE_CACHE_SECONDS = 0  # each page rendered with the setting of the moment
    browser = launch(playwright_driver, fontconfig=latin_only_fontconfig)
    try:
        for code, url in urls.items():
            # Each page a first visit: in one shared tab the Khmer page's language menu had
            # already fetched the Tai Viet font, which hid a stylesheet that left a first
            # visitor's Tai Viet title tofu.
            settings.LOA_WEB_FONTS = True
            with first_visit(browser, VIEWPORT) as tab:
                with_font = _shoot_title(tab, url, f'32px "{_family(code)}"', SAMPLES[code])
            settings.LOA_WEB_FONTS = False
            with first_visit(browser, VIEWPORT) as tab:
                without_font = _shoot_title(tab, url)
                tofu = _shoot_tofu(tab, len(SAMPLES[code]))
            # Without our font the title is tofu; with it, it is something else.
            assert _changed_fraction(with_font, without_font) > 0.02, code
            assert _changed_fraction(with_font, tofu) > 0.02, code
    finally:
        browser.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_phone_that_has_the_fonts_downloads_none(playwright_driver, live_server, bulletin,
                                                   users, built_fonts):
    """With the Noto fonts installed (as on most Android phones, and on this machine from
    Debian's fonts-noto packages), local() finds them: the pages fetch no font file and
    their titles are still drawn, not tofu."""
    urls = {code: live_server.url + publish_translation(bulletin, code, text, users.admin).url
            for code, text in SAMPLES.items()}
    browser = launch(playwright_driver)
    fetched: list[str] = []
    try:
        for code, url in urls.items():
            fetched.clear()
            with first_visit(browser, VIEWPORT) as tab:
                tab.on("request", lambda request: fetched.append(request.url))
                title = _shoot_title(tab, url, f'32px "{_family(code)}"', SAMPLES[code])
                tofu = _shoot_tofu(tab, len(SAMPLES[code]))
            assert [u for u in fetched if u.endswith(".woff2")] == [], code
            assert _changed_fraction(title, tofu) > 0.02, code
    finally:
        browser.close()


def _family(code: str) -> str:
    from translations import languages

    return languages.BY_CODE[code].web_font


# the shared slices' stylesheet, or a page's own (which carries the shared rules too)
FONTS_CSS = "link[rel=stylesheet][href*='loa-fonts'], link[rel=stylesheet][href*='/phong-chu/']"
VIEWPORT = {"width": 900, "height": 500}


def _shoot_title(tab, url: str, font: str | None = None, text: str = "") -> Image.Image:
    """The page's title as drawn; with ``font``, once that web font has loaded for ``text``
    (fonts load lazily: under load, fonts.ready can resolve before the download starts);
    without, from a page that links no web fonts."""
    tab.goto(url)
    if font:
        faces = tab.evaluate("([f, t]) => document.fonts.load(f, t).then(l => l.length)",
                             [font, text])
        assert faces, f"no face of {font} for {text!r} in the page's stylesheets"
    else:
        assert tab.locator(FONTS_CSS).count() == 0
    tab.evaluate("document.fonts.ready")
    return Image.open(io.BytesIO(tab.locator("article h1").screenshot()))


def _shoot_tofu(tab, length: int) -> Image.Image:
    """What missing glyphs look like in this browser: private-use characters in the h1."""
    tab.evaluate("n => { document.querySelector('article h1').textContent ="
                 " String.fromCharCode(0xE000).repeat(n); }", length)
    return Image.open(io.BytesIO(tab.locator("article h1").screenshot()))
