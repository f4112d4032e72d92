"""Deliver one language version of a product: plan, record, bag, upload, verify.

Idempotent: a package whose fingerprint was delivered is not sent again; a changed product
becomes version N+1 under a new key. Resumable: the record keeps the upload id and the
finished parts, and the built bag stays in the spool folder until delivery succeeds.
A record is claimed with a short lease so two workers never send the same package."""

from __future__ import annotations

import logging
import queue
import shutil
import time
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from cms.products.models import ProductPage
from translations.plain_text import one_line

from .bagging import build_bag
from .conf import DeliverySettings, require_configured
from .contents import Package, build_package, source_stamp
from .exceptions import CorruptPayload, DeliveryError, KeyConflict, NotPublished
from .metadata import department_of
from .models import DeliveryPart, DeliveryRecord
from .package_stream import stream_tar, tar_layout
from .record_state import Outcome, claim, mark_delivered, mark_failed, renew_lease
from .s3_upload import (
    KnownPart,
    MultipartUpload,
    PartResult,
    abort_upload,
    composite_sha256,
    make_client,
)
from .s3_upload import translate_error as s3_error

logger = logging.getLogger(__name__)
State = DeliveryRecord.State


def live_product(page_id: int) -> ProductPage:
    page = ProductPage.objects.filter(pk=page_id).select_related("locale").first()
    if page is None or not page.live:
        raise NotPublished()
    return page.specific


def deliver_page(page_id: int, conf: DeliverySettings | None = None, client=None) -> Outcome:
    """Send the current published content of one language version, if not sent yet."""
    conf = conf or require_configured()
    page = live_product(page_id)
    package = build_package(page)
    client = client or make_client(conf)
    record = prepare_record(package, conf, client, stamp=source_stamp(page))
    if record.state == State.DELIVERED:
        return Outcome(record, sent=False)
    return send(record, package, conf, client)


# --- the record --------------------------------------------------------------------------
def object_key(conf: DeliverySettings, identifier: str, language: str, version: int) -> str:
    return f"{conf.prefix}{identifier}/{language}/{identifier}_{language}_v{version:03d}.tar"


def prepare_record(package: Package, conf: DeliverySettings, client,
                   stamp: str = "") -> DeliveryRecord:
    """The record for this exact content: existing, reused (an undelivered older plan is
    replaced, since nothing is under its key yet), or a new version."""
    identifier, language = package.identifier, package.language
    latest = latest_packages(identifier, language).first()
    if _same_content(latest, package):
        if stamp and latest.source_stamp != stamp:
            DeliveryRecord.objects.filter(pk=latest.pk).update(source_stamp=stamp)
            latest.source_stamp = stamp
        return latest
    if latest is not None and latest.state != State.DELIVERED and latest.upload_id:
        _abort_upload(latest, conf, client)
    with transaction.atomic():
        latest = latest_packages(identifier, language).select_for_update().first()
        if _same_content(latest, package):
            return latest
        fields = {
            "page": package.page, "title": package.page.title[:255],
            "fingerprint": package.fingerprint, "contents": package.contents(),
            "state": State.QUEUED, "reason": "", "detail": "", "bag_size": None,
            "upload_id": "", "checksum_sha256": "", "lease_until": None,
            "part_size": conf.part_size, "source_stamp": stamp,
            "auto_retries": 0, "next_attempt_at": None,
        }
        if latest is not None and latest.state != State.DELIVERED:
            latest.parts.all().delete()
            for name, value in fields.items():
                setattr(latest, name, value)
            latest.save()
            _clear_spool(conf, latest)
            return latest
        version = latest.version + 1 if latest else 1
        return DeliveryRecord.objects.create(
            identifier=identifier, language=language, version=version,
            key=object_key(conf, identifier, language, version), **fields,
        )


def latest_packages(identifier: str, language: str):
    return DeliveryRecord.objects.filter(identifier=identifier, language=language,
                                         kind=DeliveryRecord.Kind.PACKAGE).order_by("-version")


def is_withdrawn(record: DeliveryRecord) -> bool:
    """The Ministry was (or is being) told this version was withdrawn."""
    return DeliveryRecord.objects.filter(
        identifier=record.identifier, language=record.language, version=record.version,
        kind=DeliveryRecord.Kind.WITHDRAWAL).exists()


def _same_content(latest: DeliveryRecord | None, package: Package) -> bool:
    # Published again after a withdrawal: a new version, so the newest object at the
    # Ministry is the package, not the withdrawal notice.
    return (latest is not None and latest.fingerprint == package.fingerprint
            and not is_withdrawn(latest))


def _abort_upload(record: DeliveryRecord, conf: DeliverySettings, client) -> None:
    try:
        abort_upload(client, conf.bucket, record.key, record.upload_id)
    except Exception as exc:
        raise s3_error(exc, conf) from exc


# --- sending -----------------------------------------------------------------------------
def send(record: DeliveryRecord, package: Package, conf: DeliverySettings, client) -> Outcome:
    if not claim(record, conf):
        return Outcome(record, sent=False)
    started = time.monotonic()
    try:
        bag_dir = spool_bag(record, package, conf)
        bagged = time.monotonic()
        checksum = upload(record, bag_dir, conf, client)
    except BaseException as exc:
        mark_failed(record, exc, conf)
        raise
    mark_delivered(record, checksum)
    _clear_spool(conf, record)
    logger.info("delivered %s (%s bytes): bag %.2fs, stream+upload %.2fs", record,
                record.bag_size, bagged - started, time.monotonic() - bagged)
    return Outcome(record, sent=True)


