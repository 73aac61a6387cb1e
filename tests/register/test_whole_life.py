"""The whole life of the sample project from the command line, on both backends: import, offers, sign all, the public
draw, flats in moving order, move-ins, two years of payments with some households defaulting, reports and verify.

By default it walks all 1,200 households of the sample (as `make test` and CI run it; docs/register.md gives the
figures); WHOLE_LIFE=slice keeps a fixed slice (every other deferring household, every 25th other one) for a quick
local run."""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
from collections import Counter
from decimal import Decimal

import xlsxwriter
from register_helpers import run_cli

from calculator import load_policy
from calculator.batch import load_survey
from calculator.register.dues import years_after
from calculator.register.flats import unit_type_c
from calculator.result import build_quote

from register_setup import ROOT

SAMPLE_CSV = ROOT / "sample_data" / "tahe_survey_1200.csv"
SEED = "塔河镇2026年1月15日 县公证处 第1次抽签"
SIGNED_ON = dt.datetime.now(dt.UTC).date()  # the agreements are signed today; the two years are simulated after it
PAID_BEFORE = SIGNED_ON + dt.timedelta(days=10)


def sample_slice(path) -> list[str]:
    """The survey lines kept: its title and header, and the chosen households."""
    lines = SAMPLE_CSV.read_text("utf-8").splitlines()
    if os.environ.get("WHOLE_LIFE", "full") == "full":
        keep = lines
    else:
        defer = lines[1].split(",").index("申请缓交")
        deferring = [line for line in lines[2:] if line.split(",")[defer] == "是"]
        keep = lines[:2] + deferring[::2] + [line for line in lines[2:][::25] if line not in deferring]
    path.write_text("\n".join(keep) + "\n", encoding="utf-8")
    return keep[2:]


def write_csv(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header, *rows])
    return str(path)


def flats_xlsx(path, types_c: Counter) -> None:
    """An inventory with each needed type's flats and one spare of each, six flats a floor."""
    book = xlsxwriter.Workbook(path)
    ws = book.add_worksheet()
    ws.write_row(0, 0, ["塔河镇回迁房源表"])
    ws.write_row(1, 0, ["楼号", "单元", "楼层", "房号", "建筑面积（㎡）", "户型（㎡）"])
    r = 2
    for building, (type_c, count) in enumerate(sorted(types_c.items()), start=1):
        for i in range(count + 1):
            floor, door = divmod(i, 6)
            ws.write_row(r, 0, [str(building), "1", floor + 1, f"{floor + 1}0{door + 1}", (type_c + 37) / 100, type_c / 100])
            r += 1
    book.close()


