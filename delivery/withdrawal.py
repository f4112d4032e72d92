"""Tell the Ministry that a delivered product was withdrawn (unpublished or deleted).

Delivered packages are never deleted or overwritten. Next to the withdrawn version the
Ministry finds a small JSON notice, ``<identifier>_<language>_v<NNN>_withdrawn.json``,
written once (``If-None-Match: *``) through a delivery record of kind "withdrawal": queued,
sent, retried and shown in the admin like a package. Publishing the product again makes
the next package version, so the newest object under a language version always tells its
current state."""

from __future__ import annotations

import base64
import hashlib
import json

from botocore.exceptions import ClientError
from django.utils import timezone

from cms.products.models import ProductPage

from .conf import DeliverySettings, delivery_settings
from .delivery import latest_packages
from .exceptions import KeyConflict
from .metadata import department_of
from .models import DeliveryRecord
from .record_state import Outcome, claim, mark_delivered, mark_failed
from .s3_upload import translate_error

Kind, State = DeliveryRecord.Kind, DeliveryRecord.State
UNPUBLISHED, DELETED = "unpublished", "deleted"


def withdrawal_key(conf: DeliverySettings, identifier: str, language: str, version: int) -> str:
    return (f"{conf.prefix}{identifier}/{language}/"
            f"{identifier}_{language}_v{version:03d}_withdrawn.json")


def request_withdrawal(page: ProductPage, reason: str) -> tuple[DeliveryRecord | None, bool]:
    """Record a notice if the Ministry holds (or is receiving) a package of this language
    version; idempotent: one notice per withdrawn version."""
    conf = delivery_settings()
    if not conf.configured or not page.identifier:
        return None, False
    language = page.locale.language_code
    package = latest_packages(page.identifier, language).first()
    if package is None or package.state not in (State.DELIVERED, State.SENDING):
        return None, False  # nothing reached the Ministry: nothing to withdraw
    record, created = DeliveryRecord.objects.get_or_create(
        identifier=package.identifier, language=language, version=package.version,
        kind=Kind.WITHDRAWAL,
        defaults={
            "page_id": None if reason == DELETED else page.pk,
            "title": package.title, "fingerprint": package.fingerprint,
            "key": withdrawal_key(conf, package.identifier, language, package.version),
            "contents": notice(page, package, reason),
        },
    )
    return record, created  # the caller sends a new notice (the job layer sits above)


def notice(page: ProductPage, package: DeliveryRecord, reason: str) -> dict:
    """What the Ministry reads (kept on the record, so a deleted page does not matter)."""
    dept = department_of(page.organisation) if page.organisation_id else None
    return {
        "status": "withdrawn",
        "reason": reason,
        "identifier": package.identifier,
        "language": package.language,
        "external_identifier": package.external_identifier,
        "withdrawn_version": package.version,
        "package_key": package.key,
        "title": package.title,
        "source_organization": dept.name if dept else "",
        "withdrawn_at": timezone.now().replace(microsecond=0).isoformat(),
        "note": "The delivered package stays in place; the source organisation no longer "
                "publishes this language version. A later version, if any, supersedes "
                "this notice.",
    }


def send_withdrawal(record: DeliveryRecord, conf: DeliverySettings, client) -> Outcome:
    if not claim(record, conf):
        return Outcome(record, sent=False)
    try:
        checksum = put_notice(record, conf, client)
    except Exception as exc:
        error = translate_error(exc, conf)
        mark_failed(record, error, conf)
        raise error from exc
    mark_delivered(record, checksum)
    return Outcome(record, sent=True)


def put_notice(record: DeliveryRecord, conf: DeliverySettings, client) -> str:
    body = json.dumps(record.contents, ensure_ascii=False, indent=2).encode()
    checksum = base64.b64encode(hashlib.sha256(body).digest()).decode()
    metadata = {"loa-identifier": record.identifier, "loa-language": record.language,
                "loa-version": str(record.version), "loa-status": "withdrawn"}
    try:
        client.put_object(Bucket=conf.bucket, Key=record.key, Body=body,
                          ContentType="application/json; charset=utf-8",
                          ChecksumAlgorithm="SHA256", ChecksumSHA256=checksum,
                          Metadata=metadata, IfNoneMatch="*")
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") != "PreconditionFailed":
            raise
        # Already there: ours from an attempt that died before recording it, or foreign.
        head = client.head_object(Bucket=conf.bucket, Key=record.key)
        if head.get("Metadata", {}) != metadata:
            raise KeyConflict(detail=record.key) from exc
    return checksum
