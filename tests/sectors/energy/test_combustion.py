"""inventory.sectors.energy.combustion: the fuel-combustion equations and compute_combustion (IPCC 1.A).

Hand calculations use the local factor rows of ``tests/fixtures/combustion/factors/local.csv`` (line
numbers in the comments) and the records of the ``combustion_records`` fixture.
"""

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from inventory.core.errors import InputError
from inventory.core.factors import load_factors
from inventory.core.provenance import factors_used
from inventory.core.schema import for_writing
from inventory.sectors.contract import Sector, Settings
from inventory.sectors.energy.combustion import (
    CO2_PER_C,
    carbon_in_non_energy_use,
    co2_emission_factor,
    co2_from_carbon_content,
    compute_combustion,
    emissions_from_activity,
    emissions_from_energy,
    fuel_energy,
)
from inventory.sectors.results import compute_sector

#: combustion alone, collected the way every sector's results are (CO2e, confidence, the contract)
COMBUSTION = Sector(name="combustion", title_zh="燃料燃烧", title_en="Fuel combustion", owns=("1.A", "M.NEU"),
                    compute=lambda records, factors, settings: compute_combustion(records, factors,
                                                                                  settings.factor_sets))

REGIONS = ["430522", "430523"]
YEARS = [2020, 2021]


def grid(values) -> xr.DataArray:
    """A (region, year) DataArray."""
    return xr.DataArray(np.asarray(values, dtype=float), dims=("region", "year"),
                        coords={"region": REGIONS, "year": YEARS})


def per_region(values) -> xr.DataArray:
    return xr.DataArray(np.asarray(values, dtype=float), dims="region", coords={"region": REGIONS})


# ---- the equations -----------------------------------------------------------------------------------


def test_co2_per_carbon_is_44_over_12():
    assert CO2_PER_C == pytest.approx(3.666667, rel=1e-6)


def test_fuel_energy():
    consumption = grid([[1000.0, 2000.0], [500.0, 0.0]])  # t diesel
    ncv = per_region([42.652, 43.0])  # GJ/t: GB/T 2589 diesel, IPCC 2006 Table 1.2 gas/diesel oil
    # 1000 t × 42.652 GJ/t / 1000 = 42.652 TJ; 2000 t → 85.304 TJ; 500 t × 43.0 / 1000 = 21.5 TJ; 0 → 0
    expected = grid([[42.652, 85.304], [21.5, 0.0]])
    xr.testing.assert_allclose(fuel_energy(consumption, ncv), expected)


def test_fuel_energy_of_gas_by_volume():
    consumption = grid([[1e6, 2e6], [0.0, 5e5]])  # m^3 natural gas (100 万立方米 ...)
    ncv = 0.038931  # GJ/m^3 = 389.31 GJ/(10^4 m^3)
    # 1e6 m^3 × 0.038931 GJ/m^3 / 1000 = 38.931 TJ; 2e6 → 77.862 TJ; 5e5 → 19.4655 TJ
    xr.testing.assert_allclose(fuel_energy(consumption, ncv), grid([[38.931, 77.862], [0.0, 19.4655]]))


def test_co2_emission_factor():
    carbon_content = per_region([20.2, 26.0])  # t C/TJ: diesel, raw coal
    oxidation = per_region([0.98, 0.9])
    # 20.2 × 0.98 × 44/12 = 72.58533 t CO2/TJ; 26.0 × 0.9 × 44/12 = 85.8 t CO2/TJ
    xr.testing.assert_allclose(co2_emission_factor(carbon_content, oxidation), per_region([72.585333, 85.8]))


def test_co2_from_carbon_content():
    energy = grid([[42.652, 85.304], [200.0, 0.0]])  # TJ
    carbon_content = per_region([20.2, 26.0])
    oxidation = per_region([0.98, 0.9])
    # 42.652 TJ × 20.2 tC/TJ × 0.98 × 44/12 = 3095.9096 t; 85.304 TJ → 6191.8193 t
    # 200 TJ × 26 × 0.9 × 44/12 = 17 160 t; 0 TJ → 0 t
    expected = grid([[3095.909637, 6191.819275], [17160.0, 0.0]])
    xr.testing.assert_allclose(co2_from_carbon_content(energy, carbon_content, oxidation), expected)


