"""Delivery fixtures: a real S3 protocol server (moto in server mode, in its own process,
with IAM authentication switched on so wrong keys are refused), one bucket per test, and
products made from real ffmpeg/espeak-ng media with READY renditions."""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
from django.core.files import File
from wagtail.models import Locale

from cms.products.file_import import import_image, import_media_item
from cms.products.models import BulletinPage, Topic
from media_pipeline.models import MediaItem, Rendition
from media_pipeline.profiles import PROFILES

from .tcp_proxy import CuttingProxy

PART_SIZE = 64 * 1024


@dataclass
class S3Server:
    endpoint: str
    port: int
    access_key_id: str
    secret_access_key: str

    def client(self, endpoint: str | None = None, secret: str | None = None):
        return boto3.client(
            "s3", endpoint_url=endpoint or self.endpoint, region_name="us-east-1",
            aws_access_key_id=self.access_key_id,
            aws_secret_access_key=secret or self.secret_access_key,
        )


@pytest.fixture(scope="session")
def s3_server():
    env = {**os.environ,
           # the first 3 requests (IAM set-up below) need no signature, every later one does
           "INITIAL_NO_AUTH_ACTION_COUNT": "3",
           # small parts keep test media small; real S3 wants >= 5 MiB except the last
           "S3_UPLOAD_PART_MIN_SIZE": str(PART_SIZE // 4)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", "0"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    port = None
    deadline = time.monotonic() + 30
    while port is None and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line and proc.poll() is not None:
            break
        match = re.search(r"Running on http://127\.0\.0\.1:(\d+)", line)
        port = int(match.group(1)) if match else None
    assert port, "moto server did not start"
    endpoint = f"http://127.0.0.1:{port}"
    iam = boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1",
                       aws_access_key_id="setup", aws_secret_access_key="setup")
    iam.create_user(UserName="so-tttt")
    iam.put_user_policy(UserName="so-tttt", PolicyName="deliver", PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
    }))
    key = iam.create_access_key(UserName="so-tttt")["AccessKey"]
    # keep draining the server's log so it never blocks on a full pipe
    threading.Thread(target=proc.stdout.read, daemon=True).start()
    yield S3Server(endpoint, port, key["AccessKeyId"], key["SecretAccessKey"])
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=10)


@pytest.fixture
def bucket(s3_server) -> str:
    name = f"bo-tttt-{uuid.uuid4().hex[:12]}"
    s3_server.client().create_bucket(Bucket=name)
    return name


@pytest.fixture
def s3(s3_server):
    return s3_server.client()


@pytest.fixture
def delivery_settings(settings, s3_server, bucket, tmp_path):
    """Point delivery at the loopback server. Returns the dict so tests can adjust it."""
    settings.LOA_DELIVERY = {
        "ENDPOINT_URL": s3_server.endpoint,
        "BUCKET": bucket,
        "PREFIX": "lsn/",
        "ACCESS_KEY_ID": s3_server.access_key_id,
        "SECRET_ACCESS_KEY": s3_server.secret_access_key,
        "PART_SIZE": PART_SIZE,
        "CONCURRENCY": 2,
        "WORKERS": 1,  # the backlog command's threads are tested in a transactional test
        "MAX_ATTEMPTS": 2,
        "CONNECT_TIMEOUT": 2,
        "READ_TIMEOUT": 10,
        "SPOOL_DIR": str(tmp_path / "spool"),
        "AUTO": True,
    }
    return settings.LOA_DELIVERY


@pytest.fixture
def proxy(s3_server):
    p = CuttingProxy(("127.0.0.1", s3_server.port))
    yield p
    p.close()


def remote_keys(client, bucket: str) -> list[str]:
    return [o["Key"] for o in client.list_objects_v2(Bucket=bucket).get("Contents", [])]


def unfinished_uploads(client, bucket: str) -> list[dict]:
    return client.list_multipart_uploads(Bucket=bucket).get("Uploads", [])


