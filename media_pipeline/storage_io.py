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


def hls_folder(source_id: int) -> str:
    """HLS files live in their own tree so the private-media gate can map every segment
    to its source (see media_pipeline.access)."""
    return f"media/renditions/hls/{source_id}"


def store_bundle(folder: Path, source_id: int, *, exclude: Path) -> str:
    """Move every file under ``folder`` (except ``exclude``, the entry file the caller
    stores last) to a fresh versioned prefix; return that prefix."""
    import uuid

    prefix = f"{hls_folder(source_id)}/{uuid.uuid4().hex[:12]}"
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p != exclude):
        name = f"{prefix}/{path.relative_to(folder).as_posix()}"
        stored = move_in_place(path, name)
        if stored != name:
            raise OSError(f"storage renamed {name} to {stored}")
    return prefix


def _walk(prefix: str) -> list[str]:
    try:
        folders, files = default_storage.listdir(prefix)
    except FileNotFoundError:
        return []
    names = [posixpath.join(prefix, f) for f in files]
    for folder in folders:
        names += _walk(posixpath.join(prefix, folder))
    return names


def delete_bundle(prefix: str) -> None:
    for name in _walk(prefix):
        default_storage.delete(name)


def sweep_bundles(source_id: int, keep: set[str]) -> None:
    """Delete HLS versions no rendition points at (an older one, or a killed attempt's)."""
    root = hls_folder(source_id)
    kept = {name.rsplit("/", 1)[0] for name in keep if name.startswith(root + "/")}
    try:
        versions = default_storage.listdir(root)[0]
    except FileNotFoundError:
        return
    for version in versions:
        prefix = f"{root}/{version}"
        if prefix not in kept:
            delete_bundle(prefix)


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
