"""The energy balance (能源平衡表) and what is read from it: standard coal, the reference approach,
the statistics-bureau accounting frame, the dual-control indicators, the industry view and the
quarterly figures.

The balance is built from the ``EB`` records of a region-year (CONTRACTS §3, with the rows of
``inventory/data/categories.csv``): supply flows, losses and non-energy use under ``EB``; the
inputs and outputs of each transformation process under ``EB.T.*``; final consumption by sector
under ``EB.F.*``. A county may file a simplified balance — totals of transformation and final
consumption under ``EB`` itself — and gets the same table with fewer rows.

Layout and signs follow the Chinese energy balance table: available for consumption = primary
production + inflow − outflow + import − export + stock change (decrease positive); transformation
as output − input; the statistical difference (平衡差额) = available + transformation − losses −
final consumption.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from inventory.core.factors import FactorDatabase
from inventory.core.units import conversion_factor
from inventory.core.vocabulary import load_vocabulary
from inventory.sectors.energy.combustion import CO2_PER_C

__all__ = ["EnergyBalance", "build_balance", "tce_coefficients", "standard_coal", "available_for_consumption",
           "statistical_difference",
           "reference_approach_co2", "reference_approach", "statistics_frame", "Indicators", "indicators",
           "dual_control_table", "industry_view", "INDUSTRY_GROUPS", "TCE_PER_GJ"]

#: GB/T 2589-2020: 1 kgce = 29 307.6 kJ, so 1 tce = 29.3076 GJ
TCE_PER_GJ = 1.0 / 29.3076
SUPPLY = ("production", "inflow", "outflow", "import", "export", "stock_change")
_SUPPLY_SIGN = {"production": 1.0, "inflow": 1.0, "outflow": -1.0, "import": 1.0, "export": -1.0, "stock_change": 1.0}
_LABELS = {
    "production": ("一次能源生产量", "Primary production"), "inflow": ("调入量", "Inflow from other regions"),
    "outflow": ("调出量（－）", "Outflow (−)"), "import": ("进口量", "Imports"),
    "export": ("出口量（－）", "Exports (−)"),
    "stock_change": ("库存增（－）减（＋）量", "Stock change (decrease +)"),
    "available": ("可供本地区消费的能源量", "Available for consumption"),
    "transformation": ("加工转换投入（－）产出（＋）量", "Transformation: input (−), output (+)"),
    "loss": ("损失量", "Losses"), "final": ("终端消费量", "Final consumption"),
    "non_energy_use": ("其中：用作原料、材料", "of which non-energy use (feedstock)"),
    "difference": ("平衡差额", "Statistical difference"),
}
#: fuel groups of the reference-approach comparison (IPCC 2006 Vol.2 Ch.6 Table 6.1 layout)
FUEL_GROUP = {"fuel_solid": "coal", "fuel_liquid": "oil", "fuel_gas": "gas", "fuel_gas_mass": "gas",
              "coke_oven_gas": "coal", "other_gas": "coal"}
GROUP_LABELS = {"coal": ("煤炭", "coal"), "oil": ("石油", "oil"), "gas": ("天然气", "natural gas"),
                "total": ("合计", "total")}


def _label(code: str, lang: str) -> str:
    if code in _LABELS:
        return _LABELS[code][0 if lang == "zh" else 1]
    vocabulary = load_vocabulary()
    if code.startswith("industry:"):  # an industry below 工业, from the sector records
        category = code.split(":", 1)[1]
        name = vocabulary.category_name(category, lang)
        return f"　　{'其中' if lang == 'zh' else 'of which'} {name}（{category}）"
    name = vocabulary.category_name(code, lang)
    depth = code.count(".") - 1
    return "　" * depth + name


def fuel_group(item: str) -> str:
    vocabulary = load_vocabulary()
    return FUEL_GROUP.get(item) or FUEL_GROUP.get(vocabulary.items.at[item, "group"], "other")


# ----------------------------------------------------------------------------------------------
# equations


def available_for_consumption(production, inflow, outflow, imports, exports, stock_change):
    """Energy available for consumption in a region (可供本地区消费的能源量).

    Parameters
    ----------
    production, inflow, outflow, imports, exports : array-like
        Primary production, brought in from / sent to other regions, imports, exports [t], [m^3],
        [MWh] or [GJ].
    stock_change : array-like
        Stock change with the balance-table sign: a decrease positive, an increase negative [same].

    Returns
    -------
    array-like
        Available for consumption [same unit].

    Notes
    -----
    The supply block of the Chinese energy balance table (《中国能源统计年鉴》 地区能源平衡表); the
    same sum is the apparent consumption of IPCC 2006 Vol.2 Ch.6 Eq. 6.1 for a sub-national region.
    """
    return production + inflow - outflow + imports - exports + stock_change


def statistical_difference(available, transformation, losses, final_consumption):
    """Statistical difference of an energy balance (平衡差额).

    Parameters
    ----------
    available : array-like
        Available for consumption [t], [m^3], [MWh] or [GJ].
    transformation : array-like
        Transformation output − input [same].
    losses, final_consumption : array-like
        [same].

    Returns
    -------
    array-like
        available + transformation − losses − final consumption [same]: zero when the balance closes.
    """
    return available + transformation - losses - final_consumption


def standard_coal(quantity, coefficient):
    """A physical quantity in tonnes of standard coal equivalent.

    Parameters
    ----------
    quantity : array-like
        [t], [m^3], [MWh] or [GJ].
    coefficient : array-like
        Standard-coal coefficient (折标准煤系数) [tce per unit of ``quantity``], e.g. 0.7143 tce/t
        for raw coal, 0.1229 tce/MWh for electricity at calorific value (当量), the year's coal use
        per MWh of thermal power for electricity at coal equivalent (等价).

    Returns
    -------
    array-like
        [tce].

    Notes
    -----
    GB/T 2589-2020 《综合能耗计算通则》 附录A; 1 tce = 29.3076 GJ.
    """
    return quantity * coefficient


def reference_approach_co2(apparent_consumption, net_calorific_value, carbon_content, excluded_carbon, oxidation):
    """CO2 of a fuel by the reference approach.

    Parameters
    ----------
    apparent_consumption : array-like
        Available for consumption [t] or [m^3].
    net_calorific_value : array-like
        [GJ/t] or [GJ/m^3].
    carbon_content : array-like
        [t C/TJ].
    excluded_carbon : array-like
        Carbon in non-energy use (feedstock) [t C].
    oxidation : array-like
        [fraction].

    Returns
    -------
    array-like
        CO2 [t].

    Notes
    -----
    IPCC 2006 Vol.2 Ch.6 Eq. 6.1: CO2 = (apparent consumption × conversion factor × carbon content
    − excluded carbon) × fraction oxidised × 44/12.
    """
    carbon = apparent_consumption * net_calorific_value / 1000.0 * carbon_content
    return (carbon - excluded_carbon) * oxidation * CO2_PER_C


# ----------------------------------------------------------------------------------------------
# the balance


@dataclass
class EnergyBalance:
    """The energy balance of one region-year: rows × items in the items' canonical units."""

    region: str
    year: int
    physical: pd.DataFrame  # index: row codes (see rows()), columns: items; signed as in the table
    units: dict[str, str]  # item → canonical unit (t, m^3, MWh, GJ)
    records: pd.DataFrame  # the EB records used
    coefficients: dict[str, float] = field(default_factory=dict)  # item → tce per unit (当量)
    equivalent: float = float("nan")  # electricity at coal equivalent (等价值) [tce/MWh]
    factor_ids: dict[str, str] = field(default_factory=dict)  # item → the row behind its coefficient
    flags: list[dict] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return self.physical.empty

    def row(self, code: str) -> pd.Series:
        return self.physical.loc[code] if code in self.physical.index else pd.Series(0.0, index=self.physical.columns)

    def in_tce(self) -> pd.DataFrame:
        """The balance in tce; electricity twice (当量 and 等价), a total column for each."""
        table = pd.DataFrame(index=self.physical.index)
        for item in self.physical.columns:
            table[item] = standard_coal(self.physical[item], self.coefficients.get(item, np.nan))
        if "electricity" in self.physical.columns:
            table["electricity_equivalent"] = standard_coal(self.physical["electricity"], self.equivalent)
        calorific = [c for c in table.columns if c != "electricity_equivalent"]
        table["total_calorific"] = table[calorific].sum(axis=1, min_count=1)
        equivalent = [c for c in table.columns if c not in ("electricity", "total_calorific")]
        table["total_equivalent"] = table[equivalent].sum(axis=1, min_count=1)
        return table

    def closure(self, threshold: float = 0.05) -> pd.DataFrame:
        """Per item: available, the statistical difference, its share, and whether it is large."""
        available = self.row("available")
        difference = self.row("difference")
        base = available.abs().where(available.abs() > 0, self.row("final").abs())
        share = difference / base.replace(0, np.nan)
        return pd.DataFrame({"available": available, "difference": difference, "share": share,
                             "flagged": share.abs() > threshold})


