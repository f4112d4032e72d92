"""The meter that reads our outputs: ffmpeg decodes the encoded files and measures
integrated loudness and loudness range with ``ebur128``; the decoded PCM comes back on a
pipe per file and ``true_peak`` finds its BS.1770 true peak. What is stored is a reading of
the real output, not of what went into the encoder."""

from __future__ import annotations

import contextlib
import math
import os
import shutil
import tempfile
import threading
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


class _PeakReader:
    """Reads one FIFO that ffmpeg writes decoded PCM to, on a thread of its own."""

    def __init__(self, fifo: Path, channels: int):
        self.fifo, self.peak = fifo, TruePeakMeter(channels)
        self.error: Exception | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        with self.fifo.open("rb") as pipe:  # blocks until ffmpeg opens its output
            self.error = _feed(pipe, self.peak)

    def release(self) -> None:
        """ffmpeg is gone: a reader still waiting for it to open the FIFO gets EOF."""
        if self.thread.is_alive():
            # OSError: it opened meanwhile, and ffmpeg's exit closed the other end.
            with contextlib.suppress(OSError):
                os.close(os.open(self.fifo, os.O_WRONLY | os.O_NONBLOCK))
        self.thread.join()


def measure_files(paths: dict[str, Path], channels: dict[str, int], *,
                  true_peak: bool = True, duration: float = 0.0,
                  progress: ffmpeg_run.ProgressFn | None = None,
                  scratch: Path | None = None) -> dict[str, Loudness]:
    """Loudness of finished files, all in one ffmpeg (one process start, each file's sound
    decoded once, pictures not at all); each file's PCM reaches numpy through a FIFO.
    ``progress`` (given the files' ``duration``) is called as ffmpeg reads them, so a job's
    heartbeat goes on while it meters. The FIFOs go in ``scratch`` (a job's folder), else
    in a temporary folder of their own."""
    names = list(paths)
    inputs = [ffmpeg.input(str(paths[name])) for name in names]
    folder = scratch or Path(tempfile.mkdtemp(prefix="loa-meter-"))
    readers: list[_PeakReader] = []
    try:
        outputs = []
        for index, (name, inp) in enumerate(zip(names, inputs, strict=True)):
            audio = ebur128(inp["a:0"], f"o{index}")
            if not true_peak:
                outputs.append(ffmpeg.output(audio, "-", f="null"))
                continue
            fifo = folder / f"meter-{index}.pcm"
            fifo.unlink(missing_ok=True)  # left by a killed attempt
            os.mkfifo(fifo)
            readers.append(_PeakReader(fifo, channels[name]))
            outputs.append(ffmpeg.output(audio, str(fifo), f="f32le", acodec="pcm_f32le",
                                         ac=channels[name]))
        stderr = ffmpeg_run.run(ffmpeg.merge_outputs(*outputs), duration=duration,
                                on_progress=progress)
    finally:
        for reader in readers:
            reader.release()
            reader.fifo.unlink(missing_ok=True)
        if scratch is None:
            shutil.rmtree(folder, ignore_errors=True)
    found = parse_summaries(stderr)
    measured = {name: found[f"o{index}"] for index, name in enumerate(names)}
    for name, reader in zip(names, readers, strict=False):
        if reader.error is not None:
            raise reader.error
        measured[name].peak = _rounded_up(reader.peak.dbtp)
    return measured
