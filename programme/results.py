"""Results counted from the work itself, against the plan's lines.

Products: a product (all its language versions share one ``translation_key``) counts once,
in the year its first live version went live (``first_published_at``), while at least one
version is live; its language versions are a breakdown, never added to the total.

Stations and delivery are other channels: this package never imports them. Their logs are
read through Django's app registry by label (``stations.DownloadLog``,
``stations.AiringReport``, ``delivery.DeliveryRecord``) — read-only queries on tables they
own, so no counter is kept twice and nothing changes in those channels; a site without one
of them reports no figures for it. E-library views and downloads and kiosk plays are counted
here (``ProductUse``, ``KioskPlay``) from Wagtail's own hooks and signals.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.db.models import Count, Min, Sum
from django.utils import timezone

from cms.products.models import ProductPage

from .figures import percent
from .models import (
    PRODUCT_KINDS,
    SUBTYPE_FIELDS,
    BudgetExecution,
    KioskPlay,
    LineKind,
    MonitoringRound,
    Plan,
    PlanLine,
    ProductUse,
    SupportPoint,
    TrainingParticipants,
)
from .scope import descendants_and_self


def year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """The year in the installation's time zone (Asia/Ho_Chi_Minh), as aware datetimes."""
    tz = timezone.get_current_timezone()
    return (datetime.datetime(year, 1, 1, tzinfo=tz), datetime.datetime(year + 1, 1, 1, tzinfo=tz))


def _product_versions(kind: str, subtype: str, org_ids: list[int]):
    model = apps.get_model(*PRODUCT_KINDS[kind])
    # order_by(): the page tree's default ordering (path) would split every GROUP BY
    versions = model.objects.live().filter(organisation_id__in=org_ids).order_by()
    if subtype:
        versions = versions.filter(**{SUBTYPE_FIELDS[subtype][1]: subtype})
    return versions


def products_first_live(kind: str, subtype: str, language: str, org_ids: list[int],
                        year: int) -> dict[str, datetime.datetime]:
    """translation_key → when the product first went live, for products whose first live
    version (in ``language`` when given) went live in ``year``."""
    versions = _product_versions(kind, subtype, org_ids)
    if language:
        versions = versions.filter(locale__language_code=language)
    start, end = year_bounds(year)
    rows = (versions.values("translation_key").annotate(first=Min("first_published_at"))
            .filter(first__gte=start, first__lt=end))
    return {str(row["translation_key"]): row["first"] for row in rows}


def language_breakdown(kind: str, subtype: str, org_ids: list[int],
                       keys: list[str]) -> dict[str, int]:
    """How many of these products have a live version in each language."""
    rows = (_product_versions(kind, subtype, org_ids).filter(translation_key__in=keys)
            .values("locale__language_code").annotate(n=Count("translation_key", distinct=True)))
    return {row["locale__language_code"]: row["n"] for row in rows}


def monthly(firsts: dict[str, datetime.datetime]) -> list[int]:
    months = [0] * 12
    for when in firsts.values():
        months[timezone.localtime(when).month - 1] += 1
    return months


def training_people(org_ids: list[int], year: int) -> int:
    return TrainingParticipants.objects.filter(
        session__organisation_id__in=org_ids, session__date__year=year,
    ).aggregate(n=Sum("count"))["n"] or 0


def monitoring_rounds(org_ids: list[int], year: int) -> int:
    return MonitoringRound.objects.filter(organisation_id__in=org_ids, date__year=year).count()


def support_points_equipped(org_ids: list[int], year: int) -> int:
    return SupportPoint.objects.filter(organisation_id__in=org_ids, installed_on__year=year
                                       ).exclude(condition=SupportPoint.Condition.PLANNED).count()


@dataclass
class LineResult:
    number: int
    content: str
    kind: str
    subtype: str
    language: str
    unit: str
    planned: int | None
    actual: int | None
    budget_planned: Decimal
    budget_executed: Decimal
    by_language: dict[str, int] = field(default_factory=dict)
    months: list[int] = field(default_factory=lambda: [0] * 12)
    #: translation_key → first live, for the products this line counted
    firsts: dict[str, datetime.datetime] = field(default_factory=dict)
    counted: bool = True  # False: the actual figure is entered by hand (budget execution)

    @property
    def percent(self) -> int | None:
        return percent(self.actual, self.planned)

    @property
    def budget_percent(self) -> int | None:
        return percent(self.budget_executed, self.budget_planned)


def plans_rolled_up(plan: Plan) -> list[Plan]:
    """The plan and the plans below it (districts' plans under the province's)."""
    found, frontier = [plan], [plan]
    while frontier:
        frontier = list(Plan.objects.filter(parent__in=frontier).exclude(
            pk__in=[p.pk for p in found]))
        found.extend(frontier)
    return found


def line_results(plan: Plan, year: int) -> list[LineResult]:
    plans = plans_rolled_up(plan)
    lines = (PlanLine.objects.filter(plan__in=plans, year=year)
             .select_related("plan").order_by("plan__parent_id", "plan_id", "sort_order", "id"))
    grouped: dict[tuple, list[PlanLine]] = defaultdict(list)
    for line in lines:
        grouped[line.key].append(line)
    executed = _executed(lines)
    results = []
    for number, (key, same) in enumerate(grouped.items(), 1):
        org_ids = sorted({i for line in same for i in descendants_and_self(line.plan.organisation)})
        results.append(_result(number, key, same, org_ids, year, executed))
    return results


def _executed(lines) -> dict[int, tuple[Decimal, int | None]]:
    rows = BudgetExecution.objects.filter(line__in=lines).values("line_id").annotate(
        central=Sum("central"), local=Sum("local"), quantity=Sum("quantity_done"))
    return {row["line_id"]: ((row["central"] or 0) + (row["local"] or 0), row["quantity"])
            for row in rows}


