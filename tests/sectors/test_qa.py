"""inventory.sectors.qa: QA/QC checks that return tables of what fails, where and by how much."""

import numpy as np
import pandas as pd
import pytest

from inventory.documents.consistency import check_aggregate
from inventory.sectors.energy.qa import check_implied_factors, implied_emission_factors
from inventory.sectors.qa import FLAG_COLUMNS, check_notation_keys, check_unverified_factors, check_year_on_year

COUNTIES = ["430502", "430503", "430511", "430522", "430523", "430524", "430525", "430527", "430528", "430529",
            "430581", "430582"]


def table(rows: list[tuple], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns)


# ---- year on year --------------------------------------------------------------------------------------

YOY = ["region", "year", "category", "item", "gas", "co2e_t"]


def test_year_on_year_flags_change_above_30_percent_only():
    previous = table([("430522", 2020, "1.A.2", "diesel", "CO2", 1000.0),
                      ("430522", 2020, "1.A.3.b", "diesel", "CO2", 1000.0),
                      ("430522", 2020, "1.A.4.b", "lpg", "CO2", 1000.0)], YOY)
    current = table([("430522", 2021, "1.A.2", "diesel", "CO2", 1310.0),  # +31 %: flagged
                     ("430522", 2021, "1.A.3.b", "diesel", "CO2", 1290.0),  # +29 %: not flagged
                     ("430522", 2021, "1.A.4.b", "lpg", "CO2", 650.0)], YOY)  # −35 %: flagged
    flags = check_year_on_year(current, previous)
    assert list(flags.columns) == FLAG_COLUMNS
    assert sorted(flags["category"]) == ["1.A.2", "1.A.4.b"]
    assert set(flags["check"]) == {"year_on_year"}
    assert set(flags["year"]) == {2021}
    messages = dict(zip(flags["category"], flags["message"]))
    assert "+31%" in messages["1.A.2"]
    assert "-35%" in messages["1.A.4.b"]


def test_year_on_year_ignores_memo_items_and_tiny_categories():
    previous = table([("430522", 2020, "1.A.2", "diesel", "CO2", 100_000.0),
                      ("430522", 2020, "1.A.5", "diesel", "CO2", 100.0),
                      ("430522", 2020, "M.NEU", "natural_gas", "CO2", 1000.0)], YOY)
    current = table([("430522", 2021, "1.A.2", "diesel", "CO2", 100_000.0),
                     # 100 → 300 t is +200 %, but 300 t is 0.3 % of the total, below the 0.5 % floor
                     ("430522", 2021, "1.A.5", "diesel", "CO2", 300.0),
                     ("430522", 2021, "M.NEU", "natural_gas", "CO2", 9000.0)], YOY)  # memo: never checked
    assert check_year_on_year(current, previous).empty


def test_year_on_year_weighs_sinks_by_size():
    # the sink 3.B.1.a grows from −1000 to −1400 t: (−1400 − (−1000)) / |−1000| = −40 %, flagged although every
    # value is negative; 3.B.5.b 100 → 110 (+10 %) is not; the floor is 0.5 % of Σ|values| = 0.005 × 1510 = 7.55 t
    previous = table([("430527", 2020, "3.B.1.a", "bamboo", "CO2", -1000.0),
                      ("430527", 2020, "3.B.5.b.i", "arbor_forest.masson_pine", "CO2", 100.0)], YOY)
    current = table([("430527", 2021, "3.B.1.a", "bamboo", "CO2", -1400.0),
                     ("430527", 2021, "3.B.5.b.i", "arbor_forest.masson_pine", "CO2", 110.0)], YOY)
    flags = check_year_on_year(current, previous)
    assert flags["category"].tolist() == ["3.B.1.a"]
    assert "-40%" in flags["message"].iloc[0]


def test_year_on_year_new_category():
    previous = table([("430522", 2020, "1.A.2", "diesel", "CO2", 1000.0)], YOY)
    current = table([("430522", 2021, "1.A.2", "diesel", "CO2", 1000.0),
                     ("430522", 2021, "1.A.1.a", "raw_coal", "CO2", 500.0)], YOY)
    flags = check_year_on_year(current, previous)
    assert flags["category"].tolist() == ["1.A.1.a"]
    assert "new" in flags["message"].iloc[0]


def test_year_on_year_without_previous_year():
    current = table([("430522", 2021, "1.A.2", "diesel", "CO2", 1000.0)], YOY)
    assert check_year_on_year(current, table([], YOY)).empty