class _Sums:
    """Sums of EB records by (category, quantity) → item, grouped once."""

    def __init__(self, records: pd.DataFrame):
        self.by_row: dict[tuple[str, str], dict[str, float]] = {}
        grouped = records.groupby(["category", "quantity", "item"])["value"].sum()
        for (category, quantity, item), value in grouped.items():
            self.by_row.setdefault((category, quantity), {})[item] = value

    def __call__(self, category: str, quantity: str) -> pd.Series:
        return pd.Series(self.by_row.get((category, quantity), {}), dtype=float)


def build_balance(records: pd.DataFrame, factors: FactorDatabase, region: str, year: int,
                  factor_sets: list[str] | None = None) -> EnergyBalance:
    """The energy balance of ``region`` in ``year`` from its (annual) EB records."""
    vocabulary = load_vocabulary()
    eb = records[records["category"].str.match(r"^EB(\.|$)") & (records["period"] == "")
                 & records["value"].notna()]
    items = [i for i in vocabulary.items.index if i in set(eb["item"])]
    units = {i: vocabulary.canonical_unit(i, "final_consumption") or vocabulary.items.at[i, "canonical_unit"]
             for i in items}
    rows: dict[str, pd.Series] = {}
    _sum = _Sums(eb)
    for quantity in SUPPLY:
        rows[quantity] = _sum("EB", quantity) * _SUPPLY_SIGN[quantity]
    rows["available"] = pd.concat([rows[q] for q in SUPPLY], axis=1).sum(axis=1) if items else pd.Series(dtype=float)
    processes = sorted({c for c in eb["category"] if c.startswith("EB.T.")})
    transformation = {}
    for process in processes:
        output = _sum(process, "transformation_output")
        inputs = _sum(process, "transformation_input")
        transformation[process] = output.sub(inputs, fill_value=0.0)
    # a simplified balance: totals under EB itself
    totals = _sum("EB", "transformation_output").sub(_sum("EB", "transformation_input"), fill_value=0.0)
    rows["transformation"] = pd.concat(list(transformation.values()) + [totals], axis=1).sum(axis=1) \
        if transformation or len(totals) else pd.Series(dtype=float)
    rows.update({f"{p}": t for p, t in transformation.items()})
    rows["loss"] = _sum("EB", "loss")
    filed = {c for c in eb["category"] if c.startswith("EB.F.")}
    # a sector filed only through its sub-rows (urban, rural households) gets its row as their sum
    parents = {c.rsplit(".", 1)[0] for c in filed if c.count(".") == 3}
    sectors = sorted(filed | parents, key=_sector_order)
    by_sector = {s: _sum(s, "final_consumption") for s in sectors}
    for parent in parents - filed:
        by_sector[parent] = pd.concat([by_sector[s] for s in sectors if s.startswith(parent + ".")], axis=1).sum(axis=1)
    top_level = [s for s in sectors if s.count(".") == 2]
    simplified = _sum("EB", "final_consumption")
    final = pd.concat([by_sector[s] for s in top_level] + [simplified], axis=1).sum(axis=1) \
        if top_level or len(simplified) else pd.Series(dtype=float)
    rows["final"] = final
    rows.update(by_sector)
    # of which, the industries: from the sector records (1.A.2 but construction: combustion and feedstock)
    industries = []
    if "EB.F.industry" in by_sector:
        sector_records = records[records["category"].str.startswith("1.A.2") & (records["category"] != "1.A.2.k")
                                 & records["quantity"].isin(["consumption", "non_energy_use"])
                                 & (records["period"] == "") & records["value"].notna()]
        for category, group in sector_records.groupby("category", sort=True):
            industries.append(f"industry:{category}")
            rows[industries[-1]] = group.groupby("item")["value"].sum()
    rows["non_energy_use"] = _sum("EB", "non_energy_use")
    at = sectors.index("EB.F.industry") + 1 if "EB.F.industry" in sectors else len(sectors)
    order = list(SUPPLY) + ["available", "transformation"] + processes + ["loss", "final"] + sectors[:at] + \
        industries + sectors[at:] + ["non_energy_use"]
    physical = pd.DataFrame({code: rows.get(code, pd.Series(dtype=float)) for code in order}).T
    physical = physical.reindex(columns=items).astype(float).fillna(0.0)
    if len(physical.columns):
        physical.loc["difference"] = statistical_difference(physical.loc["available"], physical.loc["transformation"],
                                                            physical.loc["loss"], physical.loc["final"])
    balance = EnergyBalance(region, int(year), physical, units, eb)
    _coefficients(balance, factors, factor_sets)
    return balance


