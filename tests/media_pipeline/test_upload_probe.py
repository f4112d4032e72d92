"""Uploading audio/video through the admin: probed, never typed; bad files refused."""

import pytest
from django.test import Client
from django.urls import reverse

from media_pipeline.models import MediaItem


@pytest.fixture
def editor(users) -> Client:
    client = Client()
    client.force_login(users.editor_a)
    return client


def add_url() -> str:
    return reverse("wagtailsnippets_media_pipeline_mediaitem:add")


def upload(client, path, title="Bản tin tiếng Tày"):
    with path.open("rb") as fh:
        return client.post(add_url(), {"title": title, "file": fh})


def test_probing_fills_duration_size_and_kind(editor, media_files, settings):
    path = media_files.speech(name="bản tin số 1.mp3", text="Bà con dân tộc Tày, Nùng")
    response = upload(editor, path)
    assert response.status_code == 302
    item = MediaItem.objects.get()
    assert item.kind == "audio"
    assert item.size == path.stat().st_size
    assert 1.0 < item.duration < 10.0
    assert item.uploaded_by.username == "bt_a"
    assert item.file.name.endswith(".mp3")


def test_video_probe_reads_dimensions(editor, media_files):
    assert upload(editor, media_files.video(), title="Clip").status_code == 302
    item = MediaItem.objects.get()
    assert (item.kind, item.width, item.height) == ("video", 320, 180)
    assert item.duration == pytest.approx(2.0, abs=0.2)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("hong.mp3", b"ID3" + bytes(range(256)) * 40, "Không đọc được tệp này"),
        ("van-ban.mp3", "Đây là văn bản, không phải âm thanh.\n".encode() * 50,
         "thực ra là một văn bản (chữ)"),
        ("rong.mp3", b"", "Tệp rỗng"),
    ],
)
def test_corrupt_file_is_refused_clearly_and_nothing_saved(editor, media_files, settings,
                                                           name, data, message):
    response = upload(editor, media_files.raw(name, data))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not MediaItem.objects.exists()
    stored = settings.MEDIA_ROOT / "media" / "originals"
    assert not stored.exists() or not any(stored.iterdir())


def test_picture_named_as_video_is_refused(editor, media_files):
    path = media_files.image()
    renamed = path.rename(path.with_suffix(".mp4"))
    response = upload(editor, renamed)
    assert "không chứa âm thanh hay video" in response.content.decode()
    assert not MediaItem.objects.exists()
