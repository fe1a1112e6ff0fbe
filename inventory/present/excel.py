"""Tables as an Excel workbook: one sheet a table, title rows, headings, values as numbers, ready to print.

Streamed (openpyxl's write-only mode): a fraction of the time of a workbook built cell by cell,
which counts when a run writes one beside every report. Every text cell — the title with the
region's name, the headings, names, sources — is written as text through
:func:`inventory.core.safetext.excel_cell`: a name beginning with ``=``, ``+``, ``-`` or ``@`` stays
text, never a live formula.

Every sheet (:func:`add_sheet`) gets what a reviewer prints: a number format per column (zero shown
as ``0``, never ``-0.00``), column widths from the content, the heading frozen, A4 fitted to the
page width (landscape when the table is wide), the title and heading rows repeated on every page,
and a page header and footer with 内部资料 and the page number.
"""

from __future__ import annotations

import io
import math
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from inventory.core.results import atomic_write_bytes
from inventory.core.safetext import excel_cell

__all__ = ["INTEGER", "INTERNAL", "NUMBER", "PERCENT", "REVIEW_STATUS", "add_sheet", "column_formats", "excel_value",
           "header_text", "new_workbook", "save_workbook", "write_workbook"]

#: number formats: thousands separated; a zero is written 0 (the third section), never -0.00
NUMBER = "#,##0.00;-#,##0.00;0"
INTEGER = "#,##0;-#,##0;0"
PERCENT = "0.0%;-0.0%;0"
#: the marking of every page and title: an internal working document
INTERNAL = "内部资料 / internal"
#: the review status a document carries until someone approves it
REVIEW_STATUS = "未经审定 / not yet approved"
#: a table wider than this many columns is printed landscape
_LANDSCAPE_COLUMNS = 7
#: the paper size code of A4 (ECMA-376 ST_PaperSize 9)
_A4 = "9"


def excel_value(value):
    """A cell value openpyxl writes: numbers as numbers (NaN as empty, −0.0 as 0), everything else as text."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value) + 0.0
    return None if value is None else str(value)


def header_text(text: str) -> str:
    """Text for a page header or footer: ``&`` starts a code there (``&P`` the page number), so a
    literal one is doubled."""
    return text.replace("&", "&&")


def _display_width(text: str) -> int:
    """Columns a text takes on screen: a wide (CJK) character counts two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _shown(value, number_format: str | None) -> str:
    """Roughly what a cell shows, for its column's width."""
    if isinstance(value, (float, int)) and not isinstance(value, bool):
        if number_format == PERCENT:
            return f"{value:.1%}"
        if number_format == INTEGER:
            return f"{value:,.0f}"
        return f"{value:,.2f}" if number_format in (None, NUMBER) else f"{value:,.4f}"
    return "" if value is None else str(value)


def column_formats(table: pd.DataFrame, formats: Mapping[str, str] | None = None) -> list[str | None]:
    """The number format of each column: ``formats[column]`` when given, else :data:`INTEGER` for
    integer columns, :data:`NUMBER` for other numeric ones, none for text."""
    chosen = []
    for column in table.columns:
        values = table[column]
        if formats and column in formats:
            chosen.append(formats[column])
        elif pd.api.types.is_bool_dtype(values):
            chosen.append(None)
        elif pd.api.types.is_integer_dtype(values):
            chosen.append(INTEGER)
        elif pd.api.types.is_numeric_dtype(values):
            chosen.append(NUMBER)
        else:
            chosen.append(None)
    return chosen


def new_workbook():
    """An empty streamed (write-only) workbook."""
    from openpyxl import Workbook

    return Workbook(write_only=True)


