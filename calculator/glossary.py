"""The glossary (术语说明): each term a resident meets on a quote, a statement or a notice, explained plainly in
Chinese and English. A policy file may add entries or replace one (same Chinese term) with `[[glossary]]`."""
from __future__ import annotations

from typing import NamedTuple

from .policy import Policy


class Term(NamedTuple):
    term_zh: str
    term_en: str
    text_zh: str
    text_en: str

    def term(self, lang: str = "zh") -> str:
        return self.term_zh if lang == "zh" else self.term_en

    def text(self, lang: str = "zh") -> str:
        return self.text_zh if lang == "zh" else self.text_en


TERMS: list[Term] = [
    Term("回迁安置", "in-kind resettlement",
         "拆除旧房后，住户在新建小区分得一套新房，按面积差额结算房款。",
         "After the old home is pulled down, the household moves into a new flat and settles the difference by area."),
    Term("货币补偿", "cash compensation",
         "住户不要新房，按评估价格领取补偿款。",
         "The household takes no new flat and is paid the appraised value of the old home instead."),
    Term("原房屋建筑面积", "original area",
         "被拆除的私产房屋的建筑面积，以房产证或测量为准。",
         "The floor area of the privately owned home that is pulled down, as on the deed or measured."),
    Term("上靠户型", "next unit type up",
         "新房只有几种标准户型（如40、48、58、68平方米）。原房屋面积不在其中时，按比它大的最小一种户型确定安置标准，"
         "例如45平方米上靠48平方米。",
         "New flats come in a few standard sizes (e.g. 40, 48, 58, 68 m²). If the old home's area is not one of them, "
         "the smallest standard size above it sets the standard area: 45 m² goes up to 48 m²."),
    Term("安置标准", "standard area",
         "住户按政策可以按优惠价格取得的面积，一般是上靠户型的面积。",
         "The area a household may take at the favourable prices; usually the next unit type up."),
    Term("拆一补一", "one for one",
         "新房中与原房屋面积相等的部分，只交结构差价。",
         "The part of the new flat equal to the old home's area; only the structure price difference is paid on it."),
    Term("结构差价", "structure price difference",
         "新房是楼房、旧房多为平房，结构不同，原面积部分每平方米交的差价。",
         "A price per m² paid on the old home's area because the new building is of a better structure."),
    Term("合理享受面积", "reasonable extra area",
         "安置标准比原房屋面积多出的部分。这部分按较低的优惠单价购买。",
         "The part of the standard area above the old home's area. It is bought at a lower, favourable price."),
    Term("超面积", "excess area",
         "所选新房超出安置标准的部分，按较高单价购买。",
         "The part of the chosen flat above the standard area; it is bought at a higher price."),
    Term("评估单价", "appraised price",
         "评估机构对原房屋每平方米的估价，用于货币补偿或所选新房小于原房屋时的补偿。",
         "The value per m² of the old home set by an appraiser; used for cash compensation, or when the new flat is "
         "smaller than the old home."),
    Term("低保户", "low-income household",
         "享受城乡最低生活保障的家庭，按政策免交或少交部分房款。",
         "A household on the minimum living allowance; it pays less, or nothing, for parts of the flat."),
    Term("缓交", "deferral",
         "低保户无力一次交清时，部分房款可以在入住后分期交纳。",
         "A low-income household that cannot pay at once may pay part of the price in installments after moving in."),
    Term("专项维修资金", "maintenance fund",
         "入住前按面积一次交纳的房屋公共部位维修资金，不是房款。",
         "Money for repairs of the building's shared parts, paid once by area before moving in; it is not the price."),
    Term("应交 / 应领", "pays / receives",
         "应交：住户交给经办单位的钱；应领：经办单位付给住户的钱。金额都写成正数。",
         "Pays: money the household pays the office; receives: money the office pays the household. Both are "
         "written as positive amounts."),
    Term("采暖期", "heating season",
         "每年集中供暖的时期（一个冬季）。取暖费按采暖期交纳，不计入房款结算。",
         "The months of central heating each winter. The heating fee is paid per heating season and is not part of "
         "the settlement."),
    Term("节能住宅", "energy-efficient home",
         "达到节能标准的新房，取暖费按非节能标准的一定比例收取。",
         "A new flat that meets the energy standard; its heating fee is a share of the standard fee."),
]


# Terms that only mean something under a policy with that part: left out of another policy's glossary.
NEEDS = {"缓交": "deferral", "采暖期": "heating", "节能住宅": "heating", "上靠户型": "unit_types"}


def glossary(policy: Policy | None = None) -> list[Term]:
    """The standard terms, with the policy's own entries: one of the same Chinese term replaces it, others follow.
    A term for a part the policy does not have (a deferral, the heating fee, unit types) is left out."""
    own = [Term(g.term_zh, g.term_en, g.text_zh, g.text_en) for g in (policy.glossary if policy is not None else [])]
    replaced = {t.term_zh: t for t in own}
    kept = [t for t in TERMS if policy is None or t.term_zh not in NEEDS or getattr(policy, NEEDS[t.term_zh]) is not None]
    return [replaced.pop(t.term_zh, t) for t in kept] + [t for t in own if t.term_zh in replaced]