def _sector_order(code: str) -> tuple:
    order = ["agriculture", "industry", "construction", "transport", "commerce", "other", "residential"]
    parts = code.split(".")
    sub = {"urban": 0, "rural": 1}.get(parts[3], 2) if len(parts) > 3 else -1
    return (order.index(parts[2]) if parts[2] in order else 99, sub, code)


def tce_coefficients(factors: FactorDatabase, region: str, year: int, items: list[str], units: dict[str, str],
                     factor_sets: list[str] | None = None) -> tuple[dict[str, float], dict[str, str], list[dict]]:
    """Standard-coal coefficients [tce per canonical unit] of ``items`` (electricity at calorific
    value, 当量): the ``tce_coefficient`` rows, or NCV / 29.3076 GJ where a fuel has none (flagged).
    Returns (coefficients, factor ids, flags)."""
    coefficients, ids, flags = {}, {}, []
    if not items:
        return coefficients, ids, flags
    cells = pd.DataFrame({"region": region, "year": int(year), "category": "EB", "item": items})
    resolved = factors.resolve("tce_coefficient", cells, factor_sets=factor_sets)
    ncv = factors.resolve("ncv", cells.assign(category="1.A"), factor_sets=factor_sets)
    for index, item in enumerate(items):
        factor_id = resolved["factor_id"].iloc[index]
        if factor_id:
            scale = factors.unit_scale(resolved["factor_unit"].iloc[index], f"tce/{units[item]}", "tce_coefficient",
                                       factor_id)
            coefficients[item] = float(resolved["factor_value"].iloc[index]) * scale
            ids[item] = factor_id
        elif ncv["factor_id"].iloc[index]:
            scale = conversion_factor(ncv["factor_unit"].iloc[index], f"GJ/{units[item]}")
            coefficients[item] = float(ncv["factor_value"].iloc[index]) * scale * TCE_PER_GJ
            ids[item] = ncv["factor_id"].iloc[index]
            flags.append({"item": item, "check": "tce_from_ncv", "severity": "info",
                          "message": f"no standard-coal coefficient for {item}: NCV / 29.3076 GJ/tce used"})
        else:
            flags.append({"item": item, "check": "missing_factor", "severity": "warning",
                          "message": f"no standard-coal coefficient (or NCV) for {item}: not in tce"})
    return coefficients, ids, flags


