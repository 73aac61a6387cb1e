"""Batch settlement of household survey spreadsheets: xlsx/xls/csv in; a result workbook, csv or jsonl out."""
from .errors import RowError, SurveyFileError
from .machine import write_machine
from .summary import project_totals, unit_demand
from .survey import Counts, SurveyRun, load_survey
from .workbook import write_workbook

__all__ = ["Counts", "RowError", "SurveyFileError", "SurveyRun", "load_survey", "project_totals", "unit_demand",
           "write_machine", "write_workbook"]
