"""The admin dashboard panel: this year's progress per line, the next deadline."""

from __future__ import annotations

from django.utils import timezone
from wagtail.admin.ui.components import Component

from .dashboard import progress


class ProgressPanel(Component):
    name = "programme_progress"
    order = 90
    template_name = "programme/admin/progress_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        year = timezone.localdate().year
        plans, deadline = progress(self.user, year)
        return {"plans": plans, "deadline": deadline, "year": year}
