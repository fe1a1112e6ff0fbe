"""The agriculture compute function on small data folders, every number worked by hand."""

import pandas as pd
import pytest

from inventory.core.activity import read_inputs
from inventory.core.methods import resolve_method
from inventory.sectors import get
from inventory.sectors.results import compute_sector, settings_for

HEADER = "region,year,category,item,quantity,value,unit,notation,uncertainty,source,note"
FACTOR_HEADER = "parameter,category,item,gas,value,unit,region,year_from,year_to,source"


def run(folder, method=""):
    activity, factors = read_inputs(folder)
    sector = get("agriculture")
    settings = settings_for(sector, method=resolve_method(method, factors.local_factor_sets()))
    return compute_sector(sector, activity.records, factors, settings)


def value(result, year, category, item, gas):
    rows = result.emissions
    found = rows[(rows["year"] == year) & (rows["category"] == category) & (rows["item"] == item)
                 & (rows["gas"] == gas)]
    assert len(found) == 1, (category, item, gas, len(found))
    return found.iloc[0]


def test_tier1_enteric_through_the_shipped_ipcc_default_is_the_published_figure(data_folder):
    # IPCC 2006 Vol.4 Table 10.11, Asia, other cattle: 47 kg CH4/head/yr; 1000 head → 47 t CH4
    folder = data_folder(activity={"a.csv": [HEADER, "430523,2022,3.A,non_dairy_cattle,population,1000,头,,,x,"]})
    row = value(run(folder, "ipcc2006"), 2022, "3.A.1.a.ii", "non_dairy_cattle", "CH4")
    assert row["emissions_t"] == pytest.approx(47.0)
    assert row["links"] == (("ef", "agriculture-0011"),)
    assert row["confidence"] == "verified"
    # the provincial guideline (default method): 农户散养 67.9 kg/head → 67.9 t, memory grade
    row = value(run(folder), 2022, "3.A.1.a.ii", "non_dairy_cattle", "CH4")
    assert row["emissions_t"] == pytest.approx(67.9)
    assert row["confidence"] == "memory"


POPULATION_DATA = [
    HEADER,
    "430523,2021,3.A,swine,stock_year_end,38,万头,,,x,",        # line 2
    "430523,2022,3.A,swine,stock_year_end,42,万头,,,x,",        # line 3
    "430523,2022,3.A,swine,slaughtered,73,万头,,,x,",           # line 4
    "430523,2021,3.A,buffalo,stock_year_end,11000,头,,,x,",     # line 5
    "430523,2022,3.A,buffalo,stock_year_end,13000,头,,,x,",     # line 6
    "430523,2022,3.A,goats,population,5000,头,,,x,",            # line 7
    "430523,2022,3.A,goats,stock_year_end,9000,头,,,x,",        # line 8
]


def test_population_derivation_in_the_sector(data_folder):
    folder = data_folder(activity={"a.csv": POPULATION_DATA},
                         factors={"f.csv": [FACTOR_HEADER, "days_alive,3.A,swine,,150,d,*,,,survey"]})
    result = run(folder, "ipcc2006")
    population = result.extras["population"].set_index(["year", "item"])
    # swine: Eq. 10.1, 150 d × 730 000 / 365 = 300 000 head (the days_alive row wins over the stock mean)
    assert population.loc[(2022, "swine"), "population"] == pytest.approx(300_000.0)
    assert population.loc[(2022, "swine"), "basis"] == "days_alive"
    assert population.loc[(2022, "swine"), "days_alive_id"] == "factors/f.csv:2"
    # buffalo: (13 000 + 11 000) / 2 = 12 000 head, from lines 6 and 5
    assert population.loc[(2022, "buffalo"), "population"] == pytest.approx(12_000.0)
    assert population.loc[(2022, "buffalo"), "records"] == "activity/a.csv:6; activity/a.csv:5"
    # goats: the population record wins over the stock
    assert population.loc[(2022, "goats"), "population"] == pytest.approx(5_000.0)
    # enteric: swine 300 000 × 1 kg / 1000 = 300 t; buffalo 12 000 × 55 / 1000 = 660 t; goats 5000 × 5 = 25 t
    assert value(result, 2022, "3.A.1.h", "swine", "CH4")["emissions_t"] == pytest.approx(300.0)
    assert value(result, 2022, "3.A.1.h", "swine", "CH4")["links"] == (("days_alive", "factors/f.csv:2"),
                                                                      ("ef", "agriculture-0009"))
    assert value(result, 2022, "3.A.1.b", "buffalo", "CH4")["emissions_t"] == pytest.approx(660.0)
    assert value(result, 2022, "3.A.1.d", "goats", "CH4")["emissions_t"] == pytest.approx(25.0)
    # 2021 has no stock of 2020: this year's stock stands in, flagged
    flags = result.flags[result.flags["check"] == "population_derivation"]
    assert set(zip(flags["year"], flags["item"])) == {(2021, "buffalo"), (2021, "swine")}


