"""Waste — solid waste disposal (IPCC 4.A): the first-order-decay model and the mass-balance method.

First-order decay (FOD), IPCC 2006 Vol.5 Ch.3, Eq. 3.1–3.6, over an xarray ``year`` dimension
(any other dimension — waste type, site — is carried along, vectorised):

    DDOCm deposited  = W × DOC × DOCf × MCF                              (Eq. 3.2)
    DDOCma(T)        = DDOCmd(T) + DDOCma(T−1) × e^(−k)                  (Eq. 3.4)
    DDOCm decomp(T)  = DDOCma(T−1) × (1 − e^(−k))                        (Eq. 3.5)
    CH4 generated(T) = DDOCm decomp(T) × F × 16/12                       (Eq. 3.6)
    CH4 emitted(T)   = (Σ_x CH4 generated(x, T) − R(T)) × (1 − OX(T))    (Eq. 3.1)

**Timing convention.** Waste deposited in year T starts to decay on 1 January of year T+1: this is
the IPCC Waste Model spreadsheet's default (Vol.5 Ch.3 §3.2.2 and Annex 3A.1: deposits on average
at mid-year, a reaction delay of M = 6 months), for which Eq. 3.4 and 3.5 hold exactly as written —
nothing decomposes in the year of deposit, and the deposit of year T first emits in T+1. Written
out, with a constant k, the recursion is the closed form

    CH4 generated(T) = F × 16/12 × (1 − e^(−k)) × Σ_{t<T} DDOCmd(t) × e^(−k (T−1−t))

which the tests check for rising, falling and interrupted deposit histories.

**Back-casting** (IPCC 2006 Vol.5 Ch.3 §3.2.2, "historical waste disposal data"; Vol.1 Ch.5 §5.3.3
splicing techniques): when the record starts after the first landfill opened, the deposits of the
missing years are estimated by one of :data:`BACKCAST_METHODS` — ``constant`` (the first recorded
year's deposit held constant, Vol.1 Ch.5 §5.3.3.4 extrapolation), ``trend`` (the first recorded
deposit extrapolated backwards at a constant annual growth rate, Vol.1 Ch.5 §5.3.3.4: the growth of
population × waste per person), or ``none``.

**Mass balance** (省级温室气体清单编制指南（试行）第五章 废弃物处理, 固体废弃物填埋处理; the IPCC 1996
default method, Revised 1996 Guidelines Vol.3 Ch.6 Eq. 1): all the methane a year's deposit will
ever produce is counted in the year of deposit,

    CH4 = (W × MCF × DOC × DOCf × F × 16/12 − R) × (1 − OX).
"""

from __future__ import annotations

import numpy as np
import xarray as xr

__all__ = ["CH4_PER_C", "BACKCAST_METHODS", "ddocm_deposited", "ddocm_accumulated", "ddocm_decomposed",
           "ch4_generated", "ch4_emitted", "fod_ch4_generated", "methane_generation_potential",
           "mass_balance_ch4", "backcast_deposits"]

#: mass ratio of CH4 to C (IPCC 2006 Vol.5 Eq. 3.6) [t CH4 / t C]
CH4_PER_C = 16.0 / 12.0
#: the back-casting options of deposits before the record
BACKCAST_METHODS = ("none", "constant", "trend")


def ddocm_deposited(waste, doc, docf, mcf):
    """Decomposable degradable organic carbon deposited.

    Parameters
    ----------
    waste : xarray.DataArray
        Waste deposited [t wet weight].
    doc : xarray.DataArray
        Degradable organic carbon of the waste [t C / t wet waste] (Vol.5 Ch.2 Table 2.4).
    docf : xarray.DataArray
        Fraction of DOC that decomposes [fraction] (default 0.5).
    mcf : xarray.DataArray
        Methane correction factor of the site type [fraction] (Vol.5 Ch.3 Table 3.1).

    Returns
    -------
    xarray.DataArray
        DDOCm deposited [t C].

    Notes
    -----
    IPCC 2006 Vol.5 Ch.3 Eq. 3.2: DDOCm = W × DOC × DOCf × MCF.
    """
    return waste * doc * docf * mcf


