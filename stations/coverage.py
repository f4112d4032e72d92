"""What the department wants to know: per bulletin, which stations fetched and aired it;
per station, what it missed. A station is expected to take every live bulletin in the
languages it airs, published within the period looked at."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, Sum
from django.utils import timezone

from cms.products.models import BulletinPage

from . import catalogue
from .models import AiringReport, DownloadLog, Station


@dataclass
class BulletinRow:
    page: BulletinPage
    expected: list[Station] = field(default_factory=list)
    fetched: list[Station] = field(default_factory=list)
    aired: list[tuple[Station, int]] = field(default_factory=list)  # (station, times)

    @property
    def missing(self) -> list[Station]:
        aired = {s.pk for s, _t in self.aired}
        return [s for s in self.expected if s.pk not in aired]


@dataclass
class StationRow:
    station: Station
    expected: list[BulletinPage] = field(default_factory=list)
    fetched_ids: set[int] = field(default_factory=set)
    aired_ids: set[int] = field(default_factory=set)

    @property
    def not_fetched(self) -> list[BulletinPage]:
        return [p for p in self.expected if p.pk not in self.fetched_ids]

    @property
    def not_aired(self) -> list[BulletinPage]:
        return [p for p in self.expected if p.pk not in self.aired_ids]


def period_start(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def bulletins_since(since: datetime.date, languages=None) -> list[BulletinPage]:
    codes = languages or {code for s in Station.objects.filter(is_active=True)
                          for code in s.languages}
    return list(
        catalogue.live_bulletins(codes)
        .filter(Q(air_date__gte=since)
                | Q(air_date__isnull=True, first_published_at__date__gte=since))
        .order_by("-air_date", "-first_published_at")
    )


def _fetched_pairs(page_ids) -> set[tuple[int, int]]:
    return set(DownloadLog.objects.filter(bulletin_id__in=page_ids, complete=True)
               .values_list("station_id", "bulletin_id").distinct())


def _aired_times(page_ids) -> dict[tuple[int, int], int]:
    rows = (AiringReport.objects.filter(bulletin_id__in=page_ids)
            .values("station_id", "bulletin_id").annotate(total=Sum("times")))
    return {(r["station_id"], r["bulletin_id"]): r["total"] for r in rows}


def by_bulletin(since: datetime.date) -> list[BulletinRow]:
    stations = list(Station.objects.filter(is_active=True))
    pages = bulletins_since(since)
    ids = [p.pk for p in pages]
    fetched, aired = _fetched_pairs(ids), _aired_times(ids)
    rows = []
    for page in pages:
        row = BulletinRow(page)
        for station in stations:
            if page.locale.language_code in station.languages:
                row.expected.append(station)
            if (station.pk, page.pk) in fetched:
                row.fetched.append(station)
            if (station.pk, page.pk) in aired:
                row.aired.append((station, aired[station.pk, page.pk]))
        rows.append(row)
    return rows


def by_station(since: datetime.date) -> list[StationRow]:
    pages = bulletins_since(since)
    ids = [p.pk for p in pages]
    fetched, aired = _fetched_pairs(ids), _aired_times(ids)
    by_language = defaultdict(list)
    for page in pages:
        by_language[page.locale.language_code].append(page)
    rows = []
    for station in Station.objects.filter(is_active=True).select_related("area"):
        row = StationRow(station, [p for code in station.languages for p in by_language[code]])
        row.fetched_ids = {b for (s, b) in fetched if s == station.pk}
        row.aired_ids = {b for (s, b) in aired if s == station.pk}
        rows.append(row)
    return rows
