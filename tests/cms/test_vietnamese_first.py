"""Admin and public pages speak Vietnamese unless asked otherwise."""

from django.test import Client


def test_admin_login_is_in_vietnamese(db):
    html = Client().get("/admin/login/").content.decode()
    assert 'lang="vi"' in html
    assert "Đăng nhập" in html


def test_public_page_is_vietnamese_by_default(province):
    html = Client().get("/").content.decode()
    assert '<html lang="vi">' in html
    assert "Bỏ qua, tới nội dung" in html


def test_editor_sees_vietnamese_admin_menu(users):
    client = Client()
    client.force_login(users.editor_a)
    html = client.get("/admin/").content.decode()
    assert "Âm thanh &amp; video" in html or "Âm thanh & video" in html
    assert "Trang" in html