def test_emissions_from_energy():
    energy = grid([[42.652, 38.931], [200.0, 7.7862]])  # TJ
    emission_factor = per_region([3.0, 10.0])  # kg CH4/TJ
    # 42.652 TJ × 3 kg/TJ / 1000 = 0.127956 t; 38.931 × 3 / 1000 = 0.116793 t
    # 200 × 10 / 1000 = 2.0 t; 7.7862 × 10 / 1000 = 0.077862 t
    expected = grid([[0.127956, 0.116793], [2.0, 0.077862]])
    xr.testing.assert_allclose(emissions_from_energy(energy, emission_factor), expected)


def test_emissions_from_activity():
    activity = grid([[10_000.0, 5000.0], [0.0, 1.0]])  # t raw coal
    emission_factor = per_region([1.9, 2.5])  # t CO2/t
    # 10 000 t × 1.9 = 19 000 t; 5000 × 1.9 = 9500 t; 0 × 2.5 = 0; 1 × 2.5 = 2.5 t
    xr.testing.assert_allclose(emissions_from_activity(activity, emission_factor),
                               grid([[19_000.0, 9500.0], [0.0, 2.5]]))


def test_carbon_in_non_energy_use():
    feedstock = grid([[5e5, 1e5], [0.0, 6e5]])  # m^3 natural gas
    ncv = 0.038931  # GJ/m^3
    carbon_content = 15.3  # t C/TJ
    # 5e5 m^3 × 0.038931 / 1000 = 19.4655 TJ × 15.3 × 44/12 = 1092.0146 t CO2 (no oxidation factor)
    # 1e5 → 3.8931 TJ → 218.4029 t; 6e5 → 23.3586 TJ → 1310.4175 t
    expected = grid([[1092.014550, 218.402910], [0.0, 1310.417460]])
    xr.testing.assert_allclose(carbon_in_non_energy_use(feedstock, ncv, carbon_content), expected)


def test_equations_broadcast_without_losing_coordinates():
    energy = fuel_energy(grid([[1000.0, 1000.0], [1000.0, 1000.0]]), per_region([42.652, 43.0]))
    assert energy.dims == ("region", "year")
    assert list(energy["region"].values) == REGIONS
    assert list(energy["year"].values) == YEARS


# ---- compute_combustion on the fixture -----------------------------------------------------------------

#: (category, item, gas) → (t of gas, hand calculation)
EXPECTED = {
    # diesel 1.A.2 (line 2): 1000 t × 42 652 kJ/kg = 42.652 GJ/t → 42.652 TJ
    ("1.A.2", "diesel", "CO2"): 3095.909637,  # 42.652 TJ × 20.2 tC/TJ × 98 % × 44/12
    ("1.A.2", "diesel", "CH4"): 0.127956,  # 42.652 TJ × 3 kg/TJ / 1000
    ("1.A.2", "diesel", "N2O"): 0.0255912,  # 42.652 TJ × 0.6 kg/TJ / 1000
    # natural gas 1.A.2 (line 3): 1e6 m^3 × 389.31 GJ/(10^4 m^3) = 38 931 GJ = 38.931 TJ
    ("1.A.2", "natural_gas", "CO2"): 2162.188809,  # 38.931 × 15.3 × 0.99 × 44/12 (non-energy use not added)
    ("1.A.2", "natural_gas", "CH4"): 0.038931,  # 38.931 × 1 / 1000
    ("1.A.2", "natural_gas", "N2O"): 0.0038931,  # 38.931 × 0.1 / 1000
    # natural gas 1.A.4.b (line 4): 2e5 m^3 → 7.7862 TJ; the local CO2 ef 56 100 kg/TJ replaces the chain
    ("1.A.4.b", "natural_gas", "CO2"): 436.80582,  # 7.7862 TJ × 56 100 kg/TJ / 1000
    ("1.A.4.b", "natural_gas", "CH4"): 0.0077862,  # 7.7862 × 1 / 1000
    ("1.A.4.b", "natural_gas", "N2O"): 0.00077862,  # 7.7862 × 0.1 / 1000
    # raw coal 1.A.2 (line 5): 10 000 t; the local CO2 ef 1.9 t/t replaces the chain; 200 TJ for CH4/N2O
    ("1.A.2", "raw_coal", "CO2"): 19_000.0,  # 10 000 t × 1.9 t/t
    ("1.A.2", "raw_coal", "CH4"): 2.0,  # 10 000 t × 20 GJ/t / 1000 = 200 TJ × 10 kg/TJ / 1000
    ("1.A.2", "raw_coal", "N2O"): 0.3,  # 200 TJ × 1.5 kg/TJ / 1000
    # raw coal 1.A.1.a (line 6): no ef for CO2 here, the chain
    ("1.A.1.a", "raw_coal", "CO2"): 17_160.0,  # 200 TJ × 26 tC/TJ × 0.9 × 44/12
    ("1.A.1.a", "raw_coal", "CH4"): 2.0,
    ("1.A.1.a", "raw_coal", "N2O"): 0.3,
    # memo: natural gas as feedstock, 50 + 10 万立方米 = 6e5 m^3 → 23.3586 TJ
    ("M.NEU", "natural_gas", "CO2"): 1310.41746,  # 23.3586 TJ × 15.3 tC/TJ × 44/12
}
F = "factors/local.csv:"
A = "activity/energy.csv:"


