"""``write_document_inputs``: the files the inventory documents read, written the one way both the run
and the naive loop of ``benchmarks/bench_pipeline.py`` write them (issue 15)."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from inventory.core.method import FLAG_COLUMNS
from inventory.core.results import read_results
from inventory.pipeline.run import DOCUMENT_INPUTS, write_document_inputs


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_file_a_document_reads_with_its_content(tmp_path):
    emissions = pd.DataFrame({
        "region": ["430523", "430523"], "year": [2022, 2021], "category": ["1.A.1", "1.A.1"],
        "item": ["coal", "coal"], "gas": ["CO2", "CO2"], "emissions_t": [200.0, 100.0], "co2e_t": [200.0, 100.0],
        "activity_value": [2.0, 1.0], "activity_unit": ["t", "t"], "energy_tj": [0.0, 0.0],
        "records": ["energy.csv:3", "energy.csv:2"], "method": ["T1", "T1"],
        "factor_ids": ["EF1", "EF1"], "confidence": ["high", "high"],
    })
    flags = pd.DataFrame([["430523", 2021, "1.A.1", "coal", "CO2", "yoy", "warning", "=1+1 jump"]],
                         columns=FLAG_COLUMNS)
    frames = {"consistency.csv": pd.DataFrame({"region": ["430523"], "share": [1 / 3]}),
              "key_categories.csv": pd.DataFrame({"region": ["430523"], "level": [0.5]}),
              "uncertainty.csv": pd.DataFrame({"region": ["430523"], "percent": [12.3456789]})}
    write_document_inputs(tmp_path, emissions, flags, frames)

    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(DOCUMENT_INPUTS.values())
    written = read_results(tmp_path / "emissions_provenance.csv")
    # sorted by region, year, ...: 2021 (100 t, energy.csv:2) before 2022 (200 t, energy.csv:3)
    assert list(written["year"]) == [2021, 2022]
    assert list(written["emissions_t"]) == [100.0, 200.0]
    assert list(written["records"]) == ["energy.csv:2", "energy.csv:3"]
    # a flag message that a spreadsheet would take for a formula is written as text
    assert _rows(tmp_path / "flags.csv")[0]["message"] == "'=1+1 jump"
    # the analyses with six decimals: 1/3 = 0.333333, 12.3456789 → 12.345679
    assert _rows(tmp_path / "consistency.csv")[0]["share"] == "0.333333"
    assert _rows(tmp_path / "uncertainty.csv")[0]["percent"] == "12.345679"
    assert _rows(tmp_path / "key_categories.csv")[0]["level"] == "0.500000"