def test_tier2_enteric_where_ge_and_ym_are_given(data_folder):
    folder = data_folder(activity={"a.csv": [HEADER, "430523,2022,3.A,dairy_cattle,population,200,头,,,x,"]},
                         factors={"f.csv": [FACTOR_HEADER, "GE,3.A.1,dairy_cattle,,100,MJ/head/d,*,,,feed survey",
                                            "Ym,3.A.1,dairy_cattle,,6.5,%,*,,,feed survey"]})
    row = value(run(folder), 2022, "3.A.1.a.i", "dairy_cattle", "CH4")
    # EF = 100 × 0.065 × 365 / 55.65 = 42.632525 kg/head; × 200 / 1000 = 8.526505 t CH4
    assert row["emissions_t"] == pytest.approx(100 * 0.065 * 365 / 55.65 * 200 / 1000)
    assert row["emissions_t"] == pytest.approx(8.526505, rel=1e-6)
    assert row["links"] == (("GE", "factors/f.csv:2"), ("Ym", "factors/f.csv:3"))


MANURE_FACTORS = [FACTOR_HEADER,
                  "MS,3.A.2,swine.liquid_slurry,,0.4,1,*,,,survey",
                  "MS,3.A.2,swine.solid_storage,,0.5,1,*,,,survey",
                  "MS,3.A.2,swine.pasture,,0.1,1,*,,,survey",
                  "Frac_LeachMS,3.C.6,swine,,0.02,1,*,,,survey"]


def test_manure_n2o_chain_and_the_indirect_chain(data_folder):
    folder = data_folder(activity={"a.csv": [HEADER, "430523,2022,3.A,swine,population,300000,头,,,x,"]},
                         factors={"f.csv": MANURE_FACTORS})
    result = run(folder, "ipcc2006")
    # Nex = 0.50 × 28 / 1000 × 365 = 5.11 kg N/head/yr (Eq. 10.30)
    # liquid/slurry 300 000 × 5.11 × 0.4 / 1000 = 613.2 t N; solid storage × 0.5 = 766.5 t N; pasture unmanaged
    # direct: (613.2 × 0.005 + 766.5 × 0.005) = 6.8985 t N2O-N × 44/28 = 10.84050 t N2O
    direct = value(result, 2022, "3.A.2.h", "swine", "N2O")
    assert direct["emissions_t"] == pytest.approx(6.8985 * 44 / 28)
    assert ("MS", "factors/f.csv:2") in direct["links"] and ("EF3", "agriculture-0060") in direct["links"]
    # indirect (3.C.6): volatilised 613.2 × 0.48 + 766.5 × 0.45 = 294.336 + 344.925 = 639.261 t N;
    # × EF4 0.01 = 6.39261 t N2O-N; leached (613.2 + 766.5) × 0.02 = 27.594 t N × EF5 0.0075 = 0.206955;
    # (6.39261 + 0.206955) × 44/28 = 6.599565 × 44/28 = 10.370745 t N2O
    indirect = value(result, 2022, "3.C.6", "swine", "N2O")
    assert indirect["emissions_t"] == pytest.approx(6.599565 * 44 / 28)
    assert indirect["emissions_t"] == pytest.approx(10.3707450, rel=1e-7)
    # the provincial method takes its per-head factor: 300 000 × 0.157 kg / 1000 = 47.1 t N2O
    assert value(run(folder), 2022, "3.A.2.h", "swine", "N2O")["emissions_t"] == pytest.approx(47.1)
    # the N managed, by system, for the report: pasture's N is listed but not managed
    managed = result.extras["manure_n"].set_index("system")["managed_n_t"]
    assert managed["liquid_slurry"] == pytest.approx(613.2) and managed["pasture"] == 0.0


def test_without_shares_manure_n2o_indirect_is_flagged_not_zero(data_folder):
    folder = data_folder(activity={"a.csv": [HEADER, "430523,2022,3.A,poultry,population,1000,只,,,x,"]})
    result = run(folder, "ipcc2006")
    assert not (result.emissions["category"] == "3.C.6").any()
    flags = result.flags[(result.flags["category"] == "3.C.6") & (result.flags["item"] == "poultry")]
    assert len(flags) == 1 and "NE" in flags.iloc[0]["message"]
    # poultry has no enteric CH4 (NA): no 3.A.1 row, and no missing-factor flag for it
    assert not result.emissions["category"].str.startswith("3.A.1").any()


