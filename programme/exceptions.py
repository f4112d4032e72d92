"""The one exception base of the programme package."""

from __future__ import annotations


class ProgrammeError(Exception):
    """A programme operation refused with a message for the user (Vietnamese)."""


class SheetError(ProgrammeError):
    """A spreadsheet that does not follow the appendix layout: says where (row, column)."""

    def __init__(self, message: str, *, sheet: str = "", row: int | None = None,
                 column: str = ""):
        self.sheet, self.row, self.column = sheet, row, column
        super().__init__(message)
