"""What ``notebooks/waste.ipynb`` calls: the waste sector of one region and year, and its tables.

:class:`WasteCompilation` is the shared :class:`~inventory.sectors.compilation.Compilation`
(activity, factors, results by category and gas, QA flags) with the waste sector's own tables: the
landfill CH4 time series back to the first deposit (deposits, which are estimated, DDOCm, CH4
generated, recovered and emitted, and the FOD parameters of every year with the ids of their factor
rows), the biological treatment, incineration and wastewater results by gas, and every category of
the sector with its notation key where nothing is estimated.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from inventory.core.vocabulary import load_vocabulary
from inventory.present.charts import stacked_bars
from inventory.present.html import Html, html
from inventory.present.tables import headings
from inventory.sectors.compilation import Compilation, kept
from inventory.sectors.waste import SECTOR
from inventory.sectors.waste.compute import DEFAULTS, FOD_ROLES

__all__ = ["WasteCompilation", "compile_waste", "CATEGORIES"]

#: the categories of the waste sector a report accounts for, one by one
CATEGORIES = ("4.A.1", "4.A.2", "4.A.3", "4.B", "4.C.1", "4.C.2", "4.D.1", "4.D.2")
#: headings of the waste tables (Chinese, English)
LABELS = {
    "deposit": ("填埋量（吨）", "Deposited (t)"), "estimated": ("估算（回推）", "Estimated (back-cast)"),
    "ddocm": ("可分解DDOCm（吨C）", "DDOCm deposited (t C)"),
    "accumulated": ("累积DDOCm（吨C）", "DDOCm accumulated (t C)"),
    "generated": ("CH4产生量（吨）", "CH4 generated (t)"), "recovered": ("CH4回收量（吨）", "CH4 recovered (t)"),
    "emitted": ("CH4排放量（吨）", "CH4 emitted (t)"), "status": ("状态", "Status"),
}


class WasteCompilation(Compilation):
    """The waste sector of one region-year (module docstring)."""

    parameter_order = ("DOC", "DOCf", "MCF", "k", "F", "OX", "ef", "dm", "CF", "FCF", "OF", "Bo", "T")

    def prepare(self) -> None:
        landfill = self.result.extras.get("landfill") if self.result else None
        if landfill is None or landfill.empty:
            self.landfill = pd.DataFrame(columns=["region", "category", "item", "year"])
        else:
            self.landfill = landfill[(landfill["region"] == self.region) & (landfill["year"] <= self.year)]

    def sector_flags(self) -> list[pd.DataFrame]:
        """The flags of the deposit history before this year (a gap, a notation key, the back-cast
        years): they move this year's landfill CH4 too."""
        history = self.result.extras.get("history_flags") if self.result else None
        if history is None or history.empty:
            return []
        return [history[(history["region"] == self.region) & (history["year"] < self.year)
                        & history["check"].isin(["deposit_gap", "deposit_notation", "backcast"])]]

    def _labelled(self, frame: pd.DataFrame) -> pd.DataFrame:
        zh = self.lang == "zh"
        renamed = frame.rename(columns={k: (v[0] if zh else v[1]) for k, v in LABELS.items()})
        return headings(renamed, self.lang)

    def header(self) -> Html:
        """The shared header, the landfill method and back-casting chosen, and the waste total."""
        parameters = self.settings.parameters
        total = self.total_co2e()
        return super().header() + html(
            "<p>填埋方法 / landfill method: <code>{}</code> · 回推 / back-casting: <code>{}</code>（自 / from {}）</p>"
            "<p>废弃物处理排放合计 / waste total: <b>{:,.2f} 万吨 CO₂当量</b> ({:,.0f} t CO₂e)</p>",
            parameters.get("landfill_method", DEFAULTS["landfill_method"]),
            parameters.get("landfill_backcast", DEFAULTS["landfill_backcast"]),
            parameters.get("landfill_first_year", DEFAULTS["landfill_first_year"]), total / 1e4, total)

    @kept
    def landfill_series(self) -> pd.DataFrame:
        """Per year back to the first deposit: deposits (and whether estimated), CH4 generated,
        recovered and emitted, summed over site types and waste types [t]."""
        if self.landfill.empty:
            return pd.DataFrame()
        columns = ["deposit", "ddocm", "generated", "recovered", "emitted"]
        table = self.landfill.groupby("year")[columns].sum(min_count=1)
        table.insert(1, "estimated", self.landfill.groupby("year")["estimated"].any().map({True: "是 yes",
                                                                                           False: ""}))
        return self._labelled(table.reset_index())

    @kept
    def landfill_detail(self) -> pd.DataFrame:
        """Every site type and waste type, every year: the deposit, the FOD parameters with their
        factor ids, and the DDOCm and CH4 steps."""
        if self.landfill.empty:
            return pd.DataFrame()
        columns = ["category", "item", "year", "deposit", "estimated", *FOD_ROLES, "ddocm", "accumulated",
                   "generated", "recovered", "emitted"]
        detail = self.landfill[[c for c in columns if c in self.landfill.columns]].copy()
        detail["estimated"] = detail["estimated"].map({True: "是 yes", False: ""})
        return self._labelled(detail.reset_index(drop=True))

    def landfill_parameters(self) -> pd.DataFrame:
        """The factor rows of the FOD parameters (value, source, confidence) the series used."""
        if self.landfill.empty:
            return pd.DataFrame()
        ids = pd.unique(self.landfill[[f"{role}_id" for role in FOD_ROLES]].to_numpy().ravel())
        rows = self.factors.rows[self.factors.rows["id"].isin([i for i in ids if i])]
        columns = ["parameter", "category", "item", "value", "unit", "region", "source", "source_table", "confidence",
                   "factor_set", "id"]
        return headings(rows[columns].sort_values(["parameter", "category", "item"]).reset_index(drop=True),
                        self.lang)

    def estimated_years(self) -> Html:
        """Which deposit years are estimated by back-casting (HTML; the method named)."""
        if self.landfill.empty:
            return Html("<p>本地区没有填埋记录。 / <i>No landfill records for this region.</i></p>")
        estimated = sorted(self.landfill.loc[self.landfill["estimated"], "year"].unique())
        if not estimated:
            return Html("<p>填埋量全部为填报值，没有回推估算的年份。 / <i>Every deposit is recorded: no year is "
                        "estimated.</i></p>")
        return html("<p><b>回推估算的年份 / years estimated by back-casting: {}–{}</b>"
                    "（方法 / method: <code>{}</code>）</p>", int(estimated[0]), int(estimated[-1]),
                    self.settings.parameters.get("landfill_backcast", DEFAULTS["landfill_backcast"]))

    def landfill_chart(self) -> Html:
        """CH4 emitted by landfills each year, stacked by site type [t CH4]."""
        if self.landfill.empty:
            return Html("")
        vocabulary = load_vocabulary()
        table = self.landfill.pivot_table(index="year", columns="category", values="emitted", aggfunc="sum",
                                          fill_value=0.0).clip(lower=0.0)
        zh = self.lang == "zh"
        title = (f"填埋甲烷排放时间序列 — {self.region_name}" if zh else
                 f"Landfill CH4 emitted, by year — {self.region_name}")
        return stacked_bars(table, title, "t CH₄", {"4.A.1": "#c0772b", "4.A.2": "#8a5a2b", "4.A.3": "#d9a066"},
                            series_labels={c: f"{c} {vocabulary.category_name(c, self.lang)}" for c in table.columns},
                            row_labels={y: str(y) for y in table.index})

    def by_treatment(self, prefix: str) -> pd.DataFrame:
        """Emissions of one part of the sector (``4.B``, ``4.C``, ``4.D``) by category, item and gas
        [t], with the activity behind them and the method."""
        emissions = self.result.emissions
        part = emissions[emissions["category"].str.startswith(prefix)]
        columns = ["category", "item", "gas", "activity_value", "activity_unit", "emissions_t", "co2e_t", "method",
                   "confidence"]
        return headings(part[columns].sort_values(["category", "item", "gas"]).reset_index(drop=True), self.lang)

    def coverage(self) -> pd.DataFrame:
        """Every category of the sector: estimated, or the notation key filed, or NE (no data)."""
        vocabulary = load_vocabulary()
        emissions = self.result.emissions
        owned = self.records[self.records["category"].map(self.sector.owns_category)]
        rows = []
        for category in CATEGORIES:
            estimated = emissions[emissions["category"] == category]
            keys = owned.loc[(owned["category"] == category) & (owned["notation"] != ""), "notation"].unique()
            status = ("已估算 estimated" if len(estimated) else
                      ", ".join(sorted(keys)) if len(keys) else "NE（无数据 no data）")
            rows.append({"category": category, "category_name": vocabulary.category_name(category, self.lang),
                         "status": status, "co2e_t": float(estimated["co2e_t"].sum()) if len(estimated) else None})
        return self._labelled(pd.DataFrame(rows))


