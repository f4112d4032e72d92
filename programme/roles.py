"""The programme's permissions for the groups provisioning made, and the finance officer."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

from cms.organisations.models import Organisation
from cms.organisations.provisioning import PROVINCIAL_EDITORS, REVIEWERS

FINANCE_OFFICERS = "Kế toán chương trình"

_RECORDS = ("plan", "trainingsession", "monitoringround", "supportpoint")
# Districts and the department's editors keep their plans, training, monitoring and points.
EDITOR_PERMS = [f"{action}_{model}" for model in _RECORDS for action in ("add", "change", "view")]
EDITOR_PERMS += ["view_budgetexecution"]
REVIEWER_PERMS = [*EDITOR_PERMS, "delete_plan", "add_budgetexecution",
                  "change_budgetexecution", "view_reportingdeadline",
                  "add_reportingdeadline", "change_reportingdeadline"]
# Budget execution is the only money figure entered by hand, by the finance officer.
FINANCE_PERMS = ["view_plan", "add_budgetexecution", "change_budgetexecution",
                 "view_budgetexecution", "delete_budgetexecution"]


def _perms(codenames: list[str]) -> list[Permission]:
    return list(Permission.objects.filter(content_type__app_label="programme",
                                          codename__in=codenames))


def ensure_programme_roles() -> None:
    editor_groups = Group.objects.filter(
        pk__in=Organisation.objects.exclude(editors_group=None).values("editors_group"))
    editor_perms = _perms(EDITOR_PERMS)
    for group in [*editor_groups, *Group.objects.filter(name=PROVINCIAL_EDITORS)]:
        group.permissions.add(*editor_perms)
    for group in Group.objects.filter(name=REVIEWERS):
        group.permissions.add(*_perms(REVIEWER_PERMS))
    finance, _created = Group.objects.get_or_create(name=FINANCE_OFFICERS)
    admin_access = Permission.objects.get(content_type__app_label="wagtailadmin",
                                          codename="access_admin")
    finance.permissions.add(admin_access, *_perms(FINANCE_PERMS))
