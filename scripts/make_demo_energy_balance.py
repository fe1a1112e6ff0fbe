#!/usr/bin/env python
"""Generate the ILLUSTRATIVE energy-balance, coal-mining, constant-price GDP and quarterly demo data.

示例数据，非官方统计 — illustrative data, NOT official statistics of Shaoyang or of any county.

Reads the demo's energy-consumption records (written by ``make_demo_data.py``) and writes, into
``data_raw/activity/``, records consistent with them:

* ``energy_balance_2015-2023.csv`` — ``EB`` records (CONTRACTS §3; rows of the energy balance table)
  for the city and its 12 counties: primary production, inflow, outflow, stock change; the inputs
  and outputs of thermal power (宝庆电厂, illustrative, in 大祥区 430503) and of a heat plant in 邵东;
  losses; final consumption by sector; non-energy use. Fuel flows follow the sector records:
  transformation input = 1.A.1.a consumption, final consumption = the other 1.A records mapped to
  the balance sectors (1.A.2 → industry, except 1.A.2.k → construction; 1.A.3 → transport; 1.A.4.a
  → 55 % commerce, 45 % other services; 1.A.4.b → 60 % urban, 40 % rural households; 1.A.4.c →
  agriculture) plus feedstock, losses a small share; inflow closes the balance up to a small
  deterministic statistical difference (σ = 0.8 %; 洞口县 2021 diesel off by +9 %, to show the
  closure flag). Electricity: a city demand of 86 亿 kWh (2015) to 128 亿 kWh (2023) split by
  sector and county, 6 % losses, thermal output at 38 % efficiency, primary (hydro, solar)
  production in the mountain counties growing after 2020; each county's net inflow is inflow or
  outflow — Shaoyang brings in about 40 % of its power, 绥宁 and 城步 send hydropower out.
* ``coal_mining.csv`` — raw coal produced in underground mines (1.B.1.a.i) of 邵东, 新邵 and 邵阳县,
  declining as small mines close (邵阳县: NO from 2019); the balance's coal production is the same.
* ``socioeconomic_constant_prices.csv`` — GDP at constant 2020 prices (``gdp_constant``), the demo's
  current-price GDP deflated by an illustrative index.
* ``energy_consumption_2023_quarterly.csv`` — the city's 2023 fuel consumption by quarter
  (``period`` 2023Q1–Q4), summing exactly to the annual records (quarterly accounting, 季度核算).

City values are exact sums of the county values (inflow and outflow as the city's net trade);
deterministic (fixed seed, integer arithmetic for every written value).

    python scripts/make_demo_energy_balance.py
    python scripts/check_demo_data.py
"""

from __future__ import annotations

import csv
import math
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import make_demo_data as demo  # noqa: E402

from inventory.core.activity import read_activity_files  # noqa: E402

SEED = 20230601
OUT = demo.OUT_DIR
SOURCE = demo.SOURCE
# written units and their decimals: every value is an integer number of these steps
UNIT = {"solid": ("吨", 0), "liquid": ("吨", 0), "gas": ("万立方米", 2), "electricity": ("万千瓦时", 1),
        "heat": ("百万千焦", 0)}
GAS_ITEMS = {"natural_gas", "coke_oven_gas", "other_gas", "refinery_gas"}
LIQUIDS = {"crude_oil", "gasoline", "kerosene", "diesel", "fuel_oil", "lpg", "other_petroleum"}
#: approximate NCV [GJ per t, or per 10^4 m^3] for thermal output (GB/T 2589 averages)
NCV = {"raw_coal": 20.908, "washed_coal": 26.344, "other_washed_coal": 8.363, "briquettes": 17.5, "coke": 28.435,
       "coke_oven_gas": 173.54, "other_gas": 52.27, "crude_oil": 41.816, "gasoline": 43.07, "kerosene": 43.07,
       "diesel": 42.652, "fuel_oil": 41.816, "lpg": 50.179, "refinery_gas": 46.055, "natural_gas": 389.31,
       "other_petroleum": 41.816}
