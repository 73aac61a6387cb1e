"""The public draw: the documented algorithm re-run independently, stable under reordering, and signing-time order."""
import datetime as dt
import hashlib

import pytest

from calculator.register import draw
from calculator.register.errors import RegisterError


def test_the_draw_is_the_documented_algorithm():
    nos = [f"TH-{i:05d}" for i in range(1, 301)]
    # What a resident would write from docs/register.md, without our code.
    expected = sorted(nos, key=lambda no: hashlib.sha256(("塔河2026年第1次抽签:" + no).encode()).hexdigest())
    assert draw.draw_order("塔河2026年第1次抽签", nos) == expected
    assert draw.draw_order("塔河2026年第1次抽签", reversed(nos)) == expected  # the order given does not matter
    assert draw.draw_order("another seed", nos) != expected
    assert draw.list_sha256(nos) == draw.list_sha256(reversed(nos)) == hashlib.sha256("\n".join(nos).encode()).hexdigest()


def test_a_pinned_draw():
    """A draw published once must come out the same for ever (a change here breaks every published order)."""
    assert draw.draw_order("2026-01-15 县公证处", ["A1", "A2", "A3", "B1", "B2"]) == ["B1", "B2", "A1", "A3", "A2"]  # sha256sum in a shell agrees


@pytest.mark.parametrize("seed", ["", "   ", "x" * 201, "a\nb"])
def test_a_seed_that_cannot_be_published_is_refused(seed):
    with pytest.raises(RegisterError) as err:
        draw.draw_order(seed, ["A1"])
    assert err.value.field == "seed" and "抽签种子" in err.value.message_zh


def test_a_repeated_household_is_refused():
    with pytest.raises(RegisterError) as err:
        draw.draw_order("s", ["A1", "A2", "A1"])
    assert err.value.value == "A1"


def test_signing_order_to_the_second_then_agreement_number():
    t = dt.datetime(2026, 3, 1, 9, 0, 0)
    signed = [draw.Signed("C", t + dt.timedelta(seconds=1), 3), draw.Signed("B", t.replace(microsecond=900000), 2),
              draw.Signed("A", t.replace(microsecond=100), 5), draw.Signed("D", t - dt.timedelta(seconds=1), 9),
              draw.Signed("E", dt.datetime(2026, 3, 1, 17, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))), 1)]
    # E signed at 09:00:00 UTC too; within that second the agreement numbers decide: E(1), B(2), A(5).
    assert draw.signing_order(signed) == ["D", "E", "B", "A", "C"]
