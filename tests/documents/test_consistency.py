"""inventory.documents.consistency: a region against its members per year, category and gas (hand-calculated)."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from inventory.core.regions import Region, RegionRegistry, load_regions
from inventory.documents.consistency import CONSISTENCY_COLUMNS, consistency_table, failing, for_reading
from inventory.documents.summary import Summary
from inventory.pipeline.compute import compute_inventory

ROOT = Path(__file__).resolve().parents[2]
GWP_CH4 = 28.0  # AR5: the co2e_t of the hand-made rows below


def _region(code: str, level: str, parent: str) -> Region:
    return Region(code=code, name_zh=code, name_en=code, level=level, parent=parent, valid_from=None, valid_to=None,
                  successor="")


@pytest.fixture
def registry() -> RegionRegistry:
    """A city with two counties; the second county has a park."""
    regions = [_region("430500", "city", ""), _region("430502", "county", "430500"),
               _region("430503", "county", "430500"), _region("430503-P01", "park", "430503")]
    return RegionRegistry({r.code: r for r in regions})


def emissions(rows: list[tuple]) -> pd.DataFrame:
    """(region, year, category, gas, emissions_t) → an emission table with co2e_t (AR5)."""
    frame = pd.DataFrame(rows, columns=["region", "year", "category", "gas", "emissions_t"])
    gwp = frame["gas"].map({"CO2": 1.0, "CH4": GWP_CH4})
    return frame.assign(item="raw_coal", co2e_t=frame["emissions_t"] * gwp)


def row(table: pd.DataFrame, region: str, year: int, category: str, gas: str) -> pd.Series:
    chosen = table[(table["region"] == region) & (table["year"] == year) & (table["category"] == category)
                   & (table["gas"] == gas)]
    assert len(chosen) == 1, chosen
    return chosen.iloc[0]


CITY_2021 = [
    ("430500", 2021, "1.A.2", "CO2", 1000.0), ("430500", 2021, "1.A.2", "CH4", 0.5),
    ("430500", 2021, "1.A.4.b", "CO2", 200.0),
    ("430500", 2021, "M.ELEC", "CO2", 999.0),  # memo: never compared
    ("430502", 2021, "1.A.2", "CO2", 600.0), ("430502", 2021, "1.A.2", "CH4", 0.3),
    ("430502", 2021, "M.ELEC", "CO2", 100.0),
    ("430503", 2021, "1.A.2", "CO2", 390.0), ("430503", 2021, "1.A.2", "CH4", 0.2),
    ("430503", 2021, "1.A.4.b", "CO2", 200.0),
    ("430503-P01", 2021, "1.A.2", "CO2", 300.0), ("430503-P01", 2021, "1.A.2", "CH4", 0.1),  # inside 430503
]


def test_city_against_its_counties_by_category_and_gas(registry):
    table = consistency_table(emissions(CITY_2021), registry)
    assert list(table.columns) == CONSISTENCY_COLUMNS
    # 1.A.2 CO2: 1000 − (600 + 390) = 10 t; 10 / 1000 = 1 % > 0.1 %. The park's 300 t is inside 430503:
    # added again the sum would be 1290.
    co2 = row(table, "430500", 2021, "1.A.2", "CO2")
    assert (co2["reported_t"], co2["sum_of_members_t"], co2["difference_t"]) == (1000.0, 990.0, 10.0)
    assert co2["relative"] == pytest.approx(0.01)
    assert (co2["members"], co2["expected_members"], co2["status"]) == (2, 2, "mismatch")
    # 1.A.2 CH4: 0.5 vs 0.3 + 0.2 = 0.5 t of CH4: ok
    ch4 = row(table, "430500", 2021, "1.A.2", "CH4")
    assert ch4["sum_of_members_t"] == pytest.approx(0.5) and ch4["status"] == "ok"
    # 1.A.2 CO2e: 1000 + 0.5 × 28 = 1014 vs (600 + 0.3 × 28) + (390 + 0.2 × 28) = 608.4 + 395.6 = 1004
    co2e = row(table, "430500", 2021, "1.A.2", "CO2e")
    assert co2e["reported_t"] == pytest.approx(1014.0) and co2e["sum_of_members_t"] == pytest.approx(1004.0)
    assert co2e["relative"] == pytest.approx(10.0 / 1014.0) and co2e["status"] == "mismatch"
    assert row(table, "430500", 2021, "1.A.4.b", "CO2")["status"] == "ok"  # 200 vs 200
    # TOTAL CO2: 1000 + 200 = 1200 vs 990 + 200 = 1190 (memo M.ELEC 999 vs 100 left out); CO2e 1214 vs 1204
    total = row(table, "430500", 2021, "TOTAL", "CO2")
    assert (total["reported_t"], total["sum_of_members_t"], total["status"]) == (1200.0, 1190.0, "mismatch")
    assert row(table, "430500", 2021, "TOTAL", "CO2e")["difference_t"] == pytest.approx(10.0)
    assert row(table, "430500", 2021, "TOTAL", "CH4")["status"] == "ok"
    assert not table["category"].str.startswith("M.").any()
    # the city: 1.A.2 × 3 gases, 1.A.4.b × 2, TOTAL × 3 = 8 rows
    assert len(table[table["region"] == "430500"]) == 8


def test_a_county_against_its_parks(registry):
    table = consistency_table(emissions(CITY_2021), registry)
    parks = table[table["region"] == "430503"]
    # only what the park reports (1.A.2) and the totals; 1.A.4.b of the county is no relation to the park
    assert sorted(zip(parks["category"], parks["gas"])) == [
        ("1.A.2", "CH4"), ("1.A.2", "CO2"), ("1.A.2", "CO2e"), ("TOTAL", "CH4"), ("TOTAL", "CO2"), ("TOTAL", "CO2e")]
    co2 = row(table, "430503", 2021, "1.A.2", "CO2")
    # 390 − 300 = 90 t: the park is smaller than its county, which is all that is asked
    assert (co2["reported_t"], co2["sum_of_members_t"], co2["difference_t"], co2["status"]) == (390.0, 300.0, 90.0,
                                                                                                 "ok")
    assert (co2["members"], co2["expected_members"]) == (1, 1)
    # TOTAL CO2 of the county: 390 + 200 = 590 against the park's 300
    assert row(table, "430503", 2021, "TOTAL", "CO2")["reported_t"] == 590.0
    assert set(parks["status"]) == {"ok"}
    assert "430502" not in set(table["region"])  # no members: not compared


def test_a_park_above_its_county_exceeds(registry):
    rows = [r for r in CITY_2021 if r[0] != "430503-P01"] + [("430503-P01", 2021, "1.A.2", "CO2", 400.0)]
    table = consistency_table(emissions(rows), registry)
    exceeding = row(table, "430503", 2021, "1.A.2", "CO2")
    # 390 − 400 = −10 t: the park reports more than the whole county
    assert (exceeding["difference_t"], exceeding["status"]) == (-10.0, "exceeds")
    # at the edge: a park of 390.39 t is 0.39 t = 0.1 % of 390 above the county: within the tolerance
    rows[-1] = ("430503-P01", 2021, "1.A.2", "CO2", 390.39)
    assert row(consistency_table(emissions(rows), registry), "430503", 2021, "1.A.2", "CO2")["status"] == "ok"
    rows[-1] = ("430503-P01", 2021, "1.A.2", "CO2", 390.4)  # 0.4 / 390 = 0.103 % > 0.1 %
    assert row(consistency_table(emissions(rows), registry), "430503", 2021, "1.A.2", "CO2")["status"] == "exceeds"


@pytest.mark.parametrize(("city", "tolerance", "status"), [
    (1000.0, 0.001, "ok"),        # 1000 − 999 = 1 t; 1 / 1000 = 0.1 %: at the tolerance, ok
    (999.0 / 0.9989, 0.001, "mismatch"),  # 1000.1001 − 999 = 1.1001 t; 1.1001 / 1000.1001 = 0.11 %
    (1000.0, 0.0009, "mismatch"),  # the same 0.1 % against a tolerance of 0.09 %
    (999.0, 0.0, "ok"),            # equal: ok even with no tolerance
])
def test_tolerance_edges(registry, city, tolerance, status):
    rows = [("430500", 2021, "1.A.2", "CO2", city), ("430502", 2021, "1.A.2", "CO2", 599.0),
            ("430503", 2021, "1.A.2", "CO2", 400.0)]
    assert row(consistency_table(emissions(rows), registry, tolerance), "430500", 2021, "1.A.2",
               "CO2")["status"] == status


def test_removals_compare_by_their_size(registry):
    # LULUCF removals are negative: −1000 vs −600 + −399 = −999; −1 / |−1000| = −0.1 %: ok
    rows = [("430500", 2021, "3.B.1.a", "CO2", -1000.0), ("430502", 2021, "3.B.1.a", "CO2", -600.0),
            ("430503", 2021, "3.B.1.a", "CO2", -399.0)]
    result = row(consistency_table(emissions(rows), registry), "430500", 2021, "3.B.1.a", "CO2")
    assert result["relative"] == pytest.approx(-0.001) and result["status"] == "ok"


def test_incomplete_missing_and_only_members(registry):
    rows = [
        # 2022: 430503 has no result at all: the sum cannot be judged
        ("430500", 2022, "1.A.2", "CO2", 1000.0), ("430502", 2022, "1.A.2", "CO2", 600.0),
        # 2023: the city itself has none (it has results in other years)
        ("430502", 2023, "1.A.2", "CO2", 600.0), ("430503", 2023, "1.A.2", "CO2", 400.0),
        # 2024: the city reports 1.A.2 but not 1.A.4.b, which a county does
        ("430500", 2024, "1.A.2", "CO2", 1000.0), ("430502", 2024, "1.A.2", "CO2", 600.0),
        ("430503", 2024, "1.A.2", "CO2", 400.0), ("430503", 2024, "1.A.4.b", "CO2", 50.0),
    ]
    table = consistency_table(emissions(rows), registry)
    incomplete = row(table, "430500", 2022, "1.A.2", "CO2")
    assert (incomplete["members"], incomplete["expected_members"], incomplete["status"]) == (1, 2, "incomplete")
    assert incomplete["difference_t"] == 400.0  # 1000 − 600: shown, though not judged
    missing = row(table, "430500", 2023, "1.A.2", "CO2")
    assert np.isnan(missing["reported_t"]) and missing["status"] == "missing"
    assert missing["difference_t"] == -1000.0  # nothing reported counts as 0: 0 − (600 + 400)
    only = row(table, "430500", 2024, "1.A.4.b", "CO2")
    assert np.isnan(only["reported_t"]) and only["difference_t"] == -50.0 and only["status"] == "only_members"
    assert row(table, "430500", 2024, "1.A.2", "CO2")["status"] == "ok"
    # TOTAL 2024: 1000 vs 600 + 400 + 50 = 1050: −50 / 1000 = −5 %
    assert row(table, "430500", 2024, "TOTAL", "CO2")["status"] == "mismatch"


def test_failing_sorts_by_the_size_of_the_difference(registry):
    rows = CITY_2021 + [("430500", 2022, "1.A.2", "CO2", 1000.0), ("430502", 2022, "1.A.2", "CO2", 600.0),
                        ("430503", 2022, "1.A.2", "CO2", 350.0)]  # 2022: 1000 − 950 = 50 t
    bad = failing(consistency_table(emissions(rows), registry))
    assert set(bad["status"]) == {"mismatch"}
    # 2022 1.A.2 CO2 and CO2e and TOTAL CO2 and CO2e: 50 t; 2021 (see above): 10 t each
    assert bad["difference_t"].tolist() == pytest.approx([50.0] * 4 + [10.0] * 4)
    assert bad["year"].tolist() == [2022] * 4 + [2021] * 4


def test_no_region_with_members_gives_the_columns_and_no_row(registry):
    table = consistency_table(emissions([("430502", 2021, "1.A.2", "CO2", 600.0)]), registry)
    assert table.empty and list(table.columns) == CONSISTENCY_COLUMNS
    assert failing(table).empty


def test_the_demo_has_exactly_its_deliberate_2022_mismatches():
    """The demo data through ``inventory compute``'s path (no notebooks), 2022.

    data_raw/activity/energy_consumption_2019-2023.csv: the city's 2022 residential (1.A.4.b)
    natural gas is 5035.47 万m³ against the counties' 4936.74 万m³ (scripts/make_demo_data.py
    DELIBERATE_MISMATCH): 98.73 万m³ more. With the provincial guideline's natural gas factors
    (inventory/data/factors/energy_combustion.csv: NCV 38 931 kJ/m³ = 389.31 GJ/万m³ fuels-0361,
    carbon content 15.3 t C/TJ fuels-0419, oxidation 0.99 fuels-0421):
    98.73 × 389.31 = 38 436.58 GJ = 38.43658 TJ; × 15.3 = 588.0796 t C; × 0.99 = 582.1988 t C;
    × 44/12 = 2 134.73 t CO2. Its CH4 and N2O (5 and 0.1 kg/TJ: 0.19 and 0.004 t) stay within 0.1 % of the
    category's, which coal dominates. The waste demo's deliberate 2021 mismatch (the city's landfilled
    bulk MSW 5 % above its counties', scripts/make_demo_waste.py) decays from the year after deposit:
    it shows in 2022 as 4.A.1 CH4. Nothing else differs.
    """
    registry = load_regions(ROOT / "data_raw")
    computed = compute_inventory(ROOT / "data_raw", years=[2022])
    table = consistency_table(computed, registry)
    assert set(table["region"]) == {"430500", "430503", "430582"}  # the city; the two counties with a park
    bad = failing(table)
    assert sorted(zip(bad["region"], bad["category"], bad["gas"], bad["status"])) == [
        ("430500", "1.A.4.b", "CO2", "mismatch"), ("430500", "1.A.4.b", "CO2e", "mismatch"),
        ("430500", "4.A.1", "CH4", "mismatch"), ("430500", "4.A.1", "CO2e", "mismatch")]
    gas = row(table, "430500", 2022, "1.A.4.b", "CO2")
    assert gas["difference_t"] == pytest.approx(98.73 * 389.31 / 1000 * 15.3 * 0.99 * 44 / 12, rel=1e-9)
    assert gas["difference_t"] == pytest.approx(2134.73, abs=0.01)
    assert (gas["members"], gas["expected_members"]) == (12, 12)
    assert row(table, "430500", 2022, "1.A.4.b", "CH4")["status"] == "ok"


def test_failing_rows_for_reading_name_the_region_and_say_how_much(registry):
    bad = failing(consistency_table(emissions(CITY_2021), registry))
    zh = for_reading(bad, registry, "zh")
    assert list(zh.columns) == ["地区", "年份", "类别", "气体", "本级（吨）", "下级之和（吨）", "差值（吨）",
                                "相对差（%）", "下级（有结果/应有）", "状态"]
    first = zh.iloc[0]  # 1.A.2 CO2 of 2021: 10 t, 10 / 1000 = 1 %
    assert (first["地区"], first["类别"], first["气体"]) == ("430500 (430500)", "1.A.2", "CO2")
    assert first["差值（吨）"] == 10.0
    assert first["相对差（%）"] == pytest.approx(1.0)
    assert first["下级（有结果/应有）"] == "2 / 2" and first["状态"].startswith("不一致")
    assert set(zh["类别"]) == {"1.A.2", "合计"}
    en = for_reading(bad, load_regions(), "en")
    assert en.iloc[0]["Region"] == "Shaoyang City (430500)" and en.iloc[0]["Status"].startswith("mismatch")


def test_the_summary_lists_the_failing_rows(registry):
    summary = Summary("430500", registry, emissions(CITY_2021), "en", illustrative=False)
    table = summary.consistency_failing()
    # 1.A.2 CO2 and CO2e, TOTAL CO2 and CO2e: each 10 t (see test_city_against_its_counties_by_category_and_gas)
    assert sorted(zip(table["Category"], table["Gas"])) == [("1.A.2", "CO2"), ("1.A.2", "CO2e"), ("Total", "CO2"),
                                                           ("Total", "CO2e")]
    assert table["Difference (t)"].tolist() == pytest.approx([10.0] * 4)