def _coefficients(balance: EnergyBalance, factors: FactorDatabase, factor_sets: list[str] | None) -> None:
    """The balance's standard-coal coefficients, and electricity's coal equivalent (等价值)."""
    items = list(balance.physical.columns)
    balance.coefficients, balance.factor_ids, balance.flags = tce_coefficients(
        factors, balance.region, balance.year, items, balance.units, factor_sets)
    if "electricity" in items:
        row, published = factors.resolve_series("tce_equivalent", balance.region, balance.year, "electricity", "",
                                                "cn_equivalent")
        if row is not None:
            balance.equivalent = float(row["value"]) * factors.unit_scale(row["unit"], "tce/MWh", "tce_equivalent",
                                                                          row["id"])
            balance.factor_ids["electricity_equivalent"] = row["id"]
            if published is not None:
                balance.flags.append({"item": "electricity", "check": "factor_year", "severity": "warning",
                                      "message": f"electricity at coal equivalent (等价值): no {balance.year} value, "
                                                 f"the {published} value {row['value']:g} {row['unit']} is used"})


def balance_table(balance: EnergyBalance, lang: str = "zh", tce: bool = False) -> pd.DataFrame:
    """The balance in the familiar layout: rows × item columns, with labels; physical in statistical
    units (万吨, 亿立方米, 万千瓦时, 万吉焦) or in 万吨标准煤."""
    vocabulary = load_vocabulary()
    if tce:
        table = balance.in_tce() / 1e4
        names = {"electricity_equivalent": "电力（等价）" if lang == "zh" else "electricity (coal equivalent)",
                 "total_calorific": "合计（电力按当量）" if lang == "zh" else "total (electricity at calorific value)",
                 "total_equivalent": "合计（电力按等价）" if lang == "zh" else "total (electricity at coal equivalent)"}
        suffix = "（当量）" if lang == "zh" else " (calorific)"
        columns = {c: names.get(c) or vocabulary.item_name(c, lang) + (suffix if c == "electricity" else "")
                   for c in table.columns}
    else:
        table = pd.DataFrame(index=balance.physical.index)
        columns = {}
        for item in balance.physical.columns:
            unit = _DISPLAY.get(balance.units[item], balance.units[item])
            table[item] = balance.physical[item] * conversion_factor(balance.units[item], unit)
            columns[item] = f"{vocabulary.item_name(item, lang)}（{unit}）" if lang == "zh" else \
                f"{vocabulary.item_name(item, lang)} ({unit})"
    table = table.rename(columns=columns) + 0.0  # no −0
    table.index = [_label(code, lang) for code in table.index]
    table.index.name = "项目" if lang == "zh" else "row"
    return table


