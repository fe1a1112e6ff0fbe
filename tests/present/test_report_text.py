"""What a sector report and the summary show of the input's own text (in process, no kernel): the
header, the activity table with each record's source, note and workbook cell, the summary's header,
the comparison with published results and the Excel tables — escaped in HTML, text in Excel.

tests/test_report_security.py loads the reports of a real run in Chromium; these tests pin the pieces.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook

from inventory.documents.summary import summarise
from inventory.present.html import Html
from inventory.sectors.compilation import compare_published
from inventory.sectors.energy.compilation import compile_energy, write_tables

COUNTY = """<img src=x onerror="document.title='PWNED'">隆回"""
COUNTY_HTML = "&lt;img src=x onerror=&quot;document.title=&#x27;PWNED&#x27;&quot;&gt;隆回"
FORMULA = '=HYPERLINK("http://x","y")'
FACTOR_SET = "x`<img src=x>`"
HEADER = ["region", "year", "category", "item", "quantity", "value", "unit", "notation", "uncertainty", "source",
          "note", "origin"]


def _write(path: Path, rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def _folder(root: Path, records: list[list[str]], name: str = COUNTY) -> Path:
    _write(root / "regions.csv", [
        ["code", "name_zh", "name_en", "level", "parent", "valid_from", "valid_to", "successor", "note"],
        ["430523", name, name, "county", "430500", "", "", "", ""]])
    _write(root / "activity" / "energy.csv", [HEADER] + records)
    _write(root / "factors" / "local.csv", [
        ["parameter", "category", "item", "gas", "value", "unit", "region", "year_from", "year_to", "source",
         "factor_set"],
        ["oxidation", "*", "raw_coal", "", "0.93", "", "430523", "", "", "<script>x</script>本地", FACTOR_SET]])
    return root


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """Two records with different sources and notes, one read from a workbook cell."""
    root = _folder(tmp_path_factory.mktemp("hostile"), [
        ["430523", "2022", "1.A.2", "raw_coal", "consumption", "1000", "吨", "", "5", "<script>统计局</script>",
         "[x](javascript:alert(1))", ""],
        ["430523", "2022", "1.A.2", "diesel", "consumption", "200", "吨", "", "5", "供电公司", "",
         "wb.xlsx!<b>能源</b>!D15"],
    ])
    return compile_energy("430523", 2022, root), root


def test_the_header_shows_names_and_factor_sets_as_text(hostile):
    energy, _ = hostile
    header = energy.header()
    assert isinstance(header, Html)
    assert f"<p><b>{COUNTY_HTML}（430523）· 2022 年</b>" in header
    # a factor-set name that tries to close its code span stays inside it, as text
    assert "<code>x`&lt;img src=x&gt;`</code>" in header
    assert "<img" not in header and "<script" not in header
    assert "电网因子系列 / grid factors: <code>auto</code>" in header


def test_the_activity_table_shows_source_note_and_the_workbook_cell(hostile):
    energy, _ = hostile
    table = energy.activity_table().set_index("品种名称")
    assert list(table.columns[-3:]) == ["位置", "来源", "备注"]
    assert table.loc["原煤", "来源"] == "<script>统计局</script>"  # the text as filed; show() escapes it
    assert table.loc["原煤", "备注"] == "[x](javascript:alert(1))"
    assert table.loc["柴油", "位置"] == "activity/energy.csv:3 (wb.xlsx!<b>能源</b>!D15)"
    assert table.loc["柴油", "备注"] == ""
    assert energy.activity_shared() == ""  # the sources differ: nothing is said once


def test_a_source_every_record_shares_is_said_once_and_empty_notes_add_no_column(tmp_path):
    root = _folder(tmp_path, [
        ["430523", "2022", "1.A.2", "raw_coal", "consumption", "1000", "吨", "", "5", "统计局 <2022>", "", ""],
        ["430523", "2022", "1.A.2", "diesel", "consumption", "200", "吨", "", "5", "统计局 <2022>", "", ""],
    ])
    energy = compile_energy("430523", 2022, root)
    assert "来源" not in energy.activity_table().columns and "备注" not in energy.activity_table().columns
    assert energy.activity_shared() == "<p>所有记录的来源 / source of every record: 统计局 &lt;2022&gt;</p>"


def test_the_comparison_with_published_results_shows_the_folder_as_text(hostile, tmp_path):
    energy, _ = hostile
    line = compare_published(energy, tmp_path / "<b>out</b>")
    assert "no published results" in line and "&lt;b&gt;out&lt;/b&gt;" in line and "<b>out" not in line


def test_the_summary_header_shows_the_name_as_text(hostile, tmp_path):
    _, root = hostile
    summary = summarise("430523", "2022", root, tmp_path / "no-run-here")
    header = summary.header()
    assert header.startswith(f"<p><b>{COUNTY_HTML} (430523)</b> · 2022–2022</p>") and "<img" not in header
    assert "<code>computed from " in header


def test_the_excel_tables_keep_a_name_that_looks_like_a_formula_as_text(tmp_path):
    root = _folder(tmp_path / "data", [
        ["430523", "2022", "1.A.2", "raw_coal", "consumption", "1000", "吨", "", "5", "统计局", "", ""]], FORMULA)
    energy = compile_energy("430523", 2022, root)
    path = write_tables(energy, tmp_path / "energy.xlsx")
    workbook = load_workbook(path)
    for sheet in workbook.worksheets:
        assert sheet["A1"].data_type == "s", sheet.title
        assert sheet["A1"].value.startswith(FORMULA + "（430523）2022 · "), sheet.title