# ---- implied emission factors ----------------------------------------------------------------------------

IEF = ["region", "year", "category", "item", "gas", "emissions_t", "energy_tj"]


def test_implied_emission_factor_excludes_memo_and_other_gases():
    emissions = table([("430522", 2020, "1.A.2", "diesel", "CO2", 3000.0, 40.0),
                       ("430522", 2020, "1.A.3.b", "diesel", "CO2", 1500.0, 20.0),
                       ("430522", 2020, "1.A.2", "diesel", "CH4", 0.12, 40.0),
                       ("430522", 2020, "M.NEU", "diesel", "CO2", 9999.0, 1.0)], IEF)
    ief = implied_emission_factors(emissions)
    # (3000 + 1500) t / (40 + 20) TJ = 75 t/TJ
    assert ief["ief_t_per_tj"].tolist() == pytest.approx([75.0])


@pytest.mark.parametrize(
    ("emissions_t", "flagged"),
    [
        (3095.91, False),  # 42.652 TJ → 72.6 t/TJ, inside the range
        (42_652.0, True),  # 1000 t/TJ: absurd (an NCV entered in kJ/kg as GJ/t ...)
        (2559.12, True),  # 60.0 t/TJ: below 61.71
        (3241.55, True),  # 76.0 t/TJ: above 74.8
    ],
)
def test_implied_factor_range_check(shipped_factors, emissions_t, flagged):
    # diesel: IPCC 2006 Vol.2 Table 1.3 carbon content 19.8–20.4 t C/TJ, so the IEF range is
    # 19.8 × 44/12 × 0.85 = 61.71 to 20.4 × 44/12 × 1.0 = 74.80 t CO2/TJ
    emissions = table([("430522", 2020, "1.A.2", "diesel", "CO2", emissions_t, 42.652)], IEF)
    flags = check_implied_factors(emissions, shipped_factors)
    assert len(flags) == (1 if flagged else 0)
    if flagged:
        assert flags.iloc[0]["check"] == "implied_factor_range"
        assert flags.iloc[0]["item"] == "diesel"
        assert "61.7–74.8" in flags.iloc[0]["message"]


# ---- provenance and notation ----------------------------------------------------------------------------


def test_unverified_factors_are_flagged_once_each_with_what_rests_on_them():
    emissions = table([("430522", 2020, "1.A.2", "diesel", "CO2", 300.0, (("ncv", "a"), ("carbon_content", "b"))),
                       ("430522", 2020, "1.A.2", "diesel", "N2O", 100.0, (("ncv", "a"), ("ef", "c"))),
                       ("430522", 2020, "1.A.2", "coke", "CO2", 500.0, (("ncv", "d"),)),
                       ("430522", 2020, "1.A.4", "coke", "CO2", 100.0, (("ncv", "d"),)),
                       ("430522", 2020, "M.NEU", "lpg", "CO2", 50.0, (("ncv", "d"),))],
                      ["region", "year", "category", "item", "gas", "co2e_t", "links"])
    factors = table([("a", "ncv", "*", "diesel", "", 42.7, "GJ/t", "cn_guideline", "verified", "GB/T 2589"),
                     ("b", "carbon_content", "1.A", "diesel", "", 20.2, "t/TJ", "cn_guideline", "secondary", "指南"),
                     ("c", "ef", "1.A.2", "diesel", "N2O", 0.6, "kg/TJ", "ipcc2006", "verified", "IPCC"),
                     ("d", "ncv", "*", "coke", "", 28.4, "GJ/t", "cn_guideline", "memory", "GB/T 2589")],
                    ["id", "parameter", "category", "item", "gas", "value", "unit", "factor_set", "confidence",
                     "source"])
    flags = check_unverified_factors(emissions, factors).set_index("item")
    # b and d, once each: not one flag per emission row
    assert sorted(flags.index) == ["coke", "diesel"] and set(flags["check"]) == {"unverified_factor"}
    # d: three rows (the memo's 50 t is not part of the 1000 t total), 600 of 1000 t CO2e
    assert "3 emission row(s), 600 t CO2e (60.0% of the total)" in flags.loc["coke", "message"]
    assert "unverified factor b (carbon_content = 20.2 t/TJ, cn_guideline, secondary" in flags.loc["diesel", "message"]
    assert "300 t CO2e (30.0% of the total)" in flags.loc["diesel", "message"]


