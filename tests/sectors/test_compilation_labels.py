"""The shared compilation's tables as people read them: units as written in Chinese (吨, 立方米) or as
symbols (m³), quantities by name, QA flags with their check and severity in Chinese first."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from inventory.sectors.energy.compilation import compile_energy

HEADER = ["region", "year", "category", "item", "quantity", "value", "unit", "notation", "uncertainty", "source",
          "note", "origin"]


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("labels")
    (root / "activity").mkdir()
    with (root / "activity" / "energy.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows([
            HEADER,
            ["430523", "2022", "1.A.2", "raw_coal", "consumption", "1000", "吨", "", "", "统计局", "", ""],
            ["430523", "2022", "1.A.2", "natural_gas", "consumption", "2", "万立方米", "", "", "统计局", "", ""]])
    return root


def test_units_quantities_and_flags_in_a_chinese_report(folder):
    energy = compile_energy("430523", 2022, folder)
    activity = energy.activity_table().set_index("品种名称")
    # the standard unit as Chinese statistics write it; the reported one exactly as filed
    assert activity.loc["原煤", "单位"] == "吨" and activity.loc["天然气", "单位"] == "立方米"
    assert activity.loc["天然气", "填报单位"] == "万立方米" and activity.loc["天然气", "标准值"] == 20000.0
    assert set(activity["指标"]) == {"消费量"}
    factors = energy.factors_table()
    units = set(factors["单位"])
    assert "kJ/m³" in units and not {u for u in units if "^" in u}  # powers as superscripts, never m^3
    assert {"原煤", "天然气"} <= set(factors["品种"])  # items by name
    flags = energy.flags_table()
    assert set(flags["级别"]) <= {"错误 error", "警告 warning", "提示 info"} and len(flags)
    assert "因子未核实 unverified_factor" in set(flags["检查"])
    # the flags file keeps the keys: only the tables people read change
    assert set(energy.flags["severity"]) <= {"error", "warning", "info"}
    counts = energy.flag_counts()
    assert "因子未核实 unverified_factor" in set(counts["check"])


def test_units_and_quantities_in_an_english_report(folder):
    energy = compile_energy("430523", 2022, folder, lang="en")
    activity = energy.activity_table().set_index("Item name")
    assert activity.loc["Natural gas", "Unit"] == "m³" and activity.loc["Raw coal", "Unit"] == "t"
    assert set(activity["Quantity"]) == {"Consumption (fuel burned)"}
    assert set(energy.flags_table()["Severity"]) <= {"error", "warning", "info"}
