"""inventory.sectors.ippu.compute through the shipped defaults and local rows: the published figure,
the kiln dust counted once, the override path, 万吨, compound items, missing factors, and the
carbon of feedstock counted once between energy and IPPU. Numbers worked by hand in the comments."""

import pytest

from inventory.core.activity import read_activity
from inventory.core.factors import load_factors
from inventory.sectors import get
from inventory.sectors.contract import Settings
from inventory.sectors.energy import SECTOR as ENERGY
from inventory.sectors.ippu import SECTOR as IPPU
from inventory.sectors.results import compute_sector

HEADER = "region,year,category,item,quantity,value,unit"
FACTOR_HEADER = "parameter,category,item,gas,value,unit,region,year_from,year_to,source"
IPCC = Settings(factor_sets=("ipcc2006",))
PROVINCIAL = Settings(factor_sets=("cn_guideline", "cn_equivalent", "ipcc2006"))


def run(folder, settings=IPCC, sector=IPPU):
    activity = read_activity(folder)
    return compute_sector(sector, activity.records, load_factors(folder), settings)


def row(result, category, item, gas="CO2"):
    emissions = result.emissions
    found = emissions[(emissions["category"] == category) & (emissions["item"] == item) & (emissions["gas"] == gas)]
    assert len(found) == 1, f"{category} {item} {gas}: {len(found)} rows"
    return found.iloc[0]


def test_registered_as_a_builtin_sector():
    assert get("ippu") is IPPU
    assert IPPU.owns_category("2.A.1") and not IPPU.owns_category("1.A.2")


def test_published_figure_one_mt_clinker_through_the_shipped_ipcc_default(data_folder):
    # 1,000,000 t clinker × 0.52 t CO2/t (IPCC Tier 1, EFDB 213926) = 520,000 t CO2
    folder = data_folder(activity={"ippu.csv": [HEADER, "430523,2022,2.A.1,clinker,production,1000000,t"]})
    result = run(folder)
    cement = row(result, "2.A.1", "clinker")
    assert cement["emissions_t"] == pytest.approx(520_000.0)
    assert cement["co2e_t"] == pytest.approx(520_000.0)
    assert dict(cement["links"]) == {"ef": "ippu-0001"}
    assert cement["confidence"] == "verified"


def test_kiln_dust_correction_is_not_applied_to_the_tier1_factor(data_folder):
    # The shipped CF_ckd 1.02 exists, but 0.52 already contains it: 1,000,000 × 0.52 × 1.02 = 530,400 would be the
    # double count; the result is 520,000 and CF_ckd is not among the links
    folder = data_folder(activity={"ippu.csv": [HEADER, "430523,2022,2.A.1,clinker,production,1000000,t"]})
    cement = row(run(folder), "2.A.1", "clinker")
    assert cement["emissions_t"] != pytest.approx(530_400.0)
    assert "CF_ckd" not in dict(cement["links"])


def test_units_wan_tonnes(data_folder):
    # 100 万吨 = 1,000,000 t clinker → 520,000 t CO2; 0.5 万吨 lime = 5,000 t × 0.75 = 3,750 t
    folder = data_folder(activity={"ippu.csv": [HEADER, "430523,2022,2.A.1,clinker,production,100,万吨",
                                                "430523,2022,2.A.2,lime,production,0.5,万吨"]})
    result = run(folder)
    assert row(result, "2.A.1", "clinker")["emissions_t"] == pytest.approx(520_000.0)
    assert row(result, "2.A.2", "lime")["activity_value"] == pytest.approx(5_000.0)
    assert row(result, "2.A.2", "lime")["emissions_t"] == pytest.approx(3_750.0)


def test_provincial_method_takes_its_own_memory_factor(data_folder):
    # 1,000,000 t × 0.538 (provincial guideline, memory grade) = 538,000 t, flagged as unverified (memory)
    folder = data_folder(activity={"ippu.csv": [HEADER, "430523,2022,2.A.1,clinker,production,1000000,t"]})
    cement = row(run(folder, PROVINCIAL), "2.A.1", "clinker")
    assert cement["emissions_t"] == pytest.approx(538_000.0)
    assert cement["confidence"] == "memory"


def test_local_ef_row_overrides_the_shipped_default(data_folder):
    # a plant-measured whole factor 0.505 t/t: 1,000,000 × 0.505 = 505,000 t, whatever the method
    folder = data_folder(
        activity={"ippu.csv": [HEADER, "430523,2022,2.A.1,clinker,production,1000000,t"]},
        factors={"plant.csv": [FACTOR_HEADER, "ef,2.A.1,clinker,CO2,0.505,t/t,430523,,,plant measurement 2022"]})
    for settings in (IPCC, PROVINCIAL):
        cement = row(run(folder, settings), "2.A.1", "clinker")
        assert cement["emissions_t"] == pytest.approx(505_000.0)
        assert cement["confidence"] == "local"


