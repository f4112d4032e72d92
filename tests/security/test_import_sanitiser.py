"""Text that enters by import goes through the same whitelist as the page editor's input:
a translator's PO file cannot store script, event handlers or ``javascript:`` links, nor
control characters in plain text."""

from __future__ import annotations

import polib
import pytest
from django.test import Client
from wagtail.models import Locale, Page

from tests.translations import conftest as translation_fixtures
from translations import po_exchange
from translations.exceptions import ExchangeFileRefused
from translations.versions import ensure_translation

pytestmark = pytest.mark.django_db
# The translation tests' bulletin, translators and enabled languages.
bulletin = translation_fixtures.bulletin
translators = translation_fixtures.translators
languages_on = translation_fixtures.languages_on

HOSTILE_RICH = ('<p>Pỉ noọng <b>Biên phòng</b><script>document.title="pwned"</script>'
                '<img src=x onerror="document.title=1">'
                '<a href="javascript:document.title=2">tin</a>'
                '<a href="https://example.invalid/" onclick="x()">trang</a>'
                '<iframe src="javascript:alert(1)"></iframe></p>')


def _filled(exported: str, answers: dict[str, str]) -> bytes:
    po = polib.pofile(exported, wrapwidth=0)
    for entry in po:
        entry.msgstr = answers.get(entry.msgctxt.split("/")[-1], answers.get(entry.msgctxt, ""))
    return str(po).encode()


def _paragraph_path(page) -> str:
    return next(f"body/{b.id}" for b in page.body if b.block_type == "paragraph")


def test_po_import_whitelists_rich_text_like_the_editor(bulletin, translators):
    tay = ensure_translation(bulletin, Locale.objects.get(language_code="tyz"))
    exported = po_exchange.export_po(bulletin, "tyz")
    po_exchange.import_po(bulletin, "tyz",
                          _filled(exported, {_paragraph_path(bulletin): HOSTILE_RICH}),
                          translators["tyz"])
    draft = po_exchange.current_content(Page.objects.get(pk=tay.pk))
    stored = next(b for b in draft.body.raw_data if b["type"] == "paragraph")["value"]
    # Wagtail unwraps what it does not allow: the script's text stays, as inert text.
    for bad in ("<script", "onerror", "onclick", "javascript:", "<iframe", "<img"):
        assert bad not in stored, (bad, stored)
    assert "Pỉ noọng <b>Biên phòng</b>" in stored
    assert 'href="https://example.invalid/"' in stored


def test_reviewer_draft_view_runs_nothing_from_the_import(bulletin, translators, users):
    tay = ensure_translation(bulletin, Locale.objects.get(language_code="tyz"))
    exported = po_exchange.export_po(bulletin, "tyz")
    po_exchange.import_po(bulletin, "tyz",
                          _filled(exported, {_paragraph_path(bulletin): HOSTILE_RICH}),
                          translators["tyz"])
    reviewer = Client()
    reviewer.force_login(users.reviewer)
    html = reviewer.get(f"/admin/pages/{tay.pk}/view_draft/").content.decode()
    assert "Pỉ noọng" in html
    for bad in ('<script>document.title="pwned"', "onerror=", "javascript:document"):
        assert bad not in html


@pytest.mark.parametrize("field", ["title", "summary", "heading"])
def test_po_import_refuses_control_characters_in_plain_text(bulletin, translators, field):
    tay = ensure_translation(bulletin, Locale.objects.get(language_code="tyz"))
    revisions = Page.objects.get(pk=tay.pk).revisions.count()
    exported = po_exchange.export_po(bulletin, "tyz")
    key = field if field != "heading" else next(
        f"body/{b.id}" for b in bulletin.body if b.block_type == "heading")
    with pytest.raises(ExchangeFileRefused, match="ký tự điều khiển"):
        po_exchange.import_po(bulletin, "tyz", _filled(exported, {key: "Slam\x0bpỉ"}),
                              translators["tyz"])
    assert Page.objects.get(pk=tay.pk).revisions.count() == revisions
