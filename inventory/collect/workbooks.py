"""Excel data-collection workbooks: write the templates, read the filled ones back (openpyxl).

One workbook per department × region × year. Why a year per workbook rather than a year column:
data is requested and filed once a year (the 年报 cycle); one workbook is one submission that one
person fills, signs and can be asked about; its year is fixed by the template (no year typed
wrong), last year's values stand beside this year's cells, and a revision of a year is simply a
new copy of that year's workbook, replacing the earlier records when ingested (both copies are kept).

Layout of a data sheet (both layouts, see :mod:`inventory.collect.departments`):

* rows 1–3: title, region / year / department, how to fill in;
* row 4 (hidden): the key of each column (``item=raw_coal|unit=吨``, ``value``, ``notation``,
  ``source``, ``note``, ``ref:…``); column A (hidden): the key of each row
  (``category=1.A.2.a`` or ``category=3.A|item=swine|quantity=stock_year_end|unit=头``).
  Reading goes by these keys, not by cell addresses: a row moved, sorted or inserted does not
  shift a value onto the wrong record;
* rows 5–6: headings and units; data from row 7; yellow cells are the input cells (unlocked,
  validated), everything else is locked (sheet protection without a password: it guards against
  slips, not against the user);
* to the right, last year's values (grey, for reference, never read back).

A very hidden sheet ``_workbench`` holds the template version, department, region and year, so
a workbook filed under the wrong county or year, or made from an old template, is caught.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from inventory import __version__
from inventory.collect.departments import Department, SheetSpec, departments
from inventory.collect.enterprises import ENTERPRISES
from inventory.core.errors import Issue
from inventory.core.regions import RegionRegistry
from inventory.core.safetext import set_text
from inventory.core.units import conversion_factor
from inventory.core.vocabulary import NOTATION_KEYS, load_vocabulary

__all__ = ["TEMPLATE_VERSION", "META_SHEET", "INSTRUCTIONS_SHEET", "WorkbookMeta", "CellRecord", "workbook_name",
           "build_workbook", "save_workbook", "check_archive", "read_workbook", "parse_cell_number", "records_of",
           "sheet_keys", "write_templates"]

TEMPLATE_VERSION = 1
META_SHEET = "_workbench"
INSTRUCTIONS_SHEET = "填表说明"
KEY_ROW, HEADING_ROW, UNIT_ROW, FIRST_ROW = 4, 5, 6, 7
KEYS_MARK = "#keys"
ILLUSTRATIVE = "示例数据，非官方统计"

_INPUT_FILL = "FFF2CC"
_LABEL_FILL = "F2F2F2"
_REFERENCE_FILL = "E7E6E6"
_HEADING_FILL = "DDEBF7"
_NOTATION_LIST = ",".join(NOTATION_KEYS)
#: the author of the comments the workbench writes (the notes of a workbook it fills: the demo, tests)
COMMENT_AUTHOR = "workbench"


# ----------------------------------------------------------------------------------------------
# keys


def encode_key(parts: dict[str, str]) -> str:
    return "|".join(f"{k}={v}" for k, v in sorted(parts.items()))


def decode_key(text: str) -> dict[str, str] | None:
    parts = {}
    for piece in str(text).split("|"):
        if "=" not in piece:
            return None
        key, value = piece.split("=", 1)
        parts[key.strip()] = value.strip()
    return parts


def workbook_name(department: Department, region: str, year: int, registry: RegionRegistry) -> str:
    """``2023_430523_邵阳县_统计局.xlsx``: year, code and name first, so a folder sorts by them."""
    name = registry[region].name_zh if region in registry else region
    safe = re.sub(r"[\\/:*?\"<>|]", "_", f"{year}_{region}_{name}_{department.name_zh}")
    return f"{safe}.xlsx"


# ----------------------------------------------------------------------------------------------
# writing


def _previous_values(records: pd.DataFrame | None, unit_of) -> dict[str, object]:
    """Last year's value of each record key of ``sheet`` in the template's unit (or its notation key)."""
    if records is None or records.empty:
        return {}
    found = {}
    for row in records.itertuples(index=False):
        key = encode_key({"category": row.category, "item": row.item, "quantity": row.quantity})
        if row.notation:
            found[key] = row.notation
        elif not (isinstance(row.value, float) and math.isnan(row.value)):
            unit = unit_of(row.item, row.quantity)
            found[key] = _cell_number(row.value * conversion_factor(row.unit, unit))
    return found


def _cell_number(value: float) -> float:
    """A value for a cell: 10 significant digits, so that unit conversions do not show 956.9999999."""
    return float(f"{value:.10g}")


@dataclass
class _Fill:
    """What a filled workbook holds (the demo, tests): cell values and notes by record key."""

    values: dict[str, object]
    sources: dict[str, str]
    notes: dict[str, str]


def _fill_from(records: pd.DataFrame | None, unit_of) -> _Fill | None:
    if records is None:
        return None
    values, sources, notes = {}, {}, {}
    for row in records.itertuples(index=False):
        key = encode_key({"category": row.category, "item": row.item, "quantity": row.quantity})
        if row.notation:
            values[key] = row.notation
        else:
            values[key] = _cell_number(row.value * conversion_factor(row.unit, unit_of(row.item, row.quantity)))
        if row.source:
            sources[key] = row.source
        if row.note:
            notes[key] = row.note
    return _Fill(values, sources, notes)


def applicable(category: str, item: str, quantity: str) -> bool:
    """Whether a grid cell can hold a record (heat has no stock change, electricity no import of ...)."""
    vocabulary = load_vocabulary()
    return vocabulary.category_allowed(item, category) and vocabulary.canonical_unit(item, quantity) is not None


def sheet_keys(spec: SheetSpec) -> set[tuple[str, str, str]]:
    """The (category, item, quantity) of every input cell of a sheet."""
    fixed = dict(spec.fixed)
    keys = set()
    for line in spec.lines:
        for column in spec.columns or (None,):
            parts = {**fixed, **line.fixed, **(column.fixed if column is not None else {})}
            key = (parts["category"], parts["item"], parts["quantity"])
            if applicable(*key):
                keys.add(key)
    return keys


def records_of(department: Department, records: pd.DataFrame) -> pd.DataFrame:
    """The records (annual, not by period) that ``department``'s workbook holds."""
    keys = set().union(*(sheet_keys(spec) for spec in department.sheets))
    mine = [(c, i, q) in keys for c, i, q in zip(records["category"], records["item"], records["quantity"])]
    return records[pd.Series(mine, index=records.index, dtype=bool) & (records["period"] == "")]


def build_workbook(department: Department, region: str, year: int, registry: RegionRegistry,
                   previous: pd.DataFrame | None = None, filled: pd.DataFrame | None = None,
                   contact: str = "", illustrative: bool = False):
    """The workbook (an ``openpyxl.Workbook``) for ``department``, ``region`` and ``year``.

    ``previous``: activity records of the year before (shown for reference); ``filled``: records to
    fill in (demo workbooks and tests; in template units, notes as cell comments in grids).
    """
    from openpyxl import Workbook
    from openpyxl.workbook.protection import WorkbookProtection

    from inventory.collect.departments import template_unit

    region_label = registry[region].label("zh") if region in registry else region
    workbook = Workbook()
    workbook.remove(workbook.active)
    _instructions(workbook.create_sheet(INSTRUCTIONS_SHEET), department, region_label, year, contact, illustrative)
    fill = _fill_from(filled, template_unit)
    placed: list[tuple[str, str, object]] = []  # last year's values as written: (sheet|row key|column key, value)
    for spec in department.sheets:
        reference = _previous_values(previous, template_unit)
        sheet = workbook.create_sheet(spec.name)
        if spec.layout == "grid":
            _grid_sheet(sheet, spec, region_label, year, department, reference, fill, illustrative, placed)
        else:
            _list_sheet(sheet, spec, region_label, year, department, reference, fill, illustrative, placed)
    _meta_sheet(workbook.create_sheet(META_SHEET), department, region, year, placed)
    workbook.security = WorkbookProtection(lockStructure=True)  # no sheet renamed, deleted or unhidden
    workbook.properties.creator = f"ghg-inventory-workbench {__version__}"
    workbook.properties.title = f"{department.name_zh} {region_label} {year}"
    stamp = dt.datetime(year + 1, 1, 1)  # fixed: the same template is the same file
    workbook.properties.created = workbook.properties.modified = stamp
    workbook.active = 0
    return workbook


