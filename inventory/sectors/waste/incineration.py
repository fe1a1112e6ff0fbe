"""Waste — incineration and open burning (IPCC 4.C).

Fossil CO2 by IPCC 2006 Vol.5 Ch.5 Eq. 5.1 (by waste type; Eq. 5.2 is the same with MSW as one
type): CO2 = Σ_i SW_i × dm_i × CF_i × FCF_i × OF_i × 44/12. CH4 and N2O by Eq. 5.4 and 5.5: the
waste incinerated (wet weight) times a per-activity factor.

The provincial guideline (省级温室气体清单编制指南（试行）第五章 废弃物处理, 废弃物焚烧) writes the
same chain as IW × CCW × FCF × EF × 44/12 with CCW the carbon content of the **wet** waste and EF the
combustion efficiency: its factor set therefore carries dm = 1 (documented in the factor rows).
"""

from __future__ import annotations

__all__ = ["CO2_PER_C", "fossil_co2", "incineration_emissions"]

#: mass ratio of CO2 to C [t CO2 / t C]
CO2_PER_C = 44.0 / 12.0


def fossil_co2(waste, dm, cf, fcf, of):
    """Fossil CO2 from incinerating or openly burning waste.

    Parameters
    ----------
    waste : xarray.DataArray
        Waste incinerated [t wet weight].
    dm : xarray.DataArray
        Dry matter content [t d.m. / t wet waste] (Vol.5 Ch.2 Table 2.4).
    cf : xarray.DataArray
        Total carbon content of the dry matter [t C / t d.m.].
    fcf : xarray.DataArray
        Fraction of fossil carbon in the total carbon [fraction].
    of : xarray.DataArray
        Oxidation factor [fraction] (incineration 1, Vol.5 Ch.5 Table 5.2).

    Returns
    -------
    xarray.DataArray
        Fossil CO2 [t CO2].

    Notes
    -----
    IPCC 2006 Vol.5 Ch.5 Eq. 5.1 (by waste type) and Eq. 5.2 (MSW):
    CO2 = Σ_i SW_i × dm_i × CF_i × FCF_i × OF_i × 44/12.
    """
    return waste * dm * cf * fcf * of * CO2_PER_C


def incineration_emissions(waste, emission_factor):
    """CH4 or N2O from incineration.

    Parameters
    ----------
    waste : xarray.DataArray
        Waste incinerated [t wet weight].
    emission_factor : xarray.DataArray
        Emission factor [t gas / t wet waste] (Vol.5 Ch.5 Tables 5.3, 5.4).

    Returns
    -------
    xarray.DataArray
        Emissions [t gas].

    Notes
    -----
    IPCC 2006 Vol.5 Ch.5 Eq. 5.4 (CH4 = Σ IW_i × EF_i × 10^−6 with EF in kg/Gg) and Eq. 5.5
    (N2O = Σ IW_i × EF_i × 10^−6 with EF in kg/Gg); here the factor is already in t per t.
    """
    return waste * emission_factor
