"""QA/QC of a region's whole inventory over its years (质量保证与质量控制): the inventory document's findings,
the QA flags grouped by factor row, the unverified share by sector and the completeness table.

Each sector's compilation flags one sector, region and year (``<sector>.flags.csv``). The document looks
across sectors and years (IPCC 2006 Vol.1 Ch.6, QA/QC: Table 6.1 general checks, time-series consistency of
Vol.1 Ch.5) and adds the checks only the whole series can make:

``implied_factor``
    implied emission factors (emissions / activity per category × item × gas) outside the ranges the project
    ships: combustion CO2 per TJ against ``carbon_content`` × 44/12 × ``oxidation`` of
    ``inventory/data/parameter_ranges.csv`` (IPCC 2006 Vol.2 Ch.1 Tables 1.3, 1.4); a whole ``ef`` against the
    ``low..high`` range of the shipped IPCC 2006 factor row (its source cited in ``data/factors``).
``year_on_year``
    a category × gas whose CO2e moved by more than :data:`YOY_THRESHOLD` (the sectors' threshold) from the
    year before, ignoring series below :data:`YOY_MINIMUM_SHARE` of their sector's total in both years.
``factor_change``
    a time-series break caused by a change of factor, not of activity: the factor rows of a category × item ×
    gas change between consecutive years, its implied factor moves by more than :data:`YOY_THRESHOLD` and the
    activity moves less than the implied factor (Vol.1 Ch.5: recalculate the earlier years or explain).
``series_gap``
    a series estimated one year and absent the next (or the reverse) without a notation key with a note in
    the activity records; ``notation_change``: a record's notation key changed between years.
``unverified_factor``
    a factor row of unverified provenance (``derived``, ``secondary``, ``memory``) the emissions rest on: one
    finding per row over all the years (the sectors flag it per region-year); ``missing_factor``: a link that
    found no row, where no sector flag says so already.

The sector flags of checks these replace (:data:`SUPERSEDED`) are dropped; every other sector flag is kept,
folded over the years: one finding per check, severity, category, item and gas, the latest year's message.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from inventory.core.errors import bilingual
from inventory.core.factors import FactorDatabase
from inventory.core.method import category_mask
from inventory.core.plausibility import load_parameter_ranges
from inventory.core.provenance import UNVERIFIED, Links
from inventory.core.units import UnitError, conversion_factor
from inventory.core.vocabulary import load_vocabulary
from inventory.sectors import registry
from inventory.sectors.qa import CHECK_NAMES_ZH, YOY_MINIMUM_SHARE, YOY_THRESHOLD

__all__ = ["FINDING_COLUMNS", "SEVERITIES", "SUPERSEDED", "YOY_THRESHOLD", "YOY_MINIMUM_SHARE", "CHECK_NAMES",
           "document_findings", "implied_factor_findings", "year_on_year_findings", "factor_change_findings",
           "series_findings", "factor_findings", "by_factor_row", "unverified_share", "completeness",
           "qa_counts", "implied_factors"]

FINDING_COLUMNS = ["severity", "check", "check_zh", "category", "item", "gas", "year", "where", "message",
                   "suggestion", "factor_id", "co2e_t"]
#: most severe first
SEVERITIES = ("error", "warning", "info")
#: sector checks the document's own checks replace (the same question asked over the whole series)
SUPERSEDED = frozenset({"year_on_year", "unverified_factor", "notation_key", "implied_factor_range"})
#: weakest-link confidences counted as unverified (a link without a row is ``missing``)
UNVERIFIED_OR_MISSING = UNVERIFIED | {"missing"}
CO2_PER_C = 44 / 12
#: check → Chinese name; a check not named here keeps its code as its name
CHECK_NAMES = {
    **CHECK_NAMES_ZH,  # the sectors' checks, as their reports name them
    "implied_factor": "隐含排放因子超出范围", "year_on_year": "年际变化过大", "factor_change": "因子更换致时间序列断点",
    "series_gap": "时间序列缺口", "notation_change": "注释键变化", "balance_closure": "能源平衡不闭合",
}
#: check → what to do, Chinese and English
SUGGESTIONS = {
    "implied_factor": ("核对活动数据的单位和所用因子；确属本地情况的，在报告中说明依据",
                       "check the activity's unit and the factors used; if the value is right locally, document why"),
    "year_on_year": ("核对两年的活动数据和因子；属实的，在报告中说明变化原因",
                     "check both years' activity data and factors; if the change is real, explain its cause"),
    "factor_change": ("确认新因子是否也适用于以前年份（重新计算时间序列，IPCC 2006 第1卷第5章），或说明更换原因",
                      "check whether the new factor row applies to the earlier years too (recalculate the series, "
                      "IPCC 2006 Vol.1 Ch.5) or document why the factor changed"),
    "series_gap": ("补填缺失年份的数据，或填写注释键（NO/NE/IE…）并在 note 中说明原因",
                   "file the missing year's data, or a notation key (NO/NE/IE …) with the reason in its note"),
    "notation_change": ("确认注释键的变化有依据，并在 note 中说明",
                        "confirm the change of notation key and give the reason in the note"),
    "unverified_factor": ("对照来源文件核实该因子并将置信度改为 verified，或以本地实测值替代",
                          "check the row against its source document and mark it verified, or replace it with a "
                          "local measured value"),
    "missing_factor": ("在 factors/ 中补充该参数的因子行（注明来源）",
                       "add a factor row for the parameter in factors/ (with its source)"),
}
_GENERIC = ("核对该处的数据和计算，并在报告中说明",
            "check the data and the computation there, and explain in the report")


# -- helpers ------------------------------------------------------------------------------------

def _factor_rows(factors: FactorDatabase | pd.DataFrame) -> pd.DataFrame:
    return factors.rows if isinstance(factors, FactorDatabase) else factors


def _parse_factor_ids(text: str) -> Links:
    """``ncv=ID; carbon_content=ID | ncv=ID`` (``emissions_provenance.csv``) back into links."""
    links = []
    for part in re.split(r"\s*[;|]\s*", str(text or "")):
        if "=" in part:
            role, _, factor_id = part.partition("=")
            links.append((role.strip(), factor_id.strip()))
    return tuple(links)


def _links(emissions: pd.DataFrame) -> pd.Series:
    """Each row's links: the ``links`` column, or ``factor_ids`` read back from a results file."""
    if "links" in emissions.columns:
        return emissions["links"]
    if "factor_ids" in emissions.columns:
        return emissions["factor_ids"].map(_parse_factor_ids)
    return pd.Series([()] * len(emissions), index=emissions.index, dtype=object)


