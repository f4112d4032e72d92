"""Browsing filters for the e-library: language, topic, product kind, area; newest first."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet
from wagtail.models import Locale

from cms.organisations.models import Area
from cms.products.models import Topic
from cms.products.search import KINDS, live_products
from cms.url_converters import database_int

ALL_LANGUAGES = "all"


@dataclass
class BrowseFilters:
    language: str  # a language code, or ALL_LANGUAGES
    kind: str = ""
    topic: str = ""
    area: int | None = None

    @classmethod
    def from_query(cls, params, default_language: str) -> BrowseFilters:
        languages = {code for code, _name in settings.LANGUAGES} | {ALL_LANGUAGES}
        language = params.get("lang", default_language)
        kind = params.get("kind", "")
        area = params.get("area", "")
        return cls(
            language=language if language in languages else default_language,
            kind=kind if kind in KINDS else "",
            topic=params.get("topic", "") if Topic.objects.filter(
                slug=params.get("topic", "")).exists() else "",
            area=database_int(area),
        )

    def apply(self, products: QuerySet) -> QuerySet:
        if self.language != ALL_LANGUAGES:
            products = products.filter(locale__language_code=self.language)
        if self.topic:
            products = products.filter(topics__slug=self.topic)
        if self.area:
            # An area includes its districts and communes.
            products = products.filter(
                Q(area_id=self.area) | Q(area__parent_id=self.area)
                | Q(area__parent__parent_id=self.area)
            )
        return products


def browse_products(filters: BrowseFilters) -> QuerySet:
    products = filters.apply(live_products(filters.kind or None))
    return (products.select_related("locale", "cover").prefetch_related("cover__renditions")
            .order_by("-first_published_at", "-pk").specific())


def filter_choices() -> dict:
    names = dict(settings.LANGUAGES)
    codes = set(Locale.objects.values_list("language_code", flat=True))
    return {
        "languages": [(code, names[code]) for code, _n in settings.LANGUAGES if code in codes],
        "kinds": [(key, model._meta.verbose_name) for key, model in KINDS.items()],
        "topics": list(Topic.objects.all()),
        "areas": list(Area.objects.exclude(level="commune").order_by("level", "name")),
    }
