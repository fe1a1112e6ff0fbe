"""Build ``inventory/data/categories.csv`` from the IPCC 2006 tree in ``climate_categories``.

Run from the repository root (needs the ``dev`` extra, which pulls in ``climate-categories``)::

    python scripts/build_categories.py

Columns: ``code,parent,name_en,name_zh,sector,cn_heading,level``.

* ``code``, ``parent``, ``name_en``: as ``climate_categories.IPCC2006`` spells them, for every
  category below the national total (``0``) in tree order; top-level codes have an empty parent.
* ``level``: depth of the code (``1`` -> 1, ``1.A`` -> 2, ``1.A.1`` -> 3 ...).
* ``name_zh``: hand-written below (``NAME_ZH``). Every category down to level 3 has one; deeper
  categories have one where the Chinese term is standard, otherwise it is left empty and the
  workbench falls back to the English title.
* ``sector``: workbench sector derived from the code (``SECTOR_BY_PREFIX``).
* ``cn_heading``: the heading of the provincial inventory (《省级温室气体清单编制指南（试行）》) the
  category is reported under.

After the IPCC rows come the workbench's own codes (``EXTRA_ROWS``): ``EB`` (energy-balance flows),
``SOC`` (socio-economic indicators) and the memo items ``M.*`` (never part of inventory totals).

The output is deterministic: same package version, same bytes (UTF-8, no BOM, ``\\n`` line ends).
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import climate_categories

OUTPUT = Path(__file__).resolve().parent.parent / "inventory" / "data" / "categories.csv"
COLUMNS = ["code", "parent", "name_en", "name_zh", "sector", "cn_heading", "level"]
NATIONAL_TOTAL = "0"

# Longest matching prefix wins. "3" itself (AFOLU total) is put with agriculture: the provincial
# inventory has no AFOLU heading, and no activity record is expected on the bare "3" code.
SECTOR_BY_PREFIX: dict[str, tuple[str, str]] = {
    "1": ("energy", "能源活动"),
    "2": ("ippu", "工业生产过程"),
    "3": ("agriculture", "农业"),
    "3.A": ("agriculture", "农业"),
    "3.B": ("lulucf", "土地利用变化和林业"),
    "3.C": ("agriculture", "农业"),
    "3.D": ("agriculture", "农业"),
    "4": ("waste", "废弃物处理"),
    "5": ("other", "其他"),
}

NAME_ZH: dict[str, str] = {
    # 1 Energy
    "1": "能源",
    "1.A": "燃料燃烧活动",
    "1.A.1": "能源工业",
    "1.A.1.a": "主要活动电力和热力生产",
    "1.A.1.a.i": "发电",
    "1.A.1.a.ii": "热电联产",
    "1.A.1.a.iii": "供热厂",
    "1.A.1.b": "石油炼制",
    "1.A.1.c": "固体燃料制造和其他能源工业",
    "1.A.1.c.i": "固体燃料制造",
    "1.A.1.c.ii": "其他能源工业",
    "1.A.2": "制造业和建筑业",
    "1.A.2.a": "钢铁",
    "1.A.2.b": "有色金属",
    "1.A.2.c": "化工",
    "1.A.2.d": "纸浆、造纸和印刷",
    "1.A.2.e": "食品加工、饮料和烟草",
    "1.A.2.f": "非金属矿物制品",
    "1.A.2.g": "交通运输设备",
    "1.A.2.h": "机械",
    "1.A.2.i": "采矿（燃料除外）和采石",
    "1.A.2.j": "木材和木制品",
    "1.A.2.k": "建筑业",
    "1.A.2.l": "纺织和皮革",
    "1.A.2.m": "其他工业（未指明）",
    "1.A.3": "交通运输",
    "1.A.3.a": "民航",
    "1.A.3.a.i": "国际航空（国际燃料舱）",
    "1.A.3.a.ii": "国内航空",
    "1.A.3.b": "道路运输",
    "1.A.3.b.i": "乘用车",
    "1.A.3.b.i.1": "装三元催化器的乘用车",
    "1.A.3.b.i.2": "未装三元催化器的乘用车",
    "1.A.3.b.ii": "轻型货车",
    "1.A.3.b.ii.1": "装三元催化器的轻型货车",
    "1.A.3.b.ii.2": "未装三元催化器的轻型货车",
    "1.A.3.b.iii": "重型货车和客车",
    "1.A.3.b.iv": "摩托车",
    "1.A.3.b.v": "车辆蒸发排放",
    "1.A.3.c": "铁路运输",
    "1.A.3.d": "水运",
    "1.A.3.d.i": "国际水运（国际燃料舱）",
    "1.A.3.d.ii": "国内水运",
    "1.A.3.e": "其他交通运输",
    "1.A.3.e.i": "管道运输",
    "1.A.3.e.ii": "非道路移动源",
    "1.A.4": "其他部门",
    "1.A.4.a": "服务业",
    "1.A.4.b": "居民生活",
    "1.A.4.c": "农林牧渔业",
    "1.A.4.c.i": "固定源",
    "1.A.4.c.ii": "非道路车辆和其他机械",
    "1.A.4.c.iii": "渔业（移动源燃烧）",
    "1.A.5": "其他（未指明）",
    "1.A.5.a": "固定源",
    "1.A.5.b": "移动源",
    "1.A.5.b.i": "移动源（航空部分）",
    "1.A.5.b.ii": "移动源（水运部分）",
    "1.A.5.b.iii": "移动源（其他）",
    "1.B": "燃料逃逸排放",
    "1.B.1": "固体燃料",
    "1.B.1.a": "煤炭开采和矿后活动",
    "1.B.1.a.i": "井工矿",
    "1.B.1.a.i.1": "开采",
    "1.B.1.a.i.2": "矿后活动",
    "1.B.1.a.i.3": "废弃井工矿",
    "1.B.1.a.i.4": "抽采瓦斯的火炬燃烧或甲烷转化为二氧化碳",
    "1.B.1.a.ii": "露天矿",
    "1.B.1.a.ii.1": "开采",
    "1.B.1.a.ii.2": "矿后活动",
    "1.B.1.b": "无控制燃烧和煤矸石堆燃烧",
    "1.B.1.c": "固体燃料转化",
    "1.B.2": "石油和天然气系统",
    "1.B.2.a": "石油",
    "1.B.2.a.i": "放空",
    "1.B.2.a.ii": "火炬燃烧",
    "1.B.2.a.iii": "其他",
    "1.B.2.a.iii.1": "勘探",
    "1.B.2.a.iii.2": "生产和改质",
    "1.B.2.a.iii.3": "输送",
    "1.B.2.a.iii.4": "炼制",
    "1.B.2.a.iii.5": "油品分销",
    "1.B.2.a.iii.6": "其他",
    "1.B.2.b": "天然气",
    "1.B.2.b.i": "放空",
    "1.B.2.b.ii": "火炬燃烧",
    "1.B.2.b.iii": "其他",
    "1.B.2.b.iii.1": "勘探",
    "1.B.2.b.iii.2": "生产",
    "1.B.2.b.iii.3": "处理",
    "1.B.2.b.iii.4": "输送和储存",
    "1.B.2.b.iii.5": "分销",
    "1.B.2.b.iii.6": "其他",
    "1.B.3": "能源生产的其他排放",
    "1.C": "二氧化碳运输和封存",
    "1.C.1": "二氧化碳运输",
    "1.C.1.a": "管道",
    "1.C.1.b": "船舶",
    "1.C.1.c": "其他（请注明）",
    "1.C.2": "注入和封存",
    "1.C.2.a": "注入",
    "1.C.2.b": "封存",
    "1.C.3": "其他",
    # 2 IPPU
    "2": "工业过程和产品使用",
    "2.A": "矿物工业",
    "2.A.1": "水泥生产",
    "2.A.2": "石灰生产",
    "2.A.3": "玻璃生产",
    "2.A.4": "碳酸盐的其他过程使用",
    "2.A.4.a": "陶瓷",
    "2.A.4.b": "纯碱的其他使用",
    "2.A.4.c": "非冶金用氧化镁生产",
    "2.A.4.d": "其他（请注明）",
    "2.A.5": "其他（请注明）",
    "2.B": "化学工业",
    "2.B.1": "合成氨生产",
    "2.B.2": "硝酸生产",
    "2.B.3": "己二酸生产",
    "2.B.4": "己内酰胺、乙二醛和乙醛酸生产",
    "2.B.5": "电石生产（含碳化硅等碳化物）",
    "2.B.6": "二氧化钛生产",
    "2.B.7": "纯碱生产",
    "2.B.8": "石化和炭黑生产",
    "2.B.8.a": "甲醇生产",
    "2.B.8.b": "乙烯生产",
    "2.B.8.c": "二氯乙烷和氯乙烯单体生产",
    "2.B.8.d": "环氧乙烷生产",
    "2.B.8.e": "丙烯腈生产",
    "2.B.8.f": "炭黑生产",
    "2.B.9": "氟化工生产",
    "2.B.9.a": "副产物排放（HCFC-22生产的HFC-23等）",
    "2.B.9.b": "逃逸排放",
    "2.B.10": "其他（请注明）",
    "2.C": "金属工业",
    "2.C.1": "钢铁生产",
    "2.C.2": "铁合金生产",
    "2.C.3": "铝生产",
    "2.C.4": "镁生产",
    "2.C.5": "铅生产",
    "2.C.6": "锌生产",
    "2.C.7": "其他（请注明）",
    "2.D": "燃料的非能源产品和溶剂使用",
    "2.D.1": "润滑剂使用",
    "2.D.2": "石蜡使用",
    "2.D.3": "溶剂使用",
    "2.D.4": "其他（请注明）",
    "2.E": "电子工业",
    "2.E.1": "集成电路或半导体",
    "2.E.2": "TFT平板显示器",
    "2.E.3": "光伏",
    "2.E.4": "传热流体",
    "2.E.5": "其他（请注明）",
    "2.F": "消耗臭氧层物质替代品的产品使用",
    "2.F.1": "制冷和空调",
    "2.F.1.a": "制冷和固定式空调",
    "2.F.1.b": "移动式空调",
    "2.F.2": "泡沫发泡剂",
    "2.F.3": "消防",
    "2.F.4": "气雾剂",
    "2.F.5": "溶剂",
    "2.F.6": "其他应用（请注明）",
    "2.G": "其他产品制造和使用",
    "2.G.1": "电气设备",
    "2.G.1.a": "电气设备制造",
    "2.G.1.b": "电气设备使用",
    "2.G.1.c": "电气设备处置",
    "2.G.2": "其他产品使用中的SF6和PFCs",
    "2.G.2.a": "军事应用",
    "2.G.2.b": "加速器",
    "2.G.2.c": "其他（请注明）",
    "2.G.3": "产品使用中的N2O",
    "2.G.3.a": "医疗应用",
    "2.G.3.b": "压力和气雾产品的推进剂",
    "2.G.3.c": "其他（请注明）",
    "2.G.4": "其他（请注明）",
    "2.H": "其他",
    "2.H.1": "纸浆和造纸工业",
    "2.H.2": "食品和饮料工业",
    "2.H.3": "其他（请注明）",
    # 3 AFOLU
    "3": "农业、林业和其他土地利用",
    "3.A": "畜牧业",
    "3.A.1": "动物肠道发酵",
    "3.A.1.a": "牛",
    "3.A.1.a.i": "奶牛",
    "3.A.1.a.ii": "非奶牛",
    "3.A.1.b": "水牛",
    "3.A.1.c": "绵羊",
    "3.A.1.d": "山羊",
    "3.A.1.e": "骆驼",
    "3.A.1.f": "马",
    "3.A.1.g": "骡和驴",
    "3.A.1.h": "猪",
    "3.A.1.j": "其他（请注明）",
    "3.A.2": "动物粪便管理",
    "3.A.2.a": "牛",
    "3.A.2.a.i": "奶牛",
    "3.A.2.a.ii": "非奶牛",
    "3.A.2.b": "水牛",
    "3.A.2.c": "绵羊",
    "3.A.2.d": "山羊",
    "3.A.2.e": "骆驼",
    "3.A.2.f": "马",
    "3.A.2.g": "骡和驴",
    "3.A.2.h": "猪",
    "3.A.2.i": "家禽",
    "3.A.2.j": "其他（请注明）",
    "3.B": "土地",
    "3.B.1": "林地",
    "3.B.1.a": "仍为林地的林地",
    "3.B.1.b": "转化为林地的土地",
    "3.B.1.b.i": "转化为林地的农地",
    "3.B.1.b.ii": "转化为林地的草地",
    "3.B.1.b.iii": "转化为林地的湿地",
    "3.B.1.b.iv": "转化为林地的聚居地",
    "3.B.1.b.v": "转化为林地的其他土地",
    "3.B.2": "农地",
    "3.B.2.a": "仍为农地的农地",
    "3.B.2.b": "转化为农地的土地",
    "3.B.2.b.i": "转化为农地的林地",
    "3.B.2.b.ii": "转化为农地的草地",
    "3.B.2.b.iii": "转化为农地的湿地",
    "3.B.2.b.iv": "转化为农地的聚居地",
    "3.B.2.b.v": "转化为农地的其他土地",
    "3.B.3": "草地",
    "3.B.3.a": "仍为草地的草地",
    "3.B.3.b": "转化为草地的土地",
    "3.B.3.b.i": "转化为草地的林地",
    "3.B.3.b.ii": "转化为草地的农地",
    "3.B.3.b.iii": "转化为草地的湿地",
    "3.B.3.b.iv": "转化为草地的聚居地",
    "3.B.3.b.v": "转化为草地的其他土地",
    "3.B.4": "湿地",
    "3.B.4.a": "仍为湿地的湿地",
    "3.B.4.a.i": "仍为泥炭地的泥炭地",
    "3.B.4.b": "转化为湿地的土地",
    "3.B.4.b.i": "转化为泥炭开采地的土地",
    "3.B.4.b.iii": "转化为其他湿地的土地",
    "3.B.5": "聚居地",
    "3.B.5.a": "仍为聚居地的聚居地",
    "3.B.5.b": "转化为聚居地的土地",
    "3.B.5.b.i": "转化为聚居地的林地",
    "3.B.5.b.ii": "转化为聚居地的农地",
    "3.B.5.b.iii": "转化为聚居地的草地",
    "3.B.5.b.iv": "转化为聚居地的湿地",
    "3.B.5.b.v": "转化为聚居地的其他土地",
    "3.B.6": "其他土地",
    "3.B.6.a": "仍为其他土地的其他土地",
    "3.B.6.b": "转化为其他土地的土地",
    "3.B.6.b.i": "转化为其他土地的林地",
    "3.B.6.b.ii": "转化为其他土地的农地",
    "3.B.6.b.iii": "转化为其他土地的草地",
    "3.B.6.b.iv": "转化为其他土地的湿地",
    "3.B.6.b.v": "转化为其他土地的聚居地",
    "3.C": "土地上的累积源和非CO2排放源",
    "3.C.1": "生物质燃烧排放",
    "3.C.1.a": "林地生物质燃烧",
    "3.C.1.b": "农地生物质燃烧",
    "3.C.1.c": "草地生物质燃烧",
    "3.C.1.d": "其他土地生物质燃烧",
    "3.C.2": "石灰施用",
    "3.C.3": "尿素施用",
    "3.C.4": "农用地氧化亚氮直接排放",
    "3.C.5": "农用地氧化亚氮间接排放",
    "3.C.6": "动物粪便管理氧化亚氮间接排放",
    "3.C.7": "稻田甲烷排放",
    "3.C.8": "其他（请注明）",
    "3.D": "其他",
    "3.D.1": "采伐木产品",
    "3.D.2": "其他（请注明）",
    # 4 Waste
    "4": "废弃物",
    "4.A": "固体废弃物处置",
    "4.A.1": "管理的固体废弃物处置场",
    "4.A.2": "未管理的固体废弃物处置场",
    "4.A.3": "未分类的固体废弃物处置场",
    "4.B": "固体废弃物生物处理",
    "4.C": "废弃物焚烧和露天燃烧",
    "4.C.1": "废弃物焚烧",
    "4.C.2": "废弃物露天燃烧",
    "4.D": "废水处理和排放",
    "4.D.1": "生活污水处理和排放",
    "4.D.2": "工业废水处理和排放",
    "4.E": "其他（请注明）",
    # 5 Other
    "5": "其他",
    "5.A": "大气中NOx和NH3氮沉降引起的N2O间接排放",
    "5.B": "其他（请注明）",
}

# The workbench's own, non-IPCC codes (CONTRACTS §3 `EB`, `SOC`; §5 memo items `M.*`).
EXTRA_ROWS: list[dict[str, str | int]] = [
    {
        "code": "EB",
        "name_en": "Energy balance flows",
        "name_zh": "能源平衡表",
        "sector": "eb",
        "cn_heading": "能源平衡表",
    },
    # the rows of the energy balance table (能源平衡表): transformation processes and final-consumption sectors;
    # supply flows, losses and non-energy use are recorded under EB itself (the quantity says which)
    *[{"code": code, "parent": parent, "name_en": en, "name_zh": zh, "sector": "eb", "cn_heading": "能源平衡表"}
      for code, parent, en, zh in (
          ("EB.T", "EB", "Transformation", "加工转换"),
          ("EB.T.power", "EB.T", "Thermal power", "火力发电"),
          ("EB.T.heat", "EB.T", "Heat supply", "供热"),
          ("EB.T.washing", "EB.T", "Coal washing", "洗选煤"),
          ("EB.T.coking", "EB.T", "Coking", "炼焦"),
          ("EB.T.refining", "EB.T", "Oil refining and coal-to-liquids", "炼油及煤制油"),
          ("EB.T.gas", "EB.T", "Gas works", "制气"),
          ("EB.F", "EB", "Final consumption", "终端消费"),
          ("EB.F.agriculture", "EB.F", "Agriculture, forestry, animal husbandry and fishery", "农、林、牧、渔业"),
          ("EB.F.industry", "EB.F", "Industry", "工业"),
          ("EB.F.construction", "EB.F", "Construction", "建筑业"),
          ("EB.F.transport", "EB.F", "Transport, storage and post", "交通运输、仓储和邮政业"),
          ("EB.F.commerce", "EB.F", "Wholesale, retail, hotels and catering", "批发和零售业、住宿和餐饮业"),
          ("EB.F.other", "EB.F", "Other services", "其他"),
          ("EB.F.residential", "EB.F", "Residential", "居民生活"),
          ("EB.F.residential.urban", "EB.F.residential", "Residential, urban", "城镇"),
          ("EB.F.residential.rural", "EB.F.residential", "Residential, rural", "乡村"),
      )],
    {
        "code": "SOC",
        "name_en": "Socio-economic indicators",
        "name_zh": "社会经济指标",
        "sector": "socio",
        "cn_heading": "社会经济",
    },
    {
        "code": "M.ELEC",
        "name_en": "Memo: indirect CO2 of net electricity inflow",
        "name_zh": "调入调出电力间接排放",
        "sector": "memo",
        "cn_heading": "信息项",
    },
    {
        "code": "M.HEAT",
        "name_en": "Memo: indirect CO2 of net heat inflow",
        "name_zh": "热力调入调出间接排放",
        "sector": "memo",
        "cn_heading": "信息项",
    },
    {
        "code": "M.NEU",
        "name_en": "Memo: carbon in non-energy use of fuels (feedstock)",
        "name_zh": "非能源利用（原料用能）中的碳",
        "sector": "memo",
        "cn_heading": "信息项",
    },
    {
        "code": "M.BUNKER",
        "name_en": "Memo: international bunker fuels",
        "name_zh": "国际燃料舱",
        "sector": "memo",
        "cn_heading": "信息项",
    },
    {
        "code": "M.BIO",
        "name_en": "Memo: CO2 from biomass combustion",
        "name_zh": "生物质燃烧CO2",
        "sector": "memo",
        "cn_heading": "信息项",
    },
]


def code_level(code: str) -> int:
    """Depth of an IPCC code: ``1`` -> 1, ``1.A`` -> 2, ``1.A.1.a`` -> 4."""
    return code.count(".") + 1


def sector_and_heading(code: str) -> tuple[str, str]:
    """Workbench sector and provincial-inventory heading of an IPCC code (longest prefix)."""
    parts = code.split(".")
    for depth in range(len(parts), 0, -1):
        prefix = ".".join(parts[:depth])
        if prefix in SECTOR_BY_PREFIX:
            return SECTOR_BY_PREFIX[prefix]
    raise ValueError(f"no sector for IPCC code {code!r}")


def ipcc_rows() -> list[dict[str, str | int]]:
    """One row per IPCC 2006 category below the national total, in the package's tree order."""
    tree = climate_categories.IPCC2006
    rows: list[dict[str, str | int]] = []
    for code in tree.keys():
        if code == NATIONAL_TOTAL:
            continue
        category = tree[code]
        if category.codes[0] != code:  # alternative spellings (e.g. "1A1a") are not keys, but be safe
            continue
        parents = sorted(p.codes[0] for p in tree.parents(code))
        if len(parents) > 1:
            raise ValueError(f"{code}: more than one parent in climate_categories: {parents}")
        parent = parents[0] if parents else ""
        if parent == NATIONAL_TOTAL:
            parent = ""
        sector, heading = sector_and_heading(code)
        rows.append(
            {
                "code": code,
                "parent": parent,
                "name_en": category.title,
                "name_zh": NAME_ZH.get(code, ""),
                "sector": sector,
                "cn_heading": heading,
                "level": code_level(code),
            }
        )
    return rows


