"""Read the flats inventory (building, unit, floor, room, area, type) from xlsx or csv; bad rows named by row and field."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..batch.cells import parse_cents
from ..batch.errors import SurveyFileError
from ..batch.headers import normalise_header
from ..batch.reader import read_grid, source_bytes
from ..errors import InputError
from ..fixed import cents_to_decimal
from ..policy import Policy

HEADER_SCAN_ROWS = 30
TEXT_MAX_CHARS = 40
FLOOR_RANGE = (-10, 200)  # basements to the tallest tower: anything else is a typing slip

FIELDS = {  # field -> (zh label, en label, headers it is known by)
    "building": ("楼号", "building", ("楼号", "楼栋", "楼栋号", "幢号", "楼", "栋", "building", "block")),
    "unit": ("单元", "unit", ("单元", "单元号", "unit", "entrance")),
    "floor": ("楼层", "floor", ("楼层", "层", "所在楼层", "floor", "storey")),
    "room": ("房号", "room", ("房号", "室号", "房间号", "门牌号", "室", "room", "flat", "door")),
    "area_c": ("建筑面积", "area", ("建筑面积", "面积", "实测面积", "实测建筑面积", "area", "floor_area")),
    "type_c": ("户型", "type", ("户型", "户型面积", "标准户型", "type", "unit_type")),
}
REQUIRED = ("building", "floor", "room", "area_c", "type_c")
_LOOKUP = {normalise_header(name): field for field, (_, _, names) in FIELDS.items() for name in names}


@dataclass(frozen=True)
class FlatRow:
    row: int  # spreadsheet row number, as the clerk sees it
    building: str
    unit: str
    floor: int
    room: str
    area_c: int  # hundredths of a m², as measured
    type_c: int  # hundredths of a m², the nominal unit type the flat is of

    @property
    def address(self) -> str:
        return flat_address(self.building, self.unit, self.room)


def flat_address(building: str, unit: str, room: str) -> str:
    """'3-2-501': building, unit (when there is one) and room, as a flat is named on a list."""
    return "-".join(p for p in (building, unit, room) if p)


class FlatsFileError(Exception):
    """The file cannot be used at all (unreadable, or no header naming building, floor, room, area and type)."""

    def __init__(self, message_zh: str, message_en: str):
        self.message_zh, self.message_en = message_zh, message_en
        super().__init__(f"{message_zh} / {message_en}")


def _error(row: int, field: str, value: str, zh: str, en: str) -> InputError:
    label_zh, label_en, _ = FIELDS[field]
    return InputError(row=row, field=field.removesuffix("_c"), value=value,
                      message_zh=f"第{row}行“{label_zh}”：{zh}（{value or '空'}）",
                      message_en=f"row {row}, {label_en}: {en} ({value or 'blank'})")


def read_flats(source, policy: Policy) -> tuple[list[FlatRow], list[InputError]]:
    """Every good row and every bad one; a flat listed twice (same building, unit, room) is bad the second time."""
    try:
        grid = read_grid(*source_bytes(source))
    except SurveyFileError as exc:  # the survey reader's own message: it says what is wrong with the file
        raise FlatsFileError(exc.message_zh, exc.message_en) from None
    cells = grid.cells
    header_row, columns = _find_header(cells)
    types = set(policy.type_areas)
    flats: list[FlatRow] = []
    errors: list[InputError] = []
    seen: dict[tuple[str, str, str], int] = {}
    for row in cells.index[cells.index > header_row]:
        text = {field: str(cells.at[row, col]).strip() for field, col in columns.items()}
        if not any(text.values()):
            continue
        text.setdefault("unit", "")
        bad = [_error(row, f, text[f], "不能为空", "is blank") for f in REQUIRED if not text[f]]
        for f in ("building", "unit", "room"):
            if len(text[f]) > TEXT_MAX_CHARS:
                bad.append(_error(row, f, text[f][:TEXT_MAX_CHARS], f"超过{TEXT_MAX_CHARS}个字符", f"longer than {TEXT_MAX_CHARS} characters"))
        floor = _floor(text["floor"]) if text["floor"] else None
        if text["floor"] and floor is None:
            bad.append(_error(row, "floor", text["floor"], f"须为{FLOOR_RANGE[0]}至{FLOOR_RANGE[1]}之间的整数",
                              f"must be a whole number from {FLOOR_RANGE[0]} to {FLOOR_RANGE[1]}"))
        area_c = _area(row, "area_c", text["area_c"], policy, bad)
        type_c = _area(row, "type_c", text["type_c"], policy, bad)
        if type_c is not None and types and cents_to_decimal(type_c) not in types:
            listed = [_plain(t) for t in sorted(types)]
            bad.append(_error(row, "type_c", text["type_c"], f"不是本方案的户型（{'、'.join(listed)}㎡）",
                              f"is not a unit type of the plan ({', '.join(listed)} m²)"))
        key = (text["building"], text["unit"], text["room"])
        if not bad and key in seen:
            bad.append(_error(row, "room", flat_address(*key),
                              f"与第{seen[key]}行是同一套房屋", f"the same flat as row {seen[key]}"))
        if bad:
            errors += bad
            continue
        seen[key] = row
        flats.append(FlatRow(row, text["building"], text["unit"], floor, text["room"], area_c, type_c))
    return flats, errors


def _find_header(cells) -> tuple[int, dict[str, int]]:
    for row in cells.index[:HEADER_SCAN_ROWS]:
        found: dict[str, int] = {}
        for col in cells.columns:
            field = _LOOKUP.get(normalise_header(cells.at[row, col]))
            if field and field not in found:
                found[field] = col
        if all(f in found for f in REQUIRED):
            return row, found
    need_zh = "、".join(FIELDS[f][0] for f in REQUIRED)
    need_en = ", ".join(FIELDS[f][1] for f in REQUIRED)
    raise FlatsFileError(f"前{HEADER_SCAN_ROWS}行中找不到表头（须有：{need_zh}）",
                         f"no header in the first {HEADER_SCAN_ROWS} rows (it needs: {need_en})")


def _floor(text: str) -> int | None:
    cents, rounded, bad = parse_cents(text)
    if bad or rounded or cents % 100 or not FLOOR_RANGE[0] <= cents // 100 <= FLOOR_RANGE[1]:
        return None
    return cents // 100


def _area(row: int, field: str, text: str, policy: Policy, bad: list[InputError]) -> int | None:
    if not text:
        return None
    cents, rounded, is_bad = parse_cents(text)
    limit = policy.limits.unit_area_max.value
    if is_bad or cents <= 0 or cents_to_decimal(cents) > limit:
        bad.append(_error(row, field, text, f"须为大于0、不超过{_plain(limit)}的面积（㎡）",
                          f"must be an area above 0 and at most {_plain(limit)} m²"))
        return None
    if rounded:
        bad.append(_error(row, field, text, "面积最多保留两位小数", "an area has at most two decimals"))
        return None
    return cents


def _plain(value: Decimal) -> str:
    return format(Decimal(value).normalize(), "f")
