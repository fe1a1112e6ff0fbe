"""Agriculture — livestock (IPCC 3.A): enteric fermentation CH4 (3.A.1) and manure management
(3.A.2: CH4 and direct N2O; the indirect N2O of managed manure is reported under 3.C.6, its
equations are in :mod:`.soils`).

Equations of the 2006 IPCC Guidelines Vol.4 Ch.10 and of 《省级温室气体清单编制指南（试行）》第三章
农业 (which uses per-head factors: emissions = population × factor). Populations are annual averages
(:mod:`.population`). Units: population [head], factors per head and year, emissions [t].
"""

from __future__ import annotations

__all__ = ["N2O_PER_N2O_N", "MJ_PER_KG_CH4", "enteric_ch4", "enteric_ef_tier2", "manure_ch4",
           "n_excretion_rate", "managed_manure_n", "direct_manure_n2o", "manure_n2o_per_head"]

#: molecular weight ratio N2O / N2O-N, exactly 44/28 [t N2O / t N2O-N]
N2O_PER_N2O_N = 44.0 / 28.0
#: energy content of methane used by Eq. 10.21 [MJ/kg CH4]
MJ_PER_KG_CH4 = 55.65
DAYS_PER_YEAR = 365.0


def enteric_ch4(population, emission_factor):
    """Enteric fermentation CH4 of one livestock category.

    Parameters
    ----------
    population : array_like
        Annual average population [head].
    emission_factor : array_like
        Enteric emission factor [kg CH4/(head·yr)] (Tier 1: Tables 10.10, 10.11; Tier 2:
        :func:`enteric_ef_tier2`; 省级指南 动物肠道发酵CH4排放因子).

    Returns
    -------
    array_like
        CH4 [t/yr].

    Notes
    -----
    IPCC 2006 Vol.4 Ch.10 Eq. 10.19: E_T = EF_T × N_T / 10^6 [Gg]; here / 10^3 for tonnes.
    """
    return emission_factor * population / 1000.0


def enteric_ef_tier2(gross_energy, methane_conversion):
    """Tier 2 enteric emission factor from gross energy intake and the methane conversion factor.

    Parameters
    ----------
    gross_energy : array_like
        Gross energy intake GE [MJ/(head·d)].
    methane_conversion : array_like
        Methane conversion factor Ym as a fraction of GE [1] (6.5 % → 0.065).

    Returns
    -------
    array_like
        Emission factor [kg CH4/(head·yr)].

    Notes
    -----
    IPCC 2006 Vol.4 Ch.10 Eq. 10.21: EF = GE × (Ym / 100) × 365 / 55.65, with Ym already a fraction
    here; 55.65 MJ/kg is the energy content of methane.
    """
    return gross_energy * methane_conversion * DAYS_PER_YEAR / MJ_PER_KG_CH4


def manure_ch4(population, emission_factor):
    """Manure management CH4 of one livestock category.

    Parameters
    ----------
    population : array_like
        Annual average population [head].
    emission_factor : array_like
        Manure CH4 factor [kg CH4/(head·yr)] (Tables 10.14–10.16; 省级指南 动物粪便管理CH4排放因子).

    Returns
    -------
    array_like
        CH4 [t/yr].

    Notes
    -----
    IPCC 2006 Vol.4 Ch.10 Eq. 10.22: CH4_Manure = Σ_T EF_T × N_T / 10^6 [Gg]; here / 10^3 for tonnes.
    """
    return emission_factor * population / 1000.0


def n_excretion_rate(n_rate, typical_animal_mass):
    """Annual N excretion per head from the default rate per 1000 kg of animal mass.

    Parameters
    ----------
    n_rate : array_like
        N excretion rate Nrate [kg N/(1000 kg animal mass·d)] (Table 10.19).
    typical_animal_mass : array_like
        Typical animal mass TAM [kg/head] (Tables 10A-4 to 10A-9).

    Returns
    -------
    array_like
        Nex [kg N/(head·yr)].

    Notes
    -----
    IPCC 2006 Vol.4 Ch.10 Eq. 10.30: Nex = Nrate × TAM / 1000 × 365.
    """
    return n_rate * typical_animal_mass / 1000.0 * DAYS_PER_YEAR


def managed_manure_n(population, n_excretion, system_share):
    """Nitrogen excreted by one livestock category and managed in one manure system.

    Parameters
    ----------
    population : array_like
        Annual average population [head].
    n_excretion : array_like
        Nex [kg N/(head·yr)].
    system_share : array_like
        MS, the fraction of the category's manure N managed in the system [1].

    Returns
    -------
    array_like
        N managed in the system [t N/yr].

    Notes
    -----
    The inner term of IPCC 2006 Vol.4 Ch.10 Eq. 10.25 (and of Eq. 10.26, 10.28):
    N_T × Nex_T × MS_(T,S); / 1000 for tonnes.
    """
    return population * n_excretion * system_share / 1000.0


def direct_manure_n2o(managed_n, ef3):
    """Direct N2O from one manure management system.

    Parameters
    ----------
    managed_n : array_like
        N managed in the system [t N/yr] (:func:`managed_manure_n`).
    ef3 : array_like
        EF3 of the system [kg N2O-N/kg N] (Table 10.21).

    Returns
    -------
    array_like
        N2O [t/yr].

    Notes
    -----
    IPCC 2006 Vol.4 Ch.10 Eq. 10.25: N2O_D(mm) = [Σ_S Σ_T N_T × Nex_T × MS_(T,S)] × EF3_S × 44/28.
    """
    return managed_n * ef3 * N2O_PER_N2O_N


def manure_n2o_per_head(population, emission_factor):
    """Direct manure-management N2O of one livestock category by a per-head factor.

    Parameters
    ----------
    population : array_like
        Annual average population [head].
    emission_factor : array_like
        Manure N2O factor [kg N2O/(head·yr)] (省级指南 动物粪便管理N2O排放因子, 中南区).

    Returns
    -------
    array_like
        N2O [t/yr].

    Notes
    -----
    《省级温室气体清单编制指南（试行）》第三章 动物粪便管理N2O排放 (排放量 = 数量 × 排放因子): the
    per-head factor stands for Nex × Σ_S MS × EF3 × 44/28 of IPCC 2006 Vol.4 Eq. 10.25; / 1000 for tonnes.
    """
    return emission_factor * population / 1000.0
