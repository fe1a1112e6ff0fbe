"""What ``notebooks/energy.ipynb`` calls: the energy sector of one region and year, and its tables.

:class:`EnergyCompilation` is the shared :class:`~inventory.sectors.compilation.Compilation`
(activity, factors, results by category and gas, QA flags) with energy's own tables on top: the
energy balance in physical units and standard coal, the reference approach, the electricity and
heat flows, the statistics-bureau frame, the dual-control indicators, the industry view and the
quarterly figures; :func:`write_tables` writes them as an Excel workbook.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from inventory.core.activity import quarter_of
from inventory.core.factors import FactorDatabase
from inventory.core.methods import resolve_method
from inventory.core.vocabulary import load_vocabulary
from inventory.present.charts import stacked_bars
from inventory.present.excel import PERCENT, write_workbook
from inventory.present.html import Html, html
from inventory.present.tables import label
from inventory.sectors.compilation import Compilation, computed, kept, refused_in_finished_run, remembered
from inventory.sectors.contract import Settings
from inventory.sectors.energy import SECTOR
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
from inventory.sectors.energy.combustion import compute_combustion
from inventory.sectors.energy.electricity import DEFAULT_SERIES
from inventory.sectors.energy.qa import check_implied_factors
from inventory.sectors.ippu import SECTOR as IPPU
from inventory.sectors.qa import FLAG_COLUMNS
from inventory.sectors.results import settings_for

__all__ = ["EnergyCompilation", "compile_energy", "write_tables"]


class EnergyCompilation(Compilation):
    """The energy sector of one region-year (module docstring)."""

    parameter_order = ("ncv", "carbon_content", "oxidation", "ef")
    balance: EnergyBalance
    reference: pd.DataFrame
    indicators: Indicators
    base: Indicators | None
    quarters: pd.DataFrame | None

    def prepare(self) -> None:
        parameters = self.settings.parameters
        preference = list(self.settings.factor_sets)
        base_year = int(parameters["base_year"])
        self.closure_threshold = float(parameters["closure_threshold"])
        self.grid_series = {"electricity": parameters["grid_series"],
                            "heat": parameters.get("heat_series") or DEFAULT_SERIES["heat"]}
        self.balance = build_balance(self.records, self.factors, self.region, self.year, preference)
        self.reference = reference_approach(self.balance, self.records, self.result.emissions, self.factors,
                                            preference, float(parameters["reference_threshold"]))
        later = self.year > base_year
        self.processes = process_emissions(self.activity, self.factors, self.region, self.year, self.settings)
        self.frame = statistics_frame(pd.concat([self.result.emissions, self.processes], ignore_index=True))
        self.indicators = indicators(self.balance, self.records, self.frame.loc["total", "co2_t"],
                                     _renewables(self.activity, self.region, base_year) if later else None)
        self.base = _base_indicators(self.activity, self.factors, self.region, base_year, self.settings) \
            if later else None
        self.quarters, self._quarter_flags = _quarterly(self.records, self.factors, preference, self.lang)

    def header(self) -> Html:
        """The shared header (:meth:`Compilation.header`), then the grid factor series asked for and the
        energy total [10^4 t and t CO2e]."""
        total = self.total_co2e()
        return super().header() + html(
            "<p>电网因子系列 / grid factors: <code>{}</code></p><p>能源活动排放合计 / energy total: "
            "<b>{:,.2f} 万吨 CO₂当量</b> ({:,.0f} t CO₂e)</p>", self.grid_series["electricity"], total / 1e4, total)

    def sector_flags(self) -> list[pd.DataFrame]:
        return [check_implied_factors(self.result.emissions, self.factors),
                _balance_flags(self.balance, self.reference, self.closure_threshold), self._quarter_flags]

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

    # --- energy balance, reference approach, electricity, frame, indicators -------------------
    @kept
    def balance_physical(self) -> pd.DataFrame:
        """能源平衡表（实物量）: rows × fuels in statistical units (万吨, 亿立方米, 万千瓦时, 万吉焦)."""
        return balance_table(self.balance, self.lang)

    @kept
    def balance_standard_coal(self) -> pd.DataFrame:
        """能源平衡表（标准量）[10^4 tce]: electricity at calorific value (当量) and coal equivalent (等价)."""
        return balance_table(self.balance, self.lang, tce=True)

    @kept
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

    @kept
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

    def has_flows(self) -> bool:
        """Whether electricity or heat flows (调入, 调出, import, export) are recorded this year."""
        records = self.records
        return bool(((records["category"] == "EB") & records["item"].isin(["electricity", "heat"])
                     & records["quantity"].isin(["inflow", "outflow", "import", "export"])).any())

    @kept
    def electricity_table(self) -> pd.DataFrame:
        """Net electricity and heat inflow, the grid factor (its series named) and the memo CO2."""
        zh = self.lang == "zh"
        memos = self.result.emissions[self.result.emissions["category"].isin(["M.ELEC", "M.HEAT"])]
        rows = []
        for memo in memos.to_dict("records"):
            factor_id = dict(memo["links"])["grid_ef"]
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

    @kept
    def frame_table(self) -> pd.DataFrame:
        """碳排放统计核算: CO2 of energy activities and industrial processes (the IPPU sector's CO2 of the same
        region-year, :func:`process_emissions`), with the electricity and heat flows."""
        frame = self.frame
        zh = self.lang == "zh"
        return pd.DataFrame({
            ("项目" if zh else "item"): frame["name_zh" if zh else "name_en"].to_numpy(),
            ("CO₂（万吨）" if zh else "CO₂ [10^4 t]"): (frame["co2_t"] / 1e4).to_numpy(),
            ("CO₂（吨）" if zh else "CO₂ [t]"): frame["co2_t"].to_numpy(),
            label("note", self.lang): ["", _PROCESS_NOTE[bool(frame.loc["processes", "co2_t"] == frame.loc[
                "processes", "co2_t"])], "", "", "", ""],
        })

    @kept
    def dual_control(self) -> pd.DataFrame:
        return dual_control_table(self.indicators, self.base, self.lang)

    @kept
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


#: the frame's note on the process row: (estimated?) → text
_PROCESS_NOTE = {True: "工业生产过程部门的 CO₂ / the IPPU sector's CO₂",
                 False: "未估算或不发生（见工业生产过程报告）/ not estimated or not occurring (see the IPPU report)"}
#: fuel family of an item group, or of an item where its group says otherwise (coal-derived gases)
_FAMILY = {"fuel_solid": "coal", "fuel_liquid": "oil", "fuel_gas_mass": "gas", "fuel_gas": "gas",
           "coke_oven_gas": "coal", "other_gas": "coal"}
_COLOURS = {"coal": "#555555", "oil": "#c0772b", "gas": "#2b7bc0", "other": "#9a9a9a"}
_FAMILY_LABELS = {"coal": ("煤炭", "coal"), "oil": ("石油", "oil"), "gas": ("天然气", "gas"),
                  "other": ("其他", "other")}


def compile_energy(region, year: int, data_dir: str | Path, gwp: str = "AR5", factor_sets: str = "",
                   lang: str = "zh", yoy_threshold: float = 0.3, grid_series: str = DEFAULT_SERIES["electricity"],
                   heat_series: str = DEFAULT_SERIES["heat"], closure_threshold: float = 0.05,
                   reference_threshold: float = 0.05, base_year: int = 2020, method: str = "") -> EnergyCompilation:
    """Compile the energy sector of one region and year, with its QA flags.

    Reads (and validates) every activity file of ``data_dir`` and the shipped and local factors;
    computes fuel combustion, fugitive emissions and the memo items, the energy balance, the
    reference approach, the statistics-bureau frame, the dual-control indicators (against
    ``base_year``) and, when records are filed by quarter, the quarterly figures; the same region's
    previous year is computed for the year-on-year check. ``method``: the method edition
    (:mod:`inventory.core.methods`; empty: the provincial guideline).
    """
    return EnergyCompilation(SECTOR, region, year, data_dir, gwp=gwp, factor_sets=factor_sets, lang=lang,
                             yoy_threshold=yoy_threshold, method=method, grid_series=grid_series,
                             heat_series=heat_series, closure_threshold=closure_threshold,
                             reference_threshold=reference_threshold, base_year=base_year)


def process_emissions(activity, factors: FactorDatabase, region: str, year: int, settings: Settings) -> pd.DataFrame:
    """The IPPU sector's emissions of a region-year (computed as its own notebook computes them, with the
    same GWP, method and factor sets; remembered), for the statistics-bureau frame; empty without IPPU
    records. The energy sector ``reads`` the ``2`` records for this, so they are in its content keys."""
    ippu_settings = settings_for(IPPU, settings.gwp, settings.factor_sets,
                                 method=resolve_method(settings.method, factors.local_factor_sets()))
    result = computed(IPPU, activity, factors, region, int(year), ippu_settings)
    return result.emissions if result is not None else pd.DataFrame(columns=["category", "gas", "emissions_t"])


def _base_indicators(activity, factors: FactorDatabase, region: str, base_year: int,
                     settings: Settings) -> Indicators | None:
    """The base year's indicators, remembered (every later year compares to them)."""
    def make() -> Indicators | None:
        records = activity.select(region, base_year)
        if not len(records):
            return None
        result = computed(SECTOR, activity, factors, region, base_year, settings)
        processes = process_emissions(activity, factors, region, base_year, settings)
        return indicators(build_balance(records, factors, region, base_year, list(settings.factor_sets)), records,
                          statistics_frame(pd.concat([result.emissions, processes], ignore_index=True))
                          .loc["total", "co2_t"], None)

    return remembered(("base indicators", region, base_year, settings.key()), activity, factors, make)


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


