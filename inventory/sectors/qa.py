"""QA/QC checks every sector's compilation runs; each returns a table of what fails, where and by
how much (never a bare boolean), in the spirit of pyam's ``check_aggregate``.

Each check returns a DataFrame with the columns :data:`FLAG_COLUMNS` (empty when all is well).
Checks of one sector's own (the implied CO2 factors of combustion) live with that sector.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from inventory.core.method import FLAG_COLUMNS
from inventory.core.provenance import UNVERIFIED, format_links

__all__ = ["FLAG_COLUMNS", "flag_table", "check_year_on_year", "check_unverified_factors", "check_notation_keys"]


def flag_table(rows: list[dict]) -> pd.DataFrame:
    """Flag rows (dicts with the :data:`FLAG_COLUMNS`) as a table."""
    return pd.DataFrame(rows, columns=FLAG_COLUMNS)


def check_year_on_year(current: pd.DataFrame, previous: pd.DataFrame, threshold: float = 0.3,
                       minimum_share: float = 0.005) -> pd.DataFrame:
    """Flag categories whose CO2e changed by more than ``threshold`` (fraction) from the year before.

    Categories below ``minimum_share`` of the region's total in both years are ignored (small
    numbers jump without meaning).
    """
    if previous.empty or current.empty:
        return flag_table([])
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
    return flag_table(flags)


def check_unverified_factors(emissions: pd.DataFrame) -> pd.DataFrame:
    """One flag per emission computed with a factor whose provenance is not verified."""
    flagged = emissions[emissions["confidence"].isin(UNVERIFIED | {"missing"})]
    rows = [{"region": r["region"], "year": r["year"], "category": r["category"], "item": r["item"],
             "gas": r["gas"], "check": "unverified_factor", "severity": "warning",
             "message": f"uses factor(s) of confidence '{r['confidence']}': {format_links(r['links'])}"}
            for r in flagged.to_dict("records")]
    return flag_table(rows)


def check_notation_keys(records: pd.DataFrame) -> pd.DataFrame:
    """List the notation keys reported (information for reviewers, not errors)."""
    keyed = records[records["notation"] != ""]
    rows = [{"region": r["region"], "year": r["year"], "category": r["category"], "item": r["item"], "gas": "",
             "check": "notation_key", "severity": "info",
             "message": f"{r['quantity']} reported as {r['notation']} ({r['file']}:{r['line']})"}
            for r in keyed.to_dict("records")]
    return flag_table(rows)
