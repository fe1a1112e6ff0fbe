"""Reading the project's CSV inputs: UTF-8 (a BOM accepted), every cell a string, every record
with the line it starts on — so that each error can name file, line and column."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd

from inventory.core.errors import Issue

__all__ = ["UNCERTAINTY", "read_rows"]

#: an uncertainty cell: ± percent at 95 % confidence ("5", "±5", "5%") or a range "low..high"
UNCERTAINTY = re.compile(r"^\s*(?:±?\s*(\d+(?:\.\d+)?)\s*%?|(-?\d+(?:\.\d+)?)\s*\.\.\s*(-?\d+(?:\.\d+)?))\s*$")


def read_rows(path: Path, display: str, required: list[str], optional: list[str],
              issues: list[Issue]) -> pd.DataFrame | None:
    """Read a CSV into a frame of stripped strings with columns ``required + optional``, plus
    ``file`` (= ``display``) and ``line`` (1-based, the header is line 1; blank rows skipped,
    quoted fields spanning lines counted). Problems go to ``issues``; None if the file is unusable.
    """
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None:
                issues.append(Issue(display, 1, "", "empty file: a header row is required"))
                return None
            header = [h.strip() for h in header]
            rows, lines = [], []
            start = reader.line_num + 1
            for row in reader:
                if any(cell.strip() for cell in row):
                    if len(row) != len(header):
                        issues.append(Issue(display, start, "", f"{len(row)} fields, the header has {len(header)}"))
                    else:
                        rows.append(row)
                        lines.append(start)
                start = reader.line_num + 1
    except UnicodeDecodeError as exc:
        issues.append(Issue(display, 0, "", f"not UTF-8 text ({exc.reason} at byte {exc.start}); "
                                            "save it as UTF-8 CSV"))
        return None
    except csv.Error as exc:
        issues.append(Issue(display, 0, "", f"not a readable CSV file: {exc}"))
        return None
    missing = [c for c in required if c not in header]
    if missing:
        issues.append(Issue(display, 1, "", f"missing required column(s): {', '.join(missing)}"))
        return None
    duplicated = sorted({h for h in header if header.count(h) > 1})
    if duplicated:
        issues.append(Issue(display, 1, "", f"duplicated column(s): {', '.join(duplicated)}"))
        return None
    frame = pd.DataFrame(rows, columns=header, dtype=object)
    for column in optional:
        if column not in frame.columns:
            frame[column] = ""
    frame = frame[required + optional].apply(lambda s: s.str.strip())
    frame["file"] = display
    frame["line"] = lines
    return frame
