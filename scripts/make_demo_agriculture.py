#!/usr/bin/env python
"""Write the illustrative agriculture demo data (示例数据，非官方统计) for Shaoyang and its 12 counties,
2015–2023, deterministically (fixed seed; two runs give the same bytes):

* ``data_raw/activity/agriculture.csv`` — year-end stock (年末存栏) and slaughter (出栏) by animal
  (3.A), rice sown area by season (3.C.7), synthetic N as N (氮肥折纯) with the part applied to
  flooded rice (3.C.4), urea (3.C.3) and agricultural limestone (3.C.2); a notation key NE for crop
  residue N and NO for sheep;
* ``data_raw/factors/agriculture_local.csv`` — the city's own parameters, as a county would supply
  them: days alive of market pigs and broilers, manure-management shares by animal, and the water
  regime, season length and straw amendment of each rice season (used by the IPCC method).

Orders of magnitude (data_raw/README.md says where each comes from): about 6.5 million pigs
slaughtered a year and 4 million in stock, 0.5 million cattle and buffalo, 0.8 million goats,
50 million poultry slaughtered; about 290 thousand ha of rice (early 95, late 105, single 90);
about 90 thousand t of synthetic N. Counties add up to the city exactly, except one deliberate
mismatch (:data:`DELIBERATE_MISMATCH`) that exercises the city–county check.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ACTIVITY = ROOT / "data_raw" / "activity" / "agriculture.csv"
FACTORS = ROOT / "data_raw" / "factors" / "agriculture_local.csv"
YEARS = list(range(2015, 2024))
SOURCE = "示例数据，非官方统计 (illustrative, not official statistics); agriculture demo"
COLUMNS = ["region", "year", "category", "item", "quantity", "value", "unit", "notation", "uncertainty", "source",
           "note"]
CITY = "430500"
#: county → its share of the city's agriculture (urban districts small; 邵东, 隆回, 邵阳县 large)
COUNTY_SHARES = {"430502": 0.010, "430503": 0.015, "430511": 0.010, "430522": 0.090, "430523": 0.120,
                 "430524": 0.140, "430525": 0.110, "430527": 0.050, "430528": 0.080, "430529": 0.035,
                 "430581": 0.100, "430582": 0.240}
#: the city's totals in 2015 (head, ha, t) and the change per year
CITY_2015 = {
    ("3.A", "swine", "stock_year_end"): (4_100_000, "头"), ("3.A", "swine", "slaughtered"): (6_400_000, "头"),
    ("3.A", "non_dairy_cattle", "stock_year_end"): (260_000, "头"),
    ("3.A", "buffalo", "stock_year_end"): (230_000, "头"), ("3.A", "dairy_cattle", "stock_year_end"): (4_000, "头"),
    ("3.A", "goats", "stock_year_end"): (800_000, "头"),
    ("3.A", "poultry", "stock_year_end"): (30_000_000, "只"), ("3.A", "poultry", "slaughtered"): (50_000_000, "只"),
    ("3.C.7", "early_rice", "area"): (95_000, "公顷"), ("3.C.7", "late_rice", "area"): (105_000, "公顷"),
    ("3.C.7", "single_rice", "area"): (90_000, "公顷"),
    ("3.C.4", "synthetic_n", "amount"): (92_000, "吨"), ("3.C.3", "urea", "amount"): (85_000, "吨"),
    ("3.C.2", "limestone", "amount"): (20_000, "吨"),
}
#: pigs: African swine fever 2019–2020, recovery from 2021; others a steady trend
PIG_INDEX = {2015: 1.00, 2016: 0.97, 2017: 0.99, 2018: 1.00, 2019: 0.72, 2020: 0.78, 2021: 0.98, 2022: 1.03,
             2023: 1.05}
TRENDS = {"non_dairy_cattle": 0.005, "buffalo": -0.02, "dairy_cattle": 0.0, "goats": 0.01, "poultry": 0.015,
          "early_rice": -0.015, "late_rice": -0.01, "single_rice": 0.01, "synthetic_n": -0.02, "urea": -0.025,
          "limestone": 0.03}
#: rice N: the share of synthetic N applied to flooded rice
RICE_N_SHARE = 0.55
#: the deliberate city–county mismatch: the city's 2021 pig slaughter, revised after the counties
#: reported (city 1.5 % above the sum of its counties)
DELIBERATE_MISMATCH = (CITY, 2021, "3.A", "swine", "slaughtered")
MISMATCH_FACTOR = 1.015


def county_code(code: str, year: int) -> str:
    """邵东: 430521 (邵东县) until 2018, 430582 (邵东市) from 2019."""
    return "430521" if code == "430582" and year <= 2018 else code


def city_value(key: tuple, year: int) -> int:
    base, _ = CITY_2015[key]
    item = key[1]
    if item == "swine":
        return round(base * PIG_INDEX[year])
    return round(base * (1 + TRENDS[item]) ** (year - 2015))


def split(total: int, year: int, key: tuple, rng: random.Random) -> dict[str, int]:
    """The city total shared out to counties (share × a small deterministic scatter), exactly."""
    weights = {c: s * (1 + rng.uniform(-0.08, 0.08)) for c, s in COUNTY_SHARES.items()}
    if key[1] in ("early_rice", "late_rice", "single_rice"):  # the urban districts grow little rice
        for district in ("430502", "430503", "430511"):
            weights[district] *= 0.3
    scale = sum(weights.values())
    parts = {c: int(total * w / scale) for c, w in weights.items()}
    parts["430582"] += total - sum(parts.values())  # the remainder to the largest county
    return parts


def activity_rows() -> list[list[str]]:
    rng = random.Random(20151231)
    rows = []
    for year in YEARS:
        for key in CITY_2015:
            category, item, quantity = key
            unit = CITY_2015[key][1]
            total = city_value(key, year)
            parts = split(total, year, key, rng)
            reported = round(total * MISMATCH_FACTOR) if (CITY, year, *key) == DELIBERATE_MISMATCH else total
            note = "市级数据在区县上报后修订（有意的市县差异）/ revised after the counties reported: a deliberate " \
                   "city-county mismatch" if reported != total else ""
            rows.append([CITY, str(year), category, item, quantity, str(reported), unit, "", "", SOURCE, note])
            for county, value in parts.items():
                rows.append([county_code(county, year), str(year), category, item, quantity, str(value), unit, "", "",
                             SOURCE, ""])
            if item == "synthetic_n":
                flooded = round(total * RICE_N_SHARE)
                rice_parts = {c: round(v * RICE_N_SHARE) for c, v in parts.items()}
                rice_parts["430582"] += flooded - sum(rice_parts.values())
                rows.append([CITY, str(year), category, item, "amount_flooded_rice", str(flooded), unit, "", "",
                             SOURCE, ""])
                rows += [[county_code(c, year), str(year), category, item, "amount_flooded_rice", str(v), unit, "",
                          "", SOURCE, ""] for c, v in rice_parts.items()]
        for region in [CITY] + [county_code(c, year) for c in COUNTY_SHARES]:
            rows.append([region, str(year), "3.C.4", "crop_residue_n", "amount", "", "", "NE", "", SOURCE,
                         "秸秆还田氮未调查 / crop-residue N not surveyed"])
            rows.append([region, str(year), "3.A", "sheep", "stock_year_end", "", "", "NO", "", SOURCE,
                         "本地无绵羊养殖 / no sheep kept"])
    return rows


LOCAL = "示例数据，非官方统计 (illustrative, not official statistics): "
FACTOR_COLUMNS = ["parameter", "category", "item", "gas", "value", "unit", "region", "year_from", "year_to", "source",
                  "uncertainty", "confidence", "note"]
#: manure-management shares (MS) by animal: biogas digesters and liquid storage on pig farms, solid
#: storage and daily spread elsewhere (each animal's shares add up to 1)
SHARES = {
    "swine": {"liquid_slurry": 0.30, "solid_storage": 0.35, "anaerobic_digester": 0.25, "daily_spread": 0.10},
    "non_dairy_cattle": {"solid_storage": 0.50, "daily_spread": 0.20, "pasture": 0.30},
    "buffalo": {"solid_storage": 0.45, "daily_spread": 0.20, "pasture": 0.35},
    "dairy_cattle": {"solid_storage": 0.60, "liquid_slurry": 0.40},
    "goats": {"solid_storage": 0.40, "pasture": 0.60},
    "poultry": {"solid_storage": 0.80, "daily_spread": 0.20},
}


def factor_rows() -> list[list[str]]:
    rows = [
        ["days_alive", "3.A", "swine", "", "170", "d", CITY, "", "", LOCAL + "肉猪饲养期约 170 天（假设）", "15",
         "local", "market pigs: weaning to slaughter"],
        ["days_alive", "3.A", "poultry", "", "60", "d", CITY, "", "", LOCAL + "肉禽饲养期约 60 天（假设）", "20",
         "local", "broilers and meat ducks"],
    ]
    for animal, shares in SHARES.items():
        for system, share in shares.items():
            rows.append(["MS", "3.A.2", f"{animal}.{system}", "", f"{share:g}", "1", CITY, "", "",
                         LOCAL + "畜禽粪污处理方式抽样（假设）", "20", "local", ""])
    for item, days, regime, sfw in (("early_rice", 110, "intermittent, multiple aeration", 0.52),
                                    ("late_rice", 115, "intermittent, multiple aeration", 0.52),
                                    ("single_rice", 135, "intermittent, single aeration", 0.60)):
        rows.append(["SFw", "3.C.7", item, "", f"{sfw:g}", "1", CITY, "", "",
                     LOCAL + f"水分管理：{regime}（IPCC 2006 Vol.4 Table 5.12）", "", "local", regime])
        rows.append(["SFp", "3.C.7", item, "", "1", "1", CITY, "", "",
                     LOCAL + "种植前非淹水 < 180 天（IPCC 2006 Vol.4 Table 5.13）", "", "local", ""])
        rows.append(["season_days", "3.C.7", item, "", str(days), "d", CITY, "", "", LOCAL + "生长期（假设）", "10",
                     "local", ""])
    rows.append(["Frac_GasMS", "3.C.6", "daily_spread", "", "0.07", "1", CITY, "", "",
                 LOCAL + "每日施肥的氮挥发比例取 IPCC 2006 Vol.4 Table 10.22 奶牛每日施肥值（假设适用于各畜种）", "",
                 "local", "daily spread, every animal (the dairy value of Table 10.22, recalled)"])
    rows.append(["ROA", "3.C.7", "late_rice.straw_short", "", "2", "t/ha", CITY, "", "",
                 LOCAL + "早稻秸秆还田约 2 t/ha（干重，假设）", "30", "local", "early-rice straw incorporated"])
    return rows


def write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def main() -> None:
    activity = activity_rows()
    write(ACTIVITY, COLUMNS, activity)
    factors = factor_rows()
    write(FACTORS, FACTOR_COLUMNS, factors)
    print(f"wrote {ACTIVITY.relative_to(ROOT)} ({len(activity)} rows), "
          f"{FACTORS.relative_to(ROOT)} ({len(factors)} rows)")


if __name__ == "__main__":
    main()
