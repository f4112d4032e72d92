"""Media on S3 (production's object storage): the station download answers with a
short-lived presigned URL and S3 sends the bytes. S3 is stood in for by moto's real HTTP
server on loopback; our storage client (django-storages/boto3) is not patched."""

from __future__ import annotations

import hashlib
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

from stations import sync_client
from stations.models import DownloadLog

from .test_downloads import download_path, wait_for_logs

BUCKET = "loa-media"


@pytest.fixture
def s3_media(settings, monkeypatch):
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "thu-nghiem")
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1").create_bucket(
        Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
            "bucket_name": BUCKET, "endpoint_url": endpoint, "region_name": "us-east-1",
            "access_key": "thu-nghiem", "secret_key": "thu-nghiem", "default_acl": "private",
            "querystring_auth": True, "querystring_expire": 600, "file_overwrite": False,
        }},
    }
    settings.LOA_MEDIA_SERVE_METHOD = "redirect"
    yield endpoint
    server.stop()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.mark.django_db(transaction=True)
def test_station_download_redirects_to_a_presigned_url_that_resumes(
        s3_media, live_server, bulletins, make_station, encoded_audio, tmp_path):
    page = bulletins.make("Bản tin trên S3")
    draft = bulletins.make("Bản tin nháp trên S3", live=False)
    station, key = make_station()
    data = encoded_audio["radio-loudspeaker"].path.read_bytes()

    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(live_server.url + download_path(station, page, key=key))
        pytest.fail("expected a redirect")
    except urllib.error.HTTPError as redirect:
        assert redirect.code == 302
        location = redirect.headers["Location"]
    assert location.startswith(s3_media) and "Signature=" in location
    resumed = urllib.request.urlopen(urllib.request.Request(location, headers={
        "Range": "bytes=5000-"}))
    assert resumed.status == 206 and resumed.read() == data[5000:]

    with pytest.raises(urllib.error.HTTPError) as not_found:
        urllib.request.urlopen(live_server.url + download_path(station, draft, key=key))
    assert not_found.value.code == 404

    # The station's client follows the redirect (without sending its key to S3) and checks
    # the SHA-256 from the feed, since S3 sends no Repr-Digest.
    dest = tmp_path / "ban-tin"
    result = subprocess.run(
        ["/usr/bin/python3", sync_client.__file__, "--key", key, "sync", "--feed",
         f"{live_server.url}/stations/{station.pk}/feeds/vi.xml", "--dest", str(dest)],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    (saved,) = [p for p in Path(dest).glob("*.mp3")]
    assert hashlib.sha256(saved.read_bytes()).hexdigest() == hashlib.sha256(data).hexdigest()
    logs = wait_for_logs(station, 3)
    assert {log.method for log in logs} == {"redirect"}
    assert DownloadLog.objects.filter(bulletin=draft).count() == 0