def test_local_tier2_factor_takes_the_chain_with_the_kiln_dust_correction(data_folder):
    # a plant's clinker factor before correction (from its CaO and MgO) 0.51: the Tier 2 chain replaces the shipped
    # Tier 1 ef, with the shipped CF_ckd 1.02: 1,000,000 × 0.51 × 1.02 = 520,200 t
    folder = data_folder(
        activity={"ippu.csv": [HEADER, "430523,2022,2.A.1,clinker,production,1000000,t"]},
        factors={"plant.csv": [FACTOR_HEADER,
                               "EF_process,2.A.1,clinker,CO2,0.51,t/t,430523,,,plant CaO/MgO analysis 2022"]})
    cement = row(run(folder), "2.A.1", "clinker")
    assert cement["emissions_t"] == pytest.approx(520_200.0)
    assert dict(cement["links"])["CF_ckd"] == "ippu-0002"


def test_clinker_from_cement_and_trade(data_folder):
    # no clinker filed: 200 万吨 cement × 0.75 = 1,500,000 t − 10 万吨 imported = 1,400,000 t × 0.52 = 728,000 t
    folder = data_folder(activity={"ippu.csv": [HEADER, "430522,2022,2.A.1,cement,production,200,万吨",
                                                "430522,2022,2.A.1,clinker,import,10,万吨"]})
    cement = row(run(folder), "2.A.1", "clinker")
    assert cement["activity_value"] == pytest.approx(1_400_000.0)
    assert cement["emissions_t"] == pytest.approx(728_000.0)
    assert dict(cement["links"]) == {"clinker_fraction": "ippu-0003", "ef": "ippu-0001"}
    assert "ippu.csv:2" in cement["records"] and "ippu.csv:3" in cement["records"]


def test_compound_item_takes_its_own_row_else_its_parents(data_folder):
    # dolomitic lime has its own row: 1,000 t × 0.77 = 770 t; hydraulic too: 1,000 × 0.59 = 590;
    # nitric acid of an unknown plant type: 1,000 t × 9 kg/t = 9 t N2O (high-pressure value)
    folder = data_folder(activity={"ippu.csv": [HEADER, "430523,2022,2.A.2,lime.dolomitic,production,1000,t",
                                                "430523,2022,2.A.2,lime.hydraulic,production,1000,t",
                                                "430523,2022,2.B.2,nitric_acid,production,1000,t"]})
    result = run(folder)
    assert row(result, "2.A.2", "lime.dolomitic")["emissions_t"] == pytest.approx(770.0)
    assert row(result, "2.A.2", "lime.hydraulic")["emissions_t"] == pytest.approx(590.0)
    assert row(result, "2.B.2", "nitric_acid", "N2O")["emissions_t"] == pytest.approx(9.0)


def test_parent_row_serves_a_subtype_without_its_own(data_folder):
    # aluminium.vss has no row of its own: the local row of its parent item serves it, 2,000 t × 1.65 = 3,300 t;
    # steel.bof has its own (memory) row: 1,000 × 1.46 = 1,460 t
    folder = data_folder(activity={"ippu.csv": [HEADER, "430523,2022,2.C.3,aluminium.vss,production,2000,t",
                                                "430523,2022,2.C.1,steel.bof,production,1000,t"]},
                         factors={"plant.csv": [FACTOR_HEADER, "ef,2.C.3,aluminium,CO2,1.65,t/t,*,,,smelter report"]})
    result = run(folder)
    assert row(result, "2.C.3", "aluminium.vss")["emissions_t"] == pytest.approx(3_300.0)
    assert row(result, "2.C.1", "steel.bof")["emissions_t"] == pytest.approx(1_460.0)
    assert row(result, "2.C.1", "steel.bof")["confidence"] == "memory"
    # no CF4 / C2F6 row for aluminium.vss (nor its parent): flagged, not zero
    assert {"CF4", "C2F6"} <= set(result.flags.loc[result.flags["item"] == "aluminium.vss", "gas"])


