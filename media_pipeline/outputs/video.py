"""The video ladder: the source is decoded once and every missing rung is encoded from that
one decode (MediaCMS runs one ffmpeg per rung, each decoding the source again). The sound
is brought to the rungs' loudness target in the same run (gain and limiter planned from a
cheap measurement made before). A rung the upload already satisfies, sound included, is
remuxed (stream copy), not re-encoded."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import ffmpeg

from .. import ffmpeg_run
from ..probe import ProbeResult
from ..profiles import Profile
from .audio import make_up, source_sound

Progress = Callable[[float], None]
H264_PROFILES = {"Baseline", "Constrained Baseline", "Main", "High"}


@dataclass(frozen=True)
class Soundtrack:
    """How the ladder brings its sound to target: the loudness group's gain (and limiter)
    before the split, then each rung's make-up for what its AAC encoder loses."""

    filters: list[tuple[str, dict]]
    extra_db: dict[str, float]
    ceilings: dict[str, float | None]  # each rung's own limiter (see audio.make_up)


@dataclass(frozen=True)
class Geometry:
    width: int
    height: int


def _even(value: float) -> int:
    return max(2, int(value) // 2 * 2)


def geometry(probe: ProbeResult, profile: Profile) -> Geometry:
    """Output size for a rung: the short side bounded by the rung (so portrait phone video
    is 360 wide, not 360 high), display aspect kept, never upscaled, even numbers."""
    width, height = probe.display_size or (0, 0)
    if not (width and height):
        raise ValueError("video without dimensions")
    factor = min(1.0, profile.params["max_height"] / min(width, height))
    return Geometry(_even(round(width * factor)), _even(round(height * factor)))


def output_fps(probe: ProbeResult, profile: Profile) -> float:
    return min(probe.frame_rate or 25.0, float(profile.params["max_fps"]))


def needs_fps_filter(probe: ProbeResult, profile: Profile) -> bool:
    return probe.variable_frame_rate or (probe.frame_rate or 25.0) > profile.params["max_fps"]


def can_remux(probe: ProbeResult, profile: Profile) -> bool:
    """The upload already is this rung: H.264 4:2:0 in MP4, square pixels, upright, constant
    frame rate, the rung's size, within its bit rate, AAC or no sound."""
    if probe.kind != "video" or probe.video_codec != "h264":
        return False
    geo = geometry(probe, profile)
    return (
        "mp4" in probe.format_name
        and probe.pix_fmt == "yuv420p"
        and (probe.video_profile or "") in H264_PROFILES
        and probe.rotation == 0
        and abs(probe.sample_aspect - 1.0) < 0.01
        and (geo.width, geo.height) == (probe.width, probe.height)
        and not needs_fps_filter(probe, profile)
        and (probe.bit_rate or 0) <= profile.params["max_bit_rate"]
        and probe.audio_codec in (None, "aac")
    )


def encode_options(profile: Profile, fps: float, *, with_audio: bool) -> dict:
    """x264/AAC options for one rung; the benchmark's per-rendition peer uses the same."""
    p = profile.params
    gop = max(1, round(fps * p["keyframe_seconds"]))
    options = {
        "vcodec": "libx264", "preset": p["preset"], "crf": p["crf"], "maxrate": p["maxrate"],
        "bufsize": p["bufsize"], "profile:v": p["h264_profile"], "pix_fmt": p["pix_fmt"],
        "g": gop, "keyint_min": gop, "sc_threshold": 0, "r": f"{fps:g}",
        "movflags": "+faststart", "map_metadata": -1, "f": "mp4",
    }
    if with_audio:
        options.update(aac_options(profile))
    return options


def aac_options(profile: Profile) -> dict:
    """A rung's sound: AAC at its bit rate, with the rung's coder when it names one."""
    p = profile.params
    options = {"acodec": "aac", "audio_bitrate": p["audio_bitrate"],
               "ac": p["audio_channels"], "ar": p["audio_sample_rate"]}
    if "aac_coder" in p:
        options["aac_coder"] = p["aac_coder"]
    return options


def _split(stream, count: int, name: str) -> list:
    if count == 1:
        return [stream]
    node = stream.filter_multi_output(name, count)
    return [node.stream(i) for i in range(count)]


def _pictures(video, probe: ProbeResult, profiles: list[Profile]) -> dict:
    """Each rung's picture, by profile name. Sizes are scaled largest first, each from the
    one above it rather than from the source (240p from 360p, not from 1080p): the same
    sizes for a fraction of the scaling, which runs on ffmpeg's one filter thread while
    the encoders wait for it."""
    sizes: dict[Geometry, list[Profile]] = {}
    for profile in profiles:
        sizes.setdefault(geometry(probe, profile), []).append(profile)
    order = sorted(sizes, key=lambda g: g.width * g.height, reverse=True)
    pictures, current = {}, video
    for index, geo in enumerate(order):
        current = current.filter("scale", geo.width, geo.height, flags="bicubic")
        more = index + 1 < len(order)
        branches = _split(current, len(sizes[geo]) + more, "split")
        for profile, branch in zip(sizes[geo], branches, strict=False):
            pictures[profile.name] = branch.filter("setsar", 1)
        current = branches[-1]
    return pictures


def _sound(inp, probe: ProbeResult, profiles: list[Profile],
           sound: Soundtrack | None, base=None) -> list:
    """Each rung's audio stream (None for a video without sound), from ``base`` (the
    source's sound) when given."""
    if not probe.has_audio:
        return [None] * len(profiles)
    base = source_sound(inp, probe) if base is None else base
    audio = base.filter("aformat", channel_layouts="stereo")
    for name, kwargs in (sound.filters if sound else []):
        audio = audio.filter(name, **kwargs)
    streams = _split(audio, len(profiles), "asplit")
    if sound is None:
        return streams
    return [make_up(a, sound.extra_db.get(p.name, 0.0), sound.ceilings.get(p.name))
            for p, a in zip(profiles, streams, strict=True)]


def resound(rung: Path, src: Path, probe: ProbeResult, profile: Profile, sound: Soundtrack,
            dest: Path, progress: Progress | None = None) -> str:
    """The rung again with only its sound re-made (the picture is copied from ``rung``):
    used when the decoded sound of a finished rung came out over its true-peak limit."""
    made, inp = ffmpeg.input(str(rung)), ffmpeg.input(str(src))
    (audio,) = _sound(inp, probe, [profile], sound)
    out = ffmpeg.output(made["v:0"], audio, str(dest), vcodec="copy", **aac_options(profile),
                        movflags="+faststart", map_metadata=-1, f="mp4")
    return ffmpeg_run.run(out, duration=probe.duration, on_progress=progress)


def encode_ladder(src: Path, probe: ProbeResult, profiles: list[Profile],
                  dest: dict[str, Path], progress: Progress | None = None,
                  sound: Soundtrack | None = None,
                  also: Callable[[object], list] | None = None,
                  also_picture: Callable[[object, ProbeResult], list] | None = None) -> str:
    """One ffmpeg: decode once (rotation applied by ffmpeg), split, scale and encode each
    rung to ``dest[profile.name]``, its sound gained to target as ``sound`` says. ``also``
    makes more outputs from the source's sound (the audio profiles) in the same run, so the
    source is decoded once for everything; ``also_picture`` likewise from its picture
    (the poster)."""
    inp = ffmpeg.input(str(src))
    video = inp[probe.video_spec]
    if probe.interlaced:  # TV and DV material: one progressive frame per frame
        video = video.filter("bwdif", mode="send_frame", deint="all")
    fps = output_fps(probe, profiles[0])
    if needs_fps_filter(probe, profiles[0]):
        video = video.filter("fps", fps=f"{fps:g}")
    outputs = []
    if also_picture is not None:
        picture = video.filter_multi_output("split", 2)
        video = picture.stream(0)
        outputs += also_picture(picture.stream(1), probe)
    videos = _pictures(video, probe, profiles)
    base = source_sound(inp, probe) if probe.has_audio else None
    shared = (base.filter_multi_output("asplit", 2) if also is not None and base is not None
              else None)
    audios = _sound(inp, probe, profiles, sound, shared.stream(0) if shared else base)
    outputs += also(shared.stream(1)) if shared else []
    for profile, a in zip(profiles, audios, strict=True):
        v = videos[profile.name]
        streams = [v] if a is None else [v, a]
        outputs.append(ffmpeg.output(*streams, str(dest[profile.name]),
                                     **encode_options(profile, fps, with_audio=a is not None)))
    return ffmpeg_run.run(ffmpeg.merge_outputs(*outputs), duration=probe.duration,
                          on_progress=progress)


def remux(src: Path, probe: ProbeResult, path: Path, progress: Progress | None = None) -> str:
    inp = ffmpeg.input(str(src))
    streams = [inp[probe.video_spec]] + ([inp[probe.audio_spec]] if probe.has_audio else [])
    out = ffmpeg.output(*streams, str(path), c="copy", movflags="+faststart",
                        map_metadata=-1, f="mp4")
    return ffmpeg_run.run(out, duration=probe.duration, on_progress=progress)
