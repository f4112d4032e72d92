"""Every kind of file editors upload by mistake or by habit: each gets the right result or a
clear failure in Vietnamese, and the original is never lost or changed."""

from __future__ import annotations

import hashlib

import pytest
from django.urls import reverse

from media_pipeline.exceptions import TooLong
from media_pipeline.models import MediaItem, MediaJob, Rendition
from media_pipeline.probe import probe

from .conftest import make_item, run_profiles, scratch_files, stored_files

ADD_URL = "wagtailsnippets_media_pipeline_mediaitem:add"


def upload(client, path, title="Thử"):
    with path.open("rb") as fh:
        return client.post(reverse(ADD_URL), {"title": title, "file": fh})


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("make, expected", [
    (lambda h: h.path("rỗng.mp3").write_bytes(b"") or h.path("rỗng.mp3"), "rỗng"),
    (lambda h: h.text_as_mp3(), "thực ra là một văn bản (chữ)"),
    (lambda h: h.zip_as_mp3(), "thực ra là một tệp nén ZIP"),
    (lambda h: h.image_as_mp4(), "thực ra là một ảnh PNG"),
    (lambda h: h.truncated(h.video("goc.mp4"), "cut.mp4", keep=0.5),  # index at the end
     "thiếu phần chỉ mục ở cuối tệp"),
])
def test_upload_of_unusable_file_is_refused_in_vietnamese(client, users, hostile, make,
                                                          expected):
    client.force_login(users.admin)
    response = upload(client, make(hostile))
    assert response.status_code == 200  # the form again, with the reason
    errors = str(response.context["form"].errors)
    assert expected in errors, errors
    assert not MediaItem.objects.exists()


def test_six_hour_silent_wav_is_refused_as_too_long(hostile):
    path = hostile.silent_wav_hours(6)
    with pytest.raises(TooLong) as caught:
        probe(path)
    assert "6:00:00" in str(caught.value.message)
    assert path.stat().st_size > 300_000_000  # really six hours, declared and readable


def test_silent_recording_fails_at_once_and_keeps_the_original(db, hostile, settings):
    path = hostile.silent_wav()
    item = make_item(path)
    before = sha(path)
    job = run_profiles(item, "radio-loudspeaker")
    assert job.state == MediaJob.State.FAILED
    assert job.attempts == 1  # bad input is not retried
    assert "im lặng" in job.message
    assert item.renditions.get().state == Rendition.State.FAILED
    assert sha(settings.MEDIA_ROOT / item.file.name) == before
    assert not scratch_files(settings.MEDIA_ROOT)


def test_truncated_mp4_fails_clearly_and_keeps_the_original(db, hostile, settings):
    whole = hostile.video("whole.mp4", seconds=4, extra=("-movflags", "+faststart"))
    cut = hostile.truncated(whole, "bị cắt.mp4", keep=0.5)
    item = make_item(cut)  # the index at the front still describes the whole clip
    original = settings.MEDIA_ROOT / item.file.name
    before = sha(original)
    job = run_profiles(item, "phone-240", "radio-loudspeaker")
    assert job.state == MediaJob.State.FAILED
    assert job.attempts == 1
    assert "cắt dở" in job.message
    assert job.detail  # the technical tail is kept for the admin
    assert not item.renditions.filter(state=Rendition.State.READY).exists()
    assert sha(original) == before
    assert stored_files(settings.MEDIA_ROOT) == {item.file.name}
    assert not scratch_files(settings.MEDIA_ROOT)


def test_truncated_mp3_fails_clearly_rather_than_air_half_a_bulletin(db, hostile, settings):
    whole = hostile.mp3("whole.mp3", seconds=4)
    cut = hostile.truncated(whole, "cut.mp3", keep=0.6)
    item = make_item(cut)  # its header still announces four seconds
    job = run_profiles(item, "radio-loudspeaker")
    assert job.state == MediaJob.State.FAILED
    assert "cắt dở" in job.message
    assert item.get_rendition("radio-loudspeaker") is None
    assert (settings.MEDIA_ROOT / item.file.name).read_bytes() == cut.read_bytes()


