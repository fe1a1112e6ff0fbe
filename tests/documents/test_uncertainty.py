"""Uncertainty, IPCC 2006 Vol.1 Ch.3: Approach 1 (Table 3.2) by hand, Approach 2 against it, correlation."""

import math

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from inventory.documents.uncertainty import (
    analysis_table,
    category_uncertainties,
    load_defaults,
    multipliers,
    product_uncertainty,
    uncertainty,
)


def _table(rows):
    return pd.DataFrame(rows, columns=["category", "gas", "year", "co2e_t", "u_activity_pct", "u_factor_pct"])


@pytest.fixture
def two_categories() -> pd.DataFrame:
    # C (2015) and D (2022) [t CO2e]; E activity and F factor [± %]
    return _table([("1.A.1", "CO2", 2015, 100.0, 5, 10), ("1.A.1", "CO2", 2022, 110.0, 5, 10),
                   ("3.A.1", "CH4", 2015, 50.0, 10, 40), ("3.A.1", "CH4", 2022, 40.0, 10, 40),
                   ("M.ELEC", "CO2", 2022, 500.0, 50, 50)])  # a memo: never in the totals


def test_eq_3_1():
    assert product_uncertainty(3, 4) == pytest.approx(5.0)  # √(9 + 16)


def test_approach_1_table_3_2(two_categories):
    table = category_uncertainties(two_categories, 2022, 2015).set_index("category")
    # G = √(E² + F²): √(25 + 100) = 11.1803, √(100 + 1600) = 41.2311
    assert table["u_combined_pct"].tolist() == pytest.approx([math.sqrt(125), math.sqrt(1700)])
    # I (type A) = ((0.01 D + ΣD) / (0.01 C + ΣC) − ΣD/ΣC) × 100 with ΣC = ΣD = 150:
    # 1.A.1: (151.1/151 − 1) × 100 = 0.066225; 3.A.1: (150.4/150.5 − 1) × 100 = −0.066445
    assert table["sensitivity_a"].tolist() == pytest.approx([0.066225166, -0.066445183], rel=1e-6)
    # J (type B) = D / |ΣC|: 110/150, 40/150
    assert table["sensitivity_b"].tolist() == pytest.approx([110 / 150, 40 / 150])
    # K = I·F: 0.66225, −2.65781; L = J·E·√2: 0.7333·5·1.41421 = 5.18545, 0.2667·10·1.41421 = 3.77124
    assert table["trend_u_factor"].tolist() == pytest.approx([0.66225166, -2.6578073], rel=1e-6)
    assert table["trend_u_activity"].tolist() == pytest.approx([5.1854497, 3.7712362], rel=1e-6)

    result = uncertainty(two_categories, 2022, 2015, approach=1).set_index("measure")
    # total 2022: √((11.1803·110)² + (41.2311·40)²) / 150 = √(1 512 500 + 2 720 000) / 150 = 2057.30 / 150 = 13.7154 %
    assert result.loc["total_2022", "estimate"] == 150.0
    assert result.loc["total_2022", "u_pct"] == pytest.approx(13.715360, rel=1e-6)
    assert result.loc["total_2022", "low"] == pytest.approx(150 * (1 - 0.13715360), rel=1e-6)
    # total 2015: √(125·100² + 1700·50²) / 150 = √5 500 000 / 150 = 15.6347 %
    assert result.loc["total_2015", "u_pct"] == pytest.approx(15.634719, rel=1e-6)
    # trend: (150 − 150)/150 = 0 %; √(0.66225² + 2.65781² + 5.18545² + 3.77124²) = √48.6136 = 6.97235 %-points
    assert result.loc["trend", "estimate"] == 0.0
    assert result.loc["trend", "u_pct"] == pytest.approx(6.9723474, rel=1e-6)
    assert result.loc["trend", "high"] == pytest.approx(6.9723474, rel=1e-6)


