"""The moving order (搬迁顺序号): a public draw anyone can re-run from the published seed and list, or signing time.

The draw, in full (docs/register.md repeats it with a five-line script):
  1. the list is the households' numbers (household_no) as text; list_sha256 = sha256 of the numbers sorted by
     their UTF-8 bytes and joined by "\\n" (published beside the seed, so anyone can check they hold the same list);
  2. each household's key = sha256(UTF-8 of seed + ":" + household_no), as 64 lowercase hex digits;
  3. order by key, ascending (two equal keys would need a sha256 collision; household_no breaks such a tie);
  4. the first is number 1.
By signing time: the agreement's signed_at to the second, earliest first; households that signed within the same
second keep the order their agreements were numbered in (agreement numbers are given in signing order).
"""
from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from .errors import RegisterError

SEED_MAX_CHARS = 200


@dataclass(frozen=True)
class Signed:
    """A household that has signed: what ordering by signing time reads."""

    household_no: str
    signed_at: dt.datetime
    agreement_number: int


def list_sha256(household_nos: Iterable[str]) -> str:
    """The fingerprint of the list drawn from, independent of the order it was given in."""
    joined = "\n".join(sorted(household_nos, key=lambda no: no.encode("utf-8")))
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


def draw_key(seed: str, household_no: str) -> str:
    return hashlib.sha256(f"{seed}:{household_no}".encode()).hexdigest()


def check_seed(seed: str) -> str:
    """The seed as published: non-blank printable text, at most SEED_MAX_CHARS characters, kept exactly."""
    if not seed or not seed.strip() or len(seed) > SEED_MAX_CHARS or not seed.isprintable():
        raise RegisterError(
            "seed", seed[:SEED_MAX_CHARS],
            f"抽签种子须为1至{SEED_MAX_CHARS}个可打印字符（公开公布，任何人可据此复核），收到“{seed[:40]}”",
            f"the draw seed must be 1 to {SEED_MAX_CHARS} printable characters (it is published so anyone "
            f"can re-run the draw), got '{seed[:40]}'")
    return seed


def draw_order(seed: str, household_nos: Iterable[str]) -> list[str]:
    """The household numbers in drawn order (position 0 is moving-order number 1)."""
    check_seed(seed)
    nos = list(household_nos)
    repeated = sorted(no for no, n in Counter(nos).items() if n > 1)
    if repeated:
        raise RegisterError("household_no", repeated[0], f"抽签名单中户号重复：{repeated[0]}",
                            f"the draw list holds a household number twice: {repeated[0]}")
    return sorted(nos, key=lambda no: (draw_key(seed, no), no.encode("utf-8")))


def signing_order(signed: Iterable[Signed]) -> list[str]:
    """Household numbers by signing time to the second; within one second, by agreement number."""
    return [s.household_no for s in sorted(signed, key=lambda s: (_to_second(s.signed_at), s.agreement_number))]


def _to_second(when: dt.datetime) -> dt.datetime:
    """UTC, naive, truncated to the second (a database may hand back either an aware or a naive UTC time)."""
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC).replace(tzinfo=None)
    return when.replace(microsecond=0)
