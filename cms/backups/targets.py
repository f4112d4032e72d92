"""Where backups live: a local (or mounted) folder, or an S3 bucket under a prefix. Each
backup is a folder of its own named by its UTC time, so names sort by age; its manifest is
written last, so a folder without one is an interrupted backup and is never chosen."""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, Protocol

from django.conf import settings

MANIFEST = "manifest.json"
PREFIX = "loa-"
CHUNK = 1024 * 1024


class Target(Protocol):
    def write(self, name: str, stream: BinaryIO) -> None: ...

    @contextlib.contextmanager
    def open(self, name: str) -> Iterator[BinaryIO]: ...

    def backups(self) -> list[str]: ...

    def delete(self, backup: str) -> None: ...

    def describe(self, backup: str) -> str: ...


class LocalTarget:
    def __init__(self, root: Path):
        self.root = root

    def write(self, name: str, stream: BinaryIO) -> None:
        dest = self.root / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        partial = dest.with_name(dest.name + ".partial")
        with partial.open("wb") as out:
            shutil.copyfileobj(stream, out, CHUNK)
            out.flush()
            os.fsync(out.fileno())
        partial.replace(dest)

    @contextlib.contextmanager
    def open(self, name: str) -> Iterator[BinaryIO]:
        with (self.root / name).open("rb") as fh:
            yield fh

    def backups(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return sorted(p.name for p in self.root.iterdir()
                      if p.name.startswith(PREFIX) and (p / MANIFEST).is_file())

    def delete(self, backup: str) -> None:
        shutil.rmtree(self.root / backup)

    def describe(self, backup: str) -> str:
        return str(self.root / backup)


class S3Target:
    """A bucket on any S3-compatible store; its endpoint and credentials come from
    ``LOA_BACKUP_S3`` (or boto3's usual environment when those are empty)."""

    def __init__(self, bucket: str, prefix: str):
        import boto3

        conf = settings.LOA_BACKUP_S3
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.client = boto3.client(
            "s3", endpoint_url=conf.get("ENDPOINT_URL") or None,
            region_name=conf.get("REGION") or None,
            aws_access_key_id=conf.get("ACCESS_KEY_ID") or None,
            aws_secret_access_key=conf.get("SECRET_ACCESS_KEY") or None)

    def write(self, name: str, stream: BinaryIO) -> None:
        # A multipart upload is only visible once complete: no half object under the name.
        self.client.upload_fileobj(stream, self.bucket, self.prefix + name)

    @contextlib.contextmanager
    def open(self, name: str) -> Iterator[BinaryIO]:
        body = self.client.get_object(Bucket=self.bucket, Key=self.prefix + name)["Body"]
        try:
            yield body
        finally:
            body.close()

    def _folders(self) -> list[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.prefix + PREFIX, Delimiter="/")
        return [p["Prefix"][len(self.prefix):].rstrip("/")
                for page in pages for p in page.get("CommonPrefixes", [])]

    def backups(self) -> list[str]:
        found = []
        for folder in self._folders():
            listed = self.client.list_objects_v2(Bucket=self.bucket,
                                                 Prefix=f"{self.prefix}{folder}/{MANIFEST}")
            if listed.get("KeyCount"):
                found.append(folder)
        return sorted(found)

    def delete(self, backup: str) -> None:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=f"{self.prefix}{backup}/")
        for page in pages:
            keys = [{"Key": obj["Key"]} for obj in page.get("Contents", [])]
            if keys:
                self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": keys})

    def describe(self, backup: str) -> str:
        return f"s3://{self.bucket}/{self.prefix}{backup}"


def target_from(spec: str) -> Target:
    """``s3://bucket/prefix`` or a folder path."""
    if spec.startswith("s3://"):
        bucket, _slash, prefix = spec[len("s3://"):].partition("/")
        return S3Target(bucket, prefix)
    return LocalTarget(Path(spec).expanduser().resolve())
