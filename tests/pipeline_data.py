"""A small data folder for the integration tests (CLI, pipeline, notebooks), and helpers.

Three regions of the shipped registry — the city 邵阳市 430500 and two of its counties, 邵阳县
430523 and 隆回县 430524 — two years (2021, 2022), three fuels. Small on purpose: every notebook run
costs seconds. The city's records can be marked as illustrative (their ``source`` then says
示例数据, as the shipped demo's do) to check the 示例数据 banner; the others never are.
"""

from __future__ import annotations

import csv
import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = ["region", "year", "category", "item", "quantity", "value", "unit", "notation", "uncertainty",
          "source", "note"]
ILLUSTRATIVE_SOURCE = "示例数据，非官方统计 (test copy)"
SOURCE = "integration-test records"

#: (region, year, category, item, value, unit)
RECORDS = [
    ("430500", 2021, "1.A.2", "raw_coal", "120", "万吨"),
    ("430500", 2021, "1.A.3.b", "diesel", "5.5", "万吨"),
    ("430500", 2021, "1.A.4.b", "natural_gas", "3000", "万立方米"),
    ("430500", 2022, "1.A.2", "raw_coal", "118", "万吨"),
    ("430500", 2022, "1.A.3.b", "diesel", "5.7", "万吨"),
    ("430500", 2022, "1.A.4.b", "natural_gas", "3100", "万立方米"),
    ("430523", 2021, "1.A.2", "raw_coal", "10", "万吨"),
    ("430523", 2021, "1.A.4.b", "natural_gas", "200", "万立方米"),
    ("430523", 2022, "1.A.2", "raw_coal", "11", "万吨"),
    ("430523", 2022, "1.A.4.b", "natural_gas", "210", "万立方米"),
    ("430524", 2021, "1.A.2", "raw_coal", "8", "万吨"),
    ("430524", 2021, "1.A.3.b", "diesel", "0.5", "万吨"),
    ("430524", 2022, "1.A.2", "raw_coal", "8.5", "万吨"),
    ("430524", 2022, "1.A.3.b", "diesel", "0.6", "万吨"),
]
ACTIVITY_FILE = "activity/energy.csv"


def write_data(root: Path, illustrative: tuple[str, ...] = ("430500",), records=RECORDS) -> Path:
    """Write a data folder (``activity/energy.csv``) under ``root`` and return it."""
    root = Path(root)
    (root / "activity").mkdir(parents=True, exist_ok=True)
    with (root / ACTIVITY_FILE).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        for region, year, category, item, value, unit in records:
            source = ILLUSTRATIVE_SOURCE if region in illustrative else SOURCE
            writer.writerow([region, year, category, item, "consumption", value, unit, "", "3", source, ""])
    return root


def set_value(data_dir: Path, region: str, year: int, item: str, value: str) -> None:
    """Rewrite the activity file with one record's value changed (as a user editing the CSV would)."""
    path = Path(data_dir) / ACTIVITY_FILE
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    hits = 0
    for row in rows[1:]:
        if row[0] == region and row[1] == str(year) and row[3] == item:
            row[5] = value
            hits += 1
    assert hits == 1, f"no single record {region} {year} {item} in {path}"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def write_local_factors(data_dir: Path, rows: list[str]) -> Path:
    """``factors/local.csv`` with the CONTRACTS §4 minimum columns; ``rows`` are CSV lines."""
    path = Path(data_dir) / "factors" / "local.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("parameter,category,item,gas,value,unit,region,year_from,year_to,source\n"
                    + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def tree_digest(folder: Path) -> dict[str, str]:
    """relative path → sha256 of every file under ``folder`` (empty when it does not exist), as a
    reader sees them: through links (an output folder's ``reports`` … lead into its current generation)."""
    folder = Path(folder)
    if not folder.exists():
        return {}
    found = {}
    for root, _, names in os.walk(folder, followlinks=True):
        for name in names:
            path = Path(root) / name
            if path.is_file():
                found[path.relative_to(folder).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return dict(sorted(found.items()))


def run_cli(*args: str, cwd: Path | None = None, timeout: float = 240) -> subprocess.CompletedProcess:
    """``python -m inventory ARGS`` in a subprocess, as a user or a scheduler runs it."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    return subprocess.run([sys.executable, "-m", "inventory", *args], cwd=cwd or ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def summary_counts(stdout: str) -> tuple[int, int]:
    """``(executed, reused)`` from the run's summary line."""
    import re

    match = re.search(r"executed (\d+), reused (\d+)", stdout)
    assert match, f"no 'executed N, reused M' in stdout:\n{stdout}"
    return int(match.group(1)), int(match.group(2))
