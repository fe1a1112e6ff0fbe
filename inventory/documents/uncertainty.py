"""Uncertainty of an inventory's totals and trend, IPCC 2006 Vol.1 Ch.3 Approach 1 and Approach 2.

Input: the CONTRACTS §6 table ``category,gas,year,co2e_t`` with ``u_activity_pct``, ``u_factor_pct``
(± % at 95 % confidence) and ``factor_key``; optionally ``u_activity_low_pct``/``u_activity_high_pct``
and ``u_factor_low_pct``/``u_factor_high_pct`` for an asymmetric range (% below / above the value), in
which case ``u_*_pct`` is the larger half (what Approach 1 uses: it is symmetric). An empty
``factor_key`` means the row's own ``category|gas``: its factor is the same in every year, as Table
3.2's column K assumes. Memo rows (``M.*``) are dropped.

Approach 1 (:func:`category_uncertainties`, :func:`approach_1`) is the error propagation of Table 3.2
per category × gas; Approach 2 (:func:`approach_2`) the Monte Carlo simulation over an xarray ``draw``
dimension. :func:`analysis_table` builds the input from the workbench's own results.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from inventory.core.csvio import UNCERTAINTY

__all__ = ["COLUMNS", "product_uncertainty", "sum_uncertainty", "category_uncertainties", "approach_1",
           "approach_2", "uncertainty", "analysis_table", "load_defaults", "multipliers"]

#: the output columns (CONTRACTS §6)
COLUMNS = ["approach", "measure", "estimate", "low", "high", "u_pct"]
#: the shipped IPCC default uncertainties by category and gas
DEFAULTS = Path(__file__).resolve().parent.parent / "data" / "uncertainty_defaults.csv"
#: a 95 % interval is ±1.96 standard deviations of a normal distribution
_Z95 = 1.959963984540054


def product_uncertainty(*uncertainties):
    """Uncertainty of a product, IPCC 2006 Vol.1 Ch.3 Eq. 3.1: ``U = √(U_1² + U_2² + … + U_n²)``.

    Parameters
    ----------
    *uncertainties : float or array
        ``U_i``, the uncertainty of each factor of the product [± %, half the 95 % interval over the value].

    Returns
    -------
    float or array
        ``U``, the uncertainty of the product [± %].
    """
    return np.sqrt(sum(np.square(np.asarray(u, dtype=float)) for u in uncertainties))


def sum_uncertainty(values, uncertainties) -> float:
    """Uncertainty of a sum, IPCC 2006 Vol.1 Ch.3 Eq. 3.2: ``U = √Σ(U_i x_i)² / |Σ x_i|``.

    Parameters
    ----------
    values : array
        ``x_i``, the quantities added [any one unit, e.g. t CO2e]; removals negative.
    uncertainties : array
        ``U_i``, the uncertainty of each [± %].

    Returns
    -------
    float
        ``U`` of the sum [± %]; NaN when the sum is zero.
    """
    values = np.asarray(values, dtype=float)
    spread = math.sqrt(float(np.square(np.asarray(uncertainties, dtype=float) * values).sum()))
    total = abs(float(values.sum()))
    return spread / total if total else float("nan")


def _prepared(table: pd.DataFrame) -> pd.DataFrame:
    """The rows analysed: memo rows dropped, uncertainties with both halves, a factor key for every row."""
    rows = table[~table["category"].astype(str).str.startswith("M.")].copy()
    rows["year"] = rows["year"].astype(int)
    rows["co2e_t"] = rows["co2e_t"].astype(float)
    for side in ("activity", "factor"):
        symmetric = rows[f"u_{side}_pct"].astype(float) if f"u_{side}_pct" in rows else pd.Series(0.0, rows.index)
        for end in ("low", "high"):
            column = f"u_{side}_{end}_pct"
            given = rows[column].astype(float) if column in rows else pd.Series(np.nan, rows.index)
            rows[column] = given.fillna(symmetric).fillna(0.0)
        rows[f"u_{side}_pct"] = rows[[f"u_{side}_low_pct", f"u_{side}_high_pct"]].max(axis=1)
    own = rows["category"].astype(str) + "|" + rows["gas"].astype(str)
    key = rows["factor_key"].fillna("").astype(str) if "factor_key" in rows else pd.Series("", rows.index)
    rows["factor_key"] = key.where(key != "", own)
    return rows


def _check_years(rows: pd.DataFrame, years) -> None:
    present = set(rows["year"])
    missing = [int(y) for y in years if int(y) not in present]
    if missing:
        raise ValueError(f"the table has no rows for year(s) {', '.join(map(str, missing))}")


def category_uncertainties(table: pd.DataFrame, year: int, base_year: int) -> pd.DataFrame:
    """The category rows of IPCC 2006 Vol.1 Ch.3 Table 3.2 (Approach 1), one per category × gas.

    Columns (Table 3.2's letter in brackets): ``category`` (A), ``gas`` (B), ``base_t`` (C, base-year
    estimate [t CO2e]), ``latest_t`` (D, year t [t CO2e]), ``u_activity_pct`` (E) and ``u_factor_pct``
    (F) [± %], ``u_combined_pct`` (G, Eq. 3.1) [± %], ``variance_share`` (H, contribution to the variance
    of the year-t total: ``(G·D)² / (ΣD)²`` [fraction², with G as a fraction]), ``sensitivity_a`` (I,
    type A: the change of the trend [%-points] per 1 % increase of the category in both years),
    ``sensitivity_b`` (J, type B: ``D / |ΣC|``, the same per 1 % increase in year t only),
    ``trend_u_factor`` (K = I·F [%-points]: factors correlated between years), ``trend_u_activity``
    (L = J·E·√2 [%-points]: activity independent between years) and ``trend_variance`` (M = K² + L²).

    Several rows of one category × gas (items, fuels) are combined by Eq. 3.2 for E and F, weighted by
    their year-t estimates (base-year ones for a category absent in year t).
    """
    rows = _prepared(table)
    _check_years(rows, {year, base_year})
    rows = rows[rows["year"].isin([int(year), int(base_year)])]
    # Eq. 3.2 per category × gas and year, by sums over groups: √Σ(U_i x_i)² / |Σ x_i|
    x = rows["co2e_t"]
    parts = rows.assign(size=x.abs(), sq_activity=np.square(rows["u_activity_pct"] * x),
                        sq_factor=np.square(rows["u_factor_pct"] * x))
    sums = parts.groupby(["category", "gas", "year"])[["co2e_t", "size", "sq_activity", "sq_factor"]].sum()
    latest = sums.xs(int(year), level="year").add_suffix("_latest")
    base = sums.xs(int(base_year), level="year").add_suffix("_base")
    both = latest.join(base, how="outer").fillna(0.0).sort_index()
    by_latest = both["size_latest"] != 0  # the year-t rows weight E and F, else the base year's
    total = np.where(by_latest, both["co2e_t_latest"], both["co2e_t_base"])
    weighted = {}
    for side in ("activity", "factor"):
        spread = np.sqrt(np.where(by_latest, both[f"sq_{side}_latest"], both[f"sq_{side}_base"]))
        with np.errstate(divide="ignore", invalid="ignore"):
            weighted[side] = np.where(total != 0, spread / np.abs(total), 0.0)  # 0 for a sum of nothing
    frame = pd.DataFrame({"category": both.index.get_level_values("category"),
                          "gas": both.index.get_level_values("gas"), "base_t": both["co2e_t_base"].to_numpy(),
                          "latest_t": both["co2e_t_latest"].to_numpy(), "u_activity_pct": weighted["activity"],
                          "u_factor_pct": weighted["factor"]})
    frame = frame[(frame["base_t"] != 0) | (frame["latest_t"] != 0)].reset_index(drop=True)
    return _table_3_2(frame)


def _table_3_2(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns G–M of Table 3.2 from C, D, E, F (see :func:`category_uncertainties`)."""
    c, d = frame["base_t"].to_numpy(), frame["latest_t"].to_numpy()
    e, f = frame["u_activity_pct"].to_numpy(), frame["u_factor_pct"].to_numpy()
    sum_c, sum_d = c.sum(), d.sum()
    g = product_uncertainty(e, f)
    h = np.square(g / 100.0 * d) / sum_d ** 2 if sum_d else np.full(len(d), np.nan)
    if sum_c:
        a = ((0.01 * d + sum_d) / (0.01 * c + sum_c) - sum_d / sum_c) * 100.0
        b = d / abs(sum_c)
    else:
        a = b = np.full(len(d), np.nan)
    k = a * f
    m_activity = b * e * math.sqrt(2.0)
    return frame.assign(u_combined_pct=g, variance_share=h, sensitivity_a=a, sensitivity_b=b, trend_u_factor=k,
                        trend_u_activity=m_activity, trend_variance=np.square(k) + np.square(m_activity))