def save_workbook(workbook, path: Path) -> None:
    """Write ``workbook`` atomically, with fixed zip timestamps (the same content, the same bytes)."""
    from inventory.core.results import atomic_write_bytes

    buffer = io.BytesIO()
    workbook.save(buffer)
    stable = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, \
            zipfile.ZipFile(stable, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(2020, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the time of saving: use the created date
                created = re.search(rb"<dcterms:created[^>]*>([^<]*)<", content)
                if created:
                    content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(<)", rb"\g<1>" + created.group(1) + rb"\2",
                                     content)
            target.writestr(entry, content)
    atomic_write_bytes(Path(path), stable.getvalue())


def _put(sheet, row: int, column: int, value: object = None):
    """The cell at ``row``, ``column`` with ``value``: text is written as text, never as a formula (region
    names, contacts, last year's sources and notes come from input files)."""
    cell = sheet.cell(row, column)
    if value is not None:
        set_text(cell, value)
    return cell


def _styles():
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

    thin = Side(style="thin", color="BFBFBF")
    return {
        "input": PatternFill("solid", fgColor=_INPUT_FILL), "label": PatternFill("solid", fgColor=_LABEL_FILL),
        "reference": PatternFill("solid", fgColor=_REFERENCE_FILL),
        "heading": PatternFill("solid", fgColor=_HEADING_FILL),
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "bold": Font(bold=True), "title": Font(bold=True, size=14), "grey": Font(color="808080", italic=True),
        "red": Font(bold=True, color="C00000"),
        "wrap": Alignment(wrap_text=True, vertical="top"), "centre": Alignment(horizontal="center", vertical="center",
                                                                              wrap_text=True),
        "unlocked": Protection(locked=False), "locked": Protection(locked=True),
    }


def _header_block(sheet, spec: SheetSpec, region_label: str, year: int, department: Department, width: int,
                  illustrative: bool) -> None:
    style = _styles()
    _put(sheet, 1, 2, f"{spec.name} / {spec.name_en}").font = style["title"]
    _put(sheet, 2, 2, f"{region_label} · {year} 年 · {department.name_zh}（{department.name_en}）").font = style["bold"]
    note = ("黄色单元格填写数值；没有数值时填注释符号（NO 未发生、NE 未估算、NA 不适用、IE 已计入其他、C 保密）。"
            " Fill the yellow cells; where there is no number, a notation key.")
    if illustrative:
        note = f"【{ILLUSTRATIVE} — illustrative data, not official statistics】 " + note
    cell = _put(sheet, 3, 2, note)
    cell.font = style["red"] if illustrative else style["grey"]
    _put(sheet, KEY_ROW, 1, KEYS_MARK)
    sheet.row_dimensions[KEY_ROW].hidden = True
    sheet.column_dimensions["A"].hidden = True
    sheet.row_dimensions[3].height = 30
    sheet.merge_cells(start_row=3, start_column=2, end_row=3, end_column=max(width, 6))
    sheet["B3"].alignment = style["wrap"]


def _lines(text: object, width: float) -> int:
    """How many lines ``text`` takes in a wrapped cell ``width`` characters wide (CJK count double)."""
    count = 0
    for part in str(text or "").split("\n"):
        shown = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in part)
        count += max(1, math.ceil(shown / max(width - 1, 1)))
    return count


def _fit_row(sheet, row: int, cells: list[tuple[object, float]]) -> None:
    """Set a row's height to its tallest wrapped cell (LibreOffice and WPS do not grow rows on opening)."""
    sheet.row_dimensions[row].height = 15 * max(_lines(text, width) for text, width in cells)


def _protect(sheet) -> None:
    protection = sheet.protection
    protection.sheet = True
    protection.formatColumns = False  # widths may be changed
    protection.formatRows = False
    protection.selectLockedCells = False
    protection.selectUnlockedCells = False


def _print_setup(sheet, last_column: int, last_row: int) -> None:
    from openpyxl.utils import get_column_letter

    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{HEADING_ROW}:{UNIT_ROW}"
    sheet.print_area = f"B1:{get_column_letter(last_column)}{last_row}"


def _validation(kind: str, nonnegative: bool, unit: str = "", top_left: str = ""):
    """Data validation of an input cell: a number (≥ 0 where it must be), a notation key, or text."""
    from openpyxl.worksheet.datavalidation import DataValidation

    if kind == "notation":
        rule = DataValidation(type="list", formula1=f'"{_NOTATION_LIST}"', allow_blank=True)
        rule.promptTitle = "注释符号 / notation key"
        rule.prompt = "NO 未发生 · NE 未估算 · NA 不适用 · IE 已计入其他 · C 保密"
        rule.errorTitle, rule.error = "注释符号 / notation key", "请从列表中选择 / choose from the list"
    elif kind == "text":
        rule = DataValidation(type="textLength", operator="lessThanOrEqual", formula1="500", allow_blank=True)
        rule.errorTitle, rule.error = "文字过长 / too long", "不超过 500 字 / at most 500 characters"
    elif kind == "number":
        rule = DataValidation(type="decimal", operator="greaterThanOrEqual" if nonnegative else "between",
                              formula1="0" if nonnegative else "-1E+15", formula2=None if nonnegative else "1E+15",
                              allow_blank=True)
        rule.promptTitle = f"数值（{unit}） / number" if unit else "数值 / number"
        rule.prompt = ("只填数字，单位已固定 / a number only: the unit is fixed" +
                       ("；不能为负 / not negative" if nonnegative else ""))
        rule.errorTitle = "不是有效数值 / not a valid number"
        rule.error = "请填数字" + ("（不能为负）" if nonnegative else "") + " / enter a number" + (
            " (not negative)" if nonnegative else "")
    else:  # a grid cell: a number or a notation key, typed; ``top_left`` is the range's first cell, which
        # Excel, LibreOffice and WPS shift cell by cell over the range
        check = f"AND(ISNUMBER({top_left}),{top_left}>=0)" if nonnegative else f"ISNUMBER({top_left})"
        keys = ",".join(f'{top_left}="{k}"' for k in NOTATION_KEYS)
        rule = DataValidation(type="custom", formula1=f"OR({check},{keys})", allow_blank=True)
        rule.promptTitle = f"数值（{unit}）或注释符号" if unit else "数值或注释符号"
        rule.prompt = ("填数字" + ("（不能为负）" if nonnegative else "") + "，或注释符号 NO/NE/NA/IE/C"
                       " / a number" + (" (not negative)" if nonnegative else "") + " or a notation key")
        rule.errorTitle, rule.error = "不是数值或注释符号 / not a number or notation key", rule.prompt
    rule.showErrorMessage = True
    rule.showInputMessage = True
    return rule


