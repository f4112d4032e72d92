"""Guessing stops: wrong passwords lock a login (django-axes) until it cools off or an
administrator unlocks it; wrong station keys are throttled per client address."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.test import Client

pytestmark = pytest.mark.django_db
GUESSER, COLLEAGUE = "203.0.113.9", "198.51.100.7"


def _login(username: str, password: str, address: str = GUESSER):
    client = Client(REMOTE_ADDR=address)
    response = client.post("/admin/login/", {"username": username, "password": password})
    return client, response


def test_fifty_wrong_passwords_then_the_right_one_is_refused(users):
    for _attempt in range(50):
        _client, response = _login("bt_a", "sai-mat-khau")
        assert response.status_code in (200, 429)
    client, response = _login("bt_a", "mat-khau-thu")
    assert response.status_code == 429
    text = response.content.decode()
    assert "Tạm khóa đăng nhập" in text and "quản trị viên mở khóa" in text
    assert int(response["Retry-After"]) > 0
    assert client.get("/admin/").status_code == 302  # still not logged in


def test_a_few_mistakes_do_not_lock_and_success_forgets_them(users, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login("bt_a", "sai")[1].status_code == 200
    assert _login("bt_a", "mat-khau-thu")[1].status_code == 302
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login("bt_a", "sai")[1].status_code == 200
    assert _login("bt_a", "mat-khau-thu")[1].status_code == 302


def test_a_guesser_cannot_lock_a_colleague_out_from_another_machine(users, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT + 2):
        _login("bt_a", "sai")
    assert _login("bt_a", "mat-khau-thu")[1].status_code == 429
    assert _login("bt_a", "mat-khau-thu", address=COLLEAGUE)[1].status_code == 302


def test_an_administrator_unlocks_from_the_admin(users, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _login("bt_a", "sai")
    assert _login("bt_a", "mat-khau-thu")[1].status_code == 429
    admin = Client()
    admin.force_login(users.admin)
    listing = admin.get("/admin/khoa-dang-nhap/")
    assert listing.status_code == 200 and "bt_a" in listing.content.decode()
    attempt = AccessAttempt.objects.get(username="bt_a")
    assert admin.post(f"/admin/khoa-dang-nhap/delete/{attempt.pk}/").status_code == 302
    assert _login("bt_a", "mat-khau-thu")[1].status_code == 302
    # An editor sees no such page.
    editor = Client()
    editor.force_login(users.editor_b)
    assert editor.get("/admin/khoa-dang-nhap/").status_code in (302, 403)


def test_wrong_station_keys_are_throttled_per_address(bulletins, make_station, settings):
    settings.LOA_STATION_KEY_FAILURES = 5
    station, key = make_station()
    url = f"/stations/{station.pk}/feeds/vi.xml"
    guesser, station_pc = Client(REMOTE_ADDR=GUESSER), Client(REMOTE_ADDR=COLLEAGUE)
    for n in range(5):
        assert guesser.get(url, {"key": f"doan-sai-{n}"}).status_code == 403
    # Guessing across other station numbers counts the same.
    assert guesser.get(f"/stations/{station.pk + 1}/feeds/vi.xml", {"key": "x"}).status_code \
        == 429
    throttled = guesser.get(url, {"key": key})  # even the right key, from that address
    assert throttled.status_code == 429 and "Quá nhiều lần thử khóa sai" in \
        throttled.content.decode()
    assert int(throttled["Retry-After"]) == settings.LOA_STATION_KEY_WINDOW_SECONDS
    assert station_pc.get(url, {"key": key}).status_code == 200
