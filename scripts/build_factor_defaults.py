#!/usr/bin/env python
"""Build the shipped default factor files for energy combustion (IPCC 1.A) and electricity/heat.

Reads the project's reference parameter collection (``fuels.csv`` and ``grid_ef.csv``, see that
folder's README.md) and writes, deterministically (fixed row order, fixed number formatting, UTF-8,
``\\n`` line endings):

* ``inventory/data/factors/energy_combustion.csv``: ncv, carbon_content, oxidation, tce_coefficient
  and CH4/N2O ``ef`` rows for the 16 fuel items of the activity vocabulary (CONTRACTS section 3);
* ``inventory/data/factors/electricity_heat.csv``: ``grid_ef`` rows (one ``factor_set`` per
  published series) and the standard-coal coefficients of electricity and heat.

Usage (from the repository root)::

    python scripts/build_factor_defaults.py [REFERENCE_DIR] [--out DIR] [--check]

``REFERENCE_DIR`` defaults to ``../shared/reference/factors`` relative to the repository root;
``--out`` defaults to ``inventory/data/factors``; ``--check`` writes nothing and exits 1 if the
files on disk differ from what would be written.

Every mapping choice (reference fuel -> our item, IPCC table -> IPCC category, representative
values) lives in the tables below with a comment; ``inventory/data/factors/SOURCES.md`` explains
them for users. The script only uses the standard library.
"""

from __future__ import annotations

import argparse
import csv
import io
import itertools
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_REFERENCE = REPO.parent / "shared" / "reference" / "factors"
DEFAULT_OUT = REPO / "inventory" / "data" / "factors"

COLUMNS = [
    "id",
    "parameter",
    "category",
    "item",
    "gas",
    "value",
    "unit",
    "region",
    "year_from",
    "year_to",
    "source",
    "source_table",
    "confidence",
    "uncertainty",
    "factor_set",
    "note",
]

# Our fuel vocabulary, in the order rows are written.
FUEL_ITEMS = [
    "raw_coal",
    "washed_coal",
    "other_washed_coal",
    "briquettes",
    "coke",
    "coke_oven_gas",
    "other_gas",
    "crude_oil",
    "gasoline",
    "kerosene",
    "diesel",
    "fuel_oil",
    "lpg",
    "refinery_gas",
    "other_petroleum",
    "natural_gas",
]
ITEM_ORDER = {item: i for i, item in enumerate(FUEL_ITEMS + ["electricity", "heat", "*"])}
PARAMETER_ORDER = {
    p: i for i, p in enumerate(["ncv", "carbon_content", "oxidation", "tce_coefficient", "ef", "grid_ef"])
}
# electricity_heat.csv lists grid_ef rows before the two standard-coal coefficients.
GRID_PARAMETER_ORDER = {"grid_ef": 0, "tce_coefficient": 1}

# Short names of the documents (the long titles are in SOURCES.md).
SRC_IPCC = "2006 IPCC Guidelines, Vol.2 Energy"
SRC_GBT2589 = "GB/T 2589-2020 综合能耗计算通则"
SRC_PROVINCIAL = "省级温室气体清单编制指南（试行） (NDRC 2011)"
SRC_ENTERPRISE = "工业其他行业企业温室气体排放核算方法与报告指南（试行） / GB/T 32150-2015"

# ---------------------------------------------------------------------------------------------
# IPCC 2006 side (factor_set ipcc2006). Rows are selected by IPCC fuel name and table, and every
# selection must match exactly one reference row.
# ---------------------------------------------------------------------------------------------

# Core definitional matches: our item -> (IPCC fuel name, note). Used for ncv (where allowed),
# carbon_content and the stationary CH4/N2O tables.
IPCC_MATCH = {
    "crude_oil": ("Crude Oil", ""),
    "gasoline": ("Motor Gasoline", ""),
    # 煤油 in Chinese statistics is mostly jet kerosene; IPCC "Other Kerosene" is the general
    # kerosene default (carbon content 19.6 vs 19.5 t C/TJ for Jet Kerosene). Aviation
    # (1.A.3.a) gets Jet Kerosene rows of its own, see IPCC_AVIATION_KEROSENE.
    "kerosene": (
        "Other Kerosene",
        "IPCC 'Other Kerosene' used for 煤油 (Jet Kerosene, 19.5 t C/TJ, is close; "
        "category 1.A.3.a has Jet Kerosene carbon content and CH4/N2O rows)",
    ),
    # IPCC "Gas/Diesel Oil" appears twice in the EFDB export (Gas Oil, Diesel Oil) with equal values.
    "diesel": ("Diesel Oil", "IPCC 'Gas/Diesel Oil' (EFDB 'Diesel Oil' row; the 'Gas Oil' row is identical)"),
    "fuel_oil": ("Residual Fuel Oil", ""),
    "lpg": ("Liquefied Petroleum Gases", ""),
    "refinery_gas": ("Refinery Gas", "refinery_gas is recorded by mass (t), so the per-mass NCV applies"),
    "coke": ("Coke Oven Coke and Lignite Coke", "IPCC 'Coke Oven Coke and Lignite Coke' used for 焦炭"),
    "natural_gas": ("Natural Gas", ""),
    "coke_oven_gas": ("Coke Oven Gas", ""),
    # 其他煤气 (gases other than coke-oven gas) mapped to IPCC "Gas Works Gas"; the provincial
    # guideline's 12.2 t C/TJ for 其他煤气 is close to the IPCC 12.1.
    "other_gas": ("Gas Works Gas", "IPCC 'Gas Works Gas' used for 其他煤气 (mixed category; check the actual gas)"),
}

