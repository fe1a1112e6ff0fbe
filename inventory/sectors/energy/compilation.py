"""What the notebooks call: compile a sector for one region and year, and present it.

The notebooks stay thin — narrative and calls. Everything here returns plain DataFrames (tables
with Chinese or English headings) or HTML charts, so the same calls serve an interactive
JupyterLab session, a papermill run and the rendered report.
"""

from __future__ import annotations

import functools
import html
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from inventory.core.activity import quarter_of, read_activity
from inventory.present.charts import stacked_bars
from inventory.sectors.energy.electricity import DEFAULT_SERIES
from inventory.sectors.energy.combustion import CombustionResult, compute_combustion, compute_energy
from inventory.sectors.energy.balance import (
    EnergyBalance,
    Indicators,
    balance_table,
    build_balance,
    dual_control_table,
    indicators,
    industry_view,
    reference_approach,
    statistics_frame,
    tce_coefficients,
)
from inventory.core.factors import UNVERIFIED, FactorDatabase, load_factors
from inventory.sectors.qa import (
    FLAG_COLUMNS,
    check_implied_factors,
    check_notation_keys,
    check_unverified_factors,
    check_year_on_year,
)
from inventory.core.regions import load_regions
from inventory.core.results import EMISSIONS_COLUMNS, PROVENANCE_COLUMNS, atomic_write_text, totals
from inventory.core.vocabulary import load_vocabulary

__all__ = ["EnergyCompilation", "compile_energy", "write_results", "write_tables", "illustrative",
           "LABELS", "label", "show"]

ILLUSTRATIVE_MARK = "示例数据"

LABELS = {
    "region": ("地区", "Region"), "year": ("年份", "Year"), "category": ("类别", "Category"),
    "category_name": ("类别名称", "Category name"), "item": ("品种", "Item"), "item_name": ("品种名称", "Item name"),
    "quantity": ("指标", "Quantity"), "value_reported": ("填报值", "Reported value"),
    "unit_reported": ("填报单位", "Reported unit"), "value": ("标准值", "Value"), "unit": ("单位", "Unit"),
    "notation": ("注释符号", "Notation key"), "source": ("来源", "Source"), "where": ("位置", "File:line"),
    "gas": ("气体", "Gas"), "emissions_t": ("排放量（吨）", "Emissions (t)"), "co2e_t": ("CO2当量（吨）", "CO2e (t)"),
    "energy_tj": ("能量（TJ）", "Energy (TJ)"), "activity_value": ("活动水平", "Activity"),
    "activity_unit": ("活动水平单位", "Activity unit"), "method": ("方法", "Method"),
    "factor_ids": ("因子编号", "Factor ids"), "confidence": ("可信度", "Confidence"),
    "id": ("编号", "Id"), "parameter": ("参数", "Parameter"), "factor_set": ("因子集", "Factor set"),
    "source_table": ("出处表格", "Table"), "note": ("说明", "Note"), "flag": ("标记", "Flag"),
    "check": ("检查", "Check"), "severity": ("级别", "Severity"), "message": ("说明", "Message"),
    "uncertainty": ("不确定性", "Uncertainty"), "origin": ("来源类型", "Origin"),
    "share": ("占比", "Share"), "total": ("合计", "Total"),
}


def label(key: str, lang: str = "zh") -> str:
    zh, en = LABELS.get(key, (key, key))
    return zh if lang == "zh" else en