#: statistical units of the printed balance, by canonical unit
_DISPLAY = {"t": "万吨", "m^3": "亿立方米", "MWh": "万千瓦时", "GJ": "万吉焦"}


# ----------------------------------------------------------------------------------------------
# reference approach


def reference_approach(balance: EnergyBalance, records: pd.DataFrame, sectoral: pd.DataFrame,
                       factors: FactorDatabase, factor_sets: list[str] | None = None,
                       threshold: float = 0.05) -> pd.DataFrame:
    """Reference approach against the sectoral approach, per fuel and fuel group.

    ``sectoral``: the region-year's emissions (1.A CO2 is taken); ``records``: its activity records
    (non-energy use of 1.A when the balance has no non-energy-use row). Columns: ``apparent`` (in the
    fuel's unit), ``energy_tj``, ``excluded_c_t``, ``reference_t``, ``sectoral_t``, ``difference``
    (fraction of sectoral), ``flagged``; one row per fuel, then one per group and the total.
    """
    fuels = [i for i in balance.physical.columns if fuel_group(i) != "other"]
    columns = ["group", "apparent", "unit", "energy_tj", "excluded_c_t", "reference_t", "sectoral_t", "difference",
               "flagged"]
    if not fuels:
        return pd.DataFrame(columns=columns)
    cells = pd.DataFrame({"region": balance.region, "year": balance.year, "category": "1.A", "item": fuels})
    per_unit = [f"GJ/{balance.units[i]}" for i in fuels]
    ncv = factors.resolve_to("ncv", cells, pd.Series(per_unit), factor_sets=factor_sets)["value"].to_numpy()
    carbon = factors.resolve_to("carbon_content", cells, "t/TJ", factor_sets=factor_sets)["value"].to_numpy()
    oxidation = factors.resolve_to("oxidation", cells, "dimensionless", factor_sets=factor_sets)["value"].to_numpy()
    apparent = balance.physical.loc["available", fuels].to_numpy()
    feedstock = balance.physical.loc["non_energy_use", fuels] if "non_energy_use" in balance.physical.index else None
    if feedstock is None or not feedstock.any():
        neu = records[records["category"].str.startswith("1.A") & (records["quantity"] == "non_energy_use")
                      & (records["period"] == "")].groupby("item")["value"].sum()
        feedstock = neu.reindex(fuels).fillna(0.0)
    excluded = feedstock.to_numpy() * ncv / 1000.0 * carbon
    reference = reference_approach_co2(apparent, ncv, carbon, excluded, oxidation)
    co2 = sectoral[(sectoral["gas"] == "CO2") & sectoral["category"].str.startswith("1.A")]
    by_fuel = co2.groupby("item")["emissions_t"].sum()
    table = pd.DataFrame({"group": [fuel_group(i) for i in fuels], "apparent": apparent,
                          "unit": [balance.units[i] for i in fuels], "energy_tj": apparent * ncv / 1000.0,
                          "excluded_c_t": excluded, "reference_t": reference,
                          "sectoral_t": by_fuel.reindex(fuels).fillna(0.0).to_numpy()}, index=fuels)
    groups = table.groupby("group")[["energy_tj", "excluded_c_t", "reference_t", "sectoral_t"]].sum(min_count=1)
    groups.loc["total"] = groups.sum(min_count=1)
    groups["group"] = groups.index
    groups["apparent"], groups["unit"] = np.nan, ""
    table = pd.concat([table, groups[table.columns]])
    table["difference"] = (table["reference_t"] - table["sectoral_t"]) / table["sectoral_t"].replace(0, np.nan)
    table["flagged"] = table["difference"].abs() > threshold
    return table[columns]


