"""IPPU — chemical industry (IPCC 2.B): ammonia, nitric and adipic acid, carbide, petrochemicals
and HCFC-22 (2006 IPCC Guidelines Vol.3 Ch.3).

The carbon of ammonia feedstock and of the reductant of calcium carbide is counted here, once;
the energy sector reports those fuels as ``non_energy_use`` (memo ``M.NEU``), never as burned.
"""

from __future__ import annotations

__all__ = ["CO2_PER_C", "ammonia_co2", "acid_n2o", "product_emissions", "petrochemical_co2"]

#: mass ratio CO2 / C, the IPCC's exact 44/12 [t CO2/t C]
CO2_PER_C = 44.0 / 12.0


def ammonia_co2(ammonia, fuel_requirement, carbon_content, oxidation, co2_recovered=0.0):
    """CO2 of ammonia production from the feedstock's fuel requirement, less CO2 recovered for urea.

    Parameters
    ----------
    ammonia : array_like
        Ammonia produced [t NH3].
    fuel_requirement : array_like
        Total fuel requirement per tonne of ammonia FR [GJ/t NH3] (IPCC Table 3.1: 30.2 for a
        modern natural-gas plant with conventional reforming).
    carbon_content : array_like
        Carbon content of the fuel CCF [t C/TJ].
    oxidation : array_like
        Carbon oxidation factor of the fuel COF [fraction].
    co2_recovered : array_like
        CO2 recovered for downstream use (urea) R_CO2 [t]; it is emitted where the urea is applied
        (agriculture 3.C.3).

    Returns
    -------
    array_like
        CO2 [t].

    Notes
    -----
    IPCC 2006 Vol.3 Ch.3 Eq. 3.1 (Tier 1): E_CO2 = AP × FR × CCF × COF × 44/12 − R_CO2; FR in GJ,
    CCF per TJ: / 1000.
    """
    return ammonia * fuel_requirement / 1000.0 * carbon_content * oxidation * CO2_PER_C - co2_recovered


def acid_n2o(production, emission_factor, destruction=0.0, utilisation=0.0):
    """N2O of nitric or adipic acid production, with abatement.

    Parameters
    ----------
    production : array_like
        Acid produced [t] (nitric acid as 100 % HNO3).
    emission_factor : array_like
        N2O generated per tonne of acid before abatement [t N2O/t] (IPCC Table 3.3 nitric acid
        2–9 kg/t; Table 3.4 adipic acid 300 kg/t).
    destruction : array_like
        N2O destruction factor of the abatement technology DF [fraction], 0 without abatement.
    utilisation : array_like
        Abatement system utilisation factor ASUF [fraction].

    Returns
    -------
    array_like
        N2O [t].

    Notes
    -----
    IPCC 2006 Vol.3 Ch.3 Eq. 3.6 (nitric acid, Tier 2) and Eq. 3.8 (adipic acid, Tier 2):
    E_N2O = Σ EF_j × P_j × (1 − DF_j × ASUF_j). A Table 3.3 factor for plants with NSCR or
    tail-gas destruction already includes its abatement: use it with DF = 0 (Tier 1, Eq. 3.5, 3.7).
    """
    return production * emission_factor * (1.0 - destruction * utilisation)


def product_emissions(production, emission_factor):
    """Emissions of a gas as production × factor (the Tier 1 form of several IPPU sources).

    Parameters
    ----------
    production : array_like
        Product made [t] (calcium carbide, methanol, HCFC-22, steel, aluminium …).
    emission_factor : array_like
        [t gas/t product].

    Returns
    -------
    array_like
        Emissions [t gas].

    Notes
    -----
    IPCC 2006 Vol.3 Ch.3 §3.6.2.1 (carbide Tier 1: E_CO2 = AD × EF, Table 3.8), §3.9.2.1
    (methanol CO2 and CH4, Tables 3.12, 3.13), §3.10.2.1 Eq. 3.30 (HFC-23 from HCFC-22:
    E = EF_default × P_HCFC-22); Vol.1 Ch.1 Eq. 1.1 generally.
    """
    return production * emission_factor


def petrochemical_co2(production, emission_factor, geographic_adjustment):
    """CO2 (or CH4) of ethylene production with the geographic adjustment factor.

    Parameters
    ----------
    production : array_like
        Ethylene produced [t].
    emission_factor : array_like
        [t gas/t ethylene] (IPCC Table 3.14 steam cracking of naphtha 1.73 t CO2/t; Table 3.16
        CH4 3 kg/t).
    geographic_adjustment : array_like
        Geographic adjustment factor GAF [%] (Table 3.15: 100 % for Western Europe, a larger share
        for other regions) — as a percentage, divided by 100 here.

    Returns
    -------
    array_like
        Emissions [t gas].

    Notes
    -----
    IPCC 2006 Vol.3 Ch.3 Eq. 3.15 (petrochemicals Tier 1): E = PP × EF × GAF / 100. The GAF applies
    to ethylene only; methanol uses :func:`product_emissions`.
    """
    return production * emission_factor * geographic_adjustment / 100.0
