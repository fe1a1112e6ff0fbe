"""Named choices of a run (method, factor sets, grid series): a name that does not exist exits 2
with the known names and writes nothing — never a silent default."""

from __future__ import annotations

import pytest
from pipeline_data import write_data

from inventory.cli import main
from inventory.core.factors import load_factors
from inventory.core.methods import MethodError, resolve_method
from inventory.pipeline.choices import choice_issues
from inventory.sectors.energy.compilation import compile_energy


@pytest.mark.parametrize(("option", "value", "words"), [
    ("--factor-sets", "cn_guidelines", ["unknown factor set 'cn_guidelines'", "did you mean cn_guideline"]),
    ("--grid-series", "hunan", ["unknown grid emission-factor series", "'hunan'", "grid_province_hunan", "auto"]),
    ("--method", "cn_provinical", ["unknown method 'cn_provinical'", "cn_provincial, ipcc2006"]),
    ("--method", "cn_provincial:2030", ["has no edition '2030'", "cn_provincial:2011"]),
    ("--method", "cn_provincial:2025", ["not shipped", "factor_set cn_provincial_2025"]),
])
@pytest.mark.parametrize("command", ["run", "compute"])
def test_a_name_that_does_not_exist_exits_2_and_writes_nothing(tmp_path, capsys, command, option, value, words):
    data = write_data(tmp_path / "data")
    out = tmp_path / "out"
    code = main([command, "--data", str(data), "--out", str(out), option, value, "--regions", "430523",
                 "--years", "2021"] + (["--jobs", "1", "--quiet"] if command == "run" else []))
    assert code == 2
    message = capsys.readouterr().err
    for word in words:
        assert word in message
    assert not (out / "emissions.csv").exists()


def test_known_names_pass(tmp_path):
    from types import SimpleNamespace

    factors = load_factors(write_data(tmp_path / "data"))
    assert choice_issues(factors, "", [], SimpleNamespace(grid_series="auto")) == []
    assert choice_issues(factors, "ipcc2006", ["cn_guideline"], SimpleNamespace(grid_series="grid_central_china")) == []
    assert choice_issues(factors, "cn_provincial:2011", [], SimpleNamespace(grid_series="grid_national_average")) == []


def test_the_default_method_is_the_provincial_guideline_2011():
    method = resolve_method("")
    assert method.key == "cn_provincial:2011" and method.fallback == ("ipcc2006",)
    assert resolve_method("cn_provincial") == method
    assert resolve_method("ipcc2006").preference == ("ipcc2006", "cn_guideline", "cn_equivalent")
    with pytest.raises(MethodError):
        resolve_method("verified-first")


def test_a_2025_edition_is_chosen_with_its_local_rows(data_folder):
    folder = data_folder(activity={"a.csv": [
        "region,year,category,item,quantity,value,unit,source",
        "430523,2021,1.A.2,raw_coal,consumption,10,万吨,test",
    ]}, factors={"local.csv": [
        "parameter,category,item,gas,value,unit,region,year_from,year_to,source,factor_set",
        "oxidation,1.A,raw_coal,,0.95,,*,,,2025 edition table (test value),cn_provincial_2025",
    ]})
    energy = compile_energy("430523", 2021, folder, method="cn_provincial:2025")
    assert energy.method.key == "cn_provincial:2025"
    co2 = energy.result.emissions.set_index(["category", "gas"]).loc[("1.A.2", "CO2")]
    assert dict(co2["links"])["oxidation"] == "factors/local.csv:2"
    assert "2025" in energy.header()


def test_recorded_flows_without_a_grid_factor_say_so(tmp_path):
    data = write_data(tmp_path / "data", records=[("430523", 2021, "1.A.2", "raw_coal", "10", "万吨")])
    with (data / "activity" / "energy.csv").open("a", encoding="utf-8") as handle:
        handle.write("430523,2021,EB,electricity,inflow,1000,万千瓦时,,,test,\n")
    # a series with no electricity rows (only the command line refuses unknown names)
    energy = compile_energy("430523", 2021, data, grid_series="heat_default")
    assert energy.electricity_table().empty and energy.has_flows()
    missing = energy.flags[(energy.flags["check"] == "missing_factor") & (energy.flags["category"] == "M.ELEC")]
    assert len(missing) == 1 and "flows are recorded" in missing["message"].iloc[0]
    assert missing["severity"].iloc[0] == "error"
