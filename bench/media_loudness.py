"""Benchmark 1 — loudness normalisation of a speech-like bulletin to MP3 (128 kb/s,
44.1 kHz, EBU R128 -23 LUFS, the radio-provincial profile): ours (ebur128 measurement, gain,
limiter only if needed, encoder-loss compensation, measured output) vs ffmpeg-normalize in
its default two-pass EBU R128 mode (loudnorm), same input, same run. The two sides run
interleaved, REPEATS times each; medians of wall and CPU time (child processes plus our own
Python) are printed with every run. An independent meter (ffmpeg ebur128, true peak) reads
both outputs.

    python -m bench media_loudness                 # the 15-minute bulletin of the issue
    python -m bench media_loudness --seconds 300   # a quicker 5-minute run
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from bench import media_common as common

PROFILE = "radio-provincial"
TARGET = -23.0


def ours(src: Path, dest: Path, scratch: Path) -> None:
    from media_pipeline.outputs import audio
    from media_pipeline.probe import probe
    from media_pipeline.profiles import PROFILES

    duration = probe(src).duration
    groups = audio.group_profiles([PROFILES[PROFILE]])
    plans = audio.plan_groups(src, groups, duration)
    offsets = audio.codec_offsets(src, groups, plans, duration, scratch)
    audio.encode(src, groups, plans, {PROFILE: dest}, duration, None, offsets)  # + measured


def peer(src: Path, dest: Path) -> None:
    exe = shutil.which("ffmpeg-normalize") or str(Path(sys.executable).parent /
                                                  "ffmpeg-normalize")
    subprocess.run([exe, str(src), "-o", str(dest), "-f", "-q", "-c:a", "libmp3lame",
                    "-b:a", "128k", "-ar", "44100"], check=True)


def main(argv: list[str] | None = None) -> int:
    run = common.start(argv, __doc__, default_seconds=900, full_seconds=900)
    seconds, work = run.seconds, run.work
    try:
        src = common.speech_bulletin(work / "ban-tin.wav", seconds)
        samples = common.interleaved({
            "ours": lambda: ours(src, work / "ours.mp3", work),
            "peer": lambda: peer(src, work / "peer.mp3"),
        }, run.repeats)
        report(seconds, samples, common.meter(work / "ours.mp3"),
               common.meter(work / "peer.mp3"))
    finally:
        shutil.rmtree(work)
    return 0


def report(seconds, samples, ours_m, peer_m) -> None:
    print(f"loudness normalisation, {seconds / 60:g}-minute speech-like bulletin -> MP3 "
          f"128k, target {TARGET:g} LUFS; {common.load_average()}")
    common.print_times(samples, {"ours": "ours", "peer": "ffmpeg-normalize"})
    print("  independent meter (ffmpeg ebur128, true peak) on each output file:")
    for label, (integrated, peak) in (("ours", ours_m), ("ffmpeg-normalize", peer_m)):
        print(f"    {label:<16}  I {integrated:6.1f} LUFS ({integrated - TARGET:+.1f} LU)  "
              f"TP {peak:5.1f} dBTP")
    common.print_ratio(samples, "ours", "peer", "<= 0.333")
    print(f"  ours within ±0.5 LU: {abs(ours_m[0] - TARGET) <= 0.5}, "
          f"true peak <= -1 dBTP: {ours_m[1] <= -1}")


if __name__ == "__main__":
    sys.exit(main())