def _quarterly(records: pd.DataFrame, factors: FactorDatabase, preference: list[str],
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
        emissions = compute_combustion(part, factors, preference).emissions if len(part) else pd.DataFrame(
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


def write_tables(compilation: EnergyCompilation, path: str | Path) -> Path | None:
    """The report's tables as an Excel workbook (one sheet each), written atomically: the emissions,
    the energy balance in physical units and in standard coal, its closure, the reference approach,
    the electricity and heat flows, the statistics-bureau frame, the dual-control indicators, the
    industry view, the quarterly figures, the activity records (as filed, converted, file:line), the
    factor rows used (source, table, confidence) and the QA flags. Every sheet has a number format per
    column (the balance in 4 decimals, shares as percentages, factors as given), widths, a frozen
    heading and an A4 print setup (:func:`inventory.present.excel.add_sheet`). None (with a printed
    message, nothing written) when ``path`` is in the staging folder of a finished ``inventory run``
    (:func:`~inventory.sectors.compilation.finished_run_staging`)."""
    if refused_in_finished_run(path, "Excel 表格 / Excel tables"):
        return None
    zh = compilation.lang == "zh"
    physical = compilation.balance_physical().reset_index()
    standard = compilation.balance_standard_coal().reset_index()
    indicators_table = compilation.dual_control()
    names = {
        "emissions": "排放结果" if zh else "emissions",
        "physical": "能源平衡表（实物量）" if zh else "balance (physical)",
        "standard": "能源平衡表（标准量）" if zh else "balance (tce)", "closure": "平衡差额" if zh else "closure",
        "reference": "参考方法" if zh else "reference approach",
        "electricity": "电力热力调入调出" if zh else "electricity and heat",
        "frame": "碳排放统计核算" if zh else "statistics frame", "dual": "双控指标" if zh else "dual control",
        "industry": "行业" if zh else "industry", "quarters": "季度核算" if zh else "quarters",
        "activity": "活动数据" if zh else "activity data", "factors": "排放因子" if zh else "factors used",
        "flags": "质量检查" if zh else "QA flags",
    }
    sheets = {
        names["emissions"]: compilation.by_category(),
        names["physical"]: physical,
        names["standard"]: standard,
        names["closure"]: compilation.closure_table(),
        names["reference"]: compilation.reference_table(),
        names["electricity"]: compilation.electricity_table(),
        names["frame"]: compilation.frame_table(),
        names["dual"]: indicators_table,
        names["industry"]: compilation.industry_table().reset_index().rename(
            columns={"index": "行业" if zh else "industry"}),
    }
    if compilation.quarters is not None:
        sheets[names["quarters"]] = compilation.quarters
    sheets[names["activity"]] = compilation.activity_table()
    sheets[names["factors"]] = compilation.factors_table()
    sheets[names["flags"]] = compilation.flags_table()
    value = label("value", compilation.lang)
    formats = {
        names["physical"]: {c: _BALANCE_FORMAT for c in physical.columns[1:]},
        names["standard"]: {c: _BALANCE_FORMAT for c in standard.columns[1:]},
        names["closure"]: {"占可供量" if zh else "share of available": PERCENT},
        names["reference"]: {"差异" if zh else "difference": PERCENT},
        names["dual"]: {**{c: _BALANCE_FORMAT for c in indicators_table.columns[1:]},
                        ("变化" if zh else "change"): PERCENT},
        names["industry"]: {"CO₂ 占比" if zh else "CO₂ share": PERCENT},
        names["activity"]: {value: _ACTIVITY_FORMAT},
        names["factors"]: {value: "General"},
    }
    title = f"{compilation.region_name}（{compilation.region}）{compilation.year}" + (
        " · 示例数据，非官方统计" if compilation.illustrative else "")
    return write_workbook(path, title, sheets, formats=formats)


#: the energy balance and the indicators in statistical units (万吨, 亿立方米, 万吨标准煤): 4 decimals
_BALANCE_FORMAT = "#,##0.0000;-#,##0.0000;0"
#: activity in standard units: at least 2 decimals, up to 4
_ACTIVITY_FORMAT = "#,##0.00##;-#,##0.00##;0"
