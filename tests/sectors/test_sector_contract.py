"""The sector contract and its registry: a sector defined outside the package (the toy sector of
``tests/fixtures/toy_sector``) runs through ``inventory run`` and ``inventory compute`` with no edit
of the pipeline, and its declared history decides which tasks a correction re-executes."""

from __future__ import annotations

import csv
import importlib
import os
import sys
from pathlib import Path

import pandas as pd
import pytest
from pipeline_data import HEADER, ROOT, summary_counts, write_data

from inventory import sectors
from inventory.core.activity import read_activity
from inventory.core.factors import load_factors
from inventory.core.regions import load_regions
from inventory.pipeline.run import RunOptions, plan
from inventory.sectors.contract import whole_history, year_and_previous

TOY_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "toy_sector"
YEARS = (2005, 2006, 2007)
#: t of municipal solid waste landfilled, by region and year
DEPOSITS = {("430523", 2005): 1000.0, ("430523", 2006): 1200.0, ("430523", 2007): 900.0,
            ("430524", 2005): 500.0, ("430524", 2006): 520.0, ("430524", 2007): 540.0}
EF = 0.05  # t CH4 per t deposited (a toy factor, local row)


def write_toy_data(root: Path, deposits: dict = DEPOSITS) -> Path:
    """Energy records for two counties and three years, the toy's deposits, and its ef row."""
    records = [(region, year, "1.A.2", "raw_coal", str(10 + year - 2005), "万吨")
               for region in ("430523", "430524") for year in YEARS]
    write_data(root, illustrative=(), records=records)
    with (root / "activity" / "waste.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        for (region, year), value in deposits.items():
            writer.writerow([region, year, "4.A", "msw", "landfilled", value, "t", "", "", "toy deposits", ""])
    (root / "factors").mkdir(exist_ok=True)
    (root / "factors" / "toy.csv").write_text(
        "parameter,category,item,gas,value,unit,region,year_from,year_to,source\n"
        f"ef,4.A,msw,CH4,{EF},t/t,*,,,toy factor of the test suite\n", encoding="utf-8")
    return root


@pytest.fixture
def toy(monkeypatch):
    """The toy sector, registered for this test only."""
    monkeypatch.syspath_prepend(str(TOY_DIR))
    module = importlib.import_module("toy_sector")
    sectors.registry()  # the shipped sectors first
    monkeypatch.setitem(sectors._REGISTERED, "toy", module.SECTOR)
    return module.SECTOR


def test_the_registry_holds_the_shipped_sectors():
    registered = sectors.registry()
    assert list(registered)[0] == "energy"
    energy = registered["energy"]
    assert energy.owns_category("1.A.2") and energy.owns_category("M.ELEC") and not energy.owns_category("EB")
    assert energy.reads_category("EB.T.power") and energy.reads_category("SOC")
    assert not energy.reads_category("4.A")
    # the year, the year before (year on year) and the base year of the dual-control indicators
    assert energy.years_needed(2022, range(2015, 2024)) == [2020, 2021, 2022]
    assert energy.years_needed(2019, range(2015, 2024)) == [2018, 2019]
    assert energy.input_years(2022, range(2015, 2024)) == [2022]
    waste = registered["waste"]
    assert waste.owns_category("4.A.1") and waste.owns_category("4.D.2") and not waste.reads_category("SOC")
    # first-order decay: every year from the first deposit
    assert waste.input_years(2007, [2003, 2005, 2007, 2008]) == [2003, 2005, 2007]
    with pytest.raises(sectors.UnknownSector):
        sectors.get("no-such-sector")


def test_history_functions():
    assert year_and_previous(2010, [2008, 2009, 2010], {}) == [2009, 2010]
    assert whole_history(2010, [2001, 2005, 2010, 2011], {}) == [2001, 2005, 2010]


def _keys(data: Path, out: Path) -> dict[str, str]:
    options = RunOptions(data_dir=data, out_dir=out, progress=False)
    return {t.id: t.key for t in plan(options, read_activity(data), load_factors(data), load_regions(data))}


def test_a_corrected_deposit_changes_every_later_year_of_that_region_for_that_sector_only(tmp_path, toy):
    before = _keys(write_toy_data(tmp_path / "a"), tmp_path / "out")
    corrected = dict(DEPOSITS)
    corrected[("430523", 2005)] = 1100.0
    after = _keys(write_toy_data(tmp_path / "b", corrected), tmp_path / "out")
    assert set(before) == set(after)
    assert {f"toy/430523/{y}" for y in YEARS} <= set(before)
    changed = {task for task in before if before[task] != after[task]}
    # every toy and waste (first-order decay) year of 430523 from 2005 on, the summary that sums them and the
    # inventory documents of 430523 (each shows the whole series);
    # no energy task, no other region
    assert changed == {f"{sector}/430523/{year}" for sector in ("toy", "waste") for year in (2005, 2006, 2007)} \
        | {"summary/430523/all"} | {f"inventory/430523/{y}" for y in (2005, 2006, 2007)}


def test_the_toy_sector_alone_computes_its_history(tmp_path, toy):
    from inventory.pipeline.compute import compute_inventory

    data = write_toy_data(tmp_path / "data")
    emissions = compute_inventory(data, sectors=["toy"]).set_index(["region", "year"])
    assert emissions.loc[("430523", 2007), "emissions_t"] == pytest.approx((1000 + 1200 + 900) * EF)
    assert emissions.loc[("430523", 2007), "factor_ids"] == "ef=factors/toy.csv:2"
    only_2006 = compute_inventory(data, years=[2006], sectors=["toy"]).set_index(["region", "year"])
    assert list(only_2006.index) == [("430523", 2006), ("430524", 2006)]
    assert only_2006.loc[("430523", 2006), "emissions_t"] == pytest.approx((1000 + 1200) * EF)


@pytest.mark.slow
def test_a_sector_of_its_own_runs_through_run_and_compute(tmp_path):
    import subprocess

    data = write_toy_data(tmp_path / "data")
    out = tmp_path / "out"
    env = dict(os.environ, PYTHONUNBUFFERED="1", INVENTORY_SECTORS="toy_sector",
               PYTHONPATH=os.pathsep.join([str(TOY_DIR), os.environ.get("PYTHONPATH", "")]))

    def cli(*args):
        done = subprocess.run([sys.executable, "-m", "inventory", *args], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        return done

    first = cli("run", "--data", str(data), "--out", str(out), "--jobs", "1", "--quiet")
    # energy, toy and the shipped waste sector (which reads the same 4.A deposits) per county-year, two summaries,
    # an inventory document per county-year
    assert summary_counts(first.stdout) == (6 + 6 + 6 + 2 + 6, 0)
    emissions = pd.read_csv(out / "emissions.csv", dtype={"region": str})
    toy_rows = emissions[emissions["category"] == "4.A"].set_index(["region", "year"])
    assert toy_rows.loc[("430524", 2006), "emissions_t"] == pytest.approx((500 + 520) * EF)
    assert (out / "reports" / "430523" / "2007" / "toy.html").exists()
    index = (out / "reports" / "index.html").read_text(encoding="utf-8")
    assert 'title="示例部门 / Toy sector"' in index and "430523/2007/toy.html" in index

    # a corrected 2005 deposit: the toy's and the waste sector's 2005, 2006, 2007 of that county and its summary,
    # and that county's three documents, nothing else
    rows = (data / "activity" / "waste.csv").read_text(encoding="utf-8").replace(
        "430523,2005,4.A,msw,landfilled,1000.0", "430523,2005,4.A,msw,landfilled,1100.0")
    (data / "activity" / "waste.csv").write_text(rows, encoding="utf-8")
    second = cli("run", "--data", str(data), "--out", str(out), "--jobs", "1", "--quiet")
    assert summary_counts(second.stdout) == (3 + 3 + 1 + 3, 13 + 3)
    emissions = pd.read_csv(out / "emissions.csv", dtype={"region": str})
    toy_rows = emissions[emissions["category"] == "4.A"].set_index(["region", "year"])
    assert toy_rows.loc[("430523", 2007), "emissions_t"] == pytest.approx((1100 + 1200 + 900) * EF)

    # inventory compute: the same registry, the same numbers, byte for byte
    cli("compute", "--data", str(data), "--out", str(tmp_path / "compute"))
    assert (tmp_path / "compute" / "emissions.csv").read_bytes() == (out / "emissions.csv").read_bytes()
