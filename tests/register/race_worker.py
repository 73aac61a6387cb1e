"""One clerk in a process of its own, for the race tests: for each round, waits at the round's barrier file, then
does one ledger write and prints 'ok' or the refusal in English.

Usage: python race_worker.py URL PROJECT_ID BARRIER WORKER ROUND… where a ROUND is
allocate:HOUSEHOLD:FLAT:USER or receive:HOUSEHOLD:RECEIPT_NO:USER."""
import datetime as dt
import sys
import time
from pathlib import Path

from calculator import load_policy
from calculator.register import flats, ledger
from calculator.register.db import make_engine, transaction
from calculator.register.errors import RegisterError


def one(engine, project_id: int, policy, action: str, household: str, arg: str, user: str) -> str:
    try:
        with transaction(engine) as s:
            if action == "allocate":
                flats.allocate(s, project_id, household, arg, user, policy, out_of_turn="race test")
            else:
                ledger.receive(s, project_id, household_no=household, receipt_no=arg, received_on=dt.date(2025, 7, 1),
                               amount_fen=100, clerk=user)
    except RegisterError as exc:
        return exc.message_en
    return "ok"


def main(url: str, project_id: str, barrier: str, worker: str, *rounds: str) -> None:
    engine = make_engine(url)
    policy = load_policy("tahe").rules
    with engine.connect():  # connected and imported before the first round, so both start together
        pass
    for i, spec in enumerate(rounds):
        Path(f"{barrier}.{i}.ready.{worker}").touch()
        while not Path(f"{barrier}.{i}").exists():
            time.sleep(0.005)
        print(one(engine, int(project_id), policy, *spec.split(":")), flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
