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
