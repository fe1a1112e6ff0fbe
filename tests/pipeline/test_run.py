"""The pipeline's Python API: planning, content keys, reuse, and warm-kernel execution.

Planning tests only hash (no notebook runs). The execution tests run the real notebooks twice on
the same small data — once in one process, once in two warm workers — and once more in a cold
kernel, and compare the results byte for byte.
"""

from __future__ import annotations

import fcntl
import json
from pathlib import Path

import nbformat
import pytest
from pipeline_data import set_value, write_data, write_local_factors

from inventory import sectors
from inventory.core.activity import read_activity
from inventory.core.factors import load_factors
from inventory.core.regions import load_regions
from inventory.pipeline.run import (
    SUMMARY,
    OutputLocked,
    RunOptions,
    Task,
    _is_current,
    _outputs_of,
    execute_task,
    notebook_code_hash,
    notebook_path,
    plan,
    run,
)


def _plan(data: Path, out: Path, **selection) -> dict[str, Task]:
    options = RunOptions(data_dir=data, out_dir=out, progress=False, **selection)
    tasks = plan(options, read_activity(data), load_factors(data), load_regions(data))
    ids = [t.id for t in tasks]
    assert len(ids) == len(set(ids)), "task ids are unique"
    return {t.id: t for t in tasks}


def _keys(data: Path, out: Path, **selection) -> dict[str, str]:
    return {task_id: task.key for task_id, task in _plan(data, out, **selection).items()}


# ----------------------------------------------------------------------------------------------
# planning


def test_plan_one_task_per_region_year_with_data_and_a_summary(tmp_path):
    data = write_data(tmp_path / "data")
    tasks = _plan(data, tmp_path / "out")
    energy = {(t.region, t.year) for t in tasks.values() if t.name == "energy"}
    assert energy == {(r, y) for r in ("430500", "430523", "430524") for y in (2021, 2022)}
    summaries = [t for t in tasks.values() if t.name == SUMMARY]
    # the counties' parent is selected: one summary, for the city, over every energy task
    assert [t.region for t in summaries] == ["430500"]
    assert summaries[0].year is None
    assert set(summaries[0].depends_on) == {t.id for t in tasks.values() if t.name == "energy"}
    assert summaries[0].parameters["years"] == "2021,2022"
    # the parameters CONTRACTS §5 promises, with absolute folders
    task = tasks["energy/430523/2021"]
    assert task.parameters["region"] == "430523" and task.parameters["year"] == 2021
    assert task.parameters["data_dir"] == str(data.resolve())
    assert task.parameters["out_dir"] == str((tmp_path / "out").resolve())
    assert len({t.key for t in tasks.values()}) == len(tasks), "keys differ between tasks"


def test_plan_selection(tmp_path):
    data = write_data(tmp_path / "data")
    tasks = _plan(data, tmp_path / "out", regions=["430523", "430524"], years=[2022])
    assert sorted(tasks) == ["energy/430523/2022", "energy/430524/2022", "inventory/430523/2022",
                             "inventory/430524/2022", "summary/430523/all", "summary/430524/all"]
    assert tasks["summary/430523/all"].depends_on == ["energy/430523/2022"]


def test_plan_skips_region_years_without_data(tmp_path):
    from pipeline_data import RECORDS

    records = [r for r in RECORDS if not (r[0] == "430524" and r[1] == 2022)]
    data = write_data(tmp_path / "data", records=records)
    tasks = _plan(data, tmp_path / "out")
    assert "energy/430524/2021" in tasks
    assert "energy/430524/2022" not in tasks


def test_plan_is_deterministic(tmp_path):
    data = write_data(tmp_path / "data")
    assert _keys(data, tmp_path / "out") == _keys(data, tmp_path / "out")


def _documents(*regions: str) -> set[str]:
    """The inventory documents of ``regions`` in both years of the test data: a document shows its
    region's whole time series and its members, so any change below it in any year re-executes it."""
    return {f"inventory/{region}/{year}" for region in regions for year in (2021, 2022)}


