"""inventory.collect.workbooks: data-collection templates (openpyxl), and reading filled workbooks back."""

from __future__ import annotations

import datetime as dt
import math
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter, range_boundaries
from workbook_data import fill

from inventory.collect.departments import departments
from inventory.collect.workbooks import (
    FIRST_ROW,
    INSTRUCTIONS_SHEET,
    KEY_ROW,
    META_SHEET,
    TEMPLATE_VERSION,
    build_workbook,
    parse_cell_number,
    read_workbook,
    save_workbook,
    sheet_keys,
    workbook_name,
)
from inventory.core.errors import Issue

ROOT = Path(__file__).resolve().parents[2]


def _records(rows: list[tuple]) -> pd.DataFrame:
    """Records as read_activity gives them: (category, item, quantity, value [canonical], unit, notation)."""
    frame = pd.DataFrame(rows, columns=["category", "item", "quantity", "value", "unit", "notation"])
    frame["source"], frame["note"], frame["period"] = "test source", "", ""
    return frame


@pytest.mark.parametrize(("raw", "expected"), [
    (12, (12.0, "", "")),
    (0.5, (0.5, "", "")),
    ("１２，３４５．６", (12345.6, "", "")),  # full-width digits, comma and point (NFKC)
    (" 27194 ", (27194.0, "", "")),
    ("1,234,567", (1234567.0, "", "")),
    ("1 234", (1234.0, "", "")),
    ("−5", (-5.0, "", "")),  # the minus sign U+2212
    ("3.5e3", (3500.0, "", "")),
    ("no", (None, "NO", "")),
    (" ie ", (None, "IE", "")),
    (None, (None, "", "")),
    ("  ", (None, "", "")),
])
def test_cell_numbers_are_read_as_people_type_them(raw, expected):
    assert parse_cell_number(raw) == expected


@pytest.mark.parametrize(("raw", "says"), [
    ("很多", "不是数值"),
    ("35吨", "单位已固定"),
    ("1,23", "不是数值"),  # not a thousands grouping
    (True, "逻辑值"),
    (dt.datetime(2023, 5, 1), "日期"),
    (math.inf, "有限"),
])
def test_cells_that_are_not_numbers_say_why(raw, says):
    value, notation, problem = parse_cell_number(raw)
    assert value is None and notation == "" and says in problem


@pytest.fixture(scope="module")
def stats_template(tmp_path_factory, registry):
    """The 统计局 workbook of 邵阳县 2023 with 2022 reference values (raw coal in 1.A.2.f: 35.5 kt)."""
    previous = _records([("1.A.2.f", "raw_coal", "consumption", 35500.0, "t", ""),
                         ("1.A.1.a", "crude_oil", "consumption", float("nan"), "t", "NO"),
                         ("SOC", "gdp", "value", 2.5e9, "CNY", "")])
    workbook = build_workbook(departments()["stats"], "430523", 2023, registry, previous=previous)
    path = tmp_path_factory.mktemp("template") / workbook_name(departments()["stats"], "430523", 2023, registry)
    save_workbook(workbook, path)
    return path


def _rows_and_columns(sheet) -> tuple[dict[str, int], dict[str, int]]:
    rows = {sheet.cell(r, 1).value: r for r in range(FIRST_ROW, sheet.max_row + 1) if sheet.cell(r, 1).value}
    columns = {sheet.cell(KEY_ROW, c).value: c for c in range(2, sheet.max_column + 1) if sheet.cell(KEY_ROW, c).value}
    return rows, columns


def test_template_sheets_metadata_and_protection(stats_template):
    workbook = load_workbook(stats_template)
    assert workbook.sheetnames == [INSTRUCTIONS_SHEET, "能源消费", "原料用能", "能源平衡", "社会经济", META_SHEET]
    meta = workbook[META_SHEET]
    assert meta.sheet_state == "veryHidden"
    values = {meta.cell(r, 1).value: meta.cell(r, 2).value for r in range(1, meta.max_row + 1)}
    assert (values["template_version"], values["department"], values["region"], values["year"]) == \
        (TEMPLATE_VERSION, "stats", "430523", 2023)
    assert workbook.security.lockStructure
    for name in workbook.sheetnames[:-1]:
        assert workbook[name].protection.sheet, f"{name} is not protected"
    assert stats_template.name == "2023_430523_邵阳县_统计局.xlsx"


