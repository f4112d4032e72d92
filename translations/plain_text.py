"""Plain text that enters and leaves Loa: one rule for control characters.

A title or summary is read aloud on the radio, printed in feeds, OAI-PMH records and
BagIt tag files; none of those can carry C0/C1 control characters (XML 1.0 forbids most
of them, bag-info.txt forbids line breaks inside a value). Text entering through a form, an
import or code is checked by ``reject_control_characters``; text leaving through XML or a
tag file is cleaned again by ``xml_text``/``one_line``, because rows stored before the check
existed may still hold them.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# C0 except tab, line feed and carriage return (a textarea sends CR LF), DEL, and C1.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# What XML 1.0 cannot carry at all (section 2.2), plus lone surrogates and U+FFFE/U+FFFF.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
LINE_BREAKS = re.compile(r"[\r\n\t]+")


@deconstructible
class ControlCharacterValidator:
    """Model-level validator for plain-text fields (titles, summaries, names, captions)."""

    message = _("Văn bản chứa ký tự điều khiển không in được (%(codes)s). Hãy xoá chúng.")
    code = "control_characters"

    def __call__(self, value) -> None:
        if not isinstance(value, str):
            return
        found = sorted(set(CONTROL_CHARACTERS.findall(value)))
        if found:
            codes = ", ".join(f"U+{ord(char):04X}" for char in found)
            raise ValidationError(self.message, code=self.code, params={"codes": codes})

    def __eq__(self, other) -> bool:
        return isinstance(other, ControlCharacterValidator)


reject_control_characters = ControlCharacterValidator()


def strip_control_characters(text: str) -> str:
    return CONTROL_CHARACTERS.sub("", text)


def xml_text(text: str) -> str:
    """``text`` without what XML 1.0 cannot carry (and without C1 controls)."""
    return CONTROL_CHARACTERS.sub("", XML_ILLEGAL.sub("", text))


def one_line(text: str) -> str:
    """``text`` as a single line with no control characters (BagIt tag values)."""
    return " ".join(LINE_BREAKS.sub(" ", xml_text(text)).split())


def _translated_names(model, names: tuple[str, ...]) -> list[str]:
    """The fields themselves and their per-language columns (django-modeltranslation
    adds ``name_vi``, ``name_zh_hans``… beside ``name``)."""
    from . import languages

    suffixes = [""] + ["_" + lang.code.replace("-", "_") for lang in languages.SUPPORTED]
    existing = {field.name for field in model._meta.get_fields()}
    return [name + suffix for name in names for suffix in suffixes
            if name + suffix in existing]


def plain_text_errors(obj, names: tuple[str, ...]) -> dict[str, list[ValidationError]]:
    errors: dict[str, list[ValidationError]] = {}
    for name in sorted(_translated_names(type(obj), names)):
        try:
            reject_control_characters(getattr(obj, name, None))
        except ValidationError as error:
            errors[name] = [error]
    return errors


class PlainTextFields:
    """Mixin for models: ``plain_text_fields`` may hold no control characters. Checked in
    ``clean()``, so every model form (admin, snippets, Wagtail's page editor) and every
    ``full_clean()`` (Wagtail pages call it on save, importers call it) refuses them."""

    plain_text_fields: tuple[str, ...] = ()

    def clean(self) -> None:
        super().clean()
        errors = plain_text_errors(self, self.plain_text_fields)
        if errors:
            raise ValidationError(errors)