def _changed(before: dict[str, str], after: dict[str, str]) -> set[str]:
    assert before.keys() == after.keys()
    return {task_id for task_id in before if before[task_id] != after[task_id]}


def test_key_changes_with_a_record_of_its_region_year_only(tmp_path):
    data = write_data(tmp_path / "data")
    out = tmp_path / "out"
    before = _keys(data, out)
    set_value(data, "430524", 2022, "diesel", "0.65")
    after = _keys(data, out)
    # the region-year itself and the summary above it; not the same region's 2021, not other regions
    assert _changed(before, after) == {"energy/430524/2022", "summary/430500/all"} | _documents("430524", "430500")


def test_key_of_the_following_year_changes_too(tmp_path):
    """The year-on-year check reads the year before: a 2021 change reruns 2022 as well."""
    data = write_data(tmp_path / "data")
    out = tmp_path / "out"
    before = _keys(data, out)
    set_value(data, "430523", 2021, "natural_gas", "201")
    assert _changed(before, _keys(data, out)) == {"energy/430523/2021", "energy/430523/2022",
                                                  "summary/430500/all"} | _documents("430523", "430500")


def test_key_of_a_region_does_not_change_with_another_regions_record(tmp_path):
    data = write_data(tmp_path / "data")
    out = tmp_path / "out"
    before = _keys(data, out, regions=["430523"])
    set_value(data, "430524", 2021, "raw_coal", "9.25")
    set_value(data, "430500", 2021, "raw_coal", "130")
    assert _keys(data, out, regions=["430523"]) == before


def test_key_changes_with_a_local_factor_that_applies(tmp_path):
    data = write_data(tmp_path / "data")
    out = tmp_path / "out"
    before = _keys(data, out)
    write_local_factors(data, ["ncv,*,raw_coal,,21.5,GJ/t,430523,2022,,county coal survey (test)"])
    assert _changed(before, after := _keys(data, out)) == {"energy/430523/2022", "summary/430500/all"} | _documents(
        "430523", "430500")
    # a row of the parent region applies to every county below it
    write_local_factors(data, ["ncv,*,raw_coal,,21.5,GJ/t,430523,2022,,county coal survey (test)",
                               "ncv,*,raw_coal,,20.5,GJ/t,430500,,,city coal survey (test)"])
    assert _changed(after, _keys(data, out)) == set(after)


def test_key_changes_with_the_output_selection_parameters(tmp_path):
    data = write_data(tmp_path / "data")
    before = _keys(data, tmp_path / "out")
    assert _keys(data, tmp_path / "out", gwp="AR6") != before
    assert set(_keys(data, tmp_path / "out", gwp="AR6").values()).isdisjoint(before.values())


def test_notebook_code_hash_ignores_outputs_and_metadata(tmp_path):
    source = notebook_path("energy")
    notebook = nbformat.read(str(source), as_version=4)
    original = notebook_code_hash(source)
    for count, cell in enumerate(c for c in notebook.cells if c.cell_type == "code"):
        cell.execution_count = count + 1
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=f"output {count}\n")]
        cell.metadata["collapsed"] = True
    notebook.metadata["papermill"] = {"duration": 1.0}
    executed = tmp_path / "executed.ipynb"
    nbformat.write(notebook, str(executed))
    assert notebook_code_hash(executed) == original

    code = next(c for c in notebook.cells if c.cell_type == "code" and "compile_energy(" in c.source)
    code.source = code.source.replace("compile_energy(", "compile_energy( ")
    nbformat.write(notebook, str(tmp_path / "code.ipynb"))
    assert notebook_code_hash(tmp_path / "code.ipynb") != original


