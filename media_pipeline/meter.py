"""The meter that reads our outputs: the encoded files are decoded in this process
(``sound_graph``: ffmpeg's ``ebur128`` filter for integrated loudness and loudness range)
and ``true_peak`` finds the decoded sound's BS.1770 true peak. What is stored is a reading of
the real output, not of what went into the encoder."""

from __future__ import annotations

import math
from pathlib import Path
from typing import IO

import ffmpeg
import numpy as np

from . import ffmpeg_run, sound_graph
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
        self.error = _feed(pipe, self.peak)

    def failed(self) -> bool:
        return self.running.failed()

    def kill(self) -> None:
        self.running.kill()

    def finish(self) -> Loudness:
        stderr = self.running.finish()
        if self.error is not None:
            raise self.error
        measured = parse_summaries(stderr)[self.name]
        if self.peak is not None:
            measured.peak = _rounded_up(self.peak.dbtp)
        return measured


def _feed(pipe: IO[bytes], peak: TruePeakMeter) -> Exception | None:
    """Interleaved float PCM from ``pipe`` into ``peak`` until EOF; an error is returned
    (for the caller to raise) after draining, so ffmpeg never blocks on a full pipe."""
    frame_bytes = 4 * peak.channels
    read = lambda: pipe.read(FRAMES_PER_READ * frame_bytes)  # noqa: E731
    try:
        for block in iter(read, b""):
            usable = len(block) // frame_bytes * frame_bytes
            peak.feed(np.frombuffer(block[:usable], dtype=np.float32)
                      .reshape(-1, peak.channels))
    except Exception as exc:
        for _block in iter(read, b""):
            pass
        return exc
    return None


def _rounded_up(dbtp: float) -> float:
    """To 0.1 dB like ebur128's readings, never under-read."""
    return math.ceil(dbtp * 10) / 10 if math.isfinite(dbtp) else dbtp


def measure_files(paths: dict[str, Path], channels: dict[str, int], *,
                  true_peak: bool = True, duration: float = 0.0,
                  progress: ffmpeg_run.ProgressFn | None = None) -> dict[str, Loudness]:
    """Loudness (and, with ``true_peak``, BS.1770 true peak) of finished files, read in this
    process: each file's first sound track decoded once, pictures not at all. ``progress``
    (given the files' ``duration``) is called as the files are read, so a job's heartbeat
    goes on while it meters."""
    measured = {}
    for name, path in paths.items():
        branch = sound_graph.Branch(channels=channels[name] if true_peak else None)
        (reading,) = sound_graph.read(path, [branch], duration=duration, progress=progress)
        if true_peak:
            reading.peak = _rounded_up(reading.peak)
        else:
            reading.peak = None
        measured[name] = reading
    return measured
