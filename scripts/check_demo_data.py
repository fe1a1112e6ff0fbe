#!/usr/bin/env python
"""Consistency checks of the illustrative demo data in data_raw/activity/ (see make_demo_data.py).

Checks: header and columns; row counts per file; no negative values (but stock changes); no
duplicate key (region, year, category, item, quantity, period) within or across files; city (430500)
== Σ of its 12 counties for every annual key after unit conversion (energy-balance inflow and outflow
as the net trade); the city's quarters sum to its year (万吨 = 10^4 t, 万立方米 = 10^4 m^3; 邵东 430521 until
2018, 430582 from 2019), compared exactly with decimals; parks ≤ their county; and the city's CO2
implied by the approximate factors of make_demo_data.py against the CEADs Shaoyang totals.
Exit status 1 on any failure.
"""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_demo_agriculture as agriculture  # noqa: E402
import make_demo_data as m  # noqa: E402

# base: t, 10^4 m^3, 万元, 万人, 10^4 kWh, GJ
TO_BASE = {"吨": Decimal(1), "万吨": Decimal(10000), "万立方米": Decimal(1), "万元": Decimal(1),
           "万人": Decimal(1), "万千瓦时": Decimal(1), "百万千焦": Decimal(1), "头": Decimal(1), "只": Decimal(1),
           "公顷": Decimal(1)}
#: city keys that differ from the sum of their counties on purpose (data_raw/README.md says why)
DELIBERATE_MISMATCHES = {(2021, "2.A.1", "clinker", "production"),  # make_demo_ippu.py
                         (2021, "4.A.1", "msw", "landfilled"),  # make_demo_waste.py
                         tuple(m.DELIBERATE_MISMATCH[1:])}  # make_demo_data.py (2022 1.A.4.b natural gas)
#: quantities that may be negative (the balance-table sign of stock change)
SIGNED = {"stock_change"}


def main() -> int:
    errors = []
    records = {}  # key -> (file, Decimal base value or None)
    for path in sorted(m.OUT_DIR.glob("*.csv")):
        if path.name == "lulucf.csv":  # scripts/make_demo_lulucf.py checks its own (one deliberate mismatch)
            continue
        with open(path, encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            header = next(reader)
            if header != m.COLUMNS and header != m.COLUMNS + ["period"]:
                errors.append(f"{path.name}: header {header}")
            n = 0
            for line, row in enumerate(reader, start=2):
                n += 1
                r = dict(zip(header, row, strict=True))
                key = (r["region"], int(r["year"]), r["category"], r["item"], r["quantity"], r.get("period", ""))
                if key in records:
                    errors.append(f"{path.name}:{line}: duplicate key {key} (first in "
                                  f"{records[key][0]})")
                if r["notation"]:
                    if r["value"] or r["unit"]:
                        errors.append(f"{path.name}:{line}: notation with a value")
                    records[key] = (path.name, None)
                    continue
                v = Decimal(r["value"]) * TO_BASE[r["unit"]]
                if v < 0 and r["quantity"] not in SIGNED:
                    errors.append(f"{path.name}:{line}: negative value")
                illustrative = (r["source"] in (m.SOURCE, agriculture.SOURCE)
                                or r["source"].startswith("示例数据，非官方统计"))
                if not illustrative:
                    errors.append(f"{path.name}:{line}: source")
                records[key] = (path.name, v)
            print(f"{path.name}: {n} rows")

    # city == sum of counties (annual records; trade between regions as the net inflow: what one
    # county sends to another is neither the city's inflow nor its outflow)
    def net_key(y, cat, item, q):
        return (y, cat, item, "net_trade") if cat == "EB" and q in ("inflow", "outflow") else (y, cat, item, q)

    def signed(q, v):
        return -v if q == "outflow" else v

    sums = defaultdict(Decimal)
    city = defaultdict(Decimal)
    for (reg, y, cat, item, q, period), (_, v) in records.items():
        if v is None or "-P" in reg or period:
            continue
        target = city if reg == m.CITY else sums
        target[net_key(y, cat, item, q)] += signed(q, v) if cat == "EB" else v
    n_checked = 0
    # the agriculture demo's one deliberate mismatch (make_demo_agriculture.DELIBERATE_MISMATCH)
    _, mismatch_year, *mismatch_key = agriculture.DELIBERATE_MISMATCH
    deliberate = (mismatch_year, *mismatch_key)
    for key, v in city.items():
        n_checked += 1
        if key in DELIBERATE_MISMATCHES or key == deliberate:
            print(f"deliberate city-county mismatch (documented): {key}: {v} vs {sums.get(key)}")
            continue
        if sums.get(key, Decimal(0)) != v:
            errors.append(f"city != Σ counties for {key}: {v} vs {sums.get(key)}")
    for key in sums:
        if key not in city and sums[key] != 0:
            errors.append(f"county key without city record: {key}")
    # the city's quarters sum to its year
    quarters = defaultdict(Decimal)
    for (reg, y, cat, item, q, period), (_, v) in records.items():
        if period and v is not None:
            quarters[(reg, y, cat, item, q)] += v
    for key, v in quarters.items():
        if records.get((*key, ""), (None, None))[1] != v:
            errors.append(f"quarters do not sum to the year: {key}: {v} vs {records.get((*key, ''))}")
    print(f"quarters == year: {len(quarters)} keys checked")
    # valid county codes per year
    for (reg, y, *_rest) in records:
        if reg == "430521" and y > 2018 or reg == "430582" and y < 2019:
            errors.append(f"邵东 code {reg} used in {y}")
    print(f"city == Σ counties: {n_checked} city keys checked")

    # parks <= county
    n_park = 0
    for (reg, y, cat, item, q, period), (_, v) in records.items():
        if "-P" not in reg or v is None:
            continue
        n_park += 1
        county = reg.split("-")[0]
        if county == "430582" and y <= 2018:
            county = "430521"
        cv = records.get((county, y, cat, item, q, period), (None, None))[1]
        if cv is None or v > cv:
            errors.append(f"park {reg} {y} {cat} {item} {q}: {v} > county {cv}")
        if not cat.startswith("1.A.2."):
            errors.append(f"park record outside 1.A.2: {reg} {y} {cat}")
    print(f"parks <= counties: {n_park} park keys checked")

    # implied city CO2 vs CEADs
    sy, prov = m.load_ceads()
    struct, hn_comb, hn_proc = m.provincial_structure(prov)
    co2 = defaultdict(Decimal)
    for (reg, y, cat, item, q, period), (_, v) in records.items():
        if reg == m.CITY and q == "consumption" and v is not None and cat.startswith("1.A") and not period:
            co2[y] += v * Decimal(str(m.EF_T_CO2[item]))
    print("year  implied_city_CO2_Mt  CEADs_Shaoyang_total_Mt  CEADs_minus_HN_process_share_Mt")
    for y in m.YEARS:
        ceads = f"{sy[y]:.3f}" if y in sy else "-"
        comb = (f"{sy[y] * hn_comb[y] / (hn_comb[y] + hn_proc[y]):.3f}" if y in sy else "-")
        print(f"{y}  {float(co2[y]) / 1e6:19.3f}  {ceads:>23}  {comb:>31}")

    for e in errors[:50]:
        print("ERROR", e)
    print(f"{len(errors)} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
