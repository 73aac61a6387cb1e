"""reportlab beneath its public API, in one place: a paragraph's lines as reportlab breaks them, a line of text as
PDF operators encoded through the font's TrueType subsets, and the font's subset work done once per process.
tests/test_rl_adapter.py fails if the reportlab behaviour these rely on changes."""
from __future__ import annotations

import zlib
from functools import lru_cache

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfdoc
from reportlab.platypus import Paragraph

SUBSETS_KEPT = 128  # font subsets made and compressed, remembered per process (each some tens of kB)


def paragraph_lines(paragraph: Paragraph, width: float) -> tuple[tuple[str, float], ...]:
    """The lines reportlab breaks `paragraph` into at `width`: (the line's text, the space left on it). Its height is
    len(lines) × leading, its first baseline fontSize below its top (rl_config.paraFontSizeHeightOffset)."""
    paragraph.wrap(width, 1e9)
    lines = paragraph.blPara
    if lines.kind == 0:  # one font: (space left, words), the words printed joined by a space
        return tuple((" ".join(words), extra) for extra, words in lines.lines)
    # fragments (a <br/> makes them): each line's fragments printed one after the other
    return tuple(("".join(getattr(frag, "text", "") for frag in line.words), line.extraSpace) for line in lines.lines)


def text_operators(canvas, font, size: float, x: float, y: float, text: str) -> str:
    """One line of `text` at baseline (x, y) as PDF text operators, each run of characters named by its subset of
    `font` in `canvas`'s document (as reportlab's text object writes them, codes assigned in the order first used)."""
    doc = canvas._doc
    runs = [f"{font.getSubsetInternalName(subset, doc)} {fp_str(size)} Tf ({canvas._escape(chunk)}) Tj"
            for subset, chunk in font.splitString(text, doc)]
    return f"BT 1 0 0 1 {fp_str(x, y)} Tm {' '.join(runs)} ET"


def reuse_subset_work(font) -> None:
    """Font work that does not depend on the household, done once per process instead of once per PDF: its tables
    are read-only bytes, yet every subset embedded in a PDF copied them again (the glyph table alone is megabytes);
    a subset already made (the same glyphs in the same order, as many statements share) is the same bytes, and
    compressed once (`compress_subsets_once`)."""
    face = font.face
    face.get_table = lru_cache(maxsize=None)(face.get_table)
    make = face.makeSubset

    @lru_cache(maxsize=SUBSETS_KEPT)
    def made(subset: tuple[int, ...]) -> bytes:
        return make(subset)

    face.makeSubset = lambda subset: made(tuple(subset))
    compress_subsets_once(font)
    keep_subset_objects(font)


def seed_codes(canvas, font, text: str) -> None:
    """Give the characters of `text` their codes in `font`'s subsets first, in that order, in `canvas`'s document
    (reportlab gives codes in the order characters are first drawn). A text every document draws anyway (the
    statement's glossary) then has the same codes in each, so its first subset is the same bytes (made and
    compressed once) and its drawing can be replayed (`codes`). No glyph is added that is not drawn."""
    doc = canvas._doc
    font.splitString(text, doc)
    font.getSubsetInternalName(0, doc)


def codes(canvas, font, chars: str) -> tuple:
    """The font's name in `canvas`'s document and the codes its characters `chars` have there (None: not yet
    drawn): two drawings of the same text are the same operators when these are equal."""
    state = font.state.get(canvas._doc)
    if state is None:
        return (None,)
    return (state.internalName, *map(state.assignments.get, map(ord, chars)))


def compress_subsets_once(font) -> None:
    """A font subset embedded in a PDF is compressed once per process, not once per PDF: the same glyphs make the
    same bytes (reuse_subset_work), and so the same compressed stream (the zlib work was a fifth of a
    statement). The stream is the one reportlab registers for the subset, its content replaced by the compressed
    bytes and marked as such."""
    face = font.face
    add = face.addSubsetObjects

    @lru_cache(maxsize=SUBSETS_KEPT)
    def deflated(content: bytes) -> bytes:
        return zlib.compress(content)

    def add_subset(doc, fontname, subset):
        reference = add(doc, fontname, subset)
        if doc.compression:
            stream = doc.idToObject[f"fontFile:{face.filename}({fontname})"]
            _flate(stream, deflated(stream.content))
        return reference

    face.addSubsetObjects = add_subset


def _flate(stream, content: bytes) -> None:
    """`stream` holds `content`, already compressed, and says so (reportlab then writes it as it is)."""
    stream.content = content
    stream.filters = None
    stream.dictionary["Filter"] = pdfdoc.PDFArray([pdfdoc.PDFName("FlateDecode")])


def keep_subset_objects(font) -> None:
    """A subset's widths and its ToUnicode map (the text a reader copies) are the same for the same characters in
    the same order: written out and compressed once per process (reportlab formats a 256-number array and compresses
    a map for each subset of each PDF). Replaced after reportlab's TTFont.addObjects made them, in the objects it
    registered (the font as `F1+0`, its map as `toUnicodeCMap:<base font>`)."""
    face = font.face
    add = font.addObjects

    @lru_cache(maxsize=SUBSETS_KEPT)
    def widths(subset: tuple[int, ...]) -> bytes:
        return pdfdoc.PDFArray(list(map(face.getCharWidth, subset))).format(None)

    @lru_cache(maxsize=SUBSETS_KEPT)
    def unicode_map(base_font: str, subset: tuple[int, ...]) -> bytes:
        from reportlab.pdfbase.ttfonts import makeToUnicodeCMap

        return zlib.compress(makeToUnicodeCMap(base_font, subset).encode("latin-1"))

    def add_objects(doc):
        state = font.state.get(doc)
        if state is None:
            return add(doc)
        name, subsets = state.internalName, [tuple(subset) for subset in state.subsets]
        add(doc)
        for n, subset in enumerate(subsets):
            pdf_font = doc.idToObject[f"{name}+{n}"]
            pdf_font.Widths = widths(subset)
            if doc.compression:
                _flate(doc.idToObject[f"toUnicodeCMap:{pdf_font.BaseFont}"], unicode_map(pdf_font.BaseFont, subset))

    font.addObjects = add_objects