def _validated(sheet) -> dict[str, list[str]]:
    """Cell → the validation types covering it."""
    covered: dict[str, list[str]] = {}
    for rule in sheet.data_validations.dataValidation:
        for cell_range in str(rule.sqref).split():
            low_col, low_row, high_col, high_row = range_boundaries(cell_range)
            for row in range(low_row, high_row + 1):
                for column in range(low_col, high_col + 1):
                    covered.setdefault(f"{get_column_letter(column)}{row}", []).append(rule.type)
    return covered


def test_every_input_cell_is_unlocked_validated_and_yellow_and_labels_are_locked(stats_template):
    workbook = load_workbook(stats_template)
    for spec in departments()["stats"].sheets:
        sheet = workbook[spec.name]
        covered = _validated(sheet)
        inputs = [cell for row in sheet.iter_rows(min_row=FIRST_ROW) for cell in row if not cell.protection.locked]
        assert inputs, spec.name
        for cell in inputs:
            assert cell.coordinate in covered, f"{spec.name}!{cell.coordinate} has no validation"
            assert cell.fill.fgColor.rgb.endswith("FFF2CC"), f"{spec.name}!{cell.coordinate} is not yellow"
        for column in (1, 2, 3):  # keys and labels
            assert sheet.cell(FIRST_ROW, column).protection.locked
        assert sheet.freeze_panes is not None
        assert sheet.print_title_rows
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.row_dimensions[KEY_ROW].hidden and sheet.column_dimensions["A"].hidden


def test_grid_units_validation_and_last_years_values(stats_template):
    sheet = load_workbook(stats_template)["能源消费"]
    rows, columns = _rows_and_columns(sheet)
    coal, gas = columns["item=raw_coal|unit=吨"], columns["item=natural_gas|unit=万立方米"]
    assert sheet.cell(6, coal).value == "吨" and sheet.cell(6, gas).value == "万立方米"  # the unit row
    rules = {str(r.sqref): r for r in sheet.data_validations.dataValidation}
    row = rows["category=1.A.2.f"]
    rule = next(r for sqref, r in rules.items() if sqref.startswith(f"D{row}:"))
    # a number ≥ 0 or a notation key, written for the range's first cell
    assert rule.type == "custom" and f"AND(ISNUMBER(D{row}),D{row}>=0)" in rule.formula1 and f'D{row}="NO"' in \
        rule.formula1
    # 2022: 35 500 t of raw coal in 1.A.2.f, shown beside this year's cells; crude oil in power plants NO
    reference = columns["ref:item=raw_coal"]
    assert sheet.cell(row, reference).value == 35500
    assert sheet.cell(rows["category=1.A.1.a"], columns["ref:item=crude_oil"]).value == "NO"
    assert sheet.cell(row, coal).value is None, "this year's cell is empty"


def test_stock_change_may_be_negative(stats_template):
    sheet = load_workbook(stats_template)["能源平衡"]
    rows, _ = _rows_and_columns(sheet)
    row = rows["category=EB|quantity=stock_change"]
    rule = next(r for r in sheet.data_validations.dataValidation if str(r.sqref).startswith(f"D{row}:"))
    assert rule.formula1.startswith(f"OR(ISNUMBER(D{row})")  # no ≥ 0


def test_list_sheet_units_dropdown_and_reference(stats_template):
    sheet = load_workbook(stats_template)["社会经济"]
    rows, columns = _rows_and_columns(sheet)
    row = rows["category=SOC|item=gdp|quantity=value|unit=万元"]
    assert sheet.cell(row, 5).value == "万元"
    assert sheet.cell(row, columns["ref"]).value == 250000  # 2.5e9 CNY = 250 000 万元
    covered = _validated(sheet)
    assert covered[f"G{row}"] == ["list"]  # the notation dropdown
    assert covered[f"F{row}"] == ["decimal"]
    assert sheet.cell(row, 11).value  # the definition (当年价)


