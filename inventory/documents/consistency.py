"""City–county consistency (衔接): a region's own inventory against the sum of its members."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["check_aggregate"]


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