# ----------------------------------------------------------------------------------------------
# the statistics-bureau frame, indicators, industry view


def statistics_frame(emissions: pd.DataFrame) -> pd.DataFrame:
    """碳排放统计核算 (the statistics bureau's regional carbon accounting): CO2 of energy activities
    (fuel combustion, feedstock excluded) and of industrial processes, then with the indirect CO2 of
    the net electricity and heat inflow. Returns rows with ``co2_t`` (NaN where not estimated)."""
    co2 = emissions[emissions["gas"] == "CO2"]
    combustion = co2.loc[co2["category"].str.startswith("1.A"), "emissions_t"].sum()
    processes = co2.loc[co2["category"].str.startswith("2."), "emissions_t"]
    electricity = co2.loc[co2["category"] == "M.ELEC", "emissions_t"]
    heat = co2.loc[co2["category"] == "M.HEAT", "emissions_t"]
    process_total = processes.sum() if len(processes) else np.nan
    direct = combustion + (process_total if len(processes) else 0.0)
    flows = (electricity.sum() if len(electricity) else 0.0) + (heat.sum() if len(heat) else 0.0)
    rows = [
        ("energy", "能源活动 CO₂（化石燃料燃烧，不含原料用能）", "Energy: fuel combustion CO₂ (feedstock "
                                              "excluded)", combustion),
        ("processes", "工业生产过程 CO₂", "Industrial processes CO₂", process_total),
        ("direct", "直接排放小计", "Direct emissions", direct),
        ("electricity", "净调入电力间接排放", "Indirect CO₂ of net electricity inflow",
         electricity.sum() if len(electricity) else np.nan),
        ("heat", "净调入热力间接排放", "Indirect CO₂ of net heat inflow", heat.sum() if len(heat) else np.nan),
        ("total", "碳排放总量（含电力、热力调入调出）", "Total, with electricity and heat flows", direct + flows),
    ]
    return pd.DataFrame(rows, columns=["code", "name_zh", "name_en", "co2_t"]).set_index("code")


