"""Delivery and OAI-PMH settings, read from ``settings.LOA_DELIVERY`` / ``settings.LOA_OAI``
(filled from environment variables in cms/settings/base.py; see docs/delivery.md)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from loa.leases import RetryPolicy

from .exceptions import NotConfigured


@dataclass(frozen=True)
class DeliverySettings:
    endpoint_url: str | None
    bucket: str
    prefix: str
    access_key_id: str | None
    secret_access_key: str | None
    region: str
    part_size: int
    concurrency: int
    workers: int
    max_attempts: int
    connect_timeout: float
    read_timeout: float
    spool_dir: Path
    auto: bool
    lease_seconds: int
    retry_limit: int  # automatic retries after passing failures, then an admin decides
    retry_base: float  # seconds before the first automatic retry; doubles each time
    retry_max_delay: float  # ceiling of the delay between automatic retries

    @property
    def configured(self) -> bool:
        return bool(self.bucket)

    @property
    def retry_policy(self) -> RetryPolicy:
        return RetryPolicy(self.retry_limit, self.retry_base, self.retry_max_delay)


def delivery_settings() -> DeliverySettings:
    raw = getattr(settings, "LOA_DELIVERY", {})
    return DeliverySettings(
        endpoint_url=raw.get("ENDPOINT_URL") or None,
        bucket=raw.get("BUCKET", ""),
        prefix=raw.get("PREFIX", ""),
        access_key_id=raw.get("ACCESS_KEY_ID") or None,
        secret_access_key=raw.get("SECRET_ACCESS_KEY") or None,
        region=raw.get("REGION") or "us-east-1",
        part_size=int(raw.get("PART_SIZE", 8 * 1024 * 1024)),
        concurrency=max(1, int(raw.get("CONCURRENCY", 4))),
        workers=max(1, int(raw.get("WORKERS", 2))),
        max_attempts=max(1, int(raw.get("MAX_ATTEMPTS", 5))),
        connect_timeout=float(raw.get("CONNECT_TIMEOUT", 10)),
        read_timeout=float(raw.get("READ_TIMEOUT", 120)),
        spool_dir=Path(raw.get("SPOOL_DIR") or Path(settings.MEDIA_ROOT).parent / "delivery"),
        auto=bool(raw.get("AUTO", True)),
        lease_seconds=int(raw.get("LEASE_SECONDS", 600)),
        retry_limit=max(0, int(raw.get("RETRY_LIMIT", 8))),
        retry_base=float(raw.get("RETRY_BASE_SECONDS", 60)),
        retry_max_delay=float(raw.get("RETRY_MAX_DELAY_SECONDS", 3600)),
    )


def require_configured() -> DeliverySettings:
    conf = delivery_settings()
    if not conf.configured:
        raise NotConfigured()
    return conf


@dataclass(frozen=True)
class OaiSettings:
    repository_name: str
    admin_emails: tuple[str, ...]
    namespace: str  # the repository part of oai: identifiers
    page_size: int
    token_max_age: int  # seconds a resumption token stays valid


def oai_settings() -> OaiSettings:
    raw = getattr(settings, "LOA_OAI", {})
    return OaiSettings(
        repository_name=raw.get("REPOSITORY_NAME") or settings.WAGTAIL_SITE_NAME,
        admin_emails=tuple(raw.get("ADMIN_EMAILS") or ("admin@loa.invalid",)),
        namespace=raw.get("NAMESPACE") or f"loa.{settings.LOA_PROVINCE_CODE.lower()}",
        page_size=max(1, int(raw.get("PAGE_SIZE", 100))),
        token_max_age=int(raw.get("TOKEN_MAX_AGE", 24 * 3600)),
    )