class Collected:
    """A result as collected: emissions with co2e_t, confidence and the factor_ids text."""

    def __init__(self, records, factors, gwp="AR5"):
        result = compute_sector(COMBUSTION, records, factors, Settings(gwp=gwp))
        self.emissions = for_writing(result.emissions)
        self.flags = result.flags
        self.factors_used = factors_used(result.emissions, factors.rows)


@pytest.fixture(scope="module")
def combustion(combustion_records, combustion_factors):
    return Collected(combustion_records, combustion_factors, gwp="AR5")


def row(result, category, item, gas) -> dict:
    emissions = result.emissions
    match = emissions[(emissions["category"] == category) & (emissions["item"] == item) & (emissions["gas"] == gas)]
    assert len(match) == 1, (category, item, gas)
    return match.iloc[0].to_dict()


def test_every_expected_emission_and_nothing_else(combustion):
    emissions = combustion.emissions
    got = {(r["category"], r["item"], r["gas"]): r["emissions_t"] for r in emissions.to_dict("records")}
    assert set(got) == set(EXPECTED)
    for key, value in EXPECTED.items():
        assert got[key] == pytest.approx(value, rel=1e-9), key
    assert set(emissions["region"]) == {"430522"}
    assert set(emissions["year"]) == {2020}
    assert combustion.flags.empty


def test_co2e_with_ar5(combustion):
    # AR5: CH4 28, N2O 265
    assert row(combustion, "1.A.2", "raw_coal", "CH4")["co2e_t"] == pytest.approx(2.0 * 28)
    assert row(combustion, "1.A.2", "raw_coal", "N2O")["co2e_t"] == pytest.approx(0.3 * 265)
    assert row(combustion, "1.A.2", "raw_coal", "CO2")["co2e_t"] == pytest.approx(19_000.0)


def test_co2e_with_sar(combustion_records, combustion_factors):
    result = Collected(combustion_records, combustion_factors, gwp="SAR")
    # SAR: CH4 21, N2O 310
    assert row(result, "1.A.2", "raw_coal", "CH4")["co2e_t"] == pytest.approx(2.0 * 21)
    assert row(result, "1.A.2", "raw_coal", "N2O")["co2e_t"] == pytest.approx(0.3 * 310)


def test_non_energy_use_is_only_a_memo(combustion):
    emissions = combustion.emissions
    memo = emissions[emissions["category"] == "M.NEU"]
    assert memo[["item", "gas"]].values.tolist() == [["natural_gas", "CO2"]]
    assert memo.iloc[0]["activity_value"] == pytest.approx(600_000.0)  # 500 000 + 100 000 m^3
    assert memo.iloc[0]["energy_tj"] == pytest.approx(23.3586)
    assert set(memo.iloc[0]["records"].split("; ")) == {A + "7", A + "8"}
    # 1.A.1.a has feedstock natural gas but burns none: no combustion row for it
    assert emissions[(emissions["category"] == "1.A.1.a") & (emissions["item"] == "natural_gas")].empty


def test_chain_provenance(combustion):
    diesel = row(combustion, "1.A.2", "diesel", "CO2")
    assert diesel["records"] == A + "2"
    assert diesel["factor_ids"] == f"ncv={F}2; carbon_content={F}3; oxidation={F}4"
    assert diesel["method"] == "activity × NCV × CC × OF × 44/12"
    assert diesel["activity_value"] == 1000.0
    assert diesel["activity_unit"] == "t"
    assert diesel["energy_tj"] == pytest.approx(42.652)


