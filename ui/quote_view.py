"""The counter quote rendered: totals with capital numerals, the breakdown, decisions, deferral, heating."""
from __future__ import annotations

import datetime as dt
from html import escape

import streamlit as st

from calculator.policy import LoadedPolicy
from calculator.result import Item, Quote

from ui.format import area, capital, inert, money, percent
from ui.i18n import both, colon, heading, lang, pick, t
from ui.tables import Cell, show_table


def show_totals(quote: Quote) -> None:
    net = quote.net_payable
    receives = net < 0
    title = t("q.net_receivable") if receives else t("q.net_payable")
    with st.container(key="quote_totals"):
        if quote.deferred.total:  # without a deferral everything is due before move-in: one figure says it
            cols = st.columns(3)
            cols[0].metric(title, money(abs(net)) if receives else money(net))
            cols[1].metric(t("q.due_before"), money(quote.due_before_move_in))
            cols[2].metric(t("q.deferred"), money(quote.deferred.total))
        else:
            st.metric(title, money(abs(net)) if receives else money(net))
    label = t("q.capital_receive") if receives else t("q.capital")
    st.html(f'<p class="anzhi-capital">{escape(label)}{escape(colon())}<b>{escape(capital(net))}</b></p>')


def due(amount) -> str:
    """An amount as a resident reads it: who pays, then a positive figure ('应交 ¥13,500.00', '应领 ¥4,000.00');
    never a bare minus in front of a resident (the engine's sign: negative is paid to the household)."""
    if amount == 0:
        return money(0)
    return f"{t('q.pays') if amount > 0 else t('q.receives')} {money(abs(amount))}"


def _item_rows(items: list[Item]) -> list[list]:
    """label with its clause below | the factors multiplied = amount, exactly as the engine computed them (with
    the note of a floor, cap or tier that decided it) | who pays, and the amount."""
    return [[Cell(pick(i.label_zh, i.label_en), sub=i.source), Cell(i.formula(lang()), note=pick(i.note_zh, i.note_en),
                                                                    formula=True), due(i.amount)] for i in items]


def show_breakdown(quote: Quote) -> None:
    """Each settled item as the factors multiplied = amount, with its clause; the total is the sum of the lines."""
    headers = [t("col.item_source"), t("col.formula"), t("col.amount")]
    total = [t("q.total_receives") if quote.net_payable < 0 else t("q.total_pays"), "", money(abs(quote.net_payable))]
    show_table(headers, _item_rows(quote.items), numeric={2}, total=total, css_class="anzhi-table anzhi-items")
    if quote.totals:
        st.markdown(f"**{t('q.subtotals')}**")
        show_table([t("col.item"), t("col.amount")], [[pick(x.label_zh, x.label_en), due(x.amount)] for x in quote.totals],
                   numeric={1})
    if quote.shown:
        st.markdown(f"**{t('q.shown')}**")
        show_table(headers, _item_rows(quote.shown), numeric={2}, css_class="anzhi-table anzhi-items anzhi-shown")


def show_inputs(quote: Quote) -> None:
    """The declared inputs this quote used, as the resident gave them (a statement starts from them)."""
    if not quote.inputs:
        return
    st.markdown(f"**{t('q.given_inputs')}**")
    st.markdown("\n".join(f"- {pick(i.label_zh, i.label_en)}{colon()}{pick(i.text_zh, i.text_en)}" for i in quote.inputs))


def show_notes(quote: Quote) -> None:
    """The decisions used and the warnings: each is part of the result, never hidden."""
    for w in quote.warnings:
        st.warning(both(w.message_zh, w.message_en), icon=":material/info:")
    if quote.decisions:
        st.markdown(f"**{t('q.decisions')}**")
        st.markdown("\n".join(f"- **{d.id} {pick(d.title_zh, d.title_en)}**{colon()}{pick(d.text_zh, d.text_en)}"
                              for d in quote.decisions))


def show_deferral(quote: Quote, loaded: LoadedPolicy) -> None:
    deferred = quote.deferred
    if not deferred.total or loaded.rules.deferral is None:
        return
    st.subheader(heading(loaded.rules.deferral.label_zh, loaded.rules.deferral.label_en))
    rows = [[t("q.installment_n", n=i.number),
             i.due_date.isoformat() if i.due_date else t("q.year_n", n=i.years_after_move_in),
             percent(i.share_percent), money(i.amount)] for i in deferred.installments]
    show_table([t("col.installment"), t("col.due"), t("col.share"), t("col.amount")], rows, numeric={2, 3},
               total=[t("q.total"), "", "", money(deferred.total)])
    ok, bad = st.columns(2)
    ok.success(f"**{t('q.on_full_payment')}**{colon()}{pick(deferred.on_full_payment_zh, deferred.on_full_payment_en)}",
               icon=":material/verified:")
    bad.warning(f"**{t('q.on_default')}**{colon()}{pick(deferred.on_default_zh, deferred.on_default_en)}",
                icon=":material/home_work:")


def show_heating(quote: Quote, loaded: LoadedPolicy) -> None:
    """The heating fee apart from the settlement, in ordinary type: it is paid every heating season, not once."""
    heating = quote.heating
    if heating is None:
        return
    rule = loaded.rules.heating
    share = heating.efficient_percent if heating.energy_efficient else 100
    with st.container(border=True, key="quote_heating"):
        st.markdown(f"**{heading(rule.label_zh, rule.label_en)}{t('q.heating_apart')}**")
        calc = t("q.heating_calc", area=area(quote.areas["chosen"]), rate=money(heating.rate), percent=share)
        rows = [[t("q.heating_household"), calc, money(heating.annual)],
                [t("q.heating_standard_season"), "", money(heating.standard_annual)],
                [t("q.heating_saving_season"), "", money(heating.saving)]]
        show_table([t("col.item"), t("col.formula"), t("col.amount")], rows, numeric={2},
                   css_class="anzhi-table anzhi-heating")
        if heating.rate_is_example:
            st.caption(t("q.heating_example", rate=money(heating.rate), decision=rule.rate_decision or ""))


def show_summary(quote: Quote, name: str | None) -> None:
    """One line that says whose quote this is (it is what a printout starts with)."""
    a = quote.areas
    who = " · ".join(inert(x) for x in (quote.household_id, name) if x)
    kind = t("q.low") if quote.low_income else t("q.regular")
    if quote.option == "cash":
        line = t("q.summary_cash", original=area(a["original"]))
    else:
        line = t("q.summary", original=area(a["original"]), chosen=area(a["chosen"]), standard=area(a["standard"]))
    st.markdown(f"{'**' + who + '** · ' if who else ''}{line} · {kind}")


def show_policy_ref(quote: Quote) -> None:
    """The policy the quote rests on, and the check code its statement prints (the paper is this screen)."""
    p = quote.policy
    st.caption(t("q.policy_ref", id=p.id, version=p.version, sha=p.sha256))
    st.caption(t("q.check_code", code=quote.check_code()))


def show_signatures(quote: Quote) -> None:
    """On paper only: the date printed and lines for the household's and the clerk's signatures."""
    line = "_" * 14
    st.html(f'''<div class="anzhi-print-only anzhi-sign">
<p>{escape(t("q.print_date", date=dt.date.today().isoformat(), code=quote.check_code()))}</p>
<table><tr><td>{escape(t("q.sign_household"))}{line}</td><td>{escape(t("q.sign_clerk"))}{line}</td>
<td>{escape(t("q.sign_date"))}</td></tr></table></div>''')
