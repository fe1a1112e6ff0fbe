"""The 林业局 (forestry bureau) workbook asks for every LULUCF record the sector reads."""

from pathlib import Path

from inventory.collect.departments import departments
from inventory.collect.workbooks import sheet_keys
from inventory.core.activity import read_activity

DATA = Path(__file__).resolve().parents[3] / "data_raw"


def test_the_forestry_workbook_holds_every_demo_lulucf_record():
    forestry = departments()["forestry"]
    keys = set().union(*(sheet_keys(spec) for spec in forestry.sheets))
    records = read_activity(DATA).records
    lulucf = records[records["category"].str.startswith("3.B")]
    wanted = set(zip(lulucf["category"], lulucf["item"], lulucf["quantity"]))
    assert wanted and wanted <= keys, sorted(wanted - keys)
    assert ("3.B.1.a", "arbor_forest.chinese_fir", "volume_growth") in keys
    assert ("3.B.5.b.i", "arbor_forest.masson_pine", "volume_burned") in keys
