"""LULUCF — forest land remaining forest land (IPCC 3.B.1.a): the equations of the biomass carbon
stock change of arbor forest (乔木林) by dominant species group.

Three methods, chosen by the notebook parameter ``forest_method`` (:data:`FOREST_METHODS`):

* ``stock_volume`` (default) — the provincial guideline's stock-volume method (《省级温室气体清单编制
  指南（试行）》第四章 土地利用变化和林业, 蓄积量法): the carbon of a volume of growing stock is
  volume × BEF × D × (1 + R) × CF; the stock change is the carbon of the volume growth less the
  carbon of the volume lost (harvest, fuelwood, disturbance). It is the IPCC gain–loss method of
  Vol.4 Ch.2 Eq. 2.7 with the gain and the loss both expressed through the growing-stock volume
  (Eq. 2.10 and 2.12 with BCEF = BEF × D).
* ``gain_loss_volume`` — IPCC 2006 Vol.4 Ch.2 gain–loss with biomass conversion and expansion
  factors: gain = volume increment × BCEF_I × (1 + R) × CF (Eq. 2.9, 2.10), loss = volume lost ×
  BCEF_R × (1 + R) × CF (Eq. 2.11–2.14).
* ``gain_loss_area`` — IPCC gain by area: area × G_W × (1 + R) × CF (Eq. 2.9, 2.10); loss as in
  ``gain_loss_volume``.

Sign convention (IPCC 2006 Vol.4 Ch.2 §2.2.1; CONTRACTS §5): a carbon stock *gain* is a *removal*,
reported as a negative CO2 emission: CO2 = −ΔC × 44/12.
"""

from __future__ import annotations

__all__ = ["CO2_PER_C", "FOREST_METHODS", "biomass_carbon_of_volume", "gain_from_increment",
           "gain_from_area", "loss_from_volume", "stock_change", "co2_of_stock_change"]

#: mass ratio of CO2 to C, exact as IPCC 2006 uses it [t CO2 / t C]
CO2_PER_C = 44.0 / 12.0
#: the forest methods a notebook may choose (``forest_method``)
FOREST_METHODS = ("stock_volume", "gain_loss_volume", "gain_loss_area")


def biomass_carbon_of_volume(volume, biomass_expansion_factor, wood_density, root_shoot_ratio, carbon_fraction):
    """Carbon in the whole-tree biomass of a volume of growing stock.

    Parameters
    ----------
    volume : array_like
        Growing-stock (stem) volume [m^3], or volume per year [m^3/yr].
    biomass_expansion_factor : array_like
        BEF, stem biomass to above-ground biomass [1].
    wood_density : array_like
        D, basic wood density [t d.m./m^3].
    root_shoot_ratio : array_like
        R, below-ground to above-ground biomass [1].
    carbon_fraction : array_like
        CF, carbon fraction of dry matter [t C/t d.m.].

    Returns
    -------
    array_like
        Carbon [t C] (or [t C/yr] for a volume per year).

    Notes
    -----
    省级指南 第四章 蓄积量法: C = V × BEF × D × (1 + R) × CF. IPCC 2006 Vol.4 Ch.2 Eq. 2.10 (G_TOTAL
    from I_V × BCEF_I × (1 + R)) and Eq. 2.12 (L = H × BCEF_R × (1 + R) × CF) with BCEF = BEF × D.
    """
    return volume * biomass_expansion_factor * wood_density * (1.0 + root_shoot_ratio) * carbon_fraction


