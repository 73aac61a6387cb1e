"""The inputs a policy declares (persons, signing date …) as widgets: one per declaration, by its type."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import streamlit as st

from calculator import units
from calculator.policy import InputDecl, Policy

from ui.format import plain
from ui.i18n import lang, pick, t

EARLIEST, LATEST = dt.date(1990, 1, 1), dt.date(2100, 12, 31)  # the date picker's range; the policy checks the rest


def key(decl: InputDecl) -> str:
    """The widget key of a declared input (q_ so it survives a page switch and is cleared for the next household)."""
    return f"q_in_{decl.name}"


def unit_text(decl: InputDecl) -> str:
    """The unit as a resident reads it: 'm2' -> '㎡', 'CNY/m2' -> '元/㎡', 'person' -> '人'."""
    return units.label(decl.unit or "m2", lang()) if decl.type in ("area", "money", "count") else ""


def label(decl: InputDecl) -> str:
    """The declared label in the current language, with its unit and whether it must be given."""
    unit = unit_text(decl)
    text = pick(decl.label_zh, decl.label_en)
    if unit:
        text += f"（{unit}）" if lang() == "zh" else f" ({unit})"
    return text + (t("q.required") if decl.required else "")


def _number(value: Decimal | None) -> str:
    return "" if value is None else plain(value)


def help_text(decl: InputDecl) -> str:
    """The declared help, the range (min/max) and what a blank means, in the current language."""
    parts = [pick(decl.help_zh, decl.help_en)]
    if decl.type in ("area", "money", "count"):
        unit = unit_text(decl)
        if decl.min is not None:
            parts.append(t("q.range", low=_number(decl.min), high=_number(decl.max), unit=unit))
        else:
            parts.append(t("q.range_max", high=_number(decl.max), unit=unit))
    if decl.default is not None and decl.type not in ("flag", "choice"):
        parts.append(t("q.default", value=_number(decl.default) if isinstance(decl.default, Decimal) else decl.default))
    if decl.source:
        parts.append(decl.source)
    return "  \n".join(p for p in parts if p)


def _choice_labels(decl: InputDecl) -> dict[str, str]:
    blank = {} if decl.default is not None else {"": t("q.choose_blank")}
    return {**blank, **{c.value: pick(c.label_zh, c.label_en) for c in decl.choices}}


def widget(decl: InputDecl) -> str | bool | None:
    """Draw one declared input; return its value as text (True/False for a flag, None when left blank)."""
    state = st.session_state
    if decl.type in ("area", "money", "count"):
        placeholder = _number(decl.default) if isinstance(decl.default, Decimal) else None
        text = st.text_input(label(decl), key=key(decl), help=help_text(decl), placeholder=placeholder)
        return text.strip() or None
    if decl.type == "date":
        state.setdefault(key(decl), decl.default if isinstance(decl.default, dt.date) else None)
        day = st.date_input(label(decl), key=key(decl), help=help_text(decl), format="YYYY-MM-DD",
                            min_value=EARLIEST, max_value=LATEST)
        return day.isoformat() if isinstance(day, dt.date) else None
    if decl.type == "flag":
        state.setdefault(key(decl), bool(decl.default))
        return st.checkbox(label(decl), key=key(decl), help=help_text(decl) or None)
    # Labels bound now: a formatter may be called outside this script run.
    labels = _choice_labels(decl)
    if state.get(key(decl)) not in labels:
        state[key(decl)] = decl.default if decl.default in labels else next(iter(labels))
    chosen = st.selectbox(label(decl), list(labels), key=key(decl), format_func=labels.get, help=help_text(decl) or None)
    return chosen or None


def default_value(decl: InputDecl):
    """A declared widget's value for a new household: a blank number, the declared date, flag or choice."""
    if decl.type in ("area", "money", "count"):
        return ""  # the declared default shows as the placeholder and applies when left blank
    if decl.type == "date":
        return decl.default if isinstance(decl.default, dt.date) else None
    if decl.type == "flag":
        return bool(decl.default)
    labels = _choice_labels(decl)
    return decl.default if decl.default in labels else next(iter(labels))


def declared_defaults(policy: Policy) -> dict:
    """{widget key: value for a new household} of every declared input."""
    return {key(d): default_value(d) for d in policy.inputs}


def declared_now(policy: Policy) -> dict:
    """The declared inputs as their widgets hold them now (before they are drawn), in read_declared's form."""
    state = st.session_state
    values = {}
    for decl in policy.inputs:
        value = state.get(key(decl))
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, str):
            value = value.strip()
        if value not in (None, ""):
            values[decl.name] = value
    return values


def read_declared(policy: Policy, slots: dict) -> dict:
    """Every declared input of the policy, each followed by its error slot; {name: text} of those given."""
    values = {}
    if not policy.inputs:
        return values
    st.markdown(f"**{t('q.declared')}**")
    for decl in policy.inputs:
        value = widget(decl)
        slots[decl.name] = st.empty()
        if value is not None:
            values[decl.name] = value
    return values
