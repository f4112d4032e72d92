"""Turn a package plan into a validated BagIt 1.0 bag (RFC 8493) serialised as one tar file.

The bag is assembled in a work folder (stored files hard-linked when the storage is local,
copied otherwise), made with the ``bagit`` library (SHA-512 and SHA-256 manifests and tag
manifests), declared BagIt 1.0, validated in full, then written as an uncompressed tar —
the media inside is already compressed. Any failure removes what was half-made."""

from __future__ import annotations

import errno
import os
import shutil
import tarfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import bagit
from django.utils.translation import gettext as _

from .contents import Package, SourceFile
from .exceptions import BaggingFailed, DiskFull, InvalidBag, MissingSource

CHECKSUMS = ["sha512", "sha256"]
BAGIT_TXT = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"

# bagit.py changes the process's working directory while it makes or saves a bag; one bag
# at a time, and the directory is put back whatever happens.
_BAGIT_LOCK = threading.Lock()


@contextmanager
def _bagit_session() -> Iterator[None]:
    with _BAGIT_LOCK:
        cwd = os.getcwd()
        try:
            yield
        finally:
            os.chdir(cwd)


def build_tar(package: Package, bag_info: dict[str, str], workdir: Path, tar_path: Path,
              bag_name: str, mtime: float) -> int:
    """Make, validate and serialise the bag; return the tar's size in bytes."""
    bag_dir = workdir / bag_name
    partial = tar_path.with_name(tar_path.name + ".partial")
    try:
        _remove(bag_dir)
        bag_dir.mkdir(parents=True)
        _assemble(package, bag_dir)
        with _bagit_session():
            bagit.make_bag(str(bag_dir), dict(bag_info), checksums=CHECKSUMS)
            _declare_version_1_0(bag_dir)
            bagit.Bag(str(bag_dir)).validate()
        _write_tar(bag_dir, partial, bag_name, mtime)
        os.replace(partial, tar_path)
        return tar_path.stat().st_size
    except bagit.BagValidationError as exc:
        raise InvalidBag(detail=_bag_errors(exc)) from exc
    except OSError as exc:
        _remove_file(partial)
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise DiskFull(detail=f"{exc.filename or workdir}: {exc.strerror}") from exc
        raise BaggingFailed(
            _("Không tạo được gói BagIt: %(error)s") % {"error": exc.strerror or exc},
            detail=repr(exc),
        ) from exc
    except bagit.BagError as exc:
        raise BaggingFailed(detail=str(exc)) from exc
    finally:
        _remove(bag_dir)


def _assemble(package: Package, bag_dir: Path) -> None:
    for source in package.files:
        _place(source, bag_dir / source.path)
    for path, content in package.generated_files().items():
        target = bag_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)


def _place(source: SourceFile, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    field_file = source.resolve()
    local_path = _local_path(field_file)
    if local_path is not None:
        if not os.path.exists(local_path):
            raise MissingSource(
                _("Thiếu tệp nguồn %(name)s trong kho lưu trữ, không tạo được gói.")
                % {"name": field_file.name},
                detail=local_path,
            )
        try:
            os.link(local_path, target)  # same filesystem: no copy at all
            return
        except OSError as exc:
            if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.EACCES):
                raise
    try:
        source_fh = field_file.storage.open(field_file.name, "rb")
    except FileNotFoundError as exc:
        raise MissingSource(
            _("Thiếu tệp nguồn %(name)s trong kho lưu trữ, không tạo được gói.")
            % {"name": field_file.name},
            detail=str(exc),
        ) from exc
    with source_fh, open(target, "wb") as out:
        shutil.copyfileobj(source_fh, out, 1024 * 1024)


def _local_path(field_file) -> str | None:
    try:
        return field_file.path
    except NotImplementedError:  # remote storage (S3): stream it
        return None


def _declare_version_1_0(bag_dir: Path) -> None:
    """bagit.py writes "BagIt-Version: 0.97"; the Ministry asked for RFC 8493 (1.0). Bump the
    declaration and let bagit recompute the tag manifests that cover bagit.txt."""
    (bag_dir / "bagit.txt").write_text(BAGIT_TXT, encoding="utf-8")
    bagit.Bag(str(bag_dir)).save(manifests=False)


def _write_tar(bag_dir: Path, tar_path: Path, bag_name: str, mtime: float) -> None:
    """A reproducible tar: sorted names, fixed owner and time."""

    def normalise(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        info.mtime = int(mtime)
        info.mode = 0o755 if info.isdir() else 0o644
        return info

    with tarfile.open(tar_path, "w", format=tarfile.PAX_FORMAT) as tar:
        for path in sorted(_walk(bag_dir)):
            rel = path.relative_to(bag_dir).as_posix()
            arcname = f"{bag_name}/{rel}" if rel != "." else bag_name
            tar.add(path, arcname=arcname, recursive=False, filter=normalise)


def _walk(root: Path) -> Iterator[Path]:
    yield root
    for dirpath, dirnames, filenames in os.walk(root):
        for name in [*dirnames, *filenames]:
            yield Path(dirpath) / name


def _bag_errors(exc: bagit.BagValidationError) -> str:
    details = [str(d) for d in getattr(exc, "details", [])]
    return "; ".join([str(exc.message), *details])[:4000]


def _remove(path: Path) -> None:
    if path.exists():
        shutil.rmtree(path)


def _remove_file(path: Path) -> None:
    path.unlink(missing_ok=True)