def _total_row(approach: int, measure: str, estimate: float, u_fraction: float) -> dict:
    spread = u_fraction * abs(estimate)
    return {"approach": approach, "measure": measure, "estimate": estimate, "low": estimate - spread,
            "high": estimate + spread, "u_pct": u_fraction * 100.0}


def _trend_pct(latest, base):
    """Change from the base year [%]: ``(Σ_t − Σ_0) / |Σ_0| × 100``."""
    return (latest - base) / np.abs(base) * 100.0


def approach_1(table: pd.DataFrame, year: int, base_year: int) -> pd.DataFrame:
    """Totals of ``year`` and ``base_year`` (Eq. 3.2 over Table 3.2's G) and the trend (√ΣM), Approach 1.

    ``total_*``: estimate [t CO2e], ``low``/``high`` = estimate ∓ U·|estimate|, ``u_pct`` = U [± %].
    ``trend``: estimate = change from the base year [%], ``u_pct`` = √Σ M [%-points], ``low``/``high`` =
    estimate ∓ ``u_pct``. Approach 1 assumes the categories uncorrelated (factor keys shared between
    categories are not seen here; Approach 2 sees them).
    """
    categories = category_uncertainties(table, year, base_year)
    base_rows = categories.assign(latest_t=categories["base_t"])
    rows = [_total_row(1, f"total_{int(year)}", float(categories["latest_t"].sum()),
                       math.sqrt(float(categories["variance_share"].sum())))]
    if int(base_year) != int(year):
        base_h = _table_3_2(base_rows)["variance_share"]
        rows.append(_total_row(1, f"total_{int(base_year)}", float(categories["base_t"].sum()),
                               math.sqrt(float(base_h.sum()))))
        trend = float(_trend_pct(categories["latest_t"].sum(), categories["base_t"].sum()))
        u_trend = math.sqrt(float(categories["trend_variance"].sum()))
        rows.append({"approach": 1, "measure": "trend", "estimate": trend, "low": trend - u_trend,
                     "high": trend + u_trend, "u_pct": u_trend})
    return pd.DataFrame(rows, columns=COLUMNS)


