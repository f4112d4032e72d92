"""The glossary check: where the Vietnamese uses an approved term, the translation must use
the approved rendering. Compared segment by segment (same path in both versions),
case-insensitively, on text without markup."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from wagtail.models import Page

from . import segments
from .models import GlossaryTerm
from .po_exchange import current_content, source_content


@dataclass(frozen=True)
class MissingTerm:
    path: str
    term_vi: str
    rendering: str


def check(translation: Page) -> list[MissingTerm]:
    """Approved terms the Vietnamese segment uses and the translated segment lacks."""
    code = translation.locale.language_code
    if code == settings.LANGUAGE_CODE:
        return []
    terms = list(GlossaryTerm.objects.filter(language=code, approved=True))
    source = translation.get_translation_or_none(
        translation.locale.__class__.objects.get(language_code=settings.LANGUAGE_CODE)
    )
    if not terms or source is None:
        return []
    translated = {path: segments.plain_text(text).casefold()
                  for path, text in segments.segments(current_content(translation))}
    missing = []
    for path, text in segments.segments(source_content(source)):
        vi_text = segments.plain_text(text).casefold()
        for term in terms:
            if term.term_vi.casefold() in vi_text and (
                term.rendering.casefold() not in translated.get(path, "")
            ):
                missing.append(MissingTerm(path, term.term_vi, term.rendering))
    return missing
