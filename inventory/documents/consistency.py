"""City–county consistency (衔接): a region's own inventory against the sum of its members.

Two relations of the region registry (``inventory.core.regions``) are checked:

* **a region and its county-level members** (the city 430500 and its 12 counties): a county-level
  inventory covers the whole county, so the city's own inventory should equal the sum of its
  counties' for every category and gas (status ``ok`` within the tolerance, else ``mismatch``);
* **a county and its parks** (``level`` ``park``, code ``<county>-P<nn>``): a park lies inside its
  county and its records are already inside the county's data (docs/DATA_FORMAT.md, CONTRACTS §2),
  so a park is never added into any sum; the check is that the parks of a county together do not
  exceed the county in any category × gas (status ``exceeds``). The registry has no way to mark a
  park as separate from its county, and none is invented here.

In the spirit of pyam's ``check_aggregate`` (an absolute and a relative difference against a
tolerance), written for this workbench's registry and emission tables.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["CONSISTENCY_COLUMNS", "STATUSES", "STATUS_LABELS", "check_aggregate", "consistency_table", "failing",
           "for_reading"]

#: the columns of ``consistency.csv`` (CONTRACTS §5)
CONSISTENCY_COLUMNS = ["region", "year", "category", "gas", "reported_t", "sum_of_members_t", "difference_t",
                       "relative", "members", "expected_members", "status"]
#: every status a row can have, the ones that need a look after ``ok``
STATUSES = ("ok", "mismatch", "incomplete", "missing", "only_members", "exceeds")
#: what each status means, in Chinese and English (for tables people read)
STATUS_LABELS = {
    "ok": ("一致", "consistent"),
    "mismatch": ("不一致：本级与下级之和之差超出容差", "mismatch: the region differs from the sum of its members"),
    "incomplete": ("下级地区结果不全，无法判断", "incomplete: a member has no result this year"),
    "missing": ("本级没有结果", "missing: the region itself has no result this year"),
    "only_members": ("本级未报告，下级有", "only members: the region reports nothing here, its members do"),
    "exceeds": ("园区之和超过所在区县", "exceeds: the parks together exceed their county"),
}
#: the headings of :func:`for_reading`
_HEADINGS = {"region": ("地区", "Region"), "year": ("年份", "Year"), "category": ("类别", "Category"),
             "gas": ("气体", "Gas"), "reported_t": ("本级（吨）", "Reported (t)"),
             "sum_of_members_t": ("下级之和（吨）", "Sum of members (t)"),
             "difference_t": ("差值（吨）", "Difference (t)"), "relative": ("相对差（%）", "Relative (%)"),
             "members": ("下级（有结果/应有）", "Members (with results/expected)"), "status": ("状态", "Status")}
#: the category of a region-year's total over all categories (memo items excluded)
TOTAL = "TOTAL"
#: the gas of rows in tonnes of CO2 equivalent (the sum of ``co2e_t`` over the gases)
CO2E = "CO2e"
#: differences up to this many tonnes are rounding, whatever the relative tolerance (0 = 0)
ABSOLUTE_TOLERANCE_T = 1e-6


def _inventory_rows(emissions: pd.DataFrame) -> pd.DataFrame:
    """The rows that are compared: memo items ``M.*`` are not.

    Memo items are reported per region but are not additive over regions: ``M.ELEC`` / ``M.HEAT``
    are the CO2 of a region's *net* inflow of electricity / heat, and electricity one county sends to
    another is an inflow of the one and an outflow of the other, which cancels in the city's own
    balance but not in the sum of the counties' net inflows; they never enter inventory totals either.
    """
    missing = [c for c in ("region", "year", "category", "gas", "emissions_t", "co2e_t") if c not in emissions.columns]
    if missing:
        raise ValueError(f"emission table without column(s) {', '.join(missing)} (CONTRACTS §5 emissions.csv)")
    rows = emissions[~emissions["category"].astype(str).str.startswith("M.")]
    return rows.assign(region=rows["region"].astype(str), year=rows["year"].astype(int))


def _long(rows: pd.DataFrame) -> pd.DataFrame:
    """Per region, year, category and gas: the gas rows [t of the gas], one ``CO2e`` row per
    category [t CO2e], and the ``TOTAL`` rows of each gas and of CO2e."""
    by_gas = rows.groupby(["region", "year", "category", "gas"], as_index=False)["emissions_t"].sum()
    by_gas = by_gas.rename(columns={"emissions_t": "value"})
    co2e = rows.groupby(["region", "year", "category"], as_index=False)["co2e_t"].sum()
    co2e = co2e.rename(columns={"co2e_t": "value"}).assign(gas=CO2E)
    parts = pd.concat([by_gas, co2e], ignore_index=True)
    total = parts.groupby(["region", "year", "gas"], as_index=False)["value"].sum().assign(category=TOTAL)
    return pd.concat([parts, total], ignore_index=True)


def _relation(values: pd.DataFrame, region: str, members: list[str], parks: bool, tolerance: float,
              with_results: dict[int, set[str]]) -> list[pd.DataFrame]:
    """The rows of one region against its members (county-level ones, or its parks), every year."""
    own_years = {y for y, regions in with_results.items() if region in regions}
    frames = []
    for year in sorted(with_results):
        present = [m for m in members if m in with_results[year]]
        if parks and not present:
            continue  # parks without results this year: nothing to check (parks are not a partition)
        if not parks and year not in own_years and not present:
            continue
        of_year = values[values["year"] == year]
        own = of_year[of_year["region"] == region].set_index(["category", "gas"])["value"]
        summed = of_year[of_year["region"].isin(present)].groupby(["category", "gas"])["value"].sum()
        keys = summed.index if parks else own.index.union(summed.index)
        if parks:  # only what a park reports (and the totals); the county's other categories are no relation
            keys = keys.union(own.index[own.index.get_level_values("category") == TOTAL])
        if not len(keys):
            continue
        reported = own.reindex(keys)
        total = summed.reindex(keys).fillna(0.0)
        frame = pd.DataFrame({"category": keys.get_level_values("category"), "gas": keys.get_level_values("gas"),
                              "reported_t": reported.to_numpy(), "sum_of_members_t": total.to_numpy()})
        frame.insert(0, "year", year)
        frame.insert(0, "region", region)
        # nothing reported counts as 0 in the difference (how far off the region is), reported_t stays empty
        frame["difference_t"] = frame["reported_t"].fillna(0.0) - frame["sum_of_members_t"]
        scale = frame["reported_t"].abs()
        frame["relative"] = frame["difference_t"] / scale.where(scale > 0)
        frame["members"] = len(present)
        frame["expected_members"] = len(members)
        frame["status"] = _status(frame, year in own_years, parks, len(present) < len(members), tolerance)
        frames.append(frame)
    return frames


def _status(frame: pd.DataFrame, own_year: bool, parks: bool, incomplete: bool, tolerance: float) -> np.ndarray:
    """``missing`` (the region has no result this year), ``only_members`` (none for this category ×
    gas, which a member reports), then for parks ``exceeds`` (their sum above the county beyond the
    tolerance), for county-level members ``incomplete`` (a member without results this year) or
    ``ok`` / ``mismatch`` (|difference| ≤ tolerance × |reported|, or ≤ :data:`ABSOLUTE_TOLERANCE_T`)."""
    reported = frame["reported_t"].to_numpy(dtype=float)
    difference = frame["difference_t"].to_numpy(dtype=float)
    allowed = np.maximum(tolerance * np.abs(reported), ABSOLUTE_TOLERANCE_T)
    if parks:
        beyond = np.abs(frame["sum_of_members_t"].to_numpy(dtype=float)) - np.abs(reported) > allowed
        compared = np.where(beyond, "exceeds", "ok")
    elif incomplete:
        compared = np.full(len(frame), "incomplete")
    else:
        compared = np.where(np.abs(difference) <= allowed, "ok", "mismatch")
    if not own_year:
        return np.full(len(frame), "missing")
    return np.where(np.isnan(reported), "only_members", compared)


def consistency_table(emissions: pd.DataFrame, registry, tolerance: float = 0.001) -> pd.DataFrame:
    """Every region with members against them, per year, category and gas (CONTRACTS §5 ``consistency.csv``).

    Parameters
    ----------
    emissions
        Emissions of any regions and years: columns ``region, year, category, gas, emissions_t``
        [t of the gas] and ``co2e_t`` [t CO2e] (``emissions.csv``, or the collected results frame).
        Memo items ``M.*`` are left out (see :func:`_inventory_rows`: net electricity inflows do not
        add up over counties).
    registry
        The region registry (:func:`inventory.core.regions.load_regions`).
    tolerance
        Relative tolerance [1]: a row is ``ok`` when |reported − sum of members| ≤ tolerance × |reported|.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CONSISTENCY_COLUMNS`, all rows (:func:`failing` picks the ones to look at).
        Regions compared: those with results of their own in the table that have members in the
        registry — county-level members (``reported_t`` the region's own value, ``sum_of_members_t``
        the sum over its county-level members with results that year), and, separately, parks of a
        county (the sum over its parks with results, only for what the parks report and the totals;
        parks are inside their county, never added into the city's sum). Per region-year: one row
        per category × gas in t of the gas, one ``gas=CO2e`` row per category in t CO2e, and
        ``category=TOTAL`` rows (each gas, and CO2e) over all non-memo categories.
        ``difference_t`` = reported − sum [t] (nothing reported counts as 0); ``relative`` =
        difference / |reported| (NaN when nothing is reported); ``members`` / ``expected_members``:
        members with results that year / in the registry. ``status``: ``ok``; ``mismatch`` (beyond
        the tolerance); ``incomplete`` (a county-level member has no result that year: the sum
        cannot be judged); ``missing`` (the region itself has no result that year);
        ``only_members`` (the region has no result for a category × gas its members report);
        ``exceeds`` (a county's parks together above the county).
    """
    rows = _inventory_rows(emissions)
    values = _long(rows)
    with_results = {int(y): set(group) for y, group in rows.groupby("year")["region"]}
    frames: list[pd.DataFrame] = []
    for region in sorted(set(rows["region"])):
        if region not in registry:
            continue
        children = registry.children(region)
        counties = [c for c in children if registry[c].level != "park"]
        parks = [c for c in children if registry[c].level == "park"]
        if counties:
            frames += _relation(values, region, counties, False, tolerance, with_results)
        if parks:
            frames += _relation(values, region, parks, True, tolerance, with_results)
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=float if c.endswith("_t") or c == "relative" else object)
                             for c in CONSISTENCY_COLUMNS})
    table = pd.concat(frames, ignore_index=True)
    order = table["category"].eq(TOTAL)  # each region-year's totals after its categories
    table = table.assign(_total=order).sort_values(["region", "year", "_total", "category", "gas"], kind="stable")
    return table.drop(columns="_total").reset_index(drop=True)[CONSISTENCY_COLUMNS]


def failing(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of :func:`consistency_table` that are not ``ok``, the largest |difference_t| first."""
    bad = table[table["status"] != "ok"]
    size = bad["difference_t"].abs()
    return bad.assign(_size=size).sort_values("_size", ascending=False, na_position="last",
                                              kind="stable").drop(columns="_size").reset_index(drop=True)


def for_reading(table: pd.DataFrame, registry, lang: str = "zh") -> pd.DataFrame:
    """Rows of :func:`consistency_table` for people: the region's name with its code, the unit of each
    row (t of the gas, or t CO2e), the relative difference in percent, members as ``with results /
    expected``, the status explained, headings in ``lang`` (``zh`` or ``en``)."""
    zh = lang == "zh"

    def name(code: str) -> str:
        if code not in registry:
            return code
        region = registry[code]
        return f"{region.name_zh if zh else region.name_en} ({code})"

    readable = pd.DataFrame({
        "region": [name(c) for c in table["region"]], "year": table["year"].astype(int),
        "category": table["category"].where(table["category"] != TOTAL, "合计" if zh else "Total"),
        "gas": table["gas"].where(table["gas"] != CO2E, "CO2e（CO2当量）" if zh else "CO2e"),
        "reported_t": table["reported_t"], "sum_of_members_t": table["sum_of_members_t"],
        "difference_t": table["difference_t"], "relative": table["relative"] * 100.0,
        "members": [f"{m} / {e}" for m, e in zip(table["members"], table["expected_members"])],
        "status": [STATUS_LABELS.get(s, (s, s))[0 if zh else 1] for s in table["status"]],
    })
    return readable.rename(columns={k: v[0 if zh else 1] for k, v in _HEADINGS.items()})


def check_aggregate(emissions: pd.DataFrame, registry, region: str, tolerance: float = 0.001) -> pd.DataFrame:
    """Compare a region's own inventory total with the sum of its county-level members, per year.

    Parks are *part of* their county (already inside its data) and are excluded from the sum.
    Returns one row per year: ``reported_t``, ``sum_of_members_t``, ``difference_t``,
    ``relative`` (difference / reported), ``members`` (how many members had results) and
    ``status`` (``ok`` within ``tolerance``, else ``mismatch``; ``incomplete`` when members lack results;
    ``missing`` when the region itself has no result for the year; ``no_members`` for a region with no
    county-level unit below it).
    """
    members = [c for c in registry.children(region) if registry[c].level != "park"]
    inventory = emissions[~emissions["category"].str.startswith("M.")]
    own = inventory[inventory["region"] == region].groupby("year")["co2e_t"].sum()
    parts = inventory[inventory["region"].isin(members)]
    summed = parts.groupby("year")["co2e_t"].sum()
    counted = parts.groupby("year")["region"].nunique()
    rows = []
    for year in sorted(set(own.index) | set(summed.index)):
        reported = float(own.get(year, np.nan))
        total = float(summed.get(year, np.nan))
        difference = reported - total
        relative = difference / reported if reported else np.nan
        complete = int(counted.get(year, 0)) == len(members)
        if not members:
            status = "no_members"  # nothing to compare: no county-level unit below this region
        elif year not in own.index:
            status = "missing"  # the region's own inventory has no result this year
        elif not complete:
            status = "incomplete"
        else:
            status = "ok" if abs(relative) <= tolerance else "mismatch"
        rows.append({"region": region, "year": int(year), "reported_t": reported, "sum_of_members_t": total,
                     "difference_t": difference, "relative": relative, "members": int(counted.get(year, 0)),
                     "expected_members": len(members), "status": status})
    return pd.DataFrame(rows)
