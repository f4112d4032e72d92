"""Offline round trip: PO export and import keep every field byte-identical; a malformed
or mismatched file is refused in Vietnamese and changes nothing."""

import polib
import pytest
from django.urls import reverse
from wagtail.models import Locale, Page

from cms.products.blocks import RICH_FEATURES
from translations import po_exchange
from translations.exceptions import ExchangeFileRefused
from translations.sanitise import clean_rich_text
from translations.versions import ensure_translation

# Text that trips naive round trips: quotes, backslashes, tabs, newlines, entities,
# attributes, non-breaking and zero-width spaces, combining marks, trailing space.
TRICKY_RICH = ('<p>Pỉ noọng <b>"Biên phòng"</b>\\n &amp; <i>bản</i>\u00a0Nà Pàn'
               ' <a href="https://example.invalid/a?b=1&amp;c=2" title=\'x "y"\'>tin</a>'
               '\u200b – Ti\u0301ếng Ta\u0300y </p>')
TRICKY_TEXT = 'Dòng một\n\tDòng hai "trích" \\ cuối  '


def fields(page) -> dict:
    page = po_exchange.current_content(Page.objects.get(pk=page.pk))
    return {"title": page.title, "summary": page.summary,
            "body": page.body.stream_block.get_prep_value(page.body)}


def fill_po(text: str, answers: dict[str, str]) -> bytes:
    po = polib.pofile(text, wrapwidth=0)
    for entry in po:
        entry.msgstr = answers.get(entry.msgctxt.split("/")[-1], answers.get(entry.msgctxt, ""))
    return str(po).encode()


@pytest.fixture
def tay(bulletin, translators):
    return ensure_translation(bulletin, Locale.objects.get(language_code="tyz"))


def _answers(bulletin):
    block = {b.block_type: b.id for b in bulletin.body}
    return {"title": "Slam pỉ noọng", "summary": TRICKY_TEXT,
            f"body/{block['heading']}": "Bộ đội Biên phòng cạ pỉ noọng",
            f"body/{block['paragraph']}": TRICKY_RICH,
            "text": "Tẳng cần mỏi cần lẻ mốc sống.", "source": ""}


@pytest.mark.django_db
def test_round_trip_is_byte_identical(bulletin, tay, translators):
    translator = translators["tyz"]
    exported = po_exchange.export_po(bulletin, "tyz")
    assert "X-Loa-Product: " + str(bulletin.translation_key) in exported
    result = po_exchange.import_po(bulletin, "tyz", fill_po(exported, _answers(bulletin)),
                                   translator)
    assert result.changed
    after_first = fields(tay)
    assert after_first["summary"] == TRICKY_TEXT
    paragraph = next(b for b in after_first["body"] if b["type"] == "paragraph")
    # Imported rich text passes Wagtail's whitelist, as the editor's input does: the text
    # and allowed markup stay, quotes become entities, the link's title= goes.
    assert paragraph["value"] == clean_rich_text(TRICKY_RICH, RICH_FEATURES)
    assert "Pỉ noọng <b>&quot;Biên phòng&quot;</b>" in paragraph["value"]
    quote = next(b for b in after_first["body"] if b["type"] == "quote")
    assert quote["value"]["source"] == "Già làng"  # left empty: keeps the Vietnamese
    # Export what is stored now and import it back: nothing may move by a single byte.
    second = po_exchange.export_po(bulletin, "tyz")
    revisions = Page.objects.get(pk=tay.pk).revisions.count()
    result = po_exchange.import_po(bulletin, "tyz", second.encode(), translator)
    assert result.changed == []
    assert fields(tay) == after_first
    assert Page.objects.get(pk=tay.pk).revisions.count() == revisions
    # And the file itself survives: exporting again gives the same entries.
    again = polib.pofile(po_exchange.export_po(bulletin, "tyz"))
    assert [(e.msgctxt, e.msgid, e.msgstr) for e in again] == [
        (e.msgctxt, e.msgid, e.msgstr) for e in polib.pofile(second)]


@pytest.mark.django_db
@pytest.mark.parametrize("mangle, message", [
    (lambda t, key: t.replace('msgstr ""', "msgstr", 2), "lỗi cú pháp"),
    (lambda t, key: t.replace(key, "00000000-0000-0000-0000-000000000000"), "sản phẩm khác"),
    (lambda t, key: t.replace("Language: tyz", "Language: km"), "Tiếng Khmer"),
    (lambda t, key: "xin chào, đây không phải tệp PO", "không phải tệp PO"),
    (lambda t, key: t.replace("msgid \"Tóm tắt bản tin.\"", "msgid \"Tóm tắt khác.\""),
     "đã thay đổi"),
])
def test_bad_files_are_refused_and_change_nothing(bulletin, tay, translators, mangle, message):
    translator = translators["tyz"]
    good = fill_po(po_exchange.export_po(bulletin, "tyz"), _answers(bulletin)).decode()
    before = fields(tay)
    revisions = Page.objects.get(pk=tay.pk).revisions.count()
    with pytest.raises(ExchangeFileRefused, match=message):
        po_exchange.import_po(bulletin, "tyz", mangle(good, str(bulletin.translation_key))
                              .encode(), translator)
    assert fields(tay) == before
    assert Page.objects.get(pk=tay.pk).revisions.count() == revisions


@pytest.mark.django_db
def test_khmer_translator_cannot_import_into_tay(bulletin, tay, translators):
    good = fill_po(po_exchange.export_po(bulletin, "tyz"), _answers(bulletin))
    before = fields(tay)
    with pytest.raises(ExchangeFileRefused, match="không có quyền"):
        po_exchange.import_po(bulletin, "tyz", good, translators["km"])
    assert fields(tay) == before


@pytest.mark.django_db
def test_import_through_the_admin_reports_in_vietnamese(client, bulletin, tay, translators):
    from translations.models import TranslationRequest

    req = TranslationRequest.objects.create(product=bulletin.page_ptr, language="tyz",
                                            due_date="2099-01-01",
                                            assignee=translators["tyz"])
    client.force_login(translators["tyz"])
    exported = client.get(reverse("translations:export", args=[req.pk]))
    assert exported["Content-Disposition"].endswith('-tyz.po"')
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("x.po", b'msgid "a"\nmsgstr "b"\nmsgid "c')
    response = client.post(reverse("translations:import", args=[req.pk]), {"po_file": bad},
                           follow=True)
    assert "Không có gì được thay đổi" in response.content.decode()
    good = SimpleUploadedFile("t.po", fill_po(exported.content.decode(), _answers(bulletin)))
    response = client.post(reverse("translations:import", args=[req.pk]), {"po_file": good},
                           follow=True)
    assert "Đã nhập bản dịch" in response.content.decode()
    assert fields(tay)["title"] == "Slam pỉ noọng"
