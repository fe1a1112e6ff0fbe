"""The agriculture sector's compute function: livestock (3.A.1, 3.A.2), the indirect N2O of
managed manure (3.C.6), rice (3.C.7), managed soils (3.C.4, 3.C.5), urea (3.C.3) and liming
(3.C.2) of any set of region-years in one pass.

How a method is chosen, per cell and gas: an ``ef`` row (per head, per hectare) is the whole method
(CONTRACTS §4) when it is a local row, when the IPCC chain lacks a parameter, or when its factor set
ranks at least as high in the method's preference as the chain's defining row (``EFc`` for rice,
``Nex`` / ``Nrate`` for manure N2O); otherwise the chain of the equations in :mod:`.livestock`,
:mod:`.rice` and :mod:`.soils`. Enteric CH4 takes the Tier 2 factor (Eq. 10.21) where ``GE`` and
``Ym`` rows apply and no local ``ef`` does. Every row carries its links; a gas not estimated for
want of a factor is flagged (NE), never a silent zero.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from inventory.core.activity import annual_records
from inventory.core.factors import FactorDatabase, item_subtypes
from inventory.core.method import FLAG_COLUMNS, KEYS, cells, empty_flags
from inventory.core.provenance import as_links
from inventory.core.schema import RESULT_COLUMNS, empty_result
from inventory.sectors.agriculture import livestock, rice, soils
from inventory.sectors.agriculture.population import derive_population
from inventory.sectors.contract import SectorResult, Settings

__all__ = ["compute_agriculture", "ENTERIC_CATEGORY", "MANURE_CATEGORY", "MANURE_SYSTEMS", "UNMANAGED",
           "AMENDMENTS", "N_INPUTS", "PASTURE_INPUTS", "VOLATILISATION"]

#: where each animal's enteric CH4 is reported (poultry: no enteric CH4 in IPCC 2006, NA)
ENTERIC_CATEGORY = {"dairy_cattle": "3.A.1.a.i", "non_dairy_cattle": "3.A.1.a.ii", "buffalo": "3.A.1.b",
                    "sheep": "3.A.1.c", "goats": "3.A.1.d", "camels": "3.A.1.e", "horses": "3.A.1.f",
                    "mules": "3.A.1.g", "donkeys": "3.A.1.g", "swine": "3.A.1.h"}
#: where each animal's manure CH4 and direct N2O are reported
MANURE_CATEGORY = {**{a: c.replace("3.A.1", "3.A.2") for a, c in ENTERIC_CATEGORY.items()}, "poultry": "3.A.2.i"}
MANURE_SYSTEMS = tuple(s for s, group in item_subtypes().items() if group == "animal")
#: shares of manure N not in manure management: pasture (F_PRP of 3.C.4), burned for fuel (energy)
UNMANAGED = ("pasture", "burned_for_fuel")
AMENDMENTS = tuple(s for s, group in item_subtypes().items() if group == "rice")
#: N inputs of Eq. 11.1 × EF1 (the part on flooded rice × EF1FR)
N_INPUTS = ("synthetic_n", "organic_n", "crop_residue_n", "som_n")
PASTURE_INPUTS = ("prp_n_cpp", "prp_n_so")
#: the volatilisation fraction of each N input (Eq. 11.9); crop residues and SOM are not volatilised
VOLATILISATION = {"synthetic_n": "Frac_GASF", "organic_n": "Frac_GASM", "prp_n_cpp": "Frac_GASM",
                  "prp_n_so": "Frac_GASM"}

ANIMAL_QUANTITIES = ("population", "stock_year_end", "slaughtered")


def compute_agriculture(records: pd.DataFrame, factors: FactorDatabase,
                        settings: Settings | None = None) -> SectorResult:
    """Agriculture emissions of any set of records (module docstring).

    Parameters
    ----------
    records : DataFrame
        Validated activity records (those of 3.A and 3.C are read; the year before a year is needed
        for its stock mean).
    factors : FactorDatabase
    settings : Settings
        ``factor_sets``: preferred factor sets, most preferred first.

    Returns
    -------
    SectorResult
        Emissions [t of each gas] with links; flags; ``extras["population"]`` (the derivation of
        every animal's average population) and ``extras["manure_n"]`` (N by animal and system).
    """
    settings = settings or Settings()
    sets = tuple(settings.factor_sets)
    annual = annual_records(records)
    annual = annual[annual["value"].notna() & (annual["period"] == "")]
    context = _Context(factors, sets)
    animals = annual[annual["category"].str.startswith("3.A") & annual["quantity"].isin(ANIMAL_QUANTITIES)]
    populations, population_flags = derive_population(animals, factors, sets)
    frames, flags = [], [population_flags]
    manure_n = pd.DataFrame()
    known = populations[populations["population"].notna()].reset_index(drop=True)
    if len(known):
        for part in (_enteric(known, context), _manure_ch4(known, context)):
            frames.append(part[0])
            flags.append(part[1])
        direct, indirect, manure_n, manure_flags = _manure_n2o(known, context)
        frames += [direct, indirect]
        flags += manure_flags
    for compute in (_rice, _soils, _carbonates):
        emissions, part_flags = compute(annual, context)
        frames.append(emissions)
        flags.append(part_flags)
    flags.append(_not_read(annual))
    frames = [f for f in frames if len(f)]
    flags = [f for f in flags if len(f)]
    emissions = pd.concat(frames, ignore_index=True)[RESULT_COLUMNS] if frames else empty_result()
    # typed even when empty: an empty object frame would turn every column of a concatenation to object
    emissions = emissions.astype({"year": int, "emissions_t": float, "activity_value": float, "energy_tj": float})
    emissions = emissions[emissions["emissions_t"].notna()].reset_index(drop=True)
    return SectorResult(emissions=emissions,
                        flags=pd.concat(flags, ignore_index=True)[FLAG_COLUMNS] if flags else empty_flags(),
                        extras={"population": populations, "manure_n": manure_n})


class _Context:
    """The factor database, the preferred sets, and the rank of a factor row in them."""

    def __init__(self, factors: FactorDatabase, sets: tuple[str, ...]):
        self.factors = factors
        self.sets = sets
        order = {name: position for position, name in enumerate(sets)}
        rows = factors.rows
        self._rank = dict(zip(rows["id"], [-1 if origin == "local" else order.get(s, len(order))
                                           for origin, s in zip(rows["origin"], rows["factor_set"])]))

    def lookup(self, parameter: str, keys: pd.DataFrame, target: str, gas: str = "",
               alternatives: list[np.ndarray] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The parameter for every row of ``keys`` (``region, year, category, item``) in ``target``
        units, and the factor ids; where no row applies, each of ``alternatives`` (other item keys:
        ``swine`` for ``swine.liquid_slurry``) is tried in turn."""
        if keys.empty:
            return np.empty(0), np.empty(0, dtype=object)
        resolved = self.factors.resolve_to(parameter, keys[KEYS], target, gas=gas, factor_sets=list(self.sets))
        values = resolved["value"].to_numpy(dtype=float).copy()
        ids = resolved["factor_id"].to_numpy(dtype=object).copy()
        for items in alternatives or []:
            missing = ids == ""
            if not missing.any():
                break
            again = self.factors.resolve_to(parameter, keys.loc[missing, KEYS].assign(item=items[missing]), target,
                                            gas=gas, factor_sets=list(self.sets))
            values[missing] = again["value"].to_numpy(dtype=float)
            ids[missing] = again["factor_id"].to_numpy(dtype=object)
        return values, ids

    def rank(self, ids: np.ndarray) -> np.ndarray:
        """Rank of each factor row in the preference (-1 local, larger is weaker; no row: +inf)."""
        return np.array([self._rank.get(i, np.inf) if i else np.inf for i in ids], dtype=float)

    def ef_wins(self, ef_ids: np.ndarray, chain_complete: np.ndarray, chain_ids: np.ndarray) -> np.ndarray:
        """Where the ``ef`` row is the method (module docstring)."""
        found = ef_ids != ""
        ef_rank = self.rank(ef_ids)
        return found & ((ef_rank < 0) | ~chain_complete | (ef_rank <= self.rank(chain_ids)))


def _frame(base: pd.DataFrame, category, gas: str, emissions, method, links, activity, unit) -> pd.DataFrame:
    return pd.DataFrame({"region": base["region"].to_numpy(), "year": base["year"].to_numpy(), "category": category,
                         "item": base["item"].to_numpy(), "gas": gas, "emissions_t": emissions,
                         "activity_value": activity, "activity_unit": unit, "energy_tj": np.nan,
                         "records": base["records"].to_numpy(), "method": method, "links": links},
                        columns=RESULT_COLUMNS)


def _keys(base: pd.DataFrame, category, items=None) -> pd.DataFrame:
    return pd.DataFrame({"region": base["region"].to_numpy(), "year": base["year"].to_numpy(),
                         "category": category, "item": base["item"].to_numpy() if items is None else items})


def _population_links(populations: pd.DataFrame) -> list[tuple]:
    """The days_alive link of an average from Eq. 10.1; none otherwise."""
    return [(("days_alive", i),) if basis == "days_alive" else ()
            for basis, i in zip(populations["basis"], populations["days_alive_id"])]


def _missing(base: pd.DataFrame, category, gas: str, severity: str, message: str) -> pd.DataFrame:
    if base.empty:
        return empty_flags()
    return pd.DataFrame({"region": base["region"].to_numpy(), "year": base["year"].to_numpy().astype(int),
                         "category": category, "item": base["item"].to_numpy(), "gas": gas,
                         "check": "missing_factor", "severity": severity, "message": message}, columns=FLAG_COLUMNS)


def _per_head(populations: pd.DataFrame, context: _Context, categories: dict[str, str]):
    """Per-head CH4 rows of the animals with a category in ``categories``: base, keys, ef, ef ids."""
    base = populations[populations["item"].isin(categories)].reset_index(drop=True)
    keys = _keys(base, base["item"].map(categories).to_numpy())
    ef, ef_ids = context.lookup("ef", keys, "kg/head", gas="CH4")
    return base, keys, ef, ef_ids


def _enteric(populations: pd.DataFrame, context: _Context) -> tuple[pd.DataFrame, pd.DataFrame]:
    """3.A.1: Tier 2 (Eq. 10.21) where GE and Ym apply and no local ef does; else Tier 1 (Eq. 10.19)."""
    base, keys, ef, ef_ids = _per_head(populations, context, ENTERIC_CATEGORY)
    if base.empty:
        return empty_result(), empty_flags()
    gross_energy, ge_ids = context.lookup("GE", keys, "MJ/head/d")
    ym, ym_ids = context.lookup("Ym", keys, "dimensionless")
    tier2 = (ge_ids != "") & (ym_ids != "") & ~(context.rank(ef_ids) < 0)
    factor = np.where(tier2, livestock.enteric_ef_tier2(gross_energy, ym), ef)
    emissions = livestock.enteric_ch4(base["population"].to_numpy(dtype=float), factor)
    before = _population_links(base)
    links = as_links(b + ((("GE", g), ("Ym", y)) if t2 else (("ef", e),))
                     for b, t2, g, y, e in zip(before, tier2, ge_ids, ym_ids, ef_ids))
    method = np.where(tier2, "N × GE × Ym × 365 / 55.65 (IPCC 2006 Vol.4 Eq. 10.19, 10.21, Tier 2)",
                      "N × EF (IPCC 2006 Vol.4 Eq. 10.19, Tier 1)")
    frame = _frame(base, keys["category"].to_numpy(), "CH4", emissions, method, links,
                   base["population"].to_numpy(dtype=float), "head")
    missing = base[np.isnan(emissions)]
    return frame, _missing(missing, keys["category"].to_numpy()[np.isnan(emissions)], "CH4", "error",
                           "没有肠道发酵排放因子 / no enteric ef: CH4 not estimated (NE)")


def _manure_ch4(populations: pd.DataFrame, context: _Context) -> tuple[pd.DataFrame, pd.DataFrame]:
    """3.A.2 CH4: N × EF (Eq. 10.22)."""
    base, keys, ef, ef_ids = _per_head(populations, context, MANURE_CATEGORY)
    if base.empty:
        return empty_result(), empty_flags()
    emissions = livestock.manure_ch4(base["population"].to_numpy(dtype=float), ef)
    links = as_links(b + (("ef", e),) for b, e in zip(_population_links(base), ef_ids))
    frame = _frame(base, keys["category"].to_numpy(), "CH4", emissions, "N × EF (IPCC 2006 Vol.4 Eq. 10.22)", links,
                   base["population"].to_numpy(dtype=float), "head")
    bad = np.isnan(emissions)
    return frame, _missing(base[bad], keys["category"].to_numpy()[bad], "CH4", "error",
                           "没有粪便管理CH4排放因子 / no manure CH4 ef: not estimated (NE)")


@dataclass
class _Manure:
    """Per animal cell (rows) and manure system (columns, :data:`MANURE_SYSTEMS`): the N managed and
    the factor ids behind it, shared by the direct (3.A.2) and indirect (3.C.6) N2O."""

    base: pd.DataFrame
    population: np.ndarray
    nex: np.ndarray
    nex_links: list[tuple]
    nex_defining: np.ndarray
    shares: np.ndarray
    share_ids: np.ndarray
    #: a managed system with a share > 0 (pasture and burned for fuel are not managed)
    managed: np.ndarray
    managed_n: np.ndarray
    #: Nex and at least one managed share: the chain of Eq. 10.25 can run
    possible: np.ndarray
    before: list[tuple]


def _manure_systems(base: pd.DataFrame, context: _Context) -> _Manure:
    """Nex (Eq. 10.30 where no Nex row applies), the shares MS and the N managed in each system."""
    population = base["population"].to_numpy(dtype=float)
    nex, nex_ids = context.lookup("Nex", _keys(base, "3.A.2"), "kg/head/yr")
    n_rate, rate_ids = context.lookup("Nrate", _keys(base, "3.A.2"), "kg/t/d")
    mass, mass_ids = context.lookup("TAM", _keys(base, "3.A.2"), "kg")
    from_rate = (nex_ids == "") & (rate_ids != "") & (mass_ids != "")
    nex = np.where(from_rate, livestock.n_excretion_rate(n_rate, mass), nex)
    nex_links = [(("Nex", n),) if n else ((("Nrate", r), ("TAM", m)) if fr else (("Nex", ""),))
                 for n, r, m, fr in zip(nex_ids, rate_ids, mass_ids, from_rate)]
    shares, share_ids = _per_system(base, context, "MS", "3.A.2", fallbacks=())
    is_managed = np.array([s not in UNMANAGED for s in MANURE_SYSTEMS])
    managed = (share_ids != "") & (np.nan_to_num(shares) > 0) & is_managed
    managed_n = np.where(managed, livestock.managed_manure_n(population[:, None], nex[:, None],
                                                             np.nan_to_num(shares)), 0.0)
    return _Manure(base=base, population=population, nex=nex, nex_links=nex_links,
                   nex_defining=np.where(nex_ids != "", nex_ids, rate_ids), shares=shares, share_ids=share_ids,
                   managed=managed, managed_n=managed_n, possible=~np.isnan(nex) & managed.any(axis=1),
                   before=_population_links(base))


def _per_system(base: pd.DataFrame, context: _Context, parameter: str, category: str,
                fallbacks: tuple[str, ...] = ("system", "animal")) -> tuple[np.ndarray, np.ndarray]:
    """A parameter keyed ``<animal>.<system>`` for every cell × system, else (``fallbacks``, in order)
    keyed by the system alone or by the animal alone: values and factor ids, cells down, systems across."""
    animals = base["item"].to_numpy(dtype=object)
    values, ids = [], []
    for system in MANURE_SYSTEMS:
        combined = np.array([f"{a}.{system}" for a in animals], dtype=object)
        keys = {"system": np.full(len(base), system, dtype=object), "animal": animals}
        alternatives = [keys[name] for name in fallbacks]
        value, found = context.lookup(parameter, _keys(base, category, combined), "dimensionless",
                                      alternatives=alternatives)
        values.append(value)
        ids.append(found)
    return np.column_stack(values), np.column_stack(ids)


def _manure_n2o(populations: pd.DataFrame, context: _Context):
    """3.A.2 direct N2O and 3.C.6 indirect N2O of manure, the N managed by animal and system, flags."""
    base = populations[populations["item"].isin(MANURE_CATEGORY)].reset_index(drop=True)
    if base.empty:
        return empty_result(), empty_result(), pd.DataFrame(), []
    manure = _manure_systems(base, context)
    direct, direct_flags, ef3 = _direct_manure(manure, context)
    indirect, indirect_flags, gas_frac = _indirect_manure(manure, context)
    table = pd.DataFrame(
        [{"region": base["region"].iloc[row], "year": int(base["year"].iloc[row]), "item": base["item"].iloc[row],
          "system": MANURE_SYSTEMS[column], "population": manure.population[row], "nex": manure.nex[row],
          "share": manure.shares[row, column], "managed_n_t": manure.managed_n[row, column],
          "ef3": ef3[row, column], "frac_gas": gas_frac[row, column], "share_id": manure.share_ids[row, column]}
         for row in range(len(base)) for column in np.flatnonzero(manure.share_ids[row] != "")])
    return direct, indirect, table, direct_flags + indirect_flags


def _direct_manure(manure: _Manure, context: _Context) -> tuple[pd.DataFrame, list, np.ndarray]:
    """3.A.2 N2O: the per-head ef (省级指南) or Σ_S N × Nex × MS × EF3 × 44/28 (Eq. 10.25)."""
    base = manure.base
    categories = base["item"].map(MANURE_CATEGORY).to_numpy()
    ef, ef_ids = context.lookup("ef", _keys(base, categories), "kg/head", gas="N2O")
    ef3, ef3_ids = _per_system(base, context, "EF3", "3.A.2", fallbacks=("system",))
    chain = livestock.direct_manure_n2o(manure.managed_n, np.nan_to_num(ef3)).sum(axis=1)
    use_ef = context.ef_wins(ef_ids, manure.possible, manure.nex_defining)
    direct = np.where(use_ef, livestock.manure_n2o_per_head(manure.population, ef),
                      np.where(manure.possible, chain, np.nan))
    links, methods = [], []
    for row in range(len(base)):
        if use_ef[row]:
            links.append(manure.before[row] + (("ef", ef_ids[row]),))
            methods.append("N × EF (省级指南 动物粪便管理N2O; per-head factor)")
            continue
        chain_links = manure.before[row] + manure.nex_links[row]
        for column in np.flatnonzero(manure.managed[row]):
            chain_links += (("MS", manure.share_ids[row, column]), ("EF3", ef3_ids[row, column]))
        links.append(chain_links if manure.possible[row] else manure.before[row] + (("ef", ""),))
        methods.append("Σ_S N × Nex × MS × EF3 × 44/28 (IPCC 2006 Vol.4 Eq. 10.25, 10.30)")
    flags = [_flag(base.iloc[row], categories[row], "N2O", "warning",
                   f"没有 {MANURE_SYSTEMS[column]} 的 EF3：该系统的直接N2O未估算 / no EF3 for "
                   f"{MANURE_SYSTEMS[column]}: its direct N2O not estimated (NE)")
             for row, column in zip(*np.nonzero(manure.managed & (ef3_ids == "") & ~use_ef[:, None]))]
    unestimated = np.isnan(direct)
    flags.append(_missing(base[unestimated], categories[unestimated], "N2O", "warning",
                          "没有粪便管理N2O排放因子，也没有 Nex 和粪便管理方式比例 MS / no per-head N2O ef, nor Nex and "
                          "manure-system shares MS: direct N2O not estimated (NE)"))
    frame = _frame(base, categories, "N2O", direct, np.array(methods, dtype=object), as_links(links),
                   manure.population, "head")
    return frame, flags, ef3


def _indirect_manure(manure: _Manure, context: _Context) -> tuple[pd.DataFrame, list, np.ndarray]:
    """3.C.6 N2O: the managed N volatilised (Eq. 10.26, 10.27) and leached (Eq. 10.28, 10.29)."""
    base = manure.base
    ef4, ef4_ids = context.lookup("EF4", _keys(base, "3.C.6"), "dimensionless")
    ef5, ef5_ids = context.lookup("EF5", _keys(base, "3.C.6"), "dimensionless")
    gas_frac, gas_ids = _per_system(base, context, "Frac_GasMS", "3.C.6")
    leach_frac, leach_ids = _per_system(base, context, "Frac_LeachMS", "3.C.6")
    managed = manure.managed
    volatilised = np.where(managed, soils.volatilised_n(manure.managed_n, np.nan_to_num(gas_frac)), 0.0).sum(axis=1)
    leached = np.where(managed, soils.leached_n(manure.managed_n, np.nan_to_num(leach_frac)), 0.0).sum(axis=1)
    any_gas = (managed & (gas_ids != "")).any(axis=1) & (ef4_ids != "")
    any_leach = (managed & (leach_ids != "")).any(axis=1) & (ef5_ids != "")
    indirect = (np.where(any_gas, soils.n2o_from_deposition(volatilised, ef4), 0.0)
                + np.where(any_leach, soils.n2o_from_leaching(leached, ef5), 0.0))
    indirect = np.where(manure.possible & (any_gas | any_leach), indirect, np.nan)
    links = []
    for row in range(len(base)):
        chain = manure.before[row] + manure.nex_links[row]
        for column in np.flatnonzero(managed[row]):
            chain += (("MS", manure.share_ids[row, column]),)
            chain += (("Frac_GasMS", gas_ids[row, column]),) if gas_ids[row, column] else ()
            chain += (("Frac_LeachMS", leach_ids[row, column]),) if leach_ids[row, column] else ()
        chain += ((("EF4", ef4_ids[row]),) if any_gas[row] else ()) + ((("EF5", ef5_ids[row]),) if any_leach[row]
                                                                      else ())
        links.append(chain if manure.possible[row] else manure.before[row] + (("Nex", ""), ("MS", "")))
    flags = [_flag(base.iloc[row], "3.C.6", "N2O", "warning",
                   f"没有 {base['item'].iloc[row]}.{MANURE_SYSTEMS[column]} 的 Frac_GasMS："
                   f"该系统挥发部分未估算 / no Frac_GasMS for {MANURE_SYSTEMS[column]}: its volatilisation "
                   "not estimated (NE)")
             for row, column in zip(*np.nonzero(managed & (gas_ids == "")))]
    flags.append(_missing(base[manure.possible & ~any_leach], "3.C.6", "N2O", "info",
                          "没有 Frac_LeachMS（IPCC 2006 只给出 1–20% 的范围）：淋溶径流部分未估算 / "
                          "no Frac_LeachMS (IPCC 2006 gives only a range of 1–20 %): the leaching part of 3.C.6 not "
                          "estimated (NE)"))
    flags.append(_missing(base[~manure.possible], "3.C.6", "N2O", "warning",
                          "没有 Nex 或粪便管理方式比例 MS：粪便管理间接N2O未估算 / no Nex or manure-system shares MS: "
                          "indirect N2O of manure not estimated (NE)"))
    frame = _frame(base, "3.C.6", "N2O", indirect,
                   "Σ_S N × Nex × MS × (Frac_GasMS × EF4 + Frac_LeachMS × EF5) × 44/28 (IPCC 2006 Vol.4 Eq. "
                   "10.26–10.29)", as_links(links), manure.population, "head")
    return frame, flags, gas_frac


def _flag(row: pd.Series, category: str, gas: str, severity: str, message: str) -> pd.DataFrame:
    return pd.DataFrame([{"region": row["region"], "year": int(row["year"]), "category": category,
                          "item": row["item"], "gas": gas, "check": "missing_factor", "severity": severity,
                          "message": message}], columns=FLAG_COLUMNS)


def _cell_table(records: pd.DataFrame) -> pd.DataFrame:
    cube = cells(records)
    return cube[KEYS + ["activity", "activity_unit", "records"]].to_dataframe().reset_index(drop=True)


def _rice(annual: pd.DataFrame, context: _Context) -> tuple[pd.DataFrame, pd.DataFrame]:
    """3.C.7: a seasonal ef per hectare, or Eq. 5.1–5.3."""
    area = annual[annual["category"].str.startswith("3.C.7") & (annual["quantity"] == "area")]
    if area.empty:
        return empty_result(), empty_flags()
    base = _cell_table(area)
    keys = _keys(base, base["category"].to_numpy())
    ef, ef_ids = context.lookup("ef", keys, "kg/ha", gas="CH4")
    efc, efc_ids = context.lookup("EFc", keys, "kg/ha/d")
    sfw, sfw_ids = context.lookup("SFw", keys, "dimensionless")
    sfp, sfp_ids = context.lookup("SFp", keys, "dimensionless")
    sfs, sfs_ids = context.lookup("SFs", keys, "dimensionless")
    days, days_ids = context.lookup("season_days", keys, "d")
    rates, conversions, amendment_links = [], [], []
    items = base["item"].to_numpy(dtype=object)
    for amendment in AMENDMENTS:
        combined = np.array([f"{i}.{amendment}" for i in items], dtype=object)
        rate, rate_ids = context.lookup("ROA", _keys(base, keys["category"].to_numpy(), combined), "t/ha")
        conversion, conversion_ids = context.lookup(
            "CFOA", _keys(base, keys["category"].to_numpy(), combined), "dimensionless",
            alternatives=[np.full(len(base), amendment, dtype=object)])
        applied = rate_ids != ""
        rates.append(np.where(applied, rate, 0.0))
        conversions.append(np.where(applied, conversion, 0.0))
        amendment_links.append([(("ROA", r), ("CFOA", c)) if a else () for r, c, a in
                                zip(rate_ids, conversion_ids, applied)])
    given_sfo, sfo_ids = context.lookup("SFo", keys, "dimensionless")
    sfo = np.where(sfo_ids != "", given_sfo, rice.organic_amendment_sf(np.column_stack(rates),
                                                                         np.column_stack(conversions)))
    sfs = np.where(sfs_ids != "", sfs, 1.0)  # SFs = 1 without a row (Vol.4 §5.5: no soil/cultivar data)
    complete = (efc_ids != "") & (sfw_ids != "") & (sfp_ids != "") & (days_ids != "")
    daily = rice.adjusted_daily_ef(efc, sfw, sfp, sfo, sfs)
    chain = rice.rice_ch4(daily, days, base["activity"].to_numpy(dtype=float))
    use_ef = context.ef_wins(ef_ids, complete, efc_ids)
    seasonal = rice.rice_ch4_seasonal(base["activity"].to_numpy(dtype=float), ef)
    emissions = np.where(use_ef, seasonal, np.where(complete, chain, np.nan))
    links, methods = [], []
    for row in range(len(base)):
        if use_ef[row]:
            links.append((("ef", ef_ids[row]),))
            methods.append("A × EF seasonal (省级指南 稻田甲烷)")
            continue
        chain_links = (("EFc", efc_ids[row]), ("SFw", sfw_ids[row]), ("SFp", sfp_ids[row]))
        chain_links += ((("SFs", sfs_ids[row]),) if sfs_ids[row] else ())
        if sfo_ids[row]:
            chain_links += (("SFo", sfo_ids[row]),)
        else:
            for links_of_amendment in amendment_links:
                chain_links += links_of_amendment[row]
        links.append(chain_links + (("season_days", days_ids[row]),))
        methods.append("A × t × EFc × SFw × SFp × SFo × SFs (IPCC 2006 Vol.4 Eq. 5.1–5.3"
                       + ("" if sfs_ids[row] else "; SFs = 1, no row") + ")")
    frame = _frame(base, keys["category"].to_numpy(), "CH4", emissions, np.array(methods, dtype=object),
                   as_links(links), base["activity"].to_numpy(dtype=float), "ha")
    bad = np.isnan(emissions)
    return frame, _missing(base[bad], keys["category"].to_numpy()[bad], "CH4", "error",
                           "没有季节排放因子，也缺 EFc、SFw、SFp 或生长期天数 / no seasonal ef, and EFc, SFw, SFp or "
                           "season_days missing: rice CH4 not estimated (NE)")


def _soils(annual: pd.DataFrame, context: _Context) -> tuple[pd.DataFrame, pd.DataFrame]:
    """3.C.4 direct (Eq. 11.1) and 3.C.5 indirect (Eq. 11.9, 11.10) N2O of the N inputs."""
    inputs = annual[(annual["category"] == "3.C.4") & annual["item"].isin(N_INPUTS + PASTURE_INPUTS)]
    applied = inputs[inputs["quantity"] == "amount"]
    if applied.empty:
        return empty_result(), empty_flags()
    base = _cell_table(applied)
    rice_part = inputs[inputs["quantity"] == "amount_flooded_rice"].set_index(["region", "year", "item"])["value"]
    flooded = rice_part.reindex(pd.MultiIndex.from_frame(base[["region", "year", "item"]])).fillna(0.0).to_numpy()
    amount = base["activity"].to_numpy(dtype=float)
    flags = []
    too_much = flooded > amount * (1 + 1e-9)
    if too_much.any():
        bad = base[too_much]
        flags.append(pd.DataFrame({"region": bad["region"], "year": bad["year"].astype(int), "category": "3.C.4",
                                   "item": bad["item"], "gas": "N2O", "check": "flooded_rice_share",
                                   "severity": "error",
                                   "message": "施于淹水稻田的量大于施用总量 / amount_flooded_rice exceeds amount: "
                                              "direct N2O not estimated"}, columns=FLAG_COLUMNS))
    keys4 = _keys(base, "3.C.4")
    keys5 = _keys(base, "3.C.5")
    pasture = base["item"].isin(PASTURE_INPUTS).to_numpy()
    ef1, ef1_ids = context.lookup("EF1", keys4, "dimensionless")
    ef1fr, ef1fr_ids = context.lookup("EF1FR", keys4, "dimensionless")
    ef3prp, prp_ids = context.lookup("EF3PRP", keys4, "dimensionless")
    ef_direct, ef_direct_ids = context.lookup("ef", keys4, "t/t", gas="N2O")
    uses_rice = flooded > 0
    chain_ok = np.where(pasture, prp_ids != "", (ef1_ids != "") & (~uses_rice | (ef1fr_ids != ""))) & ~too_much
    chain = np.where(pasture, soils.pasture_n2o(amount, ef3prp),
                     soils.direct_soil_n2o(amount, flooded, ef1, np.where(uses_rice, ef1fr, 0.0)))
    defining = np.where(pasture, prp_ids, ef1_ids)
    use_ef = context.ef_wins(ef_direct_ids, chain_ok, defining)
    direct = np.where(use_ef, amount * ef_direct, np.where(chain_ok, chain, np.nan))
    links = [(("ef", e),) if u else ((("EF3PRP", p),) if prp else (("EF1", a),) + ((("EF1FR", b),) if r else ()))
             for u, e, prp, p, a, b, r in zip(use_ef, ef_direct_ids, pasture, prp_ids, ef1_ids, ef1fr_ids, uses_rice)]
    methods = np.where(use_ef, "amount × EF", np.where(
        pasture, "F_PRP × EF3PRP × 44/28 (IPCC 2006 Vol.4 Eq. 11.1)",
        "((F − F_FR) × EF1 + F_FR × EF1FR) × 44/28 (IPCC 2006 Vol.4 Eq. 11.1)"))
    direct_frame = _frame(base, "3.C.4", "N2O", direct, methods, as_links(links), amount, "t")
    bad = np.isnan(direct) & ~too_much
    flags.append(_missing(base[bad], "3.C.4", "N2O", "warning",
                          "没有 EF1/EF1FR/EF3PRP / no EF1, EF1FR or EF3PRP: direct N2O not estimated (NE)"))

    fraction = np.full(len(base), np.nan)
    fraction_ids = np.full(len(base), "", dtype=object)
    items = base["item"].to_numpy(dtype=object)
    for parameter in sorted(set(VOLATILISATION.values())):
        wanted = np.array([VOLATILISATION.get(i) == parameter for i in items])
        if wanted.any():
            value, ids = context.lookup(parameter, keys5[wanted], "dimensionless")
            fraction[wanted] = value
            fraction_ids[wanted] = ids
    leach, leach_ids = context.lookup("Frac_LEACH", keys5, "dimensionless")
    ef4, ef4_ids = context.lookup("EF4", keys5, "dimensionless")
    ef5, ef5_ids = context.lookup("EF5", keys5, "dimensionless")
    ef_indirect, ef_indirect_ids = context.lookup("ef", keys5, "t/t", gas="N2O")
    volatilises = np.array([i in VOLATILISATION for i in items])
    gas_ok = ~volatilises | ((fraction_ids != "") & (ef4_ids != ""))
    leach_ok = (leach_ids != "") & (ef5_ids != "")
    chain_ok = gas_ok & leach_ok
    indirect_chain = (np.where(volatilises, soils.n2o_from_deposition(soils.volatilised_n(amount, fraction), ef4),
                               0.0)
                      + soils.n2o_from_leaching(soils.leached_n(amount, leach), ef5))
    use_ef = context.ef_wins(ef_indirect_ids, chain_ok, leach_ids)
    indirect = np.where(use_ef, amount * ef_indirect, np.where(chain_ok, indirect_chain, np.nan))
    indirect_links = [
        (("ef", e),) if u else (((VOLATILISATION[i], f), ("EF4", a)) if v else ()) + (("Frac_LEACH", lc), ("EF5", b))
        for u, e, i, v, f, a, lc, b in zip(use_ef, ef_indirect_ids, items, volatilises, fraction_ids, ef4_ids,
                                           leach_ids, ef5_ids)]
    methods = np.where(use_ef, "amount × EF", "(F × Frac_GAS × EF4 + F × Frac_LEACH × EF5) × 44/28 "
                                              "(IPCC 2006 Vol.4 Eq. 11.9, 11.10)")
    indirect_frame = _frame(base, "3.C.5", "N2O", indirect, methods, as_links(indirect_links), amount, "t")
    bad = np.isnan(indirect)
    flags.append(_missing(base[bad], "3.C.5", "N2O", "warning",
                          "缺 Frac_GASF/Frac_GASM、Frac_LEACH、EF4 或 EF5 / a volatilisation or leaching factor is "
                          "missing: indirect N2O not estimated (NE)"))
    return pd.concat([direct_frame, indirect_frame], ignore_index=True), pd.concat(flags, ignore_index=True)


def _not_read(annual: pd.DataFrame) -> pd.DataFrame:
    """A warning for every record of the sector's categories that no method reads (an animal filed under
    3.C.6, N filed under 3.C.5, compound fertiliser without an N share …): never dropped silently."""
    category, item, quantity = annual["category"], annual["item"], annual["quantity"]
    read = ((category.str.startswith("3.A") & quantity.isin(ANIMAL_QUANTITIES))
            | (category.str.startswith("3.C.7") & (quantity == "area"))
            | ((category == "3.C.4") & item.isin(N_INPUTS + PASTURE_INPUTS)
               & quantity.isin(["amount", "amount_flooded_rice"]))
            | (category.str.startswith(("3.C.2", "3.C.3")) & item.isin(CARBONATES) & (quantity == "amount")))
    owned = category.str.startswith("3.A") | category.str.match(r"^3\.C\.[2-7](\.|$)")
    unread = annual[owned & ~read]
    if unread.empty:
        return empty_flags()
    return pd.DataFrame({"region": unread["region"], "year": unread["year"].astype(int),
                         "category": unread["category"], "item": unread["item"], "gas": "",
                         "check": "record_not_read", "severity": "warning",
                         "message": [f"{q} of {i} under {c} ({f}:{n}) is read by no method here: N inputs go under "
                                     "3.C.4 (amount, amount_flooded_rice), animals under 3.A / 未被任何方法读取"
                                     for q, i, c, f, n in zip(unread["quantity"], unread["item"], unread["category"],
                                                              unread["file"], unread["line"])]},
                        columns=FLAG_COLUMNS)


#: carbonate inputs: item → (category, parameter, equation)
CARBONATES = {"urea": ("3.C.3", "EF_urea", soils.urea_co2, "M × EF × 44/12 (IPCC 2006 Vol.4 Eq. 11.13)"),
              "limestone": ("3.C.2", "EF_liming", soils.liming_co2, "M × EF × 44/12 (IPCC 2006 Vol.4 Eq. 11.12)"),
              "dolomite": ("3.C.2", "EF_liming", soils.liming_co2, "M × EF × 44/12 (IPCC 2006 Vol.4 Eq. 11.12)")}


def _carbonates(annual: pd.DataFrame, context: _Context) -> tuple[pd.DataFrame, pd.DataFrame]:
    """3.C.3 urea CO2 (Eq. 11.13) and 3.C.2 liming CO2 (Eq. 11.12)."""
    applied = annual[annual["category"].str.startswith(("3.C.2", "3.C.3")) & annual["item"].isin(CARBONATES)
                     & (annual["quantity"] == "amount")]
    if applied.empty:
        return empty_result(), empty_flags()
    base = _cell_table(applied)
    frames, flags = [], []
    for item, (category, parameter, equation, method) in CARBONATES.items():
        part = base[base["item"] == item].reset_index(drop=True)
        if part.empty:
            continue
        keys = _keys(part, category)
        factor, ids = context.lookup(parameter, keys, "dimensionless")
        ef, ef_ids = context.lookup("ef", keys, "t/t", gas="CO2")
        amount = part["activity"].to_numpy(dtype=float)
        use_ef = context.ef_wins(ef_ids, ids != "", ids)
        emissions = np.where(use_ef, amount * ef, equation(amount, factor))
        links = as_links((("ef", e),) if u else ((parameter, i),) for u, e, i in zip(use_ef, ef_ids, ids))
        frames.append(_frame(part, category, "CO2", emissions, np.where(use_ef, "amount × EF", method), links,
                             amount, "t"))
        bad = np.isnan(emissions)
        flags.append(_missing(part[bad], category, "CO2", "error",
                              f"没有 {parameter} / no {parameter}: CO2 not estimated (NE)"))
    return pd.concat(frames, ignore_index=True), pd.concat(flags, ignore_index=True)