def _grid_sheet(sheet, spec: SheetSpec, region_label: str, year: int, department: Department,
                reference: dict[str, str], fill: _Fill | None, illustrative: bool,
                placed: list[tuple[str, str, object]]) -> None:
    from openpyxl.comments import Comment
    from openpyxl.utils import get_column_letter

    vocabulary = load_vocabulary()
    style = _styles()
    fixed = dict(spec.fixed)
    first_value = 4  # D
    value_columns = list(range(first_value, first_value + len(spec.columns)))
    source_column = value_columns[-1] + 1
    note_column = source_column + 1
    reference_start = note_column + 2
    last_column = reference_start + len(spec.columns) - 1
    _header_block(sheet, spec, region_label, year, department, note_column, illustrative)
    # headings
    _put(sheet, HEADING_ROW, 2, "代码 / code")
    _put(sheet, HEADING_ROW, 3, "项目 / row")
    _put(sheet, UNIT_ROW, 3, "单位 / unit →")
    for column, spec_column in zip(value_columns, spec.columns):
        _put(sheet, KEY_ROW, column, encode_key({**spec_column.fixed, "unit": spec_column.unit}))
        _put(sheet, HEADING_ROW, column, f"{spec_column.label}\n{spec_column.label_en}")
        _put(sheet, UNIT_ROW, column, spec_column.unit)
    for column, key, heading in ((source_column, "source", "来源 / source"), (note_column, "note", "备注 / note")):
        _put(sheet, KEY_ROW, column, key)
        _put(sheet, HEADING_ROW, column, heading)
    for offset, spec_column in enumerate(spec.columns):
        column = reference_start + offset
        _put(sheet, KEY_ROW, column, "ref:" + encode_key(spec_column.fixed))
        _put(sheet, HEADING_ROW, column, f"上年 {year - 1}\n{spec_column.label}")
        _put(sheet, UNIT_ROW, column, spec_column.unit)
    for row in (HEADING_ROW, UNIT_ROW):
        for column in range(2, last_column + 1):
            cell = sheet.cell(row, column)
            if column == reference_start - 1:
                continue
            cell.fill = style["reference"] if column >= reference_start else style["heading"]
            cell.font = style["bold"]
            cell.alignment = style["centre"]
            cell.border = style["border"]
    sheet.row_dimensions[HEADING_ROW].height = 60
    # rows
    comments = []
    for offset, line in enumerate(spec.lines):
        row = FIRST_ROW + offset
        _put(sheet, row, 1, encode_key(line.fixed))
        _put(sheet, row, 2, line.fixed.get("category") or line.fixed.get("quantity", ""))
        _put(sheet, row, 3, f"{line.label}\n{line.label_en}")
        for column in (2, 3):
            sheet.cell(row, column).fill = style["label"]
            sheet.cell(row, column).border = style["border"]
            sheet.cell(row, column).alignment = style["wrap"]
        _fit_row(sheet, row, [(sheet.cell(row, 3).value, 30)])
        for column, spec_column in zip(value_columns, spec.columns):
            cell = sheet.cell(row, column)
            parts = {**fixed, **line.fixed, **spec_column.fixed}
            if not applicable(parts["category"], parts["item"], parts["quantity"]):
                set_text(cell, "—")
                cell.fill, cell.border = style["label"], style["border"]
                cell.alignment = style["centre"]
                continue
            cell.fill, cell.border, cell.protection = style["input"], style["border"], style["unlocked"]
            cell.number_format = "#,##0.####"
            key = encode_key(parts)
            if fill is not None and key in fill.values:
                set_text(cell, fill.values[key])
                if key in fill.notes:
                    comments.append((cell, fill.notes[key]))
            if key in reference:
                target = sheet.cell(row, reference_start + (column - first_value))
                set_text(target, reference[key])
                placed.append((f"{spec.name}|{encode_key(line.fixed)}|ref:{encode_key(spec_column.fixed)}",
                               reference[key]))
                target.number_format = "#,##0.####"
        for column in (source_column, note_column):
            cell = sheet.cell(row, column)
            cell.fill, cell.border, cell.protection = style["input"], style["border"], style["unlocked"]
            cell.alignment = style["wrap"]
        if fill is not None:
            row_keys = [encode_key({**fixed, **line.fixed, **c.fixed}) for c in spec.columns]
            row_sources = sorted({fill.sources[k] for k in row_keys if k in fill.sources})
            if row_sources:
                _put(sheet, row, source_column, "; ".join(row_sources))
        for column in range(reference_start, last_column + 1):
            cell = sheet.cell(row, column)
            cell.fill, cell.border, cell.font = style["reference"], style["border"], style["grey"]
    for cell, text in comments:
        cell.comment = Comment(text, COMMENT_AUTHOR)
    last_row = FIRST_ROW + len(spec.lines) - 1
    # validation by row: a quantity that may be negative (stock change) gets its own rule
    for offset, line in enumerate(spec.lines):
        row = FIRST_ROW + offset
        quantity = {**fixed, **line.fixed}.get("quantity")
        nonnegative = vocabulary.nonnegative(quantity) if quantity else True
        first = f"{get_column_letter(value_columns[0])}{row}"
        rule = _validation("grid", nonnegative, top_left=first)
        rule.add(f"{first}:{get_column_letter(value_columns[-1])}{row}")
        sheet.add_data_validation(rule)
    text_rule = _validation("text", False)
    text_rule.add(f"{get_column_letter(source_column)}{FIRST_ROW}:{get_column_letter(note_column)}{last_row}")
    sheet.add_data_validation(text_rule)
    # widths, panes, print
    sheet.column_dimensions["B"].width = 10
    sheet.column_dimensions["C"].width = 30
    for column in value_columns + list(range(reference_start, last_column + 1)):
        sheet.column_dimensions[get_column_letter(column)].width = 11
    sheet.column_dimensions[get_column_letter(source_column)].width = 24
    sheet.column_dimensions[get_column_letter(note_column)].width = 24
    sheet.column_dimensions[get_column_letter(reference_start - 1)].width = 3
    sheet.freeze_panes = sheet.cell(FIRST_ROW, first_value)
    _print_setup(sheet, note_column, last_row)
    _protect(sheet)


