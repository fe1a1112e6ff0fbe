"""The LULUCF compute function on a small data folder, through the real reader and factor database:
every stock-change case against hand-calculated numbers, removals negative."""

import pandas as pd
import pytest
from numpy.testing import assert_allclose

from inventory.core.activity import read_inputs
from inventory.core.methods import resolve_method
from inventory.sectors.lulucf import SECTOR
from inventory.sectors.results import compute_sector, settings_for

HEADER = "region,year,category,item,quantity,value,unit,notation,uncertainty,source,note\n"
ACTIVITY = [
    "430527,2022,3.B.1.a,arbor_forest.chinese_fir,volume_growth,1000,m^3,,,test,",
    "430527,2022,3.B.1.a,arbor_forest.chinese_fir,volume_loss,0.04,万立方米,,,test,400 m3 in 万立方米",
    "430527,2022,3.B.1.a,arbor_forest.chinese_fir,area,200,公顷,,,test,",
    "430527,2022,3.B.1.a,arbor_forest.masson_pine,volume_growth,300,m^3,,,test,",
    "430527,2022,3.B.1.a,arbor_forest.masson_pine,volume_loss,500,m^3,,,test,harvest above growth",
    "430527,2022,3.B.1.a,arbor_forest.broadleaf,volume_growth,800,m^3,,,test,no BEF or D shipped",
    "430527,2022,3.B.1.a,arbor_forest.broadleaf,volume_loss,100,m^3,,,test,",
    "430527,2021,3.B.1.a,bamboo,area,1000,ha,,,test,",
    "430527,2022,3.B.1.a,bamboo,area,1050,ha,,,test,",
    "430527,2022,3.B.1.a,scattered_trees,count,20000,1,,,test,",
    "430527,2022,3.B.1.b.i,arbor_forest.chinese_fir,area,100,ha,,,test,",
    "430527,2022,3.B.5.b.i,arbor_forest.masson_pine,volume_loss,500,m^3,,,test,",
    "430527,2022,3.B.5.b.i,arbor_forest.masson_pine,volume_burned,100,m^3,,,test,",
]
FACTORS = """parameter,category,item,gas,value,unit,region,year_from,year_to,source,confidence
B_W,3.B.1.a,bamboo,,60,t/ha,*,,,test,memory
R,3.B.1.a,bamboo,,0.3,1,*,,,test,memory
G_W,3.B.1,arbor_forest.chinese_fir,,5,t/ha/yr,*,,,test,memory
C_f,3.B,*,,0.45,1,*,,,test,memory
G_ef,3.B,*,CH4,4.7,g/kg,*,,,test,memory
G_ef,3.B,*,N2O,0.26,g/kg,*,,,test,memory
"""


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("lulucf")
    (root / "activity").mkdir()
    (root / "factors").mkdir()
    (root / "activity" / "lulucf.csv").write_text(HEADER + "\n".join(ACTIVITY) + "\n", encoding="utf-8")
    (root / "factors" / "lulucf_local.csv").write_text(FACTORS, encoding="utf-8")
    return root


def run(folder, method="", **parameters):
    activity, factors = read_inputs(folder)
    settings = settings_for(SECTOR, "AR5", [], parameters=parameters,
                            method=resolve_method(method, factors.local_factor_sets()))
    result = compute_sector(SECTOR, activity.records, factors, settings)
    emissions = result.emissions[result.emissions["year"] == 2022]
    return emissions.set_index(["category", "item", "gas"])["emissions_t"], result


