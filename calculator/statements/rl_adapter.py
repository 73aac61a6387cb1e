"""reportlab beneath its public API, in one place: a paragraph's lines as reportlab breaks them, a line of text as
PDF operators encoded through the font's TrueType subsets, and the font's subset work done once per process.
tests/test_rl_adapter.py fails if the reportlab behaviour these rely on changes."""
from __future__ import annotations

import zlib
from functools import lru_cache
from itertools import groupby

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfdoc
from reportlab.platypus import Paragraph

SUBSET_CODES = 256  # codes in one font subset (one byte each in a PDF string)
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
    `font` in `canvas`'s document (as reportlab's text object writes them, codes assigned in the order first used).
    A line of seeded characters only (see seed_codes) is the same runs in every document of that seed: kept."""
    doc = canvas._doc
    state = font.state.get(doc)
    seed = getattr(state, SEED_MARK, None)
    key = (seed, state.internalName, size, text) if seed is not None else None
    runs = _RUNS.get(key) if key is not None else None
    if runs is None:
        known = _known_codes(state, text)
        # a character not drawn before in this document: reportlab gives it its code
        chunks = font.splitString(text, doc) if known is None else known[0]
        points = fp_str(size)
        runs = " ".join(f"{font.getSubsetInternalName(subset, doc)} {points} Tf ({canvas._escape(chunk)}) Tj"
                        for subset, chunk in chunks)
        if key is not None and known is not None and known[1] < seed.end:
            keep_bounded(_RUNS, key, runs, RUNS_KEPT)
    return f"BT 1 0 0 1 {fp_str(x, y)} Tm {runs} ET"


def _known_codes(state, text: str) -> tuple[list[tuple[int, bytes]], int] | None:
    """What font.splitString(text, doc) returns, and the highest code, where every character of `text` already has
    its code in the document whose font state is `state` (most lines: the seeded words, digits, the household's name
    drawn once before), without reportlab's character by character bookkeeping; None where one has not (or is one
    reportlab maps to another: a no-break space is drawn as a space)."""
    if state is None or "\xa0" in text:
        return None
    try:
        drawn = list(map(state.assignments.__getitem__, map(ord, text)))
    except KeyError:
        return None
    if not drawn:
        return [], -1
    highest = max(drawn)
    if highest < SUBSET_CODES:  # all in the first subset (a Latin text, or the first 256 codes)
        return [(0, bytes(drawn))], highest
    chunks: list[tuple[int, bytes]] = []
    for subset, run in groupby(drawn, lambda code: code >> 8):
        chunks.append((subset, bytes(code & 0xFF for code in run)))
    return chunks, highest


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
    (reportlab gives codes in the order characters are first drawn), and close the subsets they fill: the rest of
    the last one's 256 codes show the font's empty glyph (code 0, .notdef, in every subset already), so the
    characters drawn later start a subset of their own. A text every document draws anyway (the statement's
    glossary and its headings) then has the same codes in each, its subsets are the same bytes (made and
    compressed once per process) and its drawing can be replayed (`codes`); only the household's own characters
    make a new subset per document. No glyph is added that `text` does not hold."""
    doc = canvas._doc
    seed = _SEEDS.get((font.fontName, text))
    state = font.state.get(doc)
    if seed is not None and state is None:  # as seeded before: the same codes, copied rather than worked out again
        state = font._assignState(doc)
        state.assignments, state.subsets = dict(seed.assignments), [list(subset) for subset in seed.subsets]
        state.nextCode = seed.end
    else:
        fresh = state is None
        font.splitString(text, doc)
        state = font.state[doc]
        last = state.subsets[-1]
        last.extend([0] * (SUBSET_CODES - len(last)))  # below 32 (asciiReadable fills 1-31 first) they are 0 already
        state.nextCode = SUBSET_CODES * len(state.subsets)  # reportlab opens subset k at 256·k with its .notdef
        if not fresh:  # codes drawn before the seed: not the seed's alone, neither kept nor marked
            font.getSubsetInternalName(0, doc)
            return
        seed = keep_bounded(_SEEDS, (font.fontName, text),
                            _Seed(dict(state.assignments), tuple(map(tuple, state.subsets))), SEEDS_KEPT)
    font.getSubsetInternalName(0, doc)
    setattr(state, SEED_MARK, seed)