def _list_sheet(sheet, spec: SheetSpec, region_label: str, year: int, department: Department,
                reference: dict[str, str], fill: _Fill | None, illustrative: bool,
                placed: list[tuple[str, str, object]]) -> None:
    from openpyxl.utils import get_column_letter

    vocabulary = load_vocabulary()
    style = _styles()
    headings = [("序号\nNo.", 6), ("类别\ncategory", 22), ("项目\nitem", 30), ("单位\nunit", 9),
                ("数值\nvalue", 14), ("注释符号\nnotation", 10), ("来源\nsource", 24), ("备注\nnote", 24),
                (f"上年 {year - 1}\nlast year", 12), ("说明\ndefinition", 36)]
    keys = [None, None, None, None, "value", "notation", "source", "note", "ref", None]
    _header_block(sheet, spec, region_label, year, department, len(headings) + 1, illustrative)
    for index, ((heading, width), key) in enumerate(zip(headings, keys), start=2):
        cell = _put(sheet, HEADING_ROW, index, heading)
        cell.fill = style["reference"] if key == "ref" else style["heading"]
        cell.font, cell.alignment, cell.border = style["bold"], style["centre"], style["border"]
        if key:
            _put(sheet, KEY_ROW, index, key)
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.row_dimensions[HEADING_ROW].height = 32
    sheet.row_dimensions[UNIT_ROW].hidden = True  # units are a column here
    value_column, notation_column, source_column, note_column = 6, 7, 8, 9
    rules: dict[bool, object] = {}
    for offset, line in enumerate(spec.lines):
        row = FIRST_ROW + offset
        parts = {**dict(spec.fixed), **line.fixed}
        key = encode_key({k: parts[k] for k in ("category", "item", "quantity")})
        _put(sheet, row, 1, encode_key({**parts, "unit": line.unit}))
        category = parts["category"]
        labels = [offset + 1, f"{category} {vocabulary.category_name(category, 'zh')}",
                  f"{line.label}\n{line.label_en}", line.unit]
        for column, text in enumerate(labels, start=2):
            cell = _put(sheet, row, column, text)
            cell.fill, cell.border, cell.alignment = style["label"], style["border"], style["wrap"]
        for column in (value_column, notation_column, source_column, note_column):
            cell = sheet.cell(row, column)
            cell.fill, cell.border, cell.protection = style["input"], style["border"], style["unlocked"]
        sheet.cell(row, value_column).number_format = "#,##0.####"
        if fill is not None and key in fill.values:
            value = fill.values[key]
            _put(sheet, row, notation_column if isinstance(value, str) else value_column, value)
            _put(sheet, row, source_column, fill.sources.get(key))
            _put(sheet, row, note_column, fill.notes.get(key))
        cell = _put(sheet, row, 10, reference.get(key))
        if key in reference:
            placed.append((f"{spec.name}|{encode_key({**parts, 'unit': line.unit})}|ref", reference[key]))
        cell.fill, cell.border, cell.font, cell.number_format = (style["reference"], style["border"], style["grey"],
                                                                 "#,##0.####")
        cell = _put(sheet, row, 11, line.help)
        cell.fill, cell.border, cell.alignment = style["label"], style["border"], style["wrap"]
        _fit_row(sheet, row, [(labels[2], 30), (line.help, 36)])
        nonnegative = vocabulary.nonnegative(parts["quantity"])
        if nonnegative not in rules:
            rules[nonnegative] = _validation("number", nonnegative)
            sheet.add_data_validation(rules[nonnegative])
        rules[nonnegative].add(f"F{row}")
    last_row = FIRST_ROW + len(spec.lines) - 1
    notation = _validation("notation", False)
    notation.add(f"G{FIRST_ROW}:G{last_row}")
    text = _validation("text", False)
    text.add(f"H{FIRST_ROW}:I{last_row}")
    sheet.add_data_validation(notation)
    sheet.add_data_validation(text)
    sheet.freeze_panes = sheet.cell(FIRST_ROW, value_column)
    _print_setup(sheet, 11, last_row)
    _protect(sheet)


def _instructions(sheet, department: Department, region_label: str, year: int, contact: str,
                  illustrative: bool) -> None:
    style = _styles()
    sheet.column_dimensions["A"].width = 4
    sheet.column_dimensions["B"].width = 26
    sheet.column_dimensions["C"].width = 90
    rows: list[tuple[str, str, str]] = [
        ("title", f"{year} 年温室气体清单数据采集表 — {department.name_zh}", ""),
        ("bold", f"GHG inventory data collection {year} — {department.name_en}", ""),
        ("", "地区 / region", region_label), ("", "年份 / year", str(year)),
        ("", "填报部门 / department", f"{department.name_zh}（{department.asks}）"),
        ("", "模板版本 / template", f"v{TEMPLATE_VERSION} · ghg-inventory-workbench {__version__}"),
        ("", "", ""),
        ("bold", "怎么填 / How to fill in", ""),
        ("", "1", "只在黄色单元格中填写；灰色单元格为说明和上年值，已锁定。 / Fill the yellow cells only; grey "
                  "cells are "
                  "labels and last year's values (locked)."),
        ("", "2", "单位已在表头或“单位”列固定，只填数字，不要带单位；万、亿等请按表头单位换算。 / The unit is "
                  "fixed in the "
                  "heading or unit column: enter numbers only, converted to that unit."),
        ("", "3", "没有数值时填注释符号：NO 未发生、NE 未估算、NA 不适用、IE 已计入其他（在备注中说明计入何处）、"
                  "C 保密。"
                  "不要填 0 代替“没有数据”。 / Without a number give a notation key; never 0 for 'no data'."),
        ("", "4", "在“来源”列写明数据出处（统计报表名称、文号、企业名单等），在“备注”列说明口径或估算方法。"
                  " / Say where each number comes from (source) and how it was obtained (note)."),
        ("", "5", "不要增删工作表、行或列，不要修改表头；保存为 .xlsx（WPS、LibreOffice 亦可）。"
                  " / Do not add or delete sheets, rows or columns; save as .xlsx."),
        ("", "6", "填完后交清单编制组，由 inventory ingest 读取校验，问题清单会指出工作表和单元格。"
                  " / Return it to the inventory team: the ingest check names sheet and cell of every problem."),
        ("", "", ""),
        ("bold", "各表内容 / Sheets", ""),
    ]
    for spec in department.sheets:
        rows.append(("", spec.name, spec.what))
        for definition in spec.definitions:
            rows.append(("", "", definition))
    rows += [("", "", ""), ("bold", "联系 / Contact", ""),
             ("", "疑问请联系 / questions to", contact or "清单编制组（发展和改革委员会、生态环境局） / the "
                                                     "inventory team"),
             ("", "", ""), ("bold", "填报信息 / Filled in by", "")]
    for offset, (font, label, text) in enumerate(rows, start=1):
        _put(sheet, offset, 2, label).alignment = style["wrap"]
        cell = _put(sheet, offset, 3, text)
        cell.alignment = style["wrap"]
        if font:
            sheet.cell(offset, 2).font = style[font]
        if text:
            _fit_row(sheet, offset, [(text, 90)])
    start = len(rows) + 1
    for offset, label in enumerate(("填报人 / filled in by", "联系电话 / telephone", "审核人 / checked by",
                                    "填报日期 / date"), start=start):
        _put(sheet, offset, 2, label)
        cell = sheet.cell(offset, 3)
        cell.fill, cell.border, cell.protection = style["input"], style["border"], style["unlocked"]
    if illustrative:
        cell = _put(sheet, start + 5, 2, f"{ILLUSTRATIVE} — illustrative data, not official statistics")
        cell.font = style["red"]
    _protect(sheet)
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToHeight = 0


def _meta_sheet(sheet, department: Department, region: str, year: int,
                placed: list[tuple[str, str, object]]) -> None:
    """The hidden metadata: template version, department, region, year, the sheets, and last year's
    values as written (``reference`` rows: ``sheet|row key|column key`` and the value), so that a value
    typed into the last-year column is noticed when the workbook is read."""
    rows = [("marker", "ghg-inventory-workbench data-collection template"),
            ("template_version", TEMPLATE_VERSION), ("department", department.code), ("region", region),
            ("year", year), ("workbench_version", __version__)]
    rows += [("sheet", f"{spec.name}|{spec.layout}|{encode_key(dict(spec.fixed)) if spec.fixed else ''}")
             for spec in department.sheets]
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


# ----------------------------------------------------------------------------------------------
# reading


@dataclass(frozen=True)
class WorkbookMeta:
    department: str
    region: str
    year: int
    template_version: int
    sheets: dict[str, tuple[str, dict[str, str]]]  # name -> (layout, fixed key)
    #: last year's values as the template wrote them (``sheet|row key|column key`` → value); None for a
    #: workbook made before they were recorded
    references: dict[str, object] | None = None
    #: a key enterprise's workbook (department ``enterprises``): its code, name and the row keys it asks
    enterprise: str = ""
    enterprise_name: str = ""
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class CellRecord:
    """One record read from a workbook, with the cell it came from."""

    category: str
    item: str
    quantity: str
    value: str  # normalised number text, or ""
    unit: str
    notation: str
    source: str
    note: str
    sheet: str
    cell: str
    gas: str = ""  # a key enterprise's reported emissions (the records of §2.10)
    parameter: str = ""  # a key enterprise's plant-measured process parameter (a local factor row)


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


