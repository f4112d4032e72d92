"""Run one ffmpeg command built with ffmpeg-python: progress from ``-progress``, the stderr
tail kept for the admin, failures classified as bad input or transient, and a child that
dies with its worker (so a killed worker leaves no ffmpeg writing files behind)."""

from __future__ import annotations

import collections
import ctypes
import signal
import subprocess
import threading
from collections.abc import Callable
from typing import IO

import ffmpeg

from .exceptions import EncodeFailed, TransientError, TruncatedMedia

ProgressFn = Callable[[float], None]  # fraction 0..1 of this command; may raise to stop it

STDERR_TAIL_LINES = 400
# stderr phrases meaning the machine failed, not the file: worth a retry.
TRANSIENT_MARKERS = (
    "No space left on device",
    "Cannot allocate memory",
    "Resource temporarily unavailable",
    "Connection reset",
    "Connection refused",
    "Input/output error",
)
# stderr phrases meaning the data stops before the container says it does.
TRUNCATION_MARKERS = ("partial file", "Truncating packet", "stream ends prematurely",
                      "Packet corrupt", "invalid frame size")
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """In the child, before exec: ask Linux to SIGKILL us when the worker dies."""
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def command(stream_spec, *, progress: bool = True) -> list[str]:
    args = ffmpeg.compile(stream_spec, cmd="ffmpeg", overwrite_output=True)
    report = ["-progress", "pipe:1"] if progress else []
    return [args[0], "-nostdin", "-hide_banner", "-nostats", *report, *args[1:]]


def _read_tail(pipe, tail: collections.deque) -> None:
    for raw in iter(pipe.readline, b""):
        tail.append(raw.decode("utf-8", "replace").rstrip("\n"))


class Running:
    """An ffmpeg started in the background (a meter reading a FIFO beside the encoder).
    ``on_stdout``, when given, consumes what ffmpeg writes to ``pipe:1`` (decoded PCM) on
    a thread of its own."""

    def __init__(self, stream_spec, on_stdout: Callable[[IO[bytes]], None] | None = None):
        self.proc = subprocess.Popen(
            command(stream_spec, progress=False),
            stdout=subprocess.PIPE if on_stdout else subprocess.DEVNULL,
            stderr=subprocess.PIPE, preexec_fn=_die_with_parent)
        self.tail: collections.deque = collections.deque(maxlen=STDERR_TAIL_LINES)
        self.readers = [threading.Thread(target=_read_tail, args=(self.proc.stderr, self.tail),
                                         daemon=True)]
        if on_stdout:
            self.readers.append(threading.Thread(target=on_stdout, args=(self.proc.stdout,),
                                                 daemon=True))
        for reader in self.readers:
            reader.start()

    def _join(self) -> None:
        for reader in self.readers:
            reader.join(timeout=10)

    def finish(self) -> str:
        self.proc.wait()
        self._join()
        stderr = "\n".join(self.tail)
        if self.proc.returncode != 0:
            raise classify_failure(self.proc.returncode, stderr)
        return stderr

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait()
        self._join()

    def failed(self) -> bool:
        return self.proc.poll() not in (None, 0)


def run(stream_spec, *, duration: float, on_progress: ProgressFn | None = None,
        on_start: Callable[[subprocess.Popen], None] | None = None) -> str:
    """Run ``stream_spec``; return its stderr tail. ``duration`` (seconds of output
    expected) turns ffmpeg's out_time into a fraction."""
    args = command(stream_spec)
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=_die_with_parent)
    if on_start:
        on_start(proc)
    tail: collections.deque = collections.deque(maxlen=STDERR_TAIL_LINES)
    reader = threading.Thread(target=_read_tail, args=(proc.stderr, tail), daemon=True)
    reader.start()
    try:
        _follow_progress(proc, duration, on_progress)
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    finally:
        reader.join(timeout=10)
    stderr = "\n".join(tail)
    if proc.returncode != 0:
        raise classify_failure(proc.returncode, stderr)
    return stderr


def _follow_progress(proc: subprocess.Popen, duration: float,
                     on_progress: ProgressFn | None) -> None:
    for raw in iter(proc.stdout.readline, b""):
        key, _sep, value = raw.decode("ascii", "replace").strip().partition("=")
        if key == "out_time_us" and on_progress and duration > 0 and value.isdigit():
            on_progress(min(1.0, int(value) / 1e6 / duration))
    proc.wait()


def classify_failure(returncode: int, stderr: str) -> Exception:
    tail = stderr[-4000:]
    if returncode < 0 or any(marker in stderr for marker in TRANSIENT_MARKERS):
        return TransientError(detail=f"ffmpeg exit {returncode}\n{tail}")
    if any(marker in stderr for marker in TRUNCATION_MARKERS):
        return TruncatedMedia(detail=tail)
    return EncodeFailed(detail=f"ffmpeg exit {returncode}\n{tail}")

