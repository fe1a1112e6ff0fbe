"""The energy balance, reference approach, electricity memo, fugitive emissions, frame, dual control
and quarterly accounting — every number below is worked out by hand in the comments."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from inventory.core.activity import annual_records, quarter_of, read_activity
from inventory.core.errors import InputError
from inventory.core.factors import load_factors
from inventory.sectors.energy.balance import (
    available_for_consumption,
    build_balance,
    industry_view,
    reference_approach,
    reference_approach_co2,
    standard_coal,
    statistical_difference,
    statistics_frame,
)
from inventory.sectors.energy.compilation import compile_energy
from inventory.sectors.energy.compute import compute_energy
from inventory.sectors.energy.electricity import compute_flow_memos, indirect_emissions, net_inflow
from inventory.sectors.energy.fugitive import fugitive_emissions

HEADER = "region,year,category,item,quantity,value,unit,notation,period"
#: 邵阳县 2022 (and a little of 2020, the base year). Raw coal: NCV 20 GJ/t, 26 t C/TJ, oxidation 0.9
#: by local rows, so CO2 per t burned = 20/1000 × 26 × 0.9 × 44/12 = 1.716 t.
ACTIVITY = [
    HEADER,
    # energy balance: raw coal [t]
    "430523,2022,EB,raw_coal,production,10,万吨,,",                  # 100 000
    "430523,2022,EB,raw_coal,inflow,30,万吨,,",                      # 300 000
    "430523,2022,EB,raw_coal,outflow,4,万吨,,",                      #  40 000
    "430523,2022,EB,raw_coal,stock_change,-1,万吨,,",                # −10 000 (stock built up)
    "430523,2022,EB.T.power,raw_coal,transformation_input,20,万吨,,",  # 200 000
    "430523,2022,EB,raw_coal,loss,1000,吨,,",
    "430523,2022,EB.F.industry,raw_coal,final_consumption,12,万吨,,",  # 120 000, feedstock included
    "430523,2022,EB.F.residential.urban,raw_coal,final_consumption,2,万吨,,",
    "430523,2022,EB.F.residential.rural,raw_coal,final_consumption,5000,吨,,",
    "430523,2022,EB,raw_coal,non_energy_use,1,万吨,,",               #  10 000
    # electricity [MWh]: 1 万千瓦时 = 10 MWh
    "430523,2022,EB,electricity,production,5000,万千瓦时,,",          #  50 000
    "430523,2022,EB.T.power,electricity,transformation_output,40000,万千瓦时,,",  # 400 000
    "430523,2022,EB,electricity,inflow,30000,万千瓦时,,",             # 300 000
    "430523,2022,EB,electricity,outflow,10000,万千瓦时,,",            # 100 000
    "430523,2022,EB,electricity,loss,2000,万千瓦时,,",                #  20 000
    "430523,2022,EB.F.industry,electricity,final_consumption,15000,万千瓦时,,",         # 150 000
    "430523,2022,EB.F.residential.urban,electricity,final_consumption,48000,万千瓦时,,",  # 480 000
    # sector records: 200 000 + 110 000 + 25 000 (by quarter only) = 335 000 t burned
    "430523,2022,1.A.1.a,raw_coal,consumption,20,万吨,,",
    "430523,2022,1.A.2,raw_coal,consumption,11,万吨,,",
    "430523,2022,1.A.2,raw_coal,non_energy_use,1,万吨,,",
    "430523,2022,1.A.4.b,raw_coal,consumption,10000,吨,,2022Q1",
    "430523,2022,1.A.4.b,raw_coal,consumption,4000,吨,,2022Q2",
    "430523,2022,1.A.4.b,raw_coal,consumption,3000,吨,,2022Q3",
    "430523,2022,1.A.4.b,raw_coal,consumption,8000,吨,,2022Q4",
    # coal mined underground, socio-economic data
    "430523,2022,1.B.1.a.i,raw_coal,production,10,万吨,,",
    "430523,2022,SOC,gdp_constant,value,1000000,万元,,",
    "430523,2022,SOC,population,resident,100,万人,,",
    # the base year
    "430523,2020,EB,electricity,production,4000,万千瓦时,,",          #  40 000 MWh
    "430523,2020,1.A.2,raw_coal,consumption,30,万吨,,",
    "430523,2020,SOC,gdp_constant,value,900000,万元,,",
]
FACTORS = [
    "parameter,category,item,gas,value,unit,region,year_from,year_to,source",
    "ncv,*,raw_coal,,20,GJ/t,430523,,,test",
    "carbon_content,*,raw_coal,,26,t/TJ,430523,,,test",
    "oxidation,*,raw_coal,,0.9,,430523,,,test",
]
CO2_PER_T = 20 / 1000 * 26 * 0.9 * 44 / 12  # 1.716 t CO2 per t of raw coal burned


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("balance")
    (root / "activity").mkdir()
    (root / "factors").mkdir()
    (root / "activity" / "energy.csv").write_text("\n".join(ACTIVITY) + "\n", encoding="utf-8")
    (root / "factors" / "local.csv").write_text("\n".join(FACTORS) + "\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def records(folder):
    return read_activity(folder).records


@pytest.fixture(scope="module")
def factors(folder):
    return load_factors(folder)


@pytest.fixture(scope="module")
def balance(records, factors):
    return build_balance(records[records["year"] == 2022], factors, "430523", 2022)


# ---- the equations ---------------------------------------------------------------------------

def test_available_and_statistical_difference():
    assert available_for_consumption(100.0, 300.0, 40.0, 5.0, 2.0, -10.0) == 353.0  # 100+300−40+5−2−10
    assert statistical_difference(350.0, -200.0, 1.0, 145.0) == 4.0


def test_standard_coal_and_reference_co2():
    assert standard_coal(350_000.0, 0.7143) == pytest.approx(250_005.0)
    # (340 000 t × 20 GJ/t = 6 800 TJ) × 26 t C/TJ = 176 800 t C; 10 000 t of it excluded (5 200 t C)
    co2 = reference_approach_co2(350_000.0, 20.0, 26.0, 5_200.0, 0.9)
    assert co2 == pytest.approx((182_000 - 5_200) * 0.9 * 44 / 12)  # 583 440 t


def test_net_inflow_memo_and_fugitive_equations():
    assert net_inflow(300_000.0, 100_000.0) == 200_000.0
    assert net_inflow(1.0, 5.0, 0.0, 0.0) == -4.0  # a net exporter
    assert indirect_emissions(200_000.0, 0.5395) == pytest.approx(107_900.0)
    assert fugitive_emissions(100_000.0, 0.01206) == pytest.approx(1_206.0)


# ---- the balance -----------------------------------------------------------------------------

def test_balance_rows_in_canonical_units(balance):
    coal = balance.physical["raw_coal"]
    assert coal["available"] == 350_000.0  # 100 000 + 300 000 − 40 000 − 10 000
    assert coal["outflow"] == -40_000.0  # the table's sign
    assert coal["transformation"] == -200_000.0 and coal["EB.T.power"] == -200_000.0
    assert coal["final"] == 145_000.0  # 120 000 + 20 000 + 5 000
    assert coal["EB.F.residential"] == 25_000.0  # filed only by urban and rural: their sum
    assert coal["difference"] == 4_000.0  # 350 000 − 200 000 − 1 000 − 145 000
    electricity = balance.physical["electricity"]
    assert electricity["available"] == 250_000.0  # 50 000 + 300 000 − 100 000
    assert electricity["transformation"] == 400_000.0
    assert electricity["difference"] == 0.0  # 250 000 + 400 000 − 20 000 − 630 000
    closure = balance.closure(0.01)
    assert closure.loc["raw_coal", "share"] == pytest.approx(4_000 / 350_000)
    assert closure.loc["raw_coal", "flagged"] and not closure.loc["electricity", "flagged"]


def test_balance_in_standard_coal(balance):
    tce = balance.in_tce()
    assert tce.loc["available", "raw_coal"] == pytest.approx(350_000 * 0.7143)  # GB/T 2589 raw coal
    assert tce.loc["available", "electricity"] == pytest.approx(250_000 * 0.1229)  # 当量
    assert tce.loc["available", "electricity_equivalent"] == pytest.approx(250_000 * 0.3007)  # 等价, 2022
    assert tce.loc["available", "total_equivalent"] == pytest.approx(250_005.0 + 75_175.0)


def test_reference_approach_against_sectoral(balance, records, factors):
    emissions = compute_energy(records[records["year"] == 2022], factors).emissions
    table = reference_approach(balance, records[records["year"] == 2022], emissions, factors)
    coal = table.loc["raw_coal"]
    assert coal["reference_t"] == pytest.approx(583_440.0)  # (350 000 − 10 000) t × 1.716
    assert coal["sectoral_t"] == pytest.approx(335_000 * CO2_PER_T)  # 574 860 t
    assert coal["difference"] == pytest.approx(583_440 / 574_860 - 1)  # +1.49 %
    assert not coal["flagged"]
    assert table.loc["total", "reference_t"] == pytest.approx(583_440.0)
    assert reference_approach(balance, records, emissions, factors, threshold=0.01).loc["total", "flagged"]


# ---- electricity, fugitive, the frame ----------------------------------------------------------

def test_electricity_memo_takes_the_provincial_series_by_default(records, factors):
    # 430523 is in Hunan: auto = grid_province_hunan (0.4900 for 2022), else 华中
    result = compute_flow_memos(records, factors)
    memo = result.emissions.set_index("year").loc[2022]
    assert memo["category"] == "M.ELEC" and memo["emissions_t"] == pytest.approx(200_000 * 0.4900)
    assert "grid_province_hunan" in memo["method"] and memo["links"] == (("grid_ef", "grid-sup-2022-hunan"),)
    assert result.flags.empty  # 2022 has its own value
    named = compute_flow_memos(records, factors, {"electricity": "grid_central_china"}).emissions
    assert named["emissions_t"].iloc[0] == pytest.approx(200_000 * 0.5395)
    national = compute_flow_memos(records, factors, {"electricity": "grid_national_average"}).emissions
    assert national["emissions_t"].iloc[0] == pytest.approx(200_000 * 0.5366)


@pytest.mark.parametrize(("year", "factor", "published"), [
    (2023, 0.4976, None),  # its own year
    (2024, 0.4976, 2023),  # no 2024 value: the latest earlier year's
    (2019, 0.5138, 2021),  # before the first published year: the first one's
])
def test_a_year_without_a_value_takes_the_latest_earlier_one(records, factors, year, factor, published):
    result = compute_flow_memos(records[records["year"] == 2022].assign(year=year), factors)
    assert result.emissions["emissions_t"].iloc[0] == pytest.approx(200_000 * factor)
    years = result.flags[result.flags["check"] == "factor_year"]
    if published is None:
        assert years.empty
    else:
        assert f"its {published} value" in years["message"].iloc[0]


def test_a_province_without_its_own_series_takes_its_regional_grid(records, factors):
    # 江西 (36) is in 华中 and has no provincial series shipped
    jiangxi = records[records["year"] == 2022].assign(region="360100")
    memo = compute_flow_memos(jiangxi, factors).emissions.iloc[0]
    assert memo["emissions_t"] == pytest.approx(200_000 * 0.5395) and "grid_central_china" in memo["method"]


def test_fugitive_methane_of_coal_mining(records, factors):
    emissions = compute_energy(records[records["year"] == 2022], factors).emissions
    fugitive = emissions[emissions["category"].str.startswith("1.B")].set_index("category")["emissions_t"]
    assert fugitive["1.B.1.a.i.1"] == pytest.approx(100_000 * 0.01206)  # 18 m³/t × 0.67 kg/m³
    assert fugitive["1.B.1.a.i.2"] == pytest.approx(100_000 * 0.001675)  # post-mining 2.5 m³/t


def test_statistics_frame_counts_combustion_and_the_net_inflow(records, factors):
    emissions = compute_energy(records[records["year"] == 2022], factors).emissions
    frame = statistics_frame(emissions)["co2_t"]
    assert frame["energy"] == pytest.approx(335_000 * CO2_PER_T)  # no feedstock, no fugitive CH4
    assert np.isnan(frame["processes"])  # not estimated yet
    assert frame["total"] == pytest.approx(335_000 * CO2_PER_T + 200_000 * 0.4900)  # Hunan's 2022 factor


def test_industry_view_groups_combustion(records, factors):
    emissions = compute_energy(records[records["year"] == 2022], factors).emissions
    view = industry_view(emissions, {"raw_coal": 0.7143}, lang="en")
    assert view.loc["power", "co2_t"] == pytest.approx(200_000 * CO2_PER_T)
    assert view.loc["other industry", "energy_tce"] == pytest.approx(110_000 * 0.7143)
    assert view["share"].sum() == pytest.approx(1.0)


# ---- quarters and the notebook-level indicators ------------------------------------------------

def test_quarters_make_the_year_where_the_year_is_not_filed(records):
    assert [quarter_of(p) for p in ("2022Q3", "2022-11", "")] == [3, 4, None]
    annual = annual_records(records[records["year"] == 2022])
    residential = annual[(annual["category"] == "1.A.4.b") & (annual["period"] == "")]
    assert residential["value"].sum() == 25_000.0 and len(residential) == 4  # 10 000 + 4 000 + 3 000 + 8 000


def test_compiled_region_year(folder):
    energy = compile_energy("430523", 2022, folder, base_year=2020)
    indicators = energy.indicators
    # energy at coal equivalent: raw coal 250 005 + electricity 250 000 MWh × 0.3007 = 325 180 tce
    assert indicators.energy_tce == pytest.approx(325_180.0)
    assert indicators.feedstock_tce == pytest.approx(10_000 * 0.7143)
    # new renewables: (50 000 − 40 000) MWh × 0.3007 tce/MWh
    assert indicators.new_renewables_tce == pytest.approx(3_007.0)
    assert indicators.energy_controlled_tce == pytest.approx(325_180 - 7_143 - 3_007)
    assert indicators.per_gdp(indicators.energy_controlled_tce) == pytest.approx(315_030 / 1_000_000)
    assert indicators.gdp_basis == "constant" and indicators.population == 1_000_000
    table = energy.dual_control()
    assert list(table.columns) == ["指标", "2022", "2020", "变化"]
    quarters = energy.quarterly_table()
    assert quarters.set_index("项目").loc["合计", "Q1"] == pytest.approx(10_000 * CO2_PER_T)
    assert quarters.set_index("项目").loc["合计", "全年（季度之和）"] == pytest.approx(25_000 * CO2_PER_T)
    checks = set(energy.flags["check"])
    assert "balance_closure" not in checks  # 1.1 % is under the 5 % threshold
    assert energy.electricity_table()["因子系列"].tolist() == ["grid_province_hunan"]


def test_energy_balance_rows_take_their_own_flows(tmp_path):
    (tmp_path / "activity").mkdir()
    (tmp_path / "activity" / "bad.csv").write_text("\n".join([
        HEADER, "430523,2022,EB.F.industry,raw_coal,inflow,1,万吨,,",
        "430523,2022,EB.T.power,raw_coal,final_consumption,1,万吨,,",
        "430523,2022,1.A.2,raw_coal,consumption,1,万吨,,2022Q5",
        "430523,2022,1.A.2,raw_coal,consumption,1,万吨,,2021Q1",
    ]) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        read_activity(tmp_path)
    messages = {issue.line: issue.message for issue in raised.value.issues}
    assert "does not belong under EB.F.industry" in messages[2]
    assert "does not belong under EB.T.power" in messages[3]
    assert "not a quarter or month of 2022" in messages[4] and "not a quarter or month of 2022" in messages[5]


def test_tables_workbook(folder, tmp_path):
    from openpyxl import load_workbook

    from inventory.sectors.energy.compilation import write_tables

    path = write_tables(compile_energy("430523", 2022, folder), tmp_path / "energy.xlsx")
    workbook = load_workbook(path)
    wanted = {"能源平衡表（实物量）", "能源平衡表（标准量）", "参考方法", "双控指标", "季度核算"}
    assert wanted <= set(workbook.sheetnames)
    table = pd.read_excel(path, sheet_name="能源平衡表（实物量）", header=1)
    assert "可供本地区消费的能源量" in set(table.iloc[:, 0])