def test_the_whole_life_of_the_sample(register_url, register_engine, tmp_path, monkeypatch):
    """On SQLite and on PostgreSQL (register_engine creates the register at register_url)."""
    db = {"url": register_url}
    survey = tmp_path / "survey.csv"
    lines = sample_slice(survey)
    n = len(lines)
    monkeypatch.setattr("sys.stdin", io.StringIO("boss pass phrase\n"))
    run_cli("user", "add", "boss", "--role", "supervisor", "--password-stdin", **db)
    monkeypatch.setattr("sys.stdin", io.StringIO("ann pass phrase\n"))
    run_cli("user", "add", "ann", "--role", "clerk", "--user", "boss", "--password-stdin", **db)
    run_cli("project", "create", "TH1", "--name", "塔河镇城区棚户区改造", "--policy", "tahe", "--user", "boss", **db)
    run_cli("import", str(survey), "--user", "ann", **db)
    run_cli("offer", "--user", "ann", **db)
    run_cli("sign", "--all", "--user", "boss", **db)

    # What each household signed, straight from the batch (independent of the register).
    loaded = load_policy("tahe")
    run = load_survey(survey, loaded)
    quotes = {q.household_id: q for q in (build_quote(run.settlement, i, loaded) for i in range(n))}
    in_kind = [no for no, q in quotes.items() if q.option == "in_kind"]
    deferring = sorted(no for no, q in quotes.items() if q.deferred.installments)
    assert len(quotes) == n and deferring

    types = {no: unit_type_c(int(quotes[no].areas["chosen"] * 100), loaded.rules) for no in in_kind}
    flats_xlsx(tmp_path / "flats.xlsx", Counter(types.values()))
    run_cli("flats", "import", str(tmp_path / "flats.xlsx"), "--user", "ann", **db)

    drawn = run_cli("draw", "--seed", SEED, "--user", "boss", **db)
    listed = hashlib.sha256("\n".join(sorted(quotes, key=str.encode)).encode()).hexdigest()
    assert f"numbers 1–{n}" in drawn.stdout and listed in drawn.stdout
    run_cli("report", "public", "-o", str(tmp_path / "public.json"), "--format", "json", **db)
    public = json.loads((tmp_path / "public.json").read_text("utf-8"))
    order = [r["household_no"] for r in public["rows"]]
    # A resident re-runs the draw from the published seed and list, with nothing but sha256.
    assert order == sorted(quotes, key=lambda no: hashlib.sha256(f"{SEED}:{no}".encode()).hexdigest())
    assert all("*" in r["name"] for r in public["rows"]) and any(SEED in note["zh"] for note in public["notes"])

    # Flats in moving order: each in-kind household the next free flat of its type.
    free = {t: [f"{b}-1-{(i // 6) + 1}0{(i % 6) + 1}" for i in range(c + 1)]
            for b, (t, c) in enumerate(sorted(Counter(types.values()).items()), start=1)}
    picks = [(no, free[types[no]].pop(0)) for no in order if no in types]
    run_cli("allocate", "--file", write_csv(tmp_path / "picks.csv", ["户号", "房屋"], picks), "--user", "ann", **db)

    # Before move-in: everything due is paid; then the move-ins, spread over two months.
    before = [(no, f"A{i:05d}", f"{quotes[no].due_before_move_in:.2f}", PAID_BEFORE.isoformat())
              for i, no in enumerate(in_kind) if quotes[no].due_before_move_in > 0]
    run_cli("receive", "--file", write_csv(tmp_path / "before.csv", ["户号", "收据号", "金额", "日期"], before),
            "--user", "ann", **db)
    payouts = [(no, f"F{i:05d}", f"{-q.due_before_move_in:.2f}", PAID_BEFORE.isoformat())
               for i, (no, q) in enumerate(quotes.items()) if q.due_before_move_in < 0]
    run_cli("pay", "--file", write_csv(tmp_path / "payouts.csv", ["户号", "付款凭证号", "金额", "日期"], payouts),
            "--user", "ann", **db)
    moved = {no: PAID_BEFORE + dt.timedelta(days=10 + i % 60) for i, no in enumerate(in_kind)}
    run_cli("move-in", "--file", write_csv(tmp_path / "moves.csv", ["户号", "日期"],
                                           [(no, day.isoformat()) for no, day in moved.items()]), "--user", "ann", **db)

    # Two years of installments: a quarter pay on time, a quarter pay the first late, a quarter never pay the
    # second, a quarter pay nothing (四、4: 60 % after one year, 40 % after two).
    def due(no, k):
        return years_after(moved[no], k)

    def pays(no, k) -> dt.date | None:
        kind = deferring.index(no) % 4
        if kind == 3 or (kind == 2 and k == 2):
            return None
        return due(no, k) + dt.timedelta(days=30) if (kind, k) == (1, 1) else due(no, k) - dt.timedelta(days=5)

    for k in (1, 2):
        year = [(no, f"Y{k}-{i:04d}", f"{quotes[no].deferred.installments[k - 1].amount:.2f}", pays(no, k).isoformat())
                for i, no in enumerate(deferring) if pays(no, k)]
        run_cli("receive", "--file", write_csv(tmp_path / f"year{k}.csv", ["户号", "收据号", "金额", "日期"], year),
                "--user", "ann", **db)
        if k == 1:  # a week after the last first installment fell due, the late payers are still overdue
            mid = max(due(no, 1) for no in deferring) + dt.timedelta(days=7)
            run_cli("report", "overdue", "-o", str(tmp_path / "mid.json"), "--format", "json", "--as-of", mid.isoformat(), **db)
            late = {r["household_no"]: r for r in json.loads((tmp_path / "mid.json").read_text("utf-8"))["rows"]}
            expected = {no for no in deferring if deferring.index(no) % 4 == 3 or
                        (deferring.index(no) % 4 == 1 and pays(no, 1) > mid)}
            assert set(late) == expected and all(r["status_en"] == "overdue" for r in late.values())

    # Two years on: the defaulters are managed as low-rent housing, the others get their title certificate.
    end = (max(moved.values()) + dt.timedelta(days=2 * 366 + 30)).isoformat()
    run_cli("report", "overdue", "-o", str(tmp_path / "overdue.json"), "--format", "json", "--as-of", end, **db)
    overdue = {r["household_no"]: r for r in json.loads((tmp_path / "overdue.json").read_text("utf-8"))["rows"]}
    defaulters = [no for no in deferring if deferring.index(no) % 4 in (2, 3)]
    assert set(overdue) == set(defaulters)
    for no in defaulters:
        unpaid = sum(i.amount for i in quotes[no].deferred.installments if not pays(no, i.number))
        assert overdue[no]["status_zh"] == "到期未交清（按廉租房管理）" and overdue[no]["balance_fen"] == int(unpaid * 100)
    shown = json.loads(run_cli("show", defaulters[0], "--json", "--as-of", end, **db).stdout)["account"]
    assert shown["status"] == "low_rent" and shown["balance_fen"] == overdue[defaulters[0]]["balance_fen"]
    assert shown["consequence"]["zh"] == "到期后仍无能力交纳欠款的，按廉租房管理。"
    paid_up = next(no for no in deferring if deferring.index(no) % 4 == 1)
    account = json.loads(run_cli("account", paid_up, "--json", "--as-of", end, **db).stdout)
    assert account["status"] == "paid_up" and account["consequence"]["zh"] == "在规定的时间内交够欠款后，办理房屋所有权证。"

    run_cli("report", "funds", "-o", str(tmp_path / "funds.json"), "--format", "json", "--as-of", end, **db)
    funds = json.loads((tmp_path / "funds.json").read_text("utf-8"))["rows"]
    owed = sum(int(q.net_payable * 100) for q in quotes.values() if q.net_payable > 0)
    received = sum(int(Decimal(r[2]) * 100) for name in ("before", "year1", "year2")
                   for r in list(csv.reader((tmp_path / f"{name}.csv").read_text("utf-8").splitlines()))[1:])
    assert funds[-1] == {"month": "合计 / total", "expected_fen": owed, "received_fen": received,
                         "outstanding_fen": sum(r["balance_fen"] for r in overdue.values()),
                         "paid_out_fen": sum(int(Decimal(amount) * 100) for _, _, amount, _ in payouts)}
    assert owed - received == sum(r["balance_fen"] for r in overdue.values())  # nothing else is owed

    run_cli("report", "progress", "-o", str(tmp_path / "progress.json"), "--format", "json", "--as-of", end, **db)
    progress = {r["stage_en"]: r["households"] for r in json.loads((tmp_path / "progress.json").read_text("utf-8"))["rows"]}
    payers = sum(1 for no in in_kind if quotes[no].net_payable > 0)
    assert progress == {"surveyed": n, "offered": n, "signed": n, "flat chosen": len(in_kind), "moved in": len(in_kind),
                        "paid up": payers - len(defaulters)}
    run_cli("report", "flats", "-o", str(tmp_path / "flats.json"), "--format", "json", **db)
    mix = json.loads((tmp_path / "flats.json").read_text("utf-8"))["rows"]
    assert sum(r["allocated"] for r in mix) == len(in_kind) and sum(r["free"] for r in mix) == len(free)
    assert sum(r["agreements"] for r in mix) == len(in_kind)
    for name in ("progress", "funds", "overdue", "flats", "public"):
        run_cli("report", name, "-o", str(tmp_path / f"{name}.xlsx"), "--as-of", end, **db)
        assert (tmp_path / f"{name}.xlsx").read_bytes().startswith(b"PK")
    assert "intact" in run_cli("verify", **db).stdout
