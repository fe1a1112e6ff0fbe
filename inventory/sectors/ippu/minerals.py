"""IPPU — mineral industry (IPCC 2.A): cement, lime and glass (2006 IPCC Guidelines Vol.3 Ch.2).

Each function is one published equation, vectorised (xarray, numpy or scalars broadcast alike).
A Tier 1 default factor that already contains a correction (the clinker factor 0.52 t CO2/t
contains the cement-kiln-dust correction 1.02: 0.51 × 1.02) is used *without* that correction;
the correction factors multiply only a factor before corrections (``EF_process``, CONTRACTS §4a).
"""

from __future__ import annotations

__all__ = ["clinker_from_cement", "cement_co2_tier1", "cement_co2_tier2", "lime_co2", "glass_co2"]


def clinker_from_cement(cement, clinker_fraction, clinker_import=0.0, clinker_export=0.0):
    """Clinker produced in the region, estimated from cement output.

    Parameters
    ----------
    cement : array_like
        Cement produced [t].
    clinker_fraction : array_like
        Clinker share of the cement [fraction].
    clinker_import, clinker_export : array_like
        Clinker bought in from / sold out of the region [t].

    Returns
    -------
    array_like
        Clinker produced [t]: Σ(M_ci × C_cli) − Im + Ex.

    Notes
    -----
    The bracket of IPCC 2006 Vol.3 Ch.2 Eq. 2.1 (Tier 1): cement made from imported clinker does not
    count; exported clinker was produced (and emitted) here. Default clinker fractions 0.75–0.95
    (Vol.3 Ch.2 §2.2.1.2, EFDB 27511/27512).
    """
    return cement * clinker_fraction - clinker_import + clinker_export


def cement_co2_tier1(clinker, emission_factor):
    """CO2 of cement production from clinker with a factor that includes the kiln-dust correction.

    Parameters
    ----------
    clinker : array_like
        Clinker produced [t] (filed, or :func:`clinker_from_cement`).
    emission_factor : array_like
        Clinker factor with the CKD correction already in it [t CO2/t clinker]; IPCC default
        0.52 = 0.51 × 1.02 (EFDB 213926).

    Returns
    -------
    array_like
        CO2 [t].

    Notes
    -----
    IPCC 2006 Vol.3 Ch.2 Eq. 2.1: CO2 = [Σ(M_ci × C_cli) − Im + Ex] × EF_clc. No CKD factor here:
    applying 1.02 to 0.52 would count the kiln dust twice.
    """
    return clinker * emission_factor


def cement_co2_tier2(clinker, emission_factor, ckd_correction):
    """CO2 of cement production from clinker, a factor before corrections and the CKD correction.

    Parameters
    ----------
    clinker : array_like
        Clinker produced [t].
    emission_factor : array_like
        Clinker factor before the kiln-dust correction (from the clinker's CaO and MgO) [t CO2/t].
    ckd_correction : array_like
        Cement kiln dust correction factor CF_ckd [ratio], IPCC default 1.02 (EFDB 213927).

    Returns
    -------
    array_like
        CO2 [t].

    Notes
    -----
    IPCC 2006 Vol.3 Ch.2 Eq. 2.2: CO2 = M_cl × EF_cl × CF_ckd.
    """
    return clinker * emission_factor * ckd_correction


def lime_co2(lime, emission_factor, lkd_correction=1.0, hydrated_correction=1.0):
    """CO2 of lime production by lime type.

    Parameters
    ----------
    lime : array_like
        Lime produced, of one type [t].
    emission_factor : array_like
        Factor of the lime type [t CO2/t lime]: IPCC high-calcium 0.75, dolomitic 0.86 / 0.77,
        hydraulic 0.59, and 0.75 for a mix of unknown shares (85 % high-calcium).
    lkd_correction : array_like
        Lime kiln dust correction CF_lkd [ratio] (IPCC default 1.02), 1 where not applied.
    hydrated_correction : array_like
        Hydrated-lime correction C_h = 1 − x × y [ratio] (x share of hydrated lime, y its water
        content), 1 where none is made.

    Returns
    -------
    array_like
        CO2 [t].

    Notes
    -----
    IPCC 2006 Vol.3 Ch.2 Eq. 2.6 (Tier 2): CO2 = Σ(EF_lime,i × M_l,i × CF_lkd,i × C_h,i); with both
    corrections 1 it is the Tier 1 product M_l × EF_lime.
    """
    return lime * emission_factor * lkd_correction * hydrated_correction


def glass_co2(glass, emission_factor, cullet_ratio):
    """CO2 of glass production.

    Parameters
    ----------
    glass : array_like
        Glass produced [t].
    emission_factor : array_like
        Factor of the glass type for a batch of raw materials only [t CO2/t glass]: IPCC generic
        0.20 (EFDB 213930), float glass 0.21 (Table 2.6).
    cullet_ratio : array_like
        Share of recycled glass (cullet) in the furnace charge [fraction]: IPCC default 0.5.

    Returns
    -------
    array_like
        CO2 [t].

    Notes
    -----
    IPCC 2006 Vol.3 Ch.2 Eq. 2.10 (Tier 1) and 2.11 (Tier 2, by glass type):
    CO2 = M_g × EF × (1 − CR).
    """
    return glass * emission_factor * (1.0 - cullet_ratio)
