"""The production hand-off for real: nginx (Debian's nginx-light, run as our own process on
a loopback port) in front of the running test server, with the site that `manage.py
nginx_site` prints for production. nginx sends the bytes; ranges, validators and the
checksum header still reach the station. Station downloads take the cheap gate: nginx asks
the application on every request (LOA_STATION_GATE_SECONDS = 0, the default), so a revoked
key or an unpublished bulletin is refused on its next request, and the download log is read
from nginx's access log."""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest

from stations.access_log import ingest
from stations.models import DownloadLog
from stations.nginx import server_block

from .test_downloads import download_path

CONF = """
worker_processes 1;
daemon off;
{user}
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 64; }}
http {{
  access_log off;
  client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy;
  fastcgi_temp_path {tmp}/fastcgi; uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
  {server}
}}
"""


@pytest.fixture
def nginx(live_server, settings, tmp_path):
    if not shutil.which("nginx"):
        pytest.fail("nginx is missing: scripts/install-system-packages installs nginx-light")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    conf = tmp_path / "nginx.conf"
    # As root, nginx would drop its workers to "nobody", who cannot read pytest's 0700
    # folders; run them as ourselves.
    user = "user root;" if os.geteuid() == 0 else ""
    server = server_block(listen=f"127.0.0.1:{port}", media_root=settings.MEDIA_ROOT,
                          upstream=f"127.0.0.1:{urlsplit(live_server.url).port}",
                          download_log=str(tmp_path / "loa-downloads.log"),
                          gate_cache=str(tmp_path / "gate-cache"))
    conf.write_text(CONF.format(tmp=tmp_path, user=user, server=server))
    settings.LOA_MEDIA_SERVE_METHOD = "nginx"
    proc = subprocess.Popen(["nginx", "-c", str(conf), "-p", str(tmp_path)],
                            stderr=subprocess.PIPE)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    proc.send_signal(signal.SIGQUIT)
    proc.wait(timeout=10)


def get(url: str, **headers):
    try:
        return urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=20)
    except urllib.error.HTTPError as exc:
        return exc


@pytest.mark.django_db(transaction=True)
def test_nginx_serves_the_station_download_with_ranges_and_checksum(
        nginx, bulletins, make_station, encoded_audio, tmp_path):
    page = bulletins.make("Bản tin qua nginx")
    draft = bulletins.make("Bản tin nháp", live=False)
    station, key = make_station()
    data = encoded_audio["radio-loudspeaker"].path.read_bytes()
    url = nginx + download_path(station, page, key=key)

    whole = get(url)
    assert whole.status == 200 and whole.read() == data
    digest = whole.headers["Repr-Digest"]
    assert digest == "sha-256=:" + base64.b64encode(hashlib.sha256(data).digest()).decode() + ":"
    etag = whole.headers["ETag"]

    part = get(url, Range="bytes=1000-", **{"If-Range": etag})
    assert part.status == 206 and part.read() == data[1000:]
    assert part.headers["Content-Range"] == f"bytes 1000-{len(data) - 1}/{len(data)}"
    assert part.headers["Repr-Digest"] == digest
    assert get(url, Range="bytes=1000-", **{"If-Range": '"cu"'}).read() == data

    assert get(nginx + download_path(station, draft, key=key)).status == 404
    rendition_name = page.audio.get_rendition("radio-loudspeaker").file.name
    assert get(f"{nginx}/protected-media/{rendition_name}").status == 404  # internal only
    logs = ingested(tmp_path, 3)
    # What nginx really sent: the stale If-Range got the whole file.
    assert [(log.method, log.range_start, log.bytes_sent, log.complete) for log in logs] == [
        ("nginx", 0, len(data), True), ("nginx", 1000, len(data) - 1000, True),
        ("nginx", 0, len(data), True)]
    assert DownloadLog.objects.filter(bulletin=draft).count() == 0


def logged(tmp_path, count: int):
    """nginx's access log once it holds ``count`` lines (written as each request ends)."""
    log = tmp_path / "loa-downloads.log"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if log.exists() and log.read_text().count("\n") >= count:
            break
        time.sleep(0.05)
    return log


def ingested(tmp_path, count: int) -> list[DownloadLog]:
    ingest(logged(tmp_path, count), tmp_path / "offsets.json")
    return list(DownloadLog.objects.order_by("started_at", "pk"))


@pytest.mark.django_db(transaction=True)
def test_a_revoked_key_is_refused_on_its_next_request(nginx, bulletins, make_station):
    page = bulletins.make("Bản tin khóa thu hồi")
    station, key = make_station()
    url = nginx + download_path(station, page, key=key)
    assert get(url).status == 200
    assert get(url).status == 200  # asked again, answered from the gate's kept bulletin
    station.revoke_key()
    refused = get(url)
    assert refused.status == 403
    assert "khóa" in refused.read().decode().lower()  # the view's own Vietnamese message
    assert get(nginx + download_path(station, page)).status == 401  # no key at all
    wrong = get(nginx + download_path(station, page, key="sai-khoa"))
    assert wrong.status == 403


