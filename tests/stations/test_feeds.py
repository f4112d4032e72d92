"""Station and public feeds: the right bulletins, in the right file, readable by podcast
software (feedparser, podcastparser) and valid against the namespaces' structure."""

from __future__ import annotations

import base64
import io
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import podcastparser
import pytest
from lxml import etree
from PIL import Image as PILImage

from stations.feeds import PODCAST_GUID_NAMESPACE

SCHEMA = etree.RelaxNG(etree.parse(str(Path(__file__).with_name("podcast_rss.rng"))))
NS = {"podcast": "https://podcastindex.org/namespace/1.0",
      "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd"}

pytestmark = pytest.mark.django_db


def feed_url(station, language: str, key: str | None = None) -> str:
    return f"/stations/{station.pk}/feeds/{language}.xml" + (f"?key={key}" if key else "")


def fetch_feed(client, url: str, **headers) -> bytes:
    response = client.get(url, **headers)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/rss+xml")
    return response.content


def assert_valid(xml: bytes) -> etree._Element:
    doc = etree.fromstring(xml)
    assert SCHEMA.validate(doc), SCHEMA.error_log
    return doc


def test_station_feed_lists_only_its_languages_and_published_bulletins(
        client, bulletins, make_station, encoded_audio):
    published = bulletins.make("Bản tin tiếng Việt đã duyệt")
    bulletins.make("Bản tin còn nháp", live=False)
    bulletins.make("Bản tin tiếng Anh", language="en")
    station, key = make_station(languages=["vi"])

    xml = fetch_feed(client, feed_url(station, "vi", key))
    assert_valid(xml)
    parsed = feedparser.parse(xml)
    assert not parsed.bozo, parsed.bozo_exception
    assert [e.title for e in parsed.entries] == ["Bản tin tiếng Việt đã duyệt"]
    entry = parsed.entries[0]
    assert entry.id == f"{published.identifier}/vi"
    enclosure = entry.enclosures[0]
    mp3 = encoded_audio["radio-loudspeaker"]
    assert int(enclosure.length) == mp3.size
    assert enclosure.type == "audio/mpeg"
    # The English feed is not this station's: nothing, not even an empty feed.
    assert client.get(feed_url(station, "en", key)).status_code == 404


def test_feed_parses_with_a_second_podcast_parser_and_carries_the_podcast_tags(
        client, bulletins, make_station, encoded_audio):
    page = bulletins.make("Cảnh giác lừa đảo qua mạng")
    station, key = make_station(languages=["vi"])
    url = feed_url(station, "vi", key)
    xml = fetch_feed(client, url)

    podcast = podcastparser.parse("http://testserver" + url, io.BytesIO(xml))
    episode = podcast["episodes"][0]
    assert episode["guid"] == f"{page.identifier}/vi"
    assert episode["enclosures"][0]["file_size"] == encoded_audio["radio-loudspeaker"].size
    assert episode["enclosures"][0]["mime_type"] == "audio/mpeg"
    assert episode["total_time"] == round(encoded_audio["radio-loudspeaker"].duration)
    assert episode["published"] > 0 and episode["description"].startswith("Tóm tắt")
    # podcastparser 0.6.11 maps only the legacy GitHub URI of the Podcasting 2.0 namespace;
    # we use the official one, so those tags are checked against the schema below.

    doc = assert_valid(xml)
    alternates = doc.findall(".//item/podcast:alternateEnclosure", NS)
    by_type = {a.get("type"): a for a in alternates}
    low = by_type["audio/ogg"]
    assert int(low.get("length")) == encoded_audio["phone-audio"].size
    assert int(low.get("bitrate")) < int(by_type["audio/mpeg"].get("bitrate"))
    integrity = by_type["audio/mpeg"].find("podcast:integrity", NS).get("value")
    expected = base64.b64encode(bytes.fromhex(encoded_audio["radio-loudspeaker"].sha256))
    assert integrity == "sha256-" + expected.decode()

    # The transcript is the bulletin's text, as plain text.
    transcript_url = doc.find(".//item/podcast:transcript", NS).get("url")
    assert transcript_url.endswith(f"/stations/transcripts/{page.pk}.txt")
    assert doc.find(".//channel/podcast:locked", NS).text == "yes"
    transcript = client.get(urlsplit(transcript_url).path)
    text = transcript.content.decode()
    assert "Cảnh giác lừa đảo qua mạng" in text and "Bà con cảnh giác & giữ gìn" in text
    assert "<b>" not in text


