"""The reportlab behaviour the statement's drawing relies on (statements/rl_adapter.py, statements/drawn.py): a
reportlab upgrade that changes how a paragraph breaks, how a table sizes and places its cells, or how text is
encoded through a font subset fails here, not silently on a resident's page."""
import io
import re
import subprocess
import zlib

import pytest
from test_statements import ISSUED, needs_poppler

from calculator import quote
from calculator.statements import rl_adapter
from calculator.statements.drawn import Grid, Text, lines_of
from calculator.statements.fonts import cjk_font
from calculator.statements.layout import build_pdf, para, styles
from calculator.statements.pdf_statement import statement_story


def _font():
    from reportlab.pdfbase import pdfmetrics

    return pdfmetrics.getFont(cjk_font().name)


def _canvas():
    from reportlab.pdfgen.canvas import Canvas

    return Canvas(io.BytesIO())


TEXTS = [
    ("base", "原房屋建筑面积 abc def 这是一个很长的句子需要换行的测试文字，看看结果如何呢。还有更多的文字在这里面", 100),
    ("formula", "36.50 平方米 × 1,200.00 元/平方米 = 43,800.00 and more words here", 80),
    ("right", "应交 2,800.00", 100),
    ("small", "金额\n（元）", 80),
    ("base", "Head of household (signature):______________________", 120),
    ("clause", "四、3：超出上靠户型面积部分按1200元/平方米结算", 60),
]


@pytest.mark.parametrize("style, text, width", TEXTS)
def test_lines_are_reportlabs_own(style, text, width):
    """The lines and the space left on each are those of reportlab's Paragraph, and so is the height; the lines
    hold the text (its spaces collapsed) in order."""
    st = styles(9.5)[style]
    paragraph = para(text, st)
    _, height = paragraph.wrap(width, 1e9)
    lines = rl_adapter.paragraph_lines(para(text, st), width)
    assert len(lines) * st.leading == pytest.approx(height)
    assert re.sub(r"\s", "", "".join(line for line, _ in lines)) == re.sub(r"\s", "", text)
    for line, left in lines:  # a line broken at a space counts the space it ends with
        used = [_font().stringWidth(line + end, st.fontSize) for end in ("", " ")]
        assert min(abs(width - u - left) for u in used) < 0.01, (line, left)
    cached = lines_of(text, st, width)  # a line that fits is measured without the Paragraph: the same
    assert [line for line, _ in cached] == [line for line, _ in lines]
    assert [left for _, left in cached] == pytest.approx([left for _, left in lines])


def test_a_known_break():
    """A Chinese text breaks between any two characters, a formula only at its spaces (a number stays whole)."""
    st = styles(9.5)
    assert [line for line, _ in rl_adapter.paragraph_lines(para("一二三四五六七八九十", st["base"]), 50)] == \
        ["一二三四五", "六七八九十"]
    assert [line for line, _ in rl_adapter.paragraph_lines(para("12,345.67 × 8,900.12 = 1", st["formula"]), 60)] == \
        ["12,345.67 ×", "8,900.12 = 1"]


def test_text_operators_are_what_reportlab_writes():
    """A line drawn by text_operators names the same subsets and the same bytes as canvas.drawString."""
    font = _font()
    text = "回迁安置 H002 张小伟 ¥1,234.50（元）"
    ours, theirs = _canvas(), _canvas()
    theirs.setFont(font.fontName, 9.5)
    theirs.drawString(10, 20, text)
    ops = rl_adapter.text_operators(ours, font, 9.5, 10, 20, text)
    shown = re.findall(r"(/F\d+\+\d+) [\d.]+ Tf (\(.*?\)) Tj", ops)
    drawn = " ".join(theirs._code)
    assert shown and all(name in drawn and chunk in drawn for name, chunk in shown)
    assert ops.startswith("BT 1 0 0 1 10 20 Tm ") and ops.endswith(" ET")


def test_seeded_codes_come_first_and_are_the_same_in_every_document():
    font = _font()
    one, two = _canvas(), _canvas()
    for canvas in (one, two):
        rl_adapter.seed_codes(canvas, font, "术语说明结算单")
    assert rl_adapter.codes(one, font, "术语说明结算单") == rl_adapter.codes(two, font, "术语说明结算单")
    name, *codes = rl_adapter.codes(one, font, "术语说明结算单")
    assert name and codes == list(range(1, 8))  # the first codes, in order (asciiReadable keeps 32-126 for ASCII)
    assert rl_adapter.codes(one, font, "王") == (name, None)  # not drawn: no code, no glyph added
    assert font.state[one._doc].subsets[0][1:8] == [ord(ch) for ch in "术语说明结算单"]


