"""What ``notebooks/lulucf.ipynb`` calls: LULUCF of one region and year, and its tables.

:class:`LulucfCompilation` is the shared :class:`~inventory.sectors.compilation.Compilation`
(activity, factors, results by category and gas, QA flags, chart) with the tables of a carbon-sink
report on top: the stock change of every stratum with the parameters it used (the intermediate
steps a reviewer checks), the sink by forest type and species group, and every LULUCF category
with its status — estimated, a notation key as filed, or not estimated (NE), never a silent zero.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from inventory.core.forest_types import forest_type
from inventory.core.vocabulary import load_vocabulary
from inventory.present.html import Html, html
from inventory.present.tables import headings, label
from inventory.sectors.compilation import Compilation, kept
from inventory.sectors.lulucf import SECTOR
from inventory.sectors.lulucf.compute import STOCK_COLUMNS
from inventory.sectors.lulucf.forest import FOREST_METHODS

__all__ = ["LulucfCompilation", "compile_lulucf", "forest_type", "species_name", "REPORTED_CATEGORIES"]

#: the LULUCF categories a report lists, each with its status (IPCC 2006 Vol.4 land-use categories)
REPORTED_CATEGORIES = ("3.B.1.a", "3.B.1.b", "3.B.2.a", "3.B.2.b", "3.B.3.a", "3.B.3.b", "3.B.4.a", "3.B.4.b",
                       "3.B.5.a", "3.B.5.b", "3.B.6.a", "3.B.6.b")
FOREST_METHOD_NAMES = {
    "stock_volume": ("蓄积量法（省级指南）", "stock-volume method (provincial guideline)"),
    "gain_loss_volume": ("IPCC 增量–损失法（按蓄积，BCEF）", "IPCC gain–loss by volume (BCEF)"),
    "gain_loss_area": ("IPCC 增量–损失法（按面积，G_W）", "IPCC gain–loss by area (G_W)"),
}
_LABELS = {
    "forest_type": ("森林类型", "Forest type"), "species": ("优势树种组", "Species group"),
    "volume_growth": ("蓄积生长量（m³）", "Volume growth (m³)"),
    "volume_loss": ("蓄积消耗量（m³）", "Volume loss (m³)"),
    "area": ("面积（ha）", "Area (ha)"), "area_before": ("上年面积（ha）", "Area the year before (ha)"),
    "area_converted": ("当年转化面积（ha）", "Area converted (ha)"),
    "area_removed": ("当年清除面积（ha）", "Area cleared (ha)"),
    "crown_cover_area": ("树冠覆盖面积（ha）", "Crown-cover area (ha)"),
    "gain_tC": ("碳增加（t C）", "Gain (t C)"), "loss_tC": ("碳减少（t C）", "Loss (t C)"),
    "delta_tC": ("碳储量变化（t C）", "Stock change (t C)"),
    "co2_t": ("CO2（吨，负值为吸收）", "CO2 (t; negative: removal)"),
    "sink_share": ("占净吸收比例", "Share of the net removals"), "status": ("状态", "Status"),
}


def species_name(item: str, lang: str = "zh") -> str:
    """The species group of a stratum (杉木, Masson pine …), or '' for a stratum without one."""
    if "." not in item:
        return ""
    name = load_vocabulary().item_name(item, lang)
    return name.split("（", 1)[-1].rstrip("）") if lang == "zh" else name.split("(", 1)[-1].rstrip(")")


def _label(key: str, lang: str) -> str:
    zh, en = _LABELS.get(key, (label(key, "zh"), label(key, "en")))
    return zh if lang == "zh" else en


class LulucfCompilation(Compilation):
    """LULUCF of one region-year (module docstring)."""

    parameter_order = ("BEF", "D", "R", "CF", "BCEF_I", "BCEF_R", "G_W", "B_W", "C_f", "G_ef", "B_before", "B_after",
                       "G_C", "L_C", "CRW")

    def prepare(self) -> None:
        self.forest_method = str(self.settings.parameters["forest_method"])

    def net_co2e(self) -> float:
        """Net LULUCF emissions [t CO2e]: negative for a net sink."""
        return self.total_co2e()

    def header(self) -> Html:
        """The shared header, the forest method and the net result (a sink is negative)."""
        zh, en = FOREST_METHOD_NAMES[self.forest_method]
        net = self.net_co2e()
        return super().header() + html(
            "<p>乔木林方法 / forest method: <b>{}</b> · <i>{}</i> (<code>{}</code>)</p>"
            "<p>土地利用变化和林业净排放 / LULUCF net: <b>{:,.2f} 万吨 CO₂当量</b> ({:,.0f} t CO₂e; 负值为净吸收 / "
            "negative: a net sink)</p>", zh, en, self.forest_method, net / 1e4, net)

    @kept
    def _stock(self) -> pd.DataFrame:
        table = self.result.extras.get("stock_change", pd.DataFrame(columns=STOCK_COLUMNS))
        table = table[(table["region"] == self.region) & (table["year"] == self.year)]
        return table.sort_values(["category", "item"]).reset_index(drop=True)

    def stock_change_table(self) -> pd.DataFrame:
        """Every stratum's stock change with the activity and parameters it used: volumes or areas,
        BEF, D, R, CF (or BCEF, G_W, B_W), the carbon gained and lost [t C], ΔC and CO2 [t]
        (CO2 = −ΔC × 44/12: a removal is negative). Parameters a method does not use are blank."""
        table = self._stock().drop(columns=["region", "year"])
        table.insert(1, "forest_type", [forest_type(c, i, self.lang) for c, i in zip(table["category"], table["item"])])
        table.insert(2, "species", [species_name(i, self.lang) for i in table["item"]])
        table = table.drop(columns="item").dropna(axis=1, how="all")
        return table.rename(columns={c: _label(c, self.lang) for c in table.columns})

    @kept
    def sink_by_type(self) -> pd.DataFrame:
        """CO2e [t] by forest type and species group (a sink negative), with each row's share of
        the net removals of the region-year."""
        emissions = self.result.emissions
        frame = emissions.assign(
            forest_type=[forest_type(c, i, self.lang) for c, i in zip(emissions["category"], emissions["item"])],
            species=[species_name(i, self.lang) for i in emissions["item"]])
        table = frame.groupby(["forest_type", "species", "category"], sort=False)["co2e_t"].sum().reset_index()
        net = float(table["co2e_t"].sum())
        table["sink_share"] = table["co2e_t"] / net if net < 0 else float("nan")
        table = table.sort_values("co2e_t").reset_index(drop=True)
        total = pd.DataFrame([{"forest_type": label("total", self.lang), "species": "", "category": "",
                               "co2e_t": net, "sink_share": 1.0 if net < 0 else float("nan")}])
        table = pd.concat([table, total], ignore_index=True)
        return table.rename(columns={c: _label(c, self.lang) for c in table.columns})

    def categories_table(self) -> pd.DataFrame:
        """Every LULUCF category of the report with its CO2e [t] and status: estimated; the
        notation key filed for it (NO, IE …); or NE (no data filed: not estimated — never zero)."""
        vocabulary = load_vocabulary()
        emissions = self.result.emissions
        records = self.records
        rows = []
        for code in REPORTED_CATEGORIES:
            mine = emissions[emissions["category"].str.startswith(code)]
            keys = sorted(set(records.loc[records["category"].str.startswith(code) & (records["notation"] != ""),
                                          "notation"]))
            if len(mine):
                status, value = ("已估算" if self.lang == "zh" else "estimated"), float(mine["co2e_t"].sum())
            elif keys:
                status, value = ", ".join(keys), float("nan")
            else:
                status, value = "NE", float("nan")
            rows.append({"category": code, "category_name": vocabulary.category_name(code, self.lang),
                         "co2e_t": value, "status": status})
        table = pd.DataFrame(rows)
        return headings(table.rename(columns={"status": _label("status", self.lang)}), self.lang)


def compile_lulucf(region, year: int, data_dir: str | Path, gwp: str = "AR5", factor_sets: str = "",
                   lang: str = "zh", yoy_threshold: float = 0.3, method: str = "",
                   forest_method: str = "stock_volume") -> LulucfCompilation:
    """Compile LULUCF of one region and year, with its QA flags.

    ``forest_method``: one of :data:`inventory.sectors.lulucf.forest.FOREST_METHODS` (an unknown name
    is an error naming them); ``method``: the method edition (empty: the provincial guideline).
    """
    if forest_method not in FOREST_METHODS:
        raise ValueError(f"未知森林方法 unknown forest_method {forest_method!r}: one of {', '.join(FOREST_METHODS)}")
    return LulucfCompilation(SECTOR, region, year, data_dir, gwp=gwp, factor_sets=factor_sets, lang=lang,
                             yoy_threshold=yoy_threshold, method=method, forest_method=forest_method)