# --- products made from real media ---------------------------------------------------------
FFMPEG_ARGS = {
    "broadcast-master": ["-ar", "48000", "-c:a", "mp2", "-b:a", "256k"],
    "radio-loudspeaker": ["-ar", "44100", "-c:a", "libmp3lame", "-b:a", "128k"],
    "phone-audio": ["-ac", "1", "-c:a", "libopus", "-b:a", "24k"],
}


media_item = import_media_item
image = import_image


@pytest.fixture(scope="session")
def source_media(tmp_path_factory) -> dict[str, Path]:
    """Made once per test session (espeak-ng + ffmpeg + Pillow): a spoken bulletin, its
    renditions and a cover picture. Products copy them into storage."""
    from demo import media as demo_media

    folder = tmp_path_factory.mktemp("delivery-media")
    audio = demo_media.speech_mp3("Bản tin biên giới. Xin chào bà con vùng biên.",
                                  folder / "ban-tin.mp3")
    made = {"audio": audio,
            "cover": demo_media.cover_image("Ảnh bìa", "Lạng Sơn", folder / "bia.jpg",
                                            size=(320, 180))}
    for profile, args in FFMPEG_ARGS.items():
        out = folder / f"{profile}.{PROFILES[profile].container}"
        subprocess.run(["ffmpeg", "-nostdin", "-y", "-loglevel", "error", "-i", str(audio),
                        *args, str(out)], check=True, timeout=120)
        made[profile] = out
    return made


def add_rendition(item: MediaItem, profile: str, path: Path) -> Rendition:
    rendition = Rendition(source=item, profile=profile, state=Rendition.State.READY,
                          mime_type=PROFILES[profile].mime_type, size=path.stat().st_size,
                          sha256=hashlib.sha256(path.read_bytes()).hexdigest())
    with path.open("rb") as fh:
        rendition.file.save(path.name, File(fh), save=False)
    rendition.save()
    return rendition


class ProductMaker:
    def __init__(self, province, media: dict[str, Path]):
        self.province, self.media = province, media
        self.topic, _ = Topic.objects.get_or_create(
            slug="bien-gioi", defaults={"name": "Chủ quyền biên giới",
                                        "name_vi": "Chủ quyền biên giới",
                                        "name_en": "Border sovereignty",
                                        "name_zh_hans": "边境主权"})
        self.count = 0

    def bulletin(self, title: str = "Bản tin biên giới", *,
                 renditions=("broadcast-master", "radio-loudspeaker", "phone-audio"),
                 publish: bool = True) -> BulletinPage:
        self.count += 1
        n = self.count
        item = media_item(self.media["audio"], f"Âm thanh {n}")
        for profile in renditions:
            add_rendition(item, profile, self.media[profile])
        cover = image(self.media["cover"], f"Ảnh bìa {n}")
        dept = self.province.department
        page = BulletinPage(
            title=title, slug=f"ban-tin-{n}", summary="Tóm tắt: tuần tra & bảo vệ cột mốc.",
            body=[("heading", "Tuần tra biên giới"),
                  ("paragraph", "<p>Đồn biên phòng phối hợp với bà con &amp; dân quân.</p>"),
                  ("quote", {"text": "Biên giới là của chung.", "source": "Già làng"})],
            audio=item, cover=cover, area=dept.area,
        )
        page.topics = [self.topic]
        dept.section_page.add_child(instance=page)
        revision = page.save_revision()
        if publish:
            revision.publish()
        return BulletinPage.objects.get(pk=page.pk)

    def translate(self, page: BulletinPage, language: str, title: str) -> BulletinPage:
        copy = page.copy_for_translation(Locale.objects.get(language_code=language),
                                         copy_parents=True)
        copy.title = title
        copy.save_revision().publish()
        return BulletinPage.objects.get(pk=copy.pk)


@pytest.fixture
def products(province, source_media) -> ProductMaker:
    return ProductMaker(province, source_media)


@pytest.fixture(autouse=True)
def _no_pipeline_jobs_on_save(settings):
    """Media items made here do not start the pipeline's jobs: these tests make any
    renditions they need themselves from real ffmpeg output (the jobs are tested in
    tests/media_pipeline)."""
    settings.LOA_MEDIA_ENQUEUE_ON_SAVE = False
