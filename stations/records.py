"""Writing the download log and airing reports."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.utils import timezone

from cms.products.media_access import Transfer, TransferCallback
from cms.products.models import BulletinPage
from media_pipeline.models import Rendition

from .models import AiringReport, DownloadLog, Station


def download_recorder(request: HttpRequest, station: Station, page: BulletinPage,
                      rendition: Rendition) -> TransferCallback:
    """A callback for file_response: one log row per request, written once the transfer
    is over (streamed) or handed off (nginx, S3)."""
    started = timezone.now()
    client = f"{request.META.get('REMOTE_ADDR', '')} {request.headers.get('User-Agent', '')}"

    def record(transfer: Transfer) -> None:
        DownloadLog.objects.create(
            station=station, bulletin=page, bulletin_title=page.title[:255],
            language=page.locale.language_code, profile=rendition.profile,
            started_at=started, finished_at=timezone.now(), range_start=transfer.start,
            bytes_sent=transfer.sent, file_size=transfer.size, complete=transfer.reached_end,
            method=transfer.method, client=client.strip()[:200],
        )

    return record


def record_airing(station: Station, bulletin: BulletinPage, *, aired_on: datetime.date,
                  aired_at: datetime.time, times: int, note: str = "",
                  source: str = AiringReport.Source.WEB) -> tuple[AiringReport, bool]:
    """Idempotent: the same station, bulletin, date and time is one report, updated."""
    return AiringReport.objects.update_or_create(
        station=station, bulletin=bulletin, aired_on=aired_on, aired_at=aired_at,
        defaults={"times": times, "note": note, "source": source,
                  "bulletin_title": bulletin.title[:255]},
    )