@dataclass
class Indicators:
    """Total-and-intensity ("dual control") indicators of one region-year."""

    year: int
    energy_tce: float  # total energy consumption, electricity at coal equivalent
    feedstock_tce: float
    new_renewables_tce: float
    co2_t: float  # the statistics-bureau frame total
    gdp_10k_cny: float  # GDP [10^4 CNY] (constant prices where filed)
    gdp_basis: str
    population: float  # resident population [persons]

    @property
    def energy_controlled_tce(self) -> float:
        """Energy consumption less feedstock and new renewables (the controlled total)."""
        return self.energy_tce - self.feedstock_tce - self.new_renewables_tce

    def per_gdp(self, value: float) -> float:
        return value / self.gdp_10k_cny if self.gdp_10k_cny else np.nan

    def per_person(self, value: float) -> float:
        return value / self.population if self.population else np.nan


def indicators(balance: EnergyBalance, records: pd.DataFrame, frame_total: float,
               base_renewable_mwh: float | None) -> Indicators:
    """Dual-control indicators from the balance (available energy in tce, electricity at 等价值),
    the SOC records (GDP at constant prices if filed, resident population) and the frame total.

    ``base_renewable_mwh``: primary electricity production (hydro, wind, solar) of the base year;
    the growth since then is the new renewable energy (新增可再生能源) left out of the controlled total.
    """
    if balance.empty:
        energy = feedstock = renewables = np.nan
    else:
        tce = balance.in_tce()
        available = tce.loc["available"]
        energy = float(available.drop(["electricity", "total_calorific", "total_equivalent"], errors="ignore").sum())
        feedstock = float(tce.loc["non_energy_use"].drop(["electricity", "electricity_equivalent", "total_calorific",
                                                          "total_equivalent"], errors="ignore").sum()) \
            if "non_energy_use" in tce.index else 0.0
        production = float(balance.row("production").get("electricity", 0.0))
        growth = max(0.0, production - base_renewable_mwh) if base_renewable_mwh is not None else 0.0
        renewables = standard_coal(growth, balance.equivalent) if growth else 0.0
    soc = records[(records["category"] == "SOC") & (records["period"] == "")]
    constant = soc.loc[soc["item"] == "gdp_constant", "value"]
    current = soc.loc[soc["item"] == "gdp", "value"]
    gdp, basis = ((constant.sum() / 1e4, "constant") if len(constant.dropna()) else
                  (current.sum() / 1e4, "current") if len(current.dropna()) else (np.nan, ""))
    population = soc.loc[soc["item"] == "population", "value"].sum()
    return Indicators(int(balance.year), energy, feedstock, renewables, frame_total, gdp, basis,
                      population if population else np.nan)


def dual_control_table(current: Indicators, base: Indicators | None, lang: str = "zh") -> pd.DataFrame:
    """Indicators of the year and the base year, and the change (%)."""
    def values(i: Indicators | None) -> list[float]:
        if i is None:
            return [np.nan] * 9
        return [i.energy_tce / 1e4, i.feedstock_tce / 1e4, i.new_renewables_tce / 1e4, i.energy_controlled_tce / 1e4,
                i.per_gdp(i.energy_controlled_tce), i.co2_t / 1e4, i.per_gdp(i.co2_t),
                i.per_person(i.energy_tce), i.per_person(i.co2_t)]

    names = [("能源消费总量（万吨标准煤，电力按等价值）", "Total energy consumption [10^4 tce, electricity at "
                                      "coal equivalent]"),
             ("其中：原料用能（万吨标准煤）", "of which feedstock [10^4 tce]"),
             ("新增可再生能源（万吨标准煤）", "new renewable energy since the base year [10^4 tce]"),
             ("扣除原料用能和新增可再生能源后的能源消费量（万吨标准煤）", "controlled total [10^4 tce]"),
             ("能耗强度（吨标准煤/万元）", "energy intensity [tce per 10^4 CNY]"),
             ("碳排放总量（万吨 CO₂）", "CO₂ (statistics frame) [10^4 t]"),
             ("碳排放强度（吨 CO₂/万元）", "carbon intensity [t CO₂ per 10^4 CNY]"),
             ("人均能耗（吨标准煤/人）", "energy per person [tce]"), ("人均碳排放（吨 CO₂/人）", "CO₂ per person [t]")]
    now, then = values(current), values(base)
    change = [(a / b - 1.0) if b and not np.isnan(b) and not np.isnan(a) else np.nan for a, b in zip(now, then)]
    zh = lang == "zh"
    table = pd.DataFrame({
        ("指标" if zh else "indicator"): [n[0] if zh else n[1] for n in names],
        str(current.year): now,
        (str(base.year) if base else ("基年" if zh else "base year")): then,
        ("变化" if zh else "change"): change,
    })
    return table


