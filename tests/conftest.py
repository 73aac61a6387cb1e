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
def county_b():
    return load_policy(COUNTY_B)