class Table:
    """A table for reading, as HTML (Jupyter shows it through ``_repr_html_``; the DataFrame is ``frame``).

    Written directly rather than through pandas' Styler: the same look (no row numbers, thousands
    separators, blanks for missing values, flagged rows highlighted) at a tenth of the time, which
    counts when hundreds of notebooks each show a dozen tables.
    """

    def __init__(self, frame: pd.DataFrame, precision: int = 2):
        self.frame = frame
        self.precision = precision

    def _cell(self, value, year: bool) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return ""
        if isinstance(value, (bool, np.bool_)):
            return str(bool(value))
        if isinstance(value, (int, np.integer)) and not year:
            return f"{int(value):,}"
        if isinstance(value, (float, np.floating)) and not year:
            return f"{float(value) + 0.0:,.{self.precision}f}"
        return html.escape(str(value))

    def _repr_html_(self) -> str:
        frame = self.frame
        indexed = not isinstance(frame.index, pd.RangeIndex)
        years = [str(c) in ("year", "年份", "Year") for c in frame.columns]
        head = ("<th></th>" if indexed else "") + "".join(
            f'<th style="text-align:left">{html.escape(str(c))}</th>' for c in frame.columns)
        rows = []
        for index, values in zip(frame.index, frame.itertuples(index=False, name=None)):
            text = " ".join(str(v) for v in values)
            colour = "#fde2e2" if "error" in text.split() else ("#fff4e5" if "未核实" in text else "")
            style = f' style="background-color:{colour}"' if colour and not indexed else ""
            label = f'<th style="text-align:left">{html.escape(str(index))}</th>' if indexed else ""
            cells = "".join(f"<td>{self._cell(v, y)}</td>" for v, y in zip(values, years))
            rows.append(f"<tr{style}>{label}{cells}</tr>")
        return (f'<table class="dataframe workbench-table"><thead><tr>{head}</tr></thead>'
                f'<tbody>{"".join(rows)}</tbody></table>')


def show(frame: pd.DataFrame, precision: int = 2) -> Table:
    """A table for reading: no row numbers, thousands separators, blanks for missing values,
    rows flagged as unverified or as errors highlighted."""
    return Table(frame, precision)