def test_instructions_say_what_and_how(stats_template):
    sheet = load_workbook(stats_template)[INSTRUCTIONS_SHEET]
    text = "\n".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    for needed in ("邵阳县", "2023", "统计局", "注释符号", "NO 未发生", "单位", "来源", "能源消费", "原料用能",
                   "库存增（－）减（＋）量", "填报人"):
        assert needed in text, needed


def test_saving_twice_gives_the_same_bytes(tmp_path, registry):
    department = departments()["agriculture"]
    for name in ("a.xlsx", "b.xlsx"):
        save_workbook(build_workbook(department, "430524", 2022, registry), tmp_path / name)
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


def test_every_department_template_reads_back_empty(tmp_path, registry):
    for code, department in departments().items():
        path = tmp_path / f"{code}.xlsx"
        save_workbook(build_workbook(department, "430524", 2022, registry), path)
        issues, warnings = [], []
        meta, records = read_workbook(path, path.name, issues, warnings)
        assert (meta.department, meta.region, meta.year) == (code, "430524", 2022)
        assert (records, issues, warnings) == ([], [], []), code


def test_filled_workbook_round_trip(tmp_path, registry):
    """Values in canonical units → cells in template units (万立方米, 万元) → the same records back."""
    filled = _records([
        ("1.A.2.f", "raw_coal", "consumption", 35500.0, "t", ""),
        ("1.A.4.b", "natural_gas", "consumption", 1_234_000.0, "m^3", ""),  # 123.4 万立方米
        ("1.A.1.a", "crude_oil", "consumption", float("nan"), "t", "NO"),
        ("1.A.2.c", "natural_gas", "non_energy_use", 50_000.0, "m^3", ""),
        ("EB", "coke", "stock_change", -120.0, "t", ""),
        ("SOC", "population", "resident", 1_000_000.0, "person", ""),  # 100 万人
    ])
    filled.loc[0, "note"] = "含园区 / parks included"
    path = tmp_path / "filled.xlsx"
    save_workbook(build_workbook(departments()["stats"], "430523", 2023, registry, filled=filled), path)
    issues, warnings = [], []
    _, records = read_workbook(path, path.name, issues, warnings)
    assert issues == [] and warnings == []
    got = {(r.category, r.item, r.quantity): (r.value, r.unit, r.notation) for r in records}
    assert got == {
        ("1.A.2.f", "raw_coal", "consumption"): ("35500", "吨", ""),
        ("1.A.4.b", "natural_gas", "consumption"): ("123.4", "万立方米", ""),
        ("1.A.1.a", "crude_oil", "consumption"): ("", "", "NO"),
        ("1.A.2.c", "natural_gas", "non_energy_use"): ("5", "万立方米", ""),
        ("EB", "coke", "stock_change"): ("-120", "吨", ""),
        ("SOC", "population", "resident"): ("100", "万人", ""),
    }
    coal = next(r for r in records if r.item == "raw_coal")
    assert coal.note == "含园区 / parks included"  # a grid cell's note travels as its comment
    assert coal.source == "test source"
    assert (coal.sheet, coal.cell) == ("能源消费", "D15")


def _read(path: Path) -> tuple[list, list[Issue], list[Issue]]:
    issues, warnings = [], []
    _, records = read_workbook(path, path.name, issues, warnings)
    return records, issues, warnings


@pytest.fixture
def blank(tmp_path, registry) -> Path:
    path = tmp_path / "2023_430523_邵阳县_统计局.xlsx"
    save_workbook(build_workbook(departments()["stats"], "430523", 2023, registry), path)
    return path


