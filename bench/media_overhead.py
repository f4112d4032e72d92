"""Benchmark 4 — overhead of our job runner (claim under a row lock, heartbeat and progress
writes, output check, SHA-256, move in place, rendition row, the meter's true-peak work in
Python) around the ffmpeg commands a job runs, vs the same commands run bare, back to back.

A warm-up job records the ffmpeg command lines the job runs (the soundtrack's loudness
measurement, the encoder-loss excerpt, the ladder, the meter on the output); "bare" replays
exactly those, with nothing around them. A third contender runs the ladder command alone,
to show what the soundtrack's loudness work costs on top of the encode. The contenders run
interleaved, REPEATS times each; medians of wall and CPU time (child processes plus this
process, where our Python runs) are printed with every run.

    python -m bench media_overhead            # 20-second 720p clip -> phone-360
    python -m bench media_overhead --full     # 60 seconds
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from bench import media_common as common

PROFILE = "phone-360"


class Recorder:
    """Notes every ffmpeg command line our code starts (ffmpeg_run uses subprocess.Popen);
    the commands themselves run unchanged."""

    def __init__(self):
        from media_pipeline import ffmpeg_run

        self.module, self.original, self.commands = ffmpeg_run.subprocess, None, []

    def __enter__(self):
        self.original = self.module.Popen
        original, commands = self.original, self.commands

        def popen(args, *a, **kw):
            if isinstance(args, list) and args and args[0] == "ffmpeg":
                commands.append(list(args))
            return original(args, *a, **kw)

        self.module.Popen = popen
        return self

    def __exit__(self, *exc):
        self.module.Popen = self.original


def job_commands(item) -> tuple[list[list[str]], str]:
    """Run one job (warm-up), recording its ffmpeg commands and its scratch folder."""
    from media_pipeline import storage_io
    from media_pipeline.jobs import request_renditions
    from media_pipeline.runner import run_job

    job = request_renditions(item, profiles=[PROFILE], force=True, enqueue_task=False)
    with Recorder() as recorder:
        assert run_job(job.pk) == "succeeded"
    root = str(storage_io.work_root() / f"job-{job.pk}-")
    arg = next(a for command in recorder.commands for a in command if root in a)
    start = arg.index(root)
    return recorder.commands, arg[start: arg.index("/", start + len(root))]


def replay(commands: list[list[str]], workdir: str, scratch: Path) -> None:
    """The job's commands, bare: same arguments, the scratch folder swapped for ours."""
    scratch.mkdir(exist_ok=True)
    for command in commands:
        args = [a.replace(workdir, str(scratch)) for a in command]
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def run_ours(item) -> None:
    from media_pipeline.jobs import request_renditions
    from media_pipeline.runner import run_job

    job = request_renditions(item, profiles=[PROFILE], force=True, enqueue_task=False)
    assert run_job(job.pk) == "succeeded"


def main(argv: list[str] | None = None) -> int:
    run = common.start(argv, __doc__, default_seconds=20)
    seconds, work = run.seconds, run.work
    from django.core.files import File

    from media_pipeline.jobs import cancel
    from media_pipeline.models import MediaItem
    from media_pipeline.probe import probe

    try:
        src = common.detailed_video(work / "clip.mp4", seconds, size="1280x720",
                                    bitrate="6M")
        item = MediaItem(title="bench")
        item.apply_probe(probe(src))
        with src.open("rb") as fh:
            item.file.save("clip.mp4", File(fh), save=False)
        item.save()
        cancel(item.active_job())  # the job queued on save; we time our own below
        commands, workdir = job_commands(item)
        ladder = [c for c in commands if "libx264" in c]
        samples = common.interleaved({
            "ours": lambda: run_ours(item),
            "bare": lambda: replay(commands, workdir, work / "bare"),
            "ladder": lambda: replay(ladder, workdir, work / "bare"),
        }, run.repeats)
        print(f"job runner overhead, {seconds} s 720p with sound -> {PROFILE}; "
              f"{len(commands)} ffmpeg commands per job; {common.load_average()}")
        common.print_times(samples, {"ours": "ours (job)",
                                     "bare": "the job's ffmpeg commands, bare",
                                     "ladder": "the ladder command alone, bare"})
        common.print_ratio(samples, "ours", "bare", "<= 1.05")
        ours, alone = common.median(samples["ours"]), common.median(samples["ladder"])
        print(f"  job / ladder alone  wall {ours.wall / alone.wall:.3f}   "
              f"cpu {ours.cpu / alone.cpu:.3f}   (the soundtrack's loudness work included)")
    finally:
        shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
