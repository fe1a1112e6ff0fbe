"""The waste sector's compute function: solid waste disposal (4.A), biological treatment (4.B),
incineration and open burning (4.C) and wastewater (4.D) of any set of region-years in one pass.

Solid waste disposal reads the whole deposit history of each region: the records of quantity
``landfilled`` (t, one per year) under 4.A.1 (managed), 4.A.2 (unmanaged) or 4.A.3 (uncategorised;
records filed under ``4.A`` itself count as uncategorised), by waste type (``msw_food`` …) or bulk
``msw``. The first-order-decay model (default) or the provincial guideline's mass balance is chosen
by the parameter ``landfill_method``; deposits before the record are back-cast from the parameter
``landfill_first_year`` by ``landfill_backcast`` (:mod:`.landfill`). Emissions are returned for
every year from a region's first record to the last year of the records given.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from inventory.core.activity import annual_records
from inventory.core.factors import FactorDatabase
from inventory.core.method import KEYS, cells, empty_flags, missing_factor_flags
from inventory.core.provenance import as_links, links_of, merge_links
from inventory.core.schema import RESULT_COLUMNS, empty_result
from inventory.sectors.contract import SectorResult, Settings
from inventory.sectors.qa import flag_table
from inventory.sectors.waste.biological import biological_ch4, biological_n2o
from inventory.sectors.waste.incineration import fossil_co2, incineration_emissions
from inventory.sectors.waste.landfill import (
    BACKCAST_METHODS,
    backcast_deposits,
    ch4_emitted,
    ddocm_deposited,
    fod_ch4_generated,
    mass_balance_ch4,
    methane_generation_potential,
)
from inventory.sectors.waste.wastewater import (
    domestic_organics,
    effluent_n2o,
    effluent_nitrogen,
    industrial_organics,
    pathway_ef,
    plant_n2o,
    wastewater_ch4,
    wastewater_ef,
)

__all__ = ["compute_waste", "LANDFILL_METHODS", "DEFAULTS", "PATHWAYS"]

#: the landfill methods: IPCC first-order decay, the provincial guideline's mass balance
LANDFILL_METHODS = ("fod", "mass_balance")
#: the sector's parameters and their defaults (the notebook's and ``inventory compute``'s)
DEFAULTS = {"landfill_method": "fod", "landfill_backcast": "trend", "landfill_first_year": 2000,
            "landfill_growth_rate": 0.05}
#: treatment and discharge pathways of domestic wastewater (IPCC 2006 Vol.5 Table 6.3)
PATHWAYS = ("aerobic_well", "aerobic_overloaded", "anaerobic_reactor", "anaerobic_lagoon_shallow",
            "anaerobic_lagoon_deep", "septic", "latrine", "sea_river_lake", "stagnant_sewer")
FOD_ROLES = ("DOC", "DOCf", "MCF", "k", "F", "OX")
METHOD_FOD = "first-order decay: (Σ DDOCm decomposed × F × 16/12 − R) × (1 − OX) (IPCC 2006 Vol.5 Eq. 3.1–3.6)"
METHOD_MASS_BALANCE = "mass balance: (W × MCF × DOC × DOCf × F × 16/12 − R) × (1 − OX) (省级指南 第五章)"
METHODS = {"fod": METHOD_FOD, "mass_balance": METHOD_MASS_BALANCE}
METHOD_EF = "W × EF (a local ef row replaces the method, CONTRACTS §4)"


def _frame(keys: pd.DataFrame) -> pd.DataFrame:
    return keys[KEYS].reset_index(drop=True)


def _resolve(factors: FactorDatabase, parameter: str, keys: pd.DataFrame, unit, settings: Settings,
             gas: str = "") -> tuple[np.ndarray, np.ndarray]:
    """A parameter for every row of ``keys``: value in ``unit`` (NaN where no row) and factor id."""
    resolved = factors.resolve_to(parameter, _frame(keys), unit, gas=gas, factor_sets=list(settings.factor_sets))
    return resolved["value"].to_numpy(dtype=float), resolved["factor_id"].to_numpy(dtype=object)


def _flag(region, year, category, item, gas, check, severity, message) -> dict:
    return {"region": region, "year": int(year), "category": category, "item": item, "gas": gas, "check": check,
            "severity": severity, "message": message}


def _quantity(records: pd.DataFrame, prefix: str, quantity: str) -> pd.DataFrame:
    chosen = records[(records["category"].str.startswith(prefix)) & (records["quantity"] == quantity)]
    return chosen[chosen["value"].notna()]


# --------------------------------------------------------------------------------------------
# 4.A solid waste disposal
# --------------------------------------------------------------------------------------------

def _deposit_series(records: pd.DataFrame, settings: Settings, end_year: int) -> tuple[pd.DataFrame, list[dict]]:
    """Every (region, category, item) deposit history, one row per year from its first deposit
    (recorded or back-cast) to ``end_year``: ``deposit`` [t], ``estimated``, ``records``."""
    landfilled = records[records["category"].str.startswith("4.A") & (records["quantity"] == "landfilled")]
    landfilled = landfilled.assign(category=landfilled["category"].where(landfilled["category"] != "4.A", "4.A.3"))
    method = str(settings.get("landfill_backcast", DEFAULTS["landfill_backcast"]))
    first_year = int(settings.get("landfill_first_year", DEFAULTS["landfill_first_year"]))
    growth = float(settings.get("landfill_growth_rate", DEFAULTS["landfill_growth_rate"]))
    # a site type's history starts with its first record of any waste type: a type first filed later (a
    # composition survey begun in 2018) holds 0 before, and is back-cast as 0
    site_first = landfilled.groupby(["region", "category"])["year"].min()
    rows, flags = [], []
    for (region, category, item), group in landfilled.groupby(["region", "category", "item"], sort=True):
        filed = group.assign(where=group["file"] + ":" + group["line"].astype(str))
        by_year = filed.groupby("year").agg(deposit=("value", lambda v: float(np.nansum(v))),
                                            records=("where", "; ".join))
        first_record, last_record = int(by_year.index.min()), int(by_year.index.max())
        start = int(site_first[(region, category)])
        for row in filed[filed["value"].isna() & ~filed["notation"].isin(["NO", ""])].to_dict("records"):
            flags.append(_flag(region, row["year"], category, item, "CH4", "deposit_notation", "warning",
                               f"{row['where']}: landfilled filed as {row['notation']}: counted as 0 in the decay "
                               f"of every later year"))
        for year in range(start, end_year + 1):
            if year not in by_year.index and first_record < year < last_record:
                flags.append(_flag(region, year, category, item, "CH4", "deposit_gap", "warning",
                                   f"no landfilled record of {item} in {year} between recorded years: counted as 0 "
                                   f"(file the year, or NO if nothing was landfilled)"))
            rows.append({"region": region, "category": category, "item": item, "year": year,
                         "deposit": float(by_year["deposit"].get(year, 0.0)), "estimated": False,
                         "records": by_year["records"].get(year, "")})
        earlier = list(range(first_year, start))
        if method != "none" and earlier:
            first_deposit = float(by_year["deposit"].get(start, 0.0))
            estimate = backcast_deposits(first_deposit, start, earlier, method, growth)
            rows += [{"region": region, "category": category, "item": item, "year": int(y),
                      "deposit": float(v), "estimated": True, "records": ""}
                     for y, v in zip(estimate["year"].values, estimate.values)]
            flags.append(_flag(region, start, category, item, "CH4", "backcast", "info",
                               f"deposits of {item} in {earlier[0]}–{earlier[-1]} estimated by back-casting "
                               f"({method}) from {start}"))
    series = pd.DataFrame(rows, columns=["region", "category", "item", "year", "deposit", "estimated", "records"])
    return series.sort_values(["region", "category", "item", "year"]).reset_index(drop=True), flags


def _fod(series: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """CH4 generated and DDOCm accumulated of every deposit history at once: the histories (region,
    site type, waste type) along ``series``, the years of all of them along ``year`` (nothing deposited
    outside a history's own years)."""
    keys = ["region", "category", "item"]
    number = series.groupby(keys, sort=False).ngroup().to_numpy()
    years = np.arange(int(series["year"].min()), int(series["year"].max()) + 1)
    position = series["year"].to_numpy(dtype=int) - years[0]
    shape = (number.max() + 1, len(years))

    def grid(values, outside: float) -> xr.DataArray:
        table = np.full(shape, outside)
        table[number, position] = values
        return xr.DataArray(table, dims=("series", "year"), coords={"year": years})

    # a waste type with no degradable carbon (DOC 0: plastics, inert) needs no k
    inert = series.groupby(keys, sort=False)["ddocm"].transform(lambda d: (d.fillna(0.0) == 0).all()) \
        & series["DOC"].notna()
    k = series["k"].where(~(inert & series["k"].isna()), 0.0)
    fod = fod_ch4_generated(grid(series["ddocm"].to_numpy(), 0.0), grid(k.to_numpy(), 0.0),
                            grid(series["F"].to_numpy(), 0.0))
    fod = fod.transpose("series", "year")
    return fod["generated"].values[number, position], fod["accumulated"].values[number, position]


def _landfill(records: pd.DataFrame, factors: FactorDatabase, settings: Settings,
              end_year: int) -> tuple[pd.DataFrame, list[pd.DataFrame], pd.DataFrame]:
    series, flag_rows = _deposit_series(records, settings, end_year)
    if series.empty:
        return empty_result(), [flag_table(flag_rows)], series
    method = str(settings.get("landfill_method", DEFAULTS["landfill_method"]))
    for role in FOD_ROLES:
        series[role], series[f"{role}_id"] = _resolve(factors, role, series, "1/yr" if role == "k" else "dimensionless",
                                                      settings)
    recovered = _quantity(records, "4.A", "ch4_recovered")
    recovered = recovered.assign(category=recovered["category"].where(recovered["category"] != "4.A", "4.A.3"))
    recovery = recovered.groupby(["region", "category", "year"])["value"].sum()
    series["ddocm"] = np.where(series["deposit"] > 0,
                               ddocm_deposited(series["deposit"], series["DOC"], series["DOCf"], series["MCF"]), 0.0)
    if method == "mass_balance":
        series["generated"] = (series["deposit"] * methane_generation_potential(
            series["MCF"], series["DOC"], series["DOCf"], series["F"])).where(series["deposit"] > 0, 0.0)
    else:
        series["generated"], series["accumulated"] = _fod(series)
    # recovery of a site type and year is shared over its waste types in proportion to generation (evenly
    # where nothing is generated: the recovery is then above generation, and flagged)
    site = series.groupby(["region", "category", "year"])["generated"]
    total, count = site.transform("sum"), site.transform("size")
    site_recovery = pd.Series([recovery.get((r, c, y), 0.0) for r, c, y in
                               zip(series["region"], series["category"], series["year"])], index=series.index)
    share = np.where(total > 0, series["generated"] / total.where(total > 0, 1.0), 1.0 / count)
    series["recovered"] = site_recovery * share
    if method == "fod":
        series["emitted"] = ch4_emitted(series["generated"], series["recovered"], series["OX"])
    else:
        series["emitted"] = mass_balance_ch4(series["deposit"], methane_generation_potential(
            series["MCF"], series["DOC"], series["DOCf"], series["F"]), series["recovered"], series["OX"])
    series["links"] = links_of(FOD_ROLES, *(series[f"{role}_id"] for role in FOD_ROLES))
    # a local ef row (t CH4 per t landfilled) replaces the whole method for its cells (CONTRACTS §4)
    ef, ef_id = _resolve(factors, "ef", series, "t/t", settings, gas="CH4")
    series["by_ef"] = ef_id != ""
    if series["by_ef"].any():
        series.loc[series["by_ef"], "emitted"] = (series["deposit"] * ef)[series["by_ef"]]
        series.loc[series["by_ef"], "links"] = links_of(("ef",), ef_id[series["by_ef"].to_numpy()])
    first_record = records[records["category"].str.startswith("4.A") & (records["quantity"] == "landfilled")] \
        .groupby("region")["year"].min()
    rows = []
    for (region, category, item), group in series.groupby(["region", "category", "item"], sort=False):
        history = []
        for row in group.to_dict("records"):
            history.append(row)
            if row["year"] < first_record.get(region, row["year"]):
                continue
            whole_history = method == "fod" and not row["by_ef"]
            rows.append({"region": region, "year": int(row["year"]), "category": category, "item": item,
                         "gas": "CH4", "emissions_t": row["emitted"], "activity_value": row["deposit"],
                         "activity_unit": "t", "energy_tj": np.nan,
                         "records": "; ".join(h["records"] for h in history if h["records"]) if whole_history
                         else row["records"],
                         "method": METHOD_EF if row["by_ef"] else METHODS[method],
                         "links": merge_links(h["links"] for h in history if not h["by_ef"]) if whole_history
                         else row["links"]})
    emissions = pd.DataFrame(rows, columns=RESULT_COLUMNS)
    missing = emissions[emissions["emissions_t"].isna()]
    flags = [flag_table(flag_rows), missing_factor_flags(missing, "CH4", "error")]
    return emissions[emissions["emissions_t"].notna()], flags, series


# --------------------------------------------------------------------------------------------
# 4.B biological treatment, 4.C incineration
# --------------------------------------------------------------------------------------------

def _cell_frame(chosen: pd.DataFrame) -> pd.DataFrame:
    cube = cells(chosen)
    frame = cube[KEYS + ["activity", "activity_unit", "records"]].to_dataframe().reset_index(drop=True)
    return frame.rename(columns={"activity": "activity_value"})


def _biological(records: pd.DataFrame, factors: FactorDatabase, settings: Settings) -> tuple[pd.DataFrame, list]:
    treated = _quantity(records, "4.B", "treated")
    if treated.empty:
        return empty_result(), []
    base = _cell_frame(treated)
    recovered = _quantity(records, "4.B", "ch4_recovered").groupby(KEYS)["value"].sum()
    frames, flags = [], []
    for gas in ("CH4", "N2O"):
        ef, ids = _resolve(factors, "ef", base, "g/kg", settings, gas=gas)
        if gas == "CH4":
            recovery = np.array([recovered.get(tuple(k), 0.0) for k in base[KEYS].itertuples(index=False)])
            values = biological_ch4(base["activity_value"].to_numpy(), ef, recovery)
        else:
            values = biological_n2o(base["activity_value"].to_numpy(), ef)
        frame = base.assign(gas=gas, emissions_t=values, energy_tj=np.nan,
                            method="M × EF × 10^-3 (IPCC 2006 Vol.5 Eq. 4.1, 4.2)", links=links_of(("ef",), ids))
        flags.append(missing_factor_flags(frame[frame["emissions_t"].isna()], gas, "warning"))
        frames.append(frame[frame["emissions_t"].notna()])
    return pd.concat(frames, ignore_index=True)[RESULT_COLUMNS], flags


def _incineration(records: pd.DataFrame, factors: FactorDatabase, settings: Settings) -> tuple[pd.DataFrame, list]:
    burned = _quantity(records, "4.C", "incinerated")
    if burned.empty:
        return empty_result(), []
    base = _cell_frame(burned)
    activity = base["activity_value"].to_numpy()
    frames, flags = [], []
    for gas in ("CO2", "CH4", "N2O"):
        ef, ef_ids = _resolve(factors, "ef", base, "t/t", settings, gas=gas)
        has_ef = ef_ids != ""
        values = incineration_emissions(activity, ef)
        links = links_of(("ef",), ef_ids)
        method = np.full(len(base), "IW × EF (IPCC 2006 Vol.5 Eq. 5.4, 5.5)", dtype=object)
        if gas == "CO2":
            roles = ("dm", "CF", "FCF", "OF")
            chain = {role: _resolve(factors, role, base, "dimensionless", settings) for role in roles}
            fossil = fossil_co2(activity, *(chain[role][0] for role in roles))
            values = np.where(has_ef, values, fossil)
            chain_links = links_of(roles, *(chain[role][1] for role in roles))
            links = np.where(has_ef, links, chain_links)
            method[~has_ef] = "SW × dm × CF × FCF × OF × 44/12 (IPCC 2006 Vol.5 Eq. 5.1, 5.2)"
        frame = base.assign(gas=gas, emissions_t=values, energy_tj=np.nan, method=method, links=as_links(links))
        flags.append(missing_factor_flags(frame[frame["emissions_t"].isna()], gas,
                                          "error" if gas == "CO2" else "warning"))
        frames.append(frame[frame["emissions_t"].notna()])
    return pd.concat(frames, ignore_index=True)[RESULT_COLUMNS], flags


# --------------------------------------------------------------------------------------------
# 4.D wastewater
# --------------------------------------------------------------------------------------------

def _by_key(records: pd.DataFrame, prefix: str, quantity: str) -> pd.Series:
    return _quantity(records, prefix, quantity).groupby(KEYS)["value"].sum()


def _lookup(series: pd.Series, keys: pd.DataFrame, default=np.nan) -> np.ndarray:
    return np.array([series.get(tuple(k), default) for k in keys[KEYS].itertuples(index=False)], dtype=float)


def _domestic(records: pd.DataFrame, factors: FactorDatabase, settings: Settings) -> tuple[pd.DataFrame, list]:
    domestic = records[records["category"].str.startswith("4.D.1")
                       & records["quantity"].isin(["population", "bod"]) & records["value"].notna()]
    if domestic.empty:
        return empty_result(), []
    keys = domestic[KEYS].drop_duplicates().sort_values(KEYS).reset_index(drop=True)
    population = _lookup(_by_key(records, "4.D.1", "population"), keys)
    bod_recorded = _lookup(_by_key(records, "4.D.1", "bod"), keys)
    sludge = _lookup(_by_key(records, "4.D.1", "sludge_removed"), keys, 0.0)
    recovered = _lookup(_by_key(records, "4.D.1", "ch4_recovered"), keys, 0.0)
    where = records[records["category"].str.startswith("4.D.1") & records["value"].notna()]
    located = where.assign(at=where["file"] + ":" + where["line"].astype(str)).groupby(KEYS)["at"].agg("; ".join)
    keys["records"] = [located.get(tuple(k), "") for k in keys[KEYS].itertuples(index=False)]
    bod, bod_id = _resolve(factors, "BOD", keys, "g/person/d", settings)
    correction, i_id = _resolve(factors, "I", keys, "dimensionless", settings)
    bo, bo_id = _resolve(factors, "Bo", keys, "dimensionless", settings)
    from_population = np.isnan(bod_recorded)
    tow = np.where(from_population, domestic_organics(population, bod, correction), bod_recorded)
    # the pathways: shares T and MCF of each; without any share, the MCF of the item itself
    shares, mcfs, pathway_ids = [], [], []
    for pathway in PATHWAYS:
        at = keys.assign(item=pathway)
        share, share_id = _resolve(factors, "T", at, "dimensionless", settings)
        mcf, mcf_id = _resolve(factors, "MCF", at, "dimensionless", settings)
        shares.append(share)
        mcfs.append(mcf)
        pathway_ids.append((share_id, mcf_id))
    shares_array, mcf_array = np.array(shares), np.array(mcfs)
    has_shares = ~np.all(np.isnan(shares_array), axis=0)
    used = ~np.isnan(shares_array)
    # Σ_j T_j × Bo × MCF_j over the pathways with a share (a share without its MCF: not estimated)
    by_pathway = pathway_ef(bo, xr.DataArray(np.where(used, shares_array, 0.0), dims=("pathway", "cell")),
                            xr.DataArray(np.where(used, mcf_array, 0.0), dims=("pathway", "cell"))).to_numpy()
    by_pathway = np.where(np.any(used & np.isnan(mcf_array), axis=0), np.nan, by_pathway)
    own_mcf, own_mcf_id = _resolve(factors, "MCF", keys, "dimensionless", settings)
    emission_factor = np.where(has_shares, by_pathway, wastewater_ef(bo, own_mcf))
    ch4 = wastewater_ch4(tow, sludge, emission_factor, recovered)
    links = []
    for position in range(len(keys)):
        link = [("Bo", bo_id[position])]
        if from_population[position]:
            link += [("BOD", bod_id[position]), ("I", i_id[position])]
        if has_shares[position]:
            for pathway, (share_id, mcf_id) in zip(PATHWAYS, pathway_ids):
                if share_id[position]:
                    link += [(f"T:{pathway}", share_id[position]), (f"MCF:{pathway}", mcf_id[position])]
        else:
            link.append(("MCF", own_mcf_id[position]))
        links.append(tuple(link))
    flags = []
    share_sum = np.nansum(shares_array, axis=0)
    for position in np.flatnonzero(has_shares & (np.abs(share_sum - 1.0) > 0.01)):
        row = keys.iloc[position]
        flags.append(flag_table([_flag(row["region"], row["year"], row["category"], row["item"], "CH4",
                                       "pathway_shares", "warning",
                                       f"the pathway shares T add up to {share_sum[position]:.3f}, not 1")]))
    base = keys.assign(activity_value=tow, activity_unit="t", energy_tj=np.nan)
    ch4_frame = base.assign(gas="CH4", emissions_t=ch4, links=as_links(links),
                            method="(TOW − S) × Bo × Σ T·MCF − R (IPCC 2006 Vol.5 Eq. 6.1–6.3)")
    flags.append(missing_factor_flags(ch4_frame[ch4_frame["emissions_t"].isna()], "CH4", "error"))
    # N2O from protein (Eq. 6.7, 6.8) and from advanced centralised plants (Eq. 6.9)
    n2o_roles = ("protein", "F_NPR", "F_NON_CON", "F_IND_COM", "EF_effluent")
    n2o = {role: _resolve(factors, role, keys, "kg/kg" if role in ("F_NPR", "EF_effluent") else
                          ("kg/person/yr" if role == "protein" else "dimensionless"), settings) for role in n2o_roles}
    nitrogen = effluent_nitrogen(population, *(n2o[role][0] for role in n2o_roles[:4]))
    t_plant, t_plant_id = _resolve(factors, "T_plant", keys, "dimensionless", settings)
    ef_plant, ef_plant_id = _resolve(factors, "EF_plant", keys, "g/person/yr", settings)
    plants = np.where(np.isnan(t_plant), 0.0, plant_n2o(population, t_plant, n2o["F_IND_COM"][0], ef_plant))
    n2o_values = effluent_n2o(nitrogen, n2o["EF_effluent"][0]) + plants
    n2o_links = [tuple((role, n2o[role][1][p]) for role in n2o_roles)
                 + ((("T_plant", t_plant_id[p]), ("EF_plant", ef_plant_id[p])) if t_plant_id[p] else ())
                 for p in range(len(keys))]
    n2o_frame = base.assign(gas="N2O", emissions_t=n2o_values, activity_value=population, activity_unit="person",
                            links=as_links(n2o_links),
                            method="P × Protein × F_NPR × F_NON-CON × F_IND-COM × EF × 44/28 (+ plants) "
                                   "(IPCC 2006 Vol.5 Eq. 6.7–6.9)")
    flags.append(missing_factor_flags(n2o_frame[n2o_frame["emissions_t"].isna()], "N2O", "warning"))
    frames = [f[f["emissions_t"].notna()] for f in (ch4_frame, n2o_frame)]
    return pd.concat(frames, ignore_index=True)[RESULT_COLUMNS], flags


def _industrial(records: pd.DataFrame, factors: FactorDatabase, settings: Settings) -> tuple[pd.DataFrame, list]:
    industrial = records[records["category"].str.startswith("4.D.2")
                         & records["quantity"].isin(["cod", "production"]) & records["value"].notna()]
    if industrial.empty:
        return empty_result(), []
    keys = industrial[KEYS].drop_duplicates().sort_values(KEYS).reset_index(drop=True)
    cod_recorded = _lookup(_by_key(records, "4.D.2", "cod"), keys)
    production = _lookup(_by_key(records, "4.D.2", "production"), keys)
    sludge = _lookup(_by_key(records, "4.D.2", "sludge_removed"), keys, 0.0)
    recovered = _lookup(_by_key(records, "4.D.2", "ch4_recovered"), keys, 0.0)
    located = industrial.assign(at=industrial["file"] + ":" + industrial["line"].astype(str)) \
        .groupby(KEYS)["at"].agg("; ".join)
    keys["records"] = [located.get(tuple(k), "") for k in keys[KEYS].itertuples(index=False)]
    bo, bo_id = _resolve(factors, "Bo", keys, "dimensionless", settings)
    mcf, mcf_id = _resolve(factors, "MCF", keys, "dimensionless", settings)
    w, w_id = _resolve(factors, "W", keys, "m^3/t", settings)
    cod, cod_id = _resolve(factors, "COD", keys, "kg/m^3", settings)
    from_production = np.isnan(cod_recorded)
    tow = np.where(from_production, industrial_organics(production, w, cod), cod_recorded)
    ch4 = wastewater_ch4(tow, sludge, wastewater_ef(bo, mcf), recovered)
    links = [(("Bo", bo_id[p]), ("MCF", mcf_id[p]))
             + ((("W", w_id[p]), ("COD", cod_id[p])) if from_production[p] else ()) for p in range(len(keys))]
    frame = keys.assign(gas="CH4", emissions_t=ch4, activity_value=tow, activity_unit="t", energy_tj=np.nan,
                        links=as_links(links), method="(TOW − S) × Bo × MCF − R (IPCC 2006 Vol.5 Eq. 6.4–6.6)")
    flags = [missing_factor_flags(frame[frame["emissions_t"].isna()], "CH4", "warning")]
    return frame[frame["emissions_t"].notna()][RESULT_COLUMNS], flags


#: the quantities each part of the sector reads, by category prefix
USED = {"4.A": ("landfilled", "ch4_recovered"), "4.B": ("treated", "ch4_recovered"), "4.C": ("incinerated",),
        "4.D.1": ("population", "bod", "sludge_removed", "ch4_recovered"),
        "4.D.2": ("cod", "production", "sludge_removed", "ch4_recovered")}


def _unused(records: pd.DataFrame) -> pd.DataFrame:
    """A warning for every record of the sector's categories that no method reads (a quantity such as
    ``biologically_treated`` or ``cod_removed``): it is kept and shown, but estimates nothing."""
    used = pd.Series(False, index=records.index)
    for prefix, quantities in USED.items():
        used |= records["category"].str.startswith(prefix) & records["quantity"].isin(quantities)
    rows = []
    for r in records[~used & records["value"].notna() & records["category"].str.startswith("4.")].to_dict("records"):
        read = next((q for prefix, q in USED.items() if r["category"].startswith(prefix)), ())
        rows.append(_flag(r["region"], r["year"], r["category"], r["item"], "", "unused_record", "warning",
                          f"{r['file']}:{r['line']}: quantity {r['quantity']} of {r['item']} under {r['category']} "
                          f"is not read by the waste methods (they read {', '.join(read)})"))
    return flag_table(rows)


def _negative(emissions: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Emissions below zero (methane recovered above what was generated) set to 0, each with an
    error flag that gives the value the equation returned."""
    negative = emissions["emissions_t"] < 0
    rows = [_flag(r["region"], r["year"], r["category"], r["item"], r["gas"], "recovery", "error",
                  f"more {r['gas']} recovered than generated: the equation gives {r['emissions_t']:.3f} t, "
                  f"reported as 0 (check the recovered amount)") for r in emissions[negative].to_dict("records")]
    return emissions.assign(emissions_t=emissions["emissions_t"].where(~negative, 0.0)), flag_table(rows)


def compute_waste(records: pd.DataFrame, factors: FactorDatabase, settings: Settings | None = None) -> SectorResult:
    """The waste sector of any set of records (one region's history or a whole province at once).

    Parameters
    ----------
    records : DataFrame
        Validated activity records: for solid waste disposal every year of the deposit history.
    factors : FactorDatabase
    settings : Settings
        ``factor_sets`` preferred; parameters ``landfill_method`` (:data:`LANDFILL_METHODS`),
        ``landfill_backcast`` (:data:`inventory.sectors.waste.landfill.BACKCAST_METHODS`),
        ``landfill_first_year`` and ``landfill_growth_rate`` (defaults :data:`DEFAULTS`).

    Returns
    -------
    SectorResult
        Emissions (4.A–4.D) with links and flags; ``extras["landfill"]``: the deposit and CH4
        series of every site type and waste type, back to the first deposit, with the factors
        resolved for each year and which deposits are estimated.
    """
    settings = settings or Settings()
    for name, allowed in (("landfill_method", LANDFILL_METHODS), ("landfill_backcast", BACKCAST_METHODS)):
        value = settings.get(name, DEFAULTS[name])
        if value not in allowed:
            raise ValueError(f"unknown {name} {value!r}: one of {', '.join(allowed)}")
    annual = annual_records(records)
    annual = annual[annual["period"] == ""]
    if annual.empty:
        return SectorResult(empty_result(), empty_flags(), {"landfill": pd.DataFrame()})
    end_year = int(annual["year"].max())
    landfill, landfill_flags, series = _landfill(annual, factors, settings, end_year)
    parts = [(landfill, landfill_flags), _biological(annual, factors, settings),
             _incineration(annual, factors, settings), _domestic(annual, factors, settings),
             _industrial(annual, factors, settings)]
    emissions = [p[0] for p in parts if len(p[0])]
    emissions = pd.concat(emissions, ignore_index=True)[RESULT_COLUMNS] if emissions else empty_result()
    emissions, negative = _negative(emissions)
    flags = [f for p in parts for f in p[1] if len(f)] + [f for f in (_unused(annual), negative) if len(f)]
    return SectorResult(emissions=emissions, flags=pd.concat(flags, ignore_index=True) if flags else empty_flags(),
                        extras={"landfill": series, "history_flags": pd.concat(landfill_flags, ignore_index=True)})
