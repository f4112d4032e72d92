"""The one door for text that enters without the page editor (PO import, file imports):
rich text through Wagtail's own whitelist for the block's features, the same rules the
editor's converter applies to what an editor types; plain text through the control
character validator."""

from __future__ import annotations

from collections.abc import Sequence

from wagtail.admin.rich_text.converters.db_html import DbHTMLConverter

from .plain_text import reject_control_characters


def clean_rich_text(html: str, features: Sequence[str] | None = None) -> str:
    """``html`` (database format, as stored and exported) with everything the features
    do not allow removed: scripts, event handlers, ``javascript:`` links, unknown tags."""
    cleaned, _removals = DbHTMLConverter(features=list(features) if features else None).clean(
        html)
    return cleaned


def check_plain_text(text: str) -> str:
    """``text`` unchanged, or ValidationError for control characters."""
    reject_control_characters(text)
    return text
