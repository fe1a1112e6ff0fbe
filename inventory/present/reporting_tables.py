"""The reporting tables of one region-year as an Excel workbook, in the layout of the provincial
guideline's summary table (省级温室气体清单编制指南（试行）, 2011: 汇总表).

Sheets:

* ``汇总表`` — :func:`summary_table`: the two totals (without and with 土地利用变化和林业), the five
  sectors with their subcategories, and the memo items (信息项, never in a total); columns CO2, CH4,
  N2O, HFCs, PFCs, SF6, NF3 and 合计, every cell in 万吨 CO2e of the GWP set named in the title.
* ``能源``, ``工业生产过程``, ``农业``, ``土地利用变化和林业``, ``废弃物`` — each sector at category × gas
  detail, in tonnes of the gas and in tonnes CO2e.
* ``IPCC`` — the IPCC sectoral table: every category code with results and its parents, names in
  Chinese and English, one column a gas.

Where a category lands is read from ``inventory/data/categories.csv`` by prefix, never from a list of
leaf codes: the sector of a category is the ``cn_heading`` of the category (or of its nearest parent
in the tree); within a sector a row covers category prefixes, and every level with named rows has a
row 其他 that takes whatever the named rows do not (shown only when something lands there). The
rows of 工业生产过程 are the product categories (third level of the tree) that have results; those of
土地利用变化和林业 are the forest types (:func:`inventory.core.forest_types.forest_type`). So every
result lands in exactly one row, and the sector rows add up to the total of ``emissions.csv``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from inventory.core.forest_types import FOREST_TYPES, forest_type
from inventory.core.gwp import gwp as gwp_value
from inventory.core.gwp import normalise_gwp_set
from inventory.core.vocabulary import load_vocabulary
from inventory.present.excel import INTERNAL, NUMBER, REVIEW_STATUS, add_sheet, new_workbook, save_workbook

__all__ = ["GAS_GROUPS", "SECTORS", "SUMMARY_SHEET", "gas_group", "ipcc_table", "sector_table", "summary_table",
           "write_reporting_tables"]

#: the gas columns of the summary table, in the guideline's order
GAS_GROUPS = ("CO2", "CH4", "N2O", "HFCs", "PFCs", "SF6", "NF3")
SUMMARY_SHEET = "汇总表"
#: the memo items always shown in the summary table (others when they have results)
_MEMO_ALWAYS = ("M.ELEC", "M.HEAT")
_MEMO_ORDER = ("M.BUNKER", "M.ELEC", "M.HEAT", "M.NEU", "M.BIO")
#: perfluorocarbons: carbon and fluorine only (CF4, C2F6, c-C4F8 …), or the aggregate ``PFCs``
_PFC = re.compile(r"^(c-?)?C\d*F\d+$|^PFC")
_TONNES_PER_10KT = 1e4
#: tonnes of a gas (a few kg of CH4 or N2O count): 4 decimals
_GAS_TONNES = "#,##0.0000;-#,##0.0000;0"


def gas_group(gas: str) -> str:
    """The summary table's column of a gas: ``HFC-23`` → ``HFCs``, ``CF4`` → ``PFCs``; CO2, CH4, N2O,
    SF6 and NF3 are their own. Any other gas is a :class:`ValueError` (it would fall out of the table)."""
    if gas in ("CO2", "CH4", "N2O", "SF6", "NF3"):
        return gas
    if gas.upper().startswith("HFC"):
        return "HFCs"
    if _PFC.match(gas):
        return "PFCs"
    raise ValueError(f"气体 {gas!r} 不属于汇总表的任何一列 / gas {gas!r} has no column in the summary table "
                     f"({', '.join(GAS_GROUPS)})")


# --- the row tree -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    """A row of the summary table: its names, the category prefixes it covers (empty for a row
    whose rows are found from the results) and its named children."""

    key: str
    name_zh: str
    name_en: str
    prefixes: tuple[str, ...] = ()
    children: tuple[Row, ...] = field(default=())

    def covers(self, category: str) -> bool:
        return any(category == p or category.startswith(p + ".") for p in self.prefixes)


def _row(key: str, zh: str, en: str, *prefixes: str, children: tuple[Row, ...] = ()) -> Row:
    return Row(key, zh, en, tuple(prefixes), children)


#: the sectors of the summary table: (``cn_heading`` of categories.csv, the row with its named children).
#: IPPU and LULUCF children are found from the results (product categories, forest types).
SECTORS: tuple[tuple[str, Row], ...] = (
    ("能源活动", _row("energy", "能源活动", "Energy", "1", children=(
        _row("1.A", "燃料燃烧", "Fuel combustion", "1.A", children=(
            _row("1.A.1", "能源工业", "Energy industries", "1.A.1"),
            _row("1.A.2", "制造业和建筑业", "Manufacturing and construction", "1.A.2"),
            _row("1.A.3", "交通运输", "Transport", "1.A.3"),
            _row("1.A.4.a", "服务业及其他", "Services and other", "1.A.4.a", "1.A.5"),
            _row("1.A.4.b", "居民生活", "Residential", "1.A.4.b"),
            _row("1.A.4.c", "农林牧渔", "Agriculture, forestry, fishing", "1.A.4.c"),
        )),
        _row("1.B", "逃逸排放", "Fugitive emissions", "1.B", children=(
            _row("1.B.1", "煤炭开采和矿后活动", "Coal mining and post-mining", "1.B.1"),
            _row("1.B.2", "石油和天然气系统", "Oil and natural gas systems", "1.B.2"),
        )),
    ))),
    ("工业生产过程", _row("ippu", "工业生产过程", "Industrial processes", "2")),
    ("农业", _row("agriculture", "农业", "Agriculture", "3.A", "3.C", "3.D", children=(
        _row("3.A.1", "动物肠道发酵", "Enteric fermentation", "3.A.1"),
        _row("3.A.2", "动物粪便管理", "Manure management", "3.A.2", "3.C.6"),
        _row("3.C.7", "稻田", "Rice cultivation", "3.C.7"),
        _row("3.C.4", "农用地", "Agricultural soils (N2O)", "3.C.4", "3.C.5"),
    ))),
    ("土地利用变化和林业", _row("lulucf", "土地利用变化和林业", "Land-use change and forestry", "3.B")),
    ("废弃物处理", _row("waste", "废弃物处理", "Waste", "4", children=(
        _row("4.A", "固体废弃物处置", "Solid waste disposal", "4.A"),
        _row("4.D", "废水处理", "Wastewater treatment", "4.D"),
        _row("4.C", "焚烧", "Incineration", "4.C"),
        _row("4.B", "生物处理", "Biological treatment", "4.B"),
    ))),
    ("其他", _row("other", "其他", "Other", "5")),
)
#: the forest types always shown under 土地利用变化和林业, as the LULUCF sector labels a stratum of each
#: (category, item): 乔木林, 竹林, 经济林, 灌木林, 森林转化; other types when they have results
_FOREST_ALWAYS = tuple((forest_type(c, i, "zh"), forest_type(c, i, "en")) for c, i in (
    ("3.B.1.a", "arbor_forest"), ("3.B.1.a", "bamboo"), ("3.B.1.a", "economic_forest"), ("3.B.1.a", "shrub_forest"),
    ("3.B.2.b", "arbor_forest")))
_LULUCF_KEY = "lulucf"
_SHEETS = {"energy": "能源", "ippu": "工业生产过程", "agriculture": "农业", "lulucf": "土地利用变化和林业",
           "waste": "废弃物"}


def _heading_of(category: str, headings: dict[str, str]) -> str:
    """The ``cn_heading`` of a category, or of its nearest parent in the tree ('' when none is known)."""
    code = category
    while code:
        if code in headings:
            return headings[code]
        code = code.rpartition(".")[0]
    return ""


def _assign(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with a column ``path``: the summary rows each row lands in, from its sector down, as
    ``(key, name_zh, name_en)`` tuples. A category outside the tree is a :class:`ValueError`."""
    vocabulary = load_vocabulary()
    categories = vocabulary.categories
    headings = dict(zip(categories.index, categories["cn_heading"]))
    levels = dict(zip(categories.index, categories["level"].astype(int)))
    sectors = dict(SECTORS)
    pairs = frame[["category", "item"]].drop_duplicates()
    paths = {}
    unplaced = []
    for category, item in pairs.itertuples(index=False, name=None):
        heading = _heading_of(category, headings)
        if heading not in sectors:
            unplaced.append(category)
            continue
        sector = sectors[heading]
        path = [(sector.key, sector.name_zh, sector.name_en)]
        if sector.key == "ippu":
            code = category
            while levels.get(code, 0) > 3:
                code = vocabulary.category_parent(code)
            path.append((code, vocabulary.category_name(code, "zh"), vocabulary.category_name(code, "en")))
        elif sector.key == _LULUCF_KEY:
            path.append(("forest:" + forest_type(category, item, "zh"), forest_type(category, item, "zh"),
                         forest_type(category, item, "en")))
        node = sector
        while node.children:
            child = next((c for c in node.children if c.covers(category)), None)
            if child is None:
                path.append((f"{node.key}:other", "其他", "Other"))
                break
            path.append((child.key, child.name_zh, child.name_en))
            node = child
        paths[(category, item)] = path
    if unplaced:
        raise ValueError(f"类别不在类别树中，无法归入汇总表 / categories outside the category tree, no row of the "
                         f"summary table: {', '.join(sorted(set(unplaced)))}")
    keys = [paths[(c, i)] for c, i in zip(frame["category"], frame["item"])]
    return frame.assign(path=keys)


