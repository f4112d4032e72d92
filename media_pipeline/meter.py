"""The meter that reads our outputs: ffmpeg decodes the encoded file (or the FIFO the
encoder's tee muxer writes while the file is being made) and measures integrated loudness
and loudness range with ``ebur128``; the decoded PCM comes back on a pipe and
``true_peak`` finds its BS.1770 true peak. What is stored is a reading of the real output,
not of what went into the encoder."""

from __future__ import annotations

import math
from pathlib import Path
from typing import IO

import ffmpeg
import numpy as np

from . import ffmpeg_run
from .loudness import Loudness, parse_summaries
from .true_peak import TruePeakMeter

FRAMES_PER_READ = 65536


def ebur128(stream, name: str):
    """ffmpeg's R128 meter without its per-100-ms log lines (only the summary)."""
    return stream.filter(f"ebur128@{name}", framelog="verbose")


class OutputMeter:
    """One ffmpeg reading ``source``'s first audio stream (``channels`` channels)."""

    def __init__(self, source: Path, channels: int, name: str = "o0", *,
                 true_peak: bool = True):
        self.name, self.channels = name, channels
        audio = ebur128(ffmpeg.input(str(source))["a:0"], name)
        self.peak = TruePeakMeter(channels) if true_peak else None
        self.error: Exception | None = None
        if self.peak is None:
            self.running = ffmpeg_run.Running(ffmpeg.output(audio, "-", f="null"))
        else:
            spec = ffmpeg.output(audio, "pipe:1", f="f32le", acodec="pcm_f32le", ac=channels)
            self.running = ffmpeg_run.Running(spec, on_stdout=self._consume)

    def _consume(self, pipe: IO[bytes]) -> None:
        frame_bytes = 4 * self.channels
        read = lambda: pipe.read(FRAMES_PER_READ * frame_bytes)  # noqa: E731
        try:
            for block in iter(read, b""):
                usable = len(block) // frame_bytes * frame_bytes
                self.peak.feed(np.frombuffer(block[:usable], dtype=np.float32)
                               .reshape(-1, self.channels))
        except Exception as exc:  # kept for finish(); ffmpeg must not block on a full pipe
            self.error = exc
            for _block in iter(read, b""):
                pass

    def failed(self) -> bool:
        return self.running.failed()

    def kill(self) -> None:
        self.running.kill()

    def finish(self) -> Loudness:
        stderr = self.running.finish()
        if self.error is not None:
            raise self.error
        measured = parse_summaries(stderr)[self.name]
        if self.peak is not None:  # to 0.1 dB like ebur128's readings, never under-read
            measured.peak = math.ceil(self.peak.dbtp * 10) / 10 if math.isfinite(
                self.peak.dbtp) else self.peak.dbtp
        return measured


def measure_files(paths: dict[str, Path], channels: dict[str, int], *,
                  true_peak: bool = True) -> dict[str, Loudness]:
    """Loudness of finished files, their meters running side by side."""
    meters = {name: OutputMeter(path, channels[name], f"o{index}", true_peak=true_peak)
              for index, (name, path) in enumerate(paths.items())}
    try:
        return {name: meter.finish() for name, meter in meters.items()}
    finally:
        for meter in meters.values():
            if meter.running.proc.poll() is None:
                meter.kill()