def test_subset_work_is_kept_and_the_compressed_subset_is_reportlabs_subset(tahe):
    from reportlab.pdfbase.ttfonts import TTFontFile

    face = _font().face
    subset = [ord(ch) for ch in "回迁安置结算单0123456789"]
    assert zlib.decompress(zlib.compress(face.makeSubset(subset))) == TTFontFile.makeSubset(face, subset)
    pdf = build_pdf([Text("回迁安置结算单", styles(9.5)["base"])], title="t", footer="f")
    stream = re.search(rb"/Filter \[ /FlateDecode \] /Length (\d+) /Length1 (\d+)\s*>>\s*stream\r?\n", pdf)
    assert stream, "the font file stream is marked as compressed"
    data = pdf[stream.end():stream.end() + int(stream.group(1))]
    assert len(zlib.decompress(data)) == int(stream.group(2))  # Length1: the subset's own length


def _reportlab(flowable):
    """The same story in reportlab's own flowables: Text -> Paragraph, Grid -> Table."""
    from reportlab.platypus import KeepTogether, Table, TableStyle

    if isinstance(flowable, Text):
        return para(flowable.text, flowable.style)
    if isinstance(flowable, Grid):
        rows = [[[_reportlab(p) for p in c] if isinstance(c, list) else _reportlab(c) for c in row]
                for row in flowable.rows]
        table = Table(rows, colWidths=flowable.widths, rowHeights=flowable.row_heights,
                      repeatRows=flowable.repeat_rows)
        table.setStyle(TableStyle(flowable.commands))
        return table
    if isinstance(flowable, KeepTogether):
        return KeepTogether([_reportlab(f) for f in flowable._content])
    return flowable


