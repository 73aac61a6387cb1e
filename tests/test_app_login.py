"""The app's login (issue 12): staff by password, a resident by household number and access code, the lock-out, the
first supervisor on an empty register, the idle timeout, a sign-in the register no longer allows, the menu each one
gets, and every attempt in the register's log. Each test on its own SQLite register (ANZHI_DATABASE_URL)."""
from __future__ import annotations

import time

import pytest
from app_helpers import start
from register_pages import AUDITOR, CLERK, SUPERVISOR, offered_register
from sqlalchemy import select

from calculator.register import access_codes, migrate, users
from calculator.register.db import make_engine, reading, transaction
from calculator.register.models import Household, LogEntry, User
from calculator.register.models_access import LoginAttempt
from calculator.register.projects import get_project
from ui.login_view import IDLE_SECONDS, idle_expired, role_key
from ui.signed_in import KEY, LAST_SEEN, SignedIn
from ui.staff_pages import LOGIN_PAGE, PAGES, RESIDENT_PAGE, UI, register_entries

PASSWORDS = {SUPERVISOR: "supervisor-pass-1", CLERK: "clerk-pass-2024", AUDITOR: "auditor pass 33"}
LOGIN = "ui/login_page.py"
DASHBOARD = "ui/register_dashboard_page.py"
STAFF_FILES = [f"ui/{name}" for name, *_ in PAGES]


@pytest.fixture
def register(tmp_path, monkeypatch):
    """The sample slice offered (TH-00001…), a supervisor, a clerk and an auditor, each with a password."""
    engine = offered_register(tmp_path, monkeypatch)
    with transaction(engine) as s:
        for name, password in PASSWORDS.items():
            users.reset_password(s, name, password, by=SUPERVISOR)
    yield engine
    engine.dispose()


def issue_code(engine, household_no: str) -> str:
    with transaction(engine) as s:
        project = get_project(s, None)
        h = s.execute(select(Household).where(Household.project_id == project.id,
                                              Household.household_no == household_no)).scalar_one()
        return access_codes.issue(s, h, CLERK)


def project_id(engine) -> int:
    with reading(engine) as s:
        return get_project(s, None).id


def attempts(engine) -> list[tuple[str, str, bool, str]]:
    """(kind, name, ok, reason) of every login attempt, oldest first."""
    with reading(engine) as s:
        return [tuple(r) for r in s.execute(select(LoginAttempt.kind, LoginAttempt.name, LoginAttempt.ok,
                                                   LoginAttempt.reason).order_by(LoginAttempt.id))]


def logged(engine, action: str) -> list[tuple[str, str]]:
    """(user, entity id) of each operator-log entry of `action`."""
    with reading(engine) as s:
        return [tuple(r) for r in s.execute(select(LogEntry.user, LogEntry.entity_id)
                                            .where(LogEntry.action == action).order_by(LogEntry.seq))]


def login_page(lang: str = "zh"):
    return start(LOGIN, lang=lang)


def staff_login(at, name: str, password: str):
    at.radio(key="login_who").set_value(at.radio(key="login_who").options[0])  # 工作人员 / Staff
    at.text_input(key="login_name").input(name)
    at.text_input(key="login_password").input(password)
    at.button(key="login_staff_submit").click().run()
    assert not at.exception, at.exception
    return at


def resident_login(at, household_no: str, code: str):
    at.radio(key="login_who").set_value(at.radio(key="login_who").options[1]).run()  # 住户 / Resident
    at.text_input(key="login_household").input(household_no)
    at.text_input(key="login_code").input(code)
    at.button(key="login_resident_submit").click().run()
    assert not at.exception, at.exception
    return at


def signed_in(at) -> SignedIn | None:
    return at.session_state[KEY] if KEY in at.session_state else None


def titles(at) -> list[str]:
    return [t.value for t in at.title]


def errors(at) -> str:
    return "\n".join(e.value for e in at.error)


def warnings(at) -> str:
    return "\n".join(w.value for w in at.warning)


# ---- staff ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, role, words", [(CLERK, "clerk", "经办人"), (SUPERVISOR, "supervisor", "主管"),
                                               (AUDITOR, "auditor", "审计员")])
