#!/usr/bin/env python
"""Generate the ILLUSTRATIVE demo data of industrial processes (IPPU) for Shaoyang, 2015–2023.

示例数据，非官方统计 — illustrative, not official statistics. Deterministic (no random numbers): run it
again and the files are byte for byte the same. Writes

* ``data_raw/activity/ippu.csv``: production of clinker and cement (万吨), lime (t, by type in 新邵),
  flat glass (t; 大祥区), ammonia and methanol (t) per county and the city, and ``NO`` for
  cement where a county has no kiln;
* ``data_raw/enterprises/key_enterprises.csv``: four illustrative key enterprises, 2019–2023
  (production, electricity used, reported CO2);
* ``data_raw/factors/ippu_plants.csv``: the plant parameters of the illustrative ammonia plant (its
  coal feedstock), as local factor rows.

Orders of magnitude (data_raw/README.md says the same):

* Cement: CEADs puts Hunan's cement process CO2 at 5.8 % of the province's total in 2015–2016
  (34–36 Mt of 585–616 Mt summed over its sector rows); the same share of the CEADs Shaoyang totals
  (17.4 Mt in 2015, 17.0 Mt in 2016) is about 1.0 Mt of process CO2, i.e. about 1.8 Mt of clinker at
  0.538 t/t, or 3.4 Mt of cement at the CEADs 0.29 t CO2/t cement. Clinker is split over the six
  counties whose 1.A.2.f (non-metallic minerals) coal use in the energy demo is largest; the series
  follows the national cement output (a 2020 dip, a fall in 2022–2023).
* Lime, flat glass: small, a few 10^4 t and one float line of about 600 t/day (≈ 200,000 t/yr).
* Ammonia and methanol: sized from the energy demo's feedstock (1.A.2.c ``non_energy_use``): raw coal
  in 邵东 at 1.355 t coal per t NH3, natural gas in 大祥区 at 1,000 m³ per t methanol — so the
  carbon the energy sector reports as memo ``M.NEU`` is the carbon IPPU counts.

The city's record is the sum of its counties except one deliberate, documented mismatch: the city's
clinker of 2021 is 50,000 t more than its counties' (a city-level statistic that still counts a kiln
its county has closed: exercises the city–county check). One deliberate enterprise gap: the
illustrative 新邵 cement enterprise reports 12 % more clinker in 2022 than its county's statistic.
"""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_demo_data as m  # noqa: E402

ROOT = m.ROOT
ACTIVITY = ROOT / "data_raw" / "activity" / "ippu.csv"
ENTERPRISES = ROOT / "data_raw" / "enterprises" / "key_enterprises.csv"
PLANT_FACTORS = ROOT / "data_raw" / "factors" / "ippu_plants.csv"

#: city clinker [10^4 t] by year
CLINKER_CITY = {2015: 175, 2016: 180, 2017: 185, 2018: 190, 2019: 195, 2020: 185, 2021: 190, 2022: 170, 2023: 160}
#: clinker share of each county with kilns (SHAODONG = 邵东: 430521 until 2018, 430582 from 2019)
CLINKER_SHARE = {"SHAODONG": Decimal("0.30"), "430522": Decimal("0.22"), "430523": Decimal("0.18"),
                 "430581": Decimal("0.12"), "430524": Decimal("0.10"), "430525": Decimal("0.08")}
#: clinker-to-cement ratio of the demo (blended cements; China's average is near 0.55–0.6)
CLINKER_RATIO = Decimal("0.55")
#: lime [t] per county, constant but for a 3 %/yr decline from 2018 (small kilns closing)
LIME = {"SHAODONG": 60000, "430522": 40000, "430524": 30000, "430528": 20000}
#: 新邵 files its lime by type (high-calcium and dolomitic), the others as lime of unknown type
LIME_BY_TYPE = {"430522": {"lime.high_calcium": Decimal("0.75"), "lime.dolomitic": Decimal("0.25")}}
#: flat glass [t]: one float line in 大祥区, from 2017
GLASS = {2017: 150000, 2018: 190000, 2019: 200000, 2020: 185000, 2021: 205000, 2022: 200000, 2023: 195000}
COAL_PER_AMMONIA = Decimal("1.355")  # t raw coal per t NH3 (feedstock)
GAS_PER_METHANOL = Decimal("1000")  # m3 natural gas per t methanol (feedstock)
MISMATCH = (2021, "2.A.1", "clinker", Decimal("5"))  # the city's extra 5 万吨 in 2021
GAP = ("430522", 2022, Decimal("1.12"))  # the 新邵 enterprise's clinker against its county's
NOTE_MISMATCH = "市级统计仍含已关停的熟料生产线（示例：故意与区县合计不符，演示市县一致性检查）"