RICE_FACTORS = [FACTOR_HEADER,
                "SFw,3.C.7,early_rice,,0.52,1,430523,,,multiple aeration (Table 5.12)",
                "SFp,3.C.7,early_rice,,1.0,1,430523,,,non-flooded pre-season < 180 d",
                "season_days,3.C.7,early_rice,,110,d,430523,,,crop calendar",
                "ROA,3.C.7,early_rice.straw_long,,2,t/ha,430523,,,survey",
                "ROA,3.C.7,early_rice.farmyard_manure,,5,t/ha,430523,,,survey",
                "season_days,3.C.7,late_rice,,120,d,430523,,,crop calendar"]


def test_rice_scaling_factors_and_the_seasonal_factor(data_folder):
    folder = data_folder(activity={"a.csv": [HEADER, "430523,2022,3.C.7,early_rice,area,20000,公顷,,,x,",
                                             "430523,2022,3.C.7,late_rice,area,30,万亩,,,x,"]},
                         factors={"f.csv": RICE_FACTORS})
    result = run(folder, "ipcc2006")
    # early: SFo = (1 + 2 × 0.29 + 5 × 0.14)^0.59 = 2.28^0.59 = 1.626228;
    # EFi = 1.30 × 0.52 × 1.0 × 1.626228 × 1 = 1.099330 kg/ha/d; × 110 d × 20 000 ha / 1000 = 2418.527 t
    early = value(result, 2022, "3.C.7", "early_rice", "CH4")
    assert early["emissions_t"] == pytest.approx(1.30 * 0.52 * 2.28 ** 0.59 * 110 * 20_000 / 1000)
    assert early["emissions_t"] == pytest.approx(2418.527, rel=1e-6)
    # late: shipped SFw 0.78 (aggregated, irrigated) and SFp 1.22, no amendment:
    # 1.30 × 0.78 × 1.22 = 1.237080 kg/ha/d × 120 d × 20 000 ha (30 万亩 / 15) / 1000 = 2968.992 t
    late = value(result, 2022, "3.C.7", "late_rice", "CH4")
    assert late["emissions_t"] == pytest.approx(2968.992)
    assert ("SFw", "agriculture-0091") in late["links"]
    # the provincial method: 中南 seasonal factors 241.0 and 273.2 kg/ha
    provincial = run(folder)
    assert value(provincial, 2022, "3.C.7", "early_rice", "CH4")["emissions_t"] == pytest.approx(4820.0)
    assert value(provincial, 2022, "3.C.7", "late_rice", "CH4")["emissions_t"] == pytest.approx(5464.0)


SOIL_DATA = [HEADER,
             "430523,2022,3.C.4,synthetic_n,amount,10000,吨,,,x,",
             "430523,2022,3.C.4,synthetic_n,amount_flooded_rice,6000,吨,,,x,",
             "430523,2022,3.C.4,organic_n,amount,2000,吨,,,x,",
             "430523,2022,3.C.4,crop_residue_n,amount,1000,吨,,,x,",
             "430523,2022,3.C.3,urea,amount,1000,吨,,,x,",
             "430523,2022,3.C.2,limestone,amount,300,吨,,,x,",
             "430523,2022,3.C.2,dolomite,amount,100,吨,,,x,"]