def _result(number: int, key: tuple, same: list[PlanLine], org_ids: list[int], year: int,
            executed: dict) -> LineResult:
    kind, subtype, language, content, unit = key
    quantities = [line.quantity for line in same if line.quantity is not None]
    result = LineResult(
        number, content, kind, subtype, language, unit,
        planned=sum(quantities) if quantities else None, actual=None,
        budget_planned=sum((line.budget_central + line.budget_local for line in same),
                           Decimal(0)),
        budget_executed=sum((executed.get(line.pk, (Decimal(0), None))[0] for line in same),
                            Decimal(0)),
    )
    if kind in PRODUCT_KINDS:
        firsts = products_first_live(kind, subtype, language, org_ids, year)
        result.actual, result.months, result.firsts = len(firsts), monthly(firsts), firsts
        result.by_language = language_breakdown(kind, subtype, org_ids, list(firsts))
    elif kind == LineKind.TRAINING:
        result.actual = training_people(org_ids, year)
    elif kind == LineKind.MONITORING:
        result.actual = monitoring_rounds(org_ids, year)
    elif kind == LineKind.SUPPORT_POINTS:
        result.actual = support_points_equipped(org_ids, year)
    else:
        done = [executed.get(line.pk, (0, None))[1] for line in same]
        result.counted = False
        result.actual = sum(d for d in done if d is not None) if any(
            d is not None for d in done) else None
    return result


# --- channels' own logs, read by label ------------------------------------------------

def _model(label: str):
    try:
        return apps.get_model(label)
    except LookupError:  # the channel is not installed on this site
        return None


def _org_pages(org_ids: list[int]):
    return ProductPage.objects.filter(organisation_id__in=org_ids).values("pk")


def station_figures(org_ids: list[int], year: int) -> list[dict]:
    """Per station: complete downloads of the organisations' bulletins, and airings
    (the times each airing report states) in the year."""
    downloads_model, airings_model = _model("stations.DownloadLog"), _model(
        "stations.AiringReport")
    if downloads_model is None or airings_model is None:
        return []
    start, end = year_bounds(year)
    pages = _org_pages(org_ids)
    stations: dict[str, dict] = {}
    for row in (downloads_model.objects.filter(
            complete=True, bulletin__in=pages, started_at__gte=start, started_at__lt=end)
            .values("station__name").annotate(n=Count("id"),
                                             bulletins=Count("bulletin", distinct=True))):
        stations[row["station__name"]] = {"station": row["station__name"],
                                          "downloads": row["n"], "bulletins": row["bulletins"],
                                          "airings": 0}
    for row in (airings_model.objects.filter(bulletin__in=pages, aired_on__year=year)
                .values("station__name").annotate(n=Sum("times"))):
        entry = stations.setdefault(row["station__name"], {
            "station": row["station__name"], "downloads": 0, "bulletins": 0, "airings": 0})
        entry["airings"] = row["n"] or 0
    return sorted(stations.values(), key=lambda e: e["station"])


def delivery_figures(org_ids: list[int], year: int) -> dict[str, int]:
    """Products (and language versions) delivered to the national database in the year."""
    model = _model("delivery.DeliveryRecord")
    if model is None:
        return {"products": 0, "versions": 0}
    start, end = year_bounds(year)
    delivered = model.objects.filter(kind="package", state="delivered", delivered_at__gte=start,
                                     delivered_at__lt=end, page__in=_org_pages(org_ids))
    return {"products": delivered.values("identifier").distinct().count(),
            "versions": delivered.values("identifier", "language").distinct().count()}


def elibrary_use(org_ids: list[int], year: int) -> dict[str, dict[str, int]]:
    """language → {views, downloads} on the e-library in the year."""
    rows = (ProductUse.objects.filter(page__in=_org_pages(org_ids), month__year=year)
            .values("language").annotate(views=Sum("views"), downloads=Sum("downloads")))
    return {row["language"]: {"views": row["views"] or 0, "downloads": row["downloads"] or 0}
            for row in rows}


def elibrary_use_by_product(org_ids: list[int], year: int) -> list[dict]:
    """Per language version: views and downloads in the year, most viewed first."""
    rows = (ProductUse.objects.filter(page__in=_org_pages(org_ids), month__year=year)
            .values("page_id", "page__title", "language")
            .annotate(views=Sum("views"), downloads=Sum("downloads"))
            .order_by("-views", "page__title"))
    identifiers = dict(ProductPage.objects.filter(pk__in=[r["page_id"] for r in rows])
                       .values_list("pk", "identifier"))
    return [{"identifier": identifiers.get(r["page_id"], ""), "title": r["page__title"],
             "language": r["language"], "views": r["views"] or 0,
             "downloads": r["downloads"] or 0} for r in rows]


def kiosk_figures(org_ids: list[int], year: int) -> list[dict]:
    """Per support point: plays reported by its kiosk in the year and its last contact."""
    points = SupportPoint.objects.filter(organisation_id__in=org_ids).select_related("commune")
    plays = dict(KioskPlay.objects.filter(support_point__in=points, played_on__year=year)
                 .values_list("support_point").annotate(n=Sum("times")))
    return [{"point": str(point), "plays": plays.get(point.pk, 0),
             "last_contact": point.kiosk_last_contact}
            for point in points if point.kiosk_code or plays.get(point.pk)]


def participants_by_group(org_ids: list[int], year: int) -> dict[str, int]:
    rows = (TrainingParticipants.objects.filter(session__organisation_id__in=org_ids,
                                                session__date__year=year)
            .values("group").annotate(n=Sum("count")))
    return {row["group"]: row["n"] for row in rows}