def _inventory(emissions: pd.DataFrame) -> pd.DataFrame:
    """Inventory rows only (memo items ``M.*`` never enter totals), region as text, year as int."""
    frame = emissions[~emissions["category"].astype(str).str.startswith("M.")].copy()
    frame["region"] = frame["region"].astype(str)
    frame["year"] = frame["year"].astype(int)
    return frame.reset_index(drop=True)


def _places(records: Iterable[str], limit: int = 3) -> str:
    """``file:line; file:line`` of the rows concerned, the first ``limit`` and how many more."""
    places = list(dict.fromkeys(p for text in records for p in str(text or "").split("; ") if p and p != "nan"))
    shown = "; ".join(places[:limit])
    return f"{shown} … (+{len(places) - limit})" if len(places) > limit else shown


def _finding(check: str, severity: str, category: str, item: str, gas: str, year: int, where: str, zh: str,
             en: str, factor_id: str = "", co2e_t: float = np.nan) -> dict:
    suggestion = SUGGESTIONS.get(check, _GENERIC)
    return {"severity": severity, "check": check, "check_zh": CHECK_NAMES.get(check, check), "category": category,
            "item": item, "gas": gas, "year": int(year), "where": where, "message": bilingual(zh, en),
            "suggestion": bilingual(*suggestion), "factor_id": factor_id, "co2e_t": float(co2e_t)}


def _table(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=FINDING_COLUMNS).astype({"year": int, "co2e_t": float})


def _sector_of(categories: pd.Series) -> pd.Series:
    """The registered sector owning each category (the longest ``owns`` prefix); empty for none."""
    owner = pd.Series("", index=categories.index, dtype=object)
    length = pd.Series(-1, index=categories.index)
    for name, sector in registry().items():
        for prefix in sector.owns:
            hit = category_mask(categories, (prefix,)) & (len(prefix) > length)
            owner[hit] = name
            length[hit] = len(prefix)
    return owner


def _base_item(item: str) -> str:
    return str(item).split(".", 1)[0]


def _related(record_category: str, category: str) -> bool:
    """Whether a record's category covers an emission category or lies below it (``3.A`` ↔ ``3.A.1``)."""
    return (record_category == category or category.startswith(record_category + ".")
            or record_category.startswith(category + "."))


# -- (a) implied emission factors ---------------------------------------------------------------

def implied_factors(emissions: pd.DataFrame) -> pd.DataFrame:
    """Implied emission factors per year, category, item and gas.

    ``ief`` = Σ emissions [t] / Σ activity [``activity_unit``] (one row per activity unit, so no sum mixes
    units); ``ief_per_tj`` = Σ emissions [t] / Σ energy [TJ] (NaN without energy).
    """
    frame = emissions.copy()
    frame["energy_tj"] = pd.to_numeric(frame.get("energy_tj"), errors="coerce")
    frame["activity_value"] = pd.to_numeric(frame.get("activity_value"), errors="coerce")
    keys = ["year", "category", "item", "gas", "activity_unit"]
    grouped = frame.fillna({"activity_unit": ""}).groupby(keys, as_index=False).agg(
        emissions_t=("emissions_t", "sum"), activity=("activity_value", "sum"), energy_tj=("energy_tj", "sum"),
        co2e_t=("co2e_t", "sum"), records=("records", _places))
    with np.errstate(divide="ignore", invalid="ignore"):
        grouped["ief"] = np.where(grouped["activity"] != 0, grouped["emissions_t"] / grouped["activity"], np.nan)
        grouped["ief_per_tj"] = np.where(grouped["energy_tj"] > 0, grouped["emissions_t"] / grouped["energy_tj"],
                                         np.nan)
    return grouped


