"""Register errors as values: the field, the bad value and a message in Chinese and English (the CLI exits 2)."""
from __future__ import annotations


class RegisterError(Exception):
    """A request the register refuses; nothing was written. Names the field and the value in both languages."""

    def __init__(self, field: str, value: object, message_zh: str, message_en: str):
        self.field = field
        self.value = "" if value is None else str(value)
        self.message_zh = message_zh
        self.message_en = message_en
        super().__init__(self.bilingual())

    def bilingual(self) -> str:
        return f"{self.message_zh} / {self.message_en}"


def not_found(field: str, value: object, what_zh: str, what_en: str) -> RegisterError:
    """'no household H-1 in the register', said the same way for every kind of record."""
    return RegisterError(field, value, f"登记簿中没有{what_zh}“{value}”", f"no {what_en} '{value}' in the register")
