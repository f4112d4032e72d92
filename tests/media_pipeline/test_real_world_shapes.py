"""Every unusual but valid file that phones, old cameras and partner stations produce
converts to every profile that applies, and the outputs keep the profiles' promises —
measured on the outputs themselves: what a viewer sees (displayed size, upright, square
pixels, progressive, 8-bit H.264), how long they play, A/V sync (a white flash and a 1 kHz
burst made at the same instant must come out within 40 ms), loudness and true peak read by
ffmpeg's own ``ebur128=peak=true`` (not our meter), and the readings stored for the admin."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest

from media_pipeline.models import MediaJob, Rendition
from media_pipeline.profiles import PROFILES

from .conftest import make_item, run_profiles
from .corpus import SHAPES, Corpus, Shape

AUDIO_PROFILES = ("radio-loudspeaker", "radio-provincial", "broadcast-master",
                  "broadcast-master-wav", "phone-audio")
RUNGS = ("kiosk-1080", "phone-360", "phone-240")
SYNC_TOLERANCE = 0.040
DURATION_TOLERANCE = 0.1
READING_TOLERANCE = 0.1 + 1e-9  # both meters print tenths


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> Corpus:
    return Corpus(tmp_path_factory.mktemp("corpus"))


def ffprobe(path: Path) -> dict:
    out = subprocess.run(["ffprobe", "-v", "error", "-show_streams", "-show_format",
                          "-of", "json", str(path)], capture_output=True, text=True,
                         check=True, timeout=60).stdout
    return json.loads(out)


def streams(info: dict, kind: str) -> list[dict]:
    return [s for s in info["streams"] if s["codec_type"] == kind]


def ebur128(path: Path) -> tuple[float, float]:
    """ffmpeg's own meter: integrated LUFS and true peak (dBTP) of the first sound track."""
    log = subprocess.run(["ffmpeg", "-nostdin", "-hide_banner", "-i", str(path), "-map",
                          "0:a:0", "-af", "ebur128=peak=true:framelog=verbose", "-f", "null",
                          "-"], capture_output=True, text=True, check=True, timeout=120).stderr
    summary = log[log.rindex("Summary:"):]
    integrated = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary)[1])
    peak = float(re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary)[1])
    return integrated, peak


def flash_time(path: Path) -> float:
    """When the white flash is first seen: pts of the first frame with mean luma > 200."""
    out = subprocess.run(["ffmpeg", "-nostdin", "-hide_banner", "-i", str(path), "-map", "0:v:0",
                          "-vf", "signalstats,metadata=mode=print:key=lavfi.signalstats.YAVG:"
                          "file=-", "-f", "null", "-"], capture_output=True, text=True,
                         check=True, timeout=120).stdout
    pts = None
    for line in out.splitlines():
        if line.startswith("frame:"):
            pts = float(re.search(r"pts_time:(-?[\d.]+)", line)[1])
        elif line.startswith("lavfi.signalstats.YAVG=") and float(line.split("=")[1]) > 200:
            return pts
    raise AssertionError(f"no flash in {path.name}")


def burst_time(path: Path, info: dict) -> float:
    """When the 1 kHz burst starts: the first sample over half the loudest once the 220 Hz
    bed is filtered out, from the sound track's own start time (relative to the file's
    start)."""
    pcm = subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-i", str(path), "-map", "0:a:0",
                          "-af", "highpass=f=700,highpass=f=700", "-ac", "1", "-ar", "48000",
                          "-f", "f32le", "-"], capture_output=True, check=True,
                         timeout=120).stdout
    samples = np.abs(np.frombuffer(pcm, dtype=np.float32))
    first = int(np.argmax(samples > samples.max() / 2))
    audio = streams(info, "audio")[0]
    offset = float(audio.get("start_time") or 0) - float(info["format"].get("start_time") or 0)
    return offset + first / 48000


def displayed(stream: dict) -> tuple[int, int]:
    """What a player shows: sample aspect applied, display matrix applied."""
    num, _s, den = (stream.get("sample_aspect_ratio") or "1:1").partition(":")
    sar = int(num) / int(den) if int(num) and int(den) else 1.0
    width, height = round(stream["width"] * sar), stream["height"]
    rotation = next((int(d["rotation"]) for d in stream.get("side_data_list", [])
                     if "rotation" in d), 0)
    return (height, width) if rotation % 180 else (width, height)


