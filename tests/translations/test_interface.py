"""The public site's interface translated by the province: PO export and import in the
admin, review before it goes live, Vietnamese wherever a string is not translated."""

from __future__ import annotations

import polib
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from translations import interface
from translations.models import InterfaceString

BROWSE = "Duyệt thư viện"  # the menu link on every page
FILTER = "Lọc"  # the browse form's button
COUNT = "%(n)s sản phẩm, mới nhất trước"  # {% blocktranslate count n=… %}
TAY_BROWSE = "Piếu thư viện"  # illustrative test strings
TAY_COUNT = "%(n)s ăn sản phẩm, mới hơn ưa chướn"


def po_for(code: str, entries: dict[str, str], plural: dict[str, str] | None = None) -> bytes:
    """A translator's file: the exported one with some entries filled in."""
    po = polib.pofile(interface.export_po(code))
    for entry in po:
        if entry.msgid in entries:
            if entry.msgid_plural:
                entry.msgstr_plural = {0: entries[entry.msgid], 1: (plural or {}).get(
                    entry.msgid, entries[entry.msgid])}
            else:
                entry.msgstr = entries[entry.msgid]
    return str(po).encode()


def upload(client, code: str, data: bytes):
    return client.post(f"/admin/dich-thuat/giao-dien/{code}/nhap-po/",
                       {"po_file": SimpleUploadedFile("giao-dien.po", data)}, follow=True)


def page(client, path: str = "/tyz/duyet/") -> str:
    return client.get(path).content.decode()


@pytest.mark.django_db
def test_translation_shows_on_tay_pages_after_approval_and_not_before(
        client, province, users, translators):
    translator = translators["tyz"]
    client.force_login(translator)
    exported = client.get("/admin/dich-thuat/giao-dien/tyz/xuat-po/").content.decode()
    assert f'msgid "{BROWSE}"' in exported and "Giữ nguyên các chỗ thay thế" in exported
    answer = upload(client, "tyz", po_for("tyz", {BROWSE: TAY_BROWSE, COUNT: TAY_COUNT}))
    assert "2 chuỗi giao diện mới hoặc đã sửa, chờ duyệt" in answer.content.decode()
    assert TAY_BROWSE in answer.content.decode()  # on the review list

    client.logout()
    before = page(client)
    assert f">{BROWSE}</a>" in before and TAY_BROWSE not in before  # proposed, not yet approved
    # the translator cannot put it live; the reviewer can
    client.force_login(translator)
    client.post("/admin/dich-thuat/giao-dien/tyz/duyet/")
    assert not InterfaceString.objects.exclude(live="").exists()
    client.force_login(users.reviewer)
    client.post("/admin/dich-thuat/giao-dien/tyz/duyet/")
    client.logout()

    after = page(client)
    assert f">{TAY_BROWSE}</a>" in after and f">{BROWSE}</a>" not in after
    assert "0 ăn sản phẩm, mới hơn ưa chướn" in after  # the count filled in
    assert FILTER in after  # untranslated: Vietnamese
    vietnamese = page(client, "/duyet/")
    assert BROWSE in vietnamese and TAY_BROWSE not in vietnamese
    nung = page(client, "/nut/duyet/")
    assert BROWSE in nung and TAY_BROWSE not in nung

    # the language dashboard shows how much of the interface each language has
    client.force_login(users.reviewer)
    coverage = {c.language.code: c for c in interface.coverage(["tyz", "nut"])}
    assert coverage["tyz"].live == 2 and coverage["nut"].live == 0
    dashboard = client.get("/admin/dich-thuat/").content.decode()
    assert f"{coverage['tyz'].percent}%" in dashboard and "Giao diện đã dịch" in dashboard


@pytest.mark.django_db
def test_malformed_po_changes_nothing(client, province, translators):
    client.force_login(translators["tyz"])
    upload(client, "tyz", po_for("tyz", {BROWSE: TAY_BROWSE}))
    before = list(InterfaceString.objects.values_list("msgid", "proposed"))
    good = po_for("tyz", {FILTER: "Lọc (Tày)", BROWSE: "Khác"}).decode()
    broken = good.replace('msgid "Lọc"', 'msgid "Lọc', 1)  # an unterminated string
    answer = upload(client, "tyz", broken.encode()).content.decode()
    assert "Tệp PO bị lỗi cú pháp" in answer and "Không có gì được thay đổi" in answer
    assert list(InterfaceString.objects.values_list("msgid", "proposed")) == before
    assert "không phải tệp PO" in upload(client, "tyz", b"\x00\x01 rac").content.decode()
    assert list(InterfaceString.objects.values_list("msgid", "proposed")) == before
    # a file of another language is refused too
    answer = upload(client, "tyz", po_for("nut", {FILTER: "Lọc (Nùng)"})).content.decode()
    assert "Tệp này là bản Tiếng Nùng, không phải Tiếng Tày" in answer


@pytest.mark.django_db
@pytest.mark.parametrize("translated", [
    "ăn sản phẩm",  # %(n)s lost
    "%(so)s ăn sản phẩm",  # renamed
    "%(n)s ăn sản phẩm {count}",  # one added
])
def test_placeholders_are_checked_on_import(client, province, translators, translated):
    client.force_login(translators["tyz"])
    answer = upload(client, "tyz", po_for("tyz", {BROWSE: TAY_BROWSE, COUNT: translated}))
    text = answer.content.decode()
    assert "phải giữ đúng các chỗ thay thế %(n)s" in text
    assert not InterfaceString.objects.exists()  # the good entry was not taken either


def test_placeholders_found_in_both_styles():
    assert interface.placeholders("%(name)s có {count} mục, %s") == ["%(name)s", "%s",
                                                                     "{count}"]
