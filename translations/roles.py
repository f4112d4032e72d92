"""Translator roles: one group per language, allowed to edit only that language's versions.

Wagtail page permissions cover a subtree, and every locale has its own copy of the site
tree (cms.organisations.provisioning.ensure_translated_tree), so a translator group gets
its permissions on its own locale's e-library copy and nowhere else."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import GroupPagePermission, Locale

from cms.organisations.models import Organisation
from cms.organisations.provisioning import (
    EDITOR_MODEL_PERMS,
    PROVINCIAL_EDITORS,
    REVIEWERS,
    ensure_group,
)
from cms.products.models import ELibraryPage

from . import languages

TRANSLATOR_GROUP_PREFIX = "Biên dịch – "
# Translators add and edit; publishing stays with reviewers (the review workflow).
TRANSLATOR_PAGE_PERMS = ("add_page", "change_page", "lock_page", "unlock_page")
TRANSLATOR_MODEL_PERMS = (
    *EDITOR_MODEL_PERMS,
    ("translations", "view_translationrequest"),
    ("translations", "view_glossaryterm"),
    # the public site's interface in their language: they propose, reviewers approve
    ("translations", "view_interfacestring"),
    ("translations", "change_interfacestring"),
)
INTERFACE_REVIEWER_PERMS = (
    ("translations", "view_interfacestring"),
    ("translations", "change_interfacestring"),
    ("translations", "approve_interfacestring"),
)
REQUESTER_MODEL_PERMS = (
    ("translations", "add_translationrequest"),
    ("translations", "change_translationrequest"),
    ("translations", "view_translationrequest"),
    ("translations", "view_glossaryterm"),
)
GLOSSARY_MODEL_PERMS = (
    ("translations", "add_glossaryterm"),
    ("translations", "change_glossaryterm"),
    ("translations", "delete_glossaryterm"),
)


def translator_group_name(code: str) -> str:
    return f"{TRANSLATOR_GROUP_PREFIX}{languages.BY_CODE[code].name_vi}"


def user_languages(user) -> list[str]:
    """Codes of the languages ``user`` translates (by translator-group membership)."""
    names = set(user.groups.filter(name__startswith=TRANSLATOR_GROUP_PREFIX)
                .values_list("name", flat=True))
    return [lang.code for lang in languages.SUPPORTED
            if lang.code != languages.DEFAULT and translator_group_name(lang.code) in names]


def user_has_language(user, code: str) -> bool:
    return code in user_languages(user)


def translators_for(code: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(
        groups__name=translator_group_name(code), is_active=True
    ).order_by("username")


def _perm(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def ensure_translator_group(code: str) -> Group:
    """The group for ``code`` with page permissions on that locale's e-library only."""
    group = ensure_group(translator_group_name(code), TRANSLATOR_MODEL_PERMS)
    locale = Locale.objects.filter(language_code=code).first()
    elibrary = locale and ELibraryPage.objects.filter(locale=locale).first()
    if elibrary is not None:
        for codename in TRANSLATOR_PAGE_PERMS:
            GroupPagePermission.objects.get_or_create(
                group=group, page=elibrary, permission=_perm("wagtailcore", codename)
            )
    return group


@transaction.atomic
def ensure_roles() -> list[Group]:
    """Translator groups for every enabled language; request and glossary permissions for
    editors and reviewers. Idempotent: creates only what is missing."""
    groups = [ensure_translator_group(lang.code) for lang in languages.active()
              if lang.code != settings.LANGUAGE_CODE]
    org_groups = Organisation.objects.exclude(editors_group=None).values("editors_group")
    requesters = (Group.objects.filter(name__in=[PROVINCIAL_EDITORS, REVIEWERS])
                  | Group.objects.filter(pk__in=org_groups))
    request_perms = [_perm(app, code) for app, code in REQUESTER_MODEL_PERMS]
    glossary_perms = [_perm(app, code) for app, code in GLOSSARY_MODEL_PERMS]
    for group in requesters.distinct():
        group.permissions.add(*request_perms)
        if group.name == REVIEWERS:
            group.permissions.add(*glossary_perms)
            group.permissions.add(*[_perm(app, code) for app, code in INTERFACE_REVIEWER_PERMS])
    return groups
