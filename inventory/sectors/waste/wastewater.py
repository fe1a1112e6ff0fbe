"""Waste — wastewater treatment and discharge (IPCC 4.D).

Domestic CH4 (4.D.1), IPCC 2006 Vol.5 Ch.6 Eq. 6.1–6.3: the organics in wastewater (TOW, kg BOD) —
recorded, or population × BOD per person × I × 365 — less the sludge removed, times the emission
factor of the treatment and discharge pathways (Bo × Σ_j T_j × MCF_j), less the methane recovered.
Domestic N2O, Eq. 6.7–6.9: nitrogen in the effluent from protein consumption, and the treatment
plants' own emissions. Industrial CH4 (4.D.2), Eq. 6.4–6.6: COD by industry (recorded, or
production × wastewater per tonne × COD concentration), Bo on a COD basis.
"""

from __future__ import annotations

__all__ = ["N2O_PER_N", "domestic_organics", "wastewater_ef", "pathway_ef", "wastewater_ch4",
           "effluent_nitrogen", "effluent_n2o", "plant_n2o", "industrial_organics"]

#: mass ratio of N2O to N2O-N (IPCC 2006 Vol.5 Eq. 6.7) [t N2O / t N]
N2O_PER_N = 44.0 / 28.0
DAYS_PER_YEAR = 365.0


def domestic_organics(population, bod_per_person, correction):
    """Total organics in domestic wastewater.

    Parameters
    ----------
    population : xarray.DataArray
        Population [person].
    bod_per_person : xarray.DataArray
        Per-capita BOD [g / (person · d)] (Vol.5 Ch.6 Table 6.4: Asia 40).
    correction : xarray.DataArray
        I, correction for industrial BOD co-discharged into sewers [ratio] (1.25 collected, 1 not).

    Returns
    -------
    xarray.DataArray
        TOW [t BOD / yr].

    Notes
    -----
    IPCC 2006 Vol.5 Ch.6 Eq. 6.3: TOW = P × BOD × 0.001 × I × 365 (kg/yr with BOD in g/(person·d));
    × 0.001 again gives t/yr.
    """
    return population * bod_per_person * 1e-3 * correction * DAYS_PER_YEAR * 1e-3


def wastewater_ef(bo, mcf):
    """Emission factor of one treatment or discharge pathway.

    Parameters
    ----------
    bo : xarray.DataArray
        Maximum CH4 producing capacity [kg CH4 / kg BOD] (domestic, 0.6) or [kg CH4 / kg COD]
        (industrial, 0.25) (Vol.5 Ch.6 Table 6.2).
    mcf : xarray.DataArray
        Methane correction factor of the pathway [fraction] (Table 6.3; Table 6.8).

    Returns
    -------
    xarray.DataArray
        EF [t CH4 / t BOD or COD].

    Notes
    -----
    IPCC 2006 Vol.5 Ch.6 Eq. 6.2 (domestic) and Eq. 6.5 (industrial): EF_j = Bo × MCF_j.
    """
    return bo * mcf


def pathway_ef(bo, shares, mcfs, dim: str = "pathway"):
    """Emission factor of domestic wastewater over its treatment and discharge pathways.

    Parameters
    ----------
    bo : xarray.DataArray
        [kg CH4 / kg BOD].
    shares : xarray.DataArray
        T_j (summed with U_i when income groups are not separated), the share of the wastewater
        treated or discharged by pathway j [fraction], along ``dim``.
    mcfs : xarray.DataArray
        MCF_j [fraction], along ``dim``.
    dim : str
        The pathway dimension.

    Returns
    -------
    xarray.DataArray
        Σ_j T_j × EF_j [t CH4 / t BOD].

    Notes
    -----
    IPCC 2006 Vol.5 Ch.6 Eq. 6.1 (the factor Σ_ij U_i × T_ij × EF_j) with Eq. 6.2 for EF_j.
    """
    return (shares * wastewater_ef(bo, mcfs)).sum(dim)


