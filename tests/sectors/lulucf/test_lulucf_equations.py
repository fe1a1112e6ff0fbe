"""The LULUCF equations, each against numbers worked by hand (arithmetic in the comments)."""

import numpy as np
import xarray as xr
from numpy.testing import assert_allclose

from inventory.sectors.lulucf.conversion import biomass_loss_on_conversion, dry_matter_of_volume, fire_non_co2
from inventory.sectors.lulucf.forest import (
    CO2_PER_C,
    biomass_carbon_of_volume,
    co2_of_stock_change,
    gain_from_area,
    gain_from_increment,
    loss_from_volume,
    stock_change,
)
from inventory.sectors.lulucf.other_wooded import stock_difference_by_area

# Chinese fir (杉木) with BEF 1.634, D 0.307, R 0.246, CF 0.52:
# 1.634 × 0.307 = 0.501638; × 1.246 = 0.625040948; × 0.52 = 0.32502129296 t C per m³
FIR = dict(biomass_expansion_factor=1.634, wood_density=0.307, root_shoot_ratio=0.246, carbon_fraction=0.52)
FIR_C_PER_M3 = 0.32502129296


def test_co2_per_c_is_exact():
    assert CO2_PER_C == 44.0 / 12.0


def test_carbon_of_volume():
    assert_allclose(biomass_carbon_of_volume(1.0, **FIR), FIR_C_PER_M3, rtol=1e-12)


def test_stock_volume_sink_is_negative():
    # growth 1000 m³ → 325.02129296 t C; loss 400 m³ → 130.008517184 t C
    # ΔC = 195.012775776 t C; CO2 = −195.012775776 × 44/12 = −715.046844512 t
    gain = biomass_carbon_of_volume(xr.DataArray([1000.0]), **FIR)
    loss = biomass_carbon_of_volume(xr.DataArray([400.0]), **FIR)
    delta = stock_change(gain, loss)
    assert_allclose(delta.values, [195.012775776], rtol=1e-12)
    co2 = co2_of_stock_change(delta)
    assert_allclose(co2.values, [-715.046844512], rtol=1e-12)
    assert float(co2[0]) < 0


def test_net_loss_when_harvest_exceeds_growth_is_positive():
    # growth 300 m³, loss 500 m³: ΔC = −200 × 0.32502129296 = −65.004258592 t C
    # CO2 = 65.004258592 × 44/12 = 238.348948170667 t (an emission)
    delta = stock_change(biomass_carbon_of_volume(300.0, **FIR), biomass_carbon_of_volume(500.0, **FIR))
    assert_allclose(delta, -65.004258592, rtol=1e-12)
    assert_allclose(co2_of_stock_change(delta), 238.348948170667, rtol=1e-12)


def test_gain_loss_by_volume_bcef():
    # gain: 1000 m³ × BCEF_I 0.6 × (1 + 0.2) × 0.47 = 1000 × 0.6 = 600; × 1.2 = 720; × 0.47 = 338.4 t C
    # loss: 200 m³ × BCEF_R 0.83 × 1.2 × 0.47 = 166 × 1.2 = 199.2; × 0.47 = 93.624 t C
    # ΔC = 244.776 t C; CO2 = −244.776 × 44/12 = −897.512 t
    gain = gain_from_increment(np.array([1000.0]), 0.6, 0.2, 0.47)
    loss = loss_from_volume(np.array([200.0]), 0.83, 0.2, 0.47)
    assert_allclose(gain, [338.4], rtol=1e-12)
    assert_allclose(loss, [93.624], rtol=1e-12)
    assert_allclose(co2_of_stock_change(stock_change(gain, loss)), [-897.512], rtol=1e-12)


def test_gain_by_area():
    # 100 ha × G_W 5 t d.m./(ha·yr) × 1.2 × 0.47 = 500 × 1.2 = 600; × 0.47 = 282 t C; CO2 = −282 × 44/12 = −1034 t
    gain = gain_from_area(100.0, 5.0, 0.2, 0.47)
    assert_allclose(gain, 282.0, rtol=1e-12)
    assert_allclose(co2_of_stock_change(gain), -1034.0, rtol=1e-12)


def test_bamboo_stock_difference_gain_and_loss():
    # 1050 − 1000 = 50 ha × B_W 60 t/ha × (1 + 0.3) × 0.5 = 3000 × 1.3 = 3900; × 0.5 = 1950 t C → CO2 −7150 t
    # area falling 1000 → 980: −20 × 60 × 1.3 × 0.5 = −780 t C → CO2 +2860 t
    delta = stock_difference_by_area(np.array([1050.0, 980.0]), np.array([1000.0, 1000.0]), 60.0, 0.3, 0.5)
    assert_allclose(delta, [1950.0, -780.0], rtol=1e-12)
    assert_allclose(co2_of_stock_change(delta), [-7150.0, 2860.0], rtol=1e-12)


def test_deforestation_loss_and_fire():
    # Masson pine (马尾松) BEF 1.472, D 0.38, R 0.187, CF 0.46; 500 m³ cleared:
    # 500 × 1.472 = 736; × 0.38 = 279.68; × 1.187 = 331.98016; × 0.46 = 152.7108736 t C lost
    # CO2 = +152.7108736 × 44/12 = 559.939869866667 t
    lost = biomass_loss_on_conversion(500.0, 1.472, 0.38, 0.187, 0.46)
    assert_allclose(lost, 152.7108736, rtol=1e-12)
    assert_allclose(co2_of_stock_change(-lost), 559.939869866667, rtol=1e-12)
    # 100 m³ burnt: 100 × 1.472 × 0.38 = 55.936 t d.m.; × C_f 0.45 = 25.1712 t combusted
    # CH4: 25.1712 × 4.7 g/kg × 1e-3 = 0.11830464 t; N2O: 25.1712 × 0.26 × 1e-3 = 0.006544512 t
    burnt = dry_matter_of_volume(100.0, 1.472, 0.38)
    assert_allclose(burnt, 55.936, rtol=1e-12)
    assert_allclose(fire_non_co2(burnt, 0.45, np.array([4.7, 0.26])), [0.11830464, 0.006544512], rtol=1e-12)
