"""What ``notebooks/agriculture.ipynb`` calls: the agriculture sector of one region and year.

:class:`AgricultureCompilation` is the shared :class:`~inventory.sectors.compilation.Compilation`
(activity, factors, results by category and gas, QA flags, chart) with agriculture's own tables on
top: the annual average population of every animal and how it was derived (with the source of
``days_alive``), the manure N by management system, the results by source and gas, and every
category of the sector with its notation key where it has no estimate (never a silent zero).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from inventory.core.vocabulary import load_vocabulary
from inventory.sectors.agriculture import SECTOR
from inventory.sectors.agriculture.compute import ENTERIC_CATEGORY, MANURE_CATEGORY
from inventory.sectors.agriculture.population import BASIS
from inventory.sectors.compilation import Compilation, kept
from inventory.sectors.qa import FLAG_COLUMNS

__all__ = ["AgricultureCompilation", "compile_agriculture", "SOURCES", "SHARE_TOLERANCE"]

#: the sources of the sector, as the report lists them (IPCC 2006 category, gases)
SOURCES = ([(c, ("CH4",)) for c in sorted(set(ENTERIC_CATEGORY.values()))]
           + [(c, ("CH4", "N2O")) for c in sorted(set(MANURE_CATEGORY.values()))]
           + [("3.C.1", ("CH4", "N2O")), ("3.C.2", ("CO2",)), ("3.C.3", ("CO2",)), ("3.C.4", ("N2O",)),
              ("3.C.5", ("N2O",)), ("3.C.6", ("N2O",)), ("3.C.7", ("CH4",))])
#: categories the workbench has no method for (reported NE with that reason)
NOT_COVERED = ("3.C.1",)
#: manure-system shares of an animal may differ from 1 by this much before they are flagged
SHARE_TOLERANCE = 0.01

_NAMES = {
    "item_name": ("畜禽", "Animal"), "population": ("年平均数量（头）", "Average population (head)"),
    "basis": ("推算方法", "Derivation"), "population_record": ("填报年平均数量", "Population as filed"),
    "slaughtered": ("出栏量", "Slaughtered"), "days_alive": ("饲养天数", "Days alive"),
    "days_alive_source": ("饲养天数来源", "Source of days alive"), "stock_year_end": ("年末存栏", "Year-end stock"),
    "stock_previous": ("上年末存栏", "Last year's year-end stock"), "records": ("记录位置", "Records"),
    "system": ("粪便管理方式", "Manure system"), "share": ("比例 MS", "Share MS"), "nex": ("Nex（kg N/头/年）",
                                                                                      "Nex (kg N/head/yr)"),
    "managed_n_t": ("管理氮量（t N）", "N managed (t N)"), "ef3": ("EF3", "EF3"),
    "frac_gas": ("Frac_GasMS", "Frac_GasMS"), "source": ("排放源", "Source"), "status": ("状态", "Status"),
    "source_name": ("排放源名称", "Source name"),
}


def _named(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    from inventory.present.tables import label

    return frame.rename(columns={c: (_NAMES[c][0 if lang == "zh" else 1] if c in _NAMES else label(c, lang))
                                 for c in frame.columns})


class AgricultureCompilation(Compilation):
    """The agriculture sector of one region-year (module docstring)."""

    parameter_order = ("days_alive", "ef", "GE", "Ym", "Nex", "Nrate", "TAM", "MS", "EF3", "Frac_GasMS",
                       "Frac_LeachMS", "EF4", "EF5", "EFc", "SFw", "SFp", "SFs", "SFo", "ROA", "CFOA", "season_days",
                       "EF1", "EF1FR", "EF3PRP", "Frac_GASF", "Frac_GASM", "Frac_LEACH", "EF_urea", "EF_liming")

    def _extra(self, name: str) -> pd.DataFrame:
        table = self.result.extras.get(name, pd.DataFrame())
        if table.empty:
            return table
        return table[(table["region"] == self.region) & (table["year"].astype(int) == self.year)]

    @kept
    def population_table(self) -> pd.DataFrame:
        """Every animal's annual average population, how it was derived, and the source of days_alive."""
        vocabulary = load_vocabulary()
        table = self._extra("population").copy()
        if table.empty:
            return table
        rows = self.factors.rows.set_index("id")
        table["item_name"] = table["item"].map(lambda i: vocabulary.item_name(i, self.lang))
        table["basis"] = table["basis"].map(lambda b: BASIS.get(b, "无法推算 / not derived (NE)"))
        table["days_alive_source"] = [
            f"{rows.at[i, 'source']} ({i}; {rows.at[i, 'confidence']})" if i and i in rows.index else ""
            for i in table["days_alive_id"]]
        columns = ["item", "item_name", "population", "basis", "population_record", "slaughtered", "days_alive",
                   "days_alive_source", "stock_year_end", "stock_previous", "records"]
        return _named(table[columns].reset_index(drop=True), self.lang)

    @kept
    def manure_table(self) -> pd.DataFrame:
        """N excreted by animal and manure management system (Eq. 10.25, 10.30)."""
        table = self._extra("manure_n")
        if table.empty:
            return table
        columns = ["item", "system", "population", "nex", "share", "managed_n_t", "ef3", "frac_gas"]
        return _named(table[columns].reset_index(drop=True), self.lang)

    @kept
    def by_source(self) -> pd.DataFrame:
        """Emissions by source (3.A.1, 3.A.2, 3.C.2 … 3.C.7) and gas [t], and CO2e [t]."""
        vocabulary = load_vocabulary()
        emissions = self.result.emissions.assign(
            source=lambda e: e["category"].map(lambda c: ".".join(c.split(".")[:3])))
        table = emissions.pivot_table(index="source", columns="gas", values="emissions_t", aggfunc="sum")
        table["CO2e"] = emissions.groupby("source")["co2e_t"].sum()
        table = table.reset_index()
        table.insert(1, "source_name", table["source"].map(lambda c: vocabulary.category_name(c, self.lang)))
        return _named(table, self.lang)

    @kept
    def notation_table(self) -> pd.DataFrame:
        """Every source × gas of the sector: estimated, or its notation key (a key filed for it, NE for
        want of data or of a factor, NE for a category the workbench has no method for)."""
        vocabulary = load_vocabulary()
        emissions = self.result.emissions
        estimated = set(zip(emissions["category"], emissions["gas"]))
        keyed = self.records[self.records["notation"] != ""]
        missing = self.flags[self.flags["check"].isin(["missing_factor", "population_derivation"])]
        rows = []
        for category, gases in SOURCES:
            filed = _keys_for(keyed, category)
            for gas in gases:
                if (category, gas) in estimated or any(c.startswith(category + ".") and g == gas for c, g in estimated):
                    status = "估算 / estimated"
                elif category in NOT_COVERED:
                    status = "NE — 本工作台未提供方法 / no method in the workbench"
                elif filed:
                    status = f"{filed} — 填报的注释符号 / notation key filed"
                elif _flagged(missing, category, gas):
                    status = "NE — 缺因子或无法推算，见质量控制 / factor missing or not derivable, see QA flags"
                else:
                    status = "NE — 无活动水平数据 / no activity data"
                rows.append({"source": category, "source_name": vocabulary.category_name(category, self.lang),
                             "gas": gas, "status": status})
        return _named(pd.DataFrame(rows), self.lang)

    def sector_flags(self) -> list[pd.DataFrame]:
        """Manure-system shares of an animal that do not add up to 1 (Eq. 10.25 needs Σ_S MS = 1)."""
        table = self._extra("manure_n")
        if table.empty:
            return []
        sums = table.groupby("item")["share"].sum()
        wrong = sums[(sums - 1.0).abs() > SHARE_TOLERANCE]
        return [pd.DataFrame([{"region": self.region, "year": self.year, "category": "3.A.2", "item": item,
                               "gas": "N2O", "check": "manure_shares", "severity": "warning",
                               "message": f"粪便管理方式比例之和为 {total:.3f}，应为 1 / the manure-system shares add "
                                          f"up to {total:.3f}, not 1"} for item, total in wrong.items()],
                             columns=FLAG_COLUMNS)]


