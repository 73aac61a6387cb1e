"""What the project & import page shows, as plain values: the policy choices, an import's counts and its lists."""
from __future__ import annotations

import pandas as pd

from calculator.policy import DEFAULT_POLICY, available_policies, load_policy
from calculator.register.households import ImportReport
from ui.i18n import pick, t


def policy_names() -> dict[str, str]:
    """Shipped policy id -> its name in the page's language, with the id (the result names its policy by it); the
    bundled reference plan first, so a new project is under it unless the supervisor picks another."""
    names = {}
    for pid in sorted(available_policies(), key=lambda pid: pid != DEFAULT_POLICY):
        info = load_policy(pid).rules.policy
        names[pid] = f"{pick(info.name_zh, info.name_en)} ({pid} {info.version})"
    return names


def import_counts(read: int, report: ImportReport) -> list[tuple[str, int]]:
    """(label, count) of one import: rows read, households added, updated, unchanged, signed left as is, rows rejected."""
    return [(t("reg.p_read"), read), (t("reg.p_added"), len(report.added)),
            (t("reg.p_updated"), len(report.updated)), (t("reg.p_unchanged"), report.unchanged),
            (t("reg.p_signed_untouched"), len(report.signed_untouched)),
            (t("reg.p_rejected"), len({e.row for e in report.rejected}))]


def signed_untouched_text(report: ImportReport, limit: int = 50) -> str:
    """The signed households an import left alone, those whose survey row differs marked."""
    numbers = [no + (t("reg.p_differs") if differs else "") for no, differs in report.signed_untouched[:limit]]
    more = len(report.signed_untouched) - limit
    return t("reg.p_signed_list", numbers="、".join(numbers) + (f" … (+{more})" if more > 0 else ""))


def offer_rejections_frame(rejected) -> pd.DataFrame:
    """(household number, why it could not be settled) for each household an offer run refused."""
    return pd.DataFrame({t("reg.col_household"): [no for no, _ in rejected],
                         t("col.header"): [e.column or "" for _, e in rejected],
                         t("col.value"): [e.value for _, e in rejected],
                         t("col.reason"): [pick(e.message_zh, e.message_en) for _, e in rejected]})
