"""Page budgets on demo-like content (twelve products with full-size covers): at most
100 KB transferred for the home page and each kind of product page, media excluded, and at
most 20 KB of JavaScript. A page that grows past the budget fails here."""

import pytest

from elibrary.page_weight import JS_BUDGET, PAGE_BUDGET, measure


@pytest.fixture
def pages(demo_library) -> dict[str, str]:
    return {
        "home": "/",
        "e-library": "/thu-vien/",
        "browse": "/duyet/",
        "search": "/tim-kiem/?q=bien+gioi",
        "bulletin": demo_library.bulletins[0].url,
        "document": demo_library.documents[0].url,
        "poster": demo_library.prints[0].url,
        "video": demo_library.videos[0].url,
        "kiosk": "/kiosk/",
    }


def test_every_public_page_is_within_budget(client, pages):
    over = {}
    for name, url in pages.items():
        weight = measure(client, url)
        assert weight.html > 0
        if weight.total > PAGE_BUDGET or weight.js_uncompressed > JS_BUDGET:
            over[name] = (weight.total, weight.js_uncompressed)
    assert over == {}, f"over budget (total bytes, JS bytes): {over}"

    # what makes it fit: gzip, lazy WebP pictures, and all twelve covers are counted
    response = client.get("/", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert measure(client, "/").image_count == 12
    html = client.get("/").content.decode()
    assert html.count('loading="lazy"') >= 12
    assert html.count(".webp") >= 12
