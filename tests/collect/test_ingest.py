"""inventory.collect.ingest and the ``templates`` / ``ingest`` commands: workbooks and CSV into a data folder."""

from __future__ import annotations

import csv
import hashlib
import shutil
import subprocess
import sys
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from pipeline_data import ROOT, run_cli, tree_digest
from workbook_data import fill

from inventory.collect.departments import departments
from inventory.collect.ingest import ingest, write_report
from inventory.collect.workbooks import build_workbook, save_workbook, workbook_name
from inventory.core.activity import read_activity

STATS = "2023_430523_邵阳县_统计局.xlsx"


@pytest.fixture
def folders(tmp_path, registry):
    """An empty data folder, and the blank 统计局 workbook of 邵阳县 2023 in a submissions folder."""
    data = tmp_path / "data"
    (data / "activity").mkdir(parents=True)
    submissions = tmp_path / "submissions"
    submissions.mkdir()
    save_workbook(build_workbook(departments()["stats"], "430523", 2023, registry), submissions / STATS)
    return {"data": data, "in": submissions, "workbook": submissions / STATS}


GOOD = {"能源消费": {"D15": 35000, "O24": "27,194", "D7": "NO"}, "社会经济": {"F7": 1234567, "H7": "统计年鉴 2024"}}


def test_bad_cells_are_all_reported_and_nothing_is_written(folders):
    fill(folders["workbook"], {"能源消费": {"D15": -35, "E15": "很多"}, "社会经济": {"F7": 10}})
    before_data, before_workbook = tree_digest(folders["data"]), folders["workbook"].read_bytes()
    result = ingest([folders["in"]], folders["data"])
    assert not result.ok
    assert [(i.column, i.message.split(" / ")[0]) for i in result.issues] == [
        ("能源消费!D15", "负值 -35（消费量不能为负）"), ("能源消费!E15", "文字“很多”不是数值")]
    assert tree_digest(folders["data"]) == before_data, "nothing written"
    assert folders["workbook"].read_bytes() == before_workbook, "the source workbook is never modified"


def test_good_workbook_is_filed_with_its_cells_and_units(folders):
    fill(folders["workbook"], GOOD)
    result = ingest([folders["in"]], folders["data"])
    assert result.ok, result.issues
    target = folders["data"] / "activity" / "workbook_stats_430523_2023.csv"
    rows = {(r["category"], r["item"]): r for r in csv.DictReader(target.open(encoding="utf-8"))}
    assert rows[("1.A.2.f", "raw_coal")]["value"] == "35000" and rows[("1.A.2.f", "raw_coal")]["unit"] == "吨"
    assert rows[("1.A.3.b", "diesel")]["value"] == "27194"
    assert rows[("1.A.1.a", "raw_coal")]["notation"] == "NO"
    assert rows[("SOC", "gdp")]["unit"] == "万元" and rows[("SOC", "gdp")]["source"] == "统计年鉴 2024"
    assert rows[("1.A.2.f", "raw_coal")]["origin"] == f"{STATS}!能源消费!D15"
    assert rows[("1.A.2.f", "raw_coal")]["source"] == f"统计局 2023 年数据采集表 {STATS}"  # no source given: the form
    records = read_activity(folders["data"]).records.set_index(["category", "item"])
    assert records.loc[("SOC", "gdp"), "value"] == pytest.approx(1234567e4)  # 万元 → CNY
    content = folders["workbook"].read_bytes()
    kept = f"workbooks/2023_430523_邵阳县_统计局.{hashlib.sha256(content).hexdigest()[:12]}.xlsx"
    assert (folders["data"] / kept).read_bytes() == content, "a copy is kept, named by its content"
    assert [c.kind for c in result.files[0].changes] == ["added"] * 4
    log = list(csv.DictReader((folders["data"] / "ingest_log.csv").open(encoding="utf-8")))
    assert log[0]["target"] == "activity/workbook_stats_430523_2023.csv" and log[0]["added"] == "4"
    assert log[0]["archived"] == kept and log[0]["replaced"] == ""
    assert not (folders["data"] / ".ingest").exists(), "no staging folder or journal left"