def test_guids_stay_the_same_after_key_rotation_and_unchanged_feed_is_304(
        client, bulletins, make_station):
    bulletins.make("Bản tin ổn định")
    station, key = make_station()
    first = etree.fromstring(fetch_feed(client, feed_url(station, "vi", key)))
    new_key = station.rotate_key()
    second = etree.fromstring(fetch_feed(client, feed_url(station, "vi", new_key)))
    guid = first.findtext(".//channel/podcast:guid", namespaces=NS)
    assert guid == second.findtext(".//channel/podcast:guid", namespaces=NS)
    assert uuid.UUID(guid).version == 5
    assert uuid.UUID(guid) == uuid.uuid5(
        PODCAST_GUID_NAMESPACE, f"localhost:8000/stations/{station.pk}/feeds/vi.xml")
    assert [g.text for g in first.iter("guid")] == [g.text for g in second.iter("guid")]
    # Polling an unchanged feed costs a station a 304, not the whole feed.
    url = feed_url(station, "vi", new_key)
    assert client.get(url, HTTP_IF_NONE_MATCH=client.get(url)["ETag"]).status_code == 304
    # The old key opens nothing any more.
    assert client.get(feed_url(station, "vi", key)).status_code == 403


def test_feed_with_http_basic_auth_has_enclosures_without_the_key(
        client, bulletins, make_station):
    bulletins.make("Bản tin qua xác thực")
    station, key = make_station()
    token = base64.b64encode(f"{station.pk}:{key}".encode()).decode()
    xml = fetch_feed(client, feed_url(station, "vi"), HTTP_AUTHORIZATION=f"Basic {token}")
    enclosure = etree.fromstring(xml).find(".//enclosure").get("url")
    assert key not in enclosure and "key=" not in enclosure
    assert client.get(urlsplit(enclosure).path,
                      HTTP_AUTHORIZATION=f"Basic {token}").status_code == 200
    assert client.get(urlsplit(enclosure).path).status_code == 401


def test_revoked_key_gets_no_feed_and_no_key_is_asked_for(client, bulletins, make_station):
    bulletins.make("Bản tin")
    station, key = make_station()
    missing = client.get(feed_url(station, "vi"))
    assert missing.status_code == 401 and missing["WWW-Authenticate"].startswith("Basic")
    assert client.get(feed_url(station, "vi", "sai-khoa")).status_code == 403
    station.revoke_key()
    revoked = client.get(feed_url(station, "vi", key))
    assert revoked.status_code == 403
    assert "thu hồi" in revoked.content.decode()
    station.rotate_key()
    station.is_active = False
    station.save()
    assert client.get(feed_url(station, "vi", key)).status_code == 403


def test_bulletin_waits_until_the_stations_profile_is_ready(client, bulletins, make_station):
    bulletins.make("Có bản MP3 cho loa")
    bulletins.make("Chưa chuyển đổi xong", profiles=("phone-audio",))
    station, key = make_station(profile="radio-loudspeaker")
    provincial, provincial_key = make_station("Đài PT-TH tỉnh", profile="radio-provincial")
    titles = [e.title for e in feedparser.parse(
        fetch_feed(client, feed_url(station, "vi", key))).entries]
    assert titles == ["Có bản MP3 cho loa"]
    # No radio-provincial rendition anywhere: the provincial station's feed is empty.
    assert feedparser.parse(
        fetch_feed(client, feed_url(provincial, "vi", provincial_key))).entries == []


def test_public_feed_per_language_uses_gated_media_urls(client, bulletins):
    page = bulletins.make("Bản tin công khai")
    bulletins.make("Nháp", live=False)
    xml = fetch_feed(client, "/stations/feeds/vi.xml")
    assert_valid(xml)
    parsed = feedparser.parse(xml)
    assert [e.title for e in parsed.entries] == ["Bản tin công khai"]
    enclosure = parsed.entries[0].enclosures[0].href
    assert urlsplit(enclosure).path.startswith("/media/media/renditions/")
    assert client.get(urlsplit(enclosure).path).status_code == 200
    page.unpublish()
    assert client.get(urlsplit(enclosure).path).status_code == 404
    assert feedparser.parse(fetch_feed(client, "/stations/feeds/vi.xml")).entries == []
    assert client.get("/stations/feeds/xx.xml").status_code == 404


def cover_image(title: str = "Ảnh bìa bản tin"):
    """A landscape PNG larger than Apple's minimum: the feed must crop it square."""
    from django.core.files.images import ImageFile
    from wagtail.images import get_image_model

    buffer = io.BytesIO()
    PILImage.new("RGB", (2000, 1500), (200, 40, 40)).save(buffer, "PNG")
    return get_image_model().objects.create(
        title=title, file=ImageFile(buffer, name="bia-ban-tin.png"))


def fetch_live(url: str) -> tuple[int, str, bytes]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, response.headers["Content-Type"], response.read()


def assert_apple_artwork(url: str) -> None:
    status, content_type, body = fetch_live(url)
    assert (status, content_type) == (200, "image/jpeg")
    with PILImage.open(io.BytesIO(body)) as picture:
        assert (picture.format, picture.size) == ("JPEG", (1400, 1400))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("which", ["public", "station"])
