"""A bag as a reproducible tar stream, cut into upload parts, every file verified on the way.

The tar is never written to disk: its members (sorted names, fixed owner, mode and time) are
laid out once from the bag folder, which gives its exact size before a byte is read, and
the same bytes come out on every run — so a resumed upload can skip the parts the object
store already holds. As each file streams, its SHA-256 is compared with the bag's manifest
(payload) or tag manifest (tag files); a mismatch stops the stream before the upload is
completed, so nothing corrupt ever appears under the final key."""

from __future__ import annotations

import hashlib
import os
import queue
import tarfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import bagit

from .bagging import bagit_session
from .exceptions import CorruptPayload

VERIFY_ALGORITHM = "sha256"  # the cheaper of the bag's two (SHA-NI): one pass per file
ENCODING, ERRORS = "utf-8", "surrogateescape"


@dataclass(frozen=True)
class Member:
    info: tarfile.TarInfo
    path: Path | None  # None: a directory
    expected: str  # hex digest from the (tag) manifest; "" when none covers the file


@dataclass(frozen=True)
class TarLayout:
    members: list[Member]
    size: int


def tar_layout(bag_dir: Path, bag_name: str, mtime: float) -> TarLayout:
    with bagit_session():
        entries = bagit.Bag(str(bag_dir)).entries
    members = []
    for path in _walk(bag_dir):
        rel = path.relative_to(bag_dir).as_posix()
        info = tarfile.TarInfo(f"{bag_name}/{rel}" if rel != "." else bag_name)
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        info.mtime = int(mtime)
        if path.is_dir():
            info.type, info.mode = tarfile.DIRTYPE, 0o755
            members.append(Member(info, None, ""))
        else:
            info.size, info.mode = path.stat().st_size, 0o644
            digests = entries.get(os.path.normpath(rel), {})
            members.append(Member(info, path, digests.get(VERIFY_ALGORITHM, "")))
    return TarLayout(members, _tar_size(members))


def _walk(root: Path) -> Iterator[Path]:
    found = [root]
    for dirpath, dirnames, filenames in os.walk(root):
        found.extend(Path(dirpath) / name for name in [*dirnames, *filenames])
    return iter(sorted(found))


def _blocks(size: int) -> int:
    return -(-size // tarfile.BLOCKSIZE) * tarfile.BLOCKSIZE


def _tar_size(members: list[Member]) -> int:
    """What ``tarfile`` writes: each header and its data padded to 512-byte blocks, two
    zero blocks at the end, the whole padded to a 10240-byte record."""
    body = sum(len(m.info.tobuf(tarfile.PAX_FORMAT, ENCODING, ERRORS)) + _blocks(m.info.size)
               for m in members) + 2 * tarfile.BLOCKSIZE
    return -(-body // tarfile.RECORDSIZE) * tarfile.RECORDSIZE


class PartBuffer:
    """Fills one part at a time — file data is read straight into it (``readinto``), so
    each byte is copied once — and hands each full part on. Buffers given back through
    ``free`` are reused: a fresh 8 MiB buffer costs thousands of page faults."""

    def __init__(self, part_size: int, emit: Callable[[int, bytearray], None],
                 free: queue.SimpleQueue | None = None):
        self.part_size, self.emit = part_size, emit
        self.free = free if free is not None else queue.SimpleQueue()
        self.part = self._buffer()
        self.filled = 0
        self.parts = 0
        self.position = 0

    def window(self, limit: int) -> memoryview:
        """Free space of the current part, at most ``limit`` bytes (hands on a full part)."""
        if self.filled == self.part_size:
            self._hand_on()
        end = min(self.part_size, self.filled + limit)
        return memoryview(self.part)[self.filled:end]

    def advance(self, count: int) -> None:
        self.filled += count
        self.position += count

    def write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            window = self.window(len(view))
            window[:] = view[:len(window)]
            self.advance(len(window))
            view = view[len(window):]

    def finish(self) -> None:
        if self.filled or not self.parts:
            last = bytearray(self.part[:self.filled])
            self.free.put(self.part)
            self.part = last
            self._hand_on(last_part=True)

    def _buffer(self) -> bytearray:
        while True:
            try:
                buffer = self.free.get_nowait()
            except queue.Empty:
                return bytearray(self.part_size)
            if len(buffer) == self.part_size:
                return buffer

    def _hand_on(self, last_part: bool = False) -> None:
        self.parts += 1
        part, self.filled = self.part, 0
        self.part = None if last_part else self._buffer()
        self.emit(self.parts, part)


def stream_tar(layout: TarLayout, part_size: int, emit: Callable[[int, bytearray], None],
               free: queue.SimpleQueue | None = None) -> None:
    """Write the tar (the bytes ``tarfile`` would write for these members) through
    ``emit(part number, bytes)``, reusing the buffers put back into ``free``; raise
    CorruptPayload when a file no longer matches the bag's manifests."""
    out = PartBuffer(part_size, emit, free)
    for member in layout.members:
        out.write(member.info.tobuf(tarfile.PAX_FORMAT, ENCODING, ERRORS))
        if member.path is not None:
            _copy_verified(member, out)
            out.write(tarfile.NUL * (_blocks(member.info.size) - member.info.size))
    out.write(tarfile.NUL * (2 * tarfile.BLOCKSIZE))
    out.write(tarfile.NUL * (layout.size - out.position))  # to a whole tar record
    out.finish()
    if out.position != layout.size:
        raise CorruptPayload(detail=f"tar of {out.position} bytes, {layout.size} planned")


def _copy_verified(member: Member, out: PartBuffer) -> None:
    name, size = member.info.name, member.info.size
    hasher = hashlib.new(VERIFY_ALGORITHM)
    with open(member.path, "rb", buffering=0) as fh:
        if os.fstat(fh.fileno()).st_size != size:
            raise CorruptPayload(detail=f"{name}: size changed since bagging ({size} before)")
        remaining = size
        while remaining:
            window = out.window(remaining)
            count = fh.readinto(window)
            if not count:
                raise CorruptPayload(detail=f"{name}: shorter than when bagged")
            hasher.update(window[:count])
            out.advance(count)
            remaining -= count
    found = hasher.hexdigest()
    if member.expected and found != member.expected:
        raise CorruptPayload(detail=f"{name}: {VERIFY_ALGORITHM} {member.expected} in the "
                                    f"manifest, {found} read")
