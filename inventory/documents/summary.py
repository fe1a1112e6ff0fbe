"""The summary notebook's calls: trends, structure by inventory heading, city–county consistency."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from inventory.core.method import matches
from inventory.core.regions import RegionRegistry, load_regions
from inventory.core.results import atomic_write_text, read_results, totals
from inventory.core.vocabulary import load_vocabulary
from inventory.documents.consistency import check_aggregate, consistency_table, failing, for_reading
from inventory.present.charts import stacked_bars
from inventory.present.html import ILLUSTRATIVE, Html, html
from inventory.sectors.lulucf.compilation import forest_type, species_name

__all__ = ["Summary", "summarise", "LULUCF"]

#: the LULUCF categories: totals are given with and without them
LULUCF = ("3.B",)
#: the provincial-inventory headings in their order: (colour, English name)
_HEADINGS = {"能源活动": ("#555555", "Energy"), "工业生产过程": ("#7e57c2", "IPPU"), "农业": ("#c0772b", "Agriculture"),
             "土地利用变化和林业": ("#2e7d32", "LULUCF"), "废弃物处理": ("#2b7bc0", "Waste")}
_TYPE_COLOURS = {"乔木林": "#2e7d32", "Arbor forest": "#2e7d32", "竹林": "#9ccc65", "Bamboo forest": "#9ccc65",
                 "经济林": "#fbc02d", "Economic forest": "#fbc02d", "新造林": "#26a69a", "Afforestation": "#26a69a",
                 "森林转化": "#8d6e63", "Deforestation": "#8d6e63"}


@dataclass
class Summary:
    region: str
    registry: RegionRegistry
    emissions: pd.DataFrame  # of the region and its members
    lang: str
    illustrative: bool
    origin: str = ""

    def _name(self, code: str) -> str:
        region = self.registry[code]
        return f"{region.name_zh if self.lang == 'zh' else region.name_en} ({code})"

    def header(self) -> Html:
        """The summary's first lines (HTML; the region's name and the data's origin escaped): region,
        years, the 示例数据 banner, where the emissions come from."""
        years = sorted(self.emissions["year"].unique())
        span = f"{years[0]}–{years[-1]}" if years else "—"
        lines = [html("<p><b>{}</b> · {}</p>", self._name(self.region), span)]
        if self.illustrative:
            lines.append(ILLUSTRATIVE)
        if self.origin:
            lines.append(html("<p>数据 / data: <code>{}</code></p>", self.origin))
        return Html("").join(lines)

    def trend_table(self) -> pd.DataFrame:
        """Total CO2e [t] by region (rows) and year (columns); memo items excluded."""
        table = totals(self.emissions, ["region", "year"]).pivot(index="region", columns="year", values="co2e_t")
        order = [self.region] + [r for r in table.index if r != self.region]
        table = table.reindex([r for r in order if r in table.index])
        table.index = [self._name(r) for r in table.index]
        return table

    def trend_chart(self) -> Html:
        """The region's inventory total by year, stacked by provincial-inventory heading [10^4 t CO2e], as
        an HTML chart (:mod:`inventory.present.charts`): Chinese labels need no font on the machine that
        draws it, LULUCF removals are drawn left of the zero line, each bar's number is its net total."""
        table = self.by_heading().T.fillna(0.0) / 1e4
        table = table[[h for h in _HEADINGS if h in table.columns] + [h for h in table.columns if h not in _HEADINGS]]
        zh = self.lang == "zh"
        names = {h: h if zh else _HEADINGS.get(h, (h, h))[1] for h in table.columns}
        colours = {h: _HEADINGS.get(h, ("#9a9a9a", h))[0] for h in table.columns}
        title = (f"清单合计按部门 — {self._name(self.region)}" if zh else
                 f"Inventory total by heading — {self._name(self.region)}")
        return stacked_bars(table, title, "万吨 CO₂当量" if zh else "10⁴ t CO₂e", colours, series_labels=names,
                            row_labels={y: str(y) for y in table.index}, decimals=2)

    def by_heading(self) -> pd.DataFrame:
        """The region's CO2e [t] by provincial-inventory heading (能源活动 ...) and year."""
        vocabulary = load_vocabulary()
        emissions = self.emissions
        own = emissions[(emissions["region"] == self.region) & ~emissions["category"].str.startswith("M.")]
        heading = own["category"].map(lambda c: vocabulary.categories.at[c, "cn_heading"]
                                      if c in vocabulary.categories.index else c)
        return own.assign(heading=heading).pivot_table(index="heading", columns="year", values="co2e_t", aggfunc="sum")

    def _own(self) -> pd.DataFrame:
        emissions = self.emissions
        return emissions[(emissions["region"] == self.region) & ~emissions["category"].str.startswith("M.")]

    def with_and_without_lulucf(self) -> pd.DataFrame:
        """The region's total [t CO2e] by year with and without LULUCF (3.B; removals negative), and
        LULUCF itself: rows ``without LULUCF``, ``LULUCF``, ``with LULUCF``."""
        own = self._own()
        land = own["category"].map(lambda c: matches(c, LULUCF))
        years = sorted(own["year"].unique())
        zh = self.lang == "zh"
        def by_year(frame: pd.DataFrame) -> pd.Series:
            return frame.groupby("year")["co2e_t"].sum()

        rows = {("不含土地利用变化和林业" if zh else "Total without LULUCF"): by_year(own[~land]),
                ("土地利用变化和林业" if zh else "LULUCF"): by_year(own[land]),
                ("含土地利用变化和林业" if zh else "Total with LULUCF"): by_year(own)}
        return pd.DataFrame(rows).reindex(years).fillna(0.0).T

    def has_lulucf(self) -> bool:
        return bool(self.emissions["category"].map(lambda c: matches(c, LULUCF)).any())

    def sink_by_type(self) -> pd.DataFrame:
        """The region's LULUCF [t CO2e] by forest type and species group (rows) and year (columns):
        the sink and its trend (removals negative)."""
        own = self._own()
        land = own[own["category"].map(lambda c: matches(c, LULUCF))]
        table = land.assign(forest_type=[forest_type(c, i, self.lang) for c, i in zip(land["category"], land["item"])],
                            species=[species_name(i, self.lang) for i in land["item"]])
        return table.pivot_table(index=["forest_type", "species"], columns="year", values="co2e_t", aggfunc="sum")

    def sink_shares(self) -> pd.DataFrame:
        """Each member's LULUCF net [t CO2e] as a share of the region's own (rows: members, columns:
        years); the last row is the sum of the members' shares (1 when they add up to the region)."""
        emissions = self.emissions[self.emissions["category"].map(lambda c: matches(c, LULUCF))]
        net = emissions.pivot_table(index="region", columns="year", values="co2e_t", aggfunc="sum")
        if self.region not in net.index:
            return pd.DataFrame()
        members = [c for c in self.registry.children(self.region)
                   if self.registry[c].level != "park" and c in net.index]
        shares = net.loc[members].div(net.loc[self.region], axis=1)
        shares.loc["sum"] = shares.sum()
        shares.index = [self._name(r) if r != "sum" else ("合计" if self.lang == "zh" else "Sum") for r in shares.index]
        return shares

    def sink_chart(self, year: int | None = None):
        """The LULUCF of the region and each member in ``year`` (default: the latest), stacked by
        forest type [kt CO2e]: removals drawn left of the zero line."""
        emissions = self.emissions[self.emissions["category"].map(lambda c: matches(c, LULUCF))]
        year = int(year or emissions["year"].max())
        chosen = emissions[emissions["year"] == year]
        chosen = chosen.assign(forest_type=[forest_type(c, i, self.lang) for c, i in
                                            zip(chosen["category"], chosen["item"])])
        table = chosen.pivot_table(index="region", columns="forest_type", values="co2e_t", aggfunc="sum",
                                   fill_value=0.0) / 1000.0
        order = [self.region] + sorted(r for r in table.index if r != self.region)
        table = table.reindex([r for r in order if r in table.index])
        zh = self.lang == "zh"
        title = f"森林碳汇按地区和森林类型 — {year}" if zh else f"The forest sink by region and forest type — {year}"
        return stacked_bars(table, title, "kt CO₂e", _TYPE_COLOURS, row_labels={r: self._name(r) for r in table.index})

    def consistency(self) -> pd.DataFrame:
        return check_aggregate(self.emissions, self.registry, self.region)

    def consistency_failing(self) -> pd.DataFrame:
        """The region's and its members' consistency rows that are not ``ok`` (city vs its counties,
        a county vs its parks; per year, category and gas; :func:`consistency_table`), the largest
        difference first, for reading: what, where and by how much."""
        return for_reading(failing(consistency_table(self.emissions, self.registry)), self.registry, self.lang)

    def write(self, path: str | Path) -> None:
        atomic_write_text(Path(path), self.consistency().to_csv(index=False, float_format="%.6f"))


