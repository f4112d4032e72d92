"""Pictures: a poster frame that represents the video (ffmpeg's ``thumbnail`` filter picks
the frame closest to the average of a batch, so not a black or fade frame), a small
thumbnail made from the poster, and a waveform picture for audio."""

from __future__ import annotations

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


def poster(src: Path, probe: ProbeResult, profile: Profile, path: Path) -> str:
    seek = min(probe.duration * POSTER_SEEK_FRACTION, POSTER_SEEK_MAX)
    if probe.duration - seek < 1.0:
        seek = 0.0
    width, height = probe.display_size or (0, 0)
    factor = min(1.0, profile.params["max_width"] / width)
    video = ffmpeg.input(str(src), ss=f"{seek:.3f}")[probe.video_spec]
    if probe.interlaced:
        video = video.filter("bwdif", mode="send_frame", deint="all")
    video = (video.filter("thumbnail", POSTER_BATCH_FRAMES)
             .filter("scale", _even(width * factor), _even(height * factor))
             .filter("setsar", 1))
    out = ffmpeg.output(video, str(path), vframes=1, f="image2", vcodec="mjpeg",
                        **{"q:v": 3})
    return ffmpeg_run.run(out, duration=0)


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