@pytest.mark.django_db(transaction=True)
def test_an_unpublished_bulletin_is_refused_and_resumes_work(
        nginx, bulletins, make_station, encoded_audio):
    page = bulletins.make("Bản tin rút lại")
    other = bulletins.make("Bản tin còn lại")
    station, key = make_station()
    data = encoded_audio["radio-loudspeaker"].path.read_bytes()
    url = nginx + download_path(station, page, key=key)

    # A resumed download: the first 4000 bytes, then the rest with If-Range.
    first = get(url, Range="bytes=0-3999")
    assert first.status == 206 and first.read() == data[:4000]
    rest = get(url, Range="bytes=4000-", **{"If-Range": first.headers["ETag"]})
    assert rest.status == 206 and rest.read() == data[4000:]
    assert rest.headers["Content-Type"] == "audio/mpeg"
    assert rest.headers["Content-Disposition"].startswith("inline")
    # curl -C - run again on the whole file: 200 with the length it holds, no 416.
    again = get(url, Range=f"bytes={len(data)}-")
    assert again.status == 200 and again.headers["Content-Length"] == str(len(data))

    page.unpublish()
    assert get(url).status == 404  # the very next request
    assert get(url, Range="bytes=4000-").status == 404  # and a resume
    assert get(nginx + download_path(station, other, key=key)).status == 200


@pytest.mark.django_db(transaction=True)
def test_the_download_log_has_one_row_per_download_however_often_it_is_read(
        nginx, bulletins, make_station, encoded_audio, tmp_path):
    page = bulletins.make("Bản tin đếm lượt tải")
    (a, key_a), (b, key_b) = make_station("Đài A"), make_station("Đài B")
    size = encoded_audio["radio-loudspeaker"].size
    for _ in range(3):
        assert len(get(nginx + download_path(a, page, key=key_a)).read()) == size
    basic = base64.b64encode(f"{b.pk}:{key_b}".encode()).decode()
    whole = get(nginx + download_path(b, page), Authorization=f"Basic {basic}")
    assert len(whole.read()) == size
    cut = get(nginx + download_path(b, page, key=key_b), Range="bytes=0-99")
    assert cut.status == 206 and len(cut.read()) == 100
    log = logged(tmp_path, 5)
    assert ingest(log, tmp_path / "offsets.json") == 5
    assert ingest(log, tmp_path / "offsets.json") == 0  # read again: nothing new
    # logrotate renames the log; nginx (after USR1) starts a new one; read again from scratch
    log.rename(log.with_name(log.name + ".1"))
    assert ingest(log, tmp_path / "other-offsets.json") == 0
    rows = DownloadLog.objects.order_by("started_at", "pk")
    assert [(r.station.name, r.complete) for r in rows] == [
        ("Đài A", True), ("Đài A", True), ("Đài A", True), ("Đài B", True), ("Đài B", False)]
    assert {(r.bulletin_id, r.bulletin_title, r.language, r.profile) for r in rows} == {
        (page.pk, "Bản tin đếm lượt tải", "vi", "radio-loudspeaker")}
    assert rows.last().bytes_sent == 100 and rows.last().file_size == size


def test_the_site_with_remembered_answers_is_valid_nginx(settings, tmp_path):
    """LOA_STATION_GATE_SECONDS > 0: the printed site keeps the gate's answers (proxy_cache)
    and nginx accepts it."""
    settings.LOA_STATION_GATE_SECONDS = 30
    server = server_block(listen="127.0.0.1:1", media_root=settings.MEDIA_ROOT,
                          upstream="127.0.0.1:2", download_log=str(tmp_path / "d.log"),
                          gate_cache=str(tmp_path / "gate-cache"))
    assert "proxy_cache loa_gate;" in server and "proxy_cache_valid 200 403 30s;" in server
    user = "user root;" if os.geteuid() == 0 else ""
    conf = tmp_path / "nginx.conf"
    conf.write_text(CONF.format(tmp=tmp_path, user=user, server=server))
    checked = subprocess.run(["nginx", "-t", "-c", str(conf), "-p", str(tmp_path)],
                             capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stderr
    settings.LOA_STATION_GATE_SECONDS = 0
    plain = server_block(listen="127.0.0.1:1", media_root=settings.MEDIA_ROOT,
                         upstream="127.0.0.1:2", download_log=str(tmp_path / "d.log"))
    assert "proxy_cache" not in plain