def _prepare(emissions: pd.DataFrame, region: str, year: int) -> pd.DataFrame:
    """The rows of one region-year with their gas column and, for all but the memo items, their path
    of summary rows (:func:`_assign`)."""
    frame = _select(emissions, region, year)
    inventory = _assign(frame[~frame["memo"]])
    return frame.assign(path=inventory["path"].reindex(frame.index))


def _select(emissions: pd.DataFrame, region: str, year: int) -> pd.DataFrame:
    """The rows of one region-year, with their gas column; every problem with the table at once."""
    missing = [c for c in ("region", "year", "category", "item", "gas", "emissions_t", "co2e_t")
               if c not in emissions.columns]
    if missing:
        raise ValueError(f"排放表缺少列 / the emissions table lacks column(s): {', '.join(missing)}")
    mask = (emissions["region"].astype(str) == str(region)) & (emissions["year"].astype(int) == int(year))
    frame = emissions.loc[mask, ["region", "year", "category", "item", "gas", "emissions_t", "co2e_t"]].copy()
    if frame.empty:
        raise ValueError(f"排放表中没有 {region} {year} 年的结果 / no results for {region} in {year} in the "
                         f"emissions table")
    frame["category"] = frame["category"].astype(str)
    frame["item"] = frame["item"].fillna("").astype(str)
    frame["gas"] = frame["gas"].astype(str)
    problems = []
    groups = {}
    for gas in pd.unique(frame["gas"]):
        try:
            groups[gas] = gas_group(gas)
        except ValueError as error:
            problems.append(str(error))
    if problems:
        raise ValueError("\n".join(problems))
    frame["gas_group"] = frame["gas"].map(groups)
    frame["memo"] = frame["category"].str.startswith("M.")
    return frame


