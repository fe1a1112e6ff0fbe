"""inventory.sectors.waste: biological treatment (4.B), incineration (4.C) and wastewater (4.D)
equations, each against hand arithmetic."""

import pytest
import xarray as xr

from inventory.sectors.waste.biological import biological_ch4, biological_n2o
from inventory.sectors.waste.incineration import CO2_PER_C, fossil_co2, incineration_emissions
from inventory.sectors.waste.wastewater import (
    N2O_PER_N,
    domestic_organics,
    effluent_n2o,
    effluent_nitrogen,
    industrial_organics,
    pathway_ef,
    plant_n2o,
    wastewater_ch4,
    wastewater_ef,
)


def test_exact_ratios():
    assert CO2_PER_C == 44 / 12
    assert N2O_PER_N == 44 / 28


def test_composting():
    # 20,000 t wet × 4 g CH4/kg = 80,000 kg = 80 t CH4; × 0.24 g N2O/kg = 4.8 t N2O
    assert biological_ch4(20000.0, 4.0) == pytest.approx(80.0)
    assert biological_n2o(20000.0, 0.24) == pytest.approx(4.8)


def test_anaerobic_digestion_with_recovery():
    # 5,000 t wet × 0.8 g/kg = 4 t CH4 generated, 1.5 t recovered → 2.5 t
    assert biological_ch4(5000.0, 0.8, recovered=1.5) == pytest.approx(2.5)


def test_fossil_co2():
    # 1000 t × dm 1 × CF 0.2 × FCF 0.39 × OF 0.95 × 44/12 = 74.1 × 44/12 = 271.7 t CO2
    assert fossil_co2(1000.0, 1.0, 0.2, 0.39, 0.95) == pytest.approx(271.7)
    # plastics: 100 t × 1 × 0.75 × 1 × 1 × 44/12 = 275 t
    assert fossil_co2(100.0, 1.0, 0.75, 1.0, 1.0) == pytest.approx(275.0)


def test_incineration_n2o():
    # 100,000 t × 50 g N2O/t (= 5e-5 t/t) = 5 t N2O
    assert incineration_emissions(100000.0, 5e-5) == pytest.approx(5.0)


def test_domestic_organics_and_ch4():
    # 1,000,000 persons × 40 g/d × 365 d × I 1.25 = 18,250,000 kg = 18,250 t BOD
    tow = domestic_organics(1_000_000.0, 40.0, 1.25)
    assert tow == pytest.approx(18250.0)
    # EF = Bo 0.6 × MCF 0.3 = 0.18; (18250 − 250 sludge) × 0.18 − 40 recovered = 3240 − 40 = 3200 t
    ef = wastewater_ef(0.6, 0.3)
    assert ef == pytest.approx(0.18)
    assert wastewater_ch4(tow, 250.0, ef, 40.0) == pytest.approx(3200.0)


def test_pathway_shares():
    # 0.6 × (0.7 × 0 + 0.2 × 0.5 + 0.1 × 0.1) = 0.6 × 0.11 = 0.066 t CH4/t BOD
    shares = xr.DataArray([0.7, 0.2, 0.1], dims="pathway")
    mcfs = xr.DataArray([0.0, 0.5, 0.1], dims="pathway")
    assert float(pathway_ef(0.6, shares, mcfs)) == pytest.approx(0.066)


def test_domestic_n2o():
    # N = 1,000,000 × 30 kg protein × 0.16 × 1.1 × 1.25 = 6,600,000 kg = 6600 t N
    nitrogen = effluent_nitrogen(1_000_000.0, 30.0, 0.16, 1.1, 1.25)
    assert nitrogen == pytest.approx(6600.0)
    # N2O = 6600 × 0.005 × 44/28 = 33 × 44/28 = 51.857 t
    assert effluent_n2o(nitrogen, 0.005) == pytest.approx(51.857142857)
    # plants: 1,000,000 × 0.6 × 1.25 × 3.2 g = 2,400,000 g = 2.4 t N2O
    assert plant_n2o(1_000_000.0, 0.6, 1.25, 3.2) == pytest.approx(2.4)


def test_industrial_organics_and_ch4():
    # 50,000 t beer × 6.3 m³/t × 2.9 kg COD/m³ = 913,500 kg = 913.5 t COD
    tow = industrial_organics(50000.0, 6.3, 2.9)
    assert tow == pytest.approx(913.5)
    # EF = 0.25 × 0.8 = 0.2; (913.5 − 13.5) × 0.2 − 0 = 180 t CH4
    assert wastewater_ch4(tow, 13.5, wastewater_ef(0.25, 0.8), 0.0) == pytest.approx(180.0)
