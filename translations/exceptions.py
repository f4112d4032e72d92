"""Errors of the languages feature. Messages are Vietnamese: they reach editors as is."""

from __future__ import annotations

from loa.exceptions import LoaError


class TranslationError(LoaError):
    """Base class: ``str(error)`` is a complete sentence for the user."""


class TransitionNotAllowed(TranslationError):
    """A translation request cannot move to the asked state (wrong state or wrong user)."""


class TranslatorLacksLanguage(TranslationError):
    """The chosen translator does not hold the request's language."""


class ExchangeFileRefused(TranslationError):
    """A PO file was refused on import: malformed, or for another product or language."""
