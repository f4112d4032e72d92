"""Who sees which organisation's plans, results and reports.

The province (its department's editors, the reviewers, superusers) sees every organisation;
a district's editors see their own district (and the units under it) only.
"""

from __future__ import annotations

from django.db.models import QuerySet

from cms.organisations.models import Level, Organisation
from cms.organisations.provisioning import REVIEWERS

from .roles import FINANCE_OFFICERS


def sees_whole_province(user) -> bool:
    if not (user and user.is_authenticated):
        return False
    if user.is_superuser or user.groups.filter(name__in=[REVIEWERS, FINANCE_OFFICERS]).exists():
        return True
    return Organisation.objects.filter(editors_group__in=user.groups.all(),
                                       area__level=Level.PROVINCE).exists()


def organisations_for(user) -> QuerySet[Organisation]:
    if sees_whole_province(user):
        return Organisation.objects.all()
    if not (user and user.is_authenticated):
        return Organisation.objects.none()
    own = list(Organisation.objects.filter(editors_group__in=user.groups.all())
               .values_list("pk", flat=True))
    return Organisation.objects.filter(pk__in=own) | Organisation.objects.filter(
        parent__in=own)


def descendants_and_self(org: Organisation) -> list[int]:
    """The organisation and every unit below it (province → districts → communes)."""
    ids, frontier = [org.pk], [org.pk]
    while frontier:
        frontier = list(Organisation.objects.filter(parent__in=frontier)
                        .values_list("pk", flat=True))
        ids.extend(frontier)
    return ids