def test_ingesting_the_same_workbook_twice_changes_nothing(folders):
    fill(folders["workbook"], GOOD)
    assert ingest([folders["in"]], folders["data"]).ok
    before = {p: p.stat().st_mtime_ns for p in folders["data"].rglob("*") if p.is_file()}
    again = ingest([folders["in"]], folders["data"])
    assert again.ok and again.files[0].unchanged and again.files[0].changes == [] and again.written == []
    assert {p: p.stat().st_mtime_ns for p in folders["data"].rglob("*") if p.is_file()} == before


def test_a_revised_workbook_replaces_its_records_and_lists_the_changes(folders):
    fill(folders["workbook"], GOOD)
    assert ingest([folders["in"]], folders["data"]).ok
    fill(folders["workbook"], {"能源消费": {"D15": 36000, "O24": None, "E29": 50}})
    result = ingest([folders["in"]], folders["data"])
    assert result.ok
    changes = {(c.kind, c.key): (c.before, c.after) for c in result.files[0].changes}
    assert changes == {
        ("changed", "430523 2023 1.A.2.f raw_coal consumption"): ("35000 吨", "36000 吨"),
        ("removed", "430523 2023 1.A.3.b diesel consumption"): ("27194 吨", ""),
        ("added", "430523 2023 1.A.4.b washed_coal consumption"): ("", "50 吨"),
    }
    records = read_activity(folders["data"]).records
    assert len(records) == 4 and 36000.0 in set(records["value"])


def test_a_value_that_contradicts_another_file_names_both_places(folders):
    (folders["data"] / "activity" / "energy.csv").write_text(
        "region,year,category,item,quantity,value,unit\n430523,2023,1.A.2.f,raw_coal,consumption,3,万吨\n",
        encoding="utf-8")
    fill(folders["workbook"], {"能源消费": {"D15": 35000}})
    result = ingest([folders["in"]], folders["data"])
    assert not result.ok
    issue = result.issues[0]
    assert (issue.file, issue.column) == (str(folders["workbook"]), "能源消费!D15") or issue.column == "能源消费!D15"
    assert "activity/energy.csv:2" in issue.message and "different value" in issue.message


def test_a_workbook_filed_in_the_wrong_place_is_caught(folders):
    fill(folders["workbook"], GOOD)
    renamed = folders["in"] / "2023_430524_隆回县_统计局.xlsx"  # 隆回县's name on 邵阳县's workbook
    shutil.move(folders["workbook"], renamed)
    messages = [i.message for i in ingest([renamed], folders["data"]).issues]
    assert any("文件名写的是 430524（隆回县），表内是 430523（邵阳县）" in m for m in messages), messages
    in_folder = folders["in"] / "430524"
    in_folder.mkdir()
    shutil.move(renamed, in_folder / STATS)
    messages = [i.message for i in ingest([in_folder], folders["data"]).issues]
    assert any("放在 430524 的文件夹里" in m for m in messages), messages
    result = ingest([in_folder], folders["data"], regions=["430524"], years=[2022])
    assert any("不在 --regions" in i.message for i in result.issues)
    assert any("不在 --years" in i.message for i in result.issues)


def test_an_old_region_code_is_accepted_for_its_years_only(tmp_path, registry):
    """邵东县 430521 existed until 2018: its 2016 workbook is fine, a 2020 one is not."""
    data = tmp_path / "data"
    (data / "activity").mkdir(parents=True)
    for year in (2016, 2020):
        path = tmp_path / f"{year}.xlsx"
        save_workbook(build_workbook(departments()["stats"], "430521", year, registry), path)
        fill(path, {"能源消费": {"D15": 100}})
        result = ingest([path], data, dry_run=True)
        assert result.ok == (year == 2016), result.issues


def test_empty_workbooks_are_not_filed(folders):
    result = ingest([folders["in"]], folders["data"])
    assert result.ok and result.files == [] and result.written == []
    assert "nothing filled in" in result.warnings[0].message


