"""What the notebooks call: compile a sector for one region and year, and present it.

The notebooks stay thin — narrative and calls. Everything here returns plain DataFrames (tables
with Chinese or English headings) or HTML charts, so the same calls serve an interactive
JupyterLab session, a papermill run and the rendered report.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from inventory.activity import read_activity
from inventory.charts import stacked_bars
from inventory.energy import CombustionResult, compute_combustion
from inventory.factors import UNVERIFIED, FactorDatabase, load_factors
from inventory.qa import (
    FLAG_COLUMNS,
    check_implied_factors,
    check_notation_keys,
    check_unverified_factors,
    check_year_on_year,
)
from inventory.regions import load_regions
from inventory.results import EMISSIONS_COLUMNS, PROVENANCE_COLUMNS, atomic_write_text, totals
from inventory.vocabulary import load_vocabulary

__all__ = ["EnergyCompilation", "compile_energy", "write_results", "illustrative",
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


def show(frame: pd.DataFrame, precision: int = 2):
    """A table for reading: no row numbers, thousands separators, blanks for missing values,
    rows flagged as unverified or as errors highlighted."""
    years = [c for c in frame.columns if str(c) in ("year", "年份", "Year")]
    frame = frame.astype({c: str for c in years})  # 2015, not 2,015
    styler = frame.style.format(precision=precision, thousands=",", na_rep="")
    if not isinstance(frame.index, pd.RangeIndex):
        return styler.set_table_styles([{"selector": "th", "props": "text-align: left;"}])

    def highlight(row):
        text = " ".join(str(v) for v in row.to_numpy())
        colour = "#fde2e2" if "error" in text.split() else ("#fff4e5" if "未核实" in text else "")
        return [f"background-color: {colour}" if colour else "" for _ in row]

    return styler.hide(axis="index").apply(highlight, axis=1)


def _headings(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    return frame.rename(columns={c: label(c, lang) for c in frame.columns})


def illustrative(records: pd.DataFrame) -> bool:
    """Whether the records are the shipped illustrative data (their source says 示例数据)."""
    return bool(records["source"].str.contains(ILLUSTRATIVE_MARK, regex=False).any())


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

    # --- chart ----------------------------------------------------------------------------
    def chart(self):
        """CO2 by category, stacked by fuel family (coal / oil / gas) [kt], as an HTML chart
        (:mod:`inventory.charts`): labels in the notebook's language, values as text."""
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
                preference: list[str]) -> CombustionResult | None:
    """compute_combustion of one region-year, remembered for the life of the process.

    A warm kernel runs many region-years; the year-on-year check needs the year before, which the
    same worker has usually just computed. The cache is keyed on the identity of the (cached,
    immutable) activity and factor objects, which change whenever their files change.
    """
    key = (id(activity), id(factors), region, year, gwp, tuple(preference))
    hit = _COMPUTED.get(key)
    if hit is not None and hit[0] is activity and hit[1] is factors:
        return hit[2]
    records = activity.select(region, year)
    result = compute_combustion(records, factors, gwp, preference) if len(records) else None
    if len(_COMPUTED) > 256:
        _COMPUTED.clear()
    _COMPUTED[key] = (activity, factors, result)
    return result


def compile_energy(region: str, year: int, data_dir: str | Path, gwp: str = "AR5", factor_sets: str = "",
                   lang: str = "zh", yoy_threshold: float = 0.3) -> EnergyCompilation:
    """Compile fuel-combustion emissions of one region and year, with QA flags.

    Reads (and validates) every activity file of ``data_dir``, the shipped and local factors, and the
    same region's previous year for the year-on-year check.
    """
    registry = load_regions(data_dir)
    canonical = registry.canonical(region, int(year)) if region in registry else region
    activity = read_activity(data_dir)
    factors = load_factors(data_dir)
    preference = [s.strip() for s in factor_sets.split(",") if s.strip()]
    records = activity.select(canonical, int(year))
    if records.empty:
        raise ValueError(f"no activity records for region {region} in {year} in {data_dir}")
    result = _combustion(activity, factors, canonical, int(year), gwp, preference)
    previous = _combustion(activity, factors, canonical, int(year) - 1, gwp, preference)
    flags = pd.concat([
        result.flags,
        check_implied_factors(result.emissions, factors),
        check_year_on_year(result.emissions, previous.emissions if previous else pd.DataFrame(), yoy_threshold),
        check_unverified_factors(result.emissions),
        check_notation_keys(records[records["category"].str.startswith("1.A")]),
    ], ignore_index=True)[FLAG_COLUMNS]
    region_name = registry[canonical].name_zh if lang == "zh" else registry[canonical].name_en
    return EnergyCompilation(canonical, region_name, int(year), lang, records, result, previous, factors, flags)


def write_results(compilation: EnergyCompilation, path: str | Path) -> Path:
    """The notebook's results (emissions with provenance) as CSV, written atomically."""
    path = Path(path)
    frame = compilation.result.emissions[EMISSIONS_COLUMNS + PROVENANCE_COLUMNS]
    atomic_write_text(path, frame.to_csv(index=False, float_format="%.6f"))
    return path

