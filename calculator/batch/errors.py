"""The batch's errors: a file that cannot be used at all, and a bad cell or row that names its column."""
from __future__ import annotations

from ..errors import InputError


class SurveyFileError(Exception):
    """The file cannot be used at all (not a spreadsheet, no household id or original-area column)."""

    def __init__(self, message_zh: str, message_en: str):
        self.message_zh = message_zh
        self.message_en = message_en
        super().__init__(f"{message_zh} / {message_en}")


class RowError(InputError):
    """An InputError for one spreadsheet row, also naming the column header as the clerk wrote it."""

    column: str | None = None
