"""The inventory document of one region and year: the notebook ``notebooks/inventory.ipynb`` calls these.

What a reviewer reads (the issue's "The document"): the totals by sector and gas with and without
LULUCF, the statistics-bureau CO₂ frame beside them, the time series of every year compiled with the
change against the year before and the base year, per-person and per-GDP indicators, the county
breakdown and the failing rows of the city–county consistency, the factors with their sources and
confidence, the QA findings, key categories and uncertainty. The analyses (``consistency.csv``,
``key_categories.csv``, ``uncertainty.csv``) are computed once per run by :func:`analyses` and read
here; the document computes nothing heavy itself.

The **base year** of the trend (change against the base year, key-category trend assessment, the
uncertainty of the trend): energy's ``base_year`` parameter (the dual-control base year, 2020) when
that year is among the years compiled for the region, else the first year compiled
(:func:`base_year_of`).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from inventory.core.method import matches
from inventory.core.provenance import UNVERIFIED
from inventory.core.regions import RegionRegistry, load_regions
from inventory.core.results import read_results
from inventory.present.html import ILLUSTRATIVE, Html, html

__all__ = ["ANALYSES", "CONFIDENCE_EXPLAINED", "Document", "NoPublishedInventory", "REVIEW_STATUS", "SECTIONS",
           "analyses", "base_year_of", "load_document", "sector_of"]

#: the default review status shown at the top of every document (and on every printed page)
REVIEW_STATUS = "未经审定 / not yet approved"
#: the analysis files a run computes once for every region (file name → what it is)
ANALYSES = ("consistency.csv", "key_categories.csv", "uncertainty.csv")
#: LULUCF categories: totals are given with and without them (CONTRACTS §6: LULUCF = 3.B)
LULUCF = ("3.B",)
#: the document's sections: anchor → (Chinese, English) heading, in order (the table of contents)
SECTIONS = {
    "qa": ("质量控制摘要", "QA findings at a glance"),
    "totals": ("按部门和气体的排放总量", "Totals by sector and gas"),
    "frame": ("统计部门碳排放核算口径", "The statistics-bureau CO₂ frame"),
    "completeness": ("完整性", "Completeness"),
    "series": ("时间序列", "Time series"),
    "indicators": ("人均和单位GDP指标", "Per person and per GDP"),
    "counties": ("县市区分解与市县衔接", "Counties and city–county consistency"),
    "key": ("关键类别", "Key categories"),
    "uncertainty": ("不确定性", "Uncertainty"),
    "factors": ("排放因子及其来源", "Factors and their sources"),
    "methods": ("各部门方法与数据来源", "Methods and data sources by sector"),
    "appendix": ("附录：全部质量控制发现", "Appendix: every QA finding"),
}
#: how many findings and factor rows the QA summary at the top shows (the rest: the appendix)
QA_TOP = 12
_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
#: what each confidence level of a factor row means (core.provenance.CONFIDENCE_ORDER, best first)
CONFIDENCE_EXPLAINED = pd.DataFrame([
    ("verified", "已核实", "已对照官方文件（指南、标准）逐项核对", "checked against the official document"),
    ("local", "本地", "本地区测定或填报的数值（数据目录的 factors/）",
     "measured or filed locally (the data folder's factors/)"),
    ("derived", "推导", "由其他已知数值换算得到，未单独核实", "derived from other values, not checked on its own"),
    ("secondary", "二手", "引自二手资料（文献、汇编），未对照原始文件",
     "from a secondary source, not checked against the original"),
    ("memory", "凭记忆", "按记忆录入的常用值，须核实", "entered from memory: must be checked"),
    ("missing", "缺失", "没有可用的因子行", "no factor row was found"),
], columns=["confidence", "name_zh", "meaning_zh", "meaning_en"])


class NoPublishedInventory(FileNotFoundError):
    """The document was opened where no inventory has been published (interactive use before a run)."""


@functools.lru_cache(maxsize=4096)
def sector_of(category: str) -> str:
    """The registered sector that owns ``category`` (memo items ``M.*`` belong to energy); '' if none."""
    from inventory.sectors import registry

    for name, sector in registry().items():
        if sector.owns_category(category):
            return name
    return ""


def base_year_of(years: list[int], energy_base_year: int = 2020) -> int:
    """The base year of the trend: energy's ``base_year`` when compiled, else the first year compiled."""
    years = sorted(int(y) for y in years)
    return int(energy_base_year) if int(energy_base_year) in years else years[0]


