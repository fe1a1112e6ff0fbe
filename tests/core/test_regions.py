"""inventory.core.regions: the GB/T 2260 registry, code history and a data folder's extension (CONTRACTS §2)."""

import pytest

from inventory.core.errors import InputError
from inventory.core.regions import load_regions

REGIONS_HEADER = "code,name_zh,name_en,level,parent,valid_from,valid_to"
COUNTIES = {"430502": "双清区", "430503": "大祥区", "430511": "北塔区", "430522": "新邵县",
            "430523": "邵阳县", "430524": "隆回县", "430525": "洞口县", "430527": "绥宁县",
            "430528": "新宁县", "430529": "城步苗族自治县", "430581": "武冈市", "430582": "邵东市"}


def test_shipped_registry_has_the_city_its_twelve_counties_and_two_parks(registry):
    assert registry["430500"].name_zh == "邵阳市"
    assert registry["430500"].level == "city"
    assert registry.children("430500", level="county") == sorted(COUNTIES)
    assert {code: registry[code].name_zh for code in COUNTIES} == COUNTIES
    parks = sorted(code for code, region in registry.regions.items() if region.level == "park")
    assert parks == ["430503-P01", "430582-P01"]
    assert registry["430582-P01"].parent == "430582"
    assert registry["430503-P01"].parent == "430503"


def test_retired_code_is_not_a_current_child(registry):
    # 邵东县 430521 became 邵东市 430582 in 2019: one county, not two
    assert "430521" in registry
    assert "430521" not in registry.children("430500")


@pytest.mark.parametrize("year", [2015, 2018])
def test_retired_code_valid_until_2018_maps_to_successor(registry, year):
    assert registry.canonical("430521", year) == "430582"


def test_retired_code_after_2018_raises_naming_successor(registry):
    with pytest.raises(ValueError, match="430582") as info:
        registry.canonical("430521", 2020)
    assert "2018" in str(info.value)


def test_current_code_is_its_own_canonical_code(registry):
    assert registry.canonical("430582", 2020) == "430582"
    assert registry.canonical("430582", 2016) == "430582"


def test_unknown_code_raises_key_error(registry):
    with pytest.raises(KeyError):
        registry.canonical("999999", 2020)


def test_ancestors_of_a_park_nearest_first(registry):
    assert registry.ancestors("430582-P01") == ["430582-P01", "430582", "430500", "430000"]


def test_data_folder_regions_csv_extends_the_registry(tmp_path):
    (tmp_path / "regions.csv").write_text(
        REGIONS_HEADER + "\n"
        "430522-P01,新邵测试园区,Xinshao test park,park,430522,,\n",
        encoding="utf-8",
    )
    extended = load_regions(tmp_path)
    assert extended["430522-P01"].name_zh == "新邵测试园区"
    assert extended.ancestors("430522-P01") == ["430522-P01", "430522", "430500", "430000"]
    assert extended.children("430522") == ["430522-P01"]
    # the shipped regions are still there
    assert extended["430500"].name_zh == "邵阳市"
    assert len(extended.children("430500", level="county")) == 12


def test_data_folder_regions_csv_with_bom_and_a_new_code_history(tmp_path):
    # Excel writes a BOM; a data folder may also add its own code history
    (tmp_path / "regions.csv").write_text(
        REGIONS_HEADER + ",successor\n"
        "430522-P01,旧园区,Old park,park,430522,,2019,430522-P02\n"
        "430522-P02,新园区,New park,park,430522,2020,,\n",
        encoding="utf-8-sig",
    )
    extended = load_regions(tmp_path)
    assert extended.canonical("430522-P01", 2019) == "430522-P02"
    with pytest.raises(ValueError, match="430522-P02"):
        extended.canonical("430522-P01", 2020)
    with pytest.raises(ValueError, match="not valid in 2019"):
        extended.canonical("430522-P02", 2019)