def test_approach_2_matches_approach_1_for_a_sum_of_normals():
    # activity only (factor 0), every U ≤ 50 %: the total is exactly normal; 2022: 1000 ±10, 500 ±20, 250 ±40 %
    # → σ-terms 100, 100, 100: U = √(3·100²)/1750 = 173.205/1750 = 9.8974 %
    rows = [(c, "CO2", y, v, u, 0) for y in (2015, 2022)
            for c, v, u in (("1.A.1", 1000.0, 10), ("1.A.2", 500.0, 20), ("1.A.4", 250.0, 40))]
    table = _table(rows)
    first = uncertainty(table, 2022, 2015, approach=1).set_index("measure")
    second = uncertainty(table, 2022, 2015, approach=2, draws=10000).set_index("measure")
    assert first.loc["total_2022", "u_pct"] == pytest.approx(9.897433, rel=1e-6)
    # Monte Carlo error of a 95 % half-width with 10 000 draws is about 1 %: allow 3 %
    assert second.loc["total_2022", "u_pct"] == pytest.approx(first.loc["total_2022", "u_pct"], rel=0.03)
    assert second.loc["total_2022", "estimate"] == 1750.0
    assert second.loc["trend", "u_pct"] == pytest.approx(first.loc["trend", "u_pct"], rel=0.05)
    # seeded: the same draws again
    again = uncertainty(table, 2022, 2015, approach=2, draws=10000).set_index("measure")
    assert again.loc["total_2022", "low"] == second.loc["total_2022", "low"]


def test_a_shared_factor_key_is_fully_correlated():
    # two equal rows of 100 t with a factor ±10 % and exact activity:
    # one shared factor draw → the total moves as one: ±10 %; independent → √(10² + 10²)·100/200 = ±7.07 %
    shared = _table([("1.A.1", "CO2", 2022, 100.0, 0, 10), ("1.A.2", "CO2", 2022, 100.0, 0, 10)])
    independent = shared.assign(factor_key=["a", "b"])
    shared = shared.assign(factor_key=["coal", "coal"])
    u_shared = uncertainty(shared, 2022, 2022, approach=2, draws=20000)["u_pct"].iloc[0]
    u_independent = uncertainty(independent, 2022, 2022, approach=2, draws=20000)["u_pct"].iloc[0]
    assert u_shared == pytest.approx(10.0, rel=0.03)
    assert u_independent == pytest.approx(10.0 / math.sqrt(2), rel=0.03)


def test_shared_key_is_the_same_draw_in_every_year():
    # one row per year with one factor key, factor ±30 %, exact activity: the trend is exactly (120−100)/100 = 20 %
    table = _table([("2.A.1", "CO2", 2015, 100.0, 0, 30), ("2.A.1", "CO2", 2022, 120.0, 0, 30)])
    trend = uncertainty(table, 2022, 2015, approach=2, draws=2000).set_index("measure").loc["trend"]
    assert trend["estimate"] == pytest.approx(20.0)
    assert trend["low"] == pytest.approx(20.0) and trend["high"] == pytest.approx(20.0)


def test_distributions():
    z = np.random.default_rng(1).standard_normal((200000, 3))
    drawn = multipliers(xr.DataArray(z, dims=("draw", "row")), np.array([10.0, 100.0, 20.0]),
                        np.array([10.0, 100.0, 60.0]))
    low, high = np.quantile(drawn.values, [0.025, 0.975], axis=0)
    # ±10 %: normal, 0.9 .. 1.1
    assert (low[0], high[0]) == pytest.approx((0.9, 1.1), abs=0.003)
    # ±100 %: lognormal of mean 1 and σ = 1/1.96: never negative
    assert drawn.values[:, 1].min() > 0 and drawn.values[:, 1].mean() == pytest.approx(1.0, abs=0.01)
    # −20 % .. +60 %: lognormal with 0.8 and 1.6 as its 2.5 % and 97.5 % points
    assert (low[2], high[2]) == pytest.approx((0.8, 1.6), abs=0.01)


