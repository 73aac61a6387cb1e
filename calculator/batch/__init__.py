"""Batch settlement of household survey spreadsheets: xlsx/xls/csv in; a result workbook, csv or jsonl out."""
from __future__ import annotations

import importlib

from .errors import RowError, SurveyFileError

# The readers and writers pull in pyarrow and xlsxwriter: load them on first use, so that merely
# registering the `batch` subcommand does not slow every other command down.
_LAZY = {
    "Counts": "survey", "SurveyRun": "survey", "load_survey": "survey",
    "write_machine": "machine", "write_workbook": "workbook", "write_template": "template",
    "unit_demand": "summary",
}

__all__ = ["RowError", "SurveyFileError", *_LAZY]


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
