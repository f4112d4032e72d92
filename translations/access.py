"""Who may see a page that is not public yet (its draft, its files, its text for export).

Whoever may edit or publish it by Wagtail's page permissions (district editors on their
own section, provincial editors and reviewers everywhere, translators on their language's
tree), and a translator asked for a version of it in one of their languages."""

from __future__ import annotations

from wagtail.models import Page

from .models import TranslationRequest
from .roles import user_languages


def may_view_draft(user, page: Page) -> bool:
    if not (user is not None and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    tester = page.permissions_for_user(user)
    if tester.can_edit() or tester.can_publish():
        return True
    codes = user_languages(user)
    return bool(codes) and TranslationRequest.objects.filter(
        product__translation_key=page.translation_key, language__in=codes
    ).exists()


def requests_visible_to(user, queryset=None):
    """Translation requests ``user`` may see: all of them for those who ask for
    translations (limited to products they may view), only their own languages' for a
    translator."""
    queryset = TranslationRequest.objects.all() if queryset is None else queryset
    if user.is_superuser:
        return queryset
    visible = [req.pk for req in queryset.select_related("product")
               if may_view_draft(user, req.product)
               and (user.has_perm("translations.add_translationrequest")
                    or req.language in user_languages(user))]
    return queryset.filter(pk__in=visible)