def parse_cell_number(raw: object) -> tuple[float | None, str, str]:
    """A cell as a number: ``(value, notation_key, problem)`` — one of the three is set, or none
    (an empty cell).

    Accepts numbers, numbers stored as text, full-width digits and punctuation (１２，３４５．６),
    thousands separators, stray spaces, the minus sign −, and notation keys in any case.
    """
    if raw is None:
        return None, "", ""
    if isinstance(raw, bool):
        return None, "", f"逻辑值 {raw} 不是数值 / {raw} is not a number"
    if isinstance(raw, (int, float)):
        if not math.isfinite(raw):
            return None, "", f"{raw} 不是有限数值 / not a finite number"
        return float(raw), "", ""
    if isinstance(raw, (dt.date, dt.datetime, dt.time)):
        return None, "", f"日期 {raw} 不是数值（单元格格式为日期？） / a date, not a number"
    text = unicodedata.normalize("NFKC", str(raw)).replace("\u2212", "-").replace("\u00a0", " ").strip()
    if not text:
        return None, "", ""
    if text.upper() in NOTATION_KEYS:
        return None, text.upper(), ""
    compact = text.replace(" ", "")
    if _GROUPED.match(compact):
        compact = compact.replace(",", "")
    if _NUMBER.match(compact):
        return float(compact), "", ""
    if re.match(r"^[+-]?[\d.,]+\s*\D+$", text):
        return None, "", f"“{text}” 含单位或文字：单位已固定，只填数字 / {text!r}: numbers only, the unit is fixed"
    return None, "", f"文字“{text}”不是数值 / text {text!r} is not a number"


def _text(raw: object) -> str:
    if raw is None:
        return ""
    return unicodedata.normalize("NFKC", str(raw)).strip() if not isinstance(raw, str) else raw.strip()


def read_meta(workbook, display: str, issues: list[Issue]) -> WorkbookMeta | None:
    """The template's metadata, or None (with the problem in ``issues``) if it is not one of ours."""
    if META_SHEET not in workbook.sheetnames:
        issues.append(Issue(display, 0, "", "不是本工作台生成的数据采集表（缺少元数据工作表）：请用 inventory "
                                            "templates "
                                            "生成的模板填报 / not a workbench template (no metadata sheet)"))
        return None
    sheet = workbook[META_SHEET]
    values: dict[str, object] = {}
    declared: dict[str, tuple[str, dict[str, str]]] = {}
    references: dict[str, object] = {}
    lines: list[str] = []
    by_row: dict[int, list[object]] = {}
    for (row, column), cell_value in _filled(sheet).items():  # the cells held, not max_row × 3 made
        if column <= 3:
            by_row.setdefault(row, [None, None, None])[column - 1] = cell_value
    for key, value, written in (by_row[row] for row in sorted(by_row)):
        if key == "sheet" and value:
            name, layout, fixed = (str(value).split("|", 2) + ["", ""])[:3]
            declared[name] = (layout, decode_key(fixed) or {} if fixed else {})
        elif key == "reference" and value:
            references[str(value)] = written
        elif key == "line" and value:
            lines.append(str(value))
        elif key:
            values[str(key)] = value
    try:
        version = int(values.get("template_version") or 0)
        meta = WorkbookMeta(str(values["department"]), str(values["region"]), int(values["year"]), version,
                            declared, references if "reference_cells" in values else None,
                            str(values.get("enterprise") or ""), str(values.get("enterprise_name") or ""), tuple(lines))
    except (KeyError, TypeError, ValueError):
        issues.append(Issue(display, 0, "", "模板元数据不完整或被修改 / the template's metadata is incomplete"))
        return None
    if version != TEMPLATE_VERSION:
        issues.append(Issue(display, 0, "", (
            f"旧版模板（v{version}），当前为 v{TEMPLATE_VERSION}：请用 inventory templates 重新生成并转填 / "
            f"made from template v{version}, the current one is v{TEMPLATE_VERSION}: generate a new one")))
        return None
    if meta.department not in departments() and meta.department != ENTERPRISES:
        issues.append(Issue(display, 0, "", f"未知部门 {meta.department!r} / unknown department"))
        return None
    return meta


#: limits checked from the zip directory before a workbook is parsed (a filled template is about 200 kB
#: uncompressed in 14 members; measured, a workbook with 7.9 MiB of sheet XML peaks at about 360 MB of
#: memory while read — openpyxl loads it twice, for values and for formulas)
MAX_MEMBERS = 1000
MAX_UNCOMPRESSED = 8 * 1024 * 1024
MAX_RATIO = 100
#: cells covered by merges and hyperlink ranges in all: openpyxl makes one object per cell of each (measured:
#: one merge of 1,040,000 cells in a 32 kB file took 41 s and 337 MB to load); a template merges about 100
MAX_RANGE_CELLS = 50_000
_RANGE_REF = re.compile(rb'<(?:\w+:)?(?:mergeCell|hyperlink)\b[^>]*?\bref="\$?([A-Z]{1,3})\$?(\d{1,7})'
                        rb'(?::\$?([A-Z]{1,3})\$?(\d{1,7}))?"')


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _range_cells(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> int:
    """The cells covered by the merges and hyperlink ranges of every worksheet (read from its XML,
    whose size the caller has bounded)."""
    total = 0
    for member in members:
        if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
            for first_col, first_row, last_col, last_row in _RANGE_REF.findall(archive.read(member)):
                if last_col:
                    total += ((abs(_column_number(last_col) - _column_number(first_col)) + 1)
                              * (abs(int(last_row) - int(first_row)) + 1))
                else:
                    total += 1
    return total


def check_archive(path: Path, display: str, issues: list[Issue]) -> bool:
    """Whether the workbook at ``path`` may be parsed: a zip file whose directory declares at most
    :data:`MAX_MEMBERS` members, :data:`MAX_UNCOMPRESSED` bytes uncompressed in all, and no member
    over 1 MB compressed more than :data:`MAX_RATIO` : 1 (a decompression bomb); then, within those
    bounds, whose merges and hyperlink ranges cover at most :data:`MAX_RANGE_CELLS` cells (openpyxl
    makes an object per covered cell). The directory is read without decompressing anything; a
    member cannot yield more than its declared size (the ``zipfile`` module stops there and checks
    the CRC). Problems go to ``issues``."""
    try:
        if path.is_dir():
            issues.append(Issue(display, 0, "", "是文件夹，不是文件（名字以 .xlsx 结尾）/ a folder, not a file "
                                                "(its name ends in .xlsx)"))
            return False
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            total = sum(member.file_size for member in members)
            small = len(members) <= MAX_MEMBERS and total <= MAX_UNCOMPRESSED
            ranges = _range_cells(archive, members) if small else 0
    except PermissionError:
        issues.append(Issue(display, 0, "", "没有读取权限 / permission denied: the file cannot be read"))
        return False
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, ValueError) as exc:
        issues.append(Issue(display, 0, "", f"不是可读的 .xlsx 文件（文件损坏或不是 Excel 文件）/ not a readable "
                                            f".xlsx file (damaged, or not an Excel file): {exc}"))
        return False
    packed = [m for m in members if m.file_size > 1024 * 1024 and m.file_size > MAX_RATIO * max(m.compress_size, 1)]
    limit_mb = MAX_UNCOMPRESSED // 1024 // 1024
    if len(members) > MAX_MEMBERS:
        zh, en = f"{len(members)} 个成员", f"{len(members)} members"
    elif total > MAX_UNCOMPRESSED:
        zh, en = f"解压后 {total / 1024 / 1024:.0f} MB", f"{total / 1024 / 1024:.0f} MB uncompressed"
    elif packed:
        ratio = packed[0].file_size // max(packed[0].compress_size, 1)
        zh, en = f"{packed[0].filename} 压缩比 {ratio}:1", f"{packed[0].filename} compressed {ratio}:1"
    elif ranges > MAX_RANGE_CELLS:
        zh, en = (f"合并单元格和超链接覆盖 {ranges:,} 个单元格（上限 {MAX_RANGE_CELLS:,}）",
                  f"merged cells and hyperlinks cover {ranges:,} cells (at most {MAX_RANGE_CELLS:,})")
    else:
        return True
    issues.append(Issue(display, 0, "", (
        f"文件解压后过大，未读取（{zh}；上限 {limit_mb} MB、{MAX_MEMBERS} 个成员、压缩比 {MAX_RATIO}:1）："
        f"请用模板重新填报，不要粘贴大量数据 / too large when decompressed, not read ({en}; the limits are "
        f"{limit_mb} MB, {MAX_MEMBERS} members, a ratio of {MAX_RATIO}:1): fill in a fresh template")))
    return False


