"""Staff passwords: what a new one must be, and its argon2id hash (argon2-cffi's PasswordHasher, RFC 9106 defaults).

A human password is guessable, so it is stored only as a slow, salted, memory-hard hash; a stolen register does not
give the passwords back without years of guessing each one."""
from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from .errors import RegisterError

MIN_LENGTH = 10
MAX_LENGTH = 200
HASHER = PasswordHasher()


def check_new(password: str, name: str) -> str:
    """The password, if it will do: 10 to 200 characters, not the user name (length over rules: NIST SP 800-63B)."""
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        raise RegisterError("password", "", f"密码应为{MIN_LENGTH}至{MAX_LENGTH}个字符",
                            f"a password must be {MIN_LENGTH} to {MAX_LENGTH} characters")
    if password.strip().casefold() == name.strip().casefold():
        raise RegisterError("password", "", "密码不能与用户名相同", "a password must not be the user name")
    return password


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def matches(password_hash: str | None, password: str) -> bool:
    """Whether the password is the one hashed. With no hash (an unknown user, or no password set), a hash of
    something else is checked all the same, so the answer takes as long and says nothing of who exists."""
    try:
        return HASHER.verify(password_hash or _decoy(), password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=1)
def _decoy() -> str:
    return HASHER.hash("no user has this password; it is only checked to take the time a real check takes")
