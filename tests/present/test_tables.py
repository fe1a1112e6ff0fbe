"""inventory.notebook.show: the HTML tables of the notebooks and reports."""

import numpy as np
import pandas as pd
import pytest

from inventory.present.tables import show, to_wan_tonnes


def test_numbers_years_blanks_and_escaping():
    frame = pd.DataFrame({"年份": [2022, 2023], "value": [1234567.891, np.nan], "count": [12000, 3],
                          "note": ["<b>x</b> & y", None]})
    page = show(frame, precision=1)._repr_html_()
    assert "<td>2022</td>" in page  # years without a thousands separator
    assert '<td class="num">1,234,567.9</td>' in page and '<td class="num">12,000</td>' in page
    assert "<td></td>" in page  # NaN and None are blank
    assert "&lt;b&gt;x&lt;/b&gt; &amp; y" in page and "<b>x</b>" not in page
    assert "<th" in page and page.count("<tr") == 3  # a heading row, two rows, no row numbers


def test_flagged_rows_are_highlighted_and_an_index_is_shown():
    frame = pd.DataFrame({"flag": ["error 差额过大", "⚠ 未核实 unverified", ""]})
    page = show(frame)._repr_html_()
    assert page.count("background-color:#fde2e2") == 1 and page.count("background-color:#fff4e5") == 1
    indexed = show(pd.DataFrame({"x": [1.0]}, index=["1.A.2"]))._repr_html_()
    assert '<th style="text-align:left">1.A.2</th><td class="num">1.00</td>' in indexed
    assert "<td>-0.00</td>" not in show(pd.DataFrame({"x": [-0.0]}))._repr_html_()


def test_headings_and_index_labels_are_escaped_too():
    frame = pd.DataFrame({"<b>来源</b>": ["x"]}, index=["<img src=x>"])
    page = show(frame)._repr_html_()
    assert "&lt;b&gt;来源&lt;/b&gt;" in page and "&lt;img src=x&gt;" in page
    assert "<b>" not in page and "<img" not in page


def test_only_the_workbenchs_own_flag_columns_colour_a_row():
    # a note from input that says "error" or 未核实 marks nothing; the severity and message columns do
    frame = pd.DataFrame({"备注": ["error in 2021 corrected", "未核实", ""], "级别": ["", "", "error"],
                          "message": ["", "", ""]})
    page = show(frame)._repr_html_()
    assert page.count("background-color:#fde2e2") == 1 and "background-color:#fff4e5" not in page
    messages = show(pd.DataFrame({"Message": ["因子未核实 unverified factor x"]}))._repr_html_()
    assert messages.count("background-color:#fff4e5") == 1


def test_long_text_wraps_in_a_bounded_column_and_short_text_does_not():
    long_note = "批注：" + "说明" * 25  # 3 + 50 = 53 characters > 40
    page = show(pd.DataFrame({"note": [long_note, None], "unit": ["t", "t"], "value": [1.0, 2.0]}))._repr_html_()
    # the long column's two cells wrap (the empty one too, so the column keeps one width); the others do not
    assert page.count("max-width:32em;white-space:normal") == 2
    assert f"max-width:32em;white-space:normal;overflow-wrap:break-word\">{long_note}</div></td>" in page
    assert "<td>t</td>" in page and '<td class="num">1.00</td>' in page


def test_shares_are_percentages_and_nothing_rounds_to_minus_zero():
    frame = pd.DataFrame({"share": [0.1234, -0.00001, 0.0004], "占比": [1.0, 0.5, 0.0], "relative": [0.0, 0.0, 0.0],
                          "u_pct": [12.34, 5.0, 0.0], "x": [-0.004, -0.0, 2.005]})
    page = show(frame)._repr_html_()
    # 0.1234 × 100 = 12.34 → "12.3 %"; -0.00001 × 100 = -0.001 → 2 decimals below 1 %: -0.00 → "0.00 %"
    assert '<td class="num">12.3 %</td>' in page and '<td class="num">0.00 %</td>' in page
    # 0.0004 × 100 = 0.04 % (below 1 %: two decimals)
    assert '<td class="num">0.04 %</td>' in page
    assert '<td class="num">100.0 %</td>' in page and '<td class="num">50.0 %</td>' in page
    # a _pct column already holds percentages: 12.34 → "12.3 %"
    assert page.count('<td class="num">12.3 %</td>') == 2
    # -0.004 rounds to 0.00 at 2 decimals: "0.00", never "-0.00"
    assert "-0.00" not in page and "-0.0 %" not in page and page.count('<td class="num">0.00</td>') == 2


def test_tonnes_to_sensible_precision_and_in_wan_tonnes():
    frame = pd.DataFrame({"category": ["1.A.1", "1.A.2", "1.A.3"], "CO2": [123456.789, 12.3456, 0.0],
                          "N2O": [0.0123456, 1.5, 250.4], "co2e_t": [123456.789, 99.999, 0.000012345]})
    page = show(frame)._repr_html_()
    # ≥ 100 t: whole tonnes (123,457); 1–100 t: 2 decimals (12.35); below 1 t: 3 significant digits (0.0123)
    assert '<td class="num">123,457</td>' in page and '<td class="num">12.35</td>' in page
    assert '<td class="num">0.0123</td>' in page and '<td class="num">0</td>' in page
    assert '<td class="num">250</td>' in page and '<td class="num">1.50</td>' in page
    # 99.999 → 2 decimals → "100.00"; 0.000012345 → 3 significant digits → "0.0000123"
    assert '<td class="num">100.00</td>' in page and '<td class="num">0.0000123</td>' in page
    wan = show(frame, unit="万吨")._repr_html_()
    # 123,456.789 t / 10 000 = 12.3456789 万吨 → "12.35"; 250.4 / 10 000 = 0.02504 → "0.03"
    assert "CO2（万吨）" in wan and "co2e_wan_t" in wan and "N2O（万吨）" in wan
    assert '<td class="num">12.35</td>' in wan and '<td class="num">0.03</td>' in wan
    headed = to_wan_tonnes(pd.DataFrame({"CO2当量（吨）": [25000.0], "Emissions (t)": [5.0e5], "item": ["x"]}))
    # 25 000 / 10 000 = 2.5; 500 000 / 10 000 = 50
    assert headed.columns.tolist() == ["CO2当量（万吨）", "Emissions (10⁴ t)", "item"]
    assert headed.iloc[0, :2].tolist() == [2.5, 50.0]


def test_an_unknown_display_unit_is_refused():
    with pytest.raises(ValueError, match="万吨"):
        show(pd.DataFrame({"x": [1.0]}), unit="kt")


def test_a_table_can_ask_for_landscape_pages():
    assert '<table class="dataframe workbench-table landscape">' in show(pd.DataFrame({"x": [1]}),
                                                                          landscape=True)._repr_html_()
    assert '<table class="dataframe workbench-table">' in show(pd.DataFrame({"x": [1]}))._repr_html_()


def test_standard_units_as_people_write_them_and_reported_units_as_filed():
    chinese = show(pd.DataFrame({"填报单位": ["m^3"], "单位": ["m^3"], "活动水平单位": ["t"]}))._repr_html_()
    assert "<td>m^3</td><td>立方米</td><td>吨</td>" in chinese
    english = show(pd.DataFrame({"unit_reported": ["m^3"], "unit": ["m^3"], "activity_unit": ["10000 * t"]}))
    assert "<td>m^3</td><td>m³</td><td>10⁴ t</td>" in english._repr_html_()
