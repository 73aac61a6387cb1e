"""How many cases a fuzz test tries: a few in `make test`, thousands under `make fuzz` (FUZZ=1)."""
from __future__ import annotations

import os

FUZZ = os.environ.get("FUZZ", "") not in ("", "0")


def fuzz_examples(quick: int, long: int = 2000) -> int:
    return long if FUZZ else quick
