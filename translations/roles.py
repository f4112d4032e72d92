"""Who translates which language: one group per language (set up with its permissions by
cms.organisations.provisioning.ensure_translation_roles, the one owner of groups)."""

from __future__ import annotations

from . import languages

TRANSLATOR_GROUP_PREFIX = "Biên dịch – "


def translator_group_name(code: str) -> str:
    return f"{TRANSLATOR_GROUP_PREFIX}{languages.BY_CODE[code].name_vi}"


def language_collection_name(code: str) -> str:
    """The collection of a language's own files (its recordings): its translators'."""
    return f"Bản ghi – {languages.BY_CODE[code].name_vi}"


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
