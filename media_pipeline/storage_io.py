"""Files in and out of storage: a local path for the source, outputs moved in place only
when complete, checksums, and a sweep of files no rendition points at (left by a worker
killed between moving a file and recording it)."""

from __future__ import annotations

import contextlib
import hashlib
import posixpath
import shutil
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils.text import slugify

CHUNK = 1024 * 1024


def work_root() -> Path:
    """Local scratch space for ffmpeg; beside MEDIA_ROOT so a finished file is renamed (not
    copied) into storage."""
    configured = getattr(settings, "LOA_MEDIA_WORK_DIR", None)
    return Path(configured) if configured else Path(settings.MEDIA_ROOT).parent / "media-work"


def job_workdir(job_id: int, token: str) -> Path:
    return work_root() / f"job-{job_id}-{token}"


def remove_workdirs(job_id: int) -> None:
    """Remove every scratch folder of this job on this machine, from any earlier attempt."""
    root = work_root()
    if root.is_dir():
        for path in root.glob(f"job-{job_id}-*"):
            shutil.rmtree(path, ignore_errors=False)


def safe_stem(name: str) -> str:
    """An ASCII file stem from an editor's file name ("Bản tin Đồng Đăng.mp3")."""
    stem = Path(name).stem.replace("đ", "d").replace("Đ", "D")
    return slugify(stem)[:80] or "media"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


class _FinishedFile(File):
    """A complete local file; FileSystemStorage renames it into place (atomic on one
    file system) instead of copying it chunk by chunk."""

    def temporary_file_path(self) -> str:
        return self.name


def move_in_place(local: Path, name: str) -> str:
    """Store ``local`` under ``name``; return the name storage chose."""
    with local.open("rb") as fh:
        stored = default_storage.save(name, _FinishedFile(fh, name=str(local)))
    local.unlink(missing_ok=True)  # a copying storage (S3) leaves the scratch file behind
    return stored


@contextlib.contextmanager
def local_source(name: str, workdir: Path) -> Iterator[Path]:
    """A local path to a stored original: the file itself on local storage, a scratch copy
    otherwise (object storage)."""
    try:
        yield Path(default_storage.path(name))
        return
    except NotImplementedError:
        pass
    copy = workdir / f"source{Path(name).suffix[:10]}"
    with default_storage.open(name, "rb") as src, copy.open("wb") as dst:
        shutil.copyfileobj(src, dst, CHUNK)
    yield copy


def rendition_folder(source_id: int) -> str:
    return f"media/renditions/{source_id}"


def sweep_orphans(source_id: int, keep: set[str]) -> list[str]:
    """Delete stored files under the source's rendition folder that ``keep`` does not name."""
    removed = []
    root = rendition_folder(source_id)
    try:
        folders, _files = default_storage.listdir(root)
    except FileNotFoundError:
        return removed
    for folder in folders:
        base = posixpath.join(root, folder)
        for filename in default_storage.listdir(base)[1]:
            name = posixpath.join(base, filename)
            if name not in keep:
                default_storage.delete(name)
                removed.append(name)
    return removed
