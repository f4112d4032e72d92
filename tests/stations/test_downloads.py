"""Downloads that survive bad lines: byte ranges, validators, checksum header, the
download log, and nothing for drafts or revoked keys."""

from __future__ import annotations

import base64
import hashlib
import http.client
import random
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.utils.http import http_date

from stations.models import DownloadLog

pytestmark = pytest.mark.django_db


def download_path(station, page, profile="radio-loudspeaker", key=None) -> str:
    ext = "ogg" if profile == "phone-audio" else "mp3"
    path = f"/stations/{station.pk}/bulletins/{page.pk}/{profile}/ban-tin.{ext}"
    return path + (f"?key={key}" if key else "")


def sha_from_header(value: str) -> str:
    assert value.startswith("sha-256=:") and value.endswith(":")
    return base64.b64decode(value[len("sha-256=:"):-1]).hex()


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def wait_for_logs(station, count: int, limit: float = 10.0) -> list[DownloadLog]:
    """The live server writes the log when it closes the response, in its own thread."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        logs = list(DownloadLog.objects.filter(station=station).order_by("pk"))
        if len(logs) >= count:
            return logs
        time.sleep(0.05)
    return list(DownloadLog.objects.filter(station=station).order_by("pk"))


# --- HTTP semantics (Django test client) ----------------------------------------------

def test_full_download_has_validators_and_checksum(client, bulletins, make_station,
                                                   encoded_audio):
    page = bulletins.make("Bản tin")
    station, key = make_station()
    mp3 = encoded_audio["radio-loudspeaker"]
    response = client.get(download_path(station, page, key=key))
    assert response.status_code == 200
    data = body(response)
    assert data == mp3.path.read_bytes()
    assert int(response["Content-Length"]) == mp3.size
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "audio/mpeg"
    assert sha_from_header(response["Repr-Digest"]) == hashlib.sha256(data).hexdigest()
    b64 = base64.b64encode(hashlib.sha256(data).digest()).decode()
    assert response["Digest"] == "SHA-256=" + b64
    assert response["ETag"].startswith('"') and response["Last-Modified"].endswith("GMT")
    log = DownloadLog.objects.get(station=station)
    assert (log.bulletin_id, log.bytes_sent, log.complete, log.method) == (
        page.pk, mp3.size, True, "django")


def test_ranges_if_range_and_conditional_requests(client, bulletins, make_station,
                                                  encoded_audio):
    page = bulletins.make("Bản tin")
    station, key = make_station()
    url = download_path(station, page, key=key)
    data = encoded_audio["radio-loudspeaker"].path.read_bytes()
    size = len(data)
    etag = client.head(url)["ETag"]

    part = client.get(url, HTTP_RANGE="bytes=100-", HTTP_IF_RANGE=etag)
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 100-{size - 1}/{size}"
    assert body(part) == data[100:]
    assert sha_from_header(part["Repr-Digest"]) == hashlib.sha256(data).hexdigest()

    middle = client.get(url, HTTP_RANGE="bytes=10-19")
    assert (middle.status_code, body(middle)) == (206, data[10:20])
    suffix = client.get(url, HTTP_RANGE="bytes=-5")
    assert body(suffix) == data[-5:]
    # The file the client holds a piece of is not this one: it gets the whole file.
    stale = client.get(url, HTTP_RANGE="bytes=100-", HTTP_IF_RANGE='"khac"')
    assert (stale.status_code, body(stale)) == (200, data)
    by_date = client.get(url, HTTP_RANGE="bytes=100-", HTTP_IF_RANGE=part["Last-Modified"])
    assert by_date.status_code == 206
    old_date = client.get(url, HTTP_RANGE="bytes=100-", HTTP_IF_RANGE=http_date(0))
    assert old_date.status_code == 200
    beyond = client.get(url, HTTP_RANGE=f"bytes={size}-", HTTP_IF_RANGE=part["ETag"])
    assert beyond.status_code == 416 and beyond["Content-Range"] == f"bytes */{size}"
    # curl -C - on a file it already has whole (no If-Range): the whole file, so curl
    # sees the length it holds and stops, instead of failing on a 416.
    again = client.get(url, HTTP_RANGE=f"bytes={size}-")
    assert (again.status_code, again["Content-Length"]) == (200, str(size))
    several = client.get(url, HTTP_RANGE="bytes=0-1,5-6")
    assert several.status_code == 200 and body(several) == data
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    # Media is never gzipped: the ranges count the file's own bytes.
    gz = client.get(url, HTTP_RANGE="bytes=0-9", HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in gz and body(gz) == data[:10]


def test_public_player_media_gets_ranges_and_checksum_too(client, bulletins):
    page = bulletins.make("Bản tin công khai")
    original = page.audio.file
    url = original.url
    data = original.open("rb").read()
    response = client.get(url, HTTP_RANGE="bytes=0-99")
    assert response.status_code == 206 and body(response) == data[:100]
    assert sha_from_header(response["Repr-Digest"]) == hashlib.sha256(data).hexdigest()
    assert response["Cache-Control"] == "public, max-age=300"


def test_draft_enclosure_is_404_even_with_a_valid_key(client, bulletins, make_station):
    draft = bulletins.make("Bản tin nháp", live=False)
    english = bulletins.make("English bulletin", language="en")
    live = bulletins.make("Bản tin đã xuất bản")
    station, key = make_station(languages=["vi"])
    assert client.get(download_path(station, draft, key=key)).status_code == 404
    assert client.get(draft.audio.renditions.first().file.url).status_code == 404
    assert client.get(download_path(station, english, key=key)).status_code == 404
    assert client.get(download_path(station, live, "broadcast-master", key)).status_code == 404
    assert client.get(download_path(station, live, key=key)).status_code == 200
    live.unpublish()
    assert client.get(download_path(station, live, key=key)).status_code == 404
    assert DownloadLog.objects.filter(bytes_sent__gt=0, bulletin__in=[draft, english]).count() == 0


def test_revoked_key_gets_nothing(client, bulletins, make_station):
    page = bulletins.make("Bản tin")
    station, key = make_station()
    url = download_path(station, page, key=key)
    assert len(body(client.get(url))) == page.audio.get_rendition("radio-loudspeaker").size
    station.revoke_key()
    for method in (client.get, client.head):
        response = method(url, HTTP_RANGE="bytes=0-")
        assert response.status_code == 403
        assert not response.streaming
    assert client.get(download_path(station, page)).status_code == 401
    assert DownloadLog.objects.filter(station=station).count() == 1


def test_nginx_method_hands_the_file_over_with_its_checksum(client, settings, bulletins,
                                                            make_station, encoded_audio):
    settings.LOA_MEDIA_SERVE_METHOD = "nginx"
    page = bulletins.make("Bản tin")
    station, key = make_station()
    response = client.get(download_path(station, page, key=key), HTTP_RANGE="bytes=1000-")
    rendition = page.audio.get_rendition("radio-loudspeaker")
    assert response["X-Accel-Redirect"] == "/protected-media/" + rendition.file.name
    assert response.content == b""
    assert sha_from_header(response["Repr-Digest"]) == rendition.sha256
    log = DownloadLog.objects.get(station=station)
    assert (log.method, log.range_start, log.bytes_sent, log.complete) == (
        "nginx", 1000, rendition.size - 1000, True)


# --- real connections against the running test server --------------------------------
# Transactional: the live server reads what the test commits (tests/conftest.py puts back
# the rows Wagtail's migrations made after each flush).
live = pytest.mark.django_db(transaction=True)
DOCS_STATIONS = Path(__file__).resolve().parents[2] / "docs" / "stations.md"


@live
def test_download_cut_at_random_points_resumes_byte_identical(live_server, bulletins,
                                                              make_station, encoded_audio):
    page = bulletins.make("Bản tin qua đường truyền chập chờn")
    station, key = make_station()
    original = encoded_audio["radio-loudspeaker"].path.read_bytes()
    seed = random.randrange(1 << 30)
    cuts = sorted(random.Random(seed).sample(range(1, len(original) - 1), 4))
    host = urlsplit(live_server.url)
    received, etag, digest = b"", "", ""
    for cut in [*cuts, None]:
        conn = http.client.HTTPConnection(host.hostname, host.port, timeout=10)
        headers = {"Range": f"bytes={len(received)}-", "If-Range": etag} if received else {}
        conn.request("GET", download_path(station, page, key=key), headers=headers)
        response = conn.getresponse()
        assert response.status == (206 if received else 200), f"seed={seed}"
        if received:
            assert response.getheader("Content-Range").startswith(f"bytes {len(received)}-")
        etag, digest = response.getheader("ETag"), response.getheader("Repr-Digest")
        wanted = None if cut is None else cut - len(received)
        received += response.read(wanted) if wanted else response.read()
        conn.sock.close()  # the line drops here, mid-transfer
        conn.close()
    assert received == original, f"seed={seed}"
    assert hashlib.sha256(received).hexdigest() == sha_from_header(digest)
    logs = wait_for_logs(station, 5)
    assert [log.range_start for log in logs] == [0, *cuts]
    assert logs[-1].complete and logs[-1].bytes_sent == len(original) - cuts[-1]


@live
def test_curl_continue_at_resumes_against_the_running_server(live_server, bulletins,
                                                              make_station, encoded_audio,
                                                              tmp_path):
    page = bulletins.make("Bản tin tải bằng curl")
    station, key = make_station()
    url = live_server.url + download_path(station, page, key=key)
    original = encoded_audio["radio-loudspeaker"].path.read_bytes()
    target, headers = tmp_path / "ban-tin.mp3", tmp_path / "headers.txt"
    for cut in sorted(random.sample(range(1, len(original) - 1), 2)):
        # A real cut: curl is killed by SIGPIPE when head stops reading at the cut point.
        subprocess.run(f"curl -sS '{url}' | head -c {cut} > '{target}'", shell=True,
                       check=True, timeout=60)
        assert target.stat().st_size == cut
        # The recipe from docs/stations.md.
        subprocess.run(["curl", "-fsS", "--retry", "5", "-C", "-", "-D", str(headers),
                        "-o", str(target), url], check=True, timeout=60)
        assert target.read_bytes() == original
        sent = headers.read_text()
        assert sent.startswith("HTTP/1.1 206")
        digest = next(line.split(":", 1)[1].strip() for line in sent.splitlines()
                      if line.lower().startswith("repr-digest:"))
        assert hashlib.sha256(target.read_bytes()).hexdigest() == sha_from_header(digest)
    # The recipe exactly as docs/stations.md gives it, run again on the whole file (a
    # station's cron retrying): it succeeds and leaves the file as it is.
    recipe = next(line.strip() for line in DOCS_STATIONS.read_text().splitlines()
                  if line.strip().startswith("curl -fsS --retry"))
    command = recipe.replace("<địa chỉ enclosure trong nguồn tin>", url)
    done = subprocess.run(command, shell=True, cwd=tmp_path, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert target.read_bytes() == original
