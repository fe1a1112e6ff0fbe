"""The ``inventory`` command end to end (CONTRACTS §1 and §5): real papermill, nbconvert and kernels.

The expensive runs are module-scoped fixtures shared by several tests:

* ``good_run`` — one region-year (430523 2021) into a fresh folder, then the same command again;
* ``incremental`` — the city and one county over two years, then one record changed, then a local
  factor that makes one notebook fail at run time (and, in the same run, another change that
  succeeds).
"""

from __future__ import annotations

import fcntl
import html
import json
import re
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest
import xarray as xr
from pipeline_data import (
    run_cli,
    set_value,
    summary_counts,
    tree_digest,
    write_data,
    write_local_factors,
)

from inventory.cli import main

EMISSIONS_HEADER = "region,year,category,item,gas,emissions_t,co2e_t"


def _code_cells_of_html(page: str) -> list[str]:
    """The HTML of every code cell of an nbconvert lab page (from its div to the next cell's)."""
    starts = [m.start() for m in re.finditer(r'<div[^>]*\bclass="jp-Cell ', page)]
    chunks = [page[a:b] for a, b in zip(starts, starts[1:] + [len(page)])]
    return [c for c in chunks if "jp-CodeCell" in c.split(">", 1)[0]]  # the cell's own tag names its kind


