"""The register's core commands: init, upgrade, user, project, import, offer, sign, cancel, show, verify, backup, restore."""
from __future__ import annotations

import argparse
import sys

from .cli import EXIT_OK, EXIT_SOME_REJECTED, add_user, command, open_register


def add_commands(sub) -> None:
    init = sub.add_parser("init", help="建立登记簿 / create the register (tables at the newest revision)",
                          description="建立空的登记簿（已建立则升级到最新结构）。"
                                      " Create an empty register (an existing one is brought up to date).")
    init.set_defaults(func=run_init)
    upgrade = sub.add_parser("upgrade", help="升级登记簿结构 / bring the register's tables up to date")
    upgrade.set_defaults(func=run_upgrade)

    user = sub.add_parser("user", help="登记簿用户 / register users")
    user_sub = user.add_subparsers(dest="user_command", required=True, metavar="ACTION")
    user_add = user_sub.add_parser("add", help="添加用户 / add a user",
                                   description="添加用户及其角色。第一个用户须为主管，可不带 --user；之后只有主管能添加用户。"
                                               " Add a user with a role. The first user must be a supervisor and needs no"
                                               " --user; after that only a supervisor adds users.")
    user_add.add_argument("name", metavar="NAME", help="用户名 / user name")
    user_add.add_argument("--role", required=True, choices=("clerk", "supervisor", "auditor"),
                          help="角色 / role: clerk 经办人, supervisor 主管, auditor 审计员")
    user_add.add_argument("--user", default=None, metavar="NAME", help="操作的主管 / the supervisor adding them")
    user_add.set_defaults(func=run_user_add)

    project = sub.add_parser("project", help="项目与政策 / projects and their policies")
    project_sub = project.add_subparsers(dest="project_command", required=True, metavar="ACTION")
    create = project_sub.add_parser("create", help="新建项目 / create a project under a policy",
                                    description="新建项目，冻结所用政策（编号、版本、sha256，并保存政策原文）。需主管。"
                                                " Create a project under a policy, frozen by id, version and sha256 with its"
                                                " text kept. Needs a supervisor.")
    create.add_argument("code", metavar="CODE", help="项目编号 / project code (no spaces)")
    create.add_argument("--name", default="", help="项目名称 / project name")
    create.add_argument("--policy", required=True, metavar="ID_OR_PATH", help="政策 / policy id or file")
    add_user(create)
    create.set_defaults(func=run_project_create)
    adopt = project_sub.add_parser("policy", help="采用新的政策版本 / adopt a new policy version",
                                   description="此后的方案按新政策计算；已有方案保持不变。需主管。"
                                               " Offers made from now on use the new policy; earlier offers stay as they"
                                               " are. Needs a supervisor.")
    adopt.add_argument("code", metavar="CODE", help="项目编号 / project code")
    adopt.add_argument("--policy", required=True, metavar="ID_OR_PATH", help="政策 / policy id or file")
    add_user(adopt)
    adopt.set_defaults(func=run_project_policy)

    imp = sub.add_parser("import", help="导入入户调查表 / import a household survey",
                         description="用批量结算的读取器读取调查表：新户建档，未签约户更新，已签约户列出且不改动。"
                                     "一次导入要么全部写入，要么完全不写入。退出码 0：全部导入；3：部分行被拒绝（其余已导入）；2：文件不可用。"
                                     " Read a survey with the batch reader: new households are filed, unsigned ones updated,"
                                     " signed ones listed and left untouched. An import is written whole or not at all."
                                     " Exit 0: all imported; 3: some rows rejected (the rest imported); 2: file unusable.")
    imp.add_argument("survey", metavar="SURVEY", help="入户调查表 / survey file (.xlsx, .xls, .csv)")
    imp.add_argument("--project", default=None, metavar="CODE", help="项目编号 / project code (default: the only one)")
    imp.add_argument("--sheet", default=None, metavar="NAME", help="工作表名 / sheet name")
    add_user(imp)
    imp.set_defaults(func=run_import)

    offer = sub.add_parser("offer", help="生成安置方案 / settle households into offers",
                           description="按项目当前政策结算尚无最新方案的未签约住户，每户保存完整结算结果（新版本，不改写旧方案）。"
                                       "退出码 3：有住户无法结算（其余已生成）。"
                                       " Settle every unsigned household without an up-to-date offer under the project's"
                                       " current policy; each offer keeps the full quote (a new version, old ones never"
                                       " rewritten). Exit 3: some households could not be settled (the rest were).")
    offer.add_argument("households", nargs="*", metavar="HOUSEHOLD", help="户号 / household numbers (default: all due)")
    offer.add_argument("--project", default=None, metavar="CODE", help="项目编号 / project code (default: the only one)")
    add_user(offer)
    offer.set_defaults(func=run_offer)

    sign = sub.add_parser("sign", help="签订协议 / sign agreements",
                          description="签约冻结住户的最新方案：协议号在项目内连续不缺号，结算单PDF即协议文书（保存其sha256）。"
                                      "退出码 2：被拒绝（未写入）；3：多户中有被拒绝的（其余已签）。"
                                      " Signing freezes the household's newest offer: numbers run per project without gaps,"
                                      " the statement PDF is the agreement document (its sha256 kept). Exit 2: refused"
                                      " (nothing written); 3: of several households some were refused (the rest signed).")
    sign.add_argument("households", nargs="*", metavar="HOUSEHOLD", help="户号 / household numbers")
    sign.add_argument("--all", action="store_true", help="所有有方案未签约的住户 / every household with an offer, unsigned")
    sign.add_argument("--project", default=None, metavar="CODE", help="项目编号 / project code (default: the only one)")
    sign.add_argument("--lang", choices=("zh", "en"), default="zh", help="协议文书语言 / document language (default zh)")
    add_user(sign)
    sign.set_defaults(func=run_sign)

    cancel = sub.add_parser("cancel", help="撤销协议（主管）/ cancel an agreement (supervisor)",
                            description="撤销住户生效的协议：需主管并写明原因；协议及其编号保留在历史中。"
                                        " Cancel a household's agreement in force: a supervisor, with a reason; the agreement"
                                        " and its number stay in the history.")
    cancel.add_argument("household", metavar="HOUSEHOLD", help="户号 / household number")
    cancel.add_argument("--reason", required=True, help="原因 / reason")
    cancel.add_argument("--project", default=None, metavar="CODE", help="项目编号 / project code (default: the only one)")
    add_user(cancel)
    cancel.set_defaults(func=run_cancel)

    document = sub.add_parser("document", help="导出协议文书 / write out an agreement's PDF",
                              description="写出住户协议的PDF文书，并核对其sha256。 Write out a household's agreement"
                                          " PDF, checked against its sha256.")
    document.add_argument("household", metavar="HOUSEHOLD", help="户号 / household number")
    document.add_argument("-o", "--output", required=True, metavar="FILE", help="输出 / output .pdf")
    document.add_argument("--number", type=int, default=None, help="协议号（默认生效的协议）/ agreement number "
                                                                  "(default: the one in force)")
    document.add_argument("--project", default=None, metavar="CODE", help="项目编号 / project code (default: the only one)")
    document.set_defaults(func=run_document)

    show = sub.add_parser("show", help="查看一户档案 / one household's file with its history",
                          description="显示住户档案：调查数据、家庭成员、各版方案、协议和操作记录。"
                                      " Show a household's file: survey data, members, every offer, agreements and history.")
    show.add_argument("household", metavar="HOUSEHOLD", help="户号 / household number")
    show.add_argument("--json", action="store_true", help="JSON 输出（金额单位为分）/ JSON (money in fen)")
    show.add_argument("--project", default=None, metavar="CODE", help="项目编号 / project code (default: the only one)")
    show.set_defaults(func=run_show)

    verify = sub.add_parser("verify", help="核验操作日志与文书 / check the log chain and documents",
                            description="核验操作日志的哈希链（发现被改动或删除的记录）、协议文书和政策原文的sha256。"
                                        "退出码 0：完好；1：发现问题。 Check the operator log's hash chain (an edited or"
                                        " deleted entry), each agreement document's and policy text's sha256."
                                        " Exit 0: intact; 1: a problem found.")
    verify.set_defaults(func=run_verify)

    backup = sub.add_parser("backup", help="备份登记簿 / a consistent copy of the register",
                            description="在经办人工作时也能得到一致的副本：SQLite 用在线备份接口（副本本身是 SQLite 文件），"
                                        "PostgreSQL 在一个可重复读事务中导出为可移植的 gzip JSON 行文件。"
                                        " A consistent copy even while clerks work: SQLite through its online backup API"
                                        " (the copy is a SQLite file); PostgreSQL as a portable gzip JSON-lines dump read"
                                        " in one REPEATABLE READ transaction.")
    backup.add_argument("file", metavar="FILE", help="备份文件 / backup file")
    backup.set_defaults(func=run_backup)
    restore = sub.add_parser("restore", help="从备份恢复到空数据库 / restore a backup into an empty database",
                             description="把备份（任一种）恢复到 --db 指定的空数据库，并升级到最新结构；数据库已有记录则拒绝。"
                                         " Load a backup (either kind) into the empty database named by --db and bring it"
                                         " up to date; refused if the database already holds records.")
    restore.add_argument("file", metavar="FILE", help="备份文件 / backup file")
    restore.set_defaults(func=run_restore)


