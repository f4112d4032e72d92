"""The production hand-off for real: nginx (Debian's nginx-light, run as our own process on
a loopback port) in front of the running test server, with the server block that
`manage.py nginx_site` prints for production. nginx sends the bytes; ranges, validators and
the checksum header still reach the station."""

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

from stations.models import DownloadLog
from stations.nginx import server_block

from .test_downloads import download_path, wait_for_logs

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
                          upstream=f"127.0.0.1:{urlsplit(live_server.url).port}")
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
        nginx, bulletins, make_station, encoded_audio):
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
    station.revoke_key()
    assert get(url).status == 403
    logs = wait_for_logs(station, 3)
    # The log records the range asked for: nginx alone knows its If-Range outcome.
    assert [(log.method, log.range_start) for log in logs] == [
        ("nginx", 0), ("nginx", 1000), ("nginx", 1000)]
    assert DownloadLog.objects.filter(bulletin=draft).count() == 0
