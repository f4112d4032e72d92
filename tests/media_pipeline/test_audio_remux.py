"""An audio upload that already is a profile (format, constant bit rate, loudness, true
peak) is stream-copied into it; everything else is still encoded."""

from __future__ import annotations

import json
import subprocess

import pytest
from PIL import Image

from media_pipeline.meter import measure_files
from media_pipeline.models import MediaJob
from media_pipeline.outputs import audio
from media_pipeline.probe import probe
from media_pipeline.profiles import PROFILES

from .conftest import ffmpeg, make_item, run_profiles

LOUDSPEAKER = PROFILES["radio-loudspeaker"]


def payload_md5(path) -> str:
    """MD5 of the first audio stream's packets, as stored (no decoding)."""
    return subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-i", str(path),
                           "-map", "0:a:0", "-c", "copy", "-f", "md5", "-"],
                          capture_output=True, text=True, check=True, timeout=60).stdout.strip()


def streams_and_tags(path) -> tuple[list[str], dict]:
    info = json.loads(subprocess.run(
        ["ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json", str(path)],
        capture_output=True, text=True, check=True, timeout=60).stdout)
    return [s["codec_type"] for s in info["streams"]], info["format"].get("tags", {})


def test_compliant_audio_upload_is_copied_and_the_rest_encoded(db, hostile):
    # A 128 kb/s CBR mono 44.1 kHz MP3, the loudspeaker format, but 8 dB too quiet.
    quiet = hostile.path("ban tin nho.mp3")
    ffmpeg("-i", str(hostile.speech_wav(seconds=4)), "-af", "volume=-8dB", "-c:a", "libmp3lame",
           "-b:a", "128k", "-ar", "44100", "-ac", "1", str(quiet))
    assert audio.remux_candidate(quiet, probe(quiet), LOUDSPEAKER)  # format-wise it fits
    first = make_item(quiet)
    job = run_profiles(first, "radio-loudspeaker")
    assert job.state == MediaJob.State.SUCCEEDED, job.message
    made = first.get_rendition("radio-loudspeaker")
    assert not made.remuxed  # off target: re-encoded so it airs at -16 LUFS
    assert made.loudness_integrated == pytest.approx(-16.0, abs=0.5)
    assert made.loudness_true_peak <= -1.0

    # That rendition, uploaded again with cover art and tags, already is the profile.
    cover = hostile.path("bia.jpg")
    Image.new("RGB", (64, 64), "#1f5f8b").save(cover, "JPEG")
    upload = hostile.path("tải lại.mp3")
    ffmpeg("-i", made.file.path, "-i", str(cover), "-map", "0:a", "-map", "1:v", "-c", "copy",
           "-disposition:v", "attached_pic", "-metadata", "title=Bản tin", str(upload))
    second = make_item(upload)
    job = run_profiles(second, "radio-loudspeaker", "radio-provincial")
    assert job.state == MediaJob.State.SUCCEEDED, job.message

    copied = second.get_rendition("radio-loudspeaker")
    assert copied.remuxed
    assert payload_md5(copied.file.path) == payload_md5(upload)  # the very MP3 frames
    streams, tags = streams_and_tags(copied.file.path)
    assert streams == ["audio"] and "title" not in tags  # cover art and tags left behind
    # Metered from the copy like any output: on target, and what the upload itself reads.
    upload_reading = measure_files({"upload": upload}, {"upload": 1})["upload"]
    assert copied.loudness_integrated == pytest.approx(-16.0, abs=0.5)
    assert copied.loudness_integrated == pytest.approx(upload_reading.integrated, abs=0.05)
    assert copied.loudness_true_peak == pytest.approx(upload_reading.peak, abs=0.05)
    assert copied.loudness_true_peak <= -1.0
    assert copied.loudness_range is not None

    stereo = second.get_rendition("radio-provincial")  # another target: still encoded
    assert not stereo.remuxed
    assert stereo.loudness_integrated == pytest.approx(-23.0, abs=0.5)
    assert streams_and_tags(stereo.file.path)[0] == ["audio"]


def test_average_bit_rate_mp3_is_not_taken_for_constant(hostile):
    abr = hostile.path("abr.mp3")
    ffmpeg("-i", str(hostile.speech_wav(seconds=2)), "-c:a", "libmp3lame", "-abr", "1",
           "-b:a", "128k", "-ar", "44100", "-ac", "1", str(abr))
    cbr = hostile.path("cbr.mp3")
    ffmpeg("-i", str(abr), "-c:a", "libmp3lame", "-b:a", "128k", str(cbr))
    assert not audio.constant_bit_rate(abr, 128_000)
    assert audio.constant_bit_rate(cbr, 128_000)
