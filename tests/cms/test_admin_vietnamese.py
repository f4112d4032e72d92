"""The Wagtail admin speaks Vietnamese on the screens editors and reviewers use every day.

Wagtail ships only a small part of its admin in Vietnamese; locale_wagtail/ completes it
(built by scripts/build_wagtail_vi_catalogue.py from locale_wagtail/translations_vi.tsv).
"""

from __future__ import annotations

import html
import importlib.util
import json
import re
import sys
from functools import cache
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from cms.products.models import BulletinPage, Topic

from .helpers import edit_url, media_item, page_form

CATALOGUE_DIR = Path(settings.BASE_DIR) / "locale_wagtail" / "vi" / "LC_MESSAGES"
CATALOGUES = [CATALOGUE_DIR / "django.po", CATALOGUE_DIR / "djangojs.po"]


@cache
def _builder():
    path = Path(settings.BASE_DIR) / "scripts" / "build_wagtail_vi_catalogue.py"
    spec = importlib.util.spec_from_file_location("build_wagtail_vi_catalogue", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


def menu_labels(response) -> set[str]:
    """The sidebar menu's labels (the menu is drawn by JavaScript from a JSON island)."""
    match = re.search(r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>',
                      response.content.decode(), re.S)
    assert match, "no sidebar props"
    labels: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            labels.update(v for k, v in node.items() if k == "label" and isinstance(v, str))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(match.group(1)))
    return labels


# --- the catalogue itself ---------------------------------------------------------------------


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.name)
def test_catalogue_is_compiled_and_committed(path):
    assert path.exists()
    mo = path.with_suffix(".mo")
    assert mo.exists(), f"{mo} missing: run scripts/build_wagtail_vi_catalogue.py --compile"
    compiled = {e.msgid: e for e in polib.mofile(str(mo))}
    for entry in polib.pofile(str(path)).translated_entries():
        assert entry.msgid in compiled, f"{entry.msgid!r} is not in {mo.name}: recompile"


# Checked independently of the builder's own check: %(name)s / %s / %d / %% and {name}.
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxX%]|\{[A-Za-z_]\w*\}")
TAG = re.compile(r"</?[A-Za-z][^<>]*>")


def _found(pattern, text: str) -> list[str]:
    return sorted(pattern.findall(text))


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.name)
def test_every_translation_keeps_placeholders_and_tags(path):
    po = polib.pofile(str(path))
    assert po.metadata["Plural-Forms"].startswith("nplurals=1;")
    entries = po.translated_entries()
    assert len(entries) > 50
    broken = []
    for entry in entries:
        if entry.msgid_plural:
            # Vietnamese has one form, which stands for every count: it keeps the English
            # plural's placeholders (the count) and may use the singular's, nothing else.
            assert set(entry.msgstr_plural) == {0}, entry.msgid
            msgstr = entry.msgstr_plural[0]
            got = set(_found(PLACEHOLDER, msgstr))
            wanted = set(_found(PLACEHOLDER, entry.msgid_plural))
            allowed = wanted | set(_found(PLACEHOLDER, entry.msgid))
            ok = wanted <= got <= allowed
            ok = ok and _found(TAG, msgstr) == _found(TAG, entry.msgid_plural)
        else:
            msgstr = entry.msgstr
            ok = _found(PLACEHOLDER, msgstr) == _found(PLACEHOLDER, entry.msgid)
            ok = ok and _found(TAG, msgstr) == _found(TAG, entry.msgid)
        if not ok:
            broken.append((entry.msgid, msgstr))
    assert not broken


def test_catalogue_is_up_to_date_with_the_table():
    """The committed .po files are what the table and the installed Wagtail produce."""
    assert _builder().main(["--check"]) == 0


def test_key_strings_translate():
    with translation.override("vi"):
        assert translation.gettext("Save draft") == "Lưu bản nháp"
        assert translation.gettext("Submit for moderation") == "Gửi duyệt"
        assert translation.gettext("Unpublish") == "Hủy xuất bản"
        assert translation.gettext("Snippets") == "Mục dùng chung"
        assert translation.gettext("Request changes") == "Yêu cầu chỉnh sửa"
        assert (translation.gettext("The page could not be saved due to validation errors.")
                == "Không thể lưu trang do có lỗi nhập liệu.")
        assert (translation.gettext("Page %(page_num)s of %(total_pages)s")
                % {"page_num": 2, "total_pages": 5}) == "Trang 2 / 5"
        assert (translation.ngettext("Delete 1 page", "Delete %(counter)s pages", 3)
                % {"counter": 3}) == "Xóa 3 trang"


