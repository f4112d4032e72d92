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
import tarfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import bagit

from .bagging import bagit_session
from .exceptions import CorruptPayload

VERIFY_ALGORITHM = "sha256"  # the cheaper of the bag's two (SHA-NI): one pass per file
COPY_BUFFER = 1024 * 1024
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


class _VerifyingReader:
    """Hands the file to tarfile and hashes what it reads."""

    def __init__(self, fh, member: Member):
        self.fh, self.member = fh, member
        self.hasher = hashlib.new(VERIFY_ALGORITHM)

    def read(self, size: int = -1) -> bytes:
        data = self.fh.read(size)
        self.hasher.update(data)
        return data

    def check(self) -> None:
        found = self.hasher.hexdigest()
        if self.member.expected and found != self.member.expected:
            raise CorruptPayload(detail=f"{self.member.info.name}: {VERIFY_ALGORITHM} "
                                        f"{self.member.expected} in the manifest, {found} read")


class PartWriter:
    """A write-only file for tarfile that hands on every ``part_size`` bytes."""

    def __init__(self, part_size: int, emit: Callable[[int, bytes], None]):
        self.part_size, self.emit = part_size, emit
        self.buffer = bytearray()
        self.position = 0
        self.parts = 0

    def write(self, data) -> int:
        self.buffer += data
        self.position += len(data)
        while len(self.buffer) >= self.part_size:
            self._hand_on(bytes(self.buffer[:self.part_size]))
            del self.buffer[:self.part_size]
        return len(data)

    def tell(self) -> int:
        return self.position

    def finish(self) -> None:
        if self.buffer or not self.parts:
            self._hand_on(bytes(self.buffer))
            self.buffer.clear()

    def _hand_on(self, data: bytes) -> None:
        self.parts += 1
        self.emit(self.parts, data)


def stream_tar(layout: TarLayout, part_size: int, emit: Callable[[int, bytes], None]) -> None:
    """Write the tar through ``emit(part number, bytes)``; raise CorruptPayload when a file
    no longer matches the bag's manifests."""
    sink = PartWriter(part_size, emit)
    with tarfile.open(fileobj=sink, mode="w", format=tarfile.PAX_FORMAT, encoding=ENCODING,
                      errors=ERRORS, copybufsize=COPY_BUFFER) as tar:
        for member in layout.members:
            if member.path is None:
                tar.addfile(member.info)
                continue
            with open(member.path, "rb") as fh:
                if os.fstat(fh.fileno()).st_size != member.info.size:
                    raise CorruptPayload(detail=f"{member.info.name}: size changed since "
                                                f"bagging ({member.info.size} bytes before)")
                reader = _VerifyingReader(fh, member)
                tar.addfile(member.info, reader)
                reader.check()
    sink.finish()
    if sink.position != layout.size:
        raise CorruptPayload(detail=f"tar of {sink.position} bytes, {layout.size} planned")
