"""QA/QC checks that return tables of what fails, where and by how much (never a bare boolean).

Each check returns a DataFrame with columns ``region, year, category, item, gas, check, severity,
message`` (empty when all is well), in the spirit of pyam's ``check_aggregate``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from inventory.sectors.energy.combustion import CO2_PER_C
from inventory.core.factors import UNVERIFIED, FactorDatabase

__all__ = ["FLAG_COLUMNS", "implied_emission_factors", "check_implied_factors", "check_year_on_year",
           "check_unverified_factors", "check_notation_keys", "check_aggregate"]

FLAG_COLUMNS = ["region", "year", "category", "item", "gas", "check", "severity", "message"]
#: lowest oxidation fraction accepted as plausible for the IEF check (Chinese guideline solid fuels
#: go down to about 0.85; IPCC Tier 1 is 1.0)
MIN_OXIDATION = 0.85


def _flags(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=FLAG_COLUMNS)


def implied_emission_factors(emissions: pd.DataFrame) -> pd.DataFrame:
    """Implied CO2 emission factor per fuel [t CO2/TJ] = CO2 / energy, by region, year and item."""
    co2 = emissions[(emissions["gas"] == "CO2") & emissions["category"].str.startswith("1.A")]  # combustion only
    grouped = co2.groupby(["region", "year", "item"], as_index=False)[["emissions_t", "energy_tj"]].sum()
    grouped["ief_t_per_tj"] = grouped["emissions_t"] / grouped["energy_tj"]
    return grouped


def check_implied_factors(emissions: pd.DataFrame, factors: FactorDatabase) -> pd.DataFrame:
    """Flag implied CO2 factors outside the IPCC 2006 range of the fuel.

    The range is the IPCC carbon-content range (Vol.2 Ch.1 Table 1.3, the ``uncertainty`` of the
    shipped ``ipcc2006`` carbon_content row) × 44/12, with oxidation between ``MIN_OXIDATION`` and 1.
    Fuels without a published range are not checked.
    """
    ranges = factors.rows[(factors.rows["parameter"] == "carbon_content")
                          & (factors.rows["factor_set"] == "ipcc2006")
                          & factors.rows["uncertainty"].str.contains(r"\.\.", regex=True)]
    bounds = {}
    for row in ranges.to_dict("records"):
        low, high = (float(x) for x in row["uncertainty"].split(".."))
        bounds[row["item"]] = (low * CO2_PER_C * MIN_OXIDATION, high * CO2_PER_C)
    flags = []
    for row in implied_emission_factors(emissions).to_dict("records"):
        if row["item"] not in bounds or not np.isfinite(row["ief_t_per_tj"]):
            continue
        low, high = bounds[row["item"]]
        if not low <= row["ief_t_per_tj"] <= high:
            flags.append({"region": row["region"], "year": row["year"], "category": "1.A", "item": row["item"],
                          "gas": "CO2", "check": "implied_factor_range", "severity": "warning",
                          "message": f"implied CO2 factor {row['ief_t_per_tj']:.1f} t/TJ outside the IPCC range "
                                     f"{low:.1f}–{high:.1f} t/TJ"})
    return _flags(flags)


def check_year_on_year(current: pd.DataFrame, previous: pd.DataFrame, threshold: float = 0.3,
                       minimum_share: float = 0.005) -> pd.DataFrame:
    """Flag categories whose CO2e changed by more than ``threshold`` (fraction) from the year before.

    Categories below ``minimum_share`` of the region's total in both years are ignored (small
    numbers jump without meaning).
    """
    if previous.empty or current.empty:
        return _flags([])
    keys = ["region", "category"]
    inventory_now = current[~current["category"].str.startswith("M.")]
    inventory_before = previous[~previous["category"].str.startswith("M.")]
    now = inventory_now.groupby(keys)["co2e_t"].sum()
    before = inventory_before.groupby(keys)["co2e_t"].sum()
    total = max(float(now.sum()), float(before.sum()), 1e-9)
    both = pd.concat({"now": now, "before": before}, axis=1).fillna(0.0)
    year = int(current["year"].iloc[0])
    flags = []
    for (region, category), row in both.iterrows():
        if max(row["now"], row["before"]) < minimum_share * total:
            continue
        change = (row["now"] - row["before"]) / row["before"] if row["before"] else np.inf
        if abs(change) > threshold:
            text = "new" if not np.isfinite(change) else f"{change:+.0%}"
            flags.append({"region": region, "year": year, "category": category, "item": "", "gas": "CO2e",
                          "check": "year_on_year", "severity": "warning",
                          "message": f"{text} against {year - 1} ({row['before']:,.0f} → {row['now']:,.0f} t CO2e)"})
    return _flags(flags)


def check_unverified_factors(emissions: pd.DataFrame) -> pd.DataFrame:
    """One flag per emission computed with a factor whose provenance is not verified."""
    flagged = emissions[emissions["confidence"].isin(UNVERIFIED | {"missing"})]
    rows = [{"region": r["region"], "year": r["year"], "category": r["category"], "item": r["item"],
             "gas": r["gas"], "check": "unverified_factor", "severity": "warning",
             "message": f"uses factor(s) of confidence '{r['confidence']}': {r['factor_ids']}"}
            for r in flagged.to_dict("records")]
    return _flags(rows)


def check_notation_keys(records: pd.DataFrame) -> pd.DataFrame:
    """List the notation keys reported (information for reviewers, not errors)."""
    keyed = records[records["notation"] != ""]
    rows = [{"region": r["region"], "year": r["year"], "category": r["category"], "item": r["item"], "gas": "",
             "check": "notation_key", "severity": "info",
             "message": f"{r['quantity']} reported as {r['notation']} ({r['file']}:{r['line']})"}
            for r in keyed.to_dict("records")]
    return _flags(rows)


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
