"""The shared compilation: one sector, one region and year, as its notebook shows it.

:class:`Compilation` reads the data folder, computes the sector (through
:func:`inventory.sectors.results.compute_sector`, the same path as ``inventory compute``) for the
year and for the year before, runs the checks every sector gets (missing factors, year on year,
unverified factors, notation keys) and gives every sector report the tables it needs: the activity
as filed and converted, the factors used with source and confidence, the results by category and
gas, the QA flags, a chart. A sector's own compilation subclasses it and adds its tables on top
(:meth:`Compilation.prepare`, :meth:`Compilation.sector_flags`).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from pathlib import Path

import pandas as pd

from inventory.core.activity import illustrative, read_activity
from inventory.core.factors import FactorDatabase, load_factors
from inventory.core.methods import resolve_method
from inventory.core.provenance import UNVERIFIED, factors_used
from inventory.core.regions import load_regions
from inventory.core.results import read_results, totals, write_table_csv
from inventory.core.schema import EMISSIONS_COLUMNS, PROVENANCE_COLUMNS, for_writing
from inventory.core.units import display_unit
from inventory.core.vocabulary import load_vocabulary
from inventory.present.charts import stacked_bars
from inventory.present.html import ILLUSTRATIVE, Html, html
from inventory.present.tables import headings, label
from inventory.sectors.contract import Sector, SectorResult, Settings
from inventory.sectors.qa import (
    FLAG_COLUMNS,
    check_notation_keys,
    check_unverified_factors,
    check_year_on_year,
    flag_labels,
)
from inventory.sectors.results import compute_sector, records_for, settings_for

__all__ = ["Compilation", "FLAGS_SUFFIX", "compare_published", "computed", "finished_run_staging", "flags_path", "kept",
           "parse_factor_sets", "read_flags", "refused_in_finished_run", "write_results"]

_COMPUTED: dict[tuple, tuple] = {}


def parse_factor_sets(factor_sets) -> list[str]:
    """``"a,b"`` or a list → ``["a", "b"]``."""
    if isinstance(factor_sets, str):
        return [s.strip() for s in factor_sets.split(",") if s.strip()]
    return [str(s) for s in factor_sets or []]


def computed(sector: Sector, activity, factors: FactorDatabase, region: str, year: int,
             settings: Settings) -> SectorResult | None:
    """The sector's result for one region-year (None without records), remembered for the life of
    the process.

    A warm kernel runs many region-years; the year-on-year check needs the year before, which the
    same worker has usually just computed. The cache is keyed on the identity of the (cached,
    immutable) activity and factor objects, which change whenever their files change.
    """
    def compute() -> SectorResult | None:
        years = sector.input_years(int(year), activity.years, settings.parameters)
        parts = [activity.select(region, y) for y in years]
        records = records_for(sector, pd.concat(parts) if len(parts) > 1 else parts[0])
        if not len(records):
            return None
        result = compute_sector(sector, records, factors, settings)
        if len(years) == 1:
            return result
        return SectorResult(result.emissions[result.emissions["year"] == int(year)].reset_index(drop=True),
                            result.flags[result.flags["year"] == int(year)].reset_index(drop=True), result.extras)

    return remembered((sector.name, region, int(year), settings.key()), activity, factors, compute)


def remembered(key: tuple, activity, factors: FactorDatabase, make):
    """``make()``, remembered under ``key`` for the life of the process while ``activity`` and
    ``factors`` are the same (cached, immutable) objects — they change whenever their files change."""
    full = (id(activity), id(factors)) + key
    hit = _COMPUTED.get(full)
    if hit is not None and hit[0] is activity and hit[1] is factors:
        return hit[2]
    value = make()
    if len(_COMPUTED) > 512:
        _COMPUTED.clear()
    _COMPUTED[full] = (activity, factors, value)
    return value


def kept(method):
    """A table method computed once per compilation: the notebook shows it, the Excel file repeats it."""
    name = method.__name__

    @functools.wraps(method)
    def cached(self):
        tables = self.__dict__.setdefault("_tables", {})
        if name not in tables:
            tables[name] = method(self)
        return tables[name].copy()

    return cached


class Compilation:
    """One sector's compilation of one region and year (module docstring).

    Parameters
    ----------
    sector : Sector
    region : str or int
        GB/T 2260 code (papermill passes ``-p region 430523`` as an int: it is read as text); a
        retired code is read as the code it became in ``year``.
    year : int
    data_dir : path
        The data folder (``activity/``, ``factors/``, ``regions.csv``).
    gwp : str
        GWP100 set.
    factor_sets : str or list
        Factor sets preferred before the method's, most preferred first (``"a,b"``; usually empty).
    lang : str
        ``zh`` or ``en``: headings of the tables.
    yoy_threshold : float
        Flag categories that changed by more than this share since the year before.
    method : str
        The method edition (``cn_provincial``, ``cn_provincial:2011``, ``ipcc2006``; empty: the
        provincial guideline). An unknown name is an error.
    **parameters
        The sector's own parameters (:attr:`Sector.parameters`).
    """

    #: parameters listed first in the factor table, in this order (the rest follow by name)
    parameter_order: tuple[str, ...] = ()

    def __init__(self, sector: Sector, region, year, data_dir: str | Path, gwp: str = "AR5", factor_sets="",
                 lang: str = "zh", yoy_threshold: float = 0.3, method: str = "", **parameters):
        self.sector = sector
        self.data_dir = Path(data_dir)
        self.lang = lang
        self.year = int(year)
        registry = load_regions(data_dir)
        region = str(region)
        self.region = registry.canonical(region, self.year) if region in registry else region
        self.activity = read_activity(data_dir)
        self.factors = load_factors(data_dir)
        self.method = resolve_method(method, self.factors.local_factor_sets())
        self.settings = settings_for(sector, gwp, parse_factor_sets(factor_sets), parameters=parameters,
                                     method=self.method)
        self.records = records_for(sector, self.activity.select(self.region, self.year))
        if self.records.empty:
            raise ValueError(f"no {sector.name} activity records for region {region} in {year} in {data_dir}")
        self.result = computed(sector, self.activity, self.factors, self.region, self.year, self.settings)
        self.previous = computed(sector, self.activity, self.factors, self.region, self.year - 1, self.settings)
        region_entry = registry[self.region] if self.region in registry else None
        self.region_name = (region_entry.name_zh if lang == "zh" else region_entry.name_en) if region_entry \
            else self.region
        self.prepare()
        owned = self.records[self.records["category"].map(sector.owns_category)]
        self.flags = pd.concat([
            self.result.flags,
            check_year_on_year(self.result.emissions, self.previous.emissions if self.previous else pd.DataFrame(),
                               yoy_threshold),
            check_unverified_factors(self.result.emissions, self.factors.rows),
            check_notation_keys(owned),
            *self.sector_flags(),
        ], ignore_index=True)[FLAG_COLUMNS]

    # --- hooks of a sector's own compilation ---------------------------------------------------
    def prepare(self) -> None:
        """Compute the sector's own tables (called after the result, before the flags)."""

    def sector_flags(self) -> list[pd.DataFrame]:
        """The sector's own QA flags."""
        return []

    # --- what every report shows ---------------------------------------------------------------
    @property
    def illustrative(self) -> bool:
        return illustrative(self.records)

    @kept
    def factors_used(self) -> pd.DataFrame:
        """The factor rows the emissions link to."""
        return factors_used(self.result.emissions, self.factors.rows)

    def factor_sets_used(self) -> list[str]:
        """The factor sets the emissions' factor rows come from: the method's first, then its fallback,
        then the others (local rows, a grid series) by how many rows they gave."""
        counts = Counter(self.factors_used()["factor_set"].tolist())
        rank = {name: position for position, name in enumerate(self.settings.factor_sets)}
        return sorted(counts, key=lambda name: (rank.get(name, len(rank)), -counts[name], name))

    def unverified_share(self) -> float:
        """Share of the inventory total [t CO2e] that rests on a factor not checked against its
        document (the weakest link of the computation derived, secondary, memory or missing)."""
        inventory = self.result.emissions[~self.result.emissions["category"].str.startswith("M.")]
        total = float(inventory["co2e_t"].abs().sum())
        if not total:
            return 0.0
        weak = inventory["confidence"].isin(UNVERIFIED | {"missing"})
        return float(inventory.loc[weak, "co2e_t"].abs().sum()) / total

    @functools.cached_property
    def _filled(self) -> pd.DataFrame:
        used = self.factors_used()
        return used[(used["origin"] == "shipped") & used["factor_set"].isin(self.method.fallback)]

    @kept
    def fills(self) -> pd.DataFrame:
        """The factor rows a fallback set supplied because the method has no value for them (the
        IPCC 2006 default filling in for the provincial guideline, and so on)."""
        filled = self._filled
        columns = ["parameter", "category", "item", "gas", "value", "unit", "factor_set", "confidence", "source",
                   "id"]
        filled = filled.sort_values(["parameter", "item", "category", "gas"])
        filled = filled.assign(unit=self._units(filled["unit"]), item=self._item_names(filled["item"]))
        return headings(filled[columns].reset_index(drop=True), self.lang)

    def _item_names(self, items: pd.Series) -> list[str]:
        """Items by name in the report's language (``raw_coal`` → 原煤; ``*`` and unknown keys as they are)."""
        vocabulary = load_vocabulary()
        return [vocabulary.item_name(str(i), self.lang) for i in items]

    def _units(self, units: pd.Series) -> list[str]:
        """Unit strings as the report's language writes them (:func:`inventory.core.units.display_unit`)."""
        return [display_unit(str(u), self.lang) for u in units]

    def header(self) -> Html:
        """The report's first lines (HTML; every text from input escaped): region, year, GWP, the
        method and its edition, the factor sets actually used, the share of the total on unverified
        factors, the 示例数据 banner."""
        method = self.method
        sets = Html(", ").join(html("<code>{}</code>", s) for s in self.factor_sets_used()) or "—"
        filled = len(self._filled)
        share = self.unverified_share()
        lines = [
            html("<p><b>{}（{}）· {} 年</b> · GWP {}</p>", self.region_name, self.region, self.year, self.settings.gwp),
            html("<p>方法 / method: <b>{}</b>（{} 年版，<code>{}</code>） · <i>{}, {} edition</i></p>",
                 method.name_zh, method.edition, method.key, method.name_en, method.edition),
            html("<p>实际使用的因子集 / factor sets used: {}</p>", sets),
        ]
        if filled:
            lines.append(html("<p>方法无值的参数由 {sets} 补充 {n} 行（见“方法补充”表）/ {n} factor row(s) filled "
                              "in by {sets} where the method has no value (see the table of fills)</p>",
                              sets=", ".join(method.fallback), n=filled))
        lines.append(html("<p><b>⚠ 合计的 {share:.1%} 依赖尚未对照原文件核实的因子</b> / <i>{share:.1%} of the total "
                          "CO₂e rests on factors not yet checked against their documents</i></p>", share=share)
                     if share else Html("<p>所用因子均已核实 / every factor used is verified</p>"))
        if self.illustrative:
            lines.append(ILLUSTRATIVE)
        return Html("").join(lines)

    def total_line(self) -> Html:
        """The sector's total of the region-year [10^4 t and t CO2e], for the report's first lines."""
        total = self.total_co2e()
        return html("<p>{}排放合计 / {} total: <b>{:,.2f} 万吨 CO₂当量</b> ({:,.0f} t CO₂e)</p>",
                    self.sector.title_zh, self.sector.title_en, total / 1e4, total)

    def activity_table(self) -> pd.DataFrame:
        """The activity records of the sector's categories, as reported and in standard units, with
        where they are (file:line, and the workbook cell where they came from a workbook) and, as
        DATA_FORMAT promises, their ``source`` and ``note``: a column for each that differs between
        the records (a text every record shares is said once, by :meth:`activity_shared`; a column
        empty in every record is left out)."""
        vocabulary = load_vocabulary()
        rows = self._activity_records()
        rows["category_name"] = rows["category"].map(lambda c: vocabulary.category_name(c, self.lang))
        rows["item_name"] = rows["item"].map(lambda i: vocabulary.item_name(i, self.lang))
        rows["quantity"] = rows["quantity"].map(lambda q: vocabulary.quantity_name(q, self.lang))
        rows["unit"] = self._units(rows["unit"])  # the standard unit as people write it; the reported one as filed
        rows["where"] = rows["file"] + ":" + rows["line"].astype(str)
        from_workbook = rows["origin"] != ""
        rows.loc[from_workbook, "where"] += " (" + rows.loc[from_workbook, "origin"] + ")"  # the workbook cell
        columns = ["category", "category_name", "item_name", "quantity", "value_reported", "unit_reported",
                   "value", "unit", "notation", "uncertainty", "where"]
        columns += [c for c in _FREE_TEXT if rows[c].nunique() > 1]
        return headings(rows[columns].sort_values(["category", "item_name"]).reset_index(drop=True), self.lang)

    def activity_shared(self) -> Html:
        """The ``source`` or ``note`` every activity record of the table shares, said once above it (empty
        when there is none)."""
        rows = self._activity_records()
        shared = [(column, rows[column].iloc[0]) for column in _FREE_TEXT
                  if rows[column].nunique() == 1 and rows[column].iloc[0] != ""]
        return Html("").join(html("<p>所有记录的{} / {} of every record: {}</p>", label(column, "zh"),
                                  label(column, "en").lower(), text) for column, text in shared)

    def _activity_records(self) -> pd.DataFrame:
        rows = self.records[self.records["category"].map(self.sector.owns_category)].copy()
        for column in ("origin", *_FREE_TEXT):
            rows[column] = rows[column].fillna("").astype(str).str.strip()
        return rows

    @kept
    def by_category(self) -> pd.DataFrame:
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
        return headings(pd.concat([table[~memo], total_row, table[memo]], ignore_index=True), self.lang)

    def factors_table(self) -> pd.DataFrame:
        """Every factor row the emissions used, with source, table, confidence and a flag."""
        used = self.factors_used()
        used["flag"] = used["confidence"].map(lambda c: "⚠ 未核实 unverified" if c in UNVERIFIED else "")
        order = {name: position for position, name in enumerate(self.parameter_order)}
        used = used.assign(_order=used["parameter"].map(order).fillna(len(order)), _verified=used["flag"] == "")
        used = used.sort_values(["_order", "_verified", "item", "category", "gas"])
        used["unit"] = self._units(used["unit"])
        used["item"] = self._item_names(used["item"])
        columns = ["id", "parameter", "category", "item", "gas", "value", "unit", "factor_set", "confidence",
                   "flag", "source", "source_table", "origin", "note"]
        return headings(used[columns].reset_index(drop=True), self.lang)

    def factor_summary(self) -> Html:
        """One sentence for reviewers: how many factor rows are unverified, and which parameters."""
        used = self.factors_used()
        unverified = used[used["confidence"].isin(UNVERIFIED)]
        if unverified.empty:
            return Html("<p>所用因子均已核实 / every factor used is verified.</p>")
        return html("<p><b>⚠ {n} / {total} 行因子未核实</b>（{parameters}）：须对照官方文件核实。 <i>{n} of {total} "
                    "factor rows are unverified ({parameters}): check them against the official documents.</i></p>",
                    n=len(unverified), total=len(used), parameters=", ".join(sorted(unverified["parameter"].unique())))

    def flags_table(self) -> pd.DataFrame:
        order = {"error": 0, "warning": 1, "info": 2}
        flags = self.flags.sort_values("severity", key=lambda s: s.map(order))
        if self.lang == "zh":
            flags = flags.assign(item=self._item_names(flags["item"]))
        return headings(flag_labels(flags, self.lang).reset_index(drop=True), self.lang)

    def flag_counts(self) -> pd.DataFrame:
        """How many flags of each check and severity (Chinese first in a Chinese report)."""
        counts = self.flags.groupby(["check", "severity"]).size().rename("n").reset_index()
        return flag_labels(counts, self.lang)

    def total_co2e(self) -> float:
        """The sector's inventory total [t CO2e] (memo items outside)."""
        return float(totals(self.result.emissions, ["region"])["co2e_t"].sum())

    def chart(self):
        """CO2e by category, stacked by gas [kt CO2e], as an HTML chart (:mod:`inventory.present.charts`)."""
        vocabulary = load_vocabulary()
        emissions = self.result.emissions
        inventory = emissions[~emissions["category"].str.startswith("M.")]
        table = inventory.pivot_table(index="category", columns="gas", values="co2e_t", aggfunc="sum",
                                      fill_value=0.0) / 1000.0
        zh = self.lang == "zh"
        title = (f"{self.sector.title_zh}排放按类别和气体 — {self.region_name} {self.year}" if zh else
                 f"{self.sector.title_en} emissions by category and gas — {self.region_name} {self.year}")
        return stacked_bars(table, title, "kt CO₂e", _GAS_COLOURS,
                            row_labels={c: f"{c} {vocabulary.category_name(c, self.lang)}" for c in table.index})

    def write_results(self, path: str | Path) -> Path | None:
        """The results (emissions with provenance) and the QA flags as CSV (:func:`write_results`)."""
        return write_results(self, path)


