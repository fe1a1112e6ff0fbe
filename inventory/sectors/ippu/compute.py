"""The IPPU sector's compute function: process emissions of minerals (2.A), chemicals (2.B),
metals (2.C) and fluorinated-gas product uses (2.F.1, 2.G.1) of any set of region-years in one pass.

Every product is computed the same way (:func:`_estimate`): its records gathered into cells, then,
for each gas the method has,

* the **chain** of the equation — a factor before corrections (``EF_process``, or the ammonia
  fuel requirement ``FR``) and its corrections (``CF_ckd``, ``CF_lkd``, ``Ch``, ``CR``, ``DF`` ×
  ``ASUF``, ``GAF`` …), each resolved with its factor id; or
* a whole factor ``ef`` (mass of the gas per tonne of product, CONTRACTS §4): the IPCC Tier 1
  clinker factor 0.52 is one — it contains the kiln-dust correction, so no ``CF_ckd`` is applied
  to it.

A chain is used where its first factor resolves and no ``ef`` row does, or where that factor is a
local row (plant data, Tier 2) and the ``ef`` row is shipped; otherwise the ``ef`` row. A compound
item (``lime.dolomitic``, ``steel.bof``) takes the rows of its own key, else those of its parent
(``lime``). A cell with no factor is flagged (``missing_factor``) and not estimated (NE).

The carbon of ammonia feedstock, carbide reductant and blast-furnace reductant is counted here
once; the energy sector reports the fuels as ``non_energy_use`` (memo ``M.NEU``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import xarray as xr

from inventory.core.activity import annual_records
from inventory.core.factors import FactorDatabase
from inventory.core.method import FLAG_COLUMNS, KEYS, category_mask, cell_frame, cells, empty_flags
from inventory.core.provenance import as_links
from inventory.core.schema import RESULT_COLUMNS, empty_result
from inventory.sectors.contract import SectorResult, Settings
from inventory.sectors.ippu.chemicals import acid_n2o, ammonia_co2, petrochemical_co2, product_emissions
from inventory.sectors.ippu.metals import route_emissions
from inventory.sectors.ippu.minerals import (
    cement_co2_tier1,
    cement_co2_tier2,
    clinker_from_cement,
    glass_co2,
    lime_co2,
)
from inventory.sectors.ippu.product_uses import bank_emissions

__all__ = ["compute_ippu", "SOURCES", "Source", "Step", "FGAS_ITEMS"]

#: the fluorinated gas held in the equipment of each 2.F / 2.G item
FGAS_ITEMS = {"sf6": "SF6", "hfc134a": "HFC-134a", "hfc32": "HFC-32", "hfc125": "HFC-125"}


@dataclass(frozen=True)
class Step:
    """One factor of a chain: the parameter, the unit the equation needs, and its value when no row
    applies (None: required — the cell is not estimated without it)."""

    parameter: str
    unit: str
    absent: float | None = None
    gas_keyed: bool = False


@dataclass(frozen=True)
class Source:
    """One IPPU source: which records, which gases, which chain (and equation) per gas."""

    prefix: str
    name: str
    gases: tuple[str, ...]
    #: the equation of the chain: (activity, values of the steps in order) → emissions [t]
    equation: Callable | None = None
    steps: tuple[Step, ...] = ()
    quantity: str = "production"
    #: gases estimated by the chain (the others only by an ``ef`` row)
    chain_gases: tuple[str, ...] = ()
    method: str = ""
    #: the equation of a whole factor ``ef``: (activity, ef) → emissions [t]
    whole: Callable = product_emissions


def _ethylene(activity, ef, gaf):
    # GAF resolved as a fraction (a row of 110 % gives 1.1); the equation takes it in %
    return petrochemical_co2(activity, ef, gaf * 100.0)


SOURCES: tuple[Source, ...] = (
    Source("2.A.1", "cement", ("CO2",), cement_co2_tier2,
           (Step("EF_process", "t/t", gas_keyed=True), Step("CF_ckd", "dimensionless")), chain_gases=("CO2",),
           method="clinker × EF_process × CF_ckd (Vol.3 Eq. 2.2)", whole=cement_co2_tier1),
    Source("2.A.2", "lime", ("CO2",), lime_co2,
           (Step("EF_process", "t/t", gas_keyed=True), Step("CF_lkd", "dimensionless", 1.0),
            Step("Ch", "dimensionless", 1.0)), chain_gases=("CO2",),
           method="lime × EF_process × CF_lkd × Ch (Vol.3 Eq. 2.6)"),
    Source("2.A.3", "glass", ("CO2",), glass_co2,
           (Step("EF_process", "t/t", gas_keyed=True), Step("CR", "dimensionless")), chain_gases=("CO2",),
           method="glass × EF_process × (1 − CR) (Vol.3 Eq. 2.10, 2.11)"),
    Source("2.B.1", "ammonia", ("CO2",), ammonia_co2,
           (Step("FR", "GJ/t"), Step("CCF", "t/TJ"), Step("COF", "dimensionless")), chain_gases=("CO2",),
           method="ammonia × FR × CCF × COF × 44/12 − CO2 recovered (Vol.3 Eq. 3.1)"),
    Source("2.B.2", "nitric acid", ("N2O",), acid_n2o,
           (Step("EF_process", "t/t", gas_keyed=True), Step("DF", "dimensionless", 0.0),
            Step("ASUF", "dimensionless", 0.0)), chain_gases=("N2O",),
           method="acid × EF_process × (1 − DF × ASUF) (Vol.3 Eq. 3.5, 3.6)"),
    Source("2.B.3", "adipic acid", ("N2O",), acid_n2o,
           (Step("EF_process", "t/t", gas_keyed=True), Step("DF", "dimensionless", 0.0),
            Step("ASUF", "dimensionless", 0.0)), chain_gases=("N2O",),
           method="acid × EF_process × (1 − DF × ASUF) (Vol.3 Eq. 3.7, 3.8)"),
    Source("2.B.5", "carbide", ("CO2",), method="carbide × ef (Vol.3 §3.6.2.1, Table 3.8)"),
    Source("2.B.8.a", "methanol", ("CO2", "CH4"), method="methanol × ef (Vol.3 §3.9.2.1, Tables 3.12, 3.13)"),
    Source("2.B.8.b", "ethylene", ("CO2", "CH4"), _ethylene,
           (Step("EF_process", "t/t", gas_keyed=True), Step("GAF", "dimensionless")), chain_gases=("CO2", "CH4"),
           method="ethylene × EF_process × GAF / 100 (Vol.3 Eq. 3.15)"),
    Source("2.B.9", "HCFC-22", ("HFC-23",), product_emissions, (Step("EF_process", "t/t", gas_keyed=True),),
           chain_gases=("HFC-23",), method="HCFC-22 × EF_process (Vol.3 Eq. 3.30)"),
    Source("2.C.1", "iron and steel", ("CO2",), method="steel of the route × ef (Vol.3 Eq. 4.1)",
           whole=route_emissions),
    Source("2.C.2", "ferroalloys", ("CO2",), method="ferroalloy × ef (Vol.3 Eq. 4.15)", whole=route_emissions),
    Source("2.C.3", "aluminium", ("CO2", "CF4", "C2F6"),
           method="aluminium × ef (Vol.3 Eq. 4.19; PFCs §4.4.2.3 Tier 1)", whole=route_emissions),
    Source("2.F.1", "refrigeration and air conditioning", (), quantity="bank",
           method="bank × annual emission rate ef (Vol.3 Ch.7 §7.5.2)", whole=bank_emissions),
    Source("2.G.1", "electrical equipment", (), quantity="bank",
           method="bank × annual emission rate ef (Vol.3 Ch.8 §8.2.2)", whole=bank_emissions),
)

METHOD_EF = "production × ef (a whole factor, no corrections applied)"
#: clinker brought in (Im of Vol.3 Eq. 2.1) and sent out (Ex) of the inventory's region: from abroad or from other
#: regions alike
CLINKER_TRADE = {"import": "import", "inflow": "import", "export": "export", "outflow": "export"}


def compute_ippu(records: pd.DataFrame, factors: FactorDatabase, settings: Settings | None = None) -> SectorResult:
    """Process emissions (2.A, 2.B, 2.C, 2.F.1, 2.G.1) of any set of records, with their links.

    Parameters
    ----------
    records : DataFrame
        Validated activity records; those of categories 2.* are read: ``production`` of products,
        ``import``/``inflow`` and ``export``/``outflow`` of clinker and ``cement`` ``production``
        (clinker estimated from cement where clinker itself is not filed), ``co2_recovered`` of
        ammonia, ``bank`` of fluorinated gases.
    factors : FactorDatabase
    settings : Settings
        ``factor_sets`` preferred, most preferred first.

    Returns
    -------
    SectorResult
        Emissions in tonnes of each gas, one row per region, year, category, item and gas.
    """
    settings = settings or Settings()
    sets = tuple(settings.factor_sets)
    annual = annual_records(records)
    annual = annual[annual["category"].str.startswith("2.") & (annual["period"] == "") & annual["value"].notna()]
    frames, flags = [], []
    for source in SOURCES:
        chosen = annual[(annual["category"] == source.prefix) | annual["category"].str.startswith(source.prefix + ".")]
        if chosen.empty:
            continue
        if source.prefix == "2.A.1":
            chosen, derivations, clinker_flags = _clinker_activity(chosen, factors, sets)
            flags.append(clinker_flags)
        elif source.prefix == "2.B.1":
            chosen = chosen[chosen["quantity"].isin(["production", "co2_recovered"])]
        main = chosen[chosen["quantity"] == source.quantity]
        if main.empty:
            continue
        cube = cells(main)
        gases = source.gases or tuple(sorted({FGAS_ITEMS.get(i.split(".")[0], "") for i in main["item"]} - {""}))
        for gas in gases:
            frame, gas_flags = _estimate(source, cube, gas, factors, sets)
            if source.prefix == "2.A.1":
                frame = _with_derivations(frame, derivations)
            if source.prefix == "2.B.1" and len(frame):
                frame, recovered_flags = _less_recovered(frame, chosen)
                gas_flags = pd.concat([gas_flags, recovered_flags], ignore_index=True)
            frames.append(frame)
            flags.append(gas_flags)
    covered = np.zeros(len(annual), dtype=bool)
    for source in SOURCES:
        covered |= category_mask(annual["category"], (source.prefix,)).to_numpy()
    for row in annual[~covered].drop_duplicates(KEYS).to_dict("records"):
        flags.append(pd.DataFrame([{**{c: row[c] for c in KEYS}, "gas": "", "check": "no_method", "severity": "warning",
                                    "message": f"{row['category']} 没有计算方法，未估算（NE）/ no method for "
                                               f"{row['category']}: not estimated (NE)"}], columns=FLAG_COLUMNS))
    emissions = pd.concat([f for f in frames if len(f)], ignore_index=True) if any(len(f) for f in frames) \
        else empty_result()
    flag_frame = pd.concat([f for f in flags if len(f)], ignore_index=True) if any(len(f) for f in flags) \
        else empty_flags()
    return SectorResult(emissions=emissions[RESULT_COLUMNS].reset_index(drop=True), flags=flag_frame[FLAG_COLUMNS])


def resolve_with_parent(factors: FactorDatabase, parameter: str, frame: pd.DataFrame, unit: str, gas: str,
                        sets: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """A parameter for every cell in ``unit`` (NaN where none) and its row id: the rows of the cell's
    item, else — for a compound item ``a.b`` — those of ``a`` (CONTRACTS §4a)."""
    targets = pd.Series([unit] * len(frame), index=frame.index)
    resolved = factors.resolve_to(parameter, frame, targets, gas=gas, factor_sets=list(sets))
    values = resolved["value"].to_numpy(dtype=float, copy=True)
    ids = resolved["factor_id"].to_numpy(dtype=object, copy=True)
    parent = frame["item"].str.partition(".")[0]
    retry = (ids == "") & (parent != frame["item"]).to_numpy()
    if retry.any():
        again = factors.resolve_to(parameter, frame[retry].assign(item=parent[retry]), targets[retry], gas=gas,
                                   factor_sets=list(sets))
        values[retry] = again["value"].to_numpy(dtype=float)
        ids[retry] = again["factor_id"].to_numpy(dtype=object)
    return values, ids


def _estimate(source: Source, cube: xr.Dataset, gas: str, factors: FactorDatabase,
              sets: tuple[str, ...]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Emissions of one gas of one source per cell: the chain or the whole ``ef`` (module docstring)."""
    frame = cell_frame(cube)
    if source.quantity == "bank":  # one gas per item: the other items' cells are not this gas's
        keep = frame["item"].str.partition(".")[0].map(FGAS_ITEMS).eq(gas).to_numpy()
        cube = cube.isel(cell=np.flatnonzero(keep))
        frame = cell_frame(cube)
    activity = cube["activity"].to_numpy().astype(float)
    origin = dict(zip(factors.rows["id"], factors.rows["origin"]))
    ef, ef_id = resolve_with_parent(factors, "ef", frame, "t/t", gas, sets)
    n = len(frame)
    values = np.full(n, np.nan)
    methods = np.full(n, "", dtype=object)
    links = [()] * n
    use_chain = np.zeros(n, dtype=bool)
    ignored: list[tuple[int, str]] = []  # (cell, parameter): a local correction a whole factor does not take
    if source.equation is not None and gas in source.chain_gases:
        step_values, step_ids = [], []
        for step in source.steps:
            value, ids = resolve_with_parent(factors, step.parameter, frame, step.unit,
                                             gas if step.gas_keyed else "", sets)
            if step.absent is not None:
                value = np.where(ids == "", step.absent, value)
            step_values.append(value)
            step_ids.append(ids)
        first = step_ids[0]
        local_first = np.array([origin.get(i) == "local" for i in first])
        shipped_ef = np.array([bool(i) and origin.get(i) != "local" for i in ef_id])
        use_chain = (first != "") & ((ef_id == "") | (local_first & shipped_ef))
        chain = source.equation(activity, *step_values)
        values = np.where(use_chain, chain, values)
        for k in np.flatnonzero(use_chain):
            links[k] = tuple((step.parameter, str(ids[k])) for step, ids in zip(source.steps, step_ids)
                             if ids[k] or step.absent is None)
            absent = [f"{s.parameter} = {s.absent:g}" for s, ids in zip(source.steps, step_ids)
                      if s.absent is not None and not ids[k]]
            methods[k] = source.method + (f"; not given: {', '.join(absent)}" if absent else "")
        for step, ids in zip(source.steps[1:], step_ids[1:]):
            ignored += [(k, step.parameter) for k in np.flatnonzero(~use_chain & (ef_id != ""))
                        if origin.get(ids[k]) == "local"]
    whole = ~use_chain & (ef_id != "")
    values = np.where(whole, source.whole(activity, ef), values)
    for k in np.flatnonzero(whole):
        links[k] = (("ef", str(ef_id[k])),)
        methods[k] = f"{source.name}: {METHOD_EF}"
    out = frame.assign(gas=gas, emissions_t=values, activity_value=activity,
                       activity_unit=cube["activity_unit"].to_numpy(), energy_tj=np.nan,
                       records=cube["records"].to_numpy(), method=methods, links=as_links(links))
    missing = out[np.isnan(values)]
    notes = [{**{c: out.at[k, c] for c in KEYS}, "gas": gas, "check": "correction_not_applied", "severity": "warning",
              "message": f"本地 {parameter} 未使用：所用整体因子 ef（{ef_id[k]}）已含全部校正；如需使用，请同时提供"
                         f"校正前的 {source.steps[0].parameter} / local {parameter} not applied: the whole factor ef "
                         f"({ef_id[k]}) takes no correction; give {source.steps[0].parameter} (before corrections) "
                         f"with it"}
             for k, parameter in ignored]
    flags = pd.concat([_missing_flags(missing, source, gas), pd.DataFrame(notes, columns=FLAG_COLUMNS)],
                      ignore_index=True)
    return out[~np.isnan(values)].reset_index(drop=True), flags


