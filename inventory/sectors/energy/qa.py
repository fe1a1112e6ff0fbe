"""Energy's own QA check: implied CO2 emission factors of combustion against the IPCC ranges."""

from __future__ import annotations

import numpy as np
import pandas as pd

from inventory.core.factors import FactorDatabase
from inventory.sectors.energy.combustion import CO2_PER_C
from inventory.sectors.qa import flag_table

__all__ = ["MIN_OXIDATION", "implied_emission_factors", "check_implied_factors"]

#: lowest oxidation fraction accepted as plausible for the IEF check (Chinese guideline solid fuels
#: go down to about 0.85; IPCC Tier 1 is 1.0)
MIN_OXIDATION = 0.85


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
    return flag_table(flags)
