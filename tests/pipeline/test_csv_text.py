"""Issue 10, CSV opened in Excel: text fields of the emissions, results and QA flags files never
become formulas (``inventory.core.safetext.csv_text``), and reading the files back still works."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest
from pipeline_data import ACTIVITY_FILE, write_data

from inventory.cli import main
from inventory.core.results import csv_safe, read_results, write_emissions_csv
from inventory.core.safetext import is_formula_like
from inventory.pipeline.run import RunOptions, read_qa_flags, run


def _unsafe_fields(path: Path) -> list[str]:
    """Fields a spreadsheet would take for a formula (text starting =, +, -, @ that is not a number)."""
    unsafe = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle):
            for field in row:
                if is_formula_like(field):
                    try:
                        float(field)
                    except ValueError:
                        unsafe.append(field)
    return unsafe


def _table() -> pd.DataFrame:
    return pd.DataFrame({
        "region": ["430523", "430523"], "year": [2021, 2021], "category": ["1.A.2", "M.ELEC"],
        "item": ["raw_coal", "electricity"], "gas": ["CO2", "CO2"],
        "emissions_t": [10.5, -2.25], "co2e_t": [10.5, -2.25],  # a removal stays a number
        "activity_value": [1.0, -3.0], "activity_unit": ["t", "MWh"], "energy_tj": [0.5, 0.0],
        "records": ["=cmd.csv:2", "activity/energy.csv:3; @SUM(A1)"], "method": ["+m", "m"],
        "factor_ids": ["ef=-x", "-1.5e3"], "confidence": ["verified", "local"]})


def test_csv_safe_neutralises_text_that_would_be_a_formula_and_leaves_numbers():
    safe = csv_safe(_table())
    assert list(safe["records"]) == ["'=cmd.csv:2", "activity/energy.csv:3; @SUM(A1)"]  # only a leading one counts
    assert list(safe["method"]) == ["'+m", "m"]
    assert list(safe["factor_ids"]) == ["ef=-x", "-1.5e3"], "a number written as text is a number"
    assert list(safe["emissions_t"]) == [10.5, -2.25]
    pd.testing.assert_frame_equal(csv_safe(safe), safe)  # read back and written again: the same


def test_emissions_files_are_safe_and_read_back(tmp_path):
    for name, provenance in (("emissions.csv", False), ("emissions_provenance.csv", True)):
        path = tmp_path / name
        write_emissions_csv(path, _table(), with_provenance=provenance)
        assert _unsafe_fields(path) == [], name
        back = read_results(path)
        assert list(back["emissions_t"]) == [10.5, -2.25] and list(back["region"]) == ["430523"] * 2
        if provenance:
            assert list(back["records"]) == ["'=cmd.csv:2", "activity/energy.csv:3; @SUM(A1)"]
            write_emissions_csv(tmp_path / "again.csv", back, with_provenance=True)
            assert (tmp_path / "again.csv").read_bytes() == path.read_bytes()


def _data_with_a_formula_file_name(root: Path) -> Path:
    data = write_data(root)
    shutil.move(data / ACTIVITY_FILE, data / "activity" / "=cmd.csv")
    return data


def test_compute_with_an_activity_file_named_like_a_formula(tmp_path):
    data = _data_with_a_formula_file_name(tmp_path / "data")
    out = tmp_path / "out"
    assert main(["compute", "--data", str(data), "--out", str(out), "--regions", "430523", "--years", "2021"]) == 0
    provenance = read_results(out / "emissions_provenance.csv")
    assert provenance["records"].str.startswith("activity/=cmd.csv:").all()
    for name in ("emissions.csv", "emissions_provenance.csv"):
        assert _unsafe_fields(out / name) == [], name


@pytest.mark.slow
def test_run_with_an_activity_file_named_like_a_formula(tmp_path):
    data = _data_with_a_formula_file_name(tmp_path / "data")
    out = tmp_path / "out"
    summary = run(RunOptions(data_dir=data, out_dir=out, regions=["430523"], years=[2021], jobs=1, progress=False))
    assert summary.ok, summary.failed
    results = out / "results" / "430523" / "2021" / "energy.csv"
    flags = out / "results" / "430523" / "2021" / "energy.flags.csv"
    for path in (results, flags, out / "emissions.csv", out / "emissions_provenance.csv"):
        assert _unsafe_fields(path) == [], path
    assert read_results(results)["records"].str.startswith("activity/=cmd.csv:").all()
    status = read_qa_flags(flags)
    written = pd.read_csv(flags, dtype=str, keep_default_na=False)
    assert not status.unknown
    assert (status.errors, status.warnings) == ((written["severity"] == "error").sum(),
                                                (written["severity"] == "warning").sum())
    assert summary.qa["energy/430523/2021"].warnings == status.warnings
