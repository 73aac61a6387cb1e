"""A blank survey workbook for a policy: the headers the batch reads, dropdowns, text-formatted IDs, and an instructions sheet."""
from __future__ import annotations

import xlsxwriter

from ..fixed import cents_to_decimal, to_cents
from ..household import OPTION_LABELS
from ..policy import LoadedPolicy
from .output import open_output

TEMPLATE_ROWS = 2000  # rows pre-formatted with dropdowns; more can be added by copying a row
YES_NO = ["是", "否"]
OPTIONS = ["回迁安置", "货币补偿"]  # both read by the batch (cells.OPTION_WORDS)


def _m2(value) -> str:
    return format(cents_to_decimal(to_cents(value)[0]).normalize(), "f")


def template_fields(loaded: LoadedPolicy) -> list[dict]:
    """The columns of the blank survey, with what each takes (header, width, kind, dropdown, required, how to fill)."""
    policy = loaded.rules
    types = [_m2(t) for t in policy.type_areas]
    return [
        {"header": "户号", "width": 12, "kind": "text", "required": "必填",
         "help": "每户唯一的编号（一户一档）；重复的户号各行都不计算。", "example": "TH-00001"},
        {"header": "户主姓名", "width": 10, "kind": "text", "required": "", "help": "户主姓名。", "example": "王伟"},
        {"header": "身份证号", "width": 21, "kind": "text", "required": "",
         "help": "18位身份证号，本列已设为文本格式，末位X照填；请勿改为数字格式（会丢失末几位）。", "example": "23272219750123056X"},
        {"header": "原房屋建筑面积（㎡）", "width": 14, "kind": "area", "required": "必填",
         "help": "被拆迁私产房屋的建筑面积，保留两位小数；可写 45.3 或 45.3㎡。", "example": "45.30"},
        {"header": "安置方式", "width": 11, "kind": "list", "list": OPTIONS, "strict": True, "required": "必填",
         "help": f"{OPTION_LABELS['in_kind'][0]}（也可写回迁、产权调换）或{OPTION_LABELS['cash'][0]}；空白按回迁安置。",
         "example": "回迁安置"},
        {"header": "选择户型面积（㎡）", "width": 14, "kind": "list", "list": types, "strict": False, "required": "回迁必填",
         "help": f"标准户型：{'、'.join(types)}㎡；实测面积与标准户型不同时可填实测面积（按实际计算并提示）。货币补偿户留空。",
         "example": types[0]},
        {"header": "是否低保户", "width": 10, "kind": "list", "list": YES_NO, "strict": True, "required": "",
         "help": "是/否（也可写 Y/N、1/0、√/×）；空白为否。", "example": "否"},
        {"header": "申请缓交", "width": 10, "kind": "list", "list": YES_NO, "strict": True, "required": "",
         "help": "只有回迁安置的低保户可申请缓交合理享受面积部分的房款；空白为否。", "example": "否"},
        {"header": "评估单价（元/㎡）", "width": 14, "kind": "money", "required": "货币补偿或选择面积小于原面积时必填",
         "help": "房地产市场评估单价。", "example": "2150"},
        {"header": "节能住宅", "width": 10, "kind": "list", "list": YES_NO, "strict": True, "required": "",
         "help": f"新建住房是否为达标节能住宅；空白按{'是' if policy.heating.energy_efficient_default else '否'}。",
         "example": ""},
        {"header": "入住日期", "width": 12, "kind": "date", "required": "缓交时建议填写",
         "help": "格式 2025-10-01（也可写 2025/10/1、2025年10月1日）；缓交各期按入住日期计算到期日。", "example": "2025-10-01"},
        {"header": "产权性质", "width": 10, "kind": "text", "required": "", "help": "如 私产；原样保留在结果中。", "example": "私产"},
        {"header": "房屋坐落", "width": 24, "kind": "text", "required": "", "help": "原房屋地址；原样保留。", "example": ""},
        {"header": "联系电话", "width": 14, "kind": "text", "required": "", "help": "原样保留。", "example": ""},
        {"header": "备注", "width": 24, "kind": "text", "required": "", "help": "原样保留。", "example": ""},
    ]


