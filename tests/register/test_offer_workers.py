"""Offers' Quote JSON built in worker processes is the JSON built in one, row for row (a large set uses every core)."""
from __future__ import annotations

import json
from pathlib import Path

from calculator import load_policy
from calculator.batch import load_survey
from calculator.register.offers import PARALLEL_FROM, quote_jsons

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "tahe_survey_1200.xlsx"


def test_quotes_built_in_two_processes_are_the_quotes_built_in_one():
    tahe = load_policy("tahe")
    settlement = load_survey(SAMPLE, tahe).settlement
    alone = list(quote_jsons(settlement, tahe))  # 1,200 < PARALLEL_FROM: one process
    assert len(settlement.results) < PARALLEL_FROM and len(alone) == 1200
    workers = list(quote_jsons(settlement, tahe, jobs=2, chunk=250))  # five slices over two processes
    assert workers == alone
    first = json.loads(workers[0])
    assert (first["household_id"], first["net_payable"]) == ("TH-00001", "17046.00")