def read_workbook(path: Path, display: str, issues: list[Issue],
                  warnings: list[Issue]) -> tuple[WorkbookMeta | None, list[CellRecord]]:
    """Every record of a filled workbook; every problem (sheet and cell named) into ``issues``."""
    from openpyxl import load_workbook

    suffix = path.suffix.lower()
    if suffix in (".xls", ".et", ".ett", ".ods"):
        issues.append(Issue(display, 0, "", f"{suffix} 格式无法读取：请在 Excel / WPS 中“另存为” .xlsx / "
                                            f"save the {suffix} file as .xlsx"))
        return None, []
    if not check_archive(path, display, issues):
        return None, []
    try:
        values = load_workbook(path, data_only=True)
        formulas = load_workbook(path, data_only=False)
    except Exception as exc:  # noqa: BLE001 — any failure of the parser on a sent file is that file's problem
        issues.append(Issue(display, 0, "", f"不是可读的 .xlsx 文件（文件损坏？）/ not a readable .xlsx file "
                                            f"(damaged?): {type(exc).__name__}: {exc}"))
        return None, []
    meta = read_meta(values, display, issues)
    if meta is None:
        return None, []
    if meta.department == ENTERPRISES:
        return meta, _read_enterprise(values, formulas, meta, display, issues, warnings)
    department = departments()[meta.department]
    expected = {spec.name: spec for spec in department.sheets}
    for name in values.sheetnames:
        if name not in expected and name not in (META_SHEET, INSTRUCTIONS_SHEET):
            warnings.append(Issue(display, 0, f"{name}!", "工作表不属于模板，已忽略 / not part of the template: "
                                                          "ignored"))
    records: list[CellRecord] = []
    for name, spec in expected.items():
        if name not in values.sheetnames:
            issues.append(Issue(display, 0, f"{name}!", "缺少工作表 / the sheet is missing"))
            continue
        records += _read_sheet(values[name], formulas[name], spec, display, issues, warnings, meta.references)
    return meta, records


def _read_enterprise(values, formulas, meta: WorkbookMeta, display: str, issues: list[Issue],
                     warnings: list[Issue]) -> list[CellRecord]:
    """The records of a key enterprise's workbook (:mod:`inventory.collect.enterprises`)."""
    from inventory.collect.enterprises import SHEET, read_enterprise_sheet

    for name in values.sheetnames:
        if name not in (SHEET, META_SHEET, INSTRUCTIONS_SHEET):
            warnings.append(Issue(display, 0, f"{name}!", "工作表不属于模板，已忽略 / not part of the template: "
                                                          "ignored"))
    if not meta.enterprise:
        issues.append(Issue(display, 0, "", "模板元数据缺少企业代码 / the template's metadata has no enterprise code"))
        return []
    if SHEET not in values.sheetnames:
        issues.append(Issue(display, 0, f"{SHEET}!", "缺少工作表 / the sheet is missing"))
        return []
    return read_enterprise_sheet(values[SHEET], formulas[SHEET], list(meta.lines), display, issues, warnings,
                                 meta.references)


#: at most this many "outside the table" warnings per sheet (then one line with the count)
MAX_OUTSIDE_WARNINGS = 20
#: the unit column of a list sheet (E: 序号, 类别, 项目, 单位)
LIST_UNIT_COLUMN = 5


def _filled(sheet) -> dict[tuple[int, int], object]:
    """(row, column) → value of every cell of ``sheet`` that holds one.

    openpyxl keeps the cells it read in ``Worksheet._cells``; going through them, rather than
    ``sheet.cell`` over max_row × max_column (which makes a cell for every empty position), keeps a
    number typed into XFD1048576 from costing a million cells."""
    return {position: cell.value for position, cell in sheet._cells.items() if cell.value not in (None, "")}


def _merged_input_ranges(sheet, input_cells: set[tuple[int, int]]) -> dict[tuple[int, int], str]:
    """Input cells covered by a merge they do not head (their value is lost), by cell → range."""
    lost = {}
    for merged in sheet.merged_cells.ranges:
        cells = [(r, c) for r in range(merged.min_row, merged.max_row + 1)
                 for c in range(merged.min_col, merged.max_col + 1)]
        covered = [cell for cell in cells if cell in input_cells]
        if len(covered) > 1 or (covered and covered[0] != (merged.min_row, merged.min_col)):
            for cell in covered:
                lost[cell] = str(merged)
    return lost


def _same_reference(written: object, found: object) -> bool:
    """Whether a last-year cell still holds what the template wrote there."""
    if isinstance(written, (int, float)) and isinstance(found, (int, float)) and not isinstance(found, bool):
        return math.isclose(written, found, rel_tol=1e-9)
    return _text(written) == _text(found)


def _unit_problem(shown: str, unit: str, has_values: bool) -> tuple[bool, str]:
    """(is it an error, the message) for a unit heading that no longer says the template's unit.

    An error when numbers were entered under it: they are filed in the template's unit (the hidden
    key), whatever the heading says, so values typed in 万吨 under 吨 would be filed 10,000× too small
    — refused rather than filed wrong. A warning when nothing was entered under it."""
    try:
        factor = conversion_factor(shown, unit)
    except Exception:  # noqa: BLE001 — any text may be typed there; not a unit is simply "not the unit"
        factor = None
    off_zh = f"，差 {factor:g} 倍" if factor else ""
    off_en = f", {factor:g}× off" if factor else ""
    if not shown:
        return False, (f"单位格被清空，模板的单位是“{unit}”：数值按“{unit}”读入 / the unit heading was cleared; "
                       f"the template's unit is {unit!r}: values are read in {unit}")
    if has_values:
        return True, (f"单位被改为“{shown}”，模板的单位是“{unit}”：数值总是按“{unit}”读入，会与所填不符{off_zh}；"
                      f"请把单位改回“{unit}”，并按“{unit}”填写 / the unit heading says {shown!r}, the template's "
                      f"unit is {unit!r}: values are always read in {unit}, so they would be filed wrong{off_en}; "
                      f"change the heading back and enter the numbers in {unit}")
    return False, (f"单位被改为“{shown}”，模板的单位是“{unit}”：此列（行）没有数值，未受影响 / the unit heading says "
                   f"{shown!r}, the template's unit is {unit!r}: nothing was entered under it")


