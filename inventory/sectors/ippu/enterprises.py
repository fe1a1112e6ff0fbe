"""Key-enterprise data (重点企业数据): read, validate, and cross-check against the statistics.

A data folder's ``enterprises/*.csv`` files hold optional records per key enterprise (format in
docs/DATA_FORMAT.md, section "Key enterprises"): one row per enterprise, year, product and
quantity —

* ``production`` of a product (t; 万吨 accepted), as in the activity records;
* ``consumption`` of ``electricity`` (MWh; 万千瓦时 accepted): the indirect emissions of the
  product's intensity;
* ``reported_emissions`` of a ``gas`` (t; 万吨 accepted): what the enterprise reported (to the
  emissions-trading system, or to the 生态环境局).

Process parameters measured at a plant (a clinker factor from its CaO/MgO analysis, its kiln-dust
correction, its nitric-acid abatement) are local factor rows (``factors/*.csv``, CONTRACTS §4) with the
county's region code, which take precedence over the defaults; where a county has several plants of
one product, the production-weighted value.

The report sums the enterprises of each county (a city's report: of each of its counties) and
compares them with that county's statistical totals product by product (:func:`cross_check`): each
gap above a tolerance is listed (what, where, by how much) and flagged. Key enterprises are the
large plants, not every plant: a county whose statistic also counts small plants shows a shortfall,
which the tolerance is for — a county's enterprises above its statistic cannot be right.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from inventory.core.csvio import read_rows
from inventory.core.errors import InputError, Issue, bilingual
from inventory.core.factors import GASES
from inventory.core.gwp import gwp
from inventory.core.regions import RegionRegistry, load_regions
from inventory.core.units import UnitError, conversion_factor
from inventory.core.vocabulary import load_vocabulary
from inventory.sectors.qa import FLAG_COLUMNS

__all__ = ["EnterpriseData", "read_enterprises", "cross_check", "enterprise_flags", "COLUMNS", "QUANTITIES",
           "DEFAULT_TOLERANCE", "FOLDER", "CROSS_CHECK_COLUMNS"]

FOLDER = "enterprises"
REQUIRED = ["enterprise", "name", "region", "year", "category", "item", "quantity", "value", "unit"]
OPTIONAL = ["gas", "source", "note"]
COLUMNS = REQUIRED + OPTIONAL
#: quantity → the unit values are stored in
QUANTITIES = {"production": "t", "consumption": "MWh", "reported_emissions": "t"}
CROSS_CHECK_COLUMNS = ["region", "category", "item", "enterprises", "where", "enterprise_t", "statistics_t", "gap_t",
                       "relative", "reported_co2e_t", "inventory_co2e_t", "flagged"]
#: a gap between the enterprises' sum and the statistics above this share is listed and flagged
DEFAULT_TOLERANCE = 0.05


@dataclass(frozen=True)
class EnterpriseData:
    """Validated key-enterprise records (``value`` in the unit of :data:`QUANTITIES`; ``file``, ``line``)."""

    rows: pd.DataFrame
    registry: RegionRegistry

    def for_region(self, region: str, year: int) -> pd.DataFrame:
        """The records of ``year`` of the enterprises in ``region`` or below it (a city's are its counties')."""
        rows = self.rows[self.rows["year"] == int(year)]
        inside = [region in self.registry.ancestors(r) for r in rows["region"]]
        return rows[np.asarray(inside, dtype=bool)] if len(rows) else rows

    def regions(self, region: str, year: int) -> list[str]:
        """The regions (``region`` or below it) whose enterprises filed records for ``year``."""
        return sorted(set(self.for_region(region, year)["region"]))


def read_enterprises(data_dir: str | Path) -> EnterpriseData:
    """Every ``enterprises/*.csv`` of ``data_dir`` (none: an empty table).

    Raises
    ------
    InputError
        Every problem of every file at once (file, line, column; Chinese first).
    """
    data_dir = Path(data_dir)
    registry = load_regions(data_dir)
    vocabulary = load_vocabulary()
    issues: list[Issue] = []
    frames = []
    for path in sorted((data_dir / FOLDER).glob("*.csv")) if (data_dir / FOLDER).is_dir() else []:
        display = f"{FOLDER}/{path.name}"
        frame = read_rows(path, display, REQUIRED, OPTIONAL, issues)
        if frame is None:
            continue
        good = []
        for row in frame.to_dict("records"):
            problems = _problems(row, registry, vocabulary)
            if problems:
                issues += [Issue(display, row["line"], column, message) for column, message in problems]
            else:
                good.append(row)
        frames.append(pd.DataFrame(good, columns=list(frame.columns)))
    if issues:
        raise InputError(issues)
    rows = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS + ["file", "line"])
    if len(rows):
        rows["year"] = rows["year"].astype(int)
        rows["value"] = [float(v) * conversion_factor(u, QUANTITIES[q])
                         for v, u, q in zip(rows["value"], rows["unit"], rows["quantity"])]
        rows["unit"] = rows["quantity"].map(QUANTITIES)
    return EnterpriseData(rows.reset_index(drop=True), registry)


def _problems(row: dict, registry: RegionRegistry, vocabulary) -> list[tuple[str, str]]:
    problems = []
    if not row["enterprise"]:
        problems.append(("enterprise", bilingual("缺少企业代码（统一社会信用代码或本地编号）",
                                                 "enterprise code missing (credit code or a local id)")))
    if row["region"] not in registry:
        problems.append(("region", bilingual(f"未知地区代码 {row['region']!r}", f"unknown region {row['region']!r}")))
    if not (row["year"].isdigit() and len(row["year"]) == 4):
        problems.append(("year", bilingual(f"年份 {row['year']!r} 不是四位数字",
                                           f"year {row['year']!r} is not four digits")))
    if not row["category"].startswith("2.") or row["category"] not in vocabulary.categories.index:
        problems.append(("category", bilingual(f"不是工业生产过程类别：{row['category']!r}（如 2.A.1）",
                                               f"not an IPPU category: {row['category']!r} (e.g. 2.A.1)")))
    quantity = row["quantity"]
    if quantity not in QUANTITIES:
        problems.append(("quantity", bilingual(f"未知指标 {quantity!r}，应为 {'、'.join(QUANTITIES)}",
                                               f"unknown quantity {quantity!r}; one of {', '.join(QUANTITIES)}")))
    item = row["item"]
    if quantity == "consumption" and item != "electricity":
        problems.append(("item", bilingual("consumption 只用于 electricity（用电量）",
                                           "consumption is for electricity only")))
    elif item not in vocabulary.items.index:
        problems.append(("item", bilingual(f"未知品种 {item!r}", f"unknown item {item!r}")))
    if quantity == "reported_emissions" and row["gas"] not in GASES:
        problems.append(("gas", bilingual("企业报告排放量须注明气体（CO2、N2O …）",
                                          "reported_emissions needs its gas (CO2, N2O …)")))
    try:
        value = float(row["value"])
        if not np.isfinite(value) or value < 0:
            problems.append(("value", bilingual(f"数值 {row['value']!r} 须为非负数", f"value {row['value']!r} must be "
                                                                                   f"a non-negative number")))
    except ValueError:
        problems.append(("value", bilingual(f"数值 {row['value']!r} 不是数字",
                                            f"value {row['value']!r} is not a number")))
    if quantity in QUANTITIES:
        try:
            conversion_factor(row["unit"], QUANTITIES[quantity])
        except UnitError:
            problems.append(("unit", bilingual(f"单位 {row['unit']!r} 不能换算为 {QUANTITIES[quantity]}",
                                               f"unit {row['unit']!r} does not convert to {QUANTITIES[quantity]}")))
    return problems


def _base(item: str) -> str:
    return item.partition(".")[0]


def cross_check(enterprises: pd.DataFrame, records: pd.DataFrame, emissions: pd.DataFrame,
                tolerance: float = DEFAULT_TOLERANCE, gwp_set: str = "AR5") -> pd.DataFrame:
    """The enterprises of one region summed product by product against that region's statistics.

    Parameters
    ----------
    enterprises : DataFrame
        Key-enterprise records of the region and year (those filed under the region's own code).
    records : DataFrame
        The region-year's IPPU activity records (the statistics).
    emissions : DataFrame
        The region-year's IPPU emissions (with ``co2e_t``).
    tolerance : float
        A gap larger than this share of the statistic (or enterprise production with no statistic) is
        ``flagged``.
    gwp_set : str
        GWP100 set of the enterprises' reported emissions in CO2e.

    Returns
    -------
    DataFrame
        One row per (region, category, product): ``enterprises`` (their codes), ``where`` (file:line),
        ``enterprise_t``, ``statistics_t``, ``gap_t`` (enterprises − statistics), ``relative`` (gap /
        statistics), ``reported_co2e_t`` (the enterprises' own reports; NaN where none),
        ``inventory_co2e_t`` (the category's emissions in this inventory) and ``flagged``.
    """
    produced = enterprises[enterprises["quantity"] == "production"] if len(enterprises) else enterprises
    if produced.empty:
        return pd.DataFrame(columns=CROSS_CHECK_COLUMNS)
    produced = produced.assign(base=produced["item"].map(_base),
                               at=produced["file"] + ":" + produced["line"].astype(str))
    reported = enterprises[enterprises["quantity"] == "reported_emissions"]
    reported = reported.assign(base=reported["item"].map(_base),
                               co2e=[v * gwp(g, gwp_set) for v, g in zip(reported["value"], reported["gas"])])
    statistics = records[(records["quantity"] == "production") & records["value"].notna()]
    statistics = statistics.assign(base=statistics["item"].map(_base))
    emitted = emissions.assign(base=emissions["item"].map(_base))
    rows = []
    for (region, category, base), group in produced.groupby(["region", "category", "base"], sort=True):
        stat = statistics[(statistics["category"] == category) & (statistics["base"] == base)]
        statistic = float(stat["value"].sum()) if len(stat) else np.nan
        total = float(group["value"].sum())
        gap = total - statistic if len(stat) else np.nan
        relative = gap / statistic if len(stat) and statistic else np.nan
        # clinker emissions belong to the cement category whether clinker or cement was filed
        inventory = emitted[(emitted["category"] == category)
                            & ((emitted["base"] == base) | (category == "2.A.1"))]["co2e_t"].sum()
        own = reported[(reported["category"] == category) & (reported["base"] == base)]["co2e"]
        rows.append({"region": region, "category": category, "item": base,
                     "enterprises": ", ".join(sorted(group["enterprise"].unique())), "where": "; ".join(group["at"]),
                     "enterprise_t": total, "statistics_t": statistic, "gap_t": gap, "relative": relative,
                     "reported_co2e_t": float(own.sum()) if len(own) else np.nan,
                     "inventory_co2e_t": float(inventory),
                     "flagged": bool(np.isnan(relative) or abs(relative) > tolerance)})
    return pd.DataFrame(rows, columns=CROSS_CHECK_COLUMNS)


def enterprise_flags(check: pd.DataFrame, year: int) -> pd.DataFrame:
    """A warning for each region and product whose enterprises and statistics differ beyond the tolerance."""
    rows = []
    for row in check[check["flagged"]].to_dict("records") if len(check) else []:
        if np.isnan(row["statistics_t"]):
            text = (f"重点企业产量 {row['enterprise_t']:,.0f} t，统计无该产品 / key enterprises report "
                    f"{row['enterprise_t']:,.0f} t, the statistics have none")
        else:
            text = (f"重点企业合计 {row['enterprise_t']:,.0f} t，统计 {row['statistics_t']:,.0f} t，差 "
                    f"{row['gap_t']:+,.0f} t（{row['relative']:+.1%}）/ enterprises {row['enterprise_t']:,.0f} t vs "
                    f"statistics {row['statistics_t']:,.0f} t: {row['gap_t']:+,.0f} t ({row['relative']:+.1%})")
        rows.append({"region": row["region"], "year": int(year), "category": row["category"], "item": row["item"],
                     "gas": "", "check": "enterprise_gap", "severity": "warning",
                     "message": f"{text}; {row['enterprises']} ({row['where']})"})
    return pd.DataFrame(rows, columns=FLAG_COLUMNS)
