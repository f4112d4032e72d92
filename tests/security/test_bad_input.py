"""Bad input from anyone on the internet is 400 or 404, never 500; the three ways a stored
file leaves (``/media/``, ``/documents/``, station downloads) answer Range and conditional
requests the same way, as RFC 9110 says."""

from __future__ import annotations

import pytest
from django.test import Client
from lxml import etree

from tests.stations.test_downloads import body, download_path

HUGE = "99999999999999999999999"

# RFC 9110 14.2: a Range header the server does not understand is ignored.
INVALID_RANGES = ["bytes=\u00b9-\u00b2", "bytes=1-2-3", "bytes=0-9;x", "bytes=-", "bytes=--1",
                  "bytes=5-1", "bytes=a-b", "items=0-9", "bytes 0-9", "bytes=0x1-2",
                  "bytes=\uff10-\uff19"]


def _anonymous_urls(library, station, key, page) -> list[str]:
    return [
        f"/tim-kiem/?q=a&page={HUGE}",
        f"/tim-kiem/?q=a&page=-{HUGE}",
        f"/kiosk/?chon={HUGE}",
        f"/kiosk/?chon={HUGE},{library.bulletins[0].pk}",
        f"/kiosk/{HUGE}/",
        f"/stations/transcripts/{HUGE}.txt",
        f"/duyet/?area={HUGE}",
        f"/duyet/?page={HUGE}",
        f"/media/media/renditions/hls/{HUGE}/v1/index.m3u8",
        f"/media/media/renditions/hls/{HUGE}/v1/v0/seg0000.m4s",
        f"/stations/{station.pk}/bulletins/{HUGE}/radio-loudspeaker/x.mp3?key={key}",
        f"/stations/{HUGE}/bulletins/{page.pk}/radio-loudspeaker/x.mp3?key={key}",
        f"/stations/{HUGE}/feeds/vi.xml?key={key}",
        f"/stations/{HUGE}/airings/?key={key}",
        f"/documents/{HUGE}/x.pdf",
        f"/en/kiosk/{HUGE}/",
        "/tim-kiem/?q=%01%0b%1b%7f%c2%85",
        "/tim-kiem/goi-y/?q=%0b",
        "/duyet/?kind=%0b&topic=%0b&lang=%0b&area=%0b",
    ]


@pytest.mark.django_db
def test_huge_numbers_anywhere_in_a_public_url_are_not_found(library, bulletins,
                                                             make_station):
    station, key = make_station()
    page = bulletins.make("Bản tin")
    client = Client(raise_request_exception=True)
    for url in _anonymous_urls(library, station, key, page):
        response = client.get(url, follow=True)
        assert response.status_code in (200, 404), (url, response.status_code)
    assert client.get(f"/kiosk/{HUGE}/").status_code == 404


def _file_urls(library, bulletins, make_station) -> dict[str, tuple[str, bytes]]:
    """One live file of each way out, with the bytes it must send."""
    station, key = make_station()
    page = bulletins.make("Bản tin")
    rendition = page.audio.get_rendition("radio-loudspeaker")
    document = library.documents[0].pdf
    cover = library.bulletins[0].cover
    return {
        "media": (cover.file.url, cover.file.open("rb").read()),
        "documents": (document.url, document.file.open("rb").read()),
        "station": (download_path(station, page, key=key), rendition.file.open("rb").read()),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("url", [
    "/tim-kiem/?q=%00", "/tim-kiem/goi-y/?q=a%00", "/duyet/?kind=%00&lang=%00",
    "/duyet/?topic=%00", "/kiosk/?chon=1%00", "/oai/?verb=GetRecord&metadataPrefix=oai_dc&"
    "identifier=oai%3Ax%00", "/oai/?verb=ListRecords&resumptionToken=%00",
    "/stations/feeds/vi%00.xml?x=%00",
])
def test_a_nul_byte_in_the_query_is_a_bad_request(url):
    """PostgreSQL cannot compare text with NUL: refused before any query runs."""
    response = Client(raise_request_exception=True).get(url)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


@pytest.mark.django_db
def test_invalid_range_headers_get_the_whole_file_everywhere(library, bulletins, make_station):
    client = Client(raise_request_exception=True)
    for where, (url, data) in _file_urls(library, bulletins, make_station).items():
        for header in INVALID_RANGES:
            response = client.get(url, HTTP_RANGE=header)
            assert response.status_code == 200, (where, header, response.status_code)
            assert body(response) == data, (where, header)
        part = client.get(url, HTTP_RANGE="bytes=0-9")
        assert (part.status_code, body(part)) == (206, data[:10]), where
        assert part["Content-Range"] == f"bytes 0-9/{len(data)}", where
        assert client.get(url, HTTP_RANGE=f"bytes={HUGE}-").status_code == 416, where
        last = client.get(url, HTTP_RANGE=f"bytes=-{HUGE}")
        assert (last.status_code, body(last)) == (206, data), where


@pytest.mark.django_db
def test_documents_answer_like_media_validators_cache_and_conditional(library, bulletins,
                                                                      make_station):
    client = Client(raise_request_exception=True)
    urls = _file_urls(library, bulletins, make_station)
    url, data = urls["documents"]
    response = client.get(url)
    assert body(response) == data
    assert response["ETag"] not in ("", '""') and response["ETag"].startswith('"')
    assert response["Cache-Control"] == "public, max-age=300"
    assert response["Accept-Ranges"] == "bytes"
    assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    for where, (other_url, _data) in urls.items():
        other = client.get(other_url)
        assert {h for h in ("ETag", "Last-Modified", "Accept-Ranges", "Repr-Digest")
                if h in other} == {"ETag", "Last-Modified", "Accept-Ranges", "Repr-Digest"}, where


@pytest.mark.django_db
@pytest.mark.parametrize("query", [
    "verb=ListRecords&resumptionToken=%01",
    "verb=ListIdentifiers&resumptionToken=a%02%01%1b",
    "verb=ListSets&resumptionToken=%0b",
    "verb=GetRecord&metadataPrefix=oai_dc&identifier=oai%3Ax%0c",
    "verb=ListRecords&metadataPrefix=oai_dc&from=%1f",
    "verb=ListRecords&metadataPrefix=%08",
    "verb=%0b",
])
def test_oai_errors_are_well_formed_xml_whatever_the_request_holds(client, query):
    response = client.get(f"/oai/?{query}")
    assert response.status_code == 200
    root = etree.fromstring(response.content)  # raises on non-well-formed XML
    errors = root.findall("{http://www.openarchives.org/OAI/2.0/}error")
    assert errors and all(e.get("code") for e in errors)