def multipliers(z: xr.DataArray, low_pct: np.ndarray, high_pct: np.ndarray) -> xr.DataArray:
    """Draws of a value's relative error (a multiplier of mean about 1) from standard-normal draws ``z``.

    IPCC 2006 Vol.1 Ch.3 §3.2.2.4 (choosing a probability density function) and §3.2.3.2 (Approach 2):

    - a symmetric range ``±U`` with ``U ≤ 50 %``: normal, mean 1, ``σ = U / 1.96``;
    - a symmetric range with ``U > 50 %``: lognormal of mean 1 and the same ``σ = U / 1.96``
      (``σ_ln² = ln(1 + σ²)``, ``μ_ln = −σ_ln² / 2``), never negative;
    - an asymmetric range ``−l % .. +h %`` with ``l < 100 %``: lognormal whose 2.5 % and 97.5 % points are
      ``1 − l`` and ``1 + h`` (``μ_ln = (ln(1 − l) + ln(1 + h)) / 2``, ``σ_ln = (ln(1 + h) − ln(1 − l)) / 3.92``);
      with ``l ≥ 100 %`` the lognormal of the larger half as above.

    Parameters
    ----------
    z : DataArray
        Standard-normal draws, dims ``(draw, row)``.
    low_pct, high_pct : array
        The range below and above the value of each row [%] (equal for ``±U``).

    Returns
    -------
    DataArray
        Multipliers, dims ``(draw, row)`` [dimensionless].
    """
    low = np.asarray(low_pct, dtype=float) / 100.0
    high = np.asarray(high_pct, dtype=float) / 100.0
    larger = np.maximum(low, high)
    symmetric = np.isclose(low, high)
    normal = symmetric & (larger <= 0.5)
    fits = ~symmetric & (low < 1.0)
    sigma = larger / _Z95
    # per row the location and scale of ln(multiplier); normal rows use `sigma` directly
    sigma_ln = np.sqrt(np.log1p(sigma ** 2))
    safe_low = np.where(fits, low, 0.0)
    mu = np.where(fits, (np.log1p(-safe_low) + np.log1p(high)) / 2, -sigma_ln ** 2 / 2)
    scale = np.where(fits, (np.log1p(high) - np.log1p(-safe_low)) / (2 * _Z95), sigma_ln)
    values = z.transpose(..., z.dims[1]).values
    drawn = 1.0 + sigma * values
    skewed = ~normal  # the exponential only where a row is lognormal (most rows are normal)
    if skewed.any():
        drawn[..., skewed] = np.exp(mu[skewed] + scale[skewed] * values[..., skewed])
    return xr.DataArray(drawn, dims=z.transpose(..., z.dims[1]).dims).transpose(*z.dims)


