"""The video rungs' sound is loudness-normalised like the radio outputs, its loudness is
stored, and an upload is only remuxed when its sound already is on target."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from media_pipeline.models import MediaJob
from media_pipeline.outputs import video
from media_pipeline.probe import probe
from media_pipeline.profiles import PROFILES

from .conftest import make_item, run_profiles

RUNGS = ("kiosk-1080", "phone-240")
TARGET = PROFILES["phone-240"].params["target_lufs"]


def ebur128_reading(path) -> tuple[float, float]:
    """ffmpeg's own meter (not ours): integrated LUFS and true peak of the first audio
    stream."""
    log = subprocess.run(["ffmpeg", "-nostdin", "-hide_banner", "-i", str(path), "-map", "0:a:0",
                          "-af", "ebur128=peak=true:framelog=verbose", "-f", "null", "-"],
                         capture_output=True, text=True, check=True, timeout=60).stderr
    summary = log[log.rindex("Summary:"):]
    integrated = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary)[1])
    peak = float(re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary)[1])
    return integrated, peak


def test_quiet_soundtrack_comes_out_on_target_and_blocks_the_remux(db, hostile):
    # A 240p H.264 upload whose picture already fits both rungs, with a quiet soundtrack.
    path = hostile.video("phóng sự nhỏ.mp4", seconds=4, size="426x240",
                         audio="anoisesrc=color=pink:amplitude=0.2",
                         extra=("-b:v", "150k", "-ac", "2"))
    assert all(video.can_remux(probe(path), PROFILES[name]) for name in RUNGS)
    assert ebur128_reading(path)[0] < TARGET - 10
    item = make_item(path)
    job = run_profiles(item, *RUNGS)
    assert job.state == MediaJob.State.SUCCEEDED, job.message
    for name in RUNGS:
        rendition = item.get_rendition(name)
        assert not rendition.remuxed  # the picture could be copied, the sound could not
        integrated, peak = ebur128_reading(rendition.file.path)
        assert integrated == pytest.approx(TARGET, abs=1.0)
        assert peak <= -1.0
        assert rendition.loudness_integrated == pytest.approx(integrated, abs=0.2)
        assert rendition.loudness_true_peak <= -1.0
        assert rendition.loudness_range is not None

    # That rung, uploaded again, is compliant sound and all: copied, not re-encoded.
    upload = hostile.path("ban sao.mp4")
    shutil.copyfile(item.get_rendition("phone-240").file.path, upload)
    again = make_item(upload)
    job = run_profiles(again, "phone-240")
    assert job.state == MediaJob.State.SUCCEEDED, job.message
    copied = again.get_rendition("phone-240")
    assert copied.remuxed
    assert copied.loudness_integrated == pytest.approx(TARGET, abs=0.5)
