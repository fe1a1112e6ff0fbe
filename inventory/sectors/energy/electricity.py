"""Electricity and heat flows: the indirect CO2 of the net inflow (memo items ``M.ELEC``, ``M.HEAT``).

A region that brings in more electricity than it sends out causes emissions where that power is
generated; the regional carbon accounting (碳排放统计核算) shows them, the GHG inventory keeps them
as memo items outside its totals. The net inflow comes from the energy-balance records (``EB``:
``inflow`` 调入 − ``outflow`` 调出 + ``import`` − ``export``); a net outflow gives a negative memo.

The grid factor is a *named series* (``factor_set`` of the ``grid_ef`` rows: ``grid_province_hunan``,
``grid_central_china`` — Hunan's regional grid — ``grid_national_average``, ``grid_ets_default`` …,
or a series a user adds as local rows). The default, ``auto``, is the series of the region's
province where one is published, else its regional grid's (``inventory/data/grid_regions.csv``).
Series are published for some years only; a year without its own value takes the latest earlier
year's (a year before the first one published, the first one's), and the report says so.
"""

from __future__ import annotations

import csv
import functools
from pathlib import Path

import numpy as np
import pandas as pd

from inventory.core.factors import FactorDatabase
from inventory.core.method import FLAG_COLUMNS
from inventory.core.provenance import as_links
from inventory.core.schema import RESULT_COLUMNS
from inventory.sectors.contract import SectorResult

__all__ = ["net_inflow", "indirect_emissions", "compute_flow_memos", "DEFAULT_SERIES", "MEMO_OF", "AUTO",
           "grid_series_names", "series_for"]

#: the default grid series: the province's own, else its regional grid's
AUTO = "auto"
#: the series a run uses unless told otherwise
DEFAULT_SERIES = {"electricity": AUTO, "heat": "heat_default"}
GRID_REGIONS = Path(__file__).resolve().parents[2] / "data" / "grid_regions.csv"
MEMO_OF = {"electricity": "M.ELEC", "heat": "M.HEAT"}
#: the unit the memo works in, per item (the cubes' canonical units)
_UNIT = {"electricity": ("MWh", "t/MWh"), "heat": ("GJ", "t/GJ")}
_SIGN = {"inflow": 1.0, "import": 1.0, "outflow": -1.0, "export": -1.0}


def net_inflow(inflow, outflow, imports=0.0, exports=0.0):
    """Net inflow of electricity or heat into a region.

    Parameters
    ----------
    inflow, outflow : array-like
        Brought in from (调入) and sent out to (调出) other regions [MWh] or [GJ].
    imports, exports : array-like, optional
        From and to other countries [MWh] or [GJ].

    Returns
    -------
    array-like
        Net inflow [MWh] or [GJ]; negative for a net exporter.

    Notes
    -----
    The flow terms of the energy balance (GB/T 2589 / 能源平衡表 可供本地区消费的能源量).
    """
    return inflow - outflow + imports - exports


def indirect_emissions(net, grid_factor):
    """Indirect CO2 of a net inflow of electricity or heat.

    Parameters
    ----------
    net : array-like
        Net inflow [MWh] (electricity) or [GJ] (heat).
    grid_factor : array-like
        CO2 per unit [t/MWh] or [t/GJ].

    Returns
    -------
    array-like
        CO2 [t]; negative for a net outflow.

    Notes
    -----
    省级指南 第一章 能源活动 (电力调入调出间接排放 = 净调入电量 × 区域电网平均排放因子); IPCC 2006
    does not count it in a territorial inventory (hence a memo item).
    """
    return net * grid_factor


@functools.cache
def _grid_regions() -> dict[str, tuple[str, str]]:
    """Province code (two digits) → (its own series, its regional grid's series)."""
    with GRID_REGIONS.open(encoding="utf-8", newline="") as handle:
        return {r["province"]: (r["province_series"], r["regional_series"]) for r in csv.DictReader(handle)}


def grid_series_names(factors: FactorDatabase) -> list[str]:
    """The electricity series of the factor database (shipped and local), sorted (kept with it)."""
    key = ("grid_series_names",)
    if key not in factors._memo:
        rows = factors.candidates("grid_ef", "CO2")
        factors._memo[key] = sorted(set(rows.loc[rows["item"].isin(["electricity", "*"]), "factor_set"]) - {""})
    return list(factors._memo[key])


