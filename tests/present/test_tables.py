"""inventory.notebook.show: the HTML tables of the notebooks and reports."""

import numpy as np
import pandas as pd

from inventory.present.tables import show


def test_numbers_years_blanks_and_escaping():
    frame = pd.DataFrame({"年份": [2022, 2023], "value": [1234567.891, np.nan], "count": [12000, 3],
                          "note": ["<b>x</b> & y", None]})
    page = show(frame, precision=1)._repr_html_()
    assert "<td>2022</td>" in page  # years without a thousands separator
    assert "<td>1,234,567.9</td>" in page and "<td>12,000</td>" in page
    assert "<td></td>" in page  # NaN and None are blank
    assert "&lt;b&gt;x&lt;/b&gt; &amp; y" in page and "<b>x</b>" not in page
    assert "<th" in page and page.count("<tr") == 3  # a heading row, two rows, no row numbers


def test_flagged_rows_are_highlighted_and_an_index_is_shown():
    frame = pd.DataFrame({"flag": ["error 差额过大", "⚠ 未核实 unverified", ""]})
    page = show(frame)._repr_html_()
    assert page.count("background-color:#fde2e2") == 1 and page.count("background-color:#fff4e5") == 1
    indexed = show(pd.DataFrame({"x": [1.0]}, index=["1.A.2"]))._repr_html_()
    assert '<th style="text-align:left">1.A.2</th><td>1.00</td>' in indexed
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
    assert "<td>t</td>" in page and "<td>1.00</td>" in page
