"""Integers from URLs and query strings that a database can hold.

Django's ``<int:…>`` accepts any number of digits; a 24-digit id reaches SQLite as an
integer it cannot bind (OverflowError, a 500) and PostgreSQL as one out of its column's
range. Ids here are bounded to what a 32-bit ``serial`` column (Wagtail's page ids) holds,
so a longer one is simply "no such object": 404 in a path, ignored in a query string.
"""

from __future__ import annotations

from django.urls import register_converter

MAX_ID = 2**31 - 1


def database_int(text: str | None) -> int | None:
    """The non-negative integer ``text`` spells in ASCII digits, if a column can hold it."""
    if not text or not text.isascii() or not text.isdigit():
        return None
    value = int(text)
    return value if value <= MAX_ID else None


class DatabaseIdConverter:
    """``<id:page_id>``: like ``<int:…>``, but only ids a column can hold match."""

    regex = "[0-9]{1,10}"

    def to_python(self, value: str) -> int:
        number = database_int(value)
        if number is None:
            raise ValueError(value)  # the URL does not match: 404
        return number

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(DatabaseIdConverter, "id")
