"""Loudness read in this process (PyAV): one sound track decoded once, split into branches
(each a chain of ffmpeg filters — channel layout, gain, limiter), each branch read by
ffmpeg's own ``ebur128`` filter (its readings come as frame metadata) and, where asked, by
``true_peak``. On the short clips districts upload, an ffmpeg process per reading cost more
than the reading itself (its start and its probing of the file)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import av
import numpy as np

from .exceptions import EncodeFailed
from .loudness import Loudness
from .true_peak import TruePeakMeter

Filter = tuple[str, str | dict]
# A heartbeat at most every this many seconds of sound read.
PROGRESS_EVERY_SECONDS = 5.0
# ebur128 hands out 100-ms frames; the true-peak meter is fed in blocks of at least this
# many sample frames (its cost per call is mostly fixed).
TRUE_PEAK_BLOCK = 65536


@dataclass
class Branch:
    """One reading: ``filters`` after the shared head, then ebur128; ``channels`` mixes to
    that many channels for the true peak (None: no true peak, the sample peak only)."""

    filters: Sequence[Filter] = ()
    channels: int | None = None
    integrated: float = -70.0
    loudness_range: float | None = None
    sample_peak: float = 0.0
    true_peak: TruePeakMeter | None = field(default=None, repr=False)
    pending: list[np.ndarray] = field(default_factory=list, repr=False)
    pending_frames: int = 0

    def feed(self, samples: np.ndarray) -> None:
        """Samples for the true-peak meter, passed on in blocks."""
        self.pending.append(samples)
        self.pending_frames += len(samples)
        if self.pending_frames >= TRUE_PEAK_BLOCK:
            self.flush()

    def flush(self) -> None:
        if self.pending and self.true_peak is not None:
            self.true_peak.feed(np.concatenate(self.pending))
        self.pending, self.pending_frames = [], 0

    def reading(self) -> Loudness:
        self.flush()
        if self.true_peak is not None:
            peak = self.true_peak.dbtp
        else:
            peak = 20 * np.log10(self.sample_peak) if self.sample_peak > 0 else -np.inf
        return Loudness(self.integrated, self.loudness_range, float(peak))


def _args(options: str | dict) -> str:
    if isinstance(options, str):
        return options
    return ":".join(f"{key}={value}" for key, value in options.items())


class _Graph:
    """abuffer → head → asplit → per branch: filters, ebur128, float samples → sink."""

    def __init__(self, frame: av.AudioFrame, head: Sequence[Filter], branches: list[Branch]):
        self.graph = av.filter.Graph()
        source = self.graph.add_abuffer(format=frame.format.name, sample_rate=frame.sample_rate,
                                        layout=frame.layout.name, time_base=frame.time_base)
        last = source
        for name, options in head:
            last = self._chain(last, name, options)
        if len(branches) > 1:
            split = self.graph.add("asplit", str(len(branches)))
            last.link_to(split)
        self.sinks = []
        for index, branch in enumerate(branches):
            node = split if len(branches) > 1 else last
            output = index if len(branches) > 1 else 0
            for position, (name, options) in enumerate(branch.filters):
                made = self.graph.add(name, _args(options))
                node.link_to(made, output if position == 0 else 0)
                node, output = made, 0
            meter = self.graph.add("ebur128", "metadata=1")
            node.link_to(meter, output)
            layout = f":channel_layouts={'mono' if branch.channels == 1 else 'stereo'}" \
                if branch.channels else ""
            node = self._chain(meter, "aformat", f"sample_fmts=flt{layout}")
            sink = self.graph.add("abuffersink")
            node.link_to(sink)
            self.sinks.append(sink)
        self.graph.configure()
        self.source = source

    def _chain(self, node, name: str, options: str | dict):
        made = self.graph.add(name, _args(options))
        node.link_to(made)
        return made

    def push(self, frame: av.AudioFrame | None, branches: list[Branch]) -> None:
        self.source.push(frame)
        for sink, branch in zip(self.sinks, branches, strict=True):
            while True:
                try:
                    out = sink.pull()
                except (av.BlockingIOError, av.EOFError):
                    break
                _read(out, branch)


def _read(frame: av.AudioFrame, branch: Branch) -> None:
    meta = frame.metadata
    if "lavfi.r128.I" in meta:  # the integrated loudness so far: the last one is the file's
        branch.integrated = float(meta["lavfi.r128.I"])
        branch.loudness_range = float(meta["lavfi.r128.LRA"])
    samples = frame.to_ndarray().reshape(-1, frame.layout.nb_channels)
    if samples.size:
        branch.sample_peak = max(branch.sample_peak, float(np.abs(samples).max()))
        if branch.true_peak is not None:
            branch.feed(samples)


def read(path: Path, branches: list[Branch], *, stream_index: int | None = None,
         head: Sequence[Filter] = (), on_picture_clock: bool = False, duration: float = 0.0,
         progress: Callable[[float], None] | None = None) -> list[Loudness]:
    """Decode one sound track of ``path`` (``stream_index``, absolute; None: the first) and
    read every branch. ``on_picture_clock`` puts its timestamps on the file's clock as the
    ffmpeg command line does (the file's start time subtracted), so ``head`` filters such
    as ``aresample=async=1:first_pts=0`` pad a late start with silence as there."""
    for branch in branches:
        branch.true_peak = TruePeakMeter(branch.channels) if branch.channels else None
    try:
        with av.open(str(path)) as container:
            stream = (container.streams.audio[0] if stream_index is None
                      else container.streams[stream_index])
            offset = 0
            if on_picture_clock and container.start_time is not None and stream.time_base:
                offset = round(container.start_time / av.time_base / stream.time_base)
            _decode(container, stream, offset, head, branches, duration, progress)
    except av.FFmpegError as exc:
        raise EncodeFailed(detail=f"reading the sound of {path.name}: {exc}") from exc
    return [branch.reading() for branch in branches]


def _decode(container, stream, offset: int, head: Sequence[Filter], branches: list[Branch],
            duration: float, progress: Callable[[float], None] | None) -> None:
    graph: _Graph | None = None
    reported = 0.0
    for packet in container.demux(stream):
        try:
            frames = packet.decode()
        except av.InvalidDataError:
            continue  # a damaged packet: the command line skips it too
        for frame in frames:
            if frame.pts is not None:
                frame.pts -= offset
            if graph is None:
                graph = _Graph(frame, head, branches)
            graph.push(frame, branches)
            if progress and duration > 0 and frame.time is not None \
                    and frame.time - reported >= PROGRESS_EVERY_SECONDS:
                reported = frame.time
                progress(min(1.0, frame.time / duration))
    if graph is not None:
        graph.push(None, branches)