# Proxy mappings (no IPCC fuel with the same definition). Shipped with a note saying so.
IPCC_PROXY = {
    "raw_coal": (
        "Other Bituminous Coal",
        "proxy: IPCC 'Other Bituminous Coal' used for raw coal 原煤 (not split by rank in Chinese statistics)",
    ),
    "washed_coal": ("Coking Coal", "proxy: IPCC 'Coking Coal' used for washed coal 洗精煤"),
    "other_washed_coal": (
        "Other Bituminous Coal",
        "proxy: IPCC 'Other Bituminous Coal' used for other washed coal 其他洗煤",
    ),
    # Patent Fuel / BKB are not in the reference collection. In Tables 2.2-2.5 every solid fossil
    # fuel has the same CH4/N2O factor, so Other Bituminous Coal is used for CH4/N2O only.
    "briquettes": (
        "Other Bituminous Coal",
        "proxy: IPCC 'Other Bituminous Coal' used for briquettes 型煤 (Patent Fuel/BKB not in the "
        "reference; all solid fuels share this value in the table)",
    ),
    # IPCC "Other Petroleum Products" is not in the reference collection. In Tables 2.2-2.5 every
    # liquid oil except LPG and refinery gas has the same CH4/N2O factor; Naphtha stands in.
    "other_petroleum": (
        "Naphtha",
        "proxy: IPCC 'Naphtha' used for other petroleum products 其他石油制品 ('Other Petroleum "
        "Products' not in the reference; all oils except LPG/refinery gas share this value in the table)",
    ),
}

# Which items get an IPCC row for which CO2-chain parameter.
# ncv: per-mass IPCC NCVs describe neither Chinese raw coal (not split by rank) nor gases recorded
# by volume (m^3), so coal items, briquettes, natural_gas, coke_oven_gas and other_gas get no
# IPCC NCV; other_petroleum has no IPCC fuel in the reference.
IPCC_NCV_ITEMS = ["coke", "crude_oil", "gasoline", "kerosene", "diesel", "fuel_oil", "lpg", "refinery_gas"]
# carbon_content: all definitional matches plus the coal proxies (no Patent Fuel/BKB -> no
# briquettes row; no Other Petroleum Products -> no other_petroleum row).
IPCC_CC_ITEMS = [
    "raw_coal",
    "washed_coal",
    "other_washed_coal",
    "coke",
    "coke_oven_gas",
    "other_gas",
    "crude_oil",
    "gasoline",
    "kerosene",
    "diesel",
    "fuel_oil",
    "lpg",
    "refinery_gas",
    "natural_gas",
]
# Aviation override: category 1.A.3.a, item kerosene, IPCC Jet Kerosene carbon content (both sets
# have a 1.A.3.a row, so the factor-set preference still decides between them).
IPCC_AVIATION_KEROSENE = "Jet Kerosene"

# Stationary CH4/N2O tables -> IPCC categories (all 16 items, via IPCC_MATCH or IPCC_PROXY).
STATIONARY_TABLES = {
    "Table 2.2": [("1.A.1", "")],
    "Table 2.3": [("1.A.2", "")],
    # 1.A.5 (non-specified) has no table of its own; Table 2.4 (commercial/institutional) is used.
    "Table 2.4": [
        ("1.A.4.a", ""),
        ("1.A.5", "documented choice: Table 2.4 (commercial/institutional) used for 1.A.5 non-specified"),
    ],
    # Table 2.5 covers residential and agriculture/forestry/fishing: one row each.
    "Table 2.5": [("1.A.4.b", ""), ("1.A.4.c", "")],
}

# Mobile CH4/N2O: (table, category, IPCC fuel, condition text to match, our item, note).
# Only the fuels each table has. Road: the uncontrolled/default rows.
MOBILE = [
    (
        "Table 3.2.2",
        "1.A.3.b",
        "Motor Gasoline",
        "Uncontrolled",
        "gasoline",
        "road, motor gasoline 'Uncontrolled' row (oxidation catalyst: CH4 25 / N2O 8.0; low-mileage LDV 1995+: "
        "CH4 3.8 / N2O 5.7 kg/TJ)",
    ),
    ("Table 3.2.2", "1.A.3.b", "Diesel Oil", "", "diesel", "road, diesel default row"),
    ("Table 3.2.2", "1.A.3.b", "Natural Gas", "", "natural_gas", "road, natural gas default row"),
    ("Table 3.2.2", "1.A.3.b", "Liquefied Petroleum Gases", "", "lpg", "road, LPG default row"),
    ("Table 3.4.1", "1.A.3.c", "Diesel Oil", "", "diesel", "railways, diesel"),
    (
        "Table 3.4.1",
        "1.A.3.c",
        "Sub-Bituminous Coal",
        "",
        "raw_coal",
        "railways; proxy: IPCC 'Sub-Bituminous Coal' (the table's only coal) used for raw coal",
    ),
    (
        "Table 3.5.3",
        "1.A.3.d",
        "Diesel Oil",
        "",
        "diesel",
        "water-borne navigation; EFDB row labelled 'On-going Ships' (IPCC: ocean-going ships); "
        "the reference has no residual-fuel-oil row",
    ),
    ("Table 3.6.5", "1.A.3.a", "Jet Kerosene", "", "kerosene", "aviation, jet kerosene (uncontrolled)"),
    (
        "Table 3.6.5",
        "1.A.3.a",
        "Aviation Gasoline",
        "",
        "gasoline",
        "aviation; IPCC 'Aviation Gasoline' used for gasoline burned in aviation (航空汽油 is part of 汽油 in "
        "Chinese statistics)",
    ),
]
# Not shipped: Table 3.3.1 off-road (1.A.3.e / off-road machinery), Biogasoline, Jet Gasoline,
# Table 1.4 CO2 emission factors (an ef row for CO2 would replace the carbon-content chain).