def q(value: Decimal, places: int) -> str:
    return str(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN))


def row(region, year, category, item, quantity, value, unit, notation="", uncertainty="", note=""):
    return [region, str(year), category, item, quantity, value, unit, notation, uncertainty, m.SOURCE, note]


def feedstock() -> dict[tuple[str, int, str], Decimal]:
    """The energy demo's 1.A.2.c non-energy use [t coal; 10^4 m3 gas] by (county, year, fuel)."""
    found: dict[tuple[str, int, str], Decimal] = {}
    for path in sorted((ROOT / "data_raw" / "activity").glob("energy_consumption_*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for r in csv.DictReader(handle):
                if r["category"] == "1.A.2.c" and r["quantity"] == "non_energy_use" and r["region"] != m.CITY \
                        and not r.get("period"):
                    scale = Decimal(10000) if r["unit"] == "万吨" else Decimal(1)
                    found[(r["region"], int(r["year"]), r["item"])] = Decimal(r["value"]) * scale
    return found


def activity_rows() -> tuple[list[list[str]], dict]:
    rows = []
    totals: dict[tuple, Decimal] = defaultdict(Decimal)  # (year, category, item) -> Σ counties, in the file's unit
    produced: dict[tuple, Decimal] = {}  # (county code, year, item) -> t
    units = {}

    def county(c, y, category, item, value: Decimal, unit, places, note=""):
        code = m.county_code(c, y)
        rows.append(row(code, y, category, item, "production", q(value, places), unit, uncertainty="5", note=note))
        totals[(y, category, item)] += Decimal(q(value, places))
        units[(category, item)] = (unit, places)
        produced[(code, y, item)] = Decimal(q(value, places)) * (10000 if unit == "万吨" else 1)

    fuel = feedstock()
    for y in m.YEARS:
        city_clinker = Decimal(CLINKER_CITY[y])
        for c in m.COUNTIES:
            if c in CLINKER_SHARE:
                clinker = city_clinker * CLINKER_SHARE[c]
                county(c, y, "2.A.1", "clinker", clinker, "万吨", 4)
                county(c, y, "2.A.1", "cement", clinker / CLINKER_RATIO, "万吨", 4)
            else:
                rows.append(row(m.county_code(c, y), y, "2.A.1", "clinker", "production", "", "", notation="NO",
                                note="本县无水泥熟料生产线（示例）"))
            if c in LIME:
                decline = Decimal("0.97") ** max(0, y - 2017)
                lime = Decimal(LIME[c]) * decline
                for item, share in LIME_BY_TYPE.get(c, {"lime": Decimal(1)}).items():
                    county(c, y, "2.A.2", item, lime * share, "吨", 0)
            if c == "430503" and y in GLASS:
                county(c, y, "2.A.3", "flat_glass", Decimal(GLASS[y]), "吨", 0, "浮法玻璃生产线（示例）")
            coal = fuel.get((m.county_code(c, y), y, "raw_coal"))
            if coal:
                county(c, y, "2.B.1", "ammonia", coal / COAL_PER_AMMONIA, "吨", 0, "以煤为原料（示例）")
            gas = fuel.get((m.county_code(c, y), y, "natural_gas"))
            if gas:
                county(c, y, "2.B.8.a", "methanol", gas * 10000 / GAS_PER_METHANOL, "吨", 0, "以天然气为原料（示例）")
        for (year, category, item), total in sorted(totals.items()):
            if year != y:
                continue
            unit, places = units[(category, item)]
            note = ""
            if (y, category, item) == MISMATCH[:3]:
                total += MISMATCH[3]
                note = NOTE_MISMATCH
            rows.append(row(m.CITY, y, category, item, "production", q(total, places), unit, uncertainty="5",
                            note=note))
    return rows, produced


#: illustrative key enterprises: code, name, county, products
ENTERPRISE_LIST = [
    ("DEMO-CEM-01", "示例水泥企业甲（邵东）", "SHAODONG", ("clinker", "cement")),
    ("DEMO-CEM-02", "示例水泥企业乙（新邵）", "430522", ("clinker", "cement")),
    ("DEMO-GLS-01", "示例玻璃企业（大祥区）", "430503", ("flat_glass",)),
    ("DEMO-CHM-01", "示例化工企业（邵东）", "SHAODONG", ("ammonia",)),
]
#: electricity used per t of product [MWh/t] (cement ≈ 85 kWh/t; float glass ≈ 100 kWh/t; coal-based ammonia
#: ≈ 1,200 kWh/t: orders of magnitude of Chinese industry averages, illustrative)
POWER = {"cement": Decimal("0.085"), "flat_glass": Decimal("0.100"), "ammonia": Decimal("1.2")}
#: the enterprises' own reported process CO2 factors [t/t] (illustrative plant values)
REPORTED = {"clinker": Decimal("0.525"), "flat_glass": Decimal("0.19"), "ammonia": Decimal("3.1")}
CATEGORY = {"clinker": "2.A.1", "cement": "2.A.1", "flat_glass": "2.A.3", "ammonia": "2.B.1"}


def enterprise_rows(produced: dict) -> list[list[str]]:
    rows = []
    for y in range(2019, 2024):
        for code, name, c, products in ENTERPRISE_LIST:
            region = m.county_code(c, y)
            for item in products:
                value = produced.get((region, y, item))
                if value is None:
                    continue
                gap = (region, y) == GAP[:2] and item == "clinker"
                if gap:
                    value = value * GAP[2]
                note = "示例：企业产量比区县统计高 12%（故意差异）" if gap else ""
                rows.append([code, name, region, str(y), CATEGORY[item], item, "production", q(value, 0), "t", "",
                             m.SOURCE, note])
                if item in POWER:
                    rows.append([code, name, region, str(y), CATEGORY[item], "electricity", "consumption",
                                 q(value * POWER[item], 0), "MWh", "", m.SOURCE, ""])
                if item in REPORTED:
                    rows.append([code, name, region, str(y), CATEGORY[item], item, "reported_emissions",
                                 q(value * REPORTED[item], 0), "t", "CO2", m.SOURCE, "企业自报过程排放（示例）"])
    return rows


PLANT_ROWS = [
    ["parameter", "category", "item", "gas", "value", "unit", "region", "year_from", "year_to", "source",
     "confidence", "note"],
    # the city's one ammonia plant (in 邵东): rows for the city apply to it and to the city's own total.
    # Feedstock per t NH3 = 1.355 t raw coal × the raw-coal NCV the energy demo uses (GB/T 2589 20.908 GJ/t; the
    # demo's local 20.5 GJ/t from 2020), so that the carbon IPPU counts is the carbon energy reports as M.NEU
    ["FR", "2.B.1", "ammonia", "", "28.33", "GJ/t", m.CITY, "2015", "2019", m.SOURCE, "local",
     "示例化工企业（邵东）原料煤单耗 1.355 t/t × 原煤低位发热量 20.908 GJ/t"],
    ["FR", "2.B.1", "ammonia", "", "27.78", "GJ/t", m.CITY, "2020", "", m.SOURCE, "local",
     "示例化工企业（邵东）原料煤单耗 1.355 t/t × 20.5 GJ/t（本地煤质，2020 年起）"],
    # the carbon content of the raw coal: the provincial-guideline value energy uses (fuels-0394, secondary)
    ["CCF", "2.B.1", "ammonia", "", "26.1", "t/TJ", m.CITY, "", "", m.SOURCE, "secondary",
     "原煤单位热值含碳量，取能源活动所用的省级指南值（未核实）"],
]


def write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def main() -> None:
    rows, produced = activity_rows()
    rows.sort(key=lambda r: (int(r[1]), m._region_order(r[0]), r[2], r[3]))
    write(ACTIVITY, m.COLUMNS, rows)
    enterprises = enterprise_rows(produced)
    write(ENTERPRISES, ["enterprise", "name", "region", "year", "category", "item", "quantity", "value", "unit",
                        "gas", "source", "note"], enterprises)
    write(PLANT_FACTORS, PLANT_ROWS[0], PLANT_ROWS[1:])
    print(f"wrote {ACTIVITY} ({len(rows)} rows), {ENTERPRISES} ({len(enterprises)} rows), {PLANT_FACTORS}")


if __name__ == "__main__":
    main()
