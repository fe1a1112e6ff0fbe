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

import numpy as np
import pandas as pd
import xarray as xr

from inventory.core.factors import FactorDatabase
from inventory.core.method import KEYS, cells, empty_flags, missing_factor_flags, resolve
from inventory.core.provenance import links_of, map_unique, merge_links
from inventory.core.schema import RESULT_COLUMNS, empty_result
from inventory.core.units import parse_unit
from inventory.sectors.contract import SectorResult

__all__ = [
    "CO2_PER_C",
    "fuel_energy",
    "co2_emission_factor",
    "co2_from_carbon_content",
    "emissions_from_energy",
    "emissions_from_activity",
    "carbon_in_non_energy_use",
    "compute_combustion",
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


METHOD_CHAIN = "activity × NCV × CC × OF × 44/12"
METHOD_EF_ENERGY = "activity × NCV × EF"
METHOD_EF_ACTIVITY = "activity × EF"
METHOD_NEU = "non-energy use × NCV × CC × 44/12 (memo M.NEU, not in totals)"


def compute_combustion(records: pd.DataFrame, factors: FactorDatabase,
                       factor_sets: tuple[str, ...] | list[str] = ()) -> SectorResult:
    """Fuel-combustion emissions (1.A) of the given activity records, with their links.

    Parameters
    ----------
    records : DataFrame
        Validated annual activity records (:class:`inventory.core.activity.ActivityData.records`);
        those of categories 1.A.* with quantity ``consumption`` are burned, ``non_energy_use`` goes
        to the memo ``M.NEU``; others are ignored.
    factors : FactorDatabase
    factor_sets : sequence of str
        Preferred shipped factor sets (e.g. ``["cn_guideline"]``), most preferred first.

    Returns
    -------
    SectorResult
        Emissions in tonnes of each gas (no CO2e: it is added where results are collected).
    """
    combustion = records[records["category"].str.startswith("1.A") & (records["period"] == "")
                         & records["value"].notna()]
    burned = combustion[combustion["quantity"] == "consumption"]
    feedstock = combustion[combustion["quantity"] == "non_energy_use"]
    frames, flags = [], []
    if len(burned):
        cube = cells(burned)
        per_unit = np.array(["GJ/" + u for u in cube["activity_unit"].to_numpy()], dtype=object)
        cube["ncv"], ncv_id = resolve(factors, "ncv", cube, per_unit, factor_sets=factor_sets)
        cube["energy"] = fuel_energy(cube["activity"], cube["ncv"])
        base = cube[KEYS + ["activity", "activity_unit", "energy", "records"]].to_dataframe().reset_index(drop=True)
        base = base.rename(columns={"activity": "activity_value", "energy": "energy_tj"})
        for gas in GASES:
            values, method, links = _gas_emissions(factors, cube, gas, ncv_id, factor_sets)
            frame = base.assign(gas=gas, emissions_t=values, method=method, links=links)
            flags.append(missing_factor_flags(frame[frame["emissions_t"].isna()], gas,
                                              "error" if gas == "CO2" else "warning"))
            frames.append(frame)
    if len(feedstock):
        frames.append(_non_energy_use_memo(feedstock, factors, factor_sets))
    emissions = pd.concat(frames, ignore_index=True) if frames else empty_result()
    emissions = emissions[emissions["emissions_t"].notna()]
    flag_frame = pd.concat(flags, ignore_index=True) if flags else empty_flags()
    return SectorResult(emissions=emissions[RESULT_COLUMNS].reset_index(drop=True), flags=flag_frame)


def _gas_emissions(factors: FactorDatabase, cube: xr.Dataset, gas: str, ncv_id: np.ndarray, factor_sets):
    """Emissions of one gas per cell, the method used, and the links (``(role, factor id)`` pairs)."""
    cells_frame = pd.DataFrame({k: cube[k].to_numpy() for k in KEYS})
    direct = factors.resolve("ef", cells_frame, gas=gas, factor_sets=list(factor_sets))
    has_ef = (direct["factor_id"] != "").to_numpy()
    per_energy = map_unique(direct["factor_unit"], lambda u: bool(u) and _per_energy(u)).astype(bool)
    ncv_ids = ncv_id.astype(str)
    ef_ids = direct["factor_id"].to_numpy().astype(str)
    size = cube.sizes["cell"]
    values = np.full(size, np.nan)
    method = np.full(size, "", dtype=object)
    links = np.empty(size, dtype=object)
    energy_mode = has_ef & per_energy
    activity_mode = has_ef & ~per_energy
    # a per-energy ef is needed in kg/TJ, a per-activity one in t per unit of the cell's activity
    targets = np.where(per_energy, "kg/TJ", "t/" + cube["activity_unit"].to_numpy().astype(str))
    ef = xr.DataArray(factors.convert(direct, targets, "ef")["value"].to_numpy(dtype=float), dims="cell")
    if energy_mode.any():
        values = np.where(energy_mode, emissions_from_energy(cube["energy"], ef).to_numpy(), values)
        method[energy_mode] = METHOD_EF_ENERGY
        links[energy_mode] = links_of(("ncv", "ef"), ncv_ids[energy_mode], ef_ids[energy_mode])
    if activity_mode.any():
        values = np.where(activity_mode, emissions_from_activity(cube["activity"], ef).to_numpy(), values)
        method[activity_mode] = METHOD_EF_ACTIVITY
        links[activity_mode] = links_of(("ef",), ef_ids[activity_mode])
    rest = ~has_ef
    if gas == "CO2":
        carbon, carbon_id = resolve(factors, "carbon_content", cube, "t/TJ", factor_sets=factor_sets)
        oxidation, oxidation_id = resolve(factors, "oxidation", cube, "dimensionless", factor_sets=factor_sets)
        chain = co2_from_carbon_content(cube["energy"], carbon, oxidation).to_numpy()
        values = np.where(rest, chain, values)
        method[rest] = METHOD_CHAIN
        links[rest] = links_of(("ncv", "carbon_content", "oxidation"), ncv_ids[rest], carbon_id[rest],
                               oxidation_id[rest])
    else:
        method[rest] = METHOD_EF_ENERGY
        links[rest] = links_of(("ncv", "ef"), ncv_ids[rest], np.full(int(rest.sum()), "", dtype=object))
    return values, method, links


def _per_energy(unit: str) -> bool:
    return parse_unit(unit).dimensionality == parse_unit("kg/TJ").dimensionality


def _non_energy_use_memo(feedstock: pd.DataFrame, factors: FactorDatabase, factor_sets) -> pd.DataFrame:
    """``M.NEU``: the carbon in feedstock, one row per fuel (the feedstock of several 1.A categories
    adds up; the row keeps the links of each)."""
    cube = cells(feedstock)
    per_unit = np.array(["GJ/" + u for u in cube["activity_unit"].to_numpy()], dtype=object)
    ncv, ncv_id = resolve(factors, "ncv", cube, per_unit, factor_sets=factor_sets)
    carbon, carbon_id = resolve(factors, "carbon_content", cube, "t/TJ", factor_sets=factor_sets)
    frame = cube[KEYS + ["activity", "activity_unit", "records"]].to_dataframe().reset_index(drop=True)
    frame = frame.rename(columns={"activity": "activity_value"})
    frame["energy_tj"] = fuel_energy(cube["activity"], ncv).to_numpy()
    frame["emissions_t"] = carbon_in_non_energy_use(cube["activity"], ncv, carbon).to_numpy()
    frame["gas"] = "CO2"
    frame["method"] = METHOD_NEU
    frame["links"] = links_of(("ncv", "carbon_content"), ncv_id, carbon_id)
    frame["category"] = "M.NEU"
    joined = {"activity_value": "sum", "activity_unit": "first", "energy_tj": "sum", "emissions_t": "sum",
              "records": "; ".join, "method": "first", "links": merge_links}
    return frame.groupby(KEYS + ["gas"], as_index=False).agg(joined)
