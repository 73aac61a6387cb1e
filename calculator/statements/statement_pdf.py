"""The settlement statement (回迁安置结算单) of one household as an A4 PDF: it renders a Quote, never recomputes it."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import partial

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from ..capital import to_capital
from ..fixed import money
from ..policy import LoadedPolicy
from ..result import Quote
from .fonts import cjk_font
from .labels import section_title, text
from .layout import SHADE, amount_text, build_pdf, grid_table, para, styles

def _plain(value: Decimal) -> str:
    """A share or rate without trailing zeros: Decimal('60.00') -> '60'."""
    return f"{Decimal(value).normalize():f}"


def _option_label(quote: Quote, loaded: LoadedPolicy, lang: str) -> str:
    part = loaded.rules.cash if quote.option == "cash" else loaded.rules.in_kind
    return part.label_zh if lang == "zh" else part.label_en


def _household(quote, loaded, lang, st, m2, household_id, name, id_number, address):
    t = partial(text, lang=lang)
    cash = quote.option == "cash"

    def area(key: str) -> str:
        return t("not_applicable") if cash else f"{quote.areas[key]} {m2}"

    move_in = t("not_applicable") if cash else (quote.move_in_date.isoformat() if quote.move_in_date else t("not_set"))
    rows = [
        (t("household_id"), household_id or quote.household_id or "", t("name"), name or "",
         t("id_number"), id_number or ""),
        (t("original_area"), f"{quote.areas['original']} {m2}", t("standard_area"), area("standard"),
         t("chosen_area"), area("chosen")),
        (t("option"), _option_label(quote, loaded, lang), t("low_income"), t("yes" if quote.low_income else "no"),
         t("move_in"), move_in),
    ]
    cells = [[para(c, st["small"] if i % 2 == 0 else st["base"]) for i, c in enumerate(row)] for row in rows]
    widths = [26 * mm, 38 * mm, 22 * mm, 28 * mm, 22 * mm, 44 * mm]
    shade = [("BACKGROUND", (c, 0), (c, len(rows) - 1), SHADE) for c in (0, 2, 4)]
    if address:
        cells.append([para(t("address"), st["small"]), para(address, st["base"]), "", "", "", ""])
        shade += [("SPAN", (1, -1), (-1, -1)), ("BACKGROUND", (0, -1), (0, -1), SHADE)]
    return grid_table(cells, widths, header_rows=0, extra=shade)


def _items(quote, lang, st, m2):
    t = partial(text, lang=lang)
    head = [para(t(k, m2=m2), st["small"]) for k in ("item", "area_col", "price_col", "amount_col", "source_col")]
    rows = [head]
    for item in quote.items:
        rows.append([para(item.label_zh if lang == "zh" else item.label_en, st["base"]), amount_text(item.area),
                     amount_text(item.unit_price), amount_text(item.amount), para(item.source, st["tiny"])])
    rows.append([para(t("net_row"), st["base"]), "", "", amount_text(quote.net_payable), ""])
    widths = [44 * mm, 21 * mm, 24 * mm, 26 * mm, 65 * mm]
    extra = [("SPAN", (0, -1), (2, -1)), ("BACKGROUND", (0, -1), (-1, -1), SHADE),
             ("FONTSIZE", (0, 1), (-1, -1), st["base"].fontSize),
             ("ALIGN", (4, 1), (4, -1), "LEFT")]
    return grid_table(rows, widths, align_right_from=1, extra=extra)


def _sum_row(label: str, amount: Decimal, lang: str, st) -> list:
    """A total in figures and, for Chinese, in capital numerals; a negative total is said as money received."""
    words = to_capital(abs(amount))
    cap = f"{text('capital', lang)}：{words}" if lang == "zh" else f"{text('capital', lang)}: {words}"
    return [para(label, st["base"]), para(money(abs(amount)), st["right"]), para(cap, st["base"])]


def _totals(quote, lang, st):
    t = partial(text, lang=lang)
    rows = [_sum_row(t("net_pay" if quote.net_payable >= 0 else "net_receive"), quote.net_payable, lang, st)]
    if quote.deferred.total:
        rows.append([para(t("deferred_part"), st["base"]), para(money(quote.deferred.total), st["right"]), ""])
    if quote.option == "in_kind":
        label = t("due_pay" if quote.due_before_move_in >= 0 else "due_receive")
        rows.append(_sum_row(label, quote.due_before_move_in, lang, st))
    widths = [50 * mm, 32 * mm, 98 * mm]
    return grid_table(rows, widths, header_rows=0, extra=[("BACKGROUND", (0, 0), (0, -1), SHADE)])


def _deferral(quote, lang, st):
    t = partial(text, lang=lang)
    rows = [[para(t(k), st["small"]) for k in ("installment_no", "due_when", "share_col", "amount_col")]]
    for inst in quote.deferred.installments:
        when = t("due_when_text", y=inst.years_after_move_in)  # without a move-in date: "year N" and no date
        if inst.due_date:
            when = f"{inst.due_date.isoformat()}（{when}）" if lang == "zh" else f"{inst.due_date.isoformat()} ({when})"
        rows.append([t("installment_n", n=inst.number), para(when, st["base"]), f"{_plain(inst.share_percent)}%",
                     amount_text(inst.amount)])
    rows.append([t("net_row"), "", "", amount_text(quote.deferred.total)])
    table = grid_table(rows, [30 * mm, 80 * mm, 25 * mm, 45 * mm], align_right_from=2,
                       extra=[("BACKGROUND", (0, -1), (-1, -1), SHADE),
                              ("FONTSIZE", (0, 1), (-1, -1), st["base"].fontSize)])
    d = quote.deferred
    full = d.on_full_payment_zh if lang == "zh" else d.on_full_payment_en
    default = d.on_default_zh if lang == "zh" else d.on_default_en
    sep = "：" if lang == "zh" else ": "
    return [table, Spacer(1, 1.5 * mm),
            para(f"● {t('on_full_payment')}{sep}{full}", st["base"]),
            para(f"● {t('on_default')}{sep}{default}", st["base"])]


def _heating(quote, lang, st, m2):
    t = partial(text, lang=lang)
    h = quote.heating
    rate = t("heating_rate_value", rate=amount_text(h.rate), m2=m2) + (t("example_rate") if h.rate_is_example else "")
    annual = t("heating_annual", p=_plain(h.efficient_percent)) if h.energy_efficient else t("heating_annual_plain")
    head = [para(x, st["small"]) for x in (t("heating_rate"), t("heating_standard"), annual, t("heating_saving"))]
    values = [para(rate, st["base"]), money(h.standard_annual), money(h.annual), money(h.saving)]
    return grid_table([head, values], [64 * mm, 34 * mm, 48 * mm, 34 * mm], align_right_from=1,
                      extra=[("FONTSIZE", (0, 1), (-1, -1), st["base"].fontSize)])


def _notes(quote, lang, st):
    out = []
    for d in quote.decisions:
        title, body = (d.title_zh, d.text_zh) if lang == "zh" else (d.title_en, d.text_en)
        out.append(para(f"{d.id} {title}：{body}" if lang == "zh" else f"{d.id} {title}: {body}", st["small"]))
    for w in quote.warnings:
        label = text("warning", lang)
        out.append(para(f"{label}：{w.message_zh}" if lang == "zh" else f"{label}: {w.message_en}", st["small"]))
    return out


def _signatures(lang, st):
    t = partial(text, lang=lang)
    line = "_" * 22
    rows = [
        [para(f"{t('sign_household')}{line}", st["base"]), para(f"{t('sign_clerk')}{line}", st["base"])],
        [para(t("sign_date"), st["base"]), para(f"{t('sign_office')}\n\n{t('sign_date')}", st["base"])],
    ]
    table = Table(rows, colWidths=[90 * mm, 90 * mm], rowHeights=[10 * mm, 19 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                               ("FONTNAME", (0, 0), (-1, -1), cjk_font().name)]))
    return table


def statement_story(quote: Quote, loaded: LoadedPolicy, *, household_id: str | None = None, name: str | None = None,
                    id_number: str | None = None, address: str | None = None, issued: dt.date | None = None,
                    lang: str = "zh") -> list:
    """The flowables of one statement (a batch can join several into one document)."""
    st = styles(9.5 if lang == "zh" else 8.5)  # English words are longer: a size down keeps one page
    # 平方米 rather than ㎡: the ㎡ glyph of common CJK fonts prints too small to read on paper.
    m2 = "平方米" if lang == "zh" else cjk_font().pick("m²", "m2")
    t = partial(text, lang=lang)
    info = loaded.rules.policy
    issued = issued or dt.date.today()
    sep = "：" if lang == "zh" else ": "
    numbers = iter(range(1, 11))

    def section(key: str):
        return para(section_title(next(numbers), key, lang), st["section"])

    story = [
        para(t("statement_title"), st["title"]),
        para(f"{info.project_zh if lang == 'zh' else info.project_en}", st["subtitle"]),
        para(f"{t('date')}{sep}{issued.isoformat()}", st["right"]),
        section("s_household"),
        _household(quote, loaded, lang, st, m2, household_id, name, id_number, address),
        section("s_items"), _items(quote, lang, st, m2), Spacer(1, 1 * mm),
        para(t("source_note", doc=info.source_document), st["tiny"]),
        section("s_totals"), _totals(quote, lang, st),
    ]
    if quote.deferred.installments:
        story += [KeepTogether([section("s_deferral"), *_deferral(quote, lang, st)])]
    if quote.heating is not None:
        story += [KeepTogether([section("s_heating"), _heating(quote, lang, st, m2)])]
    notes = _notes(quote, lang, st)
    if notes:
        story += [KeepTogether([section("s_notes"), *notes])]
    name_of_policy = info.name_zh if lang == "zh" else info.name_en
    story += [KeepTogether([
        Spacer(1, 2 * mm),
        para(t("policy_line", name=name_of_policy, id=quote.policy.id, version=quote.policy.version), st["small"]),
        para(t("hash_line", sha=quote.policy.sha256), st["tiny"]),
        Spacer(1, 1.5 * mm), para(t("confirm"), st["base"]), _signatures(lang, st),
    ])]
    return story


def statement_pdf(quote: Quote, loaded: LoadedPolicy, *, household_id: str | None = None, name: str | None = None,
                  id_number: str | None = None, address: str | None = None, issued: dt.date | None = None,
                  lang: str = "zh") -> bytes:
    """One household's settlement statement as PDF bytes (A4, CJK font subset embedded)."""
    story = statement_story(quote, loaded, household_id=household_id, name=name, id_number=id_number,
                            address=address, issued=issued, lang=lang)
    who = household_id or quote.household_id or ""
    title = f"{text('statement_title', lang)} {who}".strip()
    footer = f"anzhi · {quote.policy.id} {quote.policy.version} · sha256 {quote.policy.sha256[:12]}"
    return build_pdf(story, title=title, footer=footer, lang=lang)