# ---------------------------------------------------------------------------------------------
# Chinese side (factor_set cn_guideline): reference id -> item, with notes. NCV and standard-coal
# coefficients from GB/T 2589-2020 (what the energy statistics use); carbon content from the
# provincial guideline, falling back to the enterprise-guideline defaults where the provincial
# table has no row with the same definition; oxidation as explained below.
# ---------------------------------------------------------------------------------------------

# (reference id, item, value override or None, uncertainty, note)
CN_NCV = [
    ("fuels-0333", "raw_coal", None, "", ""),
    ("fuels-0335", "washed_coal", None, "", "same value in the enterprise-guideline defaults (fuels-0426, secondary)"),
    # 其他洗煤 = 洗中煤 + 煤泥. GB/T 2589 gives 8363 kJ/kg for 洗中煤 and 8363-12545 for 煤泥; the
    # 洗中煤 value is used (it is also the bottom of the 煤泥 range). The enterprise-guideline
    # default for 其它洗煤 (15.373 GJ/t, fuels-0427) is higher: check local data.
    (
        "fuels-0337",
        "other_washed_coal",
        None,
        "8363..12545",
        "GB/T 2589 洗中煤 value used for 其他洗煤; 煤泥 is 8363-12545 kJ/kg (fuels-0339); the enterprise "
        "guideline gives 15373 kJ/kg for 其它洗煤 (fuels-0427): use a local value where known",
    ),
    # GB/T 2589 has no 型煤 row: the enterprise-guideline default (NCV 17.460 GJ/t) is used.
    (
        "fuels-0428",
        "briquettes",
        "17.46",
        "",
        "GB/T 2589 has no 型煤 row; NCV taken from the enterprise-guideline defaults (NCV 17.46 GJ/t; "
        "CC 33.6 t C/TJ; OF 0.9)",
    ),
    ("fuels-0341", "coke", None, "", ""),
    # Range 16726-17981 kJ/m^3: midpoint used; the enterprise guidelines use the upper bound 179.81 GJ/10^4 m^3.
    (
        "fuels-0367",
        "coke_oven_gas",
        "17353.5",
        "16726..17981",
        "GB/T 2589 gives a range 16726-17981 kJ/m^3; midpoint used (enterprise guidelines use the upper bound 17981)",
    ),
    # other_gas: no row. 其他煤气 mixes gases with NCVs from 3763 (高炉煤气) to 35544 kJ/m^3; a user
    # must supply a local NCV. See SOURCES.md.
    ("fuels-0343", "crude_oil", None, "", ""),
    ("fuels-0347", "gasoline", None, "", ""),
    ("fuels-0349", "kerosene", None, "", ""),
    ("fuels-0351", "diesel", None, "", ""),
    ("fuels-0345", "fuel_oil", None, "", ""),
    ("fuels-0357", "lpg", None, "", ""),
    ("fuels-0359", "refinery_gas", None, "", "recorded by mass (t)"),
    # other_petroleum: derived row, see DERIVED.
    # Natural gas: 油田天然气 38931 kJ/m^3 is the value the guidelines' worked examples use
    # (389.31 GJ/10^4 m^3); 气田天然气 35544 kJ/m^3 (fuels-0363) is the alternative.
    (
        "fuels-0361",
        "natural_gas",
        None,
        "",
        "GB/T 2589 油田天然气 value (389.31 GJ/10^4 m^3, used as the generic natural-gas default); "
        "气田天然气 is 35544 kJ/m^3 (fuels-0363)",
    ),
]

CN_TCE = [
    ("fuels-0334", "raw_coal", None, "", ""),
    ("fuels-0336", "washed_coal", None, "", ""),
    (
        "fuels-0338",
        "other_washed_coal",
        None,
        "0.2857..0.4286",
        "GB/T 2589 洗中煤 coefficient used for 其他洗煤; 煤泥 is 0.2857-0.4286 kgce/kg (fuels-0340)",
    ),
    # briquettes: derived row, see DERIVED.
    ("fuels-0342", "coke", None, "", ""),
    (
        "fuels-0368",
        "coke_oven_gas",
        "0.59285",
        "0.5714..0.6143",
        "GB/T 2589 gives a range 0.5714-0.6143 kgce/m^3; midpoint used",
    ),
    ("fuels-0344", "crude_oil", None, "", ""),
    ("fuels-0348", "gasoline", None, "", ""),
    ("fuels-0350", "kerosene", None, "", ""),
    ("fuels-0352", "diesel", None, "", ""),
    ("fuels-0346", "fuel_oil", None, "", ""),
    ("fuels-0358", "lpg", None, "", ""),
    ("fuels-0360", "refinery_gas", None, "", ""),
    (
        "fuels-0362",
        "natural_gas",
        None,
        "",
        "GB/T 2589 油田天然气 coefficient; 气田天然气 is 1.2143 kgce/m^3 (fuels-0364)",
    ),
]

