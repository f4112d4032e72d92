"""The admin is Loa's: its name and logo instead of Wagtail's bird, and no request to a
third-party host (no Gravatar), checked in Debian's headless Chromium."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from tests.browser import launch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def admin_tab(playwright_driver, transactional_db, live_server):
    browser = launch(playwright_driver)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    yield context
    context.close()
    browser.close()


def _hosts_asked(page, url: str) -> set[str]:
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    page.goto(url, wait_until="networkidle")
    return hosts


def test_the_admin_shows_loa_and_asks_no_third_party_host(admin_tab, live_server):
    server = urlsplit(live_server.url).netloc
    user = get_user_model().objects.create_superuser(
        "quan.tri", "quan.tri@gmail.com", "mat-khau-quan-tri")  # an address Gravatar knows

    page = admin_tab.new_page()
    assert _hosts_asked(page, f"{live_server.url}/admin/login/") == {server}
    assert page.locator("img[alt=Loa]").first.is_visible()
    assert "Wagtail" not in page.title()
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", "mat-khau-quan-tri")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    dashboard = admin_tab.new_page()
    assert _hosts_asked(dashboard, f"{live_server.url}/admin/") == {server}
    assert dashboard.title().endswith("Loa")
    assert dashboard.get_by_text(settings.WAGTAIL_SITE_NAME).first.is_visible()
    html = dashboard.content()
    assert "gravatar" not in html.lower()
    assert "loa-logo.svg" in html
