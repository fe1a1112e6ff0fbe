"""Key-enterprise workbooks (重点企业数据表): one per enterprise × year, written and read back.

A department workbook is one per department × region × year; key-enterprise rows in it would show
every enterprise the others' output and emissions (commercially sensitive). So each key enterprise
gets its own workbook, asking only for its own records (issue 11): the production of its products,
its electricity consumption and its own reported emissions by gas — what the IPPU sector reads from
``<data>/enterprises/*.csv`` (docs/DATA_FORMAT.md §2.10). The register of enterprises (code, name,
region, products) is the data folder's ``enterprises/*.csv`` itself: an enterprise with records in
the year or the year before gets a workbook for the year; its rows are the products and gases it
has reported in any year up to then.

The layout is that of a department's list sheet (:mod:`inventory.collect.workbooks`): hidden row and
column keys (``category=2.A.1|gas=|item=clinker|quantity=production|unit=吨``), yellow input cells with
validation, locked labels, last year's values in grey, the hidden ``_workbench`` sheet (department
``enterprises``, the enterprise's code, region and year, every row key, last year's values as
written), A4 landscape printing; every text from input is written as text.

Reading back (:func:`read_enterprise_sheet`) checks every cell as the department workbooks are
checked; :mod:`inventory.collect.ingest` files the records into ``enterprises/<code>_<year>.csv``,
validated by the IPPU sector's own reader (:func:`inventory.sectors.ippu.enterprises.read_enterprises`).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from inventory.collect.departments import Department, SheetSpec
from inventory.core.errors import Issue
from inventory.core.regions import RegionRegistry
from inventory.core.safetext import set_text
from inventory.core.units import conversion_factor
from inventory.core.vocabulary import load_vocabulary

__all__ = ["ENTERPRISES", "SHEET", "Enterprise", "EnterpriseLine", "enterprise_register", "build_enterprise_workbook",
           "enterprise_workbook_name", "enterprise_target", "plant_factor_target", "read_enterprise_sheet",
           "read_register", "ENTERPRISE_UNITS", "PLANT_PARAMETERS"]

#: the ``--departments`` code of the key-enterprise workbooks (and the department in their metadata)
ENTERPRISES = "enterprises"
SHEET = "企业数据"
#: the unit each quantity is asked in (Chinese statistical units; the reader converts them)
ENTERPRISE_UNITS = {"production": "吨", "consumption": "万千瓦时", "reported_emissions": "吨"}
#: gases asked for by IPCC category prefix (the gases the IPPU methods compute for it), besides any the
#: enterprise has reported before
_GASES = (("2.B.2", ("N2O",)), ("2.B.3", ("N2O",)), ("2.B.8", ("CO2", "CH4")), ("2.B.9", ("HFC-23",)),
          ("2.C.1", ("CO2", "CH4")), ("2.C.2", ("CO2", "CH4")), ("2.C.3", ("CO2", "CF4", "C2F6")),
          ("2.F", ("HFC-134a",)), ("2.G", ("SF6",)), ("2.", ("CO2",)))


#: process parameters a plant can measure, by IPPU category prefix: (parameter, gas, unit asked), each keyed
#: on the product item (the steps of :data:`inventory.sectors.ippu.compute.SOURCES`; CONTRACTS §4a)
PLANT_PARAMETERS = (
    ("2.A.1", (("EF_process", "CO2", "t/t"), ("CF_ckd", "", "1"))),
    ("2.A.2", (("EF_process", "CO2", "t/t"), ("CF_lkd", "", "1"), ("Ch", "", "1"))),
    ("2.A.3", (("EF_process", "CO2", "t/t"), ("CR", "", "%"))),
    ("2.B.1", (("FR", "", "GJ/t"), ("CCF", "", "t/TJ"), ("COF", "", "%"))),
    ("2.B.2", (("EF_process", "N2O", "kg/t"), ("DF", "", "%"), ("ASUF", "", "%"))),
    ("2.B.3", (("EF_process", "N2O", "kg/t"), ("DF", "", "%"), ("ASUF", "", "%"))),
    ("2.B.8.b", (("EF_process", "CO2", "t/t"), ("EF_process", "CH4", "kg/t"))),
    ("2.B.9", (("EF_process", "HFC-23", "kg/t"),)),
)


@dataclass(frozen=True)
class EnterpriseLine:
    """A row of an enterprise's sheet: its record key and unit (``parameter``: a plant-measured process
    parameter, filed as a local factor row, with the unit ``parameter_unit``)."""

    category: str
    item: str
    quantity: str
    gas: str
    parameter: str = ""
    parameter_unit: str = ""

    @property
    def unit(self) -> str:
        return self.parameter_unit if self.parameter else ENTERPRISE_UNITS[self.quantity]

    def key(self) -> dict[str, str]:
        if self.parameter:
            return {"category": self.category, "item": self.item, "parameter": self.parameter, "gas": self.gas,
                    "unit": self.unit}
        return {"category": self.category, "item": self.item, "quantity": self.quantity, "gas": self.gas,
                "unit": self.unit}

    def labels(self) -> tuple[str, str]:
        vocabulary = load_vocabulary()
        if self.parameter:
            from inventory.core.parameters import parameter

            declared = parameter(self.parameter)
            gas = f" {self.gas}" if self.gas else ""
            return (f"{vocabulary.item_name(self.item, 'zh')} · 实测{gas} {declared.name_zh}（{self.parameter}）",
                    f"{vocabulary.item_name(self.item, 'en')} · measured{gas} {declared.name_en}")
        if self.quantity == "consumption":
            return "用电量", "electricity consumption"
        zh, en = vocabulary.item_name(self.item, "zh"), vocabulary.item_name(self.item, "en")
        if self.quantity == "production":
            return f"{zh} · 产量", f"{en} · production"
        return f"{zh} · 企业自报 {self.gas} 排放量", f"{en} · reported {self.gas} emissions"


@dataclass(frozen=True)
class Enterprise:
    code: str
    name: str
    region: str
    lines: tuple[EnterpriseLine, ...]


def _gases(category: str) -> tuple[str, ...]:
    return next(gases for prefix, gases in _GASES if category.startswith(prefix))


def enterprise_register(rows: pd.DataFrame, year: int) -> list[Enterprise]:
    """The key enterprises to ask for ``year``: those with records (``read_enterprises`` rows) in ``year``
    or the year before, named and placed as in their latest such record; each asked for the products,
    electricity and gases it reported in any year up to ``year``, and the gases its products' methods have."""
    known = rows[rows["year"] <= year]
    recent = known[known["year"] >= year - 1]
    found = []
    for code in sorted(recent["enterprise"].unique()):
        mine = known[known["enterprise"] == code].sort_values(["year", "line"])
        latest = recent[recent["enterprise"] == code].sort_values(["year", "line"]).iloc[-1]
        lines: list[EnterpriseLine] = []
        products = mine[mine["quantity"] == "production"]
        for category, item in dict.fromkeys(zip(products["category"], products["item"])):
            lines.append(EnterpriseLine(category, item, "production", ""))
            reported = mine[(mine["quantity"] == "reported_emissions") & (mine["category"] == category)
                            & (mine["item"] == item)]
            # cement's process CO2 is its clinker's (IPCC 2006 Vol.3 Eq. 2.1): asked on the clinker row only
            defaults = () if item == "cement" else _gases(category)
            for gas in dict.fromkeys([*defaults, *reported["gas"]]):
                lines.append(EnterpriseLine(category, item, "reported_emissions", gas))
        for category in dict.fromkeys(mine["category"]):
            lines.append(EnterpriseLine(category, "electricity", "consumption", ""))
        for category, item in dict.fromkeys(zip(products["category"], products["item"])):
            lines += _parameter_lines(category, item)
        # a product reported only by its emissions (no production filed yet) keeps its rows too
        for row in mine[mine["quantity"] == "reported_emissions"].itertuples(index=False):
            line = EnterpriseLine(row.category, row.item, "reported_emissions", row.gas)
            if line not in lines:
                lines.append(line)
        found.append(Enterprise(code, str(latest["name"]), str(latest["region"]), tuple(lines)))
    return found


