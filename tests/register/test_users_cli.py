"""`register user add/list/disable/enable/reset` and `register access-code`: passwords from stdin or typed twice,
refusals in both languages with exit 2, and an access code printed once with its slip."""
from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
import sqlalchemy as sa
from register_helpers import run_cli
from register_setup import FIVE, survey_csv

from calculator.register.db import reading
from calculator.register.logins import LoginRefused, resident_login, staff_login
from calculator.register.models import LogEntry, User
from calculator.register.models_access import AccessCode

CODE = re.compile(r"access code:\s+([2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4})")


def cli(monkeypatch, *args, url, stdin="", check=0):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return run_cli(*args, url=url, check=check)


@pytest.fixture
def url(register_url, monkeypatch):
    run_cli("init", url=register_url)
    cli(monkeypatch, "user", "add", "boss", "--role", "supervisor", "--password-stdin", url=register_url,
        stdin="boss pass phrase\n")
    cli(monkeypatch, "user", "add", "ann", "--role", "clerk", "--user", "boss", "--password-stdin", url=register_url,
        stdin="ann pass phrase\n")
    return register_url


def engine_of(url):
    from calculator.register.db import make_engine

    return make_engine(url)


def test_users_are_added_with_passwords_listed_disabled_enabled_and_reset(url, monkeypatch):
    engine = engine_of(url)
    assert staff_login(engine, "boss", "boss pass phrase").role == "supervisor"
    listed = run_cli("user", "list", url=url).stdout
    assert re.search(r"boss\t主管 supervisor\t正常 / active\t\d{4}-\d\d-\d\d", listed)
    assert "ann\t经办人 clerk\t正常 / active\t—" in listed and "argon2" not in listed

    done = run_cli("user", "disable", "ann", "--user", "boss", url=url)
    assert "已停用 / disabled: ann" in done.stdout
    assert "ann\t经办人 clerk\t停用 / disabled" in run_cli("user", "list", url=url).stdout
    with pytest.raises(LoginRefused, match="disabled"):
        staff_login(engine, "ann", "ann pass phrase")
    run_cli("user", "enable", "ann", "--user", "boss", url=url)

    for _ in range(5):
        with pytest.raises(LoginRefused):
            staff_login(engine, "ann", "not the password")
    assert "ann\t经办人 clerk\t锁定至 / locked until" in run_cli("user", "list", url=url).stdout
    done = cli(monkeypatch, "user", "reset", "ann", "--user", "boss", "--password-stdin", url=url,
               stdin="a brand new phrase\n")
    assert "new password set, unlocked: ann" in done.stdout
    assert staff_login(engine, "ann", "a brand new phrase").name == "ann"
    with reading(engine) as s:
        actions = [e.action for e in s.execute(sa.select(LogEntry).order_by(LogEntry.seq)).scalars()]
    assert actions == ["user.add", "user.add", "user.disable", "user.enable", "login.lock", "user.reset"]
    engine.dispose()


def test_a_typed_password_is_asked_twice(url, monkeypatch):
    typed = iter(["carol pass phrase", "carol pass phrase", "dave pass phrase", "dave pass phrasE"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(typed))
    run_cli("user", "add", "carol", "--role", "auditor", "--user", "boss", url=url)
    differ = run_cli("user", "add", "dave", "--role", "clerk", "--user", "boss", url=url, check=2)
    assert "两次输入的密码不一致" in differ.stderr and "the two passwords differ" in differ.stderr
    engine = engine_of(url)
    assert staff_login(engine, "carol", "carol pass phrase").role == "auditor"
    with reading(engine) as s:
        assert s.execute(sa.select(User.name).order_by(User.id)).scalars().all() == ["boss", "ann", "carol"]
    engine.dispose()


@pytest.mark.parametrize("args, stdin, words", [
    (["user", "add", "eve", "--role", "clerk", "--user", "ann", "--password-stdin"], "eve pass phrase\n",
     "user 'ann' is a clerk; this needs a supervisor"),
    (["user", "add", "eve", "--role", "clerk", "--user", "boss", "--password-stdin"], "short\n",
     "a password must be 10 to 200 characters"),
    (["user", "reset", "boss", "--user", "ann", "--password-stdin"], "taken over now\n", "this needs a supervisor"),
    (["user", "disable", "boss", "--user", "boss"], "", "you cannot disable yourself"),
    (["user", "disable", "nobody", "--user", "boss"], "", "no user 'nobody' in the register"),
    (["user", "enable", "ann", "--user", "boss"], "", "user 'ann' is not disabled"),
])
def test_user_commands_refuse_in_both_languages(url, monkeypatch, args, stdin, words):
    done = cli(monkeypatch, *args, url=url, stdin=stdin, check=2)
    assert words in done.stderr and "未写入任何内容 / nothing was written" in done.stderr
    assert "Traceback" not in done.stderr


def test_an_access_code_is_printed_once_with_its_slip_and_kept_as_a_hash(url, monkeypatch, tmp_path):
    run_cli("project", "create", "P1", "--name", "塔河一期", "--policy", "tahe", "--user", "boss", url=url)
    run_cli("import", str(survey_csv(tmp_path / "s.csv", FIVE)), "--user", "ann", url=url)
    run_cli("offer", "--user", "ann", url=url)
    run_cli("sign", "H1", "--user", "boss", url=url)
    slip = tmp_path / "slip.pdf"
    done = run_cli("access-code", "H1", "--user", "ann", "-o", str(slip), "--login-url", "http://10.0.0.5:8501",
                   url=url)
    code = CODE.search(done.stdout).group(1)
    assert "shown this once" in done.stdout and slip.read_bytes().startswith(b"%PDF")
    engine = engine_of(url)
    assert resident_login(engine, "H1", code).name == "H1"
    with reading(engine) as s:
        stored = s.execute(sa.select(AccessCode.code_sha256)).scalar_one()
    assert code.replace("-", "") not in stored
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(slip), "-"], capture_output=True, check=True).stdout
        page = text.decode()
        assert code in page and "H1" in page and "http://10.0.0.5:8501" in page and "第1号" in page
    again = run_cli("access-code", "H1", "--user", "ann", url=url)
    assert CODE.search(again.stdout).group(1) != code
    with pytest.raises(LoginRefused):
        resident_login(engine, "H1", code)
    refused = run_cli("access-code", "H2", "--user", "boss", "-o", str(tmp_path / "no" / "x.pdf"), url=url, check=2)
    assert "the output folder does not exist" in refused.stderr
    with reading(engine) as s:  # nothing issued for H2
        assert s.execute(sa.select(sa.func.count()).select_from(AccessCode)).scalar_one() == 1
    engine.dispose()
