"""Chromium's own requests for a bulletin's recording: listening in the e-library's player
(it preloads and streams with ``Sec-Fetch-Dest: audio``) is not a download; the "Tải về"
link is one. Django's live server answers /media/ itself, without our view, so the
player's requests are replayed, headers and all, against the /media/ view; the link's file
is then fetched from its start (Chromium's download manager fetches it outside the page,
where Playwright cannot see the request's headers)."""

from __future__ import annotations

import pytest
from django.db.models import Sum
from django.test import Client

from programme.models import ProductUse
from tests.programme.test_kiosk_browser import chromium, library  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# Set by the browser's network stack or by Django's test client itself.
NOT_REPLAYED = {"host", "cookie", "connection", "content-length"}


def _downloads(page) -> int:
    return ProductUse.objects.filter(page=page).aggregate(n=Sum("downloads"))["n"] or 0


def _fetch(url: str, headers: dict[str, str]) -> int:
    path = url.split("://", 1)[1].split("/", 1)[1]
    response = Client().get("/" + path, **{
        "HTTP_" + name.upper().replace("-", "_"): value
        for name, value in headers.items() if name not in NOT_REPLAYED})
    b"".join(response.streaming_content)  # to the last byte, as the browser read it
    return response.status_code


def test_listening_is_no_download_but_the_download_link_is(chromium, live_server,  # noqa: F811
                                                           library):  # noqa: F811
    page = library.bulletins[0]
    context = chromium.new_context(accept_downloads=True)
    try:
        tab = context.new_page()
        asked: list = []
        tab.on("request", lambda r: asked.append(r) if r.resource_type == "media" else None)
        tab.goto(live_server.url + page.url)
        tab.locator("audio").first.evaluate("a => { a.muted = true; return a.play(); }")
        tab.wait_for_function("() => document.querySelector('audio').currentTime > 0.3",
                              timeout=20000)
        listening = [(r.url, r.all_headers()) for r in asked]
        link = tab.locator("figure a[download]").first
        href = link.evaluate("a => a.href")
        with tab.expect_download() as download:
            link.click()
        assert download.value.path().stat().st_size > 0  # the visitor got the file
    finally:
        context.close()
    assert listening and all(h["sec-fetch-dest"] == "audio" for _u, h in listening)
    assert all(_fetch(url, headers) in (200, 206) for url, headers in listening)
    assert _downloads(page) == 0
    assert _fetch(href, {}) == 200  # from the start, as any downloader asks
    assert _downloads(page) == 1
