"""The activity vocabulary: items, quantities, units (CONTRACTS §3), and the category tree.

Shipped as CSV in ``inventory/data/`` (see docs/ARCHITECTURE.md, "Vocabulary files"):
``items.csv``, ``quantities.csv``, ``item_quantities.csv`` and ``categories.csv`` (the IPCC 2006
tree generated from the ``climate_categories`` package by ``scripts/build_categories.py``, with
Chinese names and the provincial-inventory headings added).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

__all__ = ["Vocabulary", "load_vocabulary", "NOTATION_KEYS"]

DATA = Path(__file__).resolve().parent.parent / "data"

#: IPCC notation keys (2006 IPCC Guidelines Vol.1 Ch.8 Table 8.2)
NOTATION_KEYS = {
    "NO": "not occurring / 未发生",
    "NE": "not estimated / 未估算",
    "NA": "not applicable / 不适用",
    "IE": "included elsewhere / 已计入其他",
    "C": "confidential / 保密",
}


def _csv(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / name, dtype=str, keep_default_na=False, encoding="utf-8")


@dataclass(frozen=True, eq=False)
class Vocabulary:
    items: pd.DataFrame  # index item
    quantities: pd.DataFrame  # index quantity
    item_quantities: dict[tuple[str, str], str]  # (group, quantity) -> unit or "item"
    categories: pd.DataFrame  # index code

    def category_allowed(self, item: str, category: str) -> bool:
        """Whether ``item`` may be recorded under ``category`` (prefix match on items.csv)."""
        prefixes = self.items.at[item, "categories"].split(";")
        return any(category == p or category.startswith(p + ".") for p in prefixes if p)

    def canonical_unit(self, item: str, quantity: str) -> str | None:
        """The unit cubes store ``quantity`` of ``item`` in; None if the pair is not allowed."""
        group = self.items.at[item, "group"]
        unit = self.item_quantities.get((group, quantity))
        if unit == "item":
            return self.items.at[item, "canonical_unit"]
        return unit

    def quantities_of(self, item: str) -> list[str]:
        group = self.items.at[item, "group"]
        return sorted(q for (g, q) in self.item_quantities if g == group)

    def nonnegative(self, quantity: str) -> bool:
        return self.quantities.at[quantity, "nonnegative"].strip().lower() == "true"

    def category_name(self, code: str, lang: str = "zh") -> str:
        if code not in self.categories.index:
            return code
        row = self.categories.loc[code]
        if lang == "zh" and row["name_zh"]:
            return row["name_zh"]
        return row["name_en"] or code

    def item_name(self, item: str, lang: str = "zh") -> str:
        if item not in self.items.index:
            return item
        return self.items.at[item, "name_zh" if lang == "zh" else "name_en"] or item

    def category_parent(self, code: str) -> str:
        """The parent code, or '' at the top of the tree."""
        return self._parents.get(code, "")

    @functools.cached_property
    def _parents(self) -> dict[str, str]:
        return dict(zip(self.categories.index, self.categories["parent"]))

    @functools.lru_cache(maxsize=4096)  # noqa: B019 — one Vocabulary per process, kept for its life
    def category_ancestors(self, code: str) -> tuple[str, ...]:
        """``code`` and its parents, nearest first."""
        chain: list[str] = []
        while code and code not in chain:
            chain.append(code)
            code = self.category_parent(code)
        return tuple(chain)


@functools.lru_cache(maxsize=1)
def load_vocabulary() -> Vocabulary:
    items = _csv("items.csv").set_index("item")
    quantities = _csv("quantities.csv").set_index("quantity")
    pairs = _csv("item_quantities.csv")
    categories = _csv("categories.csv").set_index("code")
    return Vocabulary(
        items=items,
        quantities=quantities,
        item_quantities={(g, q): u for g, q, u in pairs[["group", "quantity", "unit"]].itertuples(index=False)},
        categories=categories,
    )