def test_csv_inputs_are_validated_with_their_lines_and_copied(folders, tmp_path):
    good = tmp_path / "county_energy.csv"
    good.write_text("region,year,category,item,quantity,value,unit\n430523,2023,1.A.2,diesel,consumption,5,吨\n",
                    encoding="utf-8")
    bad = tmp_path / "typo.csv"
    bad.write_text("region,year,category,item,quantity,value,unit\n430523,2023,1.A.2,diesel,consumption,5,万吨吨\n"
                   "430599,2023,1.A.2,diesel,consumption,5,吨\n", encoding="utf-8")
    result = ingest([good, bad], folders["data"])
    assert {(i.line, i.column) for i in result.issues} == {(2, "unit"), (3, "region")}
    assert not (folders["data"] / "activity" / "county_energy.csv").exists()
    result = ingest([good], folders["data"])
    assert result.ok and (folders["data"] / "activity" / "county_energy.csv").read_bytes() == good.read_bytes()


def test_a_csv_saved_by_chinese_excel_is_filed_as_utf8_with_a_warning(folders, tmp_path):
    """ingest read CSV with errors='replace': the Chinese of a GBK file became replacement characters
    and confusing unit errors. Now it is decoded as GBK/GB18030, said in a warning, filed as UTF-8."""
    text = "region,year,category,item,quantity,value,unit,source\n430523,2023,1.A.2,diesel,consumption,5,吨,县统计局\n"
    gbk = tmp_path / "county_gbk.csv"
    gbk.write_bytes(text.encode("gbk"))
    result = ingest([gbk], folders["data"])
    assert result.ok, result.issues
    assert any("GBK/GB18030" in w.message for w in result.warnings)
    filed = (folders["data"] / "activity" / "county_gbk.csv").read_text(encoding="utf-8")
    assert "县统计局" in filed and "吨" in filed


def test_reports_in_html_and_excel(folders, tmp_path):
    fill(folders["workbook"], {"能源消费": {"D15": -35}})
    result = ingest([folders["in"]], folders["data"])
    page = write_report(result, tmp_path / "report.html").read_text(encoding="utf-8")
    assert "能源消费!D15" in page and "负值 -35" in page and "nothing was written" in page
    sheet = load_workbook(write_report(result, tmp_path / "report.xlsx"))["问题 problems"]
    assert [c.value for c in sheet[2]][1:] == ["能源消费!D15", result.issues[0].message]


def test_shipped_demo_workbooks_give_the_demo_records(tmp_path):
    """data_raw/workbooks (generated by scripts/make_demo_workbooks.py) hold the demo's records:
    ingested into an empty folder, they give every annual record of data_raw/activity back — same keys,
    values (in canonical units), notation keys, sources and notes. A sample of them here: every
    workbook of 2019 and every year of 邵东 (with its code change), to keep the suite quick."""
    shipped = sorted((ROOT / "data_raw" / "workbooks").glob("*.xlsx"))
    # 统计局: 15 regions × 9 years; the other departments: the city and 12 counties × 9
    by_department = Counter(p.stem.rsplit("_", 1)[1] for p in shipped)
    assert by_department == {"统计局": 135, "供电公司": 117, "工信局": 117, "农业农村局": 117, "林业局": 117,
                             "城管局": 117, "生态环境局": 117}
    sample = [p for p in shipped if p.name.startswith("2019_") or "邵东" in p.name]
    data = tmp_path / "data"
    (data / "activity").mkdir(parents=True)
    result = ingest(sample, data)
    assert result.ok, result.issues[:5]
    demo = read_activity(ROOT / "data_raw").records
    demo = demo[demo["period"] == ""]  # quarterly records come as CSV: the workbooks are annual
    back = read_activity(data).records
    keys = ["region", "year", "category", "item", "quantity", "period"]
    wanted = set(zip(back["region"], back["year"]))
    demo = demo[[(r, y) in wanted for r, y in zip(demo["region"], demo["year"])]]
    # 2019: 15 regions; 邵东 (430521 until 2018, then 430582) and its park in the other 8 years: 16 more
    assert len(wanted) == 15 + 2 * 8
    demo, back = demo.set_index(keys).sort_index(), back.set_index(keys).sort_index()
    assert list(demo.index) == list(back.index)
    np.testing.assert_allclose(demo["value"].fillna(-1), back["value"].fillna(-1), rtol=1e-9)
    for column in ("notation", "source", "note"):
        assert list(demo[column]) == list(back[column]), column


