"""Files that are really broken fail with a message that says what is wrong with them, in
Vietnamese, and the original is never lost or changed; a file only a little short of what
its header declares still converts."""

from __future__ import annotations

import hashlib

import pytest
from django.urls import reverse

from media_pipeline.models import MediaItem, MediaJob, Rendition

from .conftest import make_item, run_profiles, scratch_files, stored_files

ADD_URL = "wagtailsnippets_media_pipeline_mediaitem:add"


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def upload(client, path):
    with path.open("rb") as fh:
        return client.post(reverse(ADD_URL), {"title": "Thử", "file": fh})


def pdf_as_mp4(hostile):
    path = hostile.path("bao cao.mp4")
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n")
    return path


def docx_as_mp3(hostile):
    import zipfile

    path = hostile.path("van ban.mp3")
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    return path


def text_as_mp4(hostile):
    path = hostile.path("kich ban.mp4")
    path.write_text("Kịch bản phóng sự: cảnh 1, đồn biên phòng.\n" * 40, encoding="utf-8")
    return path


def mp4_without_index(hostile):
    # Written without faststart, so the index is at the end; the recording stopped early.
    return hostile.truncated(hostile.video("goc.mp4", seconds=3), "quay do.mp4", keep=0.6)


@pytest.mark.parametrize("make, expected", [
    (mp4_without_index, "thiếu phần chỉ mục ở cuối tệp"),
    (pdf_as_mp4, "thực ra là một tài liệu PDF, chỉ được đặt tên đuôi “.mp4”"),
    (docx_as_mp3, "thực ra là một tệp nén ZIP (hoặc tài liệu Word, Excel)"),
    (text_as_mp4, "thực ra là một văn bản (chữ), chỉ được đặt tên đuôi “.mp4”"),
], ids=["mp4-without-index", "pdf-named-mp4", "docx-named-mp3", "text-named-mp4"])
def test_broken_upload_is_refused_saying_what_it_is(client, users, hostile, make, expected):
    client.force_login(users.admin)
    path = make(hostile)
    before = sha(path)
    response = upload(client, path)
    assert response.status_code == 200  # the form again, with the reason
    errors = str(response.context["form"].errors)
    assert expected in errors, errors
    assert not MediaItem.objects.exists()
    assert sha(path) == before  # the editor's file is untouched


def cut_mid_stream(hostile, keep: float):
    whole = hostile.video("nguyen ven.mp4", seconds=8, extra=("-movflags", "+faststart"))
    return hostile.truncated(whole, f"cat {keep}.mp4", keep=keep)


def test_file_cut_mid_stream_fails_saying_how_much_was_readable(db, hostile, settings):
    cut = cut_mid_stream(hostile, keep=0.5)  # the index at the front still says 8 s
    item = make_item(cut)
    original = settings.MEDIA_ROOT / item.file.name
    before = sha(original)
    job = run_profiles(item)
    assert job.state == MediaJob.State.FAILED
    assert job.attempts == 1  # the same file would fail again
    assert job.message.startswith("Tệp bị cắt dở: chỉ đọc được 0:00:0")
    assert "trong 0:00:08 mà tệp ghi là có" in job.message
    readable = int(job.message.split("chỉ đọc được 0:00:")[1][:2])
    assert 2 <= readable <= 6, job.message
    assert not item.renditions.filter(state=Rendition.State.READY).exists()
    assert sha(original) == before
    assert stored_files(settings.MEDIA_ROOT) == {item.file.name}
    assert not scratch_files(settings.MEDIA_ROOT)


def test_file_cut_a_little_still_converts_to_what_is_there(db, hostile):
    item = make_item(cut_mid_stream(hostile, keep=0.97))
    job = run_profiles(item, "phone-240", "radio-loudspeaker")
    assert job.state == MediaJob.State.SUCCEEDED, job.message
    assert item.get_rendition("phone-240").duration > 7.0
