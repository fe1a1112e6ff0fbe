"""Key category analysis, Approach 1 (IPCC 2006 Vol.1 Ch.4 §4.3.1): level and trend assessment.

The unit of analysis is category × gas. The input is any inventory table with the columns
``category,gas,year,co2e_t`` (CONTRACTS §6); memo items (``M.*``) are never part of it and are dropped.
Removals (LULUCF, ``3.B``) enter the level assessment by their magnitude (Eq. 4.1) and the trend
assessment with their sign (Eq. 4.2). A category is key while the cumulative share of the categories
ranked before it is below the threshold (95 % by default), so the category that crosses the threshold is
key too.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["COLUMNS", "LULUCF", "level_assessment", "trend_assessment", "key_categories",
           "key_category_analysis"]

#: the output columns (CONTRACTS §6)
COLUMNS = ["assessment", "category", "gas", "value", "share", "cumulative_share", "key", "rank"]
#: category prefix of LULUCF, the part the assessment "without LULUCF" leaves out
LULUCF = "3.B"


def level_assessment(estimate: np.ndarray) -> np.ndarray:
    """Level assessment of each category, IPCC 2006 Vol.1 Ch.4 Eq. 4.1.

    ``L_x,t = |E_x,t| / Σ_y |E_y,t|``.

    Parameters
    ----------
    estimate : array
        ``E_x,t``, the emission (positive) or removal (negative) of each category in year t [t CO2e].

    Returns
    -------
    array
        ``L_x,t`` [fraction]; all zero when every estimate is zero.
    """
    magnitude = np.abs(np.asarray(estimate, dtype=float))
    total = magnitude.sum()
    return magnitude / total if total else np.zeros_like(magnitude)


def trend_assessment(base: np.ndarray, latest: np.ndarray) -> np.ndarray:
    """Trend assessment of each category, IPCC 2006 Vol.1 Ch.4 Eq. 4.2 (Eq. 4.3 where its base year is 0).

    ``T_x,t = |E_x,0| / Σ_y|E_y,0| × |(E_x,t − E_x,0) / |E_x,0| − (Σ_y E_y,t − Σ_y E_y,0) / |Σ_y E_y,0||``;
    for a category whose base-year estimate is zero the Guidelines give ``T_x,t = |E_x,t / Σ_y|E_y,0||``
    (Eq. 4.3, which is also the limit of Eq. 4.2 as ``E_x,0 → 0``).

    Parameters
    ----------
    base : array
        ``E_x,0``, each category's estimate in the base year [t CO2e] (removals negative).
    latest : array
        ``E_x,t``, each category's estimate in year t [t CO2e] (removals negative).

    Returns
    -------
    array
        ``T_x,t`` [dimensionless], never negative.

    Raises
    ------
    ValueError
        When the base-year total ``Σ_y E_y,0`` or ``Σ_y |E_y,0|`` is zero: no trend can be assessed.
    """
    base = np.asarray(base, dtype=float)
    latest = np.asarray(latest, dtype=float)
    base_magnitude = np.abs(base).sum()
    base_total = base.sum()
    if not base_magnitude or not base_total:
        raise ValueError("the base-year total is zero: the trend assessment (Eq. 4.2) is not defined")
    total_trend = (latest.sum() - base_total) / abs(base_total)
    with np.errstate(divide="ignore", invalid="ignore"):
        category_trend = (latest - base) / np.abs(base)
        equation_4_2 = np.abs(base) / base_magnitude * np.abs(category_trend - total_trend)
    equation_4_3 = np.abs(latest / base_magnitude)
    return np.where(base == 0, equation_4_3, equation_4_2)


def _ranked(assessment: str, keys: pd.DataFrame, value: np.ndarray, score: np.ndarray,
            threshold: float) -> pd.DataFrame:
    """Rank by ``score`` (largest first), cumulative share, ``key`` while the share before is below threshold."""
    total = score.sum()
    share = score / total if total else np.zeros_like(score)
    frame = keys.assign(assessment=assessment, value=value, share=share, _score=score)
    frame = frame.sort_values(["_score", "category", "gas"], ascending=[False, True, True], kind="stable")
    cumulative = frame["share"].cumsum().to_numpy()
    before = cumulative - frame["share"].to_numpy()
    frame = frame.assign(cumulative_share=cumulative, key=before < threshold / 100.0 - 1e-12,
                         rank=np.arange(1, len(frame) + 1))
    return frame[COLUMNS].reset_index(drop=True)


def _by_category(table: pd.DataFrame, year: int, without_lulucf: bool) -> pd.Series:
    rows = table[(table["year"].astype(int) == int(year)) & ~table["category"].astype(str).str.startswith("M.")]
    if without_lulucf:
        category = rows["category"].astype(str)
        rows = rows[~((category == LULUCF) | category.str.startswith(LULUCF + "."))]
    return rows.groupby(["category", "gas"])["co2e_t"].sum()


def key_categories(table: pd.DataFrame, year: int, base_year: int, threshold: float = 95.0,
                   without_lulucf: bool = False) -> pd.DataFrame:
    """Key categories by level (``year``) and trend (``base_year`` → ``year``), IPCC 2006 Vol.1 Ch.4 Approach 1.

    Parameters
    ----------
    table : DataFrame
        ``category,gas,year,co2e_t`` [t CO2e]; several rows of one category, gas and year are added.
    year, base_year : int
        The latest year (level) and the base year of the trend; the trend rows are left out when they
        are the same year.
    threshold : float
        Cumulative share [%] up to which categories are key (95 in the Guidelines).
    without_lulucf : bool
        Leave out LULUCF (``3.B``), as the Guidelines ask for a second assessment.

    Returns
    -------
    DataFrame
        ``assessment`` (``level``/``trend``), ``category``, ``gas``, ``value`` (level: the estimate
        ``E_x,t`` [t CO2e], removals negative; trend: ``T_x,t`` of Eq. 4.2 [dimensionless]), ``share``
        and ``cumulative_share`` [fractions], ``key`` (bool), ``rank`` (1 = largest), ranked within
        each assessment. Categories with no emission in the year(s) assessed are left out.
    """
    latest = _by_category(table, year, without_lulucf)
    latest = latest[latest != 0]
    level = _ranked("level", latest.index.to_frame(index=False), latest.to_numpy(),
                    level_assessment(latest.to_numpy()), threshold)
    if int(base_year) == int(year):
        return level
    both = pd.concat([_by_category(table, base_year, without_lulucf).rename("base"),
                      _by_category(table, year, without_lulucf).rename("latest")], axis=1).fillna(0.0)
    both = both[(both["base"] != 0) | (both["latest"] != 0)]
    score = trend_assessment(both["base"].to_numpy(), both["latest"].to_numpy())
    trend = _ranked("trend", both.index.to_frame(index=False), score, score, threshold)
    return pd.concat([level, trend], ignore_index=True)


def key_category_analysis(table: pd.DataFrame, year: int, base_year: int, threshold: float = 95.0) -> pd.DataFrame:
    """:func:`key_categories` with and without LULUCF, one table with a column ``lulucf`` (``with``/``without``)."""
    return pd.concat([key_categories(table, year, base_year, threshold, without_lulucf=False).assign(lulucf="with"),
                      key_categories(table, year, base_year, threshold, without_lulucf=True).assign(lulucf="without")],
                     ignore_index=True)
