"""Energy — fugitive emissions from fuels (IPCC 1.B): coal mining and the simple oil and gas components.

Coal mining (1.B.1.a, Tier 1): the raw coal produced, recorded under ``1.B.1.a.i`` (underground
mines) or ``1.B.1.a.ii`` (surface mines) with quantity ``production``, gives two emissions: the
mining itself (``…1``) and post-mining seam gas (``…2``), each ``production × EF``. Other 1.B
records (e.g. natural gas delivered to final users under ``1.B.2.b.iii.5``, quantity
``final_consumption``) give ``activity × EF`` for every gas with an ``ef`` row of their category.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from inventory.core.factors import FactorDatabase
from inventory.core.method import KEYS, cells, empty_flags, missing_factor_flags
from inventory.core.provenance import links_of
from inventory.core.schema import RESULT_COLUMNS, empty_result
from inventory.sectors.contract import SectorResult
from inventory.sectors.energy.combustion import emissions_from_activity

__all__ = ["fugitive_emissions", "compute_fugitive", "COAL_MINES"]

#: where coal production is recorded → the categories of its mining and post-mining emissions
COAL_MINES = {
    "1.B.1.a.i": ("1.B.1.a.i.1", "1.B.1.a.i.2"), "1.B.1.a.i.1": ("1.B.1.a.i.1", "1.B.1.a.i.2"),
    "1.B.1.a.ii": ("1.B.1.a.ii.1", "1.B.1.a.ii.2"), "1.B.1.a.ii.1": ("1.B.1.a.ii.1", "1.B.1.a.ii.2"),
}
FUGITIVE_GASES = ("CH4", "CO2")
METHOD = "activity × EF (IPCC 2006 Vol.2 Ch.4, Tier 1)"


def fugitive_emissions(activity, emission_factor):
    """Fugitive emissions of one source: activity times its emission factor.

    Parameters
    ----------
    activity : xarray.DataArray
        Raw coal produced [t] (coal mining), or gas handled [m^3] (oil and gas systems).
    emission_factor : xarray.DataArray
        Emission factor [t gas per unit of activity], e.g. 0.01206 t CH4/t for underground mining
        (18 m^3/t × 0.67 kg/m^3).

    Returns
    -------
    xarray.DataArray
        Emissions [t gas].

    Notes
    -----
    IPCC 2006 Vol.2 Ch.4 Eq. 4.1.3 (underground mines: CH4 = (EF mining + EF post-mining) × coal
    production × conversion factor) and Eq. 4.1.4 (surface mines), with the factor already in mass
    per tonne; Eq. 4.2.1 (oil and gas, Tier 1: E = A × EF) for the other components.
    """
    return emissions_from_activity(activity, emission_factor)


def compute_fugitive(records: pd.DataFrame, factors: FactorDatabase,
                     factor_sets: tuple[str, ...] | list[str] = ()) -> SectorResult:
    """Fugitive emissions (1.B) of annual records, with their links; CH4 without a factor is flagged."""
    fugitive = records[records["category"].str.startswith("1.B") & (records["period"] == "")
                       & records["value"].notna()]
    if fugitive.empty:
        return SectorResult(empty_result(), empty_flags())
    cube = cells(fugitive)
    base = cube[KEYS + ["activity", "activity_unit", "records"]].to_dataframe().reset_index(drop=True)
    # each coal-production cell emits under two categories (mining, post-mining); others under their own
    targets = [COAL_MINES.get(c, (c,)) for c in base["category"]]
    expanded = base.loc[np.repeat(base.index.to_numpy(), [len(t) for t in targets])].reset_index(drop=True)
    expanded["category"] = [c for t in targets for c in t]
    frames, flags = [], []
    for gas in FUGITIVE_GASES:
        resolved = factors.resolve("ef", expanded[KEYS], gas=gas, factor_sets=list(factor_sets))
        found = (resolved["factor_id"] != "").to_numpy()
        if gas == "CH4":
            missing = expanded[~found]
            flags.append(missing_factor_flags(missing.assign(links=links_of(("ef",), [""] * len(missing))),
                                              gas, "warning"))
        if not found.any():
            continue
        chosen = resolved[found].reset_index(drop=True)
        frame = expanded[found].reset_index(drop=True).rename(columns={"activity": "activity_value"})
        ef = factors.convert(chosen, ("t/" + frame["activity_unit"]).to_numpy(), "ef")["value"].to_numpy()
        frame["emissions_t"] = fugitive_emissions(xr.DataArray(frame["activity_value"].to_numpy(dtype=float)),
                                                  xr.DataArray(ef)).to_numpy()
        frame["gas"] = gas
        frame["energy_tj"] = np.nan
        frame["method"] = METHOD
        frame["links"] = links_of(("ef",), chosen["factor_id"])
        frames.append(frame[RESULT_COLUMNS])
    return SectorResult(pd.concat(frames, ignore_index=True) if frames else empty_result(),
                        pd.concat(flags, ignore_index=True))
