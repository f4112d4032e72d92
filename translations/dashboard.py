"""What the translation dashboard shows: per product × language what exists, what is late
and what is missing; per language what the province published this year."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from wagtail.models import Page

from . import languages
from .models import TranslationRequest
from .pages import translatable_page_model

PUBLISHED, IN_REVIEW, IN_PROGRESS, REQUESTED, DRAFT, MISSING = (
    "published", "in_review", "in_progress", "requested", "draft", "missing")


@dataclass
class Cell:
    status: str
    late: bool = False
    request: TranslationRequest | None = None
    page_id: int | None = None


@dataclass
class Row:
    product: Page
    cells: list[Cell]


@dataclass
class LanguageSummary:
    language: languages.Language
    published_this_year: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    interface: object = None  # interface.Coverage: the public site's strings translated


def target_languages() -> list[languages.Language]:
    return [lang for lang in languages.active() if lang.code != settings.LANGUAGE_CODE]


def _cell(version: dict | None, req: TranslationRequest | None) -> Cell:
    if version and version["live"]:
        return Cell(PUBLISHED, request=req, page_id=version["id"])
    page_id = version["id"] if version else None
    if req is not None:
        return Cell(req.state, late=req.is_late, request=req, page_id=page_id)
    return Cell(DRAFT, page_id=page_id) if version else Cell(MISSING)


def build(products=None) -> tuple[list[Row], list[LanguageSummary]]:
    targets = target_languages()
    product_model = translatable_page_model()
    products = list(products if products is not None else product_model.objects.filter(
        locale__language_code=settings.LANGUAGE_CODE).specific().order_by("-latest_revision_created_at"))
    keys = [p.translation_key for p in products]
    versions = {
        (v["translation_key"], v["locale__language_code"]): v
        for v in Page.objects.filter(translation_key__in=keys).values(
            "id", "translation_key", "locale__language_code", "live")
    }
    requests = {(r.product_id, r.language): r for r in TranslationRequest.objects.filter(
        product__in=[p.pk for p in products]).select_related("assignee")}
    rows = [Row(p, [_cell(versions.get((p.translation_key, lang.code)),
                          requests.get((p.pk, lang.code))) for lang in targets])
            for p in products]
    summaries = []
    year = timezone.localdate().year
    for index, lang in enumerate(targets):
        summary = LanguageSummary(lang)
        summary.published_this_year = product_model.objects.live().filter(
            locale__language_code=lang.code, first_published_at__year=year).count()
        for row in rows:
            cell = row.cells[index]
            summary.counts[cell.status] = summary.counts.get(cell.status, 0) + 1
            if cell.late:
                summary.counts["late"] = summary.counts.get("late", 0) + 1
        summaries.append(summary)
    return rows, summaries
