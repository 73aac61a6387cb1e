"""A Quote as a plain-text breakdown for the terminal, in Chinese or English (renders; never recomputes)."""
from __future__ import annotations

import unicodedata

from .capital import to_capital
from .fixed import money
from .household import OPTION_LABELS
from .policy import LoadedPolicy
from .result import Quote

TEXT = {
    "zh": {
        "title": "回迁安置结算明细", "policy": "政策", "option": "安置方式", "low_income": "低保户", "yes": "是", "no": "否",
        "areas": "面积（㎡）", "original": "原房屋", "standard": "安置标准", "chosen": "选择户型", "shortfall": "未安置",
        "item": "项目", "area": "面积㎡", "price": "单价 元/㎡", "amount": "金额 元", "source": "依据",
        "net": "结算合计", "net_note": "（负数为住户应得）", "due": "入住前应交", "capital": "大写",
        "deferred": "缓交房款", "installment": "第{n}期（入住后第{y}年，{p}%）", "due_on": "到期日", "no_date": "未定入住日期",
        "heating": "取暖费（每采暖期，不计入结算）", "heat_std": "非节能标准", "heat_annual": "应交", "heat_saving": "节省",
        "example_rate": "示例标准，应替换为当地核准标准", "decisions": "适用决定", "warnings": "提示",
    },
    "en": {
        "title": "Relocation settlement breakdown", "policy": "Policy", "option": "Option", "low_income": "Low-income",
        "yes": "yes", "no": "no", "areas": "Areas (m²)", "original": "original", "standard": "standard",
        "chosen": "chosen", "shortfall": "untaken", "item": "Item", "area": "Area m²", "price": "Price ¥/m²",
        "amount": "Amount ¥", "source": "source", "net": "Net payable", "net_note": " (negative: the household receives)",
        "due": "Due before move-in", "capital": "in words", "deferred": "Deferred payment",
        "installment": "Installment {n} (year {y} after move-in, {p}%)", "due_on": "due", "no_date": "no move-in date yet",
        "heating": "Heating fee (per season, not part of the settlement)", "heat_std": "standard", "heat_annual": "payable",
        "heat_saving": "saving", "example_rate": "example rate, replace with the locally approved rate",
        "decisions": "Decisions applied", "warnings": "Warnings",
    },
}


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _ljust(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _rjust(text: str, width: int) -> str:
    return " " * max(0, width - _width(text)) + text


def render_quote(q: Quote, loaded: LoadedPolicy, lang: str = "zh") -> str:
    t = TEXT[lang]
    zh = lang == "zh"
    info = loaded.rules.policy
    lines = [
        f"{t['title']}" + (f" — {q.household_id}" if q.household_id else ""),
        f"{t['policy']}: {info.name_zh if zh else info.name_en} ({q.policy.id} {q.policy.version}, sha256 {q.policy.sha256[:16]}…)",
        f"{t['option']}: {OPTION_LABELS[q.option][0 if zh else 1]}    {t['low_income']}: {t['yes'] if q.low_income else t['no']}",
    ]
    a = q.areas
    area_line = f"{t['areas']}: {t['original']} {a['original']}"
    if q.option == "in_kind":
        area_line += f"  {t['standard']} {a['standard']}  {t['chosen']} {a['chosen']}"
        if a.get("shortfall", 0) > 0:
            area_line += f"  {t['shortfall']} {a['shortfall']}"
    lines += [area_line, ""]

    label_w = max([_width(i.label_zh if zh else i.label_en) for i in q.items] + [_width(t["item"])]) + 2
    header = _ljust(t["item"], label_w) + _rjust(t["area"], 10) + _rjust(t["price"], 14) + _rjust(t["amount"], 16)
    lines += [header, "-" * _width(header)]
    for item in q.items:
        label = item.label_zh if zh else item.label_en
        area = "" if item.area is None else f"{item.area}"
        price = "" if item.unit_price is None else money(item.unit_price, "")
        lines.append(_ljust(label, label_w) + _rjust(area, 10) + _rjust(price, 14) + _rjust(money(item.amount, ""), 16))
        note = item.note_zh if zh else item.note_en
        lines.append(f"    {item.formula(lang)}" + (f"  ({note})" if note else ""))
        lines.append(f"    {t['source']}: {item.source}")
    lines.append("-" * _width(header))
    lines.append(_ljust(t["net"], label_w + 24) + _rjust(money(q.net_payable), 16) + t["net_note"])
    if zh:
        lines.append(f"{t['capital']}: {to_capital(q.net_payable)}")
    lines.append(_ljust(t["due"], label_w + 24) + _rjust(money(q.due_before_move_in), 16))

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