def test_every_problem_of_a_workbook_at_once_with_sheet_and_cell(blank):
    # D15 = 1.A.2.f raw coal; E15 its washed coal; 社会经济 F7 gdp value, G8 the notation of gdp_constant
    fill(blank, {"能源消费": {"D15": -35, "E15": "很多", "F16": "12吨"},
                  "社会经济": {"F8": 5, "G8": "NE", "F9": -1}})
    records, issues, _ = _read(blank)
    found = {(i.column, i.message.split(" /")[0]) for i in issues}
    assert found == {
        ("能源消费!D15", "负值 -35（消费量不能为负）"),
        ("能源消费!E15", "文字“很多”不是数值"),
        ("能源消费!F16", "“12吨” 含单位或文字：单位已固定，只填数字"),
        ("社会经济!F8", "同时填了数值和注释符号 NE，只保留一个"),
        ("社会经济!F9", "负值 -1（价值量不能为负）"),
    }
    assert str(next(i for i in issues if i.column == "能源消费!D15")).startswith(
        "2023_430523_邵阳县_统计局.xlsx: 能源消费!D15: 负值 -35")


def test_merged_input_cells_and_formulas_without_values_are_reported(blank):
    workbook = load_workbook(blank)
    sheet = workbook["能源消费"]
    sheet.protection.sheet = False
    sheet["D7"] = 10
    sheet.merge_cells("D7:E7")  # E7's value would be lost
    sheet["D8"] = "=1+1"  # openpyxl saves no computed value: as if Excel never recalculated
    workbook.save(blank)
    _, issues, _ = _read(blank)
    messages = {i.column: i.message for i in issues}
    assert "合并单元格 D7:E7" in messages["能源消费!E7"]
    assert "公式 =1+1 没有保存计算结果" in messages["能源消费!D8"]


def test_extra_sheets_are_ignored_with_a_warning_and_empty_rows_skipped(blank):
    workbook = load_workbook(blank)
    workbook.security.lockStructure = False
    workbook.create_sheet("我的草稿")
    workbook["能源消费"]["D15"] = "1,000"
    workbook.save(blank)
    records, issues, warnings = _read(blank)
    assert issues == []
    assert [w.column for w in warnings] == ["我的草稿!"]
    assert [(r.item, r.value) for r in records] == [("raw_coal", "1000")]


def test_rows_moved_by_the_user_still_read_by_their_keys(blank):
    """Sorting or moving rows moves their keys with them: values stay with their records."""
    workbook = load_workbook(blank)
    sheet = workbook["能源消费"]
    sheet.protection.sheet = False
    sheet["D15"] = 100  # 1.A.2.f raw coal
    for column in range(1, sheet.max_column + 1):  # swap rows 15 and 16 (1.A.2.f and 1.A.2.g)
        upper, lower = sheet.cell(15, column), sheet.cell(16, column)
        upper.value, lower.value = lower.value, upper.value
    workbook.save(blank)
    records, issues, _ = _read(blank)
    assert issues == []
    assert [(r.category, r.item, r.value, r.cell) for r in records] == [("1.A.2.f", "raw_coal", "100", "D16")]


def test_not_a_template_old_versions_and_other_formats(tmp_path, blank):
    from openpyxl import Workbook

    plain = tmp_path / "plain.xlsx"
    Workbook().save(plain)
    old = tmp_path / "old.xlsx"
    workbook = load_workbook(blank)
    meta = workbook[META_SHEET]
    row = next(r for r in range(1, meta.max_row + 1) if meta.cell(r, 1).value == "template_version")
    meta.cell(row, 2, 0)
    workbook.save(old)
    legacy = tmp_path / "legacy.xls"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0 an old binary workbook")
    broken = tmp_path / "broken.xlsx"
    broken.write_text("not a zip file")
    for path, says in ((plain, "不是本工作台生成的数据采集表"), (old, "旧版模板（v0）"), (legacy, "另存为” .xlsx"),
                       (broken, "不是可读的 .xlsx 文件")):
        _, issues, _ = _read(path)
        assert len(issues) == 1 and says in issues[0].message, (path.name, issues)


