"""The e-library as a ZIM file: checked by Debian's zimcheck, read by libzim's own reader
and search, served by Debian's kiwix-serve to Chromium."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from libzim.reader import Archive
from libzim.search import Query, Searcher
from libzim.suggestion import SuggestionSearcher
from playwright.sync_api import expect

from offline import zim
from tests.browser import FLAGS, first_visit, launch
from tests.offline.conftest import TAY_TITLE


def zimcheck(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["zimcheck", "-A", str(path)], capture_output=True, text=True,
                          timeout=300)


def found(archive: Archive, query: str) -> list[str]:
    search = Searcher(archive).search(Query().set_query(query))
    return list(search.getResults(0, 20))


def html(archive: Archive, path: str) -> str:
    return bytes(archive.get_entry_by_path(path).get_item().content).decode()


def export(tmp_path: Path, language: str = "tyz") -> Path:
    call_command("export_zim", language=[language], out=str(tmp_path), verbosity=0)
    return tmp_path / f"loa-lsn_{language}_phone.zim"


@pytest.mark.django_db
# a ZIM of few recordings keeps its pages compressed; one whose recordings dominate (a
# province's year of bulletins) stores them as they are: both must pass and be searchable
@pytest.mark.parametrize("store_pages", [False, True], ids=["pages-compressed", "pages-stored"])
def test_tay_zim_passes_zimcheck_and_kiwix_search_finds_toneless_words(tay_library, tmp_path,
                                                                       monkeypatch, store_pages):
    if store_pages:
        monkeypatch.setattr(zim, "STORE_PAGES_FROM", 0)
    path = export(tmp_path)
    check = zimcheck(path)
    assert check.returncode == 0, check.stdout + check.stderr
    archive = Archive(path)
    assert archive.has_fulltext_index and archive.has_title_index
    bulletin = f"sp/{tay_library.bulletin.pk}"
    assert found(archive, "bao ve cot moc") == [bulletin]
    assert found(archive, "dong bao") == [bulletin]
    assert bulletin in list(SuggestionSearcher(archive).suggest("Bảo vệ").getResults(0, 10))
    page = html(archive, bulletin)
    assert TAY_TITLE in page
    # the recording plays from inside the file: the phone rendition, linked relatively
    audio = re.search(r'<source src="([^"]+)" type="audio/ogg"', page).group(1)
    assert audio.startswith("../media/")
    assert archive.get_entry_by_path(audio.removeprefix("../")).get_item().size > 1000
    # only Tày products, only live ones
    main = html(archive, "index")
    assert TAY_TITLE in main
    assert "Pò Mã" not in main and not found(archive, "Po Ma")
    assert not any(p.title in main for p in tay_library.library.live)  # Vietnamese ones
    metadata = {key: bytes(archive.get_metadata(key)).decode()
                for key in archive.metadata_keys if not key.startswith("Illustration")}
    assert metadata["Language"] == "tyz"
    assert metadata["Name"] == "loa-lsn_tyz_phone"
    assert {"Title", "Description", "LongDescription", "Creator", "Publisher", "Date", "Tags",
            "Flavour", "Source", "License"} <= set(metadata)


@pytest.mark.django_db
def test_a_rebuild_shows_an_edit(tay_library, tmp_path):
    bulletin = tay_library.bulletin
    first = Archive(export(tmp_path))
    assert "Pác Bó" not in html(first, f"sp/{bulletin.pk}")
    bulletin.title = "Bảo vệ cột mốc Pác Bó"
    bulletin.save_revision().publish()
    second = Archive(export(tmp_path))
    assert "Pác Bó" in html(second, f"sp/{bulletin.pk}")
    assert found(second, "pac bo") == [f"sp/{bulletin.pk}"]


@pytest.mark.browser
@pytest.mark.django_db
def test_kiwix_serve_in_chromium(tay_library, tmp_path, kiwix_serve, playwright_driver):
    """A villager's phone on the support point's Wi-Fi: kiwix-serve serves the Tày ZIM."""
    path = export(tmp_path)
    book = f"{kiwix_serve(path)}/{path.stem}"
    browser = launch(playwright_driver, args=FLAGS)
    try:
        with first_visit(browser, {"width": 360, "height": 740}) as phone:
            phone.goto(f"{book}/")
            expect(phone.locator("main h1")).to_have_text("Thư viện Lạng Sơn")
            phone.locator("main").get_by_role("link", name=TAY_TITLE).first.click()
            expect(phone.locator("main h1")).to_have_text(TAY_TITLE)
            audio = phone.locator("main audio")
            audio.evaluate("a => a.play()")
            phone.wait_for_function("document.querySelector('main audio').currentTime > 0.3",
                                    timeout=15000)
            assert audio.evaluate("a => a.error") is None
            assert audio.evaluate("a => a.currentSrc").endswith(".ogg")
            audio.evaluate("a => a.pause()")

            # the main page's topic list leads to the topic's products
            phone.goto(f"{book}/")
            phone.locator("main").get_by_role("link", name=tay_library.topic_name).click()
            expect(phone.locator("main h1")).to_have_text(tay_library.topic_name)
            expect(phone.locator("main").get_by_role("link", name=TAY_TITLE)).to_be_visible()

            # Kiwix's own search box, typed without tones and without "đ"
            box = phone.locator("#kiwixsearchbox")
            box.fill("dong bao bao ve cot moc")
            box.press("Enter")
            result = phone.get_by_role("link", name=re.compile(re.escape(TAY_TITLE)))
            expect(result).to_be_visible()
            result.click()
            expect(phone.locator("main h1")).to_have_text(TAY_TITLE)

            # the support point's playlist page: its titles open the products
            phone.goto(f"{book}/kiosk")
            expect(phone.locator("#now-playing")).to_have_text(TAY_TITLE)
            phone.locator("#playlist a").first.click()
            expect(phone.locator("main h1")).to_have_text(TAY_TITLE)
    finally:
        browser.close()


@pytest.mark.django_db
def test_one_zim_of_all_languages_for_the_kiosk_with_chinese_words_searchable(
        tay_library, province, tmp_path):
    from cms.products.models import BulletinPage
    from tests.elibrary.factories import add_product, section_in

    chinese = add_product(section_in(province.department.section_page, "zh-hans"),
                          BulletinPage, title="边境界碑保护",
                          text="各族同胞共同保护边境界碑，维护和平友好的边境。")
    call_command("export_zim", language=["tyz"], all=True, kiosk=True, out=str(tmp_path),
                 verbosity=0)
    path = tmp_path / "loa-lsn_all_kiosk.zim"
    check = zimcheck(path)
    assert check.returncode == 0, check.stdout + check.stderr
    archive = Archive(path)
    languages = bytes(archive.get_metadata("Language")).decode().split(",")
    assert {"vie", "tyz", "zho"} <= set(languages)
    assert bytes(archive.get_metadata("Flavour")).decode() == "kiosk"
    assert found(archive, "界碑") == [f"sp/{chinese.pk}"]
    assert f"sp/{tay_library.bulletin.pk}" in found(archive, "bao ve cot moc")
    main = html(archive, "index")
    assert chinese.title in main and TAY_TITLE in main
    assert (tmp_path / "loa-lsn_tyz_kiosk.zim").exists()  # and the Tày one beside it
