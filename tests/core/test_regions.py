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
