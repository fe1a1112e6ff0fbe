"""inventory.core.activity: reading, validating and shaping activity data (CONTRACTS §3)."""

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from inventory.core.activity import read_activity, to_cube
from inventory.core.errors import InputError

HEADER = "region,year,category,item,quantity,value,unit,notation,uncertainty,source,note"


def by_line(records: pd.DataFrame) -> pd.DataFrame:
    return records.set_index("line")


# ---- a clean file -----------------------------------------------------------------------------------

CLEAN = [
    HEADER,
    "430522,2020,1.A.2,diesel,consumption,1.5,万吨,,3,县统计局,",  # line 2
    "430522,2020,1.A.2,natural_gas,consumption,100,万立方米,,,县统计局,",  # 3
    "430522,2020,1.A.3.b,natural_gas,consumption,0.02,亿立方米,,,,",  # 4
    "430522,2020,1.A.2,lpg,consumption,2,kt,,,,",  # 5
    "430522,2020,EB,electricity,inflow,3.5,亿千瓦时,,,,",  # 6
    "430522,2020,EB,electricity,outflow,120,万千瓦时,,,,",  # 7
    "430522,2020,EB,heat,inflow,100,吨标准煤,,,,",  # 8
    "430522,2020,3.A.1,swine,population,3.2,万头,,,,",  # 9
    "430522,2020,3.A.1,poultry,population,150,万只,,,,",  # 10
    "430522,2020,3.C.7,single_rice,area,12,千公顷,,,,",  # 11
    "430522,2020,3.C.7,early_rice,area,1500,亩,,,,",  # 12
    "430522,2020,3.C.7,late_rice,area,3,万亩,,,,",  # 13
    "430522,2020,EB,raw_coal,stock_change,-2,万吨,,,,",  # 14: stock change may be negative
    "430521,2018,1.A.2,coke,consumption,500,吨,,,,",  # 15: 邵东县, before 2019
    "430522,2020,1.A.2,crude_oil,consumption,,,NO,,,不燃用原油",  # 16: notation key
    '430522,2020,1.A.2,fuel_oil,consumption,800,吨,,,"县统计局',  # 17: a source over two lines ...
    '（两行备注）",',  # 18
    "",  # 19: a blank line
    "430522,2020,1.A.2,gasoline,consumption,600,吨,,5..10,,",  # 20
]

#: line → (region, category, item, quantity, value in canonical unit, canonical unit)
CLEAN_EXPECTED = {
    2: ("430522", "1.A.2", "diesel", "consumption", 15_000.0, "t"),  # 1.5 × 1e4 t
    3: ("430522", "1.A.2", "natural_gas", "consumption", 1e6, "m^3"),  # 100 × 1e4 m^3
    4: ("430522", "1.A.3.b", "natural_gas", "consumption", 2e6, "m^3"),  # 0.02 × 1e8 m^3
    5: ("430522", "1.A.2", "lpg", "consumption", 2000.0, "t"),  # 2 kt, kilotonnes
    6: ("430522", "EB", "electricity", "inflow", 350_000.0, "MWh"),  # 3.5 × 1e8 kWh / 1000
    7: ("430522", "EB", "electricity", "outflow", 1200.0, "MWh"),  # 120 × 1e4 kWh / 1000
    8: ("430522", "EB", "heat", "inflow", 2930.76, "GJ"),  # 100 tce × 29.3076 GJ/tce
    9: ("430522", "3.A.1", "swine", "population", 32_000.0, "head"),  # 3.2 × 1e4 head
    10: ("430522", "3.A.1", "poultry", "population", 1_500_000.0, "head"),  # 150 × 1e4 只
    11: ("430522", "3.C.7", "single_rice", "area", 12_000.0, "ha"),  # 12 × 1000 ha
    12: ("430522", "3.C.7", "early_rice", "area", 100.0, "ha"),  # 1500 亩 / 15
    13: ("430522", "3.C.7", "late_rice", "area", 2000.0, "ha"),  # 3 × 1e4 亩 / 15
    14: ("430522", "EB", "raw_coal", "stock_change", -20_000.0, "t"),  # −2 × 1e4 t
    15: ("430582", "1.A.2", "coke", "consumption", 500.0, "t"),
    16: ("430522", "1.A.2", "crude_oil", "consumption", np.nan, "t"),
    17: ("430522", "1.A.2", "fuel_oil", "consumption", 800.0, "t"),
    20: ("430522", "1.A.2", "gasoline", "consumption", 600.0, "t"),
}