def test_odd_4k_frame_becomes_even_1080p_and_small_rungs(db, hostile):
    item = make_item(hostile.odd_4k())
    assert (item.width, item.height) == (3839, 2161)
    job = run_profiles(item, "kiosk-1080", "phone-240", "poster")
    assert job.state == MediaJob.State.SUCCEEDED, job.message
    kiosk, small = item.get_rendition("kiosk-1080"), item.get_rendition("phone-240")
    assert (kiosk.width, kiosk.height) == (1918, 1080)
    assert (small.width, small.height) == (426, 240)
    assert item.get_rendition("poster").width == 1280


def test_rotated_phone_video_comes_out_upright(db, hostile):
    item = make_item(hostile.rotated_phone())
    assert item.probe_data["rotation"] in (90, 270)
    job = run_profiles(item, "kiosk-1080", "phone-240", "poster")
    assert job.state == MediaJob.State.SUCCEEDED, job.message
    kiosk = item.get_rendition("kiosk-1080")
    assert (kiosk.width, kiosk.height) == (180, 320)  # never upscaled, now portrait
    assert not kiosk.remuxed  # rotation metadata means the pixels had to be turned
    meta = probe(kiosk.file.path)
    assert meta.rotation == 0
    small = item.get_rendition("phone-240")
    assert (small.width, small.height) == (180, 320)  # short side already under 240
    poster = item.get_rendition("poster")
    assert poster.height > poster.width


def test_audio_with_cover_art_is_audio(db, hostile):
    item = make_item(hostile.cover_art_mp3())
    assert item.kind == MediaItem.Kind.AUDIO
    assert "kiosk-1080" not in item.required_profiles()
    job = run_profiles(item, "radio-loudspeaker", "waveform")
    assert job.state == MediaJob.State.SUCCEEDED, job.message
    out = probe(item.get_rendition("radio-loudspeaker").file.path)
    assert out.kind == "audio" and out.video_codec is None  # the picture is not carried


def test_surround_is_downmixed_and_normalised(db, hostile):
    item = make_item(hostile.surround())
    assert item.audio_channels == 6
    job = run_profiles(item, "radio-loudspeaker", "radio-provincial")
    assert job.state == MediaJob.State.SUCCEEDED, job.message
    mono, stereo = item.get_rendition("radio-loudspeaker"), item.get_rendition("radio-provincial")
    assert probe(mono.file.path).audio_channels == 1
    assert probe(stereo.file.path).audio_channels == 2
    assert mono.loudness_integrated == pytest.approx(-16.0, abs=0.5)
    assert stereo.loudness_integrated == pytest.approx(-23.0, abs=0.5)
    assert mono.loudness_true_peak <= -1.0 and stereo.loudness_true_peak <= -1.0


def test_video_without_sound_gets_no_audio_outputs(db, hostile, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        item = make_item(hostile.video("câm.mp4", audio=None, extra=("-preset", "slow")))
    assert not item.audio_channels
    job = item.jobs.get()
    assert job.state == MediaJob.State.SUCCEEDED, job.message
    made = set(item.renditions.values_list("profile", flat=True))
    assert made == {"kiosk-1080", "phone-360", "phone-240", "hls", "poster", "thumbnail"}
    assert probe(item.get_rendition("phone-240").file.path).audio_codec is None
    assert item.renditions_ready()


def test_vietnamese_name_with_spaces(db, hostile, client, users, settings):
    path = hostile.mp3("Bản tin Đồng Đăng số 1.mp3")
    item = make_item(path, "Bản tin Đồng Đăng")
    job = run_profiles(item, "radio-loudspeaker")
    assert job.state == MediaJob.State.SUCCEEDED, job.message
    out = item.get_rendition("radio-loudspeaker")
    assert out.file.name.startswith("media/renditions/")
    assert out.file.name.endswith("/ban_tin_dong_dang_so_1.mp3")
    assert out.sha256 == sha(settings.MEDIA_ROOT / out.file.name)
    assert out.size == (settings.MEDIA_ROOT / out.file.name).stat().st_size
    client.force_login(users.admin)
    response = client.get(reverse("wagtailsnippets_media_pipeline_mediaitem:inspect",
                                  args=[item.pk]))
    assert "Bản tin Đồng Đăng" in response.content.decode()