def _parameter_lines(category: str, item: str) -> list[EnterpriseLine]:
    """The plant parameters the IPPU method of a product reads (clinker's, not cement's: Vol.3 Eq. 2.2)."""
    if category == "2.A.1" and item != "clinker":
        return []
    asked = next((steps for prefix, steps in PLANT_PARAMETERS if category.startswith(prefix)), ())
    return [EnterpriseLine(category, item, "parameter", gas, name, unit) for name, gas, unit in asked]


def _safe(text: str) -> str:
    return re.sub(r"[\\/:*?\"<>|\s]", "_", text)


def enterprise_workbook_name(enterprise: Enterprise, year: int, registry: RegionRegistry) -> str:
    """``2023_430582_邵东市_DEMO-CEM-01_示例水泥企业甲（邵东）.xlsx``: year, region and code first."""
    region = registry[enterprise.region].name_zh if enterprise.region in registry else enterprise.region
    return _safe(f"{year}_{enterprise.region}_{region}_{enterprise.code}_{enterprise.name}") + ".xlsx"


def enterprise_target(code: str, year: int) -> str:
    """The file (relative to the data folder) an enterprise's workbook of ``year`` is filed into."""
    return f"enterprises/{_safe(code)}_{year}.csv"


def plant_factor_target(code: str, year: int) -> str:
    """The local factor file an enterprise's plant-measured parameters of ``year`` are filed into."""
    return f"factors/enterprise_{_safe(code)}_{year}.csv"


