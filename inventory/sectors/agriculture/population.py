"""Agriculture — the annual average population of each animal (IPCC 2006 Vol.4 Ch.10 §10.2).

Chinese statistics count animals as the year-end stock (年末存栏) and the animals slaughtered or
marketed in the year (出栏), not as the annual average population the equations of Ch.10 need.
CONTRACTS §4a fixes how the average is derived, per region, year and animal, in this order:

1. a ``population`` record (annual average head) wins;
2. animals living less than a year — those with a ``days_alive`` factor row (market pigs,
   broilers) — and a ``slaughtered`` record: ``days_alive × slaughtered / 365`` (Eq. 10.1);
3. otherwise the mean of this and last year's year-end stocks (``stock_year_end``); without last
   year's stock, this year's alone (flagged).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from inventory.core.factors import FactorDatabase
from inventory.core.method import FLAG_COLUMNS

__all__ = ["DAYS_PER_YEAR", "population_from_days_alive", "population_from_stocks", "derive_population",
           "POPULATION_COLUMNS", "BASIS"]

DAYS_PER_YEAR = 365.0
#: how an average population was obtained (column ``basis``)
BASIS = {
    "population": "年平均数量（填报）/ annual average population as filed",
    "days_alive": "饲养天数 × 出栏量 / 365（IPCC 2006 Vol.4 Eq. 10.1）/ days alive × slaughtered / 365 (Eq. 10.1)",
    "stock_mean": "（本年末存栏 + 上年末存栏）/ 2 / mean of this and last year's year-end stocks",
    "stock_this_year": "本年末存栏（缺上年末存栏）/ this year's year-end stock (last year's missing)",
}
POPULATION_COLUMNS = ["region", "year", "item", "population", "basis", "population_record", "slaughtered",
                      "days_alive", "days_alive_id", "stock_year_end", "stock_previous", "records"]


def population_from_days_alive(days_alive, slaughtered):
    """Annual average population of animals that live less than a year.

    Parameters
    ----------
    days_alive : array_like
        Average days an animal is alive before slaughter [d].
    slaughtered : array_like
        Animals slaughtered or marketed in the year (出栏) [head/yr].

    Returns
    -------
    array_like
        Annual average population [head].

    Notes
    -----
    IPCC 2006 Vol.4 Ch.10 Eq. 10.1: AAP = Days_alive × (NAPA / 365).
    """
    return days_alive * slaughtered / DAYS_PER_YEAR


def population_from_stocks(stock_year_end, stock_previous_year_end):
    """Annual average population of animals kept longer than a year: the mean of the stocks at the
    start and at the end of the year.

    Parameters
    ----------
    stock_year_end : array_like
        Year-end stock of the year (年末存栏) [head].
    stock_previous_year_end : array_like
        Year-end stock of the year before, i.e. the stock at the start of the year [head].

    Returns
    -------
    array_like
        Annual average population [head].

    Notes
    -----
    CONTRACTS §4a; the annual average of IPCC 2006 Vol.4 §10.2 (population at the start and the end
    of the year when no finer count exists).
    """
    return (stock_year_end + stock_previous_year_end) / 2.0


def _quantity(records: pd.DataFrame, quantity: str) -> pd.DataFrame:
    """Per region, year and animal: the value of one quantity and where its record is. An animal filed
    under several 3.A categories (3.A and 3.A.1, say) is read from the highest one."""
    rows = records[records["quantity"] == quantity].sort_values(["region", "year", "item", "category"])
    rows = rows.assign(where=rows["file"] + ":" + rows["line"].astype(str))
    first = rows.drop_duplicates(["region", "year", "item"])
    return first.set_index(["region", "year", "item"])[["value", "where", "category"]]


def derive_population(records: pd.DataFrame, factors: FactorDatabase,
                      factor_sets: tuple[str, ...] | list[str] = ()) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The annual average population of every animal of every region-year with a population,
    year-end stock or slaughter record (module docstring), and the QA flags of the derivation.

    Parameters
    ----------
    records : DataFrame
        Validated annual animal records (categories 3.A*, quantities ``population``,
        ``stock_year_end``, ``slaughtered``), including the year before for the stock mean.
    factors : FactorDatabase
        For ``days_alive`` [d] (category 3.A, the animal).

    Returns
    -------
    (DataFrame, DataFrame)
        :data:`POPULATION_COLUMNS` (``population`` NaN where nothing applies: flagged), and flags.
    """
    animals = records[records["value"].notna()]
    population = _quantity(animals, "population")
    slaughtered = _quantity(animals, "slaughtered")
    stock = _quantity(animals, "stock_year_end")
    keys = population.index.union(slaughtered.index).union(stock.index)
    if not len(keys):
        return pd.DataFrame(columns=POPULATION_COLUMNS), pd.DataFrame(columns=FLAG_COLUMNS)
    table = keys.to_frame(index=False)
    table["year"] = table["year"].astype(int)
    index = pd.MultiIndex.from_frame(table)
    table["population_record"] = population["value"].reindex(index).to_numpy()
    table["slaughtered"] = slaughtered["value"].reindex(index).to_numpy()
    table["stock_year_end"] = stock["value"].reindex(index).to_numpy()
    previous = pd.MultiIndex.from_arrays([table["region"], table["year"] - 1, table["item"]])
    table["stock_previous"] = stock["value"].reindex(previous).to_numpy()
    cells = pd.DataFrame({"region": table["region"], "year": table["year"], "category": "3.A", "item": table["item"]})
    days = factors.resolve_to("days_alive", cells, "d", factor_sets=list(factor_sets))
    table["days_alive"] = days["value"].to_numpy(dtype=float)
    table["days_alive_id"] = days["factor_id"].to_numpy(dtype=object)

    filed = table["population_record"].notna()
    short_lived = ~filed & table["days_alive"].notna() & table["slaughtered"].notna()
    mean = ~filed & ~short_lived & table["stock_year_end"].notna() & table["stock_previous"].notna()
    this_year = ~filed & ~short_lived & ~mean & table["stock_year_end"].notna()
    table["population"] = np.select(
        [filed, short_lived, mean, this_year],
        [table["population_record"],
         population_from_days_alive(table["days_alive"], table["slaughtered"]),
         population_from_stocks(table["stock_year_end"], table["stock_previous"]),
         table["stock_year_end"]], default=np.nan)
    table["basis"] = np.select([filed, short_lived, mean, this_year],
                               ["population", "days_alive", "stock_mean", "stock_this_year"], default="")
    used = {"population": (population, index), "days_alive": (slaughtered, index), "stock_mean": (stock, index),
            "stock_this_year": (stock, index)}
    where = []
    for position, basis in enumerate(table["basis"]):
        key = index[position]
        parts = []
        if basis in used:
            source = used[basis][0]
            parts.append(source.at[key, "where"])
            if basis == "stock_mean":
                parts.append(stock.at[previous[position], "where"])
        where.append("; ".join(parts))
    table["records"] = where
    return table[POPULATION_COLUMNS], _flags(table)


def _flags(table: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for row in table.to_dict("records"):
        base = {"region": row["region"], "year": int(row["year"]), "category": "3.A", "item": row["item"], "gas": ""}
        if row["basis"] == "stock_this_year":
            rows.append({**base, "check": "population_derivation", "severity": "warning",
                         "message": f"缺 {int(row['year']) - 1} 年末存栏，以本年末存栏代替年平均数量 / no year-end "
                                    f"stock of {int(row['year']) - 1}: this year's stock stands for the annual "
                                    "average"})
        elif row["basis"] == "":
            rows.append({**base, "check": "population_derivation", "severity": "error",
                         "message": "无法得出年平均数量：有出栏量而无饲养天数（days_alive）因子，也无年末存栏 / no "
                                    "annual average: slaughter without a days_alive factor row, and no year-end "
                                    "stock: not estimated (NE)"})
    return pd.DataFrame(rows, columns=FLAG_COLUMNS)
