#!/usr/bin/env python
"""Write the illustrative demo data (data_raw/activity) also as filled data-collection workbooks.

示例数据，非官方统计 — illustrative data, not official statistics.

One workbook per department × region × year with records in the demo: today the statistics
bureau's (energy consumption, feedstock, socio-economic data) for the city, its 12 counties and the
2 parks, 2015–2023; other departments follow when their sectors' demo data arrives. Each workbook
shows the year before as reference values, like a template sent out for that year. The files are
deterministic (fixed timestamps inside), so rerunning without changes rewrites identical bytes.

    python scripts/make_demo_workbooks.py                     # into data_raw/workbooks/
    python scripts/make_demo_workbooks.py --out /tmp/wb --years 2023
    python scripts/make_demo_workbooks.py --enterprises       # only data_raw/workbooks/enterprises/

Ingesting them into an empty data folder gives the demo's records back
(``inventory ingest data_raw/workbooks --data /tmp/from-workbooks``; tests/test_ingest.py checks it).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from inventory.collect.departments import departments  # noqa: E402
from inventory.collect.enterprises import (  # noqa: E402
    build_enterprise_workbook,
    enterprise_register,
    enterprise_workbook_name,
    read_register,
)
from inventory.collect.workbooks import build_workbook, records_of, save_workbook, workbook_name  # noqa: E402
from inventory.core.activity import read_activity  # noqa: E402
from inventory.core.regions import load_regions  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT / "data_raw")
    parser.add_argument("--out", type=Path, default=ROOT / "data_raw" / "workbooks")
    parser.add_argument("--years", default="", help="comma-separated years (default: every year of the data)")
    parser.add_argument("--enterprises", action="store_true",
                        help="write only the key-enterprise workbooks (into <out>/enterprises/), one per enterprise "
                             "and year of <data>/enterprises/*.csv; the department workbooks are left alone")
    args = parser.parse_args()
    registry = load_regions(args.data)
    if args.enterprises:
        written = _enterprise_workbooks(args.data, args.out / "enterprises", registry, args.years)
        print(f"wrote {written} key-enterprise workbooks to {args.out / 'enterprises'}")
        return
    records = read_activity(args.data).records
    records = records[records["period"] == ""]
    years = [int(y) for y in args.years.split(",")] if args.years else sorted(records["year"].unique())
    written = 0
    for year in years:
        for region in sorted(records.loc[records["year"] == year, "region"].unique()):
            mine = records[(records["region"] == region) & (records["year"] == year)]
            previous = records[(records["region"] == region) & (records["year"] == year - 1)]
            # the code a workbook of that year is filed under (邵东县 430521 until 2018)
            reported = mine["region_reported"].mode().iloc[0]
            for department in departments().values():
                filled = records_of(department, mine)
                if filled.empty:
                    continue
                workbook = build_workbook(department, reported, int(year), registry, previous=previous,
                                          filled=filled, illustrative=True)
                save_workbook(workbook, args.out / workbook_name(department, reported, int(year), registry))
                written += 1
    covered = set().union(*(records_of(d, records).index for d in departments().values()))
    left = records.drop(index=list(covered))
    if len(left):
        print(f"warning: {len(left)} records are in no department's workbook, e.g.\n{left.head()}", file=sys.stderr)
    print(f"wrote {written} workbooks to {args.out}")


def _enterprise_workbooks(data: Path, out: Path, registry, years_text: str) -> int:
    """One filled workbook per key enterprise and year with records, last year's values beside them."""
    rows = read_register(data)
    years = [int(y) for y in years_text.split(",")] if years_text else sorted(rows["year"].unique())
    written = 0
    for year in years:
        for enterprise in enterprise_register(rows, int(year)):
            mine = rows[rows["enterprise"] == enterprise.code]
            filled = mine[mine["year"] == year]
            if filled.empty:
                continue
            previous = mine[mine["year"] == year - 1]
            workbook = build_enterprise_workbook(enterprise, int(year), registry, previous=previous, filled=filled,
                                                 illustrative=True)
            save_workbook(workbook, out / enterprise_workbook_name(enterprise, int(year), registry))
            written += 1
    return written


if __name__ == "__main__":
    main()
