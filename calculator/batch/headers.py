"""Header aliases (zh and en, core and declared inputs) and finding the header row below a survey's title rows."""
from __future__ import annotations

import re
import unicodedata

# canonical field -> the headers it is known by. Matching is on the normalised header (see normalise_header).
ALIASES: dict[str, tuple[str, ...]] = {
    "household_id": ("户号", "档案编号", "档案号", "户编号", "家庭编号", "编号", "调查编号", "household_id", "household",
                     "householdid", "hh_id"),
    "name": ("户主姓名", "户主", "姓名", "被拆迁人", "被征收人", "产权人", "name", "head_of_household", "head"),
    "id_number": ("身份证号", "身份证号码", "公民身份号码", "身份证", "户主身份证号", "id_number", "id_no", "id_card",
                  "idnumber"),
    "original_area": ("原房屋建筑面积", "原面积", "原房屋面积", "原建筑面积", "被拆迁房屋面积", "被征收房屋面积",
                      "original_area", "originalarea", "area_original"),
    "option": ("安置方式", "补偿方式", "安置类型", "补偿安置方式", "option", "settlement_option"),
    "unit_area": ("选择户型", "选择户型面积", "安置面积", "安置户型", "选择面积", "回迁面积", "安置户型面积", "户型",
                  "unit_area", "unitarea", "chosen_area", "area_chosen"),
    "low_income": ("是否低保户", "低保户", "低保", "是否低保", "low_income", "lowincome"),
    "defer": ("申请缓交", "是否缓交", "缓交", "是否申请缓交", "defer", "deferral"),
    "appraised_price": ("评估单价", "评估价格", "评估价", "评估单价元", "appraised_price", "appraisedprice", "price"),
    "energy_efficient": ("节能住宅", "是否节能住宅", "节能", "达标节能住宅", "energy_efficient", "energyefficient"),
    "heating_rate": ("取暖费标准", "取暖费单价", "取暖费", "heating_rate", "heatingrate"),
    "move_in_date": ("入住日期", "入住时间", "回迁日期", "回迁入住日期", "move_in_date", "move_in", "movein"),
    # Recognised and carried through to the output; the settlement rules do not read them.
    "property_type": ("产权性质", "产权类型", "房屋产权性质", "property_type", "tenure"),
    "address": ("地址", "房屋坐落", "坐落", "原房屋地址", "住址", "address"),
    "phone": ("联系电话", "电话", "手机", "手机号", "phone", "telephone"),
    "remarks": ("备注", "说明", "remarks", "notes", "note"),
    "seq": ("序号", "序", "no", "seq"),  # a pre-numbered empty row is still a blank row
}

# The columns carried through, as a reader names them (the household fields' labels are household.FIELDS).
PASS_THROUGH_LABELS = {"property_type": ("产权性质", "property type"), "address": ("房屋坐落", "address"),
                       "phone": ("联系电话", "phone"), "remarks": ("备注", "remarks"), "seq": ("序号", "number")}


def field_names(field: str, policy=None) -> tuple[str, str]:
    """(zh, en) of a recognised column or an error's field as a person says it, never its code: a household field,
    a column carried through, or an input, item or subtotal of the policy."""
    from ..household import FIELDS

    if field in FIELDS:
        return FIELDS[field]
    if field in PASS_THROUGH_LABELS:
        return PASS_THROUGH_LABELS[field]
    if policy is not None:
        named = [*policy.inputs, *policy.items, *policy.totals]
        found = next((x for x in named if getattr(x, "name", None) == field or getattr(x, "code", None) == field), None)
        if found is not None:
            return found.label_zh, found.label_en
    return ("金额", "amount") if field.startswith(("net_", "deferred_", "due_", "installment_", "heating_")) else ("", "")


# The fields the engine reads (the rest pass through).
SETTLEMENT_FIELDS = ("household_id", "original_area", "option", "unit_area", "low_income", "defer", "appraised_price",
                     "energy_efficient", "heating_rate", "move_in_date")
PASS_THROUGH_FIELDS = ("name", "id_number", "property_type", "address", "phone", "remarks", "seq")
REQUIRED_COLUMNS = ("household_id", "original_area")

_BRACKETED = re.compile(r"[\(（\[【<《].*?[\)）\]】>》]")  # "(㎡)", "（元/平方米）", "[m2]": units and notes
_UNIT_TAIL = re.compile(r"(㎡|m2|m²|平方米|平米|元/㎡|元/平方米|元/m2|元|yuan|sqm)$")
_DROP = re.compile(r"[\s\u3000*＊:：_\-–—./／、]+")


def normalise_header(text: str) -> str:
    """'原房屋建筑面积（㎡）' -> '原房屋建筑面积'; 'Original Area (m2)' -> 'originalarea'."""
    text = unicodedata.normalize("NFKC", str(text)).strip().lower()
    text = _BRACKETED.sub("", text)
    text = _DROP.sub("", text)
    return _UNIT_TAIL.sub("", text)


_LOOKUP: dict[str, str] = {}
for _field, _names in ALIASES.items():
    for _name in _names:
        _LOOKUP[normalise_header(_name)] = _field


def canonical_field(header: str) -> str | None:
    """The canonical field a header names, or None for a column we do not know."""
    key = normalise_header(header)
    return _LOOKUP.get(key) if key else None


def input_lookup(policy) -> dict[str, str]:
    """normalised header -> declared input name, from each input's name, labels and aliases. A header the core
    fields already claim stays theirs."""
    out: dict[str, str] = {}
    for decl in policy.inputs:
        for text in (decl.name, decl.label_zh, decl.label_en, *decl.aliases):
            key = normalise_header(text)
            if key and key not in _LOOKUP:
                out.setdefault(key, decl.name)
    return out


def find_header_row(rows: list[list[str]], max_scan: int = 30) -> int | None:
    """Index of the header row among the first rows: the one naming the most known fields (at least two).

    Title rows above the header ('塔河镇棚户区改造入户调查表') name none, so they are passed over.
    """
    best, best_count = None, 1
    for i, row in enumerate(rows[:max_scan]):
        fields = {canonical_field(c) for c in row if str(c).strip()}
        fields.discard(None)
        if len(fields) > best_count:
            best, best_count = i, len(fields)
    return best


def map_columns(headers: list[str], inputs: dict[str, str] | None = None
                ) -> tuple[dict[int, str], dict[str, str | None], list[tuple[str, int, int]]]:
    """Column position -> canonical field (or declared input name, by `inputs` from input_lookup) for the
    recognised columns; header text -> field (None if unknown); and (field, first position, repeated position)
    for a field named twice (the first column wins)."""
    by_position: dict[int, str] = {}
    recognised: dict[str, str | None] = {}
    repeated: list[tuple[str, int, int]] = []
    seen: dict[str, int] = {}
    for pos, header in enumerate(headers):
        text = str(header).strip()
        if not text:
            continue
        field = canonical_field(text) or (inputs or {}).get(normalise_header(text))
        recognised[text] = field
        if field is None:
            continue
        if field in seen:
            repeated.append((field, seen[field], pos))
            continue
        seen[field] = pos
        by_position[pos] = field
    return by_position, recognised, repeated