def test_provincial_stock_volume_every_case(folder):
    value, result = run(folder)
    # Chinese fir, shipped cn_guideline BEF 1.634, D 0.307, R 0.246, CF 0.52: 0.32502129296 t C/m³;
    # (1000 − 400) × 0.32502129296 = 195.012775776 t C → −715.046844512 t CO2 (a sink: negative)
    assert_allclose(value["3.B.1.a", "arbor_forest.chinese_fir", "CO2"], -715.046844512, rtol=1e-9)
    # Masson pine 1.472 × 0.38 × 1.187 × 0.46 = 0.3054217472 t C/m³; (300 − 500) × that = −61.08434944 t C
    # → +61.08434944 × 44/12 = 223.975947946667 t CO2 (harvest above growth: a net emission)
    assert_allclose(value["3.B.1.a", "arbor_forest.masson_pine", "CO2"], 223.975947946667, rtol=1e-9)
    # bamboo: (1050 − 1000) × 60 × (1 + 0.3) × 0.5 (cn_guideline CF) = 1950 t C → −7150 t CO2
    assert_allclose(value["3.B.1.a", "bamboo", "CO2"], -7150.0, rtol=1e-9)
    # afforestation: 100 ha × 5 × (1 + 0.246) × 0.52 = 323.96 t C → −1187.853333… t CO2
    assert_allclose(value["3.B.1.b.i", "arbor_forest.chinese_fir", "CO2"], -323.96 * 44 / 12, rtol=1e-9)
    # deforestation: 500 m³ of pine × 0.3054217472 = 152.7108736 t C lost → +559.939869866667 t CO2
    assert_allclose(value["3.B.5.b.i", "arbor_forest.masson_pine", "CO2"], 559.939869866667, rtol=1e-9)
    # burning 100 m³: 100 × 1.472 × 0.38 = 55.936 t d.m. × 0.45 = 25.1712 t; × 4.7e-3, × 0.26e-3
    assert_allclose(value["3.B.5.b.i", "arbor_forest.masson_pine", "CH4"], 0.11830464, rtol=1e-9)
    assert_allclose(value["3.B.5.b.i", "arbor_forest.masson_pine", "N2O"], 0.006544512, rtol=1e-9)
    # broadleaf has no BEF or D: flagged, not estimated, not zero
    assert ("3.B.1.a", "arbor_forest.broadleaf", "CO2") not in value.index
    flags = result.flags[result.flags["year"] == 2022]
    missing = flags[flags["check"] == "missing_factor"]
    assert missing["item"].tolist() == ["arbor_forest.broadleaf"]
    assert (missing["severity"] == "error").all() and "BEF" in missing["message"].iloc[0]
    assert "lulucf_count_not_estimated" in set(flags["check"])
    # bamboo of 2021 has no area of 2020 to compare with: flagged, not a silent omission
    first = result.flags[(result.flags["year"] == 2021) & (result.flags["item"] == "bamboo")]
    assert first["check"].tolist() == ["lulucf_area_before_missing"]
    # links name the shipped rows
    links = dict(result.emissions.set_index(["category", "item", "gas"]).loc[
        ("3.B.1.a", "arbor_forest.chinese_fir", "CO2"), "links"])
    assert links == {"BEF": "lulucf-0098", "D": "lulucf-0100", "R": "lulucf-0099", "CF": "lulucf-0101"}


def test_ipcc_gain_loss_by_volume_through_shipped_defaults(folder):
    """IPCC 2006 Vol.4 Table 4.5 (pines, 41–100 m³/ha: BCEF_I 0.6, BCEF_R 0.83), Table 4.4 (R 0.20),
    Table 4.3 (CF 0.47), as shipped: Masson pine gain 300 × 0.6 × 1.2 × 0.47 = 101.52 t C, loss
    500 × 0.83 × 1.2 × 0.47 = 234.06 t C; ΔC = −132.54 t C → +485.98 t CO2."""
    value, _ = run(folder, method="ipcc2006", forest_method="gain_loss_volume")
    assert_allclose(value["3.B.1.a", "arbor_forest.masson_pine", "CO2"], 485.98, rtol=1e-9)
    # Chinese fir (other conifers 0.57 / 1.11): 1000 × 0.57 × 0.564 − 400 × 1.11 × 0.564 = 321.48 − 250.416
    # = 71.064 t C → −260.568 t CO2
    assert_allclose(value["3.B.1.a", "arbor_forest.chinese_fir", "CO2"], -260.568, rtol=1e-9)


def test_ipcc_gain_loss_by_area(folder):
    """Chinese fir by area: 200 ha × G_W 5 (local) × (1 + 0.246) × 0.52 (cn_guideline) = 1000 × 1.246 = 1246;
    × 0.52 = 647.92 t C gained; 400 m³ × BCEF_R 1.11 (IPCC fill-in: the guideline has none) × 1.246 × 0.52 =
    444 × 1.246 = 553.224; × 0.52 = 287.67648 t C lost; ΔC = 360.24352 t C → −1320.892906667 t CO2.
    Masson pine has no area: flagged once, not estimated."""
    value, result = run(folder, forest_method="gain_loss_area")
    assert_allclose(value["3.B.1.a", "arbor_forest.chinese_fir", "CO2"], -360.24352 * 44 / 12, rtol=1e-9)
    assert ("3.B.1.a", "arbor_forest.masson_pine", "CO2") not in value.index
    flags = result.flags[(result.flags["year"] == 2022) & (result.flags["item"] == "arbor_forest.masson_pine")]
    assert flags["check"].tolist() == ["lulucf_area_missing"]
    links = dict(result.emissions.set_index(["category", "item", "gas"]).loc[
        ("3.B.1.a", "arbor_forest.chinese_fir", "CO2"), "links"])
    assert links["BCEF_R"] == "lulucf-0053:chinese_fir" and links["R"] == "lulucf-0099"


def test_unknown_forest_method_is_an_error(folder):
    with pytest.raises(ValueError, match="gain_loss_volume"):
        run(folder, forest_method="stock_volumes")


def test_emissions_are_within_the_sector_and_may_be_negative(folder):
    _, result = run(folder)
    assert result.emissions["category"].str.startswith("3.B").all()
    assert (result.emissions["emissions_t"] < 0).any()
    assert isinstance(result.extras["stock_change"], pd.DataFrame)
