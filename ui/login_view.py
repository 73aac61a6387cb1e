"""What the login and the sign-in in the sidebar decide and say, without drawing: the idle timeout, a role in words,
what a first supervisor's form lacks, a login refusal in the page's language."""
from __future__ import annotations

IDLE_MINUTES = 30  # a sign-in left without a click for this long ends (the next click goes to the login page)
IDLE_SECONDS = IDLE_MINUTES * 60
ROLES = ("clerk", "supervisor", "auditor", "resident")


def idle_expired(last_seen: float | None, now: float) -> bool:
    """Whether a session last used at `last_seen` (time.time()) has been idle too long by `now`; never seen: yes."""
    return last_seen is None or now - last_seen > IDLE_SECONDS


def role_key(role: str) -> str:
    """The i18n key of a role's words (经办人 / 主管 / 审计员 / 住户)."""
    return f"login.role.{role}" if role in ROLES else "login.role.unknown"


def first_run_problem(name: str, password: str, again: str) -> str | None:
    """The i18n key of what the first supervisor's form lacks (the library checks the rest: length, not the name)."""
    if not name.strip():
        return "login.need_name"
    if not password:
        return "login.need_password"
    if password != again:
        return "login.passwords_differ"
    return None


def staff_form_problem(name: str, password: str) -> str | None:
    """The i18n key of what a staff login form lacks (nothing is sent to the register without it)."""
    if not name.strip():
        return "login.need_name"
    if not password:
        return "login.need_password"
    return None


def resident_form_problem(household_no: str, code: str) -> str | None:
    if not household_no.strip():
        return "login.need_household"
    if not code.strip(" -\t"):
        return "login.need_code"
    return None
