"""The settlement statement (回迁安置结算单) of one household as an A4 PDF: it renders a Quote, never recomputes it."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import partial

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Spacer

from .. import units
from ..approval import mark
from ..capital import to_capital
from ..fixed import money
from ..glossary import glossary
from ..household import OPTION_LABELS
from ..policy import LoadedPolicy
from ..result import Quote
from ..wording import signed_text
from .fonts import cjk_font
from .labels import section_title, text
from .drawn import Grid, Text, ruled
from .layout import PAGE_OF, SHADE, amount_text, build_pdf, styles


def statement_title(quote: Quote, lang: str) -> str:
    """回迁安置结算单 for a household that takes a flat, 货币补偿结算单 for one that takes cash."""
    return text("statement_title_cash" if quote.option == "cash" else "statement_title", lang)


def _plain(value: Decimal) -> str:
    """A share or rate without trailing zeros: Decimal('60.00') -> '60'."""
    return f"{Decimal(value).normalize():f}"


def _option_label(quote: Quote, lang: str) -> str:
    zh, en = OPTION_LABELS[quote.option]
    return zh if lang == "zh" else en


def _household(quote, loaded, lang, st, m2, household_id, name, id_number, address):
    t = partial(text, lang=lang)
    cash = quote.option == "cash"
    standard = loaded.rules.schema.area("standard")

    def area(key: str) -> str:
        return t("not_applicable") if cash else f"{quote.areas[key]} {m2}"

    move_in = t("not_applicable") if cash else (quote.move_in_date.isoformat() if quote.move_in_date else t("not_set"))
    rows = [
        (t("household_id"), household_id or quote.household_id or "", t("name"), name or "",
         t("id_number"), id_number or ""),
        (t("original_area"), f"{quote.areas['original']} {m2}", standard.label_zh if lang == "zh" else standard.label_en,
         area("standard"), t("chosen_area"), area("chosen")),
        (t("option"), _option_label(quote, lang), t("low_income"), t("yes" if quote.low_income else "no"),
         t("move_in"), move_in),
    ]
    # The inputs the policy declares (persons, signing date …), three to a row, as the household gave them.
    given = [(i.label_zh if lang == "zh" else i.label_en, _input_text(i, loaded.rules, lang, m2)) for i in quote.inputs]
    for start in range(0, len(given), 3):
        chunk = given[start:start + 3] + [("", "")] * (3 - len(given[start:start + 3]))
        rows.append(tuple(x for pair in chunk for x in pair))
    cells = [[Text(c, st["small"] if i % 2 == 0 else st["base"]) for i, c in enumerate(row)] for row in rows]
    widths = [26 * mm, 38 * mm, 22 * mm, 28 * mm, 22 * mm, 44 * mm]
    shade = [("BACKGROUND", (c, 0), (c, len(rows) - 1), SHADE) for c in (0, 2, 4)]
    if address:
        cells.append([Text(t("address"), st["small"]), Text(address, st["base"]), "", "", "", ""])
        shade += [("SPAN", (1, -1), (-1, -1)), ("BACKGROUND", (0, -1), (0, -1), SHADE)]
    return ruled(cells, widths, header_rows=0, extra=shade)


def _input_text(given, policy, lang: str, m2: str) -> str:
    """A declared input's value with its unit ('4 人', '12,000.00 元'), a yes/no or a choice in the statement's language."""
    decl = policy.input(given.name)
    if decl is not None and decl.type in ("area", "money"):
        return _unit_words(f"{amount_text(Decimal(given.value))} {units.label(decl.unit or 'm2', lang)}", m2)
    return _unit_words(given.text_zh if lang == "zh" else given.text_en, m2)


def _unit_words(formula: str, m2: str) -> str:
    """㎡ as the statement prints it (平方米 in Chinese: the ㎡ glyph of common CJK fonts prints too small)."""
    return formula.replace("㎡", m2).replace("m²", m2)


def _item_rows(items, lang, st, m2) -> list[list]:
    """One row per item: its label; the factors multiplied out over the clause they rest on (and any floor, cap
    or tier note); the amount with who pays it (应交 / 应领)."""
    rows = []
    for item in items:
        note = item.note_zh if lang == "zh" else item.note_en
        how = [Text(_unit_words(item.formula(lang), m2), st["formula"])] + ([Text(note, st["clause"])] if note else [])
        how.append(Text(item.source, st["clause"]))
        rows.append([Text(item.label_zh if lang == "zh" else item.label_en, st["base"]), how,
                     Text(signed_text(item.amount, lang), st["right"])])
    return rows


ITEM_WIDTHS = [52 * mm, 94 * mm, 34 * mm]  # the amount column holds '应领 1,234,567.89' on one line


def _items(quote, lang, st, m2):
    t = partial(text, lang=lang)
    head = [Text(t(k), st["small"]) for k in ("item", "formula_col", "amount_col")]
    rows = [head, *_item_rows(quote.items, lang, st, m2)]
    rows.append([Text(t("net_row"), st["base"]), "", Text(signed_text(quote.net_payable, lang), st["right"])])
    extra = [("SPAN", (0, -1), (1, -1)), ("BACKGROUND", (0, -1), (-1, -1), SHADE),
             ("FONTSIZE", (0, 1), (-1, -1), st["base"].fontSize), ("BOTTOMPADDING", (0, 1), (-1, -1), 1.5)]
    return ruled(rows, ITEM_WIDTHS, align_right_from=2, extra=extra)


def _shown(quote, lang, st, m2) -> list:
    """Items the policy only tells the household about: listed with their factors, not added to the total."""
    if not quote.shown:
        return []
    table = ruled(_item_rows(quote.shown, lang, st, m2), ITEM_WIDTHS, header_rows=0, align_right_from=2,
                  extra=[("FONTSIZE", (0, 0), (-1, -1), st["base"].fontSize)])
    return [Spacer(1, 1.5 * mm), Text(text("shown_note", lang), st["small"]), table]


def _sum_row(label: str, amount: Decimal, lang: str, st) -> list:
    """A total in figures and, for Chinese, in capital numerals; a negative total is said as money received."""
    words = to_capital(abs(amount))
    cap = f"{text('capital', lang)}：{words}" if lang == "zh" else f"{text('capital', lang)}: {words}"
    return [Text(label, st["base"]), Text(money(abs(amount)), st["right"]), Text(cap, st["base"])]


def _totals(quote, lang, st, deferral: bool):
    t = partial(text, lang=lang)
    # The subtotals the policy declares (sums of named items), signed as the items are.
    rows = [[Text(x.label_zh if lang == "zh" else x.label_en, st["base"]), Text(signed_text(x.amount, lang), st["right"]), ""]
            for x in quote.totals]
    rows.append(_sum_row(t("net_pay" if quote.net_payable >= 0 else "net_receive"), quote.net_payable, lang, st))
    if quote.deferred.total:
        rows.append([Text(t("deferred_part"), st["base"]), Text(money(quote.deferred.total), st["right"]), ""])
    if quote.option == "in_kind" and deferral:  # without a deferral, the whole net is due before move-in
        label = t("due_pay" if quote.due_before_move_in >= 0 else "due_receive")
        rows.append(_sum_row(label, quote.due_before_move_in, lang, st))
    widths = [50 * mm, 32 * mm, 98 * mm]
    return ruled(rows, widths, header_rows=0, extra=[("BACKGROUND", (0, 0), (0, -1), SHADE)])


def _deferral(quote, lang, st):
    t = partial(text, lang=lang)
    rows = [[Text(t(k), st["small"]) for k in ("installment_no", "due_when", "share_col", "amount_col")]]
    for inst in quote.deferred.installments:
        when = t("due_when_text", y=inst.years_after_move_in)  # without a move-in date: "year N" and no date
        if inst.due_date:
            when = f"{inst.due_date.isoformat()}（{when}）" if lang == "zh" else f"{inst.due_date.isoformat()} ({when})"
        rows.append([t("installment_n", n=inst.number), Text(when, st["base"]), f"{_plain(inst.share_percent)}%",
                     amount_text(inst.amount)])
    rows.append([t("net_row"), "", "", amount_text(quote.deferred.total)])
    table = ruled(rows, [30 * mm, 80 * mm, 25 * mm, 45 * mm], align_right_from=2,
                  extra=[("BACKGROUND", (0, -1), (-1, -1), SHADE),
                         ("FONTSIZE", (0, 1), (-1, -1), st["base"].fontSize)])
    d = quote.deferred
    full = d.on_full_payment_zh if lang == "zh" else d.on_full_payment_en
    default = d.on_default_zh if lang == "zh" else d.on_default_en
    sep = "：" if lang == "zh" else ": "
    return [table, Spacer(1, 1.5 * mm),
            Text(f"● {t('on_full_payment')}{sep}{full}", st["base"]),
            Text(f"● {t('on_default')}{sep}{default}", st["base"])]


def _heating(quote, lang, st, m2):
    t = partial(text, lang=lang)
    h = quote.heating
    rate = t("heating_rate_value", rate=amount_text(h.rate), m2=m2) + (t("example_rate") if h.rate_is_example else "")
    annual = t("heating_annual", p=_plain(h.efficient_percent)) if h.energy_efficient else t("heating_annual_plain")
    head = [Text(x, st["small"]) for x in (t("heating_rate"), t("heating_standard"), annual, t("heating_saving"))]
    values = [Text(rate, st["base"]), money(h.standard_annual), money(h.annual), money(h.saving)]
    return ruled([head, values], [64 * mm, 34 * mm, 48 * mm, 34 * mm], align_right_from=1,
                 extra=[("FONTSIZE", (0, 1), (-1, -1), st["base"].fontSize)])


def _notes(quote, lang, st):
    out = []
    for d in quote.decisions:
        title, body = (d.title_zh, d.text_zh) if lang == "zh" else (d.title_en, d.text_en)
        out.append(Text(f"{d.id} {title}：{body}" if lang == "zh" else f"{d.id} {title}: {body}", st["small"]))
    for w in quote.warnings:
        label = text("warning", lang)
        out.append(Text(f"{label}：{w.message_zh}" if lang == "zh" else f"{label}: {w.message_en}", st["small"]))
    return out


def _signatures(lang, st):
    t = partial(text, lang=lang)
    line = "_" * 22
    rows = [
        [Text(f"{t('sign_household')}{line}", st["base"]), Text(f"{t('sign_clerk')}{line}", st["base"])],
        [Text(t("sign_date"), st["base"]), Text(f"{t('sign_office')}\n\n{t('sign_date')}", st["base"])],
    ]
    return Grid(rows, [90 * mm, 90 * mm], [("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                                           ("FONTNAME", (0, 0), (-1, -1), cjk_font().name)],
                row_heights=[10 * mm, 19 * mm])


def _glossary_words(loaded, lang) -> list[tuple[str, str]]:
    return [(term.term(lang), term.text(lang)) for term in glossary(loaded.rules)]


def _glossary(loaded, lang, st) -> list:
    """The back page: every term of the glossary (the policy's own entries included), explained plainly. The same
    for every statement of a policy in a language: its table is drawn once per process and replayed."""
    t = partial(text, lang=lang)
    words = _glossary_words(loaded, lang)
    rows = [[Text(term, st["base"]), Text(explained, st["base"])] for term, explained in words]
    table = ruled(rows, [40 * mm, 140 * mm], header_rows=0, extra=[("BACKGROUND", (0, 0), (0, -1), SHADE)],
                  replay=("glossary", st["base"], tuple(words)))
    return [PageBreak(), Text(t("glossary_title"), st["title"]), Text(t("glossary_intro"), st["small"]),
            Spacer(1, 2 * mm), table]


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
        return Text(section_title(next(numbers), key, lang), st["section"])

    story = [
        Text(statement_title(quote, lang), st["title"]),
        # A policy the office has not approved says so under the title, on the project's line (no extra line: the
        # page must still hold the signatures); the full hash is printed above them, the mark in every footer.
        Text((info.project_zh if lang == "zh" else info.project_en)
             + ("" if quote.policy.approved else f" · {mark(quote.policy.sha256[:12] + '…')}"), st["subtitle"]),
        Text(f"{t('date')}{sep}{issued.isoformat()}", st["right"]),
        section("s_household"),
        _household(quote, loaded, lang, st, m2, household_id, name, id_number, address),
        section("s_items"), _items(quote, lang, st, m2), *_shown(quote, lang, st, m2), Spacer(1, 1 * mm),
        Text(t("source_note", doc=info.document_zh if lang == "zh" else info.document_en), st["tiny"]),
        section("s_totals"), _totals(quote, lang, st, loaded.rules.deferral is not None),
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
        Text(t("policy_line", name=name_of_policy, id=quote.policy.id, version=quote.policy.version), st["small"]),
        Text(t("hash_line", sha=quote.policy.sha256), st["tiny"]),
        Spacer(1, 1.5 * mm), Text(t("confirm" if quote.deferred.installments else "confirm_plain"), st["base"]), _signatures(lang, st),
    ])]
    return story + _glossary(loaded, lang, st)


def statement_pdf(quote: Quote, loaded: LoadedPolicy, *, household_id: str | None = None, name: str | None = None,
                  id_number: str | None = None, address: str | None = None, issued: dt.date | None = None,
                  lang: str = "zh") -> bytes:
    """One household's settlement statement as PDF bytes (A4, CJK font subset embedded)."""
    story = statement_story(quote, loaded, household_id=household_id, name=name, id_number=id_number,
                            address=address, issued=issued, lang=lang)
    who = household_id or quote.household_id or ""
    title = f"{statement_title(quote, lang)} {who}".strip()
    identity = f"sha256 {quote.policy.sha256[:12]}" if quote.policy.approved else mark(quote.policy.sha256[:12])
    footer = (f"anzhi · {quote.policy.id} {quote.policy.version} · {identity}"
              f" · {text('check_code', lang)} {quote.check_code()}")
    return build_pdf(story, title=title, footer=footer, lang=lang, seed=_seed(loaded, lang))


# The words every statement prints, whoever it is for (the household's table, the items' heading, the signatures).
EVERY_STATEMENT = ("date", "household_id", "name", "id_number", "original_area", "chosen_area", "option", "low_income",
                   "move_in", "item", "formula_col", "amount_col", "net_row", "capital", "sign_household", "sign_clerk",
                   "sign_office", "sign_date", "check_code", "glossary_title", "glossary_intro")


def _seed(loaded, lang) -> str:
    """The characters that take the font's first codes: the glossary's first (its page is drawn once and replayed
    from its operators), then the words and figures every statement prints. With the same codes in every statement
    of the policy and language, their font subsets are the same bytes, made once per process; only the household's
    own characters (its name, address, items) make a subset per statement. Nothing here that a statement does not
    print: each character is a glyph embedded in every statement."""
    info = loaded.rules.policy
    t = partial(text, lang=lang)
    standard = loaded.rules.schema.area("standard")
    words = [term + explained for term, explained in _glossary_words(loaded, lang)]
    words += [t(key) for key in EVERY_STATEMENT]
    words += [section_title(n, key, lang) for n, key in enumerate(("s_household", "s_items", "s_totals"), 1)]
    words += [info.project_zh if lang == "zh" else info.project_en, standard.label_zh if lang == "zh" else standard.label_en,
              t("source_note", doc=info.document_zh if lang == "zh" else info.document_en),
              t("policy_line", name=info.name_zh if lang == "zh" else info.name_en, id="", version=""),
              t("hash_line", sha="0123456789abcdef"), PAGE_OF[lang], "平方米" if lang == "zh" else "", "¥,.-"]
    return "".join(words)