def _combustion_bounds() -> dict[str, tuple[float, float, str]]:
    """Item → (low, high) [t CO2/TJ]: carbon content × 44/12 × oxidation, the shipped ranges' lower and upper
    ends (IPCC 2006 Vol.2 Ch.1 Tables 1.3, 1.4; the provincial guideline's lowest oxidation)."""
    ranges = load_parameter_ranges()
    oxidation = [r for r in ranges if r.parameter == "oxidation" and r.lower is not None and r.upper is not None]
    if not oxidation:
        return {}
    low_ox, high_ox = oxidation[0].lower, oxidation[0].upper
    bounds = {}
    for r in ranges:
        if r.parameter != "carbon_content" or r.item == "*" or r.lower is None or r.upper is None:
            continue
        scale = conversion_factor(r.unit, "t/TJ")
        bounds[r.item] = (r.lower * scale * CO2_PER_C * low_ox, r.upper * scale * CO2_PER_C * high_ox,
                          f"parameter_ranges.csv:{r.line},{oxidation[0].line}")
    return bounds


def _ef_bounds(factor_rows: pd.DataFrame) -> pd.DataFrame:
    """The shipped IPCC 2006 ``ef`` rows with a ``low..high`` range: category, item, gas, low, high, unit, id."""
    rows = factor_rows[(factor_rows["parameter"] == "ef") & (factor_rows["factor_set"] == "ipcc2006")
                       & factor_rows["uncertainty"].astype(str).str.contains(r"\.\.", regex=True)]
    ends = rows["uncertainty"].str.split("..", n=1, regex=False)
    return rows.assign(low=ends.str[0].astype(float), high=ends.str[1].astype(float))


def implied_factor_findings(frame: pd.DataFrame, factors: FactorDatabase | pd.DataFrame) -> pd.DataFrame:
    """Implied emission factors outside the shipped ranges: one finding per category × item × gas, the
    years outside listed, ``year`` and ``co2e_t`` those of the latest of them (module docstring)."""
    ief = implied_factors(frame)
    outside: dict[tuple, list] = {}
    combustion = _combustion_bounds()
    for row in ief[(ief["gas"] == "CO2") & category_mask(ief["category"], ("1.A",))].to_dict("records"):
        bound = combustion.get(row["item"]) or combustion.get(_base_item(row["item"]))
        if bound is None or not np.isfinite(row["ief_per_tj"]):
            continue
        low, high, source = bound
        if not low <= row["ief_per_tj"] <= high:
            outside.setdefault((row["category"], row["item"], "CO2", source), []).append(
                (row, row["ief_per_tj"], low, high, "t CO2/TJ"))
    for bound in _ef_bounds(_factor_rows(factors)).to_dict("records"):
        mask = (category_mask(ief["category"], (bound["category"],)) & (ief["gas"] == bound["gas"])
                & ief["item"].map(_base_item).eq(_base_item(bound["item"])))
        for row in ief[mask].to_dict("records"):
            try:
                scale = conversion_factor(bound["unit"], f"t/({row['activity_unit']})")
            except UnitError:
                continue
            low, high = bound["low"] * scale, bound["high"] * scale
            if np.isfinite(row["ief"]) and not low <= row["ief"] <= high:
                outside.setdefault((row["category"], row["item"], row["gas"], bound["id"]), []).append(
                    (row, row["ief"], low, high, f"t/{row['activity_unit']}"))
    findings = []
    for (category, item, gas, source), hits in outside.items():
        hits.sort(key=lambda hit: hit[0]["year"])
        latest, _, low, high, unit = hits[-1]
        values = ", ".join(f"{hit[0]['year']}: {hit[1]:.4g}" for hit in hits)
        findings.append(_finding(
            "implied_factor", "warning", category, item, gas, latest["year"], latest["records"],
            f"{category} {item} {gas} 的隐含排放因子（{values} {unit}）超出范围 "
            f"{low:.4g}–{high:.4g} {unit}（{source}）",
            f"implied {gas} factor of {category} {item} ({values} {unit}) is outside {low:.4g}–{high:.4g} {unit} "
            f"({source})", co2e_t=abs(latest["co2e_t"])))
    return _table(findings)


# -- (b) year on year ---------------------------------------------------------------------------

