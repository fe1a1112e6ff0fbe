"""inventory.core.factors: the factor database, its precedence rules and local-row validation (CONTRACTS §4)."""

import pandas as pd
import pytest

from inventory.core.errors import InputError
from inventory.core.factors import load_factors

HEADER = "parameter,category,item,gas,value,unit,region,year_from,year_to,source"


def cells(*rows: tuple) -> pd.DataFrame:
    """Cells to resolve: (region, year, category, item) tuples."""
    return pd.DataFrame(list(rows), columns=["region", "year", "category", "item"])


def local(data_folder, *rows: str, header: str = HEADER):
    """A factor database with ``rows`` (line 2, 3, ...) in ``factors/local.csv``."""
    return load_factors(data_folder(factors={"local.csv": [header, *rows]}))


def picked(database, parameter, wanted, gas="", factor_sets=None) -> list[str]:
    return list(database.resolve(parameter, wanted, gas=gas, factor_sets=factor_sets)["factor_id"])


# ---- precedence -------------------------------------------------------------------------------------


def test_local_row_beats_shipped_default(data_folder, shipped_factors):
    wanted = cells(("430522", 2020, "1.A.2", "diesel"))
    shipped_id = picked(shipped_factors, "ncv", wanted)[0]
    assert shipped_id.startswith("fuels-")  # a shipped row applies without local rows
    database = local(data_folder, "ncv,*,diesel,,41.9,GJ/t,*,,,county fuel survey")
    resolved = database.resolve("ncv", wanted)
    assert list(resolved["factor_id"]) == ["factors/local.csv:2"]
    assert list(resolved["factor_value"]) == [41.9]
    assert list(resolved["factor_unit"]) == ["GJ/t"]


def test_local_star_row_beats_more_specific_shipped_row(data_folder):
    # shipped carbon_content rows are for category 1.A; a local '*' row still wins: local first
    database = local(data_folder, "carbon_content,*,diesel,,20.5,t/TJ,*,,,local lab")
    assert picked(database, "carbon_content", cells(("430522", 2020, "1.A.2", "diesel"))) == ["factors/local.csv:2"]


def test_exact_region_beats_parent_beats_star(data_folder):
    database = local(
        data_folder,
        "ncv,*,raw_coal,,20.0,GJ/t,*,,,province",  # line 2
        "ncv,*,raw_coal,,21.0,GJ/t,430500,,,city survey",  # line 3
        "ncv,*,raw_coal,,22.0,GJ/t,430582,,,county survey",  # line 4
    )
    wanted = cells(
        ("430582", 2020, "1.A.2", "raw_coal"),  # exact region
        ("430582-P01", 2020, "1.A.2", "raw_coal"),  # park: its county is the nearest parent
        ("430522", 2020, "1.A.2", "raw_coal"),  # another county: the city row
        ("430500", 2020, "1.A.2", "raw_coal"),  # the city itself
        ("430000", 2020, "1.A.2", "raw_coal"),  # the province is above the city: only '*'
    )
    assert picked(database, "ncv", wanted) == [
        "factors/local.csv:4", "factors/local.csv:4", "factors/local.csv:3", "factors/local.csv:3",
        "factors/local.csv:2",
    ]


def test_retired_code_sees_its_parents_rows(data_folder):
    database = local(data_folder, "ncv,*,raw_coal,,21.0,GJ/t,430500,,,city survey")
    assert picked(database, "ncv", cells(("430521", 2017, "1.A.2", "raw_coal"))) == ["factors/local.csv:2"]


def test_exact_category_beats_parent_beats_star(data_folder):
    database = local(
        data_folder,
        "oxidation,*,diesel,,0.95,,*,,,all",  # line 2
        "oxidation,1.A,diesel,,0.96,,*,,,combustion",  # line 3
        "oxidation,1.A.2,diesel,,0.97,,*,,,industry",  # line 4
        "oxidation,1.A.2.a,diesel,,0.98,,*,,,iron and steel",  # line 5
    )
    wanted = cells(
        ("430522", 2020, "1.A.2.a", "diesel"),  # exact
        ("430522", 2020, "1.A.2.b", "diesel"),  # parent 1.A.2
        ("430522", 2020, "1.A.3.b", "diesel"),  # grandparent 1.A
        ("430522", 2020, "EB", "diesel"),  # outside 1.A: '*'
    )
    assert picked(database, "oxidation", wanted) == [
        "factors/local.csv:5", "factors/local.csv:4", "factors/local.csv:3", "factors/local.csv:2",
    ]


