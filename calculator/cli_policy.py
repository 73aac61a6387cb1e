"""The `policy` subcommand: `policy check FILE...` loads each file and lists its problems; `policy explain FILE`
prints the rules in words for review."""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from .approval import NOT_APPROVED, mark

if TYPE_CHECKING:  # pydantic and numpy load when a policy is read, not when the parser is built
    from .policy import LoadedPolicy, PolicyError

EXIT_OK, EXIT_BAD_POLICY = 0, 2


def load(name: str) -> LoadedPolicy:
    """A policy file (or a bundled id) parsed under its file name only: no machine path reaches the text."""
    from .policy import PolicyError, parse_policy, resolve_policy_path

    path = resolve_policy_path(name)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise PolicyError(path.name, [("(file)", "no such policy file / 没有这个政策文件")]) from None
    except OSError as exc:
        raise PolicyError(path.name, [("(file)", f"cannot be read / 无法读取: {exc.strerror}")]) from None
    return parse_policy(data, path.name)


def problem_lines(exc: PolicyError) -> list[str]:
    return [f"{exc.path}: {key}: {reason}" for key, reason in exc.problems]


def summary(loaded: LoadedPolicy) -> str:
    ident, rules = loaded.identity, loaded.rules
    approval = "" if ident.approved else f" ({' / '.join(NOT_APPROVED)})"
    return (f"OK / 通过 {ident.path}: {ident.id} {ident.version} sha256 {ident.sha256}{approval}; "
            f"{len(rules.items)} items / 项目, {len(rules.inputs)} inputs / 输入")


def run_check(args: argparse.Namespace) -> int:
    from .policy import PolicyError
    from .source_check import source_conflicts

    status = EXIT_OK
    found = 0
    for name in args.files:
        try:
            loaded = load(name)
        except PolicyError as exc:
            status = EXIT_BAD_POLICY
            found += len(exc.problems)
            print("\n".join(problem_lines(exc)))
            continue
        conflicts = source_conflicts(loaded.rules)  # the file loads, but a value contradicts its clause
        if conflicts:
            status = EXIT_BAD_POLICY
            found += len(conflicts)
            print("\n".join(problem_lines(PolicyError(loaded.identity.path, conflicts))))
            continue
        print(summary(loaded))
    if found:
        print(f"{found} problem(s) / 共{found}处问题")
    return status


def run_explain(args: argparse.Namespace) -> int:
    from .explain import explain_policy
    from .policy import PolicyError

    try:
        loaded = load(args.file)
    except PolicyError as exc:
        print("\n".join(problem_lines(exc)))
        return EXIT_BAD_POLICY
    if not loaded.identity.approved:
        print(mark(loaded.identity.sha256))
    print(explain_policy(loaded.rules, args.lang, loaded.identity, Path(loaded.identity.path).name), end="")
    return EXIT_OK


def register(sub) -> None:
    parser = sub.add_parser("policy", help="检查或说明政策文件 / check or explain a policy file",
                            description="检查或说明政策文件 / check or explain a policy file")
    actions = parser.add_subparsers(dest="policy_command", required=True, metavar="ACTION")
    check = actions.add_parser("check", help="检查政策文件，列出所有问题 / load each file and list every problem",
                               description="检查政策文件：无问题时退出码0，有问题时列出每处问题并退出码2 / "
                                           "exit 0 if every file loads, else list every problem and exit 2")
    check.add_argument("files", nargs="+", metavar="FILE", help="政策文件或编号 / policy file or id")
    check.set_defaults(func=run_check)
    explain = actions.add_parser("explain", help="用文字说明政策规则 / the rules in words, for review",
                                 description="用文字说明政策规则（供审核） / the policy's rules in words, for review")
    explain.add_argument("file", metavar="FILE", help="政策文件或编号 / policy file or id")
    explain.add_argument("--lang", choices=["zh", "en"], default="zh")
    explain.set_defaults(func=run_explain)