def _gas_matrix(frame: pd.DataFrame, amounts: np.ndarray | None = None) -> np.ndarray:
    """Each row of ``frame`` in its gas column (one column a gas of :data:`GAS_GROUPS`, zeros elsewhere):
    ``amounts``, by default its CO2e [t]; then the row's CO2e [t] as the last column (the total). A line
    of a table is the sum of the rows it covers."""
    co2e = frame["co2e_t"].to_numpy(dtype=float)
    columns = frame["gas_group"].map({g: i for i, g in enumerate(GAS_GROUPS)}).to_numpy(dtype=int)
    matrix = np.zeros((len(frame), len(GAS_GROUPS) + 1))
    matrix[np.arange(len(frame)), columns] = co2e if amounts is None else amounts
    matrix[:, -1] = co2e
    return matrix


def summary_table(emissions: pd.DataFrame, region: str, year: int) -> pd.DataFrame:
    """The summary table (汇总表) of a region-year [10^4 t CO2e].

    Parameters
    ----------
    emissions : DataFrame
        Columns ``region, year, category, item, gas, emissions_t, co2e_t`` (``emissions.csv`` or the
        collected results); other regions and years are ignored.
    region : str
    year : int

    Returns
    -------
    DataFrame
        One row a line of the table, in order: ``key``, ``level`` (0 totals, 1 sectors and the memo
        heading, 2 and 3 their parts), ``name_zh``, ``name_en``, ``categories`` (the category codes
        or prefixes the row covers), ``memo`` (True for 信息项 rows: never in a total), then
        ``CO2, CH4, N2O, HFCs, PFCs, SF6, NF3`` and ``total`` [10^4 t CO2e]: the sum of the rows'
        ``co2e_t`` [t] divided by 10^4.
    """
    return _summary(_prepare(emissions, region, year))