def test_region_rule_comes_before_category_rule(data_folder):
    # module docstring order: region (rule 2) is decided before category (rule 3)
    database = local(
        data_folder,
        "oxidation,1.A.2,diesel,,0.97,,*,,,industry everywhere",  # line 2
        "oxidation,*,diesel,,0.95,,430522,,,county: any category",  # line 3
    )
    assert picked(database, "oxidation", cells(("430522", 2020, "1.A.2", "diesel"))) == ["factors/local.csv:3"]


def test_exact_item_beats_star(data_folder):
    database = local(
        data_folder,
        "oxidation,*,*,,0.9,,*,,,any fuel",  # line 2
        "oxidation,*,diesel,,98,%,*,,,diesel",  # line 3
    )
    resolved = database.resolve("oxidation", cells(("430522", 2020, "1.A.2", "diesel"),
                                                   ("430522", 2020, "1.A.2", "coke")))
    assert list(resolved["factor_id"]) == ["factors/local.csv:3", "factors/local.csv:2"]


def test_year_varying_rows(data_folder, shipped_factors):
    database = local(
        data_folder,
        "ncv,*,diesel,,42.0,GJ/t,*,,2019,survey 2015",  # line 2
        "ncv,*,diesel,,43.0,GJ/t,*,2020,,survey 2020",  # line 3
        "ncv,*,coke,,28.0,GJ/t,*,2020,,survey 2020",  # line 4: only from 2020
    )
    wanted = cells(
        ("430522", 2019, "1.A.2", "diesel"),
        ("430522", 2020, "1.A.2", "diesel"),
        ("430522", 2021, "1.A.2", "coke"),
        ("430522", 2019, "1.A.2", "coke"),
    )
    ids = picked(database, "ncv", wanted)
    assert ids[:3] == ["factors/local.csv:2", "factors/local.csv:3", "factors/local.csv:4"]
    # in 2019 the 2020– row does not apply: the shipped default does
    assert ids[3] == picked(shipped_factors, "ncv", wanted.iloc[[3]])[0]
    assert not ids[3].startswith("factors/")


def test_factor_set_preference_and_verified_default(shipped_factors):
    coke = cells(("430522", 2020, "1.A.2", "coke"))
    # shipped coke NCV: IPCC 2006 Vol.2 Table 1.2 28.2 GJ/t (verified) and GB/T 2589-2020 28 435 kJ/kg
    default = shipped_factors.resolve("ncv", coke)
    assert list(default["factor_value"]) == [28.2]
    assert shipped_factors.rows_by_id(default["factor_id"])["confidence"].tolist() == ["verified"]
    chinese = shipped_factors.resolve("ncv", coke, factor_sets=["cn_guideline", "ipcc2006"])
    assert list(chinese["factor_value"]) == [28435.0]
    assert list(chinese["factor_unit"]) == ["kJ/kg"]
    assert shipped_factors.rows_by_id(chinese["factor_id"])["factor_set"].tolist() == ["cn_guideline"]
    ipcc = shipped_factors.resolve("ncv", coke, factor_sets=["ipcc2006", "cn_guideline"])
    assert list(ipcc["factor_id"]) == list(default["factor_id"])


def test_gas_is_part_of_the_key(data_folder):
    database = local(
        data_folder,
        "ef,*,diesel,CH4,3,kg/TJ,*,,,test",  # line 2
        "ef,*,diesel,N2O,0.6,kg/TJ,*,,,test",  # line 3
    )
    wanted = cells(("430522", 2020, "1.A.2", "diesel"))
    assert picked(database, "ef", wanted, gas="CH4") == ["factors/local.csv:2"]
    assert picked(database, "ef", wanted, gas="N2O") == ["factors/local.csv:3"]
    assert picked(database, "ef", wanted, gas="CO2") == [""]  # no CO2 ef: the chain applies


