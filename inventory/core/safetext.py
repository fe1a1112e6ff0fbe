"""Text from input, shown safely: in HTML, in Excel and in CSV that Excel opens.

Names, sources, notes, sheet names and factor notes come from files that counties, parks and
departments send. Shown as they are, they could run script in a reviewer's browser (a region named
``<img src=x onerror=…>``) or become a live formula in a spreadsheet (a cell ``=HYPERLINK(…)``).
Every writer goes through one of these functions:

- :func:`html_text` — escape for HTML text and attribute values;
- :func:`excel_cell` — a cell value for openpyxl that is always written as text when it is text
  (never a formula), in normal and in write-only workbooks;
- :func:`csv_text` — a text field for a CSV file that people open in Excel: a leading ``=``, ``+``,
  ``-``, ``@``, tab or carriage return is neutralised with an apostrophe (the OWASP rule), so the
  spreadsheet shows it as text. Numbers are not text and pass unchanged.
"""

from __future__ import annotations

import html

__all__ = ["FORMULA_STARTS", "csv_text", "excel_cell", "html_text", "is_formula_like", "set_text"]

#: the first characters that make a spreadsheet read a cell as a formula
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def html_text(value: object) -> str:
    """``value`` as HTML text, ``<``, ``>``, ``&`` and both quotes escaped (safe in attributes too)."""
    return html.escape("" if value is None else str(value), quote=True)


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet would take ``text`` for a formula."""
    return bool(text) and text.startswith(FORMULA_STARTS)


def csv_text(value: object) -> object:
    """A CSV field: text that a spreadsheet would read as a formula gets a leading apostrophe;
    anything that is not text (numbers, None) is returned as it is."""
    if isinstance(value, str) and is_formula_like(value):
        try:
            float(value)  # "-1.5" is a number written as text, not a formula
            return value
        except ValueError:
            return "'" + value
    return value


def excel_cell(sheet, value):
    """A value for ``sheet.append`` / a cell of ``sheet`` that openpyxl writes as text when it is
    text: a string is wrapped in a cell whose type is forced to string, so ``=SUM(A1)`` is shown,
    never evaluated. Numbers, booleans and None pass unchanged.

    Works for write-only sheets (``WriteOnlyCell``) and for normal ones (``Cell``)."""
    if not isinstance(value, str):
        return value
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def set_text(cell, value) -> None:
    """Assign ``value`` to an existing openpyxl cell; text stays text (never a formula)."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
