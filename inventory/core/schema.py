"""The output contract of emission tables (CONTRACTS §5), checked where results are collected.

An emission table is valid when (:func:`ensure_emissions`, composed of small ``ensure_*`` checks
in the manner of primap2's ``ensure_valid``):

* it has the columns of :data:`EMISSIONS_COLUMNS` (and, in memory, ``links``);
* every category is in the category tree (``inventory/data/categories.csv``), and the only
  categories outside the IPCC tree are memo items ``M.*``;
* every gas has a GWP in the run's set;
* ``co2e_t`` equals ``emissions_t`` × the GWP of the gas in the run's set;
* every link names a factor row of the database;
* values are negative only where the sector allows it (removals, a net outflow).

A violation is a defect of the sector's code, not of the user's data: it raises
:class:`EmissionsContractError` listing every problem.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from inventory.core.gwp import gwp
from inventory.core.method import category_mask
from inventory.core.provenance import format_links, map_unique, used_ids, weakest_confidence

__all__ = ["EMISSIONS_COLUMNS", "PROVENANCE_COLUMNS", "RESULT_COLUMNS", "EmissionsContractError", "add_co2e",
           "ensure_emissions", "for_writing", "empty_result"]

EMISSIONS_COLUMNS = ["region", "year", "category", "item", "gas", "emissions_t", "co2e_t"]
#: the provenance columns of ``emissions_provenance.csv`` (``factor_ids`` formatted from the links)
PROVENANCE_COLUMNS = ["activity_value", "activity_unit", "energy_tj", "records", "method", "factor_ids", "confidence"]
#: what a sector's compute function returns per row
RESULT_COLUMNS = ["region", "year", "category", "item", "gas", "emissions_t", "activity_value", "activity_unit",
                  "energy_tj", "records", "method", "links"]


class EmissionsContractError(ValueError):
    """An emission table breaks the output contract (a defect of the code that made it)."""


def empty_result() -> pd.DataFrame:
    return pd.DataFrame(columns=RESULT_COLUMNS)


def add_co2e(emissions: pd.DataFrame, gwp_set: str) -> pd.DataFrame:
    """``co2e_t`` = ``emissions_t`` × GWP100 of the gas in ``gwp_set`` (computed here, once)."""
    factors = {g: gwp(g, gwp_set) for g in pd.unique(emissions["gas"])}
    return emissions.assign(co2e_t=emissions["emissions_t"] * emissions["gas"].map(factors))


def with_confidence(emissions: pd.DataFrame, factor_rows: pd.DataFrame) -> pd.DataFrame:
    """``confidence``: the weakest confidence among each row's links (a join on the factor rows)."""
    return emissions.assign(confidence=weakest_confidence(emissions["links"], factor_rows))


def for_writing(emissions: pd.DataFrame) -> pd.DataFrame:
    """The table as files hold it: ``factor_ids`` formatted from the links (a table read back from a
    results file already has it)."""
    if "links" not in emissions.columns:
        return emissions
    return emissions.assign(factor_ids=map_unique(emissions["links"], format_links))


# -- the checks ---------------------------------------------------------------------------------

def ensure_columns(emissions: pd.DataFrame) -> list[str]:
    missing = [c for c in EMISSIONS_COLUMNS if c not in emissions.columns]
    return [f"missing column(s): {', '.join(missing)}"] if missing else []


def ensure_categories(emissions: pd.DataFrame, known: Iterable[str]) -> list[str]:
    known = set(known)
    present = set(pd.unique(emissions["category"]))
    problems = []
    for category in sorted(present - known):
        problems.append(f"unknown category {category!r}")
    memo = [c for c in sorted(present & known) if not c[0].isdigit() and not c.startswith("M.")]
    problems += [f"category {c!r} is neither an IPCC category nor a memo item M.*" for c in memo]
    return problems


def ensure_gases(emissions: pd.DataFrame, gwp_set: str) -> list[str]:
    problems = []
    for gas in sorted(set(pd.unique(emissions["gas"]))):
        try:
            gwp(gas, gwp_set)
        except (KeyError, ValueError):
            problems.append(f"gas {gas!r} has no GWP in {gwp_set}")
    return problems


def ensure_co2e(emissions: pd.DataFrame, gwp_set: str) -> list[str]:
    problems = []
    for gas, rows in emissions.groupby("gas"):
        try:
            factor = gwp(gas, gwp_set)
        except (KeyError, ValueError):
            continue  # reported by ensure_gases
        expected = rows["emissions_t"].to_numpy(dtype=float) * factor
        actual = rows["co2e_t"].to_numpy(dtype=float)
        wrong = ~np.isclose(actual, expected, rtol=1e-9, atol=1e-9)
        if wrong.any():
            problems.append(f"{int(wrong.sum())} {gas} row(s) whose co2e_t is not emissions_t × {factor:g} "
                            f"({gwp_set})")
    return problems


def ensure_links(emissions: pd.DataFrame, factor_ids: Iterable[str]) -> list[str]:
    if "links" not in emissions.columns:
        return []
    unknown = sorted(used_ids(emissions) - set(factor_ids))
    return [f"link(s) to factor rows that do not exist: {', '.join(unknown[:10])}"] if unknown else []


def ensure_signs(emissions: pd.DataFrame, negative_allowed: Iterable[str]) -> list[str]:
    negative = emissions[emissions["emissions_t"] < 0]
    if negative.empty:
        return []
    wrong = negative[~category_mask(negative["category"], tuple(negative_allowed))] if tuple(negative_allowed) \
        else negative
    return [f"negative emissions where no removal is possible: {c} {i} {g}"
            for c, i, g in wrong[["category", "item", "gas"]].drop_duplicates().itertuples(index=False)]


def ensure_emissions(emissions: pd.DataFrame, gwp_set: str, categories: Iterable[str],
                     factor_ids: Iterable[str] | None = None, negative_allowed: Iterable[str] = ()) -> pd.DataFrame:
    """Every check of the module docstring; returns ``emissions`` unchanged when all pass.

    Raises
    ------
    EmissionsContractError
        Listing every problem found.
    """
    problems = ensure_columns(emissions)
    if not problems:
        problems += ensure_categories(emissions, categories)
        problems += ensure_gases(emissions, gwp_set)
        problems += ensure_co2e(emissions, gwp_set)
        if factor_ids is not None:
            problems += ensure_links(emissions, factor_ids)
        problems += ensure_signs(emissions, negative_allowed)
    if problems:
        raise EmissionsContractError("emission table breaks the output contract:\n  " + "\n  ".join(problems))
    return emissions
