"""Key-enterprise records (read, validated, cross-checked) and the product intensity table, by hand."""

import numpy as np
import pandas as pd
import pytest

from inventory.core.activity import read_activity
from inventory.core.errors import InputError
from inventory.core.factors import load_factors
from inventory.sectors.contract import Settings
from inventory.sectors.ippu import SECTOR
from inventory.sectors.ippu.compilation import compile_ippu
from inventory.sectors.ippu.enterprises import cross_check, read_enterprises
from inventory.sectors.ippu.intensity import process_intensity, product_intensity
from inventory.sectors.results import compute_sector

HEADER = "region,year,category,item,quantity,value,unit"
ENTERPRISE_HEADER = "enterprise,name,region,year,category,item,quantity,value,unit,gas,source,note"


def enterprise_folder(data_folder, lines, activity=None):
    folder = data_folder(activity={"ippu.csv": [HEADER] + (activity or [])})
    path = folder / "enterprises" / "plants.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([ENTERPRISE_HEADER] + lines) + "\n", encoding="utf-8")
    return folder


def test_every_problem_at_once_with_file_line_column(data_folder):
    folder = enterprise_folder(data_folder, [
        "E1,甲,430523,2022,2.A.1,clinker,production,10,万吨,,plant,",       # good (line 2)
        "E2,乙,999999,2022,2.A.1,clinker,production,10,t,,plant,",         # unknown region (3)
        "E3,丙,430523,2022,1.A.2,clinker,production,10,t,,plant,",         # not an IPPU category (4)
        "E4,丁,430523,2022,2.A.1,clinker,reported_emissions,10,t,,plant,",  # no gas (5)
        "E5,戊,430523,2022,2.A.1,clinker,production,ten,t,,plant,",        # not a number (6)
        "E6,己,430523,2022,2.A.1,clinker,production,10,m^3,,plant,",       # wrong unit (7)
    ])
    with pytest.raises(InputError) as caught:
        read_enterprises(folder)
    where = {(i.line, i.column) for i in caught.value.issues}
    assert where == {(3, "region"), (4, "category"), (5, "gas"), (6, "value"), (7, "unit")}
    assert all(i.file == "enterprises/plants.csv" for i in caught.value.issues)
    assert "未知地区代码" in str(caught.value)  # Chinese first


def test_units_are_converted_and_a_folder_without_enterprises_is_empty(data_folder, tmp_path):
    folder = enterprise_folder(data_folder, ["E1,甲,430523,2022,2.A.1,clinker,production,10,万吨,,plant,",
                                             "E1,甲,430523,2022,2.A.1,electricity,consumption,850,万千瓦时,,plant,"])
    rows = read_enterprises(folder).rows.set_index("quantity")
    assert rows.loc["production", "value"] == pytest.approx(100_000.0)  # 10 万吨
    assert rows.loc["consumption", "value"] == pytest.approx(8_500.0)  # 850 万千瓦时 = 8,500 MWh
    assert read_enterprises(tmp_path / "nothing").rows.empty


def test_cross_check_by_hand(data_folder):
    # statistics 40 万吨 clinker; enterprises 25 + 20 万吨 = 450,000 t: +50,000 t, +12.5 % > 5 % → flagged;
    # lime: enterprise 9,800 t against 10,000 t, −2 % → not flagged; glass: enterprise only → flagged (no statistic)
    folder = enterprise_folder(data_folder, [
        "E1,甲,430523,2022,2.A.1,clinker,production,25,万吨,,plant,",
        "E2,乙,430523,2022,2.A.1,clinker,production,20,万吨,,plant,",
        "E2,乙,430523,2022,2.A.1,clinker,reported_emissions,100000,t,CO2,plant,",
        "E3,丙,430523,2022,2.A.2,lime.dolomitic,production,9800,t,,plant,",
        "E4,丁,430523,2022,2.A.3,flat_glass,production,5000,t,,plant,",
    ], ["430523,2022,2.A.1,clinker,production,40,万吨", "430523,2022,2.A.2,lime,production,10000,t"])
    activity = read_activity(folder)
    emissions = compute_sector(SECTOR, activity.records, load_factors(folder), Settings(factor_sets=("ipcc2006",)))
    check = cross_check(read_enterprises(folder).for_region("430523", 2022), activity.records, emissions.emissions,
                        0.05).set_index("item")
    assert check.loc["clinker", "gap_t"] == pytest.approx(50_000.0)
    assert check.loc["clinker", "relative"] == pytest.approx(0.125)
    assert check.loc["clinker", "flagged"]
    assert check.loc["clinker", "enterprises"] == "E1, E2"
    assert check.loc["clinker", "reported_co2e_t"] == pytest.approx(100_000.0)
    assert check.loc["clinker", "inventory_co2e_t"] == pytest.approx(208_000.0)  # 400,000 t × 0.52
    assert check.loc["lime", "relative"] == pytest.approx(-0.02)
    assert not check.loc["lime", "flagged"]
    assert np.isnan(check.loc["flat_glass", "statistics_t"]) and check.loc["flat_glass", "flagged"]


