"""Turn a package plan into a BagIt 1.0 bag (RFC 8493) in the spool folder.

Each payload file is placed in the bag — hard-linked when the storage is a local folder on
the same filesystem, copied otherwise — and read exactly once, computing SHA-512 and
SHA-256 together (files in parallel threads: hashlib releases the GIL). The manifests are
written from those digests in bagit's own line format, and bagit itself writes
``bag-info.txt`` (with Payload-Oxum) and the tag manifests (``Bag.save``). bagit then checks
structure, ``bagit.txt``, Payload-Oxum and completeness without hashing again; the digests
are verified once more as the tar streams to the object store (``package_stream``).

A stored SHA-256 (renditions have one) must equal the digest read, so a corrupted storage
file is caught here at no extra cost. The bag is built under ``<name>.building`` and renamed
when complete: a bag under its final name is whole. Any failure removes what was half-made."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import bagit
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from .contents import Package, SourceFile
from .exceptions import BaggingFailed, CorruptSource, DiskFull, InvalidBag, MissingSource

CHECKSUMS = ("sha512", "sha256")
BAGIT_TXT = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
BLOCK = 1024 * 1024
HASH_THREADS = 2

# bagit.py changes the process's working directory while it saves a bag; one bag at a
# time, and the directory is put back whatever happens.
_BAGIT_LOCK = threading.Lock()


@contextmanager
def bagit_session() -> Iterator[None]:
    with _BAGIT_LOCK:
        cwd = os.getcwd()
        try:
            yield
        finally:
            os.chdir(cwd)


@dataclass(frozen=True)
class PayloadFile:
    path: str  # "data/…", as in the manifests
    size: int
    digests: dict[str, str]  # algorithm → hex digest


def build_bag(package: Package, bag_info: dict[str, str], bag_dir: Path) -> Path:
    """Make the bag at ``bag_dir`` (replacing a half-made one); return its path."""
    building = bag_dir.with_name(bag_dir.name + ".building")
    try:
        _remove(building)
        (building / "data").mkdir(parents=True)
        payload = _assemble(package, building)
        _write_tag_files(building, payload, bag_info)
        os.rename(building, bag_dir)
        return bag_dir
    except bagit.BagValidationError as exc:
        raise InvalidBag(detail=_bag_errors(exc)) from exc
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise DiskFull(detail=f"{exc.filename or bag_dir}: {exc.strerror}") from exc
        raise BaggingFailed(
            _("Không tạo được gói BagIt: %(error)s") % {"error": exc.strerror or exc},
            detail=repr(exc),
        ) from exc
    except bagit.BagError as exc:
        raise BaggingFailed(detail=str(exc)) from exc
    finally:
        _remove(building)


# --- payload ---------------------------------------------------------------------------
def _assemble(package: Package, bag_dir: Path) -> list[PayloadFile]:
    # Field files are resolved here, in the caller's thread (a thumbnail may touch the
    # database); only reading, linking and hashing go to the threads.
    resolved = [(source, source.resolve()) for source in package.files]
    with ThreadPoolExecutor(max_workers=HASH_THREADS, thread_name_prefix="bag-hash") as pool:
        payload = list(pool.map(lambda pair: _place(*pair, bag_dir), resolved))
    for path, content in package.generated_files().items():
        target = bag_dir / "data" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        payload.append(PayloadFile(f"data/{path}", len(content),
                                   {alg: hashlib.new(alg, content).hexdigest()
                                    for alg in CHECKSUMS}))
    return payload


def _place(source: SourceFile, field_file: FieldFile, bag_dir: Path) -> PayloadFile:
    """Link or copy one stored file into the bag, reading it once for both digests."""
    target = bag_dir / "data" / source.path
    target.parent.mkdir(parents=True, exist_ok=True)
    local_path = _local_path(field_file)
    if local_path is not None and _link(local_path, field_file.name, target):
        with open(target, "rb") as fh:
            size, digests = _hash_stream(fh, None)
    else:
        size, digests = _copy(field_file, target)
    if source.sha256 and digests["sha256"] != source.sha256:
        raise CorruptSource(
            _("Tệp nguồn %(name)s đã bị hỏng: mã SHA-256 không khớp với mã lưu khi tạo tệp.")
            % {"name": field_file.name},
            detail=f"{field_file.name}: stored {source.sha256}, read {digests['sha256']}",
        )
    return PayloadFile(f"data/{source.path}", size, digests)


def _link(local_path: str, name: str, target: Path) -> bool:
    if not os.path.exists(local_path):
        raise _missing(name, local_path)
    try:
        os.link(local_path, target)  # same filesystem: no copy at all
        return True
    except OSError as exc:
        if exc.errno in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.EACCES):
            return False
        raise


def _copy(field_file: FieldFile, target: Path) -> tuple[int, dict[str, str]]:
    try:
        source_fh = field_file.storage.open(field_file.name, "rb")
    except FileNotFoundError as exc:
        raise _missing(field_file.name, str(exc)) from exc
    with source_fh, open(target, "wb") as out:
        return _hash_stream(source_fh, out)


def _hash_stream(fh, out) -> tuple[int, dict[str, str]]:
    hashers = {alg: hashlib.new(alg) for alg in CHECKSUMS}
    size = 0
    while block := fh.read(BLOCK):
        size += len(block)
        for hasher in hashers.values():
            hasher.update(block)
        if out is not None:
            out.write(block)
    return size, {alg: h.hexdigest() for alg, h in hashers.items()}


def _missing(name: str, detail: str) -> MissingSource:
    return MissingSource(
        _("Thiếu tệp nguồn %(name)s trong kho lưu trữ, không tạo được gói.") % {"name": name},
        detail=detail,
    )


def _local_path(field_file: FieldFile) -> str | None:
    try:
        return field_file.path
    except NotImplementedError:  # remote storage (S3): stream it
        return None


# --- tag files -------------------------------------------------------------------------
def manifest_name(path: str) -> str:
    """A payload path as a manifest line holds it: CR and LF percent-encoded, exactly as
    bagit.py writes (and decodes) them, so its validation reads our manifests."""
    return path.replace("\r", "%0D").replace("\n", "%0A")


def _write_tag_files(bag_dir: Path, payload: list[PayloadFile],
                     bag_info: dict[str, str]) -> None:
    """Manifests from the digests already computed; bagit writes bag-info.txt and the tag
    manifests and checks the bag's structure, Payload-Oxum and completeness."""
    payload = sorted(payload, key=lambda f: f.path)
    for alg in CHECKSUMS:
        lines = "".join(f"{f.digests[alg]}  {manifest_name(f.path)}\n"
                        for f in payload)
        (bag_dir / f"manifest-{alg}.txt").write_text(lines, encoding="utf-8")
    (bag_dir / "bagit.txt").write_text(BAGIT_TXT, encoding="utf-8")
    oxum = f"{sum(f.size for f in payload)}.{len(payload)}"
    with bagit_session():
        bag = bagit.Bag(str(bag_dir))
        bag.info = {**bag_info, "Payload-Oxum": oxum}
        bag.save(manifests=False)
        bagit.Bag(str(bag_dir)).validate(completeness_only=True)


def _bag_errors(exc: bagit.BagValidationError) -> str:
    details = [str(d) for d in getattr(exc, "details", [])]
    return "; ".join([str(exc.message), *details])[:4000]


def _remove(path: Path) -> None:
    if path.exists():
        shutil.rmtree(path)
