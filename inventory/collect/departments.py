"""What each department is asked for: the sheets of its data-collection workbook.

One :class:`Department` per data provider of a city inventory (统计局, 工信局, 农业农村局, 林业局,
住建局/城管局, 生态环境局, 供电公司). Each of its sheets lists the records of CONTRACTS §3 that
department reports, in the units Chinese statistics publish them in (吨, 万立方米, 万千瓦时, 头, 公顷,
万元 ...): the unit of every input cell is fixed by the template and kept with the records.

Two layouts:

* ``grid`` — rows × columns of one quantity (the familiar 分行业分品种 energy table: sectors down,
  fuels across, each fuel column with its unit); a cell takes a number or a notation key.
* ``list`` — one record per row (label, unit, value, notation key, source, note), for everything
  else.

Every line and column carries the part of the record key it fixes (``category``, ``item``,
``quantity``); a cell's record key is the sheet's fixed part, its line's and its column's.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from inventory.core.vocabulary import load_vocabulary

__all__ = ["Line", "Column", "SheetSpec", "Department", "departments", "TEMPLATE_UNITS"]

#: the unit a template asks for, by item group (the units of Chinese statistical yearbooks)
TEMPLATE_UNITS = {
    "fuel_solid": "吨", "fuel_liquid": "吨", "fuel_gas": "万立方米", "fuel_gas_mass": "吨",
    "electricity": "万千瓦时", "heat": "百万千焦", "product": "吨", "rice": "公顷", "fertiliser": "吨",
    "waste": "吨", "gdp": "万元", "population": "万人",
}
#: units by (group, quantity) where the group alone does not say
_QUANTITY_UNITS = {
    ("animal", "stock_year_end"): "头", ("animal", "slaughtered"): "头", ("animal", "population"): "头",
    ("forest_stock", "area"): "公顷", ("forest_stock", "volume_growth"): "立方米",
    ("forest_stock", "volume_loss"): "立方米", ("forest_area", "area"): "公顷", ("forest_area", "count"): "株",
    ("forest_area", "volume_growth"): "立方米", ("forest_area", "volume_loss"): "立方米",
    ("forest_stock", "volume_burned"): "立方米",
    ("land", "area_converted"): "公顷", ("land", "area"): "公顷", ("perennial_crop", "area"): "公顷",
    ("perennial_crop", "area_removed"): "公顷", ("perennial_crop", "area_converted"): "公顷",
    ("urban_trees", "crown_cover_area"): "公顷",
    ("wastewater_domestic", "population"): "万人",
}
_ITEM_UNITS = {"poultry": "只"}  # 家禽 are counted in 只


def template_unit(item: str, quantity: str) -> str:
    group = load_vocabulary().items.at[item, "group"]
    if item in _ITEM_UNITS:
        return _ITEM_UNITS[item]
    return _QUANTITY_UNITS.get((group, quantity)) or TEMPLATE_UNITS.get(group, "吨")


@dataclass(frozen=True)
class Line:
    """A row of a sheet: the key parts it fixes, its labels, and (list layout) its unit and help."""

    key: tuple[tuple[str, str], ...]
    label: str
    label_en: str
    unit: str = ""
    help: str = ""

    @property
    def fixed(self) -> dict[str, str]:
        return dict(self.key)


@dataclass(frozen=True)
class Column:
    """A value column of a grid: the key parts it fixes (the fuel), its labels and unit."""

    key: tuple[tuple[str, str], ...]
    label: str
    label_en: str
    unit: str

    @property
    def fixed(self) -> dict[str, str]:
        return dict(self.key)


@dataclass(frozen=True)
class SheetSpec:
    name: str  # the sheet's title in the workbook (Chinese)
    name_en: str
    layout: str  # "grid" or "list"
    fixed: tuple[tuple[str, str], ...]
    lines: tuple[Line, ...]
    columns: tuple[Column, ...] = ()
    what: str = ""  # one paragraph for the instructions sheet (Chinese / English)
    definitions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Department:
    code: str
    name_zh: str
    name_en: str
    asks: str  # whom to ask inside the department, for the instructions sheet
    sheets: tuple[SheetSpec, ...] = field(default=())

    def label(self) -> str:
        return f"{self.name_zh} / {self.name_en}"


def _k(**parts: str) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(parts.items()))


def _category_line(code: str) -> Line:
    vocabulary = load_vocabulary()
    return Line(_k(category=code), vocabulary.category_name(code, "zh"), vocabulary.category_name(code, "en"))


def _flow_line(category: str, quantity: str) -> Line:
    """A row of the energy balance: a flow (quantity) of a balance row (category)."""
    vocabulary = load_vocabulary()
    quantity_zh = vocabulary.quantities.at[quantity, "name_zh"]
    quantity_en = vocabulary.quantities.at[quantity, "name_en"]
    if category == "EB":
        return Line(_k(category=category, quantity=quantity), quantity_zh, quantity_en)
    if quantity == "final_consumption":
        return Line(_k(category=category, quantity=quantity), f"终端消费：{vocabulary.category_name(category, 'zh')}",
                    f"final consumption: {vocabulary.category_name(category, 'en')}")
    return Line(_k(category=category, quantity=quantity), f"{vocabulary.category_name(category, 'zh')}：{quantity_zh}",
                f"{vocabulary.category_name(category, 'en')}: {quantity_en}")


def _item_column(item: str, quantity: str) -> Column:
    vocabulary = load_vocabulary()
    return Column(_k(item=item), vocabulary.item_name(item, "zh"), vocabulary.item_name(item, "en"),
                  template_unit(item, quantity))


def _record_line(category: str, item: str, quantity: str, help: str = "") -> Line:
    vocabulary = load_vocabulary()
    quantity_zh = vocabulary.quantities.at[quantity, "name_zh"]
    quantity_en = vocabulary.quantities.at[quantity, "name_en"]
    return Line(_k(category=category, item=item, quantity=quantity),
                f"{vocabulary.item_name(item, 'zh')} · {quantity_zh}",
                f"{vocabulary.item_name(item, 'en')} · {quantity_en}", template_unit(item, quantity), help)


#: sectors of the energy-consumption table (the provincial guideline's sector split, IPCC codes)
ENERGY_SECTORS = ("1.A.1.a", "1.A.1.b", "1.A.1.c", "1.A.2.a", "1.A.2.b", "1.A.2.c", "1.A.2.d", "1.A.2.e",
                  "1.A.2.f", "1.A.2.g", "1.A.2.h", "1.A.2.i", "1.A.2.j", "1.A.2.k", "1.A.2.l", "1.A.2.m",
                  "1.A.3.a", "1.A.3.b", "1.A.3.c", "1.A.3.d", "1.A.3.e", "1.A.4.a", "1.A.4.b", "1.A.4.c", "1.A.5")
#: the rows of the energy-balance sheet, in the order of the balance table: supply, transformation
#: (input, output of each process), losses, final consumption by sector, non-energy use
EB_PROCESSES = ("EB.T.power", "EB.T.heat", "EB.T.washing", "EB.T.coking", "EB.T.refining", "EB.T.gas")
EB_SECTORS = ("EB.F.agriculture", "EB.F.industry", "EB.F.construction", "EB.F.transport", "EB.F.commerce",
              "EB.F.other", "EB.F.residential.urban", "EB.F.residential.rural")
EB_LINES = ([("EB", q) for q in ("production", "inflow", "outflow", "import", "export", "stock_change")]
            + [(p, q) for p in EB_PROCESSES for q in ("transformation_input", "transformation_output")]
            + [("EB", "loss")] + [(s, "final_consumption") for s in EB_SECTORS] + [("EB", "non_energy_use")])


def _fuels() -> list[str]:
    items = load_vocabulary().items
    return [i for i in items.index if items.at[i, "group"].startswith("fuel_")
            and "1.A" in items.at[i, "categories"].split(";")]


def _items_of(group: str) -> list[str]:
    items = load_vocabulary().items
    return [i for i in items.index if items.at[i, "group"] == group]


def _statistics() -> Department:
    fuels = _fuels()
    energy = SheetSpec(
        "能源消费", "Energy consumption", "grid", _k(quantity="consumption"),
        tuple(_category_line(c) for c in ENERGY_SECTORS),
        tuple(_item_column(f, "consumption") for f in fuels),
        what="分行业、分品种的化石能源消费量（作为燃料燃烧的部分），不含用作原料、材料的部分（填入“原料用能”表）。"
             " / Fossil fuels burned, by sector and fuel; feedstock use goes to the 原料用能 sheet.",
        definitions=("能源消费量按实物量填报，单位见每列表头；电力、热力不在本表填报。",
                     "Quantities in physical units as in each column's header; electricity and heat are not "
                     "reported here."))
    feedstock = SheetSpec(
        "原料用能", "Feedstock (non-energy use)", "grid", _k(quantity="non_energy_use"),
        tuple(_category_line(c) for c in ENERGY_SECTORS if c.startswith("1.A.2.")),
        tuple(_item_column(f, "non_energy_use") for f in fuels),
        what="用作原料、材料的能源（原料用能，如合成氨、甲醇用煤和天然气），不燃烧，不计入燃烧排放。"
             " / Energy used as feedstock or material (not burned; not in combustion emissions).",
        definitions=("只填作为原料、材料使用的数量；同一批能源不得在“能源消费”表重复填报。",
                     "Only the quantity used as feedstock; do not report it again in 能源消费."))
    balance = SheetSpec(
        "能源平衡", "Energy balance", "grid", (),
        tuple(_flow_line(c, q) for c, q in EB_LINES),
        tuple(_item_column(f, "production") for f in fuels + ["heat"]),
        what="能源平衡表主要流量（实物量）：生产、调入、调出、进出口、库存变化、加工转换投入产出、损失、终端消费。"
             "电力由供电公司填报。 / Main energy-balance flows in physical units; electricity comes from the "
             "grid company.",
        definitions=("库存增（－）减（＋）量：库存增加填负数，减少填正数。一次能源生产量只填本地开采、生产的一次能源；"
                     "加工转换的产品（焦炭、热力等）填在加工转换产出行。终端消费含用作原料、材料的部分，后者另在最后一行列出。",
                     "Stock change: an increase is negative, a decrease positive (the balance-table sign). Primary "
                     "production is local primary energy only; products of transformation go on the output rows. "
                     "Final consumption includes feedstock, which the last row repeats."))
    vocabulary = load_vocabulary()
    society = SheetSpec(
        "社会经济", "Socio-economic", "list", (),
        tuple([_record_line("SOC", item, "value", help) for item, help in (
            ("gdp", "当年价 / current prices"),
            ("gdp_constant", "不变价，在备注中注明基年，如 price_base=2020 / constant prices: give the base year "
                             "in 备注"),
            ("value_added_primary", "当年价 / current prices"), ("value_added_secondary", "当年价 / current prices"),
            ("value_added_industry", "当年价 / current prices"), ("value_added_tertiary", "当年价 / current prices"),
        )] + [_record_line("SOC", "population", "resident", "年末常住人口 / year-end resident population")]),
        what="地区生产总值、三次产业增加值和常住人口，用于计算能耗强度、碳排放强度和人均指标。"
             " / GDP, value added and resident population for the intensity indicators.",
        definitions=(f"{vocabulary.item_name('gdp_constant', 'zh')}：按统计局公布的不变价（基年写在备注中）。",
                     "Constant-price GDP: as published by the statistics bureau, base year in the note."))
    return Department("stats", "统计局", "Statistics bureau", "能源统计科、综合统计科 / energy and general statistics",
                      (energy, feedstock, balance, society))


def _power() -> Department:
    lines = [_record_line("EB", "electricity", "production", "水电、风电、光伏等一次电力 / hydro, wind, solar"),
             _record_line("EB.T.power", "electricity", "transformation_output", "火电厂发电量 / thermal generation"),
             _record_line("EB", "electricity", "inflow"), _record_line("EB", "electricity", "outflow"),
             _record_line("EB", "electricity", "loss", "线损 / grid losses")]
    lines += [_record_line(s, "electricity", "final_consumption") for s in EB_SECTORS]
    electricity = SheetSpec(
        "电力调入调出", "Electricity flows", "list", (), tuple(lines),
        what="本地发电量、从外地调入（购入）和向外地调出（送出）的电量、线损和全社会用电量，用于计算净调入电力的间接排放。"
             " / Local generation, electricity brought in and sent out, losses and total consumption (for the"
             " indirect emissions of the net inflow).",
        definitions=("调入：从区域外电网购入、输入本地区的电量；调出：本地区送往区域外的电量。一次电力（水电、风电、光伏）"
                     "填“产量”，火电填“火力发电：加工转换产出量”。分行业用电填各“终端消费”行。",
                     "Inflow: electricity brought into the region; outflow: sent out of it. Primary electricity "
                     "(hydro, "
                     "wind, solar) is production; thermal power is the output of thermal power; consumption by sector "
                     "goes on the final-consumption rows."))
    return Department("power", "供电公司", "Grid company", "营销部、发展策划部 / marketing and "
                                                       "planning", (electricity,))


def _industry() -> Department:
    vocabulary = load_vocabulary()
    products = [i for i in _items_of("product")]
    lines = [_record_line(vocabulary.items.at[p, "categories"].split(";")[0], p, "production") for p in products]
    lines += [_record_line("1.B.1.a.i", "raw_coal", "production", "井工煤矿原煤产量 / underground mines"),
              _record_line("1.B.1.a.ii", "raw_coal", "production", "露天煤矿原煤产量 / surface mines")]
    # IPPU (issue 11): clinker trade (clinker estimated from cement, Vol.3 Eq. 2.1), CO2 recovered for urea
    lines += [_record_line("2.A.1", "clinker", "inflow", "从本地区外购入的熟料（含进口）/ clinker brought into the "
                                                         "region (imports included)"),
              _record_line("2.A.1", "clinker", "outflow",
                           "销往本地区外的熟料（含出口）/ clinker sold out of the region (exports included)"),
              _record_line("2.B.1", "ammonia", "co2_recovered", "回收用于尿素生产的 CO₂ / recovered for urea")]
    sheet = SheetSpec(
        "工业产品产量", "Industrial products", "list", (), tuple(lines),
        what="规模以上工业企业主要产品产量（水泥熟料、石灰、平板玻璃、合成氨、电石、甲醇、乙烯、钢铁、铁合金、电解铝等），"
             "用于工业生产过程排放和重点产品碳排放强度核算；井工、露天煤矿原煤产量用于煤炭开采逃逸排放。"
             " / Output of the products with process emissions; raw coal mined (fugitive methane).",
        definitions=("平板玻璃按重量（吨）填报；如统计为重量箱，请换算后填报并在备注中注明。",
                     "Flat glass in tonnes (convert weight boxes and say so in the note)."))
    return Department("industry", "工信局", "Industry and IT bureau", "原材料工业科、运行监测科 / materials industry",
                      (sheet,))


def _agriculture() -> Department:
    animals = _items_of("animal")
    livestock = SheetSpec(
        "畜禽养殖", "Livestock", "list", (),
        tuple(_record_line("3.A", a, q, help) for a in animals for q, help in (
            ("stock_year_end", "12月31日在栏（笼）数 / on hand on 31 December"),
            ("slaughtered", "全年出栏（出售、自宰）数 / marketed or slaughtered in the year"))),
        what="主要畜禽的年末存栏量和全年出栏量，用于动物肠道发酵和粪便管理排放。"
             " / Year-end stock and animals slaughtered in the year (enteric fermentation, manure management).",
        definitions=("年末存栏：统计年度 12 月 31 日实有数量；出栏：全年出售和自宰数量（含已出售的仔畜）。",
                     "Year-end stock: on hand on 31 December; slaughtered: sold or slaughtered during the year."))
    rice = SheetSpec(
        "稻田", "Rice", "list", (),
        tuple(_record_line("3.C.7", r, "area") for r in _items_of("rice")),
        what="单季稻、双季早稻、双季晚稻播种面积（稻田甲烷）。 / Sown area of single, early and late rice.",
        definitions=("按播种面积填报（公顷）；亩请除以 15。", "Sown area in hectares (亩 ÷ 15)."))
    soil_lines = [_record_line("3.C.4", f, "amount", "折纯量 / as nutrient")
                  for f in _items_of("fertiliser") if f != "urea"]
    soil_lines.append(_record_line("3.C.4", "synthetic_n", "amount_flooded_rice",
                                   "上行中施于水稻田的部分 / of which applied to flooded rice"))
    soil_lines += [_record_line("3.C.4", f, "amount", "纯氮 / as N") for f in _items_of("soil_n")]
    soil_lines.append(_record_line("3.C.3", "urea", "amount", "实物量 / product mass"))
    soil_lines += [_record_line("3.C.2", f, "amount", "实物量 / product mass") for f in _items_of("liming_material")]
    fertiliser = SheetSpec(
        "化肥施用", "Fertiliser", "list", (), tuple(soil_lines),
        what="化肥施用量（折纯）及其中施于水稻田的氮、有机肥和秸秆还田等其他氮输入，尿素和农用石灰石、白云石实物量，"
             "用于农用地氧化亚氮、尿素和石灰施用二氧化碳排放。 / Fertiliser applied (as nutrient) and the N of it on "
             "flooded rice, other N inputs to soils, urea and agricultural lime (product mass): N2O from soils, CO2 of "
             "urea and liming.",
        definitions=("氮肥折纯：按含氮量折算的纯氮量（含尿素中的氮）；尿素另填实物量，用于尿素施用 CO2。",
                     "As N: the nitrogen content of the fertiliser (urea's N included); urea is also reported by "
                     "mass, for its CO2."))
    return Department("agriculture", "农业农村局", "Agriculture and rural affairs bureau",
                      "畜牧水产科、种植业科 / livestock and crops", (livestock, rice, fertiliser))


def _forestry() -> Department:
    species = ("chinese_fir", "masson_pine", "broadleaf", "other_conifer", "mixed")
    lines = [_record_line("3.B.1.a", f"arbor_forest.{s}", q) for s in species
             for q in ("area", "volume_growth", "volume_loss")]
    lines += [_record_line("3.B.1.a", i, "area") for i in ("bamboo", "economic_forest", "shrub_forest", "open_forest")]
    lines += [_record_line("3.B.1.a", "scattered_trees", q) for q in ("count", "volume_growth", "volume_loss")]
    sheet = SheetSpec(
        "森林资源", "Forest resources", "list", (), tuple(lines),
        what="乔木林按优势树种组的面积和蓄积年生长量、消耗量，竹林、经济林、灌木林、疏林年末面积，散生木和四旁树，用于森林碳汇核算。"
             " / Arbor forest by dominant species group: area, growing-stock growth and loss; year-end areas of "
             "bamboo, economic, shrub and open forest; scattered trees (forest carbon sinks).",
        definitions=("蓄积生长量：活立木蓄积的年生长量；蓄积消耗量：采伐、薪材、灾害等消耗的活立木蓄积。",
                     "Volume growth: annual growth of the standing stock; volume loss: harvest, fuelwood and "
                     "disturbances."))
    converted = [_record_line("3.B.1.b.i", f"arbor_forest.{s}", "area",
                              "近年新造林中尚未计入蓄积的面积 / afforestation not yet in the growing stock")
                 for s in ("chinese_fir", "masson_pine", "broadleaf")]
    converted += [_record_line("3.B.5.b.i", f"arbor_forest.{s}", q) for s in ("chinese_fir", "masson_pine")
                  for q in ("volume_loss", "volume_burned")]
    conversion = SheetSpec(
        "林地转化", "Land-use conversion", "list", (), tuple(converted),
        what="农地等转为林地（新造林）的面积；林地转为建设用地（征占用林地）清理的蓄积及其中现地燃烧的蓄积。"
             " / Land converted to forest (afforestation) by area; forest land converted to built-up land: the "
             "growing stock cleared and the part of it burnt on site.",
        definitions=("现地燃烧蓄积量：清理林木中就地焚烧部分的蓄积。",
                     "Volume burnt on site: the part of the cleared growing stock burnt where it stood."))
    return Department("forestry", "林业局", "Forestry bureau", "资源管理科 / forest resources",
                      (sheet, conversion, _land_use_sheet()))


def _land_use_sheet() -> SheetSpec:
    """Land other than forest converted to cropland, grassland, wetlands and settlements, perennial
    woody crops and urban trees (issue 13). The figures are held by the 自然资源局 (annual land-use
    change survey 年度国土变更调查: conversions, 园地) and the 住建局/城管局 (园林绿化: crown cover);
    the 林业局, which already files forest land converted, collects them in this sheet."""
    origins = {"3.B.5.b.ii": ("cropland", "orchard", "tea_garden"), "3.B.5.b.iii": ("grassland",),
               "3.B.5.b.iv": ("wetland",), "3.B.5.b.v": ("other_land",), "3.B.2.b.ii": ("grassland",),
               "3.B.2.b.v": ("other_land",), "3.B.3.b.ii": ("cropland",), "3.B.4.b.ii": ("cropland", "grassland")}
    lines = [_record_line(category, item, "area_converted", "当年由原地类转入 / converted in the year")
             for category, items in origins.items() for item in items]
    lines += [_record_line("3.B.2.a", item, q) for item in ("orchard", "tea_garden") for q in ("area", "area_removed")]
    lines.append(_record_line("3.B.5.a", "urban_trees", "crown_cover_area", "城区树冠覆盖面积 / crown cover in towns"))
    return SheetSpec(
        "土地利用变化", "Land-use change", "list", (), tuple(lines),
        what="非林地之间的土地利用转化面积（耕地、园地、草地、湿地等转为建设用地、耕地、草地、湿地），园地（果园、茶园）面积和当年"
             "清除（更新）面积，城区树木树冠覆盖面积。数据来源：自然资源局年度国土变更调查；树冠覆盖面积来自住建局/城管局园林绿化部门。"
             " / Land other than forest converted to settlements, cropland, grassland or wetlands; orchards and tea "
             "gardens (area and area cleared); urban tree crown cover. Held by the natural resources bureau (annual "
             "land-use change survey) and, for crown cover, the urban greening department.",
        definitions=("园地只填国土调查中未计入经济林的部分，避免与森林资源中的经济林重复；转化面积只计当年转化。",
                     "Orchards and tea: only the part not counted as economic forest in the forest inventory (no "
                     "double counting); conversions: the area converted in the year only."))


def _housing() -> Department:
    lines = (
        _record_line("4.A", "msw", "landfilled", "卫生填埋和简易填埋合计 / all landfills"),
        _record_line("4.A", "sewage_sludge", "landfilled"),
        _record_line("4.B", "msw", "biologically_treated", "堆肥、厌氧消化 / composting, digestion"),
        _record_line("4.B", "sewage_sludge", "biologically_treated"),
        _record_line("4.C.1", "msw", "incinerated"),
        _record_line("4.C.1", "hazardous_waste", "incinerated"),
        _record_line("4.C.1", "sewage_sludge", "incinerated"),
    )
    sheet = SheetSpec(
        "固体废弃物", "Solid waste", "list", (), lines,
        what="生活垃圾、污泥的填埋、生物处理和焚烧量，危险废物焚烧量（固体废弃物处理排放）。"
             " / Waste landfilled, biologically treated and incinerated.",
        definitions=("填埋量每年填报一次；首次编制时请同时提供历史年份的填埋量（一份年表一年）。",
                     "Landfilled amounts every year; for the first inventory also the past years (one workbook "
                     "per year)."))
    gas = SheetSpec(
        "城镇燃气", "Town gas", "list", (),
        (_record_line("1.B.2.b.iii.5", "natural_gas", "final_consumption", "燃气公司售气量 / utility sales"),),
        what="城镇燃气企业向用户销售的天然气量，用于天然气输配逃逸排放。"
             " / Natural gas sold to users (distribution leaks).",
        definitions=("按燃气企业售气量填报（万立方米）。", "Utility sales in 10^4 m3."))
    return Department("housing", "住建局/城管局", "Housing and urban management bureau", "环卫处、燃气办 / sanitation, "
                      "town gas", (sheet, gas, _landfill_sheet()))


def _landfill_sheet() -> SheetSpec:
    """The waste sector's landfill history by site type and component, recovery and treatment (issue 14)."""
    lines = [_record_line(site, "msw", "landfilled", help) for site, help in
             (("4.A.1", "卫生填埋场 / managed (sanitary) sites"), ("4.A.2", "简易填埋、堆放 / unmanaged sites"))]
    lines += [_record_line("4.A.1", item, "landfilled", "按组分（湿重）/ by component, wet weight")
              for item in ("msw_food", "msw_paper", "msw_plastics", "msw_textiles", "msw_wood", "msw_garden",
                           "msw_nappies", "msw_rubber_leather", "msw_other_inert")]
    lines += [_record_line("4.A.1", "msw", "ch4_recovered", "填埋气收集利用或火炬燃烧 / landfill gas flared or used"),
              _record_line("4.B", "composting", "treated", "湿重 / wet weight"),
              _record_line("4.B", "anaerobic_digestion", "treated", "湿重 / wet weight"),
              _record_line("4.B", "anaerobic_digestion", "ch4_recovered", "沼气回收 / biogas recovered")]
    return SheetSpec(
        "填埋历史与处理", "Landfill history and treatment", "list", (), tuple(lines),
        what="按场地类型和垃圾组分填报的填埋量（一阶衰减法需要自填埋场启用以来每一年的数据）、填埋气回收量、堆肥和厌氧消化处理量。"
             " / Waste landfilled by site type and component (the first-order-decay model needs every year since the "
             "first landfill opened), landfill gas recovered, composting and anaerobic digestion.",
        definitions=("首次编制时，请为填埋场启用以来的每一年各填一份（缺少的早年数据由模型回推估算，报告中标明）。",
                     "For the first inventory, one workbook per year since the first landfill opened (years missing "
                     "are back-cast by the model and marked in the report)."))