_GAS_COLOURS = {"CO2": "#555555", "CH4": "#c0772b", "N2O": "#2b7bc0"}
#: the activity records' free-text columns shown in the activity table (DATA_FORMAT: shown in reports)
_FREE_TEXT = ("source", "note")


#: the QA flags of a results file are written beside it: ``energy.csv`` → ``energy.flags.csv``
FLAGS_SUFFIX = ".flags.csv"

_STAGING = re.compile(r"staging-\d+")


def flags_path(results_path: str | Path) -> Path:
    """Where the QA flags of a results file are: beside it, ``<name>.flags.csv``."""
    path = Path(results_path)
    return path.with_name(path.stem + FLAGS_SUFFIX)


def finished_run_staging(path: str | Path) -> Path | None:
    """The staging folder of an ``inventory run`` that ``path`` lies in, when that folder is gone.

    ``inventory run`` executes a notebook with ``results_path`` (and ``tables_path``) inside
    ``<out>/.state/staging-<pid>/``, and removes that folder when the run ends. An executed notebook
    reopened in JupyterLab and run again still carries those paths; writing there would create a
    stray folder that no run promotes. None when ``path`` is not in a staging folder, or the folder
    is still there (the run is under way).
    """
    path = Path(path).absolute()
    for folder in path.parents:
        if _STAGING.fullmatch(folder.name) and folder.parent.name == ".state":
            return None if folder.is_dir() else folder
    return None


