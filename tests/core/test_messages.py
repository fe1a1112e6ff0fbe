"""The messages of `inventory run`'s input errors (activity CSV): in Chinese first, then English, and
naming what was meant where the workbench knows it (issue 9: messages a clerk can act on).

Each case is a row a clerk could really write; the test reads it the way `inventory run` does
(``read_activity`` on a data folder) and checks the message of the one issue it gives.
"""

import re

import pytest

from inventory.core.activity import read_activity
from inventory.core.errors import InputError, bilingual, did_you_mean
from inventory.core.vocabulary import load_vocabulary

HEADER = "region,year,category,item,quantity,value,unit,notation,uncertainty,source,note,period"
CJK = re.compile(r"[\u4e00-\u9fff]")


def issues_of(data_folder, *rows: str, header: str = HEADER) -> list:
    folder = data_folder(activity={"a.csv": [header, *rows]})
    with pytest.raises(InputError) as info:
        read_activity(folder)
    return info.value.issues


def message(data_folder, row: str, column: str) -> str:
    """The message of the one issue of ``row`` (line 2), which must be in ``column``."""
    issues = issues_of(data_folder, row)
    assert [(i.line, i.column) for i in issues] == [(2, column)], issues
    return issues[0].message


def test_bilingual_and_did_you_mean_format():
    assert bilingual("单位为空", "unit is empty") == "单位为空 / unit is empty"
    assert did_you_mean([("raw_coal", "原煤")]) == ("——是否应为 raw_coal（原煤）？", " — did you mean raw_coal (原煤)?")
    assert did_you_mean(["NA"]) == ("——是否应为 NA？", " — did you mean NA?")
    assert did_you_mean([("a", "甲"), ("b", "")]) == ("——是否应为 a（甲）或b？", " — did you mean a (甲) or b?")
    assert did_you_mean([]) == ("", "")


# ---- every message: Chinese first, then English --------------------------------------------------------

#: one row per rule of docs/DATA_FORMAT.md §2.7 that a row can break
EVERY_RULE = [
    ",2020,1.A.2,diesel,consumption,1,吨,,,,,",  # region empty
    "430522,20x0,1.A.2,diesel,consumption,1,吨,,,,,",  # year
    "999999,2020,1.A.2,diesel,consumption,1,吨,,,,,",  # unknown region
    "430521,2020,1.A.2,diesel,consumption,1,吨,,,,,",  # retired code
    "430522,2020,1.A.9,diesel,consumption,1,吨,,,,,",  # unknown category
    "430522,2020,1.A.2,coal_gangue,consumption,1,吨,,,,,",  # unknown item
    "430522,2020,1.A.2,diesel,burned,1,吨,,,,,",  # unknown quantity
    "430522,2020,2.A.1,raw_coal,consumption,1,吨,,,,,",  # item not under category
    "430522,2020,1.A.2,raw_coal,population,1,吨,,,,,",  # quantity not for the item
    "430522,2020,EB.F.industry,raw_coal,inflow,1,吨,,,,,",  # energy-balance row
    "430522,2020,1.A.2,coke,consumption,,,XX,,,,",  # notation key
    "430522,2020,1.A.2,gasoline,consumption,1,吨,NO,,,,",  # value and key
    "430522,2020,1.A.2,kerosene,consumption,,吨,,,,,",  # neither
    "430522,2020,1.A.2,fuel_oil,consumption,abc,吨,,,,,",  # not a number
    "430522,2020,1.A.2,lpg,consumption,inf,吨,,,,,",  # not finite
    "430522,2020,1.A.2,briquettes,consumption,1,,,,,,",  # unit empty
    "430522,2020,1.A.2,washed_coal,consumption,1,万屯,,,,,",  # unknown unit
    "430522,2020,1.A.2,coke_oven_gas,consumption,1,吨,,,,,",  # wrong dimension
    "430522,2020,1.A.2,other_gas,consumption,-1,万立方米,,,,,",  # negative
    "430522,2020,1.A.2,refinery_gas,consumption,1,吨,,about 5,,,",  # uncertainty
    "430522,2020,1.A.2,other_petroleum,consumption,1,吨,,,,,2021Q1",  # period
    "430522,2020,1.A.2,crude_oil,consumption,1,吨,,,,,",  # line 23: the first of a duplicate ...
    "430522,2020,1.A.2,crude_oil,consumption,2,吨,,,,,",  # ... with another value
]