def approach_2(table: pd.DataFrame, year: int, base_year: int, draws: int = 10000,
               seed: int = 20230101) -> pd.DataFrame:
    """Totals and trend by Monte Carlo simulation, IPCC 2006 Vol.1 Ch.3 §3.2.3.2 (Approach 2).

    Each row's estimate is drawn as ``E × m_activity × m_factor`` (:func:`multipliers`); every row's
    activity multiplier is its own draw; rows with the same ``factor_key`` share ONE factor draw (one
    standard-normal draw per key, in every year: fully correlated), so a factor common to many rows or to
    both years does not average out. Everything is vectorised over the ``draw`` dimension; the draws
    come from ``numpy.random.default_rng(seed)``.

    Returns the §6 rows: ``estimate`` = the inventory's own total [t CO2e] or change [%], ``low``/
    ``high`` the 2.5 % and 97.5 % points of the draws, ``u_pct`` = half the 95 % range over
    ``|estimate|`` [± %] (for ``trend``, half the range [%-points]).
    """
    if draws < 1:
        raise ValueError("draws must be at least 1")
    rows = _prepared(table)
    _check_years(rows, {year, base_year})
    rows = rows[rows["year"].isin([int(year), int(base_year)])].reset_index(drop=True)
    generator = np.random.default_rng(seed)
    keys, key_of_row = np.unique(rows["factor_key"].to_numpy(dtype=str), return_inverse=True)
    z_activity = xr.DataArray(generator.standard_normal((draws, len(rows))), dims=("draw", "row"))
    z_keys = generator.standard_normal((draws, len(keys)))
    z_factor = xr.DataArray(z_keys[:, key_of_row.ravel()], dims=("draw", "row"))
    estimate = xr.DataArray(rows["co2e_t"].to_numpy(), dims="row")
    drawn = (estimate * multipliers(z_activity, rows["u_activity_low_pct"], rows["u_activity_high_pct"])
             * multipliers(z_factor, rows["u_factor_low_pct"], rows["u_factor_high_pct"]))
    in_year = xr.DataArray((rows["year"].to_numpy() == int(year)).astype(float), dims="row")
    in_base = xr.DataArray((rows["year"].to_numpy() == int(base_year)).astype(float), dims="row")
    latest, base = xr.dot(drawn, in_year, dim="row"), xr.dot(drawn, in_base, dim="row")  # the year's rows summed
    point_latest = float(xr.dot(estimate, in_year))
    point_base = float(xr.dot(estimate, in_base))
    result = [_drawn_row(f"total_{int(year)}", point_latest, latest, relative=True)]
    if int(base_year) != int(year):
        result.append(_drawn_row(f"total_{int(base_year)}", point_base, base, relative=True))
        result.append(_drawn_row("trend", float(_trend_pct(point_latest, point_base)), _trend_pct(latest, base),
                                 relative=False))
    return pd.DataFrame(result, columns=COLUMNS)