def _department(enterprise: Enterprise) -> Department:
    """The enterprise as the instructions sheet and the sheet headings name it."""
    spec = SheetSpec(
        SHEET, "Enterprise data", "list", (), (),
        what="本企业的产品产量、用电量和企业自报的温室气体排放量（如向碳排放权交易系统或生态环境局报送的数）。"
             "本表只含本企业的数据，其他企业看不到。 / This enterprise's production, electricity consumption and the "
             "greenhouse-gas emissions it reported itself (to the emissions-trading system or the ecology and "
             "environment bureau). The workbook holds this enterprise's rows only.",
        definitions=("产量按实物量（吨）；用电量为全厂年用电量（万千瓦时）；自报排放量为工业生产过程排放，按气体分别填报"
                     "（吨气体，不折 CO2 当量）。没有的项留空，不要填 0。"
                     "企业实测的工艺参数（由熟料 CaO/MgO 推算的排放因子、窑灰校正、合成氨原料单耗等）"
                     "填在表末“实测”各行，在来源中写明检测报告；未实测的留空（用缺省值）。",
                     "Production in tonnes; electricity for the whole plant in 10^4 kWh; reported process emissions "
                     "by gas in tonnes of the gas (not CO2e). Leave what does not apply empty, never 0. "
                     "Process parameters measured at the plant go on the 实测 rows at the end, with the test report "
                     "as the source; "
                     "leave them empty where not measured (defaults apply)."))
    return Department(ENTERPRISES, f"{enterprise.name}（{enterprise.code}）", f"key enterprise {enterprise.code}",
                      "企业能源、环保管理部门 / the plant's energy and environment office", (spec,))


