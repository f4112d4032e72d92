"""Benchmark 3 — an upload that already meets the kiosk profile (H.264 High 4:2:0 1080p30,
AAC stereo at -16 LUFS, MP4, within the bit rate): ours (a whole job: the soundtrack's
loudness and true peak checked, stream copy with faststart, the copy's sound metered and
recorded) vs re-encoding it with the profile's encoder settings. Interleaved, REPEATS times
each; medians of wall and CPU time printed with every run.

    python -m bench media_remux               # 20-second upload
    python -m bench media_remux --full        # 60 seconds
"""

from __future__ import annotations

import shutil
import sys

from bench import media_common as common

PROFILE = "kiosk-1080"


def main(argv: list[str] | None = None) -> int:
    run = common.start(argv, __doc__, default_seconds=20)
    seconds, work = run.seconds, run.work
    from django.core.files import File

    from media_pipeline.jobs import cancel, request_renditions
    from media_pipeline.models import MediaItem
    from media_pipeline.outputs import video
    from media_pipeline.probe import probe
    from media_pipeline.profiles import PROFILES
    from media_pipeline.runner import run_job

    kiosk = PROFILES[PROFILE]
    try:
        src = common.detailed_video(work / "dat-chuan.mp4", seconds, bitrate="5M",
                                    preset="veryfast", loudness=-16.0)
        info = probe(src)
        assert video.can_remux(info, kiosk), "the upload should already be compliant"
        item = MediaItem(title="bench")
        item.apply_probe(info)
        with src.open("rb") as fh:
            item.file.save("dat-chuan.mp4", File(fh), save=False)
        item.save()
        cancel(item.active_job())

        def ours() -> None:
            job = request_renditions(item, profiles=[PROFILE], force=True, enqueue_task=False)
            assert run_job(job.pk) == "succeeded"
            assert item.get_rendition(PROFILE).remuxed, "expected a stream copy"

        samples = common.interleaved({
            "ours": ours,
            "peer": lambda: video.encode_ladder(src, info, [kiosk],
                                                {PROFILE: work / "peer.mp4"}),
        }, run.repeats)
        copied = item.get_rendition(PROFILE)
        print(f"already-compliant {seconds} s 1080p upload -> {PROFILE}; "
              f"{common.load_average()}")
        common.print_times(samples, {"ours": "ours (job: check sound, remux, meter)",
                                     "peer": "re-encode"})
        a, b = common.median(samples["ours"]), common.median(samples["peer"])
        print(f"  speed-up  wall {b.wall / a.wall:.1f}x   cpu {b.cpu / a.cpu:.1f}x   "
              f"(goal >= 20x); stored sound: {copied.loudness_integrated} LUFS, "
              f"{copied.loudness_true_peak:.1f} dBTP")
    finally:
        shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