def test_feed_artwork_is_a_square_jpeg_apple_accepts(live_server, bulletins, make_station,
                                                      which):
    page = bulletins.make("Bản tin có ảnh bìa")
    page.cover = cover_image()
    page.save_revision().publish()
    station, key = make_station(languages=["vi"])
    url = "/stations/feeds/vi.xml" if which == "public" else feed_url(station, "vi", key)
    status, content_type, xml = fetch_live(live_server.url + url)
    assert status == 200 and content_type.startswith("application/rss+xml")

    doc = assert_valid(xml)
    parsed = feedparser.parse(xml)
    assert not parsed.bozo, parsed.bozo_exception
    channel = doc.find("channel")
    # What Apple Podcasts requires of a show.
    assert channel.findtext("title") and channel.findtext("description")
    assert channel.findtext("language") == "vi"
    assert channel.find("itunes:category", NS).get("text")
    assert channel.findtext("itunes:explicit", namespaces=NS) == "false"
    enclosure = channel.find("item/enclosure")
    assert int(enclosure.get("length")) > 0 and enclosure.get("type") == "audio/mpeg"

    hrefs = [image.get("href") for image in doc.iterfind(".//itunes:image", NS)]
    assert len(hrefs) == 2  # the show's and the episode's
    assert parsed.feed.image.href == hrefs[0]
    assert parsed.entries[0].image.href == hrefs[1]
    for href in hrefs:
        assert href.startswith(live_server.url + "/media/")
        assert_apple_artwork(href)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("which", ["public", "station"])
def test_feed_without_any_cover_still_has_the_shows_artwork(live_server, bulletins,
                                                            make_station, which):
    """Apple lists no show without an image: a fresh installation whose bulletins have no
    cover gets one drawn with the department's name."""
    bulletins.make("Bản tin không ảnh")
    station, key = make_station(languages=["vi"])
    url = "/stations/feeds/vi.xml" if which == "public" else feed_url(station, "vi", key)
    doc = assert_valid(fetch_live(live_server.url + url)[2])
    show = doc.find("channel/itunes:image", NS)
    assert show is not None
    assert show.get("href").startswith(live_server.url + "/")
    assert_apple_artwork(show.get("href"))
    # An episode without a cover has no image of its own: apps show the show's.
    assert doc.find("channel/item/itunes:image", NS) is None


@pytest.mark.django_db(transaction=True)
def test_the_provinces_chosen_artwork_is_the_shows_image(live_server, bulletins):
    from stations.models import FeedSettings

    page = bulletins.make("Bản tin có ảnh bìa riêng")
    page.cover = cover_image()
    page.save_revision().publish()
    chosen = cover_image("Ảnh chương trình của Sở")
    feed_settings = FeedSettings.load()
    feed_settings.artwork = chosen
    feed_settings.save()

    doc = assert_valid(fetch_live(live_server.url + "/stations/feeds/vi.xml")[2])
    show = doc.find("channel/itunes:image", NS).get("href")
    episode = doc.find("channel/item/itunes:image", NS).get("href")
    assert show != episode
    assert show.endswith(chosen.get_rendition("fill-1400x1400|format-jpeg").url)
    assert_apple_artwork(show)


def test_the_shows_artwork_must_be_large_enough_for_apple(db):
    from django.core.exceptions import ValidationError
    from django.core.files.images import ImageFile
    from wagtail.images import get_image_model

    from stations.models import FeedSettings

    buffer = io.BytesIO()
    PILImage.new("RGB", (800, 800), (0, 0, 0)).save(buffer, "PNG")
    small = get_image_model().objects.create(title="Ảnh nhỏ",
                                             file=ImageFile(buffer, name="nho.png"))
    feed_settings = FeedSettings.load()
    feed_settings.artwork = small
    with pytest.raises(ValidationError, match="1400"):
        feed_settings.full_clean()


def test_department_chooses_the_shows_picture_in_settings(admin_client):
    from django.core.files.images import ImageFile
    from django.urls import reverse
    from wagtail.images import get_image_model

    from stations.models import FeedSettings

    def upload(side: int, title: str):
        buffer = io.BytesIO()
        PILImage.new("RGB", (side, side), (0, 90, 40)).save(buffer, "PNG")
        return get_image_model().objects.create(title=title,
                                                file=ImageFile(buffer, name=f"{side}.png"))

    url = reverse("wagtailsettings:edit", args=["stations", "feedsettings"])
    page = admin_client.get(url, follow=True)
    url = page.redirect_chain[-1][0] if page.redirect_chain else url
    assert page.status_code == 200
    assert "ảnh đại diện của chương trình" in page.content.decode().lower()
    refused = admin_client.post(url, {"artwork": upload(1000, "Ảnh nhỏ").pk})
    assert "quá nhỏ" in refused.content.decode()
    assert FeedSettings.load().artwork is None
    chosen = upload(1500, "Ảnh chương trình")
    assert admin_client.post(url, {"artwork": chosen.pk}).status_code == 302
    assert FeedSettings.load().artwork == chosen
