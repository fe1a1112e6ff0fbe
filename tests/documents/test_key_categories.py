"""Key categories, IPCC 2006 Vol.1 Ch.4 Approach 1, on a toy inventory computed by hand."""

import pandas as pd
import pytest

from inventory.documents.key_categories import COLUMNS, key_categories, key_category_analysis, trend_assessment

# category, gas, base year 2015, latest year 2022 [t CO2e]
TOY = [("1.A.1", "CO2", 600.0, 700.0), ("2.A.1", "CO2", 100.0, 100.0), ("3.A.1", "CH4", 200.0, 150.0),
       ("3.B.1.a", "CO2", -100.0, -50.0), ("4.A", "CH4", 0.0, 50.0), ("M.ELEC", "CO2", 999.0, 999.0)]


@pytest.fixture
def table() -> pd.DataFrame:
    rows = [{"category": c, "gas": g, "year": y, "co2e_t": v}
            for c, g, base, latest in TOY for y, v in ((2015, base), (2022, latest))]
    return pd.DataFrame(rows)


def _rows(result, assessment):
    part = result[result["assessment"] == assessment]
    return {r.category: r for r in part.itertuples(index=False)}


def test_level_absolute_values_and_cumulative_share(table):
    result = key_categories(table, 2022, 2015)
    assert list(result.columns) == COLUMNS
    level = result[result["assessment"] == "level"]
    # Σ|E| = 700 + 100 + 150 + |−50| + 50 = 1050 (the memo M.ELEC is not part of the inventory)
    assert level["category"].tolist() == ["1.A.1", "3.A.1", "2.A.1", "3.B.1.a", "4.A"]  # ties by code
    assert level["share"].tolist() == pytest.approx([700 / 1050, 150 / 1050, 100 / 1050, 50 / 1050, 50 / 1050])
    # cumulative: 0.6667, 0.8095, 0.9048, 0.9524, 1; key while the share BEFORE is below 0.95:
    # 3.B.1.a (before 0.9048) is key, 4.A (before 0.9524) is not
    assert level["cumulative_share"].tolist() == pytest.approx([700 / 1050, 850 / 1050, 950 / 1050, 1000 / 1050, 1])
    assert level["key"].tolist() == [True, True, True, True, False]
    assert level["rank"].tolist() == [1, 2, 3, 4, 5]
    assert _rows(result, "level")["3.B.1.a"].value == -50.0  # the removal keeps its sign in `value`


def test_trend_eq_4_2_and_zero_base_year(table):
    trend = _rows(key_categories(table, 2022, 2015), "trend")
    # base Σ E = 600 + 100 + 200 − 100 + 0 = 800, Σ|E| = 1000; latest Σ E = 950; total trend 150/800 = 0.1875
    assert trend["1.A.1"].value == pytest.approx(0.6 * abs(100 / 600 - 0.1875))  # 0.0125
    assert trend["2.A.1"].value == pytest.approx(0.1 * 0.1875)  # 0.01875
    assert trend["3.A.1"].value == pytest.approx(0.2 * abs(-0.25 - 0.1875))  # 0.0875
    assert trend["3.B.1.a"].value == pytest.approx(0.1 * abs(50 / 100 - 0.1875))  # 0.03125 (|E_0| = 100)
    assert trend["4.A"].value == pytest.approx(50 / 1000)  # Eq. 4.3: base year 0 → |E_t / Σ|E_0||
    # Σ T = 0.2: shares 0.4375 (3.A.1), 0.25 (4.A), 0.15625 (3.B), 0.09375 (2.A.1), 0.0625 (1.A.1)
    assert [trend[c].rank for c in ("3.A.1", "4.A", "3.B.1.a", "2.A.1", "1.A.1")] == [1, 2, 3, 4, 5]
    assert trend["2.A.1"].cumulative_share == pytest.approx(0.9375)
    assert trend["1.A.1"].key  # before it 0.9375 < 0.95


def test_threshold_and_without_lulucf(table):
    trend = _rows(key_categories(table, 2022, 2015, threshold=90), "trend")
    assert trend["2.A.1"].key and not trend["1.A.1"].key  # before: 0.84375 < 0.9; 0.9375 ≥ 0.9
    level = key_categories(table, 2022, 2015, without_lulucf=True)
    level = level[level["assessment"] == "level"]
    # without 3.B: Σ|E| = 1000; cumulative 0.7, 0.85, 0.95, 1; 4.A has 0.95 before it: not key
    assert "3.B.1.a" not in set(level["category"])
    assert level["key"].tolist() == [True, True, True, False]


def test_analysis_with_and_without(table):
    both = key_category_analysis(table, 2022, 2015)
    assert set(both["lulucf"]) == {"with", "without"}
    assert len(both[both["lulucf"] == "with"]) == 10 and len(both[both["lulucf"] == "without"]) == 8


def test_zero_base_total_is_refused():
    with pytest.raises(ValueError, match="base-year total is zero"):
        trend_assessment([0.0, 0.0], [1.0, 2.0])