def build_enterprise_workbook(enterprise: Enterprise, year: int, registry: RegionRegistry,
                              previous: pd.DataFrame | None = None, filled: pd.DataFrame | None = None,
                              contact: str = "", illustrative: bool = False):
    """The workbook (``openpyxl.Workbook``) of one enterprise and year.

    ``previous``: its records of the year before, ``filled``: records to fill in (the demo, tests) —
    both as :func:`inventory.sectors.ippu.enterprises.read_enterprises` gives them (canonical units).
    """
    from openpyxl import Workbook
    from openpyxl.workbook.protection import WorkbookProtection

    from inventory import __version__
    from inventory.collect.workbooks import INSTRUCTIONS_SHEET, META_SHEET, _instructions

    region_label = registry[enterprise.region].label("zh") if enterprise.region in registry else enterprise.region
    department = _department(enterprise)
    workbook = Workbook()
    workbook.remove(workbook.active)
    _instructions(workbook.create_sheet(INSTRUCTIONS_SHEET), department, region_label, year, contact, illustrative)
    placed: list[tuple[str, object]] = []
    _data_sheet(workbook.create_sheet(SHEET), enterprise, department, region_label, year, _by_line(previous),
                _by_line(filled), illustrative, placed)
    _meta(workbook.create_sheet(META_SHEET), enterprise, year, placed, __version__)
    workbook.security = WorkbookProtection(lockStructure=True)
    workbook.properties.creator = f"ghg-inventory-workbench {__version__}"
    workbook.properties.title = f"{enterprise.code} {year}"
    workbook.properties.created = workbook.properties.modified = dt.datetime(year + 1, 1, 1)
    workbook.active = 0
    return workbook


def _line_of(row) -> EnterpriseLine:  # a record of §2.10 (plant parameters are factor rows, not filled here)
    return EnterpriseLine(row["category"], row["item"], row["quantity"],
                          row["gas"] if row["quantity"] == "reported_emissions" else "")


def _by_line(records: pd.DataFrame | None) -> dict[EnterpriseLine, dict]:
    """Records by the line they go on, the value in the line's unit (10 significant digits)."""
    if records is None:
        return {}
    found = {}
    for row in records.to_dict("records"):
        line = _line_of(row)
        value = float(row["value"]) * conversion_factor(row["unit"], line.unit)
        found[line] = {**row, "value": float(f"{value:.10g}")}
    return found