@command
def run_init(args: argparse.Namespace) -> int:
    from .db import DEFAULT_URL, database_url
    from .migrate import upgrade

    # The default file's folder (data/) is made if missing; a folder named in a URL must exist (a typo is an error).
    engine = open_register(args, create_folder=database_url(args.db) == DEFAULT_URL, current=False)
    before, after = upgrade(engine)
    url = engine.url.render_as_string(hide_password=True)
    if before is None:
        print(f"已建立登记簿 / register created: {url}  (revision {after})")
    elif before == after:
        print(f"登记簿已是最新结构 / the register is up to date: {url}  (revision {after})")
    else:
        print(f"登记簿已升级 / register upgraded: {before} → {after}  {url}")
    return EXIT_OK


@command
def run_upgrade(args: argparse.Namespace) -> int:
    from .errors import RegisterError
    from .migrate import current_revision, upgrade

    engine = open_register(args, current=False)
    if current_revision(engine) is None:
        raise RegisterError("database", engine.url.render_as_string(hide_password=True),
                            "登记簿尚未建立：请先运行 register init", "the register has not been created: run `register init` first")
    before, after = upgrade(engine)
    if before == after:
        print(f"登记簿已是最新结构 / the register is up to date (revision {after})")
    else:
        print(f"登记簿已升级 / register upgraded: {before} → {after}")
    return EXIT_OK