def refused_in_finished_run(path: str | Path, what: str) -> bool:
    """True (with a printed message saying why) when ``path`` is in a finished run's staging folder:
    the caller then writes nothing. ``what`` names the file in the message."""
    path = Path(path)
    staging = finished_run_staging(path)
    if staging is None:
        return False
    out = staging.parent.parent
    print(f"未写 / not written — {what}: {path}\n"
          f"  该路径位于一次已结束的 inventory run 的临时目录（{staging}，已删除）；该次运行发布的结果在 {out}。"
          f"要另存一份，请把路径参数改为别处。\n"
          f"  It is in the staging folder of a finished inventory run ({staging}, now removed); what that run "
          f"published is in {out}. To write a copy, set the path parameter to another place.")
    return True


def write_results(compilation: Compilation, path: str | Path) -> Path | None:
    """A compilation's results (emissions with provenance; ``factor_ids`` formatted from the links)
    as CSV, and its QA flags beside them (:func:`flags_path`), each written atomically.

    Returns the results path, or None (with a printed message, nothing written) when ``path`` is in
    the staging folder of a finished ``inventory run`` (:func:`finished_run_staging`).
    """
    path = Path(path)
    if refused_in_finished_run(path, "结果文件 / results"):
        return None
    flags = compilation.flags[FLAG_COLUMNS]
    write_table_csv(flags_path(path), flags)  # text fields safe in a spreadsheet (core.safetext.csv_text)
    frame = for_writing(compilation.result.emissions)[EMISSIONS_COLUMNS + PROVENANCE_COLUMNS]
    write_table_csv(path, frame, float_format="%.6f")
    return path


