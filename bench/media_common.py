"""Shared pieces of the media benchmarks: generated inputs (speech-like audio, detailed
1080p video), a Django set-up on a throwaway database, timing and an independent meter."""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from contextlib import contextmanager
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
                   bitrate: str = "20M", preset: str = "ultrafast") -> Path:
    """testsrc2 with temporal noise (real detail for the encoder) plus a tone."""
    ffmpeg("-f", "lavfi", "-i", f"testsrc2=size={size}:rate={rate}:duration={seconds}",
           "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
           "-vf", "noise=alls=18:allf=t", "-c:v", "libx264", "-preset", preset,
           "-b:v", bitrate, "-maxrate", bitrate, "-bufsize", bitrate, "-pix_fmt", "yuv420p",
           "-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart", str(dest))
    return dest


def meter(path: Path) -> tuple[float, float]:
    """An independent reading (ffmpeg ebur128, true peak) of integrated LUFS and dBTP."""
    out = subprocess.run(["ffmpeg", "-nostdin", "-hide_banner", "-i", str(path), "-af",
                          "ebur128=peak=true", "-f", "null", "-"],
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