@command
def run_user_add(args: argparse.Namespace) -> int:
    from .db import transaction
    from .users import add_user as add

    engine = open_register(args)
    with transaction(engine) as session:
        user = add(session, name=args.name, role=args.role, by=args.user or args.name)
    print(f"已添加用户 / user added: {user.name} ({user.role})")
    return EXIT_OK


@command
def run_project_create(args: argparse.Namespace) -> int:
    from .db import transaction
    from .projects import create_project

    engine = open_register(args)
    with transaction(engine) as session:
        project, policy = create_project(session, code=args.code, name=args.name, policy=args.policy, by=args.user)
    print(f"已建立项目 / project created: {project.code}  {project.name}")
    print(f"政策 / policy  {policy.policy_id} {policy.version}  sha256 {policy.sha256}")
    return EXIT_OK


@command
def run_project_policy(args: argparse.Namespace) -> int:
    from .db import transaction
    from .projects import adopt_policy, get_project

    engine = open_register(args)
    with transaction(engine) as session:
        policy = adopt_policy(session, get_project(session, args.code, lock=True), args.policy, args.user)
    print(f"已采用政策 / policy adopted: {policy.policy_id} {policy.version}  sha256 {policy.sha256}")
    print("已有方案不变；运行 register offer 按新政策生成新版本方案 / earlier offers stay; run `register offer` for new versions")
    return EXIT_OK