def add_sheet(workbook, name: str, title_lines: Sequence[str], table: pd.DataFrame, *,
              formats: Mapping[str, str] | None = None, indent: Sequence[int] | None = None,
              bold: Sequence[bool] | None = None, review_status: str = REVIEW_STATUS,
              landscape: bool | None = None) -> None:
    """Append ``table`` to ``workbook`` as sheet ``name``, ready to read and to print.

    Parameters
    ----------
    workbook
        A workbook from :func:`new_workbook`.
    name : str
        The sheet's name (Excel allows 31 characters).
    title_lines : sequence of str
        Rows above the heading (the first bold): region, year, units, 内部资料, the review status.
    table : DataFrame
        One row a row; the columns are the heading. Numbers are written as numbers, text as text.
    formats : mapping, optional
        Number format of a column (:func:`column_formats` chooses the others).
    indent : sequence of int, optional
        Indent of each row's first cell (the level of a row in a tree of headings).
    bold : sequence of bool, optional
        Rows written bold (totals, sector rows).
    review_status : str
        Shown in the page header beside 内部资料.
    landscape : bool, optional
        Page orientation; by default landscape when the table has more than seven columns.
    """
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(name[:31])
    number_formats = column_formats(table, formats)
    rows = [[excel_value(v) for v in values] for values in table.itertuples(index=False, name=None)]
    for index, column in enumerate(table.columns):
        shown = [_display_width(str(column))] + [_display_width(_shown(row[index], number_formats[index]))
                                                 for row in rows]
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(60, max(8, max(shown) + 2))
    header_row = len(title_lines) + 1
    sheet.freeze_panes = f"B{header_row + 1}"
    sheet.print_title_rows = f"1:{header_row}"
    sheet.page_setup.paperSize = _A4
    wide = len(table.columns) > _LANDSCAPE_COLUMNS if landscape is None else landscape
    sheet.page_setup.orientation = "landscape" if wide else "portrait"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as it takes
    sheet.oddHeader.left.text = header_text(INTERNAL)
    sheet.oddHeader.right.text = header_text(review_status)
    sheet.oddFooter.left.text = header_text(name)
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页 / page &P of &N"

    heading_font, bold_font = Font(bold=True), Font(bold=True)
    for position, line in enumerate(title_lines):
        cell = excel_cell(sheet, line)
        if position == 0:
            cell.font = Font(bold=True, size=12)
        sheet.append([cell])
    heading = []
    for column in table.columns:
        cell = excel_cell(sheet, str(column))
        cell.font = heading_font
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        heading.append(cell)
    sheet.append(heading)
    for position, values in enumerate(rows):
        strong = bool(bold[position]) if bold is not None else False
        cells = []
        for index, value in enumerate(values):
            cell = excel_cell(sheet, value) if isinstance(value, str) else WriteOnlyCell(sheet, value=value)
            if number_formats[index] and not isinstance(value, str):
                cell.number_format = number_formats[index]
            if index == 0 and indent is not None and indent[position]:
                cell.alignment = Alignment(indent=int(indent[position]))
            if strong:
                cell.font = bold_font
            cells.append(cell)
        sheet.append(cells)


def save_workbook(workbook, path: str | Path) -> Path:
    """Write ``workbook`` to ``path`` atomically (a reader never sees half a file)."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    path = Path(path)
    atomic_write_bytes(path, buffer.getvalue())
    return path


def write_workbook(path: str | Path, title: str, sheets: dict[str, pd.DataFrame], *,
                   formats: Mapping[str, Mapping[str, str]] | None = None,
                   review_status: str = REVIEW_STATUS) -> Path:
    """One sheet per table (``name → table``), each headed ``title · name`` and 内部资料 with the
    review status, written atomically (:func:`add_sheet`: text cells text, numbers numbers, a number
    format per column — ``formats[name][column]`` where given —, widths, frozen heading, print setup)."""
    workbook = new_workbook()
    for name, table in sheets.items():
        add_sheet(workbook, name, [f"{title} · {name}", f"{INTERNAL} · {review_status}"], table,
                  formats=(formats or {}).get(name), review_status=review_status)
    return save_workbook(workbook, path)