# Carbon content (category 1.A). Preference: a row with the item's own definition, then the
# higher confidence, then the provincial guideline over the enterprise guideline.
CN_CC = [
    # 原煤 is not split by rank in the statistics; the provincial 烟煤 value is used.
    (
        "fuels-0394",
        "raw_coal",
        None,
        "",
        "proxy: provincial-guideline 烟煤 (bituminous) value used for 原煤; 无烟煤 is 27.4 (fuels-0393, memory), "
        "褐煤 28.0 (fuels-0395)",
    ),
    # 洗精煤 has its own row in the enterprise defaults (secondary); the provincial 炼焦煤 row gives
    # the same 25.4 (fuels-0396, memory).
    (
        "fuels-0426",
        "washed_coal",
        "25.4",
        "",
        "enterprise-guideline 洗精煤 default (NCV 26.344 GJ/t; CC 25.4 t C/TJ; OF 0.93); the provincial "
        "guideline's 炼焦煤 row gives the same 25.4 (fuels-0396, memory)",
    ),
    (
        "fuels-0427",
        "other_washed_coal",
        "25.4",
        "",
        "enterprise-guideline 其它洗煤 default (NCV 15.373 GJ/t; CC 25.4 t C/TJ; OF 0.9); the provincial "
        "table in the reference has no 其他洗煤 row",
    ),
    (
        "fuels-0428",
        "briquettes",
        "33.6",
        "",
        "enterprise-guideline 型煤 default (NCV 17.46 GJ/t; CC 33.6 t C/TJ; OF 0.9); the provincial "
        "guideline's 型煤 row gives the same 33.6 (fuels-0397, memory)",
    ),
    ("fuels-0398", "coke", None, "", "enterprise-guideline default is 29.4 (fuels-0429)"),
    ("fuels-0400", "coke_oven_gas", None, "", ""),
    ("fuels-0403", "other_gas", None, "", ""),
    ("fuels-0404", "crude_oil", None, "", ""),
    ("fuels-0406", "gasoline", None, "", ""),
    (
        "fuels-0409",
        "kerosene",
        None,
        "",
        "provincial-guideline 一般煤油 value used for 煤油; 喷气煤油 19.5 (fuels-0408) is shipped for 1.A.3.a",
    ),
    ("fuels-0407", "diesel", None, "", ""),
    ("fuels-0405", "fuel_oil", None, "", ""),
    ("fuels-0411", "lpg", None, "", ""),
    ("fuels-0412", "refinery_gas", None, "", "differs from IPCC Refinery Gas 15.7 (fuels-0033): check"),
    ("fuels-0418", "other_petroleum", None, "", "provincial-guideline 其他油品 value"),
    ("fuels-0419", "natural_gas", None, "", ""),
]
# Aviation override: category 1.A.3.a, kerosene <- 喷气煤油.
CN_CC_AVIATION = ("fuels-0408", "kerosene", None, "", "provincial-guideline 喷气煤油 value for aviation (1.A.3.a)")

# Oxidation (category 1.A). Liquids 0.98 (fuels-0420) and gases 0.99 (fuels-0421), per item.
# LPG counts as a liquid fuel and refinery gas as a gas, as in the enterprise-guideline tables.
CN_OX_LIQUID = ("fuels-0420", ["crude_oil", "gasoline", "kerosene", "diesel", "fuel_oil", "lpg", "other_petroleum"])
CN_OX_GAS = ("fuels-0421", ["refinery_gas", "natural_gas", "coke_oven_gas", "other_gas"])
# Solids: the reference has only the provincial range 0.85-0.98 (fuels-0422, memory; the guideline's
# values are sector-specific). Representative value per item: the enterprise-guideline default of
# the matching fuel (bituminous coal for raw coal). Confidence stays memory; the range goes to
# uncertainty.
CN_OX_SOLID = (
    "fuels-0422",
    [
        ("raw_coal", "0.93", "fuels-0424", "烟煤"),
        ("washed_coal", "0.93", "fuels-0426", "洗精煤"),
        ("other_washed_coal", "0.9", "fuels-0427", "其它洗煤"),
        ("briquettes", "0.9", "fuels-0428", "型煤"),
        ("coke", "0.93", "fuels-0429", "焦炭"),
    ],
)

# Rows we derive (confidence derived; formula in note):
# (id, parameter, item, value, unit, source, source_table, note)
KGCE_KJ = 29307.6  # 1 kgce = 7000 kcal(IT) = 29307.6 kJ
GBT_TABLE = "附录A 常用能源折标准煤参考系数"
DERIVED = [
    # GB/T 2589 lists no 其他石油制品; oil products without their own row take the 10000 kcal/kg
    # default shared by 原油, 燃料油, 渣油 and 粗苯.
    (
        "derived-ncv-other_petroleum",
        "ncv",
        "other_petroleum",
        "41816",
        "kJ/kg",
        SRC_GBT2589,
        GBT_TABLE,
        "= GB/T 2589 原油/燃料油/渣油 value 41816 kJ/kg (fuels-0343, fuels-0345, fuels-0355), proxy for 其他石油制品 "
        "which GB/T 2589 does not list",
    ),
    (
        "derived-tce-other_petroleum",
        "tce_coefficient",
        "other_petroleum",
        "1.4286",
        "kgce/kg",
        SRC_GBT2589,
        GBT_TABLE,
        "= GB/T 2589 原油/燃料油/渣油 coefficient 1.4286 kgce/kg (fuels-0344, fuels-0346, fuels-0356), proxy for "
        "其他石油制品",
    ),
    # GB/T 2589 has no 型煤 row; computed from the enterprise-guideline NCV with the kgce definition.
    (
        "derived-tce-briquettes",
        "tce_coefficient",
        "briquettes",
        format(17460 / KGCE_KJ, ".4f"),
        "kgce/kg",
        SRC_ENTERPRISE,
        "附录 常用化石燃料相关参数缺省值",
        "= 17460 kJ/kg (enterprise-guideline 型煤 NCV, fuels-0428) / 29307.6 kJ/kgce; GB/T 2589 has no 型煤 row",
    ),
]

# ---------------------------------------------------------------------------------------------
# Grid and heat (electricity_heat.csv): every numeric row of grid_ef.csv, one factor_set per series.
# ---------------------------------------------------------------------------------------------

# reference parameter -> factor_set prefix; regional/provincial series add the grid/province.
GRID_REGION = {  # 区域电网 -> factor_set suffix
    "华北": "north_china",
    "东北": "northeast_china",
    "华东": "east_china",
    "华中": "central_china",
    "西北": "northwest_china",
    "西南": "southwest_china",
    "南方": "southern_china",
}
GRID_PROVINCE = {
    "河北": "hebei",
    "山西": "shanxi",
    "天津": "tianjin",
    "内蒙古": "inner_mongolia",
    "安徽": "anhui",
    "福建": "fujian",
    "广西": "guangxi",
    "青海": "qinghai",
    "四川": "sichuan",
    "云南": "yunnan",
}