@command
def run_import(args: argparse.Namespace) -> int:
    import sys

    from ..batch.cli import rejected_lines
    from ..batch.errors import SurveyFileError
    from ..batch.survey import load_survey
    from .db import transaction
    from .errors import RegisterError
    from .households import import_survey
    from .projects import current_policy, get_project, loaded_policy
    from .rights import require

    engine = open_register(args)
    with transaction(engine) as session:
        require(session, args.user, "household.import")
        project = get_project(session, args.project, lock=True)
        version = current_policy(session, project)
        try:
            run = load_survey(args.survey, loaded_policy(version), sheet=args.sheet)
        except SurveyFileError as exc:
            raise RegisterError("survey", args.survey, exc.message_zh, exc.message_en) from None
        print(f"写入登记簿 / writing to the register: {run.counts.computed} 户 households …", flush=True)
        report = import_survey(session, project, run, args.user)
    c = run.counts
    lines = [f"项目 / project  {project.code}   政策 / policy  {version.policy_id} {version.version}",
             (f"读取 / read {c.read}   拒绝 / rejected {len({e.row for e in report.rejected})}"
              f"   跳过空行 / blank rows skipped {c.blank_skipped}"),
             (f"新建档 / added {len(report.added)}   更新 / updated {len(report.updated)}   无变化 / unchanged "
              f"{report.unchanged}   已签约未改动 / signed, left untouched {len(report.signed_untouched)}")]
    if report.signed_untouched:
        lines.append("已签约的户不随调查表更新 / signed households are not updated from a survey:")
        for no, differs in report.signed_untouched[:50]:
            lines.append(f"  {no}" + ("  （调查表中的数据不同 / the survey's row differs）" if differs else ""))
        if len(report.signed_untouched) > 50:
            lines.append(f"  … 另有 {len(report.signed_untouched) - 50} 户 / {len(report.signed_untouched) - 50} more")
    rejected_rows = len({e.row for e in report.rejected})
    if report.rejected:
        lines += rejected_lines(report.rejected, rejected_rows, len(report.rejected), ("均未导入", "not imported either"))
    print("\n".join(lines))
    if rejected_rows:
        print("被拒绝的行未导入，改正后可再次导入 / rejected rows were not imported; correct them and import again",
              file=sys.stderr)
        return EXIT_SOME_REJECTED
    return EXIT_OK


@command
def run_offer(args: argparse.Namespace) -> int:
    import time

    from .db import transaction
    from .offers import make_offers
    from .projects import get_project

    engine = open_register(args)
    start = time.perf_counter()
    with transaction(engine) as session:
        project = get_project(session, args.project, lock=True)
        report = make_offers(session, project, args.user, args.households or None)
    p = report.policy
    print(f"项目 / project  {project.code}   政策 / policy  {p.policy_id} {p.version}  sha256 {p.sha256[:12]}…")
    print(f"新方案 / offers made {report.made}   无法结算 / not settled {len({no for no, _ in report.rejected})}"
          f"   ({time.perf_counter() - start:.2f} s)")
    for no, e in report.rejected[:15]:
        print(f"  {no}  [{e.column or e.field}] {e.message_zh} / {e.message_en}")
    if len(report.rejected) > 15:
        print(f"  … 另有 {len(report.rejected) - 15} 条 / {len(report.rejected) - 15} more")
    return EXIT_SOME_REJECTED if report.rejected else EXIT_OK


@command
def run_sign(args: argparse.Namespace) -> int:
    from .agreements import due_for_signing, household, render_document, sign, signable_offer
    from .db import reading, transaction
    from .errors import RegisterError
    from .models import utc_now
    from .projects import get_project
    from .rights import require

    engine = open_register(args)
    with reading(engine) as session:
        require(session, args.user, "agreement.sign")
        project = get_project(session, args.project)
        numbers = list(dict.fromkeys(args.households))
        if args.all:
            numbers += [n for n in due_for_signing(session, project) if n not in numbers]
    if not numbers:
        raise RegisterError("household", "", "没有要签约的住户：请给出户号或 --all",
                            "no household to sign: give household numbers or --all")
    refused, signed = [], 0
    for no in numbers:
        try:
            with reading(engine) as session:  # the PDF is drawn before the lock, so clerks do not queue behind it
                h = household(session, project, no)
                document = render_document(session, h, signable_offer(session, project, h), utc_now().date(), args.lang)
            with transaction(engine) as session:
                agreement = sign(session, get_project(session, project.code, lock=True), document, args.user)
        except RegisterError as exc:
            if len(numbers) == 1:
                raise
            refused.append(exc)
            print(f"  {no}  {exc.message_zh} / {exc.message_en}", file=sys.stderr)
            continue
        signed += 1
        print(f"已签约 / signed  {no}  协议第{agreement.number}号 / agreement no. {agreement.number}"
              f"  文书 sha256 {agreement.document_sha256[:12]}…", flush=True)
    if len(numbers) > 1:
        print(f"签约 / signed {signed}   拒绝 / refused {len(refused)}")
    return EXIT_SOME_REJECTED if refused else EXIT_OK


