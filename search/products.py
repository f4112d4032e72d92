"""Searching the e-library: live, public products only, the visitor's language first,
optionally narrowed to one product kind and one topic."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import QuerySet
from wagtail.models import Locale
from wagtail.search.backends import get_search_backend

from cms.products.models import PRODUCT_MODELS, ProductPage

# URL value → product model; the order is the order of the filter on the page.
KINDS: dict[str, type[ProductPage]] = {
    "ban-tin": PRODUCT_MODELS[0],
    "tai-lieu": PRODUCT_MODELS[1],
    "to-roi": PRODUCT_MODELS[2],
    "video": PRODUCT_MODELS[3],
}


def live_products(kind: str | None = None) -> QuerySet:
    """What the public may see. Search entries of drafts exist in the index, but every
    search starts from this queryset, so they never come back."""
    model = KINDS.get(kind or "", ProductPage)
    return model.objects.live().public()


@dataclass
class LanguageFirstResults(Sequence):
    """Two ranked result sets (visitor's language, then the others) behaving as one
    sequence, so Django's Paginator fetches only the page it shows."""

    own: object
    others: object

    def __post_init__(self) -> None:
        self._own_count = self.own.count()
        self._count = self._own_count + self.others.count()

    def __len__(self) -> int:
        return self._count

    def count(self) -> int:
        return self._count

    def __getitem__(self, index):
        if isinstance(index, int):
            items = self[index:index + 1]
            if not items:
                raise IndexError(index)
            return items[0]
        start, stop, _step = index.indices(self._count)
        split = self._own_count
        items = list(self.own[start:min(stop, split)]) if start < split else []
        if stop > split:
            items += list(self.others[max(start - split, 0):stop - split])
        return _specific(items)


def _specific(pages: list) -> list:
    """The pages as their product classes, one query per class instead of one per page."""
    by_id = ProductPage.objects.filter(pk__in=[p.pk for p in pages]).specific().in_bulk()
    return [by_id[p.pk] for p in pages if p.pk in by_id]


def _restrict(queryset: QuerySet, topic: str | None) -> QuerySet:
    if topic:
        # The index has no topic filter field; narrow the candidates by id instead, which
        # every backend (database or Elasticsearch) can filter on.
        ids = list(queryset.filter(topics__slug=topic).values_list("id", flat=True))
        queryset = queryset.filter(id__in=ids)
    return queryset


def search_products(query: str, *, language: str, kind: str | None = None,
                    topic: str | None = None) -> LanguageFirstResults:
    backend = get_search_backend()
    base = _restrict(live_products(kind), topic)
    locale = Locale.objects.filter(language_code=language).first()
    own = base.filter(locale=locale) if locale else base.none()
    others = base.exclude(locale=locale) if locale else base
    return LanguageFirstResults(backend.search(query, own), backend.search(query, others))


def suggest_titles(prefix: str, *, language: str, limit: int = 8) -> list[ProductPage]:
    """Autocomplete: live products whose title words start like ``prefix``, the visitor's
    language first."""
    backend = get_search_backend()
    locale = Locale.objects.filter(language_code=language).first()
    base = live_products()
    own = base.filter(locale=locale) if locale else base.none()
    suggestions = list(backend.autocomplete(prefix, own)[:limit])
    if len(suggestions) < limit:
        others = base.exclude(locale=locale) if locale else base
        suggestions += list(backend.autocomplete(prefix, others)[:limit - len(suggestions)])
    return suggestions