def test_per_energy_ef_provenance(combustion):
    gas = row(combustion, "1.A.4.b", "natural_gas", "CO2")
    assert gas["records"] == A + "4"
    assert gas["factor_ids"] == f"ncv={F}7; ef={F}12"
    assert gas["method"] == "activity × NCV × EF"
    ch4 = row(combustion, "1.A.2", "diesel", "CH4")
    assert ch4["factor_ids"] == f"ncv={F}2; ef={F}5"


def test_per_activity_ef_replaces_the_chain(combustion):
    coal = row(combustion, "1.A.2", "raw_coal", "CO2")
    assert coal["records"] == A + "5"
    assert coal["factor_ids"] == f"ef={F}18"
    assert coal["method"] == "activity × EF"
    # the same fuel in 1.A.1.a has no ef row: the chain, with its own three factors
    assert row(combustion, "1.A.1.a", "raw_coal", "CO2")["factor_ids"] == (
        f"ncv={F}13; carbon_content={F}14; oxidation={F}15")


def test_memo_provenance(combustion):
    memo = row(combustion, "M.NEU", "natural_gas", "CO2")
    assert memo["factor_ids"] == f"ncv={F}7; carbon_content={F}8"


def test_confidence_is_the_worst_link(combustion):
    # line 3 (diesel carbon content) is 'secondary', line 6 (diesel N2O ef) 'memory', the rest 'local'
    assert row(combustion, "1.A.2", "diesel", "CO2")["confidence"] == "secondary"
    assert row(combustion, "1.A.2", "diesel", "CH4")["confidence"] == "local"
    assert row(combustion, "1.A.2", "diesel", "N2O")["confidence"] == "memory"
    assert row(combustion, "1.A.2", "natural_gas", "CO2")["confidence"] == "local"


def test_factors_used_are_the_rows_named(combustion):
    assert set(combustion.factors_used["id"]) == {F + str(line) for line in range(2, 19)}


def test_missing_factor_is_flagged_not_zero(combustion_records, combustion_factors):
    # 其他煤气 (other_gas) has no shipped NCV: its calorific value varies 3763–35544 kJ/m^3 by gas type
    other_gas = combustion_records.iloc[[1]].copy()
    other_gas[["item", "line"]] = ["other_gas", 42]
    result = compute_combustion(pd.concat([combustion_records, other_gas], ignore_index=True), combustion_factors)
    assert result.emissions[result.emissions["item"] == "other_gas"].empty  # not estimated, never 0
    flags = result.flags.set_index("gas")
    assert sorted(flags.index) == ["CH4", "CO2", "N2O"]
    assert set(flags["item"]) == {"other_gas"}
    assert set(flags["check"]) == {"missing_factor"}
    assert flags.loc["CO2", "severity"] == "error"
    assert flags.loc["CH4", "severity"] == "warning"
    assert "ncv" in flags.loc["CO2", "message"]
    # the other fuels are unaffected
    assert row(result, "1.A.2", "diesel", "CO2")["emissions_t"] == pytest.approx(3095.909637)


def test_ef_row_that_does_not_fit_the_activity_is_an_input_error(data_folder, combustion_records):
    folder = data_folder(factors={"local.csv": [
        "parameter,category,item,gas,value,unit,region,year_from,year_to,source",
        "ef,1.A.2,*,CO2,2,t/t,*,,,plant data for solid fuels",  # line 2: t/t cannot apply to m^3 of gas
    ]})
    with pytest.raises(InputError) as info:
        compute_combustion(combustion_records, load_factors(folder))
    assert [(i.file, i.line, i.column) for i in info.value.issues] == [("factors/local.csv", 2, "unit")]


def test_records_of_other_sectors_and_periods_are_ignored(combustion_records, combustion_factors):
    extra = combustion_records.iloc[[0]].copy()
    extra["period"] = "2020-01"  # a monthly record is not part of the annual sum
    extra["line"] = 99
    records = pd.concat([combustion_records, extra], ignore_index=True)
    result = compute_combustion(records, combustion_factors)
    assert row(result, "1.A.2", "diesel", "CO2")["emissions_t"] == pytest.approx(3095.909637)