class SheetCells:
    """The input cells of one filled sheet, read the same way in every workbook (departments' and
    enterprises'): where a cell is (``sheet!B7``), a problem at it, its value (a merged range over
    input cells, or a formula saved without its computed value, is a problem), the comments on a
    row's input cells."""

    def __init__(self, sheet, formulas, name: str, display: str, issues: list[Issue], lost: dict):
        self.sheet, self.formulas, self.name, self.display, self.issues, self.lost = (
            sheet, formulas, name, display, issues, lost)

    def where(self, row: int, column: int) -> str:
        from openpyxl.utils import get_column_letter

        return f"{self.name}!{get_column_letter(column)}{row}"

    def problem(self, row: int, column: int, message: str) -> None:
        self.issues.append(Issue(self.display, 0, self.where(row, column), message))

    def value(self, row: int, column: int):
        if (row, column) in self.lost:
            self.problem(row, column, f"合并单元格 {self.lost[(row, column)]} 覆盖了填报格，请取消合并 / merged cells "
                                      f"{self.lost[(row, column)]} cover input cells: unmerge them")
            return None
        cached = self.sheet.cell(row, column).value
        written = self.formulas.cell(row, column).value
        if isinstance(written, str) and written.startswith("=") and cached is None:
            self.problem(row, column, f"公式 {written} 没有保存计算结果：请在 Excel/WPS 中打开并保存，或直接填数值 / "
                                      "a formula without a computed value: open and save the workbook, or type the "
                                      "number")
        return cached

    def comments(self, row: int, columns: list[int]) -> list[str]:
        """The comments (批注) on the input cells ``columns`` of ``row``: a person's prefixed 批注：, the
        workbench's own (the notes of a workbook it filled, author ``workbench``) as they are."""
        found = []
        for column in columns:
            comment = self.sheet.cell(row, column).comment
            text = comment.text.strip() if comment is not None and comment.text else ""
            if text:
                found.append(text if comment.author == COMMENT_AUTHOR else f"批注：{text}")
        return found


def _read_sheet(sheet, formulas, spec: SheetSpec, display: str, issues: list[Issue], warnings: list[Issue],
                references: dict[str, object] | None) -> list[CellRecord]:
    vocabulary = load_vocabulary()
    filled = _filled(sheet)
    key_row = next((r for (r, c), v in sorted(filled.items()) if c == 1 and r < 30 and v == KEYS_MARK), None)
    if key_row is None:
        issues.append(Issue(display, 0, f"{spec.name}!", "找不到隐藏的键行（表头被改动？） / the hidden key row "
                                                         "is gone"))
        return []
    fixed = dict(spec.fixed)
    column_keys = {c: str(v) for (r, c), v in sorted(filled.items()) if r == key_row and c >= 2}
    value_columns = {c: decode_key(k) for c, k in column_keys.items()
                     if k not in ("value", "notation", "source", "note", "ref") and not k.startswith("ref:")}
    named = {k: c for c, k in column_keys.items() if k in ("value", "notation", "source", "note")}
    row_keys = {r: str(v) for (r, c), v in sorted(filled.items()) if c == 1 and r > key_row}
    rows = {r: decode_key(k) for r, k in row_keys.items()}
    known_lines = {encode_key(line.fixed) for line in spec.lines}
    if spec.layout == "list":
        known_lines = {encode_key({**dict(spec.fixed), **line.fixed, "unit": line.unit}) for line in spec.lines}
        input_columns = [named[k] for k in ("value", "notation", "source", "note") if k in named]
    else:
        input_columns = list(value_columns) + [named[k] for k in ("source", "note") if k in named]
    input_cells = {(r, c) for r in rows for c in input_columns}
    lost = _merged_input_ranges(sheet, input_cells)
    records: list[CellRecord] = []

    cells = SheetCells(sheet, formulas, spec.name, display, issues, lost)
    where, problem, cell_value, comments = cells.where, cells.problem, cells.value, cells.comments

    _check_units(spec, filled, key_row, rows, value_columns, named, where, problem, warnings, display)
    _check_outside(spec, filled, key_row, row_keys, column_keys, references, where, warnings, display)
    for row, parts in rows.items():
        if parts is None or encode_key(parts) not in known_lines:
            problem(row, 1, f"行键 {row_keys[row]!r} 不属于此模板（行被改动？） / a row this template does not have")
            continue
        if spec.layout == "list":
            columns = [(named.get("value"), {}, parts.get("unit", ""))]
        else:
            columns = [(column, key, key.get("unit", "")) for column, key in value_columns.items()]
        source = _text(cell_value(row, named["source"])) if "source" in named else ""
        row_note = _text(cell_value(row, named["note"])) if "note" in named else ""
        row_comments = comments(row, [named[k] for k in ("notation", "source", "note") if k in named])
        for column, column_key, unit in columns:
            if column is None:
                continue
            key = {**fixed, **{k: v for k, v in parts.items() if k != "unit"},
                   **{k: v for k, v in column_key.items() if k != "unit"}}
            if not applicable(key["category"], key["item"], key["quantity"]):
                if sheet.cell(row, column).value not in (None, "", "—"):
                    problem(row, column, "此格不适用（标 — 的格不填）/ not applicable: leave the cells marked — empty")
                continue
            raw = cell_value(row, column)
            value, notation, message = parse_cell_number(raw)
            if spec.layout == "list" and "notation" in named:
                typed = _text(cell_value(row, named["notation"])).upper()
                if typed and typed not in NOTATION_KEYS:
                    problem(row, named["notation"], f"注释符号“{typed}”无效，应为 {'/'.join(NOTATION_KEYS)} / "
                                                    "unknown notation key")
                    typed = ""
                if typed and (value is not None or notation):
                    problem(row, column, f"同时填了数值和注释符号 {typed}，只保留一个 / both a value and a "
                                         "notation key: keep one")
                    continue
                notation = notation or typed
            if message:
                problem(row, column, message)
                continue
            if value is None and not notation:
                continue
            quantity = key.get("quantity", "")
            if value is not None and value < 0 and quantity in vocabulary.quantities.index \
                    and vocabulary.nonnegative(quantity):
                problem(row, column, f"负值 {value:g}（{vocabulary.quantities.at[quantity, 'name_zh']}"
                                     f"不能为负） / negative value ({quantity} cannot be negative)")
                continue
            note = "；".join(t for t in [row_note, *comments(row, [column]), *row_comments] if t)
            records.append(CellRecord(key["category"], key["item"], key["quantity"],
                                      "" if value is None else f"{value:.15g}", unit if value is not None else "",
                                      notation, source, note, spec.name, where(row, column).split("!", 1)[1]))
    return records


def _check_units(spec: SheetSpec, filled: dict, key_row: int, rows: dict, value_columns: dict, named: dict, where,
                 problem, warnings: list[Issue], display: str) -> None:
    """Each unit heading (a grid's unit row, a list's unit column) still says the unit of its hidden key."""
    if spec.layout == "grid":
        unit_row = key_row + 2  # keys, headings, units
        for column, key in value_columns.items():
            unit = (key or {}).get("unit", "")
            shown = _text(filled.get((unit_row, column)))
            if unit and shown != unit:
                has_values = any((row, column) in filled for row in rows)
                error, message = _unit_problem(shown, unit, has_values)
                if error:
                    problem(unit_row, column, message)
                else:
                    warnings.append(Issue(display, 0, where(unit_row, column), message))
        return
    for row, parts in rows.items():
        unit = (parts or {}).get("unit", "")
        shown = _text(filled.get((row, LIST_UNIT_COLUMN)))
        if unit and shown != unit:
            has_values = "value" in named and (row, named["value"]) in filled
            error, message = _unit_problem(shown, unit, has_values)
            if error:
                problem(row, LIST_UNIT_COLUMN, message)
            else:
                warnings.append(Issue(display, 0, where(row, LIST_UNIT_COLUMN), message))