def _injected(notebook) -> dict:
    """The values papermill injected (the cell tagged ``injected-parameters``), evaluated."""
    cells = [c for c in notebook.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1, "one injected-parameters cell"
    namespace: dict = {}
    exec(cells[0].source, namespace)  # noqa: S102 - papermill writes plain assignments
    return namespace


# ----------------------------------------------------------------------------------------------
# help and usage


def test_help_exits_zero():
    top = run_cli("--help")
    assert top.returncode == 0, top.stderr
    assert "run" in top.stdout
    sub = run_cli("run", "--help")
    assert sub.returncode == 0, sub.stderr
    for option in ("--data", "--out", "--regions", "--years", "--sectors", "--jobs"):
        assert option in sub.stdout


def test_run_help_in_process(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["run", "--help"])
    assert exit_info.value.code == 0
    assert "--regions" in capsys.readouterr().out


@pytest.fixture(scope="module")
def small_data(tmp_path_factory) -> Path:
    return write_data(tmp_path_factory.mktemp("small") / "data")


def test_sector_without_notebook_is_a_usage_error(small_data, tmp_path, capsys, monkeypatch):
    # every IPCC sector has its notebook now; a sector named as planned (an issue open) is still refused
    monkeypatch.setattr("inventory.pipeline.run.PLANNED", ("transport",))
    out = tmp_path / "out"
    code = main(["run", "--data", str(small_data), "--out", str(out), "--sectors", "transport", "--quiet"])
    err = capsys.readouterr().err
    assert code == 2
    assert "transport" in err and "no notebook yet" in err and "energy" in err  # what is available
    assert not out.exists()


def test_unknown_sector_is_a_usage_error(small_data, tmp_path, capsys):
    code = main(["run", "--data", str(small_data), "--out", str(tmp_path / "out"), "--sectors", "transport"])
    assert code == 2
    assert "unknown sector" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_unknown_region_is_a_usage_error(small_data, tmp_path, capsys):
    code = main(["run", "--data", str(small_data), "--out", str(tmp_path / "out"), "--regions", "999999"])
    assert code == 2
    err = capsys.readouterr().err
    assert "--regions" in err and "999999" in err and "unknown region" in err
    assert not (tmp_path / "out").exists()


def test_year_without_data_is_a_usage_error(small_data, tmp_path, capsys):
    code = main(["run", "--data", str(small_data), "--out", str(tmp_path / "out"), "--years", "2030"])
    assert code == 2
    assert "2030" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_bad_jobs_is_a_usage_error(small_data, tmp_path, capsys):
    assert main(["run", "--data", str(small_data), "--out", str(tmp_path / "out"), "--jobs", "0"]) == 2
    assert "--jobs" in capsys.readouterr().err


# ----------------------------------------------------------------------------------------------
# one good run, and the same command again


@pytest.fixture(scope="module")
def good_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("good")
    data = write_data(base / "data")
    out = base / "out"
    args = ["run", "--data", str(data), "--out", str(out), "--regions", "430523", "--years", "2021", "--jobs", "1"]
    first = run_cli(*args)
    assert first.returncode == 0, first.stderr
    first_emissions = (out / "emissions.csv").read_bytes()
    first_tree = tree_digest(out)
    second = run_cli(*args)
    return {"data": data, "out": out, "args": args, "first": first, "second": second,
            "first_emissions": first_emissions, "first_tree": first_tree}


def test_run_writes_emissions_csv(good_run):
    out = good_run["out"]
    text = (out / "emissions.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0] == EMISSIONS_HEADER
    emissions = pd.read_csv(out / "emissions.csv", dtype={"region": str})
    assert set(emissions["region"]) == {"430523"}
    assert set(emissions["year"]) == {2021}
    assert set(emissions["gas"]) >= {"CO2", "CH4", "N2O"}
    assert {"raw_coal", "natural_gas"} <= set(emissions["item"])
    # a coal-burning county: CO2 of 10 万吨 raw coal is some 10^5 t (20 GJ/t × ~26 tC/TJ × 44/12 ≈ 1.9 t/t)
    coal_co2 = emissions.query("item == 'raw_coal' and gas == 'CO2'")["emissions_t"].sum()
    assert 1.0e5 < coal_co2 < 3.0e5


def test_run_writes_netcdf(good_run):
    with xr.open_dataset(good_run["out"] / "inventory.nc") as cube:
        assert {"region", "year", "category", "item"} <= set(cube.dims)
        assert list(cube["region"].values) == ["430523"]
        assert cube.data_vars, "one variable per gas"
        for name, variable in cube.data_vars.items():
            assert variable.attrs.get("units"), f"{name} has no units attribute"
        emissions = pd.read_csv(good_run["out"] / "emissions.csv", dtype={"region": str})
        co2 = emissions.query("gas == 'CO2'")["emissions_t"].sum()
        assert float(cube["CO2"].sum()) == pytest.approx(co2, rel=1e-9)


def test_run_keeps_executed_notebook_with_parameters(good_run):
    path = good_run["out"] / "notebooks" / "430523" / "2021" / "energy.ipynb"
    notebook = nbformat.read(str(path), as_version=4)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert any(c.get("outputs") for c in code), "executed: code cells have outputs"
    assert all(c.get("execution_count") for c in code if c.source.strip()), "every code cell ran"
    assert not any(o.get("output_type") == "error" for c in code for o in c.get("outputs", []))
    injected = _injected(notebook)
    assert injected["region"] == "430523"
    assert injected["year"] == 2021
    assert Path(injected["data_dir"]).resolve() == good_run["data"].resolve()
    assert Path(injected["out_dir"]).resolve() == good_run["out"].resolve()


def test_report_has_no_code_and_no_remote_scripts(good_run):
    out = good_run["out"]
    page = (out / "reports" / "430523" / "2021" / "energy.html").read_text(encoding="utf-8")
    code_cells = _code_cells_of_html(page)
    assert code_cells, "the page has the notebook's cells"
    for cell in code_cells:
        assert "jp-InputArea" not in cell, "a code cell shows its input"
    # no line of any code cell that ran (reset, parameters, injected, the notebook's own) is on the page
    notebook = nbformat.read(str(out / "notebooks" / "430523" / "2021" / "energy.ipynb"), as_version=4)
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        for line in cell.source.splitlines():
            line = line.strip()
            if len(line) >= 12 and not line.startswith("#"):
                assert line not in page and html.escape(line) not in page, f"code on the page: {line}"
    assert "compile_energy(" not in page
    assert not re.search(r"<script[^>]+src=[\"']?(https?:)?//", page), "scripts fetched from the internet"
    assert not re.search(r"<link[^>]+href=[\"']?(https?:)?//", page), "stylesheets fetched from the internet"
    assert re.search(r'class="workbench-chart".*<th scope="row"[^>]*>1\.A\.', page, re.S), "the chart by category"
    # records of 430523 are not illustrative: no 示例数据 banner
    assert "示例数据" not in page


def test_index_links_every_report(good_run):
    reports = good_run["out"] / "reports"
    index = (reports / "index.html").read_text(encoding="utf-8")
    hrefs = set(re.findall(r'href="([^"]+)"', index))
    assert "430523/2021/energy.html" in hrefs
    assert "430523/all/summary.html" in hrefs
    for href in hrefs:
        if href.endswith(".html"):
            assert (reports / href).is_file(), href
    assert "示例数据" not in index


def test_run_summary_line(good_run):
    first = good_run["first"]
    assert summary_counts(first.stdout) == (3, 0)  # energy 430523/2021 + its summary + its inventory document


def test_run_stdout_ends_with_summary_line(good_run):
    """CONTRACTS §1: the run *ends* with the one-line summary (the reports path comes before it)."""
    last = good_run["first"].stdout.strip().splitlines()[-1]
    assert re.search(r"executed \d+", last) and re.search(r"reused \d+", last), last


def test_same_command_again_reuses_everything(good_run):
    second = good_run["second"]
    assert second.returncode == 0, second.stderr
    assert summary_counts(second.stdout) == (0, 3)
    out = good_run["out"]
    assert (out / "emissions.csv").read_bytes() == good_run["first_emissions"]
    # nothing was executed again: the executed notebooks, reports and results are untouched
    before, after = good_run["first_tree"], tree_digest(out)
    for path in before:
        if path.startswith(("notebooks/", "reports/4", "results/")):
            assert after[path] == before[path], path


def test_county_without_members_is_not_a_mismatch(good_run):
    """Sanity of the summary table in a run of one county."""
    table = pd.read_csv(good_run["out"] / "results" / "430523" / "all" / "summary.csv", dtype={"region": str})
    assert list(table["region"]) == ["430523"]
    assert table.loc[0, "expected_members"] == 0


def test_county_without_members_consistency_status(good_run):
    """Nothing to compare is not a mismatch (was: 'mismatch' from a NaN difference)."""
    table = pd.read_csv(good_run["out"] / "results" / "430523" / "all" / "summary.csv", dtype={"region": str})
    assert table.loc[0, "status"] != "mismatch"


# ----------------------------------------------------------------------------------------------
# bad data: exit 2, every problem named, nothing written


def _bad_data(root: Path) -> Path:
    data = write_data(root)
    (data / "activity" / "more.csv").write_text(
        "region,year,category,item,quantity,value,unit,notation,uncertainty,source,note\n"
        "999999,2021,1.A.2,raw_coal,consumption,5,万吨,,3,test,\n"           # line 2: unknown region
        "430523,2021,1.A.3.b,diesel,consumption,0.2,万屯,,3,test,\n"         # line 3: unit typo
        "430523,2021,1.A.3.b,gasoline,consumption,12O,万吨,,3,test,\n"       # line 4: letter O in a number
        "430524,2021,1.A.4.b,natural_gas,consumption,-5,万立方米,,3,test,\n"  # line 5: negative consumption
        "430523,2021,1.A.2,raw_coal,consumption,12,万吨,,3,test,\n",         # line 6: duplicate of energy.csv:8
        encoding="utf-8")
    return data


EXPECTED_PROBLEMS = [
    ("activity/more.csv:2", "column region"),
    ("activity/more.csv:3", "column unit"),
    ("activity/more.csv:4", "column value"),
    ("activity/more.csv:5", "column value"),
    ("activity/more.csv:6", "column value"),
]


def _check_bad_data_message(stderr: str) -> None:
    lines = stderr.splitlines()
    for where, column in EXPECTED_PROBLEMS:
        assert any(where in line and column in line for line in lines), f"{where} {column} not in:\n{stderr}"
    assert "999999" in stderr and "万屯" in stderr and "12O" in stderr and "-5" in stderr
    assert "activity/energy.csv:8" in stderr, "the duplicate names the record it duplicates"
    assert "5 problem" in stderr


def test_bad_data_new_out_folder_is_not_created(tmp_path):
    data = _bad_data(tmp_path / "data")
    out = tmp_path / "new-out"
    result = run_cli("run", "--data", str(data), "--out", str(out), "--jobs", "1")
    assert result.returncode == 2, result.stdout + result.stderr
    _check_bad_data_message(result.stderr)
    assert not out.exists()


def test_bad_data_leaves_existing_outputs_untouched(good_run, tmp_path):
    data = _bad_data(tmp_path / "data")
    out = good_run["out"]
    before = tree_digest(out)
    result = run_cli("run", "--data", str(data), "--out", str(out), "--jobs", "1")
    assert result.returncode == 2
    _check_bad_data_message(result.stderr)
    assert tree_digest(out) == before


def test_bad_local_factors_exit_2(small_data, tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(small_data, data)
    write_local_factors(data, ["ncv,*,raw_coal,,20.5,GJ/m^3,430523,,,survey (test)",    # line 2: wrong dimension
                               "oxidation,*,raw_coal,,0.98,,430523,2022,2020,survey (test)",  # line 3: years reversed
                               "ncv,*,diesel,,43,GJ/t,430523,,,"])                        # line 4: no source
    out = tmp_path / "out"
    assert main(["run", "--data", str(data), "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    for where, column in (("factors/local.csv:2", "column unit"), ("factors/local.csv:3", "column year_to"),
                          ("factors/local.csv:4", "column source")):
        assert any(where in line and column in line for line in err.splitlines()), f"{where} {column}:\n{err}"
    assert not out.exists()


def test_old_region_code_is_understood(tmp_path, capsys):
    """邵东县 430521 became 邵东市 430582 in 2019; its 2018 records are filed under the old code.

    Asking for the code the files use compiles them under the code the region has now (was: 'no
    activity data for region(s): 430521').
    """
    records = [("430521", 2018, "1.A.2", "raw_coal", "30", "万吨"), ("430582", 2019, "1.A.2", "raw_coal", "31", "万吨")]
    data = write_data(tmp_path / "data", records=records)
    out = tmp_path / "out"
    code = main(["run", "--data", str(data), "--out", str(out), "--regions", "430521", "--years", "2018",
                 "--jobs", "1", "--quiet"])
    err = capsys.readouterr().err
    assert code == 0, err
    assert (out / "reports" / "430582" / "2018" / "energy.html").is_file()
    emissions = pd.read_csv(out / "emissions.csv", dtype={"region": str})
    assert set(zip(emissions["region"], emissions["year"])) == {("430582", 2018)}


# ----------------------------------------------------------------------------------------------
# one writer at a time


def test_locked_out_folder_exits_3(small_data, tmp_path):
    out = tmp_path / "out"
    (out / ".state").mkdir(parents=True)
    with open(out / ".state" / "lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        handle.write("pid 4242 since a moment ago (the test)")
        handle.flush()
        result = run_cli("run", "--data", str(small_data), "--out", str(out), "--regions", "430523",
                         "--years", "2021", "--jobs", "1")
        fcntl.flock(handle, fcntl.LOCK_UN)
    assert result.returncode == 3, result.stdout + result.stderr
    assert "another inventory run" in result.stderr
    assert "pid 4242" in result.stderr, "names the holder"
    assert tree_digest(out) == {".state/lock": tree_digest(out)[".state/lock"]}, "nothing else written"


# ----------------------------------------------------------------------------------------------
# incremental runs and a failing notebook


@pytest.fixture(scope="module")
def incremental(tmp_path_factory):
    """Three runs on one output folder; the files after each are kept for the tests."""
    base = tmp_path_factory.mktemp("incremental")
    data = write_data(base / "data", illustrative=("430500",))
    out = base / "out"
    args = ["run", "--data", str(data), "--out", str(out), "--regions", "430500,430523", "--years", "2021-2022"]
    steps = {}
    # 1. everything: 4 energy notebooks + the city's summary (two workers: see tests/pipeline/test_run.py)
    steps["first"] = run_cli(*args, "--jobs", "1")
    steps["first_tree"] = tree_digest(out)
    # 2. one record of 430523 in 2022 changes
    set_value(data, "430523", 2022, "raw_coal", "12.5")
    steps["changed"] = run_cli(*args, "--jobs", "1")
    steps["changed_tree"] = tree_digest(out)
    # 3. a local ncv in GJ/t for every fuel of 430523 from 2022: valid as a row, wrong for natural gas
    #    (measured in m^3) — only found when the notebook resolves the factors; and, in the same run,
    #    a change of the city's 2022 diesel that runs fine
    write_local_factors(data, ["ncv,*,*,,20.9,GJ/t,430523,2022,,county coal survey (test)"])
    set_value(data, "430500", 2022, "diesel", "5.9")
    steps["failing"] = run_cli(*args, "--jobs", "1")
    steps["failing_tree"] = tree_digest(out)
    steps["after_failure"] = shutil.copytree(out, base / "out-after-failure", symlinks=True)
    # 4. the factor row is corrected (removed): the failed task and the summary run, the rest is reused
    (data / "factors" / "local.csv").unlink()
    steps["recovered"] = run_cli(*args, "--jobs", "1")
    steps["recovered_tree"] = tree_digest(out)
    return {"data": data, "out": out, **steps}


def test_incremental_first_run(incremental):
    first = incremental["first"]
    assert first.returncode == 0, first.stderr
    assert summary_counts(first.stdout) == (9, 0)  # 4 energy, the summary, 4 inventory documents
    out = incremental["out"]
    for region in ("430500", "430523"):
        for year in (2021, 2022):
            assert (out / "reports" / region / str(year) / "energy.html").is_file()
    assert (out / "reports" / "430500" / "all" / "summary.html").is_file()
    assert not (out / "reports" / "430523" / "all").exists(), "430523 is inside the city's summary"
    emissions = pd.read_csv(out / "emissions.csv", dtype={"region": str})
    assert set(zip(emissions["region"], emissions["year"])) == {
        ("430500", 2021), ("430500", 2022), ("430523", 2021), ("430523", 2022)}


def test_illustrative_banner_only_for_illustrative_data(incremental):
    reports = incremental["out"] / "reports"
    city = (reports / "430500" / "2021" / "energy.html").read_text(encoding="utf-8")
    county = (reports / "430523" / "2021" / "energy.html").read_text(encoding="utf-8")
    assert "示例数据" in city
    assert "示例数据" not in county
    assert "示例数据" in (reports / "430500" / "all" / "summary.html").read_text(encoding="utf-8")


def test_city_summary_reports_incomplete_members(incremental):
    table = pd.read_csv(incremental["out"] / "results" / "430500" / "all" / "summary.csv", dtype={"region": str})
    assert list(table["year"]) == [2021, 2022]
    assert set(table["status"]) == {"incomplete"}  # 1 of the city's 12 counties
    assert set(table["members"]) == {1}


def test_changed_record_reruns_only_its_region_year_and_summary(incremental):
    changed = incremental["changed"]
    assert changed.returncode == 0, changed.stderr
    assert summary_counts(changed.stdout) == (6, 3)  # + the documents of the county and the city, both years
    before, after = incremental["first_tree"], incremental["changed_tree"]
    rerun = {"430523/2022/energy", "430500/all/summary"}
    for kind, suffix in (("notebooks", ".ipynb"), ("reports", ".html"), ("results", ".csv")):
        for task in ("430500/2021/energy", "430500/2022/energy", "430523/2021/energy", "430523/2022/energy",
                     "430500/all/summary"):
            path = f"{kind}/{task}{suffix}"
            if task in rerun:
                assert after[path] != before[path], f"{path} should be new"
            else:
                assert after[path] == before[path], f"{path} should be untouched"
    assert after["emissions.csv"] != before["emissions.csv"]


def _failure_line(incremental) -> str:
    err = incremental["failing"].stderr
    line = next((ln for ln in err.splitlines() if "energy/430523/2022" in ln), "")
    assert line, f"region, year and notebook not named:\n{err}"
    return line


def test_failing_notebook_exit_code_and_message(incremental):
    failing = incremental["failing"]
    assert failing.returncode == 1, failing.stdout + failing.stderr
    err = failing.stderr
    line = _failure_line(incremental)  # energy/430523/2022: notebook, region, year
    assert re.search(r"\bcell \d+", line), f"no cell named: {line}"
    assert re.search(r"cell line \d+: energy = compile_energy\(", err), "the failing line of the cell is named"
    assert "ncv" in err and "GJ/t" in err and "factors/local.csv:2" in err, "the cause is named"
    assert "failed/430523/2022/energy.ipynb" in err, "says where the failed notebook is"
    # the summary above it was not run on incomplete results
    assert "summary/430500" in err
    executed, reused = summary_counts(failing.stdout)
    assert (executed, reused) == (1, 2)  # 430500/2022 ran; 430500/2021 and 430523/2021 reused
    assert "FAILED" in failing.stdout


def test_failed_notebook_is_kept(incremental):
    kept = incremental["after_failure"] / "failed" / "430523" / "2022" / "energy.ipynb"
    notebook = nbformat.read(str(kept), as_version=4)
    assert _injected(notebook)["region"] == "430523" and _injected(notebook)["year"] == 2022
    failing = [c for c in notebook.cells if c.cell_type == "code"
               and any(o.get("output_type") == "error" for o in c.get("outputs", []))]
    assert len(failing) == 1 and "compile_energy(" in failing[0].source
    assert any("InputError" in o.get("ename", "") for o in failing[0].outputs)


def test_failing_cell_number_points_at_the_failing_cell_of_the_kept_notebook(incremental):
    """'cell N' must find the cell in the notebook kept under failed/ (papermill adds error-banner cells
    to it, and In [..] counts continue across notebooks in a warm kernel, so neither the position in
    the source notebook nor the execution count would do)."""
    number = int(re.search(r"\bcell (\d+)", _failure_line(incremental)).group(1))
    kept = incremental["after_failure"] / "failed" / "430523" / "2022" / "energy.ipynb"
    notebook = nbformat.read(str(kept), as_version=4)
    by_position = notebook.cells[number - 1] if number <= len(notebook.cells) else None
    by_prompt = [c for c in notebook.cells if c.cell_type == "code" and c.get("execution_count") == number]
    pointed = [c for c in ([by_position] if by_position is not None else []) + by_prompt
               if any(o.get("output_type") == "error" for o in c.get("outputs", []))]
    assert pointed, f"cell {number} of {kept.name} is not the cell that failed"


def test_failing_notebook_keeps_earlier_good_outputs(incremental):
    before, after = incremental["changed_tree"], incremental["failing_tree"]
    for path in ("notebooks/430523/2022/energy.ipynb", "reports/430523/2022/energy.html",
                 "results/430523/2022/energy.csv", "notebooks/430500/all/summary.ipynb",
                 "reports/430500/all/summary.html", "results/430500/all/summary.csv",
                 "emissions.csv", "inventory.nc"):
        assert after[path] == before[path], f"{path} was overwritten by a failed run"
    assert "failed/430523/2022/energy.ipynb" in after


def test_failing_run_finishes_the_other_notebooks(incremental):
    before, after = incremental["changed_tree"], incremental["failing_tree"]
    for path in ("notebooks/430500/2022/energy.ipynb", "reports/430500/2022/energy.html",
                 "results/430500/2022/energy.csv"):
        assert after[path] != before[path], f"{path}: the good notebook of the same run was not promoted"
    results = incremental["after_failure"] / "results"
    result = pd.read_csv(results / "430500" / "2022" / "energy.csv", dtype={"region": str})
    diesel = result.query("item == 'diesel' and gas == 'CO2'")["activity_value"].sum()
    assert diesel == pytest.approx(59000.0)  # 5.9 万吨
    manifest = json.loads((incremental["after_failure"] / ".state" / "manifest.json").read_text())
    assert "energy/430523/2022" not in manifest, "a failed task is redone next time"
    assert "energy/430500/2022" in manifest


def test_next_run_after_a_fix_redoes_only_what_failed(incremental):
    recovered = incremental["recovered"]
    assert recovered.returncode == 0, recovered.stderr
    # energy/430523/2022, the summary and the city's two documents (its 2022 diesel changed meanwhile); the county's
    # documents are reused: everything they read is back as it was
    assert summary_counts(recovered.stdout) == (4, 5)
    after = incremental["recovered_tree"]
    assert not any(path.startswith("failed/") for path in after), "the kept failure is cleared"
    emissions = pd.read_csv(incremental["out"] / "emissions.csv", dtype={"region": str})
    diesel = emissions.query("region == '430500' and year == 2022 and item == 'diesel' and gas == 'CO2'")
    changed = pd.read_csv(incremental["out"] / "results" / "430500" / "2022" / "energy.csv", dtype={"region": str})
    assert diesel["emissions_t"].sum() == pytest.approx(
        changed.query("item == 'diesel' and gas == 'CO2'")["emissions_t"].sum(), rel=1e-9)
    # the restored factor gives back the numbers of the run before the failure
    before = incremental["changed_tree"]
    assert after["results/430523/2022/energy.csv"] == before["results/430523/2022/energy.csv"]


def test_summary_report_has_no_code(incremental):
    page = (incremental["out"] / "reports" / "430500" / "all" / "summary.html").read_text(encoding="utf-8")
    cells = _code_cells_of_html(page)
    assert cells and not any("jp-InputArea" in cell for cell in cells)
    assert "summarise(" not in page
    assert "data:image/png;base64," in page, "the trend chart is embedded"


def test_failing_run_index_marks_the_failure(incremental):
    index = (incremental["after_failure"] / "reports" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'class="failed"[^>]*href="430523/2022/energy.html"', index)



def test_failed_folder_keeps_no_empty_folders(incremental):
    """Issue 10: the kept failed notebook is removed once its task succeeds, and so are the folders
    of ``failed/`` it leaves empty (``failed/`` itself when nothing else failed)."""
    assert (incremental["after_failure"] / "failed" / "430523" / "2022" / "energy.ipynb").is_file()
    assert not (incremental["out"] / "failed").exists()


def test_the_aggregates_are_links_into_one_generation(incremental):
    """Issue 10: emissions.csv, emissions_provenance.csv and inventory.nc are read through links into
    the current generation, whose record holds their SHA-256; older generations are gone."""
    import hashlib
    import os

    out = incremental["out"]
    generations = list((out / ".state" / "generations").iterdir())
    assert len(generations) == 1
    record = json.loads((generations[0] / "generation.json").read_text(encoding="utf-8"))
    for name in ("emissions.csv", "emissions_provenance.csv", "inventory.nc"):
        assert (out / name).is_symlink() and os.readlink(out / name) == f".state/current/{name}"
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == record["sha256"][name]
    assert record["rows"] == len(pd.read_csv(out / "emissions.csv"))