@command
def run_cancel(args: argparse.Namespace) -> int:
    from .agreements import cancel
    from .db import transaction
    from .projects import get_project

    engine = open_register(args)
    with transaction(engine) as session:
        agreement = cancel(session, get_project(session, args.project, lock=True), args.household, args.reason, args.user)
    print(f"已撤销 / cancelled  {args.household}  协议第{agreement.number}号 / agreement no. {agreement.number}"
          f"  原因 / reason: {agreement.cancel_reason}")
    return EXIT_OK


@command
def run_document(args: argparse.Namespace) -> int:
    import hashlib

    from sqlalchemy import select

    from ..batch.output import OutputRefused, check_output, write_file
    from .agreements import household
    from .db import reading
    from .errors import RegisterError
    from .models import Agreement
    from .projects import get_project

    engine = open_register(args)
    with reading(engine) as session:
        h = household(session, get_project(session, args.project), args.household)
        query = select(Agreement).where(Agreement.household_id == h.id)
        query = query.where(Agreement.number == args.number) if args.number else query.where(Agreement.cancelled_at.is_(None))
        agreement = session.execute(query).scalar_one_or_none()
    if agreement is None:
        raise RegisterError("household", args.household, f"住户 {args.household} 没有这份协议",
                            f"household {args.household} has no such agreement")
    if hashlib.sha256(agreement.document).hexdigest() != agreement.document_sha256:
        raise RegisterError("document", agreement.number, f"协议第{agreement.number}号的文书与其sha256不符（已被改动）",
                            f"agreement no. {agreement.number}'s document does not match its sha256 (it was changed)")
    try:
        check_output(args.output)
        write_file(args.output, agreement.document)
    except OutputRefused as exc:
        raise RegisterError("output", args.output, exc.message_zh, exc.message_en) from None
    print(f"已写出 / written  {args.output}  协议第{agreement.number}号 / agreement no. {agreement.number}"
          f"  sha256 {agreement.document_sha256}")
    return EXIT_OK


@command
def run_show(args: argparse.Namespace) -> int:
    import json

    from .db import reading
    from .household_file import file_text, household_file
    from .projects import get_project

    engine = open_register(args)
    with reading(engine) as session:
        data = household_file(session, get_project(session, args.project), args.household)
    print(json.dumps(data, ensure_ascii=False, indent=1) if args.json else file_text(data))
    return EXIT_OK


@command
def run_verify(args: argparse.Namespace) -> int:
    from .db import reading
    from .integrity import check

    engine = open_register(args)
    with reading(engine) as session:
        entries, problems = check(session)
    if not problems:
        print(f"完好 / intact: 操作日志 {entries} 条，哈希链完整；协议文书与政策原文的sha256均相符"
              f" / {entries} log entries chain intact; every document and policy text matches its sha256")
        return EXIT_OK
    for zh, en in problems:
        print(f"问题 / problem: {zh} / {en}")
    return 1


@command
def run_backup(args: argparse.Namespace) -> int:
    from .backup import backup

    counts = backup(open_register(args, current=False), args.file)
    print(f"已备份 / backed up  {args.file}  ({sum(counts.values())} 行 rows: "
          + ", ".join(f"{t} {n}" for t, n in counts.items() if n) + ")")
    return EXIT_OK


@command
def run_restore(args: argparse.Namespace) -> int:
    from .backup import restore
    from .db import DEFAULT_URL, database_url

    engine = open_register(args, create_folder=database_url(args.db) == DEFAULT_URL, current=False)
    counts = restore(engine, args.file)
    print(f"已恢复 / restored  {args.file}  ({sum(counts.values())} 行 rows)；请运行 register verify"
          " / run `register verify`")
    return EXIT_OK
