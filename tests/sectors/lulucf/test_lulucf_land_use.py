"""LULUCF beyond forest land: land converted to cropland, grassland, wetlands and settlements,
perennial woody crops and urban trees — the equations and the compute function through the real
reader and factor database, against hand-calculated numbers (removals negative)."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from inventory.core.activity import read_inputs
from inventory.core.methods import resolve_method
from inventory.sectors.lulucf import SECTOR
from inventory.sectors.lulucf.compilation import compile_lulucf, forest_type
from inventory.sectors.lulucf.forest import co2_of_stock_change
from inventory.sectors.lulucf.land_use import conversion_stock_change, perennial_crop_stock_change, urban_tree_gain
from inventory.sectors.results import compute_sector, settings_for


def test_conversion_stock_change_eq_2_16():
    # 10 ha of cropland (10 t d.m./ha) to settlements (0): 10 × (0 − 10) × 0.47 = −47 t C
    assert conversion_stock_change(10.0, 10.0, 0.0, 0.47) == pytest.approx(-47.0)
    # a gain: 2 ha of cropland (10) to grassland (13.5): 2 × 3.5 × 0.5 = 3.5 t C, vectorised
    assert_allclose(conversion_stock_change(np.array([10.0, 2.0]), np.array([10.0, 10.0]), np.array([0.0, 13.5]),
                                            np.array([0.47, 0.5])), [-47.0, 3.5])
    # −47 t C lost is 47 × 44/12 = 172.333… t CO2 emitted (positive)
    assert co2_of_stock_change(-47.0) == pytest.approx(47 * 44 / 12)


def test_perennial_crop_gain_and_loss():
    # 100 ha × 2.1 t C/ha/yr = 210 gained; 5 ha cleared × 63 t C/ha = 315 lost: ΔC = −105 t C (a net loss)
    assert perennial_crop_stock_change(100.0, 5.0, 2.1, 63.0) == pytest.approx(-105.0)
    # nothing cleared: 40 × 2.1 = 84 t C, CO2 = −84 × 44/12 = −308 t (a removal)
    assert co2_of_stock_change(perennial_crop_stock_change(40.0, 0.0, 2.1, 63.0)) == pytest.approx(-308.0)


def test_urban_tree_gain():
    # 50 ha of crown cover × 2.9 t C/ha/yr = 145 t C; CO2 = −145 × 44/12 = −531.666… t
    assert urban_tree_gain(50.0, 2.9) == pytest.approx(145.0)
    assert co2_of_stock_change(urban_tree_gain(50.0, 2.9)) == pytest.approx(-145 * 44 / 12)


HEADER = "region,year,category,item,quantity,value,unit,notation,uncertainty,source,note\n"
ACTIVITY = [
    "430523,2022,3.B.5.b.ii,cropland,area_converted,20,公顷,,,test,cropland to settlements",
    "430523,2022,3.B.2.b.ii,grassland,area_converted,4,ha,,,test,grassland to cropland",
    "430523,2022,3.B.5.b.ii,grassland,area_converted,7,ha,,,test,wrong origin: 3.B.5.b.ii is cropland",
    "430523,2022,3.B.4.b.ii,settlement,area_converted,3,ha,,,test,no B_before of settlements",
    "430523,2022,3.B.5.b.i,cropland,area_converted,2,ha,,,test,wrong origin: 3.B.5.b.i is forest land",
    "430523,2022,3.B.2.b,orchard,area_converted,1,ha,,,test,wrong: orchards are cropland already",
    "430523,2022,3.B.2.a,orchard,area,100,ha,,,test,",
    "430523,2022,3.B.2.a,orchard,area_removed,5,ha,,,test,",
    "430523,2022,3.B.2.a,tea_garden,area,40,ha,,,test,no area_removed",
    "430523,2022,3.B.5.a,urban_trees,crown_cover_area,50,ha,,,test,",
    "430523,2022,3.B.3.a,grassland,area,1000,ha,,,test,no method",
    "430523,2022,3.B.6.a,other_land,area,,ha,NO,,test,",
]
FACTORS = """parameter,category,item,gas,value,unit,region,year_from,year_to,source,confidence
CF,3.B,*,,0.47,1,*,,,test,local
B_before,3.B,cropland,,10,t/ha,*,,,test,local
B_before,3.B,grassland,,13.5,t/ha,*,,,test,local
B_after,3.B.5.b,*,,0,t/ha,*,,,test,local
B_after,3.B.2.b,*,,10,t/ha,*,,,test,local
B_after,3.B.4.b,*,,0,t/ha,*,,,test,local
G_C,3.B.2.a,*,,2.1,t/ha/yr,*,,,test,local
L_C,3.B.2.a,*,,63,t/ha,*,,,test,local
CRW,3.B.5.a,urban_trees,,2.9,t/ha/yr,*,,,test,local
"""


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("land_use")
    (root / "activity").mkdir()
    (root / "factors").mkdir()
    (root / "activity" / "lulucf.csv").write_text(HEADER + "\n".join(ACTIVITY) + "\n", encoding="utf-8")
    (root / "factors" / "lulucf_local.csv").write_text(FACTORS, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def result(folder):
    activity, factors = read_inputs(folder)
    settings = settings_for(SECTOR, "AR5", [], parameters={}, method=resolve_method("", factors.local_factor_sets()))
    return compute_sector(SECTOR, activity.records, factors, settings)


def test_land_converted_and_remaining_hand_calculated(result):
    value = result.emissions.set_index(["category", "item", "gas"])["emissions_t"]
    # cropland → settlements: 20 × (0 − 10) × 0.47 = −94 t C → +344.666… t CO2
    assert value[("3.B.5.b.ii", "cropland", "CO2")] == pytest.approx(94 * 44 / 12)
    # grassland → cropland: 4 × (10 − 13.5) × 0.47 = −6.58 t C → +24.126… t CO2
    assert value[("3.B.2.b.ii", "grassland", "CO2")] == pytest.approx(6.58 * 44 / 12)
    # orchards: 100 × 2.1 − 5 × 63 = −105 t C → +385 t CO2 (clearing above growth: a net emission)
    assert value[("3.B.2.a", "orchard", "CO2")] == pytest.approx(385.0)
    # tea: 40 × 2.1 = 84 t C → −308 t CO2 (a removal)
    assert value[("3.B.2.a", "tea_garden", "CO2")] == pytest.approx(-308.0)
    # urban trees: 50 × 2.9 = 145 t C → −531.666… t CO2
    assert value[("3.B.5.a", "urban_trees", "CO2")] == pytest.approx(-145 * 44 / 12)
    # nothing else: the wrong origin, the missing factor and the category without a method are not estimated
    assert len(value) == 5
    links = result.emissions.set_index(["category", "item"])["links"]
    # every factor row traced to its file and line (the header is line 1)
    assert dict(links[("3.B.5.b.ii", "cropland")]) == {"B_before": "factors/lulucf_local.csv:3",
                                                       "B_after": "factors/lulucf_local.csv:5",
                                                       "CF": "factors/lulucf_local.csv:2"}


def test_not_estimated_cases_are_flagged_never_zero(result):
    flags = result.flags.set_index(["category", "item"])["check"]
    assert flags[("3.B.5.b.ii", "grassland")] == "lulucf_conversion_origin"
    assert flags[("3.B.5.b.i", "cropland")] == "lulucf_conversion_origin"
    assert flags[("3.B.2.b", "orchard")] == "lulucf_conversion_origin"
    assert flags[("3.B.4.b.ii", "settlement")] == "missing_factor"
    assert flags[("3.B.2.a", "tea_garden")] == "lulucf_area_removed_missing"
    assert flags[("3.B.5.a", "urban_trees")] == "lulucf_urban_tree_loss_not_estimated"
    assert flags[("3.B.3.a", "grassland")] == "lulucf_no_method"
    severity = result.flags.set_index(["category", "item"])["severity"]
    assert severity[("3.B.5.b.ii", "grassland")] == "error"


def test_stock_change_table_shows_the_steps(result):
    table = result.extras["stock_change"].set_index(["category", "item"])
    orchard = table.loc[("3.B.2.a", "orchard")]
    assert (orchard["area"], orchard["area_removed"], orchard["G_C"], orchard["L_C"]) == (100, 5, 2.1, 63)
    assert (orchard["gain_tC"], orchard["loss_tC"]) == pytest.approx((210.0, 315.0))
    converted = table.loc[("3.B.5.b.ii", "cropland")]
    assert (converted["B_before"], converted["B_after"], converted["CF"]) == (10, 0, 0.47)
    assert converted["delta_tC"] == pytest.approx(-94.0)


def test_compilation_lists_the_land_categories(folder):
    compilation = compile_lulucf("430523", 2022, folder, lang="en")
    table = compilation.categories_table()
    status = dict(zip(table.iloc[:, 0], table.iloc[:, -1]))
    assert status["3.B.2.a"] == "estimated" and status["3.B.5.b"] == "estimated"
    assert status["3.B.3.a"] == "NE" and status["3.B.4.a"] == "NE" and status["3.B.6.a"] == "NO"
    # 3.B.4.b filed but not estimated (missing factor): NE, not zero
    assert status["3.B.4.b"] == "NE"
    assert forest_type("3.B.2.a", "orchard", "en") == "Perennial woody crops"
    assert forest_type("3.B.5.b.ii", "cropland", "en") == "Land converted (not forest)"
    assert forest_type("3.B.5.b.i", "arbor_forest.masson_pine", "en") == "Deforestation"


def test_the_forestry_workbook_asks_for_the_land_use_records_in_hectares():
    from inventory.collect.departments import departments, template_unit
    from inventory.collect.workbooks import sheet_keys

    sheets = {spec.name: spec for spec in departments()["forestry"].sheets}
    keys = sheet_keys(sheets["土地利用变化"])
    assert {("3.B.5.b.ii", "cropland", "area_converted"), ("3.B.2.a", "orchard", "area_removed"),
            ("3.B.5.a", "urban_trees", "crown_cover_area")} <= keys
    assert {template_unit(i, q) for _, i, q in keys} == {"公顷"}
