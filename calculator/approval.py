"""Which policy files the office has approved: the files in policies/, named by id, version and SHA-256.

A file with the id and version of an approved one but other bytes is refused (a changed copy must not pass
for the approved plan); any other file is usable but marked "未经批准 / not approved" with its hash.
"""
from __future__ import annotations

import hashlib
import tomllib
from functools import lru_cache
from pathlib import Path

NOT_APPROVED = ("未经批准", "not approved")


@lru_cache(maxsize=8)
def _approved(listing: tuple[tuple[str, int, int], ...]) -> dict[tuple[str, str], frozenset[str]]:
    found: dict[tuple[str, str], set[str]] = {}
    for path, _, _ in listing:
        data = Path(path).read_bytes()
        try:
            info = tomllib.loads(data.decode("utf-8")).get("policy", {})
        except (UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue  # a broken file in policies/ approves nothing; its own load reports why
        if isinstance(info, dict) and isinstance(info.get("id"), str) and isinstance(info.get("version"), str):
            found.setdefault((info["id"], info["version"]), set()).add(hashlib.sha256(data).hexdigest())
    return {key: frozenset(hashes) for key, hashes in found.items()}


@lru_cache(maxsize=8)
def _file_hashes(listing: tuple[tuple[str, int, int], ...]) -> frozenset[str]:
    return frozenset(hashlib.sha256(Path(path).read_bytes()).hexdigest() for path, _, _ in listing)


def _listing(directory: Path | None) -> tuple[tuple[str, int, int], ...]:
    """The policy files in policies/ (or `directory`) as they are now: path, modified time and size."""
    from .policy import POLICY_DIR

    files = sorted((directory or POLICY_DIR).glob("*.toml"))
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)


def approved_set(directory: Path | None = None) -> dict[tuple[str, str], frozenset[str]]:
    """(id, version) -> the SHA-256 of the approved file(s): every policy file in policies/ as it is now."""
    return _approved(_listing(directory))


def is_approved(policy_id: str, version: str, sha256: str) -> bool:
    """True for a file in policies/; raises ApprovalRefused for other bytes under an approved id and version."""
    listing = _listing(None)
    if sha256 in _file_hashes(listing):  # the very bytes of a file in policies/: approved, nothing to parse
        return True
    hashes = _approved(listing).get((policy_id, version))
    if hashes is None:
        return False
    if sha256 not in hashes:
        raise ApprovalRefused(policy_id, version, sha256, hashes)
    return True


class ApprovalRefused(Exception):
    """A policy file that claims the id and version of an approved one but whose content differs."""

    def __init__(self, policy_id: str, version: str, sha256: str, approved: frozenset[str]):
        self.policy_id, self.version, self.sha256 = policy_id, version, sha256
        known = "、".join(h[:12] for h in sorted(approved))
        self.message_zh = (f"此文件的编号和版本（{policy_id} {version}）与已批准的政策相同，但内容不同"
                           f"（SHA-256 {sha256[:12]}…，已批准的为 {known}…），拒绝使用。修改后的政策须使用新的版本号。")
        self.message_en = (f"this file has the id and version of an approved policy ({policy_id} {version}) but "
                           f"different content (SHA-256 {sha256[:12]}…, approved: {known}…); refused. A changed "
                           f"policy needs a new version.")
        super().__init__(f"{self.message_zh} / {self.message_en}")


def mark(sha256: str) -> str:
    """The mark printed on everything a non-approved policy touches, in both languages, with the file's hash."""
    return f"{' / '.join(NOT_APPROVED)} · SHA-256 {sha256}"