def _consecutive(grouped: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Each group's row joined with the same group's row of the year before (suffix ``_before``)."""
    before = grouped.assign(year=grouped["year"] + 1)
    return grouped.merge(before, on=["year"] + keys, suffixes=("", "_before"))


def year_on_year_findings(frame: pd.DataFrame, threshold: float = YOY_THRESHOLD,
                          minimum_share: float = YOY_MINIMUM_SHARE) -> pd.DataFrame:
    """Category × gas series whose CO2e changed by more than ``threshold`` (fraction) from the year before.

    Change = (now − before) / |before|. Series below ``minimum_share`` of their sector's total (by size, so
    removals count) in both years are ignored, as in the sectors' own check; a series present in one of the
    two years only is :func:`series_findings`' business.
    """
    if frame.empty:
        return _table([])
    frame = frame.assign(sector=_sector_of(frame["category"]).to_numpy(), size=frame["co2e_t"].abs())
    totals = frame.groupby(["year", "sector"])["size"].sum().rename("sector_total").reset_index()
    grouped = frame.groupby(["year", "category", "gas", "sector"], as_index=False).agg(
        co2e_t=("co2e_t", "sum"), records=("records", _places))
    grouped = grouped.merge(totals, on=["year", "sector"])
    both = _consecutive(grouped, ["category", "gas", "sector"])
    with np.errstate(divide="ignore", invalid="ignore"):
        change = (both["co2e_t"] - both["co2e_t_before"]) / both["co2e_t_before"].abs()
    material = (np.maximum(both["co2e_t"].abs(), both["co2e_t_before"].abs())
                >= minimum_share * np.maximum(both["sector_total"], both["sector_total_before"]))
    flagged = both[material & (change.abs() > threshold) & (both["co2e_t_before"] != 0)]
    findings = []
    for row, moved in zip(flagged.to_dict("records"), change[flagged.index]):
        year = row["year"]
        zh = (f"{row['category']} {row['gas']} 较 {year - 1} 年变化 {moved:+.0%}"
              f"（{row['co2e_t_before']:,.0f} → {row['co2e_t']:,.0f} t CO2e），超过 {threshold:.0%}")
        en = (f"{row['category']} {row['gas']} changed {moved:+.0%} against {year - 1} "
              f"({row['co2e_t_before']:,.0f} → {row['co2e_t']:,.0f} t CO2e), beyond {threshold:.0%}")
        findings.append(_finding("year_on_year", "warning", row["category"], "", row["gas"], year, row["records"],
                                 zh, en, co2e_t=abs(row["co2e_t"])))
    return _table(findings)


# -- (c) factor changes -------------------------------------------------------------------------

def _merged(links_column: Iterable[Links]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted({link for links in links_column for link in links}))


def factor_change_findings(frame: pd.DataFrame, threshold: float = YOY_THRESHOLD) -> pd.DataFrame:
    """Time-series breaks caused by a change of factor: per category × item × gas and consecutive years, the
    factor rows linked differ, the implied factor (emissions / activity) moves by more than ``threshold`` and
    the activity moves less than the implied factor. A factor change that keeps the implied factor is no
    break and is not reported."""
    if frame.empty:
        return _table([])
    frame = frame.assign(links=_links(frame).to_numpy(),
                         activity_value=pd.to_numeric(frame["activity_value"], errors="coerce"))
    keys = ["category", "item", "gas", "activity_unit"]  # one activity unit per series: no sum mixes units
    grouped = frame.fillna({"activity_unit": ""}).groupby(["year"] + keys, as_index=False).agg(
        emissions_t=("emissions_t", "sum"), activity=("activity_value", "sum"), co2e_t=("co2e_t", "sum"),
        links=("links", _merged), records=("records", _places))
    both = _consecutive(grouped, keys)
    findings = []
    for row in both.to_dict("records"):
        if row["links"] == row["links_before"] or not row["activity"] or not row["activity_before"]:
            continue
        ief, ief_before = row["emissions_t"] / row["activity"], row["emissions_t_before"] / row["activity_before"]
        if not ief_before or not np.isfinite(ief) or not np.isfinite(ief_before):
            continue
        ief_change = ief / ief_before - 1
        activity_change = row["activity"] / row["activity_before"] - 1
        if abs(ief_change) <= threshold or abs(activity_change) >= abs(ief_change):
            continue
        old, new = dict(row["links_before"]), dict(row["links"])
        changed = [role for role in dict.fromkeys([*old, *new]) if old.get(role) != new.get(role)]
        text = "; ".join(f"{role} {old.get(role, '—')} → {new.get(role, '—')}" for role in changed)
        unit = f"t/{row['activity_unit']}"
        year = row["year"]
        zh = (f"{row['category']} {row['item']} {row['gas']} 在 {year - 1}→{year} 年更换了因子行（{text}）："
              f"隐含因子 {ief_before:.4g} → {ief:.4g} {unit}（{ief_change:+.0%}），"
              f"活动水平仅变化 {activity_change:+.0%}")
        en = (f"{row['category']} {row['item']} {row['gas']}: the factor rows changed {year - 1}→{year} ({text}); "
              f"implied factor {ief_before:.4g} → {ief:.4g} {unit} ({ief_change:+.0%}) while activity moved "
              f"{activity_change:+.0%}")
        findings.append(_finding("factor_change", "warning", row["category"], row["item"], row["gas"], year,
                                 row["records"], zh, en, factor_id="; ".join(new.get(r, "") for r in changed
                                                                             if new.get(r)),
                                 co2e_t=abs(row["co2e_t"])))
    return _table(findings)


# -- (d) series and notation keys ---------------------------------------------------------------

def _notation_rows(records: pd.DataFrame | None, region: str) -> pd.DataFrame:
    if records is None or records.empty:
        return pd.DataFrame(columns=["year", "category", "item", "quantity", "notation", "note", "file", "line"])
    keyed = records[(records["region"].astype(str) == region) & (records["notation"].astype(str) != "")]
    return keyed.assign(year=keyed["year"].astype(int))


def series_findings(frame: pd.DataFrame, records: pd.DataFrame | None, region: str) -> pd.DataFrame:
    """Series (category × item × gas) estimated one year and absent the next, or the reverse, without a notation
    key with a note filed for the absent year; and notation keys that changed between consecutive years.

    Only years in which the region has results at all are compared (a year not computed is no gap). A
    notation key counts for an emission series when its item (or the item's base ``a`` of ``a.b``) is the
    series' and its category covers the series' or lies below it (``3.A`` ↔ ``3.A.1``).
    """
    keyed = _notation_rows(records, region)
    findings = []
    if not frame.empty:
        years = sorted(frame["year"].unique())
        present = frame.groupby(["category", "item", "gas"]).agg(
            years=("year", lambda y: frozenset(y)), co2e=("co2e_t", lambda c: dict(zip(frame.loc[c.index, "year"],
                                                                                         c))),
            records=("records", _places))
        for (category, item, gas), row in present.iterrows():
            for before, now in zip(years, years[1:]):
                if now != before + 1 or ((before in row["years"]) == (now in row["years"])):
                    continue
                absent, estimated = (now, before) if before in row["years"] else (before, now)
                keys = keyed[(keyed["year"] == absent) & keyed["item"].map(_base_item).eq(_base_item(item))
                             & keyed["category"].map(lambda c, category=category: _related(c, category))]
                noted = keys[keys["note"].astype(str).str.strip() != ""]
                if len(noted):
                    continue
                stake = abs(row["co2e"].get(estimated, np.nan))
                if len(keys):
                    key = keys.iloc[0]
                    where = f"{key['file']}:{key['line']}"
                    zh = (f"{category} {item} {gas} {estimated} 年有估算，"
                          f"{absent} 年填为 {key['notation']} 但未说明原因")
                    en = (f"{category} {item} {gas} is estimated in {estimated} and filed as {key['notation']} in "
                          f"{absent} without a note")
                else:
                    where = row["records"]
                    zh = f"{category} {item} {gas} {estimated} 年有估算，{absent} 年既无数据也无注释键"
                    en = (f"{category} {item} {gas} is estimated in {estimated}, "
                          f"but {absent} has no value and no notation key")
                findings.append(_finding("series_gap", "warning", category, item, gas, absent, where, zh, en,
                                         co2e_t=stake))
    keyed = keyed.assign(key_year=keyed["year"] + 1)
    changed = keyed.merge(keyed, left_on=["year", "category", "item", "quantity"],
                          right_on=["key_year", "category", "item", "quantity"], suffixes=("", "_before"))
    for row in changed[changed["notation"] != changed["notation_before"]].to_dict("records"):
        noted = str(row["note"]).strip() != ""
        zh = (f"{row['category']} {row['item']} {row['quantity']} 的注释键由 "
              f"{row['notation_before']}（{row['year_before']}）"
              f"变为 {row['notation']}（{row['year']}）{'' if noted else '，未说明原因'}")
        en = (f"{row['category']} {row['item']} {row['quantity']}: notation key {row['notation_before']} in "
              f"{row['year_before']}, {row['notation']} in {row['year']}{'' if noted else ' without a note'}")
        findings.append(_finding("notation_change", "info" if noted else "warning", row["category"], row["item"], "",
                                 row["year"], f"{row['file_before']}:{row['line_before']}; {row['file']}:{row['line']}",
                                 zh, en))
    return _table(findings)


# -- (e) unverified and missing factors ---------------------------------------------------------

def _exploded(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per (emission row, role, factor id) — each factor id once per emission row."""
    links = _links(frame)
    pairs = [(index, role, factor_id) for index, row_links in zip(frame.index, links)
             for role, factor_id in dict.fromkeys(row_links)]
    table = pd.DataFrame(pairs, columns=["row", "role", "factor_id"])
    return table.join(frame.drop(columns=[c for c in ("links",) if c in frame.columns]), on="row")


def factor_findings(frame: pd.DataFrame, factors: FactorDatabase | pd.DataFrame,
                    flags: pd.DataFrame | None = None) -> pd.DataFrame:
    """One finding per unverified factor row the emissions rest on, over all the years (``year`` and
    ``co2e_t``: the latest year using it, by size), and one per role × category × item × gas whose link
    found no row, unless a sector's ``missing_factor`` flag already names that category, item and gas."""
    rows = _factor_rows(factors)
    if frame.empty:
        return _table([])
    links = _exploded(frame)
    links = links.assign(size=links["co2e_t"].abs())
    totals = frame.assign(size=frame["co2e_t"].abs()).groupby("year")["size"].sum()
    described = rows.drop_duplicates("id").set_index("id")
    weak = set(rows.loc[rows["confidence"].isin(UNVERIFIED), "id"])
    findings = []
    for factor_id, used in links[links["factor_id"].isin(weak)].groupby("factor_id"):
        factor = described.loc[factor_id]
        latest = int(used["year"].max())
        now = used[used["year"] == latest]
        stake = float(now.drop_duplicates("row")["size"].sum())
        share = stake / totals[latest] if totals.get(latest) else np.nan
        years = sorted(used["year"].unique())
        span = f"{years[0]}–{years[-1]}" if len(years) > 1 else f"{years[0]}"
        what = (f"{factor_id}（{factor['parameter']} = {factor['value']:g} {factor['unit']}，{factor['factor_set']}，"
                f"{factor['confidence']}；{factor['source']}）")
        what_en = (f"{factor_id} ({factor['parameter']} = {factor['value']:g} {factor['unit']}, "
                   f"{factor['factor_set']}, "
                   f"{factor['confidence']}; {factor['source']})")
        zh = (f"因子未核实：{what}，{span} 年 {used['row'].nunique()} 行排放使用，{latest} 年 {stake:,.0f} t CO2e"
              f"（占 {share:.1%}）依赖于此")
        en = (f"unverified factor {what_en}: used by {used['row'].nunique()} emission row(s) in {span}; "
              f"{stake:,.0f} t CO2e in {latest} ({share:.1%} of the total) rest on it")
        findings.append(_finding("unverified_factor", "warning", str(factor["category"]), str(factor["item"]),
                                 str(factor["gas"]), latest, _places(now["records"]), zh, en, factor_id=factor_id,
                                 co2e_t=stake))
    flagged = set()
    if flags is not None and len(flags):
        missing_flags = flags[flags["check"] == "missing_factor"]
        flagged = set(zip(missing_flags["category"], missing_flags["item"], missing_flags["gas"]))
    for (role, category, item, gas), used in links[links["factor_id"] == ""].groupby(
            ["role", "category", "item", "gas"]):
        if (category, item, gas) in flagged:
            continue
        latest = int(used["year"].max())
        years = ", ".join(str(y) for y in sorted(used["year"].unique()))
        zh = f"{category} {item} {gas} 的参数 {role} 未找到因子行（{years} 年）"
        en = f"no factor row for {role} of {category} {item} {gas} ({years})"
        findings.append(_finding("missing_factor", "warning", category, item, gas, latest,
                                 _places(used["records"]), zh, en,
                                 co2e_t=float(used.loc[used["year"] == latest, "size"].sum())))
    return _table(findings)


# -- the sector flags, folded -------------------------------------------------------------------

def _sector_flag_findings(flags: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    """The sector flags not superseded, one finding per check, severity, category, item and gas (the
    latest year's message; the other years named), ``where`` and ``co2e_t`` from the emission rows of that
    year the flag's category (and item, gas when given) covers."""
    kept = flags[~flags["check"].isin(SUPERSEDED)]
    findings = []
    for (check, severity, category, item, gas), group in kept.groupby(
            ["check", "severity", "category", "item", "gas"], sort=False):
        group = group.sort_values("year")
        latest = group.iloc[-1]
        year = int(latest["year"])
        rows = frame[(frame["year"] == year) & category_mask(frame["category"], (category,))]
        if item:
            rows = rows[rows["item"] == item]
        if gas and gas != "CO2e":
            rows = rows[rows["gas"] == gas]
        others = [int(y) for y in group["year"].unique() if int(y) != year]
        also_zh = f"（另见 {', '.join(map(str, others))} 年）" if others else ""
        also_en = f" (also {', '.join(map(str, others))})" if others else ""
        message = str(latest["message"])
        findings.append({"severity": severity, "check": check, "check_zh": CHECK_NAMES.get(check, check),
                         "category": category, "item": item, "gas": gas, "year": year,
                         "where": _places(rows["records"]) if len(rows) else "",
                         "message": f"{message}{also_zh}{also_en}",
                         "suggestion": bilingual(*SUGGESTIONS.get(check, _GENERIC)), "factor_id": "",
                         "co2e_t": float(rows["co2e_t"].abs().sum()) if len(rows) else np.nan})
    return _table(findings)


# -- the document's findings --------------------------------------------------------------------

def document_findings(emissions: pd.DataFrame, flags: pd.DataFrame, factors: FactorDatabase | pd.DataFrame,
                      region: str, years: list[int], base_year: int, *, records: pd.DataFrame | None = None,
                      threshold: float = YOY_THRESHOLD) -> pd.DataFrame:
    """Every QA/QC finding of a region over its years: the sector flags (folded over the years, those of
    :data:`SUPERSEDED` checks replaced) and the cross-year checks of the module docstring.

    Parameters
    ----------
    emissions : pandas.DataFrame
        Results (columns of :data:`inventory.core.schema.RESULT_COLUMNS` with ``co2e_t``; ``links`` or the
        ``factor_ids`` text of a results file) of any regions and years; the region's rows from
        ``min(years + [base_year])`` to ``max(years)`` are examined.
    flags : pandas.DataFrame
        The sector flags (``<sector>.flags.csv`` concatenated; columns of ``FLAG_COLUMNS``).
    factors : FactorDatabase or pandas.DataFrame
        The factor database (or its rows) the emissions link to.
    region : str
        The region code.
    years, base_year : list of int, int
        The years of the document and the base year.
    records : pandas.DataFrame, optional
        The activity records (their ``notation`` and ``note``) for the notation-key checks; without them a
        gap in a series is reported as missing whatever was filed.
    threshold : float
        Year-on-year and implied-factor change threshold [fraction].

    Returns
    -------
    pandas.DataFrame
        :data:`FINDING_COLUMNS`, most severe first, then by CO2e at stake [t CO2e, by size].
    """
    region = str(region)
    first, last = min([*years, base_year]), max(years)
    frame = _inventory(emissions)
    frame = frame[(frame["region"] == region) & frame["year"].between(first, last)]
    flags = flags if flags is not None else pd.DataFrame(columns=["region", "year", "category", "item", "gas",
                                                                   "check", "severity", "message"])
    flags = flags[(flags["region"].astype(str) == region)
                  & flags["year"].astype(int).between(first, last)].fillna({"item": "", "gas": "", "category": ""})
    parts = [_sector_flag_findings(flags, frame), implied_factor_findings(frame, factors),
             year_on_year_findings(frame, threshold), factor_change_findings(frame, threshold),
             series_findings(frame, records, region), factor_findings(frame, factors, flags)]
    parts = [part for part in parts if len(part)]
    if not parts:
        return _table([])
    findings = pd.concat(parts, ignore_index=True)
    order = findings["severity"].map({s: i for i, s in enumerate(SEVERITIES)}).fillna(len(SEVERITIES))
    findings = findings.assign(_order=order, _stake=-findings["co2e_t"].fillna(0.0))
    findings = findings.sort_values(["_order", "_stake", "check", "category", "item", "gas", "year"], kind="stable")
    return findings.drop(columns=["_order", "_stake"]).reset_index(drop=True)


def qa_counts(findings: pd.DataFrame) -> dict[str, int]:
    """The number of findings per severity (every severity of :data:`SEVERITIES`, zero included)."""
    counts = findings["severity"].value_counts()
    return {severity: int(counts.get(severity, 0)) for severity in SEVERITIES}


# -- by factor row ------------------------------------------------------------------------------

BY_FACTOR_COLUMNS = ["factor_id", "parameter", "category", "item", "gas", "value", "unit", "factor_set", "source",
                     "source_table", "confidence", "rows", "region_years", "co2e_t", "share", "flag_count", "checks"]


def by_factor_row(emissions: pd.DataFrame, flags: pd.DataFrame,
                  factors: FactorDatabase | pd.DataFrame) -> pd.DataFrame:
    """The QA flags grouped by the factor row they concern, with what rests on each row.

    One row per factor id the emissions link to (a link that found no row: one row per role, ``factor_id``
    empty, ``confidence`` ``missing``): the factor's description, ``rows`` (emission rows using it, memo
    items included), ``region_years``, ``co2e_t`` (Σ |CO2e| of the inventory rows resting on it, each row
    once) and ``share`` (of Σ |CO2e| of all inventory rows), ``flag_count`` (how many flags concern it) and
    ``checks`` (``check ×n`` of those flags). A flag concerns a factor row when its message names the row's
    id; a ``missing_factor`` flag concerns the missing links of its region, year, category and item.
    """
    rows = _factor_rows(factors)
    frame = emissions.assign(region=emissions["region"].astype(str),
                             year=emissions["year"].astype(int)).reset_index(drop=True)
    links = _exploded(frame)
    memo = links["category"].astype(str).str.startswith("M.")
    links = links.assign(size=np.where(memo, 0.0, links["co2e_t"].abs()),
                         region_year=links["region"] + ":" + links["year"].astype(str))
    links["key"] = np.where(links["factor_id"] == "", "missing:" + links["role"], links["factor_id"])
    inventory_total = float(frame.loc[~frame["category"].astype(str).str.startswith("M."), "co2e_t"].abs().sum())
    grouped = links.groupby("key").agg(factor_id=("factor_id", "first"), role=("role", "first"),
                                       rows=("row", "nunique"), region_years=("region_year", "nunique"),
                                       co2e_t=("size", "sum"))
    flagged: dict[str, list[str]] = {}
    if flags is not None and len(flags):
        ids = sorted(set(grouped["factor_id"]) - {""}, key=len, reverse=True)
        if ids:
            pattern = r"(?<![\w-])(" + "|".join(map(re.escape, ids)) + r")(?![\w-])"
            named = flags["message"].astype(str).str.findall(pattern)
            for check, found in zip(flags["check"], named):
                for factor_id in set(found):
                    flagged.setdefault(factor_id, []).append(check)
        missing = links[links["factor_id"] == ""]
        if len(missing):
            keys = missing.assign(flag_key=list(zip(missing["region"], missing["year"], missing["category"],
                                                    missing["item"])))
            roles_of = keys.groupby("flag_key")["key"].agg(set).to_dict()
            missing_flags = flags[flags["check"] == "missing_factor"]
            for key in zip(missing_flags["region"].astype(str), missing_flags["year"].astype(int),
                           missing_flags["category"], missing_flags["item"]):
                for role_key in roles_of.get(key, ()):
                    flagged.setdefault(role_key, []).append("missing_factor")
    described = rows.drop_duplicates("id").set_index("id")
    table = []
    for key, row in grouped.iterrows():
        factor = described.loc[row["factor_id"]] if row["factor_id"] in described.index else None
        checks = pd.Series(flagged.get(key, []), dtype=object).value_counts()
        table.append({
            "factor_id": row["factor_id"],
            "parameter": factor["parameter"] if factor is not None else row["role"],
            **{c: (factor[c] if factor is not None else "") for c in ("category", "item", "gas")},
            "value": float(factor["value"]) if factor is not None else np.nan,
            **{c: (factor[c] if factor is not None else "") for c in ("unit", "factor_set", "source",
                                                                       "source_table")},
            "confidence": factor["confidence"] if factor is not None else "missing",
            "rows": int(row["rows"]), "region_years": int(row["region_years"]), "co2e_t": float(row["co2e_t"]),
            "share": float(row["co2e_t"]) / inventory_total if inventory_total else np.nan,
            "flag_count": int(checks.sum()), "checks": "; ".join(f"{check} ×{n}" for check, n in checks.items())})
    result = pd.DataFrame(table, columns=BY_FACTOR_COLUMNS)
    return result.sort_values(["co2e_t", "factor_id"], ascending=[False, True], kind="stable").reset_index(drop=True)


# -- unverified share ---------------------------------------------------------------------------

def unverified_share(emissions: pd.DataFrame) -> pd.DataFrame:
    """Per registered sector and in total: Σ |CO2e| of the inventory rows [t CO2e], Σ |CO2e| of those whose
    weakest link is unverified or missing (:data:`UNVERIFIED_OR_MISSING`), and their share. Absolute values,
    so removals count by their size; memo items excluded. Needs the ``confidence`` column."""
    frame = _inventory(emissions)
    frame = frame.assign(sector=_sector_of(frame["category"]).to_numpy(), size=frame["co2e_t"].abs(),
                         weak=frame["confidence"].isin(UNVERIFIED_OR_MISSING))
    rows = []
    for name, sector in registry().items():
        part = frame[frame["sector"] == name]
        owns = [p for p in sector.owns if not p.startswith("M.")]
        rows.append({"sector": name, "sector_zh": sector.title_zh, "sector_en": sector.title_en,
                     "categories": ", ".join(owns), "total_co2e_t": float(part["size"].sum()),
                     "unverified_co2e_t": float(part.loc[part["weak"], "size"].sum())})
    rows.append({"sector": "total", "sector_zh": "合计", "sector_en": "Total", "categories": "",
                 "total_co2e_t": float(frame["size"].sum()),
                 "unverified_co2e_t": float(frame.loc[frame["weak"], "size"].sum())})
    table = pd.DataFrame(rows)
    with np.errstate(divide="ignore", invalid="ignore"):
        table["share"] = np.where(table["total_co2e_t"] > 0, table["unverified_co2e_t"] / table["total_co2e_t"],
                                  np.nan)
    return table


# -- completeness -------------------------------------------------------------------------------

#: the IPCC sectors of the five inventory sectors (energy, IPPU, AFOLU = agriculture + LULUCF, waste)
INVENTORY_SECTORS = ("1", "2", "3", "4")
COMPLETENESS_COLUMNS = ["category", "name_zh", "name_en", "sector_zh", "status", "gases", "co2e_t", "note", "where"]


def _completeness_level() -> pd.DataFrame:
    """The categories the completeness table lists: level 3 of the IPCC tree (``1.A.1``, ``2.A.1``,
    ``3.C.7``, ``4.D.1``) and the level-2 categories without subcategories (``4.B``) under sectors 1–4."""
    tree = load_vocabulary().categories
    codes = tree.index.to_series()
    under = codes.str.split(".").str[0].isin(INVENTORY_SECTORS)
    parents = set(tree["parent"])
    level = tree["level"].astype(int)
    chosen = under & ((level == 3) | ((level == 2) & ~codes.isin(parents)))
    return tree[chosen.to_numpy()]


def completeness(emissions: pd.DataFrame, records: pd.DataFrame, region: str, year: int) -> pd.DataFrame:
    """Every category of the five sectors with its status in a region-year (the completeness table).

    The level is :func:`_completeness_level`'s: level 3 of the IPCC tree, the level the provincial
    guideline's summary tables and the sectors report at (a level-2 category without subcategories, such as
    4.B, stands for itself). ``status``: ``estimated`` (``gases``: the gases with results, ``co2e_t`` their
    sum; ``note``: notation keys filed for items of the category), else the notation key(s) filed in the
    activity records for the category, a category below it or one above it (``3.A`` covers ``3.A.1``), with
    their notes and places, else ``NE``: "no data filed" for a category a registered sector owns, "no method
    in the workbench" for one none owns.
    """
    region = str(region)
    tree = _completeness_level()
    frame = _inventory(emissions)
    frame = frame[(frame["region"] == region) & (frame["year"] == int(year))]
    keyed = _notation_rows(records, region)
    keyed = keyed[keyed["year"] == int(year)]
    sectors = registry()
    owner = _sector_of(tree.index.to_series())
    # plain lists: one pass over ~80 categories with a few rows each (DataFrame selections cost more here)
    estimated_rows = list(zip(frame["category"].astype(str), frame["gas"].astype(str), frame["co2e_t"].astype(float),
                              frame["records"] if "records" in frame else [""] * len(frame)))
    keyed_rows = list(zip(keyed["category"].astype(str), keyed["item"].astype(str), keyed["notation"].astype(str),
                          keyed["note"], keyed["file"], keyed["line"]))
    rows = []
    for code, entry in tree.iterrows():
        estimated = [r for r in estimated_rows if r[0] == code or r[0].startswith(code + ".")]
        keys = [r for r in keyed_rows if _related(r[0], code)]
        owned = owner[code] or next((name for name, s in sectors.items()
                                     if any(p.startswith(code + ".") for p in s.owns)), "")
        sector_zh = sectors[owned].title_zh if owned else ""
        where = "; ".join(f"{f}:{line}" for *_, f, line in keys)
        notes = "; ".join(f"{item} {key}" + (f"（{note}）" if str(note).strip() else "")
                          for _, item, key, note, _, _ in keys)
        if estimated:
            status, gases = "estimated", ", ".join(sorted({r[1] for r in estimated}))
            co2e, note = float(np.array([r[2] for r in estimated]).sum()), notes
            where = "; ".join(part for part in (_places(r[3] for r in estimated), where) if part)
        elif keys:
            status, gases, co2e, note = ", ".join(dict.fromkeys(r[2] for r in keys)), "", np.nan, notes
        else:
            status, gases, co2e = "NE", "", np.nan
            note = (bilingual("未填报数据", "no data filed") if owned
                    else bilingual("工作台无此类别的计算方法", "no method in the workbench"))
        rows.append({"category": code, "name_zh": entry["name_zh"], "name_en": entry["name_en"],
                     "sector_zh": sector_zh, "status": status, "gases": gases, "co2e_t": co2e, "note": note,
                     "where": where})
    return pd.DataFrame(rows, columns=COMPLETENESS_COLUMNS)
