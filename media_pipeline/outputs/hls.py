"""The HLS ladder (fMP4, 4-second segments), built once the video rungs exist by copying
their streams — the rungs already have a keyframe every 2 s, so segments line up."""

from __future__ import annotations

from pathlib import Path

import ffmpeg

from .. import ffmpeg_run
from ..probe import ProbeResult


def distinct_rungs(rungs: list[tuple[Path, ProbeResult]]) -> list[tuple[Path, ProbeResult]]:
    """Largest first, one per size: a small source gives several identical 'rungs'."""
    seen, kept = set(), []
    for path, info in sorted(rungs, key=lambda r: -(r[1].height or 0)):
        if (info.width, info.height) not in seen:
            seen.add((info.width, info.height))
            kept.append((path, info))
    return kept


def build(rungs: list[tuple[Path, ProbeResult]], folder: Path, segment_seconds: int) -> Path:
    """Write master.m3u8, one playlist, init segment and media segments per rung into
    ``folder``; return the master playlist."""
    streams, variants = [], []
    for index, (path, info) in enumerate(rungs):
        inp = ffmpeg.input(str(path))
        streams.append(inp["v:0"])
        if info.has_audio:
            streams.append(inp["a:0"])
        variants.append(f"v:{index},a:{index}" if info.has_audio else f"v:{index}")
    out = ffmpeg.output(
        *streams, str(folder / "v%v" / "index.m3u8"), c="copy", f="hls",
        hls_time=segment_seconds, hls_playlist_type="vod", hls_segment_type="fmp4",
        hls_fmp4_init_filename="init.mp4",
        hls_segment_filename=str(folder / "v%v" / "seg%04d.m4s"),
        master_pl_name="master.m3u8", var_stream_map=" ".join(variants))
    ffmpeg_run.run(out, duration=max(info.duration for _p, info in rungs))
    return folder / "master.m3u8"
