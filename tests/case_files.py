"""Worked examples under tests/cases/: load them, and turn their inputs into quote() values or CLI options.

A case's [input] holds the core fields; its [input.inputs] table holds the policy's declared inputs
(persons, signing_date …), passed to quote(..., inputs={...}) and to the CLI as repeated --input NAME=VALUE."""
import tomllib
from pathlib import Path

CASES_DIR = Path(__file__).resolve().parent / "cases"
ROOT = CASES_DIR.parent.parent


def load_cases() -> list[tuple[str, dict]]:
    return [(p.stem, tomllib.loads(p.read_text("utf-8"))) for p in sorted(CASES_DIR.glob("*.toml"))]


def policy_ref(case: dict) -> str:
    ref = case.get("policy", "tahe")
    return str(ROOT / ref) if ref.endswith(".toml") else ref


def quote_values(case: dict) -> dict:
    """The case's input as keyword arguments of calculator.quote (declared inputs as inputs={...})."""
    values = dict(case["input"])
    if "inputs" in values:
        values["inputs"] = dict(values["inputs"])
    return values


def input_text(value) -> str:
    """A declared input's value as a clerk types it on the command line."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def cli_args(case: dict) -> list[str]:
    given = case["input"]
    args = ["quote", "--policy", policy_ref(case), "--original-area", given["original_area"]]
    if given.get("option") == "cash":
        args.append("--cash")
    if "unit_area" in given:
        args += ["--unit-area", given["unit_area"]]
    for flag, key in (("--low-income", "low_income"), ("--defer", "defer")):
        if given.get(key):
            args.append(flag)
    if given.get("energy_efficient") is False:
        args.append("--no-energy-efficient")
    for flag, key in (("--appraised-price", "appraised_price"), ("--heating-rate", "heating_rate"),
                      ("--move-in", "move_in_date")):
        if key in given:
            args += [flag, given[key]]
    for name, value in given.get("inputs", {}).items():
        args += ["--input", f"{name}={input_text(value)}"]
    return args
