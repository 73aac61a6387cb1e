"""The flats inventory file: good rows read exactly, each bad row named by row and field in both languages."""
import io

import pytest
import xlsxwriter

from calculator.register.flats_file import FlatsFileError, read_flats


def xlsx(rows) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    ws = book.add_worksheet("房源")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                ws.write(r, c, value)
    book.close()
    return out.getvalue()


HEADER = ["楼号", "单元", "楼层", "房号", "建筑面积（㎡）", "户型（㎡）"]


def test_good_rows_below_a_title(tahe):
    data = xlsx([["塔河镇回迁房源表"], HEADER, ["1", "1", 5, "501", 48.37, 48], [3, None, "12", "1201", "75.00", "75"]])
    flats, errors = read_flats(data, tahe.rules)
    assert errors == []
    assert [(f.row, f.building, f.unit, f.floor, f.room, f.area_c, f.type_c, f.address) for f in flats] == [
        (3, "1", "1", 5, "501", 4837, 4800, "1-1-501"), (4, "3", "", 12, "1201", 7500, 7500, "3-1201")]


def test_english_headers_in_another_order(tahe):
    data = b"type,area,room,floor,unit,building\n58,57.9,302,3,2,7\n"
    flats, errors = read_flats(io.BytesIO(data), tahe.rules)
    assert errors == [] and (flats[0].building, flats[0].area_c, flats[0].type_c) == ("7", 5790, 5800)


@pytest.mark.parametrize("row, field, zh, en", [
    (["1", "1", 5, "501", 48.37, 50], "type", "不是本方案的户型（40、48、58、68、75㎡）", "is not a unit type of the plan"),
    (["1", "1", 5, "501", -3, 48], "area", "须为大于0", "must be an area above 0"),
    (["1", "1", 5, "501", "48.371", 48], "area", "最多保留两位小数", "at most two decimals"),
    (["1", "1", "五", "501", 48, 48], "floor", "整数", "whole number"),
    (["1", "1", 5.5, "501", 48, 48], "floor", "整数", "whole number"),
    (["", "1", 5, "501", 48, 48], "building", "不能为空", "is blank"),
    (["1", "1", 5, None, 48, 48], "room", "不能为空", "is blank"),
])
def test_a_bad_row_names_row_and_field(tahe, row, field, zh, en):
    flats, errors = read_flats(xlsx([HEADER, ["1", "1", 4, "401", 48, 48], row]), tahe.rules)
    assert [f.room for f in flats] == ["401"]
    assert [(e.row, e.field) for e in errors] == [(3, field)]
    assert errors[0].message_zh.startswith("第3行“") and zh in errors[0].message_zh
    assert errors[0].message_en.startswith("row 3, ") and en in errors[0].message_en


def test_a_flat_listed_twice(tahe):
    flats, errors = read_flats(xlsx([HEADER, ["1", "1", 5, "501", 48, 48], ["1", "1", 5, "501", 48, 48]]), tahe.rules)
    assert len(flats) == 1 and errors[0].row == 3 and "与第2行是同一套房屋" in errors[0].message_zh
    assert "1-1-501" in errors[0].message_en


def test_no_header(tahe):
    with pytest.raises(FlatsFileError) as err:
        read_flats(xlsx([["楼号", "房号"], ["1", "2"]]), tahe.rules)
    assert "找不到表头" in err.value.message_zh and "floor" in err.value.message_en


def test_not_a_spreadsheet(tahe):
    with pytest.raises(FlatsFileError) as err:
        read_flats(io.BytesIO(b""), tahe.rules)
    assert err.value.message_en == "the file is empty"
