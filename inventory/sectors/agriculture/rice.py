"""Agriculture — rice cultivation CH4 (IPCC 3.C.7).

Either the IPCC method — a baseline daily factor for continuously flooded fields without organic
amendment, scaled for the water regime in and before the season, organic amendments and soil or
cultivar, × season length × harvested area (2006 IPCC Guidelines Vol.4 Ch.5 Eq. 5.1–5.3) — or a
seasonal factor per hectare (《省级温室气体清单编制指南（试行）》第三章 农业, 稻田甲烷排放因子 by
region: Hunan is 中南区) × area. Units: area [ha], daily factors [kg CH4/(ha·d)], emissions [t].
"""

from __future__ import annotations

import numpy as np

__all__ = ["SFO_EXPONENT", "adjusted_daily_ef", "organic_amendment_sf", "rice_ch4", "rice_ch4_seasonal"]

#: exponent of Eq. 5.3
SFO_EXPONENT = 0.59


def adjusted_daily_ef(baseline_ef, sf_water, sf_preseason, sf_organic, sf_soil):
    """Adjusted daily emission factor of one rice cultivation condition.

    Parameters
    ----------
    baseline_ef : array_like
        EFc, baseline factor for continuously flooded fields without organic amendments
        [kg CH4/(ha·d)] (Table 5.11: 1.30).
    sf_water : array_like
        SFw, scaling factor of the water regime during the cultivation period [1] (Table 5.12).
    sf_preseason : array_like
        SFp, scaling factor of the water regime before the cultivation period [1] (Table 5.13).
    sf_organic : array_like
        SFo, scaling factor of organic amendments [1] (:func:`organic_amendment_sf`).
    sf_soil : array_like
        SFs,r, scaling factor of soil type, cultivar and the like [1] (1 where unknown).

    Returns
    -------
    array_like
        EFi [kg CH4/(ha·d)].

    Notes
    -----
    IPCC 2006 Vol.4 Ch.5 Eq. 5.2: EFi = EFc × SFw × SFp × SFo × SFs,r.
    """
    return baseline_ef * sf_water * sf_preseason * sf_organic * sf_soil


def organic_amendment_sf(application_rate, conversion_factor):
    """Scaling factor of the organic amendments applied to one rice condition.

    Parameters
    ----------
    application_rate : array_like
        ROA_i, application rate of each amendment [t/ha] (dry weight for straw, fresh weight for
        others), along the last axis; NaN or 0 for an amendment not applied.
    conversion_factor : array_like
        CFOA_i, conversion factor of each amendment [1] (Table 5.14), same shape.

    Returns
    -------
    array_like
        SFo [1] (1 without amendments).

    Notes
    -----
    IPCC 2006 Vol.4 Ch.5 Eq. 5.3: SFo = (1 + Σ_i ROA_i × CFOA_i)^0.59.
    """
    products = np.nan_to_num(np.asarray(application_rate, dtype=float) * np.asarray(conversion_factor, dtype=float))
    return (1.0 + products.sum(axis=-1)) ** SFO_EXPONENT


def rice_ch4(daily_ef, season_days, area):
    """Rice CH4 of one cultivation condition by the daily factor.

    Parameters
    ----------
    daily_ef : array_like
        EFi [kg CH4/(ha·d)] (:func:`adjusted_daily_ef`).
    season_days : array_like
        t_i, cultivation period [d].
    area : array_like
        A_i, annual harvested (sown) area [ha/yr].

    Returns
    -------
    array_like
        CH4 [t/yr].

    Notes
    -----
    IPCC 2006 Vol.4 Ch.5 Eq. 5.1: CH4_Rice = Σ_(i,j,k) EF_ijk × t_ijk × A_ijk × 10^-6 [Gg]; here
    × 10^-3 for tonnes.
    """
    return daily_ef * season_days * area / 1000.0


def rice_ch4_seasonal(area, seasonal_ef):
    """Rice CH4 by a seasonal factor per hectare (the provincial guideline's method).

    Parameters
    ----------
    area : array_like
        Sown area of the season [ha/yr].
    seasonal_ef : array_like
        Seasonal emission factor [kg CH4/ha] (省级指南 稻田甲烷排放因子; 中南区 单季稻 236.7, 双季早稻
        241.0, 双季晚稻 273.2, memory grade).

    Returns
    -------
    array_like
        CH4 [t/yr].

    Notes
    -----
    《省级温室气体清单编制指南（试行）》第三章 稻田甲烷排放 (排放量 = 播种面积 × 排放因子); the
    seasonal form of IPCC 2006 Vol.4 Eq. 5.1 (EFi × t_i taken together).
    """
    return area * seasonal_ef / 1000.0
