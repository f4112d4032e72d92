"""Benchmark 3 — an upload that already meets the kiosk profile (H.264 High 4:2:0 1080p30,
AAC, MP4, within the bit rate): ours checks it and remuxes (stream copy, faststart) vs
re-encoding it with the profile's encoder settings.

    python -m bench media_remux               # 20-second upload
    python -m bench media_remux --full        # 60 seconds
"""

from __future__ import annotations

import argparse
import shutil
import sys

from bench import media_common as common


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true")
    parser.add_argument("--seconds", type=int)
    args = parser.parse_args()
    seconds = args.seconds or (60 if args.full else 20)
    work = common.workdir()
    common.setup_django(work)
    from media_pipeline.outputs import video
    from media_pipeline.probe import probe
    from media_pipeline.profiles import PROFILES

    kiosk = PROFILES["kiosk-1080"]
    try:
        src = common.detailed_video(work / "dat-chuan.mp4", seconds, bitrate="5M",
                                    preset="veryfast")
        times: dict[str, float] = {}
        with common.stopwatch(times, "ours"):
            info = probe(src)
            assert video.can_remux(info, kiosk), "the upload should already be compliant"
            video.remux(src, info, work / "ours.mp4")
        with common.stopwatch(times, "peer"):
            video.encode_ladder(src, info, [kiosk], {kiosk.name: work / "peer.mp4"})
        print(f"already-compliant {seconds} s 1080p upload -> kiosk-1080")
        print(f"  ours (probe + remux)   {times['ours']:7.2f} s")
        print(f"  re-encode              {times['peer']:7.2f} s")
        print(f"  speed-up               {times['peer'] / times['ours']:.1f}x  (goal >= 20x)")
    finally:
        shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
