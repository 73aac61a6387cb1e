"""A one-page receipt (收款收据) for money a household paid in, printed from the register's record of it."""
from __future__ import annotations

from functools import partial

from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from ..capital import to_capital
from ..fixed import cents_to_decimal
from ..register.queues import ReceiptSlip
from .fonts import cjk_font
from .labels import text
from .layout import SHADE, amount_text, build_pdf, grid_table, para, styles


def _yuan(fen: int) -> str:
    return amount_text(cents_to_decimal(fen))


def receipt_pdf(slip: ReceiptSlip, lang: str = "zh") -> bytes:
    """The receipt as PDF bytes (A4, one page): number, date, household, amount in figures and capital numerals, the
    balance after it, the clerk, and lines to sign."""
    t = partial(text, lang=lang)
    st = styles(11 if lang == "zh" else 10)
    who = f"{slip.household_no}  {slip.name}".strip()
    amount = _yuan(slip.amount_fen)
    if lang == "zh":
        amount += f"（大写：{to_capital(slip.amount_fen, fen=True)}）"
    rows = [(t("receipt_no"), slip.receipt_no), (t("receipt_date"), slip.received_on.isoformat()),
            (t("receipt_from"), who), (t("receipt_amount"), amount),
            (t("receipt_balance"), _yuan(slip.balance_after_fen)), (t("receipt_clerk"), slip.clerk),
            (t("receipt_recorded"), slip.recorded_at.isoformat(sep=" "))]
    table = grid_table([[para(k, st["small"]), para(v, st["base"])] for k, v in rows], [45 * mm, 135 * mm],
                       header_rows=0, extra=[("BACKGROUND", (0, 0), (0, -1), SHADE),
                                             ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 5)])
    line = "_" * (22 if lang == "zh" else 14)  # English labels are longer: one line each
    signatures = Table([[para(f"{t('sign_household')}{line}", st["base"]), para(f"{t('sign_office')}{line}", st["base"])]],
                       colWidths=[90 * mm, 90 * mm], rowHeights=[14 * mm])
    signatures.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("FONTNAME", (0, 0), (-1, -1), cjk_font().name)]))
    story = [para(t("receipt_title"), st["title"]), para(slip.project_name, st["subtitle"]), Spacer(1, 6 * mm), table,
             Spacer(1, 3 * mm), para(t("receipt_note"), st["tiny"]), Spacer(1, 6 * mm), signatures]
    return build_pdf(story, title=f"{t('receipt_title')} {slip.receipt_no}",
                     footer=f"anzhi · {t('receipt_no')} {slip.receipt_no}", lang=lang)
