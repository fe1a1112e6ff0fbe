"""The activity vocabulary: items, quantities, units (CONTRACTS §3), and the category tree.

Shipped as CSV in ``inventory/data/`` (see docs/ARCHITECTURE.md, "Vocabulary files"):
``items.csv``, ``quantities.csv``, ``item_quantities.csv`` and ``categories.csv`` (the IPCC 2006
tree generated from the ``climate_categories`` package by ``scripts/build_categories.py``, with
Chinese names and the provincial-inventory headings added).

For error messages, :meth:`Vocabulary.suggest_item`, :meth:`~Vocabulary.suggest_quantity` and
:meth:`~Vocabulary.suggest_category` name what an unknown entry most likely meant: an item written as
its Chinese or English name (``原煤`` → ``raw_coal``), a quantity in Chinese (``消费量`` →
``consumption``), a category code in another case or without dots (``1a2`` → ``1.A.2``) or by its name;
failing that, close matches on the codes, and for a category the known subcategories of its nearest
known parent.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
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

#: what clerks write for an item besides its names in items.csv
ITEM_ALIASES = {
    "煤": "raw_coal", "煤炭": "raw_coal", "精煤": "washed_coal", "洗煤": "other_washed_coal",
    "天燃气": "natural_gas", "管道天然气": "natural_gas", "管道燃气": "natural_gas", "液化气": "lpg",
    "石油液化气": "lpg", "液化石油": "lpg", "电": "electricity", "电量": "electricity", "用电": "electricity",
    "用电量": "electricity", "电能": "electricity", "热": "heat", "热量": "heat", "蒸汽": "heat", "热水": "heat",
    "车用汽油": "gasoline", "车用柴油": "diesel", "航空煤油": "kerosene", "重油": "fuel_oil", "干气": "refinery_gas",
    "高炉煤气": "other_gas", "转炉煤气": "other_gas", "发生炉煤气": "other_gas", "lng": "lng", "lpg": "lpg",
    "coal": "raw_coal", "power": "electricity", "gas": "natural_gas", "petrol": "gasoline",
}

#: what clerks write for a quantity besides its names in quantities.csv
QUANTITY_ALIASES = {
    "消费": "consumption", "消耗": "consumption", "消耗量": "consumption", "用量": "consumption",
    "使用量": "consumption", "能源消费量": "consumption", "燃料消耗量": "consumption", "燃烧量": "consumption",
    "burned": "consumption", "burn": "consumption", "used": "consumption", "use": "consumption",
    "combustion": "consumption", "combusted": "consumption", "原料": "non_energy_use", "原料用能": "non_energy_use",
    "生产量": "production", "产出": "production", "库存": "stock_change", "库存变化": "stock_change",
    "库存增减": "stock_change", "库存增减量": "stock_change", "调入": "inflow", "调出": "outflow", "进口": "import",
    "出口": "export", "存栏": "stock_year_end", "存栏量": "stock_year_end", "年末存栏": "stock_year_end",
    "出栏": "slaughtered", "饲养量": "population", "播种面积": "area", "种植面积": "area", "面积": "area",
    "施用": "amount", "施用量（折纯）": "amount",
}


def _key(text: str) -> str:
    """A name compared without case, width, blanks, ``_`` or ``-`` (``Raw Coal`` = ``raw_coal``)."""
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    return re.sub(r"[\s_\-]+", "", text)


def _parts(name: str) -> list[str]:
    """A name and its pieces: ``原铝（电解铝）`` → 原铝（电解铝）, 原铝, 电解铝; ``散生木/四旁树`` → both."""
    name = unicodedata.normalize("NFKC", name)
    pieces = [name] + [p for p in re.split(r"[()/;,、]", name) if p.strip()]
    return [p.strip() for p in pieces if p.strip()]


def _index(names: dict[str, list[str]], aliases: dict[str, str]) -> dict[str, list[str]]:
    """Compared form of every code, name, piece of a name and alias → the codes it names."""
    index: dict[str, list[str]] = {}
    pairs = [(code, label) for code, labels in names.items()
             for label in [code] + [p for label in labels for p in _parts(label)]]
    for code, label in pairs + [(code, alias) for alias, code in aliases.items()]:
        codes = index.setdefault(_key(label), [])
        if code not in codes:
            codes.append(code)
    return index


def _lookup(text: str, index: dict[str, list[str]], limit: int = 3) -> list[str]:
    """Codes ``text`` may stand for, best first: an exact code, name or alias (without case and blanks);
    a Chinese name inside the text (``0号柴油`` → diesel) or the text inside Chinese names; close matches."""
    key = _key(text)
    if not key:
        return []
    if key in index:
        return index[key][:limit]
    found: list[str] = []
    if not key.isascii():
        chinese = [label for label in index if not label.isascii()]
        inside = sorted((label for label in chinese if len(label) >= 2 and label in key), key=len, reverse=True)
        around = [label for label in chinese if len(key) >= 2 and key in label]
        for label in inside or around:
            found += [c for c in index[label] if c not in found]
    if not found:
        close = difflib.get_close_matches(key, list(index), n=limit, cutoff=0.6)
        best = difflib.SequenceMatcher(None, key, close[0]).ratio() if close else 0
        for label in close:  # the best match, and those nearly as close (a tie is named as one)
            if difflib.SequenceMatcher(None, key, label).ratio() >= best - 0.05:
                found += [c for c in index[label] if c not in found]
    return found[:limit]


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

    def quantity_name(self, quantity: str, lang: str = "zh") -> str:
        """The name of ``quantity`` (``consumption`` → 消费量 / Consumption (fuel burned)); an unknown key as it is."""
        if quantity not in self.quantities.index:
            return quantity
        return self.quantities.at[quantity, "name_zh" if lang == "zh" else "name_en"] or quantity

    def category_parent(self, code: str) -> str:
        """The parent code, or '' at the top of the tree."""
        return self._parents.get(code, "")

    @functools.cached_property
    def _parents(self) -> dict[str, str]:
        return dict(zip(self.categories.index, self.categories["parent"]))

    @functools.lru_cache(maxsize=1024)  # noqa: B019 — one Vocabulary per process, kept for its life
    def suggest_item(self, text: str) -> tuple[str, ...]:
        """Items ``text`` most likely means (``原煤``, ``Raw coal``, ``raw coal`` → ``raw_coal``), best first."""
        return tuple(_lookup(text, self._item_index))

    @functools.lru_cache(maxsize=1024)  # noqa: B019
    def suggest_quantity(self, text: str) -> tuple[str, ...]:
        """Quantities ``text`` most likely means (``消费量`` → ``consumption``), best first."""
        return tuple(_lookup(text, self._quantity_index))

    @functools.cached_property
    def _item_index(self) -> dict[str, list[str]]:
        return _index({code: [row["name_zh"], row["name_en"]] for code, row in self.items.iterrows()},
                      ITEM_ALIASES)

    @functools.cached_property
    def _quantity_index(self) -> dict[str, list[str]]:
        return _index({code: [row["name_zh"], row["name_zh"].rstrip("量"), row["name_en"]]
                       for code, row in self.quantities.iterrows()}, QUANTITY_ALIASES)

    @functools.lru_cache(maxsize=1024)  # noqa: B019
    def suggest_category(self, text: str) -> tuple[tuple[str, ...], str]:
        """What an unknown category code most likely means: ``(codes, "")`` for the code in another case or
        without dots (``1a2`` → ``1.A.2``), a category named in Chinese or English, or a close match on a
        long code (``EB.F.industy``); else ``((), parent)`` with its nearest known parent (``1.A.9`` →
        ``1.A``), whose subcategories :meth:`subcategories` lists."""
        normal = unicodedata.normalize("NFKC", text).strip().replace("。", ".").rstrip(".")
        normal = re.sub(r"\s+", "", normal)
        codes = list(self.categories.index)
        same = [c for c in codes if c.casefold() == normal.casefold()]
        if not same:
            same = [c for c in codes if c.replace(".", "").casefold() == normal.replace(".", "").casefold()]
        if same:
            return tuple(same[:3]), ""
        key = _key(text)
        named = [c for c, row in self.categories.iterrows()
                 if key and key in (_key(row["name_zh"]), _key(row["name_en"]))]
        if named:
            return tuple(named[:3]), ""
        if len(normal.rsplit(".", 1)[-1]) >= 4:  # a misspelt word (EB.F.industy), not a letter or digit
            close = difflib.get_close_matches(normal, codes, n=3, cutoff=0.85)
            if close:
                return tuple(close), ""
        parent = normal
        while "." in parent:
            parent = parent.rsplit(".", 1)[0]
            known = [c for c in codes if c.casefold() == parent.casefold()]
            if known:
                return (), known[0]
        return (), ""

    def subcategories(self, code: str) -> list[str]:
        """The direct subcategories of ``code``."""
        return [c for c, parent in self._parents.items() if parent == code]

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