def _headings(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    return frame.rename(columns={c: label(c, lang) for c in frame.columns})


def illustrative(records: pd.DataFrame) -> bool:
    """Whether the records are the shipped illustrative data (their source says 示例数据)."""
    return bool(records["source"].str.contains(ILLUSTRATIVE_MARK, regex=False).any())


def _kept(method):
    """A table method computed once per compilation: the notebook shows it, the Excel file repeats it."""
    name = method.__name__

    @functools.wraps(method)
    def kept(self):
        tables = self.__dict__.setdefault("_tables", {})
        if name not in tables:
            tables[name] = method(self)
        return tables[name].copy()

    return kept


@dataclass
class EnergyCompilation:
    region: str
    region_name: str
    year: int
    lang: str
    records: pd.DataFrame
    result: CombustionResult
    previous: CombustionResult | None
    factors: FactorDatabase
    flags: pd.DataFrame
    balance: EnergyBalance
    reference: pd.DataFrame
    indicators: Indicators
    base: Indicators | None
    quarters: pd.DataFrame | None
    grid_series: dict[str, str]
    closure_threshold: float = 0.05

    # --- tables ---------------------------------------------------------------------------
    def activity_table(self) -> pd.DataFrame:
        """The energy activity records used, as reported and in standard units, with where they are."""
        vocabulary = load_vocabulary()
        rows = self.records[self.records["category"].str.startswith("1.A")].copy()
        rows["category_name"] = rows["category"].map(lambda c: vocabulary.category_name(c, self.lang))
        rows["item_name"] = rows["item"].map(lambda i: vocabulary.item_name(i, self.lang))
        rows["where"] = rows["file"] + ":" + rows["line"].astype(str)
        from_workbook = rows["origin"] != ""
        rows.loc[from_workbook, "where"] += " (" + rows.loc[from_workbook, "origin"] + ")"  # the workbook cell
        columns = ["category", "category_name", "item_name", "quantity", "value_reported", "unit_reported",
                   "value", "unit", "notation", "uncertainty", "where"]
        return _headings(rows[columns].sort_values(["category", "item_name"]).reset_index(drop=True), self.lang)

    @_kept
    def by_sector(self) -> pd.DataFrame:
        """Emissions by category and gas [t], CO2e total, memo items apart."""
        vocabulary = load_vocabulary()
        emissions = self.result.emissions
        table = emissions.pivot_table(index="category", columns="gas", values="emissions_t", aggfunc="sum")
        table["CO2e"] = emissions.groupby("category")["co2e_t"].sum()
        table = table.reset_index()
        table.insert(1, "category_name", table["category"].map(lambda c: vocabulary.category_name(c, self.lang)))
        memo = table["category"].str.startswith("M.")
        total = table[~memo].sum(numeric_only=True)
        total_row = pd.DataFrame([{"category": label("total", self.lang), "category_name": "", **total.to_dict()}])
        return _headings(pd.concat([table[~memo], total_row, table[memo]], ignore_index=True), self.lang)

    def by_fuel(self) -> pd.DataFrame:
        """CO2 [t] by category × fuel (the familiar layout of the provincial tables)."""
        vocabulary = load_vocabulary()
        co2 = self.result.emissions[(self.result.emissions["gas"] == "CO2")
                                    & ~self.result.emissions["category"].str.startswith("M.")]
        table = co2.pivot_table(index="category", columns="item", values="emissions_t", aggfunc="sum", fill_value=0.0)
        table.columns = [vocabulary.item_name(c, self.lang) for c in table.columns]
        table[label("total", self.lang)] = table.sum(axis=1)
        table.loc[label("total", self.lang)] = table.sum(axis=0)
        return table

    def factors_table(self) -> pd.DataFrame:
        """Every factor row the emissions used, with source, table, confidence and a flag."""
        used = self.result.factors_used.copy()
        used["flag"] = used["confidence"].map(lambda c: "⚠ 未核实 unverified" if c in UNVERIFIED else "")
        order = {"ncv": 0, "carbon_content": 1, "oxidation": 2, "ef": 3}
        used = used.assign(_order=used["parameter"].map(order).fillna(9), _verified=used["flag"] == "")
        used = used.sort_values(["_order", "_verified", "item", "category", "gas"])
        columns = ["id", "parameter", "category", "item", "gas", "value", "unit", "factor_set", "confidence",
                   "flag", "source", "source_table", "origin", "note"]
        return _headings(used[columns].reset_index(drop=True), self.lang)

    def factor_summary(self) -> str:
        """One sentence for reviewers: how many factor rows are unverified, and which parameters."""
        used = self.result.factors_used
        unverified = used[used["confidence"].isin(UNVERIFIED)]
        if unverified.empty:
            return "所用因子均已核实 / every factor used is verified."
        parameters = ", ".join(sorted(unverified["parameter"].unique()))
        return (f"**⚠ {len(unverified)} / {len(used)} 行因子未核实**（{parameters}）：须对照官方文件核实。"
                f" *{len(unverified)} of {len(used)} factor rows are unverified ({parameters}): check them against the"
                f" official documents.*")

    def flags_table(self) -> pd.DataFrame:
        order = {"error": 0, "warning": 1, "info": 2}
        flags = self.flags.sort_values("severity", key=lambda s: s.map(order))
        return _headings(flags.reset_index(drop=True), self.lang)

    def flag_counts(self) -> pd.DataFrame:
        return self.flags.groupby(["check", "severity"]).size().rename("n").reset_index()

    def total_co2e(self) -> float:
        return float(totals(self.result.emissions, ["region"])["co2e_t"].sum())

    # --- energy balance, reference approach, electricity, frame, indicators -------------------
    @_kept
    def balance_physical(self) -> pd.DataFrame:
        """能源平衡表（实物量）: rows × fuels in statistical units (万吨, 亿立方米, 万千瓦时, 万吉焦)."""
        return balance_table(self.balance, self.lang)

    @_kept
    def balance_standard_coal(self) -> pd.DataFrame:
        """能源平衡表（标准量）[10^4 tce]: electricity at calorific value (当量) and coal equivalent (等价)."""
        return balance_table(self.balance, self.lang, tce=True)

    @_kept
    def closure_table(self) -> pd.DataFrame:
        """The statistical difference per fuel, flagged above the closure threshold."""
        vocabulary = load_vocabulary()
        closure = self.balance.closure(self.closure_threshold)
        zh = self.lang == "zh"
        return pd.DataFrame({
            label("item_name", self.lang): [vocabulary.item_name(i, self.lang) for i in closure.index],
            label("unit", self.lang): [self.balance.units[i] for i in closure.index],
            ("可供本地区消费量" if zh else "available"): closure["available"].to_numpy(),
            ("平衡差额" if zh else "statistical difference"): closure["difference"].to_numpy(),
            ("占可供量" if zh else "share of available"): closure["share"].to_numpy(),
            label("flag", self.lang): ["error 差额过大 / large" if f else "" for f in closure["flagged"]],
        })

    @_kept
    def reference_table(self) -> pd.DataFrame:
        """Reference approach against the sectoral approach [t CO2], per fuel and fuel group."""
        from inventory.sectors.energy.balance import GROUP_LABELS

        vocabulary = load_vocabulary()
        zh = self.lang == "zh"
        table = self.reference
        names = [GROUP_LABELS[i][0 if zh else 1] if i in GROUP_LABELS else vocabulary.item_name(i, self.lang)
                 for i in table.index]
        return pd.DataFrame({
            ("燃料" if zh else "fuel"): names,
            ("表观消费量" if zh else "apparent consumption"): table["apparent"].to_numpy(),
            label("unit", self.lang): table["unit"].to_numpy(),
            ("热量 TJ" if zh else "energy TJ"): table["energy_tj"].to_numpy(),
            ("扣除的原料碳 t C" if zh else "excluded carbon t C"): table["excluded_c_t"].to_numpy(),
            ("参考方法 CO₂ t" if zh else "reference approach CO₂ t"): table["reference_t"].to_numpy(),
            ("部门方法 CO₂ t" if zh else "sectoral approach CO₂ t"): table["sectoral_t"].to_numpy(),
            ("差异" if zh else "difference"): table["difference"].to_numpy(),
            label("flag", self.lang): ["warning 需说明 / explain" if f else "" for f in table["flagged"]],
        })

    @_kept
    def electricity_table(self) -> pd.DataFrame:
        """Net electricity and heat inflow, the grid factor (its series named) and the memo CO2."""
        zh = self.lang == "zh"
        memos = self.result.emissions[self.result.emissions["category"].isin(["M.ELEC", "M.HEAT"])]
        rows = []
        for memo in memos.to_dict("records"):
            factor_id = memo["factor_ids"].split("=", 1)[1]
            factor = self.factors.rows.loc[self.factors.rows["id"] == factor_id].iloc[0]
            flows = self.balance.physical[memo["item"]] if memo["item"] in self.balance.physical.columns else None
            # the balance holds outflow and export with their table sign (−); shown here as amounts
            inflow = float(flows.get("inflow", 0.0) + flows.get("import", 0.0)) + 0.0 if flows is not None \
                else float("nan")
            outflow = 0.0 - float(flows.get("outflow", 0.0) + flows.get("export", 0.0)) if flows is not None \
                else float("nan")
            rows.append({
                ("项目" if zh else "flow"): ({"electricity": "电力", "heat": "热力"}[memo["item"]] if zh
                                             else memo["item"]),
                ("调入" if zh else "inflow"): inflow, ("调出" if zh else "outflow"): outflow,
                ("净调入" if zh else "net inflow"): memo["activity_value"],
                label("unit", self.lang): memo["activity_unit"],
                ("排放因子" if zh else "factor"): f"{factor['value']:g} {factor['unit']}",
                ("因子系列" if zh else "series"): factor["factor_set"] or "local",
                ("因子年份" if zh else "factor year"): str(int(factor["year_from"])) if factor["year_from"] > 0 else "",
                label("confidence", self.lang): factor["confidence"],
                ("间接排放 t CO₂" if zh else "indirect CO₂ t"): memo["emissions_t"],
                label("where", self.lang): memo["records"],
            })
        return pd.DataFrame(rows)

    @_kept
    def frame_table(self) -> pd.DataFrame:
        """碳排放统计核算: CO2 of energy activities and processes, with the electricity and heat flows."""
        frame = statistics_frame(self.result.emissions)
        zh = self.lang == "zh"
        return pd.DataFrame({
            ("项目" if zh else "item"): frame["name_zh" if zh else "name_en"].to_numpy(),
            ("CO₂（万吨）" if zh else "CO₂ [10^4 t]"): (frame["co2_t"] / 1e4).to_numpy(),
            ("CO₂（吨）" if zh else "CO₂ [t]"): frame["co2_t"].to_numpy(),
            label("note", self.lang): ["", "未估算：待工业生产过程模块 / NE until the IPPU module" if frame.loc[
                "processes", "co2_t"] != frame.loc["processes", "co2_t"] else "", "", "", "", ""],
        })

    @_kept
    def dual_control(self) -> pd.DataFrame:
        return dual_control_table(self.indicators, self.base, self.lang)

    @_kept
    def industry_table(self) -> pd.DataFrame:
        table = industry_view(self.result.emissions, self.balance_coefficients(), self.lang)
        zh = self.lang == "zh"
        return table.rename(columns={"co2_t": "CO₂（吨）" if zh else "CO₂ [t]",
                                     "energy_tce": "化石能源消费（吨标准煤）" if zh else "fossil energy [tce]",
                                     "share": "CO₂ 占比" if zh else "CO₂ share", "note": label("note", self.lang)})

    def balance_coefficients(self) -> dict[str, float]:
        """tce per canonical unit of every fuel burned (the balance's, and the others resolved)."""
        vocabulary = load_vocabulary()
        coefficients = dict(self.balance.coefficients)
        burned = [i for i in self.result.emissions["item"].unique() if i not in coefficients and i in
                  vocabulary.items.index]
        units = {i: vocabulary.items.at[i, "canonical_unit"] for i in burned}
        coefficients.update(tce_coefficients(self.factors, self.region, self.year, burned, units)[0])
        return coefficients

    def quarterly_table(self) -> pd.DataFrame | None:
        return self.quarters

    # --- chart ----------------------------------------------------------------------------
    def chart(self):
        """CO2 by category, stacked by fuel family (coal / oil / gas) [kt], as an HTML chart
        (:mod:`inventory.present.charts`): labels in the notebook's language, values as text."""
        vocabulary = load_vocabulary()
        emissions = self.result.emissions
        co2 = emissions[(emissions["gas"] == "CO2") & ~emissions["category"].str.startswith("M.")]
        family = co2["item"].map(lambda i: _FAMILY.get(i) or _FAMILY.get(vocabulary.items.at[i, "group"], "other"))
        table = co2.assign(family=family).pivot_table(index="category", columns="family", values="emissions_t",
                                                      aggfunc="sum", fill_value=0.0) / 1000.0
        table = table[[f for f in _FAMILY_LABELS if f in table.columns]]
        zh = self.lang == "zh"
        title = (f"化石燃料燃烧 CO₂ 按类别和燃料类型 — {self.region_name} {self.year}" if zh else
                 f"Fuel combustion CO₂ by category and fuel family — {self.region_name} {self.year}")
        return stacked_bars(
            table, title, "kt CO₂", _COLOURS,
            series_labels={f: _FAMILY_LABELS[f][0 if zh else 1] for f in table.columns},
            row_labels={c: f"{c} {vocabulary.category_name(c, self.lang)}" for c in table.index})


#: fuel family of an item group, or of an item where its group says otherwise (coal-derived gases)
_FAMILY = {"fuel_solid": "coal", "fuel_liquid": "oil", "fuel_gas_mass": "gas", "fuel_gas": "gas",
           "coke_oven_gas": "coal", "other_gas": "coal"}
_COLOURS = {"coal": "#555555", "oil": "#c0772b", "gas": "#2b7bc0", "other": "#9a9a9a"}
_FAMILY_LABELS = {"coal": ("煤炭", "coal"), "oil": ("石油", "oil"), "gas": ("天然气", "gas"),
                  "other": ("其他", "other")}


_COMPUTED: dict[tuple, tuple] = {}


def _combustion(activity, factors: FactorDatabase, region: str, year: int, gwp: str,
                preference: list[str], series: tuple = ()) -> CombustionResult | None:
    """compute_energy of one region-year, remembered for the life of the process.

    A warm kernel runs many region-years; the year-on-year check needs the year before, which the
    same worker has usually just computed. The cache is keyed on the identity of the (cached,
    immutable) activity and factor objects, which change whenever their files change.
    """
    key = (id(activity), id(factors), region, year, gwp, tuple(preference), series)
    hit = _COMPUTED.get(key)
    if hit is not None and hit[0] is activity and hit[1] is factors:
        return hit[2]
    records = activity.select(region, year)
    result = compute_energy(records, factors, gwp, preference, dict(series)) if len(records) else None
    if len(_COMPUTED) > 256:
        _COMPUTED.clear()
    _COMPUTED[key] = (activity, factors, result)
    return result


def compile_energy(region: str, year: int, data_dir: str | Path, gwp: str = "AR5", factor_sets: str = "",
                   lang: str = "zh", yoy_threshold: float = 0.3, grid_series: str = DEFAULT_SERIES["electricity"],
                   heat_series: str = DEFAULT_SERIES["heat"], closure_threshold: float = 0.05,
                   reference_threshold: float = 0.05, base_year: int = 2020) -> EnergyCompilation:
    """Compile the energy sector of one region and year, with its QA flags.

    Reads (and validates) every activity file of ``data_dir`` and the shipped and local factors;
    computes fuel combustion, fugitive emissions and the memo items, the energy balance, the
    reference approach, the statistics-bureau frame, the dual-control indicators (against
    ``base_year``) and, when records are filed by quarter, the quarterly figures; the same region's
    previous year is computed for the year-on-year check.
    """
    registry = load_regions(data_dir)
    canonical = registry.canonical(region, int(year)) if region in registry else region
    activity = read_activity(data_dir)
    factors = load_factors(data_dir)
    preference = [s.strip() for s in factor_sets.split(",") if s.strip()]
    series = (("electricity", grid_series), ("heat", heat_series))
    records = activity.select(canonical, int(year))
    if records.empty:
        raise ValueError(f"no activity records for region {region} in {year} in {data_dir}")
    result = _combustion(activity, factors, canonical, int(year), gwp, preference, series)
    previous = _combustion(activity, factors, canonical, int(year) - 1, gwp, preference, series)
    balance = build_balance(records, factors, canonical, int(year), preference)
    reference = reference_approach(balance, records, result.emissions, factors, preference, reference_threshold)
    current = indicators(balance, records, statistics_frame(result.emissions).loc["total", "co2_t"],
                         _renewables(activity, canonical, base_year) if int(year) > base_year else None)
    base = _base_indicators(activity, factors, canonical, base_year, gwp, preference, series) \
        if int(year) > base_year else None
    quarters, quarter_flags = _quarterly(records, factors, gwp, preference, lang)
    flags = pd.concat([
        result.flags,
        check_implied_factors(result.emissions, factors),
        check_year_on_year(result.emissions, previous.emissions if previous else pd.DataFrame(), yoy_threshold),
        check_unverified_factors(result.emissions),
        check_notation_keys(records[records["category"].str.startswith("1.A")]),
        _balance_flags(balance, reference, closure_threshold),
        quarter_flags,
    ], ignore_index=True)[FLAG_COLUMNS]
    region_name = registry[canonical].name_zh if lang == "zh" else registry[canonical].name_en
    return EnergyCompilation(canonical, region_name, int(year), lang, records, result, previous, factors, flags,
                             balance, reference, current, base, quarters, dict(series), closure_threshold)


def _base_indicators(activity, factors: FactorDatabase, region: str, base_year: int, gwp: str, preference: list[str],
                     series: tuple) -> Indicators | None:
    """The base year's indicators, remembered like :func:`_combustion` (every later year compares to them)."""
    key = ("base", id(activity), id(factors), region, base_year, gwp, tuple(preference), series)
    hit = _COMPUTED.get(key)
    if hit is not None and hit[0] is activity and hit[1] is factors:
        return hit[2]
    records = activity.select(region, base_year)
    base = None
    if len(records):
        result = _combustion(activity, factors, region, base_year, gwp, preference, series)
        base = indicators(build_balance(records, factors, region, base_year, preference), records,
                          statistics_frame(result.emissions).loc["total", "co2_t"], None)
    _COMPUTED[key] = (activity, factors, base)
    return base


def _renewables(activity, region: str, base_year: int) -> float | None:
    """Primary electricity production (hydro, wind, solar) of the base year [MWh], if filed."""
    base = activity.select(region, base_year)
    mask = (base["category"] == "EB") & (base["item"] == "electricity") & (base["quantity"] == "production") & \
        (base["period"] == "")
    return float(base.loc[mask, "value"].sum()) if mask.any() else None


def _balance_flags(balance: EnergyBalance, reference: pd.DataFrame, threshold: float) -> pd.DataFrame:
    rows = [{"region": balance.region, "year": balance.year, "category": "EB", "item": f["item"], "gas": "",
             "check": f["check"], "severity": f["severity"], "message": f["message"]} for f in balance.flags]
    if not balance.empty:
        for item, row in balance.closure(threshold).iterrows():
            if row["flagged"]:
                rows.append({"region": balance.region, "year": balance.year, "category": "EB", "item": item, "gas": "",
                             "check": "balance_closure", "severity": "warning",
                             "message": f"statistical difference {row['difference']:,.1f} {balance.units[item]} is "
                                        f"{row['share']:+.1%} of the available {row['available']:,.1f}"})
    for name, row in reference.iterrows():
        if row["flagged"] and name in ("coal", "oil", "gas", "total"):
            rows.append({"region": balance.region, "year": balance.year, "category": "1.A", "item": name, "gas": "CO2",
                         "check": "reference_approach", "severity": "warning",
                         "message": f"reference approach {row['reference_t']:,.0f} t vs sectoral "
                                     f"{row['sectoral_t']:,.0f}"
                                    f" t CO2 ({row['difference']:+.1%}): explain the difference"})
    return pd.DataFrame(rows, columns=FLAG_COLUMNS)


_QUARTER_GROUPS = [("1.A.1", "能源工业", "energy industries"), ("1.A.2", "制造业和建筑业", "manufacturing, "
                                                                                "construction"),
                   ("1.A.3", "交通运输", "transport"), ("1.A.4", "其他部门", "other sectors"),
                   ("1.A.5", "其他", "other")]


def _quarterly(records: pd.DataFrame, factors: FactorDatabase, gwp: str, preference: list[str],
               lang: str) -> tuple[pd.DataFrame | None, pd.DataFrame]:
    """季度核算: fuel-combustion CO2 [t] of each quarter by sector group, and the year as their sum;
    where the year is filed too, a flag when it differs from the sum of its quarters."""
    sub = records[(records["period"] != "") & records["category"].str.startswith("1.A")]
    if sub.empty:
        return None, pd.DataFrame(columns=FLAG_COLUMNS)
    sub = sub.assign(quarter=sub["period"].map(quarter_of))
    zh = lang == "zh"
    columns = {}
    for quarter in (1, 2, 3, 4):
        part = sub[sub["quarter"] == quarter].assign(period="")
        emissions = compute_combustion(part, factors, gwp, preference).emissions if len(part) else pd.DataFrame(
            columns=["category", "gas", "emissions_t", "energy_tj"])
        co2 = emissions[emissions["gas"] == "CO2"]
        column = {name_zh if zh else name_en: co2.loc[co2["category"].str.startswith(prefix), "emissions_t"].sum()
                  for prefix, name_zh, name_en in _QUARTER_GROUPS}
        column["合计" if zh else "total"] = co2["emissions_t"].sum()
        column["热量 TJ" if zh else "energy TJ"] = co2["energy_tj"].sum()
        columns[f"Q{quarter}"] = column
    table = pd.DataFrame(columns)
    table["全年（季度之和）" if zh else "year (sum of quarters)"] = table.sum(axis=1)
    flags = []
    annual = records[(records["period"] == "") & records["category"].str.startswith("1.A")]
    keys = ["category", "item", "quantity"]
    both = sub.groupby(keys)["value"].sum().to_frame("quarters").join(annual.groupby(keys)["value"].sum().rename(
        "annual"), how="inner")
    for (category, item, quantity), row in both.iterrows():
        if row["annual"] and abs(row["quarters"] / row["annual"] - 1.0) > 0.005:
            region, year = records["region"].iloc[0], int(records["year"].iloc[0])
            flags.append({"region": region, "year": year, "category": category, "item": item, "gas": "",
                          "check": "quarters_vs_year", "severity": "warning",
                          "message": f"{quantity}: the quarters sum to {row['quarters']:,.1f}, the year says "
                                     f"{row['annual']:,.1f} ({row['quarters'] / row['annual'] - 1:+.1%})"})
    return table.reset_index(names="项目" if zh else "row"), pd.DataFrame(flags, columns=FLAG_COLUMNS)


def write_results(compilation: EnergyCompilation, path: str | Path) -> Path:
    """The notebook's results (emissions with provenance) as CSV, written atomically."""
    path = Path(path)
    frame = compilation.result.emissions[EMISSIONS_COLUMNS + PROVENANCE_COLUMNS]
    atomic_write_text(path, frame.to_csv(index=False, float_format="%.6f"))
    return path



def _excel_value(value):
    """A cell value openpyxl writes: numbers as numbers (NaN as empty), everything else as text."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    return None if value is None else str(value)


def write_tables(compilation: EnergyCompilation, path: str | Path) -> Path:
    """The report's tables as an Excel workbook (one sheet each), written atomically: the energy
    balance in physical units and in standard coal, its closure, the reference approach, the
    electricity and heat flows, the statistics-bureau frame, the dual-control indicators, the
    industry view and the quarterly figures."""
    import io

    from openpyxl.utils import get_column_letter

    from inventory.core.results import atomic_write_bytes

    zh = compilation.lang == "zh"
    sheets = {
        "排放结果" if zh else "emissions": compilation.by_sector(),
        "能源平衡表（实物量）" if zh else "balance (physical)": compilation.balance_physical().reset_index(),
        "能源平衡表（标准量）" if zh else "balance (tce)": compilation.balance_standard_coal().reset_index(),
        "平衡差额" if zh else "closure": compilation.closure_table(),
        "参考方法" if zh else "reference approach": compilation.reference_table(),
        "电力热力调入调出" if zh else "electricity and heat": compilation.electricity_table(),
        "碳排放统计核算" if zh else "statistics frame": compilation.frame_table(),
        "双控指标" if zh else "dual control": compilation.dual_control(),
        "行业" if zh else "industry": compilation.industry_table().reset_index(),
    }
    if compilation.quarters is not None:
        sheets["季度核算" if zh else "quarters"] = compilation.quarters
    from openpyxl import Workbook

    title = f"{compilation.region_name}（{compilation.region}）{compilation.year}" + (
        " · 示例数据，非官方统计" if illustrative(compilation.records) else "")
    workbook = Workbook(write_only=True)  # streamed: a fraction of the time of a styled workbook
    for name, table in sheets.items():
        sheet = workbook.create_sheet(name)
        for index, column in enumerate(table.columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = min(40, max(10, len(str(column)) * 2))
        sheet.freeze_panes = "B3"
        sheet.append([f"{title} · {name}"])
        sheet.append([str(c) for c in table.columns])
        for values in table.itertuples(index=False, name=None):
            sheet.append([_excel_value(v) for v in values])
    buffer = io.BytesIO()
    workbook.save(buffer)
    path = Path(path)
    atomic_write_bytes(path, buffer.getvalue())
    return path