def _summary(frame: pd.DataFrame) -> pd.DataFrame:
    matrix = _gas_matrix(frame)
    categories = frame["category"].to_numpy(dtype=object)
    memo = frame["memo"].to_numpy(dtype=bool)
    paths = frame["path"].to_numpy(dtype=object)
    at = [np.array([p[d][0] if not m and len(p) > d else "" for p, m in zip(paths, memo)], dtype=object)
          for d in range(4)]
    lines: list[dict] = []

    def line(key, level, zh, en, codes, mask, is_memo=False):
        values = matrix[mask].sum(axis=0) if mask is not None else np.full(matrix.shape[1], np.nan)
        lines.append({"key": key, "level": level, "name_zh": zh, "name_en": en, "categories": codes, "memo": is_memo,
                      **dict(zip((*GAS_GROUPS, "total"), values / _TONNES_PER_10KT))})

    def codes_of(mask: np.ndarray) -> str:
        return "; ".join(sorted(set(categories[mask]), key=_code_order))

    lulucf = np.array([c == "3.B" or c.startswith("3.B.") for c in categories], dtype=bool)
    line("total_without_lulucf", 0, "总量（不含土地利用变化和林业）", "Total excluding LULUCF", "", ~memo & ~lulucf)
    line("total_with_lulucf", 0, "总量（含土地利用变化和林业）", "Total including LULUCF", "", ~memo)

    def emit(node: Row, depth: int, mask: np.ndarray) -> None:
        line(node.key, depth + 1, node.name_zh, node.name_en, "; ".join(node.prefixes), mask)
        below = at[depth + 1]
        if node.children:
            for child in node.children:
                emit(child, depth + 1, mask & (below == child.key))
            other = mask & (below == f"{node.key}:other")
            if other.any():
                line(f"{node.key}:other", depth + 2, "其他", "Other", codes_of(other), other)
        elif node.key in ("ippu", _LULUCF_KEY):
            found = set(below[mask])
            names = {}
            if node.key == _LULUCF_KEY:
                names = {"forest:" + zh: (zh, en) for zh, en in _FOREST_ALWAYS}
                order = list(names) + ["forest:" + zh for zh, _ in FOREST_TYPES.values()]
                keys = list(names) + sorted(found - set(names),
                                            key=lambda k: (order.index(k) if k in order else len(order), k))
            else:
                keys = sorted(found, key=_code_order)
            for key in keys:
                mine = mask & (below == key)
                zh, en = paths[mine.argmax()][depth + 1][1:] if mine.any() else names[key]
                line(key, depth + 2, zh, en, codes_of(mine), mine)

    for _, sector in SECTORS:
        mask = at[0] == sector.key
        if sector.key != "other" or mask.any():
            emit(sector, 0, mask)

    vocabulary = load_vocabulary()
    present = set(categories[memo])
    codes = [c for c in _MEMO_ORDER if c in _MEMO_ALWAYS or c in present]
    codes += sorted(present - set(codes))
    line("memo", 1, "信息项（不计入总量）", "Memo items (not in the totals)", "", None, is_memo=True)
    for code in codes:
        line(code, 2, vocabulary.category_name(code, "zh"), vocabulary.category_name(code, "en"), code,
             memo & (categories == code), is_memo=True)
    table = pd.DataFrame(lines)
    numbers = [*GAS_GROUPS, "total"]
    table[numbers] = _clean(table[numbers].to_numpy())
    return table


