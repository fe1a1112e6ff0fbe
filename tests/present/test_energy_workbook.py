"""The energy workbook (``energy.xlsx``, inventory.sectors.energy.compilation.write_tables) and the sheet
writer under it (inventory.present.excel), read back with openpyxl: the sheets a reviewer needs (activity
as filed with file:line, the factor rows with source and confidence, the QA flags), a number format per
column, widths, frozen headings and the A4 print setup."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from inventory.present.excel import (
    NUMBER,
    PERCENT,
    add_sheet,
    excel_value,
    header_text,
    new_workbook,
    save_workbook,
)
from inventory.sectors.energy.compilation import compile_energy, write_tables

ROOT = Path(__file__).resolve().parents[2]
BALANCE = "#,##0.0000;-#,##0.0000;0"


@pytest.fixture(scope="module")
def energy(tmp_path_factory):
    compilation = compile_energy("430523", 2022, ROOT / "data_raw")
    path = write_tables(compilation, tmp_path_factory.mktemp("energy") / "energy.xlsx")
    return compilation, load_workbook(path)


def _body(sheet, first: int = 4):
    return [[cell for cell in row] for row in sheet.iter_rows(min_row=first)]


def _column(sheet, heading: str, first: int = 3) -> int:
    return [cell.value for cell in sheet[first]].index(heading)


def test_the_workbook_has_activity_factor_and_flag_sheets(energy):
    compilation, book = energy
    assert book.sheetnames == ["排放结果", "能源平衡表（实物量）", "能源平衡表（标准量）", "平衡差额", "参考方法",
                               "电力热力调入调出", "碳排放统计核算", "双控指标", "行业", "活动数据", "排放因子",
                               "质量检查"]
    activity = book["活动数据"]
    rows = _body(activity)
    assert len(rows) == len(compilation.activity_table())
    where = _column(activity, "位置")
    assert all(str(row[where].value).startswith("activity/") and ":" in row[where].value for row in rows)
    factors = book["排放因子"]
    heading = [cell.value for cell in factors[3]]
    assert {"编号", "标准值", "单位", "来源", "出处表格", "可信度"} <= set(heading)
    assert len(_body(factors)) == len(compilation.factors_table())
    confidence = _column(factors, "可信度")
    assert {row[confidence].value for row in _body(factors)} <= {"verified", "local", "derived", "secondary", "memory"}
    assert len(_body(book["质量检查"])) == len(compilation.flags_table()) > 0
    assert [cell.value for cell in book["行业"][3]][0] == "行业"  # the industry view's first column is named


def test_every_sheet_prints_on_a4_with_its_heading_frozen_and_repeated(energy):
    _, book = energy
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "B4", sheet.title
        assert sheet.print_title_rows == "$1:$3", sheet.title
        assert int(sheet.page_setup.paperSize) == 9, sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1, sheet.title
        assert sheet.oddHeader.left.text == "内部资料 / internal", sheet.title
        assert sheet.oddHeader.right.text == "未经审定 / not yet approved", sheet.title
        assert sheet.oddFooter.center.text == "第 &P 页，共 &N 页 / page &P of &N", sheet.title
        assert sheet["A2"].value == "内部资料 / internal · 未经审定 / not yet approved", sheet.title
    # the balance (11 columns) is landscape; the 4-column statistics frame portrait
    assert book["能源平衡表（实物量）"].page_setup.orientation == "landscape"
    assert book["碳排放统计核算"].page_setup.orientation == "portrait"


def test_number_formats_per_column_and_no_negative_zero(energy):
    _, book = energy
    physical = _body(book["能源平衡表（实物量）"])
    assert all(cell.number_format == BALANCE for row in physical for cell in row[1:] if cell.value is not None)
    closure = book["平衡差额"]
    share = _column(closure, "占可供量")
    assert {row[share].number_format for row in _body(closure)} == {PERCENT}
    emissions = book["排放结果"]
    co2 = _column(emissions, "CO2")
    assert {row[co2].number_format for row in _body(emissions) if row[co2].value is not None} == {NUMBER}
    for sheet in book.worksheets:
        for row in _body(sheet):
            for cell in row:
                if isinstance(cell.value, float) and cell.value == 0.0:
                    assert math.copysign(1.0, cell.value) > 0, (sheet.title, cell.coordinate)
                if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                    assert cell.number_format.endswith(";0") or cell.number_format == "General", (
                        sheet.title, cell.coordinate)


def test_column_widths_follow_the_content(energy):
    _, book = energy
    activity = book["活动数据"]
    where = _column(activity, "位置")
    letter = activity.cell(row=3, column=where + 1).column_letter
    longest = max(len(str(row[where].value)) for row in _body(activity))
    assert activity.column_dimensions[letter].width >= min(60, longest)
    # a heading of wide (Chinese) characters counts two columns each: 可供本地区消费量 is 8 characters, 16 wide
    closure = book["平衡差额"]
    letter = closure.cell(row=3, column=_column(closure, "可供本地区消费量") + 1).column_letter
    assert closure.column_dimensions[letter].width >= 16


def test_a_sheet_keeps_text_as_text_and_escapes_the_page_header(tmp_path):
    workbook = new_workbook()
    table = pd.DataFrame({"name": ["=1+1", "@SUM(A1)"], "value": [-0.0, 1234.5], "count": [3, 4]})
    add_sheet(workbook, "t", ["=HYPERLINK(\"x\")"], table, review_status="A&B 审定")
    book = load_workbook(save_workbook(workbook, tmp_path / "t.xlsx"))
    sheet = book["t"]
    assert [sheet["A1"].data_type, sheet["A3"].data_type, sheet["A4"].data_type] == ["s", "s", "s"]
    assert sheet["A3"].value == "=1+1"
    assert sheet["B3"].value == 0 and sheet["B3"].number_format == NUMBER
    assert sheet["C3"].number_format == "#,##0;-#,##0;0"
    assert sheet.oddHeader.right.text == "A&&B 审定"
    assert sheet.page_setup.orientation == "portrait"


def test_cell_values_and_header_text():
    assert math.copysign(1.0, excel_value(-0.0)) > 0
    assert excel_value(float("nan")) is None
    assert excel_value(3) == 3 and excel_value("x") == "x"
    assert header_text("R&D & 审定") == "R&&D && 审定"