def _environment() -> Department:
    domestic = [_record_line("4.D.1", "domestic_wastewater", q) for q in
                ("population", "bod", "cod", "cod_removed", "cod_discharged")]
    industries = [i for i in _items_of("wastewater_industrial")]
    industrial = [_record_line("4.D.2", i, q) for i in industries for q in ("cod", "cod_removed")]
    domestic += [_record_line("4.D.1", "domestic", q) for q in ("population", "bod", "sludge_removed", "ch4_recovered")]
    industrial += [_record_line("4.D.2", i, "production", "按产品产量估算时 / when COD is estimated from output")
                   for i in ("beer", "dairy", "meat_poultry", "sugar", "starch", "alcohol")]
    sheet = SheetSpec(
        "废水", "Wastewater", "list", (), tuple(domestic + industrial),
        what="生活污水的服务人口和有机物（BOD、COD）量，分行业工业废水 COD 产生量和去除量（废水处理甲烷）。"
             " / Domestic wastewater organics and industrial COD by industry.",
        definitions=("COD 产生量：处理前的 COD；去除量：污水处理设施去除的 COD。",
                     "COD generated: before treatment; removed: taken out by treatment plants."))
    fgas = SheetSpec(
        "含氟气体", "Fluorinated gases", "list", (),
        tuple(_record_line(load_vocabulary().items.at[i, "categories"], i, "bank", help) for i, help in (
            ("sf6", "变电站、开关站在运设备 SF₆ 充装量（向供电公司收集）/ SF6 in switchgear in use (from the grid "
                    "company)"),
            ("hfc134a", "冷库、商用制冷、汽车空调 / cold stores, commercial refrigeration, mobile air conditioning"),
            ("hfc32", "R-32 空调；R-410A 按质量一半计 HFC-32、一半计 HFC-125 / R-32; R-410A half and half"),
            ("hfc125", "R-410A 的一半 / half of R-410A"))),
        what="在用设备中的含氟气体存量（电气设备 SF₆、制冷空调 HFCs），用于产品使用排放（存量 × 年排放率）。"
             " / Fluorinated gas held in equipment in use (bank × annual emission rate).",
        definitions=("存量：年末在用设备的额定充装量（吨气体）；年排放率由本地因子提供。",
                     "Bank: nameplate charge of the equipment in use at year end (t of gas); the annual emission "
                     "rate is a local factor row."))
    return Department("environment", "生态环境局", "Ecology and environment bureau", "环境统计、水生态环境科 / "
                      "environmental statistics", (sheet, fgas))


@functools.lru_cache(maxsize=1)
def departments() -> dict[str, Department]:
    """Every department, by code: ``stats``, ``power``, ``industry``, ``agriculture``, ``forestry``,
    ``housing``, ``environment``."""
    found = [_statistics(), _power(), _industry(), _agriculture(), _forestry(), _housing(), _environment()]
    return {d.code: d for d in found}