def _words(pdf: bytes) -> list[tuple[str, float, float, float]]:
    out = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return [(w, float(x), float(y), float(x1)) for x, y, x1, w in
            re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</word>', out)]


QUOTES = [
    (dict(original_area="36.5", unit_area="40", low_income=True, defer=True, move_in_date="2025-10-01"), "zh", None),
    (dict(original_area="45", unit_area="58"), "en", "塔河镇林海路54号 Building 3, Unit 2 " * 12),
    (dict(original_area="60", option="cash", appraised_price="2150"), "zh", "塔河镇" * 400),  # the address row splits the page
]


@needs_poppler
@pytest.mark.parametrize("values, lang, address", QUOTES)
def test_the_statement_is_laid_out_as_reportlabs_paragraphs_and_tables_lay_it_out(tahe, values, lang, address):
    """Every word of the statement at the same place (to a hundredth of a point) whether its paragraphs and tables
    are drawn as Text and Grid or by reportlab's Paragraph and Table."""
    q = quote(tahe, **values)
    kwargs = dict(household_id="H003", name="张小伟", address=address, issued=ISSUED, lang=lang)
    ours = build_pdf(statement_story(q, tahe, **kwargs), title="t", footer="f", lang=lang)
    theirs = build_pdf([_reportlab(f) for f in statement_story(q, tahe, **kwargs)], title="t", footer="f", lang=lang)
    a, b = _words(ours), _words(theirs)
    assert [w for w, *_ in a] == [w for w, *_ in b] and len(a) > 100
    for (word, *at), (_, *there) in zip(a, b):
        assert at == pytest.approx(there, abs=0.01), word


def test_a_grid_is_sized_as_a_table():
    from reportlab.platypus import Table, TableStyle

    st = styles(8.5)
    rows = [[Text("Item", st["small"]), [Text("6.16 m² × 1,000.00 yuan/m² = 6,160.00", st["formula"]),
                                         Text("Clause 3", st["clause"])], "12,345.00"],
            [Text("Total", st["base"]), "", Text("pays 28,162.00", st["right"])]]
    commands = [("GRID", (0, 0), (-1, -1), 0.5, "#7a7a7a"), ("SPAN", (0, -1), (1, -1)),
                ("FONTSIZE", (0, 1), (-1, -1), 8.5), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("ALIGN", (2, 0), (-1, -1), "RIGHT")]
    from reportlab.lib import colors

    commands[0] = ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#7a7a7a"))
    grid = Grid(rows, [100, 200, 90], commands)
    table = Table([[_reportlab(c) if not isinstance(c, list) else [_reportlab(p) for p in c] for c in row]
                   for row in rows], colWidths=[100, 200, 90])
    table.setStyle(TableStyle(commands))
    assert grid.wrap(500, 800) == pytest.approx(table.wrap(500, 800))
    assert grid.heights == pytest.approx(table._rowHeights)  # a string under a span counts (12 pt): as tables.py
    with pytest.raises(ValueError, match="does not draw"):
        Grid(rows, [100, 200, 90], [("LINEBELOW", (0, 0), (-1, 0), 1, colors.black)])


def _font_objects(pdf: bytes) -> tuple[list[bytes], list[bytes]]:
    """The /Widths arrays and the decompressed streams other than page contents and font files."""
    widths = [re.sub(rb"\s+", b" ", w) for w in re.findall(rb"/Widths (\[[^\]]*\])", pdf)]
    maps = [zlib.decompress(pdf[m.end():m.end() + int(m.group(1))]) for m in
            re.finditer(rb"/Filter \[ /FlateDecode \] /Length (\d+)\s*>>\s*stream\r?\n", pdf)]
    return widths, [m for m in maps if b"begincmap" in m]


def test_kept_subset_objects_are_reportlabs_own(monkeypatch):
    """The widths and the ToUnicode maps written once per subset are what reportlab's own addObjects writes."""
    font = _font()
    story = lambda: [Text("术语说明 H1 " + "".join(chr(0x4E00 + i) for i in range(300)), styles(9.5)["base"])]  # noqa: E731
    ours = build_pdf(story(), title="t", footer="f")
    monkeypatch.delattr(font, "addObjects")  # the class's: reportlab's own
    theirs = build_pdf(story(), title="t", footer="f")
    widths, maps = _font_objects(ours)
    assert (widths, maps) == _font_objects(theirs) and len(widths) == len(maps) == 2


def test_a_line_of_known_characters_is_encoded_as_reportlab_encodes_it():
    """text_operators' own encoding of characters that already have their codes is reportlab's splitString, over
    subsets 0, 1 and 2 (a seeded, closed first subset, then the characters drawn after it), a no-break space and a
    character the font does not have."""
    font, canvas = _font(), _canvas()
    rl_adapter.seed_codes(canvas, font, "术语说明结算单" + "".join(map(chr, range(0x4E00, 0x4E00 + 300))))
    doc = canvas._doc
    later = "张小伟塔河镇林海路54号"
    font.splitString(later, doc)
    state = font.state[doc]
    assert len(state.subsets) == 3 and len(state.subsets[1]) == 256  # the seed's last subset is closed
    assert state.assignments[ord("张")] >> 8 == 2
    for text in ["术语 abc", "一丁" + later + "结算单 1,234.50", later, "", "丁\u00a0丁", "丁\U0001F600丁"]:
        known = rl_adapter._known_codes(state, text)
        assert known is None or known[0] == font.splitString(text, doc), text
        assert (known is None) == (text in ("丁\u00a0丁", "丁\U0001F600丁")), text


def _font_files(pdf: bytes) -> list[bytes]:
    """The embedded font subsets of a PDF, in order, as their compressed bytes."""
    out = []
    for match in re.finditer(rb"/Length (\d+) /Length1 \d+\s*>>\s*stream\r?\n", pdf):
        out.append(pdf[match.end():match.end() + int(match.group(1))])
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_seeded_subsets_are_the_same_in_every_statement_and_the_household_has_its_own(tahe, lang):
    """The glossary's and the headings' characters fill their subsets (closed with .notdef): two statements of
    different households embed them as the same bytes; the households' own characters (their names) are in a last,
    small subset of their own."""
    from calculator.statements.pdf_statement import statement_pdf

    one = statement_pdf(quote(tahe, original_area="45", unit_area="58"), tahe, name="张小伟", issued=ISSUED, lang=lang)
    two = statement_pdf(quote(tahe, original_area="60", option="cash", appraised_price="2150"), tahe, name="欧阳娜",
                        address="塔河镇鸿雁街7号", issued=ISSUED, lang=lang)
    first, second = _font_files(one), _font_files(two)
    assert len(first) == len(second) >= 2
    assert first[:-1] == second[:-1]  # the seeded subsets: made and compressed once per process
    assert first[-1] != second[-1]
    widths = re.findall(rb"/LastChar (\d+)", one)
    assert [int(w) for w in widths[:-1]] == [255] * (len(widths) - 1) and int(widths[-1]) < 120


def test_a_seed_copied_is_the_seed_worked_out(tahe):
    """The second document seeded with a text gets the codes the first worked out (copied, not worked out again):
    the same codes, the same subsets, the same next code, and it goes on as reportlab would."""
    font, seed = _font(), "术语说明结算单 Glossary" + "".join(map(chr, range(0x4E00, 0x4E00 + 200)))
    rl_adapter._SEEDS.clear()
    one, two = _canvas(), _canvas()
    rl_adapter.seed_codes(one, font, seed)
    assert (font.fontName, seed) in rl_adapter._SEEDS
    rl_adapter.seed_codes(two, font, seed)
    a, b = font.state[one._doc], font.state[two._doc]
    assert (a.assignments, a.subsets, a.nextCode) == (b.assignments, b.subsets, b.nextCode)
    assert a.subsets is not b.subsets and a.assignments is not b.assignments  # each document its own, to grow
    assert font.splitString("王小伟", one._doc) == font.splitString("王小伟", two._doc)
    assert len(b.subsets[-1]) == 4  # .notdef and the three new characters, in a subset of their own
    three = _canvas()
    font.splitString("王", three._doc)  # drawn before the seed: its codes are not the seed's alone
    rl_adapter.seed_codes(three, font, seed)
    assert getattr(font.state[three._doc], rl_adapter.SEED_MARK, None) is None


def test_a_line_kept_is_the_line_worked_out(tahe):
    """A line of seeded characters is kept and drawn again from its operators: the same as working it out in a
    document where nothing is kept; a line with a character of the household's own is not kept."""
    font, seed = _font(), "户号结算单0123456789.,"
    rl_adapter._RUNS.clear()
    first, second = _canvas(), _canvas()
    for canvas in (first, second):
        rl_adapter.seed_codes(canvas, font, seed)
    ops = rl_adapter.text_operators(first, font, 9.5, 10, 20, "户号 1,234.50")
    assert len(rl_adapter._RUNS) == 1
    assert rl_adapter.text_operators(second, font, 9.5, 30, 40, "户号 1,234.50") == ops.replace(" 10 20 Tm", " 30 40 Tm")
    rl_adapter._RUNS.clear()
    assert rl_adapter.text_operators(second, font, 9.5, 10, 20, "户号 1,234.50") == ops
    rl_adapter.text_operators(second, font, 9.5, 10, 20, "户号 王")
    assert len(rl_adapter._RUNS) == 1  # the first line only


@pytest.mark.parametrize("compression", [1, 0])
def test_the_font_objects_are_those_reportlab_writes(compression):
    """The font's PDF objects made with the widths and maps kept (rl_adapter.keep_subset_objects) are, byte for
    byte, those reportlab's own TTFont.addObjects writes for the same text, over three subsets."""
    from reportlab.pdfbase.pdfdoc import format as pdf_format
    from reportlab.pdfbase.ttfonts import TTFont

    font, text = _font(), "回迁安置 H002 张小伟 ¥1,234.50" + "".join(map(chr, range(0x4E00, 0x4E00 + 300)))
    ours, theirs = _canvas(), _canvas()
    for canvas in (ours, theirs):
        canvas._doc.setCompression(compression)
        rl_adapter.seed_codes(canvas, font, "术语说明结算单")
        rl_adapter.text_operators(canvas, font, 9.5, 10, 20, text)
    font.addObjects(ours._doc)
    TTFont.addObjects(font, theirs._doc)  # reportlab's, on the same font
    names = [n for n in theirs._doc.idToObject
             if re.fullmatch(r"F\d+\+\d+", n) or n.startswith(("toUnicodeCMap:", "fontFile:", "fontDescriptor:"))]
    assert len(names) == 4 * 3 and sorted(names) == sorted(n for n in ours._doc.idToObject if n in names)
    for name in names:
        a, b = ours._doc.idToObject[name], theirs._doc.idToObject[name]
        assert pdf_format(a, ours._doc, toplevel=1) == pdf_format(b, theirs._doc, toplevel=1), name
