"""What the public search index may hold: pages that are live and not behind a view
restriction (a private section keeps its products private); every other indexed model
(topics, …) as it is. The database backend of the admin keeps drafts; the public engine
never stores them."""

from __future__ import annotations

from wagtail.models import Page


def is_public(obj) -> bool:
    if not isinstance(obj, Page):
        return True
    return bool(obj.live) and not obj.get_view_restrictions().exists()


def split(model, objs: list) -> tuple[list, list]:
    """``objs`` (of ``model``) as (public, not public), in one query for pages."""
    if not objs or not issubclass(model, Page):
        return objs, []
    public_pks = set(model.objects.filter(pk__in=[o.pk for o in objs]).live().public()
                     .values_list("pk", flat=True))
    return ([o for o in objs if o.pk in public_pks],
            [o for o in objs if o.pk not in public_pks])
