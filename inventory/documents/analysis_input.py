"""Reading the CONTRACTS §6 analysis table (any inventory: the workbench's or a province's published one).

Every problem is reported at once, with the file and line, Chinese first (``InputError``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from inventory.core.csvio import read_rows
from inventory.core.errors import InputError, Issue, bilingual

__all__ = ["REQUIRED", "UNCERTAINTY_COLUMNS", "read_analysis_table"]

REQUIRED = ["category", "gas", "year", "co2e_t"]
#: optional columns: ± % at 95 % (or the halves of an asymmetric range) and the shared-factor key
UNCERTAINTY_COLUMNS = ["u_activity_pct", "u_factor_pct", "u_activity_low_pct", "u_activity_high_pct",
                       "u_factor_low_pct", "u_factor_high_pct"]


def read_analysis_table(path: Path, years: list[int], uncertainty: bool = False) -> pd.DataFrame:
    """The table of ``path`` with numbers as numbers; raises :class:`InputError` listing every problem.

    Checked: the required columns ``category,gas,year,co2e_t``; ``year`` a four-digit year and
    ``co2e_t`` a finite number on every line; each year of ``years`` present; with ``uncertainty``, the
    optional uncertainty columns numbers not below 0 where filled (an empty cell is 0: no uncertainty).
    """
    path = Path(path)
    display = str(path)
    issues: list[Issue] = []
    if not path.is_file():
        raise InputError([Issue(display, 0, "", bilingual("文件不存在", "no such file"))])
    optional = [*UNCERTAINTY_COLUMNS, "factor_key"] if uncertainty else []
    frame = read_rows(path, display, REQUIRED, optional, issues)
    if frame is None:
        raise InputError(issues)
    for row in frame.itertuples(index=False):
        if not (row.year.isdigit() and len(row.year) == 4):
            issues.append(Issue(display, row.line, "year", bilingual(
                f"年份“{row.year}”不是四位数年份", f"year {row.year!r} is not a four-digit year")))
        if not _finite(row.co2e_t):
            issues.append(Issue(display, row.line, "co2e_t", bilingual(
                f"“{row.co2e_t}”不是数值（吨二氧化碳当量；不要千分位逗号）",
                f"{row.co2e_t!r} is not a number (t CO2e; no thousands separators)")))
        for column in optional[:-1]:
            cell = getattr(row, column)
            if cell and not (_finite(cell) and float(cell) >= 0):
                issues.append(Issue(display, row.line, column, bilingual(
                    f"“{cell}”不是不小于 0 的数值（95% 置信水平的 ± 百分数，如 5）",
                    f"{cell!r} is not a number ≥ 0 (± percent at 95 %, e.g. 5)")))
    present = {int(y) for y in frame["year"] if y.isdigit()}
    for year in sorted(set(int(y) for y in years) - present):
        issues.append(Issue(display, 0, "year", bilingual(
            f"表中没有 {year} 年的数据（有：{', '.join(map(str, sorted(present))) or '无'}）",
            f"the table has no rows for {year} (it has: {', '.join(map(str, sorted(present))) or 'none'})")))
    if issues:
        raise InputError(issues)
    frame["year"] = frame["year"].astype(int)
    frame["co2e_t"] = frame["co2e_t"].astype(float)
    for column in optional[:-1]:
        filled = frame[column].replace("", np.nan).astype(float)
        frame[column] = filled if column.endswith(("low_pct", "high_pct")) else filled.fillna(0.0)
    return frame.drop(columns=["file", "line"])


def _finite(text: str) -> bool:
    try:
        return bool(np.isfinite(float(text)))
    except ValueError:
        return False