def test_every_activity_message_is_chinese_first_then_english(data_folder):
    issues = issues_of(data_folder, *EVERY_RULE)
    assert {i.line for i in issues} == set(range(2, 2 + len(EVERY_RULE))) - {23}, "one issue per bad row"
    for issue in issues:
        zh, _, en = issue.message.partition(" / ")
        assert CJK.match(zh), issue  # Chinese first ...
        assert en and en[0].isascii() and not CJK.match(en), issue  # ... then English


def test_file_messages_are_bilingual_too(data_folder):
    folder = data_folder(activity={"short.csv": ["region,year,category,item,value,unit"],
                                   "fields.csv": [HEADER, "430522,2020,1.A.2,diesel,consumption,1,234,吨,,,,,"],
                                   "twice.csv": [HEADER + ",unit"], "empty.csv": []})
    (folder / "activity" / "empty.csv").write_text("", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_activity(folder)
    messages = {i.file: i.message for i in info.value.issues}
    assert messages["activity/short.csv"].startswith("缺少必填列：quantity")
    assert "missing required column(s): quantity" in messages["activity/short.csv"]
    assert messages["activity/fields.csv"].startswith("有 13 个字段，表头有 12 个（多出的逗号？")
    assert "13 fields, the header has 12 (a stray comma?" in messages["activity/fields.csv"]
    assert messages["activity/twice.csv"] == "列名重复：unit / duplicated column(s): unit"
    assert messages["activity/empty.csv"].startswith("空文件") and "a header row is required" in messages[
        "activity/empty.csv"]


# ---- suggestions: what the workbench knows ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("item", "meant"),
    [
        ("原煤", "raw_coal (原煤)"),  # the Chinese name of items.csv
        ("Raw coal", "raw_coal (原煤)"),  # the English name
        ("raw coal", "raw_coal (原煤)"),
        ("天燃气", "natural_gas (天然气)"),  # the common misspelling of 天然气
        ("0号柴油", "diesel (柴油)"),  # a name inside the text
        ("natual_gas", "natural_gas (天然气)"),  # a close match on the codes
        ("LNG", "lng (液化天然气)"),
    ],
)
def test_unknown_item_names_the_item_meant(data_folder, item, meant):
    text = message(data_folder, f"430522,2020,1.A.2,{item},consumption,1,吨,,,,,", "item")
    assert f"unknown item '{item}' — did you mean {meant}?" in text
    code, name = meant.split(" (")
    assert text.startswith(f"未知条目“{item}”——是否应为 {code}（{name[:-1]}）？")


def test_the_brief_example_word_for_word(data_folder):
    text = message(data_folder, "430522,2020,1.A.2,原煤,consumption,1,吨,,,,,", "item")
    assert "unknown item '原煤' — did you mean raw_coal (原煤)?" in text


def test_unknown_item_without_a_likely_meaning_says_where_to_look(data_folder):
    text = message(data_folder, "430522,2020,1.A.2,coal_gangue,consumption,1,吨,,,,,", "item")
    assert "did you mean" not in text and "docs/VOCABULARY.md" in text


@pytest.mark.parametrize(
    ("quantity", "meant"),
    [("消费量", "consumption (消费量)"), ("消费", "consumption (消费量)"), ("burned", "consumption (消费量)"),
     ("Consumption", "consumption (消费量)"), ("终端消费量", "final_consumption (终端消费量)")],
)
def test_quantity_in_chinese_names_the_code(data_folder, quantity, meant):
    category = "EB.F.industry" if quantity == "终端消费量" else "1.A.2"
    text = message(data_folder, f"430522,2020,{category},diesel,{quantity},1,吨,,,,,", "quantity")
    assert f"unknown quantity '{quantity}' — did you mean {meant}?" in text


@pytest.mark.parametrize(
    ("item", "unit", "meant"),
    [
        ("natural_gas", "万m3", "万立方米"),
        ("natural_gas", "万m³", "万立方米"),
        ("natural_gas", "万方", "万立方米"),
        ("natural_gas", "m3", "m^3"),
        ("raw_coal", "万屯", "万吨"),  # a sound-alike character
        ("raw_coal", "万t", "万吨"),
        ("raw_coal", "ｔ", "t"),  # a full-width letter
        ("electricity", "万kWh", "万千瓦时"),
        ("electricity", "万kW·h", "万千瓦时"),
        ("electricity", "万度", "万千瓦时"),
        ("electricity", "kwh", "kWh"),
        ("electricity", "万MWh", "10^4 MWh"),
        ("heat", "吨标煤", "吨标准煤"),
        ("heat", "万吨标煤", "万吨标准煤"),
        ("heat", "万GJ", "万吉焦"),
    ],
)
def test_unit_typed_the_common_wrong_way_names_the_unit_meant(data_folder, item, unit, meant):
    category, quantity = ("EB", "inflow") if item in ("electricity", "heat") else ("1.A.2", "consumption")
    text = message(data_folder, f"430522,2020,{category},{item},{quantity},1,{unit},,,,,", "unit")
    assert text == f"单位“{unit}”无法识别——是否应为 {meant}？ / unknown unit '{unit}' — did you mean {meant}?"


