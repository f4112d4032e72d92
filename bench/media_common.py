"""Shared pieces of the media benchmarks: generated inputs (speech-like audio, detailed
1080p video), a Django set-up on a throwaway database, timing and an independent meter."""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

SPEECH = (
    "Kính thưa bà con, đây là bản tin của Phòng Văn hoá và Thông tin huyện. Hôm nay chúng "
    "tôi xin thông tin về lịch tiêm chủng cho trẻ em, về phòng chống cháy rừng mùa khô, và "
    "về việc giữ gìn an ninh trật tự ở các xã biên giới. Bà con lưu ý thực hiện đúng quy "
    "định, không nghe theo kẻ xấu lôi kéo vượt biên trái phép. "
)


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-nostdin", "-y", "-loglevel", "error", *args], check=True)


def speech_bulletin(dest: Path, seconds: int) -> Path:
    """espeak-ng speech looped to length, over a music bed (chord of tones with tremolo) and
    quiet pink noise: speech-like dynamics, not a steady tone."""
    raw = dest.with_suffix(".speech.wav")
    subprocess.run(["espeak-ng", "-v", "vi", "-s", "150", "-w", str(raw), SPEECH * 3],
                   check=True)
    ffmpeg("-stream_loop", "-1", "-i", str(raw),
           "-f", "lavfi", "-i", "sine=frequency=220:sample_rate=44100",
           "-f", "lavfi", "-i", "sine=frequency=277:sample_rate=44100",
           "-f", "lavfi", "-i", "anoisesrc=color=pink:amplitude=0.02:sample_rate=44100",
           "-filter_complex",
           "[0:a]aresample=44100,volume=1.0[s];"
           "[1:a][2:a]amix=inputs=2,tremolo=f=0.5:d=0.6,volume=0.08[m];"
           "[s][m][3:a]amix=inputs=3:duration=first:normalize=0[out]",
           "-map", "[out]", "-t", str(seconds), "-ac", "2", "-c:a", "pcm_s16le", str(dest))
    raw.unlink()
    return dest


def detailed_video(dest: Path, seconds: int, size: str = "1920x1080", rate: int = 30,
                   bitrate: str = "20M", preset: str = "ultrafast",
                   loudness: float | None = None) -> Path:
    """testsrc2 with temporal noise (real detail for the encoder) plus a tone; the tone is
    set to ``loudness`` LUFS when given (an upload whose sound is already on target).
    ``preset`` decides what decoding the file costs: ``ultrafast`` writes CAVLC without
    deblocking or B-frames, cheap to decode; ``veryfast`` writes High profile with CABAC,
    deblocking and B-frames, as cameras and phones do."""
    tone = f"sine=frequency=440:duration={seconds}"
    if loudness is not None:  # a steady tone: three seconds tell its loudness
        tone += f",volume={loudness - meter_lavfi('sine=frequency=440:duration=3')[0]:.2f}dB"
    ffmpeg("-f", "lavfi", "-i", f"testsrc2=size={size}:rate={rate}:duration={seconds}",
           "-f", "lavfi", "-i", tone,
           "-vf", "noise=alls=18:allf=t", "-c:v", "libx264", "-preset", preset,
           "-b:v", bitrate, "-maxrate", bitrate, "-bufsize", bitrate, "-pix_fmt", "yuv420p",
           "-c:a", "aac", "-b:a", "128k", "-ac", "2", "-movflags", "+faststart", str(dest))
    return dest


def decode_cpu(src: Path) -> float:
    """CPU seconds ffmpeg spends decoding the video of ``src`` once and discarding it."""
    return timed(lambda: ffmpeg("-i", str(src), "-map", "0:v:0", "-f", "null", "-")).cpu


def meter_lavfi(graph: str) -> tuple[float, float]:
    """The loudness of a generated stereo source (a lavfi graph), as :func:`meter` reads."""
    return _ebur128(["-f", "lavfi", "-i", graph, "-ac", "2"])


def meter(path: Path) -> tuple[float, float]:
    """An independent reading (ffmpeg ebur128, true peak) of integrated LUFS and dBTP."""
    return _ebur128(["-i", str(path)])


