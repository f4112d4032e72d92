"""Serving a product page with few queries.

Wagtail routes one tree level at a time with two queries per level (the child as a plain
``Page``, then its specific row), and the product template then fetches the cover, the
area, the producer and the recording one by one. Products sit three levels below the site
root (home → e-library → section → product), so a product page paid eleven queries before
rendering anything.

Here a path as deep as the products is looked up in one query by its ``url_path`` (through
the index on the last slug). Only the page classes of this module sit between a site root
and its products (``parent_page_types`` allow nothing else), and they route each slug to
the child that has it, so the page found is the one Wagtail's level-by-level walk would
reach. The product comes as its specific class with what its template shows
(``select_related``). Other paths go one level per query, each child already specific;
pages of other types fall back to Wagtail's routing, so nothing else changes.

``views.serve_product`` goes one step further for URLs shaped like a product's.
"""

from __future__ import annotations

import functools

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page

from .prepared import PreparedInstances, PreparedLookup

# Foreign keys every product page shows; per product class, the ones of its own.
PRODUCT_RELATED = ("cover", "area", "organisation")
OWN_RELATED = {
    "bulletinpage": ("audio", "video"),
    "documentpage": ("pdf",),
    "printpage": ("artwork_pdf", "artwork_image"),
    "videopage": ("video",),
}


class OneQueryRouting:
    """Mixin for the page classes above the products (home, e-library, section)."""

    product_levels = 0  # how many slugs below this page the products are

    def route(self, request, path_components):
        if path_components:
            product = product_at(self, path_components)
            if product is not None:
                return product.route(request, [])
            child = self.specific_child(path_components[0])
            if child is not None:
                child._cached_parent_obj = self  # treebeard's get_parent() needs no query
                return child.route(request, path_components[1:])
        return super().route(request, path_components)

    def specific_child(self, slug: str) -> Page | None:
        """The child at ``slug`` as its specific class, or None to let Wagtail route."""
        models = self.specific_class.allowed_subpage_models()
        if len(models) != 1:
            return None
        return only_row(children(models[0], self).filter(slug=slug))


def children(model: type[Page], parent: Page):
    """``parent``'s children in ``model``'s queryset, found the way treebeard's
    ``get_children`` finds them: by depth and a path range, which the unique index on
    ``path`` serves (``child_of`` uses LIKE, which SQLite answers with a table scan)."""
    return model.objects.filter(depth=parent.depth + 1,
                                path__range=Page._get_children_path_interval(parent.path))


# Id and type of the page at a url_path (through the index on its last slug), compiled once.
_PAGE_AT_URL_PATH = PreparedLookup(Page, lambda slug, url_path: Page.objects.filter(
    slug=slug, url_path=url_path).order_by().values_list("pk", "content_type_id")[:1])


def only_row(queryset):
    """The one row ``queryset`` finds, or None, with no ORDER BY. (``first()`` orders by the
    primary key, and Django then compares it with every selected column, a cost that grows
    with the width of the specific page's tables.)"""
    return next(iter(queryset.order_by()[:1]), None)


def product_at(page: OneQueryRouting, path_components: list[str]) -> Page | None:
    """The product page at ``path_components`` below ``page`` (live or not: ``route``
    decides), or None when the path is not one of a product."""
    if len(path_components) != page.product_levels:
        return None
    return product_by_url_path(page.url_path, path_components)


def product_by_url_path(root_path: str, path_components: list[str]) -> Page | None:
    """The product at ``path_components`` below the page whose ``url_path`` is
    ``root_path``, specific and with its related rows, or None."""
    url_path = root_path + "".join(f"{slug}/" for slug in path_components)
    rows = _PAGE_AT_URL_PATH(slug=path_components[-1], url_path=url_path)
    if not rows:
        return None
    row = rows[0]
    model = ContentType.objects.get_for_id(row[1]).model_class()  # cached by Django
    if not getattr(model, "routed_as_product", False):
        return None
    return next(iter(_product_row(model)(pk=row[0])), None)


@functools.cache
def _product_row(model: type[Page]) -> PreparedInstances:
    """The prepared query of ``model``'s row with the related rows its template shows."""
    related = (*PRODUCT_RELATED, *OWN_RELATED.get(model._meta.model_name, ()))
    return PreparedInstances(model, lambda pk: (
        model.objects.select_related(*related).filter(pk=pk).order_by()))