def _drawn_row(measure: str, estimate: float, drawn: xr.DataArray, relative: bool) -> dict:
    low, high = (float(q) for q in drawn.quantile([0.025, 0.975], dim="draw"))
    half = (high - low) / 2
    u_pct = (half / abs(estimate) * 100.0 if estimate else float("nan")) if relative else half
    return {"approach": 2, "measure": measure, "estimate": estimate, "low": low, "high": high, "u_pct": u_pct}


def uncertainty(table: pd.DataFrame, year: int, base_year: int, approach: int, draws: int = 10000,
                seed: int = 20230101) -> pd.DataFrame:
    """The CONTRACTS §6 uncertainty rows of ``table`` by Approach 1 (:func:`approach_1`) or 2 (:func:`approach_2`)."""
    if approach == 1:
        return approach_1(table, year, base_year)
    if approach == 2:
        return approach_2(table, year, base_year, draws=draws, seed=seed)
    raise ValueError(f"approach must be 1 or 2, not {approach!r}")


# -- the input from the workbench's own results ---------------------------------------------------------

#: the columns of :func:`analysis_table`
ANALYSIS_COLUMNS = ["region", "year", "category", "item", "gas", "co2e_t", "u_activity_pct", "u_factor_pct",
                    "u_activity_low_pct", "u_activity_high_pct", "u_factor_low_pct", "u_factor_high_pct",
                    "factor_key", "u_activity_source", "u_factor_source"]


def load_defaults(path: Path | str = DEFAULTS) -> pd.DataFrame:
    """The IPCC default uncertainties (``inventory/data/uncertainty_defaults.csv``): ``category,gas,
    u_activity_pct,u_factor_pct,source,source_table,confidence,note``; ``category`` a prefix, ``gas``
    a gas or ``*``."""
    return pd.read_csv(path, dtype={"category": str, "gas": str}, keep_default_na=False)


def _default_for(category: str, gas: str, defaults: pd.DataFrame):
    """The row of the longest category prefix of ``category`` with this gas (before ``*``)."""
    best, best_rank = None, None
    for row in defaults.itertuples(index=False):
        prefix = row.category
        if not (category == prefix or category.startswith(prefix + ".") or prefix == "*"):
            continue
        if row.gas not in (gas, "*"):
            continue
        rank = (0 if prefix == "*" else len(prefix.split(".")), row.gas == gas)
        if best_rank is None or rank > best_rank:
            best, best_rank = row, rank
    return best


def relative_range(value: float, text: str) -> tuple[float, float] | None:
    """An ``uncertainty`` cell (CONTRACTS §3/§4) as (% below, % above) ``value``: ``5`` → (5, 5);
    ``90..110`` around 100 → (10, 10); None for an empty or unreadable cell or a zero value."""
    found = UNCERTAINTY.match(text or "")
    if found is None:
        return None
    if found.group(1) is not None:
        u = float(found.group(1))
        return u, u
    if not value:
        return None
    low, high = float(found.group(2)), float(found.group(3))
    magnitude = abs(value)
    return max(value - low, 0.0) / magnitude * 100.0, max(high - value, 0.0) / magnitude * 100.0


def _links_of(row) -> list[str]:
    """The factor ids of a row: from ``links`` ((role, id) pairs) or the ``factor_ids`` text."""
    links = getattr(row, "links", None)
    if isinstance(links, tuple):
        return [factor_id for _, factor_id in links]
    text = getattr(row, "factor_ids", "") or ""
    if not isinstance(text, str):
        return []
    return [part.split("=", 1)[1].strip() for group in text.split("|") for part in group.split(";")
            if "=" in part]


