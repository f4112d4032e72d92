"""Pictures: a poster frame that represents the video (ffmpeg's ``thumbnail`` filter picks
the frame closest to the average of a batch, so not a black or fade frame), a small
thumbnail made from the poster, and a waveform picture for audio."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import ffmpeg
from PIL import Image

from .. import ffmpeg_run
from ..probe import ProbeResult
from ..profiles import Profile
from .video import _even

# Skip the opening (titles, fade from black): look from 10% in, at most 30 s in.
POSTER_SEEK_FRACTION = 0.1
POSTER_SEEK_MAX = 30.0
POSTER_BATCH_FRAMES = 60
# ffmpeg 5.1 reports no progress from the ladder until each of its outputs has a frame: the
# poster joins the ladder only when its batch ends this early in the source (short clips,
# where a process of its own costs more than the poster), so the job's heartbeat goes on.
POSTER_IN_LADDER_SECONDS = 5.0


def poster_seek(probe: ProbeResult) -> float:
    seek = min(probe.duration * POSTER_SEEK_FRACTION, POSTER_SEEK_MAX)
    return 0.0 if probe.duration - seek < 1.0 else seek


def _poster_output(video, probe: ProbeResult, profile: Profile, path: Path):
    width, height = probe.display_size or (0, 0)
    factor = min(1.0, profile.params["max_width"] / width)
    video = (video.filter("thumbnail", POSTER_BATCH_FRAMES)
             .filter("scale", _even(width * factor), _even(height * factor))
             .filter("setsar", 1))
    return ffmpeg.output(video, str(path), vframes=1, f="image2", vcodec="mjpeg",
                         **{"q:v": 3})


def poster(src: Path, probe: ProbeResult, profile: Profile, path: Path) -> str:
    video = ffmpeg.input(str(src), ss=f"{poster_seek(probe):.3f}")[probe.video_spec]
    if probe.interlaced:
        video = video.filter("bwdif", mode="send_frame", deint="all")
    return ffmpeg_run.run(_poster_output(video, probe, profile, path), duration=0)


def _batch_seconds(probe: ProbeResult) -> float:
    return (POSTER_BATCH_FRAMES + 1) / (probe.frame_rate or 25.0) + 0.5


def fits_ladder(probe: ProbeResult) -> bool:
    """The poster's batch of frames ends early enough for the ladder to make it."""
    return poster_seek(probe) + _batch_seconds(probe) <= POSTER_IN_LADDER_SECONDS


def poster_in_ladder(profile: Profile, path: Path) -> Callable[[object, ProbeResult], list]:
    """The poster as one more output of the ladder's ffmpeg (``also_picture``): the same
    batch of frames from the same point, taken from the picture the ladder already decodes
    (deinterlaced, full size) instead of a process of its own decoding it again."""
    def outputs(video, probe: ProbeResult) -> list:
        seek = poster_seek(probe)
        # Only the batch reaches the thumbnail filter: it reads every frame it is given.
        video = video.filter("trim", start=f"{seek:.3f}",
                             duration=f"{_batch_seconds(probe):.3f}")
        return [_poster_output(video, probe, profile, path)]
    return outputs


def thumbnail(poster_path: Path, profile: Profile, path: Path) -> None:
    with Image.open(poster_path) as img:
        width = profile.params["max_width"]
        if img.width > width:
            img = img.resize((width, max(1, round(img.height * width / img.width))),
                             Image.Resampling.LANCZOS)
        img.save(path, "WEBP", quality=80)


def waveform(src: Path, probe: ProbeResult, profile: Profile, path: Path) -> str:
    pic = (ffmpeg.input(str(src))[probe.audio_spec]
           .filter("aformat", channel_layouts="mono")
           .filter("showwavespic", s=profile.params["size"], colors=profile.params["color"]))
    out = ffmpeg.output(pic, str(path), vframes=1, f="image2", vcodec="png")
    return ffmpeg_run.run(out, duration=probe.duration)
