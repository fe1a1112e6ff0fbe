"""Hand-calculated checks of every agriculture equation (IPCC 2006 Vol.4 Ch.5, 10, 11)."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from inventory.sectors.agriculture import livestock, population, rice, soils


def test_exact_ratios():
    assert livestock.N2O_PER_N2O_N == 44 / 28
    assert soils.N2O_PER_N2O_N == 44 / 28
    assert soils.CO2_PER_C == 44 / 12


# --- population (Eq. 10.1 and the stock mean) ------------------------------------------------------

def test_population_from_days_alive():
    # 150 d × 730 000 pigs / 365 d = 300 000 head
    assert_allclose(population.population_from_days_alive(150.0, 730_000.0), 300_000.0)
    # vectorised: 55 d × 3 650 000 broilers / 365 = 550 000
    assert_allclose(population.population_from_days_alive(np.array([150.0, 55.0]), np.array([730_000.0, 3_650_000.0])),
                    [300_000.0, 550_000.0])


def test_population_from_stocks():
    # (420 000 + 380 000) / 2 = 400 000
    assert_allclose(population.population_from_stocks(420_000.0, 380_000.0), 400_000.0)


# --- livestock (Eq. 10.19, 10.21, 10.22, 10.25, 10.30) ----------------------------------------------

def test_enteric_ch4():
    # 47 kg CH4/head/yr × 12 000 head / 1000 = 564 t CH4
    assert_allclose(livestock.enteric_ch4(12_000.0, 47.0), 564.0)


def test_enteric_ef_tier2():
    # GE 100 MJ/d × Ym 0.065 × 365 d / 55.65 MJ/kg = 2372.5 / 55.65 = 42.632524... kg CH4/head/yr
    assert_allclose(livestock.enteric_ef_tier2(100.0, 0.065), 2372.5 / 55.65)
    assert_allclose(livestock.enteric_ef_tier2(100.0, 0.065), 42.6325247, rtol=1e-8)


def test_manure_ch4():
    # 5.85 kg/head × 400 000 head / 1000 = 2340 t CH4
    assert_allclose(livestock.manure_ch4(400_000.0, 5.85), 2340.0)


def test_n_excretion_rate():
    # Nrate 0.50 kg N/(1000 kg·d) × TAM 28 kg / 1000 × 365 = 5.11 kg N/head/yr
    assert_allclose(livestock.n_excretion_rate(0.50, 28.0), 5.11)


def test_managed_manure_n_and_direct_n2o():
    # 400 000 head × 5.11 kg N × MS 0.4 / 1000 = 817.6 t N
    managed = livestock.managed_manure_n(400_000.0, 5.11, 0.4)
    assert_allclose(managed, 817.6)
    # 817.6 t N × EF3 0.005 = 4.088 t N2O-N × 44/28 = 6.424 t N2O
    assert_allclose(livestock.direct_manure_n2o(managed, 0.005), 4.088 * 44 / 28)
    assert_allclose(livestock.direct_manure_n2o(managed, 0.005), 6.424, rtol=1e-12)


# --- rice (Eq. 5.1-5.3) -----------------------------------------------------------------------------

def test_organic_amendment_sf():
    # straw 2 t/ha × CFOA 0.29 + farmyard manure 5 t/ha × 0.14 = 0.58 + 0.70 = 1.28; (1 + 1.28)^0.59
    expected = 2.28 ** 0.59  # = 1.6261...
    assert_allclose(rice.organic_amendment_sf([2.0, 5.0], [0.29, 0.14]), expected)
    assert_allclose(expected, 1.626, atol=5e-4)
    # no amendment: (1 + 0)^0.59 = 1; a NaN rate counts as none applied
    assert_allclose(rice.organic_amendment_sf([np.nan, 0.0], [1.0, 0.14]), 1.0)
    # vectorised over cells (rows) × amendments (last axis)
    assert_allclose(rice.organic_amendment_sf([[1.0, 0.0], [0.0, 0.0]], [[1.0, 0.5], [1.0, 0.5]]), [2 ** 0.59, 1.0])


def test_adjusted_daily_ef_and_rice_ch4():
    # EFc 1.30 × SFw 0.52 (multiple aeration) × SFp 1.0 × SFo 1.626 × SFs 1 = 1.0991... kg/ha/d
    ef = rice.adjusted_daily_ef(1.30, 0.52, 1.0, 1.626, 1.0)
    assert_allclose(ef, 1.30 * 0.52 * 1.626)
    assert_allclose(ef, 1.099176)
    # 1.099176 kg/ha/d × 110 d × 20 000 ha / 1000 = 2418.1872 t CH4
    assert_allclose(rice.rice_ch4(ef, 110.0, 20_000.0), 2418.1872)


def test_rice_scaling_factors_multiply():
    # each factor scales the baseline linearly: halving SFw halves the factor
    assert_allclose(rice.adjusted_daily_ef(1.30, 0.5, 1.9, 1.0, 1.0), 1.30 * 0.5 * 1.9)  # = 1.235
    assert_allclose(rice.adjusted_daily_ef(1.30, 0.5, 1.9, 1.0, 1.0), 1.235)


def test_rice_ch4_seasonal():
    # 中南 late rice 273.2 kg/ha × 30 000 ha / 1000 = 8196 t CH4
    assert_allclose(rice.rice_ch4_seasonal(30_000.0, 273.2), 8196.0)


# --- soils (Eq. 11.1, 11.9, 11.10, 11.12, 11.13) ----------------------------------------------------

def test_direct_soil_n2o_with_flooded_rice():
    # 10 000 t N, of which 6 000 t on flooded rice: (4 000 × 0.01 + 6 000 × 0.003) = 40 + 18 = 58 t N2O-N
    # × 44/28 = 91.142857... t N2O
    assert_allclose(soils.direct_soil_n2o(10_000.0, 6_000.0, 0.01, 0.003), 58.0 * 44 / 28)
    assert_allclose(soils.direct_soil_n2o(10_000.0, 6_000.0, 0.01, 0.003), 91.1428571, rtol=1e-8)
    # none on rice: 10 000 × 0.01 = 100 t N2O-N → 157.142857 t N2O
    assert_allclose(soils.direct_soil_n2o(10_000.0, 0.0, 0.01, 0.003), 157.1428571, rtol=1e-8)


def test_pasture_n2o():
    # 500 t N × EF3PRP 0.02 = 10 t N2O-N × 44/28 = 15.714286 t N2O
    assert_allclose(soils.pasture_n2o(500.0, 0.02), 15.7142857, rtol=1e-8)


def test_indirect_chain_soils():
    # synthetic N 10 000 t: volatilised 10 000 × 0.10 = 1 000 t N; × EF4 0.01 = 10 t N2O-N × 44/28 = 15.714286
    vol = soils.volatilised_n(10_000.0, 0.10)
    assert_allclose(vol, 1_000.0)
    assert_allclose(soils.n2o_from_deposition(vol, 0.01), 15.7142857, rtol=1e-8)
    # leached 10 000 × 0.30 = 3 000 t N; × EF5 0.0075 = 22.5 t N2O-N × 44/28 = 35.357143 t N2O
    leach = soils.leached_n(10_000.0, 0.30)
    assert_allclose(leach, 3_000.0)
    assert_allclose(soils.n2o_from_leaching(leach, 0.0075), 35.3571429, rtol=1e-8)


def test_indirect_chain_manure():
    # 817.6 t N in liquid slurry; Frac_GasMS 0.48 → 392.448 t N; × 0.01 × 44/28 = 6.167040 t N2O
    vol = soils.volatilised_n(817.6, 0.48)
    assert_allclose(vol, 392.448)
    assert_allclose(soils.n2o_from_deposition(vol, 0.01), 3.92448 * 44 / 28)
    assert_allclose(soils.n2o_from_deposition(vol, 0.01), 6.16704, rtol=1e-9)


def test_urea_and_liming_co2():
    # 1 000 t urea × 0.20 t C/t = 200 t C × 44/12 = 733.333 t CO2
    assert_allclose(soils.urea_co2(1_000.0, 0.20), 733.3333333, rtol=1e-9)
    # 300 t limestone × 0.12 = 36 t C → 132 t CO2; 100 t dolomite × 0.13 = 13 t C → 47.666667 t CO2
    assert_allclose(soils.liming_co2(300.0, 0.12), 132.0)
    assert_allclose(soils.liming_co2(100.0, 0.13), 47.6666667, rtol=1e-9)


@pytest.mark.parametrize("function", [livestock.enteric_ch4, livestock.manure_ch4])
def test_per_head_functions_are_vectorised(function):
    assert_allclose(function(np.array([1000.0, 2000.0]), np.array([1.0, 68.0])), [1.0, 136.0])


def test_manure_n2o_per_head():
    # 中南 swine 0.157 kg N2O/head/yr × 300 000 head / 1000 = 47.1 t N2O
    assert_allclose(livestock.manure_n2o_per_head(300_000.0, 0.157), 47.1)