def test_glass_nitric_abatement_and_ethylene_gaf_from_local_rows(data_folder):
    # flat glass 10,000 t × 0.21 × (1 − 0.5) = 1,050 t CO2
    # nitric acid (medium pressure) 10,000 t × 7 kg/t × (1 − 0.9 × 0.8) = 70 × 0.28 = 19.6 t N2O
    # ethylene 100,000 t × 1.73 × 110 % = 190,300 t CO2; CH4 100,000 × 3 kg/t × 1.1 = 330 t
    folder = data_folder(
        activity={"ippu.csv": [HEADER, "430523,2022,2.A.3,flat_glass,production,10000,t",
                               "430523,2022,2.B.2,nitric_acid.medium_pressure,production,10000,t",
                               "430523,2022,2.B.8.b,ethylene,production,100000,t"]},
        factors={"plant.csv": [FACTOR_HEADER, "DF,2.B.2,*,,0.9,,430523,,,plant abatement",
                               "ASUF,2.B.2,*,,0.8,,430523,,,plant abatement log",
                               "GAF,2.B.8.b,ethylene,,110,%,*,,,IPCC 2006 Vol.3 Table 3.15 (test value)"]})
    result = run(folder)
    assert row(result, "2.A.3", "flat_glass")["emissions_t"] == pytest.approx(1_050.0)
    assert row(result, "2.B.2", "nitric_acid.medium_pressure", "N2O")["emissions_t"] == pytest.approx(19.6)
    assert row(result, "2.B.8.b", "ethylene")["emissions_t"] == pytest.approx(190_300.0)
    assert row(result, "2.B.8.b", "ethylene", "CH4")["emissions_t"] == pytest.approx(330.0)


def test_missing_factor_is_flagged_not_zero(data_folder):
    # ethylene without a GAF row, SF6 bank without an emission rate: no emission row, one error/warning each
    folder = data_folder(activity={"ippu.csv": [HEADER, "430523,2022,2.B.8.b,ethylene,production,1000,t",
                                                "430523,2022,2.G.1,sf6,bank,3,t"]})
    result = run(folder)
    assert result.emissions.empty
    flags = result.flags
    assert set(zip(flags["item"], flags["gas"])) == {("ethylene", "CO2"), ("ethylene", "CH4"), ("sf6", "SF6")}
    assert (flags["check"] == "missing_factor").all()
    assert "GAF" in flags.loc[flags["gas"] == "CO2", "message"].iloc[0]


def test_sf6_bank_with_a_local_rate(data_folder):
    # 3 t SF6 × 0.01 = 0.03 t SF6 × GWP AR5 23,500 = 705 t CO2e
    folder = data_folder(activity={"ippu.csv": [HEADER, "430523,2022,2.G.1,sf6,bank,3,t"]},
                         factors={"grid.csv": [FACTOR_HEADER, "ef,2.G.1,sf6,SF6,0.01,t/t,430523,,,grid company"]})
    sf6 = row(run(folder), "2.G.1", "sf6", "SF6")
    assert sf6["emissions_t"] == pytest.approx(0.03)
    assert sf6["co2e_t"] == pytest.approx(705.0)


def test_ammonia_co2_recovered_for_urea(data_folder):
    # 1,000 t × 30.2 GJ/t × 15.3 t C/TJ / 1000 × 1 × 44/12 = 1,694.22 t; − 500 t recovered = 1,194.22 t
    folder = data_folder(activity={"ippu.csv": [HEADER, "430523,2022,2.B.1,ammonia,production,1000,t",
                                                "430523,2022,2.B.1,ammonia,co2_recovered,500,t"]})
    ammonia = row(run(folder), "2.B.1", "ammonia")
    assert ammonia["emissions_t"] == pytest.approx(1_194.22)
    assert dict(ammonia["links"]) == {"FR": "ippu-0013", "CCF": "fuels-0044:CCF", "COF": "derived-ippu-cof"}
    assert ammonia["confidence"] == "derived"  # COF derived here: flagged as unverified


def test_recovery_above_generation_is_an_error_flag(data_folder):
    folder = data_folder(activity={"ippu.csv": [HEADER, "430523,2022,2.B.1,ammonia,production,100,t",
                                                "430523,2022,2.B.1,ammonia,co2_recovered,500,t"]})
    result = run(folder)
    assert row(result, "2.B.1", "ammonia")["emissions_t"] == 0.0
    assert (result.flags["check"] == "co2_recovered").any()


