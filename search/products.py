"""Searching the e-library: live, public products only, the visitor's language first,
optionally narrowed to one product kind and one topic."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.conf import settings
from django.db.models import Q, QuerySet
from wagtail.models import Locale
from wagtail.search.backends import get_search_backend

from cms.products.models import PRODUCT_MODELS, ProductPage
from search.backends.ranking import RankedPage
from search.config import PUBLIC_BACKEND

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


Fetch = Callable[[int, int], RankedPage]


class LanguageFirstResults(Sequence):
    """Ranked results (visitor's language first) behaving as a sequence, so Django's
    Paginator fetches only the page it shows. ``count()`` fetches ``window`` (the page the
    view is about to show) together with the total, so a result page costs one search."""

    def __init__(self, fetch: Fetch, window: tuple[int, int] = (0, 20)) -> None:
        self._fetch = fetch
        self._window = window
        self._start = 0
        self._cached: RankedPage | None = None

    def _load(self, start: int, stop: int) -> RankedPage:
        self._start, self._cached = start, self._fetch(start, stop)
        return self._cached

    def count(self) -> int:
        return (self._cached or self._load(*self._window)).total

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if isinstance(index, int):
            items = self[index:index + 1]
            if not items:
                raise IndexError(index)
            return items[0]
        start, stop, _step = index.indices(self._cached.total if self._cached else 10**9)
        cached, first = self._cached, self._start
        exhausted = cached is not None and first + len(cached.ids) >= cached.total
        if cached is None or start < first or (stop > first + len(cached.ids) and not exhausted):
            cached, first = self._load(start, stop), start
        return _specific(cached.ids[start - first:stop - first])


def _specific(ids: list[int]) -> list:
    """The pages as their product classes, one query per class instead of one per page."""
    by_id = ProductPage.objects.filter(pk__in=ids).specific().in_bulk()
    return [by_id[pk] for pk in ids if pk in by_id]


def _restrict(queryset: QuerySet, topic: str | None, *, as_list: bool = False) -> QuerySet:
    if topic:
        # The index has no topic filter field: narrow the candidates by id. The database
        # takes a subquery (a common topic has thousands of products); the engine a list.
        ids = queryset.filter(topics__slug=topic).values("pk")
        queryset = queryset.filter(
            pk__in=list(ids.values_list("pk", flat=True)) if as_list else ids)
    return queryset


def public_backend():
    """The backend of the e-library's search: the engine when one is configured."""
    name = PUBLIC_BACKEND if PUBLIC_BACKEND in settings.WAGTAILSEARCH_BACKENDS else "default"
    return get_search_backend(name)


def _first(backend, base: QuerySet, language: str):
    """The visitor's language, as the backend can read it: a Q for the databases (a
    subquery), the narrower queryset for the engine (its filter fields know the locale's
    id, not its language code)."""
    if getattr(backend, "prefers_queryset", False):
        return base.filter(locale__in=list(
            Locale.objects.filter(language_code=language).values_list("pk", flat=True)))
    return Q(locale__language_code=language)


def _two_searches(backend, query: str, base: QuerySet, language: str) -> Fetch:
    """For backends without ``ranked_page``: one ranked search per group."""
    locale = Locale.objects.filter(language_code=language).first()
    own = Q(locale=locale) if locale else Q(pk__in=[])

    def fetch(start: int, stop: int) -> RankedPage:
        first = backend.search(query, base.filter(own))
        rest = backend.search(query, base.exclude(own))
        split = first.count()
        ids = [p.pk for p in first[start:min(stop, split)]] if start < split else []
        if stop > split:
            ids += [p.pk for p in rest[max(start - split, 0):stop - split]]
        return RankedPage(ids, split + rest.count())

    return fetch


def search_products(query: str, *, language: str, kind: str | None = None,
                    topic: str | None = None,
                    window: tuple[int, int] = (0, 20)) -> LanguageFirstResults:
    """Live public products matching ``query``; ``window`` is the slice the caller will show
    first (fetched together with the count)."""
    backend = public_backend()
    ranked = hasattr(backend, "ranked_page")
    base = _restrict(live_products(kind), topic,
                     as_list=getattr(backend, "prefers_queryset", False))
    if ranked:
        def fetch(start: int, stop: int) -> RankedPage:
            return backend.ranked_page(query, base, first=_first(backend, base, language),
                                       start=start, stop=stop)
    else:
        fetch = _two_searches(backend, query, base, language)
    return LanguageFirstResults(fetch, window)


def suggest_titles(prefix: str, *, language: str, limit: int = 8) -> list[ProductPage]:
    """Autocomplete: live products whose title words start like ``prefix``, the visitor's
    language first."""
    backend = public_backend()
    base = live_products()
    if hasattr(backend, "ranked_page"):
        page = backend.ranked_page(prefix, base, first=_first(backend, base, language),
                                   start=0, stop=limit, autocomplete=True)
        return _specific(page.ids)
    locale = Locale.objects.filter(language_code=language).first()
    own = base.filter(locale=locale) if locale else base.none()
    suggestions = list(backend.autocomplete(prefix, own)[:limit])
    if len(suggestions) < limit:
        others = base.exclude(locale=locale) if locale else base
        suggestions += list(backend.autocomplete(prefix, others)[:limit - len(suggestions)])
    return suggestions
