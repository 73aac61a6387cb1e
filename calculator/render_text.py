"""A Quote as a plain-text breakdown for the terminal, in Chinese or English (renders; never recomputes)."""
from __future__ import annotations

import unicodedata

from .approval import mark
from .capital import to_capital
from .fixed import money
from .household import OPTION_LABELS
from .policy import LoadedPolicy
from .result import Quote
from .wording import signed_text

TEXT = {
    "zh": {
        "title": "回迁安置结算明细", "title_cash": "货币补偿结算明细", "policy": "政策", "option": "安置方式", "low_income": "低保户", "yes": "是", "no": "否",
        "areas": "面积（㎡）", "original": "原房屋", "standard": "安置标准", "chosen": "选择户型",
        "item": "项目", "amount": "金额 元", "source": "依据",
        "net_pay": "结算合计（住户应交）", "net_receive": "结算合计（住户应领）", "due_pay": "入住前应交",
        "due_receive": "入住前住户应领", "capital": "大写",
        "deferred": "缓交房款", "installment": "第{n}期（入住后第{y}年，{p}%）", "due_on": "到期日", "no_date": "未定入住日期",
        "heating": "取暖费（每采暖期，不计入结算）", "heat_std": "非节能标准", "heat_annual": "应交", "heat_saving": "节省",
        "example_rate": "示例标准，应替换为当地核准标准", "decisions": "适用决定", "warnings": "提示",
        "shown": "仅供参考（不计入结算）",
    },
    "en": {
        "title": "In-kind resettlement breakdown", "title_cash": "Cash compensation breakdown", "policy": "Policy", "option": "Option", "low_income": "Low-income",
        "yes": "yes", "no": "no", "areas": "Areas (m²)", "original": "original", "standard": "standard",
        "chosen": "chosen", "item": "Item",
        "amount": "Amount ¥", "source": "source", "net_pay": "Net the household pays", "net_receive":
        "Net the household receives", "due_pay": "Due before move-in", "due_receive": "The household receives before move-in",
        "capital": "in words", "deferred": "Deferred payment",
        "installment": "Installment {n} (year {y} after move-in, {p}%)", "due_on": "due", "no_date": "no move-in date yet",
        "heating": "Heating fee (per heating season, not part of the settlement)", "heat_std": "standard", "heat_annual": "payable",
        "heat_saving": "saving", "example_rate": "example rate, replace with the locally approved rate",
        "decisions": "Decisions applied", "warnings": "Warnings", "shown": "For information (not part of the settlement)",
    },
}


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _ljust(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _rjust(text: str, width: int) -> str:
    return " " * max(0, width - _width(text)) + text


def _item_lines(item, label_w: int, lang: str) -> list[str]:
    """An item: its label and amount, the factors as multiplied, a note where a floor, cap or tier decided it, its source."""
    t = TEXT[lang]
    zh = lang == "zh"
    lines = [_ljust(item.label_zh if zh else item.label_en, label_w) + _rjust(signed_text(item.amount, lang), 18),
             f"    {item.formula(lang)}"]
    note = item.note_zh if zh else item.note_en
    if note:
        lines.append(f"    ({note})")
    lines.append(f"    {t['source']}: {item.source}")
    return lines


def render_quote(q: Quote, loaded: LoadedPolicy, lang: str = "zh") -> str:
    t = TEXT[lang]
    zh = lang == "zh"
    info = loaded.rules.policy
    extra_areas = [area for area in loaded.rules.schema.areas if area.key in loaded.rules.areas]
    lines = [
        t["title_cash" if q.option == "cash" else "title"] + (f" — {q.household_id}" if q.household_id else ""),
        f"{t['policy']}: {info.name_zh if zh else info.name_en} ({q.policy.id} {q.policy.version}, sha256 {q.policy.sha256[:16]}…)",
        *([] if q.policy.approved else [f"!! {mark(q.policy.sha256)}"]),
        f"{t['option']}: {OPTION_LABELS[q.option][0 if zh else 1]}    {t['low_income']}: {t['yes'] if q.low_income else t['no']}",
    ]
    if q.inputs:
        lines.append("    ".join(f"{i.label_zh if zh else i.label_en}: {i.text_zh if zh else i.text_en}" for i in q.inputs))
    a = q.areas
    area_line = f"{t['areas']}: {t['original']} {a['original']}"
    if q.option == "in_kind":
        area_line += f"  {t['standard']} {a['standard']}  {t['chosen']} {a['chosen']}"
        area_line += "".join(f"  {area.label_zh if zh else area.label_en} {a[area.key]}" for area in extra_areas if a[area.key] > 0)
    lines += [area_line, ""]

    label_w = max([_width(i.label_zh if zh else i.label_en) for i in q.items + q.shown] + [_width(t["item"])]) + 2
    header = _ljust(t["item"], label_w) + _rjust(t["amount"], 18)
    lines += [header, "-" * _width(header)]
    for item in q.items:
        lines += _item_lines(item, label_w, lang)
    lines.append("-" * _width(header))
    # Totals are said as paid or received, with a positive amount: never a bare minus in front of a resident.
    net_w = max(label_w, _width(t["net_receive"]) + 2)
    lines.append(_ljust(t["net_pay" if q.net_payable >= 0 else "net_receive"], net_w) + money(abs(q.net_payable)))
    if zh:
        lines.append(f"{t['capital']}: {to_capital(abs(q.net_payable))}")
    if q.option == "in_kind":
        due = t["due_pay" if q.due_before_move_in >= 0 else "due_receive"]
        lines.append(_ljust(due, net_w) + money(abs(q.due_before_move_in)))
    for total in q.totals:
        lines.append(_ljust(total.label_zh if zh else total.label_en, label_w) + _rjust(signed_text(total.amount, lang), 18))
    if q.shown:
        lines += ["", t["shown"]]
        for item in q.shown:
            lines += _item_lines(item, label_w, lang)

    if q.deferred.installments:
        lines += ["", f"{t['deferred']}: {money(q.deferred.total)}"]
        for inst in q.deferred.installments:
            when = inst.due_date.isoformat() if inst.due_date else t["no_date"]
            label = t["installment"].format(n=inst.number, y=inst.years_after_move_in, p=inst.share_percent)
            lines.append(f"  {label}: {money(inst.amount)}  {t['due_on']} {when}")
        lines.append(f"  {q.deferred.on_full_payment_zh if zh else q.deferred.on_full_payment_en}")
        lines.append(f"  {q.deferred.on_default_zh if zh else q.deferred.on_default_en}")

    if q.heating:
        h = q.heating
        lines += ["", f"{t['heating']}: {t['heat_std']} {money(h.standard_annual)}, {t['heat_annual']} {money(h.annual)}, "
                      f"{t['heat_saving']} {money(h.saving)}" + (f"  ({t['example_rate']})" if h.rate_is_example else "")]
    if q.decisions:
        lines += ["", f"{t['decisions']}:"]
        lines += [f"  {d.id} {d.title_zh if zh else d.title_en}: {d.text_zh if zh else d.text_en}" for d in q.decisions]
    if q.warnings:
        lines += ["", f"{t['warnings']}:"]
        lines += [f"  ! {w.message_zh if zh else w.message_en}" for w in q.warnings]
    return "\n".join(lines)
