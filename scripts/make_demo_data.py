#!/usr/bin/env python
"""Generate the ILLUSTRATIVE demo activity data for Shaoyang (邵阳市), 2015–2023.

示例数据，非官方统计 — illustrative data, NOT official statistics of Shaoyang or of any county.
The numbers only have plausible magnitudes and structure so that the workbench can be demonstrated
end to end. Do not quote them as statistics.

Usage::

    python scripts/make_demo_data.py            # writes data_raw/activity/*.csv
    python scripts/check_demo_data.py           # consistency checks, implied CO2 vs CEADs

Deterministic: a fixed seed (``numpy.random.default_rng(SEED)``), a fixed order of draws, sums with
``math.fsum`` and integer arithmetic for every written value, so running it twice gives
byte-identical files.

Inputs (copied into the repository with their citation, see data_raw/reference/ceads/README.md)
--------------------------------------------------------------------------------------------------
* ``hunan_cities_co2_total_1997_2019.csv`` — CEADs city totals, Mt CO2 (湖南邵阳: 2004–2017).
* ``hunan_province_co2_by_sector_fuel_2015_2019.csv`` — CEADs Hunan provincial inventory, Mt CO2 by
  sector × fuel (an extract, years 2015–2019, of ``..._2010_2019.csv``).

Shan Y. et al. (2017) J. Clean. Prod. 161:1215–1225; Shan Y. et al. (2019) Sci. Data 6:1–10;
Shan Y. et al. (2022) Sci. Bull. 67:1910–1920; data: CEADs, ceads.net.

Method
------
1. City energy-combustion CO2 total T(y), Mt:
   * 2015–2017: CEADs Shaoyang total × (1 − Hunan provincial ``Process`` share of that year).
     CEADs city totals include cement process CO2; the Shaoyang-specific process share is not
     available, so the provincial share (≈11–12 %) is removed.
   * 2018–2019: T(2017) × (Hunan combustion CO2 of y / of 2017).
   * 2020–2023: per category, CO2(2019) × a plausible index (``CAT_INDEX``: COVID dip in 2020,
     mostly in transport and commerce; industry flat to slightly down; residential slowly up).
2. Category split of T(y), 2015–2019: the Hunan provincial CO2 of year y mapped from the 47 CEADs
   sectors to IPCC categories (``SECTOR_CATEGORY``), with these re-routings: the transport sector's
   gasoline, LPG and natural gas and 94.5 % of its diesel go to road (1.A.3.b), 3.5 % of its diesel
   to rail (1.A.3.c), 2 % to navigation (1.A.3.d), its coal to commerce (1.A.4.a); gasoline of
   households and services and diesel of households go to road (CEADs books private cars under the
   consumer sectors). Only the fuels in ``ALLOWED`` are kept per category (e.g. agriculture keeps
   only diesel and gasoline). No refinery, coke oven or oil/gas extraction in Shaoyang: those
   sectors are dropped. City adjustments (``CITY_ADJUST``): iron & steel × 0.25 (no integrated
   steelworks), non-metallic minerals × 1.4 (cement/building materials are big in 邵东, 新邵,
   邵阳县). Shares are renormalised to 1 after these steps, so the total stays T(y).
3. Fuel split within a category: the 2015–2019 pooled provincial fuel mix of that category, tilted
   by a fuel trend ``rate ** (y − 2019)`` (``FUEL_TREND``: coal slowly down, natural gas up; coal
   in commerce/residential clearly down) and renormalised.
4. CO2 → fuel quantity with the approximate factors ``EF_T_CO2`` (t CO2 per t, or per 10^4 m^3 for
   gases): raw coal 1.90, washed coal 2.45, other washed coal 0.80, briquettes 1.60, coke 2.86,
   coke-oven gas 7.70 and other gas 10.0 per 10^4 m^3, gasoline 2.93, kerosene 3.05, diesel 3.10,
   fuel oil 3.17, other petroleum products 3.00, LPG 3.10, natural gas 21.6 per 10^4 m^3. These
   are round IPCC-default-like values, not the workbench's factors; exactness does not matter for illustrative data.
5. Aviation (1.A.3.a): kerosene for 武冈机场 only (430581, opened 2017), a fixed small series.
   Non-energy use (原料用能, quantity ``non_energy_use``, 1.A.2.c): a small fixed series of natural
   gas in 430503 and raw coal in 邵东 — not in CEADs, invented.
6. County split: fixed shares per county and category (``COUNTY_SHARES``; urban districts more
   services/transport, 邵东 industry-heavy, mountainous 城步/绥宁/新宁 small; the power plant
   (宝庆电厂, illustrative) in 430503 with a small heat plant in 邵东), times a deterministic
   lognormal noise (σ = 5 %) per (year, category, fuel, county), renormalised. County values are
   rounded to the precision written (2 decimals in 万吨/万立方米, integers in 吨, 4 decimals in
   万吨 for oils = 1 t); the city value is the exact integer sum of its counties in the same unit,
   so city == Σ counties for every key but one: ``DELIBERATE_MISMATCH`` (the city's 2022 residential
   natural gas, 2 % above the sum, for the city–county consistency check). 邵东 is written as
   430521 (邵东县) for 2015–2018 and 430582 (邵东市) from 2019.
7. Parks (``430582-P01`` 邵东经济开发区 (示例), ``430503-P01`` 邵阳经济技术开发区 (示例)): a share
   (``PARK_SHARES``, 30–60 % in 2015 rising 2 %/yr, ± 5 % noise) of their county's 1.A.2.* records, floored to
   the tonne / 0.01 万立方米, so park ≤ county for every key. The park code is used for all years.
8. Socio-economic (category SOC): GDP (万元, current prices) and resident population (万人) of the
   city, illustrative magnitudes (GDP ≈ 1,390–2,710 亿元; population ≈ 6.7→6.4 million, 6.56 in
   2020), split by fixed county shares with noise; city = exact sum of counties.
9. Notation keys: 1.A.1.a crude_oil ``NO`` for the city and the counties with 1.A.1.a records.

Files written (like departments deliver them): ``energy_consumption_2015-2018.csv`` (coal in 万吨,
oils and LPG in 吨), ``energy_consumption_2019-2023.csv`` (coal in 吨, oils in 万吨, LPG in 吨),
``industrial_parks_energy.csv`` (吨), ``socioeconomic.csv``; gases always in 万立方米.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
CEADS_DIR = ROOT / "data_raw" / "reference" / "ceads"
OUT_DIR = ROOT / "data_raw" / "activity"

SEED = 20150430  # fixed: 邵阳 code 430500
YEARS = list(range(2015, 2024))
SOURCE = "示例数据，非官方统计 (illustrative, not official statistics); shaped on CEADs"
COLUMNS = ["region", "year", "category", "item", "quantity", "value", "unit", "notation",
           "uncertainty", "source", "note"]

CITY = "430500"
#: the one city record that differs from the sum of its counties on purpose, to show the city–county
#: consistency check (inventory.documents.consistency) finding something: the city's 2022 residential
#: natural gas is 2 % above the counties' sum (the gas utility's city-wide sales, not the counties' returns)
DELIBERATE_MISMATCH = (CITY, 2022, "1.A.4.b", "natural_gas", "consumption")
MISMATCH_PERCENT = 102
MISMATCH_NOTE = ("示例数据中有意的市县差异：市统计局采用燃气公司全市售气量，比各区县上报之和高 2% "
                 "(deliberate demo city-county mismatch: "
                 "the gas utility's city-wide sales, 2 % above the counties' sum)")
# county order = output order; 邵东 is a placeholder resolved per year by county_code()
COUNTIES = ["430502", "430503", "430511", "430522", "430523", "430524", "430525", "430527",
            "430528", "430529", "430581", "SHAODONG"]
COUNTY_NAMES = {"430502": "双清区", "430503": "大祥区", "430511": "北塔区", "430522": "新邵县",
                "430523": "邵阳县", "430524": "隆回县", "430525": "洞口县", "430527": "绥宁县",
                "430528": "新宁县", "430529": "城步苗族自治县", "430581": "武冈市",
                "SHAODONG": "邵东"}
PARKS = {"430582-P01": "SHAODONG", "430503-P01": "430503"}


def county_code(c: str, year: int) -> str:
    """邵东: 430521 (邵东县) until 2018, 430582 (邵东市) from 2019."""
    if c == "SHAODONG":
        return "430521" if year <= 2018 else "430582"
    return c


# --------------------------------------------------------------------------------------------
# CEADs mapping
# --------------------------------------------------------------------------------------------
FUEL_ITEM = {
    "Raw Coal": "raw_coal", "Cleaned Coal": "washed_coal", "Other Washed Coal": "other_washed_coal",
    "Briquettes": "briquettes", "Coke": "coke", "Coke Oven Gas": "coke_oven_gas",
    "Other Gas": "other_gas", "Crude Oil": "crude_oil", "Gasoline": "gasoline",
    "Kerosene": "kerosene", "Diesel Oil": "diesel", "Fuel Oil": "fuel_oil", "LPG": "lpg",
    "Refinery Gas": "refinery_gas", "Other Petroleum Products": "other_petroleum",
    "Natural Gas": "natural_gas",
    # dropped: Other Coking Products, Other Energy, Scope 2 *, Process, Scope 1 Total
}

IND_M = "1.A.2.m"
SECTOR_CATEGORY = {
    "Farming, Forestry, Animal Husbandry, Fishery and Water Conservancy": "1.A.4.c",
    "Coal Mining and Dressing": IND_M,
    "Petroleum and Natural Gas Extraction": None,
    "Ferrous Metals Mining and Dressing": IND_M,
    "Nonferrous Metals Mining and Dressing": IND_M,
    "Nonmetal Minerals Mining and Dressing": IND_M,
    "Other Minerals Mining and Dressing": IND_M,
    "Logging and Transport of Wood and Bamboo": IND_M,
    "Food Processing": "1.A.2.e",
    "Food Production": "1.A.2.e",
    "Beverage Production": "1.A.2.e",
    "Tobacco Processing": "1.A.2.e",
    "Textile Industry": IND_M,
    "Garments and Other Fiber Products": IND_M,
    "Leather, Furs, Down and Related Products": IND_M,
    "Timber Processing, Bamboo, Cane, Palm Fiber & Straw Products": IND_M,
    "Furniture Manufacturing": IND_M,
    "Papermaking and Paper Products": IND_M,
    "Printing and Record Medium Reproduction": IND_M,
    "Cultural, Educational and Sports Articles": IND_M,
    "Petroleum Processing and Coking": None,
    "Raw Chemical Materials and Chemical Products": "1.A.2.c",
    "Medical and Pharmaceutical Products": "1.A.2.c",
    "Chemical Fiber": "1.A.2.c",
    "Rubber Products": IND_M,
    "Plastic Products": IND_M,
    "Nonmetal Mineral Products": "1.A.2.f",
    "Smelting and Pressing of Ferrous Metals": "1.A.2.a",
    "Smelting and Pressing of Nonferrous Metals": IND_M,
    "Metal Products": IND_M,
    "Ordinary Machinery": IND_M,
    "Equipment for Special Purposes": IND_M,
    "Transportation Equipment": IND_M,
    "Electric Equipment and Machinery": IND_M,
    "Electronic and Telecommunications Equipment": IND_M,
    "Instruments, Meters, Cultural and Office Machinery": IND_M,
    "Other Manufacturing Industry": IND_M,
    "Scrap and waste": IND_M,
    "Production and Supply of Electric Power, Steam and Hot Water": "1.A.1.a",
    "Production and Supply of Gas": IND_M,
    "Production and Supply of Tap Water": "1.A.4.a",
    "Construction": "1.A.2.k",
    "Transportation, Storage, Post and Telecommunication Services": "TRANSPORT",
    "Wholesale, Retail Trade and Catering Services": "1.A.4.a",
    "Others": "1.A.4.a",
    "Urban": "1.A.4.b",
    "Rural": "1.A.4.b",
}
TOTAL_SECTORS = {"Total Consumption", "Total Emissions", "TotalEmissions"}

ALLOWED = {
    "1.A.1.a": ["raw_coal", "other_washed_coal", "diesel", "fuel_oil", "other_petroleum"],
    "1.A.2.a": ["raw_coal", "washed_coal", "other_washed_coal", "coke", "coke_oven_gas",
                "other_gas", "diesel", "lpg", "natural_gas"],
    "1.A.2.c": ["raw_coal", "coke", "diesel", "fuel_oil", "lpg", "natural_gas"],
    "1.A.2.e": ["raw_coal", "briquettes", "diesel", "gasoline", "lpg", "natural_gas"],
    "1.A.2.f": ["raw_coal", "other_washed_coal", "briquettes", "coke", "diesel", "fuel_oil",
                "lpg", "natural_gas"],
    "1.A.2.k": ["raw_coal", "briquettes", "diesel", "gasoline", "fuel_oil"],
    "1.A.2.m": ["raw_coal", "briquettes", "coke", "diesel", "gasoline", "fuel_oil", "lpg",
                "natural_gas"],
    "1.A.3.b": ["gasoline", "diesel", "lpg", "natural_gas"],
    "1.A.3.c": ["diesel"],
    "1.A.3.d": ["diesel"],
    "1.A.4.a": ["raw_coal", "briquettes", "diesel", "lpg", "natural_gas"],
    "1.A.4.b": ["raw_coal", "briquettes", "lpg", "natural_gas"],
    "1.A.4.c": ["diesel", "gasoline"],
}
CATEGORIES = list(ALLOWED)  # 1.A.3.a (aviation) is added separately
CITY_ADJUST = {"1.A.2.a": 0.25, "1.A.2.f": 1.4}

# approximate t CO2 per t of fuel (per 10^4 m^3 for gases) — see docstring
EF_T_CO2 = {
    "raw_coal": 1.90, "washed_coal": 2.45, "other_washed_coal": 0.80, "briquettes": 1.60,
    "coke": 2.86, "coke_oven_gas": 7.70, "other_gas": 10.0, "crude_oil": 3.02,
    "gasoline": 2.93, "kerosene": 3.05, "diesel": 3.10, "fuel_oil": 3.17, "lpg": 3.10,
    "refinery_gas": 2.60, "other_petroleum": 3.00, "natural_gas": 21.6,
}
GASES = {"natural_gas", "coke_oven_gas", "other_gas", "refinery_gas"}
SOLIDS = {"raw_coal", "washed_coal", "other_washed_coal", "briquettes", "coke"}
COAL_LIKE = SOLIDS | {"coke_oven_gas", "other_gas"}
OILS = {"crude_oil", "gasoline", "kerosene", "diesel", "fuel_oil", "other_petroleum"}

# fuel-share tilt per year: share ∝ mix × rate ** (year − 2019)
FUEL_TREND_DEFAULT = {"coal": 0.97, "natural_gas": 1.10, "oil": 1.02, "lpg": 1.00}
FUEL_TREND_CAT = {
    "1.A.4.a": {"coal": 0.85, "natural_gas": 1.15, "oil": 1.00, "lpg": 1.02},
    "1.A.4.b": {"coal": 0.85, "natural_gas": 1.15, "oil": 1.00, "lpg": 1.02},
    "1.A.3.b": {"coal": 1.00, "natural_gas": 1.12, "oil": 1.00, "lpg": 0.95},
}

# category CO2 index relative to 2019, for 2020–2023
CAT_INDEX = {
    "1.A.1.a": [0.95, 1.05, 1.03, 1.01],
    "1.A.2": [0.96, 1.02, 1.00, 0.98],
    "1.A.3": [0.88, 0.98, 0.95, 1.04],
    "1.A.4.a": [0.90, 0.99, 0.97, 1.04],
    "1.A.4.b": [1.01, 1.02, 1.03, 1.03],
    "1.A.4.c": [1.00, 1.01, 1.01, 1.02],
}

# 武冈机场 (opened 2017), t kerosene, illustrative
AVIATION_KEROSENE_T = {2017: 360, 2018: 910, 2019: 1230, 2020: 780, 2021: 960, 2022: 690,
                       2023: 1340}
# 原料用能 (non-energy use) in 1.A.2.c, illustrative: (county, item, 2015 value, annual rate)
NON_ENERGY = [("430503", "natural_gas", 185.0, 1.06),   # 10^4 m^3, gas as chemical feedstock
              ("SHAODONG", "raw_coal", 8600.0, 0.93)]   # t, coal-based small fertiliser plant

# county shares per category (order of COUNTIES), each row sums to 1
_S = {
    # 双清   大祥   北塔   新邵   邵阳县 隆回   洞口   绥宁   新宁   城步   武冈   邵东
    "1.A.1.a": [0, .96, 0, 0, 0, 0, 0, 0, 0, 0, 0, .04],
    "1.A.2.a": [.20, .10, .10, .15, 0, .10, 0, 0, 0, 0, 0, .35],
    "1.A.2.c": [.15, .25, .05, .10, .05, .10, .05, 0, 0, 0, .05, .20],
    "1.A.2.e": [.06, .08, .03, .08, .09, .10, .10, .05, .08, .05, .12, .16],
    "1.A.2.f": [.03, .02, .02, .20, .15, .07, .06, .02, .04, .02, .07, .30],
    "1.A.2.k": [.085, .10, .045, .075, .075, .10, .085, .04, .055, .03, .09, .22],
    "1.A.2.m": [.10, .12, .04, .07, .06, .08, .07, .04, .04, .02, .08, .28],
    "1.A.3.a": [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0],
    "1.A.3.b": [.10, .12, .05, .07, .07, .09, .08, .035, .05, .025, .09, .22],
    "1.A.3.c": [.25, 0, .10, .15, 0, .10, .10, 0, 0, 0, .10, .20],
    "1.A.3.d": [.30, .10, .10, .20, .10, .10, 0, 0, .10, 0, 0, 0],
    "1.A.4.a": [.13, .15, .06, .06, .06, .08, .07, .03, .05, .02, .09, .20],
    "1.A.4.b": [.048, .055, .018, .104, .119, .145, .104, .046, .079, .034, .102, .146],
    "1.A.4.c": [.02, .025, .015, .10, .13, .15, .11, .05, .09, .04, .11, .16],
}
COUNTY_SHARES = {k: dict(zip(COUNTIES, v, strict=True)) for k, v in _S.items()}
GDP_SHARES = dict(zip(COUNTIES, _S["1.A.2.k"], strict=True))
# resident population 2020, 万人 (illustrative, sums to 656.35)
POP_2020 = dict(zip(COUNTIES, [31.52, 36.07, 11.99, 68.03, 78.21, 95.12, 68.41, 30.25, 52.06,
                               22.44, 66.95, 95.30], strict=True))
CITY_GDP_YI = {2015: 1387, 2016: 1516, 2017: 1652, 2018: 1791, 2019: 2152, 2020: 2251,
               2021: 2462, 2022: 2611, 2023: 2710}  # 亿元, current prices, illustrative
CITY_POP_INDEX = {2015: 1.024, 2016: 1.020, 2017: 1.015, 2018: 1.010, 2019: 1.005, 2020: 1.0,
                  2021: 0.991, 2022: 0.981, 2023: 0.970}

PARK_SHARES = {  # park -> category -> base share of the county's record
    "430582-P01": {"1.A.2.a": .55, "1.A.2.c": .45, "1.A.2.e": .30, "1.A.2.f": .35,
                   "1.A.2.m": .55},
    "430503-P01": {"1.A.2.a": .50, "1.A.2.c": .60, "1.A.2.e": .40, "1.A.2.f": .30,
                   "1.A.2.m": .50},
}

UNCERTAINTY = {"1.A.1.a": "3", "1.A.2": "5", "1.A.3": "10", "1.A.4": "20"}


# --------------------------------------------------------------------------------------------
# units: (unit, decimals, base units per written unit) — base = t, or 10^4 m^3 for gases
# --------------------------------------------------------------------------------------------
def unit_for(item: str, file_key: str) -> tuple[str, int]:
    """Written unit and number of decimals for an item in a file."""
    if item in GASES:
        return "万立方米", 2
    if file_key == "early":
        return ("万吨", 2) if item in SOLIDS else ("吨", 0)
    if file_key == "late":
        if item in SOLIDS or item == "lpg":
            return "吨", 0
        return "万吨", 4
    return "吨", 0  # parks


def step_in_base(unit: str, dec: int) -> float:
    """Size of one integer step of the written value, in base units (t or 10^4 m^3)."""
    scale = {"万吨": 1e4, "吨": 1.0, "万立方米": 1.0}[unit]
    return scale / 10**dec


def fmt(n: int, dec: int) -> str:
    """Integer count of 10^-dec units → exact decimal string."""
    if dec == 0:
        return str(n)
    sign = "-" if n < 0 else ""
    n = abs(n)
    return f"{sign}{n // 10**dec}.{n % 10**dec:0{dec}d}"


# --------------------------------------------------------------------------------------------
def load_ceads():
    city = pd.read_csv(CEADS_DIR / "hunan_cities_co2_total_1997_2019.csv")
    sy = city[city["city"] == "湖南邵阳"].set_index("year")["co2_mt"]
    prov = pd.read_csv(CEADS_DIR / "hunan_province_co2_by_sector_fuel_2015_2019.csv")
    prov["fuel"] = prov["fuel"].str.replace("_", " ").replace({"CleanedCoal": "Cleaned Coal"})
    return {int(y): float(v) for y, v in sy.items()}, prov


def provincial_structure(prov: pd.DataFrame):
    """Mt CO2 by year → category → item, after mapping, re-routing and filtering."""
    out: dict[int, dict[str, dict[str, list[float]]]] = {}
    hn_comb, hn_process = {}, {}
    for y in range(2015, 2020):
        py = prov[prov["year"] == y]
        tot = py[py["sector"].isin(TOTAL_SECTORS)].set_index("fuel")["co2_mt"]
        hn_process[y] = float(tot["Process"])
        hn_comb[y] = float(tot["Scope 1 Total"]) - float(tot["Process"])
        acc: dict[str, dict[str, list[float]]] = {c: {} for c in CATEGORIES}

        def add(cat, item, v, acc=acc):
            acc[cat].setdefault(item, []).append(v)

        for sector, fuel, v in py[["sector", "fuel", "co2_mt"]].itertuples(index=False):
            if sector in TOTAL_SECTORS or fuel not in FUEL_ITEM or v == 0:
                continue
            item, cat = FUEL_ITEM[fuel], SECTOR_CATEGORY[sector]
            v = float(v)
            if cat is None:
                continue
            if cat == "TRANSPORT":
                if item in ("gasoline", "lpg", "natural_gas"):
                    add("1.A.3.b", item, v)
                elif item == "diesel":
                    add("1.A.3.b", item, 0.945 * v)
                    add("1.A.3.c", item, 0.035 * v)
                    add("1.A.3.d", item, 0.020 * v)
                elif item in SOLIDS:
                    add("1.A.4.a", item, v)
                continue  # transport kerosene/fuel oil: not Shaoyang (aviation set separately)
            if item == "gasoline" and cat in ("1.A.4.a", "1.A.4.b"):
                cat = "1.A.3.b"
            if item == "diesel" and cat == "1.A.4.b":
                cat = "1.A.3.b"
            if item in ALLOWED[cat]:
                add(cat, item, v)
        out[y] = acc
    return out, hn_comb, hn_process


def fuel_group(item: str) -> str:
    if item in COAL_LIKE:
        return "coal"
    if item == "natural_gas":
        return "natural_gas"
    if item == "lpg":
        return "lpg"
    return "oil"


def cat_index_key(cat: str) -> str:
    for k in ("1.A.1.a", "1.A.4.a", "1.A.4.b", "1.A.4.c", "1.A.2", "1.A.3"):
        if cat.startswith(k):
            return k
    raise KeyError(cat)


def city_co2(sy: dict, struct, hn_comb, hn_process):
    """City combustion CO2, Mt, by year → category → item; and T(y)."""
    total = {}
    for y in (2015, 2016, 2017):
        share = hn_process[y] / (hn_comb[y] + hn_process[y])
        total[y] = sy[y] * (1 - share)
    for y in (2018, 2019):
        total[y] = total[2017] * hn_comb[y] / hn_comb[2017]

    # pooled 2015–2019 fuel mix per category
    mix = {}
    for cat in CATEGORIES:
        pooled = {it: math.fsum(math.fsum(struct[y][cat].get(it, [])) for y in struct)
                  for it in ALLOWED[cat]}
        s = math.fsum(pooled.values())
        mix[cat] = {it: v / s for it, v in pooled.items() if v > 0}

    cat_co2 = {}
    for y in range(2015, 2020):
        raw = {c: math.fsum(math.fsum(v) for v in struct[y][c].values()) * CITY_ADJUST.get(c, 1.0)
               for c in CATEGORIES}
        s = math.fsum(raw.values())
        cat_co2[y] = {c: total[y] * raw[c] / s for c in CATEGORIES}
    for i, y in enumerate(range(2020, 2024)):
        cat_co2[y] = {c: cat_co2[2019][c] * CAT_INDEX[cat_index_key(c)][i] for c in CATEGORIES}
        total[y] = math.fsum(cat_co2[y].values())

    co2 = {}
    for y in YEARS:
        co2[y] = {}
        for cat in CATEGORIES:
            rates = FUEL_TREND_CAT.get(cat, FUEL_TREND_DEFAULT)
            w = {it: m * rates[fuel_group(it)] ** (y - 2019) for it, m in mix[cat].items()}
            s = math.fsum(w.values())
            co2[y][cat] = {it: cat_co2[y][cat] * v / s for it, v in w.items()}
    return co2, total


def split_counties(rng, cat: str, city_base: float, weights: dict[str, float]):
    """City quantity (base units) → county floats, with lognormal noise, renormalised."""
    keys = [c for c in COUNTIES if weights.get(c, 0) > 0]
    noise = rng.normal(0.0, 0.05, size=len(keys))
    w = {c: weights[c] * math.exp(float(e)) for c, e in zip(keys, noise, strict=True)}
    s = math.fsum(w.values())
    return {c: city_base * v / s for c, v in w.items()}


def uncertainty_for(cat: str, quantity: str) -> str:
    if quantity == "non_energy_use":
        return "10"
    for k, v in UNCERTAINTY.items():
        if cat.startswith(k):
            return v
    return ""


def build():
    sy, prov = load_ceads()
    struct, hn_comb, hn_process = provincial_structure(prov)
    co2, total = city_co2(sy, struct, hn_comb, hn_process)
    rng = np.random.default_rng(SEED)

    # county values in base units (t, or 10^4 m^3), floats: (year, cat, item, quantity) -> {c: v}
    county_base: dict[tuple, dict[str, float]] = {}
    for y in YEARS:
        for cat in CATEGORIES:
            for item in sorted(co2[y][cat]):
                qty = co2[y][cat][item] * 1e6 / EF_T_CO2[item]  # Mt CO2 → t or 10^4 m^3
                county_base[(y, cat, item, "consumption")] = split_counties(
                    rng, cat, qty, COUNTY_SHARES[cat])
        if y in AVIATION_KEROSENE_T:
            county_base[(y, "1.A.3.a", "kerosene", "consumption")] = {
                "430581": float(AVIATION_KEROSENE_T[y])}
        for c, item, v0, rate in NON_ENERGY:
            noise = math.exp(float(rng.normal(0.0, 0.04)))
            covid = 0.93 if y == 2020 else 1.0
            county_base[(y, "1.A.2.c", item, "non_energy_use")] = {
                c: v0 * rate ** (y - 2015) * noise * covid}

    rows: dict[str, list[list[str]]] = {"early": [], "late": [], "parks": []}
    county_int: dict[tuple, dict[str, tuple[int, str, int]]] = {}
    for key in sorted(county_base, key=lambda k: (k[0], k[1], k[3], k[2])):
        y, cat, item, qty = key
        fk = "early" if y <= 2018 else "late"
        unit, dec = unit_for(item, fk)
        step = step_in_base(unit, dec)
        vals = {}
        for c in COUNTIES:
            if c in county_base[key]:
                n = int(round(county_base[key][c] / step))
                if n > 0:
                    vals[c] = n
        county_int[key] = {c: (n, unit, dec) for c, n in vals.items()}
        if not vals:
            continue
        unc = uncertainty_for(cat, qty)
        note_city = "原料用能，不燃烧 (feedstock, not combusted)" if qty == "non_energy_use" else ""
        city_n = sum(vals.values())  # exact integer sum → exact decimal
        if (CITY, *key) == DELIBERATE_MISMATCH:
            city_n = city_n * MISMATCH_PERCENT // 100  # integer arithmetic: still exact in the written unit
            note_city = MISMATCH_NOTE
        rows[fk].append(_row(CITY, y, cat, item, qty, fmt(city_n, dec), unit, "", unc, note_city))
        for c, n in vals.items():
            rows[fk].append(_row(county_code(c, y), y, cat, item, qty, fmt(n, dec), unit, "", unc,
                                 _note(c, y, cat, qty)))
    # notation keys: no crude oil burned in power plants
    for y in YEARS:
        fk = "early" if y <= 2018 else "late"
        regs = [CITY] + [county_code(c, y) for c in COUNTIES if COUNTY_SHARES["1.A.1.a"][c] > 0]
        for r in regs:
            rows[fk].append(_row(r, y, "1.A.1.a", "crude_oil", "consumption", "", "", "NO", "",
                                 "电厂不燃用原油 (no crude oil burned)"))

    # parks: share of the county's 1.A.2.* records, floored in the park file's unit
    for park, county in PARKS.items():
        for key in sorted(county_int, key=lambda k: (k[0], k[1], k[3], k[2])):
            y, cat, item, qty = key
            if cat not in PARK_SHARES[park] or county not in county_int[key]:
                continue
            n, unit, dec = county_int[key][county]
            county_val_base = n * step_in_base(unit, dec)  # exact: integer × power of ten
            frac = min(0.9, PARK_SHARES[park][cat] * (1 + 0.02 * (y - 2015))
                       * (1 + float(rng.uniform(-0.05, 0.05))))
            punit, pdec = unit_for(item, "parks")
            pstep = step_in_base(punit, pdec)
            # integer floor, never above the county value
            county_steps = int(round(county_val_base / pstep))
            pn = min(math.floor(county_steps * frac), county_steps)
            if pn <= 0:
                continue
            note = "园区企业合计 (park enterprises, included in county)"
            rows["parks"].append(_row(park, y, cat, item, qty, fmt(pn, pdec), punit, "",
                                      uncertainty_for(cat, qty), note))

    soc = socioeconomic_rows(rng)
    return rows, soc, total


def _note(c: str, y: int, cat: str, qty: str) -> str:
    notes = []
    if qty == "non_energy_use":
        notes.append("原料用能，不燃烧 (feedstock, not combusted)")
    if c == "430503" and cat == "1.A.1.a":
        notes.append("含宝庆电厂（示例）")
    if c == "430581" and cat == "1.A.3.a":
        notes.append("武冈机场，2017年通航（示例）")
    return "; ".join(notes)


def _row(region, year, cat, item, qty, value, unit, notation, unc, note):
    return [region, str(year), cat, item, qty, value, unit, notation, unc, SOURCE, note]


def socioeconomic_rows(rng) -> list[list[str]]:
    rows = []
    pop_total_2020 = math.fsum(POP_2020.values())
    for y in YEARS:
        # GDP, 万元 integers
        w = {c: GDP_SHARES[c] * math.exp(float(e))
             for c, e in zip(COUNTIES, rng.normal(0.0, 0.03, size=len(COUNTIES)), strict=True)}
        s = math.fsum(w.values())
        gdp = {c: int(round(CITY_GDP_YI[y] * 1e4 * v / s)) for c, v in w.items()}
        rows.append(_row(CITY, y, "SOC", "gdp", "value", str(sum(gdp.values())), "万元", "", "5",
                         "price_base=current"))
        for c in COUNTIES:
            rows.append(_row(county_code(c, y), y, "SOC", "gdp", "value", str(gdp[c]), "万元", "",
                             "5", "price_base=current"))
        # population, 万人 with 2 decimals; urban districts shrink less
        pop = {}
        for c, e in zip(COUNTIES, rng.normal(0.0, 0.002, size=len(COUNTIES)), strict=True):
            urban = c in ("430502", "430503", "430511")
            idx = CITY_POP_INDEX[y] if not urban else 1 + (CITY_POP_INDEX[y] - 1) * -0.5
            pop[c] = int(round(POP_2020[c] * idx * math.exp(float(e)) * 100))
        if y == 2020:  # census year: match the census-like total exactly
            diff = int(round(pop_total_2020 * 100)) - sum(pop.values())
            pop["SHAODONG"] += diff
        rows.append(_row(CITY, y, "SOC", "population", "resident", fmt(sum(pop.values()), 2),
                         "万人", "", "2", ""))
        for c in COUNTIES:
            rows.append(_row(county_code(c, y), y, "SOC", "population", "resident",
                             fmt(pop[c], 2), "万人", "", "2", _soc_note(c, y)))
    return rows


def _soc_note(c: str, y: int) -> str:
    return "邵东县，2019年撤县设市为邵东市（430582）" if c == "SHAODONG" and y <= 2018 else ""


def _region_order(code: str) -> tuple:
    base = code.split("-")[0]
    if base == CITY:
        return (0, code)
    return (1, "430582" if base == "430521" else base, code)


def write(path: Path, rows: list[list[str]]):
    rows = sorted(rows, key=lambda r: (int(r[1]), _region_order(r[0]), r[2], r[4], r[3]))
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(COLUMNS)
        w.writerows(rows)


def main() -> None:
    rows, soc, _ = build()
    write(OUT_DIR / "energy_consumption_2015-2018.csv", rows["early"])
    write(OUT_DIR / "energy_consumption_2019-2023.csv", rows["late"])
    write(OUT_DIR / "industrial_parks_energy.csv", rows["parks"])
    write(OUT_DIR / "socioeconomic.csv", soc)
    for name in sorted(p.name for p in OUT_DIR.glob("*.csv")):
        n = sum(1 for _ in open(OUT_DIR / name, encoding="utf-8")) - 1
        print(f"{name}: {n} rows")


if __name__ == "__main__":
    main()
