"""A blank survey workbook for a policy: the headers the batch reads, dropdowns, text-formatted IDs, and an instructions sheet."""
from __future__ import annotations

from decimal import Decimal

import xlsxwriter

from ..fixed import cents_to_decimal, to_cents
from ..household import OPTION_LABELS
from ..policy import InputDecl, LoadedPolicy
from .output import open_output
from .table import input_header

TEMPLATE_ROWS = 2000  # rows pre-formatted with dropdowns; more can be added by copying a row
YES_NO = ["是", "否"]
OPTIONS = ["回迁安置", "货币补偿"]  # both read by the batch (cells.OPTION_WORDS)


def _m2(value) -> str:
    return format(cents_to_decimal(to_cents(value)[0]).normalize(), "f")


def template_fields(loaded: LoadedPolicy) -> list[dict]:
    """The columns of the blank survey, with what each takes (header, width, kind, dropdown, required, how to fill):
    the core fields the policy uses, then a column per input the policy declares."""
    policy = loaded.rules
    types = [_m2(t) for t in policy.type_areas]
    unit_help = (f"标准户型：{'、'.join(types)}㎡；实测面积与标准户型不同时可填实测面积（按实际计算并提示）。" if types
                 else "选择的安置房屋建筑面积，保留两位小数。")
    fields = [
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
        {"header": "选择户型面积（㎡）", "width": 14, "kind": "list" if types else "area", "list": types, "strict": False,
         "required": "回迁必填", "help": unit_help + "货币补偿户留空。", "example": types[0] if types else "60.00"},
        {"header": "是否低保户", "width": 10, "kind": "list", "list": YES_NO, "strict": True, "required": "",
         "help": "是/否（也可写 Y/N、1/0、√/×）；空白为否。", "example": "否"},
    ]
    if policy.deferral is not None:
        fields.append({"header": "申请缓交", "width": 10, "kind": "list", "list": YES_NO, "strict": True, "required": "",
                       "help": f"{policy.deferral.label_zh}：只有符合政策条件的住户可申请缓交；空白为否。", "example": "否"})
    fields.append({"header": "评估单价（元/㎡）", "width": 14, "kind": "money", "required": "按评估单价计算的项目需要时必填",
                   "help": "房地产市场评估单价。", "example": "2150"})
    if policy.heating is not None:
        fields.append({"header": "节能住宅", "width": 10, "kind": "list", "list": YES_NO, "strict": True, "required": "",
                       "help": f"新建住房是否为达标节能住宅；空白按{'是' if policy.heating.energy_efficient_default else '否'}。",
                       "example": ""})
    fields.append({"header": "入住日期", "width": 12, "kind": "date",
                   "required": "缓交时建议填写" if policy.deferral is not None else "",
                   "help": "格式 2025-10-01（也可写 2025/10/1、2025年10月1日）"
                           + ("；缓交各期按入住日期计算到期日。" if policy.deferral is not None else "。"),
                   "example": "2025-10-01"})
    fields += [input_field(decl) for decl in policy.inputs]
    fields += [
        {"header": "产权性质", "width": 10, "kind": "text", "required": "", "help": "如 私产；原样保留在结果中。", "example": "私产"},
        {"header": "房屋坐落", "width": 24, "kind": "text", "required": "", "help": "原房屋地址；原样保留。", "example": ""},
        {"header": "联系电话", "width": 14, "kind": "text", "required": "", "help": "原样保留。", "example": ""},
        {"header": "备注", "width": 24, "kind": "text", "required": "", "help": "原样保留。", "example": ""},
    ]
    return fields


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f")


def input_field(decl: InputDecl) -> dict:
    """A template column for a declared input: its label and unit as the header, the type's dropdown or check,
    how to fill it (the policy's help, the range, the default) and an example within the range."""
    header = input_header(decl, "zh")
    help_parts = [decl.help_zh] if decl.help_zh else []
    field = {"header": header, "width": max(12, min(len(header) * 2, 24)), "kind": decl.type, "strict": True,
             "required": "必填" if decl.required else "部分住户必填（依政策条件）" if decl.required_when else "",
             "min": decl.min, "max": decl.max}
    if decl.type in ("area", "money", "count"):
        low = decl.min if decl.min is not None else Decimal(0)
        help_parts.append(f"{'整数，' if decl.type == 'count' else '保留两位小数，'}范围 {_number(low)}–{_number(decl.max)}")
        example = min(max(low, Decimal(3) if decl.type == "count" else Decimal("45.00")), decl.max)
        field["example"] = _number(example) if decl.type == "count" else f"{example:.2f}"
    elif decl.type == "date":
        help_parts.append("格式 2025-10-01")
        field["example"] = "2025-10-01"
    elif decl.type == "flag":
        field.update(kind="list", list=YES_NO)
        help_parts.append("是/否")
        field["example"] = "否"
    else:
        labels = [c.label_zh for c in decl.choices]
        field.update(kind="list", list=labels)
        help_parts.append("可选：" + "、".join(labels))
        field["example"] = labels[0]
    if decl.default is not None:
        default = decl.default
        shown = ("是" if default else "否") if isinstance(default, bool) else \
            next((c.label_zh for c in decl.choices if c.value == default), str(default))
        help_parts.append(f"空白按 {shown}")
    field["help"] = "；".join(help_parts) + "。"
    return field


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
                   "money": book.add_format({"num_format": "#,##0.00"}),
                   "count": book.add_format({"num_format": "0"}), "date": book.add_format({"num_format": "yyyy-mm-dd"}),
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
            elif f["kind"] in ("area", "money", "count") and f.get("max") is not None:  # a declared number's range
                number = int if f["kind"] == "count" else float
                low, high = number(f["min"] if f["min"] is not None else 0), number(f["max"])
                ws.data_validation(2, c, last, c, {"validate": "integer" if f["kind"] == "count" else "decimal",
                                                   "criteria": "between", "minimum": low, "maximum": high,
                                                   "error_type": "warning", "input_message": f["help"][:255],
                                                   "error_message": f"应为 {low:g} 至 {high:g} 之间的"
                                                                    f"{'整数' if f['kind'] == 'count' else '数'}"})
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
    english = ["household_id", "original_area", "option", "unit_area", "low_income"]
    english += ["defer"] * (policy.deferral is not None) + ["appraised_price"]
    english += ["energy_efficient"] * (policy.heating is not None) + ["move_in_date"] + [d.name for d in policy.inputs]
    lines = [
        f"政策：{policy.policy.name_zh}（{ident.id} {ident.version}）",
        "每户一行（一户一档）。表头请勿修改；表头上方可有标题行，表头下的空行会被跳过并计数。",
        "计算方法：python -m calculator batch 本文件.xlsx -o 结果.xlsx；有被拒绝的行时，结果文件的“错误”表列出行号、列名、填写值和原因。",
        "面积与金额保留两位小数，多于两位的按四舍五入计算并在结果中提示。",
        f"Headers may also be written in English ({', '.join(english)}).",
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
