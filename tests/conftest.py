"""Shared fixtures: the bundled Tahe policy and the test-only County B policy."""
from pathlib import Path

import pytest

from calculator import load_policy

ROOT = Path(__file__).resolve().parent.parent
COUNTY_B = ROOT / "tests" / "policies" / "county_b.toml"


@pytest.fixture(scope="session")
def tahe():
    return load_policy("tahe")


@pytest.fixture(scope="session")
def clean_run(tahe):
    """The bundled 1,200-household sample survey, read and settled once for the whole session."""
    from calculator.batch import load_survey
    return load_survey(ROOT / "sample_data" / "tahe_survey_1200.xlsx", tahe)


@pytest.fixture(scope="session")
def messy_run(tahe):
    """The messy sample survey (bad rows on purpose), read and settled once for the whole session."""
    from calculator.batch import load_survey
    return load_survey(ROOT / "sample_data" / "tahe_survey_messy.xlsx", tahe)


@pytest.fixture(scope="session")
def county_b():
    return load_policy(COUNTY_B)
