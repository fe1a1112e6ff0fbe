"""The IPPU equations (IPCC 2006 Vol.3), one test or more each, numbers worked by hand."""

import numpy as np
import pytest
import xarray as xr

from inventory.sectors.ippu.chemicals import CO2_PER_C, acid_n2o, ammonia_co2, petrochemical_co2, product_emissions
from inventory.sectors.ippu.metals import route_emissions
from inventory.sectors.ippu.minerals import (
    cement_co2_tier1,
    cement_co2_tier2,
    clinker_from_cement,
    glass_co2,
    lime_co2,
)
from inventory.sectors.ippu.product_uses import bank_emissions

REGIONS = ["430522", "430523"]


def per_region(values) -> xr.DataArray:
    return xr.DataArray(np.asarray(values, dtype=float), dims="region", coords={"region": REGIONS})


def test_co2_per_carbon_is_exactly_44_over_12():
    assert CO2_PER_C == 44.0 / 12.0


def test_clinker_from_cement_with_trade():
    # 2,000,000 t cement × 0.75 = 1,500,000 t clinker in the cement; − 100,000 imported + 20,000 exported
    # = 1,420,000 t clinker produced here; the other county: 400,000 × 0.95 = 380,000, no trade
    clinker = clinker_from_cement(per_region([2_000_000, 400_000]), per_region([0.75, 0.95]),
                                  per_region([100_000, 0]), per_region([20_000, 0]))
    xr.testing.assert_allclose(clinker, per_region([1_420_000, 380_000]))


def test_cement_tier1_published_figure():
    # IPCC Tier 1: 1,000,000 t clinker × 0.52 t CO2/t = 520,000 t CO2 (worked example, EFDB 213926)
    assert cement_co2_tier1(1_000_000.0, 0.52) == pytest.approx(520_000.0)


def test_cement_tier2_applies_the_kiln_dust_correction_once():
    # Tier 2: 1,000,000 t × 0.51 (before correction) × 1.02 = 520,200 t; with a measured CF_ckd 1.05: 535,500
    xr.testing.assert_allclose(cement_co2_tier2(per_region([1e6, 1e6]), 0.51, per_region([1.02, 1.05])),
                               per_region([520_200.0, 535_500.0]))


def test_lime_by_type_with_corrections():
    # high-calcium 10,000 t × 0.75 = 7,500 t; dolomitic 2,000 t × 0.77 × LKD 1.02 × Ch 0.97
    # = 1,540 × 1.02 = 1,570.8 × 0.97 = 1,523.676 t
    assert lime_co2(10_000.0, 0.75) == pytest.approx(7_500.0)
    assert lime_co2(2_000.0, 0.77, 1.02, 0.97) == pytest.approx(1_523.676)


def test_glass_with_cullet_ratio():
    # 50,000 t float glass × 0.21 × (1 − 0.2) = 8,400 t; the generic default: 50,000 × 0.20 × (1 − 0.5) = 5,000 t
    assert glass_co2(50_000.0, 0.21, 0.2) == pytest.approx(8_400.0)
    assert glass_co2(50_000.0, 0.20, 0.5) == pytest.approx(5_000.0)


def test_ammonia_feedstock_less_recovered():
    # 100,000 t NH3 × 30.2 GJ/t = 3,020,000 GJ = 3,020 TJ × 15.3 t C/TJ = 46,206 t C × 1 × 44/12
    # = 169,422 t CO2; less 50,000 t recovered for urea = 119,422 t
    assert ammonia_co2(100_000.0, 30.2, 15.3, 1.0) == pytest.approx(169_422.0)
    assert ammonia_co2(100_000.0, 30.2, 15.3, 1.0, 50_000.0) == pytest.approx(119_422.0)


def test_ammonia_chain_gives_the_table_3_1_factor():
    # 30.2 GJ/t × 15.3 t C/TJ / 1000 × 44/12 = 1.69422 t CO2/t: the EF 1.694 of IPCC Table 3.1 (EFDB 213980)
    assert ammonia_co2(1.0, 30.2, 15.3, 1.0) == pytest.approx(1.694, abs=5e-4)


def test_acid_n2o_with_abatement():
    # nitric acid 20,000 t × 9 kg/t = 180 t N2O; with DF 0.8 used 90 % of the time: × (1 − 0.72) = 50.4 t
    assert acid_n2o(20_000.0, 0.009) == pytest.approx(180.0)
    assert acid_n2o(20_000.0, 0.009, 0.8, 0.9) == pytest.approx(50.4)
    # adipic acid 1,000 t × 300 kg/t = 300 t, DF 0.9 × ASUF 0.95 → × 0.145 = 43.5 t
    assert acid_n2o(1_000.0, 0.3, 0.9, 0.95) == pytest.approx(43.5)


def test_product_emissions():
    # carbide 30,000 t × 1.09 = 32,700 t CO2; methanol 10,000 t × 2.3 kg/t = 23 t CH4
    xr.testing.assert_allclose(product_emissions(per_region([30_000, 10_000]), per_region([1.09, 0.0023])),
                               per_region([32_700.0, 23.0]))


def test_ethylene_geographic_adjustment_in_percent():
    # 200,000 t × 1.73 × 110 / 100 = 380,600 t CO2
    assert petrochemical_co2(200_000.0, 1.73, 110.0) == pytest.approx(380_600.0)


def test_metals():
    # BOF 500,000 t × 1.46 = 730,000; EAF 200,000 × 0.08 = 16,000 (Eq. 4.1 adds the routes)
    assert route_emissions(per_region([500_000, 200_000]), per_region([1.46, 0.08])).sum() == pytest.approx(746_000)
    # aluminium CWPB 100,000 t × 0.4 kg CF4/t = 40 t CF4
    assert route_emissions(100_000.0, 0.0004) == pytest.approx(40.0)


def test_bank_emissions():
    # 12 t SF6 in switchgear × 0.5 %/yr = 0.06 t SF6
    assert bank_emissions(12.0, 0.005) == pytest.approx(0.06)
