"""The summary's totals with and without LULUCF and its carbon-sink tables (hand-calculated)."""

import pandas as pd
import pytest

from inventory.core.regions import load_regions
from inventory.documents.summary import Summary


@pytest.fixture
def summary() -> Summary:
    rows = [  # region, category, item, co2e_t
        ("430500", "1.A.1.a", "raw_coal", 1000.0),
        ("430500", "M.ELEC", "electricity", 50.0),  # memo: in no total
        ("430500", "3.B.1.a", "arbor_forest.chinese_fir", -300.0),
        ("430500", "3.B.5.b.i", "arbor_forest.masson_pine", 20.0),
        ("430527", "3.B.1.a", "arbor_forest.chinese_fir", -200.0),
        ("430529", "3.B.1.a", "arbor_forest.chinese_fir", -70.0),
        ("430529", "3.B.1.a", "bamboo", -10.0),
    ]
    emissions = pd.DataFrame([{"region": r, "year": 2022, "category": c, "item": i, "gas": "CO2", "emissions_t": v,
                               "co2e_t": v} for r, c, i, v in rows])
    return Summary("430500", load_regions(), emissions, "zh", illustrative=False)


def test_totals_with_and_without_lulucf(summary):
    table = summary.with_and_without_lulucf()[2022]
    # without: 1000 (the memo 50 is outside); LULUCF: −300 + 20 = −280; with: 1000 − 280 = 720
    assert table.tolist() == [1000.0, -280.0, 720.0]
    assert table.index.tolist() == ["不含土地利用变化和林业", "土地利用变化和林业", "含土地利用变化和林业"]


def test_sink_by_forest_type_and_species(summary):
    table = summary.sink_by_type()[2022]
    assert table[("乔木林", "杉木")] == -300.0
    assert table[("森林转化", "马尾松")] == 20.0


def test_each_countys_share_of_the_citys_sink(summary):
    shares = summary.sink_shares()[2022]
    # 绥宁 −200 / −280 = 0.714285714…; 城步 (−70 − 10) / −280 = 0.285714285…; together 1
    assert shares["绥宁县 (430527)"] == pytest.approx(200 / 280)
    assert shares["城步苗族自治县 (430529)"] == pytest.approx(80 / 280)
    assert shares["合计"] == pytest.approx(1.0)


def test_sink_chart_draws_removals_left_of_zero(summary):
    chart = str(summary.sink_chart(2022))
    assert "flex-direction:row-reverse" in chart and "森林碳汇" in chart


def test_trend_chart_is_html_with_chinese_labels_and_removals_left_of_zero(summary):
    chart = str(summary.trend_chart())
    # 2022: energy 1000 t = 0.1 万吨 right of zero; LULUCF −300 + 20 = −280 t = −0.028 万吨 left of it;
    # scale 0.028 + 0.1 = 0.128: the left side 0.028 / 0.128 = 21.875 %, the right 0.1 / 0.128 = 78.125 %
    assert "width:21.875%" in chart and "width:78.125%" in chart
    # the bar's number is its net total: 0.1 − 0.028 = 0.072 → "0.07" at two decimals
    assert ">0.07</td>" in chart
    assert "能源活动" in chart and "土地利用变化和林业" in chart and "万吨 CO₂当量" in chart
    assert "<img" not in chart and "table-layout:auto" in chart  # text, no picture; labels never behind the bars