def compile_waste(region, year: int, data_dir: str | Path, gwp: str = "AR5", factor_sets: str = "", lang: str = "zh",
                  yoy_threshold: float = 0.3, method: str = "", landfill_method: str = DEFAULTS["landfill_method"],
                  landfill_backcast: str = DEFAULTS["landfill_backcast"],
                  landfill_first_year: int = DEFAULTS["landfill_first_year"],
                  landfill_growth_rate: float = DEFAULTS["landfill_growth_rate"]) -> WasteCompilation:
    """Compile the waste sector of one region and year, with its QA flags.

    Reads (and validates) every activity file of ``data_dir`` and the shipped and local factors;
    the landfill model reads the region's whole deposit history. ``landfill_method`` (``fod`` or
    ``mass_balance``), ``landfill_backcast`` (``none``, ``constant``, ``trend``) from
    ``landfill_first_year`` at ``landfill_growth_rate``: an unknown name is an error.
    """
    return WasteCompilation(SECTOR, region, year, data_dir, gwp=gwp, factor_sets=factor_sets, lang=lang,
                            yoy_threshold=yoy_threshold, method=method, landfill_method=landfill_method,
                            landfill_backcast=landfill_backcast, landfill_first_year=int(landfill_first_year),
                            landfill_growth_rate=float(landfill_growth_rate))
