"""Each page's own web fonts (translations.page_fonts): the subset holds every character the
page shows, a rare character the font lacks is left to the device, and a font problem never
costs the page."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.utils import timezone
from django.utils.html import escape

from elibrary import publish_fonts
from tests import script_texts
from translations import fonts, page_fonts
from translations.models import PageFont

from .conftest import publish_translation

LINK = re.compile(r'<link rel="stylesheet" href="(/phong-chu/[0-9a-f-]+\.css)">')
RARE = "鿋"  # U+9FCB, newer than Droid Sans Fallback: the device's fonts must draw it


def _chinese_page(bulletin, users, text: str):
    return publish_translation(bulletin, "zh-hans", text[:20], users.admin,
                               summary=text[20:80],
                               body=[("paragraph", f"<p>{escape(text)}</p>")])


FACE = re.compile(r'@font-face\{font-family:"([^"]+)";'
                  r'src:[^}]*url\("(/phong-chu/[0-9a-f]+\.woff2)"\)')


def _own_fonts(client, url: str) -> tuple[str, dict[str, bytes]]:
    """The page's own stylesheet and its fonts by family, fetched as a browser would."""
    html = client.get(url).content.decode()
    stylesheet = client.get(LINK.search(html)[1])
    assert stylesheet["Cache-Control"] == "public, max-age=31536000, immutable"
    css = stylesheet.content.decode()
    files = {}
    for family, font_url in FACE.findall(css):
        response = client.get(font_url)
        assert response["Content-Type"] == "font/woff2"
        files[family] = response.content
    return css, files


@pytest.mark.django_db
def test_the_subset_has_every_character_of_the_page(client, bulletin, users, tmp_path):
    text = script_texts.chinese() + RARE
    page = _chinese_page(bulletin, users, text)
    css, files = _own_fonts(client, page.url)
    html = client.get(page.url).content.decode()
    # one font stylesheet, the page's own, which holds the shared slices' faces and then
    # its own: browsers try the last declared first, and never see one set without the other
    assert "loa-fonts" not in html
    assert css.index("cjk-sc-names") < css.index("/phong-chu/")
    assert 'local("Noto Sans CJK SC")' in css and css.index("local(") < css.index("url(")
    hanzi = {ch for ch in text if 0x4E00 <= ord(ch) <= 0x9FFF} | set("简体中文，。")
    font_path = tmp_path / "page.woff2"
    font_path.write_bytes(files["Loa CJK SC"])
    assert fonts.missing_glyphs(font_path, "".join(hanzi - {RARE})) == []
    # the rare character is neither in the font nor claimed by its unicode-range
    assert fonts.missing_glyphs(font_path, RARE) == [RARE]
    assert f"U+{ord(RARE):X}" not in css
    assert len(files["Loa CJK SC"]) < 80_000  # ~700 different hanzi


@pytest.mark.django_db
def test_every_script_on_the_page_gets_its_font(client, bulletin, users, tmp_path):
    text = script_texts.khmer(400)
    page = publish_translation(bulletin, "km", text[:20], users.admin,
                               body=[("paragraph", f"<p>{escape(text)}</p>")])
    _css, files = _own_fonts(client, page.url)
    # the page's Khmer, and the language menu's Chinese and Tai Viet names
    assert set(files) == {"Loa Khmer", "Loa CJK SC", "Loa Tai Viet"}
    font_path = tmp_path / "km.woff2"
    font_path.write_bytes(files["Loa Khmer"])
    assert fonts.missing_glyphs(font_path, text.replace(" ", "")) == []


@pytest.mark.django_db
def test_the_same_characters_reuse_one_font(client, bulletin, users):
    client.get(bulletin.url)
    client.get(bulletin.url)
    before = PageFont.objects.count()
    assert before >= 1  # the language menu's names, on every page
    client.get(bulletin.get_parent().url)  # its section
    client.get("/")
    # Vietnamese pages show the same non-Latin characters (the menu): no new font
    assert PageFont.objects.count() == before
    assert not PageFont.objects.exclude(woff2=None).exists()  # cut on first request only


