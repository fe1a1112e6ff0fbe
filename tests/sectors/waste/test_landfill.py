"""inventory.sectors.waste.landfill: the IPCC first-order-decay model (Vol.5 Ch.3 Eq. 3.1–3.6), its
back-casting and the provincial guideline's mass balance.

The FOD model is checked two independent ways over irregular deposit histories (rising, falling,
with years of no deposit): a recursion written out by hand here (Eq. 3.4, 3.5) and the closed form
CH4(T) = F × 16/12 × (1 − e^−k) × Σ_{t<T} DDOCm(t) e^(−k(T−1−t)). Neither calls the package.
"""

import math

import numpy as np
import pytest
import xarray as xr

from inventory.sectors.waste.landfill import (
    CH4_PER_C,
    backcast_deposits,
    ch4_emitted,
    ddocm_deposited,
    fod_ch4_generated,
    mass_balance_ch4,
    methane_generation_potential,
)


def _series(values, first=2000):
    years = np.arange(first, first + len(values))
    return xr.DataArray(np.asarray(values, dtype=float), dims="year", coords={"year": years})


def _hand_recursion(deposits, k, f):
    """Eq. 3.4–3.6 written out: nothing decays in the year of deposit."""
    accumulated, generated = 0.0, []
    for deposit in deposits:
        decomposed = accumulated * (1 - math.exp(-k))
        accumulated = deposit + accumulated * math.exp(-k)
        generated.append(decomposed * f * 16 / 12)
    return generated


def _closed_form(deposits, k, f):
    out = []
    for year in range(len(deposits)):
        total = sum(deposits[t] * math.exp(-k * (year - 1 - t)) for t in range(year))
        out.append(f * 16 / 12 * (1 - math.exp(-k)) * total)
    return out


def test_exact_ratio():
    assert CH4_PER_C == 16 / 12


def test_fod_by_hand_with_half_life_one_year():
    # k = ln 2: e^-k = 0.5 exactly, so every step is hand arithmetic. DDOCm deposited 2000–2004:
    # 100, 0, 50, 200, 0 (a gap, a restart, a jump, a closure).
    # DDOCma: 2000 100; 2001 0 + 50 = 50; 2002 50 + 25 = 75; 2003 200 + 37.5 = 237.5; 2004 118.75
    # decomposed: 2000 0 (no decay in the deposit year); 2001 100×0.5 = 50; 2002 50×0.5 = 25;
    #             2003 75×0.5 = 37.5; 2004 237.5×0.5 = 118.75
    # CH4 = decomposed × F 0.5 × 16/12 = decomposed × 2/3
    result = fod_ch4_generated(_series([100, 0, 50, 200, 0]), k=math.log(2), f=0.5)
    np.testing.assert_allclose(result["accumulated"].values, [100, 50, 75, 237.5, 118.75])
    np.testing.assert_allclose(result["decomposed"].values, [0, 50, 25, 37.5, 118.75])
    np.testing.assert_allclose(result["generated"].values, [0, 100 / 3, 50 / 3, 25, 118.75 * 2 / 3])
    assert list(result["year"].values) == [2000, 2001, 2002, 2003, 2004]


@pytest.mark.parametrize("deposits", [
    [10.0, 20.0, 40.0, 80.0, 160.0, 320.0, 640.0],                 # rising
    [900.0, 700.0, 650.0, 300.0, 120.0, 60.0, 5.0],                # falling
    [0.0, 0.0, 500.0, 0.0, 0.0, 0.0, 250.0, 1000.0, 0.0, 0.0],      # gaps, late start, closure
    [300.0, 10.0, 800.0, 20.0, 700.0, 0.0, 650.0, 1.0, 0.0, 90.0],  # irregular
])
@pytest.mark.parametrize("k", [0.09, 0.185, 0.03])
def test_fod_matches_recursion_and_closed_form(deposits, k):
    result = fod_ch4_generated(_series(deposits), k=k, f=0.5)["generated"].values
    np.testing.assert_allclose(result, _hand_recursion(deposits, k, 0.5), rtol=1e-12)
    np.testing.assert_allclose(result, _closed_form(deposits, k, 0.5), rtol=1e-12, atol=1e-12)