def test_an_unknown_unit_with_no_likely_meaning_points_to_the_units(data_folder):
    text = message(data_folder, "430522,2020,1.A.2,kerosene,consumption,10,桶,,,,,", "unit")
    assert "did you mean" not in text and "docs/DATA_FORMAT.md 2.2" in text


def test_a_suggestion_is_never_applied_silently(data_folder):
    """The row with 万m3 is refused, not read as 万立方米: the clerk corrects the file."""
    issues = issues_of(data_folder, "430522,2020,1.A.2,natural_gas,consumption,1,万m3,,,,,",
                       "430522,2020,1.A.2,diesel,consumption,1,吨,,,,,")
    assert [(i.line, i.column) for i in issues] == [(2, "unit")]


def test_a_lookalike_unit_pint_reads_is_refused(data_folder):
    """``mWh`` is a milliwatt-hour to pint (10⁻⁹ of a MWh): an electricity figure in it is a typo."""
    text = message(data_folder, "430522,2020,EB,electricity,inflow,5,mWh,,,,,", "unit")
    assert text.startswith("单位“mWh”是毫瓦时") and "did you mean MWh?" in text


def test_standard_coal_for_a_fuel_says_to_report_physical_units(data_folder):
    text = message(data_folder, "430522,2020,1.A.2,raw_coal,consumption,5,万吨标准煤,,,,,", "unit")
    assert text.startswith("单位“万吨标准煤”是能量单位，不是质量单位")
    assert "is a unit of energy, not of mass" in text and "report fuels in physical units" in text


@pytest.mark.parametrize(
    ("category", "quantity", "meant"),
    [
        ("1a2", "consumption", "1.A.2 (制造业和建筑业)"),  # no dots, lower case
        ("1.a.2.f", "consumption", "1.A.2.f (非金属矿物制品)"),
        ("１．Ａ．２", "consumption", "1.A.2 (制造业和建筑业)"),  # full-width
        ("EB.F.industy", "final_consumption", "EB.F.industry (工业)"),  # a misspelt word
        ("工业", "final_consumption", "EB.F.industry (工业)"),  # by its name
    ],
)
def test_category_close_to_a_known_one_names_it(data_folder, category, quantity, meant):
    text = message(data_folder, f"430522,2020,{category},diesel,{quantity},1,吨,,,,,", "category")
    assert f"unknown category '{category}' — did you mean {meant}?" in text


def test_unknown_subcategory_lists_the_known_ones_of_its_parent(data_folder):
    text = message(data_folder, "430522,2020,1.A.9,diesel,consumption,1,吨,,,,,", "category")
    assert "the categories under 1.A (Fuel Combustion Activities) are: 1.A.1, 1.A.2, 1.A.3, 1.A.4, 1.A.5" in text
    assert "1.A（燃料燃烧活动）的下级类别有：1.A.1、1.A.2" in text


@pytest.mark.parametrize(
    ("region", "year", "meant"),
    [
        ("邵阳县", 2021, "430523 (邵阳县)"),  # the name in the region column
        ("Shaoyang County", 2021, "430523 (邵阳县)"),
        ("430523 邵阳县", 2021, "430523 (邵阳县)"),  # code and name in one cell
        ("430523.0", 2021, "430523 (邵阳县)"),  # a code Excel wrote as a number
        ("邵东县", 2021, "430582 (邵东市)"),  # a name retired by that year: its successor
        ("邵东县", 2017, "430521 (邵东县)"),
        ("邵阳", 2021, "430500 (邵阳市) or 430523 (邵阳县) or 430503-P01 (邵阳经济技术开发区（示例）)"),
    ],
)
def test_region_given_by_name_names_its_code(data_folder, region, year, meant):
    text = message(data_folder, f"{region},{year},1.A.2,diesel,consumption,1,吨,,,,,", "region")
    assert f"unknown region code '{region}' — did you mean {meant}?" in text