def ddocm_accumulated(deposited, previous_accumulated, k):
    """DDOCm accumulated in the site at the end of a year.

    Parameters
    ----------
    deposited : xarray.DataArray
        DDOCm deposited in the year [t C].
    previous_accumulated : xarray.DataArray
        DDOCm accumulated at the end of the year before [t C].
    k : xarray.DataArray
        Methane generation rate constant [1/yr] (Vol.5 Ch.3 Table 3.3).

    Returns
    -------
    xarray.DataArray
        DDOCma at the end of the year [t C].

    Notes
    -----
    IPCC 2006 Vol.5 Ch.3 Eq. 3.4: DDOCma_T = DDOCmd_T + DDOCma_(T−1) × e^(−k).
    """
    return deposited + previous_accumulated * np.exp(-k)


def ddocm_decomposed(previous_accumulated, k):
    """DDOCm decomposed in a year.

    Parameters
    ----------
    previous_accumulated : xarray.DataArray
        DDOCm accumulated at the end of the year before [t C].
    k : xarray.DataArray
        Methane generation rate constant [1/yr].

    Returns
    -------
    xarray.DataArray
        DDOCm decomposed in the year [t C].

    Notes
    -----
    IPCC 2006 Vol.5 Ch.3 Eq. 3.5: DDOCm decomp_T = DDOCma_(T−1) × (1 − e^(−k)).
    """
    return previous_accumulated * (1.0 - np.exp(-k))


def ch4_generated(decomposed, f):
    """Methane generated from decomposed DDOCm.

    Parameters
    ----------
    decomposed : xarray.DataArray
        DDOCm decomposed [t C].
    f : xarray.DataArray
        Fraction of CH4 in generated landfill gas [fraction by volume] (default 0.5).

    Returns
    -------
    xarray.DataArray
        CH4 generated [t CH4].

    Notes
    -----
    IPCC 2006 Vol.5 Ch.3 Eq. 3.6: CH4 generated_T = DDOCm decomp_T × F × 16/12.
    """
    return decomposed * f * CH4_PER_C


def ch4_emitted(generated, recovered, ox):
    """Methane emitted from a solid waste disposal site.

    Parameters
    ----------
    generated : xarray.DataArray
        CH4 generated (summed over waste types) [t CH4].
    recovered : xarray.DataArray
        CH4 recovered (flared or used) [t CH4].
    ox : xarray.DataArray
        Oxidation factor of the cover [fraction] (Vol.5 Ch.3 Table 3.2).

    Returns
    -------
    xarray.DataArray
        CH4 emitted [t CH4].

    Notes
    -----
    IPCC 2006 Vol.5 Ch.3 Eq. 3.1: CH4 emitted_T = (Σ_x CH4 generated_x,T − R_T) × (1 − OX_T).
    Recovery is subtracted before oxidation (the cover oxidises only what is not recovered).
    """
    return (generated - recovered) * (1.0 - ox)


def fod_ch4_generated(deposited, k, f, dim: str = "year"):
    """Methane generated in every year of a deposit history, by the FOD recursion.

    Parameters
    ----------
    deposited : xarray.DataArray
        DDOCm deposited in each year [t C] (Eq. 3.2), along ``dim`` with consecutive years (a year
        without deposit holds 0); other dimensions (waste type, site) are computed at once.
    k : xarray.DataArray or float
        Methane generation rate constant [1/yr], constant or along ``dim`` (the k of the year the
        decay happens in).
    f : xarray.DataArray or float
        Fraction of CH4 in landfill gas [fraction], constant or along ``dim``.
    dim : str
        The year dimension.

    Returns
    -------
    xarray.Dataset
        Along ``dim``: ``accumulated`` (DDOCma at the end of each year [t C]), ``decomposed`` (DDOCm
        decomposed in each year [t C]) and ``generated`` (CH4 generated in each year [t CH4]).

    Raises
    ------
    ValueError
        The years along ``dim`` are not consecutive.

    Notes
    -----
    IPCC 2006 Vol.5 Ch.3 Eq. 3.4, 3.5, 3.6, with decay starting on 1 January of the year after
    deposit (module docstring: the spreadsheet's default delay of 6 months).
    """
    if dim in deposited.coords:
        years = np.asarray(deposited[dim].values)
        if len(years) > 1 and not np.all(np.diff(years) == 1):
            raise ValueError(f"the years along {dim!r} must be consecutive (a year without deposit holds 0)")
    k = xr.DataArray(k) if not isinstance(k, xr.DataArray) else k
    f = xr.DataArray(f) if not isinstance(f, xr.DataArray) else f
    accumulated, decomposed = [], []
    previous = xr.zeros_like(deposited.isel({dim: 0}, drop=True))
    for position in range(deposited.sizes[dim]):
        k_year = k.isel({dim: position}, drop=True) if dim in k.dims else k
        decomposed.append(ddocm_decomposed(previous, k_year))
        previous = ddocm_accumulated(deposited.isel({dim: position}, drop=True), previous, k_year)
        accumulated.append(previous)
    coordinate = deposited[dim] if dim in deposited.coords else None
    stacked_accumulated = xr.concat(accumulated, dim=dim)
    stacked_decomposed = xr.concat(decomposed, dim=dim)
    if coordinate is not None:
        stacked_accumulated = stacked_accumulated.assign_coords({dim: coordinate})
        stacked_decomposed = stacked_decomposed.assign_coords({dim: coordinate})
    return xr.Dataset({"accumulated": stacked_accumulated, "decomposed": stacked_decomposed,
                       "generated": ch4_generated(stacked_decomposed, f)})