def test_a_city_report_checks_each_county(data_folder):
    folder = enterprise_folder(data_folder, ["E1,甲,430523,2022,2.A.1,clinker,production,44,万吨,,plant,"],
                               ["430500,2022,2.A.1,clinker,production,100,万吨",
                                "430523,2022,2.A.1,clinker,production,40,万吨"])
    city = compile_ippu("430500", 2022, folder)
    frame = city.cross_check_frame()
    # compared with 邵阳县's 40 万吨, not the city's 100: +4 万吨 = +10 %
    assert list(frame["region"]) == ["430523"]
    assert frame["relative"].iloc[0] == pytest.approx(0.10)
    assert (city.flags["check"] == "enterprise_gap").sum() == 1


def test_process_intensity():
    # 520,000 t CO2 / 1,000,000 t = 0.52; no production → NaN
    assert process_intensity(520_000.0, 1_000_000.0) == pytest.approx(0.52)
    assert np.isnan(process_intensity(5.0, 0.0))


def test_intensity_parts_by_hand():
    # cement: process 2.A.1 520,000 t / 2,000,000 t cement = 0.26; 1.A.2.f combustion 300,000 t shared with lime:
    # not allocated; electricity of the one key enterprise: 100,000 MWh × 0.5 t/MWh / 1,000,000 t cement = 0.05
    # lime: 7,500 t / 10,000 t = 0.75. Ammonia alone in 1.A.2.c: process 1,694.22 / 1,000 = 1.69422 and
    # combustion 2,000 t / 1,000 t = 2.0 (an upper bound) → total 3.69422
    emissions = pd.DataFrame({"category": ["2.A.1", "2.A.2", "2.B.1"], "item": ["clinker", "lime", "ammonia"],
                              "co2e_t": [520_000.0, 7_500.0, 1_694.22]})
    # power: 1.A.1.a 800,000 t / (hydro 200,000 + thermal 800,000 MWh generated) = 0.8 t/MWh
    energy = pd.DataFrame({"category": ["1.A.2.f", "1.A.2.c", "M.NEU", "1.A.1.a"],
                           "co2e_t": [300_000.0, 2_000.0, 99.0, 800_000.0]})
    records = pd.DataFrame({"category": ["2.A.1", "2.A.1", "2.A.2", "2.B.1", "EB", "EB.T.power", "EB"],
                            "item": ["cement", "clinker", "lime", "ammonia", "electricity", "electricity",
                                     "electricity"],
                            "quantity": ["production"] * 5 + ["transformation_output", "inflow"],
                            "value": [2_000_000.0, 1_000_000.0, 10_000.0, 1_000.0, 200_000.0, 800_000.0, 5e6]})
    enterprises = pd.DataFrame({"enterprise": ["E1", "E1"], "item": ["cement", "electricity"],
                                "quantity": ["production", "consumption"], "value": [1_000_000.0, 100_000.0]})
    table = product_intensity(emissions, energy, records, enterprises, 0.5, lang="en").set_index("product")
    assert table.loc["cement", "process intensity"] == pytest.approx(0.26)
    assert np.isnan(table.loc["cement", "energy intensity (upper bound)"])
    assert table.loc["cement", "electricity intensity (key enterprises)"] == pytest.approx(0.05)
    assert table.loc["cement", "total intensity"] == pytest.approx(0.31)
    assert table.loc["lime", "process intensity"] == pytest.approx(0.75)
    assert table.loc["ammonia", "total intensity"] == pytest.approx(3.69422)
    assert table.loc["power", "production"] == pytest.approx(1_000_000.0)
    assert table.loc["power", "energy intensity (upper bound)"] == pytest.approx(0.8)
    assert "Liu" in table.loc["cement", "benchmark source"]
    assert table.loc["lime", "benchmark"].endswith("none found")
