"""Where a sector's results are collected: CO2e added once, the weakest confidence joined from the
links, the output contract checked — for the notebook, ``inventory compute`` and the tests alike."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from inventory.core.errors import InputError, Issue, bilingual
from inventory.core.factors import FactorDatabase
from inventory.core.method import category_mask
from inventory.core.methods import Method
from inventory.core.schema import EmissionsContractError, add_co2e, ensure_emissions, with_confidence
from inventory.core.vocabulary import load_vocabulary
from inventory.sectors.contract import Sector, SectorResult, Settings

__all__ = ["compute_sector", "settings_for", "records_for", "non_finite_issues"]


def records_for(sector: Sector, records: pd.DataFrame) -> pd.DataFrame:
    """The records ``sector`` reads (its declared categories), out of any set of records."""
    return records[category_mask(records["category"], sector.reads)]


def compute_sector(sector: Sector, records: pd.DataFrame, factors: FactorDatabase,
                   settings: Settings | None = None) -> SectorResult:
    """``sector.compute`` over the records it reads, then ``co2e_t`` (the GWP set of ``settings``),
    ``confidence`` (the weakest of each row's links) and the output contract
    (:func:`inventory.core.schema.ensure_emissions`; the categories must be the sector's own).

    Raises
    ------
    InputError
        A result is not a finite number (``inf`` from ``1e308 万吨``, NaN): every such row is named by the
        activity records (file:line) and the factor rows it was computed from; nothing is published.
    EmissionsContractError
        The sector returned a table that breaks the contract (a defect of its code).
    """
    settings = settings or Settings()
    result = sector.compute(records_for(sector, records), factors, settings)
    emissions = with_confidence(add_co2e(result.emissions, settings.gwp), factors.rows)
    # tonnes are floats even in an empty table: a sector with nothing to compute must not turn the
    # columns of every table it is concatenated with into objects (written without the fixed format)
    emissions = emissions.astype({"emissions_t": float, "co2e_t": float})
    issues = non_finite_issues(emissions)
    if issues:
        raise InputError(issues)
    categories = pd.Series(pd.unique(emissions["category"]), dtype=object)
    foreign = sorted(categories[~category_mask(categories, sector.owns)])
    if foreign:
        raise EmissionsContractError(f"sector {sector.name} returned categories it does not own: {', '.join(foreign)}")
    ensure_emissions(emissions, settings.gwp, load_vocabulary().categories.index, factors.rows["id"],
                     sector.negative_allowed)
    return SectorResult(emissions=emissions.reset_index(drop=True), flags=result.flags, extras=result.extras)


def non_finite_issues(emissions: pd.DataFrame) -> list[Issue]:
    """One issue per activity record behind a row whose ``emissions_t`` or ``co2e_t`` is not a finite number,
    at the record's file and line, naming the row and the factor rows (``links``) it was computed from."""
    values = emissions[["emissions_t", "co2e_t"]].to_numpy(dtype=float)
    bad = emissions[~np.isfinite(values).all(axis=1)]
    issues = []
    for row in bad.to_dict("records"):
        what = f"{row['region']} {row['year']} {row['category']} {row['item']} {row['gas']} = {row['emissions_t']} t"
        links = row.get("links") or ()
        used = ", ".join(f"{role}={factor_id or '?'}" for role, factor_id in links) or "—"
        message = bilingual(f"计算结果不是有限数：{what}（所用因子 {used}）：请核对这条记录的数值和单位，以及这些因子",
                            f"the result is not a finite number: {what} (factors {used}): check this record's "
                            "value and unit, and those factors")
        for where in str(row.get("records") or "").split("; "):
            file, _, line = where.rpartition(":")
            issues.append(Issue(file or where or "?", int(line) if line.isdigit() else 0, "value", message))
    return issues


def settings_for(sector: Sector, gwp: str = "AR5", factor_sets: Iterable[str] = (),
                 options: object | None = None, parameters: Mapping[str, object] | None = None,
                 method: Method | None = None) -> Settings:
    """The settings of one sector: its parameters' defaults, then the run options that fill them
    (``options``: an object with the attributes the parameters name), then ``parameters``; the
    factor sets preferred are ``factor_sets`` (a run's own, if any), then the method's and its
    fallback (:attr:`inventory.core.methods.Method.preference`)."""
    values = sector.parameter_defaults()
    if options is not None:
        for parameter in sector.parameters:
            if parameter.option and hasattr(options, parameter.option):
                values[parameter.name] = getattr(options, parameter.option)
    values.update(parameters or {})
    preference = tuple(dict.fromkeys(tuple(factor_sets) + (method.preference if method else ())))
    return Settings(gwp=gwp, factor_sets=preference, parameters=values, method=method.key if method else "")
