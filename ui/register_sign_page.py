"""Page 签约 (signing): pick a household with an up-to-date offer, preview its agreement document, sign; cancel an
agreement with a reason. The register library decides who may (signing and cancelling are a supervisor's)."""
from __future__ import annotations

import streamlit as st

from calculator.register import agreements, queues
from calculator.register.errors import RegisterError
from calculator.register.models import Offer, utc_now
from calculator.result import Quote
from calculator.register.projects import get_project
from ui.i18n import lang, t
from ui.register_staff import (
    choose,
    done,
    project_or_stop,
    read,
    refusal,
    show_done,
    staff_or_stop,
    write,
)
from ui.quote_view import show_breakdown, show_notes, show_totals
from ui.register_staff_view import agreement_label, awaiting_label

DOCUMENT_KEY = "reg_sign_document"  # (household no, offer version, language) -> the rendered Document


def render(project, household_no: str) -> agreements.Document | None:
    """The agreement document the register would store if this household signed now (rendered outside any lock)."""
    def draw(session):
        h = agreements.household(session, project, household_no)
        return agreements.render_document(session, h, agreements.signable_offer(session, project, h), utc_now().date(),
                                          lang())
    try:
        return read(draw)
    except RegisterError as exc:
        refusal(exc)
        return None


def show_preview(document: agreements.Document) -> None:
    """What the document says, on the screen: the offer's quote as the counter and the statement render it (the PDF
    is this quote printed), so the supervisor reads what will be signed before signing it."""
    quote = read(lambda s: Quote.model_validate_json(s.get(Offer, document.offer_id).quote_json))
    with st.container(border=True, key="reg_sign_preview_box"):
        st.markdown(f"**{t('reg.sign.preview_title')}**")
        show_totals(quote)
        show_breakdown(quote)
        show_notes(quote)


def signing(project, user) -> None:
    waiting = read(queues.awaiting_signature, project)
    if not waiting:
        st.info(t("reg.sign.none"))
        return
    by_no = {w.household_no: w for w in waiting}
    chosen = choose(st.selectbox, t("reg.sign.household", n=len(waiting)),
                    {no: awaiting_label(w) for no, w in by_no.items()}, key="reg_sign_household")
    wanted = (chosen, by_no[chosen].offer_version, lang())
    if st.button(t("reg.sign.preview"), icon=":material/description:", key="reg_sign_preview", help=t("reg.sign.preview_help")):
        document = render(project, chosen)
        st.session_state[DOCUMENT_KEY] = (wanted, document) if document else None
    held = st.session_state.get(DOCUMENT_KEY)
    if not held or held[0] != wanted:
        return
    document = held[1]
    st.caption(t("reg.sign.document", household=chosen, version=by_no[chosen].offer_version,
                 size=f"{len(document.pdf) // 1024} KB", sha=document.sha256[:12]))
    show_preview(document)
    left, right = st.columns(2)
    left.download_button(t("reg.sign.download"), document.pdf, file_name=f"agreement_{chosen}.pdf", mime="application/pdf",
                         icon=":material/download:", key="reg_sign_download", width="stretch")
    if right.button(t("reg.sign.sign"), type="primary", icon=":material/draw:", key="reg_sign_sign", width="stretch"):
        agreement = write(lambda s: agreements.sign(s, get_project(s, project.code, lock=True), document, user.name))
        if agreement is not None:
            st.session_state.pop(DOCUMENT_KEY, None)
            done(t("reg.sign.signed", household=chosen, number=agreement.number))


def cancelling(project, user) -> None:
    st.subheader(t("reg.sign.cancel_title"))
    st.caption(t("reg.sign.cancel_intro"))
    in_force = read(queues.agreements_in_force, project.id)
    if not in_force:
        st.info(t("reg.sign.no_agreements"))
        return
    by_no = {a.household_no: a for a in in_force}
    chosen = choose(st.selectbox, t("reg.sign.agreement"), {no: agreement_label(a) for no, a in by_no.items()},
                    key="reg_cancel_household")
    reason = st.text_area(t("reg.sign.reason"), key="reg_cancel_reason", max_chars=agreements.MAX_REASON)
    if st.button(t("reg.sign.cancel"), icon=":material/cancel:", key="reg_cancel"):
        agreement = write(lambda s: agreements.cancel(s, get_project(s, project.code, lock=True), chosen, reason,
                                                      user.name))
        if agreement is not None:
            done(t("reg.sign.cancelled", number=agreement.number, household=chosen, reason=agreement.cancel_reason))


user = staff_or_stop()
project = project_or_stop()
st.title(t("reg.sign.title"))
st.caption(t("reg.sign.intro"))
show_done()
signing(project, user)
st.divider()
cancelling(project, user)