def rung_size(display: tuple[int, int], max_height: int) -> tuple[int, int]:
    """The profiles' promise: the short side bounded, never upscaled, aspect kept, even."""
    factor = min(1.0, max_height / min(display))
    return tuple(max(2, round(side * factor) // 2 * 2) for side in display)


def expected_profiles(shape: Shape) -> set[str]:
    if shape.kind == "audio":
        return {*AUDIO_PROFILES, "waveform"}
    made = {*RUNGS, "hls", "poster", "thumbnail"}
    return made | set(AUDIO_PROFILES) if shape.has_audio else made


def longest_stream(shape: Shape, source: Path) -> float:
    """Seconds of the longest stream: as made for videos, decoded for audio (an MP3's header
    counts the encoder's priming and padding, which the decoder drops)."""
    if shape.longest is not None:
        return shape.longest
    pcm = subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-i", str(source), "-map",
                          "0:a:0", "-ac", "1", "-ar", "48000", "-f", "s16le", "-"],
                         capture_output=True, check=True, timeout=120).stdout
    return len(pcm) / 2 / 48000


def check_source(shape: Shape, info: dict) -> None:
    """The generator really made the shape (a silently lost display matrix would make the
    rotation cases pass for nothing)."""
    first = (streams(info, "video") or streams(info, "audio"))[0]
    for key, value in shape.source_checks.items():
        if key == "rotation":
            rotation = next(int(d["rotation"]) for d in first["side_data_list"])
            assert rotation % 360 == value, first["side_data_list"]
        else:
            assert first.get(key) == value, (key, first.get(key))


def check_sound(rendition: Rendition, path: Path, info: dict, profile_name: str) -> None:
    target = (PROFILES[profile_name].params["target_lufs"])
    integrated, peak = ebur128(path)
    assert peak <= -1.0, f"{profile_name}: true peak {peak} dBTP"
    assert integrated == pytest.approx(target, abs=1.0), profile_name
    stored = (rendition.loudness_integrated, rendition.loudness_true_peak)
    assert stored == pytest.approx((integrated, peak), abs=READING_TOLERANCE), profile_name


@pytest.mark.parametrize("shape", SHAPES, ids=[s.name for s in SHAPES])
def test_shape_converts_to_every_profile_keeping_its_promises(db, corpus, shape):
    source = corpus.path(shape)
    source_info = ffprobe(source)
    check_source(shape, source_info)
    longest = longest_stream(shape, source)

    item = make_item(source)
    assert item.kind == shape.kind
    job = run_profiles(item)
    assert job.state == MediaJob.State.SUCCEEDED, (job.message, job.detail[-1500:])
    ready = {r.profile: r for r in item.renditions.filter(state=Rendition.State.READY)}
    assert set(ready) == expected_profiles(shape)

    for name in RUNGS if shape.kind == "video" else ():
        path = Path(ready[name].file.path)
        info = ffprobe(path)
        (picture,) = streams(info, "video")
        assert picture["codec_name"] == "h264" and picture["pix_fmt"] == "yuv420p"
        assert picture.get("field_order", "progressive") == "progressive"
        assert not picture.get("side_data_list"), "no rotation left for players to apply"
        assert picture.get("sample_aspect_ratio", "1:1") in ("1:1", "0:1")
        size = rung_size(shape.display, PROFILES[name].params["max_height"])
        assert (picture["width"], picture["height"]) == size, name
        assert (ready[name].width, ready[name].height) == size
        assert float(info["format"]["duration"]) == pytest.approx(longest,
                                                                  abs=DURATION_TOLERANCE)
        if shape.has_audio:
            assert len(streams(info, "audio")) == 1
            assert abs(burst_time(path, info) - flash_time(path)) <= SYNC_TOLERANCE, name
            check_sound(ready[name], path, info, name)

    for name in AUDIO_PROFILES if shape.has_audio else ():
        path = Path(ready[name].file.path)
        info = ffprobe(path)
        assert float(info["format"]["duration"]) == pytest.approx(longest,
                                                                  abs=DURATION_TOLERANCE), name
        if shape.marker is not None:  # a video's sound for radio stays on the video's clock
            assert burst_time(path, info) == pytest.approx(shape.marker, abs=SYNC_TOLERANCE)
        check_sound(ready[name], path, info, name)
        if name == "phone-audio":  # VBR around 24 kb/s (documented), not a runaway rate
            assert 10_000 <= int(info["format"]["bit_rate"]) <= 32_000, info["format"]

    if shape.kind == "video":
        poster = ready["poster"]
        width, height = shape.display
        assert poster.width / poster.height == pytest.approx(width / height, rel=0.03)