@pytest.mark.django_db
def test_unknown_or_malformed_fonts_are_404(client):
    assert client.get("/phong-chu/" + "0" * page_fonts.KEY_LENGTH + ".woff2").status_code == 404
    assert client.get("/phong-chu/" + "0" * page_fonts.KEY_LENGTH + ".css").status_code == 404
    response = client.get("/phong-chu/abc.css")
    assert response.status_code == 404


@pytest.mark.django_db
def test_a_font_problem_never_costs_the_page(client, bulletin, users, monkeypatch):
    page = _chinese_page(bulletin, users, script_texts.chinese(300))

    def broken(_text):
        raise OSError("font file missing")

    monkeypatch.setattr(fonts, "script_characters", broken)
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "loa-fonts" in html and "/phong-chu/" not in html  # the shared slices remain


@pytest.mark.django_db
def test_fonts_nobody_fetched_for_months_are_pruned_and_made_again(client, bulletin, users):
    page = _chinese_page(bulletin, users, script_texts.chinese(300))
    _own_fonts(client, page.url)  # a visitor: the fonts are in use today
    used = set(PageFont.objects.values_list("key", flat=True))
    khmer = set(PageFont.objects.filter(script="Khmr").values_list("key", flat=True))
    assert khmer  # the language menu's ខ្មែរ
    PageFont.objects.filter(key__in=khmer).update(
        used_on=timezone.localdate() - datetime.timedelta(days=200))
    call_command("prune_page_fonts", "--days", "180", stdout=io.StringIO())
    assert set(PageFont.objects.values_list("key", flat=True)) == used - khmer
    # the page, rendered again once out of the page cache, makes its fonts anew
    caches["pages"].clear()
    _own_fonts(client, page.url)
    assert set(PageFont.objects.values_list("key", flat=True)) == used


@pytest.mark.django_db
def test_a_page_shown_again_looks_its_fonts_up_once_and_after_a_prune_makes_them_anew(
        client, bulletin, users, settings, django_capture_on_commit_callbacks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.LOA_PAGE_CACHE_SECONDS = 0  # every view rendered
    page = _chinese_page(bulletin, users, script_texts.chinese(300))

    def font_lookups() -> int:
        with (CaptureQueriesContext(connection) as queries,
              django_capture_on_commit_callbacks(execute=True)):  # as if committed
            assert client.get(page.url).status_code == 200
        return sum("translations_pagefont" in q["sql"] for q in queries)

    assert font_lookups() >= 1
    assert font_lookups() == 0  # known to this process: no lookup
    used = set(PageFont.objects.values_list("key", flat=True))
    PageFont.objects.update(used_on=timezone.localdate() - datetime.timedelta(days=200))
    call_command("prune_page_fonts", "--days", "180", stdout=io.StringIO())
    assert not PageFont.objects.exists()
    assert font_lookups() >= 1  # made anew at once
    assert set(PageFont.objects.values_list("key", flat=True)) == used
    _own_fonts(client, page.url)  # and served


@pytest.mark.django_db
def test_a_published_page_has_its_fonts_cut_before_its_first_visitor(
        client, bulletin, users, settings, monkeypatch, django_capture_on_commit_callbacks):
    settings.LOA_FONTS_AT_PUBLISH = True
    with django_capture_on_commit_callbacks(execute=True):  # the job runs after the commit
        page = _chinese_page(bulletin, users, script_texts.chinese())
    ready = set(PageFont.objects.filter(woff2__isnull=False).values_list("key", flat=True))
    # the first visitor's page names subsets that were cut before it came, and they are
    # served as stored: nothing is cut on request
    monkeypatch.setattr(fonts, "subset_woff2", lambda *args: pytest.fail("cut on request"))
    keys = page_fonts.linked_keys(client.get(page.url).content.decode())
    assert keys and set(keys) <= ready
    _css, files = _own_fonts(client, page.url)
    assert {"Loa CJK SC", "Loa Tai Viet", "Loa Khmer"} <= set(files)
    assert all(files.values())


@pytest.mark.django_db
def test_a_page_unpublished_before_the_job_runs_cuts_nothing(bulletin, users):
    page = _chinese_page(bulletin, users, script_texts.chinese())
    page.unpublish()
    assert publish_fonts.prepare(page.pk) == 0
    assert not PageFont.objects.filter(woff2__isnull=False).exists()