def test_managed_soils_direct_indirect_urea_liming(data_folder):
    result = run(data_folder(activity={"a.csv": SOIL_DATA}), "ipcc2006")
    # synthetic: (4000 × 0.01 + 6000 × 0.003) × 44/28 = 58 × 44/28 = 91.142857
    assert value(result, 2022, "3.C.4", "synthetic_n", "N2O")["emissions_t"] == pytest.approx(58 * 44 / 28)
    # organic: 2000 × 0.01 × 44/28 = 31.428571; crop residue 1000 × 0.01 × 44/28 = 15.714286
    assert value(result, 2022, "3.C.4", "organic_n", "N2O")["emissions_t"] == pytest.approx(20 * 44 / 28)
    assert value(result, 2022, "3.C.4", "crop_residue_n", "N2O")["emissions_t"] == pytest.approx(10 * 44 / 28)
    # indirect synthetic: (10 000 × 0.1 × 0.01 + 10 000 × 0.3 × 0.0075) = 10 + 22.5 = 32.5 × 44/28
    assert value(result, 2022, "3.C.5", "synthetic_n", "N2O")["emissions_t"] == pytest.approx(32.5 * 44 / 28)
    # organic: 2000 × 0.2 × 0.01 + 2000 × 0.3 × 0.0075 = 4 + 4.5 = 8.5 × 44/28
    assert value(result, 2022, "3.C.5", "organic_n", "N2O")["emissions_t"] == pytest.approx(8.5 * 44 / 28)
    # crop residue: leaching only (Eq. 11.9 has no F_CR): 1000 × 0.3 × 0.0075 = 2.25 × 44/28
    assert value(result, 2022, "3.C.5", "crop_residue_n", "N2O")["emissions_t"] == pytest.approx(2.25 * 44 / 28)
    # urea 1000 × 0.20 × 44/12 = 733.333; limestone 300 × 0.12 × 44/12 = 132; dolomite 100 × 0.13 × 44/12
    assert value(result, 2022, "3.C.3", "urea", "CO2")["emissions_t"] == pytest.approx(200 * 44 / 12)
    assert value(result, 2022, "3.C.2", "limestone", "CO2")["emissions_t"] == pytest.approx(132.0)
    assert value(result, 2022, "3.C.2", "dolomite", "CO2")["emissions_t"] == pytest.approx(13 * 44 / 12)
    # the provincial method: region IV EF1 0.0109 for the non-rice part, IPCC EF1FR filling in for rice
    provincial = run(data_folder(activity={"a.csv": SOIL_DATA}))
    direct = value(provincial, 2022, "3.C.4", "synthetic_n", "N2O")
    assert direct["emissions_t"] == pytest.approx((4000 * 0.0109 + 6000 * 0.003) * 44 / 28)  # 96.8
    assert direct["links"] == (("EF1", "agriculture-0156"), ("EF1FR", "agriculture-0076"))


def test_a_local_ef_replaces_the_chain(data_folder):
    folder = data_folder(activity={"a.csv": SOIL_DATA[:2]},
                         factors={"f.csv": [FACTOR_HEADER, "ef,3.C.4,synthetic_n,N2O,0.02,t/t,*,,,local study"]})
    row = value(run(folder), 2022, "3.C.4", "synthetic_n", "N2O")
    assert row["emissions_t"] == pytest.approx(10_000 * 0.02)  # 200 t N2O
    assert row["links"] == (("ef", "factors/f.csv:2"),)


def test_flooded_rice_part_larger_than_the_amount_is_an_error_flag(data_folder):
    folder = data_folder(activity={"a.csv": [HEADER, "430523,2022,3.C.4,synthetic_n,amount,100,吨,,,x,",
                                             "430523,2022,3.C.4,synthetic_n,amount_flooded_rice,200,吨,,,x,"]})
    result = run(folder)
    assert not (result.emissions["category"] == "3.C.4").any()
    flag = result.flags[result.flags["check"] == "flooded_rice_share"]
    assert list(flag["severity"]) == ["error"]


def test_emissions_only_in_owned_categories_with_float_columns(data_folder):
    result = run(data_folder(activity={"a.csv": SOIL_DATA + POPULATION_DATA[1:]}))
    assert result.emissions["emissions_t"].dtype == float
    assert set(result.emissions["category"].str[:3]) <= {"3.A", "3.C"}
    assert isinstance(result.extras["population"], pd.DataFrame)


def test_a_record_no_method_reads_is_flagged_not_dropped(data_folder):
    folder = data_folder(activity={"a.csv": [HEADER, "430523,2022,3.C.5,synthetic_n,amount,100,吨,,,x,",
                                             "430523,2022,3.C.4,compound_fertiliser,amount,50,吨,,,x,"]})
    flags = run(folder).flags
    unread = flags[flags["check"] == "record_not_read"]
    assert sorted(unread["item"]) == ["compound_fertiliser", "synthetic_n"]
    assert "activity/a.csv:2" in " ".join(unread["message"])


def test_declared_years():
    sector = get("agriculture")
    # emissions of 2022 read the stocks of 2021 and 2022; the notebook's year-on-year check also 2020
    assert sector.input_years(2022, range(2015, 2024)) == [2021, 2022]
    assert sector.years_needed(2022, range(2015, 2024)) == [2020, 2021, 2022]


def test_slaughter_without_days_alive_or_stock_is_an_error_flag(data_folder):
    folder = data_folder(activity={"a.csv": [HEADER, "430523,2022,3.A,swine,slaughtered,1000,头,,,x,"]})
    result = run(folder)
    assert not result.emissions["item"].eq("swine").any()
    flag = result.flags[result.flags["check"] == "population_derivation"]
    assert list(flag["severity"]) == ["error"] and "NE" in flag.iloc[0]["message"]