LOSS = {"solid": 0.005, "liquid": 0.002, "gas": 0.010}
HEAT_PLANT = "SHAODONG"  # 邵东's 1.A.1.a is a heat plant, 430503's the power plant
CITY_DEMAND_YI_KWH = {2015: 86, 2016: 90, 2017: 95, 2018: 101, 2019: 106, 2020: 108, 2021: 118, 2022: 122, 2023: 128}
ELECTRICITY_SECTORS = {"EB.F.industry": 0.50, "EB.F.construction": 0.02, "EB.F.transport": 0.03,
                       "EB.F.commerce": 0.08, "EB.F.other": 0.08, "EB.F.residential.urban": 0.17,
                       "EB.F.residential.rural": 0.10, "EB.F.agriculture": 0.02}
#: primary electricity (hydro, small solar) of 2015 [10^4 kWh]
PRIMARY_2015 = {"430529": 42000, "430527": 55000, "430528": 30000, "430525": 28000, "430524": 18000, "430581": 8000,
                "430522": 15000, "430523": 12000, "SHAODONG": 6000, "430502": 2000, "430503": 2000, "430511": 2000}
#: raw coal from underground mines [t]; None: closed (NO)
MINES = {
    "SHAODONG": [520000, 430000, 350000, 280000, 220000, 150000, 120000, 100000, 90000],
    "430522": [300000, 240000, 180000, 140000, 100000, 60000, 50000, 40000, 35000],
    "430523": [150000, 110000, 70000, 40000, None, None, None, None, None],
}
DEFLATOR_2020 = {2015: 0.88, 2016: 0.90, 2017: 0.93, 2018: 0.96, 2019: 0.98, 2020: 1.00, 2021: 1.03, 2022: 1.05,
                 2023: 1.055}
QUARTERS = {"default": (0.24, 0.24, 0.25, 0.27), "heating": (0.31, 0.19, 0.21, 0.29)}
CLOSURE_CASE = ("430525", 2021, "diesel", 1.09)


def kind(item: str) -> str:
    if item in GAS_ITEMS:
        return "gas"
    if item in LIQUIDS:
        return "liquid"
    return item if item in ("electricity", "heat") else "solid"


def steps(value_canonical: float, item: str) -> int:
    """A canonical value (t, m^3, MWh, GJ) in integer steps of its written unit."""
    k = kind(item)
    per = {"solid": 1.0, "liquid": 1.0, "gas": 1e4, "electricity": 10.0, "heat": 1.0}[k]  # canonical per unit
    return int(round(value_canonical / per * 10 ** UNIT[k][1]))


def text(n: int, item: str) -> str:
    return demo.fmt(n, UNIT[kind(item)][1])


def sector_of(category: str) -> list[tuple[str, float]]:
    if category.startswith("1.A.2.k"):
        return [("EB.F.construction", 1.0)]
    if category.startswith("1.A.2"):
        return [("EB.F.industry", 1.0)]
    if category.startswith("1.A.3"):
        return [("EB.F.transport", 1.0)]
    if category.startswith("1.A.4.a"):
        return [("EB.F.commerce", 0.55), ("EB.F.other", 0.45)]
    if category.startswith("1.A.4.b"):
        return [("EB.F.residential.urban", 0.60), ("EB.F.residential.rural", 0.40)]
    if category.startswith("1.A.4.c"):
        return [("EB.F.agriculture", 1.0)]
    return [("EB.F.other", 1.0)]


def split(total: int, shares: list[float]) -> list[int]:
    """Integer parts of ``total`` by ``shares``, the last taking the rounding."""
    parts = [int(round(total * s)) for s in shares[:-1]]
    return parts + [total - sum(parts)]


def read_records():
    files = sorted(p for p in OUT.glob("energy_consumption_*.csv") if "quarterly" not in p.name)
    files += [OUT / "socioeconomic.csv"]
    return read_activity_files(files, root=ROOT / "data_raw").records


def placeholder(code: str) -> str:
    return "SHAODONG" if code in ("430582", "430521") else code


