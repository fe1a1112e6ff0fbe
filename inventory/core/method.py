"""Method machinery every sector shares: cells to compute, a parameter resolved for every cell
with its factor id, and the missing-factor flag.

A sector's compute function gathers the activity records it computes into **cells** (one per
region, year, category and item: the values added, the records' places joined), resolves each
parameter of its equations for every cell (:func:`resolve`: the value in the unit the equation
needs, and the id of the row it came from), calls its equations on the cells, and flags the cells
where a parameter found no row (:func:`missing_factor_flags`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from inventory.core.factors import FactorDatabase

__all__ = ["KEYS", "FLAG_COLUMNS", "cells", "cell_frame", "resolve", "missing_factor_flags", "empty_flags", "matches",
           "category_mask"]

KEYS = ["region", "year", "category", "item"]
FLAG_COLUMNS = ["region", "year", "category", "item", "gas", "check", "severity", "message"]


def cells(records: pd.DataFrame) -> xr.Dataset:
    """Sum records per (region, year, category, item) into a cube with a stacked ``cell`` dim.

    ``activity`` holds the sum (in the records' canonical unit, ``activity_unit``); ``records``
    lists where its records are (``file:line; file:line``).
    """
    located = records.assign(where=records["file"] + ":" + records["line"].astype(str))
    grouped = located.groupby(KEYS, sort=True)
    table = grouped.agg(activity=("value", "sum"), activity_unit=("unit", "first"), records=("where", "first"))
    # most cells have one record; only those with several need their locations joined
    several = grouped.size() > 1
    if several.any():
        shared = located.set_index(KEYS).loc[several[several].index, "where"]
        table.loc[several, "records"] = shared.groupby(level=KEYS).agg("; ".join)
    cube = xr.Dataset.from_dataframe(table.reset_index().rename_axis("cell"))
    return cube.set_coords(KEYS)


def cell_frame(cube: xr.Dataset) -> pd.DataFrame:
    """The key columns of the cells, as the factor database resolves them."""
    return pd.DataFrame({k: cube[k].to_numpy() for k in KEYS})


def resolve(factors: FactorDatabase, parameter: str, cube: xr.Dataset, target, gas: str = "",
            factor_sets: list[str] | tuple[str, ...] | None = None) -> tuple[xr.DataArray, np.ndarray]:
    """A parameter for every cell of ``cube``: its value in ``target`` units (one unit, or one per
    cell) — NaN where no row applies — and the id of the row it came from ('' where none).

    Raises
    ------
    InputError
        A factor row's unit does not convert to the unit needed (every such row named at once).
    """
    frame = cell_frame(cube)
    targets = pd.Series(target if isinstance(target, np.ndarray) else [target] * len(frame), index=frame.index)
    resolved = factors.resolve_to(parameter, frame, targets, gas=gas, factor_sets=list(factor_sets or []))
    return (xr.DataArray(resolved["value"].to_numpy(dtype=float), dims="cell"),
            resolved["factor_id"].to_numpy(dtype=object))


def empty_flags() -> pd.DataFrame:
    return pd.DataFrame(columns=FLAG_COLUMNS)


def missing_factor_flags(frame: pd.DataFrame, gas: str, severity: str, what: str = "factor") -> pd.DataFrame:
    """One ``missing_factor`` flag per row of ``frame`` (key columns; ``links`` names the parameters
    whose link is empty): the gas of that cell is not estimated (NE)."""
    if frame.empty:
        return empty_flags()
    rows = []
    for row in frame.to_dict("records"):
        missing = [role for role, factor_id in row.get("links", ()) if not factor_id]
        rows.append({**{k: row[k] for k in KEYS}, "gas": gas, "check": "missing_factor", "severity": severity,
                     "message": f"no {', '.join(missing) or what} for {row['item']} in {row['category']}: "
                                f"{gas} not estimated (NE)"})
    return pd.DataFrame(rows, columns=FLAG_COLUMNS)


def matches(category: str, prefixes) -> bool:
    """Whether ``category`` is one of ``prefixes`` or below one (``1.A.2`` is below ``1.A``, ``EB.T.power``
    below ``EB``)."""
    return any(category == p or category.startswith(p + ".") for p in prefixes)


def category_mask(categories: pd.Series, prefixes) -> pd.Series:
    """:func:`matches` over a column of category codes."""
    prefixes = tuple(prefixes)
    return categories.isin(prefixes) | categories.str.startswith(tuple(p + "." for p in prefixes))