def test_notebook_code_hash_follows_the_narrative(tmp_path):
    """Reports show the markdown: a corrected sentence must reach them, so it counts."""
    notebook = nbformat.read(str(notebook_path("energy")), as_version=4)
    markdown = next(c for c in notebook.cells if c.cell_type == "markdown")
    markdown.source += "\n\nA corrected sentence."
    nbformat.write(notebook, str(tmp_path / "narrative.ipynb"))
    assert notebook_code_hash(tmp_path / "narrative.ipynb") != notebook_code_hash(notebook_path("energy"))


# ----------------------------------------------------------------------------------------------
# reuse


def _task(key: str = "k1") -> Task:
    """An energy task as the plan makes it: its extra outputs come from the sector's declaration."""
    return Task("energy", "430523", 2021, {"region": "430523", "year": 2021}, key,
                outputs=dict(sectors.get("energy").extra_outputs))


def _touch_outputs(task: Task, out: Path) -> None:
    for relative in _outputs_of(task):
        (out / relative).parent.mkdir(parents=True, exist_ok=True)
        (out / relative).write_text("x")


def test_is_current(tmp_path):
    task = _task()
    manifest = {task.id: {"key": "k1"}}
    assert not _is_current(task, manifest, tmp_path), "no outputs yet"
    _touch_outputs(task, tmp_path)
    assert _is_current(task, manifest, tmp_path)
    assert not _is_current(task, {}, tmp_path), "not in the manifest"
    assert not _is_current(_task("k2"), manifest, tmp_path), "the key changed"
    assert not _is_current(task, {task.id: {}}, tmp_path), "an entry without a key"
    for relative in _outputs_of(task):
        (tmp_path / relative).unlink()
        assert not _is_current(task, manifest, tmp_path), f"{relative} missing"
        (tmp_path / relative).write_text("x")


def test_outputs_of_a_task(tmp_path):
    assert [p.as_posix() for p in _outputs_of(_task())] == [
        "notebooks/430523/2021/energy.ipynb", "reports/430523/2021/energy.html", "results/430523/2021/energy.csv",
        "results/430523/2021/energy.flags.csv",  # the QA flags, beside the results
        "reports/430523/2021/energy.xlsx"]  # the report's tables, beside it
    summary = Task("summary", "430500", None, {"region": "430500"}, "k")
    assert [p.as_posix() for p in _outputs_of(summary)] == [
        "notebooks/430500/all/summary.ipynb", "reports/430500/all/summary.html", "results/430500/all/summary.csv"]