def _energy_base_year() -> int:
    from inventory.sectors import registry

    energy = registry().get("energy")
    found = [p.default for p in energy.parameters if p.name == "base_year"] if energy else []
    return int(found[0]) if found else 2020


def analyses(emissions: pd.DataFrame, registry: RegionRegistry, factors, activity) -> dict[str, pd.DataFrame]:
    """``consistency.csv``, ``key_categories.csv`` and ``uncertainty.csv`` of a run, computed once.

    ``emissions``: the collected sector results (with ``records`` and ``factor_ids``). Every region
    gets its rows (a ``region`` column first: CONTRACTS §5 says "per top region"; the run writes every
    region so that each region's document finds its own): key categories (Approach 1, with and
    without LULUCF) for the region's latest year against its base year (:func:`base_year_of`), and
    the uncertainty of its total (Approach 1 and 2) for the same years.
    """
    from inventory.documents.consistency import consistency_table
    from inventory.documents.key_categories import key_category_analysis
    from inventory.documents.uncertainty import analysis_table, uncertainty

    consistency = consistency_table(emissions, registry)
    table = analysis_table(emissions, factors, activity)
    energy_base = _energy_base_year()
    keys, ranges = [], []
    for region in sorted(table["region"].unique()):
        own = table[table["region"] == region].drop(columns="region")
        years = sorted(int(y) for y in own["year"].unique())
        latest, base = years[-1], base_year_of(years, energy_base)
        found = key_category_analysis(own, latest, base)
        keys.append(found.assign(year=latest, base_year=base))
        for approach in (1, 2):
            ranges.append(uncertainty(own, latest, base, approach).assign(year=latest, base_year=base)
                          .assign(region=region))
        keys[-1] = keys[-1].assign(region=region)
    return {"consistency.csv": _region_first(consistency), "key_categories.csv": _region_first(_concat(keys)),
            "uncertainty.csv": _region_first(_concat(ranges))}


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["region"])


