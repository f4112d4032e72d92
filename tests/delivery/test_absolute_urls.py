"""Every absolute URL Loa hands out — in the public podcast feed, in OAI-PMH records and in
delivered bags — names the address LOA_BASE_URL gives (Wagtail's Site, set by
``set_site_address``) and leads to a page or file on the running server."""

from __future__ import annotations

import io
import json
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command
from lxml import etree

from delivery.models import DeliveryRecord

from .bags import download, unpack

NS = {"dc": "http://purl.org/dc/elements/1.1/",
      "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
      "podcast": "https://podcastindex.org/namespace/1.0",
      "atom": "http://www.w3.org/2005/Atom"}


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.status == 200, url
        return response.read()


def feed_urls(xml: bytes) -> set[str]:
    doc = etree.fromstring(xml)
    urls = {doc.findtext("channel/link")}
    urls |= {link.text for link in doc.iterfind("channel/item/link")}
    urls |= {e.get("url") for e in doc.iterfind("channel/item/enclosure")}
    urls |= {e.get("href") for e in doc.iterfind(".//itunes:image", NS)}
    urls |= {e.get("url") for e in doc.iterfind(".//podcast:transcript", NS)}
    urls |= {e.get("uri") for e in doc.iterfind(".//podcast:source", NS)}
    urls |= {e.get("href") for e in doc.iterfind("channel/atom:link", NS)}
    return urls


def oai_urls(xml: bytes) -> set[str]:
    doc = etree.fromstring(xml)
    return {e.text for e in doc.iterfind(".//dc:identifier", NS) if "://" in e.text}


def bag_urls(root: Path) -> set[str]:
    data = root / "data" / "metadata"
    dc = etree.parse(str(data / "dublin-core.xml"))
    urls = {e.text for e in dc.iterfind(".//dc:identifier", NS) if "://" in e.text}
    meta = json.loads((data / "metadata.json").read_text())
    return urls | {meta["url"]} | {rel["url"] for rel in meta["relation"]}


@pytest.mark.django_db(transaction=True)
def test_every_absolute_url_leads_to_the_running_server(
        live_server, settings, products, delivery_settings, s3, bucket, tmp_path):
    settings.WAGTAILADMIN_BASE_URL = live_server.url  # what LOA_BASE_URL sets
    call_command("set_site_address", stdout=io.StringIO())
    vi = products.bulletin("Bản tin: Địa chỉ công khai")
    products.translate(vi, "en", "Bulletin: The public address")
    call_command("deliver_to_ministry", "--no-progress")

    found = {
        "feed": feed_urls(fetch(live_server.url + "/stations/feeds/vi.xml")),
        "oai": oai_urls(fetch(live_server.url + "/oai/?verb=ListRecords&metadataPrefix=oai_dc")),
        "bag": set(),
    }
    records = DeliveryRecord.objects.order_by("language")
    assert [r.language for r in records] == ["en", "vi"]
    for record in records:
        bag = unpack(download(s3, bucket, record.key), tmp_path / record.language)
        found["bag"] |= bag_urls(Path(bag.path))

    # Each source names the page, its enclosure, artwork and transcript: nothing is missing.
    assert vi.full_url in found["feed"] and vi.full_url in found["oai"]
    assert vi.full_url in found["bag"]
    assert len(found["feed"]) >= 6
    for source, urls in found.items():
        for url in urls:
            assert url.startswith(live_server.url + "/"), (source, url)
            fetch(url)