@pytest.fixture
def clean(data_folder):
    return read_activity(data_folder(activity={"clean.csv": CLEAN}))


def test_clean_file_reads_into_canonical_values_with_provenance(clean):
    records = by_line(clean.records)
    assert sorted(records.index) == sorted(CLEAN_EXPECTED)
    assert set(records["file"]) == {"activity/clean.csv"}
    for line, (region, category, item, quantity, value, unit) in CLEAN_EXPECTED.items():
        row = records.loc[line]
        assert (row["region"], row["category"], row["item"], row["quantity"], row["unit"]) == (
            region, category, item, quantity, unit), line
        np.testing.assert_allclose(row["value"], value, rtol=1e-12, err_msg=f"line {line}")
    assert clean.warnings == []


def test_reported_value_and_unit_are_kept(clean):
    row = by_line(clean.records).loc[2]
    assert (row["value_reported"], row["unit_reported"]) == ("1.5", "万吨")
    assert row["uncertainty"] == "3"
    assert row["source"] == "县统计局"


def test_retired_region_code_is_kept_under_its_successor(clean):
    row = by_line(clean.records).loc[15]
    assert (row["region"], row["region_reported"], row["year"]) == ("430582", "430521", 2018)
    assert clean.regions == ["430522", "430582"]
    assert clean.years == [2018, 2020]


def test_notation_key_is_kept_not_zeroed(clean):
    row = by_line(clean.records).loc[16]
    assert row["notation"] == "NO"
    assert np.isnan(row["value"])
    assert row["note"] == "不燃用原油"


def test_multiline_note_keeps_line_numbers(clean):
    records = by_line(clean.records)
    assert records.loc[17, "source"] == "县统计局\n（两行备注）"
    assert records.loc[20, "item"] == "gasoline"


