"""Energy — fuel combustion (IPCC 1.A): equations and the sector computation.

The equations are small pure functions on xarray objects (or anything that broadcasts like them).
The method is the one of 《省级温室气体清单编制指南（试行）》(NDRC 2011) 第一章 能源活动 and of the
2006 IPCC Guidelines Vol.2 Ch.2 (Tier 1/2 sectoral approach):

    CO2 = Σ fuel consumption × net calorific value × carbon content per unit heat × oxidation × 44/12
    CH4, N2O = Σ fuel consumption × net calorific value × emission factor per unit heat

Fuel used as feedstock or for other non-energy purposes (``non_energy_use``, 原料用能) is not burned:
it never enters combustion emissions; the carbon it contains is reported as memo ``M.NEU``.
A local ``ef`` row for (category, item, gas) replaces the whole chain for that gas (CONTRACTS §4).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import xarray as xr

from inventory.core.factors import FactorDatabase
from inventory.core.gwp import gwp
from inventory.core.units import parse_unit

__all__ = [
    "CO2_PER_C",
    "fuel_energy",
    "co2_emission_factor",
    "co2_from_carbon_content",
    "emissions_from_energy",
    "emissions_from_activity",
    "carbon_in_non_energy_use",
    "CombustionResult",
    "compute_combustion",
    "compute_energy",
]

#: mass ratio of CO2 to C, 44.0095/12.011 rounded as the guidelines use it [t CO2 / t C]
CO2_PER_C = 44.0 / 12.0
GASES = ("CO2", "CH4", "N2O")


def fuel_energy(consumption, net_calorific_value):
    """Energy content of fuel burned.

    Parameters
    ----------
    consumption : xarray.DataArray
        Fuel consumption [t] for solid and liquid fuels, [m^3] for gaseous fuels.
    net_calorific_value : xarray.DataArray
        Net calorific value (低位发热量) [GJ/t] or [GJ/m^3], matching ``consumption``.

    Returns
    -------
    xarray.DataArray
        Energy [TJ].

    Notes
    -----
    The activity-data step of IPCC 2006 Vol.2 Ch.2 Eq. 2.1 (fuel consumption in TJ) and of 省级指南
    能源活动 (活动水平 = 消费量 × 平均低位发热量). 1 TJ = 1000 GJ.
    """
    return consumption * net_calorific_value / 1000.0


def co2_emission_factor(carbon_content, oxidation):
    """CO2 emission factor per unit of energy.

    Parameters
    ----------
    carbon_content : xarray.DataArray
        Carbon content per unit heat (单位热值含碳量) [t C/TJ].
    oxidation : xarray.DataArray
        Carbon oxidation rate (碳氧化率) [fraction].

    Returns
    -------
    xarray.DataArray
        Emission factor [t CO2/TJ].

    Notes
    -----
    EF = CC × OF × 44/12 — 省级指南 能源活动 (排放因子 = 单位热值含碳量 × 碳氧化率 × 44/12);
    IPCC 2006 Vol.2 Ch.1 Table 1.4 (default CO2 EF = carbon content × 44/12, OF = 1).
    """
    return carbon_content * oxidation * CO2_PER_C


def co2_from_carbon_content(energy, carbon_content, oxidation):
    """CO2 from fuel combustion.

    Parameters
    ----------
    energy : xarray.DataArray
        Fuel energy [TJ] (see :func:`fuel_energy`).
    carbon_content : xarray.DataArray
        [t C/TJ].
    oxidation : xarray.DataArray
        [fraction].

    Returns
    -------
    xarray.DataArray
        CO2 [t].

    Notes
    -----
    IPCC 2006 Vol.2 Ch.2 Eq. 2.1 (Emissions = Fuel consumption [TJ] × EF [t/TJ]) with the EF of
    :func:`co2_emission_factor`.
    """
    return energy * co2_emission_factor(carbon_content, oxidation)


def emissions_from_energy(energy, emission_factor):
    """Emissions of a gas from fuel energy and a per-energy factor.

    Parameters
    ----------
    energy : xarray.DataArray
        Fuel energy [TJ].
    emission_factor : xarray.DataArray
        [kg gas/TJ].

    Returns
    -------
    xarray.DataArray
        Emissions [t gas].

    Notes
    -----
    IPCC 2006 Vol.2 Ch.2 Eq. 2.1; the default CH4/N2O factors are Tables 2.2–2.5 (stationary) and
    3.2.2, 3.4.1, 3.5.3, 3.6.5 (mobile). 1 t = 1000 kg.
    """
    return energy * emission_factor / 1000.0


def emissions_from_activity(activity, emission_factor):
    """Emissions from activity × a per-activity factor (a local ``ef`` row in t/t, kg/m^3 ...).

    Parameters
    ----------
    activity : xarray.DataArray
        Activity [the item's canonical unit, t or m^3].
    emission_factor : xarray.DataArray
        [t gas per canonical unit of activity].

    Returns
    -------
    xarray.DataArray
        Emissions [t gas].

    Notes
    -----
    IPCC 2006 Vol.1 Ch.1 Eq. 1.1 (Emissions = AD × EF).
    """
    return activity * emission_factor


def carbon_in_non_energy_use(non_energy_use, net_calorific_value, carbon_content):
    """Carbon contained in fuel used as feedstock (原料用能), expressed as CO2 for the memo item.

    Parameters
    ----------
    non_energy_use : xarray.DataArray
        Fuel used for non-energy purposes [t] or [m^3].
    net_calorific_value : xarray.DataArray
        [GJ/t] or [GJ/m^3].
    carbon_content : xarray.DataArray
        [t C/TJ].

    Returns
    -------
    xarray.DataArray
        Carbon in the feedstock, as CO2 [t] (memo ``M.NEU``, never in totals).

    Notes
    -----
    IPCC 2006 Vol.2 Ch.6 (reference approach, Eq. 6.2: carbon excluded = non-energy use × CC).
    """
    return fuel_energy(non_energy_use, net_calorific_value) * carbon_content * CO2_PER_C


@dataclass
class CombustionResult:
    """Emissions of one computation, tidy, with provenance, and the QA flags raised."""

    emissions: pd.DataFrame  # region, year, category, item, gas, emissions_t, co2e_t + provenance
    flags: pd.DataFrame  # region, year, category, item, gas, check, severity, message
    factors_used: pd.DataFrame  # the factor rows the emissions used


_PROVENANCE = ["activity_value", "activity_unit", "energy_tj", "records", "method", "factor_ids", "confidence"]
_KEYS = ["region", "year", "category", "item"]
METHOD_CHAIN = "activity × NCV × CC × OF × 44/12"
METHOD_EF_ENERGY = "activity × NCV × EF"
METHOD_EF_ACTIVITY = "activity × EF"


def _cells(records: pd.DataFrame) -> xr.Dataset:
    """Sum records per (region, year, category, item) into a cube with a stacked ``cell`` dim.

    ``records`` of a cell lists where its records are (``file:line; file:line``).
    """
    located = records.assign(where=records["file"] + ":" + records["line"].astype(str))
    grouped = located.groupby(_KEYS, sort=True)
    cells = grouped.agg(activity=("value", "sum"), activity_unit=("unit", "first"), records=("where", "first"))
    # most cells have one record; only those with several need their locations joined
    several = grouped.size() > 1
    if several.any():
        shared = located.set_index(_KEYS).loc[several[several].index, "where"]
        cells.loc[several, "records"] = shared.groupby(level=_KEYS).agg("; ".join)
    cube = xr.Dataset.from_dataframe(cells.reset_index().rename_axis("cell"))
    return cube.set_coords(_KEYS)


def _resolve(factors: FactorDatabase, parameter: str, cube: xr.Dataset, target, gas: str = "",
             factor_sets: list[str] | None = None) -> tuple[xr.DataArray, xr.DataArray]:
    """Factor values (in ``target`` units) and row ids for every cell of ``cube``."""
    cells = pd.DataFrame({k: cube[k].to_numpy() for k in _KEYS})
    targets = pd.Series(target if isinstance(target, np.ndarray) else [target] * len(cells), index=cells.index)
    resolved = factors.resolve_to(parameter, cells, targets, gas=gas, factor_sets=factor_sets)
    return (xr.DataArray(resolved["value"].to_numpy(dtype=float), dims="cell"),
            xr.DataArray(resolved["factor_id"].to_numpy(dtype=object), dims="cell"))


def compute_combustion(records: pd.DataFrame, factors: FactorDatabase, gwp_set: str = "AR5",
                       factor_sets: list[str] | None = None) -> CombustionResult:
    """Fuel-combustion emissions (1.A) of the given activity records.

    Parameters
    ----------
    records : DataFrame
        Validated activity records (:class:`inventory.activity.ActivityData.records`); those of
        categories 1.A.* with quantity ``consumption`` are burned, ``non_energy_use`` goes to the
        memo ``M.NEU``; others are ignored.
    factors : FactorDatabase
    gwp_set : str
        ``SAR``, ``AR4``, ``AR5`` (default) or ``AR6``.
    factor_sets : list of str, optional
        Preferred shipped factor sets (e.g. ``["cn_guideline"]``), most preferred first.

    Returns
    -------
    CombustionResult
    """
    combustion = records[records["category"].str.startswith("1.A") & (records["period"] == "")
                         & records["value"].notna()]
    burned = combustion[combustion["quantity"] == "consumption"]
    feedstock = combustion[combustion["quantity"] == "non_energy_use"]
    confidence_of = dict(zip(factors.rows["id"], factors.rows["confidence"]))
    frames, flags = [], []
    if len(burned):
        cube = _cells(burned)
        per_unit = np.array(["GJ/" + u for u in cube["activity_unit"].to_numpy()], dtype=object)
        cube["ncv"], ncv_id = _resolve(factors, "ncv", cube, per_unit, factor_sets=factor_sets)
        cube["energy"] = fuel_energy(cube["activity"], cube["ncv"])
        for gas in GASES:
            values, method, ids = _gas_emissions(factors, cube, gas, ncv_id, factor_sets)
            columns = _KEYS + ["activity", "activity_unit", "energy", "records"]
            frame = cube[columns].to_dataframe().reset_index(drop=True)
            frame = frame.rename(columns={"activity": "activity_value", "energy": "energy_tj"})
            frame["gas"] = gas
            frame["emissions_t"] = values
            frame["method"] = method
            frame["factor_ids"] = ids
            frame["confidence"] = _map_unique(frame["factor_ids"], lambda text: _worst(text, confidence_of))
            for row in frame[frame["emissions_t"].isna()].to_dict("records"):
                missing = [part.split("=")[0] for part in row["factor_ids"].split("; ") if part.endswith("=")]
                flags.append({**{k: row[k] for k in _KEYS}, "gas": gas, "check": "missing_factor",
                              "severity": "error" if gas == "CO2" else "warning",
                              "message": f"no {', '.join(missing) or 'factor'} for {row['item']} in {row['category']}: "
                                         f"{gas} not estimated (NE)"})
            frames.append(frame)
    if len(feedstock):
        frames.append(_non_energy_use_memo(feedstock, factors, factor_sets, confidence_of))
    columns = ["region", "year", "category", "item", "gas", "emissions_t", "co2e_t"] + _PROVENANCE
    emissions = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    emissions["co2e_t"] = emissions["emissions_t"] * emissions["gas"].map(
        {g: gwp(g, gwp_set) for g in emissions["gas"].unique()})
    emissions = emissions[emissions["emissions_t"].notna()]
    used = _factor_ids(emissions["factor_ids"])
    factors_used = factors.rows[factors.rows["id"].isin(used)].copy()
    flag_frame = pd.DataFrame(flags, columns=_KEYS + ["gas", "check", "severity", "message"])
    return CombustionResult(emissions=emissions[columns].reset_index(drop=True), flags=flag_frame,
                            factors_used=factors_used)


def _gas_emissions(factors: FactorDatabase, cube: xr.Dataset, gas: str, ncv_id: xr.DataArray,
                   factor_sets: list[str] | None):
    """Emissions of one gas per cell, the method used, and the factor ids (``name=id; ...``)."""
    cells = pd.DataFrame({k: cube[k].to_numpy() for k in _KEYS})
    direct = factors.resolve("ef", cells, gas=gas, factor_sets=factor_sets)
    has_ef = (direct["factor_id"] != "").to_numpy()
    per_energy = _map_unique(direct["factor_unit"], lambda u: bool(u) and _per_energy(u)).to_numpy(dtype=bool)
    ncv_ids = ncv_id.to_numpy().astype(str)
    ef_ids = direct["factor_id"].to_numpy().astype(str)
    values = np.full(cube.sizes["cell"], np.nan)
    method = np.full(cube.sizes["cell"], "", dtype=object)
    ids = np.full(cube.sizes["cell"], "", dtype=object)
    energy_mode = has_ef & per_energy
    activity_mode = has_ef & ~per_energy
    # a per-energy ef is needed in kg/TJ, a per-activity one in t per unit of the cell's activity
    targets = np.where(per_energy, "kg/TJ", "t/" + cube["activity_unit"].to_numpy().astype(str))
    ef = xr.DataArray(factors.convert(direct, targets, "ef")["value"].to_numpy(dtype=float), dims="cell")
    if energy_mode.any():
        values = np.where(energy_mode, emissions_from_energy(cube["energy"], ef).to_numpy(), values)
        method[energy_mode] = METHOD_EF_ENERGY
        ids[energy_mode] = ["ncv=" + n + "; ef=" + e for n, e in zip(ncv_ids[energy_mode], ef_ids[energy_mode])]
    if activity_mode.any():
        values = np.where(activity_mode, emissions_from_activity(cube["activity"], ef).to_numpy(), values)
        method[activity_mode] = METHOD_EF_ACTIVITY
        ids[activity_mode] = ["ef=" + e for e in ef_ids[activity_mode]]
    rest = ~has_ef
    if gas == "CO2":
        carbon, carbon_id = _resolve(factors, "carbon_content", cube, "t/TJ", factor_sets=factor_sets)
        oxidation, oxidation_id = _resolve(factors, "oxidation", cube, "dimensionless", factor_sets=factor_sets)
        chain = co2_from_carbon_content(cube["energy"], carbon, oxidation).to_numpy()
        values = np.where(rest, chain, values)
        method[rest] = METHOD_CHAIN
        ids[rest] = [f"ncv={n}; carbon_content={c}; oxidation={o}" for n, c, o in
                     zip(ncv_ids[rest], carbon_id.to_numpy()[rest], oxidation_id.to_numpy()[rest])]
    else:
        method[rest] = METHOD_EF_ENERGY
        ids[rest] = ["ncv=" + n + "; ef=" for n in ncv_ids[rest]]
    return values, method, ids


def _map_unique(values: pd.Series, function) -> pd.Series:
    """``values.map(function)``, calling ``function`` once per distinct value (millions of cells,
    a handful of distinct units and factor-id strings)."""
    codes, uniques = pd.factorize(pd.Series(values).reset_index(drop=True), use_na_sentinel=False)
    mapped = np.empty(len(uniques), dtype=object)
    mapped[:] = [function(value) for value in uniques]
    return pd.Series(mapped[codes], dtype=object)


def _per_energy(unit: str) -> bool:
    return parse_unit(unit).dimensionality == parse_unit("kg/TJ").dimensionality


_CONFIDENCE_ORDER = ["missing", "memory", "secondary", "derived", "local", "verified"]


def _worst(factor_ids: str, confidence_of: dict[str, str]) -> str:
    """Confidence of a method chain: its least reliable link ('missing' if a link is missing)."""
    levels = []
    for part in factor_ids.split("; "):
        if "=" in part:
            factor_id = part.split("=", 1)[1]
            levels.append(confidence_of.get(factor_id, "missing") if factor_id else "missing")
    return min(levels, key=_CONFIDENCE_ORDER.index) if levels else "missing"


def _factor_ids(column: pd.Series) -> set[str]:
    ids = set()
    for text in column.dropna().unique():
        for part in str(text).split("; "):
            if "=" in part:
                ids.add(part.split("=", 1)[1])
    ids.discard("")
    return ids


def _non_energy_use_memo(feedstock: pd.DataFrame, factors: FactorDatabase, factor_sets: list[str] | None,
                         confidence_of: dict[str, str]) -> pd.DataFrame:
    cube = _cells(feedstock)
    per_unit = np.array(["GJ/" + u for u in cube["activity_unit"].to_numpy()], dtype=object)
    ncv, ncv_id = _resolve(factors, "ncv", cube, per_unit, factor_sets=factor_sets)
    carbon, carbon_id = _resolve(factors, "carbon_content", cube, "t/TJ", factor_sets=factor_sets)
    frame = cube[_KEYS + ["activity", "activity_unit", "records"]].to_dataframe().reset_index(drop=True)
    frame = frame.rename(columns={"activity": "activity_value"})
    frame["energy_tj"] = fuel_energy(cube["activity"], ncv).to_numpy()
    frame["emissions_t"] = carbon_in_non_energy_use(cube["activity"], ncv, carbon).to_numpy()
    frame["gas"] = "CO2"
    frame["method"] = "non-energy use × NCV × CC × 44/12 (memo M.NEU, not in totals)"
    frame["factor_ids"] = [f"ncv={n}; carbon_content={c}" for n, c in zip(ncv_id.to_numpy(), carbon_id.to_numpy())]
    frame["confidence"] = _map_unique(frame["factor_ids"], lambda text: _worst(text, confidence_of))
    frame["category"] = "M.NEU"
    # one memo row per fuel: the feedstock of several 1.A categories adds up
    joined = {"activity_value": "sum", "activity_unit": "first", "energy_tj": "sum", "emissions_t": "sum",
              "records": "; ".join, "method": "first", "factor_ids": lambda s: " | ".join(dict.fromkeys(s)),
              "confidence": lambda s: min(s, key=_CONFIDENCE_ORDER.index)}
    return frame.groupby(_KEYS + ["gas"], as_index=False).agg(joined)


def compute_energy(records: pd.DataFrame, factors: FactorDatabase, gwp_set: str = "AR5",
                   factor_sets: list[str] | None = None, grid_series: dict[str, str] | None = None) -> CombustionResult:
    """The energy sector of any set of records (one region-year or a whole province at once):
    fuel combustion (1.A), fugitive emissions (1.B) and the memo items ``M.NEU`` (carbon in
    feedstock), ``M.ELEC`` and ``M.HEAT`` (indirect CO2 of the net electricity and heat inflow).

    Records filed by quarter or month count for their year where the year itself is not filed
    (:func:`inventory.activity.annual_records`).

    Parameters
    ----------
    records : DataFrame
        Validated activity records.
    factors : FactorDatabase
    gwp_set : str
        ``SAR``, ``AR4``, ``AR5`` (default) or ``AR6``.
    factor_sets : list of str, optional
        Preferred shipped factor sets, most preferred first.
    grid_series : dict, optional
        The ``grid_ef`` series for ``electricity`` and ``heat`` (default
        :data:`inventory.electricity.DEFAULT_SERIES`).
    """
    from inventory.core.activity import annual_records
    from inventory.sectors.energy.electricity import compute_flow_memos
    from inventory.sectors.energy.fugitive import compute_fugitive

    annual = annual_records(records)
    combustion = compute_combustion(annual, factors, gwp_set, factor_sets)
    fugitive, fugitive_flags = compute_fugitive(annual, factors, factor_sets)
    memos, memo_flags, _ = compute_flow_memos(annual, factors, grid_series)
    confidence_of = dict(zip(factors.rows["id"], factors.rows["confidence"]))
    extra = pd.concat([f for f in (fugitive, memos) if len(f)], ignore_index=True) if len(fugitive) or len(memos) \
        else None
    if extra is None:
        return combustion
    extra["confidence"] = _map_unique(extra["factor_ids"], lambda text: _worst(text, confidence_of)).to_numpy()
    extra["co2e_t"] = extra["emissions_t"] * extra["gas"].map({g: gwp(g, gwp_set) for g in extra["gas"].unique()})
    emissions = pd.concat([combustion.emissions, extra[combustion.emissions.columns]], ignore_index=True)
    flags = pd.concat([f for f in (combustion.flags, fugitive_flags, memo_flags) if len(f)] or [combustion.flags],
                      ignore_index=True)
    used = factors.rows[factors.rows["id"].isin(_factor_ids(emissions["factor_ids"]))].copy()
    return CombustionResult(emissions=emissions, flags=flags, factors_used=used)
