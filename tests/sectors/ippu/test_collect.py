"""The 工信局 and 生态环境局 workbooks ask for what IPPU needs, and ``inventory ingest`` gives the records back."""

import csv

from openpyxl import load_workbook
from workbook_data import fill

from inventory.collect.departments import departments
from inventory.collect.ingest import ingest
from inventory.collect.workbooks import build_workbook, save_workbook, workbook_name


def _row_of(path, sheet, key):
    rows = [c.row for c in load_workbook(path)[sheet]["A"] if c.value == key]
    assert len(rows) == 1, key
    return rows[0]


def test_ippu_rows_filled_and_ingested(tmp_path, registry):
    submissions = tmp_path / "in"
    submissions.mkdir()
    data = tmp_path / "data"
    (data / "activity").mkdir(parents=True)
    industry = submissions / workbook_name(departments()["industry"], "430523", 2022, registry)
    environment = submissions / workbook_name(departments()["environment"], "430523", 2022, registry)
    save_workbook(build_workbook(departments()["industry"], "430523", 2022, registry), industry)
    save_workbook(build_workbook(departments()["environment"], "430523", 2022, registry), environment)
    products = "工业产品产量"
    cells = {
        "clinker": _row_of(industry, products, "category=2.A.1|item=clinker|quantity=production|unit=吨"),
        "inflow": _row_of(industry, products, "category=2.A.1|item=clinker|quantity=inflow|unit=吨"),
        "dolomitic": _row_of(industry, products, "category=2.A.2|item=lime.dolomitic|quantity=production|unit=吨"),
        "recovered": _row_of(industry, products, "category=2.B.1|item=ammonia|quantity=co2_recovered|unit=吨"),
        "sf6": _row_of(environment, "含氟气体", "category=2.G.1|item=sf6|quantity=bank|unit=吨"),
    }
    fill(industry, {"工业产品产量": {f"F{cells['clinker']}": 306000, f"F{cells['inflow']}": 12000,
                                  f"F{cells['dolomitic']}": 8000, f"G{cells['recovered']}": "NO"}})
    fill(environment, {"含氟气体": {f"F{cells['sf6']}": 2.5}})
    result = ingest([submissions], data)
    assert result.ok, result.issues
    records = {}
    for path in (data / "activity").glob("*.csv"):
        for r in csv.DictReader(path.open(encoding="utf-8")):
            records[(r["category"], r["item"], r["quantity"])] = (r["value"], r["notation"])
    assert records[("2.A.1", "clinker", "production")] == ("306000", "")
    assert records[("2.A.1", "clinker", "inflow")] == ("12000", "")
    assert records[("2.A.2", "lime.dolomitic", "production")] == ("8000", "")
    assert records[("2.B.1", "ammonia", "co2_recovered")] == ("", "NO")
    assert records[("2.G.1", "sf6", "bank")] == ("2.5", "")