def test_bom_is_accepted(data_folder):
    folder = data_folder(activity={"excel.csv": [HEADER, "430522,2020,1.A.2,diesel,consumption,1000,吨,,,,"]},
                         encoding="utf-8-sig")
    assert (folder / "activity" / "excel.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    records = read_activity(folder).records
    assert list(records["region"]) == ["430522"]
    assert list(records["value"]) == [1000.0]


def test_crlf_line_ends_and_blank_lines_keep_line_numbers(tmp_path):
    (tmp_path / "activity").mkdir()
    (tmp_path / "activity" / "excel.csv").write_bytes(
        (HEADER + "\r\n"
         "430522,2020,1.A.2,diesel,consumption,1000,吨,,,,\r\n"  # line 2
         "\r\n"  # line 3
         "430522,2020,1.A.2,coke,consumption,x,吨,,,,\r\n").encode("utf-8"))  # line 4
    with pytest.raises(InputError) as info:
        read_activity(tmp_path)
    assert [(i.file, i.line, i.column) for i in info.value.issues] == [("activity/excel.csv", 4, "value")]


# ---- files in the wrong form ------------------------------------------------------------------------
# Excel on Chinese Windows saves "CSV (逗号分隔)" in GBK/GB18030; a filled workbook may be dropped into
# activity/ as it is. Either is read correctly with a warning naming the file, or refused with the steps.

GB_ROWS = [HEADER, "430522,2020,1.A.2,diesel,consumption,1.5,万吨,,,县统计局,柴油（0号）",  # line 2
           "430522,2020,1.A.2,natural_gas,consumption,100,万立方米,,,县统计局,"]  # 3


@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
def test_csv_saved_by_chinese_excel_is_read_with_a_warning_naming_the_file(data_folder, encoding):
    folder = data_folder(activity={"excel_gbk.csv": GB_ROWS}, encoding=encoding)
    raw = (folder / "activity" / "excel_gbk.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # the defect: not UTF-8, and it used to be refused with no way forward
    data = read_activity(folder)
    records = by_line(data.records)
    # the Chinese text is read as written: 1.5 万吨 = 15 000 t, 100 万立方米 = 1 000 000 m^3
    assert (records.loc[2, "unit_reported"], records.loc[2, "value"]) == ("万吨", 15_000.0)
    assert (records.loc[3, "unit_reported"], records.loc[3, "value"]) == ("万立方米", 1e6)
    assert (records.loc[2, "source"], records.loc[2, "note"]) == ("县统计局", "柴油（0号）")
    [warning] = data.warnings
    assert (warning.file, warning.line) == ("activity/excel_gbk.csv", 0)
    assert warning.message.startswith("按 GBK/GB18030 编码读入")
    assert "read as GBK/GB18030" in warning.message and "CSV UTF-8" in warning.message


def test_bytes_neither_utf8_nor_gb18030_are_refused_with_the_steps_to_save_as_utf8(tmp_path):
    (tmp_path / "activity").mkdir()
    (tmp_path / "activity" / "broken.csv").write_bytes(
        (HEADER + "\n430522,2020,1.A.2,diesel,consumption,1000,t,,,,").encode("ascii") + b"\xff\n")
    with pytest.raises(InputError, match="UTF-8") as info:
        read_activity(tmp_path)
    [issue] = info.value.issues
    assert issue.file == "activity/broken.csv"
    assert issue.message.startswith("不是 UTF-8 文本")
    assert "另存为" in issue.message and "CSV UTF-8" in issue.message and "Save As" in issue.message


def test_utf16_unicode_text_is_refused_with_the_steps(tmp_path):
    (tmp_path / "activity").mkdir()
    (tmp_path / "activity" / "unicode.csv").write_bytes((HEADER + "\n").encode("utf-16"))
    with pytest.raises(InputError, match="UTF-16") as info:
        read_activity(tmp_path)
    assert [i.file for i in info.value.issues] == ["activity/unicode.csv"]
    assert "CSV UTF-8" in info.value.issues[0].message


def test_spreadsheets_dropped_into_activity_are_named_with_inventory_ingest(data_folder):
    folder = data_folder(activity={"good.csv": [HEADER, "430522,2020,1.A.2,diesel,consumption,1000,吨,,,,"],
                                   "bad.csv": [HEADER, "430522,2020,1.A.2,diesel,consumption,1000,万屯,,,,"]})
    (folder / "activity" / "2023_430523_邵阳县_统计局.xlsx").write_bytes(b"PK\x03\x04 a workbook")
    (folder / "activity" / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    (folder / "activity" / "~$2023_430523_邵阳县_统计局.xlsx").write_bytes(b"Excel's lock file")
    (folder / "activity" / "README.md").write_text("notes, not data", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_activity(folder)
    issues = {(i.file, i.line, i.column): i.message for i in info.value.issues}
    # all at once: the CSV problem and both spreadsheets; the lock file and the README are not data
    assert set(issues) == {("activity/bad.csv", 2, "unit"), ("activity/2023_430523_邵阳县_统计局.xlsx", 0, ""),
                           ("activity/old.xls", 0, "")}
    workbook = issues[("activity/2023_430523_邵阳县_统计局.xlsx", 0, "")]
    assert workbook.startswith("这是电子表格（.xlsx）")
    assert "use `inventory ingest" in workbook and f"--data {folder}`" in workbook
    assert "另存为” .xlsx" in issues[("activity/old.xls", 0, "")]


def test_only_a_spreadsheet_in_activity_is_an_error_not_an_empty_inventory(tmp_path):
    (tmp_path / "activity").mkdir()
    (tmp_path / "activity" / "filled.xlsx").write_bytes(b"PK")
    with pytest.raises(InputError, match="inventory ingest") as info:
        read_activity(tmp_path)
    assert [i.file for i in info.value.issues] == ["activity/filled.xlsx"]


def test_upper_case_csv_is_read_and_a_csv_in_a_subfolder_is_a_warning(data_folder):
    folder = data_folder(activity={"ENERGY.CSV": [HEADER, "430522,2020,1.A.2,diesel,consumption,1000,吨,,,,"],
                                   "2019/old.csv": [HEADER, "430522,2019,1.A.2,diesel,consumption,900,吨,,,,"]})
    data = read_activity(folder)
    assert list(data.records["file"]) == ["activity/ENERGY.CSV"]
    assert [(w.file, w.line) for w in data.warnings] == [("activity/2019/old.csv", 0)]
    assert "not read" in data.warnings[0].message and data.warnings[0].message.startswith("在 activity/ 的子文件夹中")
    assert read_activity(folder).warnings == data.warnings, "the same warnings on a cached read"


def test_missing_required_column(data_folder):
    folder = data_folder(activity={"a.csv": ["region,year,category,item,value,unit",
                                             "430522,2020,1.A.2,diesel,1000,吨"]})
    with pytest.raises(InputError, match="quantity") as info:
        read_activity(folder)
    assert [(i.file, i.line) for i in info.value.issues] == [("activity/a.csv", 1)]


def test_fixture_file_reads_into_the_hand_built_records(combustion_dir, combustion_records):
    records = read_activity(combustion_dir).records
    pd.testing.assert_frame_equal(records, combustion_records, check_dtype=False)


def test_data_folder_regions_extend_what_activity_accepts(data_folder):
    folder = data_folder(
        activity={"park.csv": [HEADER, "430522-P01,2020,1.A.2,diesel,consumption,10,吨,,,,"]},
        regions=["code,name_zh,name_en,level,parent,valid_from,valid_to",
                 "430522-P01,新邵测试园区,Xinshao test park,park,430522,,"],
    )
    assert list(read_activity(folder).records["region"]) == ["430522-P01"]


# ---- every bad input at once -------------------------------------------------------------------------

GOOD_ROWS = [
    "430522,2020,1.A.2,diesel,consumption,1000,吨,,,,",  # line 2
    "430522,2020,1.A.2,natural_gas,consumption,100,万立方米,,,,",  # 3
    "430522,2020,1.A.2,natural_gas,consumption,100,万立方米,,,,",  # 4: exact duplicate of 3: a warning only
]
#: (problem, row, column the issue must name); each row's line is its position in the file
BAD_ROWS = [
    ("unknown region code", "999999,2020,1.A.2,coke,consumption,10,吨,,,,", "region"),
    ("typo in the unit", "430522,2020,1.A.2,coke,consumption,2,万屯,,,,", "unit"),
    ("text in the value", "430522,2020,1.A.2,fuel_oil,consumption,约1000,吨,,,,", "value"),
    ("negative fuel consumption", "430522,2020,1.A.2,gasoline,consumption,-5,吨,,,,", "value"),
    ("duplicate of line 2, other value", "430522,2020,1.A.2,diesel,consumption,1200,吨,,,,", "value"),
    ("volume unit for coal", "430522,2020,1.A.2,raw_coal,consumption,3,万立方米,,,,", "unit"),
    ("unknown category", "430522,2020,1.A.9,lpg,consumption,3,吨,,,,", "category"),
    ("unknown item", "430522,2020,1.A.2,coal_gangue,consumption,3,吨,,,,", "item"),
    ("unknown quantity", "430522,2020,1.A.2,kerosene,burned,3,吨,,,,", "quantity"),
    ("value and notation both", "430522,2020,1.A.2,crude_oil,consumption,3,吨,NO,,,", "value"),
    ("retired code used in 2020", "430521,2020,1.A.2,coke_oven_gas,consumption,3,万立方米,,,,", "region"),
    ("year not four digits", "430522,20x0,1.A.2,briquettes,consumption,3,吨,,,,", "year"),
    ("item not allowed in category", "430522,2020,1.A.2,clinker,production,3,吨,,,,", "category"),
    ("quantity not for this item", "430522,2020,1.A.2,washed_coal,population,3,吨,,,,", "quantity"),
    ("unknown notation key", "430522,2020,1.A.2,other_gas,consumption,,,N/A,,,", "notation"),
    ("unreadable uncertainty", "430522,2020,1.A.2,refinery_gas,consumption,3,吨,,about 5,,", "uncertainty"),
    ("no value, no notation", "430522,2020,1.A.2,other_petroleum,consumption,,吨,,,,", "value"),
]
SECOND_FILE = [HEADER, "430522,2020,1.A.2,kerosene,consumption,10,桶,,,,"]  # 桶 (barrel) is no unit here


@pytest.fixture
def bad_input(data_folder):
    folder = data_folder(activity={"bad.csv": [HEADER] + GOOD_ROWS + [row for _, row, _ in BAD_ROWS],
                                   "more.csv": SECOND_FILE})
    with pytest.raises(InputError) as info:
        read_activity(folder)
    return info.value


def bad_line(problem: str) -> int:
    index = [p for p, _, _ in BAD_ROWS].index(problem)
    return 1 + len(GOOD_ROWS) + index + 1


def test_every_bad_input_is_reported_at_once_with_file_line_and_column(bad_input):
    found = {(issue.file, issue.line, issue.column) for issue in bad_input.issues}
    expected = {("activity/bad.csv", bad_line(problem), column) for problem, _, column in BAD_ROWS}
    expected.add(("activity/more.csv", 2, "unit"))
    assert found == expected
    assert len(bad_input.issues) == len(expected)  # one issue per problem, none on the good lines


@pytest.mark.parametrize(
    ("problem", "words"),
    [
        ("unknown region code", ["999999"]),
        ("typo in the unit", ["万屯"]),
        ("text in the value", ["约1000", "not a number"]),
        ("negative fuel consumption", ["negative", "-5"]),
        ("duplicate of line 2, other value", ["activity/bad.csv:2", "1200", "1000"]),
        ("volume unit for coal", ["万立方米"]),
        ("unknown category", ["1.A.9"]),
        ("unknown item", ["coal_gangue"]),
        ("unknown quantity", ["burned"]),
        ("value and notation both", ["NO"]),
        ("retired code used in 2020", ["430582"]),
    ],
)
def test_issue_message_says_what_is_wrong(bad_input, problem, words):
    [issue] = [i for i in bad_input.issues if i.file == "activity/bad.csv" and i.line == bad_line(problem)]
    for word in words:
        assert word in issue.message, (problem, issue.message)


def test_error_text_names_file_line_and_column(bad_input):
    text = str(bad_input)
    assert (f"activity/bad.csv:{bad_line('typo in the unit')}: column unit: 单位“万屯”无法识别——是否应为 万吨？ / "
            f"unknown unit '万屯' — did you mean 万吨?") in text
    assert "activity/more.csv:2: column unit" in text


# ---- duplicates ----------------------------------------------------------------------------------------


def test_exact_duplicate_is_a_warning_and_counted_once(data_folder):
    folder = data_folder(activity={"a.csv": [
        HEADER,
        "430522,2020,1.A.2,raw_coal,consumption,1,万吨,,,,",
        "430522,2020,1.A.2,raw_coal,consumption,10000,吨,,,,",  # the same 10 000 t in other units
    ]})
    data = read_activity(folder)
    assert len(data.records) == 1
    assert data.records["value"].tolist() == [10_000.0]
    assert [(w.file, w.line) for w in data.warnings] == [("activity/a.csv", 3)]
    assert "activity/a.csv:2" in data.warnings[0].message


def test_duplicate_across_files_and_code_history_with_other_value_is_an_error(data_folder):
    # 430521 (邵东县) and 430582 (邵东市) are one region: the 2018 records collide
    folder = data_folder(activity={
        "a_old_code.csv": [HEADER, "430521,2018,1.A.2,coke,consumption,500,吨,,,,"],
        "b_new_code.csv": [HEADER, "430582,2018,1.A.2,coke,consumption,600,吨,,,,"],
    })
    with pytest.raises(InputError) as info:
        read_activity(folder)
    assert [(i.file, i.line, i.column) for i in info.value.issues] == [("activity/b_new_code.csv", 2, "value")]
    assert "activity/a_old_code.csv:2" in info.value.issues[0].message


# ---- to_cube -------------------------------------------------------------------------------------------


def test_to_cube_dims_and_canonical_values(combustion_records):
    cube = to_cube(combustion_records, quantities=["consumption", "non_energy_use"])
    assert cube["consumption"].dims == ("region", "year", "category", "item")
    assert list(cube["category"].values) == ["1.A.1.a", "1.A.2", "1.A.4.b", "EB"]
    assert list(cube["item"].values) == ["crude_oil", "diesel", "natural_gas", "raw_coal"]
    nan = np.nan
    expected = xr.DataArray(
        # items:  crude_oil  diesel  natural_gas  raw_coal
        [[[[nan, nan, nan, 10_000.0],  # 1.A.1.a: 1 万吨 raw coal
           [nan, 1000.0, 1e6, 10_000.0],  # 1.A.2: 1000 t diesel, 100 万立方米 gas, 1 万吨 coal (NO: NaN)
           [nan, nan, 2e5, nan],  # 1.A.4.b: 20 万立方米 gas
           [nan, nan, nan, nan]]]],  # EB: final_consumption only, not consumption
        dims=("region", "year", "category", "item"),
        coords={"region": ["430522"], "year": [2020], "category": ["1.A.1.a", "1.A.2", "1.A.4.b", "EB"],
                "item": ["crude_oil", "diesel", "natural_gas", "raw_coal"]},
    )
    xr.testing.assert_allclose(cube["consumption"].reset_coords(drop=True), expected)
    assert list(cube["unit_consumption"].values) == ["t", "t", "m^3", "t"]
    # 50 + 10 万立方米 of feedstock, in two categories
    cell = {"region": "430522", "year": 2020}
    assert cube["non_energy_use"].sel(**cell, category="1.A.2", item="natural_gas").item() == 500_000.0
    assert cube["non_energy_use"].sel(**cell, category="1.A.1.a", item="natural_gas").item() == 100_000.0
    # the notation key is kept beside the values
    assert cube["consumption_notation"].sel(**cell, category="1.A.2", item="crude_oil").item() == "NO"
    assert cube["consumption_notation"].sel(**cell, category="1.A.2", item="diesel").item() == ""


def test_every_problem_of_one_row_is_reported(data_folder):
    # unknown region AND text in the value AND a typo in the unit, all on line 2
    folder = data_folder(activity={"row.csv": [HEADER, "999999,2020,1.A.2,coke,consumption,许多,万屯,,,,"]})
    with pytest.raises(InputError) as info:
        read_activity(folder)
    assert {(i.line, i.column) for i in info.value.issues} == {(2, "region"), (2, "value"), (2, "unit")}


def test_a_dependent_check_waits_for_its_prerequisite(data_folder):
    # the unit cannot be judged against an unknown item: only the item is reported
    folder = data_folder(activity={"row.csv": [HEADER, "430522,2020,1.A.2,coal_gangue,consumption,3,万立方米,,,,"]})
    with pytest.raises(InputError) as info:
        read_activity(folder)
    assert [(i.line, i.column) for i in info.value.issues] == [(2, "item")]
