"""Benchmark — the real-world corpus (tests/media_pipeline/corpus.py: phone, camera and
TV-partner shapes, generated): every file through our pipeline (the whole job: probe, sound
measured and normalised, one-decode ladder, outputs metered) vs the same files through one
plain ffmpeg per profile, MediaCMS-style (``scale=-2:H`` per rung, sound re-encoded
separately per audio profile, no loudness work). Same profiles on both sides: the three
video rungs, the five audio profiles, the poster. Prints wall and CPU of each side, their
ratio, and how many files each side converts *correctly* — every output present, the
displayed size the profile promises, as long as the upload (±0.1 s), true peak
≤ −1 dBTP and loudness within 1 LU of target (ffmpeg's ``ebur128=peak=true``).

    python -m bench media_corpus                   # whole corpus, one round
    python -m bench media_corpus --repeats 3
    python -m bench media_corpus --shapes phone-3gp,dv-pal
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from bench import media_common as common
from tests.media_pipeline.corpus import SHAPES, Corpus, Shape

PROFILES = ("kiosk-1080", "phone-360", "phone-240", "radio-loudspeaker", "radio-provincial",
            "broadcast-master", "broadcast-master-wav", "phone-audio", "poster")
RUNGS = PROFILES[:3]
SOUND = PROFILES[3:8]


def wanted(shape: Shape) -> list[str]:
    if shape.kind == "audio":
        return list(SOUND)
    return list(RUNGS) + (list(SOUND) if shape.has_audio else []) + ["poster"]


def ours(items: dict[str, object], shapes: list[Shape], out: Path) -> dict[str, dict]:
    """Run each item's job; return the output paths per shape (None when the job failed)."""
    from media_pipeline.jobs import cancel, request_renditions
    from media_pipeline.runner import run_job

    made = {}
    for shape in shapes:
        item = items[shape.name]
        if (active := item.active_job()) is not None:
            cancel(active)
        job = request_renditions(item, profiles=wanted(shape), force=True, enqueue_task=False)
        if run_job(job.pk) != "succeeded":
            made[shape.name] = None
            continue
        made[shape.name] = {r.profile: Path(r.file.path) for r in item.renditions.all()
                            if r.file and r.profile in wanted(shape)}
    return made


def peer_commands(src: Path, shape: Shape, folder: Path) -> dict[str, list[str]]:
    """One plain ffmpeg per profile, as a MediaCMS-style per-rendition pipeline writes it."""
    from media_pipeline.profiles import PROFILES as ALL

    base = ["ffmpeg", "-nostdin", "-y", "-v", "error", "-i", str(src)]
    commands = {}
    for name in wanted(shape):
        p = ALL[name].params
        dest = str(folder / f"{name}.{ALL[name].extension}")
        if name in RUNGS:
            commands[name] = [*base, "-map", "0:v:0", "-map", "0:a:0?",
                              "-vf", f"scale=-2:'min({p['max_height']},ih)'",
                              "-c:v", "libx264", "-preset", p["preset"], "-crf", str(p["crf"]),
                              "-maxrate", p["maxrate"], "-bufsize", p["bufsize"],
                              "-profile:v", p["h264_profile"], "-pix_fmt", "yuv420p",
                              "-c:a", "aac", "-b:a", p["audio_bitrate"], "-ac", "2",
                              "-movflags", "+faststart", dest]
        elif name == "poster":
            commands[name] = [*base, "-map", "0:v:0", "-frames:v", "1", "-q:v", "3", dest]
        else:
            rate = ["-b:a", p["bitrate"]] if "bitrate" in p else []
            commands[name] = [*base, "-map", "0:a:0", "-vn", "-c:a", p["codec"], *rate,
                              "-ar", str(p["sample_rate"]), "-ac", str(p["channels"]),
                              "-f", p.get("format", ALL[name].container), dest]
    return commands


def peer(sources: dict[str, Path], shapes: list[Shape], out: Path) -> dict[str, dict]:
    made = {}
    for shape in shapes:
        folder = out / shape.name
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        paths = {}
        for name, command in peer_commands(sources[shape.name], shape, folder).items():
            done = subprocess.run(command, capture_output=True)
            if done.returncode == 0:
                paths[name] = Path(command[-1])
        made[shape.name] = paths
    return made


def correct(shape: Shape, source: Path, outputs: dict | None) -> bool:
    """Every output present and keeping the profile's promises (see the module doc)."""
    from media_pipeline.profiles import PROFILES as ALL
    from tests.media_pipeline import test_real_world_shapes as check

    if not outputs or set(outputs) != set(wanted(shape)):
        return False
    longest = check.longest_stream(shape, source)
    try:
        for name, path in outputs.items():
            if name == "poster":
                continue
            info = check.ffprobe(path)
            if abs(float(info["format"]["duration"]) - longest) > check.DURATION_TOLERANCE:
                return False
            if name in RUNGS:
                (picture,) = check.streams(info, "video")
                size = check.rung_size(shape.display, ALL[name].params["max_height"])
                if check.displayed(picture) != size:
                    return False
                if shape.has_audio != bool(check.streams(info, "audio")):
                    return False
            if check.streams(info, "audio"):
                integrated, peak = check.ebur128(path)
                if peak > -1.0 or abs(integrated - ALL[name].params["target_lufs"]) > 1.0:
                    return False
    except (subprocess.CalledProcessError, ValueError, KeyError):
        return False
    return True


def main(argv: list[str] | None = None) -> int:
    run = common.start(argv, __doc__, default_seconds=0, more_options=lambda parser: (
        parser.add_argument("--shapes", help="comma-separated shape names (default: all)")))
    work = run.work
    from media_pipeline.probe import probe
    from tests.media_pipeline.conftest import make_item

    names = set(run.options.shapes.split(",")) if run.options.shapes else None
    shapes = [s for s in SHAPES if names is None or s.name in names]
    try:
        corpus = Corpus(work / "corpus")
        sources = {s.name: corpus.path(s) for s in shapes}
        items = {s.name: make_item(sources[s.name]) for s in shapes}
        for shape in shapes:
            probe(sources[shape.name])  # warm the page cache for both sides alike
        results: dict[str, dict] = {}
        samples = common.interleaved({
            "ours": lambda: results.__setitem__("ours", ours(items, shapes, work)),
            "peer": lambda: results.__setitem__("peer", peer(sources, shapes, work / "peer")),
        }, run.repeats)
        good = {side: [s.name for s in shapes
                       if correct(s, sources[s.name], results[side][s.name])]
                for side in ("ours", "peer")}
        print(f"real-world corpus: {len(shapes)} files "
              f"({sum(s.kind == 'video' for s in shapes)} video), profiles "
              f"{', '.join(PROFILES)}; {common.load_average()}")
        common.print_times(samples, {"ours": "ours (whole job per file)",
                                     "peer": "one plain ffmpeg per profile (MediaCMS-style)"})
        common.print_ratio(samples, "ours", "peer", "<= 0.8 of the peer's CPU")
        for side, label in (("ours", "ours"), ("peer", "peer")):
            failed = [s.name for s in shapes if s.name not in good[side]]
            print(f"  {label}: {len(good[side])}/{len(shapes)} files converted correctly"
                  + (f"; not: {', '.join(failed)}" if failed else ""))
    finally:
        shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