def _keys_for(keyed: pd.DataFrame, category: str) -> str:
    """The notation keys filed for a source: under the category itself (3.C.7 …), or, for an
    animal's 3.A.1 / 3.A.2 source, under any 3.A category for that animal."""
    animals = {c: a for a, c in {**ENTERIC_CATEGORY, **MANURE_CATEGORY}.items()}
    if category.startswith("3.A"):
        owners = [a for a, c in ENTERIC_CATEGORY.items() if c == category] + \
                 [a for a, c in MANURE_CATEGORY.items() if c == category]
        rows = keyed[keyed["category"].str.startswith("3.A") & keyed["item"].isin(owners or [animals.get(category)])]
    else:
        rows = keyed[(keyed["category"] == category) | keyed["category"].str.startswith(category + ".")]
    return ", ".join(sorted(set(rows["notation"])))


def _flagged(flags: pd.DataFrame, category: str, gas: str) -> bool:
    if flags.empty:
        return False
    hit = (flags["category"] == category) | flags["category"].str.startswith(category + ".")
    return bool((hit & flags["gas"].isin([gas, ""])).any()) or bool(
        category.startswith("3.A") and (flags["category"] == "3.A").any()
        and np.isin(flags.loc[flags["category"] == "3.A", "item"],
                    [a for a, c in {**ENTERIC_CATEGORY, **MANURE_CATEGORY}.items() if c == category]).any())


def compile_agriculture(region, year, data_dir: str | Path, gwp: str = "AR5", method: str = "", factor_sets="",
                        lang: str = "zh", **parameters) -> AgricultureCompilation:
    """The agriculture compilation of one region and year (what the notebook shows)."""
    return AgricultureCompilation(SECTOR, region, year, data_dir, gwp=gwp, factor_sets=factor_sets, lang=lang,
                                  method=method, **parameters)