class _Seed:
    """A font's codes after seeding (seed_codes): the characters' codes and the (closed) subsets. Compared by
    identity: a key of the lines drawn from its codes alone (text_operators)."""

    __slots__ = ("assignments", "subsets")

    def __init__(self, assignments: dict, subsets: tuple):
        self.assignments, self.subsets = assignments, subsets

    @property
    def end(self) -> int:
        """The first code after the seed's: its subsets are closed."""
        return SUBSET_CODES * len(self.subsets)


SEED_MARK = "anzhi_seed"  # the _Seed a document's font state was seeded with, set on reportlab's state object
SEEDS_KEPT = 16  # seeds remembered per process (one per policy and language)
RUNS_KEPT = 8192  # lines of seeded characters kept as their operators, per process
_SEEDS: dict[tuple[str, str], _Seed] = {}
_RUNS: dict[tuple, str] = {}


def keep_bounded(kept: dict, key, value, most: int):
    """`kept[key] = value`, the oldest entries let go past `most` (the app may draw from several threads)."""
    kept[key] = value
    while len(kept) > most:
        try:
            kept.pop(next(iter(kept)), None)
        except RuntimeError:  # changed by another thread meanwhile: the next call trims it
            break
    return value


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
    the same order: written out and compressed once per process. The font's PDF objects are made here as reportlab's
    TTFont.addObjects makes them (one font, its widths, its map and its descriptor per subset, registered under the
    same names), the widths and the map taken from what was kept (reportlab formatted a 256-number array and
    compressed a map for each subset of each PDF)."""
    from reportlab.pdfbase.ttfonts import SUBSETN, makeToUnicodeCMap

    face = font.face
    add = font.addObjects

    @lru_cache(maxsize=SUBSETS_KEPT)
    def widths(subset: tuple[int, ...]) -> bytes:
        return pdfdoc.PDFArray(list(map(face.getCharWidth, subset))).format(None)

    @lru_cache(maxsize=SUBSETS_KEPT)
    def unicode_map(base_font: str, subset: tuple[int, ...]) -> bytes:
        return zlib.compress(makeToUnicodeCMap(base_font, subset).encode("latin-1"))

    def add_objects(doc):
        state = font.state.get(doc)
        if state is None:  # nothing drawn in the font: reportlab's own (it makes the state)
            return add(doc)
        state.frozen = 1
        fonts = doc.idToObject["BasicFonts"].dict
        for n, subset in enumerate(state.subsets):
            chars = tuple(subset)
            name = font.getSubsetInternalName(n, doc)[1:]
            base = b"".join((SUBSETN(n), b"+", face.name, face.subfontNameX)).decode("pdfdoc")
            pdf_font = pdfdoc.PDFTrueTypeFont()
            pdf_font.__Comment__ = f"Font {font.fontName} subset {n}"
            pdf_font.Name, pdf_font.BaseFont = name, base
            pdf_font.FirstChar, pdf_font.LastChar = 0, len(subset) - 1
            pdf_font.Widths = widths(chars)
            cmap = pdfdoc.PDFStream()
            if doc.compression:
                _flate(cmap, unicode_map(base, chars))
            else:
                cmap.content = makeToUnicodeCMap(base, subset)
            pdf_font.ToUnicode = doc.Reference(cmap, "toUnicodeCMap:" + base)
            pdf_font.FontDescriptor = face.addSubsetObjects(doc, base, subset)
            doc.Reference(pdf_font, name)
            fonts[name] = pdf_font
        del font.state[doc]

    font.addObjects = add_objects
