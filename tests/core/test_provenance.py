"""inventory.core.provenance and inventory.core.schema: links as data, joins on them, the output contract."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from inventory.core.activity import read_activity
from inventory.core.factors import load_factors
from inventory.core.provenance import (
    as_links,
    factors_used,
    format_links,
    links_table,
    merge_links,
    weakest,
    weakest_confidence,
)
from inventory.core.schema import EmissionsContractError, add_co2e, ensure_emissions
from inventory.core.vocabulary import load_vocabulary
from inventory.sectors import get
from inventory.sectors.contract import Settings
from inventory.sectors.results import compute_sector

CHAIN = (("ncv", "a"), ("carbon_content", "b"), ("oxidation", "c"))


def test_links_format_as_the_provenance_text():
    assert format_links(CHAIN) == "ncv=a; carbon_content=b; oxidation=c"
    assert format_links((("ncv", "a"), ("ef", ""))) == "ncv=a; ef="
    # two computations added into one row: each one's links, | between
    merged = merge_links([(("ncv", "a"), ("carbon_content", "b")), (("ncv", "c"), ("carbon_content", "d")),
                          (("ncv", "a"), ("carbon_content", "b"))])
    assert merged == (("ncv", "a"), ("carbon_content", "b"), ("ncv", "c"), ("carbon_content", "d"))
    assert format_links(merged) == "ncv=a; carbon_content=b | ncv=c; carbon_content=d"


def test_links_are_a_one_dimensional_column():
    column = as_links([CHAIN, (("ef", "x"),)])
    assert column.shape == (2,) and column[0] == CHAIN
    table = links_table(pd.DataFrame({"links": column}, index=[10, 11]))
    assert table.values.tolist() == [[10, "ncv", "a"], [10, "carbon_content", "b"], [10, "oxidation", "c"],
                                     [11, "ef", "x"]]


def test_weakest_confidence_is_the_least_reliable_link():
    confidence = {"a": "verified", "b": "secondary", "c": "local", "x": "memory"}
    assert weakest(CHAIN, confidence) == "secondary"
    assert weakest((("ncv", "a"), ("oxidation", "c")), confidence) == "local"
    assert weakest((("ncv", "a"), ("ef", "")), confidence) == "missing"
    rows = pd.DataFrame({"id": list(confidence), "confidence": list(confidence.values())})
    assert list(weakest_confidence(pd.Series([CHAIN, (("ef", "x"),)]), rows)) == ["secondary", "memory"]


def test_feedstock_of_one_fuel_in_two_categories_lists_all_four_factor_rows(data_folder):
    """The defect this issue fixed: natural gas non_energy_use filed under 1.A.1.a with local ncv and
    carbon_content rows and under 1.A.2 with the shipped ones; the memo adds them into one M.NEU row,
    and the factor table listed only two of its four rows (the text was split on '; ')."""
    header = "region,year,category,item,quantity,value,unit,source"
    folder = data_folder(activity={"gas.csv": [
        header,
        "430523,2021,1.A.1.a,natural_gas,non_energy_use,100,万立方米,test",
        "430523,2021,1.A.2,natural_gas,non_energy_use,50,万立方米,test",
    ]}, factors={"local.csv": [
        "parameter,category,item,gas,value,unit,region,year_from,year_to,source",
        "ncv,1.A.1.a,natural_gas,,38.0,MJ/m^3,430523,,,plant gas analysis",
        "carbon_content,1.A.1.a,natural_gas,,15.0,t/TJ,430523,,,plant gas analysis",
    ]})
    factors = load_factors(folder)
    records = read_activity(folder).records
    emissions = compute_sector(get("energy"), records, factors, Settings()).emissions
    memo = emissions[emissions["category"] == "M.NEU"]
    assert len(memo) == 1
    used = factors_used(memo, factors.rows)
    assert len(used) == 4
    assert {"factors/local.csv:2", "factors/local.csv:3"} <= set(used["id"])
    assert set(used["parameter"]) == {"ncv", "carbon_content"}
    assert " | " in format_links(memo.iloc[0]["links"])
    # 1e6 m^3 × 38 MJ/m^3 = 38 TJ × 15 tC/TJ, plus 5e5 m^3 with the shipped rows
    local_part = 1e6 * 38.0 / 1e6 * 15.0 * 44 / 12
    assert memo.iloc[0]["emissions_t"] > local_part


# ---- the output contract --------------------------------------------------------------------------

def _table(**changes) -> pd.DataFrame:
    row = {"region": "430523", "year": 2021, "category": "1.A.2", "item": "raw_coal", "gas": "CH4",
           "emissions_t": 2.0, "links": (("ef", "x"),)}
    row.update(changes)
    return add_co2e(pd.DataFrame([row]), "AR5")


CATEGORIES = load_vocabulary().categories.index


def test_a_valid_table_passes():
    table = _table()
    assert table["co2e_t"].iloc[0] == pytest.approx(2.0 * 28)
    assert ensure_emissions(table, "AR5", CATEGORIES, ["x"]) is table


@pytest.mark.parametrize(("table", "words"), [
    (_table(category="9.Z"), "unknown category '9.Z'"),
    (_table(category="EB"), "neither an IPCC category nor a memo item"),
    (_table().assign(gas="XYZ"), "gas 'XYZ' has no GWP"),
    (_table(links=(("ef", "nowhere"),)), "factor rows that do not exist: nowhere"),
    (_table(emissions_t=-1.0), "negative emissions where no removal is possible"),
    (_table().assign(co2e_t=1.0), "co2e_t is not emissions_t × 28"),
    (_table().drop(columns="co2e_t"), "missing column(s): co2e_t"),
])
def test_each_broken_rule_is_named(table, words):
    with pytest.raises(EmissionsContractError) as info:
        ensure_emissions(table, "AR5", CATEGORIES, ["x"])
    assert words in str(info.value)


def test_negative_values_where_the_sector_allows_them():
    table = _table(category="M.ELEC", gas="CO2", emissions_t=-5.0)
    assert ensure_emissions(table, "AR5", CATEGORIES, ["x"], negative_allowed=("M.ELEC",)) is table
    with pytest.raises(EmissionsContractError):
        ensure_emissions(table, "AR5", CATEGORIES, ["x"], negative_allowed=("3.B",))
    assert np.isclose(table["co2e_t"].iloc[0], -5.0)
