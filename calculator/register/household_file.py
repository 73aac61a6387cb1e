"""One household's file (一户一档): who, the survey row, members, every offer and agreement, its ledger account, and
its log history."""
from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..fixed import fmt_money
from ..wording import PAYS, RECEIVES
from . import ledger, oplog
from .agreements import household
from .models import Agreement, Member, Offer, PolicyVersion, Project

STATUS = {"surveyed": "已调查", "offered": "已出方案", "signed": "已签约"}
ACTIONS = {"household.add": "建档", "household.update": "按调查表更新", "offer.make": "生成方案",
           "agreement.sign": "签约", "agreement.cancel": "撤销协议"}


def _brief(value) -> str:
    text = str(value)
    return text[:12] + "…" if len(text) > 24 and " " not in text else text


def _time(value) -> str | None:
    return None if value is None else value.isoformat(sep=" ") + "Z"


def household_file(session: Session, project: Project, number: str, as_of: dt.date | None = None) -> dict:
    """Everything the register holds about one household, as plain JSON-ready data (money in fen); its account stands
    as of `as_of` (default today)."""
    h = household(session, project, number)
    as_of = as_of or dt.date.today()
    members = session.execute(select(Member).where(Member.household_id == h.id).order_by(Member.position)).scalars()
    offers = session.execute(select(Offer, PolicyVersion).join(PolicyVersion, PolicyVersion.id == Offer.policy_version_id)
                             .where(Offer.household_id == h.id).order_by(Offer.version)).all()
    agreements = session.execute(select(Agreement.number, Agreement.offer_id, Agreement.signed_at, Agreement.signed_by,
                                        Agreement.document_sha256, Agreement.cancelled_at, Agreement.cancelled_by,
                                        Agreement.cancel_reason)
                                 .where(Agreement.household_id == h.id).order_by(Agreement.number)).all()
    version_of = {o.id: o.version for o, _ in offers}
    return {
        "project": project.code, "household_no": h.household_no, "name": h.name, "id_number": h.id_number,
        "category": h.category, "status": h.status, "survey_row": h.survey_row, "survey_sha256": h.survey_sha256,
        "inputs": h.inputs, "survey": h.survey,
        "members": [{"position": m.position, "name": m.name, "relation": m.relation, "id_number": m.id_number}
                    for m in members],
        "offers": [{"version": o.version, "policy": {"id": p.policy_id, "version": p.version, "sha256": p.sha256},
                    "option": o.option, "net_fen": o.net_fen, "created_at": _time(o.created_at), "created_by": o.created_by,
                    "quote": json.loads(o.quote_json)} for o, p in offers],
        "agreements": [{"number": a.number, "offer_version": version_of.get(a.offer_id), "signed_at": _time(a.signed_at),
                        "signed_by": a.signed_by, "document_sha256": a.document_sha256,
                        "cancelled_at": _time(a.cancelled_at), "cancelled_by": a.cancelled_by,
                        "cancel_reason": a.cancel_reason} for a in agreements],
        "account": {"as_of": as_of.isoformat(), **ledger.account(session, h, as_of)},
        "history": [{"seq": e.seq, "at": _time(e.at), "user": e.user, "action": e.action, "entity": e.entity,
                     "entity_id": e.entity_id, "before": json.loads(e.before), "after": json.loads(e.after)}
                    for e in oplog.history(session, h.id)],
    }


def _net(fen: int) -> str:
    pays, receives = (" / ".join(pair) for pair in (PAYS, RECEIVES))  # the one sign convention (calculator.wording)
    return f"{pays} {fmt_money(fen)}" if fen >= 0 else f"{receives} {fmt_money(-fen)}"


def file_text(f: dict) -> str:
    """The file as a clerk reads it on screen."""
    lines = [f"户号 / household {f['household_no']}   项目 / project {f['project']}",
             f"户主 / head {f['name']}   身份证号 / ID {f['id_number'] or '—'}   "
             f"状态 / status {STATUS.get(f['status'], f['status'])} ({f['status']})",
             f"调查表第{f['survey_row']}行 / survey row {f['survey_row']}   sha256 {f['survey_sha256'][:12]}…",
             "调查数据 / as surveyed: " + "；".join(f"{k}={v}" for k, v in f["inputs"].items() if v != "")]
    lines.append("家庭成员 / members: " + "；".join(
        f"{m['name']}（{m['relation'] or '—'}）" + (f" {m['id_number']}" if m["id_number"] else "") for m in f["members"]))
    lines.append("安置方案 / offers:")
    for o in f["offers"] or [{}]:
        if not o:
            lines.append("  （无 / none）")
            continue
        lines.append(f"  第{o['version']}版 / v{o['version']}  {o['policy']['id']} {o['policy']['version']}  "
                     f"{'货币补偿 / cash' if o['option'] == 'cash' else '回迁 / in-kind'}  {_net(o['net_fen'])}  "
                     f"{o['created_at']} {o['created_by']}")
    lines.append("协议 / agreements:")
    for a in f["agreements"] or [{}]:
        if not a:
            lines.append("  （无 / none）")
            continue
        state = (f"已撤销 / cancelled {a['cancelled_at']} {a['cancelled_by']}：{a['cancel_reason']}"
                 if a["cancelled_at"] else "生效 / in force")
        lines.append(f"  第{a['number']}号 / no. {a['number']}  方案第{a['offer_version']}版 / offer v{a['offer_version']}  "
                     f"{a['signed_at']} {a['signed_by']}  文书 sha256 {a['document_sha256'][:12]}…  {state}")
    lines.append(f"账户 / account（截至 / as of {f['account']['as_of']}）:")
    lines += ["  " + line for line in account_text(f["account"]).splitlines()]
    lines.append("操作记录 / history:")
    for e in f["history"]:
        after = e["after"] if isinstance(e["after"], dict) else {}
        brief = "，".join(f"{k}={_brief(v)}" for k, v in after.items()
                         if k not in ("inputs", "policy") and not isinstance(v, dict))
        label = ACTIONS.get(e["action"], "")
        lines.append(f"  #{e['seq']}  {e['at']}  {e['user']}  {label + ' ' if label else ''}{e['action']}  {brief}")
    return "\n".join(lines)


def account_text(account: dict) -> str:
    """A household's account (ledger.account) as a clerk reads it: dues, receipts, payouts, balances, status."""
    yuan = ledger.yuan
    lines = [f"{due['label']:<12} {due['due_on'] or '—':<10} {yuan(due['amount_fen']):>14}" for due in account["dues"]]
    lines += [f"收款 / receipt {rec['receipt_no']:<10} {rec['received_on']:<10} {yuan(rec['amount_fen']):>14}"
              for rec in account["receipts"]]
    lines += [f"付款 / payout {out['voucher_no']:<10} {out['paid_on']:<10} {yuan(out['amount_fen']):>14}"
              for out in account["payouts"]]
    if not lines:
        lines.append("（尚无应收应付款项 / no dues yet: the account opens once an agreement is signed）")
    lines.append(f"欠款余额 / balance: {yuan(account['balance_fen'])}  逾期 / overdue: {yuan(account['overdue_fen'])}  "
                 f"{account['status_label'] or ''}")
    if account["payable_fen"]:
        lines.append(f"应付给住户 / payable to the household: {yuan(account['payable_fen'])}  已付 / paid out: "
                     f"{yuan(account['paid_out_fen'])}  未付 / still to pay out: {yuan(account['payout_due_fen'])}")
    if account["consequence"]:
        lines.append(f"{account['consequence']['zh']} / {account['consequence']['en']}")
    return "\n".join(lines)