def test_run_refuses_a_locked_out_folder(tmp_path):
    data = write_data(tmp_path / "data")
    out = tmp_path / "out"
    (out / ".state").mkdir(parents=True)
    with open(out / ".state" / "lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(OutputLocked, match="another inventory run"):
            run(RunOptions(data_dir=data, out_dir=out, regions=["430523"], years=[2021], progress=False))
    assert sorted(p.name for p in out.rglob("*")) == [".state", "lock"]


# ----------------------------------------------------------------------------------------------
# execution: one process or two warm workers, or a cold kernel — the same results


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    base = tmp_path_factory.mktemp("jobs")
    data = write_data(base / "data")
    selection = {"regions": ["430500", "430523"], "years": [2021]}
    summaries = {}
    for jobs in (1, 2):
        summaries[jobs] = run(RunOptions(data_dir=data, out_dir=base / f"out-{jobs}", jobs=jobs, progress=False,
                                         **selection))
    return {"data": data, "base": base, "summaries": summaries}


def test_run_api_summary(two_runs):
    for jobs, summary in two_runs["summaries"].items():
        assert summary.ok, summary.failed
        assert (summary.executed, summary.reused) == (5, 0), jobs  # 2 energy + the city's summary + 2 documents
        assert summary.rows > 0
        assert f"executed {summary.executed}, reused {summary.reused}" in summary.line()


def test_warm_workers_give_identical_results(two_runs):
    one, two = two_runs["base"] / "out-1", two_runs["base"] / "out-2"
    assert (one / "emissions.csv").read_bytes() == (two / "emissions.csv").read_bytes()
    assert (one / "emissions_provenance.csv").read_bytes() == (two / "emissions_provenance.csv").read_bytes()
    for path in sorted((one / "results").rglob("*.csv")):
        relative = path.relative_to(one)
        assert path.read_bytes() == (two / relative).read_bytes(), relative


def test_cold_kernel_gives_identical_results(two_runs, tmp_path):
    """A notebook run on its own in a fresh kernel (no reset cell) computes the same numbers."""
    out = two_runs["base"] / "out-1"
    tasks = _plan(two_runs["data"], out, regions=["430500", "430523"], years=[2021])
    staging = tmp_path / "staging"
    outcome = execute_task(tasks["energy/430523/2021"], str(staging), warm=False)
    assert outcome.ok, outcome.error
    relative = Path("results/430523/2021/energy.csv")
    assert (staging / relative).read_bytes() == (out / relative).read_bytes()
    executed = nbformat.read(str(staging / "notebooks/430523/2021/energy.ipynb"), as_version=4)
    assert not any("workbench-reset" in c.metadata.get("tags", []) for c in executed.cells)
    warm = nbformat.read(str(out / "notebooks/430523/2021/energy.ipynb"), as_version=4)
    assert "workbench-reset" in warm.cells[0].metadata.get("tags", [])


def test_second_run_reuses_and_manifest_records_keys(two_runs):
    out = two_runs["base"] / "out-1"
    before = (out / "emissions.csv").read_bytes()
    written = {name: (out / name).stat().st_mtime_ns for name in ("emissions.csv", "inventory.nc")}
    summary = run(RunOptions(data_dir=two_runs["data"], out_dir=out, regions=["430500", "430523"], years=[2021],
                             jobs=1, progress=False))
    assert (summary.executed, summary.reused) == (0, 5)
    assert (out / "emissions.csv").read_bytes() == before
    # nothing changed: the aggregates are what the run would write, so they are not written again
    assert {name: (out / name).stat().st_mtime_ns for name in written} == written
    assert summary.rows == len(before.decode().splitlines()) - 1
    manifest = json.loads((out / ".state" / "manifest.json").read_text())
    tasks = _plan(two_runs["data"], out, regions=["430500", "430523"], years=[2021])
    assert {task_id: entry["key"] for task_id, entry in manifest.items()} == {i: t.key for i, t in tasks.items()}
    assert not list((out / ".state").glob("staging-*")), "the staging folder is removed"


def test_missing_output_is_redone(two_runs):
    """A deleted report (or a run killed before renaming it) makes its task run again, and only it."""
    out = two_runs["base"] / "out-2"
    before = (out / "emissions.csv").read_bytes()
    (out / "reports/430523/2021/energy.html").unlink()
    summary = run(RunOptions(data_dir=two_runs["data"], out_dir=out, regions=["430500", "430523"],
                             years=[2021], jobs=1, progress=False))
    assert summary.ok, summary.failed
    assert (summary.executed, summary.reused) == (1, 4)
    assert (out / "reports/430523/2021/energy.html").is_file()
    assert (out / "emissions.csv").read_bytes() == before


def test_failing_line_is_the_line_ipython_names():
    from inventory.pipeline.run import _failing_line

    source = "import os\nx = 1\n\ny = f(x)\n"
    traceback = ["\x1b[31m----\x1b[39m", "\x1b[36mCell\x1b[39m\x1b[36m \x1b[39m\x1b[32mIn[4]\x1b[39m\x1b[32m, line 4"
                 "\x1b[39m\n----> 4 y = f(x)\n", "\x1b[31mValueError\x1b[39m: boom"]
    assert _failing_line(source, traceback) == "cell line 4: y = f(x)"
    assert _failing_line(source, ["ValueError: boom"]) == "cell: import os"  # no line named: the first one
    assert _failing_line(source, ["Cell In[1], line 99"]) == "cell: import os"  # not a line of this cell
