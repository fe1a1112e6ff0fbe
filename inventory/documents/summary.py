"""The summary notebook's calls: trends, structure by inventory heading, city–county consistency."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from inventory.core.regions import RegionRegistry, load_regions
from inventory.core.results import atomic_write_text, read_results, totals
from inventory.core.vocabulary import load_vocabulary
from inventory.documents.consistency import check_aggregate
from inventory.present.html import ILLUSTRATIVE, Html, html

__all__ = ["Summary", "summarise"]


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

    def trend_chart(self):
        import matplotlib.pyplot as plt

        own = totals(self.emissions[self.emissions["region"] == self.region], ["year"])
        figure, axis = plt.subplots(figsize=(8, 3.5))
        axis.plot(own["year"], own["co2e_t"] / 1e6, marker="o")
        axis.set_ylabel("Mt CO2e")
        axis.set_xlabel("year")
        axis.set_title(f"Inventory total — {self.region}")
        axis.grid(alpha=0.3)
        figure.tight_layout()
        return figure

    def by_heading(self) -> pd.DataFrame:
        """The region's CO2e [t] by provincial-inventory heading (能源活动 ...) and year."""
        vocabulary = load_vocabulary()
        emissions = self.emissions
        own = emissions[(emissions["region"] == self.region) & ~emissions["category"].str.startswith("M.")]
        heading = own["category"].map(lambda c: vocabulary.categories.at[c, "cn_heading"]
                                      if c in vocabulary.categories.index else c)
        return own.assign(heading=heading).pivot_table(index="heading", columns="year", values="co2e_t", aggfunc="sum")

    def consistency(self) -> pd.DataFrame:
        return check_aggregate(self.emissions, self.registry, self.region)

    def write(self, path: str | Path) -> None:
        atomic_write_text(Path(path), self.consistency().to_csv(index=False, float_format="%.6f"))


def _members(registry: RegionRegistry, region: str) -> set[str]:
    found, frontier = {region}, [region]
    while frontier:
        for child in registry.children(frontier.pop()):
            if child not in found:
                found.add(child)
                frontier.append(child)
    return found


def summarise(region: str, years: str, data_dir: str | Path, out_dir: str | Path, emissions_path: str = "",
              lang: str = "zh") -> Summary:
    """Load the emissions of ``region`` and its members (from ``emissions_path`` or ``<out_dir>/emissions.csv``)."""
    registry = load_regions(data_dir)
    members = _members(registry, region)
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