def _missing_flags(missing: pd.DataFrame, source: Source, gas: str) -> pd.DataFrame:
    if missing.empty:
        return empty_flags()
    needed = " or ".join(["ef"] + ([" × ".join(s.parameter for s in source.steps if s.absent is None)]
                                   if gas in source.chain_gases else []))
    rows = [{**{k: row[k] for k in KEYS}, "gas": gas, "check": "missing_factor",
             "severity": "error" if source.quantity == "bank" or gas == source.gases[0] else "warning",
             "message": f"no factor ({needed}) for {row['item']} in {row['category']}: {gas} not estimated (NE) / "
                        f"缺少因子，{gas} 未估算"}
            for row in missing.to_dict("records")]
    return pd.DataFrame(rows, columns=FLAG_COLUMNS)


def _clinker_activity(chosen: pd.DataFrame, factors: FactorDatabase,
                      sets: tuple[str, ...]) -> tuple[pd.DataFrame, dict, pd.DataFrame]:
    """The clinker records of 2.A.1: clinker production where filed; else clinker estimated from
    cement production × clinker fraction − clinker import + export (Vol.3 Eq. 2.1), as records of
    item ``clinker`` at the cement record's place. Returns the records, the derivation of each
    estimated cell (key → (text, clinker_fraction id, trade records' places)) and the flags."""
    production = chosen[chosen["quantity"] == "production"]
    clinker = production[production["item"] == "clinker"]
    cement = production[production["item"] == "cement"]
    have = set(zip(clinker["region"], clinker["year"]))
    cement = cement[[(r, y) not in have for r, y in zip(cement["region"], cement["year"])]]
    if cement.empty:
        return clinker, {}, empty_flags()
    cube = cells(cement)
    frame = cell_frame(cube)
    fraction, fraction_id = resolve_with_parent(factors, "clinker_fraction", frame, "dimensionless", "", sets)
    trade = chosen[(chosen["item"] == "clinker") & chosen["quantity"].isin(list(CLINKER_TRADE))]
    trade = trade.assign(quantity=trade["quantity"].map(CLINKER_TRADE))
    by_key = trade.groupby(["region", "year", "quantity"])["value"].sum()
    where = trade.assign(at=trade["file"] + ":" + trade["line"].astype(str)).groupby(["region", "year"])["at"] \
        .agg("; ".join)
    first = cement.drop_duplicates(KEYS).set_index(KEYS)
    rows, derivations, flags = [], {}, []
    for k, row in frame.iterrows():
        region, year = row["region"], row["year"]
        if not fraction_id[k]:
            flags.append({**{c: row[c] for c in KEYS}, "gas": "CO2", "check": "missing_factor", "severity": "error",
                          "message": "no clinker_fraction for cement: clinker not estimated, CO2 NE / "
                                     "缺少水泥熟料比例，熟料无法估算"})
            continue
        imported = float(by_key.get((region, year, "import"), 0.0))
        exported = float(by_key.get((region, year, "export"), 0.0))
        cement_t = float(cube["activity"][k])
        value = float(clinker_from_cement(cement_t, fraction[k], imported, exported))
        at = first.loc[tuple(row[c] for c in KEYS)]
        rows.append({"region": region, "year": year, "category": row["category"], "item": "clinker",
                     "quantity": "production", "value": value, "unit": "t", "period": "",
                     "file": at["file"], "line": at["line"]})
        derivations[(region, year, row["category"], "clinker")] = (
            f"clinker = cement {cement_t:,.1f} t × clinker_fraction {fraction[k]:g} − import {imported:,.1f} t"
            f" + export {exported:,.1f} t (Vol.3 Eq. 2.1)", str(fraction_id[k]), where.get((region, year), ""))
    estimated = pd.DataFrame(rows, columns=["region", "year", "category", "item", "quantity", "value", "unit",
                                            "period", "file", "line"])
    return (pd.concat([clinker, estimated], ignore_index=True) if len(estimated) else clinker, derivations,
            pd.DataFrame(flags, columns=FLAG_COLUMNS))


