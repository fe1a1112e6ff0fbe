"""inventory.core.results: the tidy emissions table, its cube, totals and atomic writers (CONTRACTS §5)."""

import os
import stat
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from inventory.core.results import (
    EMISSIONS_COLUMNS,
    PROVENANCE_COLUMNS,
    _atomic,
    atomic_write_bytes,
    atomic_write_text,
    emissions_cube,
    read_results,
    temporary_files_in,
    totals,
    write_emissions_csv,
    write_netcdf,
)

DIMS = ("region", "year", "category", "item")


@pytest.fixture
def emissions() -> pd.DataFrame:
    """Emissions of one county and its park; CH4 has no memo row, CO2 has M.NEU (AR5: CH4 28)."""
    rows = [
        ("430522", 2020, "1.A.2", "diesel", "CO2", 3095.9, 3095.9),
        ("430522", 2020, "1.A.2", "diesel", "CH4", 0.128, 3.584),  # 0.128 × 28
        ("430522", 2020, "1.A.1.a", "raw_coal", "CO2", 17160.0, 17160.0),
        ("430522", 2020, "M.NEU", "natural_gas", "CO2", 1310.4, 1310.4),  # memo: CO2 only
        ("430522-P01", 2020, "1.A.2", "diesel", "CO2", 300.0, 300.0),
    ]
    frame = pd.DataFrame(rows, columns=EMISSIONS_COLUMNS)
    for column in PROVENANCE_COLUMNS:
        frame[column] = ""
    frame["records"] = "activity/a.csv:2"
    return frame


def test_emissions_cube_keeps_every_category_of_every_gas(emissions):
    # regression: assigning gas by gas into a Dataset aligned every gas to the first one's categories,
    # dropping M.NEU, which only CO2 has
    cube = emissions_cube(emissions, "AR5")
    assert set(cube.data_vars) == {"CO2", "CH4", "CO2e"}
    assert cube["CO2"].dims == DIMS
    assert list(cube["category"].values) == ["1.A.1.a", "1.A.2", "M.NEU"]
    nan = np.nan
    coords = {"region": ["430522", "430522-P01"], "year": [2020], "category": ["1.A.1.a", "1.A.2", "M.NEU"],
              "item": ["diesel", "natural_gas", "raw_coal"]}
    # items: diesel, natural_gas, raw_coal
    co2 = xr.DataArray([[[[nan, nan, 17160.0], [3095.9, nan, nan], [nan, 1310.4, nan]]],
                        [[[nan, nan, nan], [300.0, nan, nan], [nan, nan, nan]]]], dims=DIMS, coords=coords)
    ch4 = xr.DataArray([[[[nan, nan, nan], [0.128, nan, nan], [nan, nan, nan]]],
                        [[[nan, nan, nan], [nan, nan, nan], [nan, nan, nan]]]], dims=DIMS, coords=coords)
    xr.testing.assert_allclose(cube["CO2"].reset_coords(drop=True).drop_attrs(), co2.rename("CO2"))
    xr.testing.assert_allclose(cube["CH4"].reset_coords(drop=True).drop_attrs(), ch4.rename("CH4"))
    # CO2e sums the gases of a cell: 3095.9 + 3.584 = 3099.484 t
    assert cube["CO2e"].sel(region="430522", year=2020, category="1.A.2", item="diesel").item() == pytest.approx(
        3099.484)


def test_emissions_cube_attrs(emissions):
    cube = emissions_cube(emissions, "AR6", attrs={"region": "430522"})
    assert cube["CH4"].attrs["units"] == "t"
    assert cube["CH4"].attrs["entity"] == "CH4"
    assert cube["CO2e"].attrs["gwp_context"] == "AR6GWP100"
    assert cube.attrs["gwp_context"] == "AR6GWP100"
    assert cube.attrs["region"] == "430522"
    assert "M.*" in cube.attrs["conventions"]


def test_totals_exclude_memo_items(emissions):
    by_gas = totals(emissions, ["region", "year", "gas"]).set_index(["region", "gas"])
    # CO2 of 430522: 3095.9 + 17160.0 = 20255.9 t (the 1310.4 t of M.NEU is not added)
    assert by_gas.loc[("430522", "CO2"), "emissions_t"] == pytest.approx(20255.9)
    assert by_gas.loc[("430522", "CH4"), "co2e_t"] == pytest.approx(3.584)
    assert by_gas.loc[("430522-P01", "CO2"), "emissions_t"] == pytest.approx(300.0)
    assert len(by_gas) == 3


