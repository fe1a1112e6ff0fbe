"""LULUCF — land converted to forest land (afforestation, 3.B.1.b) and forest land converted to
other land (deforestation, 3.B.2.b.i, 3.B.3.b.i, 3.B.4.b, 3.B.5.b.i, 3.B.6.b.i), with the CH4 and
N2O of burning the cleared biomass on site.

* Afforestation: the area in conversion (land converted to forest within the 20-year default
  transition period, as filed) gains G_W × (1 + R) × CF a year (:func:`inventory.sectors.lulucf.forest.gain_from_area`,
  IPCC Vol.4 Ch.4 §4.3.1 with Ch.2 Eq. 2.9–2.10).
* Deforestation: the biomass of the growing stock cleared is lost in the year of conversion (IPCC
  Tier 1: B_AFTER = 0), its carbon from the stock-volume chain (:func:`biomass_loss_on_conversion`).
* Burning on site (省级指南 森林转化 现地燃烧): the cleared growing stock burnt gives CH4 and N2O
  (:func:`fire_non_co2`); its CO2 is already in the stock change (IPCC Vol.4 Ch.2 §2.4, Eq. 2.27
  note). The provincial guideline reports this non-CO2 under land-use change and forestry, so it is
  reported here under the conversion category, not under 3.C.1.a.
"""

from __future__ import annotations

from inventory.sectors.lulucf.forest import biomass_carbon_of_volume

__all__ = ["biomass_loss_on_conversion", "dry_matter_of_volume", "fire_non_co2"]


def biomass_loss_on_conversion(volume_cleared, biomass_expansion_factor, wood_density, root_shoot_ratio,
                               carbon_fraction):
    """Biomass carbon lost when forest land is converted to another use.

    Parameters
    ----------
    volume_cleared : array_like
        Growing-stock volume on the land converted in the year [m^3].
    biomass_expansion_factor : array_like
        BEF [1].
    wood_density : array_like
        D [t d.m./m^3].
    root_shoot_ratio : array_like
        R [1].
    carbon_fraction : array_like
        CF [t C/t d.m.].

    Returns
    -------
    array_like
        ΔC_L [t C] lost in the year of conversion (positive).

    Notes
    -----
    IPCC 2006 Vol.4 Ch.2 Eq. 2.16 (ΔC_CONVERSION = Σ (B_AFTER − B_BEFORE) × ΔA × CF) with B_AFTER = 0
    (Tier 1, Ch.5 §5.3.1.1 and Ch.8 §8.3.1.1) and B_BEFORE × ΔA = V × BEF × D × (1 + R); 省级指南
    第四章 森林转化.
    """
    return biomass_carbon_of_volume(volume_cleared, biomass_expansion_factor, wood_density, root_shoot_ratio,
                                    carbon_fraction)


def dry_matter_of_volume(volume, biomass_expansion_factor, wood_density):
    """Above-ground dry matter of a volume of growing stock.

    Parameters
    ----------
    volume : array_like
        Growing-stock volume [m^3].
    biomass_expansion_factor : array_like
        BEF [1].
    wood_density : array_like
        D [t d.m./m^3].

    Returns
    -------
    array_like
        Above-ground biomass [t d.m.].

    Notes
    -----
    省级指南 第四章 蓄积量法 (V × BEF × D); IPCC 2006 Vol.4 Ch.2 Eq. 2.27's A × M_B for the cleared
    stand.
    """
    return volume * biomass_expansion_factor * wood_density


def fire_non_co2(dry_matter_burnt, combustion_factor, emission_factor):
    """CH4 or N2O of burning biomass.

    Parameters
    ----------
    dry_matter_burnt : array_like
        Biomass available to the fire, A × M_B [t d.m.].
    combustion_factor : array_like
        C_f, share of it actually combusted [1].
    emission_factor : array_like
        G_ef [g gas/kg d.m. burnt].

    Returns
    -------
    array_like
        Emission [t gas].

    Notes
    -----
    IPCC 2006 Vol.4 Ch.2 Eq. 2.27 (L_fire = A × M_B × C_f × G_ef × 10^-3, with M_B in t/ha and L in
    t); C_f Table 2.6, G_ef Table 2.5.
    """
    return dry_matter_burnt * combustion_factor * emission_factor * 1e-3
