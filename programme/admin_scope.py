"""Snippet views that show a district only its own organisation's records."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.organisations.models import Organisation

from .scope import organisations_for, sees_whole_province


class ScopedObjectMixin:
    """Opening another district's record by its URL is refused like a missing permission."""

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if obj is not None and not in_scope(self.request.user, obj, self.model):
            raise PermissionDenied
        return obj


def _org_path(model) -> str:
    return getattr(model, "organisation_path", "organisation")


def in_scope(user, obj, model) -> bool:
    if sees_whole_province(user):
        return True
    return model.objects.filter(pk=obj.pk, **{
        f"{_org_path(model)}__in": organisations_for(user)}).exists()


class ScopedEditView(ScopedObjectMixin, snippet_views.EditView):
    pass


class ScopedDeleteView(ScopedObjectMixin, snippet_views.DeleteView):
    pass


class ScopedInspectView(ScopedObjectMixin, snippet_views.InspectView):
    pass


class ScopedHistoryView(ScopedObjectMixin, snippet_views.HistoryView):
    pass


class ScopedForm(WagtailAdminModelForm):
    """Organisation choices (and plan-line choices) limited to what the user may see."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "line" in self.fields:  # named by plan and year: fetch the plans with the lines
            self.fields["line"].queryset = self.fields["line"].queryset.select_related("plan")
        user = self.for_user
        if user is None or sees_whole_province(user):
            return
        allowed = organisations_for(user)
        if "organisation" in self.fields:
            self.fields["organisation"].queryset = Organisation.objects.filter(
                pk__in=allowed.values("pk"))
        if "line" in self.fields:
            self.fields["line"].queryset = self.fields["line"].queryset.filter(
                plan__organisation__in=allowed)


class ScopedSnippetViewSet(SnippetViewSet):
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    inspect_view_class = ScopedInspectView
    history_view_class = ScopedHistoryView

    def get_queryset(self, request):
        queryset = self.model._default_manager.all()
        if sees_whole_province(request.user):
            return queryset
        return queryset.filter(**{f"{_org_path(self.model)}__in": organisations_for(request.user)})
