"""Batch settlement of household survey spreadsheets: xlsx/xls/csv in; a result workbook, csv or jsonl out."""
from __future__ import annotations

from ..lazy import lazy_exports

# The readers and writers pull in pyarrow and xlsxwriter: load them on first use, so that merely
# registering the `batch` subcommand does not slow every other command down.
_LAZY = {
    "RowError": "errors", "SurveyFileError": "errors",
    "Counts": "survey", "SurveyRun": "survey", "load_survey": "survey",
    "write_machine": "machine", "write_workbook": "workbook", "write_template": "template",
    "unit_demand": "summary",
}

__all__ = list(_LAZY)

__getattr__ = lazy_exports(__name__, globals(), _LAZY)