def read_flags(path: str | Path) -> pd.DataFrame:
    """The QA flags written by :func:`write_results` (the flags file itself, or its results file)."""
    path = Path(path)
    if not path.name.endswith(FLAGS_SUFFIX):
        path = flags_path(path)
    return pd.read_csv(path, dtype=str, keep_default_na=False)[FLAG_COLUMNS]


def compare_published(compilation: Compilation, out_dir: str | Path) -> Html:
    """One line (HTML, the path escaped) for an interactive run: are these results the ones ``inventory run``
    published for this region-year in ``out_dir`` (``<out_dir>/results/<region>/<year>/<sector>.csv``)?

    This is what the notebooks' ``out_dir`` parameter is for outside a run: someone who changes
    data or parameters and runs a notebook again sees at once whether the published inventory
    still says the same.
    """
    published = Path(out_dir) / "results" / compilation.region / str(compilation.year) / \
        f"{compilation.sector.name}.csv"
    if not published.exists():
        return html("<p>输出目录中没有本地区本年度已发布的结果 / <i>no published results of this region and year "
                    "in</i> <code>{}</code></p>", published)
    keys = ["region", "year", "category", "item", "gas"]
    before = read_results(published)
    now = compilation.result.emissions
    joined = pd.merge(before[keys + ["emissions_t"]].assign(year=before["year"].astype(int)),
                      now[keys + ["emissions_t"]].assign(year=now["year"].astype(int)),
                      on=keys, how="outer", suffixes=("_published", "_now"), indicator=True)
    close = (joined["_merge"] == "both") & (
        (joined["emissions_t_published"] - joined["emissions_t_now"]).abs()
        <= 1e-6 * joined[["emissions_t_published", "emissions_t_now"]].abs().max(axis=1).clip(lower=1.0))
    differing = int((~close).sum())
    if not differing:
        return html("<p>与已发布的结果一致 / <i>the same as the published results</i> (<code>{}</code>)</p>", published)
    return html("<p><b>⚠ 与已发布的结果不同：{n} 行</b> / <i>{n} row(s) differ from the published results</i> "
                "(<code>{where}</code>)：已发布的清单不是本次计算的结果 / <i>the published inventory is not what this "
                "run computes</i></p>", n=differing, where=published)