def test_resolve_to_converts_units(data_folder):
    database = local(
        data_folder,
        "ncv,*,diesel,,42652,kJ/kg,*,,,GB/T 2589-2020",  # line 2
        "ncv,*,natural_gas,,389.31,GJ/(10^4 m^3),*,,,GB/T 2589-2020",  # line 3
    )
    wanted = cells(("430522", 2020, "1.A.2", "diesel"), ("430522", 2020, "1.A.2", "natural_gas"))
    resolved = database.resolve_to("ncv", wanted, pd.Series(["GJ/t", "GJ/m^3"]))
    # 42 652 kJ/kg × 1e-3 = 42.652 GJ/t; 389.31 GJ/(10^4 m^3) × 1e-4 = 0.038931 GJ/m^3
    assert resolved["value"].tolist() == pytest.approx([42.652, 0.038931], rel=1e-12)
    assert resolved["factor_id"].tolist() == ["factors/local.csv:2", "factors/local.csv:3"]


def test_resolve_to_a_unit_that_does_not_fit_names_the_row(data_folder):
    database = local(data_folder, "ncv,*,*,,40,GJ/t,*,,,any fuel by mass")
    wanted = cells(("430522", 2020, "1.A.2", "natural_gas"))
    with pytest.raises(InputError) as info:
        database.resolve_to("ncv", wanted, "GJ/m^3")
    assert [(i.file, i.line, i.column) for i in info.value.issues] == [("factors/local.csv", 2, "unit")]


def test_local_defaults_for_id_and_confidence(data_folder):
    database = local(data_folder, "ncv,*,diesel,,41.9,GJ/t,430522,2020,2022,county fuel survey")
    row = database.rows[database.rows["origin"] == "local"].iloc[0]
    assert (row["id"], row["confidence"], row["year_from"], row["year_to"]) == (
        "factors/local.csv:2", "local", 2020, 2022)


# ---- bad local rows ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        ("ncv,*,diesel,,41.9,GJ/t,*,,,", "source", "source is required"),
        ("ncv,*,diesel,,四十二,GJ/t,*,,,survey", "value", "not a number"),
        ("ncv,*,diesel,,-1,GJ/t,*,,,survey", "value", "impossible: it must be > 0"),
        ("ncv,*,diesel,,41.9,GJ/m^3,*,,,survey", "unit", "ncv"),  # diesel is weighed, not measured by volume
        ("ncv,*,natural_gas,,38.9,GJ/t,*,,,survey", "unit", "ncv"),
        ("carbon_content,*,diesel,,20.2,GJ/t,*,,,survey", "unit", "carbon_content"),
        ("oxidation,*,diesel,,0.98,t,*,,,survey", "unit", "oxidation"),
        ("grid_ef,*,electricity,CO2,0.58,t/t,*,,,survey", "unit", "grid_ef"),
        ("ef,*,diesel,CH4,3,kg/ha,*,,,survey", "unit", "ef"),
        ("nvc,*,diesel,,41.9,GJ/t,*,,,survey", "parameter", "unknown parameter"),
        ("ncv,*,diesel,,41.9,GJ/tonne-ish,*,,,survey", "unit", "unknown unit"),
        ("ncv,9.Z,diesel,,41.9,GJ/t,*,,,survey", "category", "9.Z"),
        ("ncv,*,unobtainium,,41.9,GJ/t,*,,,survey", "item", "unobtainium"),
        ("ncv,*,diesel,,41.9,GJ/t,999999,,,survey", "region", "999999"),
        ("ef,*,diesel,,3,kg/TJ,*,,,survey", "gas", "needs a gas"),
        ("ncv,*,diesel,CO2,41.9,GJ/t,*,,,survey", "gas", "takes no gas"),
        ("ncv,*,diesel,,41.9,GJ/t,*,20x0,,survey", "year_from", "four-digit"),
        ("ncv,*,diesel,,41.9,GJ/t,*,2022,2020,survey", "year_to", "before"),
    ],
)
def test_bad_local_row_raises_with_file_line_and_column(data_folder, row, column, words):
    good = "ncv,*,coke,,28.2,GJ/t,*,,,survey"
    with pytest.raises(InputError) as info:
        local(data_folder, good, row)
    assert [(i.file, i.line, i.column) for i in info.value.issues] == [("factors/local.csv", 3, column)]
    assert words in info.value.issues[0].message