def _data_sheet(sheet, enterprise: Enterprise, department: Department, region_label: str, year: int,
                reference: dict, fill: dict, illustrative: bool, placed: list[tuple[str, object]]) -> None:
    from openpyxl.utils import get_column_letter

    from inventory.collect.workbooks import (
        FIRST_ROW,
        HEADING_ROW,
        ILLUSTRATIVE,
        KEY_ROW,
        UNIT_ROW,
        _fit_row,
        _header_block,
        _print_setup,
        _protect,
        _put,
        _styles,
        _validation,
        encode_key,
    )

    vocabulary = load_vocabulary()
    style = _styles()
    spec = department.sheets[0]
    headings = [("序号\nNo.", 6), ("类别\ncategory", 22), ("项目\nitem", 30), ("单位\nunit", 9),
                ("数值\nvalue", 14), ("来源\nsource", 24), ("备注\nnote", 24),
                (f"上年 {year - 1}\nlast year", 12), ("说明\ndefinition", 36)]
    keys = [None, None, None, None, "value", "source", "note", "ref", None]
    _header_block(sheet, spec, region_label, year, department, len(headings) + 1, illustrative)
    note = ("黄色单元格填写数值（只填数字，单位已固定）；没有的项留空，不要填 0。本表只含本企业的数据。"
            " Fill the yellow cells with numbers in the unit shown; leave what does not apply empty. This workbook "
            "holds this enterprise's rows only.")
    set_text(sheet.cell(3, 2), (f"【{ILLUSTRATIVE} — illustrative data, not official statistics】 " if illustrative
                                else "") + note)
    for index, ((heading, width), key) in enumerate(zip(headings, keys), start=2):
        cell = _put(sheet, HEADING_ROW, index, heading)
        cell.fill = style["reference"] if key == "ref" else style["heading"]
        cell.font, cell.alignment, cell.border = style["bold"], style["centre"], style["border"]
        if key:
            _put(sheet, KEY_ROW, index, key)
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.row_dimensions[HEADING_ROW].height = 32
    sheet.row_dimensions[UNIT_ROW].hidden = True
    value_column, source_column, note_column, reference_column = 6, 7, 8, 9
    numbers = _validation("number", True)
    sheet.add_data_validation(numbers)
    for offset, line in enumerate(enterprise.lines):
        row = FIRST_ROW + offset
        row_key = encode_key(line.key())
        _put(sheet, row, 1, row_key)
        label_zh, label_en = line.labels()
        labels = [offset + 1, f"{line.category} {vocabulary.category_name(line.category, 'zh')}",
                  f"{label_zh}\n{label_en}", line.unit]
        for column, text in enumerate(labels, start=2):
            cell = _put(sheet, row, column, text)
            cell.fill, cell.border, cell.alignment = style["label"], style["border"], style["wrap"]
        for column in (value_column, source_column, note_column):
            cell = sheet.cell(row, column)
            cell.fill, cell.border, cell.protection = style["input"], style["border"], style["unlocked"]
        sheet.cell(row, value_column).number_format = "#,##0.####"
        if line in fill:
            _put(sheet, row, value_column, fill[line]["value"])
            _put(sheet, row, source_column, fill[line]["source"] or None)
            _put(sheet, row, note_column, fill[line]["note"] or None)
        cell = _put(sheet, row, reference_column, reference[line]["value"] if line in reference else None)
        if line in reference:
            placed.append((f"{SHEET}|{row_key}|ref", reference[line]["value"]))
        cell.fill, cell.border, cell.font, cell.number_format = (style["reference"], style["border"], style["grey"],
                                                                 "#,##0.####")
        help_text = ("全厂 / whole plant" if line.quantity == "consumption" else
                     "吨气体，不折 CO2 当量 / t of the gas, not CO2e" if line.quantity == "reported_emissions" else
                     "企业实测值，在来源中写明检测报告 / measured at the plant: name the test report in 来源"
                     if line.parameter else "")
        cell = _put(sheet, row, 10, help_text)
        cell.fill, cell.border, cell.alignment = style["label"], style["border"], style["wrap"]
        _fit_row(sheet, row, [(labels[2], 30), (help_text, 36)])
        numbers.add(f"F{row}")
    last_row = FIRST_ROW + max(len(enterprise.lines), 1) - 1
    text = _validation("text", False)
    text.add(f"G{FIRST_ROW}:H{last_row}")
    sheet.add_data_validation(text)
    sheet.freeze_panes = sheet.cell(FIRST_ROW, value_column)
    _print_setup(sheet, 10, last_row)
    _protect(sheet)


def _meta(sheet, enterprise: Enterprise, year: int, placed: list[tuple[str, object]], version: str) -> None:
    """The hidden metadata: as a department workbook's, with the enterprise and every row key it asks."""
    from inventory.collect.workbooks import TEMPLATE_VERSION, _protect, _put, encode_key

    rows: list[tuple[str, object]] = [
        ("marker", "ghg-inventory-workbench data-collection template"), ("template_version", TEMPLATE_VERSION),
        ("department", ENTERPRISES), ("region", enterprise.region), ("year", year),
        ("workbench_version", version), ("enterprise", enterprise.code), ("enterprise_name", enterprise.name),
        ("sheet", f"{SHEET}|list|")]
    rows += [("line", encode_key(line.key())) for line in enterprise.lines]
    rows.append(("reference_cells", len(placed)))
    for offset, (key, value) in enumerate(rows, start=1):
        _put(sheet, offset, 1, key)
        _put(sheet, offset, 2, value)
    for offset, (where, value) in enumerate(placed, start=len(rows) + 1):
        _put(sheet, offset, 1, "reference")
        _put(sheet, offset, 2, where)
        _put(sheet, offset, 3, value)
    sheet.sheet_state = "veryHidden"
    _protect(sheet)


