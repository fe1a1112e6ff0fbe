"""What ``notebooks/ippu.ipynb`` calls: the IPPU sector of one region and year, and its tables.

:class:`IppuCompilation` is the shared :class:`~inventory.sectors.compilation.Compilation`
(activity, factors, results by category and gas, QA flags) with IPPU's own tables on top: every
product's emissions by gas with its method and factor ids, the notation key of every reporting
category without data, the check that feedstock carbon is reported to energy as non-energy use
(counted here once), the product carbon intensities and the enterprise cross-check
(:mod:`inventory.sectors.ippu.enterprises`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from inventory.core.method import category_mask
from inventory.core.provenance import format_links, map_unique
from inventory.core.vocabulary import load_vocabulary
from inventory.present.html import Html, html
from inventory.present.tables import headings, label
from inventory.sectors.compilation import Compilation, computed, kept
from inventory.sectors.energy import SECTOR as ENERGY
from inventory.sectors.energy.electricity import AUTO, series_for
from inventory.sectors.ippu import SECTOR
from inventory.sectors.ippu.enterprises import (
    DEFAULT_TOLERANCE,
    EnterpriseData,
    cross_check,
    enterprise_flags,
    read_enterprises,
)
from inventory.sectors.ippu.intensity import product_intensity
from inventory.sectors.qa import FLAG_COLUMNS
from inventory.sectors.results import records_for, settings_for

__all__ = ["IppuCompilation", "compile_ippu", "REPORTING_CATEGORIES", "FEEDSTOCK_SOURCES"]

#: the categories every IPPU report lists, with data or with a notation key
REPORTING_CATEGORIES = ("2.A.1", "2.A.2", "2.A.3", "2.A.4", "2.B.1", "2.B.2", "2.B.3", "2.B.5", "2.B.8.a",
                        "2.B.8.b", "2.B.9.a", "2.C.1", "2.C.2", "2.C.3", "2.F.1", "2.G.1")
#: IPPU sources whose carbon comes from a fuel the energy sector must report as non-energy use
#: (the 1.A category whose feedstock it is)
FEEDSTOCK_SOURCES = {"2.B.1": ("1.A.2.c", "合成氨原料 / ammonia feedstock"),
                     "2.B.5": ("1.A.2.c", "电石还原剂 / carbide reductant"),
                     "2.C.1": ("1.A.2.a", "高炉还原剂 / blast-furnace reductant"),
                     "2.C.2": ("1.A.2.a", "铁合金还原剂 / ferroalloy reductant")}


#: process CO2 from feedstock may exceed the carbon of non-energy use by this share before it is flagged
FEEDSTOCK_TOLERANCE = 0.05


class IppuCompilation(Compilation):
    """The IPPU sector of one region-year (module docstring)."""

    parameter_order = ("ef", "EF_process", "clinker_fraction", "CF_ckd", "CF_lkd", "Ch", "CR", "FR", "CCF", "COF",
                       "DF", "ASUF", "GAF")
    enterprises: EnterpriseData

    def prepare(self) -> None:
        parameters = self.settings.parameters
        self.tolerance = float(parameters.get("enterprise_tolerance", DEFAULT_TOLERANCE))
        self.enterprises = read_enterprises(self.data_dir)
        energy_settings = settings_for(ENERGY, self.settings.gwp, method=self.method)
        energy = computed(ENERGY, self.activity, self.factors, self.region, self.year, energy_settings)
        self.energy_emissions = energy.emissions if energy is not None else pd.DataFrame(
            columns=["category", "gas", "emissions_t", "co2e_t"])
        self.all_records = self.activity.select(self.region, self.year)
        self.grid_factor, self.grid_factor_id = _grid_factor(self.factors, self.region, self.year)

    def sector_flags(self) -> list[pd.DataFrame]:
        return [self._feedstock_flags(), enterprise_flags(self.cross_check_frame(), self.year)]

    def header(self) -> Html:
        """The shared header (:meth:`Compilation.header`), then the IPPU total [10^4 t and t CO2e]."""
        return super().header() + self.total_line()

    def grid_note(self) -> Html:
        """The grid factor the indirect emissions of product electricity use [t CO2/MWh] and its factor id."""
        if not self.grid_factor_id:
            return html("<p>没有电网因子 / <i>no grid factor</i></p>")
        return html("<p>电网因子 / grid factor: {:.4f} t CO₂/MWh (<code>{}</code>)</p>", self.grid_factor,
                    self.grid_factor_id)

    # --- products ------------------------------------------------------------------------------
    @kept
    def by_product(self) -> pd.DataFrame:
        """Every product's emissions by gas [t] and CO2e, with the method, the factor ids (role=id) and
        the weakest confidence."""
        vocabulary = load_vocabulary()
        emissions = self.result.emissions
        table = pd.DataFrame({
            "category": emissions["category"],
            "item_name": emissions["item"].map(lambda i: vocabulary.item_name(i, self.lang)),
            "activity_value": emissions["activity_value"], "activity_unit": emissions["activity_unit"],
            "gas": emissions["gas"], "emissions_t": emissions["emissions_t"], "co2e_t": emissions["co2e_t"],
            "method": emissions["method"], "factor_ids": map_unique(emissions["links"], format_links),
            "confidence": emissions["confidence"], "where": emissions["records"]})
        return headings(table.sort_values(["category", "item_name", "gas"]).reset_index(drop=True), self.lang)

    @kept
    def notation_table(self) -> pd.DataFrame:
        """Every reporting category: estimated (t CO2e), the notation key filed, or NE where nothing is
        filed (never a silent zero)."""
        vocabulary = load_vocabulary()
        zh = self.lang == "zh"
        emissions = self.result.emissions
        records = self.records
        rows = []
        for category in REPORTING_CATEGORIES:
            inside = emissions[category_mask(emissions["category"], (category,))]
            filed = records[category_mask(records["category"], (category,))]
            keys = sorted(set(filed.loc[filed["notation"] != "", "notation"]))
            if len(inside):
                status, value = ("已估算" if zh else "estimated"), float(inside["co2e_t"].sum())
            elif keys:
                status, value = "/".join(keys), np.nan
            elif len(filed):
                status = "NE（有记录但缺因子，见质量控制）" if zh else "NE (records but no factor: see QA)"
                value = np.nan
            else:
                status, value = ("NE（无记录；不存在该活动请填 NO）" if zh else
                                 "NE (no records; file NO where the activity does not occur)"), np.nan
            rows.append({"category": category, "category_name": vocabulary.category_name(category, self.lang),
                         ("状态" if zh else "status"): status, "co2e_t": value})
        return headings(pd.DataFrame(rows), self.lang)

    # --- energy and process kept apart ------------------------------------------------------------
    def _feedstock_flags(self) -> pd.DataFrame:
        """An IPPU source whose carbon comes from a fuel (ammonia feedstock, carbide and blast-furnace
        reductants) needs that fuel reported to energy as ``non_energy_use`` — otherwise the carbon is
        counted twice (burned in 1.A and emitted here). A warning where the region-year's energy records
        of that industry have no non-energy use, and where the CO2 of these sources exceeds the carbon of
        all non-energy use (energy's memo ``M.NEU``) by more than :data:`FEEDSTOCK_TOLERANCE`."""
        emissions = self.result.emissions
        records = self.all_records
        rows = []
        where = {"region": self.region, "year": self.year, "gas": "CO2", "severity": "warning"}
        for prefix, (energy_category, what) in FEEDSTOCK_SOURCES.items():
            here = emissions[category_mask(emissions["category"], (prefix,)) & (emissions["gas"] == "CO2")]
            if here.empty:
                continue
            feedstock = records[records["category"].str.startswith(energy_category)
                                & (records["quantity"] == "non_energy_use")]
            if feedstock.empty:
                for item in sorted(here["item"].unique()):
                    rows.append({**where, "category": prefix, "item": item, "check": "feedstock_not_in_energy",
                                 "message": f"{what}: {energy_category} 没有非能源利用（原料用能）记录，"
                                            f"该碳可能已按燃烧计入能源活动 / no non_energy_use under "
                                            f"{energy_category}: the carbon may be counted in combustion too"})
        table = self.feedstock_table()
        memo, process = float(table.iloc[0, 1]), float(table.iloc[1, 1])
        if process > memo * (1.0 + FEEDSTOCK_TOLERANCE) and memo > 0:
            rows.append({**where, "category": "M.NEU", "item": "", "check": "feedstock_carbon",
                         "message": f"来自原料/还原剂的过程 CO₂ {process:,.0f} t 大于能源活动原料用能中的碳 "
                                    f"{memo:,.0f} t CO₂：部分原料可能按燃烧计入了能源活动，或参数偏高 / process CO₂ "
                                    f"from feedstock {process:,.0f} t exceeds the carbon of non-energy use "
                                    f"{memo:,.0f} t: feedstock filed as burned, or parameters too high"})
        return pd.DataFrame(rows, columns=FLAG_COLUMNS)

    @kept
    def feedstock_table(self) -> pd.DataFrame:
        """The carbon of fuel used as feedstock or reductant: energy's memo ``M.NEU`` next to the process
        CO2 of the IPPU sources that consume it [t CO2] (the memo is outside energy's total; the
        process CO2 is in IPPU's)."""
        zh = self.lang == "zh"
        memo = self.energy_emissions[self.energy_emissions["category"] == "M.NEU"]
        emissions = self.result.emissions
        process = emissions[category_mask(emissions["category"], tuple(FEEDSTOCK_SOURCES))
                            & (emissions["gas"] == "CO2")]
        return pd.DataFrame({
            ("项目" if zh else "item"): ["能源活动信息项 M.NEU（原料用能中的碳，不计入能源合计）" if zh else
                                         "energy memo M.NEU (carbon in non-energy use, outside the energy total)",
                                         "工业生产过程中来自原料/还原剂的 CO₂（计入本部门）" if zh else
                                         "IPPU process CO₂ from feedstock and reductants (in this sector's total)"],
            "CO₂ t": [float(memo["emissions_t"].sum()), float(process["emissions_t"].sum())]})

    # --- intensity and enterprises ----------------------------------------------------------------
    @kept
    def intensity_table(self) -> pd.DataFrame:
        """Product carbon intensity [t CO2e/t]: process, the energy of the producing industry where one
        product is all of it, and the electricity (:func:`inventory.sectors.ippu.intensity.product_intensity`)."""
        return product_intensity(self.result.emissions, self.energy_emissions, self.all_records,
                                 self.enterprises.for_region(self.region, self.year), self.grid_factor, self.lang)

    def cross_check_frame(self) -> pd.DataFrame:
        """:func:`~inventory.sectors.ippu.enterprises.cross_check` of every region (this one, or the
        counties below it) whose key enterprises filed for the year, against that region's statistics."""
        if "_cross" not in self.__dict__:
            frames = []
            for region in self.enterprises.regions(self.region, self.year):
                enterprises = self.enterprises.for_region(region, self.year)
                enterprises = enterprises[enterprises["region"] == region]
                records = records_for(SECTOR, self.activity.select(region, self.year))
                result = self.result if region == self.region else computed(
                    SECTOR, self.activity, self.factors, region, self.year, self.settings)
                emissions = result.emissions if result is not None else self.result.emissions.iloc[:0]
                frames.append(cross_check(enterprises, records, emissions, self.tolerance, self.settings.gwp))
            self._cross = pd.concat(frames, ignore_index=True) if frames else cross_check(
                self.enterprises.rows.iloc[:0], self.records, self.result.emissions)
        return self._cross

    def enterprise_table(self) -> pd.DataFrame:
        """Key enterprises summed to the region against the statistics, product by product (gaps above the
        tolerance marked)."""
        frame = self.cross_check_frame()
        zh = self.lang == "zh"
        vocabulary = load_vocabulary()
        if frame.empty:
            return frame
        return pd.DataFrame({
            label("region", self.lang): frame["region"],
            label("category", self.lang): frame["category"],
            label("item_name", self.lang): frame["item"].map(lambda i: vocabulary.item_name(i, self.lang)),
            ("企业数" if zh else "enterprises"): frame["enterprises"],
            ("企业产量合计 t" if zh else "enterprise production t"): frame["enterprise_t"],
            ("统计产量 t" if zh else "statistics t"): frame["statistics_t"],
            ("差异 t" if zh else "gap t"): frame["gap_t"],
            ("相对差异" if zh else "relative gap"): frame["relative"],
            ("企业报告排放 t CO₂e" if zh else "reported by enterprises t CO₂e"): frame["reported_co2e_t"],
            ("本清单排放 t CO₂e" if zh else "this inventory t CO₂e"): frame["inventory_co2e_t"],
            label("flag", self.lang): np.where(frame["flagged"], "warning 超出容差 / above tolerance", ""),
        })


def _grid_factor(factors, region: str, year: int) -> tuple[float, str]:
    """The grid CO2 factor [t/MWh] of the region-year (the province's series, else its regional grid's,
    as energy's memo ``M.ELEC`` takes it) and its row id; NaN and '' where none."""
    series = series_for(AUTO, region, factors)
    row, _ = factors.resolve_series("grid_ef", region, int(year), "electricity", "CO2", series)
    if row is None:
        return float("nan"), ""
    return float(row["value"]) * factors.unit_scale(row["unit"], "t/MWh", "grid_ef", row["id"]), str(row["id"])


def compile_ippu(region, year: int, data_dir: str | Path, gwp: str = "AR5", factor_sets: str = "", lang: str = "zh",
                 yoy_threshold: float = 0.3, method: str = "",
                 enterprise_tolerance: float = DEFAULT_TOLERANCE) -> IppuCompilation:
    """Compile the IPPU sector of one region and year, with its QA flags.

    Reads (and validates) every activity file of ``data_dir``, the shipped and local factors and the
    key-enterprise files (``enterprises/*.csv``); computes every product's process emissions, the
    previous year for the year-on-year check, the energy sector's memo ``M.NEU`` for the feedstock
    table, the product intensities and the enterprise cross-check (gaps above
    ``enterprise_tolerance``, a share, flagged).
    """
    return IppuCompilation(SECTOR, region, year, data_dir, gwp=gwp, factor_sets=factor_sets, lang=lang,
                           yoy_threshold=yoy_threshold, method=method, enterprise_tolerance=enterprise_tolerance)
