"""Resumable multipart upload of one package stream to an S3-compatible object store.

Parts are uploaded as the tar streams (``package_stream``), several at a time. Every part
carries its SHA-256 (S3 checks it on arrival); the parts that reached the
remote are recorded in the database as they finish, and a later run asks the remote
(ListParts) which parts it holds, so only missing parts are sent again. Transient errors
(dropped connections, 5xx, throttling) are retried by botocore's "standard" retry mode
with exponential backoff. The object appears under its key only when the upload is
completed, with ``If-None-Match: *`` so an existing package is never overwritten."""

from __future__ import annotations

import base64
import hashlib
import math
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass

import boto3
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    HTTPClientError,
    NoCredentialsError,
)
from botocore.exceptions import ConnectionError as BotoConnectionError
from django.utils.translation import gettext as _

from .conf import DeliverySettings
from .exceptions import (
    BadCredentials,
    ChecksumMismatch,
    ConnectionLost,
    DeliveryError,
    KeyConflict,
    MissingBucket,
    RemoteRejected,
)

CREDENTIAL_ERRORS = {
    "InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied", "InvalidToken",
    "ExpiredToken", "InvalidSecurity", "AuthorizationHeaderMalformed",
}


def make_client(conf: DeliverySettings):
    config = Config(
        retries={"mode": "standard", "max_attempts": conf.max_attempts},
        connect_timeout=conf.connect_timeout,
        read_timeout=conf.read_timeout,
        # Each part carries its own signed SHA-256 header that the store checks against the
        # body, so SigV4 need not hash every body a second time (UNSIGNED-PAYLOAD).
        s3={"addressing_style": "path", "payload_signing_enabled": False},
        # We send our own SHA-256 per part; no extra CRC on top.
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
        max_pool_connections=max(10, conf.concurrency * 2),
    )
    return boto3.session.Session().client(
        "s3",
        endpoint_url=conf.endpoint_url,
        aws_access_key_id=conf.access_key_id,
        aws_secret_access_key=conf.secret_access_key,
        region_name=conf.region,
        config=config,
    )


def translate_error(exc: Exception, conf: DeliverySettings) -> DeliveryError:
    """A botocore failure as a delivery error an administrator can act on."""
    if isinstance(exc, DeliveryError):
        return exc
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        code = error.get("Code", "")
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        detail = f"{code} ({status}): {error.get('Message', '')}"
        if code in CREDENTIAL_ERRORS or status == 403:
            return BadCredentials(detail=detail)
        if code == "NoSuchBucket":
            return MissingBucket(
                _("Không tìm thấy bucket “%(bucket)s” ở nơi nhận của Bộ; kiểm tra tên bucket "
                  "đã cấu hình.") % {"bucket": conf.bucket},
                detail=detail,
            )
        if code in ("PreconditionFailed", "ConditionalRequestConflict"):
            return KeyConflict(detail=detail)
        if status and status >= 500:
            return ConnectionLost(
                _("Nơi nhận gặp lỗi (%(code)s) sau nhiều lần thử lại; lần gửi sau sẽ tiếp tục "
                  "từ những phần đã gửi xong.") % {"code": code or status},
                detail=detail,
            )
        return RemoteRejected(
            _("Nơi nhận từ chối yêu cầu: %(code)s %(message)s")
            % {"code": code, "message": error.get("Message", "")},
            detail=detail,
        )
    if isinstance(exc, NoCredentialsError):
        return BadCredentials(detail=str(exc))
    if isinstance(exc, (BotoConnectionError, HTTPClientError)):
        return ConnectionLost(detail=f"{conf.endpoint_url or 'AWS S3'}: {exc}")
    if isinstance(exc, BotoCoreError):
        return RemoteRejected(detail=repr(exc))
    raise exc


@dataclass(frozen=True)
class PartResult:
    number: int
    size: int
    etag: str
    checksum_sha256: str  # base64
    digest: bytes  # raw SHA-256, for the composite checksum
    sent: bool


@dataclass(frozen=True)
class KnownPart:
    etag: str
    checksum_sha256: str


def composite_sha256(digests: list[bytes]) -> str:
    """S3's checksum of a multipart object: SHA-256 over the parts' SHA-256 digests."""
    combined = hashlib.sha256(b"".join(digests)).digest()
    return f"{base64.b64encode(combined).decode()}-{len(digests)}"


def abort_upload(client, bucket: str, key: str, upload_id: str) -> None:
    """Drop an unfinished upload (its parts are never visible under the key)."""
    try:
        client.abort_multipart_upload(Bucket=bucket, Key=key, UploadId=upload_id)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") != "NoSuchUpload":
            raise