def build():
    rng = np.random.default_rng(SEED)
    records = read_records()
    counties = [placeholder(c) for c in demo.COUNTIES]
    eb: dict[tuple, int] = {}  # (region placeholder, year, category, item, quantity) -> steps
    mining_rows, quarterly_rows, constant_rows = [], [], []
    for index, year in enumerate(demo.YEARS):
        energy = records[(records["year"] == year) & records["category"].str.startswith("1.A")
                         & records["value"].notna()]
        for county in counties:
            code = "430582" if county == "SHAODONG" else county
            mine = energy[energy["region"] == code]
            flows: dict[tuple[str, str, str], int] = defaultdict(int)  # (category, item, quantity) -> steps
            for row in mine.itertuples(index=False):
                amount = steps(row.value, row.item)
                if row.quantity == "non_energy_use":
                    flows[("EB.F.industry", row.item, "final_consumption")] += amount
                    flows[("EB", row.item, "non_energy_use")] += amount
                elif row.category.startswith("1.A.1"):
                    process = "EB.T.heat" if county == HEAT_PLANT else "EB.T.power"
                    flows[(process, row.item, "transformation_input")] += amount
                else:
                    for sector, part in zip([s for s, _ in sector_of(row.category)],
                                            split(amount, [w for _, w in sector_of(row.category)])):
                        flows[(sector, row.item, "final_consumption")] += part
            # electricity and heat out of the plants
            power_in = sum(flows[(c, i, q)] / 10 ** UNIT[kind(i)][1] * NCV[i] for (c, i, q) in list(flows)
                           if c == "EB.T.power" and q == "transformation_input")
            heat_in = sum(flows[(c, i, q)] / 10 ** UNIT[kind(i)][1] * NCV[i] for (c, i, q) in list(flows)
                          if c == "EB.T.heat" and q == "transformation_input")
            if power_in:
                flows[("EB.T.power", "electricity", "transformation_output")] = steps(power_in * 0.38 / 3.6,
                                                                                    "electricity")
            if heat_in:
                output = int(round(heat_in * 0.85))
                flows[("EB.T.heat", "heat", "transformation_output")] = output
                final = int(round(output * 0.95))
                industry, urban = split(final, [0.85, 0.15])
                flows[("EB.F.industry", "heat", "final_consumption")] = industry
                flows[("EB.F.residential.urban", "heat", "final_consumption")] = urban
                flows[("EB", "heat", "loss")] = output - final
            # electricity demand of the county
            share = demo.GDP_SHARES[county] / math.fsum(demo.GDP_SHARES.values())
            demand = CITY_DEMAND_YI_KWH[year] * 1e8 / 1e3 * share * math.exp(float(rng.normal(0.0, 0.02)))  # MWh
            total = steps(demand, "electricity")
            for sector, part in zip(ELECTRICITY_SECTORS, split(total, list(ELECTRICITY_SECTORS.values()))):
                flows[(sector, "electricity", "final_consumption")] += part
            loss = int(round(total * 0.06))
            flows[("EB", "electricity", "loss")] = loss
            growth = 1.03 ** min(index, 5) * 1.12 ** max(0, year - 2020)
            hydrology = math.exp(float(rng.normal(0.0, 0.08)))
            primary = int(round(PRIMARY_2015[county] * 10 * growth * hydrology))  # tenths of 10^4 kWh
            flows[("EB", "electricity", "production")] = primary
            net = total + loss - primary - flows.get(("EB.T.power", "electricity", "transformation_output"), 0)
            flows[("EB", "electricity", "inflow" if net >= 0 else "outflow")] = abs(net)
            # fuels: losses, production, stock change, trade
            fuels = sorted({i for (_, i, _) in flows if i not in ("electricity", "heat")})
            production = MINES.get(county, [None] * len(demo.YEARS))[index]
            for item in fuels:
                use = sum(v for (c, i, q), v in flows.items() if i == item and q in
                          ("final_consumption", "transformation_input"))
                loss = int(round(use * LOSS[kind(item)]))
                if loss:
                    flows[("EB", item, "loss")] = loss
                produced = production if item == "raw_coal" and production else 0
                outflow = int(round(produced * 0.4))
                stock = int(round(use * float(rng.normal(0.0, 0.01)))) if kind(item) == "solid" else 0
                inflow = use + loss - produced + outflow - stock
                noise = float(rng.normal(0.0, 0.008))
                if (code if county != "SHAODONG" else "430582", year, item) == CLOSURE_CASE[:3]:
                    noise = CLOSURE_CASE[3] - 1.0
                inflow = int(round(inflow * (1.0 + noise)))
                if produced:
                    flows[("EB", item, "production")] = produced
                if outflow:
                    flows[("EB", item, "outflow")] = outflow
                if stock:
                    flows[("EB", item, "stock_change")] = stock
                if inflow >= 0:
                    flows[("EB", item, "inflow")] = inflow
                else:
                    flows[("EB", item, "outflow")] = flows.get(("EB", item, "outflow"), 0) - inflow
            for (category, item, quantity), value in flows.items():
                if value:
                    eb[(county, year, category, item, quantity)] = value
            if county in MINES:
                mined = MINES[county][index]
                mining_rows.append([demo.county_code(county, year), str(year), "1.B.1.a.i", "raw_coal", "production",
                                    str(mined) if mined else "", "吨" if mined else "", "" if mined else "NO", "10",
                                    SOURCE, "井工煤矿原煤产量 (underground "
                                            "mines)" if mined else "煤矿已关闭 (mines closed)"])
        # the city: sums; trade as net
        city: dict[tuple, int] = defaultdict(int)
        net: dict[str, int] = defaultdict(int)
        for (_, y, category, item, quantity), value in eb.items():
            if y != year:
                continue
            if quantity in ("inflow", "outflow") and category == "EB":
                net[item] += value if quantity == "inflow" else -value
            else:
                city[("EB" if category == "EB" else category, item, quantity)] += value
        for item, value in net.items():
            if value:
                city[("EB", item, "inflow" if value > 0 else "outflow")] = abs(value)
        for (category, item, quantity), value in city.items():
            eb[(demo.CITY, year, category, item, quantity)] = value
        mined = sum(MINES[c][index] or 0 for c in MINES)
        mining_rows.append([demo.CITY, str(year), "1.B.1.a.i", "raw_coal", "production", str(mined), "吨", "", "10",
                            SOURCE, "各县井工煤矿之和 (sum of the counties)"])
    # rows
    rows = []
    for (county, year, category, item, quantity), value in eb.items():
        region = county if county == demo.CITY else demo.county_code(county, year)
        unit = UNIT[kind(item)][0]
        rows.append([region, str(year), category, item, quantity, text(value, item), unit, "", "5", SOURCE, ""])
    soc = records[(records["category"] == "SOC") & (records["item"] == "gdp")]
    for row in soc.itertuples(index=False):
        if row.region == demo.CITY:
            continue
        value = int(round(row.value / 1e4 / DEFLATOR_2020[row.year]))
        constant_rows.append([row.region_reported, str(row.year), "SOC", "gdp_constant", "value", str(value), "万元",
                              "", "5", SOURCE, "price_base=2020 (illustrative deflator)"])
    for year in demo.YEARS:
        total = sum(int(r[5]) for r in constant_rows if r[1] == str(year))
        constant_rows.append([demo.CITY, str(year), "SOC", "gdp_constant", "value", str(total), "万元", "", "5", SOURCE,
                              "price_base=2020 (illustrative deflator)"])
    quarterly_rows = quarterly(records)
    return rows, mining_rows, constant_rows, quarterly_rows