def spool_dir(conf: DeliverySettings, record: DeliveryRecord) -> Path:
    return conf.spool_dir / f"record-{record.pk}"


def _clear_spool(conf: DeliverySettings, record: DeliveryRecord) -> None:
    folder = spool_dir(conf, record)
    if folder.exists():
        shutil.rmtree(folder)


def bag_name(record: DeliveryRecord) -> str:
    return f"{record.identifier}_{record.language}_v{record.version:03d}"


def bag_info(record: DeliveryRecord, package: Package) -> dict[str, str]:
    page = package.page
    dept = department_of(page.organisation)
    created = timezone.localtime(record.created_at)
    info = {
        "Source-Organization": dept.name if dept else "",
        "Contact-Name": dept.name if dept else "",
        "External-Identifier": record.external_identifier,
        "External-Description": page.title,
        "Bag-Group-Identifier": record.identifier,
        "Internal-Sender-Identifier": f"loa:{record.key}",
        "Bagging-Date": created.date().isoformat(),
        "Bag-Software-Agent": "Loa delivery (bagit.py)",
        "Loa-Package-Version": str(record.version),
    }
    if dept and dept.contact_email:
        info["Contact-Email"] = dept.contact_email
    if dept and dept.contact_phone:
        info["Contact-Phone"] = dept.contact_phone
    # bag-info.txt is one "Label: value" per line: a line break or control character in a
    # stored title would make the bag invalid.
    return {k: one_line(v) for k, v in info.items() if one_line(v)}


def spool_bag(record: DeliveryRecord, package: Package, conf: DeliverySettings) -> Path:
    """The package's bag, built once and kept until delivered (a resumed upload needs the
    very same bytes, and its manifests are what the stream is checked against)."""
    bag_dir = spool_dir(conf, record) / bag_name(record)
    if bag_dir.is_dir():  # only a complete bag has its final name
        return bag_dir
    bag_dir.parent.mkdir(parents=True, exist_ok=True)
    return build_bag(package, bag_info(record, package), bag_dir)


def upload(record: DeliveryRecord, bag_dir: Path, conf: DeliverySettings, client) -> str:
    layout = tar_layout(bag_dir, bag_name(record), record.created_at.timestamp())
    if record.bag_size != layout.size:
        DeliveryRecord.objects.filter(pk=record.pk).update(bag_size=layout.size)
        record.bag_size = layout.size
    metadata = {
        "loa-identifier": record.identifier,
        "loa-language": record.language,
        "loa-version": str(record.version),
        "loa-fingerprint": record.fingerprint,
    }
    part_size = record.part_size or conf.part_size
    job = MultipartUpload(client, conf, key=record.key, size=layout.size,
                          part_size=part_size, metadata=metadata)
    buffers: queue.SimpleQueue = queue.SimpleQueue()  # part buffers, reused
    try:
        return _upload(record, job, conf,
                       lambda emit: stream_tar(layout, part_size, emit, buffers), buffers.put)
    except CorruptPayload:
        _discard(record, conf, client)
        raise
    except DeliveryError:
        raise
    except Exception as exc:
        raise s3_error(exc, conf) from exc


def _discard(record: DeliveryRecord, conf: DeliverySettings, client) -> None:
    """A bag that no longer matches its manifests is dropped with its unfinished upload;
    the next run builds it again from the stored files."""
    if record.upload_id:
        _abort_upload(record, conf, client)
    record.parts.all().delete()
    DeliveryRecord.objects.filter(pk=record.pk).update(upload_id="")
    record.upload_id = ""
    _clear_spool(conf, record)


def _upload(record: DeliveryRecord, job: MultipartUpload, conf: DeliverySettings,
            produce, release) -> str:
    # Only a run that created an upload can have completed it: a record without an upload
    # id skips the look-up (a foreign object under our key still fails at completion).
    existing = job.existing_object() if record.upload_id else None
    if existing is not None:
        # A run that completed the upload but died before recording it, or someone else's
        # object under our key: only the former counts as delivered.
        if existing.get("Metadata", {}).get("loa-fingerprint") == record.fingerprint:
            return existing.get("ChecksumSHA256", "")
        raise KeyConflict(detail=record.key)
    remote: dict[int, tuple[int, str]] = {}
    if record.upload_id:
        listed = job.remote_parts(record.upload_id)
        if listed is None:  # expired or aborted on the remote: start again
            record.parts.all().delete()
            record.upload_id = ""
        else:
            remote = listed
    if not record.upload_id:
        record.upload_id = job.create()
        DeliveryRecord.objects.filter(pk=record.pk).update(upload_id=record.upload_id)
    known = {p.number: KnownPart(p.etag, p.checksum_sha256) for p in record.parts.all()}

    def settled(part: PartResult) -> None:
        DeliveryPart.objects.update_or_create(
            record=record, number=part.number,
            defaults={"size": part.size, "etag": part.etag,
                      "checksum_sha256": part.checksum_sha256})
        renew_lease(record, conf)

    parts = job.send_stream(record.upload_id, produce, known, remote, settled, release)
    expected = composite_sha256([p.digest for p in parts])
    head = job.complete(record.upload_id, parts)
    job.verify(head, expected)
    return expected