def _ebur128(input_args: list[str]) -> tuple[float, float]:
    out = subprocess.run(["ffmpeg", "-nostdin", "-hide_banner", *input_args, "-af",
                          "ebur128=peak=true:framelog=verbose", "-f", "null", "-"],
                         capture_output=True, text=True, check=True).stderr
    summary = out[out.rindex("Summary:"):]
    integrated = float(summary.split("I:")[1].split("LUFS")[0])
    peak = float(summary.split("Peak:")[1].split("dBFS")[0])
    return integrated, peak


@contextmanager
def stopwatch(results: dict, key: str):
    started = time.perf_counter()
    yield
    results[key] = time.perf_counter() - started


@dataclass
class Sample:
    """One timed run: wall seconds, and CPU seconds (user + system) of the child processes
    it waited for plus this process's own (our Python work counts against us). CPU time is
    what load from other users of the machine does not distort."""

    wall: float
    cpu: float


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def timed(func: Callable[[], object]) -> Sample:
    cpu0 = _cpu(resource.RUSAGE_CHILDREN) + _cpu(resource.RUSAGE_SELF)
    started = time.perf_counter()
    func()
    wall = time.perf_counter() - started
    return Sample(wall, _cpu(resource.RUSAGE_CHILDREN) + _cpu(resource.RUSAGE_SELF) - cpu0)


def interleaved(runs: dict[str, Callable[[], object]], repeats: int) -> dict[str, list[Sample]]:
    """Run each contender ``repeats`` times, alternating who goes first each round, so a
    burst of load from someone else hits both sides alike."""
    names = list(runs)
    samples: dict[str, list[Sample]] = {name: [] for name in names}
    for round_ in range(repeats):
        for name in (names if round_ % 2 == 0 else names[::-1]):
            samples[name].append(timed(runs[name]))
    return samples


def median(samples: list[Sample]) -> Sample:
    return Sample(statistics.median(s.wall for s in samples),
                  statistics.median(s.cpu for s in samples))


def print_times(samples: dict[str, list[Sample]], labels: dict[str, str]) -> None:
    """Median and every run, wall and CPU, for each contender."""
    width = max(len(label) for label in labels.values())
    for name, label in labels.items():
        mid = median(samples[name])
        runs = ", ".join(f"{s.wall:.2f}/{s.cpu:.2f}" for s in samples[name])
        print(f"  {label:<{width}}  wall {mid.wall:7.2f} s  cpu {mid.cpu:7.2f} s  "
              f"(median; runs wall/cpu: {runs})")


def print_ratio(samples: dict[str, list[Sample]], ours: str, peer: str, goal: str) -> None:
    a, b = median(samples[ours]), median(samples[peer])
    print(f"  ratio ours/peer  wall {a.wall / b.wall:.3f}   cpu {a.cpu / b.cpu:.3f}   "
          f"(goal {goal})")


def load_average() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def setup_django(workdir: Path) -> None:
    """Django on a throwaway SQLite database and media folder under ``workdir``."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.media_settings"
    os.environ["LOA_BENCH_DATABASE"] = str(workdir / "bench.sqlite3")
    os.environ["LOA_BENCH_MEDIA_ROOT"] = str(workdir / "media")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def workdir() -> Path:
    return Path(tempfile.mkdtemp(prefix="loa-bench-media-"))


@dataclass
class Run:
    seconds: int  # length of the generated input
    repeats: int
    work: Path  # throwaway folder, Django already set up on a database in it
    options: argparse.Namespace  # every option, the benchmark's own ones included


def start(argv: list[str] | None, doc: str, *, default_seconds: int,
          full_seconds: int = 60,
          more_options: Callable[[argparse.ArgumentParser], None] | None = None) -> Run:
    """The options every media benchmark takes (``--full``, ``--seconds``, ``--repeats``)
    and those ``more_options`` adds, then a throwaway folder with Django set up in it."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    if more_options:
        more_options(parser)
    parser.add_argument("--full", action="store_true",
                        help=f"{full_seconds}-second input (the issue's)")
    parser.add_argument("--seconds", type=int, help="input length in seconds")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    seconds = args.seconds or (full_seconds if args.full else default_seconds)
    work = workdir()
    setup_django(work)
    return Run(seconds, args.repeats, work, args)
