"""Kiosk mode: no login, a playlist of today's bulletins in the commune's language, and no
link that leaves the kiosk."""

import datetime
import re

from django.urls import reverse
from django.utils import timezone

from cms.products.models import BulletinPage
from tests.elibrary.factories import add_product, section_in


def playlist_titles(html: str) -> list[str]:
    return re.findall(r'<li data-src="[^"]+"(?: data-id="\d+")? data-title="([^"]+)"', html)


def test_kiosk_needs_no_login_and_every_link_stays_in_the_kiosk(client, library):
    response = client.get(reverse("elibrary:kiosk"))
    assert response.status_code == 200
    html = response.content.decode()
    hrefs = re.findall(r'href="([^"]+)"', html)
    assert hrefs, "the kiosk has things to open"
    assert all(re.match(r"^/([a-z-]+/)?kiosk/", h) or h.endswith(".css") for h in hrefs), hrefs
    assert "<form" not in html and "/admin" not in html
    product = client.get(reverse("elibrary:kiosk_product", args=[library.prints[0].pk]))
    assert all(re.match(r"^/([a-z-]+/)?kiosk/", h) or h.endswith(".css")
               for h in re.findall(r'href="([^"]+)"', product.content.decode()))


def test_playlist_is_todays_bulletins_in_the_kiosk_language_or_chosen_ones(client, library,
                                                                          province):
    today = timezone.localdate()
    section = province.department.section_page
    older = add_product(section, BulletinPage, title="Bản tin hôm qua",
                        audio=library.bulletins[0].audio,
                        air_date=today - datetime.timedelta(days=1))
    en_section = section_in(section, "en")
    other_language = add_product(en_section, BulletinPage, title="Today in English",
                                 audio=library.bulletins[0].audio, air_date=today)
    html = client.get(reverse("elibrary:kiosk")).content.decode()
    # library.bulletins[0] airs today; the draft airs today too but never plays
    assert playlist_titles(html) == [library.bulletins[0].title]
    assert older.title not in playlist_titles(html)
    assert playlist_titles(client.get("/en/kiosk/").content.decode()) == [other_language.title]
    # the kiosk shows only its language
    assert client.get(f"/kiosk/{other_language.pk}/").status_code == 404
    assert client.get(f"/en/kiosk/{other_language.pk}/").status_code == 200

    # or the operator chooses the playlist in the URL, in order
    second = add_product(section, BulletinPage, title="Bản tin chọn thêm",
                         audio=library.bulletins[0].audio)
    chosen = f"{second.pk},{library.bulletins[0].pk}"
    html = client.get("/kiosk/", {"chon": chosen}).content.decode()
    assert playlist_titles(html) == [second.title, library.bulletins[0].title]