def extra_rows() -> list[dict[str, str | int]]:
    return [{**row, "parent": row.get("parent", ""), "level": str(row["code"]).count(".") + 1
             if str(row["code"]).startswith("EB") else 1} for row in EXTRA_ROWS]


def check(rows: list[dict[str, str | int]]) -> None:
    """Fail loudly on a Chinese name for a code the package does not have, or a gap above level 4."""
    codes = {row["code"] for row in rows}
    unknown = sorted(set(NAME_ZH) - codes)
    if unknown:
        raise ValueError(f"NAME_ZH has codes not in climate_categories.IPCC2006: {unknown}")
    missing = [row["code"] for row in rows if int(row["level"]) <= 3 and not row["name_zh"]]
    if missing:
        raise ValueError(f"categories down to level 3 without a Chinese name: {missing}")
    if len(codes) != len(rows):
        raise ValueError("duplicate category codes")


def build() -> list[dict[str, str | int]]:
    rows = ipcc_rows()
    rows += extra_rows()
    check(rows)
    return rows


def write(rows: list[dict[str, str | int]], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", type=Path, default=OUTPUT, help=f"output CSV (default {OUTPUT})")
    args = parser.parse_args(argv)
    rows = build()
    write(rows, args.out)
    named = sum(1 for row in rows if row["name_zh"])
    print(
        f"wrote {args.out}: {len(rows)} categories ({named} with a Chinese name), "
        f"climate_categories {climate_categories.__version__}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