def test_a_staff_login_signs_in_with_the_role_and_opens_the_dashboard(register, name, role, words):
    at = staff_login(login_page(), name, PASSWORDS[name])
    assert signed_in(at) == SignedIn(name, role, None)
    assert titles(at) == ["项目进度"]  # the dashboard, first of the staff pages
    assert f"**{name}** · {words}" in [m.value for m in at.sidebar.markdown]
    assert [b.label for b in at.sidebar.button] == ["退出登录"]
    assert attempts(register)[-1] == ("staff", name, True, "ok")


def test_the_sidebar_says_the_role_in_english(register):
    at = staff_login(login_page("en"), AUDITOR, PASSWORDS[AUDITOR])
    assert "**赵审计** · auditor" in [m.value for m in at.sidebar.markdown]
    assert [b.label for b in at.sidebar.button] == ["Sign out"]


@pytest.mark.parametrize("lang, message", [("zh", "用户名或密码不正确"), ("en", "the user name or password is not right")])
def test_a_wrong_password_and_an_unknown_user_get_the_same_answer_and_sign_nobody_in(register, lang, message):
    at = staff_login(login_page(lang), CLERK, "not-the-password")
    assert errors(at) == message and signed_in(at) is None
    at = staff_login(login_page(lang), "无此人", "not-the-password")
    assert errors(at) == message and signed_in(at) is None
    assert attempts(register) == [("staff", CLERK, False, "wrong"), ("staff", "无此人", False, "unknown")]


def test_a_blank_field_is_named_and_nothing_is_tried(register):
    at = staff_login(login_page(), CLERK, "")
    assert errors(at) == "密码：请填写。"
    at = staff_login(login_page("en"), "  ", "x")
    assert errors(at) == "User name: please fill it in."
    assert attempts(register) == []


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(register):
    at = login_page()
    for _ in range(4):
        staff_login(at, CLERK, "wrong-password")
        assert errors(at) == "用户名或密码不正确"
    staff_login(at, CLERK, "wrong-password")
    assert "连续5次输入错误，该账户已锁定，请15分钟后再试" in errors(at)
    staff_login(at, CLERK, PASSWORDS[CLERK])
    assert "已锁定，请15分钟后再试" in errors(at) and signed_in(at) is None
    assert [a[2:] for a in attempts(register)] == [(False, "wrong")] * 5 + [(False, "locked")]
    assert len(logged(register, "login.lock")) == 1
    at = staff_login(login_page("en"), CLERK, PASSWORDS[CLERK])
    assert "5 wrong tries in a row: this account is locked; try again in 15 minutes" in errors(at)


def test_a_disabled_user_is_told_so_only_with_the_right_password(register):
    with transaction(register) as s:
        users.disable(s, CLERK, by=SUPERVISOR)
    at = staff_login(login_page(), CLERK, "wrong-password")
    assert errors(at) == "用户名或密码不正确"
    staff_login(at, CLERK, PASSWORDS[CLERK])
    assert "已停用" in errors(at) and signed_in(at) is None


# ---- residents ----------------------------------------------------------------------------------------------------

def test_a_resident_signs_in_with_the_code_as_printed_or_typed_loosely(register):
    code = issue_code(register, "TH-00003")
    assert len(code) == 14 and code.count("-") == 2
    at = resident_login(login_page(), "TH-00003", code)
    assert signed_in(at) == SignedIn("TH-00003", "resident", project_id(register))
    loosely = code.replace("-", "").lower()
    at = resident_login(login_page(), " TH-00003 ", f"{loosely[:6]} {loosely[6:]}")
    assert signed_in(at) == SignedIn("TH-00003", "resident", project_id(register))
    assert attempts(register)[-2:] == [("resident", "TH-00003", True, "ok")] * 2


def test_another_households_code_does_not_open_a_household(register):
    issue_code(register, "TH-00003")
    other = issue_code(register, "TH-00004")
    at = resident_login(login_page(), "TH-00003", other)
    assert errors(at) == "户号或访问码不正确" and signed_in(at) is None
    at = resident_login(login_page("en"), "TH-99999", other)
    assert errors(at) == "the household number or access code is not right" and signed_in(at) is None
    assert attempts(register) == [("resident", "TH-00003", False, "wrong"), ("resident", "TH-99999", False, "no_code")]