def test_overlapping_year_ranges_raise(data_folder):
    with pytest.raises(InputError) as info:
        local(
            data_folder,
            "ncv,*,diesel,,42.0,GJ/t,*,2015,2020,survey 2015",  # line 2
            "ncv,*,diesel,,43.0,GJ/t,*,2020,,survey 2020",  # line 3: 2020 is in both
        )
    assert [(i.file, i.line, i.column) for i in info.value.issues] == [("factors/local.csv", 3, "year_from")]
    assert "factors/local.csv:2" in info.value.issues[0].message


def test_adjacent_year_ranges_and_other_regions_do_not_overlap(data_folder):
    database = local(
        data_folder,
        "ncv,*,diesel,,42.0,GJ/t,*,2015,2019,survey 2015",
        "ncv,*,diesel,,43.0,GJ/t,*,2020,,survey 2020",
        "ncv,*,diesel,,44.0,GJ/t,430522,2015,,county survey",
    )
    assert (database.rows["origin"] == "local").sum() == 3


def test_missing_required_column_raises(data_folder):
    with pytest.raises(InputError, match="source") as info:
        local(data_folder, "ncv,*,diesel,,41.9,GJ/t,*", header="parameter,category,item,gas,value,unit,region")
    assert [(i.file, i.line) for i in info.value.issues] == [("factors/local.csv", 1)]


def test_all_bad_rows_of_a_file_are_reported_together(data_folder):
    with pytest.raises(InputError) as info:
        local(
            data_folder,
            "ncv,*,diesel,,41.9,GJ/t,*,,,",  # line 2: no source
            "ncv,*,coke,,abc,GJ/t,*,,,survey",  # line 3: value
            "oxidation,*,coke,,0.9,GJ/t,*,,,survey",  # line 4: unit
        )
    assert [(i.line, i.column) for i in info.value.issues] == [(2, "source"), (3, "value"), (4, "unit")]


@pytest.mark.parametrize(
    "before",
    [
        ["ncv,*,diesel,,41.9,GJ/t,*,,,survey", ""],  # a blank line 3
        ['ncv,*,diesel,,41.9,GJ/t,*,,,"survey', 'of 2020"'],  # a source over lines 2–3
    ],
    ids=["blank-line", "multiline-field"],
)
def test_bad_row_after_blank_or_multiline_is_reported_on_its_own_line(data_folder, before):
    with pytest.raises(InputError) as info:
        local(data_folder, *before, "ncv,*,coke,,abc,GJ/t,*,,,survey")  # line 4
    assert [(i.line, i.column) for i in info.value.issues] == [(4, "value")]


@pytest.mark.parametrize(
    "row",
    [
        "ef,*,*,CO2,5,GJ/t,*,,,survey",  # energy per mass is no emission factor
        "ef,1.A.2,*,CH4,5,m,*,,,survey",  # a length
        "ncv,*,*,,20,t/TJ,*,,,survey",  # mass per energy is no calorific value
    ],
)
def test_star_item_row_with_a_unit_of_the_wrong_dimension_raises(data_folder, row):
    with pytest.raises(InputError) as info:
        local(data_folder, row)
    assert [(i.line, i.column) for i in info.value.issues] == [(2, "unit")]


def test_open_default_with_a_dated_local_row_the_dated_row_wins_in_its_years(data_folder):
    # "default 41.0, from 2020 on 43.0": a dated row next to an open one is allowed (rule 5)
    database = local(
        data_folder,
        "ncv,*,diesel,,41.0,GJ/t,*,,,county default",  # line 2
        "ncv,*,diesel,,43.0,GJ/t,*,2020,,county survey 2020",  # line 3
    )
    wanted = cells(("430522", 2019, "1.A.2", "diesel"), ("430522", 2020, "1.A.2", "diesel"))
    assert picked(database, "ncv", wanted) == ["factors/local.csv:2", "factors/local.csv:3"]


def test_two_open_local_rows_for_one_key_raise(data_folder):
    with pytest.raises(InputError) as info:
        local(data_folder, "ncv,*,diesel,,41.0,GJ/t,*,,,a", "ncv,*,diesel,,43.0,GJ/t,*,,,b")
    assert [(i.line, i.column) for i in info.value.issues] == [(3, "year_from")]
