"""Admin panels for modeltranslation fields: one form, one tab per enabled language."""

from __future__ import annotations

from django.conf import settings
from wagtail.admin.panels import FieldPanel, ObjectList, TabbedInterface

from . import languages


def translated_panels(model, translated: list[str], shared: list[str]) -> TabbedInterface:
    """Shared fields and Vietnamese first, then a tab per other enabled language."""
    enabled = languages.enabled([code for code, _name in settings.LANGUAGES])
    tabs = []
    for lang in enabled:
        fields = [FieldPanel(f"{name}_{lang.code.replace('-', '_')}") for name in translated]
        if lang.code == languages.DEFAULT:
            fields += [FieldPanel(name) for name in shared]
        tabs.append(ObjectList(fields, heading=lang.name_vi))
    return TabbedInterface(tabs)
