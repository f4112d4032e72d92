"""Benchmark 4 — overhead of our job runner (claim under a row lock, heartbeat and progress
writes, probe, output check, SHA-256, move in place, rendition row) around one ffmpeg
command, vs the same ffmpeg command run bare.

    python -m bench media_overhead            # 20-second 720p clip -> phone-360
    python -m bench media_overhead --full     # 60 seconds
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench import media_common as common

PROFILE = "phone-360"
ROUNDS = 3


def bare(src: Path, dest: Path) -> None:
    from media_pipeline import ffmpeg_run
    from media_pipeline.outputs import video
    from media_pipeline.probe import probe
    from media_pipeline.profiles import PROFILES

    info = probe(src)  # outside the timing below: we only want the command
    captured = {}
    original = ffmpeg_run.run
    ffmpeg_run.run = lambda spec, **kw: captured.setdefault("args", ffmpeg_run.command(spec))
    try:
        video.encode_ladder(src, info, [PROFILES[PROFILE]], {PROFILE: dest})
    finally:
        ffmpeg_run.run = original
    return captured["args"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true")
    parser.add_argument("--seconds", type=int)
    args = parser.parse_args()
    seconds = args.seconds or (60 if args.full else 20)
    work = common.workdir()
    common.setup_django(work)
    from django.core.files import File

    from media_pipeline.jobs import cancel, request_renditions
    from media_pipeline.models import MediaItem
    from media_pipeline.probe import probe
    from media_pipeline.runner import run_job

    try:
        src = common.detailed_video(work / "clip.mp4", seconds, size="1280x720",
                                    bitrate="6M")
        command = bare(src, work / "bare.mp4")
        item = MediaItem(title="bench")
        item.apply_probe(probe(src))
        with src.open("rb") as fh:
            item.file.save("clip.mp4", File(fh), save=False)
        item.save()
        cancel(item.active_job())  # the job queued on save; we time our own below
        ours_times, bare_times = [], []
        for _ in range(ROUNDS):
            started = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            bare_times.append(time.perf_counter() - started)
            job = request_renditions(item, profiles=[PROFILE], force=True, enqueue_task=False)
            started = time.perf_counter()
            assert run_job(job.pk) == "succeeded"
            ours_times.append(time.perf_counter() - started)
        best_ours, best_bare = min(ours_times), min(bare_times)
        print(f"job runner overhead, {seconds} s 720p -> {PROFILE} (best of {ROUNDS})")
        print(f"  ours (job)    {best_ours:7.2f} s")
        print(f"  bare ffmpeg   {best_bare:7.2f} s")
        print(f"  ratio         {best_ours / best_bare:.3f}  (goal <= 1.05)")
    finally:
        shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
