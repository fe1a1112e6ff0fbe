"""The inventory document in a run: one task per region-year after the sectors, the run's analyses
published as aggregates, nothing rewritten when nothing changed, and exactly the documents a
changed record concerns re-executed. One small run (the city and two counties, 2021–2022, energy:
tests/pipeline_data.py), then the same run again, then one with a county's record changed."""

from __future__ import annotations

import json
import os
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from pipeline_data import set_value, write_data
from print_pdf import CHROMIUM, PDFTOTEXT, pdf_text

from inventory.pipeline.run import RunOptions, format_failures, run

pytestmark = pytest.mark.slow  # kernels: papermill runs of the sector and document notebooks

REGIONS = ("430500", "430523", "430524")
YEARS = (2021, 2022)
CONSISTENCY = ["region", "year", "category", "gas", "reported_t", "sum_of_members_t", "difference_t", "relative",
               "members", "expected_members", "status"]
KEY_CATEGORIES = ["assessment", "category", "gas", "value", "share", "cumulative_share", "key", "rank"]
UNCERTAINTY = ["approach", "measure", "estimate", "low", "high", "u_pct"]


def _keys(out: Path) -> dict[str, str]:
    manifest = json.loads((out / ".state" / "manifest.json").read_text(encoding="utf-8"))
    return {task: entry["key"] for task, entry in manifest.items()}


def test_documents_analyses_reuse_and_what_a_changed_record_reexecutes(tmp_path):
    data, out = write_data(tmp_path / "data"), tmp_path / "out"

    def options() -> RunOptions:
        return RunOptions(data_dir=data, out_dir=out, progress=False, jobs=1)

    first = run(options())
    assert first.ok, format_failures(first)
    # 6 energy notebooks, 1 summary (the city's), 6 documents (every region-year with results)
    assert first.executed == 13
    for region in REGIONS:
        for year in YEARS:
            page = (out / "reports" / region / str(year) / "inventory.html").read_text(encoding="utf-8")
            assert "内部资料" in page and "未经审定" in page
            assert 'href="energy.html"' in page, "the sector report of the same folder is linked"
            assert "load_document(" not in page and "display(" not in page, "no code in the document"
            openpyxl.load_workbook(out / "reports" / region / str(year) / "inventory.xlsx")  # the reporting tables
            assert (out / "results" / region / str(year) / "inventory.csv").is_file()  # its QA findings
    index = (out / "reports" / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{region}/{year}/inventory.html"' in index for region in REGIONS for year in YEARS)

    # the analyses: every region's rows, a region column first, the contract columns
    consistency = pd.read_csv(out / "consistency.csv", dtype={"region": str})
    key_categories = pd.read_csv(out / "key_categories.csv", dtype={"region": str})
    uncertainty = pd.read_csv(out / "uncertainty.csv", dtype={"region": str})
    for table, columns in ((consistency, CONSISTENCY), (key_categories, KEY_CATEGORIES),
                           (uncertainty, UNCERTAINTY)):
        assert table.columns[0] == "region" and set(columns) <= set(table.columns)
    assert set(consistency["region"]) == {"430500"}, "the one region with members"
    assert set(key_categories["region"]) == set(REGIONS) and set(uncertainty["region"]) == set(REGIONS)
    assert set(uncertainty["approach"]) == {1, 2}

    _city_2022_prints_whole_and_its_tables_match(out, tmp_path)

    published = os.readlink(out / ".state" / "current")
    aggregates = {name: (out / name).read_bytes() for name in ("consistency.csv", "key_categories.csv",
                                                               "uncertainty.csv", "emissions.csv")}
    second = run(options())
    assert second.ok and second.executed == 0 and second.reused == 13
    assert os.readlink(out / ".state" / "current") == published, "nothing changed: no new generation"
    assert {name: (out / name).read_bytes() for name in aggregates} == aggregates

    before = _keys(out)
    set_value(data, "430523", 2022, "raw_coal", "12")
    third = run(options())
    assert third.ok, format_failures(third)
    after = _keys(out)
    changed = {task for task in after if after[task] != before.get(task)}
    # the county's energy 2022, the city's summary, and the documents of the county and of the city
    # (every year: each shows the time series); the other county's documents are reused
    assert changed == {"energy/430523/2022", "summary/430500/all", "inventory/430523/2021", "inventory/430523/2022",
                       "inventory/430500/2021", "inventory/430500/2022"}
    assert third.executed == len(changed)
    assert pd.read_csv(out / "consistency.csv", dtype={"region": str}).shape[0] == consistency.shape[0]
    assert (out / "emissions.csv").read_bytes() != aggregates["emissions.csv"]


#: the headings of the document's factor table (zh), as its columns are printed
FACTOR_COLUMNS = ["编号", "参数", "类别", "品种", "气体", "标准值", "单位", "可信度", "来源", "出处表格", "CO2", "标记"]


def _city_2022_prints_whole_and_its_tables_match(out: Path, tmp_path: Path) -> None:
    """The city's 2022 document: its reporting tables equal emissions.csv (read back), and printed to A4 by
    headless Chromium every column of the factor table is on the page, 内部资料 on every page."""
    emissions = pd.read_csv(out / "emissions.csv", dtype={"region": str})
    city = emissions[(emissions["region"] == "430500") & (emissions["year"] == 2022)
                     & ~emissions["category"].str.startswith("M.")]
    sheet = openpyxl.load_workbook(out / "reports" / "430500" / "2022" / "inventory.xlsx")["汇总表"]
    rows = {str(row[0].value).strip(): row for row in sheet.iter_rows() if row[0].value}
    header = next(row for row in sheet.iter_rows() if any(str(c.value).startswith("合计") for c in row))
    total_column = next(c.column for c in header if str(c.value).startswith("合计"))
    with_lulucf = next(row for name, row in rows.items() if name.startswith("总量（含"))
    assert with_lulucf[total_column - 1].value == pytest.approx(city["co2e_t"].sum() / 1e4, abs=5e-3)
    if CHROMIUM is None or PDFTOTEXT is None:
        return  # printing is checked where Chromium and pdftotext are (.ci/run installs them)
    pages = pdf_text(out / "reports" / "430500" / "2022" / "inventory.html", tmp_path)
    assert all("内部资料" in page for page in pages), "内部资料 on every printed page"
    start = next(i for i, page in enumerate(pages) if "排放因子及其来源 / Factors" in page)
    text = "\n".join(pages[start:start + 2])
    table = text.split("排放因子及其来源 / Factors", 1)[1]
    missing = [heading for heading in FACTOR_COLUMNS if heading not in table]
    assert not missing, f"factor table columns not on the printed page: {missing}"
    # the last column (the unverified mark) is printed too, not cut at the page edge
    assert "未核实" in table or "unverified" in table