def test_unverified_share_of_a_sink_is_by_size():
    # −900 t (a removal) on memory factor e, +100 t on verified f: 900 / (900 + 100) = 90 % of the gross total
    emissions = table([("430527", 2022, "3.B.1.a", "bamboo", "CO2", -900.0, (("B_W", "e"),)),
                       ("430527", 2022, "3.B.5.b.i", "arbor_forest.masson_pine", "CO2", 100.0, (("BEF", "f"),))],
                      ["region", "year", "category", "item", "gas", "co2e_t", "links"])
    factors = table([("e", "B_W", "3.B.1.a", "bamboo", "", 55.0, "t/ha", "local", "memory", "demo"),
                     ("f", "BEF", "3.B", "arbor_forest.masson_pine", "", 1.472, "1", "cn_guideline", "verified", "x")],
                    ["id", "parameter", "category", "item", "gas", "value", "unit", "factor_set", "confidence",
                     "source"])
    flags = check_unverified_factors(emissions, factors)
    assert "1 emission row(s), -900 t CO2e (90.0% of the total)" in flags["message"].iloc[0]


def test_notation_keys_are_listed_with_where():
    records = table([("430522", 2020, "1.A.2", "crude_oil", "consumption", "NO", "activity/a.csv", 7),
                     ("430522", 2020, "1.A.2", "diesel", "consumption", "", "activity/a.csv", 8)],
                    ["region", "year", "category", "item", "quantity", "notation", "file", "line"])
    flags = check_notation_keys(records)
    assert flags["item"].tolist() == ["crude_oil"]
    assert flags.iloc[0]["severity"] == "info"
    assert "activity/a.csv:7" in flags.iloc[0]["message"]


# ---- county sum vs city ---------------------------------------------------------------------------------

AGG = ["region", "year", "category", "item", "gas", "co2e_t"]


def aggregate_rows(year: int, city: float, counties: list[str], each: float) -> list[tuple]:
    rows = [("430500", year, "1.A.2", "diesel", "CO2", city)]
    rows += [(code, year, "1.A.2", "diesel", "CO2", each) for code in counties]
    return rows


def test_check_aggregate_ok_mismatch_incomplete(registry):
    rows = (
        aggregate_rows(2020, 1200.0, COUNTIES, 100.0)  # 12 × 100 = 1200: ok
        + aggregate_rows(2021, 1300.0, COUNTIES, 100.0)  # 1300 − 1200 = 100 t: mismatch
        + aggregate_rows(2022, 1200.0, COUNTIES[:11], 100.0)  # 430582 missing: incomplete
        # a park is inside its county: never added again
        + [("430582-P01", 2020, "1.A.2", "diesel", "CO2", 50.0)]
        # memo items never count
        + [("430500", 2020, "M.NEU", "natural_gas", "CO2", 999.0)]
    )
    result = check_aggregate(table(rows, AGG), registry, "430500").set_index("year")
    assert result["status"].to_dict() == {2020: "ok", 2021: "mismatch", 2022: "incomplete"}
    assert result.loc[2020, "sum_of_members_t"] == pytest.approx(1200.0)
    assert result.loc[2020, "reported_t"] == pytest.approx(1200.0)
    assert result.loc[2021, "difference_t"] == pytest.approx(100.0)
    assert result.loc[2021, "relative"] == pytest.approx(100.0 / 1300.0)
    assert result.loc[2022, "members"] == 11
    assert result.loc[2022, "expected_members"] == 12


def test_check_aggregate_within_tolerance_is_ok(registry):
    # 1200.6 vs 1200: 0.6 / 1200.6 = 0.05 % ≤ 0.1 %
    rows = aggregate_rows(2020, 1200.6, COUNTIES, 100.0)
    result = check_aggregate(table(rows, AGG), registry, "430500")
    assert result["status"].tolist() == ["ok"]
    # with a tolerance of 0.01 % the same numbers are a mismatch
    assert check_aggregate(table(rows, AGG), registry, "430500", tolerance=1e-4)["status"].tolist() == ["mismatch"]


def test_check_aggregate_without_city_result(registry):
    rows = aggregate_rows(2020, 0.0, COUNTIES, 100.0)[1:]  # counties only
    result = check_aggregate(table(rows, AGG), registry, "430500")
    assert result["sum_of_members_t"].tolist() == [1200.0]
    assert np.isnan(result["reported_t"].iloc[0])
    assert result["status"].tolist() == ["missing"]  # no city result: nothing to compare
