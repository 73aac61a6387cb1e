"""The result schema, derived from a policy once: the items in order, the areas, totals and installments, and
the engine's column for each. The engine writes these columns; the Quote, workbook, csv, notices, statements and
the app read them through this object and never build a column name themselves."""
from __future__ import annotations

from dataclasses import dataclass, field

from .policy import Item, Policy

CORE_AREAS = {  # key -> (zh, en)
    "original": ("原房屋建筑面积", "original area"),
    "standard": ("安置标准面积", "standard area"),
    "chosen": ("选择户型面积", "chosen unit area"),
}

GIVEN_AREAS = ("original", "chosen")  # what the household brings; the rest the engine works out


@dataclass(frozen=True)
class AreaColumn:
    key: str  # the key in Quote.areas
    col: str  # the engine's column (int64 hundredths of m²)
    label_zh: str
    label_en: str


@dataclass(frozen=True)
class ItemColumns:
    """An item's columns: the amount (fen, + the household pays) and the factors behind it."""

    item: Item
    amount: str

    @property
    def code(self) -> str:
        return self.item.code

    def col(self, part: str) -> str:
        return self.amount if part == "amount" else f"{part}_{self.item.code}"


@dataclass(frozen=True)
class TotalColumn:
    code: str
    col: str
    label_zh: str
    label_en: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class InstallmentColumns:
    number: int
    amount: str
    due: str
    share_text: str  # "60%"
    years_after_move_in: int


@dataclass(frozen=True)
class ResultSchema:
    items: list[ItemColumns]
    areas: list[AreaColumn]
    totals: list[TotalColumn]
    installments: list[InstallmentColumns]
    net_payable: str = "net_payable"
    deferred_total: str = "deferred_total"
    due_before_move_in: str = "due_before_move_in"
    heating: bool = False
    _by_code: dict = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, policy: Policy) -> "ResultSchema":
        items = [ItemColumns(item=i, amount=f"amount_{i.code}") for i in policy.items]
        areas = [AreaColumn(k, f"area_{k}", zh, en) for k, (zh, en) in CORE_AREAS.items()]
        areas += [AreaColumn(b.area_key, f"area_{b.area_key}", f"面积：{b.label_zh}", f"area: {b.label_en}") for b in policy.bands]
        areas += [AreaColumn(name, f"area_{name}", a.label_zh, a.label_en) for name, a in policy.areas.items()]
        totals = [TotalColumn(t.code, f"total_{t.code}", t.label_zh, t.label_en, tuple(t.items)) for t in policy.totals]
        installments = []
        if policy.deferral is not None:
            for n, inst in enumerate(policy.deferral.installments, 1):
                installments.append(InstallmentColumns(n, f"installment_{n}", f"installment_{n}_due",
                                                       format(inst.share.value.normalize(), "f") + "%",
                                                       int(inst.years_after_move_in.value)))
        return cls(items=items, areas=areas, totals=totals, installments=installments, heating=policy.heating is not None,
                   _by_code={c.code: c for c in items})

    def item(self, code: str) -> ItemColumns:
        return self._by_code[code]

    def area_col(self, key: str) -> str:
        return f"area_{key}"

    def total_col(self, code: str) -> str:
        return f"total_{code}"

    @property
    def settled_items(self) -> list[ItemColumns]:
        return [c for c in self.items if c.item.settled]

    @property
    def shown_items(self) -> list[ItemColumns]:
        """Items only shown to the household, not added to the settlement."""
        return [c for c in self.items if not c.item.settled]

    @property
    def derived_areas(self) -> list[AreaColumn]:
        """The areas the engine works out (standard, each band, declared areas): all but the two a household gives."""
        return [a for a in self.areas if a.key not in GIVEN_AREAS]

    def area(self, key: str) -> AreaColumn:
        return next(a for a in self.areas if a.key == key)

    @property
    def paid_items(self) -> list[ItemColumns]:
        """Settled items the household pays (+)."""
        return [c for c in self.settled_items if c.item.direction == "pay"]

    @property
    def received_items(self) -> list[ItemColumns]:
        """Settled items paid to the household (their amounts are negative)."""
        return [c for c in self.settled_items if c.item.direction == "receive"]
