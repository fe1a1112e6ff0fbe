"""Global warming potentials (100-year) from the ``globalwarmingpotentials`` package.

The values are not typed here: they come from the maintained package (GHG Protocol / IPCC
assessment report tables). Chinese inventories: the 2011 provincial guideline uses SAR; China's
Biennial Transparency Report uses AR5 — the workbench default.
"""

from __future__ import annotations

import functools

import globalwarmingpotentials

__all__ = ["GWP_SETS", "DEFAULT_GWP", "gwp", "gwp_table", "normalise_gwp_set"]

#: parameter value → column of the package table
GWP_SETS = {"SAR": "SARGWP100", "AR4": "AR4GWP100", "AR5": "AR5GWP100", "AR6": "AR6GWP100"}
DEFAULT_GWP = "AR5"



def normalise_gwp_set(name: str) -> str:
    key = name.strip().upper().replace("GWP100", "")
    if key not in GWP_SETS:
        raise ValueError(f"unknown GWP set {name!r}; one of {', '.join(GWP_SETS)}")
    return key


@functools.lru_cache(maxsize=1)
def _table():
    return globalwarmingpotentials.as_frame()


@functools.lru_cache(maxsize=256)
def gwp(gas: str, gwp_set: str = DEFAULT_GWP) -> float:
    """GWP100 of ``gas`` [kg CO2e/kg] in the chosen set (CO2 is 1 by definition)."""
    if gas == "CO2":
        return 1.0
    column = GWP_SETS[normalise_gwp_set(gwp_set)]
    species = gas.replace("-", "")  # the package spells "HFC23", reports "HFC-23"
    table = _table()
    if species not in table.index:
        raise KeyError(f"no GWP for gas {gas!r}")
    value = table.at[species, column]
    if value != value:  # NaN: the set does not list the gas
        raise KeyError(f"GWP set {gwp_set} has no value for {gas!r}")
    return float(value)


def gwp_table(gases: list[str], gwp_set: str = DEFAULT_GWP) -> dict[str, float]:
    return {gas: gwp(gas, gwp_set) for gas in gases}
