"""Batch settlement of household survey spreadsheets: xlsx/xls/csv in; a result workbook, csv or jsonl out."""
from .errors import RowError, SurveyFileError
from .survey import Counts, SurveyRun, load_survey

__all__ = ["Counts", "RowError", "SurveyFileError", "SurveyRun", "load_survey"]