def _with_derivations(frame: pd.DataFrame, derivations: dict) -> pd.DataFrame:
    """Clinker estimated from cement: the derivation in ``method``, the clinker fraction among the
    links, the clinker-trade records among the records."""
    if not derivations or frame.empty:
        return frame
    frame = frame.copy()
    for k, row in frame.iterrows():
        key = tuple(row[c] for c in KEYS)
        if key not in derivations:
            continue
        text, fraction_id, trade = derivations[key]
        frame.at[k, "method"] = f"{text}; {row['method']}"
        frame.at[k, "links"] = (("clinker_fraction", fraction_id),) + tuple(row["links"])
        if trade:
            frame.at[k, "records"] = f"{row['records']}; {trade}"
    return frame


def _less_recovered(frame: pd.DataFrame, chosen: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Ammonia CO2 less the CO2 recovered for urea (Vol.3 Eq. 3.1, R_CO2); a recovery larger than
    the CO2 generated is an error (flagged; the CO2 is then 0)."""
    recovered = chosen[chosen["quantity"] == "co2_recovered"]
    if recovered.empty:
        return frame, empty_flags()
    amounts = recovered.groupby(KEYS)["value"].sum()
    places = recovered.assign(at=recovered["file"] + ":" + recovered["line"].astype(str)).groupby(KEYS)["at"] \
        .agg("; ".join)
    frame = frame.copy()
    flags = []
    for k, row in frame.iterrows():
        key = tuple(row[c] for c in KEYS)
        if key not in amounts.index:
            continue
        generated = row["emissions_t"]
        net = generated - float(amounts[key])
        if net < 0:
            flags.append({**{c: row[c] for c in KEYS}, "gas": "CO2", "check": "co2_recovered", "severity": "error",
                          "message": f"CO2 recovered {amounts[key]:,.1f} t exceeds the CO2 generated {generated:,.1f} t"
                                     f" / 回收的 CO2 大于产生量：请核对"})
            net = 0.0
        frame.at[k, "emissions_t"] = net
        frame.at[k, "records"] = f"{row['records']}; {places[key]}"
        frame.at[k, "method"] = f"{row['method']}; less {amounts[key]:g} t CO2 recovered for urea"
    return frame, pd.DataFrame(flags, columns=FLAG_COLUMNS)
