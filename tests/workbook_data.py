"""Filling workbooks in tests as a department would (with openpyxl)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook


def fill(path: Path, cells: dict[str, dict[str, object]]) -> None:
    """Type ``cells`` (sheet → {cell: value}) into the workbook at ``path`` and save it."""
    workbook = load_workbook(path)
    for sheet, values in cells.items():
        for cell, value in values.items():
            workbook[sheet][cell] = value
    workbook.save(path)
