"""Serving a product page with few queries, through public APIs only.

Wagtail routes one tree level at a time (the child as a plain ``Page``, then its specific
row), and the product template then fetches the cover, the area, the producer and the
recordings one by one. Products sit three levels below the site root (home → e-library →
section → product).

The page classes above the products override ``route()`` (Wagtail's documented extension
point): a path exactly as deep as the products is looked up by its ``url_path`` (through
the index on the last slug), and the product is loaded as its specific class with the
rows its template shows (``select_related``). Only these page classes
sit between a site root and its products (``parent_page_types`` allow nothing else), and
they route each slug to the child that has it, so the page found is the one Wagtail's
level-by-level walk would reach. Every other path is left to Wagtail's own routing.

Wagtail starts routing from the site's root page as its own class
(``site.root_page.localized.specific``), which costs a query for the home page's own row.
``serving.serve`` gives the root its class first, without that query.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page

from .shown_facts import apply_to

# Foreign keys every product page shows (its locale: its URL, the language switcher and
# the view counter read it); per product class, the ones of its own.
PRODUCT_RELATED = ("cover", "area", "organisation", "locale")
OWN_RELATED = {
    "bulletinpage": ("audio", "video"),
    "documentpage": ("pdf",),
    "printpage": ("artwork_pdf", "artwork_image"),
    "videopage": ("video",),
}


class ProductRouting:
    """Mixin for the page classes above the products (home, e-library, section)."""

    product_levels = 0  # how many slugs below this page the products are

    def route(self, request, path_components):
        if path_components and len(path_components) == self.product_levels:
            product = product_by_url_path(self.url_path, path_components)
            if product is not None:
                return product.route(request, [])
        return super().route(request, path_components)


def product_by_url_path(root_path: str, path_components: list[str]) -> Page | None:
    """The product at ``path_components`` below the page whose ``url_path`` is
    ``root_path``, specific and with what its template shows, or None (live or not:
    ``route`` decides)."""
    url_path = root_path + "".join(f"{slug}/" for slug in path_components)
    row = only_row(Page.objects.filter(slug=path_components[-1], url_path=url_path)
                   .values_list("pk", "content_type_id"))
    if row is None:
        return None
    model = ContentType.objects.get_for_id(row[1]).model_class()  # cached by Django
    if not getattr(model, "routed_as_product", False):
        return None
    product = only_row(product_queryset(model).filter(pk=row[0]))
    if product is not None:
        apply_to(product)  # its topics, renditions, language versions kept at publish
    return product


def only_row(queryset):
    """The one row ``queryset`` finds, or None. Not ``first()``: it adds an ORDER BY on the
    primary key, which Django compiles on every view (a measurable part of the product
    row's cost, whose query joins eight tables) for a lookup that finds one row anyway."""
    return next(iter(queryset.order_by()[:1]), None)


def product_queryset(model: type[Page]):
    """``model``'s pages with the related rows a product page shows."""
    related = OWN_RELATED.get(model._meta.model_name, ())
    return model.objects.select_related(*PRODUCT_RELATED, *related)
