"""LULUCF beyond forest land (IPCC 2006 Vol.4 Ch.5–8, Tier 1 biomass): land converted to cropland,
grassland, wetlands and settlements from land other than forest, perennial woody crops on cropland
remaining cropland, and urban trees on settlements remaining settlements.

* Land converted (3.B.2.b, 3.B.3.b, 3.B.4.b, 3.B.5.b, origin other than forest): the biomass before
  conversion is replaced by the biomass the year following conversion
  (:func:`conversion_stock_change`, Vol.4 Ch.2 Eq. 2.16; Tier 1 of Ch.5 §5.3.1, Ch.6 §6.3.1,
  Ch.7 §7.3, Ch.8 §8.3.1).
* Perennial woody crops (orchards, tea; 3.B.2.a): gain by area × accumulation rate, loss of the
  area cleared × the carbon stock at clearing (:func:`perennial_crop_stock_change`, Vol.4 Ch.2
  Eq. 2.7 with the area-based gain and loss; Ch.5 §5.2.1.1, Table 5.1).
* Urban trees (3.B.5.a): crown-cover area × the carbon accumulation rate per hectare of crown cover
  (:func:`urban_tree_gain`, Vol.4 Ch.8 §8.2.1.1 crown-cover method); losses are not estimated.

Every function is pure and vectorised (numpy arrays or scalars in, same shape out). ΔC is a carbon
stock change [t C]: positive is a gain (a removal, reported as negative CO2 by
:func:`inventory.sectors.lulucf.forest.co2_of_stock_change`).
"""

from __future__ import annotations

__all__ = ["conversion_stock_change", "perennial_crop_stock_change", "urban_tree_gain"]


def conversion_stock_change(area_converted, biomass_before, biomass_after, carbon_fraction):
    """Biomass carbon stock change on land converted to another land-use category, in the year of
    conversion.

    Parameters
    ----------
    area_converted : array_like
        ΔA_TO_OTHERS, area converted in the year [ha].
    biomass_before : array_like
        B_BEFORE, biomass (above- and below-ground) on the land before conversion [t d.m./ha].
    biomass_after : array_like
        B_AFTER, biomass on the land the year following conversion [t d.m./ha] (Tier 1: the
        defaults of Vol.4 Table 5.9 for cropland, Table 6.4 for grassland; 0 for settlements and
        flooded land).
    carbon_fraction : array_like
        CF [t C/t d.m.].

    Returns
    -------
    array_like
        ΔC_CONVERSION [t C]: negative when the land loses biomass.

    Notes
    -----
    IPCC 2006 Vol.4 Ch.2 Eq. 2.16: ΔC_CONVERSION = Σ_i (B_AFTER,i − B_BEFORE,i) × ΔA_TO_OTHERS,i × CF.
    Tier 1 takes the growth in the year after conversion into B_AFTER (Ch.5 §5.3.1.1) and no loss
    besides the conversion itself (Eq. 2.15 with ΔC_G, ΔC_L in B_AFTER).
    """
    return area_converted * (biomass_after - biomass_before) * carbon_fraction


def perennial_crop_stock_change(area, area_removed, accumulation_rate, carbon_at_clearing):
    """Biomass carbon stock change of perennial woody crops (orchards, tea) on cropland remaining
    cropland.

    Parameters
    ----------
    area : array_like
        Area of perennial woody crops [ha].
    area_removed : array_like
        Area of them cleared or replanted in the year [ha].
    accumulation_rate : array_like
        G, biomass carbon accumulation rate [t C/(ha·yr)] (Vol.4 Table 5.1).
    carbon_at_clearing : array_like
        L, biomass carbon stock lost when an area is cleared [t C/ha] (Vol.4 Table 5.1).

    Returns
    -------
    array_like
        ΔC_B [t C/yr]: gain minus loss.

    Notes
    -----
    IPCC 2006 Vol.4 Ch.2 Eq. 2.7 (ΔC_B = ΔC_G − ΔC_L) with the gain of the area (Eq. 2.9 form,
    A × G, G already in carbon) and the loss of the area cleared (Eq. 2.11/2.12 form, A_removed × L);
    Ch.5 §5.2.1.1 Tier 1: the area is the area within the harvest cycle, growing at the Table 5.1
    rate; an area cleared loses its whole stock in the year.
    """
    return area * accumulation_rate - area_removed * carbon_at_clearing


def urban_tree_gain(crown_cover_area, crown_growth_rate):
    """Annual biomass carbon gain of urban trees by crown cover.

    Parameters
    ----------
    crown_cover_area : array_like
        Total crown-cover area of the trees [ha].
    crown_growth_rate : array_like
        CRW, carbon accumulation rate per hectare of crown cover [t C/(ha crown cover·yr)].

    Returns
    -------
    array_like
        ΔC_G [t C/yr] (a gain: positive).

    Notes
    -----
    IPCC 2006 Vol.4 Ch.8 §8.2.1.1, crown-cover-area method: ΔC_G = Σ_i CC_i × CRW_i. The losses
    (trees removed) are not estimated by this method; the sector flags them.
    """
    return crown_cover_area * crown_growth_rate
