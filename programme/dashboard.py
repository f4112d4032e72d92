"""This year's progress per plan line, the next reporting deadline and what is missing:
shown on the admin dashboard and sent in the reminder e-mails."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from . import results
from .models import PRODUCT_KINDS, BudgetExecution, LineKind, Plan, ReportingDeadline
from .scope import organisations_for, sees_whole_province


@dataclass
class Deadline:
    deadline: ReportingDeadline
    due: datetime.date

    @property
    def days_left(self) -> int:
        return (self.due - timezone.localdate()).days


@dataclass
class PlanProgress:
    plan: Plan
    lines: list[results.LineResult]
    missing: list[str] = field(default_factory=list)


def next_deadline(today: datetime.date | None = None) -> Deadline | None:
    today = today or timezone.localdate()
    upcoming = [Deadline(d, d.next_date(today)) for d in ReportingDeadline.objects.all()]
    return min(upcoming, key=lambda d: d.due, default=None)


def plans_for(user, year: int) -> list[Plan]:
    """The plans a user follows: the province's top plans, or the district's own."""
    plans = Plan.objects.filter(first_year__lte=year, last_year__gte=year).select_related(
        "organisation")
    if sees_whole_province(user):
        return list(plans.filter(parent=None))
    return list(plans.filter(organisation__in=organisations_for(user)))


def missing_for(plan: Plan, year: int, lines: list[results.LineResult],
                deadline: ReportingDeadline | None) -> list[str]:
    """What a report due now would lack: lines behind plan, budget not entered, training
    or monitoring planned but none recorded; for a plan deadline, next year's lines."""
    missing = []
    if deadline is not None and deadline.report == ReportingDeadline.Report.PLAN:
        if not plan.lines.filter(year=year + 1).exists() and not Plan.objects.filter(
                organisation=plan.organisation, first_year__lte=year + 1,
                last_year__gte=year + 1).exclude(pk=plan.pk).exists():
            missing.append(_("Chưa có kế hoạch năm %(year)s.") % {"year": year + 1})
        return missing
    budget_lines = plan.lines.filter(year=year).exclude(budget_central=0, budget_local=0)
    entered = set(BudgetExecution.objects.filter(line__in=budget_lines)
                  .values_list("line_id", flat=True))
    not_entered = [line.content for line in budget_lines if line.pk not in entered]
    if not_entered:
        missing.append(_("Chưa nhập kinh phí đã thực hiện: %(lines)s.") % {
            "lines": "; ".join(not_entered)})
    for line in lines:
        if line.kind in (LineKind.TRAINING, LineKind.MONITORING) and line.planned and \
                not line.actual:
            missing.append(_("Chưa ghi nhận: %(line)s.") % {"line": line.content})
        elif line.kind in PRODUCT_KINDS and line.percent is not None and line.percent < 100:
            missing.append(_("%(line)s: mới đạt %(done)s/%(planned)s (%(percent)s%%).") % {
                "line": line.content, "done": line.actual, "planned": line.planned,
                "percent": line.percent})
    return missing


def progress(user, year: int | None = None) -> tuple[list[PlanProgress], Deadline | None]:
    year = year or timezone.localdate().year
    deadline = next_deadline()
    found = []
    for plan in plans_for(user, year):
        lines = results.line_results(plan, year)
        found.append(PlanProgress(plan, lines, missing_for(
            plan, year, lines, deadline.deadline if deadline else None)))
    return found, deadline
