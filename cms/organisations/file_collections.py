"""Put files uploaded before collections existed where they belong: the collection of the
organisation whose product uses them, or for a language version's own recording, the
collection of that language. Files already in a collection other than the root stay."""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from wagtail.models import Collection

from cms.products.file_integrity import page_file_references
from cms.products.models import ProductPage
from media_pipeline.models import MediaItem

from .models import Organisation


def _versions(page) -> list:
    """The page row and, when it differs, the latest draft."""
    versions = [page]
    if page.has_unpublished_changes and page.latest_revision_id:
        versions.append(page.get_latest_revision_as_object())
    return versions


def _organisation(page) -> Organisation | None:
    if page.organisation_id:
        return page.organisation
    parent = page.get_parent()
    return parent.specific.organisation if parent is not None and hasattr(
        parent.specific, "organisation") else None


def _language_collection(code: str) -> Collection | None:
    from translations.roles import language_collection_name

    root = Collection.get_first_root_node()
    return root.get_children().filter(name=language_collection_name(code)).first()


def sort_files_into_collections() -> int:
    """Move root-collection files to their owner's collection; return how many moved."""
    root = Collection.get_first_root_node()
    moved = 0
    pages = ProductPage.objects.specific().select_related("locale").order_by("depth", "pk")
    # Vietnamese first: a file both versions use belongs to the organisation.
    ordered = sorted(pages, key=lambda p: p.locale.language_code != settings.LANGUAGE_CODE)
    for page in ordered:
        org = _organisation(page)
        code = page.locale.language_code
        own_language = _language_collection(code) if code != settings.LANGUAGE_CODE else None
        for version in _versions(page):
            for label, pk in page_file_references(version):
                model = apps.get_model(label)
                target = own_language if (model is MediaItem and own_language) else (
                    org.collection if org else None)
                if target is not None:
                    moved += model.objects.filter(pk=pk, collection=root).update(
                        collection=target)
    return moved
