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

from inventory.sectors.energy.combustion import _KEYS, _cells, emissions_from_activity
from inventory.core.factors import FactorDatabase

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
                     factor_sets: list[str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fugitive emissions (1.B) of annual records: (emissions with provenance, flags)."""
    fugitive = records[records["category"].str.startswith("1.B") & (records["period"] == "")
                       & records["value"].notna()]
    columns = _KEYS + ["gas", "emissions_t", "activity_value", "activity_unit", "energy_tj", "records", "method",
                       "factor_ids"]
    if fugitive.empty:
        return pd.DataFrame(columns=columns), pd.DataFrame(columns=_KEYS + ["gas", "check", "severity", "message"])
    cube = _cells(fugitive)
    base = cube[_KEYS + ["activity", "activity_unit", "records"]].to_dataframe().reset_index(drop=True)
    # each coal-production cell emits under two categories (mining, post-mining); others under their own
    targets = [COAL_MINES.get(c, (c,)) for c in base["category"]]
    expanded = base.loc[np.repeat(base.index.to_numpy(), [len(t) for t in targets])].reset_index(drop=True)
    expanded["category"] = [c for t in targets for c in t]
    frames, flags = [], []
    for gas in FUGITIVE_GASES:
        resolved = factors.resolve("ef", expanded[_KEYS], gas=gas, factor_sets=factor_sets)
        found = (resolved["factor_id"] != "").to_numpy()
        if gas == "CH4":
            for row in expanded[~found].to_dict("records"):
                flags.append({**{k: row[k] for k in _KEYS}, "gas": gas, "check": "missing_factor",
                              "severity": "warning",
                              "message": f"no CH4 ef for {row['item']} in {row['category']}: not estimated (NE)"})
        if not found.any():
            continue
        cells = expanded[found].reset_index(drop=True)
        chosen = resolved[found].reset_index(drop=True)
        ef = factors.convert(chosen, ("t/" + cells["activity_unit"]).to_numpy(), "ef")["value"].to_numpy()
        frame = cells.rename(columns={"activity": "activity_value"})
        frame["emissions_t"] = fugitive_emissions(xr.DataArray(frame["activity_value"].to_numpy(dtype=float)),
                                                  xr.DataArray(ef)).to_numpy()
        frame["gas"] = gas
        frame["energy_tj"] = np.nan
        frame["method"] = METHOD
        frame["factor_ids"] = ["ef=" + i for i in chosen["factor_id"]]
        frames.append(frame[columns])
    flag_frame = pd.DataFrame(flags, columns=_KEYS + ["gas", "check", "severity", "message"])
    return (pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)), flag_frame
