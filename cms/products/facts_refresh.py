"""Keeping a product page's shown facts fresh (see shown_facts.py): worked out when it is
published, refreshed by whatever changes one of them."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db.models import Q
from django.utils import translation
from wagtail.models import Page

from media_pipeline.models import MediaItem, Rendition

from .models import PRODUCT_MODELS, ProductPage, Topic
from .shown_facts import OTHER_LIVE_VERSIONS, RENDITIONS, TOPICS

BATCH = 500


# -- working the facts out -------------------------------------------------------------


def topic_names_by_page(page_ids: Iterable[int]) -> dict[int, dict[str, list[str]]]:
    """Per page id, its topics' names per language (a topic without a name in a language
    has its Vietnamese one, as modeltranslation falls back), in the topics' order."""
    through = ProductPage.topics.through
    chosen: dict[int, set[int]] = {}
    for page_id, topic_id in through.objects.filter(
            productpage_id__in=list(page_ids)).values_list("productpage_id", "topic_id"):
        chosen.setdefault(page_id, set()).add(topic_id)
    used = set().union(*chosen.values()) if chosen else set()
    ordered: dict[str, list[tuple[int, str]]] = {}
    for code in settings.MODELTRANSLATION_LANGUAGES:
        with translation.override(code):
            ordered[code] = list(Topic.objects.filter(pk__in=used).values_list("pk", "name"))
    return {page_id: {code: [name for pk, name in rows if pk in chosen.get(page_id, ())]
                      for code, rows in ordered.items()}
            for page_id in page_ids}


def renditions_of(items: Iterable[MediaItem]) -> dict[str, list[dict]]:
    """Each item's READY renditions, oldest first (what the player offers)."""
    items = list(items)
    found: dict[str, list[dict]] = {str(item.pk): [] for item in items}
    ready = (Rendition.objects.filter(source__in=items, state=Rendition.State.READY)
             .order_by("pk").values_list("pk", "source_id", "profile", "file", "mime_type",
                                         "size"))
    for pk, source_id, profile, name, mime_type, size in ready:
        found[str(source_id)].append({"id": pk, "profile": profile, "file": name,
                                      "mime_type": mime_type, "size": size})
    return found


# -- keeping them fresh ----------------------------------------------------------------


def _store(pages: list) -> None:
    ProductPage.objects.bulk_update(pages, ["shown_facts"], batch_size=BATCH)


def refresh(page) -> None:
    """Work out ``page``'s facts anew and keep them on its row (nothing else is saved)."""
    refresh_batch([page])


def refresh_versions_flag(translation_key) -> None:
    """The ``other_live_versions`` flag of every language version of a product."""
    pages = list(ProductPage.objects.filter(translation_key=translation_key))
    live = set(Page.objects.filter(translation_key=translation_key, live=True)
               .values_list("pk", flat=True))
    for page in pages:
        page.shown_facts = {**page.shown_facts, OTHER_LIVE_VERSIONS: bool(live - {page.pk})}
    _store(pages)


def refresh_topics(page_ids: Iterable[int]) -> None:
    pages = list(ProductPage.objects.filter(pk__in=list(page_ids)))
    names = topic_names_by_page([page.pk for page in pages])
    for page in pages:
        page.shown_facts = {**page.shown_facts, TOPICS: names[page.pk]}
    _store(pages)


def pages_using_media(item_id: int) -> list:
    """Product pages (specific) whose own recording fields name the item."""
    found = []
    for model in PRODUCT_MODELS:
        cond = Q()
        for field in model.media_item_fields():
            cond |= Q(**{field.attname: item_id})
        if cond:
            found += model.objects.filter(cond)
    return found


def refresh_renditions(item_id: int) -> None:
    pages = pages_using_media(item_id)
    for page in pages:
        page.shown_facts = {**page.shown_facts,
                            RENDITIONS: renditions_of(page.media_items())}
    _store(pages)


def refresh_all() -> int:
    """Work out anew the facts of every product page (in batches, a few queries each);
    returns how many pages."""
    count = 0
    for model in PRODUCT_MODELS:
        related = [field.name for field in model.media_item_fields()]
        ids = list(model.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), BATCH):
            pages = list(model.objects.filter(pk__in=ids[start:start + BATCH])
                         .select_related(*related))
            refresh_batch(pages)
            count += len(pages)
    return count


def refresh_batch(pages: list) -> None:
    """Work out the facts of ``pages`` (product pages) anew, a few queries for all."""
    names = topic_names_by_page([page.pk for page in pages])
    renditions = renditions_of({item.pk: item for page in pages
                                for item in page.media_items()}.values())
    live: dict = {}
    for key, pk in Page.objects.filter(
            translation_key__in={page.translation_key for page in pages},
            live=True).values_list("translation_key", "pk"):
        live.setdefault(key, set()).add(pk)
    for page in pages:
        page.shown_facts = {
            TOPICS: names[page.pk],
            RENDITIONS: {str(item.pk): renditions[str(item.pk)] for item in page.media_items()},
            OTHER_LIVE_VERSIONS: bool(live.get(page.translation_key, set()) - {page.pk}),
        }
    _store(pages)


def _published(sender, instance, **kwargs) -> None:
    if isinstance(instance, ProductPage):
        refresh(instance)
    refresh_versions_flag(instance.translation_key)


def _unpublished(sender, instance, **kwargs) -> None:
    refresh_versions_flag(instance.translation_key)


def _page_deleted(sender, instance, **kwargs) -> None:
    refresh_versions_flag(instance.translation_key)  # its row is gone already


def _topic_saved(sender, instance, **kwargs) -> None:
    refresh_topics(_pages_with_topic(instance.pk))


def _topic_deleting(sender, instance, **kwargs) -> None:
    # Its pages are found before the deletion takes their links, refreshed after it.
    instance.loa_shown_on = _pages_with_topic(instance.pk)


def _topic_deleted(sender, instance, **kwargs) -> None:
    refresh_topics(getattr(instance, "loa_shown_on", ()))


def _pages_with_topic(topic_id: int) -> list[int]:
    through = ProductPage.topics.through
    return list(through.objects.filter(topic_id=topic_id)
                .values_list("productpage_id", flat=True))


def _rendition_changed(sender, instance, **kwargs) -> None:
    refresh_renditions(instance.source_id)


def connect() -> None:
    from django.db.models.signals import post_delete, post_save, pre_delete
    from wagtail.signals import page_published, page_unpublished

    page_published.connect(_published, dispatch_uid="loa-facts-published")
    page_unpublished.connect(_unpublished, dispatch_uid="loa-facts-unpublished")
    post_delete.connect(_page_deleted, sender=Page, dispatch_uid="loa-facts-page-deleted")
    post_save.connect(_topic_saved, sender=Topic, dispatch_uid="loa-facts-topic-saved")
    pre_delete.connect(_topic_deleting, sender=Topic, dispatch_uid="loa-facts-topic-deleting")
    post_delete.connect(_topic_deleted, sender=Topic, dispatch_uid="loa-facts-topic-deleted")
    for signal in (post_save, post_delete):
        signal.connect(_rendition_changed, sender=Rendition,
                       dispatch_uid=f"loa-facts-rendition-{signal is post_save}")