def gain_from_increment(volume_increment, bcef_increment, root_shoot_ratio, carbon_fraction):
    """Annual biomass carbon gain from the growing-stock volume increment.

    Parameters
    ----------
    volume_increment : array_like
        Net annual volume increment of the stratum (area × I_V) [m^3/yr].
    bcef_increment : array_like
        BCEF_I, biomass conversion and expansion factor of the increment [t biomass/m^3].
    root_shoot_ratio : array_like
        R [1].
    carbon_fraction : array_like
        CF [t C/t d.m.].

    Returns
    -------
    array_like
        ΔC_G [t C/yr].

    Notes
    -----
    IPCC 2006 Vol.4 Ch.2 Eq. 2.9 (ΔC_G = Σ A × G_TOTAL × CF) with Eq. 2.10 (G_TOTAL = I_V × BCEF_I ×
    (1 + R)); BCEF_I from Table 4.5.
    """
    return volume_increment * bcef_increment * (1.0 + root_shoot_ratio) * carbon_fraction


def gain_from_area(area, above_ground_growth, root_shoot_ratio, carbon_fraction):
    """Annual biomass carbon gain from the area and the above-ground biomass growth rate.

    Parameters
    ----------
    area : array_like
        Area of the stratum [ha].
    above_ground_growth : array_like
        G_W, average annual above-ground biomass growth [t d.m./(ha·yr)].
    root_shoot_ratio : array_like
        R [1].
    carbon_fraction : array_like
        CF [t C/t d.m.].

    Returns
    -------
    array_like
        ΔC_G [t C/yr].

    Notes
    -----
    IPCC 2006 Vol.4 Ch.2 Eq. 2.9 with Eq. 2.10 (G_TOTAL = G_W × (1 + R)); G_W from Tables 4.9–4.10.
    """
    return area * above_ground_growth * (1.0 + root_shoot_ratio) * carbon_fraction


def loss_from_volume(volume_lost, bcef_removals, root_shoot_ratio, carbon_fraction):
    """Annual biomass carbon loss of the growing stock removed (harvest, fuelwood) or lost to
    disturbance.

    Parameters
    ----------
    volume_lost : array_like
        Growing-stock volume lost [m^3/yr] (活立木蓄积消耗量: commercial harvest, fuelwood and
        disturbance together).
    bcef_removals : array_like
        BCEF_R [t biomass/m^3] (under the stock-volume method, BEF × D).
    root_shoot_ratio : array_like
        R [1].
    carbon_fraction : array_like
        CF [t C/t d.m.].

    Returns
    -------
    array_like
        ΔC_L [t C/yr], a positive number (a loss).

    Notes
    -----
    IPCC 2006 Vol.4 Ch.2 Eq. 2.11 (ΔC_L = L_wood-removals + L_fuelwood + L_disturbance), Eq. 2.12
    (L_wood-removals = H × BCEF_R × (1 + R) × CF), Eq. 2.13 (fuelwood, the same form) and Eq. 2.14
    (disturbance) with the lost volume in place of the affected area × biomass.
    """
    return volume_lost * bcef_removals * (1.0 + root_shoot_ratio) * carbon_fraction


def stock_change(gain, loss):
    """Annual change in the biomass carbon stock by the gain–loss method.

    Parameters
    ----------
    gain : array_like
        ΔC_G [t C/yr].
    loss : array_like
        ΔC_L [t C/yr] (positive).

    Returns
    -------
    array_like
        ΔC_B [t C/yr]: positive when the stock grows (a sink), negative when harvest exceeds growth.

    Notes
    -----
    IPCC 2006 Vol.4 Ch.2 Eq. 2.7 (ΔC_B = ΔC_G − ΔC_L); 省级指南 第四章 (生长量 − 消耗量).
    """
    return gain - loss


def co2_of_stock_change(carbon_stock_change):
    """CO2 emission of a carbon stock change: a growing stock is a removal (negative).

    Parameters
    ----------
    carbon_stock_change : array_like
        ΔC [t C/yr].

    Returns
    -------
    array_like
        CO2 emission [t CO2/yr] = −ΔC × 44/12 (negative: a removal, a sink).

    Notes
    -----
    IPCC 2006 Vol.4 Ch.2 §2.2.1 and the reporting convention of Vol.4 Ch.1 (a carbon stock
    increase is reported as a removal, with a negative sign); 44/12 exact.
    """
    return -carbon_stock_change * CO2_PER_C