def grid_series(row: dict) -> tuple[str, str, str]:
    """(factor_set, item, series description) of a grid_ef.csv row."""
    p, name = row["parameter"], row["item"]
    if p == "national_average":
        return "grid_national_average", "electricity", "MEE/NBS national average (全国电力平均二氧化碳排放因子)"
    if p == "national_average_excl_market_traded_non_fossil":
        return (
            "grid_national_excl_market_nonfossil",
            "electricity",
            "MEE/NBS national factor excluding market-traded non-fossil power",
        )
    if p == "national_fossil_power":
        return (
            "grid_national_fossil",
            "electricity",
            "MEE/NBS national fossil-power factor (全国化石能源电力二氧化碳排放因子)",
        )
    if p == "regional_average":
        return (
            f"grid_{GRID_REGION[name]}",
            "electricity",
            f"MEE/NBS regional grid average, {name} grid (区域电力平均二氧化碳排放因子)",
        )
    if p == "provincial_average":
        return (
            f"grid_province_{GRID_PROVINCE[name]}",
            "electricity",
            f"MEE/NBS provincial average, {name} (省级电力平均二氧化碳排放因子)",
        )
    if p == "enterprise_reporting_grid_EF":
        return ("grid_ets_default", "electricity", "MEE enterprise (ETS) reporting default for purchased electricity")
    if p == "regional_grid_average_2012":
        return (
            f"grid_2012_regional_{GRID_REGION[name].removesuffix('_china')}",
            "electricity",
            f"NDRC 2012 regional grid average, {name} grid; historical, for back-casting only",
        )
    if p == "heat_default_EF_tCO2_per_GJ":
        return "heat_default", "heat", "default CO2 factor of purchased heat (enterprise-guideline default)"
    raise ValueError(f"grid_ef.csv: unmapped parameter {p!r} ({row['id']})")


GRID_SOURCE_SHORT = {
    # reference source_document prefix -> short source; 'same' means the row above's document.
    "生态环境部 国家统计局《关于发布2022年电力二氧化碳排放因子的公告》": (
        "MEE/NBS 关于发布2022年电力二氧化碳排放因子的公告 (2024-12-20)"
    ),
    "生态环境部 国家统计局《关于发布2021年电力二氧化碳排放因子的公告》": (
        "MEE/NBS 关于发布2021年电力二氧化碳排放因子的公告 (公告2024年第12号)"
    ),
    "生态环境部办公厅《关于做好2023—2025年发电行业": "MEE 环办气候函〔2023〕43号",
    "生态环境部办公厅《关于做好2022年企业温室气体排放报告": "MEE 环办气候函〔2022〕111号",
    "国家发改委气候司 2010年/2012年中国区域及省级电网平均二氧化碳排放因子": (
        "NDRC 2012年中国区域电网平均二氧化碳排放因子"
    ),
    "企业温室气体排放核算方法与报告指南": "企业温室气体排放核算方法与报告指南 (热力缺省值)",
}

# Standard-coal coefficients of electricity and heat (GB/T 2589), in electricity_heat.csv.
CN_TCE_ENERGY = [
    (
        "fuels-0389",
        "electricity",
        "kgce/kWh",
        "calorific equivalent (当量值) 3600 kJ/kWh; the primary-energy equivalent (等价值) varies by year "
        "and is not shipped",
    ),
    ("fuels-0387", "heat", "kgce/MJ", "calorific equivalent (当量值)"),
]

UNIT_MAP = {
    "kJ/kg": "kJ/kg",
    "kJ/m3": "kJ/m^3",
    "kgce/kg": "kgce/kg",
    "kgce/m3": "kgce/m^3",
    "kgce/kWh": "kgce/kWh",
    "kgce/MJ": "kgce/MJ",
    "TJ/Gg": "GJ/t",
    "kg/GJ": "t/TJ",
    "t C/TJ": "t/TJ",
    "kg/TJ": "kg/TJ",
    "fraction": "",
}


# ---------------------------------------------------------------------------------------------


def fmt(value) -> str:
    """Canonical number text: at most 10 significant digits, no trailing zeros, no exponent."""
    x = float(value)
    text = format(x, ".10g")
    if "e" in text:
        text = format(x, ".10f").rstrip("0").rstrip(".")
    return text


