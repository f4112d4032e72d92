"""Benchmark 2 — the video ladder (1080p, 720p, 360p, 240p) from a 1080p30 H.264 source at
about 20 Mb/s with real detail (testsrc2 + temporal noise): ours (one ffmpeg, one decode,
every rung) vs the per-rendition approach MediaCMS uses (one ffmpeg per rung, each decoding
the source), identical encoder settings. The two sides run interleaved, REPEATS times each;
medians of wall and CPU time (child processes) are printed with every run.

The source is written as a camera or phone writes H.264 (High profile: CABAC, deblocking,
B-frames), so decoding it costs what decoding an editor's upload costs. ``--cheap-source``
writes it with x264's ultrafast instead (CAVLC, no deblocking), which is cheaper to decode
than any camera file and so leaves one decode less to save. The floor printed is what
saving three of the peer's four decodes would give: (peer CPU − 3 × one decode) / peer CPU.

    python -m bench media_ladder              # 15-second source (fits a shared 2-core box)
    python -m bench media_ladder --full       # the 60-second source of the issue
"""

from __future__ import annotations

import dataclasses
import shutil
import sys
from pathlib import Path

import ffmpeg

from bench import media_common as common


def rungs():
    from media_pipeline.profiles import PROFILES

    kiosk = PROFILES["kiosk-1080"]
    # A 720p rung only for the benchmark (the ladder); same recipe as the others.
    r720 = dataclasses.replace(kiosk, name="bench-720", params={
        **kiosk.params, "max_height": 720, "crf": 23, "maxrate": "3M", "bufsize": "6M"})
    return [kiosk, r720, PROFILES["phone-360"], PROFILES["phone-240"]]


def ours(src: Path, probe_result, profiles, out: Path) -> None:
    from media_pipeline.outputs import video

    video.encode_ladder(src, probe_result, profiles, {p.name: out / f"ours-{p.name}.mp4"
                                                      for p in profiles})


def peer(src: Path, probe_result, profiles, out: Path) -> None:
    """MediaCMS-style: a separate ffmpeg per rendition, each decoding the source."""
    from media_pipeline import ffmpeg_run
    from media_pipeline.outputs import video

    for profile in profiles:
        geo = video.geometry(probe_result, profile)
        fps = video.output_fps(probe_result, profile)
        inp = ffmpeg.input(str(src))
        v = inp["v:0"].filter("scale", geo.width, geo.height, flags="bicubic").filter(
            "setsar", 1)
        a = inp["a:0"].filter("aformat", channel_layouts="stereo")
        spec = ffmpeg.output(v, a, str(out / f"peer-{profile.name}.mp4"),
                             **video.encode_options(profile, fps, with_audio=True))
        ffmpeg_run.run(spec, duration=probe_result.duration)


def main(argv: list[str] | None = None) -> int:
    run = common.start(argv, __doc__, default_seconds=15, more_options=lambda parser: (
        parser.add_argument("--cheap-source", action="store_true",
                            help="write the source with x264 ultrafast (cheap to decode)")))
    seconds, work = run.seconds, run.work
    from media_pipeline.probe import probe

    try:
        src = common.detailed_video(work / "nguon-1080p.mp4", seconds,
                                    preset="ultrafast" if run.options.cheap_source else "veryfast")
        info = probe(src)
        decode = common.decode_cpu(src)
        profiles = rungs()
        samples = common.interleaved({
            "ours": lambda: ours(src, info, profiles, work),
            "peer": lambda: peer(src, info, profiles, work),
        }, run.repeats)
        for p in profiles:
            a, b = probe(work / f"ours-{p.name}.mp4"), probe(work / f"peer-{p.name}.mp4")
            assert (a.width, a.height) == (b.width, b.height)
        print(f"video ladder 1080/720/360/240 from {seconds} s of 1080p30 "
              f"{info.video_profile} H.264 at {(info.bit_rate or 0) / 1e6:.1f} Mb/s; "
              f"{common.load_average()}")
        common.print_times(samples, {"ours": "ours (one decode)",
                                     "peer": "MediaCMS-style (one ffmpeg per rung)"})
        common.print_ratio(samples, "ours", "peer", "<= 0.70")
        peer_cpu = common.median(samples["peer"]).cpu
        print(f"  one decode of the source: {decode:.2f} s CPU; floor of one decode "
              f"instead of four: {(peer_cpu - 3 * decode) / peer_cpu:.3f} of the peer's CPU")
    finally:
        shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