def test_fod_vectorised_over_waste_types():
    # two waste types decay at their own k, in one call: each equals its own recursion
    food, paper = [100.0, 0.0, 300.0, 50.0], [40.0, 80.0, 0.0, 10.0]
    deposited = xr.DataArray([food, paper], dims=("type", "year"),
                             coords={"type": ["msw_food", "msw_paper"], "year": [2010, 2011, 2012, 2013]})
    k = xr.DataArray([0.185, 0.06], dims="type", coords={"type": ["msw_food", "msw_paper"]})
    result = fod_ch4_generated(deposited, k=k, f=0.5)["generated"]
    np.testing.assert_allclose(result.sel(type="msw_food").values, _hand_recursion(food, 0.185, 0.5))
    np.testing.assert_allclose(result.sel(type="msw_paper").values, _hand_recursion(paper, 0.06, 0.5))


def test_fod_refuses_years_with_holes():
    deposits = xr.DataArray([1.0, 2.0], dims="year", coords={"year": [2000, 2002]})
    with pytest.raises(ValueError, match="consecutive"):
        fod_ch4_generated(deposits, k=0.09, f=0.5)


def test_single_deposit_worked_example():
    # 100,000 t wet MSW, DOC 0.13795 (Eastern Asia composition), DOCf 0.5, MCF 1:
    # DDOCm = 100000 × 0.13795 × 0.5 × 1 = 6897.5 t C
    # first year after deposit: 6897.5 × (1 − e^−0.09) × 0.5 × 16/12 = 395.77 t CH4
    # lifetime: 6897.5 × 0.5 × 16/12 = 4598.33 t CH4
    ddocm = ddocm_deposited(100000.0, 0.13795, 0.5, 1.0)
    assert ddocm == pytest.approx(6897.5)
    series = _series([ddocm] + [0.0] * 400)
    generated = fod_ch4_generated(series, k=0.09, f=0.5)["generated"]
    assert float(generated[0]) == 0.0
    assert float(generated[1]) == pytest.approx(395.77, abs=0.01)
    assert float(generated.sum()) == pytest.approx(4598.33, abs=0.01)


def test_ch4_emitted_recovery_then_oxidation():
    # (1000 generated − 200 recovered) × (1 − 0.1) = 720
    assert float(ch4_emitted(xr.DataArray(1000.0), 200.0, 0.1)) == pytest.approx(720.0)


def test_mass_balance():
    # L0 = MCF 0.8 × DOC 0.15 × DOCf 0.5 × F 0.5 × 16/12 = 0.04 t CH4/t
    # CH4 = (10000 t × 0.04 − 100 t recovered) × (1 − 0.1) = 300 × 0.9 = 270 t
    l0 = methane_generation_potential(0.8, 0.15, 0.5, 0.5)
    assert l0 == pytest.approx(0.04)
    assert mass_balance_ch4(10000.0, l0, 100.0, 0.1) == pytest.approx(270.0)


def test_backcast_options():
    years = [1997, 1998, 1999]
    # constant: 1000 t in each earlier year
    np.testing.assert_allclose(backcast_deposits(1000.0, 2000, years, "constant").values, [1000, 1000, 1000])
    # trend 10 %/yr: 1000 × 1.1^-3, 1.1^-2, 1.1^-1 = 751.31, 826.45, 909.09
    np.testing.assert_allclose(backcast_deposits(1000.0, 2000, years, "trend", growth_rate=0.1).values,
                               [751.3148009, 826.4462810, 909.0909091])
    assert backcast_deposits(1000.0, 2000, years, "none").size == 0
    with pytest.raises(ValueError, match="one of"):
        backcast_deposits(1000.0, 2000, years, "guess")