def analysis_table(emissions: pd.DataFrame, factors, activity, defaults: pd.DataFrame | None = None) -> pd.DataFrame:
    """The §6 analysis input from the workbench's own results, with where each uncertainty came from.

    Parameters
    ----------
    emissions : DataFrame
        The collected results: ``region,year,category,item,gas,co2e_t``, ``records``
        (``file:line; file:line``) and ``links`` or ``factor_ids`` (``role=id; role=id``).
    factors : FactorDatabase or DataFrame
        The factor rows (``id``, ``value``, ``uncertainty``).
    activity : ActivityData or DataFrame
        The activity records (``file``, ``line``, ``value_reported``, ``uncertainty``).
    defaults : DataFrame, optional
        IPCC defaults (:func:`load_defaults`, the shipped file when None).

    Returns
    -------
    DataFrame
        :data:`ANALYSIS_COLUMNS`, memo ``M.*`` rows excluded. Activity: the records' ``uncertainty``; a
        row resting on several records takes the largest of theirs (each half); ``u_activity_source`` =
        ``record``, or ``ipcc_default`` when none of its records has one. Factor: the linked factor rows'
        ``uncertainty`` combined by Eq. 3.1 (a chain ncv × carbon content × oxidation, or ncv × ef);
        where only some links carry one, the larger of that combination and the category's IPCC default
        is used (a partly documented chain is never taken as more certain than the default);
        ``u_factor_source`` = ``factor`` or ``ipcc_default``. ``factor_key`` = the row's factor ids
        joined with ``+`` (the same chain → the same draw, across years and regions); rows with no factor
        id get ``category|gas``.
    """
    defaults = load_defaults() if defaults is None else defaults
    factor_rows = getattr(factors, "rows", factors)
    records = getattr(activity, "records", activity)
    factor_range = {str(i): relative_range(float(v), str(u)) for i, v, u in
                    zip(factor_rows["id"], pd.to_numeric(factor_rows["value"], errors="coerce").fillna(0.0),
                        factor_rows["uncertainty"].fillna(""))}
    value_column = "value_reported" if "value_reported" in records else "value"
    record_range = {f"{f}:{line}": relative_range(float(v) if pd.notna(v) else 0.0, str(u)) for f, line, v, u in
                    zip(records["file"], records["line"], pd.to_numeric(records[value_column], errors="coerce"),
                        records["uncertainty"].fillna(""))}
    rows = emissions[~emissions["category"].astype(str).str.startswith("M.")]
    default_of = {(c, g): _default_for(c, g, defaults)
                  for c, g in set(zip(rows["category"].astype(str), rows["gas"].astype(str)))}
    uncovered = sorted(f"{c} {g}" for (c, g), row in default_of.items() if row is None)
    if uncovered:
        raise ValueError(f"no default uncertainty for {', '.join(uncovered)}: add a row to {DEFAULTS.name}")
    out = []
    for row in rows.itertuples(index=False):
        category, gas = str(row.category), str(row.gas)
        default = default_of[(category, gas)]
        default_a, default_f = float(default.u_activity_pct), float(default.u_factor_pct)
        where = [w.strip() for w in str(getattr(row, "records", "") or "").split(";") if w.strip()]
        found = [record_range[w] for w in where if record_range.get(w)]
        if found:
            a_low, a_high = max(r[0] for r in found), max(r[1] for r in found)
            a_source = "record"
        else:
            a_low = a_high = default_a
            a_source = "ipcc_default"
        ids = [i for i in _links_of(row) if i]
        ranges = [factor_range.get(i) for i in ids]
        carried = [r for r in ranges if r]
        if carried:
            f_low = float(product_uncertainty(*(r[0] for r in carried)))
            f_high = float(product_uncertainty(*(r[1] for r in carried)))
            f_source = "factor"
            if len(carried) < len(ranges) and max(f_low, f_high) < default_f:
                f_low = f_high = default_f
                f_source = "ipcc_default"
        else:
            f_low = f_high = default_f
            f_source = "ipcc_default"
        out.append({"region": str(row.region), "year": int(row.year), "category": category,
                    "item": str(getattr(row, "item", "")), "gas": gas, "co2e_t": float(row.co2e_t),
                    "u_activity_pct": max(a_low, a_high), "u_factor_pct": max(f_low, f_high),
                    "u_activity_low_pct": a_low, "u_activity_high_pct": a_high,
                    "u_factor_low_pct": f_low, "u_factor_high_pct": f_high,
                    "factor_key": "+".join(sorted(set(ids))) or f"{category}|{gas}",
                    "u_activity_source": a_source, "u_factor_source": f_source})
    return pd.DataFrame(out, columns=ANALYSIS_COLUMNS)
