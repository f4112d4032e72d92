"""Admin and public pages speak Vietnamese unless asked otherwise."""

import json

from django.test import Client


def test_admin_is_vietnamese_by_default(db):
    assert 'lang="vi"' in Client().get("/admin/login/").content.decode()


def test_public_page_is_vietnamese_by_default(province):
    html = Client().get("/").content.decode()
    assert '<html lang="vi">' in html
    assert "Bỏ qua, tới nội dung" in html


def test_editor_sees_our_admin_screens_in_vietnamese(users):
    client = Client()
    client.force_login(users.editor_a)
    html = client.get("/admin/snippets/media_pipeline/mediaitem/").content.decode()
    assert "Tệp âm thanh/video" in html or "tệp âm thanh/video" in html
    html = client.get("/admin/").content.decode()
    # The sidebar menu is drawn by JavaScript from a JSON island (non-ASCII and & escaped).
    assert json.dumps("Âm thanh & video").replace("&", "\\u0026")[1:-1] in html
    assert "Trang" in html