def _check_outside(spec: SheetSpec, filled: dict, key_row: int, row_keys: dict[int, str], column_keys: dict,
                   references: dict[str, object] | None, where, warnings: list[Issue], display: str) -> None:
    """Values that reading leaves out, each a warning naming its cell: a last-year cell that no longer
    holds what the template wrote there (when the template recorded it), and a value below the table,
    in a row without a key (inserted), or right of the table."""
    reference_columns = {c: k for c, k in column_keys.items() if k == "ref" or k.startswith("ref:")}
    if references is not None:
        for row, row_key in row_keys.items():
            for column, column_key in reference_columns.items():
                written = references.get(f"{spec.name}|{row_key}|{column_key}")
                found = filled.get((row, column))
                if not _same_reference(written, found):
                    warnings.append(Issue(display, 0, where(row, column), (
                        f"上年值格现为“{_text(found)}”，模板中为“{_text(written)}”：上年值只供参考，不会读入；"
                        f"本年数值请填在本行的黄色格 / a last-year cell now holds {_text(found)!r}, the template "
                        f"had {_text(written)!r}: last year's values are for reference and never read; enter this "
                        "year's in the yellow cells of the row")))
    last_column = max(column_keys, default=1) + (1 if spec.layout == "list" else 0)  # a list's definitions
    outside = sorted((row, column) for row, column in filled
                     if row > key_row + 2 and column >= 2 and (row not in row_keys or column > last_column))
    for row, column in outside[:MAX_OUTSIDE_WARNINGS]:
        value = filled[(row, column)]
        warnings.append(Issue(display, 0, where(row, column), (
            f"表格以外的单元格有内容“{_text(value)}”：不会读入；本年数值请填在黄色格 / a cell outside the table "
            f"holds {_text(value)!r}: it is not read; enter values in the yellow cells")))
    if len(outside) > MAX_OUTSIDE_WARNINGS:
        warnings.append(Issue(display, 0, f"{spec.name}!", (
            f"表格以外还有 {len(outside) - MAX_OUTSIDE_WARNINGS} 个单元格有内容，不会读入 / "
            f"{len(outside) - MAX_OUTSIDE_WARNINGS} more cells outside the table hold values: not read")))


# ----------------------------------------------------------------------------------------------
# a folder of templates


@dataclass
class TemplateRun:
    written: list[Path]
    skipped: list[Path]  # already there (perhaps being filled in): left alone without --force


def default_template_year(data_dir: Path | None) -> int:
    """The next year to collect: the year after the last one with data, or last calendar year."""
    from inventory.core.activity import read_activity

    try:
        years = read_activity(data_dir).years if data_dir else []
    except Exception:  # no or unreadable data: the templates do not depend on it
        years = []
    return (max(years) + 1) if years else dt.date.today().year - 1


def template_regions(registry: RegionRegistry, year: int) -> list[str]:
    """Every city, county and park that exists in ``year``."""
    return [code for code, region in registry.regions.items()
            if region.level in ("city", "county", "park") and region.valid_in(year)]


def write_templates(out_dir: Path, data_dir: Path | None, regions: list[str] | None, years: list[int] | None,
                    department_codes: list[str] | None, contact: str = "", force: bool = False) -> TemplateRun:
    """One workbook per department × region × year in ``out_dir`` (never over an existing one
    unless ``force``: it may be half filled in). Last year's values come from ``data_dir``; with
    none (None) the reference cells stay empty — the shipped demo's illustrative numbers are shown
    only when it is asked for by name. A ``data_dir`` that does not exist is an error."""
    from inventory.core.activity import read_activity
    from inventory.core.errors import InputError
    from inventory.core.regions import load_regions

    if data_dir is not None and not Path(data_dir).is_dir():
        raise InputError([Issue(str(data_dir), 0, "", "数据目录不存在 / the data folder does not exist (--data)")])
    registry = load_regions(data_dir if data_dir and (Path(data_dir) / "regions.csv").exists() else None)
    issues = []
    codes = department_codes or list(departments())
    unknown = [c for c in codes if c not in departments() and c != ENTERPRISES]
    if unknown:
        issues.append(Issue("--departments", 0, "", f"unknown department(s) {', '.join(unknown)}; one of "
                                                    f"{', '.join(departments())}, {ENTERPRISES}"))
    if ENTERPRISES in codes and data_dir is None:
        issues.append(Issue("--departments", 0, "", (
            "重点企业数据表需要 --data：企业名录取自数据目录的 enterprises/*.csv / the key-enterprise workbooks need "
            "--data: the register of enterprises is the data folder's enterprises/*.csv")))
    years = years or [default_template_year(data_dir)]
    if regions:
        for code in regions:
            if code not in registry:
                issues.append(Issue("--regions", 0, "", f"unknown region code {code!r}"))
    if issues:
        raise InputError(issues)
    register = None
    if ENTERPRISES in codes:
        from inventory.collect.enterprises import read_register

        register = read_register(Path(data_dir))  # the register must be valid: an InputError names every problem
    try:
        records = read_activity(data_dir).records if data_dir and (Path(data_dir) / "activity").is_dir() else None
    except InputError:
        records = None  # reference values are a help, not a requirement
    run = TemplateRun([], [])
    if register is not None:
        _write_enterprise_templates(run, out_dir, register, registry, regions, years, contact, force)
        codes = [c for c in codes if c != ENTERPRISES]
    for year in years:
        for region in regions or template_regions(registry, year):
            canonical = registry.canonical(region, year) if registry[region].valid_in(year) else region
            previous = None
            if records is not None:
                previous = records[(records["region"] == canonical) & (records["year"] == year - 1)
                                   & (records["period"] == "")]
            illustrative = previous is not None and previous["source"].str.contains(ILLUSTRATIVE[:4]).any()
            for code in codes:
                department = departments()[code]
                path = Path(out_dir) / workbook_name(department, canonical, year, registry)
                if path.exists() and not force:
                    run.skipped.append(path)
                    continue
                workbook = build_workbook(department, canonical, year, registry, previous=previous, contact=contact,
                                          illustrative=bool(illustrative))
                save_workbook(workbook, path)
                run.written.append(path)
    return run


def _write_enterprise_templates(run: TemplateRun, out_dir: Path, register: pd.DataFrame, registry: RegionRegistry,
                                regions: list[str] | None, years: list[int], contact: str, force: bool) -> None:
    """One workbook per key enterprise of ``regions`` (all without) known for each year (records in the
    year or the year before), with last year's values from the register."""
    from inventory.collect.enterprises import build_enterprise_workbook, enterprise_register, enterprise_workbook_name

    for year in years:
        for enterprise in enterprise_register(register, year):
            if regions and enterprise.region not in regions:
                continue
            mine = register[register["enterprise"] == enterprise.code]
            previous = mine[mine["year"] == year - 1]
            illustrative = previous["source"].str.contains(ILLUSTRATIVE[:4]).any()
            path = Path(out_dir) / enterprise_workbook_name(enterprise, year, registry)
            if path.exists() and not force:
                run.skipped.append(path)
                continue
            workbook = build_enterprise_workbook(enterprise, year, registry, previous=previous, contact=contact,
                                                 illustrative=bool(illustrative))
            save_workbook(workbook, path)
            run.written.append(path)
