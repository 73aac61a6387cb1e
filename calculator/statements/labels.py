"""The words printed on statements and notices, in Chinese and English (numbers come from the Quote, never from here)."""
from __future__ import annotations

LANGS = ("zh", "en")

TEXT: dict[str, tuple[str, str]] = {
    # statement
    "statement_title": ("回迁安置结算单", "In-kind resettlement statement"),
    "statement_title_cash": ("货币补偿结算单", "Cash compensation statement"),
    "date": ("结算日期", "Date"),
    "s_household": ("住户与原房屋", "Household and former home"),
    "household_id": ("户号", "Household"),
    "name": ("户主姓名", "Householder"),
    "id_number": ("身份证号", "ID number"),
    "original_area": ("原房屋建筑面积", "Original area"),
    "address": ("原房屋坐落", "Former home address"),
    "low_income": ("低保户", "Low-income"),
    "option": ("安置方式", "Option"),
    "chosen_area": ("选择户型面积", "Chosen unit"),
    "move_in": ("入住日期", "Move-in date"),
    "defer": ("申请缓交", "Deferral requested"),
    "not_set": ("未定", "not set"),
    "not_applicable": ("不适用", "n/a"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "s_items": ("结算明细", "Settlement items"),
    "item": ("项目", "Item"),
    "formula_col": ("计算（各因数相乘）与依据", "Calculation (factors multiplied) and clause"),
    "amount_col": ("金额\n（元）", "Amount\n(yuan)"),
    "net_row": ("合计", "Total"),
    "source_note": ("算式下为依据：{doc}的条款，或D字编号的决定（见下文）。金额为各因数之积，四舍五入到分。应交：住户交；应领：住户领。术语见背面。",
                    "Under each calculation: its clause of {doc}, or a decision (D-number, below). Each amount is the "
                    "product of its factors, rounded to the fen. Pays: the household pays; receives: it is paid. Terms overleaf."),
    "shown_note": ("以下项目仅告知住户，不计入结算合计：", "For information only, not part of the settlement total:"),
    "s_totals": ("结算金额", "Amounts"),
    "net_pay": ("结算合计（住户应交）", "Net the household pays"),
    "net_receive": ("结算合计（住户应领）", "Net the household receives"),
    "deferred_part": ("其中：缓交房款", "of which deferred"),
    "due_pay": ("入住前应交", "Due before move-in"),
    "due_receive": ("入住前住户应领", "The household receives before move-in"),
    "capital": ("大写", "In words"),
    "s_deferral": ("低保户缓交房款安排", "Low-income deferred payment"),
    "installment_no": ("期次", "Installment"),
    "installment_n": ("第{n}期", "No. {n}"),
    "due_when": ("缴款时间", "Due"),
    "due_when_text": ("入住满{y}年", "{y} year(s) after move-in"),
    "share_col": ("比例", "Share"),
    "on_full_payment": ("按期交清", "Paid in full"),
    "on_default": ("到期未交清", "Not paid in time"),
    "s_heating": ("取暖费（每采暖期，不计入上述结算）", "Heating fee (per heating season, not part of the settlement)"),
    "heating_rate": ("非节能住宅取暖费标准", "Standard heating rate"),
    "heating_rate_value": ("{rate} 元/{m2}·采暖期", "{rate} yuan/{m2} per heating season"),
    "example_rate": ("（示例标准，以当地核准标准为准）", " (an example; the locally approved rate applies)"),
    "heating_standard": ("按非节能标准", "At the standard rate"),
    "heating_annual": ("本户应交（节能住宅，按{p}%）", "Payable (energy-efficient, {p}%)"),
    "heating_annual_plain": ("本户应交（非节能住宅）", "Payable (not energy-efficient)"),
    "heating_saving": ("每采暖期节省", "Saving per heating season"),
    "s_notes": ("适用的政策决定与提示", "Decisions applied and notes"),
    "warning": ("提示", "Note"),
    "policy_line": ("政策：{name}（{id}，版本 {version}）", "Policy: {name} ({id}, version {version})"),
    "hash_line": ("政策文件 SHA-256：{sha}", "Policy file SHA-256: {sha}"),
    "confirm": ("住户已核对以上面积、金额及缓交安排，确认无误。本结算单一式两份，住户与经办单位各执一份。",
                "The household has checked the areas, amounts and schedule above and confirms them. Two copies: one "
                "for the household, one for the office."),
    "confirm_plain": ("住户已核对以上面积和金额，确认无误。本结算单一式两份，住户与经办单位各执一份。",
                      "The household has checked the areas and amounts above and confirms them. Two copies: one for the "
                      "household, one for the office."),
    "sign_household": ("户主（签字）：", "Head of household (signature):"),
    "sign_clerk": ("经办人（签字）：", "Clerk (signature):"),
    "sign_office": ("经办单位（盖章）：", "Office (seal):"),
    "sign_date": ("日期：______年____月____日", "Date: ____________"),
    # notice
    "notice_title": ("回迁安置补偿结算公示表", "Public notice of relocation settlements"),
    "notice_project": ("项目：{project}", "Project: {project}"),
    "notice_policy": ("政策依据：{name}（{id}，版本 {version}，SHA-256 {sha}）",
                      "Policy: {name} ({id}, version {version}, SHA-256 {sha})"),
    "notice_date": ("公示日期：{date}", "Date: {date}"),
    "notice_count": ("本表列 {n} 户。", "{n} household(s) listed. "),
    "notice_rejected": ("另有 {n} 户登记数据有误，待核实后补充公示。", "{n} more household(s) had errors in their data and will be added once checked."),
    "notice_privacy": ("姓名、身份证号已按规定部分隐去；金额单位：元，面积单位：{m2}；“应交”为住户交纳，“应领”为住户领取。",
                       "Names and ID numbers are partly hidden; amounts in yuan, areas in {m2}; \"pays\": the household pays, "
                       "\"receives\": the household is paid."),
    "notice_objection": ("公示期内如有异议，请向经办单位书面反映。", "Objections may be made in writing to the office during the notice period."),
    "notice_office": ("公示单位（盖章）：", "Office (seal):"),
    "col_no": ("序号", "No."),
    "col_household_id": ("户号", "Household"),
    "col_name": ("户主姓名", "Name"),
    "col_id_number": ("身份证号", "ID number"),
    "col_original": ("原房屋面积", "Original area"),
    "col_option": ("安置方式", "Option"),
    "col_chosen": ("选择户型", "Chosen unit"),
    "col_standard": ("安置标准", "Standard area"),
    "col_net": ("结算合计", "Net payable"),
    "col_deferred": ("缓交金额", "Deferred"),
    "col_due": ("入住前应交", "Due before move-in"),
    "col_low_income": ("低保户", "Low-income"),
    "check_code": ("核对码", "check code"),
    "glossary_title": ("术语说明", "Glossary"),
    "glossary_intro": ("结算单中用到的词，用平常的话说明如下。", "The words used on this statement, in plain words."),
    # receipt
    "receipt_title": ("回迁安置房款收款收据", "Receipt for resettlement payments"),
    "receipt_no": ("收据号", "Receipt no."),
    "receipt_date": ("收款日期", "Date received"),
    "receipt_from": ("交款住户", "Received from"),
    "receipt_amount": ("金额（元）", "Amount (yuan)"),
    "receipt_balance": ("本次交款后尚欠（元）", "Still owed after this payment (yuan)"),
    "receipt_clerk": ("收款经办人", "Received by"),
    "receipt_recorded": ("登记时间（UTC）", "Recorded (UTC)"),
    "receipt_note": ("本收据据登记簿中的收款记录打印，收据号在本项目内唯一。", "Printed from the register's record of this "
                     "payment; a receipt number is used once in the project."),
}


CHINESE_ORDINALS = "一二三四五六七八九十"


def section_title(number: int, key: str, lang: str = "zh") -> str:
    """一、住户与原房屋 / 1. Household…: numbered as printed, so a section left out leaves no gap."""
    prefix = f"{CHINESE_ORDINALS[number - 1]}、" if lang == "zh" else f"{number}. "
    return prefix + text(key, lang)


def text(key: str, lang: str = "zh", **values) -> str:
    """The label `key` in `lang`, with {placeholders} filled."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")
    words = TEXT[key][LANGS.index(lang)]
    return words.format(**values) if values else words
