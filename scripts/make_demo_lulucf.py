#!/usr/bin/env python
"""Generate the ILLUSTRATIVE LULUCF demo data for Shaoyang (邵阳市) and its 12 counties, 2015–2023.

示例数据，非官方统计 — illustrative data, NOT official forest statistics of Shaoyang or any county.

Writes ``data_raw/activity/lulucf.csv`` (forest resources by county, year, stratum) and
``data_raw/factors/lulucf_demo.csv`` (the factor rows the shipped defaults lack — broadleaf and mixed
stands, bamboo and economic forest per hectare, young-stand growth, burning — as demo rows of
confidence ``memory``, so every report flags them). Deterministic: no random numbers, integer
values, a fixed order; two runs give byte-identical files.

Orders of magnitude (data_raw/README.md says the same):

* land area of each county (km², rounded; the 12 add up to about Shaoyang's 20,800 km²) × a forest
  cover of 20–35 % (urban districts) to 76 % (绥宁), about 60 % for the city — of the order of the
  forest cover the city and counties publish; 75 % of the forest land is arbor forest;
* growing stock 70 m³/ha in the western counties (绥宁, 城步, 洞口, 武冈, 新宁), 45 m³/ha elsewhere,
  35 m³/ha in the districts — of the order of Hunan's average stock per hectare;
* gross annual volume growth 6 % of the stock; consumption (harvest, fuelwood, disturbance) 55 % of
  the growth in the western counties, 45 % elsewhere; 洞口 clears Masson pine for pine wilt disease
  in 2016–2017 (loss above growth: a net emission of that stratum);
* species shares: western counties Chinese fir 55 %, Masson pine 20 %, broadleaf 20 %, mixed 5 %;
  elsewhere 30 / 40 / 25 / 5 %;
* bamboo (毛竹) 200–25,000 ha and economic forest (油茶, 脐橙, 蜜橘) 300–35,000 ha per county, growing
  1 % and 1.5 % a year; young plantations not yet in the stock inventory (5 years of afforestation,
  0.5 % of the forest area a year); forest converted to built-up land 20–150 ha a year at the
  county's stock per hectare, a tenth of it burnt on site;
* scattered and four-side trees of the districts and 邵东 filed as a number of trees only (NE);
* land other than forest (issue 13): cropland and grassland converted to built-up land around the
  three districts (40–80 ha and 4–8 ha a year), orchards and tea gardens on cropland (园地) in
  邵阳县 and 新宁 (area growing 1 % a year, 1/30 of orchards and 1/40 of tea cleared and replanted
  each year), urban trees of the districts by crown cover (600–1,100 ha, growing 2 % a year).

The city (430500) is the sum of its counties, except one deliberate mismatch to exercise the
city–county check: the city's 2020 Chinese-fir volume growth is 2 % above the sum of its counties.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ACTIVITY = ROOT / "data_raw" / "activity" / "lulucf.csv"
FACTORS = ROOT / "data_raw" / "factors" / "lulucf_demo.csv"
YEARS = range(2015, 2024)
CITY = "430500"
SOURCE = "示例数据，非官方统计 (illustrative, not official statistics); 森林资源年度更新 (demo)"
WEST = {"430525", "430527", "430528", "430529", "430581"}

#: county → (name, land area km², forest cover, bamboo ha, economic forest ha, converted ha/yr, four-side trees)
COUNTIES = {
    "430502": ("双清区", 138, 0.22, 200, 300, 20, 350_000),
    "430503": ("大祥区", 214, 0.30, 300, 500, 25, 420_000),
    "430511": ("北塔区", 84, 0.28, 200, 300, 20, 260_000),
    "430522": ("新邵县", 1763, 0.55, 4000, 10_000, 60, 0),
    "430523": ("邵阳县", 1996, 0.50, 5000, 35_000, 70, 0),
    "430524": ("隆回县", 2866, 0.58, 8000, 15_000, 80, 0),
    "430525": ("洞口县", 2184, 0.65, 15_000, 14_000, 90, 0),
    "430527": ("绥宁县", 2927, 0.76, 25_000, 8000, 120, 0),
    "430528": ("新宁县", 2812, 0.66, 10_000, 18_000, 100, 0),
    "430529": ("城步苗族自治县", 2650, 0.73, 12_000, 5000, 90, 0),
    "430581": ("武冈市", 1549, 0.50, 6000, 12_000, 70, 0),
    "430582": ("邵东市", 1768, 0.40, 3000, 12_000, 150, 1_200_000),
}
SHAODONG_BEFORE_2019 = "430521"  # 撤县设市 2019: records of 2015–2018 use the old code
#: county → (cropland, grassland) converted to settlements [ha/yr]
TO_SETTLEMENTS = {"430502": (60, 5), "430503": (80, 8), "430511": (40, 4)}
#: county → (orchard, tea garden) area [ha] in 2015
PERENNIAL = {"430523": (3000, 800), "430528": (2000, 0)}
#: county → urban tree crown cover [ha] in 2015
CROWN_COVER = {"430502": 900, "430503": 1100, "430511": 600}
SPECIES_WEST = {"chinese_fir": 0.55, "masson_pine": 0.20, "broadleaf": 0.20, "mixed": 0.05}
SPECIES_EAST = {"chinese_fir": 0.30, "masson_pine": 0.40, "broadleaf": 0.25, "mixed": 0.05}
AFFORESTATION_SHARES = {"chinese_fir": 0.6, "masson_pine": 0.1, "broadleaf": 0.3}
COLUMNS = ["region", "year", "category", "item", "quantity", "value", "unit", "notation", "uncertainty", "source",
           "note"]


def code(county: str, year: int) -> str:
    return SHAODONG_BEFORE_2019 if county == "430582" and year < 2019 else county


def county_rows(county: str) -> list[dict]:
    _, land_km2, cover, bamboo, economic, converted, trees = COUNTIES[county]
    west = county in WEST
    forest_ha = land_km2 * 100 * cover
    arbor_ha = forest_ha * 0.75
    per_ha = 70 if west else (35 if county in {"430502", "430503", "430511"} else 45)
    species = SPECIES_WEST if west else SPECIES_EAST
    harvest_share = 0.55 if west else 0.45
    rows = []
    for year in YEARS:
        t = year - 2015
        region = code(county, year)

        def add(category, item, quantity, value, unit, note="", region=region, year=year):
            rows.append({"region": region, "year": year, "category": category, "item": item, "quantity": quantity,
                         "value": int(round(value)), "unit": unit, "notation": "", "uncertainty": 10,
                         "source": SOURCE, "note": note})

        for name, share in species.items():
            area = arbor_ha * share * (1 + 0.003 * t)
            stock = area * per_ha * (1 + 0.02 * t)
            growth = stock * 0.06
            loss = growth * harvest_share
            note = ""
            if county == "430525" and name == "masson_pine" and year in (2016, 2017):
                loss = growth * 1.6
                note = "松材线虫病疫木清理 (pine wilt clearing): loss above growth"
            item = f"arbor_forest.{name}"
            add("3.B.1.a", item, "area", area, "公顷")
            add("3.B.1.a", item, "volume_growth", growth, "立方米", note)
            add("3.B.1.a", item, "volume_loss", loss, "立方米", note)
        add("3.B.1.a", "bamboo", "area", bamboo * (1.01 ** t), "公顷")
        add("3.B.1.a", "economic_forest", "area", economic * (1.015 ** t), "公顷")
        if trees:
            add("3.B.1.a", "scattered_trees", "count", trees * (1 + 0.01 * t), "株", "四旁树株数 (number only)")
        young = forest_ha * 0.005 * 5
        for name, share in AFFORESTATION_SHARES.items():
            add("3.B.1.b.i", f"arbor_forest.{name}", "area", young * share, "公顷",
                "近 5 年新造林（未计入蓄积）/ afforestation of the last 5 years, not yet in the growing stock")
        cleared = converted * (1 + 0.05 * ((t * 7) % 5)) * per_ha
        for name in ("chinese_fir", "masson_pine"):
            share = species[name] / (species["chinese_fir"] + species["masson_pine"])
            add("3.B.5.b.i", f"arbor_forest.{name}", "volume_loss", cleared * share, "立方米",
                "征占用林地 (forest land converted to built-up land)")
            add("3.B.5.b.i", f"arbor_forest.{name}", "volume_burned", cleared * share * 0.1, "立方米",
                "清理剩余物现地燃烧 (residues burnt on site)")
        if county in TO_SETTLEMENTS:
            wave = 1 + 0.1 * ((t * 3) % 4)
            for category, item, hectares in zip(("3.B.5.b.ii", "3.B.5.b.iii"), ("cropland", "grassland"),
                                                TO_SETTLEMENTS[county]):
                add(category, item, "area_converted", hectares * wave, "公顷",
                    "城区扩展占用 (taken by the growing town; 年度国土变更调查)")
        for item, hectares, cycle in zip(("orchard", "tea_garden"), PERENNIAL.get(county, (0, 0)), (30, 40)):
            if hectares:
                area = hectares * (1.01 ** t)
                add("3.B.2.a", item, "area", area, "公顷", "园地，未计入经济林 (not counted as economic forest)")
                add("3.B.2.a", item, "area_removed", area / cycle, "公顷", "当年清除更新 (cleared and replanted)")
        if county in CROWN_COVER:
            add("3.B.5.a", "urban_trees", "crown_cover_area", CROWN_COVER[county] * (1 + 0.02 * t), "公顷",
                "城区树冠覆盖 (urban crown cover)")
    return rows


def city_rows(counties: list[dict]) -> list[dict]:
    sums: dict[tuple, int] = {}
    first: dict[tuple, dict] = {}
    for r in counties:
        key = (r["year"], r["category"], r["item"], r["quantity"])
        sums[key] = sums.get(key, 0) + r["value"]
        first.setdefault(key, r)
    rows = []
    for key, value in sums.items():
        year, category, item, quantity = key
        note = "各区县之和 (sum of the counties)"
        if (year, item, quantity) == (2020, "arbor_forest.chinese_fir", "volume_growth"):
            value = int(round(value * 1.02))
            note = "故意不一致：比各区县之和多 2% (deliberate mismatch: 2 % above the sum of the counties)"
        rows.append({**first[key], "region": CITY, "value": value, "note": note})
    return rows


DEMO_FACTORS = [
    # parameter, category, item, gas, value, unit, note
    ("BEF", "3.B", "arbor_forest.broadleaf", "", 1.514, "1", "阔叶混 broadleaf mix; recalled"),
    ("D", "3.B", "arbor_forest.broadleaf", "", 0.482, "t/m^3", "阔叶混; recalled"),
    ("R", "3.B", "arbor_forest.broadleaf", "", 0.262, "1", "阔叶混; recalled"),
    ("BEF", "3.B", "arbor_forest.mixed", "", 1.656, "1", "针阔混交林; recalled"),
    ("D", "3.B", "arbor_forest.mixed", "", 0.486, "t/m^3", "针阔混交林; recalled"),
    ("R", "3.B", "arbor_forest.mixed", "", 0.248, "1", "针阔混交林; recalled"),
    ("B_W", "3.B.1.a", "bamboo", "", 55, "t/ha", "毛竹林 above-ground biomass; demo order of magnitude"),
    ("R", "3.B.1.a", "bamboo", "", 0.27, "1", "毛竹林; demo order of magnitude"),
    ("B_W", "3.B.1.a", "economic_forest", "", 25, "t/ha", "油茶、柑橘 above-ground biomass; demo order of magnitude"),
    ("R", "3.B.1.a", "economic_forest", "", 0.3, "1", "demo order of magnitude"),
    ("G_W", "3.B.1", "arbor_forest.chinese_fir", "", 6, "t/ha/yr", "young plantation growth; demo order of magnitude"),
    ("G_W", "3.B.1", "arbor_forest.masson_pine", "", 5, "t/ha/yr", "young plantation growth; demo order of magnitude"),
    ("G_W", "3.B.1", "arbor_forest.broadleaf", "", 4, "t/ha/yr", "young plantation growth; demo order of magnitude"),
    ("C_f", "3.B", "*", "", 0.45, "1", "IPCC 2006 Vol.4 Table 2.6 land-clearing fire; recalled, not checked"),
    ("G_ef", "3.B", "*", "CH4", 4.7, "g/kg", "IPCC 2006 Vol.4 Table 2.5 extra-tropical forest; recalled, not checked"),
    ("G_ef", "3.B", "*", "N2O", 0.26, "g/kg", "IPCC 2006 Vol.4 Table 2.5 extra-tropical forest; recalled, not checked"),
    ("B_before", "3.B", "cropland", "", 10.6, "t/ha",
     "annual cropland: IPCC 2006 Vol.4 Table 5.9 about 5 t C/ha (÷ 0.47); recalled, not checked"),
    ("B_before", "3.B", "grassland", "", 13.5, "t/ha",
     "IPCC 2006 Vol.4 Table 6.4 warm temperate wet, above + below ground; recalled, not checked"),
    ("B_before", "3.B", "orchard", "", 60, "t/ha", "果园 mid-cycle stock; demo order of magnitude"),
    ("B_before", "3.B", "tea_garden", "", 30, "t/ha", "茶园; demo order of magnitude"),
    ("B_after", "3.B.5.b", "*", "", 0, "t/ha",
     "IPCC 2006 Vol.4 Ch.8 Tier 1: no biomass left on land converted to settlements; recalled, not checked"),
    ("G_C", "3.B.2.a", "*", "", 2.1, "t/ha/yr",
     "IPCC 2006 Vol.4 Table 5.1 temperate perennial woody crops, t C/ha/yr; recalled, not checked"),
    ("L_C", "3.B.2.a", "*", "", 63, "t/ha",
     "IPCC 2006 Vol.4 Table 5.1 temperate, carbon stock at harvest t C/ha; recalled, not checked"),
    ("CRW", "3.B.5.a", "urban_trees", "", 2.9, "t/ha/yr",
     "IPCC 2006 Vol.4 Ch.8 crown-cover rate, t C/(ha crown cover·yr); recalled, not checked"),
]
FACTOR_COLUMNS = ["parameter", "category", "item", "gas", "value", "unit", "region", "year_from", "year_to", "source",
                  "uncertainty", "confidence", "note"]


def render(rows: list[dict], columns: list[str]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def check(city: list[dict], counties: list[dict]) -> None:
    """The city equals the sum of its counties for every key but the one deliberate mismatch."""
    sums: dict[tuple, int] = {}
    for r in counties:
        key = (r["year"], r["category"], r["item"], r["quantity"])
        sums[key] = sums.get(key, 0) + r["value"]
    differing = [(r["year"], r["item"], r["quantity"]) for r in city
                 if sums[(r["year"], r["category"], r["item"], r["quantity"])] != r["value"]]
    assert differing == [(2020, "arbor_forest.chinese_fir", "volume_growth")], differing


def activity_rows() -> list[dict]:
    """Every record of the demo, the city first, checked (:func:`check`)."""
    counties = [r for county in COUNTIES for r in county_rows(county)]
    city = city_rows(counties)
    check(city, counties)
    return sorted(city + counties, key=lambda r: (r["region"] != CITY, r["region"], r["year"]))


def main() -> None:
    rows = activity_rows()
    ACTIVITY.write_text(render(rows, COLUMNS), encoding="utf-8")
    factors = [dict(zip(["parameter", "category", "item", "gas", "value", "unit", "note"], f), region=CITY,
                    year_from="", year_to="", uncertainty=30, confidence="memory",
                    source="示例数据，非官方 (demo value; replace with the forestry bureau's own or the guideline's)")
               for f in DEMO_FACTORS]
    FACTORS.write_text(render(factors, FACTOR_COLUMNS), encoding="utf-8")
    print(f"wrote {ACTIVITY} ({len(rows)} rows), {FACTORS} ({len(factors)} rows)")


if __name__ == "__main__":
    main()
