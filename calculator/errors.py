"""Input errors as values: the field, the row, the bad value and a message in Chinese and English."""

from pydantic import BaseModel


class InputError(BaseModel):
    field: str
    value: str
    message_zh: str
    message_en: str
    row: int | None = None  # spreadsheet row number (batch) or None (a single quote)

    def message(self, lang: str = "zh") -> str:
        return self.message_zh if lang == "zh" else self.message_en

    def bilingual(self) -> str:
        return f"{self.message_zh} / {self.message_en}"


class InputErrors(Exception):
    """Raised at the edge (CLI, app) when a household cannot be quoted; carries every error found."""

    def __init__(self, errors: list[InputError]):
        self.errors = errors
        super().__init__("\n".join(e.bilingual() for e in errors))
