"""The energy sector's compute function: combustion (1.A), fugitive emissions (1.B) and the memo
items ``M.NEU``, ``M.ELEC``, ``M.HEAT`` of any set of region-years in one pass."""

from __future__ import annotations

import pandas as pd

from inventory.core.activity import annual_records
from inventory.core.factors import FactorDatabase
from inventory.sectors.contract import SectorResult, Settings
from inventory.sectors.energy.combustion import compute_combustion
from inventory.sectors.energy.electricity import DEFAULT_SERIES, compute_flow_memos
from inventory.sectors.energy.fugitive import compute_fugitive

__all__ = ["compute_energy"]


def compute_energy(records: pd.DataFrame, factors: FactorDatabase, settings: Settings | None = None) -> SectorResult:
    """The energy sector of any set of records (one region-year or a whole province at once):
    fuel combustion (1.A), fugitive emissions (1.B) and the memo items ``M.NEU`` (carbon in
    feedstock), ``M.ELEC`` and ``M.HEAT`` (indirect CO2 of the net electricity and heat inflow).

    Records filed by quarter or month count for their year where the year itself is not filed
    (:func:`inventory.core.activity.annual_records`).

    Parameters
    ----------
    records : DataFrame
        Validated activity records.
    factors : FactorDatabase
    settings : Settings
        ``factor_sets`` preferred, most preferred first; parameters ``grid_series`` and
        ``heat_series``: the ``grid_ef`` series of electricity and heat (default
        :data:`inventory.sectors.energy.electricity.DEFAULT_SERIES`).
    """
    settings = settings or Settings()
    annual = annual_records(records)
    series = {"electricity": settings.get("grid_series") or DEFAULT_SERIES["electricity"],
              "heat": settings.get("heat_series") or DEFAULT_SERIES["heat"]}
    parts = [compute_combustion(annual, factors, settings.factor_sets),
             compute_fugitive(annual, factors, settings.factor_sets),
             compute_flow_memos(annual, factors, series)]
    emissions = [p.emissions for p in parts if len(p.emissions)]
    flags = [p.flags for p in parts if len(p.flags)]
    return SectorResult(emissions=pd.concat(emissions, ignore_index=True) if emissions else parts[0].emissions,
                        flags=pd.concat(flags, ignore_index=True) if flags else parts[0].flags)
