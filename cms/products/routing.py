"""Serving a product page with few queries.

Wagtail routes one tree level at a time with two queries per level (the child as a plain
``Page``, then its specific row), and the product template then fetches the cover, the
area, the producer and the recording one by one. Products sit four levels below the site
root, so a product page paid eleven queries before rendering anything. Here each level
asks for its child already as its specific class in one query, and the product comes with
what its template shows (``select_related``). Pages of other types fall back to Wagtail's
routing, so nothing else changes.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page

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

    def route(self, request, path_components):
        if path_components:
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
        return children(models[0], self).filter(slug=slug).order_by().first()


def children(model: type[Page], parent: Page):
    """``parent``'s children in ``model``'s queryset, found the way treebeard's
    ``get_children`` finds them: by depth and a path range, which the unique index on
    ``path`` serves (``child_of`` uses LIKE, which SQLite answers with a table scan)."""
    return model.objects.filter(depth=parent.depth + 1,
                                path__range=Page._get_children_path_interval(parent.path))


def product_child(parent: Page, slug: str) -> Page | None:
    """The product at ``slug`` under a section, specific, with its related rows: its id and
    type first (no model to build), then its row from its own class with the foreign keys
    its template shows joined in. (One query joining all four product tables costs more to
    compile than it saves.)"""
    from .models import PRODUCT_MODELS

    row = (children(Page, parent).filter(slug=slug).order_by()
           .values_list("pk", "content_type_id").first())
    if row is None:
        return None
    model = ContentType.objects.get_for_id(row[1]).model_class()  # cached by Django
    if model not in PRODUCT_MODELS:
        return None
    related = (*PRODUCT_RELATED, *OWN_RELATED.get(model._meta.model_name, ()))
    return model.objects.select_related(*related).filter(pk=row[0]).first()
