"""The landfill method and back-casting are run options too (`inventory run` and `inventory compute`)."""

from __future__ import annotations

import pandas as pd
from pipeline_data import ROOT

from inventory.cli import main


def _landfill_ch4(out) -> float:
    emissions = pd.read_csv(out / "emissions.csv", dtype={"region": str})
    return emissions.loc[emissions["category"].str.startswith("4.A") & (emissions["gas"] == "CH4"), "emissions_t"].sum()


def test_landfill_method_and_backcast_are_chosen_on_the_command_line(tmp_path, capsys):
    common = ["compute", "--data", str(ROOT / "data_raw"), "--regions", "430523", "--years", "2022",
              "--sectors", "waste"]
    runs = {}
    for name, extra in {"fod": [], "mass_balance": ["--landfill-method", "mass_balance"],
                        "no_backcast": ["--landfill-backcast", "none"]}.items():
        assert main([*common, "--out", str(tmp_path / name), *extra]) == 0
        runs[name] = _landfill_ch4(tmp_path / name)
    # the mass balance counts a year's deposit at once; first-order decay spreads it over the years after
    assert runs["mass_balance"] != runs["fod"]
    # without the deposits before the record, less waste is decaying in 2022
    assert 0 < runs["no_backcast"] < runs["fod"]


def test_an_unknown_landfill_method_is_an_error_naming_the_known_ones(tmp_path, capsys):
    code = main(["compute", "--data", str(ROOT / "data_raw"), "--regions", "430523", "--years", "2022",
                 "--sectors", "waste", "--out", str(tmp_path / "out"), "--landfill-method", "fdo"])
    err = capsys.readouterr().err
    assert code == 2
    assert "fdo" in err and "fod" in err and "mass_balance" in err
    assert not (tmp_path / "out").exists()


HEADER = "region,year,category,item,quantity,value,unit,notation,uncertainty,source,note"


def test_a_closed_landfill_filed_with_zero_deposits_still_emits(data_folder, tmp_path):
    # deposits 2015–2020, the site closed: 0 filed for 2021 and 2022 (docs/DATA_FORMAT.md §2.8c)
    lines = [HEADER] + [f"430523,{year},4.A.1,msw,landfilled,{50000 if year <= 2020 else 0},吨,,,survey,"
                        for year in range(2015, 2023)]
    data = data_folder(activity={"waste.csv": lines})
    out = tmp_path / "out"
    assert main(["compute", "--data", str(data), "--out", str(out), "--sectors", "waste", "--landfill-backcast",
                 "none"]) == 0
    emissions = pd.read_csv(out / "emissions.csv", dtype={"region": str})
    landfill = emissions[(emissions["category"] == "4.A.1") & (emissions["gas"] == "CH4")].set_index("year")
    # the 2020 deposit starts decaying in 2021, so 2021 is the peak; then the decay goes on with nothing added:
    # E(2022) / E(2021) = DDOCma(2021) / DDOCma(2020) = exp(-k), between 0 and 1 (Vol.5 Eq. 3.4, 3.5)
    e = landfill["emissions_t"]
    assert e[2020] < e[2021]
    assert 0 < e[2022] < e[2021]
    assert 0.5 < e[2022] / e[2021] < 1
