"""Seeded synthetic Tahe household surveys: the 1,200-household survey, a messy one with bad rows, and big ones for benchmarks.

    python -m sample_data.generate            # rewrites the files in sample_data/
Names and ID numbers are invented (valid ID checksums, region code of Tahe County); no real person is described.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import random
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20251001
PLAN_AREA_M2 = 60000  # 6万平方米、1200户 (seed text L225)
PLAN_HOUSEHOLDS = 1200
TITLE = "塔河镇城区棚户区改造入户调查汇总表"
SUBTITLE = "填报单位：塔河县棚户区改造领导小组办公室（示例数据，人名及身份证号均为虚构）"
HEADERS = ["户号", "户主姓名", "身份证号", "房屋坐落", "产权性质", "原房屋建筑面积（㎡）", "安置方式", "选择户型（㎡）",
           "是否低保户", "申请缓交", "评估单价（元/㎡）", "节能住宅", "入住日期", "联系电话", "备注"]
TYPES = [40, 48, 58, 68, 75]  # the survey form's dropdown; the generator's own copy, the calculator reads the policy
REGION = "232722"  # 塔河县
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红建国建华国庆志强淑珍凤兰秀珍春梅海燕"
STREETS = ["林海路", "兴安街", "塔河大街", "呼玛河路", "望山路", "鸿雁街"]
MOVE_IN = [dt.date(2025, 10, 1), dt.date(2025, 11, 15), dt.date(2026, 5, 20), dt.date(2024, 2, 29)]


def id_number(rng: random.Random) -> str:
    """An 18-digit resident ID with a valid ISO 7064 MOD 11-2 check character (X for 10)."""
    born = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 55))
    body = f"{REGION}{born:%Y%m%d}{rng.randrange(0, 1000):03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights)) % 11]
    return body + check


def _area(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _original_area(rng: random.Random) -> Decimal:
    band = rng.random()
    if band < 0.20:
        return _area(rng.uniform(30, 40))
    if band < 0.58:
        return _area(rng.uniform(40, 48))
    if band < 0.84:
        return _area(rng.uniform(48, 58))
    if band < 0.985:
        return _area(rng.uniform(58, 75))
    return _area(rng.uniform(75, 96))  # above every type (D1)


def clean_rows(n: int = PLAN_HOUSEHOLDS, seed: int = SEED) -> list[dict]:
    """n well-formed survey rows (header -> Python value), total original area scaled near 50 m² a household."""
    rng = random.Random(seed)
    areas = [_original_area(rng) for _ in range(n)]
    scale = Decimal(PLAN_AREA_M2 * n) / Decimal(PLAN_HOUSEHOLDS) / sum(areas)
    rows = []
    for i, area in enumerate(areas, 1):
        area = (area * scale).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        standard = next((t for t in TYPES if t >= area), None)
        low_income = rng.random() < 0.10
        cash = rng.random() < 0.08
        row = {h: None for h in HEADERS}
        row.update({"户号": f"TH-{i:05d}", "户主姓名": rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(["", *GIVEN]),
                    "身份证号": id_number(rng), "房屋坐落": f"塔河镇{rng.choice(STREETS)}{rng.randrange(1, 300)}号",
                    "产权性质": "私产", "原房屋建筑面积（㎡）": area, "是否低保户": "是" if low_income else "否",
                    "联系电话": f"139{rng.randrange(0, 10**8):08d}"})
        if cash:
            row["安置方式"] = "货币补偿"
            row["评估单价（元/㎡）"] = Decimal(rng.randrange(1800, 2601, 10))
            rows.append(row)
            continue
        row["安置方式"] = "回迁"
        pick = rng.random()
        if standard is None:
            unit = Decimal(TYPES[-1])  # D1: above every type, takes the largest
        elif pick < 0.78:
            unit = Decimal(standard)
        elif pick < 0.93 and standard != TYPES[-1]:
            unit = Decimal(TYPES[TYPES.index(standard) + 1])  # one type up: pays the excess price
        elif pick < 0.97 and standard != TYPES[0]:
            unit = Decimal(TYPES[TYPES.index(standard) - 1])  # one type down: shortfall compensation (D3)
        else:
            unit = _area(standard + rng.uniform(-0.6, 0.6))  # a measured, non-standard area (D2)
        row["选择户型（㎡）"] = unit
        if unit < area:
            row["评估单价（元/㎡）"] = Decimal(rng.randrange(1800, 2601, 10))
        if rng.random() < 0.6:
            row["入住日期"] = rng.choice(MOVE_IN)
        # Only a household with a reasonable-extra part has something to defer (the last test keeps the seed's stream).
        if low_income and unit > area and rng.random() < 0.6 and standard is not None and min(unit, standard) > area:
            row["申请缓交"] = "是"
            row["入住日期"] = row["入住日期"] or rng.choice(MOVE_IN)
            row["备注"] = "低保户申请缓交"
        if rng.random() < 0.04:
            row["节能住宅"] = "否"
        rows.append(row)
    return rows


def write_xlsx(rows: list[dict], path: Path, headers: list[str] = HEADERS, merges: list[tuple] = ()) -> None:
    """A survey workbook as an office keeps it: title rows above the header, IDs as text, dates as dates."""
    import xlsxwriter

    # constant_memory drops cells written to rows already flushed, so a sheet with merged data cells is built in memory.
    book = xlsxwriter.Workbook(str(path), {"constant_memory": not merges})
    book.set_properties({"created": dt.datetime(2025, 6, 1), "author": "anzhi sample_data/generate.py"})  # same bytes each run
    sheet = book.add_worksheet("入户调查")
    bold = book.add_format({"bold": True, "align": "center", "valign": "vcenter", "border": 1, "text_wrap": True})
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.merge_range(0, 0, 0, len(headers) - 1, TITLE, book.add_format({"bold": True, "font_size": 14, "align": "center"}))
    sheet.merge_range(1, 0, 1, len(headers) - 1, SUBTITLE)
    sheet.write_row(2, 0, headers, bold)
    for r, row in enumerate(rows, 3):
        for c, h in enumerate(headers):
            value = row.get(h)
            if value is None or value == "":
                continue
            if isinstance(value, dt.date):
                sheet.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), date)
            elif isinstance(value, Decimal):
                sheet.write_number(r, c, float(value))
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, str(value))
    for first_row, col, last_row, value in merges:
        sheet.merge_range(first_row, col, last_row, col, value)
    sheet.freeze_panes(3, 0)
    book.close()


def write_csv(rows: list[dict], path: Path, encoding: str = "utf-8", headers: list[str] = HEADERS, title: bool = True) -> None:
    with open(path, "w", encoding=encoding, newline="") as out:
        writer = csv.writer(out)
        if title:
            writer.writerow([TITLE])
        writer.writerow(headers)
        for row in rows:
            writer.writerow(["" if row.get(h) is None else (row[h].isoformat() if isinstance(row[h], dt.date) else row[h])
                             for h in headers])


# --- the messy survey --------------------------------------------------------------------------------
MESSY_HEADERS = ["档案编号", " 户主 ", "身份证号码", "村组", "原面积 (㎡)", "安置方式", "选择户型", "低保", "缓交",
                 "评估价", "节能住宅", "入住时间", "备注"]


def messy_rows() -> tuple[list[dict], list[dict]]:
    """Rows with every kind of mess a clerk's sheet has, and the problems each bad one must be reported with.

    Returns (rows, expected): expected lists {"offset": position among data rows, "fields": [...]} for every
    row that must be rejected; all other non-blank rows must compute.
    """
    H = MESSY_HEADERS
    def row(hid, name, idn, area, option, unit, low="", defer="", price="", eff="", date="", note="", group="一组"):
        return dict(zip(H, [hid, name, idn, group, area, option, unit, low, defer, price, eff, date, note]))
    rng = random.Random(SEED + 1)
    ids = [id_number(rng) for _ in range(40)]
    rows = [
        row("M001", "王伟", ids[0], "45", "回迁", "48", "否"),                                  # plain text numbers
        row("M002", "李娜", ids[1], "45.3㎡", "回迁", "48㎡", "N"),                              # units in cells
        row("M003", "张敏", ids[2], " 52.3 ", "货币补偿", "", "否", "", "2,150"),                  # stray spaces, thousands
        row("M004", "刘洋", ids[3].lower(), "36.5", "产权调换", "40", "是", "√", "", "", "2025年10月1日"),
        row("M005", "陈静", ids[4], "50", "回迁", "48", "0", "", "2000元/㎡", "", "2025/10/1"),
        row("M006", "杨杰", ids[5], "80", "回迁", "75", "", "", "1800", "", "45931"),           # Excel serial date
        row("M007", "赵丽", ids[6], "４５", "回迁", "58", "FALSE", "", "", "Y"),                  # full-width digits
        row("M008", "黄强", ids[7], "45.333", "回迁", "48", "否", "", "", "", "20251001"),       # rounded: warning
        row("M009", "周勇", ids[8], "1,234", "货币补偿", "", "", "", "1,234"),                    # thousands separators
        row("M010", "吴艳", ids[9], "38", "回迁", "40", "TRUE", "1", "", "", "2024-02-29"),     # leap-day move-in
        row("", "", "", "", "", "", group=""),                                                 # blank row
        row("M011", "徐军", ids[10], "-5", "回迁", "40", "否"),                                   # negative area
        row("M012", "孙涛", ids[11], "45", "回迁", "48", "否", "是"),                             # deferral, not low-income
        row("M013", "胡娟", ids[12], "52.3", "货币补偿", "", "否"),                               # cash without price
        row("M014", "朱明", ids[13], "38", "回迁", "48", "是", "是", "", "", "2025-02-30"),      # impossible date
        row("M015", "高超", ids[14], "45", "回迁", "48", "否"),                                   # duplicate id (1)
        row("M015", "林平", ids[15], "47", "回迁", "48", "否"),                                   # duplicate id (2)
        row("M016", "何刚", ids[16], "abc", "回迁", "48", "否"),                                  # not a number
        row("M017", "郭华", ids[17], "45", "搬走", "48", "否"),                                   # unknown option
        row("M018", "马兰", ids[18], "45", "回迁", "48", "x"),                                    # ambiguous yes/no
        row("", "罗萍", ids[19], "45", "回迁", "48", "否"),                                       # no household id
        row("M019", "梁红", ids[20], "45", "回迁", "", "否"),                                     # in-kind without a unit
        row("M020", "宋国庆", ids[21], "45", "货币补偿", "48", "否", "", "2100"),                 # cash with a unit
        row("M021", "郑志强", ids[22], "40", "回迁", "40", "是", "是", "", "", "2025-10-01"),    # nothing to defer
        row("M022", "谢淑珍", ids[23], "45,3", "回迁", "48", "否"),                               # decimal comma: refused
        row("M023", "韩凤兰", ids[24], "12000", "回迁", "48", "否"),                              # above the area limit
        row("", "", "", "", "", ""),                                     # only 村组 filled: not blank, reported
        row("M024", "唐秀珍", ids[25], "47.5", "回迁", "48", "否", "", "", "否", "2025-11-15"),
        row("M025", "冯春梅", ids[26], "56", "回迁", "58", "是", "是", "", "", "2026-5-20"),
        row("M026", "于海燕", ids[27], "66", "货币", "", "否", "", "￥2,480"),
    ]
    expected = [
        {"household_id": "M011", "fields": ["original_area"]},
        {"household_id": "M012", "fields": ["defer"]},
        {"household_id": "M013", "fields": ["appraised_price"]},
        {"household_id": "M014", "fields": ["move_in_date"]},
        {"household_id": "M015", "fields": ["household_id"]},
        {"household_id": "M015", "fields": ["household_id"]},
        {"household_id": "M016", "fields": ["original_area"]},
        {"household_id": "M017", "fields": ["option"]},
        {"household_id": "M018", "fields": ["low_income"]},
        {"household_id": "", "fields": ["household_id"]},
        {"household_id": "M019", "fields": ["unit_area"]},
        {"household_id": "M020", "fields": ["unit_area"]},
        {"household_id": "M021", "fields": ["defer"]},
        {"household_id": "M022", "fields": ["original_area"]},
        {"household_id": "M023", "fields": ["original_area"]},
        {"household_id": "", "fields": ["household_id", "original_area"]},
    ]
    return rows, expected


def write_messy(directory: Path = HERE) -> None:
    rows, expected = messy_rows()
    first_data_row = 4  # two title rows, the header on row 3
    offsets = [i for i, r in enumerate(rows) if any(str(v).strip() for v in r.values())]
    bad_rows = []
    for exp in expected:
        # the n-th row carrying this id (duplicates appear in order)
        seen = [i for i in offsets if rows[i][MESSY_HEADERS[0]] == exp["household_id"]]
        taken = [b["row"] for b in bad_rows if b["household_id"] == exp["household_id"]]
        pos = next(i for i in seen if i + first_data_row not in taken)
        bad_rows.append({**exp, "row": pos + first_data_row})
    # The option of M024 and M025 is one cell merged down over both rows in the xlsx, as clerks do.
    m024 = next(i for i, r in enumerate(rows) if r[MESSY_HEADERS[0]] == "M024")
    xlsx_rows = [dict(r) for r in rows]
    xlsx_rows[m024]["安置方式"] = xlsx_rows[m024 + 1]["安置方式"] = ""
    top = m024 + first_data_row - 1  # 0-based sheet row
    write_xlsx(xlsx_rows, directory / "tahe_survey_messy.xlsx", MESSY_HEADERS,
               merges=[(top, MESSY_HEADERS.index("安置方式"), top + 1, "回迁")])
    write_csv(rows, directory / "tahe_survey_messy_gbk.csv", encoding="gbk", headers=MESSY_HEADERS)
    blank = [i + first_data_row for i, r in enumerate(rows) if i not in offsets]
    (directory / "tahe_survey_messy_expected.json").write_text(json.dumps(
        {"note": "rows the batch must reject (spreadsheet row numbers in the xlsx; the csv has one title row, so one less)",
         "rejected": bad_rows, "blank_rows": blank, "data_rows": len(offsets)}, ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8")


def main() -> None:
    rows = clean_rows()
    write_xlsx(rows, HERE / "tahe_survey_1200.xlsx")
    write_csv(rows, HERE / "tahe_survey_1200.csv")
    write_messy()
    total = sum(r["原房屋建筑面积（㎡）"] for r in rows)
    cash = sum(r["安置方式"] == "货币补偿" for r in rows)
    low = sum(r["是否低保户"] == "是" for r in rows)
    defer = sum(r["申请缓交"] == "是" for r in rows)
    print(f"{len(rows)} households, original area {total} m², cash {cash}, low-income {low}, deferring {defer}")


if __name__ == "__main__":
    main()