def _region_first(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[["region"] + [c for c in frame.columns if c != "region"]]


_ID = re.compile(r"=\s*([^;|]+)")


def factor_ids(text: object) -> list[str]:
    """The factor ids of a ``factor_ids`` cell (``ncv=fuels-0351; ef=fuels-0111 | ef=…``)."""
    if not isinstance(text, str):
        return []
    return [found.strip() for found in _ID.findall(text) if found.strip()]


@dataclass
class Document:
    """The document's tables of one region and year (module docstring).

    ``emissions``: every year compiled of the region and its members (the columns of
    ``emissions_provenance.csv``); ``flags``: the sector QA flags of the region and its members;
    ``records``: the activity records of the region (every year; the socioeconomic ones, category
    ``SOC``, give the indicators); ``analyses``: the frames of :data:`ANALYSES` (a missing one is None).
    """

    region: str
    year: int
    registry: RegionRegistry
    emissions: pd.DataFrame
    gwp: str = "AR5"
    lang: str = "zh"
    illustrative: bool = False
    review_status: str = REVIEW_STATUS
    records: pd.DataFrame = field(default_factory=pd.DataFrame)
    flags: pd.DataFrame = field(default_factory=pd.DataFrame)
    analyses: dict = field(default_factory=dict)
    base_year: int | None = None
    origin: str = ""
    #: what the emissions and flags were read from (paths, sizes, modification times): the findings of a
    #: region are the same in the documents of all its years, and a warm kernel computes them once
    inputs_key: tuple = ()

    def __post_init__(self) -> None:
        self.year = int(self.year)
        self.region = str(self.region)
        if self.base_year is None:
            years = self.years() or [self.year]
            self.base_year = base_year_of(years, _energy_base_year())

    # --- helpers ----------------------------------------------------------------------------
    @property
    def soc(self) -> pd.DataFrame:
        """The socioeconomic records (population, GDP) of the region."""
        records = self.records
        return records[records["category"] == "SOC"] if len(records) else records

    @property
    def zh(self) -> bool:
        return self.lang == "zh"

    def _t(self, zh: str, en: str) -> str:
        return zh if self.zh else en

    def name(self, code: str | None = None) -> str:
        code = self.region if code is None else code
        if code not in self.registry:
            return code
        entry = self.registry[code]
        return f"{entry.name_zh if self.zh else entry.name_en} ({code})"

    def _inventory(self, region: str | None = None) -> pd.DataFrame:
        """Rows of ``region`` (default: the document's) that enter inventory totals (memo items apart)."""
        emissions = self.emissions
        return emissions[(emissions["region"] == (region or self.region)) & ~emissions["category"].str.startswith("M.")]

    def region_name(self) -> str:
        """The region's name in the document's language, without its code (the code is shown beside it)."""
        if self.region not in self.registry:
            return self.region
        entry = self.registry[self.region]
        return entry.name_zh if self.zh else entry.name_en

    def own_emissions(self) -> pd.DataFrame:
        """The region's own rows (every year, memo items included), without its members'."""
        return self.emissions[self.emissions["region"] == self.region]

    def years(self) -> list[int]:
        own = self.emissions[self.emissions["region"] == self.region]
        return sorted(int(y) for y in own["year"].unique())

    def members(self) -> list[str]:
        """The county-level members of the region (parks are inside their county)."""
        return [c for c in self.registry.children(self.region) if self.registry[c].level != "park"]

    # --- the top of the document --------------------------------------------------------------
    def header(self) -> Html:
        """内部资料, the review status, the region and year, the GWP set, the 示例数据 banner."""
        lines = [html('<p class="workbench-restricted"><b>内部资料</b> · 审定状态 / review status: <b>{}</b></p>',
                      self.review_status),
                 html("<h1>{} {} 温室气体清单 / GHG inventory {}</h1>", self.name(), self.year, self.year),
                 html("<p>全球增温潜势 / GWP: {} (100年 / 100-year) · 基准年 / base year: {}</p>",
                      self.gwp, str(self.base_year))]
        if self.illustrative:
            lines.append(ILLUSTRATIVE)
        if self.origin:
            lines.append(html("<p>数据 / data: <code>{}</code></p>", self.origin))
        return Html("").join(lines)

    def contents(self) -> Html:
        """The table of contents: a link to each section's anchor."""
        items = Html("").join(html('<li><a href="#{}">{}</a></li>', anchor, self._t(zh, en) if self.zh else en)
                              for anchor, (zh, en) in SECTIONS.items())
        return html("<nav><h2>{}</h2><ol>{}</ol></nav>", self._t("目录", "Contents"), items)

    def heading(self, anchor: str) -> Html:
        """The heading of a section, with its anchor (the table of contents links to it)."""
        zh, en = SECTIONS[anchor]
        number = list(SECTIONS).index(anchor) + 1
        return html('<h2 id="{}">{} {} / {}</h2>', anchor, number, zh, en) if self.zh else \
            html('<h2 id="{}">{} {}</h2>', anchor, number, en)

    # --- totals ----------------------------------------------------------------------------
    def _sector_label(self, name: str) -> str:
        from inventory.sectors import registry

        sector = registry().get(name)
        return (sector.title_zh if self.zh else sector.title_en) if sector else name

    def totals(self, year: int | None = None) -> pd.DataFrame:
        """CO₂e [10⁴ t, 万吨] of ``year`` (default: the document's) by sector (rows, registry order) and
        gas (columns), a ``total`` column; then the totals without LULUCF and with LULUCF (removals
        negative). Memo items (``M.*``) never enter."""
        from inventory.sectors import registry

        year = self.year if year is None else int(year)
        own = self._inventory()
        own = own[own["year"] == year]
        sector = own["category"].map(sector_of)
        table = own.assign(sector=sector).pivot_table(index="sector", columns="gas", values="co2e_t",
                                                      aggfunc="sum", fill_value=0.0) / 1e4
        gases = [g for g in ("CO2", "CH4", "N2O") if g in table.columns] + sorted(
            g for g in table.columns if g not in ("CO2", "CH4", "N2O"))
        table = table.reindex(index=[n for n in registry() if n in table.index], columns=gases)
        table["total"] = table.sum(axis=1)
        land = own["category"].map(lambda c: matches(c, LULUCF))
        without = own[~land].groupby("gas")["co2e_t"].sum() / 1e4
        with_all = own.groupby("gas")["co2e_t"].sum() / 1e4
        rows = {self._t("总量（不含土地利用变化和林业）", "Total without LULUCF"): without,
                self._t("总量（含土地利用变化和林业）", "Total with LULUCF"): with_all}
        extra = pd.DataFrame({name: values.reindex(gases).fillna(0.0) for name, values in rows.items()}).T
        extra["total"] = extra.sum(axis=1)
        table.index = [self._sector_label(n) for n in table.index]
        table = pd.concat([table, extra])
        table.columns = [c if c != "total" else self._t("合计", "Total") for c in table.columns]
        table.index.name = self._t(f"万吨CO₂当量（{self.gwp}）", f"10⁴ t CO₂e ({self.gwp})")
        return table

    def frame(self) -> pd.DataFrame:
        """The statistics bureau's CO₂ frame (energy's :func:`statistics_frame`: fuel combustion and
        industrial-process CO₂, then the indirect CO₂ of net electricity and heat inflow) beside the
        GHG inventory's totals, [10⁴ t] of the document's year."""
        from inventory.sectors.energy.balance import statistics_frame

        own = self.emissions[(self.emissions["region"] == self.region) & (self.emissions["year"] == self.year)]
        frame = statistics_frame(own)
        rows = [(name_zh if self.zh else name_en, value / 1e4) for name_zh, name_en, value in
                zip(frame["name_zh"], frame["name_en"], frame["co2_t"])]
        totals = self.totals()
        for label in totals.index[-2:]:
            rows.append((self._t("温室气体清单 ", "GHG inventory: ") + label, float(totals.loc[label].iloc[-1])))
        return pd.DataFrame(rows, columns=[self._t("口径", "Frame"), self._t("万吨", "10⁴ t")])

    # --- time series -------------------------------------------------------------------------
    def series(self) -> pd.DataFrame:
        """The region's total [t CO₂e] of every year compiled: without LULUCF, LULUCF, with LULUCF, and
        the change of the total with LULUCF against the year before and the base year [fraction]."""
        own = self._inventory()
        years = self.years()
        land = own["category"].map(lambda c: matches(c, LULUCF))
        without = own[~land].groupby("year")["co2e_t"].sum().reindex(years, fill_value=0.0)
        lulucf = own[land].groupby("year")["co2e_t"].sum().reindex(years, fill_value=0.0)
        total = without + lulucf
        previous = total.shift(1)
        base = total.get(self.base_year, np.nan)
        return pd.DataFrame({
            "without_lulucf_t": without, "lulucf_t": lulucf, "with_lulucf_t": total,
            "change_previous": (total - previous) / previous.abs(),
            "change_base": (total - base) / abs(base) if base else np.nan,
        }).rename_axis("year")

    def series_table(self) -> pd.DataFrame:
        """:meth:`series` with headings in the document's language, changes in percent."""
        table = self.series()
        table[["change_previous", "change_base"]] *= 100
        names = {"without_lulucf_t": ("不含LULUCF（吨CO₂当量）", "Without LULUCF [t CO₂e]"),
                 "lulucf_t": ("LULUCF（吨CO₂当量）", "LULUCF [t CO₂e]"),
                 "with_lulucf_t": ("含LULUCF（吨CO₂当量）", "With LULUCF [t CO₂e]"),
                 "change_previous": ("比上年变化（%）", "Change vs the year before [%]"),
                 "change_base": (f"比基准年{self.base_year}变化（%）", f"Change vs base year {self.base_year} [%]")}
        return _year_column(table.rename(columns={k: self._t(*v) for k, v in names.items()}), self.lang)

    def series_chart(self) -> Html:
        """The total of every year by sector [kt CO₂e], LULUCF drawn left of the zero line."""
        from inventory.present.charts import stacked_bars

        own = self._inventory()
        table = own.assign(sector=own["category"].map(sector_of)).pivot_table(
            index="year", columns="sector", values="co2e_t", aggfunc="sum", fill_value=0.0) / 1000.0
        colours = {"energy": "#555555", "ippu": "#8e6bb8", "agriculture": "#c0772b", "lulucf": "#2e7d32",
                   "waste": "#2b7bc0"}
        return stacked_bars(table, self._t(f"{self.name()} 各年度排放", f"{self.name()}: emissions by year"),
                            "kt CO₂e", colours, series_labels={n: self._sector_label(n) for n in table.columns},
                            row_labels={y: str(y) for y in table.index})

    # --- indicators ----------------------------------------------------------------------------
    def indicators(self) -> pd.DataFrame:
        """Per person [t CO₂e / person] and per GDP [t CO₂e / 10⁴ CNY] of every year compiled, for the
        total without and with LULUCF. Population: SOC ``population`` (stored in persons); GDP: SOC
        ``gdp_constant`` where filed, else ``gdp`` (stored in CNY), as energy's indicators read them."""
        series = self.series()
        soc = self.soc
        rows = []
        for year in series.index:
            records = soc[(soc["year"] == year) & (soc["period"] == "")] if len(soc) else soc
            population = records.loc[records["item"] == "population", "value"].sum() if len(records) else 0.0
            constant = records.loc[records["item"] == "gdp_constant", "value"] if len(records) else pd.Series()
            current = records.loc[records["item"] == "gdp", "value"] if len(records) else pd.Series()
            gdp = constant.sum() / 1e4 if len(constant.dropna()) else current.sum() / 1e4 if len(current.dropna()) \
                else np.nan
            without, total = series.at[year, "without_lulucf_t"], series.at[year, "with_lulucf_t"]
            rows.append({"year": year, "population": population or np.nan, "gdp_10k_cny": gdp,
                         "per_person_without_t": without / population if population else np.nan,
                         "per_person_with_t": total / population if population else np.nan,
                         "per_gdp_without_t": without / gdp if gdp else np.nan,
                         "per_gdp_with_t": total / gdp if gdp else np.nan})
        return pd.DataFrame(rows).set_index("year")

    def indicators_table(self) -> pd.DataFrame:
        names = {"population": ("常住人口（人）", "Population [persons]"),
                 "gdp_10k_cny": ("地区生产总值（万元）", "GDP [10⁴ CNY]"),
                 "per_person_without_t": ("人均（不含LULUCF，吨CO₂当量/人）", "Per person without LULUCF [t CO₂e]"),
                 "per_person_with_t": ("人均（含LULUCF，吨CO₂当量/人）", "Per person with LULUCF [t CO₂e]"),
                 "per_gdp_without_t": ("单位GDP（不含LULUCF，吨CO₂当量/万元）",
                                       "Per GDP without LULUCF [t CO₂e/10⁴ CNY]"),
                 "per_gdp_with_t": ("单位GDP（含LULUCF，吨CO₂当量/万元）", "Per GDP with LULUCF [t CO₂e/10⁴ CNY]")}
        return _year_column(self.indicators().rename(columns={k: self._t(*v) for k, v in names.items()}), self.lang)

    # --- counties and consistency ------------------------------------------------------------
    def county_breakdown(self) -> pd.DataFrame:
        """The region's own total and each county-level member's [t CO₂e, with LULUCF] of the document's
        year by sector, with the sum of the members (empty for a region without members)."""
        members = self.members()
        if not members:
            return pd.DataFrame()
        emissions = self.emissions
        chosen = emissions[(emissions["year"] == self.year) & emissions["region"].isin([self.region, *members])
                           & ~emissions["category"].str.startswith("M.")]
        table = chosen.assign(sector=chosen["category"].map(sector_of)).pivot_table(
            index="region", columns="sector", values="co2e_t", aggfunc="sum", fill_value=0.0)
        table["total"] = table.sum(axis=1)
        order = [self.region] + [m for m in members if m in table.index]
        table = table.reindex(order)
        table.loc["sum"] = table.loc[[m for m in members if m in table.index]].sum()
        table.index = [self.name(r) if r != "sum" else self._t("县市区合计", "Sum of the members") for r in table.index]
        table.columns = [self._sector_label(c) if c != "total" else self._t("合计", "Total") for c in table.columns]
        return table

    def consistency_failing(self) -> pd.DataFrame | None:
        """The failing rows of ``consistency.csv`` for the region (every year): what, where, by how
        much. None when the file is missing."""
        table = self.analyses.get("consistency.csv")
        if table is None:
            return None
        own = table[table["region"].astype(str) == self.region]
        if own.empty:  # a region without members (or a run without any): nothing to compare
            return own.reset_index(drop=True)
        from inventory.documents.consistency import failing, for_reading

        own = own.astype({"region": str})
        return for_reading(failing(own), self.registry, self.lang).reset_index(drop=True)

    # --- key categories and uncertainty --------------------------------------------------------
    def key_categories(self) -> pd.DataFrame | None:
        """The region's key categories (``key`` true), level and trend, with and without LULUCF."""
        table = self.analyses.get("key_categories.csv")
        if table is None:
            return None
        own = table[table["region"].astype(str) == self.region]
        key = own["key"].astype(str).str.lower().isin(("true", "1"))
        return own[key].drop(columns=["region", "year", "base_year"], errors="ignore").reset_index(drop=True)

    def uncertainty(self) -> pd.DataFrame | None:
        """The region's Approach 1 and 2 ranges of the total and the trend."""
        table = self.analyses.get("uncertainty.csv")
        if table is None:
            return None
        own = table[table["region"].astype(str) == self.region]
        return own.drop(columns=["region", "year", "base_year"], errors="ignore").reset_index(drop=True)

    def analysis_rows(self, factors, activity) -> pd.DataFrame:
        """The uncertainty analysis input of the region-year (``documents.uncertainty.analysis_table``:
        each row's activity and factor uncertainty and where it comes from); the region's every year is
        computed once per inputs (:meth:`findings`) and the year taken from it."""
        from inventory.documents.uncertainty import analysis_table

        table = _memo(("analysis", self.region), self.inputs_key,
                      lambda: analysis_table(self.own_emissions(), factors, activity))
        return table[table["year"].astype(int) == self.year].reset_index(drop=True)

    def uncertainty_sources(self, table: pd.DataFrame) -> pd.DataFrame:
        """Where the uncertainties of the year's rows come from: the CO₂e [t] and its share by source of
        the activity and of the factor uncertainty (``record`` / ``factor`` / ``ipcc_default``), from
        the analysis table (:func:`inventory.documents.uncertainty.analysis_table`) of the region-year."""
        rows = []
        weight = table["co2e_t"].abs()
        total = float(weight.sum()) or np.nan
        names = {"record": ("活动水平记录的不确定性列", "the records' uncertainty column"),
                 "factor": ("因子行的范围", "the factor rows' ranges"),
                 "ipcc_default": ("IPCC 2006 类别缺省值", "the IPCC 2006 default of the category")}
        for column, what in (("u_activity_source", self._t("活动水平", "activity")),
                             ("u_factor_source", self._t("排放因子", "factor"))):
            for source, share in weight.groupby(table[column]).sum().items():
                rows.append({self._t("项目", "for"): what,
                             self._t("不确定性来源", "source"): self._t(*names.get(source, (source, source))),
                             "co2e_t": float(share), self._t("占比（%）", "share [%]"): 100 * float(share) / total})
        return pd.DataFrame(rows)

    # --- QA ----------------------------------------------------------------------------------
    def findings(self, factors) -> pd.DataFrame:
        """The QA/QC findings of the region over every year compiled (``documents.qa.document_findings``):
        the same for each year's document of the region, so computed once per inputs and region."""
        from inventory.documents.qa import document_findings

        return _memo(("findings", self.region, tuple(self.years()), self.base_year,), self.inputs_key,
                     lambda: document_findings(self.emissions, self.flags, factors, self.region, self.years(),
                                               self.base_year, records=self.records))

    def factor_rows(self, factors) -> pd.DataFrame:
        """The region's QA flags grouped by factor row over every year (``documents.qa.by_factor_row``),
        computed once per inputs and region like :meth:`findings`."""
        from inventory.documents.qa import by_factor_row

        return _memo(("factor_rows", self.region,), self.inputs_key,
                     lambda: by_factor_row(self.own_emissions(), self.flags, factors))

    def _severity_label(self, severity: str) -> str:
        from inventory.sectors.qa import SEVERITY_NAMES

        zh, en = SEVERITY_NAMES.get(severity, (severity, severity))
        return f"{zh} {en}" if self.zh else en

    def qa_overview(self, findings: pd.DataFrame) -> pd.DataFrame:
        """The findings counted by check and severity, most severe first: how many, and the largest
        CO₂e [t] one of them puts at stake (``co2e_t`` of a finding; not added up: findings overlap)."""
        if findings.empty:
            return pd.DataFrame(columns=["severity", "check_zh", "check", "count", "co2e_t"])
        grouped = findings.groupby(["severity", "check_zh", "check"], as_index=False).agg(
            count=("check", "size"), co2e_t=("co2e_t", "max"))
        grouped = grouped.assign(order=grouped["severity"].map(_SEVERITY_ORDER)).sort_values(
            ["order", "count"], ascending=[True, False], kind="stable")
        grouped["severity"] = grouped["severity"].map(self._severity_label)
        columns = ["severity", "check_zh", "check", "count", "co2e_t"] if self.zh else \
            ["severity", "check", "count", "co2e_t"]
        return grouped[columns].reset_index(drop=True)

    def qa_top(self, findings: pd.DataFrame, n: int = QA_TOP) -> pd.DataFrame:
        """The ``n`` findings that matter most (errors, then warnings, by the CO₂e at stake), with what
        they say, where and what to do; notes (info) only in the appendix."""
        shown = findings[findings["severity"] != "info"]
        shown = shown.assign(order=shown["severity"].map(_SEVERITY_ORDER)).sort_values(
            ["order", "co2e_t"], ascending=[True, False], kind="stable").head(n)
        return self._findings_for_reading(shown, ["severity", "check_zh", "category", "item", "gas", "year",
                                                  "co2e_t", "message", "suggestion", "where"])

    def qa_all(self, findings: pd.DataFrame) -> pd.DataFrame:
        """Every finding, one line each (the appendix): what, where and the CO₂e at stake; the full texts
        are in the findings file the run writes beside the results (``results/<region>/<year>/inventory.csv``)."""
        return self._findings_for_reading(findings, ["severity", "check_zh", "category", "item", "gas", "year",
                                                     "co2e_t", "factor_id"])

    def _findings_for_reading(self, findings: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
        if not self.zh:
            columns = ["check" if c == "check_zh" else c for c in columns]
        table = findings[columns].copy()
        table["severity"] = table["severity"].map(self._severity_label)
        return table.reset_index(drop=True)

    def factor_rows_flagged(self, grouped: pd.DataFrame, n: int | None = QA_TOP) -> pd.DataFrame:
        """The factor rows under the most CO₂e with their QA flags (``documents.qa.by_factor_row``):
        unverified or flagged rows first, then by the CO₂e resting on them; ``n`` rows (None: all)."""
        from inventory.core.provenance import UNVERIFIED

        concern = grouped["confidence"].isin(UNVERIFIED) | (grouped["flag_count"] > 0)
        table = grouped.assign(concern=concern).sort_values(["concern", "co2e_t"], ascending=[False, False],
                                                            kind="stable")
        columns = ["factor_id", "parameter", "item", "value", "unit", "confidence", "source", "rows", "co2e_t",
                   "share", "flag_count", "checks"]
        table = table[columns]
        return (table.head(n) if n else table).reset_index(drop=True)

    def unverified_table(self, shares: pd.DataFrame) -> pd.DataFrame:
        """The share of CO₂e resting on unverified factors per sector (``documents.qa.unverified_share``),
        the sector named in the document's language."""
        name = "sector_zh" if self.zh else "sector_en"
        return shares[[name, "categories", "total_co2e_t", "unverified_co2e_t", "share"]].reset_index(drop=True)

    # --- factors -----------------------------------------------------------------------------
    def factor_table(self, factor_rows: pd.DataFrame) -> pd.DataFrame:
        """Every factor row the region's emissions of the year rest on, with its source, table and
        confidence, the CO₂e resting on it [t] and whether it is unverified."""
        own = self.emissions[(self.emissions["region"] == self.region) & (self.emissions["year"] == self.year)]
        if "factor_ids" not in own.columns:
            return pd.DataFrame()
        pairs = [(fid, co2e) for text, co2e in zip(own["factor_ids"], own["co2e_t"]) for fid in set(factor_ids(text))]
        resting = pd.DataFrame(pairs, columns=["id", "co2e_t"]).groupby("id")["co2e_t"].sum()
        rows = factor_rows[factor_rows["id"].isin(resting.index)].drop_duplicates("id")
        columns = [c for c in ("id", "parameter", "category", "item", "gas", "value", "unit", "confidence", "source",
                               "source_table") if c in rows.columns]
        # whole tonnes (the table's other numbers are shown to the factor's own precision)
        table = rows[columns].assign(co2e_t=rows["id"].map(resting).round().astype("int64").to_numpy(),
                                     flag=rows["confidence"].map(lambda c: "⚠ 未核实 unverified" if c in UNVERIFIED
                                                                 else "").to_numpy())
        return table.sort_values(["flag", "co2e_t"], ascending=[False, False]).reset_index(drop=True)

    def confidence_levels(self) -> pd.DataFrame:
        """What each confidence level means (best first)."""
        table = CONFIDENCE_EXPLAINED
        return table[["confidence", "name_zh", "meaning_zh", "meaning_en"]] if self.zh else \
            table[["confidence", "meaning_en"]]

    # --- sector reports ----------------------------------------------------------------------
    def sector_links(self) -> Html:
        """A link to each sector's report of the region-year (``energy.html`` … in the same folder)
        that has results, with the method of its rows."""
        from inventory.sectors import registry

        own = self.emissions[(self.emissions["region"] == self.region) & (self.emissions["year"] == self.year)]
        sectors = own["category"].map(sector_of)
        items = []
        for name in registry():
            rows = own[sectors == name]
            if rows.empty:
                continue
            methods = sorted(m for m in rows["method"].dropna().unique()) if "method" in rows.columns else []
            sources = sorted({r.strip().split(":")[0] for text in rows.get("records", pd.Series(dtype=str)).dropna()
                              for r in str(text).split(";") if r.strip()})
            items.append(html('<li><a href="{}.html">{}</a> · {}：{} · {}：{}</li>', name,
                              self._sector_label(name), self._t("方法", "methods"), "；".join(methods[:8]),
                              self._t("数据来源", "data"), "，".join(sources)))
        return html("<ul>{}</ul>", Html("").join(items))


#: results computed once for the documents of a region's years (a warm kernel runs them one after the other)
_MEMO: dict = {}


def _memo(key: tuple, inputs: tuple, compute):
    """``compute()``, kept for the next call with the same ``key`` while ``inputs`` (the files' identity)
    are the same; nothing is kept without ``inputs``, and only the entries of the latest inputs are."""
    if not inputs:
        return compute()
    if _MEMO.get("inputs") != inputs:
        _MEMO.clear()
        _MEMO["inputs"] = inputs
    if key not in _MEMO:
        _MEMO[key] = compute()
    return _MEMO[key].copy()


def _file_key(path: Path) -> tuple:
    """A file's identity for :func:`_memo`: its path, size and modification time (none if it is missing)."""
    try:
        stat = path.stat()
    except OSError:
        return (str(path),)
    return (str(path.resolve()), stat.st_size, stat.st_mtime_ns)


def _data_files(data_dir: Path) -> list[Path]:
    """The CSV files of a data folder (regions, activity, factors, enterprises): what the findings read."""
    return sorted([*data_dir.glob("*.csv"), *data_dir.glob("*/*.csv")])


def _year_column(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The year index as the first column, headed 年份 / Year (shown without a thousands separator)."""
    return table.rename_axis("年份" if lang == "zh" else "Year").reset_index()


def _read_optional(path: Path) -> pd.DataFrame | None:
    return pd.read_csv(path, dtype={"region": str, "category": str, "gas": str}, keep_default_na=False,
                       na_values=[""]) if path.is_file() else None


def load_document(region, year, data_dir: str | Path, out_dir: str | Path, gwp: str = "AR5", lang: str = "zh",
                  emissions_path: str = "", flags_path: str = "", consistency_path: str = "",
                  key_categories_path: str = "", uncertainty_path: str = "",
                  review_status: str = REVIEW_STATUS) -> Document:
    """The document of ``region`` and ``year``: from the files a run stages (the ``*_path``
    arguments), else from the inventory published in ``out_dir`` (interactive use). Raises
    :class:`NoPublishedInventory` (a message in Chinese and English) when there is none."""
    from inventory.core.activity import illustrative, read_activity
    from inventory.sectors.compilation import read_flags

    out = Path(out_dir)
    path = Path(emissions_path) if emissions_path else out / "emissions_provenance.csv"
    if not path.is_file():
        raise NoPublishedInventory(
            f"没有已发布的清单：{path} 不存在。请先运行 inventory run --data {data_dir} --out {out_dir}，"
            f"或把 out_dir 设为已发布清单的输出目录。 / No published inventory: {path} does not exist. Run "
            f"`inventory run --data {data_dir} --out {out_dir}` first, or set out_dir to a published output folder.")
    registry = load_regions(data_dir)
    region = str(region)
    members = {region} | registry.descendants(region)
    emissions = read_results(path)
    emissions = emissions[emissions["region"].isin(members)].reset_index(drop=True)
    if flags_path:
        flags = pd.read_csv(flags_path, dtype=str, keep_default_na=False) if Path(flags_path).is_file() else None
    else:  # the published flags files of the region and its members
        files = [p for m in members for p in sorted((out / "results" / m).glob(f"*/*{'.flags.csv'}"))]
        flags = pd.concat([read_flags(p) for p in files], ignore_index=True) if files else None
    if flags is not None and len(flags):
        flags = flags[flags["region"].isin(members)]
    found = {}
    for name, given in zip(ANALYSES, (consistency_path, key_categories_path, uncertainty_path)):
        found[name] = _read_optional(Path(given) if given else out / name)
    activity = read_activity(data_dir)
    records = activity.select(region)
    return Document(region, int(year), registry, emissions, gwp=gwp, lang=lang,
                    illustrative=illustrative(records) if len(records) else False, review_status=review_status,
                    records=records, flags=flags if flags is not None else pd.DataFrame(), analyses=found,
                    origin=path.name,
                    inputs_key=(_file_key(path), _file_key(Path(flags_path)) if flags_path else
                                tuple(_file_key(p) for p in files),
                                tuple(_file_key(p) for p in _data_files(Path(data_dir)))))
