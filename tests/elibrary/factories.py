"""Building published and draft products for the e-library tests, in any language."""

from __future__ import annotations

import itertools

from django.conf import settings
from wagtail.models import Locale

from cms.products.models import BulletinPage, SectionPage

_slugs = itertools.count(1)
EXTRA_LANGUAGES = [("tyz", "Tiếng Tày"), ("nut", "Tiếng Nùng"), ("km", "ភាសាខ្មែរ")]


def enable_languages(django_settings, codes=EXTRA_LANGUAGES) -> None:
    """Switch on ethnic languages the way a province does (LOA_LANGUAGES)."""
    languages = [*settings.LANGUAGES, *[c for c in codes if c[0] not in dict(settings.LANGUAGES)]]
    django_settings.LANGUAGES = languages
    django_settings.WAGTAIL_CONTENT_LANGUAGES = languages


def section_in(section: SectionPage, language: str) -> SectionPage:
    """The copy of ``section`` in ``language``, made (with its parents) when missing."""
    locale, _ = Locale.objects.get_or_create(language_code=language)
    copy = SectionPage.objects.filter(translation_key=section.translation_key,
                                      locale=locale).first()
    if copy is None:
        copy = section.copy_for_translation(locale, copy_parents=True)
        copy.save_revision().publish()
    return copy


def add_product(parent, model=BulletinPage, *, title: str, text: str = "", topics=(),
                live: bool = True, **fields):
    page = model(title=title, slug=f"sp-{next(_slugs)}", locale=parent.locale, live=False,
                 summary=text[:1000], body=[("paragraph", f"<p>{text}</p>")] if text else [],
                 **fields)
    parent.add_child(instance=page)
    page.topics = list(topics)
    revision = page.save_revision()
    if live:
        revision.publish()
    return model.objects.get(pk=page.pk)
