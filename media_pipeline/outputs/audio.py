"""Audio outputs: every missing audio profile of one source in a few ffmpeg runs,
whatever their number. Profiles sharing a loudness target and channel layout form a group:
the group is measured, gained (and limited if needed) once, then split to each encoder."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import ffmpeg

from .. import ffmpeg_run, sound_graph
from ..exceptions import EncodeFailed, SilentAudio
from ..loudness import GainPlan, Loudness, calibrate, parse_summaries, plan_gain
from ..meter import ebur128, measure_files
from ..probe import ProbeResult
from ..profiles import Profile

Progress = Callable[[float], None]


# Lossy encoders at low bit rates drop masked detail (noise, air) and measure quieter than
# the PCM they were given: an excerpt is encoded first to learn by how much.
EXCERPT_SECONDS = 30.0
# Up to this long, no excerpt: encoding the outputs, reading them and encoding again only
# those off target costs less than an excerpt of every output (a re-encode is rare, as the
# profiles' usual loss is the first guess; see ``codec_offsets``).
NO_EXCERPT_SECONDS = 3 * EXCERPT_SECONDS
LOSSLESS = {"pcm_s16le"}
# An upload this close to a profile's loudness target airs as it is (stream copy).
REMUX_TOLERANCE_LU = 0.5


@dataclass(frozen=True)
class GroupKey:
    target_lufs: float
    true_peak: float
    channels: int
    margin: float = 1.0  # dB between the limiter's sample ceiling and the true-peak limit

    @property
    def layout(self) -> str:
        return "mono" if self.channels == 1 else "stereo"


def group_profiles(profiles: list[Profile]) -> dict[GroupKey, list[Profile]]:
    groups: dict[GroupKey, list[Profile]] = {}
    for profile in profiles:
        p = profile.params
        key = GroupKey(p["target_lufs"], p["true_peak"], p["channels"],
                       p.get("peak_margin", 1.0))
        groups.setdefault(key, []).append(profile)
    return groups


def source_sound(inp, source: ProbeResult | None, *, pad: bool = True):
    """The upload's chosen sound track. A video's sound is put on the picture's clock: a
    track that starts late is preceded by silence and (``pad``) one that ends early is
    followed by silence up to the file's length, so every output keeps A/V sync and plays
    as long as the upload (cameras and phones often stop the sound before the picture)."""
    stream = inp[source.audio_spec if source else "a:0"]
    if source is None or source.kind != "video":
        return stream
    stream = stream.filter("aresample", **{"async": 1, "first_pts": 0})
    return stream.filter("apad", whole_dur=f"{source.duration:.3f}") if pad else stream


def make_up(stream, extra_db: float, ceiling_db: float | None):
    """One profile's share after its group's gain: the make-up for what its encoder loses
    and, for an output whose decoded true peak came out over its limit, a limiter of its
    own (the group's limiter sits before this make-up)."""
    if abs(extra_db) >= 0.05:  # the ceiling's margin absorbs less than this
        stream = stream.filter("volume", f"{extra_db:.2f}dB")
    if ceiling_db is not None:
        stream = stream.filter("alimiter", limit=f"{10 ** (ceiling_db / 20):.4f}", level=0,
                               latency=1, attack=5, release=50)
    return stream


def ceiling_of(key: GroupKey, shift_db: float = 0.0) -> float | None:
    """The profile's own limiter ceiling, only once a first encode decoded over the limit:
    the group's ceiling lowered by ``shift_db``. The first encode has none (the group's
    limiter and its margin usually suffice, and a second limiter costs loudness)."""
    return key.true_peak - key.margin - shift_db if shift_db else None


def first_audible(src: Path, source: ProbeResult) -> int:
    """The first sound track that is not silent (a camera's unused microphone input often
    comes first), measured in one decode of every track; the first track if all are."""
    inp = ffmpeg.input(str(src))
    tracks = source.audio_tracks
    meters = [ebur128(inp[str(t["index"])], f"t{n}") for n, t in enumerate(tracks)]
    found = parse_summaries(ffmpeg_run.run(ffmpeg.output(*meters, "-", f="null"),
                                           duration=source.duration))
    return next((t["index"] for n, t in enumerate(tracks) if not found[f"t{n}"].silent),
                tracks[0]["index"])


def _split(stream, count: int) -> list:
    if count == 1:
        return [stream]
    node = stream.filter_multi_output("asplit", count)
    return [node.stream(i) for i in range(count)]


def measure_groups(src: Path, keys: list[GroupKey], duration: float,
                   progress: Progress | None = None,
                   plans: dict[GroupKey, GainPlan] | None = None, *,
                   source: ProbeResult | None = None) -> dict[GroupKey, Loudness]:
    """Integrated loudness and sample peak of the source as each group hears it (after the
    group's gain and limiter when ``plans`` is given). One decode for all groups, in this
    process, through the same filters as ``source_sound`` and the encoders' chains."""
    branches = [sound_graph.Branch([("aformat", {"channel_layouts": key.layout}),
                                    *(plans[key].filters() if plans else [])])
                for key in keys]
    readings = sound_graph.read(src, branches, stream_index=_stream_index(source),
                                head=source_head(source), on_picture_clock=_on_clock(source),
                                duration=duration, progress=progress)
    if progress:
        progress(1.0)
    return dict(zip(keys, readings, strict=True))


def _stream_index(source: ProbeResult | None) -> int | None:
    return source.audio_index if source is not None else None


def _on_clock(source: ProbeResult | None) -> bool:
    return source is not None and source.kind == "video"


def source_head(source: ProbeResult | None) -> list[tuple[str, dict]]:
    """``source_sound``'s filters, for an in-process graph."""
    if not _on_clock(source):
        return []
    return [("aresample", {"async": 1, "first_pts": 0}),
            ("apad", {"whole_dur": f"{source.duration:.3f}"})]


def plan_groups(src: Path, groups: dict[GroupKey, list[Profile]], duration: float,
                progress: Progress | None = None) -> dict[GroupKey, GainPlan]:
    keys = list(groups)
    half = (lambda f: progress(f / 2)) if progress else None
    plans = plans_from(src, measure_groups(src, keys, duration, half), duration)
    if progress:
        progress(1.0)
    return plans


def plans_from(src: Path, measured: dict[GroupKey, Loudness], duration: float,
               quiet_ok: frozenset[GroupKey] = frozenset(), *,
               source: ProbeResult | None = None) -> dict[GroupKey, GainPlan]:
    """Gain (and limiter) per group from its measurement. A silent group fails the job,
    unless it is in ``quiet_ok`` (a video's silent soundtrack: the picture still matters),
    where it is left as it is."""
    plans = {}
    for key, loudness in measured.items():
        if loudness.silent and key not in quiet_ok:
            raise SilentAudio(detail=f"integrated={loudness.integrated} LUFS")
        plans[key] = (GainPlan(0.0, False, key.true_peak - key.margin) if loudness.silent
                      else plan_gain(loudness, key.target_lufs, key.true_peak, key.margin))
    keys = list(plans)
    for _round in range(3):  # the limiter costs loudness: measure what it leaves, make it up
        limited = [k for k in keys if plans[k].limit]
        if not limited:
            break
        after = measure_groups(src, limited, duration, None, plans, source=source)
        calibrated = {k: calibrate(plans[k], after[k], k.target_lufs) for k in limited}
        if all(calibrated[k] == plans[k] for k in limited):
            break
        plans.update(calibrated)
    return plans


def codec_offsets(src: Path, groups: dict[GroupKey, list[Profile]],
                  plans: dict[GroupKey, GainPlan], duration: float,
                  workdir: Path, progress: Progress | None = None, *,
                  source: ProbeResult | None = None) -> dict[str, float]:
    """dB each lossy profile loses to its encoder, from a short excerpt of the source. A
    short source (``NO_EXCERPT_SECONDS``) gets the profile's usual loss as a first guess:
    its outputs' first encode tells the real loss, and only those reading off target are
    made again (``pipeline``)."""
    lossy = {k: [p for p in ps if p.params["codec"] not in LOSSLESS] for k, ps in groups.items()}
    lossy = {k: ps for k, ps in lossy.items() if ps}
    if duration <= NO_EXCERPT_SECONDS:
        return {p.name: p.params["loss_guess_db"] for ps in lossy.values() for p in ps
                if "loss_guess_db" in p.params}
    if not lossy:
        return {}
    length = min(EXCERPT_SECONDS, duration)
    start = max(0.0, (duration - length) / 2)
    inp = ffmpeg.input(str(src), ss=f"{start:.3f}", t=f"{length:.3f}")
    outputs, files, refs = [], {}, {}
    sound = source_sound(inp, source, pad=False)
    for index, (key, stream) in enumerate(zip(lossy, _split(sound, len(lossy)), strict=True)):
        stream = stream.filter("aformat", channel_layouts=key.layout)
        for name, kwargs in plans[key].filters():
            stream = stream.filter(name, **kwargs)
        branches = _split(stream, len(lossy[key]) + 1)
        outputs.append(ffmpeg.output(ebur128(branches[0], f"g{index}"), "-", f="null"))
        for profile, branch in zip(lossy[key], branches[1:], strict=True):
            files[profile.name] = workdir / f"excerpt-{profile.name}.{profile.extension}"
            refs[profile.name] = f"g{index}"
            outputs.append(_output(profile, branch, files[profile.name]))
    reference = parse_summaries(ffmpeg_run.run(ffmpeg.merge_outputs(*outputs),
                                               duration=length, on_progress=progress))
    channels = {p.name: p.params["channels"] for ps in lossy.values() for p in ps}
    encoded = measure_files(files, channels, true_peak=False)  # loudness is all we need
    for path in files.values():
        path.unlink()
    return {name: _loss(reference[refs[name]], encoded[name]) for name in files}


def _loss(reference: Loudness, encoded: Loudness) -> float:
    """dB the encoder took; nothing to learn from a silent excerpt."""
    if reference.silent or encoded.silent:
        return 0.0
    return reference.integrated - encoded.integrated


def encode(src: Path, groups: dict[GroupKey, list[Profile]], plans: dict[GroupKey, GainPlan],
           dest: dict[str, Path], duration: float, progress: Progress | None = None,
           offsets: dict[str, float] | None = None, *,
           source: ProbeResult | None = None,
           shifts: dict[str, float] | None = None) -> dict[str, Loudness]:
    """Decode once, write every profile of every group to ``dest[profile.name]``, then
    measure the encoded files (decoded again, all in one meter process)."""
    sound = source_sound(ffmpeg.input(str(src)), source)
    outputs = encode_outputs(sound, groups, plans, dest, offsets, shifts)
    ffmpeg_run.run(ffmpeg.merge_outputs(*outputs), duration=duration, on_progress=progress)
    channels = {p.name: p.params["channels"] for ps in groups.values() for p in ps}
    files = {name: dest[name] for name in channels}
    return measure_files(files, channels, duration=duration, progress=progress)


def encode_outputs(sound, groups: dict[GroupKey, list[Profile]],
                   plans: dict[GroupKey, GainPlan], dest: dict[str, Path],
                   offsets: dict[str, float] | None = None,
                   shifts: dict[str, float] | None = None) -> list:
    """The ffmpeg outputs writing every profile of every group from ``sound`` (the source's
    sound, as ``source_sound`` gives it), for a run of their own or the video ladder's."""
    outputs = []
    for key, stream in zip(groups, _split(sound, len(groups)), strict=True):
        stream = stream.filter("aformat", channel_layouts=key.layout)
        for name, kwargs in plans[key].filters():
            stream = stream.filter(name, **kwargs)
        branches = _split(stream, len(groups[key]))
        for profile, branch in zip(groups[key], branches, strict=True):
            extra = (offsets or {}).get(profile.name, 0.0)
            branch = make_up(branch, extra,
                             ceiling_of(key, (shifts or {}).get(profile.name, 0.0)))
            outputs.append(_output(profile, branch, dest[profile.name]))
    return outputs


def _output(profile: Profile, stream, path: Path):
    p = profile.params
    stream = stream.filter("aresample", p["sample_rate"])
    fmt = p.get("format", profile.container)
    kwargs = {"acodec": p["codec"], "ar": p["sample_rate"], "ac": p["channels"],
              "map_metadata": -1, "f": fmt}
    if "bitrate" in p:
        kwargs["audio_bitrate"] = p["bitrate"]
    if "aac_coder" in p:
        kwargs["aac_coder"] = p["aac_coder"]
    if p["codec"] == "libopus":
        kwargs["application"] = "voip"  # speech-tuned at very low bit rates
        if "vbr" in p:
            kwargs["vbr"] = p["vbr"]
    return ffmpeg.output(stream, str(path), **kwargs)


def matches_format(probe: ProbeResult, profile: Profile) -> bool:
    """The upload's first audio stream already is this profile's codec, sample rate,
    channel count and nominal bit rate (an audio upload only: a video's sound is cut to
    the picture's length and belongs to the video)."""
    p = profile.params
    codec = {"libmp3lame": "mp3", "libopus": "opus"}.get(p["codec"], p["codec"])
    wanted_rate = _bit_rate(profile)
    return bool(
        probe.kind == "audio"
        and probe.audio_codec == codec
        and probe.sample_rate == p["sample_rate"]
        and probe.audio_channels == p["channels"]
        and (not wanted_rate or probe.audio_bit_rate == wanted_rate)
    )


def _bit_rate(profile: Profile) -> int:
    return int(str(profile.params.get("bitrate", "0")).rstrip("k") or 0) * 1000


def constant_bit_rate(src: Path, bit_rate: int) -> bool:
    """Every packet of the first audio stream is the size ``bit_rate`` gives its duration
    (to the byte: MP3 pads one frame in a few). The stream's header bit rate alone would let
    an ABR or VBR file that averages 128 kb/s through."""
    try:
        packets = ffmpeg.probe(str(src), select_streams="a:0",
                               show_entries="packet=size,duration_time").get("packets", [])
    except ffmpeg.Error as exc:
        raise EncodeFailed(detail=exc.stderr.decode("utf-8", "replace")[-2000:]) from exc
    if not packets:
        return False
    for packet in packets:
        try:
            expected = bit_rate * float(packet["duration_time"]) / 8
            size = int(packet["size"])
        except (KeyError, ValueError):
            return False  # a packet we cannot account for: encode rather than guess
        if abs(size - expected) > 1.0:
            return False
    return True


def remux_candidate(src: Path, probe: ProbeResult, profile: Profile) -> bool:
    """Format-wise the upload could be copied into ``profile`` (its loudness is checked
    later, by ``can_remux``, once the measure pass has read it)."""
    if not matches_format(probe, profile):
        return False
    return not profile.params.get("cbr") or constant_bit_rate(src, _bit_rate(profile))


def can_remux(probe: ProbeResult, profile: Profile, measured: Loudness | None) -> bool:
    """The upload already is this profile (``remux_candidate``) and our meter read it on
    target: integrated loudness within 0.5 LU, BS.1770 true peak (rounded up) at or under
    the profile's limit. A copy keeps these very samples, so it airs at this loudness."""
    p = profile.params
    return bool(
        measured is not None
        and matches_format(probe, profile)
        and not measured.silent
        and abs(measured.integrated - p["target_lufs"]) <= REMUX_TOLERANCE_LU
        and measured.peak is not None
        and measured.peak <= p["true_peak"]
    )


def remux(src: Path, profile: Profile, path: Path, duration: float,
          progress: Progress | None = None) -> str:
    """Stream copy of the first audio stream: no cover art, no tags."""
    out = ffmpeg.output(ffmpeg.input(str(src))["a:0"], str(path), acodec="copy",
                        map_metadata=-1, f=profile.params.get("format", profile.container))
    return ffmpeg_run.run(out, duration=duration, on_progress=progress)