#: industry groups of the industry view (task 2), by 1.A category prefix
INDUSTRY_GROUPS = [
    ("power", "电力", "power", ("1.A.1.a",)),
    ("refining", "石化（炼油）", "petrochemicals (refining)", ("1.A.1.b",)),
    ("chemicals", "化工", "chemicals", ("1.A.2.c",)),
    ("steel", "钢铁", "iron and steel", ("1.A.2.a",)),
    ("non_ferrous", "有色金属", "non-ferrous metals", ("1.A.2.b",)),
    ("building_materials", "建材", "building materials", ("1.A.2.f",)),
    ("other_industry", "其他工业", "other industry", ("1.A.1.c", "1.A.2.d", "1.A.2.e", "1.A.2.g", "1.A.2.h",
                                                      "1.A.2.i", "1.A.2.j", "1.A.2.l", "1.A.2.m", "1.A.2")),
    ("construction", "建筑业", "construction", ("1.A.2.k",)),
    ("transport", "交通运输和物流", "transport and logistics", ("1.A.3",)),
    ("services", "服务业", "services", ("1.A.4.a",)),
    ("residential", "居民生活", "residential", ("1.A.4.b",)),
    ("agriculture", "农林牧渔业", "agriculture, forestry, fishing", ("1.A.4.c",)),
    ("other", "其他", "other", ("1.A.5",)),
]


def _group_of(category: str) -> str:
    best, length = "other", -1
    for code, _, _, prefixes in INDUSTRY_GROUPS:
        for prefix in prefixes:
            if (category == prefix or category.startswith(prefix + ".")) and len(prefix) > length:
                best, length = code, len(prefix)
    return best


def industry_view(emissions: pd.DataFrame, coefficients: dict[str, float], lang: str = "zh") -> pd.DataFrame:
    """Direct CO2 and fuel energy by industry group: rows of the groups that occur, their shares."""
    combustion = emissions[emissions["category"].str.startswith("1.A")]
    co2 = combustion[combustion["gas"] == "CO2"].copy()
    co2["group"] = co2["category"].map(_group_of)
    co2["tce"] = [value * coefficients.get(item, np.nan) for value, item in zip(co2["activity_value"], co2["item"])]
    grouped = co2.groupby("group").agg(co2_t=("emissions_t", "sum"), energy_tce=("tce", lambda s: s.sum(min_count=1)))
    order = [g[0] for g in INDUSTRY_GROUPS if g[0] in grouped.index]
    grouped = grouped.loc[order]
    grouped["share"] = grouped["co2_t"] / grouped["co2_t"].sum()
    names = {code: (zh if lang == "zh" else en) for code, zh, en, _ in INDUSTRY_GROUPS}
    grouped.index = [names[g] for g in grouped.index]
    # data centres burn little fuel: their footprint is electricity, which needs electricity use by industry
    grouped.loc["数据中心" if lang == "zh" else "data centres"] = np.nan
    grouped["note"] = ""
    grouped.iloc[-1, grouped.columns.get_loc("note")] = (
        "NE：需要分行业用电量（电力间接排放）" if lang == "zh" else "NE: needs electricity use by industry")
    return grouped