def test_every_sheet_cell_key_is_in_the_vocabulary(vocabulary):
    """Each input cell of every department makes a record the activity contract accepts."""
    for department in departments().values():
        for spec in department.sheets:
            for category, item, quantity in sheet_keys(spec):
                assert category in vocabulary.categories.index, (spec.name, category)
                assert vocabulary.category_allowed(item, category), (spec.name, item, category)
                assert vocabulary.canonical_unit(item, quantity), (spec.name, item, quantity)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_workbook_saved_again_by_libreoffice_reads_the_same(tmp_path, registry):
    """What a department using LibreOffice (or WPS, which also rewrites the file) sends back."""
    filled = _records([("1.A.2.f", "raw_coal", "consumption", 35500.0, "t", ""),
                       ("1.A.1.a", "crude_oil", "consumption", float("nan"), "t", "NO"),
                       ("SOC", "gdp", "value", 2.5e9, "CNY", "")])
    original = tmp_path / "original.xlsx"
    save_workbook(build_workbook(departments()["stats"], "430523", 2023, registry, filled=filled), original)
    fill(original, {"能源消费": {"E15": "=2*3"}})  # a formula: LibreOffice computes and stores its value
    out = tmp_path / "lo"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to",
                    "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(original)], check=True, timeout=180,
                   capture_output=True)
    records, issues, _ = _read(out / "original.xlsx")
    assert issues == []
    got = {(r.category, r.item): (r.value, r.unit, r.notation) for r in records}
    assert got == {("1.A.2.f", "raw_coal"): ("35500", "吨", ""), ("1.A.2.f", "washed_coal"): ("6", "吨", ""),
                   ("1.A.1.a", "crude_oil"): ("", "", "NO"), ("SOC", "gdp"): ("250000", "万元", "")}


# ----------------------------------------------------------------------------------------------
# text from input is never a formula; edits outside the input cells; cell comments