def test_five_wrong_codes_lock_the_household_even_against_its_code(register):
    code = issue_code(register, "TH-00005")
    at = login_page()
    for _ in range(5):
        resident_login(at, "TH-00005", "AAAA-AAAA-AAAA")
    assert "连续5次输入错误，该户的访问码已锁定，请15分钟后再试" in errors(at)
    resident_login(at, "TH-00005", code)
    assert "已锁定，请15分钟后再试，或到经办窗口重新领取访问码" in errors(at) and signed_in(at) is None
    assert [a[2:] for a in attempts(register)] == [(False, "wrong")] * 5 + [(False, "locked")]
    assert len(logged(register, "login.lock")) == 1
    issue_code(register, "TH-00005")  # a new code lifts the lock and the old code no longer works
    resident_login(at, "TH-00005", code)
    assert errors(at) == "户号或访问码不正确"


# ---- first run --------------------------------------------------------------------------------------------------

@pytest.fixture
def empty(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    monkeypatch.setenv("ANZHI_DATABASE_URL", url)
    engine = make_engine(url)
    migrate.upgrade(engine)  # as the app does on first use
    yield engine
    engine.dispose()


def first_supervisor(at, name: str, password: str, again: str | None = None):
    at.text_input(key="login_first_name").input(name)
    at.text_input(key="login_first_password").input(password)
    at.text_input(key="login_first_again").input(password if again is None else again)
    at.button(key="login_first_submit").click().run()
    assert not at.exception, at.exception
    return at


def user_rows(engine) -> list[tuple[str, str, bool]]:
    with reading(engine) as s:
        return [(u.name, u.role, u.password_hash is not None) for u in s.execute(select(User)).scalars()]


def test_the_first_run_creates_a_supervisor_logged_and_signed_in(empty):
    at = login_page()
    assert "登记簿还没有用户" in at.info[0].value
    assert [r.key for r in at.radio] == ["lang"]  # no staff or resident choice before there is a user
    first_supervisor(at, "刘主管", "first supervisor pass")
    assert signed_in(at) == SignedIn("刘主管", "supervisor", None)
    assert user_rows(empty) == [("刘主管", "supervisor", True)]
    assert logged(empty, "user.add") == [("刘主管", "1")]
    assert attempts(empty) == [("staff", "刘主管", True, "ok")]
    assert titles(at) == ["项目进度"]
    # once there is a user, the page asks for a login instead
    at = login_page()
    assert "登记簿还没有用户" not in " ".join(i.value for i in at.info)
    assert at.radio(key="login_who").options == ["工作人员", "住户"]


@pytest.mark.parametrize("lang, password, again, message", [
    ("zh", "short", None, "未办理：密码：密码应为10至200个字符"),
    ("en", "刘主管", None, "Not done: Password: a password must be 10 to 200 characters"),
    ("zh", "long enough 123", "long enough 124", "密码：两次输入的密码不一致，未创建用户。"),
    ("en", "  刘主管  ", None, "Not done: Password: a password must be 10 to 200 characters"),
])
def test_a_first_supervisor_with_a_bad_password_is_refused_by_field(empty, lang, password, again, message):
    at = first_supervisor(login_page(lang), "刘主管", password, again)
    assert errors(at) == message
    assert user_rows(empty) == [] and signed_in(at) is None


def test_a_password_equal_to_the_name_is_refused(empty):
    at = first_supervisor(login_page(), "supervisor01", "Supervisor01")
    assert errors(at) == "未办理：密码：密码不能与用户名相同"
    assert user_rows(empty) == []


def test_no_first_supervisor_once_a_user_exists(empty):
    at = login_page()
    assert "登记簿还没有用户" in at.info[0].value
    with transaction(empty) as s:  # meanwhile, someone else made the first user
        users.add_user(s, name="王主管", role="supervisor", by="王主管", password="their own pass")
    first_supervisor(at, "刘主管", "first supervisor pass")
    assert errors(at) == "登记簿中已有用户，不能再这样创建主管：请登录，或请主管添加用户。"
    assert user_rows(empty) == [("王主管", "supervisor", True)] and signed_in(at) is None


def test_the_library_refuses_a_second_self_made_supervisor(empty):
    """What the page relies on if two first runs race past its own check: only a supervisor adds users."""
    from calculator.register.errors import RegisterError

    with transaction(empty) as s:
        users.add_user(s, name="王主管", role="supervisor", by="王主管", password="their own pass")
    with pytest.raises(RegisterError), transaction(empty) as s:
        users.add_user(s, name="刘主管", role="supervisor", by="刘主管", password="first supervisor pass")
    assert user_rows(empty) == [("王主管", "supervisor", True)]


# ---- the session ------------------------------------------------------------------------------------------------

def test_idle_expiry_rule():
    now = 1_000_000.0
    assert not idle_expired(now - IDLE_SECONDS, now) and idle_expired(now - IDLE_SECONDS - 1, now)
    assert idle_expired(None, now) and IDLE_SECONDS == 30 * 60


def test_thirty_minutes_idle_signs_out_with_a_note(register):
    at = staff_login(login_page(), CLERK, PASSWORDS[CLERK])
    at.session_state[LAST_SEEN] = time.time() - 29 * 60
    at.run()
    assert signed_in(at) == SignedIn(CLERK, "clerk", None)
    assert at.session_state[LAST_SEEN] > time.time() - 60  # the run counted as activity
    at.session_state[LAST_SEEN] = time.time() - 31 * 60
    at.run()
    assert signed_in(at) is None
    assert titles(at) == ["登录"]
    assert warnings(at) == "已超过30分钟没有操作，已自动退出登录，请重新登录。"
    assert not at.sidebar.button  # no sign-out button for nobody
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(DASHBOARD)


def test_a_disabled_users_session_ends_on_the_next_run(register):
    at = staff_login(login_page(), CLERK, PASSWORDS[CLERK])
    assert signed_in(at) is not None
    with transaction(register) as s:
        users.disable(s, CLERK, by=SUPERVISOR)
    at.run()
    assert signed_in(at) is None and titles(at) == ["登录"]
    assert "登录已失效" in warnings(at)


def test_a_password_reset_ends_the_session(register):
    at = staff_login(login_page("en"), CLERK, PASSWORDS[CLERK])
    time.sleep(1.1)  # the register keeps times to the second: a reset in a later second than the login
    with transaction(register) as s:
        users.reset_password(s, CLERK, "a brand new pass", by=SUPERVISOR)
    at.run()
    assert signed_in(at) is None
    assert "Your sign-in has ended" in warnings(at)


def test_a_new_access_code_ends_the_residents_session(register):
    code = issue_code(register, "TH-00006")
    at = resident_login(login_page(), "TH-00006", code)
    assert signed_in(at) is not None
    at.run()
    assert signed_in(at) is not None
    time.sleep(1.1)
    issue_code(register, "TH-00006")
    at.run()
    assert signed_in(at) is None and "登录已失效" in warnings(at)


def test_a_signed_in_value_no_login_put_there_is_signed_out(register):
    at = start(lang="zh")
    at.session_state[KEY] = SignedIn(SUPERVISOR, "supervisor")
    at.run()
    assert signed_in(at) is None


def test_signing_out_goes_back_to_the_login(register):
    at = staff_login(login_page(), SUPERVISOR, PASSWORDS[SUPERVISOR])
    at.sidebar.button(key="login_sign_out").click().run()
    assert signed_in(at) is None and titles(at) == ["登录"] and warnings(at) == "已退出登录。"


# ---- navigation -----------------------------------------------------------------------------------------------

def test_the_register_menu_for_each_kind_of_user(tmp_path):
    for name, *_ in [*PAGES, LOGIN_PAGE]:
        (tmp_path / name).write_text("")
    assert register_entries(None, tmp_path) == [LOGIN_PAGE]
    for role in ("clerk", "supervisor", "auditor"):
        assert register_entries(SignedIn("x", role), tmp_path) == PAGES
    resident = SignedIn("TH-00001", "resident", 1)
    assert register_entries(resident, tmp_path) == []  # no resident page yet: nothing, never a staff page
    (tmp_path / RESIDENT_PAGE[0]).write_text("")
    assert register_entries(resident, tmp_path) == [RESIDENT_PAGE]
    assert RESIDENT_PAGE[3] == "mine"
    assert register_entries(SignedIn("x", "clerk"), UI) == PAGES  # every staff page is in this repository


def test_nobody_gets_the_login_page_and_no_staff_page(register):
    at = start()
    at.switch_page(LOGIN).run()
    assert titles(at) == ["登录"]
    for path in STAFF_FILES:
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(path)


def test_staff_get_every_staff_page_and_no_login_page(register):
    at = staff_login(login_page(), AUDITOR, PASSWORDS[AUDITOR])
    for path, (_, word, *_) in zip(STAFF_FILES, PAGES, strict=True):
        at.switch_page(path).run()
        assert not at.exception, (path, at.exception)
    at.switch_page("ui/register_households_page.py").run()
    assert titles(at) == ["住户名册"]
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(LOGIN)


def test_a_resident_gets_no_staff_page(register):
    code = issue_code(register, "TH-00002")
    at = resident_login(login_page(), "TH-00002", code)
    assert signed_in(at).role == "resident"
    if (UI / RESIDENT_PAGE[0]).exists():  # their own page, once it is in the repository, is in their menu
        at.switch_page(f"ui/{RESIDENT_PAGE[0]}").run()
        assert not at.exception, at.exception
    for path in [*STAFF_FILES, LOGIN]:
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(path)
    # the four counter pages stay for everyone
    at.switch_page("ui/batch_page.py").run()
    assert not at.exception and titles(at) == ["批量测算"]


@pytest.mark.parametrize("path", STAFF_FILES)
def test_every_staff_page_refuses_a_resident_by_itself(register, path):
    """Even run directly with a resident signed in (not through the menu), a staff page shows nothing of the
    register."""
    from register_scenario import page, page_text

    at = page(path, SignedIn("TH-00001", "resident", project_id(register)))
    assert "请先登录：登记簿的页面只对经办人、主管和审计员开放。" in [i.value for i in at.info]
    assert not at.dataframe and "TH-00001" not in page_text(at)


def test_the_counter_needs_no_login(register):
    at = start()
    assert titles(at) == ["单户测算"] and signed_in(at) is None
    for path in ("ui/batch_page.py", "ui/policy_page.py", "ui/plan_page.py"):
        at.switch_page(path).run()
        assert not at.exception, at.exception
    assert attempts(register) == []


def test_role_words():
    assert [role_key(r) for r in ("clerk", "supervisor", "auditor", "resident", "x")] == [
        "login.role.clerk", "login.role.supervisor", "login.role.auditor", "login.role.resident", "login.role.unknown"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_login_words_hold_no_code_name(register, empty_words, lang):
    """Every word of the login page (both forms, a refusal), its first run and the sidebar of a signed-in user."""
    from register_scenario import page_text
    from test_words import code_like

    at = staff_login(login_page(lang), CLERK, "wrong-password")
    shown = page_text(at) + "\n" + " ".join(r.options[0] + r.options[1] + r.label for r in at.radio)
    at = resident_login(at, "TH-00001", "AAAA")
    shown += "\n" + page_text(at)
    at = staff_login(login_page(lang), CLERK, PASSWORDS[CLERK])
    shown += "\n" + "\n".join(m.value for m in at.sidebar.markdown[:1]) + at.sidebar.button[0].label
    assert code_like(shown) == [] and "login." not in shown
    assert ("工作人员" in shown and "访问码" in shown) if lang == "zh" else ("Staff" in shown and "Access code" in shown)
    first = empty_words(lang)
    assert code_like(first) == [] and "login." not in first


@pytest.fixture
def empty_words(tmp_path, monkeypatch):
    """The first-run page's words, with a refusal, on an empty register of its own."""
    from register_scenario import page_text

    def words(lang: str) -> str:
        monkeypatch.setenv("ANZHI_DATABASE_URL", f"sqlite:///{tmp_path / f'first_{lang}.db'}")
        at = first_supervisor(login_page(lang), "刘主管", "short")
        return page_text(at)
    return words