def test_approach_must_be_1_or_2(two_categories):
    with pytest.raises(ValueError, match="approach"):
        uncertainty(two_categories, 2022, 2015, approach=3)
    with pytest.raises(ValueError, match="2019"):
        uncertainty(two_categories, 2022, 2019, approach=1)


def test_analysis_table_from_records_and_factor_rows(shipped_factors):
    emissions = pd.DataFrame([
        {"region": "430523", "year": 2022, "category": "1.A.2.a", "item": "coke", "gas": "CO2", "co2e_t": 1000.0,
         "records": "activity/a.csv:2; activity/b.csv:7",
         "links": (("ncv", "fuels-0017"), ("carbon_content", "fuels-0039"), ("oxidation", "fuels-0422:coke"))},
        {"region": "430523", "year": 2022, "category": "1.A.1.a", "item": "raw_coal", "gas": "CO2",
         "co2e_t": 500.0, "records": "activity/a.csv:3", "links": (("ncv", ""),)},
        {"region": "430523", "year": 2022, "category": "M.ELEC", "item": "electricity", "gas": "CO2",
         "co2e_t": 9.0, "records": "activity/a.csv:4", "links": ()}])
    records = pd.DataFrame({"file": ["activity/a.csv", "activity/b.csv", "activity/a.csv"], "line": [2, 7, 3],
                            "value_reported": [50.0, 80.0, 10.0], "uncertainty": ["3", "45..90", ""]})
    table = analysis_table(emissions, shipped_factors, records).set_index("item")
    assert "electricity" not in table.index  # memo rows excluded
    coke = table.loc["coke"]
    # activity: the larger of the records' halves: a.csv:2 ±3; b.csv:7 45..90 around 80 → −43.75 %, +12.5 %
    assert (coke["u_activity_low_pct"], coke["u_activity_high_pct"]) == pytest.approx((43.75, 12.5))
    assert coke["u_activity_source"] == "record"
    # factor chain (Eq. 3.1 per half): ncv 28.2 (25.1..30.2) −10.993/+7.092 %; carbon 29.2 (26.1..32.4)
    # −10.616/+10.959 %; oxidation 0.93 (0.85..0.98) −8.602/+5.376 % → −17.537 %, +14.117 %
    assert (coke["u_factor_low_pct"], coke["u_factor_high_pct"]) == pytest.approx((17.537097, 14.117434), rel=1e-6)
    assert coke["u_factor_pct"] == pytest.approx(17.537097, rel=1e-6)
    assert coke["u_factor_source"] == "factor"
    assert coke["factor_key"] == "fuels-0017+fuels-0039+fuels-0422:coke"
    # no uncertainty anywhere: the shipped IPCC default of stationary combustion 1.A CO2
    coal = table.loc["raw_coal"]
    assert coal["u_activity_source"] == "ipcc_default" and coal["u_factor_source"] == "ipcc_default"
    # the text: "the recommended default uncertainty range for fossil fuel combustion data should be assumed
    # to be plus or minus 5 percent" (2006 IPCC Guidelines Vol.2, activity data uncertainties)
    assert coal["u_activity_pct"] == 5.0
    assert coal["factor_key"] == "1.A.1.a|CO2"


def test_shipped_defaults_are_documented():
    defaults = load_defaults()
    assert list(defaults.columns) == ["category", "gas", "u_activity_pct", "u_factor_pct", "source",
                                      "source_table", "confidence", "note"]
    assert set(defaults["confidence"]) <= {"verified", "derived", "secondary", "memory"}
    assert (defaults["source"] != "").all() and (defaults["source_table"] != "").all()
    # every inventory sector has a fallback row
    assert {"1", "2", "3", "4"} <= set(defaults["category"])
    combustion = defaults[(defaults["category"] == "1.A") & (defaults["gas"] == "CO2")].iloc[0]
    assert combustion["u_activity_pct"] == 5
    rice = defaults[defaults["category"] == "3.C.7"].iloc[0]
    assert rice["u_factor_pct"] == round((2.20 - 1.30) / 1.30 * 100)  # Table 5.11: 1.30 (0.80–2.20) → +69 %