def test_text_from_input_is_written_as_text_never_as_a_formula(tmp_path):
    """A region name from a data folder's regions.csv, the contact and last year's sources and notes start
    with = + - @: every one is a text cell (data type 's'), and no cell of the workbook is a formula."""
    from inventory.core.regions import load_regions

    (tmp_path / "regions.csv").write_text(
        "code,name_zh,name_en,level,parent,valid_from,valid_to,successor,note\n"
        '430599,"=HYPERLINK(""http://x"",""邵阳"")",Evil,county,430500,,,,\n', encoding="utf-8")
    registry = load_regions(tmp_path)
    previous = _records([("1.A.2.f", "raw_coal", "consumption", 35500.0, "t", "")])
    previous["source"], previous["note"] = "@SUM(A1:A9)", "-1+1"
    filled = _records([("1.A.2.f", "raw_coal", "consumption", 100.0, "t", "")])
    filled["source"], filled["note"] = "+1+2", "=1+2"
    workbook = build_workbook(departments()["stats"], "430599", 2023, registry, previous=previous, filled=filled,
                              contact="=cmd|' /C calc'!A0")
    path = tmp_path / "evil.xlsx"
    save_workbook(workbook, path)
    cells = [cell for sheet in load_workbook(path).worksheets for row in sheet.iter_rows() for cell in row
             if cell.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"], "no formula anywhere"
    texts = {c.value for c in cells if c.data_type == "s"}
    assert "=cmd|' /C calc'!A0" in texts and "+1+2" in texts
    assert any(str(t).startswith('=HYPERLINK("http://x","邵阳")') for t in texts)
    grid = load_workbook(path)["能源消费"]
    assert grid["D15"].comment.text == "=1+2"  # the note travels as a comment: text by nature


def test_a_sheet_name_like_a_formula_stays_text_in_the_excel_report(tmp_path, blank):
    """The ingest report's position column carries sheet names (an extra sheet is warned about by name)."""
    from inventory.collect.ingest import ingest, write_report

    workbook = load_workbook(blank)
    workbook.security.lockStructure = False
    workbook.create_sheet("=1+2")
    workbook["能源消费"]["D15"] = 10
    workbook.save(blank)
    (tmp_path / "data" / "activity").mkdir(parents=True)
    result = ingest([blank], tmp_path / "data", dry_run=True)
    sheet = load_workbook(write_report(result, tmp_path / "report.xlsx"))["提示 warnings"]
    [where] = [row[1] for row in sheet.iter_rows(min_row=2) if row[1].value == "=1+2!"]
    assert where.data_type == "s"


def _unprotected(path: Path, cells: dict[str, dict[str, object]]):
    """Type ``cells`` as a user who switched the sheet protection off would."""
    workbook = load_workbook(path)
    for name, values in cells.items():
        workbook[name].protection.sheet = False
        for cell, value in values.items():
            workbook[name][cell] = value
    workbook.save(path)


def test_a_changed_unit_heading_refuses_the_numbers_under_it(blank):
    """吨 → 万吨 in the unit row, 3.5 typed meaning 3.5 万吨: it would be filed as 3.5 t, 10,000× too small.
    Refused at the heading cell; a changed heading with nothing under it is a warning; a list sheet's unit
    column the same."""
    # D = raw coal, E = washed coal (吨); row 6 holds the units; 社会经济 E7 the unit of GDP (万元)
    _unprotected(blank, {"能源消费": {"D6": "万吨", "D15": 3.5, "E6": "千克"},
                         "社会经济": {"E7": "元", "F7": 1234}})
    records, issues, warnings = _read(blank)
    errors = {i.column: i.message for i in issues}
    assert set(errors) == {"能源消费!D6", "社会经济!E7"}
    assert errors["能源消费!D6"].startswith("单位被改为“万吨”，模板的单位是“吨”：数值总是按“吨”读入，"
                                          "会与所填不符，差 10000 倍")
    assert "10000× off" in errors["能源消费!D6"]
    assert "差 0.0001 倍" in errors["社会经济!E7"]  # 元 → 万元
    assert [w.column for w in warnings] == ["能源消费!E6"]
    assert "nothing was entered under it" in warnings[0].message


def test_last_years_cells_and_cells_outside_the_table_are_warned_about(stats_template, tmp_path):
    """A number typed into the last-year column or below the table was silently dropped: each is now a
    warning naming the cell (and, for last year's, what the template had there)."""
    path = tmp_path / "filled.xlsx"
    path.write_bytes(stats_template.read_bytes())
    sheet = load_workbook(path)["能源消费"]
    rows, columns = _rows_and_columns(sheet)
    coal_row, power_row = rows["category=1.A.2.f"], rows["category=1.A.1.a"]
    reference = get_column_letter(columns["ref:item=raw_coal"])
    last = sheet.max_row
    _unprotected(path, {"能源消费": {
        f"{reference}{coal_row}": 36000,  # over the template's 35 500
        f"{reference}{power_row}": 12,  # where the template left the cell empty
        f"D{last + 3}": 99,  # below the table
        "XFD1048576": 1,  # the last cell of the sheet: no million cells made to find it
    }})
    records, issues, warnings = _read(path)
    assert issues == [] and records == []
    found = {w.column: w.message for w in warnings}
    assert set(found) == {f"能源消费!{reference}{coal_row}", f"能源消费!{reference}{power_row}",
                          f"能源消费!D{last + 3}", "能源消费!XFD1048576"}
    assert found[f"能源消费!{reference}{coal_row}"].startswith(
        "上年值格现为“36000”，模板中为“35500”：上年值只供参考，不会读入")
    assert "never read" in found[f"能源消费!{reference}{power_row}"] and "the template had ''" in \
        found[f"能源消费!{reference}{power_row}"]
    assert found[f"能源消费!D{last + 3}"].startswith("表格以外的单元格有内容“99”：不会读入")


def test_an_untouched_template_with_last_years_values_reads_without_warnings(stats_template):
    assert _read(stats_template) == ([], [], [])


def test_cell_comments_are_carried_into_the_note(blank):
    """A comment (批注) on an input cell joins the record's note, prefixed 批注：, after the note typed in
    the row's note cell, joined with ；."""
    from openpyxl.comments import Comment

    workbook = load_workbook(blank)
    grid, listed = workbook["能源消费"], workbook["社会经济"]
    _, columns = _rows_and_columns(grid)
    grid["D15"] = 35000
    grid["D15"].comment = Comment("含园区企业", "张三")
    grid.cell(15, columns["note"], "按年报")
    listed["F7"] = 1234567
    listed["F7"].comment = Comment("快报数", "李四")
    workbook.save(blank)
    records, issues, _ = _read(blank)
    assert issues == []
    notes = {(r.sheet, r.cell): r.note for r in records}
    assert notes == {("能源消费", "D15"): "按年报；批注：含园区企业", ("社会经济", "F7"): "批注：快报数"}