def read_enterprise_sheet(sheet, formulas, lines: list[str], display: str, issues: list[Issue],
                          warnings: list[Issue], references: dict[str, object] | None) -> list:
    """The records of an enterprise's sheet as ``CellRecord`` (with ``gas``), every problem at its cell.

    ``lines``: the row keys the template asked (from its metadata): any other row key is an error.
    """
    from inventory.collect.workbooks import (
        KEYS_MARK,
        CellRecord,
        SheetCells,
        _check_outside,
        _check_units,
        _filled,
        _merged_input_ranges,
        _text,
        decode_key,
        parse_cell_number,
    )

    spec = SheetSpec(SHEET, "Enterprise data", "list", (), ())
    filled = _filled(sheet)
    key_row = next((r for (r, c), v in sorted(filled.items()) if c == 1 and r < 30 and v == KEYS_MARK), None)
    if key_row is None:
        issues.append(Issue(display, 0, f"{SHEET}!", "找不到隐藏的键行（表头被改动？） / the hidden key row is gone"))
        return []
    column_keys = {c: str(v) for (r, c), v in sorted(filled.items()) if r == key_row and c >= 2}
    named = {k: c for c, k in column_keys.items() if k in ("value", "source", "note")}
    row_keys = {r: str(v) for (r, c), v in sorted(filled.items()) if c == 1 and r > key_row}
    rows = {r: decode_key(k) for r, k in row_keys.items()}
    input_cells = {(r, named[k]) for r in rows for k in named}
    lost = _merged_input_ranges(sheet, input_cells)

    cells = SheetCells(sheet, formulas, SHEET, display, issues, lost)
    where, problem, cell_value = cells.where, cells.problem, cells.value
    input_columns = list(named.values())

    if "value" not in named:
        issues.append(Issue(display, 0, f"{SHEET}!", "找不到数值列（表头被改动？） / the value column is gone"))
        return []
    _check_units(spec, filled, key_row, rows, {}, named, where, problem, warnings, display)
    _check_outside(spec, filled, key_row, row_keys, column_keys, references, where, warnings, display)
    known = set(lines)
    records = []
    for row, parts in rows.items():
        if parts is None or row_keys[row] not in known:
            problem(row, 1, f"行键 {row_keys[row]!r} 不属于此模板（行被改动？） / a row this template does not have")
            continue
        value, notation, message = parse_cell_number(cell_value(row, named["value"]))
        if notation:
            message = (f"企业数据不用注释符号 {notation}：没有的项留空 / enterprise data takes no notation key: leave "
                       "what does not apply empty")
        if message:
            problem(row, named["value"], message)
            continue
        if value is None:
            continue
        if value < 0 or not math.isfinite(value):
            problem(row, named["value"], f"负值 {value:g}（不能为负） / negative value (cannot be negative)")
            continue
        source = _text(cell_value(row, named["source"])) if "source" in named else ""
        written_note = _text(cell_value(row, named["note"])) if "note" in named else ""
        note = "；".join(t for t in [written_note, *cells.comments(row, input_columns)] if t)
        records.append(CellRecord(parts["category"], parts["item"], parts.get("quantity", ""), f"{value:.15g}",
                                  parts["unit"], "", source, note, SHEET, where(row, named["value"]).split("!", 1)[1],
                                  gas=parts.get("gas", ""), parameter=parts.get("parameter", "")))
    return records


def read_register(data_dir: Path) -> pd.DataFrame:
    """The key-enterprise records of ``data_dir`` (validated by the IPPU sector's reader; empty without any).

    Raises
    ------
    InputError
        Every problem of the ``enterprises/*.csv`` files.
    """
    from inventory.sectors.ippu.enterprises import read_enterprises  # the one reader of §2.10

    return read_enterprises(data_dir).rows
