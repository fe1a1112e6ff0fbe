"""inventory.present.charts: stacked bars as HTML (widths hand-calculated)."""

import re

import pandas as pd
import pytest

from inventory.present.charts import stacked_bars


@pytest.fixture
def table() -> pd.DataFrame:
    # bar 1.A.1.a: 30 + 10 = 40 (the longest: the scale); bar 1.A.2: 10 + 0 = 10
    return pd.DataFrame({"coal": [30.0, 10.0], "gas": [10.0, 0.0]}, index=["1.A.1.a", "1.A.2"])


def _widths(fragment: str) -> list[float]:
    return [float(w) for w in re.findall(r"width:([0-9.]+)%;background", fragment)]


def test_segments_are_shares_of_the_longest_bar(table):
    chart = stacked_bars(table, "CO₂", "kt", {"coal": "#555555", "gas": "#2b7bc0"})
    # 30/40 = 75 %, 10/40 = 25 %; second bar 10/40 = 25 %, its zero gas segment is not drawn
    assert _widths(str(chart)) == [75.0, 25.0, 25.0]
    assert chart._repr_html_() == str(chart)


def test_labels_totals_and_tooltips_are_text_and_escaped(table):
    chart = stacked_bars(table, "<b>CO₂</b>", "kt", {"coal": "#555"}, series_labels={"coal": "煤炭", "gas": "天然气"},
                         row_labels={"1.A.1.a": "1.A.1.a 公用电力与热力 & <x>"})
    assert "1.A.1.a 公用电力与热力 &amp; &lt;x&gt;" in str(chart)
    assert "&lt;b&gt;CO₂&lt;/b&gt; [kt]" in str(chart)
    assert 'title="煤炭: 30.0 kt"' in str(chart) and 'title="天然气: 10.0 kt"' in str(chart)
    assert ">40.0</td>" in str(chart) and ">10.0</td>" in str(chart)  # each bar's total
    assert "background:#9a9a9a" in str(chart)  # gas has no colour given: grey


def test_non_finite_values_are_refused(table):
    table.loc["1.A.2", "gas"] = float("-inf")
    with pytest.raises(ValueError, match="finite"):
        stacked_bars(table, "CO₂", "kt", {})


def test_negative_values_are_drawn_left_of_a_zero_line():
    # 3.B.1.a: CO2 −30 (a removal); 3.B.5.b: CO2 10 + CH4 5 = 15. Left side holds the largest
    # removal, 30; right side the largest emission, 15: the zero line sits at 30/45 = 66.667 %.
    # Segments: −30/30 = 100 % of the left side; 10/15 = 66.667 % and 5/15 = 33.333 % of the right
    table = pd.DataFrame({"CO2": [-30.0, 10.0], "CH4": [0.0, 5.0]}, index=["3.B.1.a", "3.B.5.b"])
    chart = str(stacked_bars(table, "LULUCF", "kt", {"CO2": "#555"}))
    assert _widths(chart) == [100.0, 66.667, 33.333]
    assert "flex-direction:row-reverse;width:66.667%" in chart and "width:33.333%;height:100%" in chart
    assert ">-30.0</td>" in chart and ">15.0</td>" in chart  # each bar's net value
    assert 'title="CO2: -30.0 kt"' in chart


def test_an_empty_or_all_zero_table_draws_no_segment():
    chart = stacked_bars(pd.DataFrame({"coal": [0.0]}, index=["1.A.2"]), "CO₂", "kt", {})
    assert _widths(str(chart)) == []
    assert ">0.0</td>" in str(chart)


def test_labels_keep_their_width_where_jupyterlab_fixes_table_layouts(table):
    # JupyterLab and the report's lab CSS set table-layout: fixed on rendered tables, which squeezed the label
    # column (width 1 %) behind the bars; each chart table sizes to its content again, with and without removals
    for values in (table, -table):
        chart = str(stacked_bars(values, "CO₂", "kt", {}))
        assert chart.count("<table") == chart.count("table-layout:auto") == 1


def test_a_net_value_that_rounds_to_zero_is_not_minus_zero():
    # −0.04 + 0.01 = −0.03 → "-0.0" at one decimal would be shown; it is "0.0"
    chart = str(stacked_bars(pd.DataFrame({"forest": [-0.04], "fire": [0.01]}, index=["3.B"]), "CO₂", "kt", {}))
    assert ">0.0</td>" in chart and "-0.0<" not in chart