# --- the screens ---------------------------------------------------------------------------------


@pytest.fixture
def draft_in_a(province, users, media_files):
    page = BulletinPage(title="Bản tin Cao Lộc", slug="ban-tin-cl", live=False,
                        audio=media_item(media_files.speech()))
    province.district_a.section_page.add_child(instance=page)
    page.save_revision(user=users.editor_a, log_action=True)
    return page


def test_login_page(db):
    text = text_of(Client().get(reverse("wagtailadmin_login")))
    assert 'lang="vi"' in text
    assert "Đăng nhập" in text
    assert "Quên mật khẩu?" in text
    assert "Ghi nhớ đăng nhập" in text
    assert "Mật khẩu" in text  # the password field's label (cms.admin_forms.LoginForm)
    for english in ("Sign in", "Forgotten password?", "Remember me", "Password"):
        assert english not in text


def test_dashboard_and_menu(users, draft_in_a):
    response = login(users.editor_a).get(reverse("wagtailadmin_home"))
    text = text_of(response)
    assert "Nội dung bạn sửa gần đây" in text
    assert "Your most recent edits" not in text
    labels = menu_labels(response)
    assert {"Trang", "Ảnh", "Tài liệu", "Báo cáo", "Trang đang bị khóa", "Quy trình duyệt",
            "Lịch sử trang web", "Trang lâu chưa cập nhật", "Trợ giúp", "Tài khoản",
            "Đăng xuất"} <= labels
    assert not labels & {"Pages", "Images", "Documents", "Reports", "Help", "Log out"}


def test_admin_menu_for_an_administrator(users):
    labels = menu_labels(login(users.admin).get(reverse("wagtailadmin_home")))
    assert {"Cài đặt", "Người dùng", "Nhóm", "Trang web", "Ngôn ngữ", "Quy trình duyệt",
            "Nhiệm vụ duyệt", "Chuyển hướng", "Bộ sưu tập"} <= labels
    assert not labels & {"Settings", "Users", "Groups", "Sites", "Locales", "Workflows"}


def test_page_editor(users, draft_in_a):
    text = text_of(login(users.editor_a).get(edit_url(draft_in_a)))
    for label in ("Lưu bản nháp", "Gửi duyệt (", "Xem trước", "Lịch sử", "Di chuyển", "Xóa",
                  "Nội dung", "Quảng bá", "Bình luận", "Đã tạm dừng tự động lưu"):
        assert label in text, label
    for english in ("Save draft", "Submit for moderation", "Submit to ", "Schedule to publish",
                    "Unpublish"):
        assert english not in text, english


def test_page_listing(users, province, draft_in_a):
    url = reverse("wagtailadmin_explore", args=[province.district_a.section_page.pk])
    text = text_of(login(users.editor_a).get(url))
    for label in ("Thêm trang con", "bản nháp", "Ngày cập nhật", "Loại trang", "Lọc theo",
                  draft_in_a.title):
        assert label in text, label
    for english in ("Add child page", "Date updated", "Page type", "Filter by"):
        assert english not in text, english


def test_page_editor_validation_message(users, draft_in_a):
    data = page_form("", draft_in_a.slug)
    response = login(users.editor_a).post(edit_url(draft_in_a), data)
    text = html.unescape(response.content.decode())
    assert "Không thể lưu trang do có lỗi nhập liệu." in text
    assert "The page could not be saved due to validation errors." not in text


def test_snippet_listing(users):
    Topic.objects.create(name="Biên giới", slug="bien-gioi")
    url = reverse(f"wagtailsnippets_{Topic._meta.app_label}_{Topic._meta.model_name}:list")
    text = text_of(login(users.editor_a).get(url))
    assert "Biên giới" in text
    for label in ("Từ khóa tìm kiếm", "Thao tác hàng loạt", "Trang 1 / 1", "Trước", "Tiếp"):
        assert label in text, label
    for english in ("Search term", "Bulk actions", "Previous", "Page 1 of 1"):
        assert english not in text, english


def test_javascript_catalogue(users):
    """StreamField and comment controls, served through the admin's JavaScript catalogue."""
    text = login(users.editor_a).get(reverse("wagtailadmin_javascript_catalog")).content.decode()
    for label in ("Thu gọn tất cả", "Mở rộng tất cả", "Nhân bản", "Chuyển lên", "Chuyển xuống",
                  "Chèn khối", "Trả lời", "Đánh dấu đã giải quyết"):
        assert label in text or json.dumps(label)[1:-1] in text, label