def test_retired_region_code_message_is_bilingual_and_names_the_successor(data_folder):
    text = message(data_folder, "430521,2020,1.A.2,diesel,consumption,1,吨,,,,,", "region")
    assert text == ("地区代码 430521（邵东县）2018 年以后改为 430582（邵东市）：2020 年请用 430582 / "
                    "region 430521 (邵东县) was replaced by 430582 after 2018; use 430582 for 2020")


@pytest.mark.parametrize(
    ("value", "hint"),
    [("1,234", " — did you mean 1234?"), ("１２３", " — did you mean 123?"), ("12O", " — did you mean 120?"),
     ("1000吨", " — put the unit in the unit column: value 1000, unit 吨"),
     ("约1000", " — a number only; say it is an estimate in the note column")],
)
def test_value_that_is_not_a_number_says_what_to_write(data_folder, value, hint):
    cell = f'"{value}"' if "," in value else value
    text = message(data_folder, f"430522,2020,1.A.2,diesel,consumption,{cell},吨,,,,,", "value")
    assert text.endswith(f"value {value!r} is not a number{hint}")


@pytest.mark.parametrize(("year", "meant"), [("2021年", "2021"), ("2021.0", "2021"), ("２０２１", "2021")])
def test_year_written_another_way_names_the_year(data_folder, year, meant):
    text = message(data_folder, f"430522,{year},1.A.2,diesel,consumption,1,吨,,,,,", "year")
    assert text.endswith(f"is not a four-digit year — did you mean {meant}?")


@pytest.mark.parametrize(("period", "meant"), [("一季度", "2023Q1"), ("2023年3季度", "2023Q3"), ("q2", "2023Q2"),
                                               ("5月", "2023-05"), ("2023/1", "2023-01"), ("2023-1", "2023-01")])
def test_period_written_another_way_names_the_period(data_folder, period, meant):
    text = message(data_folder, f"430522,2023,1.A.2,diesel,consumption,1,吨,,,,,{period}", "period")
    assert text.endswith(f"did you mean {meant}?")


@pytest.mark.parametrize(("key", "meant"), [("no", "NO"), ("N/A", "NA"), ("n.a.", "NA"), ("ie", "IE")])
def test_notation_key_in_another_case_names_the_key(data_folder, key, meant):
    text = message(data_folder, f"430522,2020,1.A.2,diesel,consumption,,,{key},,,,", "notation")
    assert text.endswith(f"one of NO, NE, NA, IE, C — did you mean {meant}?")


def test_negative_outflow_says_to_give_the_magnitude(data_folder):
    text = message(data_folder, "430522,2020,EB,electricity,outflow,-5,万千瓦时,,,,,", "value")
    assert text.startswith("负值 -5（调出量不能为负；填正的绝对值")
    assert "negative value -5 (outflow cannot be negative; give the magnitude" in text


def test_missing_column_written_in_chinese_names_the_rename(data_folder):
    issues = issues_of(data_folder, "430522,2020,1.A.2,diesel,消费量,1,吨",
                       header="region,year,category,item,活动量,value,unit")
    assert [(i.line, i.column) for i in issues] == [(1, "")]
    assert "表头“活动量”请改为 quantity" in issues[0].message
    assert "missing required column(s): quantity — rename the header '活动量' to quantity" in issues[0].message


def test_vocabulary_suggestions_directly():
    vocabulary = load_vocabulary()
    assert vocabulary.suggest_item("原煤") == ("raw_coal",)
    assert vocabulary.suggest_item("煤气") == ("coke_oven_gas", "other_gas")  # ambiguous: both named
    assert vocabulary.suggest_quantity("消费量") == ("consumption",)
    assert vocabulary.suggest_category("1A2F") == (("1.A.2.f",), "")
    assert vocabulary.suggest_category("1.A.2.z") == ((), "1.A.2")  # a letter is not a typo of another letter
    assert vocabulary.suggest_category("9.Z") == ((), "")


def test_a_well_formed_period_of_another_year_gets_no_guess(data_folder):
    """2021Q1 under year 2020: the year or the period is wrong — the workbench cannot tell which."""
    text = message(data_folder, "430522,2020,1.A.2,diesel,consumption,1,吨,,,,,2021Q1", "period")
    assert "did you mean" not in text and text.startswith("期间“2021Q1”不是 2020 年的季度或月份")