def _clean(values: np.ndarray) -> np.ndarray:
    """−0.0 and the rounding noise of adding removals to emissions (|x| < 10^-9) as exactly 0."""
    values = values.astype(float) + 0.0
    values[np.abs(values) < 1e-9] = 0.0
    return values


def _code_order(code: str) -> tuple:
    """Category codes in the tree's order: ``2.B.10`` after ``2.B.9``."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in code.split("."))


# --- the detail sheets ----------------------------------------------------------------------------

def sector_table(emissions: pd.DataFrame, region: str, year: int, sector: str) -> pd.DataFrame:
    """One sector of a region-year at category × gas detail (LULUCF: category × forest type × gas):
    ``category``, ``name_zh``, ``name_en``, (``forest_type``), ``gas``, ``emissions_t`` [t of the gas],
    ``co2e_t`` [t CO2e], ``memo``; the energy sector's memo items follow its categories. ``sector``
    is a key of :data:`SECTORS` (``energy``, ``ippu``, ``agriculture``, ``lulucf``, ``waste``)."""
    return _sector(_prepare(emissions, region, year), sector)


def _sector(frame: pd.DataFrame, sector: str) -> pd.DataFrame:
    inventory = frame[~frame["memo"]]
    rows = inventory[inventory["path"].map(lambda p: p[0][0]) == sector]
    memo = frame[frame["memo"]] if sector == "energy" else frame.iloc[0:0]
    keys = ["category", "gas"]
    if sector == _LULUCF_KEY:
        rows = rows.assign(forest_type=[forest_type(c, i, "zh") for c, i in zip(rows["category"], rows["item"])])
        keys = ["category", "forest_type", "gas"]
    vocabulary = load_vocabulary()
    parts = []
    for part, is_memo in ((rows, False), (memo.assign(forest_type=""), True)):
        grouped = part.groupby(keys, sort=False)[["emissions_t", "co2e_t"]].sum().reset_index()
        grouped = grouped.assign(memo=is_memo)
        grouped["_order"] = grouped["category"].map(_code_order)
        grouped["_gas"] = grouped["gas"].map(lambda g: (GAS_GROUPS.index(gas_group(g)), g))
        parts.append(grouped.sort_values(["_order", *keys[1:-1], "_gas"]).drop(columns=["_order", "_gas"]))
    table = pd.concat(parts, ignore_index=True) if len(parts[1]) else parts[0].reset_index(drop=True)
    table.insert(1, "name_zh", table["category"].map(lambda c: vocabulary.category_name(c, "zh")))
    table.insert(2, "name_en", table["category"].map(lambda c: vocabulary.category_name(c, "en")))
    table[["emissions_t", "co2e_t"]] = _clean(table[["emissions_t", "co2e_t"]].to_numpy())
    return table


def ipcc_table(emissions: pd.DataFrame, region: str, year: int) -> pd.DataFrame:
    """The IPCC sectoral table of a region-year: every category with results and each of its parents
    (``code``, ``level``, ``name_zh``, ``name_en``), in the tree's order, then the memo items; columns
    ``CO2, CH4, N2O, SF6, NF3`` [t of the gas], ``HFCs, PFCs`` [t CO2e, mixtures of gases] and
    ``total`` [t CO2e]. The first row, ``total``, is every category but the memo items."""
    return _ipcc(_select(emissions, region, year))


def _ipcc(frame: pd.DataFrame) -> pd.DataFrame:
    vocabulary = load_vocabulary()
    mass = frame["gas_group"].isin(["CO2", "CH4", "N2O", "SF6", "NF3"]).to_numpy()
    matrix = _gas_matrix(frame, np.where(mass, frame["emissions_t"].to_numpy(dtype=float),
                                         frame["co2e_t"].to_numpy(dtype=float)))
    categories = frame["category"].to_numpy(dtype=object)
    memo = frame["memo"].to_numpy(dtype=bool)
    chains = {c: vocabulary.category_ancestors(c) for c in set(categories[~memo])}
    codes = sorted({a for chain in chains.values() for a in chain}, key=_code_order)
    lines = []

    def line(code, level, zh, en, mask):
        lines.append({"code": code, "level": level, "name_zh": zh, "name_en": en,
                      **dict(zip((*GAS_GROUPS, "total"), matrix[mask].sum(axis=0)))})

    line("total", 0, "合计（不含信息项）", "Total (memo items excluded)", ~memo)
    for code in codes:
        mask = np.array([not m and code in chains[c] for c, m in zip(categories, memo)], dtype=bool)
        level = int(vocabulary.categories.at[code, "level"]) if code in vocabulary.categories.index else 1
        line(code, level, vocabulary.category_name(code, "zh"), vocabulary.category_name(code, "en"), mask)
    for code in sorted(set(categories[memo]), key=lambda c: (_MEMO_ORDER + (c,)).index(c)):
        name_en = vocabulary.category_name(code, "en")
        line(code, 1, "信息项：" + vocabulary.category_name(code, "zh"),
             name_en if name_en.startswith("Memo") else "Memo: " + name_en, memo & (categories == code))
    table = pd.DataFrame(lines)
    numbers = [*GAS_GROUPS, "total"]
    table[numbers] = _clean(table[numbers].to_numpy())
    return table


# --- the workbook ---------------------------------------------------------------------------------

def _check_gwp(frame: pd.DataFrame, gwp: str) -> None:
    """``co2e_t`` must be ``emissions_t`` × the GWP of the set the title names (else the title lies)."""
    wrong = []
    for gas, rows in frame.groupby("gas"):
        try:
            expected = rows["emissions_t"].astype(float) * gwp_value(gas, gwp)
        except KeyError:  # the set has no value for the gas (SAR lists no NF3)
            wrong.append(gas)
            continue
        if not np.allclose(rows["co2e_t"].astype(float), expected, rtol=1e-6, atol=1e-3):
            wrong.append(gas)
    if wrong:
        raise ValueError(f"CO2 当量与 GWP 集 {gwp} 不符（气体 {', '.join(wrong)}）/ co2e_t is not emissions_t × the "
                         f"{gwp} GWP for gas(es) {', '.join(wrong)}: name the GWP set the results were computed with")


def write_reporting_tables(emissions: pd.DataFrame, region: str, year: int, path: Path, *, gwp: str,
                           region_name: str, illustrative: bool, review_status: str = REVIEW_STATUS) -> None:
    """Write the reporting tables of one region-year to ``path`` (``.xlsx``, atomically; an earlier file
    stays whole until the new one replaces it).

    Parameters
    ----------
    emissions : DataFrame
        ``region, year, category, item, gas, emissions_t, co2e_t`` (``emissions.csv``); only the rows
        of ``region`` and ``year`` are used.
    region : str
        GB/T 2260 code.
    year : int
    path : Path
    gwp : str
        The GWP100 set ``co2e_t`` was computed with (``AR5`` …), named in every title; checked against
        the table (a :class:`ValueError` when ``co2e_t`` is not ``emissions_t`` × that set's GWP).
    region_name : str
        Shown in the titles, always as text (never a formula).
    illustrative : bool
        Mark every title 示例数据，非官方统计 (the demo data).
    review_status : str
        The document's review status, in every title and page header.

    Raises
    ------
    ValueError
        No results for the region-year, a column missing, a gas without a column, a category outside
        the tree, or ``co2e_t`` not computed with ``gwp`` (nothing written).
    """
    gwp = normalise_gwp_set(gwp)
    frame = _prepare(emissions, region, year)
    _check_gwp(frame, gwp)
    summary = _summary(frame)
    banner = " · 示例数据，非官方统计 / illustrative data, not official statistics" if illustrative else ""
    place = f"{region_name}（{region}）{int(year)} 年"

    def titles(what: str, unit: str) -> list[str]:
        return [f"{place} · {what}", f"{unit} · GWP: {gwp}（100 年）", f"{INTERNAL} · {review_status}{banner}"]

    workbook = new_workbook()
    shown = pd.DataFrame({
        "项目": summary["name_zh"], "Item": summary["name_en"], "IPCC 类别 / categories": summary["categories"],
        **{_GAS_HEADINGS[g]: summary[g] for g in GAS_GROUPS}, "合计 / total": summary["total"],
    })
    add_sheet(workbook, SUMMARY_SHEET, titles("温室气体清单汇总表 / summary table",
                                              "单位：万吨二氧化碳当量 / unit: 10⁴ t CO2e"), shown,
              formats={c: NUMBER for c in shown.columns[3:]}, indent=(summary["level"] - 1).clip(lower=0).tolist(),
              bold=(summary["level"] <= 1).tolist(), review_status=review_status, landscape=True)
    for key, name in _SHEETS.items():
        detail = _sector(frame, key)
        columns = {"category": "类别代码 / code", "name_zh": "类别名称", "name_en": "Category",
                   "forest_type": "森林类型 / forest type", "gas": "气体 / gas",
                   "emissions_t": "排放量（吨气体）/ emissions (t of gas)",
                   "co2e_t": "二氧化碳当量（吨）/ CO2e (t)"}
        shown = detail.drop(columns="memo").rename(columns=columns)
        shown["二氧化碳当量（万吨）/ CO2e (10⁴ t)"] = detail["co2e_t"] / _TONNES_PER_10KT
        inventory = ~detail["memo"]
        total = dict.fromkeys(shown.columns)
        total.update({shown.columns[0]: "合计 / total", shown.columns[-2]: float(detail.loc[inventory, "co2e_t"].sum()),
                      shown.columns[-1]: float(detail.loc[inventory, "co2e_t"].sum()) / _TONNES_PER_10KT})
        shown.loc[detail["memo"], shown.columns[0]] = "信息项 " + detail.loc[detail["memo"], "category"]
        ordered = pd.concat([shown[inventory.to_numpy()], pd.DataFrame([total]), shown[detail["memo"].to_numpy()]],
                            ignore_index=True)
        bold = [False] * int(inventory.sum()) + [True] + [False] * int(detail["memo"].sum())
        add_sheet(workbook, name, titles(f"{name} / detail by category and gas", _DETAIL_UNITS),
                  ordered, formats={ordered.columns[-3]: _GAS_TONNES, ordered.columns[-2]: NUMBER,
                                    ordered.columns[-1]: NUMBER},
                  bold=bold, review_status=review_status)
    table = _ipcc(frame)
    shown = pd.DataFrame({"代码 / code": table["code"].replace({"total": "合计"}), "名称": table["name_zh"],
                          "Name": table["name_en"], **{_IPCC_HEADINGS[g]: table[g] for g in GAS_GROUPS},
                          "合计 / total (t CO2e)": table["total"]})
    add_sheet(workbook, "IPCC", titles("IPCC 部门报告表 / IPCC sectoral table",
                                       "单位：吨（HFCs、PFCs 与合计为吨二氧化碳当量）/ unit: t (HFCs, PFCs and the "
                                       "total: t CO2e)"),
              shown, formats={c: NUMBER for c in shown.columns[3:]}, indent=table["level"].clip(0, 6).tolist(),
              bold=(table["level"] <= 1).tolist(), review_status=review_status, landscape=True)
    save_workbook(workbook, path)


_DETAIL_UNITS = "排放量：吨气体；二氧化碳当量：吨、万吨 / emissions: t of gas; CO2e: t, 10⁴ t"
_GAS_HEADINGS = {"CO2": "二氧化碳 CO2", "CH4": "甲烷 CH4", "N2O": "氧化亚氮 N2O", "HFCs": "氢氟碳化物 HFCs",
                 "PFCs": "全氟化碳 PFCs", "SF6": "六氟化硫 SF6", "NF3": "三氟化氮 NF3"}
_IPCC_HEADINGS = {"CO2": "CO2 (t)", "CH4": "CH4 (t)", "N2O": "N2O (t)", "HFCs": "HFCs (t CO2e)",
                  "PFCs": "PFCs (t CO2e)", "SF6": "SF6 (t)", "NF3": "NF3 (t)"}
