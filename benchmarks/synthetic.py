"""Synthetic data folders for benchmarks: N county-level regions × Y years of energy records.

The regions are invented (codes 9xxxxx under a synthetic province 990000), registered through the
data folder's own ``regions.csv`` as any user would; each region-year has the same ~20
(category, fuel) records with deterministic variation. 示例数据，非官方统计 — synthetic, not statistics.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import numpy as np

#: (category, item, unit, typical value) — a county's usual energy records
PATTERN = [
    ("1.A.1.a", "raw_coal", "万吨", 20.0), ("1.A.1.a", "diesel", "吨", 500.0),
    ("1.A.2.a", "coke", "万吨", 2.0), ("1.A.2.a", "natural_gas", "万立方米", 300.0),
    ("1.A.2.c", "raw_coal", "万吨", 3.0), ("1.A.2.f", "raw_coal", "万吨", 10.0),
    ("1.A.2.f", "fuel_oil", "吨", 800.0), ("1.A.2.m", "diesel", "吨", 1500.0),
    ("1.A.2.m", "lpg", "吨", 300.0), ("1.A.3.b", "gasoline", "万吨", 3.0),
    ("1.A.3.b", "diesel", "万吨", 4.0), ("1.A.3.b", "natural_gas", "万立方米", 200.0),
    ("1.A.3.c", "diesel", "吨", 400.0), ("1.A.4.a", "raw_coal", "吨", 9000.0),
    ("1.A.4.a", "natural_gas", "万立方米", 500.0), ("1.A.4.a", "lpg", "吨", 1500.0),
    ("1.A.4.b", "raw_coal", "吨", 6000.0), ("1.A.4.b", "lpg", "吨", 2500.0),
    ("1.A.4.b", "natural_gas", "万立方米", 400.0), ("1.A.4.c", "diesel", "吨", 900.0),
]
SOURCE = "合成基准数据，非官方统计 (synthetic benchmark data)"


def make(folder: Path, regions: int, years: int, first_year: int = 1994, seed: int = 7) -> Path:
    """Write ``folder/regions.csv`` and ``folder/activity/synthetic.csv``; return the folder."""
    rng = np.random.default_rng(seed)
    (folder / "activity").mkdir(parents=True, exist_ok=True)
    codes = [f"{910000 + i:06d}" for i in range(regions)]
    with (folder / "regions.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["code", "name_zh", "name_en", "level", "parent", "valid_from", "valid_to", "successor"])
        writer.writerow(["990000", "合成省", "Synthetic province", "province", "", "", "", ""])
        for code in codes:
            writer.writerow([code, f"合成县{code}", f"Synthetic county {code}", "county", "990000", "", "", ""])
    scale = rng.lognormal(0.0, 0.6, size=regions)
    trend = 1.0 + 0.02 * np.arange(years)
    with (folder / "activity" / "synthetic.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["region", "year", "category", "item", "quantity", "value", "unit", "source"])
        for r, code in enumerate(codes):
            for y in range(years):
                noise = rng.uniform(0.9, 1.1, size=len(PATTERN))
                for (category, item, unit, typical), n in zip(PATTERN, noise):
                    value = round(typical * scale[r] * trend[y] * n, 2)
                    writer.writerow([code, first_year + y, category, item, "consumption", value, unit, SOURCE])
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--regions", type=int, default=300)
    parser.add_argument("--years", type=int, default=30)
    args = parser.parse_args()
    make(args.folder, args.regions, args.years)


if __name__ == "__main__":
    main()
