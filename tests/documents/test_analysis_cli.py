"""``inventory key-categories`` and ``inventory uncertainty`` (CONTRACTS §6): round trip and bad input."""

import pandas as pd
import pytest

from inventory.cli import main

TABLE = """category,gas,year,co2e_t,u_activity_pct,u_factor_pct,factor_key
1.A.1,CO2,2015,100,5,10,
1.A.1,CO2,2022,110,5,10,
3.A.1,CH4,2015,50,10,40,
3.A.1,CH4,2022,40,10,40,
"""


@pytest.fixture
def table(tmp_path):
    path = tmp_path / "table.csv"
    path.write_text(TABLE, encoding="utf-8")
    return path


def test_key_categories_round_trip(table, tmp_path):
    out = tmp_path / "keys.csv"
    assert main(["key-categories", str(table), "--year", "2022", "--base-year", "2015", "--out", str(out)]) == 0
    result = pd.read_csv(out)
    assert list(result.columns) == ["assessment", "category", "gas", "value", "share", "cumulative_share", "key",
                                    "rank"]
    level = result[result["assessment"] == "level"]
    # 110 / 150 = 0.7333 (key), 40 / 150 = 0.2667 (0.7333 before it < 0.95: key)
    assert level["share"].tolist() == pytest.approx([110 / 150, 40 / 150])
    assert level["key"].tolist() == [True, True]


def test_uncertainty_round_trip(table, tmp_path):
    out = tmp_path / "u.csv"
    assert main(["uncertainty", str(table), "--year", "2022", "--base-year", "2015", "--approach", "1",
                 "--out", str(out)]) == 0
    result = pd.read_csv(out).set_index("measure")
    assert list(result.columns) == ["approach", "estimate", "low", "high", "u_pct"]
    # the hand calculation of test_uncertainty.test_approach_1_table_3_2: 13.7154 %, trend ±6.97235 %-points
    assert result.loc["total_2022", "u_pct"] == pytest.approx(13.715360, rel=1e-6)
    assert result.loc["trend", "u_pct"] == pytest.approx(6.9723474, rel=1e-6)
    assert main(["uncertainty", str(table), "--year", "2022", "--base-year", "2015", "--approach", "2",
                 "--draws", "2000", "--seed", "7", "--out", str(out)]) == 0
    assert pd.read_csv(out)["approach"].tolist() == [2, 2, 2]


def test_bad_input_every_problem_at_once_nothing_written(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text("category,gas,year,co2e_t,u_factor_pct\n1.A.1,CO2,2022,1,5\n1.A.1,CO2,2022,12 345,5\n"
                    "3.A.1,CH4,22,4,-3\n", encoding="utf-8")
    out = tmp_path / "u.csv"
    out.write_text("earlier output\n", encoding="utf-8")
    code = main(["uncertainty", str(path), "--year", "2022", "--base-year", "2015", "--approach", "1",
                 "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert out.read_text(encoding="utf-8") == "earlier output\n"  # nothing written, the earlier file intact
    assert "nothing was written" in err
    assert f"{path}:3: column co2e_t: “12 345”不是数值" in err  # the non-number at line 3, Chinese first
    assert f"{path}:4: column year: 年份“22”不是四位数年份" in err
    assert f"{path}:4: column u_factor_pct:" in err  # a negative uncertainty
    assert "表中没有 2015 年的数据" in err and "no rows for 2015" in err  # base year missing


def test_missing_column_and_draws(table, tmp_path, capsys):
    path = tmp_path / "cols.csv"
    path.write_text("category,year,co2e_t\n1.A.1,2022,1\n", encoding="utf-8")
    out = tmp_path / "k.csv"
    assert main(["key-categories", str(path), "--year", "2022", "--base-year", "2022", "--out", str(out)]) == 2
    assert "缺少必填列：gas" in capsys.readouterr().err
    assert main(["uncertainty", str(table), "--year", "2022", "--base-year", "2015", "--approach", "2",
                 "--draws", "0", "--out", str(out)]) == 2
    assert "--draws must be at least 1" in capsys.readouterr().err
    assert not out.exists()
