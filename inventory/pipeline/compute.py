"""Vectorised computation of many regions and years at once, without notebooks.

The notebooks compute one region-year each (and are the reviewable record); this module runs the
same compute function of every selected sector over every selected region and year in one pass —
for a whole province, for scenario runs, or to check the notebook path. The results are identical
to the notebook path: :func:`inventory.sectors.results.compute_sector` runs on the same records and
factor rows in both.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from inventory.core.activity import ActivityData, read_inputs
from inventory.core.errors import InputError
from inventory.core.factors import FactorDatabase
from inventory.core.methods import resolve_method
from inventory.core.schema import EMISSIONS_COLUMNS, PROVENANCE_COLUMNS, for_writing
from inventory.pipeline.choices import choice_issues
from inventory.sectors import Sector, registry
from inventory.sectors.results import compute_sector, settings_for

__all__ = ["compute_inventory", "compute_records", "compute_sectors"]


def compute_sectors(activity: ActivityData, factors: FactorDatabase, sectors: list[Sector],
                    regions: list[str] | None = None, years: list[int] | None = None, gwp: str = "AR5",
                    factor_sets: list[str] | None = None, options: object | None = None,
                    method: str = "") -> pd.DataFrame:
    """Emissions (with links and confidence) of the selected sectors, regions and years.

    Each sector computes from the years its emissions need (:meth:`Sector.input_years`: a
    first-order-decay model reads every earlier year); only the selected years are returned.
    ``options``: an object whose attributes fill the sectors' parameters (``grid_series`` …);
    ``method``: the method edition (:mod:`inventory.core.methods`; empty: the provincial guideline).
    """
    chosen_method = resolve_method(method, factors.local_factor_sets())
    records = activity.records
    if regions is not None:
        records = records[records["region"].isin(regions)]
    frames = []
    for sector in sectors:
        settings = settings_for(sector, gwp, factor_sets or [], options, method=chosen_method)
        chosen = records
        if years is not None:
            needed = set()
            for year in years:
                needed.update(sector.input_years(year, activity.years, settings.parameters))
            chosen = records[records["year"].isin(needed)]
        if chosen.empty:
            continue
        emissions = compute_sector(sector, chosen, factors, settings).emissions
        if years is not None:
            emissions = emissions[emissions["year"].isin(years)]
        if len(emissions):  # an empty table of a sector would turn the other sectors' numbers into objects
            frames.append(emissions)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=EMISSIONS_COLUMNS + ["links"])


def compute_records(activity: ActivityData, factors: FactorDatabase, regions: list[str] | None = None,
                    years: list[int] | None = None, gwp: str = "AR5", factor_sets: list[str] | None = None,
                    options: object | None = None, sectors: list[str] | None = None,
                    method: str = "") -> pd.DataFrame:
    """Emissions with the provenance columns of ``emissions_provenance.csv`` (``factor_ids``
    formatted from the links), every registered sector unless ``sectors`` names some."""
    known = registry()
    unknown = [name for name in sectors or [] if name not in known]
    if unknown:
        raise ValueError(f"unknown sector(s): {', '.join(unknown)}; one of {', '.join(known)}")
    chosen = [s for name, s in known.items() if sectors is None or name in sectors]
    emissions = compute_sectors(activity, factors, chosen, regions, years, gwp, factor_sets, options, method)
    if emissions.empty:
        return pd.DataFrame(columns=EMISSIONS_COLUMNS + PROVENANCE_COLUMNS)
    return for_writing(emissions)[EMISSIONS_COLUMNS + PROVENANCE_COLUMNS]


def compute_inventory(data_dir: str | Path, regions: list[str] | None = None, years: list[int] | None = None,
                      gwp: str = "AR5", factor_sets: list[str] | None = None, options: object | None = None,
                      sectors: list[str] | None = None, method: str = "",
                      warnings: list[str] | None = None) -> pd.DataFrame:
    """Read and validate a data folder and the named choices (method, factor sets, grid series),
    then :func:`compute_records` over it.

    Raises
    ------
    InputError
        Bad input, or a named choice that does not exist (every problem at once).
    """
    activity, factors = read_inputs(data_dir)
    if warnings is not None:  # the activity and factor warnings, for the command to print
        warnings.extend(str(w) for w in activity.warnings)
    issues = choice_issues(factors, method, factor_sets, options)
    if issues:
        raise InputError(issues)
    return compute_records(activity, factors, regions, years, gwp, factor_sets, options, sectors, method)
