"""The media side: every file in the default storage (local folder or bucket), read through
Django's storage API so both look the same, hashed while it is copied."""

from __future__ import annotations

import hashlib
import posixpath
import tempfile
from collections.abc import Iterator
from typing import BinaryIO

from django.core.files import File
from django.core.files.storage import default_storage

from .exceptions import BackupError

CHUNK = 1024 * 1024


class HashingReader:
    """Wraps a readable stream; counts and hashes what passes through."""

    def __init__(self, stream: BinaryIO):
        self.stream = stream
        self.sha256 = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        block = self.stream.read(size)
        self.sha256.update(block)
        self.size += len(block)
        return block


def stored_names(prefix: str = "") -> Iterator[str]:
    """Every file name in the default storage, folders walked depth first."""
    try:
        folders, files = default_storage.listdir(prefix)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield posixpath.join(prefix, name) if prefix else name
    for folder in sorted(folders):
        yield from stored_names(posixpath.join(prefix, folder) if prefix else folder)


def verified_copy(stream: BinaryIO, sha256: str) -> tempfile.SpooledTemporaryFile:
    """The stream's bytes in a temporary file, once their digest is the expected one."""
    from .exceptions import DigestMismatch

    spool = tempfile.SpooledTemporaryFile(max_size=8 * CHUNK)  # noqa: SIM115 (returned open)
    reader = HashingReader(stream)
    while block := reader.read(CHUNK):
        spool.write(block)
    if reader.sha256.hexdigest() != sha256:
        spool.close()
        raise DigestMismatch
    spool.seek(0)
    return spool


def put(name: str, content: BinaryIO) -> None:
    """Store ``content`` under exactly ``name`` (restore goes into an empty storage)."""
    stored = default_storage.save(name, File(content, name=posixpath.basename(name)))
    if stored != name:
        default_storage.delete(stored)
        raise BackupError(detail=f"storage renamed {name} to {stored}")
