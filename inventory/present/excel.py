"""Tables as an Excel workbook: one sheet a table, a title row, headings, values as numbers.

Streamed (openpyxl's write-only mode): a fraction of the time of a styled workbook, which counts
when a run writes one beside every report. Every text cell — the title with the region's name, the
headings, names, sources — is written as text through :func:`inventory.core.safetext.excel_cell`:
a name beginning with ``=``, ``+``, ``-`` or ``@`` stays text, never a live formula.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import numpy as np
import pandas as pd

from inventory.core.results import atomic_write_bytes
from inventory.core.safetext import excel_cell

__all__ = ["excel_value", "write_workbook"]


def excel_value(value):
    """A cell value openpyxl writes: numbers as numbers (NaN as empty), everything else as text."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    return None if value is None else str(value)


def write_workbook(path: str | Path, title: str, sheets: dict[str, pd.DataFrame]) -> Path:
    """One sheet per table (``name → table``), each headed ``title · name``, written atomically; text
    cells are text (never formulas), numbers are numbers."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    for name, table in sheets.items():
        sheet = workbook.create_sheet(name)
        for index, column in enumerate(table.columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = min(40, max(10, len(str(column)) * 2))
        sheet.freeze_panes = "B3"
        sheet.append([excel_cell(sheet, f"{title} · {name}")])
        sheet.append([excel_cell(sheet, str(c)) for c in table.columns])
        for values in table.itertuples(index=False, name=None):
            sheet.append([excel_cell(sheet, excel_value(v)) for v in values])
    buffer = io.BytesIO()
    workbook.save(buffer)
    path = Path(path)
    atomic_write_bytes(path, buffer.getvalue())
    return path