def wastewater_ch4(organics, sludge_removed, emission_factor, recovered):
    """Methane from wastewater treatment and discharge.

    Parameters
    ----------
    organics : xarray.DataArray
        TOW [t BOD] (domestic) or [t COD] (industrial).
    sludge_removed : xarray.DataArray
        S, organic component removed as sludge [t BOD or COD].
    emission_factor : xarray.DataArray
        [t CH4 / t BOD or COD] (:func:`pathway_ef`, :func:`wastewater_ef`).
    recovered : xarray.DataArray
        R, CH4 recovered [t CH4].

    Returns
    -------
    xarray.DataArray
        CH4 [t CH4].

    Notes
    -----
    IPCC 2006 Vol.5 Ch.6 Eq. 6.1 (domestic: CH4 = [Σ U_i T_ij EF_j] (TOW − S) − R) and Eq. 6.4
    (industrial: CH4 = Σ_i [(TOW_i − S_i) EF_i − R_i]).
    """
    return (organics - sludge_removed) * emission_factor - recovered


def effluent_nitrogen(population, protein, f_npr, f_non_con, f_ind_com, sludge_nitrogen=0.0):
    """Nitrogen in the effluent of domestic wastewater.

    Parameters
    ----------
    population : xarray.DataArray
        Population [person].
    protein : xarray.DataArray
        Annual per-capita protein consumption [kg / (person · yr)].
    f_npr : xarray.DataArray
        Fraction of nitrogen in protein [kg N / kg protein] (0.16).
    f_non_con : xarray.DataArray
        Factor for non-consumed protein added to the wastewater [ratio] (1.1 without garbage
        disposals).
    f_ind_com : xarray.DataArray
        Factor for industrial and commercial co-discharged protein [ratio] (1.25).
    sludge_nitrogen : xarray.DataArray or float
        Nitrogen removed with sludge [t N].

    Returns
    -------
    xarray.DataArray
        N_EFFLUENT [t N / yr].

    Notes
    -----
    IPCC 2006 Vol.5 Ch.6 Eq. 6.8: N_EFFLUENT = (P × Protein × F_NPR × F_NON-CON × F_IND-COM) − N_SLUDGE
    (kg; × 10^−3 → t).
    """
    return population * protein * f_npr * f_non_con * f_ind_com * 1e-3 - sludge_nitrogen


def effluent_n2o(nitrogen, ef_effluent):
    """N2O from wastewater effluent discharged to aquatic environments.

    Parameters
    ----------
    nitrogen : xarray.DataArray
        N_EFFLUENT [t N].
    ef_effluent : xarray.DataArray
        [kg N2O-N / kg N] (0.005).

    Returns
    -------
    xarray.DataArray
        N2O [t N2O].

    Notes
    -----
    IPCC 2006 Vol.5 Ch.6 Eq. 6.7: N2O = N_EFFLUENT × EF_EFFLUENT × 44/28.
    """
    return nitrogen * ef_effluent * N2O_PER_N


def plant_n2o(population, t_plant, f_ind_com, ef_plant):
    """N2O from advanced centralised wastewater treatment plants.

    Parameters
    ----------
    population : xarray.DataArray
        Population [person].
    t_plant : xarray.DataArray
        Degree of utilisation of modern centralised plants [fraction].
    f_ind_com : xarray.DataArray
        [ratio] (1.25).
    ef_plant : xarray.DataArray
        [g N2O / (person · yr)] (3.2).

    Returns
    -------
    xarray.DataArray
        N2O [t N2O].

    Notes
    -----
    IPCC 2006 Vol.5 Ch.6 Box 6.1 Eq. 6.9: N2O_PLANTS = P × T_PLANT × F_IND-COM × EF_PLANT (g; × 10^−6 → t).
    """
    return population * t_plant * f_ind_com * ef_plant * 1e-6


def industrial_organics(production, wastewater_per_t, cod):
    """Organically degradable material in the wastewater of an industry.

    Parameters
    ----------
    production : xarray.DataArray
        Industrial product [t / yr].
    wastewater_per_t : xarray.DataArray
        W, wastewater generated [m^3 / t product] (Vol.5 Ch.6 Table 6.9).
    cod : xarray.DataArray
        Chemically degradable organic component [kg COD / m^3].

    Returns
    -------
    xarray.DataArray
        TOW_i [t COD / yr].

    Notes
    -----
    IPCC 2006 Vol.5 Ch.6 Eq. 6.6: TOW_i = P_i × W_i × COD_i (kg; × 10^−3 → t).
    """
    return production * wastewater_per_t * cod * 1e-3
