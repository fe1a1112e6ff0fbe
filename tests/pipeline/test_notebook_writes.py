"""Issue 9, notebooks however they are run: what the results cell writes, and where it refuses to.

An executed notebook of a run carries ``results_path`` / ``tables_path`` inside that run's staging
folder (``<out>/.state/staging-<pid>/``), removed when the run ended: run again in JupyterLab, it
must not write there (nor re-create the folder). Outside a run the ``out_dir`` parameter says where
the published inventory is, and the notebook compares its results with it.
"""

from __future__ import annotations

import os
import subprocess
import sys

import nbformat
import pytest
from pipeline_data import ROOT, write_data

from inventory.pipeline.run import NOTEBOOKS, RunOptions, run
from inventory.sectors.compilation import compare_published, finished_run_staging, flags_path


@pytest.fixture(scope="module")
def energy(tmp_path_factory):
    from inventory.sectors.energy.compilation import compile_energy

    data = write_data(tmp_path_factory.mktemp("writes") / "data")
    return compile_energy("430523", 2021, str(data))


def _shown(notebook) -> str:
    """What a notebook's outputs say: printed text, Markdown and HTML (headers are HTML fragments)."""
    return "\n".join(str(o.get("text", "")) + "".join(str(o.get("data", {}).get(kind, ""))
                                                    for kind in ("text/markdown", "text/html"))
                     for c in notebook.cells for o in c.get("outputs", []))


def test_a_path_in_a_removed_staging_folder_is_recognised(tmp_path):
    gone = tmp_path / "out" / ".state" / "staging-4242"
    path = gone / "results" / "430523" / "2021" / "energy.csv"
    assert finished_run_staging(path) == gone
    gone.mkdir(parents=True)
    assert finished_run_staging(path) is None, "a run under way: its staging folder is there"
    assert finished_run_staging(tmp_path / "results" / "energy.csv") is None
    assert finished_run_staging(tmp_path / "staging-1" / "energy.csv") is None, "only <out>/.state/staging-<pid>"


def test_results_and_tables_are_not_written_into_a_finished_runs_staging(tmp_path, energy, capsys):
    from inventory.sectors.energy.compilation import write_tables

    staging = tmp_path / "out" / ".state" / "staging-4242"
    results = staging / "results" / "430523" / "2021" / "energy.csv"
    tables = staging / "reports" / "430523" / "2021" / "energy.xlsx"
    assert energy.write_results(results) is None
    assert write_tables(energy, tables) is None
    printed = capsys.readouterr().out
    assert printed.count("not written") == 2 and "staging folder of a finished inventory run" in printed
    assert "未写" in printed and str(results) in printed and str(tables) in printed
    assert not staging.exists(), "the removed staging folder is not made again"
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.csv"))


def test_results_are_written_anywhere_else(tmp_path, energy):
    from inventory.sectors.energy.compilation import write_tables

    staging = tmp_path / "out" / ".state" / "staging-4242"
    staging.mkdir(parents=True)  # the run is under way
    results = staging / "results" / "430523" / "2021" / "energy.csv"
    assert energy.write_results(results) == results and flags_path(results).is_file()
    assert write_tables(energy, tmp_path / "mine.xlsx") == tmp_path / "mine.xlsx"


def test_out_dir_outside_a_run_compares_with_the_published_results(tmp_path, energy):
    out = tmp_path / "out"
    assert "no published results" in compare_published(energy, out)
    published = out / "results" / "430523" / "2021" / "energy.csv"
    energy.write_results(published)
    assert "the same as the published results" in compare_published(energy, out)
    lines = published.read_text(encoding="utf-8").splitlines()
    header, first = lines[0].split(","), lines[1].split(",")
    column = header.index("emissions_t")
    first[column] = str(float(first[column]) * 2)
    published.write_text("\n".join([lines[0], ",".join(first), *lines[2:]]) + "\n", encoding="utf-8")
    assert "1 row(s) differ from the published results" in compare_published(energy, out)


@pytest.mark.slow
def test_papermill_command_line_with_int_region(tmp_path):
    """``papermill notebooks/energy.ipynb out.ipynb -p region 430523 -p year 2021 -p data_dir <data>``
    (papermill passes 430523 as an int), from another folder; the parameters cell parses cleanly."""
    data = write_data(tmp_path / "data")
    target = tmp_path / "out.ipynb"
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    papermill = [sys.executable, "-m", "papermill"]
    done = subprocess.run([*papermill, str(NOTEBOOKS / "energy.ipynb"), str(target), "-p", "region", "430523",
                           "-p", "year", "2021", "-p", "data_dir", str(data), "--no-progress-bar"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Unable to parse" not in done.stderr, done.stderr
    notebook = nbformat.read(str(target), as_version=4)
    injected = next(c for c in notebook.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert "region = 430523\n" in injected.source, "papermill injects the int"
    text = _shown(notebook)
    assert not any(o.get("output_type") == "error" for c in notebook.cells for o in c.get("outputs", []))
    assert "邵阳县（430523）· 2021 年" in text
    assert "未写结果文件" in text and "no published results" in text  # out_dir ../outputs of tmp_path: none
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "out.ipynb"], "nothing else written"
    listed = subprocess.run([*papermill, "--help-notebook", str(NOTEBOOKS / "energy.ipynb")], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120)
    assert listed.returncode == 0 and "out_dir" in listed.stdout and "Unable to parse" not in listed.stderr


@pytest.mark.slow
def test_an_executed_notebook_run_again_writes_nothing_into_the_finished_run(tmp_path):
    """The executed notebook of a run, reopened and run again as JupyterLab does (its injected
    parameters kept): no staging folder is made again; it says why and compares with what the run
    published."""
    from nbclient import NotebookClient

    data = write_data(tmp_path / "data")
    out = tmp_path / "out"
    summary = run(RunOptions(data_dir=data, out_dir=out, regions=["430523"], years=[2021], jobs=1, progress=False))
    assert summary.ok, summary.failed
    assert (out / "results/430523/2021/energy.flags.csv").is_file()
    notebook = nbformat.read(str(out / "notebooks/430523/2021/energy.ipynb"), as_version=4)
    NotebookClient(notebook, kernel_name="python3", timeout=300,
                   resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    text = _shown(notebook)
    assert not list((out / ".state").glob("staging-*")), "the finished run's staging folder stays gone"
    assert text.count("staging folder of a finished inventory run") == 2, text[-2000:]  # results and tables
    assert "the same as the published results" in text
    summary_notebook = nbformat.read(str(out / "notebooks/430523/all/summary.ipynb"), as_version=4)
    NotebookClient(summary_notebook, kernel_name="python3", timeout=300,
                   resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    assert not list((out / ".state").glob("staging-*"))
    assert any("staging folder of a finished inventory run" in str(o.get("text", ""))
               for c in summary_notebook.cells for o in c.get("outputs", []))