def write_template(loaded: LoadedPolicy, path_or_buffer) -> None:
    """Write the blank survey (sheet 入户调查) and its instructions (sheet 填表说明)."""
    policy = loaded.rules
    fields = template_fields(loaded)
    with open_output(path_or_buffer) as out:
        book = xlsxwriter.Workbook(out)
        ws = book.add_worksheet("入户调查")
        title = book.add_format({"bold": True, "font_size": 14})
        header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                                  "align": "center", "valign": "vcenter"})
        formats = {"text": book.add_format({"num_format": "@"}), "area": book.add_format({"num_format": "0.00"}),
                   "money": book.add_format({"num_format": "#,##0.00"}), "date": book.add_format({"num_format": "yyyy-mm-dd"}),
                   "list": book.add_format({"num_format": "@"})}
        ws.merge_range(0, 0, 0, len(fields) - 1, f"{policy.policy.project_zh}入户调查表", title)
        ws.set_row(1, 30)
        last = 1 + TEMPLATE_ROWS
        for c, f in enumerate(fields):
            ws.write_string(1, c, f["header"], header)
            ws.set_column(c, c, f["width"], formats[f["kind"]])
            if f["kind"] == "list":
                ws.data_validation(2, c, last, c, {
                    "validate": "list", "source": f["list"],
                    # Unit areas: a measured area may differ from the nominal type (D2), so only warn.
                    "error_type": "stop" if f["strict"] else "warning",
                    "input_title": f["header"][:32], "input_message": f["help"][:255],
                    "error_title": "请从下拉列表选择", "error_message": f["help"][:255]})
            elif f["kind"] in ("area", "money"):
                ws.data_validation(2, c, last, c, {"validate": "decimal", "criteria": ">", "value": 0,
                                                   "error_type": "warning", "input_message": f["help"][:255],
                                                   "error_message": "应为大于0的数字"})
            elif f["kind"] == "date":
                ws.data_validation(2, c, last, c, {"validate": "date", "criteria": ">", "value": "1900-01-01",
                                                   "error_type": "warning", "input_message": f["help"][:255],
                                                   "error_message": "应为日期，如 2025-10-01"})
        ws.freeze_panes(2, 1)
        _instructions(book, loaded, fields, header)
        book.close()


def _instructions(book, loaded: LoadedPolicy, fields: list[dict], header) -> None:
    policy, ident = loaded.rules, loaded.identity
    ws = book.add_worksheet("填表说明")
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    bold = book.add_format({"bold": True})
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 16)
    ws.set_column(2, 2, 70)
    ws.set_column(3, 3, 20)
    lines = [
        f"政策：{policy.policy.name_zh}（{ident.id} {ident.version}）",
        "每户一行（一户一档）。表头请勿修改；表头上方可有标题行，表头下的空行会被跳过并计数。",
        "计算方法：python -m calculator batch 本文件.xlsx -o 结果.xlsx；有被拒绝的行时，结果文件的“错误”表列出行号、列名、填写值和原因。",
        "面积与金额保留两位小数，多于两位的按四舍五入计算并在结果中提示。",
        "Headers may also be written in English (household_id, original_area, option, unit_area, low_income, defer, "
        "appraised_price, energy_efficient, move_in_date).",
    ]
    for r, line in enumerate(lines):
        ws.write_string(r, 0, line, bold if r == 0 else None)
    top = len(lines) + 1
    for c, h in enumerate(["列名", "是否必填", "填写说明", "示例"]):
        ws.write_string(top, c, h, header)
    for r, f in enumerate(fields, top + 1):
        ws.write_string(r, 0, f["header"], wrap)
        ws.write_string(r, 1, f["required"], wrap)
        ws.write_string(r, 2, f["help"], wrap)
        ws.write_string(r, 3, f["example"], wrap)