def quarterly(records) -> list[list[str]]:
    """The city's 2023 fuel consumption by quarter, in the annual record's own unit and precision."""
    path = OUT / "energy_consumption_2019-2023.csv"
    rows = []
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["region"] != demo.CITY or row["year"] != "2023" or not row["value"] or \
                    not row["category"].startswith("1.A") or row["quantity"] != "consumption":
                continue
            decimals = len(row["value"].split(".")[1]) if "." in row["value"] else 0
            total = int(round(float(row["value"]) * 10 ** decimals))
            shares = QUARTERS["heating" if row["category"].startswith(("1.A.4.a", "1.A.4.b")) else "default"]
            for quarter, part in zip((1, 2, 3, 4), split(total, list(shares))):
                rows.append([row["region"], "2023", row["category"], row["item"], row["quantity"],
                             demo.fmt(part, decimals), row["unit"], "", row["uncertainty"], SOURCE,
                             "季度能源统计 (quarterly energy statistics)", f"2023Q{quarter}"])
    return rows


def write(path: Path, rows: list[list[str]], columns: list[str]) -> None:
    rows = sorted(rows, key=lambda r: (int(r[1]), demo._region_order(r[0]), r[2], r[3], r[4], r[11:]))
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
    print(f"{path.name}: {len(rows)} rows")


def main() -> None:
    rows, mining, constant, quarters = build()
    write(OUT / "energy_balance_2015-2023.csv", rows, demo.COLUMNS)
    write(OUT / "coal_mining.csv", mining, demo.COLUMNS)
    write(OUT / "socioeconomic_constant_prices.csv", constant, demo.COLUMNS)
    write(OUT / "energy_consumption_2023_quarterly.csv", quarters, demo.COLUMNS + ["period"])


if __name__ == "__main__":
    main()