def test_feedstock_carbon_is_counted_once_between_energy_and_ippu(data_folder):
    """Natural gas as ammonia feedstock: energy reports it as non_energy_use (memo M.NEU, outside the total),
    IPPU counts its carbon as 2.B.1 process CO2. Nothing twice, nothing dropped.

    Energy (local rows): NCV 37.75 MJ/m^3, CC 15.3 t C/TJ, oxidation 0.99.
    burned 100 万 m^3 = 1,000,000 m^3 × 0.03775 GJ/m^3 = 37.75 TJ × 15.3 × 0.99 × 44/12 = 2,096.59725 t CO2
    feedstock 800 万 m^3 = 8,000,000 m^3 × 0.03775 = 302 TJ × 15.3 × 44/12 = 16,942.2 t CO2 (memo M.NEU)
    IPPU: 10,000 t NH3 × 30.2 GJ/t = 302 TJ × 15.3 × 1 × 44/12 = 16,942.2 t CO2 (2.B.1)
    Inventory CO2 = 2,096.59725 + 16,942.2 = 19,038.79725 t
    """
    folder = data_folder(
        activity={"energy.csv": [HEADER, "430523,2022,1.A.2,natural_gas,consumption,100,万立方米",
                                 "430523,2022,1.A.2.c,natural_gas,non_energy_use,800,万立方米"],
                  "ippu.csv": [HEADER, "430523,2022,2.B.1,ammonia,production,10000,t"]},
        factors={"energy.csv": [FACTOR_HEADER, "ncv,*,natural_gas,,37750,kJ/m^3,*,,,test",
                                "carbon_content,*,natural_gas,,15.3,t/TJ,*,,,test",
                                "oxidation,*,natural_gas,,0.99,,*,,,test"]})
    energy = run(folder, IPCC, ENERGY).emissions
    ippu = run(folder, IPCC, IPPU).emissions
    energy_co2 = energy[(energy["gas"] == "CO2") & ~energy["category"].str.startswith("M.")]["emissions_t"].sum()
    memo = energy[energy["category"] == "M.NEU"]["emissions_t"].sum()
    process = ippu[ippu["gas"] == "CO2"]["emissions_t"].sum()
    assert energy_co2 == pytest.approx(2_096.59725)  # the feedstock is not burned in energy
    assert memo == pytest.approx(16_942.2)
    assert process == pytest.approx(16_942.2)  # the memo's carbon appears once, in IPPU
    assert energy_co2 + process == pytest.approx(19_038.79725)


def test_records_of_other_sectors_and_notation_keys_are_ignored(data_folder):
    folder = data_folder(activity={
        "mixed.csv": ["region,year,category,item,quantity,value,unit,notation",
                      "430523,2022,1.A.2,diesel,consumption,100,t,",
                      "430523,2022,2.A.3,flat_glass,production,,,NO",
                      "430523,2022,2.A.2,lime,production,1000,t,"]})
    result = run(folder)
    assert set(result.emissions["category"]) == {"2.A.2"}
    assert result.flags.empty


def test_clinker_from_other_regions_counts_as_trade(data_folder):
    # 100 万吨 cement × 0.75 = 750,000 t; + 5 万吨 imported + 5 万吨 from other counties (inflow) − 2 万吨 sent out
    # (outflow): 750,000 − 100,000 + 20,000 = 670,000 t clinker × 0.52 = 348,400 t CO2
    folder = data_folder(activity={"ippu.csv": [HEADER, "430522,2022,2.A.1,cement,production,100,万吨",
                                                "430522,2022,2.A.1,clinker,import,5,万吨",
                                                "430522,2022,2.A.1,clinker,inflow,5,万吨",
                                                "430522,2022,2.A.1,clinker,outflow,2,万吨"]})
    cement = row(run(folder), "2.A.1", "clinker")
    assert cement["activity_value"] == pytest.approx(670_000.0)
    assert cement["emissions_t"] == pytest.approx(348_400.0)


def test_a_local_kiln_dust_factor_alone_is_not_applied_to_the_whole_factor_and_says_so(data_folder):
    # a plant's CF_ckd 1.05 without its own EF_process: the Tier 1 ef 0.52 (kiln dust inside) stays alone,
    # 1,000,000 × 0.52 = 520,000 t (not 546,000), and a warning says why the local row is unused
    folder = data_folder(
        activity={"ippu.csv": [HEADER, "430523,2022,2.A.1,clinker,production,1000000,t"]},
        factors={"plant.csv": [FACTOR_HEADER, "CF_ckd,2.A.1,clinker,,1.05,,430523,,,plant CKD measurement"]})
    result = run(folder)
    assert row(result, "2.A.1", "clinker")["emissions_t"] == pytest.approx(520_000.0)
    flag = result.flags[result.flags["check"] == "correction_not_applied"]
    assert len(flag) == 1 and "CF_ckd" in flag["message"].iloc[0] and "EF_process" in flag["message"].iloc[0]
