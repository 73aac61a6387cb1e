"""The access slip (访问码通知单): one A4 page handed to a resident with their statement, carrying the access code
printed once when it is issued, and how to log in to see their own file.

The code is not printed on the agreement document itself: that PDF is stored in the register with its sha256 (the
code would then be recoverable from the database, and re-issuing would change a signed document). The slip names the
agreement and the statement's check code instead, so the two papers go together."""
from __future__ import annotations

import datetime as dt

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from ..statements.layout import SHADE, build_pdf, grid_table, para, styles
from .lockout import LOCK_TIME, MAX_FAILED_ATTEMPTS

TEXT: dict[str, tuple[str, str]] = {
    "title": ("住户查询访问码通知单", "Resident access code"),
    "project": ("项目", "Project"),
    "household": ("户号", "Household number"),
    "name": ("户主姓名", "Head of household"),
    "agreement": ("协议", "Agreement"),
    "agreement_text": ("第{number}号（结算单核对码 {check}）", "no. {number} (statement check code {check})"),
    "code": ("访问码", "Access code"),
    "how": ("如何查看本户档案", "How to see your household's file"),
    "step_site": ("1. 用手机或电脑打开：{url}", "1. Open on a phone or computer: {url}"),
    "step_site_ask": ("1. 用手机或电脑打开经办单位告知的网址", "1. Open the web address the office gave you"),
    "step_choose": ("2. 在“登录”页选择“住户”", "2. On the sign-in page, choose “Resident”"),
    "step_enter": ("3. 输入户号和上面的访问码（大小写、空格和短横线均可忽略）",
                   "3. Enter the household number and the code above (case, spaces and dashes do not matter)"),
    "shows": ("可查看：签约的结算明细及依据、协议文书、所分房屋、已交和应交款项及期限。只能查看，不能修改。",
              ("You will see: your settlement as signed, line by line with its clauses, the agreement, your flat, "
               "what is paid and what is due, with dates. It is read-only.")),
    "keep": ("请妥善保管，不要告诉他人。连续输错{n}次将锁定{minutes}分钟。遗失或泄露请到经办窗口重新领取，旧访问码随即失效。",
             ("Keep this code to yourself. {n} wrong tries in a row lock it for {minutes} minutes. If it is lost or "
              "seen by others, ask the counter for a new one; the old code then stops working.")),
    "issued": ("发放日期：{date}　经办人：{clerk}", "Issued on {date} by {clerk}"),
    "footer": ("anzhi · 访问码通知单", "anzhi · access code slip"),
}


def text(key: str, lang: str, **values) -> str:
    zh, en = TEXT[key]
    return (zh if lang == "zh" else en).format(**values)


def slip_pdf(*, code: str, project_name: str, household_no: str, name: str, issued: dt.date, clerk: str,
             agreement: tuple[int, str] | None = None, login_url: str | None = None, lang: str = "zh") -> bytes:
    """The one-page slip; `agreement` is (number, statement check code) when the household has signed."""
    st = styles(11 if lang == "zh" else 10)
    big = ParagraphStyle("code", parent=st["title"], fontSize=30, leading=38, spaceBefore=4 * mm, spaceAfter=4 * mm)
    rows = [[para(text("project", lang), st["base"]), para(project_name, st["base"])],
            [para(text("household", lang), st["base"]), para(household_no, st["base"])],
            [para(text("name", lang), st["base"]), para(name or "—", st["base"])]]
    if agreement is not None:
        rows.append([para(text("agreement", lang), st["base"]),
                     para(text("agreement_text", lang, number=agreement[0], check=agreement[1]), st["base"])])
    table = grid_table(rows, [45 * mm, 135 * mm], header_rows=0, extra=[("BACKGROUND", (0, 0), (0, -1), SHADE)])
    site = text("step_site", lang, url=login_url) if login_url else text("step_site_ask", lang)
    minutes = int(LOCK_TIME.total_seconds() // 60)
    story = [para(text("title", lang), st["title"]), Spacer(1, 4 * mm), table, Spacer(1, 4 * mm),
             para(text("code", lang), st["center"]), para(code, big),
             para(text("how", lang), st["section"]),
             para(site, st["base"]), para(text("step_choose", lang), st["base"]), para(text("step_enter", lang), st["base"]),
             Spacer(1, 3 * mm), para(text("shows", lang), st["base"]), Spacer(1, 3 * mm),
             para(text("keep", lang, n=MAX_FAILED_ATTEMPTS, minutes=minutes), st["small"]), Spacer(1, 6 * mm),
             para(text("issued", lang, date=issued.isoformat(), clerk=clerk), st["right"])]
    return build_pdf(story, title=f"{text('title', lang)} {household_no}", footer=text("footer", lang), lang=lang)


def household_slip(session, project, household, code: str, clerk: str, login_url: str | None = None,
                   lang: str = "zh") -> bytes:
    """The slip for a code just issued to `household`, naming its agreement in force (number and the statement's
    check code) if it has one: what `register access-code -o` writes and the household page offers to print."""
    from sqlalchemy import select

    from ..result import Quote
    from .models import Agreement, Offer, utc_now

    signed = session.execute(select(Agreement.number, Offer.quote_json).join(Offer, Offer.id == Agreement.offer_id)
                             .where(Agreement.household_id == household.id, Agreement.cancelled_at.is_(None))).first()
    agreement = None if signed is None else (signed[0], Quote.model_validate_json(signed[1]).check_code())
    return slip_pdf(code=code, project_name=project.name, household_no=household.household_no, name=household.name,
                    issued=utc_now().date(), clerk=clerk, agreement=agreement, login_url=login_url, lang=lang)
