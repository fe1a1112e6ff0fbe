"""`inventory compute` tells what `inventory run` tells: the warnings of the activity and factor files."""

from __future__ import annotations

from inventory.cli import main

HEADER = "region,year,category,item,quantity,value,unit,notation,uncertainty,source,note"
FACTOR_HEADER = "parameter,category,item,gas,value,unit,region,year_from,year_to,source,uncertainty,confidence,note"


def test_compute_prints_the_factor_warnings_naming_the_row(data_folder, tmp_path, capsys):
    data = data_folder(activity={"a.csv": [HEADER, "430523,2022,1.A.2,diesel,consumption,10,吨,,,survey,"]},
                       factors={"local.csv": [FACTOR_HEADER, "oxidation,*,diesel,,0.98,%,430523,,,survey,,local,"]})
    code = main(["compute", "--data", str(data), "--out", str(tmp_path / "out"), "--years", "2022"])
    err = capsys.readouterr().err
    assert code == 0
    # 0.98 % is possible but almost surely meant 0.98 or 98 %: a warning naming the file and line
    assert "warning:" in err and "local.csv:2" in err and "98 %" in err