def summarise(region: str, years: str, data_dir: str | Path, out_dir: str | Path, emissions_path: str = "",
              lang: str = "zh") -> Summary:
    """Load the emissions of ``region`` and its members (from ``emissions_path`` or ``<out_dir>/emissions.csv``)."""
    region = str(region)  # papermill passes ``-p region 430500`` as an int (CONTRACTS §5)
    registry = load_regions(data_dir)
    members = {region} | registry.descendants(region)
    path = Path(emissions_path) if emissions_path else Path(out_dir) / "emissions.csv"
    if path.exists():
        emissions = read_results(path)
        emissions = emissions[emissions["region"].isin(members)]
        origin = path.name  # emissions.csv of this run
    else:
        # no compiled inventory yet (a fresh checkout, run interactively): compute it directly with
        # the same equations the sector notebooks use
        from inventory.pipeline.compute import compute_inventory

        emissions = compute_inventory(data_dir, regions=sorted(members))
        origin = f"computed from {data_dir} (no {path} yet)"
    wanted = [int(y) for y in str(years).split(",") if y.strip()]
    if wanted:
        emissions = emissions[emissions["year"].isin(wanted)]
    from inventory.core.activity import illustrative, read_activity

    records = read_activity(data_dir).select(region)
    return Summary(region, registry, emissions, lang, illustrative(records) if len(records) else False, origin)