class MultipartUpload:
    """One package stream → one object, resumable across runs and processes."""

    def __init__(self, client, conf: DeliverySettings, *, key: str, size: int,
                 part_size: int, metadata: dict[str, str]):
        self.client = client
        self.conf = conf
        self.key = key
        self.size = size
        self.part_size = part_size
        self.metadata = metadata
        self.part_count = max(1, math.ceil(size / part_size))

    # --- what the remote already has ----------------------------------------------
    def existing_object(self) -> dict | None:
        try:
            return self.client.head_object(Bucket=self.conf.bucket, Key=self.key,
                                           ChecksumMode="ENABLED")
        except ClientError as exc:
            status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            if status == 404 or exc.response.get("Error", {}).get("Code") in (
                "404", "NoSuchKey", "NotFound"
            ):
                return None
            raise

    def create(self) -> str:
        response = self.client.create_multipart_upload(
            Bucket=self.conf.bucket, Key=self.key, ContentType="application/x-tar",
            ChecksumAlgorithm="SHA256", Metadata=self.metadata,
        )
        return response["UploadId"]

    def remote_parts(self, upload_id: str) -> dict[int, tuple[int, str]] | None:
        """{part number: (size, etag)} the remote holds, or None if the upload is gone."""
        parts: dict[int, tuple[int, str]] = {}
        marker = 0
        while True:
            try:
                page = self.client.list_parts(Bucket=self.conf.bucket, Key=self.key,
                                              UploadId=upload_id, PartNumberMarker=marker)
            except ClientError as exc:
                if exc.response.get("Error", {}).get("Code") == "NoSuchUpload":
                    return None
                raise
            for part in page.get("Parts", []):
                parts[part["PartNumber"]] = (part["Size"], part["ETag"].strip('"'))
            if not page.get("IsTruncated"):
                return parts
            marker = page["NextPartNumberMarker"]

    # --- sending ---------------------------------------------------------------------
    def _part(self, upload_id: str, number: int, data: bytes, known: KnownPart | None,
              remote: tuple[int, str] | None) -> PartResult:
        digest = hashlib.sha256(data).digest()
        checksum = base64.b64encode(digest).decode()
        if remote is not None and remote[0] == len(data):
            if known is not None and known.checksum_sha256 == checksum \
                    and known.etag.strip('"') == remote[1]:
                return PartResult(number, len(data), remote[1], checksum, digest, sent=False)
            if known is None and hashlib.md5(data, usedforsecurity=False).hexdigest() == remote[1]:
                # Sent by a run that died before recording it: the remote has our bytes.
                return PartResult(number, len(data), remote[1], checksum, digest, sent=False)
        response = self.client.upload_part(
            Bucket=self.conf.bucket, Key=self.key, UploadId=upload_id, PartNumber=number,
            Body=data, ContentLength=len(data), ChecksumAlgorithm="SHA256",
            ChecksumSHA256=checksum,
        )
        return PartResult(number, len(data), response["ETag"].strip('"'), checksum, digest,
                          sent=True)

    def _released(self, release: Callable[[bytes], None], upload_id: str, number: int,
                  data: bytes, *args) -> PartResult:
        try:
            return self._part(upload_id, number, data, *args)
        finally:
            release(data)

    def send_stream(self, upload_id: str, produce: Callable[[Callable[[int, bytes], None]], None],
                    known: dict[int, KnownPart], remote: dict[int, tuple[int, str]],
                    on_part: Callable[[PartResult], None],
                    release: Callable[[bytes], None] = lambda data: None) -> list[PartResult]:
        """Send the parts ``produce`` emits, building the next while up to ``concurrency``
        are in flight (bounded memory); parts the remote already holds are checked, not
        sent; ``release`` gets each part's buffer back once it is settled. ``on_part`` runs
        in this thread as parts settle (the database is only touched here). If producing or
        sending fails, parts in flight finish first."""
        results: dict[int, PartResult] = {}
        in_flight: set[Future] = set()

        def settle(done) -> None:
            failure = None
            for future in done:
                in_flight.discard(future)
                if future.exception() is not None:
                    failure = failure or future.exception()
                    continue
                result = future.result()
                results[result.number] = result
                on_part(result)
            if failure is not None:
                raise failure

        with ThreadPoolExecutor(max_workers=self.conf.concurrency,
                                thread_name_prefix="delivery-part") as pool:
            def emit(number: int, data: bytes) -> None:
                settle({f for f in in_flight if f.done()})
                if len(in_flight) >= self.conf.concurrency:
                    settle(wait(in_flight, return_when=FIRST_COMPLETED).done)
                in_flight.add(pool.submit(self._released, release, upload_id, number, data,
                                          known.get(number), remote.get(number)))

            try:
                produce(emit)
                settle(wait(in_flight).done)
            except BaseException:
                for future in wait(in_flight).done:  # let the others finish, keep their parts
                    if future.exception() is None:
                        on_part(future.result())
                raise
        if len(results) != self.part_count:
            raise ChecksumMismatch(detail=f"{len(results)} parts sent, {self.part_count} planned")
        return [results[n] for n in sorted(results)]

    def complete(self, upload_id: str, parts: list[PartResult]) -> dict:
        self.client.complete_multipart_upload(
            Bucket=self.conf.bucket, Key=self.key, UploadId=upload_id,
            MultipartUpload={"Parts": [
                {"PartNumber": p.number, "ETag": f'"{p.etag}"', "ChecksumSHA256": p.checksum_sha256}
                for p in parts
            ]},
            IfNoneMatch="*",
        )
        head = self.existing_object()
        if head is None:
            raise ChecksumMismatch(detail=_("Đối tượng không xuất hiện sau khi hoàn tất."))
        return head

    def verify(self, head: dict, expected: str) -> None:
        """The remote's size and composite SHA-256 must be ours; otherwise remove it."""
        remote = head.get("ChecksumSHA256", "")
        problems = []
        if head.get("ContentLength") != self.size:
            problems.append(f"size {head.get('ContentLength')} != {self.size}")
        if remote and remote.split("-")[0] != expected.split("-")[0]:
            problems.append(f"ChecksumSHA256 {remote} != {expected}")
        if problems:
            self.client.delete_object(Bucket=self.conf.bucket, Key=self.key)
            raise ChecksumMismatch(detail="; ".join(problems))
