"""The counter's input widgets, each followed by a slot where that field's error is shown."""
from __future__ import annotations

from dataclasses import dataclass, field

import streamlit as st

import numpy as np

from calculator import expr
from calculator.household import OPTION_LABELS, OPTIONS
from calculator.policy import LoadedPolicy, Policy
from calculator.settlement import standard_area_of
from calculator.typed_number import parse_decimal

from ui.declared_inputs import declared_defaults, declared_now, read_declared
from ui.format import area, money, plain
from ui.i18n import heading, lang, pick, t

OTHER = "other"
DEFAULT_ORIGINAL_AREA = "45"  # a starting value so the first screen shows a worked quote (POLICY_SPEC §8 ex. 1–2)


@dataclass
class Form:
    """The values read from the widgets (text stays text: the engine names a bad value) and the error slots."""

    values: dict
    name: str | None
    slots: dict = field(default_factory=dict)
    appraised_given: bool = False


def _text(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def suggested_unit(loaded: LoadedPolicy, original: str | None, low_income: bool, declared: dict) -> str | None:
    """The unit type the standard area leads to (the smallest type ≥ S by the policy's rule, floors included; the
    largest type above them all), as the unit selector's value; None while the area is not a number yet."""
    standard = standard_area_of(loaded, original_area=original, option="in_kind", low_income=low_income,
                                inputs=declared)
    if standard is None:
        return None
    types = loaded.rules.type_areas
    return plain(next((x for x in types if x >= standard), types[-1]))


def policy_options(policy: Policy) -> list[str]:
    """The options some item of the policy applies to (a policy without cash items offers no cash)."""
    return [o for o in OPTIONS if any(o in item.options for item in policy.items)]


def may_defer(loaded: LoadedPolicy, option: str, low_income: bool) -> bool:
    """Whether the deferral box is worth showing: the policy has a deferral, a deferrable item for this option,
    and no part of its condition on the form's own flags (low_income, in_kind, cash) rules this household out.
    The engine checks the whole condition; this only keeps a box off the screen that could never be ticked."""
    policy = loaded.rules
    if policy.deferral is None or not any(option in i.options for i in policy.deferrable_items):
        return False
    flags = {"low_income": low_income, "in_kind": option == "in_kind", "cash": option == "cash"}
    env = {name: expr.Bool(np.array([value])) for name, value in flags.items()}
    node = loaded.compiled.deferral_when
    parts, todo = [], [node] if node is not None else []
    while todo:  # the conjuncts of "a and b and c"
        part = todo.pop()
        if part[0] == "and":
            todo += [part[1], part[2]]
        else:
            parts.append(part)
    for part in parts:
        if expr.names(part) <= set(flags) and not bool(np.asarray(expr.evaluate(part, env).data).all()):
            return False
    return True


def _unit_options(loaded: LoadedPolicy) -> dict[str, str]:
    """selector value -> label: every standard type of the policy, then a measured area."""
    opts = {plain(a.value): pick(a.label_zh, a.label_en) for a in loaded.rules.unit_types.areas}
    opts[OTHER] = t("q.unit_other")
    return opts


def input_defaults(loaded: LoadedPolicy) -> dict:
    """Every counter widget's value for a new household: blank, unticked, or the policy's default."""
    policy = loaded.rules
    defaults = {"q_household_id": "", "q_name": "", "q_option": policy_options(policy)[0],
                "q_original_area": DEFAULT_ORIGINAL_AREA, "q_unit_area": "", "q_appraised_price": "",
                "q_low_income": False, "q_defer": False, "q_move_in": None, "q_heating_rate": "",
                **declared_defaults(policy)}
    if policy.heating is not None:
        defaults["q_energy_efficient"] = policy.heating.energy_efficient_default
    if policy.unit_types is not None:
        defaults["q_unit_choice"] = suggested_unit(loaded, DEFAULT_ORIGINAL_AREA, False, {}) or OTHER
    return defaults


def clear_inputs(loaded: LoadedPolicy) -> None:
    """The next household: every input back to its default, on screen too (a callback, so it runs before the
    widgets are drawn). Deleting the keys instead left the last household's values in the browser's widgets
    while the quote was worked out for a blank one."""
    state = st.session_state
    defaults = input_defaults(loaded)
    for key in [k for k in list(state) if isinstance(k, str) and k.startswith("q_") and k not in defaults]:
        del state[key]  # e.g. q_unit_picked: the unit type follows the area again
    for key, value in defaults.items():
        state[key] = value


def _picked() -> None:
    st.session_state["q_unit_picked"] = True


def _smaller_unit_note(loaded: LoadedPolicy, original: str | None, unit_area: str | None) -> None:
    """Before any error: why a unit smaller than the original home needs more (the appraised price, D3)."""
    a, u = parse_decimal(original or ""), parse_decimal(unit_area or "")
    if a is None or u is None or not 0 < u < a:
        return
    paid = [i for i in loaded.rules.items if "in_kind" in i.options and i.rate == "appraised_price"]
    items = "、".join(f"{pick(i.label_zh, i.label_en)}（{i.source}）" if lang() == "zh" else
                      f"{pick(i.label_zh, i.label_en)} ({i.source})" for i in paid)
    key = "q.unit_smaller_paid" if paid else "q.unit_smaller"
    st.info(t(key, chosen=area(u), original=area(a), diff=area(a - u), items=items), icon=":material/info:")


def read_inputs(loaded: LoadedPolicy) -> Form:
    """Draw the inputs in the current container and return their values, ready for calculator.quote()."""
    policy = loaded.rules
    state = st.session_state
    state.setdefault("q_original_area", DEFAULT_ORIGINAL_AREA)
    slots: dict = {}

    c1, c2 = st.columns(2)
    household_id = c1.text_input(t("q.household_id"), key="q_household_id")
    name = c2.text_input(t("q.name"), key="q_name")
    slots["household_id"] = st.empty()

    # Labels bound now, not looked up when called: a formatter may be called outside this script run.
    option_labels = {o: pick(*OPTION_LABELS[o]) for o in OPTIONS}
    choices = policy_options(policy)
    if state.get("q_option") not in choices:
        state["q_option"] = choices[0]
    option = st.radio(t("q.option"), choices, key="q_option", horizontal=True, format_func=option_labels.get)
    slots["option"] = st.empty()

    original = st.text_input(t("q.original_area"), key="q_original_area", help=t("q.original_area_help"))
    slots["original_area"] = st.empty()

    unit_area = None
    if option == "in_kind":
        if policy.unit_types is not None:
            options = _unit_options(loaded)
            # The type follows the area (and whatever else the standard area reads) until the clerk picks one.
            if not state.get("q_unit_picked") or state.get("q_unit_choice") not in options:
                suggested = suggested_unit(loaded, _text(original), bool(state.get("q_low_income")),
                                           declared_now(policy))
                if suggested is not None or state.get("q_unit_choice") not in options:
                    state["q_unit_choice"] = suggested or next(iter(options))
            choice = st.selectbox(t("q.unit_choice"), list(options), key="q_unit_choice", format_func=options.get,
                                  on_change=_picked, help=t("q.unit_choice_help"))
            unit_area = st.text_input(t("q.unit_area"), key="q_unit_area", help=t("q.unit_area_help")) \
                if choice == OTHER else choice
            _smaller_unit_note(loaded, _text(original), _text(unit_area))
        else:  # no unit types: the chosen area as a number
            unit_area = st.text_input(t("q.chosen_area"), key="q_unit_area")
        slots["unit_area"] = st.empty()

    price = st.text_input(t("q.appraised_price"), key="q_appraised_price", help=t("q.appraised_price_help"))
    slots["appraised_price"] = st.empty()

    declared = read_declared(policy, slots)

    low_income = st.checkbox(t("q.low_income"), key="q_low_income")
    slots["low_income"] = st.empty()
    defer, move_in = False, None
    if may_defer(loaded, option, low_income):
        items = "、".join(pick(i.label_zh, i.label_en) for i in policy.deferrable_items)
        defer = st.checkbox(t("q.defer", items=items), key="q_defer", help=policy.deferral.source)
        slots["defer"] = st.empty()
        if defer:
            state.setdefault("q_move_in", None)  # no date: the schedule reads "year N after move-in"
            move_in = st.date_input(t("q.move_in"), key="q_move_in", help=t("q.move_in_help"), format="YYYY-MM-DD")
            slots["move_in_date"] = st.empty()

    energy_efficient, rate = None, None
    heating = policy.heating
    if option == "in_kind" and heating is not None:
        state.setdefault("q_energy_efficient", heating.energy_efficient_default)
        # Open when the clerk changed something inside, so an error there is not hidden in a closed box.
        changed = bool((state.get("q_heating_rate") or "").strip()) or \
            state.get("q_energy_efficient") != heating.energy_efficient_default
        with st.expander(heading(heating.label_zh, heating.label_en), expanded=changed):
            energy_efficient = st.checkbox(t("q.energy_efficient"), key="q_energy_efficient",
                                           help=heating.energy_efficient_default_source)
            slots["energy_efficient"] = st.empty()
            rate = st.text_input(t("q.heating_rate_season"), key="q_heating_rate", placeholder=plain(heating.standard_rate.value),
                                 help=t("q.heating_rate_help", rate=money(heating.standard_rate.value)))
            slots["heating_rate"] = st.empty()

    values = {
        "household_id": _text(household_id),
        "option": option,
        "original_area": _text(original),
        "unit_area": _text(unit_area),
        "low_income": low_income,
        "defer": defer,
        "appraised_price": _text(price),
        "energy_efficient": energy_efficient,
        "heating_rate": _text(rate),
        "move_in_date": move_in,
        "inputs": declared or None,
    }
    # A blank optional field is left out, so the engine applies the policy's default or reports it missing.
    values = {k: v for k, v in values.items() if v is not None}
    return Form(values=values, name=_text(name), slots=slots, appraised_given=_text(price) is not None)
