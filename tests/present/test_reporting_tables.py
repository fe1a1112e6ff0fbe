"""The reporting tables (inventory.present.reporting_tables), read back from the workbook with openpyxl.

A small inventory is built by hand (AR5 GWP100, IPCC AR5 WG1 Table 8.A.1: CH4 28, N2O 265, HFC-23
12,400, CF4 6,630, C2F6 11,100, SF6 23,500, NF3 16,100), so every cell of the summary table is a sum
written out below; a real computation over the demo data checks that every result lands in a row.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from inventory.pipeline.compute import compute_inventory
from inventory.present.reporting_tables import gas_group, summary_table, write_reporting_tables

ROOT = Path(__file__).resolve().parents[2]
GASES = ["CO2", "CH4", "N2O", "HFCs", "PFCs", "SF6", "NF3"]
AR5 = {"CO2": 1.0, "CH4": 28.0, "N2O": 265.0, "HFC-23": 12400.0, "CF4": 6630.0, "C2F6": 11100.0, "SF6": 23500.0,
       "NF3": 16100.0}
FORMULA = '=HYPERLINK("http://x","y")'

#: (category, item, gas, tonnes of the gas) of region 430523 in 2022
RECORDS = [
    ("1.A.1.a", "raw_coal", "CO2", 20000.0),  # 20,000 t CO2e
    ("1.A.1.a", "raw_coal", "CH4", 10.0),  # 10 × 28 = 280
    ("1.A.4.b", "raw_coal", "N2O", 2.0),  # 2 × 265 = 530
    ("1.A.5", "diesel", "CO2", 500.0),  # 500: 服务业及其他
    ("1.B.1.a", "raw_coal", "CH4", 100.0),  # 2,800: 煤炭开采和矿后活动
    ("1.B.3", "other_gas", "CH4", 1.0),  # 28: 逃逸排放 · 其他 (no named row)
    ("2.A.1", "clinker", "CO2", 30000.0),  # 30,000
    ("2.B.9.a", "hcfc22", "HFC-23", 0.5),  # 0.5 × 12,400 = 6,200: HFCs
    ("2.C.3", "aluminium", "CF4", 0.2),  # 0.2 × 6,630 = 1,326: PFCs
    ("2.C.3", "aluminium", "C2F6", 0.02),  # 0.02 × 11,100 = 222: PFCs
    ("2.G.1.b", "sf6_equipment", "SF6", 0.01),  # 0.01 × 23,500 = 235
    ("2.E.1", "semiconductor", "NF3", 0.001),  # 0.001 × 16,100 = 16.1
    ("3.A.1.a.i", "dairy_cattle", "CH4", 100.0),  # 2,800: 动物肠道发酵
    ("3.C.6", "dairy_cattle.solid_storage", "N2O", 1.0),  # 265: 动物粪便管理
    ("3.C.3", "urea", "CO2", 50.0),  # 50: 农业 · 其他
    ("3.B.1.a", "arbor_forest.chinese_fir", "CO2", -40000.0),  # 乔木林
    ("3.B.1.a", "bamboo", "CO2", -3000.0),  # 竹林
    ("3.B.5.b.i", "arbor_forest.masson_pine", "CO2", 1200.0),  # 森林转化
    ("3.B.5.b.i", "arbor_forest.masson_pine", "CH4", 0.1),  # 0.1 × 28 = 2.8: 森林转化
    ("3.B.1.b.i", "arbor_forest.broadleaf", "CO2", -500.0),  # 新造林
    ("4.A.1", "msw", "CH4", 200.0),  # 5,600: 固体废弃物处置
    ("4.C.1", "msw", "CO2", 300.0),  # 300: 焚烧
    ("M.ELEC", "electricity", "CO2", 8000.0),  # memo
    ("M.BUNKER", "kerosene", "CO2", 700.0),  # memo
]

#: the summary table, row by row: (项目, {gas column: t CO2e}); a gas not named is 0
EXPECTED = [
    # without LULUCF: CO2 20,000 + 500 + 30,000 + 50 + 300 = 50,850; CH4 280 + 2,800 + 28 + 2,800 + 5,600
    # = 11,508; N2O 530 + 265 = 795; HFCs 6,200; PFCs 1,326 + 222 = 1,548; SF6 235; NF3 16.1
    ("总量（不含土地利用变化和林业）", {"CO2": 50850, "CH4": 11508, "N2O": 795, "HFCs": 6200, "PFCs": 1548, "SF6": 235,
                           "NF3": 16.1}),
    # with LULUCF: CO2 50,850 − 40,000 − 3,000 + 1,200 − 500 = 8,550; CH4 11,508 + 2.8 = 11,510.8
    ("总量（含土地利用变化和林业）", {"CO2": 8550, "CH4": 11510.8, "N2O": 795, "HFCs": 6200, "PFCs": 1548, "SF6": 235,
                          "NF3": 16.1}),
    ("能源活动", {"CO2": 20500, "CH4": 280 + 2800 + 28, "N2O": 530}),
    ("燃料燃烧", {"CO2": 20500, "CH4": 280, "N2O": 530}),
    ("能源工业", {"CO2": 20000, "CH4": 280}),
    ("制造业和建筑业", {}),
    ("交通运输", {}),
    ("服务业及其他", {"CO2": 500}),
    ("居民生活", {"N2O": 530}),
    ("农林牧渔", {}),
    ("逃逸排放", {"CH4": 2800 + 28}),
    ("煤炭开采和矿后活动", {"CH4": 2800}),
    ("石油和天然气系统", {}),
    ("其他", {"CH4": 28}),
    ("工业生产过程", {"CO2": 30000, "HFCs": 6200, "PFCs": 1548, "SF6": 235, "NF3": 16.1}),
    ("水泥生产", {"CO2": 30000}),
    ("氟化工生产", {"HFCs": 6200}),
    ("铝生产", {"PFCs": 1548}),
    ("集成电路或半导体", {"NF3": 16.1}),
    ("电气设备", {"SF6": 235}),
    ("农业", {"CO2": 50, "CH4": 2800, "N2O": 265}),
    ("动物肠道发酵", {"CH4": 2800}),
    ("动物粪便管理", {"N2O": 265}),
    ("稻田", {}),
    ("农用地", {}),
    ("其他", {"CO2": 50}),
    ("土地利用变化和林业", {"CO2": -42300, "CH4": 2.8}),
    ("乔木林", {"CO2": -40000}),
    ("竹林", {"CO2": -3000}),
    ("经济林", {}),
    ("灌木林", {}),
    ("森林转化", {"CO2": 1200, "CH4": 2.8}),
    ("新造林", {"CO2": -500}),
    ("废弃物处理", {"CH4": 5600, "CO2": 300}),
    ("固体废弃物处置", {"CH4": 5600}),
    ("废水处理", {}),
    ("焚烧", {"CO2": 300}),
    ("生物处理", {}),
    ("信息项（不计入总量）", None),
    ("国际燃料舱", {"CO2": 700}),
    ("调入调出电力间接排放", {"CO2": 8000}),
    ("热力调入调出间接排放", {}),
]


def _emissions(records=RECORDS, region="430523", year=2022) -> pd.DataFrame:
    frame = pd.DataFrame(records, columns=["category", "item", "gas", "emissions_t"])
    return frame.assign(region=region, year=year, co2e_t=frame["emissions_t"] * frame["gas"].map(AR5))


@pytest.fixture(scope="module")
def emissions() -> pd.DataFrame:
    """The hand-built region-year, with another region and another year that must not count."""
    return pd.concat([_emissions(), _emissions(region="430524"), _emissions(year=2021)], ignore_index=True)


@pytest.fixture(scope="module")
def workbook(emissions, tmp_path_factory):
    path = tmp_path_factory.mktemp("tables") / "inventory.xlsx"
    write_reporting_tables(emissions, "430523", 2022, path, gwp="AR5", region_name=FORMULA, illustrative=True)
    return path, load_workbook(path)


def _rows(sheet, first: int = 5):
    return [[cell.value for cell in row] for row in sheet.iter_rows(min_row=first)]


def test_every_cell_of_the_summary_table_is_the_hand_sum_in_10kt(workbook):
    _, book = workbook
    sheet = book["汇总表"]
    heading = [cell.value for cell in sheet[4]]
    assert heading[:3] == ["项目", "Item", "IPCC 类别 / categories"]
    assert heading[3:] == ["二氧化碳 CO2", "甲烷 CH4", "氧化亚氮 N2O", "氢氟碳化物 HFCs", "全氟化碳 PFCs",
                           "六氟化硫 SF6", "三氟化氮 NF3", "合计 / total"]
    rows = _rows(sheet)
    assert [row[0] for row in rows] == [name for name, _ in EXPECTED]
    for row, (name, gases) in zip(rows, EXPECTED):
        if gases is None:  # the memo heading carries no numbers
            assert row[3:] == [None] * 8, name
            continue
        expected = [gases.get(gas, 0.0) / 1e4 for gas in GASES]
        assert row[3:10] == pytest.approx(expected, abs=1e-12), name
        assert row[10] == pytest.approx(sum(gases.values()) / 1e4, abs=1e-12), name


def test_totals_with_and_without_lulucf_and_memo_items_outside(workbook):
    _, book = workbook
    rows = {row[0]: row for row in _rows(book["汇总表"]) if row[0]}
    # 50,850 + 11,508 + 795 + 6,200 + 1,548 + 235 + 16.1 = 71,152.1 t → 7.11521 万吨
    assert rows["总量（不含土地利用变化和林业）"][10] == pytest.approx(7.11521)
    # 71,152.1 − 42,300 + 2.8 = 28,854.9 t → 2.88549 万吨
    assert rows["总量（含土地利用变化和林业）"][10] == pytest.approx(2.88549)
    # the memo items (0.8 + 0.07 万吨) are in neither total: the sectors add up to it exactly
    sectors = ["能源活动", "工业生产过程", "农业", "土地利用变化和林业", "废弃物处理"]
    assert sum(rows[s][10] for s in sectors) == pytest.approx(rows["总量（含土地利用变化和林业）"][10])
    assert rows["调入调出电力间接排放"][10] == pytest.approx(0.8)
    assert rows["调入调出电力间接排放"][2] == "M.ELEC"


def test_titles_name_region_year_gwp_status_and_illustrative_data(workbook):
    path, book = workbook
    assert book.sheetnames == ["汇总表", "能源", "工业生产过程", "农业", "土地利用变化和林业", "废弃物", "IPCC"]
    for sheet in book.worksheets:
        title = sheet["A1"]
        assert title.data_type == "s" and title.value.startswith(FORMULA + "（430523）2022 年 · "), sheet.title
        assert "GWP: AR5" in sheet["A2"].value
        assert sheet["A3"].value == ("内部资料 / internal · 未经审定 / not yet approved · 示例数据，非官方统计 / "
                                     "illustrative data, not official statistics")
    with zipfile.ZipFile(path) as archive:  # no cell anywhere is a formula
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets and not any(b"<f>" in archive.read(n) or b"<f " in archive.read(n) for n in sheets)


def test_number_formats_and_print_setup(workbook):
    _, book = workbook
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "B5", sheet.title
        assert sheet.print_title_rows == "$1:$4", sheet.title
        assert int(sheet.page_setup.paperSize) == 9  # A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
        assert sheet.page_setup.fitToHeight == 0
        assert "内部资料" in sheet.oddHeader.left.text and "未经审定" in sheet.oddHeader.right.text
        assert "&P" in sheet.oddFooter.center.text
        numbers = [cell for row in sheet.iter_rows(min_row=5) for cell in row if isinstance(cell.value, float)]
        assert numbers and all(cell.number_format.endswith(";0") for cell in numbers), sheet.title
        widths = [sheet.column_dimensions[c].width for c in "ABCD"]
        assert all(w and w >= 8 for w in widths), sheet.title
    assert book["汇总表"].page_setup.orientation == "landscape"
    assert book["汇总表"]["D5"].number_format == "#,##0.00;-#,##0.00;0"  # 万吨 with 2 decimals, zero as 0


def test_sector_sheets_at_category_and_gas_detail(workbook):
    _, book = workbook
    ippu = {(row[0], row[3]): row for row in _rows(book["工业生产过程"])}
    # 2.C.3 CF4: 0.2 t of the gas, 0.2 × 6,630 = 1,326 t CO2e = 0.1326 万吨
    assert ippu[("2.C.3", "CF4")][4:7] == pytest.approx([0.2, 1326.0, 0.1326])
    # the sector total: 30,000 + 6,200 + 1,548 + 235 + 16.1 = 37,999.1 t CO2e
    assert ippu[("合计 / total", None)][5] == pytest.approx(37999.1)
    lulucf = {(row[0], row[3], row[4]): row for row in _rows(book["土地利用变化和林业"])}
    assert lulucf[("3.B.5.b.i", "森林转化", "CH4")][5:7] == pytest.approx([0.1, 2.8])
    energy = _rows(book["能源"])
    # the memo items follow the energy total, which leaves them out: 20,500 + 3,108 + 530 = 24,138
    labels = [row[0] for row in energy]
    total = labels.index("合计 / total")
    assert energy[total][5] == pytest.approx(24138.0)
    assert labels[total + 1:] == ["信息项 M.BUNKER", "信息项 M.ELEC"]


def test_the_ipcc_sheet_adds_every_category_into_its_parents(workbook):
    _, book = workbook
    rows = {row[0]: row for row in _rows(book["IPCC"])}
    heading = [cell.value for cell in book["IPCC"][4]]
    assert heading[3:] == ["CO2 (t)", "CH4 (t)", "N2O (t)", "HFCs (t CO2e)", "PFCs (t CO2e)", "SF6 (t)", "NF3 (t)",
                           "合计 / total (t CO2e)"]
    # 1: CH4 10 + 100 + 1 = 111 t of the gas
    assert rows["1"][4] == pytest.approx(111.0)
    assert rows["1.A.1"][1:3] == ["能源工业", "Energy Industries"]
    # 2: HFCs and PFCs in t CO2e (6,200; 1,548), SF6 and NF3 in t of the gas (0.01; 0.001)
    assert rows["2"][6:10] == pytest.approx([6200.0, 1548.0, 0.01, 0.001])
    # 3 adds agriculture and LULUCF (IPCC AFOLU): CO2 50 − 42,300 = −42,250
    assert rows["3"][3] == pytest.approx(-42250.0)
    assert rows["合计"][10] == pytest.approx(28854.9)
    assert rows["M.ELEC"][3] == pytest.approx(8000.0)


def test_a_gas_without_a_column_a_wrong_gwp_set_or_no_rows_write_nothing(emissions, tmp_path):
    path = tmp_path / "inventory.xlsx"
    path.write_bytes(b"the previous file")
    odd = pd.concat([emissions, _emissions([("1.A.1.a", "raw_coal", "CO2", 1.0)]).assign(gas="CO")])
    with pytest.raises(ValueError, match="'CO'"):
        write_reporting_tables(odd, "430523", 2022, path, gwp="AR5", region_name="x", illustrative=False)
    with pytest.raises(ValueError, match="AR4.*CH4"):  # computed with AR5 (CH4 28), titled AR4 (CH4 25)
        write_reporting_tables(emissions, "430523", 2022, path, gwp="AR4", region_name="x", illustrative=False)
    with pytest.raises(ValueError, match="430523.*2019"):
        write_reporting_tables(emissions, "430523", 2019, path, gwp="AR5", region_name="x", illustrative=False)
    assert path.read_bytes() == b"the previous file"


def test_gas_columns():
    assert [gas_group(g) for g in ("HFC-134a", "HFC-23", "CF4", "C2F6", "c-C4F8", "PFCs", "SF6", "NF3")] == [
        "HFCs", "HFCs", "PFCs", "PFCs", "PFCs", "PFCs", "SF6", "NF3"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> pd.DataFrame:
    """A real computation over the demo data (no kernels), as ``emissions.csv`` holds it and reads back."""
    emissions = compute_inventory(ROOT / "data_raw", regions=["430500", "430523"], years=[2021, 2022])
    path = tmp_path_factory.mktemp("demo") / "emissions.csv"
    emissions.to_csv(path, index=False)
    return pd.read_csv(path)  # region read back as a number, as a reader of the CSV gets it


def test_every_result_of_a_demo_run_lands_in_a_row(demo):
    for (region, year), rows in demo.groupby(["region", "year"]):
        table = summary_table(demo, str(region), int(year)).set_index("key")
        inventory = rows[~rows["category"].str.startswith("M.")]
        total = inventory["co2e_t"].sum() / 1e4
        sectors = table.loc[["energy", "ippu", "agriculture", "lulucf", "waste"], "total"].sum()
        assert sectors == pytest.approx(total, rel=1e-12), (region, year)
        assert table.loc["total_with_lulucf", "total"] == pytest.approx(total, rel=1e-12)
        # each sector is the sum of its rows one level down
        level = table["level"].to_numpy()
        for position, key in enumerate(table.index):
            if level[position] == 1 and key != "memo":
                below = []
                for later in range(position + 1, len(table)):
                    if level[later] <= 1:
                        break
                    if level[later] == 2:
                        below.append(table["total"].iloc[later])
                assert sum(below) == pytest.approx(table["total"].iloc[position], rel=1e-12, abs=1e-12), key
        memo = rows[rows["category"] == "M.ELEC"]["co2e_t"].sum() / 1e4
        assert table.loc["M.ELEC", "total"] == pytest.approx(memo)