def test_templates_then_fill_then_ingest_then_run(tmp_path):
    """The issue's walk-through on the command line: workbooks for one county and year, a few cells
    filled (a negative number and a word among them), the cell-level errors, the fix, the records
    used by ``inventory run``."""
    out, data = tmp_path / "forms", tmp_path / "mydata"
    (data / "activity").mkdir(parents=True)
    # last year's values from the shipped demo, asked for by name (without --data the cells stay empty)
    done = run_cli("templates", "--out", str(out), "--regions", "430523", "--years", "2023", "--data", "data_raw")
    assert done.returncode == 0, done.stderr
    assert "7 workbook(s) written" in done.stdout
    assert len(list(out.glob("*.xlsx"))) == len(departments())
    again = run_cli("templates", "--out", str(out), "--regions", "430523", "--years", "2023", "--data", "data_raw")
    assert "0 workbook(s) written, 7 kept" in again.stdout, "a workbook being filled in is never overwritten"
    workbook = out / STATS
    # last year's values come from the shipped demo (示例数据): the form says so
    sheet = load_workbook(workbook)["能源消费"]
    assert "示例数据" in str(sheet["B3"].value)
    fill(workbook, {"能源消费": {"D15": -35, "E15": "很多"}})
    failed = run_cli("ingest", str(out), "--data", str(data), "--report", str(tmp_path / "r.html"))
    assert failed.returncode == 2
    assert f"{STATS}: 能源消费!D15: 负值 -35" in failed.stderr and f"{STATS}: 能源消费!E15: 文字“很多”" in failed.stderr
    assert "nothing was written" in failed.stderr
    assert list((data / "activity").iterdir()) == []
    fill(workbook, {"能源消费": {"D15": 35000, "E15": None}, "社会经济": {"F7": 2500000}})
    done = run_cli("ingest", str(out), "--data", str(data), "--report", str(tmp_path / "r.xlsx"))
    assert done.returncode == 0, done.stderr
    assert "added" in done.stdout and (tmp_path / "r.xlsx").exists()
    run = run_cli("run", "--data", str(data), "--out", str(tmp_path / "out"), "--jobs", "1", "--quiet")
    assert run.returncode == 0, run.stderr
    emissions = pd.read_csv(tmp_path / "out" / "emissions.csv", dtype={"region": str})
    coal = emissions.query("item == 'raw_coal' and gas == 'CO2'")
    assert list(coal["category"]) == ["1.A.2.f"] and 5e4 < coal["emissions_t"].sum() < 9e4  # 35 kt × ~1.9
    page = (tmp_path / "out" / "reports" / "430523" / "2023" / "energy.html").read_text(encoding="utf-8")
    assert f"({STATS}!能源消费!D15)" in page, "the report names the workbook cell behind each record"


def test_templates_for_every_region_of_a_year_by_default(tmp_path, registry):
    done = run_cli("templates", "--out", str(tmp_path), "--departments", "power", "--years", "2024")
    assert done.returncode == 0, done.stderr
    names = sorted(p.name for p in tmp_path.glob("*.xlsx"))
    assert len(names) == 15  # the city, 12 counties, 2 parks
    assert workbook_name(departments()["power"], "430582-P01", 2024, registry) in names
    bad = run_cli("templates", "--out", str(tmp_path), "--departments", "police", "--regions", "999999")
    assert bad.returncode == 2 and "unknown department" in bad.stderr and "unknown region code '999999'" in bad.stderr


@pytest.mark.parametrize("name", ["2016_430521_邵东县_统计局.xlsx", "2023_430500_邵阳市_统计局.xlsx"])
def test_shipped_demo_workbooks_are_what_the_generator_makes_now(tmp_path, name):
    """The shipped workbooks follow the current template and demo data (regenerate them with
    ``python scripts/make_demo_workbooks.py`` after changing either)."""
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "make_demo_workbooks.py"), "--out", str(tmp_path),
                           "--years", name[:4]], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / name).read_bytes() == (ROOT / "data_raw" / "workbooks" / name).read_bytes()