def series_for(name: str, region: str, factors: FactorDatabase) -> list[str]:
    """The series a region's factor is looked up in, in order: ``name`` itself, or for ``auto`` the
    province's own series (where it has rows) then its regional grid's."""
    if name != AUTO:
        return [name]
    own, regional = _grid_regions().get(str(region)[:2], ("", "grid_national_average"))
    known = set(grid_series_names(factors))
    return [s for s in (own, regional) if s in known] or [regional]


def compute_flow_memos(records: pd.DataFrame, factors: FactorDatabase,
                       series: dict[str, str] | None = None) -> SectorResult:
    """``M.ELEC`` / ``M.HEAT`` of every region-year with electricity or heat flows in ``records``,
    with their links (``grid_ef``) and flags (no factor; a factor of another year)."""
    series = {**DEFAULT_SERIES, **(series or {})}
    flows = records[(records["category"] == "EB") & records["item"].isin(list(MEMO_OF))
                    & records["quantity"].isin(list(_SIGN)) & (records["period"] == "") & records["value"].notna()]
    if flows.empty:
        return SectorResult(pd.DataFrame(columns=RESULT_COLUMNS), pd.DataFrame(columns=FLAG_COLUMNS))
    located = flows.assign(where=flows["file"] + ":" + flows["line"].astype(str),
                           signed=flows["value"] * flows["quantity"].map(_SIGN))
    rows, flags = [], []
    # regions that see the same grid rows resolve alike (a province of counties: one look-up per year)
    local_regions = set(factors.candidates("grid_ef", "CO2")["region"]) - {"*"}
    resolved: dict[tuple, tuple] = {}
    for (region, year, item), group in located.groupby(["region", "year", "item"], sort=True):
        unit, factor_unit = _UNIT[item]
        inflow = {q: group.loc[group["quantity"] == q, "value"].sum() for q in _SIGN}
        net = float(net_inflow(inflow["inflow"], inflow["outflow"], inflow["import"], inflow["export"]))
        names = series_for(series[item], region, factors)
        key = (tuple(a for a in factors.registry.ancestors(region) if a in local_regions), int(year), item,
               tuple(names))
        if key not in resolved:
            resolved[key] = factors.resolve_series("grid_ef", region, int(year), item, "CO2", names)
        row, published = resolved[key]
        memo = MEMO_OF[item]
        where = {"region": region, "year": int(year), "category": memo, "item": item, "gas": "CO2"}
        if row is None:
            flags.append({**where, "check": "missing_factor", "severity": "error",
                          "message": f"缺少电网因子 no grid factor of series {', '.join(names)} for {item}: the "
                                     f"{item} flows are recorded, {memo} is not estimated (NE)"})
            continue
        factor = float(row["value"]) * factors.unit_scale(row["unit"], factor_unit, "grid_ef", row["id"])
        label = f"series {row['factor_set'] or 'local'}, {row['value']:g} {row['unit']}"
        if row["origin"] != "local" and row["factor_set"] != names[0]:
            flags.append({**where, "check": "factor_series", "severity": "info",
                          "message": f"{names[0]} has no value for {year}: the {row['factor_set']} series is used"})
        if published is not None:
            label += f", the {published} value"
            flags.append({**where, "check": "factor_year", "severity": "warning",
                          "message": f"{row['factor_set']} has no {year} value: its {published} value "
                                     f"({row['value']:g} {row['unit']}) is used"})
        rows.append({"region": region, "year": int(year), "category": memo, "item": item, "gas": "CO2",
                     "emissions_t": float(indirect_emissions(net, factor)), "activity_value": net,
                     "activity_unit": unit, "energy_tj": np.nan, "records": "; ".join(group["where"]),
                     "method": f"net inflow × grid EF ({label}; memo, not in totals)",
                     "links": (("grid_ef", row["id"]),)})
    emissions = pd.DataFrame(rows, columns=RESULT_COLUMNS)
    emissions["links"] = as_links(row["links"] for row in rows)
    return SectorResult(emissions, pd.DataFrame(flags, columns=FLAG_COLUMNS))
