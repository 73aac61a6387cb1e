"""Find an embeddable CJK TrueType font, register it with reportlab once, and say clearly when there is none."""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


FONT_ENV = "ANZHI_CJK_FONT"  # "path" or "path#subfont-index": a font the operator chooses
FONT_NAME = "AnzhiCJK"  # prefix; each font file gets its own name (reportlab never replaces a registered TTF)

# Characters every statement and notice prints; a font without them would print empty boxes.
REQUIRED = "回迁安置结算单户主签字经办人单位盖章壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整零￥¥（）：0123456789.,-"

# Searched in order. Only TrueType outlines qualify: reportlab cannot embed CFF (.otf) fonts, and a
# built-in CID font such as STSong-Light is not embedded at all (empty boxes on a machine without it).
SYSTEM_FONTS = [
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0, "Debian fonts-wqy-zenhei"),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0, "Debian fonts-wqy-microhei"),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0, "Debian fonts-arphic-uming"),
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0, "Debian fonts-droid-fallback"),
]
# The fallback a machine with only Python has: requirements.txt pins a wheel that ships WenQuanYi Micro Hei.
PACKAGE_FONTS = [("paperang_p2_fonts_cjk", "fonts/wqy-microhei.ttc", 0, "PyPI paperang-p2-fonts-cjk")]


class FontMissing(RuntimeError):
    """No usable CJK font: the message says, in Chinese and English, how to install one."""

    def __init__(self, tried: list[str]):
        self.tried = tried
        lines = "\n".join(f"  - {t}" for t in tried)
        super().__init__(
            "找不到可嵌入的中文字体，无法生成PDF。请安装 fonts-wqy-zenhei（apt-get install fonts-wqy-zenhei），"
            f"或 pip install -r requirements.txt，或设置环境变量 {FONT_ENV}=字体文件路径(.ttf/.ttc)。\n"
            "No embeddable Chinese font found, so no PDF can be made. Install fonts-wqy-zenhei "
            f"(apt-get install fonts-wqy-zenhei), or pip install -r requirements.txt, or set {FONT_ENV}=/path/to/font.ttf|.ttc.\n"
            f"已尝试 / tried:\n{lines}"
        )

    def __reduce__(self):  # rebuilt from what was tried when it crosses a process boundary
        return FontMissing, (self.tried,)


@dataclass(frozen=True)
class CjkFont:
    """A registered font: its reportlab name, where it came from, and which characters it can draw."""

    name: str
    path: str
    subfont_index: int
    origin: str
    chars: frozenset[int]

    def has(self, text: str) -> bool:
        return all(ord(ch) in self.chars for ch in text)

    def pick(self, preferred: str, fallback: str) -> str:
        """`preferred` where the font can draw it (㎡), else the plain `fallback` (平方米)."""
        return preferred if self.has(preferred) else fallback


def candidates() -> list[tuple[str, int, str]]:
    """(path, subfont index, where it comes from), in the order they are tried."""
    import importlib.resources  # here, not at the top: every command's parser imports this module

    found: list[tuple[str, int, str]] = []
    chosen = os.environ.get(FONT_ENV, "").strip()
    if chosen:
        path, _, index = chosen.partition("#")
        found.append((path, int(index) if index.isdigit() else 0, f"${FONT_ENV}"))
    found += SYSTEM_FONTS
    for package, resource, index, origin in PACKAGE_FONTS:
        try:
            found.append((str(importlib.resources.files(package) / resource), index, origin))
        except (ModuleNotFoundError, TypeError):
            found.append((f"{package}/{resource}", index, f"{origin} (not installed)"))
    return found


def _font_name(path: str, index: int) -> str:
    stem = "".join(ch if ch.isalnum() else "-" for ch in Path(path).stem)
    return f"{FONT_NAME}-{stem}-{index}"


def _load(path: str, index: int):
    """The font (a reportlab TTFont), or why it cannot be used."""
    from reportlab.pdfbase.ttfonts import TTFError, TTFont  # here, not at import: the CLI starts faster

    if not Path(path).is_file():
        return "no such file"
    try:
        font = TTFont(_font_name(path, index), path, subfontIndex=index)
    except (TTFError, OSError, IndexError) as exc:  # e.g. CFF outlines, a broken file, a bad index
        return f"not usable: {exc}"
    missing = [ch for ch in REQUIRED if ord(ch) not in font.face.charToGlyph]
    return f"lacks {''.join(missing)}" if missing else font


@lru_cache(maxsize=1)
def cjk_font() -> CjkFont:
    """The first usable font, registered with reportlab (done once per process)."""
    tried = []
    for path, index, origin in candidates():
        loaded = _load(path, index)
        if isinstance(loaded, str):
            tried.append(f"{path} ({origin}): {loaded}")
            continue
        from reportlab.pdfbase import pdfmetrics

        from .rl_adapter import reuse_subset_work

        reuse_subset_work(loaded)
        pdfmetrics.registerFont(loaded)
        return CjkFont(loaded.fontName, path, index, origin, frozenset(loaded.face.charToGlyph))
    raise FontMissing(tried)


def font_status() -> tuple[bool, str]:
    """(usable, a bilingual line) for a health check such as `python -m calculator doctor`."""
    try:
        font = cjk_font()
    except FontMissing as exc:
        return False, str(exc)
    return True, f"PDF中文字体 / PDF CJK font: {font.path} ({font.origin})"
