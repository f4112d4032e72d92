"""The media item chooser (choosing a recording or clip for a product).

Who may choose which item is content's business (an organisation's own items, and items
already public), so the chooser asks the ``construct_media_item_chooser_queryset`` hook,
named like Wagtail's image and document chooser hooks, in every view that names an item:
the list, its search results, and the "chosen" answers (which carry the title).
"""

from __future__ import annotations

from wagtail import hooks
from wagtail.snippets.views import chooser as snippet_chooser

from .models import MediaItem

QUERYSET_HOOK = "construct_media_item_chooser_queryset"


def choosable(queryset, request):
    for hook in hooks.get_hooks(QUERYSET_HOOK):
        queryset = hook(queryset, request)
    return queryset


class ChooseView(snippet_chooser.ChooseView):
    construct_queryset_hook_name = QUERYSET_HOOK


class ChooseResultsView(snippet_chooser.ChooseResultsView):
    construct_queryset_hook_name = QUERYSET_HOOK


class ChosenView(snippet_chooser.SnippetChosenView):
    def get_object(self, pk):
        return choosable(MediaItem.objects.all(), self.request).get(pk=pk)


class ChosenMultipleView(snippet_chooser.SnippetChosenMultipleView):
    def get_objects(self, pks):
        return choosable(MediaItem.objects.all(), self.request).filter(pk__in=pks)


class MediaItemChooserViewSet(snippet_chooser.SnippetChooserViewSet):
    choose_view_class = ChooseView
    choose_results_view_class = ChooseResultsView
    chosen_view_class = ChosenView
    chosen_multiple_view_class = ChosenMultipleView
