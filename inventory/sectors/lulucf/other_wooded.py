"""LULUCF — other woody biomass of forest land (IPCC 3.B.1.a): bamboo (竹林), economic forest
(经济林), shrub forest (灌木林), open forest (疏林) and scattered and four-side trees (散生木、四旁树).

* Bamboo, economic and shrub forest have no growing-stock volume: the provincial guideline takes
  their biomass carbon stock as area × biomass per hectare, and its change from one year to the
  next as the change of area × biomass per hectare (stock difference, :func:`stock_difference_by_area`).
* Open forest and scattered trees are part of the growing stock (活立木总蓄积): filed as volume growth
  and loss they take the stock-volume equations of :mod:`.forest` with their own factors.
* Scattered trees filed only as a number of trees (``count``) have no method here: they are flagged
  and reported as not estimated (NE), never as zero.
"""

from __future__ import annotations

__all__ = ["stock_difference_by_area"]


def stock_difference_by_area(area, area_before, above_ground_biomass, root_shoot_ratio, carbon_fraction):
    """Annual biomass carbon stock change of a stratum measured by its area.

    Parameters
    ----------
    area : array_like
        Area of the stratum at the end of the year [ha].
    area_before : array_like
        Its area at the end of the year before [ha].
    above_ground_biomass : array_like
        B_W, above-ground biomass per hectare [t d.m./ha].
    root_shoot_ratio : array_like
        R [1].
    carbon_fraction : array_like
        CF [t C/t d.m.].

    Returns
    -------
    array_like
        ΔC_B [t C/yr]: positive when the area (and so the stock) grows.

    Notes
    -----
    IPCC 2006 Vol.4 Ch.2 Eq. 2.8 (stock difference: ΔC = (C_t2 − C_t1)/(t2 − t1)) with the stock
    C = A × B_W × (1 + R) × CF and t2 − t1 = 1 yr; 省级指南 第四章 竹林、经济林、灌木林生物量碳储量变化
    (面积变化 × 单位面积生物量 × 含碳率).
    """
    return (area - area_before) * above_ground_biomass * (1.0 + root_shoot_ratio) * carbon_fraction