def test_data_folder_region_with_unknown_parent_raises(tmp_path):
    (tmp_path / "regions.csv").write_text(
        REGIONS_HEADER + "\n"
        "439999-P01,孤儿园区,Orphan park,park,439999,,\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="439999"):
        load_regions(tmp_path)


def test_data_folder_region_with_unknown_level_raises_with_line(tmp_path):
    (tmp_path / "regions.csv").write_text(
        REGIONS_HEADER + "\n"
        "430522-P01,新邵测试园区,Xinshao test park,park,430522,,\n"
        "430522-P02,新邵测试园区二,Xinshao test park 2,zone,430522,,\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as info:
        load_regions(tmp_path)
    assert [(issue.line, issue.column) for issue in info.value.issues] == [(3, "level")]


# ---- a malformed regions.csv: read like every other input file (issue 10) -----------------------------

PARK = "430522-P01,新邵测试园区,Xinshao test park,park,430522,,"


def region_issues(data_folder, lines: list[str], encoding: str = "utf-8") -> list[tuple[str, int, str, str]]:
    folder = data_folder(regions=lines, encoding=encoding)
    with pytest.raises(InputError) as info:
        load_regions(folder)
    return [(i.file, i.line, i.column, i.message) for i in info.value.issues]


def test_gbk_regions_csv_is_refused_with_the_steps_to_save_it_as_utf8(data_folder):
    issues = region_issues(data_folder, [REGIONS_HEADER, PARK], encoding="gbk")
    assert [(f, line) for f, line, _, _ in issues] == [("regions.csv", 0)]
    assert "GBK" in issues[0][3] and "UTF-8" in issues[0][3]


def test_ragged_row_of_regions_csv_is_named_by_its_line(data_folder):
    issues = region_issues(data_folder, [REGIONS_HEADER, PARK, "430522-P02,园区二,Park 2,park,430522,,,,"])
    assert [(f, line) for f, line, _, _ in issues] == [("regions.csv", 3)]
    assert "9 fields, the header has 7" in issues[0][3]


def test_empty_regions_csv_and_a_header_alone_are_refused(data_folder, tmp_path):
    (tmp_path / "regions.csv").write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="empty file"):
        load_regions(tmp_path)
    issues = region_issues(data_folder, [REGIONS_HEADER])
    assert [(f, line) for f, line, _, _ in issues] == [("regions.csv", 1)]


def test_a_folder_named_regions_csv_is_refused(tmp_path):
    (tmp_path / "regions.csv").mkdir()
    with pytest.raises(InputError, match="not a file"):
        load_regions(tmp_path)


def test_unknown_successor_and_parent_are_named_by_their_lines(data_folder):
    issues = region_issues(data_folder, [REGIONS_HEADER + ",successor", PARK + ",430522-P09",
                                         "430599,测试县,Test county,county,439900,,,"])
    assert [(line, c) for _, line, c, _ in issues] == [(2, "successor"), (3, "parent")]
    assert "430522-P09" in issues[0][3] and "439900" in issues[1][3]


def test_successor_cycle_is_refused(data_folder):
    issues = region_issues(data_folder, [REGIONS_HEADER + ",successor",
                                         "430522-P01,园区一,Park 1,park,430522,,2019,430522-P02",
                                         "430522-P02,园区二,Park 2,park,430522,2020,,430522-P01"])
    assert {(line, c) for _, line, c, _ in issues} == {(2, "successor"), (3, "successor")}
    assert "cycle" in issues[0][3]


def test_duplicate_code_in_regions_csv_is_refused_naming_both_lines(data_folder):
    issues = region_issues(data_folder, [REGIONS_HEADER, PARK, "430522-P01,同号园区,Same code,park,430522,,"])
    assert [(line, c) for _, line, c, _ in issues] == [(3, "code")]
    assert "also line 2" in issues[0][3] and "重复" in issues[0][3]


@pytest.mark.parametrize(("valid_from", "valid_to", "column", "words"), [
    ("1899", "", "valid_from", "1900–2099"), ("", "2100", "valid_to", "1900–2099"), ("0000", "", "valid_from", "1900"),
    ("2020", "2010", "valid_to", "before valid_from 2020"), ("20x0", "", "valid_from", "four-digit"),
])
def test_region_years_outside_the_range_or_backwards_are_refused(data_folder, valid_from, valid_to, column, words):
    issues = region_issues(data_folder, [REGIONS_HEADER, f"430599,测试县,Test county,county,430500,{valid_from},"
                                                         f"{valid_to}"])
    assert [(line, c) for _, line, c, _ in issues] == [(2, column)]
    assert words in issues[0][3]


# ---- region codes: GB/T 2260, parks, ISO 3166-2 style; nothing that is a path -------------------------

@pytest.mark.parametrize("code", ["../../escape", "430524/../../x", "/tmp/abs", "430524-P01/..", "4305 24",
                                  "43052", "4305240", "430524-P1", "430524.0", "de-by", "DE-", "C:\\x", "~"])
def test_malformed_or_path_like_code_is_refused_at_its_line(data_folder, code):
    issues = region_issues(data_folder, [REGIONS_HEADER, PARK, f"\"{code}\",坏代码,Bad code,county,430500,,"])
    assert [(f, line, c) for f, line, c, _ in issues] == [("regions.csv", 3, "code")]
    assert "格式不对" in issues[0][3] and "malformed" in issues[0][3]


def test_path_characters_get_their_own_hint(data_folder):
    issues = region_issues(data_folder, [REGIONS_HEADER, "../../escape,坏代码,Bad code,county,430500,,"])
    assert "no path characters" in issues[0][3]


def test_iso_3166_2_style_codes_and_their_parks_are_accepted(data_folder):
    folder = data_folder(regions=[REGIONS_HEADER, "DE-BY,巴伐利亚州,Bavaria,province,,,",
                                  "DE-BY09162,慕尼黑,Munich,city,DE-BY,,",
                                  "DE-BY09162-P01,园区,A park,park,DE-BY09162,,"])
    registry = load_regions(folder)
    assert registry.ancestors("DE-BY09162-P01") == ["DE-BY09162-P01", "DE-BY09162", "DE-BY"]


def test_park_code_of_another_county_and_a_park_code_at_county_level_are_refused(data_folder):
    issues = region_issues(data_folder, [REGIONS_HEADER, "430523-P01,园区,Park,park,430522,,",
                                         "430522-P03,园区,Park,county,430500,,"])
    assert [(line, c) for _, line, c, _ in issues] == [(2, "code"), (3, "level")]


def test_a_park_without_a_parent_and_a_malformed_park_code_each_give_one_problem(data_folder):
    issues = region_issues(data_folder, [REGIONS_HEADER, "430522-P05,园区,Park,park,,,",
                                         "430522-P5,园区,Park,park,430522,,"])
    assert [(line, c) for _, line, c, _ in issues] == [(2, "parent"), (3, "code")]


def test_a_bad_parent_code_is_refused_at_its_column(data_folder):
    issues = region_issues(data_folder, [REGIONS_HEADER, "430599,测试县,Test county,county,../430500,,"])
    assert [(line, c) for _, line, c, _ in issues] == [(2, "parent")]


def test_every_problem_of_regions_csv_at_once_and_activity_names_it_once(data_folder):
    lines = [REGIONS_HEADER, "../../escape,坏,Bad,county,430500,,", "430599,重复,Dup,county,430500,1899,",
             "430599,重复,Dup,county,430500,,", "430598,短行,Short,county"]
    folder = data_folder(regions=lines, activity={"a.csv": ["region,year,category,item,quantity,value,unit",
                                                            "430522,2020,1.A.2,diesel,consumption,1,t"]})
    from inventory.core.activity import read_inputs
    with pytest.raises(InputError) as info:
        read_inputs(folder)
    assert [(i.file, i.line, i.column) for i in info.value.issues] == [
        ("regions.csv", 2, "code"), ("regions.csv", 3, "valid_from"), ("regions.csv", 4, "code"),
        ("regions.csv", 5, "")]


def test_cli_compute_with_a_malformed_regions_csv_exits_2_and_writes_nothing(data_folder, tmp_path, capsys):
    from inventory.cli import main

    folder = data_folder(regions=[REGIONS_HEADER, "430524/../../x,坏,Bad,county,430500,,"],
                         activity={"a.csv": ["region,year,category,item,quantity,value,unit",
                                             "430522,2020,1.A.2,diesel,consumption,1,t"]})
    out = tmp_path / "out"
    assert main(["compute", "--data", str(folder), "--out", str(out)]) == 2
    assert "regions.csv:2: column code" in capsys.readouterr().err
    assert not out.exists() or not any(out.iterdir())


def test_descendants_are_every_region_below_not_the_region_itself():
    from inventory.core.regions import load_regions

    registry = load_regions()
    below = registry.descendants("430500")
    # the 12 current county-level units of Shaoyang (邵东县 430521 became 邵东市 430582 in 2019) and the 2 parks
    assert "430500" not in below and "430521" not in below
    assert {"430523", "430582", "430503-P01", "430582-P01"} <= below and len(below) == 14
    assert registry.descendants("430503-P01") == set()
