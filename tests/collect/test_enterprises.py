"""Key-enterprise workbooks (issue 11): one per enterprise and year, read back into ``enterprises/``."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import numpy as np
import pytest
from openpyxl import load_workbook
from workbook_data import fill

from inventory.collect.enterprises import SHEET, read_register
from inventory.collect.ingest import ingest
from inventory.collect.workbooks import META_SHEET, write_templates
from inventory.core.errors import InputError
from inventory.core.safetext import set_text

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "data_raw"
HEADER = "enterprise,name,region,year,category,item,quantity,value,unit,gas,source,note\n"


def every_text(path: Path) -> str:
    """Every cell value of every sheet (the very hidden metadata too), joined."""
    workbook = load_workbook(path)
    return "\n".join(str(value) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)
                     for value in row if value is not None)


def rows_by_label(path: Path) -> dict[str, int]:
    """Row of each line of the data sheet, by its hidden key."""
    sheet = load_workbook(path)[SHEET]
    return {str(sheet.cell(row, 1).value): row for row in range(7, sheet.max_row + 1) if sheet.cell(row, 1).value}


@pytest.fixture(scope="module")
def demo_templates(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("forms")
    run = write_templates(out, DEMO, None, [2022], ["enterprises"])
    assert len(run.written) == 4  # the demo's four key enterprises filed records for 2021 and 2022
    return out


def test_a_workbook_shows_one_enterprises_rows_only(demo_templates):
    """Each workbook holds its own enterprise's code, name, rows and last year's values, and nothing of
    the other three — in no sheet, the hidden metadata included."""
    names = {"DEMO-CEM-01": "示例水泥企业甲（邵东）", "DEMO-CEM-02": "示例水泥企业乙（新邵）",
             "DEMO-GLS-01": "示例玻璃企业（大祥区）", "DEMO-CHM-01": "示例化工企业（邵东）"}
    # each one's 2021 clinker / glass / ammonia production as shown in its own workbook (data_raw/enterprises)
    own_2021 = {"DEMO-CEM-01": 570000, "DEMO-CEM-02": 418000, "DEMO-GLS-01": 205000, "DEMO-CHM-01": 4230}
    paths = sorted(demo_templates.glob("*.xlsx"))
    assert len(paths) == 4
    for path in paths:
        code = next(c for c in names if c in path.name)
        text = every_text(path)
        assert code in text and names[code] in text
        for other in set(names) - {code}:
            assert other not in text and names[other] not in text, (path.name, other)
            assert str(own_2021[other]) not in text, (path.name, other)
        assert str(own_2021[code]) in text
    cement = next(p for p in paths if "DEMO-CEM-01" in p.name)
    sheet = load_workbook(cement)[SHEET]
    lines = rows_by_label(cement)
    electricity = lines["category=2.A.1|gas=|item=electricity|quantity=consumption|unit=万千瓦时"]
    # last year's electricity 88,091 MWh = 88,091,000 kWh = 8,809.1 万千瓦时 (1 万千瓦时 = 10 MWh)
    assert sheet.cell(electricity, 9).value == pytest.approx(8809.1)
    assert sheet.cell(electricity, 6).value is None  # this year's cell is empty, unlocked
    assert sheet.cell(electricity, 6).protection.locked is False
    assert sheet.cell(electricity, 3).protection.locked is True
    assert sheet.protection.sheet
    assert load_workbook(cement)[META_SHEET].sheet_state == "veryHidden"
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9  # A4


def test_shipped_enterprise_workbooks_give_the_demo_records(tmp_path):
    """data_raw/workbooks/enterprises (scripts/make_demo_workbooks.py --enterprises) ingested into an empty
    folder give data_raw/enterprises back: every key, value (canonical units), name, region, source and note."""
    shipped = sorted((DEMO / "workbooks" / "enterprises").glob("*.xlsx"))
    assert len(shipped) == 4 * 5  # four enterprises, 2019–2023
    data = tmp_path / "data"
    data.mkdir()
    result = ingest(shipped, data)
    assert result.ok, result.issues[:5]
    assert len(list((data / "enterprises").glob("*.csv"))) == 20
    key = ["enterprise", "year", "category", "item", "quantity", "gas"]
    demo = read_register(DEMO).sort_values(key).reset_index(drop=True)
    back = read_register(data).sort_values(key).reset_index(drop=True)
    assert len(demo) == len(back) == 70
    for column in key + ["name", "region", "unit", "source", "note"]:
        assert list(demo[column]) == list(back[column]), column
    np.testing.assert_allclose(back["value"], demo["value"], rtol=1e-9)
    # every record names its cell; every submission is kept and logged
    with (data / "enterprises" / "DEMO-CEM-02_2022.csv").open(encoding="utf-8") as handle:
        filed = list(csv.DictReader(handle))
    clinker = next(r for r in filed if r["item"] == "clinker" and r["quantity"] == "production")
    assert clinker["value"] == "418880" and clinker["unit"] == "吨"
    assert clinker["origin"] == "2022_430522_新邵县_DEMO-CEM-02_示例水泥企业乙（新邵）.xlsx!企业数据!F7"
    assert len(list((data / "workbooks").glob("*.xlsx"))) == 20
    # the same workbooks again: nothing changes
    again = ingest(shipped[:2], data)
    assert again.ok and all(f.unchanged for f in again.files)


def test_cell_errors_are_listed_at_once_and_nothing_is_written(demo_templates, tmp_path):
    path = tmp_path / "filled.xlsx"
    shutil.copy(next(demo_templates.glob("*DEMO-CEM-01*")), path)
    lines = rows_by_label(path)
    clinker = lines["category=2.A.1|gas=|item=clinker|quantity=production|unit=吨"]
    emitted = lines["category=2.A.1|gas=CO2|item=clinker|quantity=reported_emissions|unit=吨"]
    cement = lines["category=2.A.1|gas=|item=cement|quantity=production|unit=吨"]
    electricity = lines["category=2.A.1|gas=|item=electricity|quantity=consumption|unit=万千瓦时"]
    fill(path, {SHEET: {f"F{clinker}": "很多", f"F{emitted}": -5, f"F{cement}": "NE",
                        f"E{electricity}": "千瓦时", f"F{electricity}": 7881.8}})
    data = tmp_path / "data"
    data.mkdir()
    result = ingest([path], data)
    found = {issue.column: issue.message for issue in result.issues}
    assert set(found) == {f"{SHEET}!F{clinker}", f"{SHEET}!F{emitted}", f"{SHEET}!F{cement}",
                          f"{SHEET}!E{electricity}"}
    assert "不是数值" in found[f"{SHEET}!F{clinker}"]
    assert "负值" in found[f"{SHEET}!F{emitted}"]
    assert "注释符号" in found[f"{SHEET}!F{cement}"]
    assert "万千瓦时" in found[f"{SHEET}!E{electricity}"]  # 千瓦时 under 万千瓦时: 10,000× off, refused
    assert sorted(p.name for p in data.iterdir()) == []


def test_a_record_filed_twice_and_a_file_not_made_from_the_workbook(demo_templates, tmp_path):
    """An enterprise's record already in another file of ``enterprises/`` is an error naming both places
    (the county's sum would count it twice); a hand-made file of the target's name is replaced only with
    ``replace``, and kept in replaced/."""
    path = tmp_path / "2022_DEMO-GLS-01.xlsx"
    shutil.copy(next(demo_templates.glob("*DEMO-GLS-01*")), path)
    glass = rows_by_label(path)["category=2.A.3|gas=|item=flat_glass|quantity=production|unit=吨"]
    fill(path, {SHEET: {f"F{glass}": 200000}})
    data = tmp_path / "data"
    (data / "enterprises").mkdir(parents=True)
    shutil.copy(DEMO / "enterprises" / "key_enterprises.csv", data / "enterprises")
    twice = ingest([path], data)
    assert [(i.column, "key_enterprises.csv:52" in i.message) for i in twice.issues] == [(f"{SHEET}!F{glass}", True)]
    (data / "enterprises" / "key_enterprises.csv").unlink()
    hand = data / "enterprises" / "DEMO-GLS-01_2022.csv"
    hand.write_text(HEADER + "DEMO-GLS-01,玻璃,430503,2022,2.A.3,flat_glass,production,1,t,,by hand,\n",
                    encoding="utf-8")
    refused = ingest([path], data)
    assert len(refused.issues) == 1 and "--replace" in refused.issues[0].message
    assert hand.read_text(encoding="utf-8").count("by hand") == 1
    done = ingest([path], data, replace=True)
    assert done.ok
    assert [c.kind for c in done.files[0].changes] == ["changed"]  # 1 t → 200,000 t
    assert len(list((data / "replaced").glob("DEMO-GLS-01_2022.*.csv"))) == 1


def test_formula_like_names_stay_text(tmp_path):
    """An enterprise name, source and note that look like formulas are written as text in the workbook and
    come back unchanged."""
    data = tmp_path / "data"
    (data / "enterprises").mkdir(parents=True)
    name = '=HYPERLINK("http://example.invalid","点此")'
    (data / "enterprises" / "register.csv").write_text(
        HEADER + f'E-01,"{name.replace(chr(34), chr(34) * 2)}",430523,2022,2.A.2,lime,production,100,t,,'
                 '@SUM(1),+1\n', encoding="utf-8")
    out = tmp_path / "forms"
    run = write_templates(out, data, None, [2023], ["enterprises"])
    assert len(run.written) == 1
    workbook = load_workbook(run.written[0])
    looks_like_formula = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row
                          if isinstance(cell.value, str) and cell.value.startswith(("=", "@", "+"))]
    assert any(name in cell.value for cell in looks_like_formula)
    assert all(cell.data_type == "s" for cell in looks_like_formula)
    lime = rows_by_label(run.written[0])["category=2.A.2|gas=|item=lime|quantity=production|unit=吨"]
    fill(run.written[0], {SHEET: {f"F{lime}": 120}})
    typed = load_workbook(run.written[0])  # a source typed as text that starts like a formula ('=… in Excel)
    set_text(typed[SHEET][f"G{lime}"], "=1+1 厂内台账")
    typed.save(run.written[0])
    (data / "enterprises" / "register.csv").unlink()  # the register's 2022 record is not this year's
    result = ingest(run.written, data)
    assert result.ok, result.issues
    rows = read_register(data)
    assert list(rows["name"]) == [name]
    assert list(rows["source"]) == ["=1+1 厂内台账"]
    assert list(rows["value"]) == [120.0]


def test_enterprise_workbooks_need_the_register(tmp_path):
    with pytest.raises(InputError, match="enterprises"):
        write_templates(tmp_path / "forms", None, None, [2023], ["enterprises"])
    assert not (tmp_path / "forms").exists()


def test_plant_parameters_are_filed_as_the_enterprises_local_factor_rows(demo_templates, tmp_path):
    """A clinker factor and kiln-dust correction measured at the plant become local factor rows of its
    county and that year only, each naming its workbook cell; the factor database reads them."""
    path = tmp_path / "2022_DEMO-CEM-01.xlsx"
    shutil.copy(next(demo_templates.glob("*DEMO-CEM-01*")), path)
    lines = rows_by_label(path)
    ef = lines["category=2.A.1|gas=CO2|item=clinker|parameter=EF_process|unit=t/t"]
    ckd = lines["category=2.A.1|gas=|item=clinker|parameter=CF_ckd|unit=1"]
    fill(path, {SHEET: {f"F{ef}": 0.5265, f"G{ef}": "检测报告 2022-17", f"F{ckd}": 1.02}})
    assert "category=2.A.1|gas=|item=cement|parameter=CF_ckd|unit=1" not in lines  # clinker's, not cement's
    data = tmp_path / "data"
    data.mkdir()
    result = ingest([path], data)
    assert result.ok, result.issues
    from inventory.core.factors import load_factors

    rows = load_factors(data).rows
    mine = rows[rows["file"] == "factors/enterprise_DEMO-CEM-01_2022.csv"].sort_values("parameter")
    assert list(mine["parameter"]) == ["CF_ckd", "EF_process"]
    assert list(mine["value"].astype(float)) == [1.02, 0.5265]
    assert set(mine["region"]) == {"430582"} and set(mine["year_from"].astype(int)) == {2022}
    assert set(mine["year_to"].astype(int)) == {2022}
    assert list(mine["source_table"]) == [f"{path.name}!{SHEET}!F{ckd}", f"{path.name}!{SHEET}!F{ef}"]
    assert mine["source"].iloc[1] == "检测报告 2022-17"
    # the enterprise's records are filed beside them, once each
    assert (data / "enterprises" / "DEMO-CEM-01_2022.csv").exists()
    assert sorted(f.target for f in result.files) == ["enterprises/DEMO-CEM-01_2022.csv",
                                                     "factors/enterprise_DEMO-CEM-01_2022.csv"]


def test_two_plants_of_a_county_measuring_one_parameter_are_refused(tmp_path):
    """Two lime plants of one county each give a lime factor: two local rows for the same county and year
    would tie, so the second is refused at its cell (the county's production-weighted value is needed)."""
    data = tmp_path / "data"
    (data / "enterprises").mkdir(parents=True)
    (data / "enterprises" / "register.csv").write_text(
        HEADER + "L-1,石灰厂一,430523,2022,2.A.2,lime,production,100,t,,台账,\n"
                 "L-2,石灰厂二,430523,2022,2.A.2,lime,production,300,t,,台账,\n", encoding="utf-8")
    run = write_templates(tmp_path / "forms", data, None, [2023], ["enterprises"])
    assert len(run.written) == 2
    (data / "enterprises" / "register.csv").unlink()
    cells = {}
    for path in run.written:
        row = rows_by_label(path)["category=2.A.2|gas=CO2|item=lime|parameter=EF_process|unit=t/t"]
        fill(path, {SHEET: {f"F{row}": 0.76}})
        cells[path.name] = f"{SHEET}!F{row}"
    first = ingest(run.written[:1], data)
    assert first.ok, first.issues
    second = ingest(run.written[1:], data)
    assert len(second.issues) == 1
    assert second.issues[0].column == cells[run.written[1].name]
    assert "产量加权" in second.issues[0].message
    assert not (data / "factors" / "enterprise_L-2_2023.csv").exists()
