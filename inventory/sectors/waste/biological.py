"""Waste — biological treatment of solid waste (IPCC 4.B): composting and anaerobic digestion.

IPCC 2006 Vol.5 Ch.4, Eq. 4.1 (CH4) and Eq. 4.2 (N2O), Tier 1 factors of Table 4.1 in g of the gas
per kg of waste treated. The workbench's activity is the **wet** weight treated, so the factors are
the wet-weight ones (composting 4 g CH4 and 0.24 g N2O per kg; anaerobic digestion 0.8 g CH4 per
kg, N2O assumed negligible); g/kg equals kg/t.
"""

from __future__ import annotations

__all__ = ["biological_ch4", "biological_n2o"]


def biological_ch4(treated, emission_factor, recovered=0.0):
    """Methane from composting or anaerobic digestion.

    Parameters
    ----------
    treated : xarray.DataArray
        Organic waste treated [t wet weight].
    emission_factor : xarray.DataArray
        CH4 emission factor [g CH4 / kg wet waste] (Vol.5 Ch.4 Table 4.1).
    recovered : xarray.DataArray or float
        CH4 recovered (anaerobic digestion: flared or used) [t CH4].

    Returns
    -------
    xarray.DataArray
        CH4 emitted [t CH4].

    Notes
    -----
    IPCC 2006 Vol.5 Ch.4 Eq. 4.1: CH4 = Σ_i (M_i × EF_i) × 10^−3 − R, with M in Gg and the result
    in Gg; here M in t and EF in g/kg = kg/t, so M × EF is kg and × 10^−3 gives t.
    """
    return treated * emission_factor * 1e-3 - recovered


def biological_n2o(treated, emission_factor):
    """Nitrous oxide from composting or anaerobic digestion.

    Parameters
    ----------
    treated : xarray.DataArray
        Organic waste treated [t wet weight].
    emission_factor : xarray.DataArray
        N2O emission factor [g N2O / kg wet waste] (Vol.5 Ch.4 Table 4.1).

    Returns
    -------
    xarray.DataArray
        N2O emitted [t N2O].

    Notes
    -----
    IPCC 2006 Vol.5 Ch.4 Eq. 4.2: N2O = Σ_i (M_i × EF_i) × 10^−3 (t × kg/t = kg; × 10^−3 → t).
    """
    return treated * emission_factor * 1e-3