def read_reference(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


class Reference:
    def __init__(self, rows: list[dict]):
        self.rows = rows
        self.by_id = {r["id"]: r for r in rows}
        assert len(self.by_id) == len(rows), "duplicate ids in reference"

    def get(self, rid: str) -> dict:
        if rid not in self.by_id:
            raise KeyError(f"reference id {rid} not found")
        return self.by_id[rid]

    def ipcc(self, parameter: str, fuel: str, table: str | None = None, cond: str | None = None) -> dict:
        hits = [
            r
            for r in self.rows
            if r["group"] == "IPCC2006_default"
            and r["parameter"] == parameter
            and r["item"] == fuel
            and (table is None or r["source_table"].endswith(table))
            and (cond is None or r["condition"].rstrip().endswith(cond))
        ]
        if len(hits) != 1:
            raise LookupError(f"IPCC {parameter}/{fuel}/{table}/{cond}: {len(hits)} rows")
        return hits[0]

    def ipcc_range(self, parameter: str, fuel: str) -> tuple[str, str]:
        hits = [r for r in self.rows if r["parameter"] == parameter and r["item"] == fuel]
        if not hits:
            return "", ""
        assert len(hits) == 1
        return hits[0]["id"], f"{fmt(hits[0]['value_min'])}..{fmt(hits[0]['value_max'])}"


def row(**kw) -> dict:
    out = {c: "" for c in COLUMNS}
    out["region"] = "*"
    out.update(kw)
    assert set(out) == set(COLUMNS), set(out) ^ set(COLUMNS)
    return out


def efdb_note(ref: dict) -> str:
    loc = ref.get("source_location", "")
    i = loc.find("EF ID ")
    return f"EFDB {loc[i:].strip()}" if i >= 0 else ""


def join(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


def cn_source(ref: dict) -> tuple[str, str]:
    group = ref["group"]
    if group == "CN_GB2589":
        return SRC_GBT2589, "附录A 常用能源折标准煤参考系数"
    if group == "CN_provincial_guideline":
        return SRC_PROVINCIAL, ref["source_table"]
    if group == "CN_enterprise_guideline":
        return SRC_ENTERPRISE, ref["source_table"]
    raise ValueError(group)


def build_energy(ref: Reference) -> list[dict]:
    rows: list[dict] = []

    def ipcc_fuel(item: str) -> tuple[str, str]:
        return IPCC_MATCH[item] if item in IPCC_MATCH else IPCC_PROXY[item]

    # IPCC ncv (category *), with the Table 1.2 range as uncertainty.
    for item in IPCC_NCV_ITEMS:
        fuel, note = ipcc_fuel(item)
        r = ref.ipcc("net_calorific_value", fuel, "Table 1.2")
        rid, unc = ref.ipcc_range("net_calorific_value_range", fuel)
        rows.append(
            row(
                id=r["id"],
                parameter="ncv",
                category="*",
                item=item,
                value=fmt(r["value"]),
                unit=UNIT_MAP[r["unit"]],
                source=SRC_IPCC,
                source_table="Table 1.2",
                confidence=r["confidence"],
                uncertainty=unc,
                factor_set="ipcc2006",
                note=join(note, efdb_note(r), f"range from {rid}" if rid else ""),
            )
        )
    # IPCC carbon content (category 1.A).
    for item in IPCC_CC_ITEMS:
        fuel, note = ipcc_fuel(item)
        r = ref.ipcc("carbon_content", fuel, "Table 1.3")
        rid, unc = ref.ipcc_range("carbon_content_range", fuel)
        extra = (
            "carbon content only: IPCC per-mass NCV not shipped (recorded in m^3)"
            if item in ("natural_gas", "coke_oven_gas", "other_gas")
            else ""
        )
        rows.append(
            row(
                id=r["id"],
                parameter="carbon_content",
                category="1.A",
                item=item,
                value=fmt(r["value"]),
                unit=UNIT_MAP[r["unit"]],
                source=SRC_IPCC,
                source_table="Table 1.3",
                confidence=r["confidence"],
                uncertainty=unc,
                factor_set="ipcc2006",
                note=join(note, extra, efdb_note(r), f"range from {rid}" if rid else ""),
            )
        )
    # Aviation kerosene: Jet Kerosene carbon content at 1.A.3.a. Not the Jet Kerosene NCV (44.1 GJ/t):
    # category precedence ranks above the factor-set preference, and GB/T 2589 has no separate
    # jet-fuel NCV, so an IPCC-only NCV row at 1.A.3.a would override the cn_guideline NCV there.
    r = ref.ipcc("carbon_content", IPCC_AVIATION_KEROSENE, "Table 1.3")
    rid, unc = ref.ipcc_range("carbon_content_range", IPCC_AVIATION_KEROSENE)
    rows.append(
        row(
            id=r["id"],
            parameter="carbon_content",
            category="1.A.3.a",
            item="kerosene",
            value=fmt(r["value"]),
            unit=UNIT_MAP[r["unit"]],
            source=SRC_IPCC,
            source_table="Table 1.3",
            confidence=r["confidence"],
            uncertainty=unc,
            factor_set="ipcc2006",
            note=join(
                "IPCC 'Jet Kerosene' for kerosene burned in aviation", efdb_note(r), f"range from {rid}" if rid else ""
            ),
        )
    )
    # IPCC oxidation: 1.0 for every fuel. One row per item, not item "*": the factor database ranks
    # an exact item above the factor-set preference, so a "*" row could never beat the per-item
    # cn_guideline rates even when a user prefers ipcc2006.
    r = ref.get("fuels-0067")
    assert r["parameter"] == "carbon_oxidation_factor"
    for item in FUEL_ITEMS:
        rows.append(
            row(
                id=r["id"],
                parameter="oxidation",
                category="1.A",
                item=item,
                value=fmt(r["value"]),
                unit="",
                source=SRC_IPCC,
                source_table="Table 1.4",
                confidence=r["confidence"],
                factor_set="ipcc2006",
                note="IPCC Tier 1 assumes complete oxidation (Table 1.4, all fuels)",
            )
        )

    # Stationary CH4/N2O.
    for table, cats in STATIONARY_TABLES.items():
        for item in FUEL_ITEMS:
            fuel, note = ipcc_fuel(item)
            for gas in ("CH4", "N2O"):
                r = ref.ipcc(f"{gas}_emission_factor_stationary", fuel, table)
                for category, cat_note in cats:
                    rows.append(
                        row(
                            id=r["id"],
                            parameter="ef",
                            category=category,
                            item=item,
                            gas=gas,
                            value=fmt(r["value"]),
                            unit=UNIT_MAP[r["unit"]],
                            source=SRC_IPCC,
                            source_table=table,
                            confidence=r["confidence"],
                            factor_set="ipcc2006",
                            note=join(cat_note, note, efdb_note(r)),
                        )
                    )
    # Mobile CH4/N2O.
    for table, category, fuel, cond, item, note in MOBILE:
        for gas in ("CH4", "N2O"):
            r = ref.ipcc(f"{gas}_emission_factor_mobile", fuel, table, cond or None)
            rows.append(
                row(
                    id=r["id"],
                    parameter="ef",
                    category=category,
                    item=item,
                    gas=gas,
                    value=fmt(r["value"]),
                    unit=UNIT_MAP[r["unit"]],
                    source=SRC_IPCC,
                    source_table=table,
                    confidence=r["confidence"],
                    factor_set="ipcc2006",
                    note=join(note, efdb_note(r)),
                )
            )

    # Chinese ncv / tce_coefficient (category *) and carbon content (1.A).
    def cn_rows(table, parameter, category, expect_parameter):
        for rid, item, override, unc, note in table:
            r = ref.get(rid)
            assert r["parameter"].startswith(expect_parameter) or r["group"] == "CN_enterprise_guideline", rid
            source, source_table = cn_source(r)
            if override is None:
                value, unit = r["value"], UNIT_MAP[r["unit"]]
            else:
                value = override
                unit = {
                    "ncv": "GJ/t" if r["group"] == "CN_enterprise_guideline" else UNIT_MAP[r["unit"]],
                    "carbon_content": "t/TJ",
                    "tce_coefficient": UNIT_MAP.get(r["unit"], r["unit"]),
                }[parameter]
                if r["group"] == "CN_enterprise_guideline":
                    # the override must be one of the numbers in the composite text
                    assert override in r["value"].replace(";", " ").split(), (rid, override)
                else:
                    lo, hi = r["value"].split("-")
                    assert float(lo) <= float(override) <= float(hi), (rid, override)
            rows.append(
                row(
                    id=rid,
                    parameter=parameter,
                    category=category,
                    item=item,
                    value=fmt(value),
                    unit=unit,
                    source=source,
                    source_table=source_table,
                    confidence=r["confidence"],
                    uncertainty=unc,
                    factor_set="cn_guideline",
                    note=join(f"{r['item_zh']}", note),
                )
            )

    cn_rows(CN_NCV, "ncv", "*", "average_net_calorific_value")
    cn_rows(CN_TCE, "tce_coefficient", "*", "coal_equivalent_coefficient")
    cn_rows(CN_CC, "carbon_content", "1.A", "carbon_content")
    cn_rows([CN_CC_AVIATION], "carbon_content", "1.A.3.a", "carbon_content")

    # Chinese oxidation.
    for rid, items in (CN_OX_LIQUID, CN_OX_GAS):
        r = ref.get(rid)
        source, source_table = cn_source(r)
        for item in items:
            rows.append(
                row(
                    id=rid,
                    parameter="oxidation",
                    category="1.A",
                    item=item,
                    value=fmt(r["value"]),
                    unit="",
                    source=source,
                    source_table=source_table,
                    confidence=r["confidence"],
                    factor_set="cn_guideline",
                    note=f"{r['item_zh']} 碳氧化率 (the guideline's rates are sector-specific: verify)",
                )
            )
    rid, solids = CN_OX_SOLID
    r = ref.get(rid)
    lo, hi = r["value"].split("-")
    source, source_table = cn_source(r)
    for item, value, from_id, name_zh in solids:
        fr = ref.get(from_id)
        assert f"OF {value}" in fr["value"] and fr["item_zh"] == name_zh, (from_id, value)
        rows.append(
            row(
                id=rid,
                parameter="oxidation",
                category="1.A",
                item=item,
                value=fmt(value),
                unit="",
                source=source,
                source_table=source_table,
                confidence=r["confidence"],
                uncertainty=f"{fmt(lo)}..{fmt(hi)}",
                factor_set="cn_guideline",
                note=f"固体燃料: the guideline's sector-specific rates span {lo}-{hi} (not verified); "
                f"representative value = enterprise-guideline default for {name_zh} ({from_id})",
            )
        )

    # Derived rows.
    for rid, parameter, item, value, unit, source, source_table, note in DERIVED:
        rows.append(
            row(
                id=rid,
                parameter=parameter,
                category="*",
                item=item,
                value=fmt(value),
                unit=unit,
                source=source,
                source_table=source_table,
                confidence="derived",
                factor_set="cn_guideline",
                note=note,
            )
        )
    return rows


def build_grid(ref_rows: list[dict], fuel_ref: Reference) -> list[dict]:
    rows: list[dict] = []
    previous_source = ""
    for r in ref_rows:
        src_doc = r["source_document"]
        if src_doc == "same":
            src_doc = previous_source
        previous_source = src_doc
        if not r["value"].strip():
            assert r["confidence"] == "missing", r["id"]
            continue  # the Hunan provincial factor: missing, never invented
        factor_set, item, series = grid_series(r)
        source = next(v for k, v in GRID_SOURCE_SHORT.items() if src_doc.startswith(k))
        unit = "t/GJ" if r["unit"] == "tCO2/GJ" else "t/MWh"
        assert r["unit"] in ("tCO2/GJ", "kgCO2/kWh (= tCO2/MWh)"), r["unit"]
        year = r["condition"].strip()
        table = {"national": "national", "region": f"regional grid {r['item']}", "province": f"province {r['item']}"}[
            r["group"]
        ]
        loc = r.get("source_location", "")
        loc = loc if loc.startswith("http") else ""
        rows.append(
            row(
                id=r["id"],
                parameter="grid_ef",
                category="*",
                item=item,
                gas="CO2",
                value=fmt(r["value"]),
                unit=unit,
                year_from=year,
                year_to=year,
                source=source,
                source_table=table,
                confidence=r["confidence"],
                factor_set=factor_set,
                note=join(
                    f"series {factor_set}: {series}",
                    "" if r["parameter"] == "regional_grid_average_2012" else r["notes"],
                    f"seen in: {loc}" if loc else "",
                ),
            )
        )
    for rid, item, unit, note in CN_TCE_ENERGY:
        r = fuel_ref.get(rid)
        assert r["unit"] == unit, (rid, r["unit"])
        rows.append(
            row(
                id=rid,
                parameter="tce_coefficient",
                category="*",
                item=item,
                value=fmt(r["value"]),
                unit=UNIT_MAP[unit],
                source=SRC_GBT2589,
                source_table="附录A 常用能源折标准煤参考系数",
                confidence=r["confidence"],
                factor_set="cn_guideline",
                note=join(r["item_zh"], note),
            )
        )
    return rows


def sort_key(r: dict):
    return (
        PARAMETER_ORDER[r["parameter"]],
        r["factor_set"],
        ITEM_ORDER[r["item"]],
        r["category"],
        r["gas"],
        r["year_from"],
        r["id"],
    )


def grid_sort_key(r: dict):
    return (GRID_PARAMETER_ORDER[r["parameter"]],) + sort_key(r)


def make_ids_unique(rows: list[dict]) -> list[dict]:
    """Give every row a unique id (the factor database rejects a repeated id).

    A reference row that feeds one shipped row keeps its id (``fuels-0036``). One that feeds several
    (one table row used for two categories, one rate used for several fuels) gets a suffix with the
    fields that tell its uses apart, in the order parameter, category, item:
    ``fuels-0036:raw_coal``, ``fuels-0251:1.A.4.b:raw_coal``, ``fuels-0428:ncv``. The part before
    the first ``:`` is always the reference id.
    """
    uses: dict[str, list[dict]] = {}
    for r in rows:
        uses.setdefault(r["id"], []).append(r)
    for rid, group in uses.items():
        if len(group) == 1:
            continue
        # the smallest set of fields (fewest, then in this order) that tells the uses apart
        fields = next(
            c
            for k in (1, 2, 3)
            for c in itertools.combinations(("parameter", "category", "item"), k)
            if len({tuple(r[f] for f in c) for r in group}) == len(group)
        )
        for r in group:
            r["id"] = ":".join([rid] + [r[f] for f in fields])
    return rows


def render(rows: list[dict], key=sort_key) -> str:
    rows = make_ids_unique(rows)
    assert len({r["id"] for r in rows}) == len(rows)
    keys = [(r["parameter"], r["category"], r["item"], r["gas"], r["factor_set"], r["year_from"]) for r in rows]
    dup = {k for k in keys if keys.count(k) > 1}
    assert not dup, f"duplicate keys: {sorted(dup)}"
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    for r in sorted(rows, key=key):
        w.writerow(r)
    return buf.getvalue()


# ---------------------------------------------------------------------------------------------
# What later checks found (reference PROVENANCE.md), applied to the rows built above.
# ---------------------------------------------------------------------------------------------

#: enterprise-guideline defaults taken from code that names no document; the standard enterprise
#: table (NY/T 4243-2022 = GB/T 32151.22-2024 表C.1) disagrees for 6 of the 7
DOUBTFUL_ENTERPRISE = {f"fuels-04{n}" for n in range(23, 30)}
DOUBTFUL_NOTE = (
    "found doubtful by a later check (PROVENANCE.md): the enterprise-guideline defaults fuels-0423…0429 "
    "come from code naming no document and the standard enterprise table disagrees for 6 of 7: memory grade, "
    "supply a local value"
)
PRESS_NOTE = "seen only through press reports of the announcement, not its annex: secondary until the annex is read"
ETS_NOTE = "环办气候函〔2023〕43号 default, credited by two sources (PROVENANCE.md): secondary"


def apply_later_checks(rows: list[dict], grid_reference: list[dict]) -> list[dict]:
    """Demote what the later checks found: enterprise-guideline rows to memory; grid factors seen
    only through press reports to secondary; the ETS reporting default 0.5703 to secondary."""
    press = {r["id"] for r in grid_reference if r["source_type"] == "news_report"}
    for r in rows:
        base = r["id"].split(":", 1)[0]
        cites = DOUBTFUL_ENTERPRISE & set(r["note"].replace(",", " ").replace(")", " ").split())
        if base in DOUBTFUL_ENTERPRISE or (r["source"] == SRC_ENTERPRISE and r["confidence"] != "memory") or (
                base == "derived-tce-briquettes" and cites):
            r["confidence"] = "memory"
            r["note"] = join(r["note"], DOUBTFUL_NOTE)
        elif base in press and r["confidence"] == "verified":
            r["confidence"] = "secondary"
            r["note"] = join(r["note"], PRESS_NOTE)
        elif base == "grid_ef-0025":
            r["confidence"] = "secondary"
            r["note"] = join(r["note"], ETS_NOTE)
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "reference",
        nargs="?",
        type=Path,
        default=DEFAULT_REFERENCE,
        help="folder with fuels.csv and grid_ef.csv (default: ../shared/reference/factors)",
    )
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: inventory/data/factors)")
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 if the files differ")
    a = ap.parse_args(argv)

    fuels = Reference(read_reference(a.reference / "fuels.csv"))
    grid = read_reference(a.reference / "grid_ef.csv")
    outputs = {
        "energy_combustion.csv": render(apply_later_checks(build_energy(fuels), grid)),
        "electricity_heat.csv": render(apply_later_checks(build_grid(grid, fuels), grid), key=grid_sort_key),
    }
    status = 0
    for name, text in outputs.items():
        path = a.out / name
        if a.check:
            current = path.read_text(encoding="utf-8") if path.exists() else None
            if current != text:
                print(f"{path}: differs from the build", file=sys.stderr)
                status = 1
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".csv.tmp")
        tmp.write_bytes(text.encode("utf-8"))
        tmp.replace(path)
        print(f"wrote {path} ({text.count(chr(10)) - 1} rows)")
    return status


if __name__ == "__main__":
    sys.exit(main())
