"""Searching the e-library: live, public products only, the visitor's language first,
optionally narrowed to one product kind and one topic."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from django.db.models import Q, QuerySet
from wagtail.models import Locale
from wagtail.search.backends import get_search_backend

from cms.products.models import PRODUCT_MODELS, ProductPage
from search.backends.ranking import RankedPage
from search.public import public_backend

logger = logging.getLogger(__name__)

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


def _restrict(queryset: QuerySet, topic: str | None) -> QuerySet:
    if topic:
        # The index has no topic filter field: narrow the candidates by id (a subquery: a
        # common topic has thousands of products).
        queryset = queryset.filter(pk__in=queryset.filter(topics__slug=topic).values("pk"))
    return queryset


def _topic_ids(topic: str | None) -> list[int] | None:
    """For the engine, which filters on its own copy of the ids: the products of ``topic``."""
    if not topic:
        return None
    return list(live_products().filter(topics__slug=topic).values_list("pk", flat=True))


def _first(backend, base: QuerySet, language: str):
    """The visitor's language, as the backend can read it: a Q for the databases (a
    subquery), the narrower queryset for the engine (its filter fields know the locale's
    id, not its language code)."""
    if getattr(backend, "prefers_queryset", False):
        return base.filter(locale__in=list(
            Locale.objects.filter(language_code=language).values_list("pk", flat=True)))
    return Q(locale__language_code=language)


def _two_searches(backend, query: str, base: QuerySet, language: str,
                  autocomplete: bool) -> Fetch:
    """For backends without ``ranked_page``: one ranked search per group."""
    locale = Locale.objects.filter(language_code=language).first()
    own = Q(locale=locale) if locale else Q(pk__in=[])
    search = backend.autocomplete if autocomplete else backend.search

    def fetch(start: int, stop: int) -> RankedPage:
        first = search(query, base.filter(own))
        rest = search(query, base.exclude(own))
        split = first.count()
        ids = [p.pk for p in first[start:min(stop, split)]] if start < split else []
        if stop > split:
            ids += [p.pk for p in rest[max(start - split, 0):stop - split]]
        return RankedPage(ids, split + rest.count())

    return fetch


def _still_public(fetch: Fetch, base: QuerySet) -> Fetch:
    """The engine's page re-checked against the database. The engine's copy lags behind:
    a product unpublished, made private or deleted stays in it until the background index
    job runs, and the engine's own ``live`` filter reads that stale copy. So only the ids
    that ``base`` (live, public) still holds are kept, in the engine's order, and the total
    loses the ones dropped. (A stale hit beyond the page shown is still counted until the
    job runs: the pager's total may then be a few too high, no product is ever shown.)"""
    def fetch_public(start: int, stop: int) -> RankedPage:
        page = fetch(start, stop)
        if not page.ids:
            return page
        public = set(base.filter(pk__in=page.ids).values_list("pk", flat=True))
        ids = [pk for pk in page.ids if pk in public]
        return RankedPage(ids, page.total - (len(page.ids) - len(ids)))

    return fetch_public


def _fetch(backend, query: str, language: str, kind: str | None, topic: str | None,
           *, autocomplete: bool = False) -> Fetch:
    if getattr(backend, "prefers_queryset", False):  # the engine
        base, ids = live_products(kind), _topic_ids(topic)

        def fetch(start: int, stop: int) -> RankedPage:
            return backend.ranked_page(query, base, first=_first(backend, base, language),
                                       start=start, stop=stop, autocomplete=autocomplete,
                                       only_ids=ids)
        return _still_public(fetch, base)
    base = _restrict(live_products(kind), topic)
    if hasattr(backend, "ranked_page"):
        def fetch(start: int, stop: int) -> RankedPage:
            return backend.ranked_page(query, base, first=_first(backend, base, language),
                                       start=start, stop=stop, autocomplete=autocomplete)
        return fetch
    return _two_searches(backend, query, base, language, autocomplete)


def _as_typed(full: Fetch, prefix: Fetch) -> Fetch:
    """Whole words first; when they find nothing, the last word read as typed so far (the
    way autocomplete reads it), so "cua khau tan th" finds what the suggestions offered."""
    use_prefix = False

    def fetch(start: int, stop: int) -> RankedPage:
        nonlocal use_prefix
        if not use_prefix:
            page = full(start, stop)
            if page.total or start:
                return page
            use_prefix = True
        return prefix(start, stop)

    return fetch


def _engine_or_database(engine: Fetch, database: Fetch, backend) -> Fetch:
    """The engine's answer, or the database's when the engine is down or too slow."""
    def fetch(start: int, stop: int) -> RankedPage:
        try:
            return engine(start, stop)
        except Exception as error:
            if not backend.is_unavailable(error):
                raise
            logger.warning("search engine unavailable (%s): searching the database", error)
            return database(start, stop)

    return fetch


def _product_fetch(query: str, language: str, kind: str | None, topic: str | None,
                   *, autocomplete: bool) -> Fetch:
    backends = [public_backend()]
    if hasattr(backends[0], "is_unavailable"):
        backends.append(get_search_backend("default"))
    fetches = []
    for backend in backends:
        if autocomplete:
            fetches.append(_fetch(backend, query, language, kind, topic, autocomplete=True))
        else:
            fetches.append(_as_typed(_fetch(backend, query, language, kind, topic),
                                     _fetch(backend, query, language, kind, topic,
                                            autocomplete=True)))
    if len(fetches) == 2:
        return _engine_or_database(fetches[0], fetches[1], backends[0])
    return fetches[0]


def search_products(query: str, *, language: str, kind: str | None = None,
                    topic: str | None = None,
                    window: tuple[int, int] = (0, 20)) -> LanguageFirstResults:
    """Live public products matching ``query``; ``window`` is the slice the caller will show
    first (fetched together with the count)."""
    return LanguageFirstResults(_product_fetch(query, language, kind, topic,
                                               autocomplete=False), window)


def suggest_titles(prefix: str, *, language: str, limit: int = 8) -> list[ProductPage]:
    """Autocomplete: live products whose title words start like ``prefix``, the visitor's
    language first."""
    fetch = _product_fetch(prefix, language, None, None, autocomplete=True)
    return _specific(fetch(0, limit).ids)
