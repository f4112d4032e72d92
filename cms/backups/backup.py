"""Backup, check and restore of a whole installation: the database and every media file,
with a manifest of SHA-256 digests written last.

Order matters for consistency while the site and the workers keep writing: the database
snapshot is taken first, then the media are copied. A file a row names at the snapshot was
already in storage (the pipeline moves a file in place before it commits the row naming it),
so it is in the copy unless it was deleted in between; ``consistency.repair`` deals with
those on restore. Files newer than the snapshot are copied too and are harmless."""

from __future__ import annotations

import datetime
import io
import json
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from botocore.exceptions import ClientError
from django.utils.translation import gettext as _

from . import consistency, database
from .exceptions import DigestMismatch, NoBackup, NotEmpty
from .media import HashingReader, put, stored_names, verified_copy
from .targets import MANIFEST, PREFIX, Target

FORMAT = 1
MEDIA_FOLDER = "media/"
Say = Callable[[str], None]


@dataclass
class Manifest:
    name: str
    created: str
    database: str  # the dump's file name; its vendor follows from it
    vendor: str
    files: dict[str, dict] = field(default_factory=dict)  # path -> {"sha256", "size"}
    format: int = FORMAT

    def media(self) -> dict[str, dict]:
        return {path[len(MEDIA_FOLDER):]: facts for path, facts in self.files.items()
                if path.startswith(MEDIA_FOLDER)}

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Manifest:
        return cls(**json.loads(data))

    @property
    def created_at(self) -> datetime.datetime:
        return datetime.datetime.fromisoformat(self.created)


def _quiet(_message: str) -> None:
    pass


def _copy(target: Target, path: str, stream, manifest: Manifest) -> None:
    reader = HashingReader(stream)
    target.write(path, reader)
    manifest.files[path] = {"sha256": reader.sha256.hexdigest(), "size": reader.size}


def make_backup(target: Target, *, say: Say = _quiet) -> Manifest:
    from django.core.files.storage import default_storage

    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    manifest = Manifest(name=f"{PREFIX}{now:%Y%m%dT%H%M%SZ}", created=now.isoformat(),
                        database=database.dump_name(), vendor=database.vendor())
    with tempfile.TemporaryDirectory(prefix="loa-backup-") as tmp:
        dump = Path(tmp) / manifest.database
        database.dump(dump)
        with dump.open("rb") as fh:
            _copy(target, f"{manifest.name}/{manifest.database}", fh, manifest)
    say(_("Đã sao lưu cơ sở dữ liệu (%(size)d byte).")
        % {"size": manifest.files[f"{manifest.name}/{manifest.database}"]["size"]})
    count = 0
    for name in stored_names():
        try:
            stream = default_storage.open(name, "rb")
        except FileNotFoundError:
            continue  # deleted since it was listed: the rows naming it are repaired on restore
        with stream:
            _copy(target, f"{manifest.name}/{MEDIA_FOLDER}{name}", stream, manifest)
        count += 1
    # Paths inside the manifest are relative to the backup's own folder.
    manifest.files = {path.split("/", 1)[1]: facts for path, facts in manifest.files.items()}
    target.write(f"{manifest.name}/{MANIFEST}", io.BytesIO(manifest.to_json()))
    say(_("Đã sao lưu %(count)d tệp đa phương tiện vào %(where)s.")
        % {"count": count, "where": target.describe(manifest.name)})
    return manifest


def latest(target: Target, name: str | None = None) -> str:
    names = target.backups()
    if name:
        if name not in names:
            raise NoBackup
        return name
    if not names:
        raise NoBackup
    return names[-1]


def read_manifest(target: Target, backup: str) -> Manifest:
    with target.open(f"{backup}/{MANIFEST}") as fh:
        return Manifest.from_json(fh.read())


@dataclass
class CheckResult:
    manifest: Manifest
    bad: list[str] = field(default_factory=list)  # "path: reason"

    @property
    def ok(self) -> bool:
        return not self.bad


def check(target: Target, backup: str | None = None, *, say: Say = _quiet) -> CheckResult:
    """Read every file of the backup back and compare it with its manifest entry."""
    manifest = read_manifest(target, latest(target, backup))
    result = CheckResult(manifest)
    for path, facts in manifest.files.items():
        try:
            with target.open(f"{manifest.name}/{path}") as fh:
                reader = HashingReader(fh)
                while reader.read(1024 * 1024):
                    pass
        except (OSError, ClientError) as exc:  # missing: locally, or on S3 (NoSuchKey)
            result.bad.append(f"{path}: {exc}")
            continue
        if reader.sha256.hexdigest() != facts["sha256"]:
            result.bad.append(f"{path}: sha256 {reader.sha256.hexdigest()}")
    say(_("Đã kiểm tra %(count)d tệp của bản sao lưu %(name)s.")
        % {"count": len(manifest.files), "name": manifest.name})
    return result


def prune(target: Target, keep: int) -> list[str]:
    """Delete all but the newest ``keep`` complete backups."""
    names = target.backups()
    old = names[:-keep] if keep > 0 else []
    for name in old:
        target.delete(name)
    return old


@dataclass
class RestoreResult:
    manifest: Manifest
    files: int
    repairs: consistency.Repairs


def restore(target: Target, backup: str | None = None, *, say: Say = _quiet) -> RestoreResult:
    """Bring a backup back into an empty installation: database, media, then repairs."""
    manifest = read_manifest(target, latest(target, backup))
    if not database.is_empty() or next(stored_names(), None) is not None:
        raise NotEmpty
    with tempfile.TemporaryDirectory(prefix="loa-restore-") as tmp:
        dump = Path(tmp) / manifest.database
        with target.open(f"{manifest.name}/{manifest.database}") as src, \
                verified_copy(src, manifest.files[manifest.database]["sha256"]) as checked, \
                dump.open("wb") as out:
            while block := checked.read(1024 * 1024):
                out.write(block)
        database.load(dump)
    say(_("Đã khôi phục cơ sở dữ liệu từ %(where)s.")
        % {"where": target.describe(manifest.name)})
    media = manifest.media()
    for name, facts in media.items():
        with target.open(f"{manifest.name}/{MEDIA_FOLDER}{name}") as src:
            try:
                checked = verified_copy(src, facts["sha256"])
            except DigestMismatch as exc:
                raise DigestMismatch(detail=name) from exc
            with checked:
                put(name, checked)
    say(_("Đã khôi phục %(count)d tệp đa phương tiện.") % {"count": len(media)})
    repairs = consistency.repair(set(media))
    return RestoreResult(manifest, len(media), repairs)