def methane_generation_potential(mcf, doc, docf, f):
    """Methane generation potential of landfilled waste.

    Parameters
    ----------
    mcf : xarray.DataArray
        Methane correction factor [fraction].
    doc : xarray.DataArray
        Degradable organic carbon [t C / t wet waste].
    docf : xarray.DataArray
        Fraction of DOC that decomposes [fraction].
    f : xarray.DataArray
        Fraction of CH4 in landfill gas [fraction].

    Returns
    -------
    xarray.DataArray
        L0 [t CH4 / t wet waste].

    Notes
    -----
    省级温室气体清单编制指南（试行）第五章 废弃物处理 (质量平衡法; equation number not checked);
    IPCC Revised 1996 Guidelines Vol.3 Ch.6 Eq. 1: L0 = MCF × DOC × DOCf × F × 16/12.
    """
    return mcf * doc * docf * f * CH4_PER_C


def mass_balance_ch4(waste, l0, recovered, ox):
    """Methane from landfilled waste by the mass-balance (default) method.

    Parameters
    ----------
    waste : xarray.DataArray
        Waste landfilled in the year [t wet weight] (MSW_T × MSW_F).
    l0 : xarray.DataArray
        Methane generation potential [t CH4 / t wet waste] (:func:`methane_generation_potential`).
    recovered : xarray.DataArray
        CH4 recovered [t CH4].
    ox : xarray.DataArray
        Oxidation factor [fraction].

    Returns
    -------
    xarray.DataArray
        CH4 emitted [t CH4].

    Notes
    -----
    省级温室气体清单编制指南（试行）第五章 废弃物处理 (质量平衡法); IPCC Revised 1996 Guidelines Vol.3
    Ch.6 Eq. 1: CH4 = (MSW_T × MSW_F × L0 − R) × (1 − OX).
    """
    return (waste * l0 - recovered) * (1.0 - ox)


def backcast_deposits(first_deposit, first_year: int, years, method: str, growth_rate: float = 0.0):
    """Deposits of the years before the record, estimated from the first recorded year.

    Parameters
    ----------
    first_deposit : float or xarray.DataArray
        Waste deposited in the first recorded year [t].
    first_year : int
        The first recorded year.
    years : array of int
        The earlier years to estimate (each < ``first_year``).
    method : str
        ``constant`` or ``trend`` (module docstring); ``none`` estimates nothing.
    growth_rate : float
        ``trend``: annual growth rate of deposits [1/yr]; the deposit of year t is
        first_deposit × (1 + growth_rate)^(t − first_year).

    Returns
    -------
    xarray.DataArray
        Estimated deposits [t] along ``year`` (empty for ``none``).

    Notes
    -----
    IPCC 2006 Vol.5 Ch.3 §3.2.2 (estimating historical waste disposal data); Vol.1 Ch.5 §5.3.3.4
    (trend extrapolation).
    """
    if method not in BACKCAST_METHODS:
        raise ValueError(f"unknown back-casting method {method!r}: one of {', '.join(BACKCAST_METHODS)}")
    years = np.asarray([y for y in years if y < first_year] if method != "none" else [], dtype=int)
    year = xr.DataArray(years, dims="year", coords={"year": years})
    if method == "constant":
        return first_deposit * xr.ones_like(year, dtype=float)
    if method == "trend":
        return first_deposit * (1.0 + growth_rate) ** (year - first_year)
    return first_deposit * xr.zeros_like(year, dtype=float)
