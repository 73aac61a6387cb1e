"""Mask names and ID numbers for public lists the way Chinese notices do: 张*伟, 232723********1234."""
from __future__ import annotations

MASK = "*"

# Two-character surnames: a long name keeps the whole surname (欧阳**娜), as public lists commonly print.
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 端木 独孤 南宫 西门 闻人 "
    "呼延 澹台 公冶 宗政 濮阳 淳于 单于 太叔 申屠 仲孙 钟离 赫连 万俟 司空 百里 东郭 拓跋".split()
)
ID_KEEP_HEAD, ID_KEEP_TAIL = 6, 4  # the region code and the last four, as public notices print them
ID_MIN_LENGTH = 15  # first-generation IDs have 15 characters, current ones 18


def _blank(value) -> bool:
    return value is None or value != value or str(value).strip() == ""  # None, NaN, ""


def mask_name(name) -> str:
    """张伟 -> 张*, 张小伟 -> 张*伟, 欧阳明娜 -> 欧阳*娜, 阿不都·热合曼 -> 阿*****曼; blank stays blank."""
    if _blank(name):
        return ""
    text = "".join(str(name).split())  # spaces inside a name would only shift the mask
    if len(text) == 1:
        return MASK
    if len(text) == 2:
        return text[0] + MASK
    keep = 2 if len(text) >= 4 and text[:2] in COMPOUND_SURNAMES else 1
    return text[:keep] + MASK * (len(text) - keep - 1) + text[-1]


def mask_id_number(id_number) -> str:
    """232723198001011234 -> 232723********1234; anything shorter than an ID is masked whole."""
    if _blank(id_number):
        return ""
    text = "".join(str(id_number).split()).upper()
    if len(text) < ID_MIN_LENGTH:
        # A short or garbled value: showing 6 + 4 characters of it could show all of it.
        return MASK * len(text)
    return text[:ID_KEEP_HEAD] + MASK * (len(text) - ID_KEEP_HEAD - ID_KEEP_TAIL) + text[-ID_KEEP_TAIL:]