def test_write_and_read_emissions_csv(tmp_path, emissions):
    path = tmp_path / "out" / "emissions.csv"
    write_emissions_csv(path, emissions)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "region,year,category,item,gas,emissions_t,co2e_t"
    # sorted by region, year, category, item, gas
    assert lines[1].startswith("430522,2020,1.A.1.a,raw_coal,CO2,17160.000000,")
    assert lines[2].startswith("430522,2020,1.A.2,diesel,CH4,0.128000,3.584000")
    assert lines[-1].startswith("430522-P01,2020,")
    back = read_results(path)
    assert back["region"].tolist() == ["430522"] * 4 + ["430522-P01"]
    assert back["category"].tolist()[:4] == ["1.A.1.a", "1.A.2", "1.A.2", "M.NEU"]
    assert back["emissions_t"].sum() == pytest.approx(3095.9 + 0.128 + 17160.0 + 1310.4 + 300.0)


def test_write_emissions_csv_with_provenance(tmp_path, emissions):
    path = tmp_path / "emissions.csv"
    write_emissions_csv(path, emissions, with_provenance=True)
    assert list(read_results(path).columns) == EMISSIONS_COLUMNS + PROVENANCE_COLUMNS


def test_netcdf_round_trip(tmp_path, emissions):
    cube = emissions_cube(emissions, "AR5")
    path = tmp_path / "inventory.nc"
    write_netcdf(path, cube)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["inventory.nc"]
    with xr.open_dataset(path) as back:
        xr.testing.assert_allclose(back.load(), cube)
        assert back["CO2e"].attrs["gwp_context"] == "AR5GWP100"


# ---- atomic writes --------------------------------------------------------------------------------------


@pytest.fixture
def umask_022():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_atomic_write_leaves_no_temporary_file_and_follows_umask(tmp_path, umask_022, emissions):
    atomic_write_text(tmp_path / "a.txt", "邵阳市\n")
    write_emissions_csv(tmp_path / "emissions.csv", emissions)
    write_netcdf(tmp_path / "inventory.nc", emissions_cube(emissions, "AR5"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "emissions.csv", "inventory.nc"]
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "邵阳市\n"
    for name in ("a.txt", "emissions.csv", "inventory.nc"):
        # 0666 & ~022 = 0644, like any file the user creates (mkstemp alone would give 0600)
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o644, name


def test_atomic_write_replaces_whole_file(tmp_path):
    path = tmp_path / "a.bin"
    atomic_write_bytes(path, b"old content, longer than the new one")
    atomic_write_bytes(path, b"new")
    assert path.read_bytes() == b"new"


def test_failed_atomic_write_keeps_old_file_and_no_temporary(tmp_path):
    path = tmp_path / "a.txt"
    atomic_write_text(path, "old")
    with pytest.raises(TypeError):
        atomic_write_bytes(path, "not bytes")  # the write fails half-way
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_atomic_write_follows_the_umask_at_write_time(tmp_path):
    previous = os.umask(0o027)
    try:
        atomic_write_text(tmp_path / "a.txt", "x")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "a.txt").stat().st_mode) == 0o640  # 0666 & ~027


def test_temporary_files_in_keeps_the_half_written_file_out_of_the_target_folder(tmp_path):
    """What a reader of the target folder would see while the write is under way (and after kill -9)."""
    published, staging = tmp_path / "out", tmp_path / "staging"
    published.mkdir()
    staging.mkdir()
    seen = {}

    def write(temporary):
        Path(temporary).write_text("new")
        seen["published"] = sorted(p.name for p in published.iterdir())
        seen["staging"] = len(list(staging.iterdir()))

    with temporary_files_in(staging):
        _atomic(published / "emissions.csv", write)
    assert seen == {"published": [], "staging": 1}
    assert (published / "emissions.csv").read_text() == "new"
    assert list(staging.iterdir()) == []
    _atomic(published / "a.csv", write)  # outside the context: beside the target, as before
    assert seen["published"][0].startswith(".a.csv.") and seen["published"][1:] == ["emissions.csv"]
    assert seen["staging"] == 0
