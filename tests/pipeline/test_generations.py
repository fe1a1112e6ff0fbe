"""Issue 10, the whole published set as one generation (brief H9).

``notebooks/``, ``reports/`` (the index included), ``results/``, ``failed/`` and the aggregates of an
output folder switch together: a run builds its generation beside the published one and switches
one pointer. Checked here:

* a run SIGKILLed while it executes tasks or at each step of publishing leaves every file a reader
  sees (through the contract paths) of ONE generation — the earlier set before the switch, the new
  one from it on — and the next run completes, reusing the tasks the killed run had finished;
* a reader holding a report open across a switch reads the whole earlier file;
* an output folder of an earlier layout (plain folders and files) is adopted without loss, also when
  the adoption is killed between its steps;
* a run that executes nothing and changes nothing makes no generation; a subset run keeps the
  reports of the other regions reachable.

Runs and kills need real processes: those tests are ``slow``.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from pipeline_data import ROOT, run_cli, set_value, summary_counts, tree_digest, write_data
from test_crash_safety import _emissions

from inventory.pipeline.publish import (
    AGGREGATES,
    PUBLISHED,
    Generation,
    adopt_earlier_layout,
    current_generation,
    load_manifest,
    publish_aggregates,
    published_record,
)


def published(out: Path) -> dict[str, str]:
    """relative path → SHA-256 of every file a reader sees through the contract paths (not ``.state``)."""
    return {path: digest for path, digest in tree_digest(out).items() if not path.startswith(".state/")}


def _generations(out: Path) -> list[str]:
    return sorted(p.name for p in (out / ".state" / "generations").iterdir())


def _of_the_current_generation(out: Path) -> None:
    """Every contract path leads into the current generation, and its aggregates are the recorded ones."""
    current = current_generation(out)
    assert current is not None
    for name in PUBLISHED:
        assert (out / name).is_symlink() and os.readlink(out / name) == os.path.join(".state", "current", name)
    for path in published(out):
        assert (out / path).resolve().is_relative_to(current), path
    record = json.loads((current / "generation.json").read_text(encoding="utf-8"))
    assert record["id"] == current.name
    if (out / "emissions.csv").exists():
        assert published_record(out) is not None, "the aggregates are the ones recorded for the generation"


# ----------------------------------------------------------------------------------------------
# the generation, without kernels


def _publish_files(out: Path, files: dict[str, str]) -> Path:
    """A generation holding ``files`` (relative path → text), published (as a run publishes one)."""
    build = Generation(out)
    for relative, text in files.items():
        (build.folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (build.folder / relative).write_text(text, encoding="utf-8")
    build.fill()
    build.publish(build.keep_aggregates())
    return build.folder


def test_a_reader_holding_a_report_open_across_a_switch_reads_the_whole_earlier_file(tmp_path):
    out = tmp_path / "out"
    old_text = "<html>" + "旧报告 old report " * 20000 + "</html>"  # several blocks: read in parts
    first = _publish_files(out, {"reports/430523/2022/energy.html": old_text})
    with open(out / "reports" / "430523" / "2022" / "energy.html", encoding="utf-8") as reader:
        start = reader.read(100)
        second = _publish_files(out, {"reports/430523/2022/energy.html": "<html>new</html>"})
        assert not first.exists(), "the earlier generation was removed after the switch"
        rest = reader.read()
    assert start + rest == old_text, "the whole earlier file, not a mix"
    assert current_generation(out) == second
    assert (out / "reports" / "430523" / "2022" / "energy.html").read_text(encoding="utf-8") == "<html>new</html>"


def test_a_new_generation_keeps_the_files_it_does_not_replace_as_hard_links(tmp_path):
    out = tmp_path / "out"
    first = _publish_files(out, {"reports/430523/2022/energy.html": "a", "reports/index.html": "index 1"})
    inode = (first / "reports" / "430523" / "2022" / "energy.html").stat().st_ino
    _publish_files(out, {"reports/430524/2022/energy.html": "b", "reports/index.html": "index 2"})
    kept = out / "reports" / "430523" / "2022" / "energy.html"
    assert kept.read_text(encoding="utf-8") == "a" and kept.stat().st_ino == inode, "a hard link, not a copy"
    assert (out / "reports" / "index.html").read_text(encoding="utf-8") == "index 2"
    _of_the_current_generation(out)


def test_a_manifest_entry_names_the_generation_holding_its_files_while_it_exists(tmp_path):
    out = tmp_path / "out"
    published_folder = _publish_files(out, {"reports/index.html": "1"})
    unfinished = Generation(out).folder  # as a killed run leaves it
    build = Generation(out)
    assert build.source(unfinished.name) == unfinished
    assert build.source(None) == published_folder
    assert build.source("../../elsewhere") == published_folder, "a name that is a path is not followed"
    shutil.rmtree(unfinished)
    assert build.source(unfinished.name) == published_folder, "removed after a switch: its files were adopted"


def _earlier_layout(out: Path) -> dict[str, str]:
    """An output folder as an earlier version left it: plain folders and plain aggregate files."""
    files = {"notebooks/430523/2022/energy.ipynb": "{}", "reports/index.html": "<html>index</html>",
             "reports/430523/2022/energy.html": "<html>r</html>", "results/430523/2022/energy.csv": "a,b\n1,2\n",
             "failed/430524/2022/energy.ipynb": "{}", "emissions.csv": "region\n430523\n",
             "emissions_provenance.csv": "region\n430523\n", "inventory.nc": "not a real cube"}
    for relative, text in files.items():
        (out / relative).parent.mkdir(parents=True, exist_ok=True)
        (out / relative).write_text(text, encoding="utf-8")
    return published(out)


def test_an_output_folder_of_the_earlier_layout_is_adopted_without_loss(tmp_path):
    out = tmp_path / "out"
    before = _earlier_layout(out)
    adopt_earlier_layout(out)
    assert published(out) == before, "every file, the same bytes"
    _of_the_current_generation(out)
    assert not list((out / ".state").glob("trash-*")), "the plain folders moved aside are removed"
    assert len(_generations(out)) == 1
    adopt_earlier_layout(out)  # nothing plain left: nothing to do
    assert published(out) == before and len(_generations(out)) == 1


def test_the_layout_with_linked_aggregates_and_plain_folders_keeps_its_aggregates_record(tmp_path):
    """The layout of the version before this one: aggregates already a generation, task folders plain."""
    out = tmp_path / "out"
    _earlier_layout(out)
    for name in AGGREGATES:
        (out / name).unlink()
    publish_aggregates(out, _emissions(1.0), "AR5", attrs={}, key="run-key")
    # publish_aggregates adopted the plain folders too; make them plain again, as the earlier version had them
    for name in ("notebooks", "reports", "results", "failed"):
        target = out / name
        resolved = target.resolve()
        target.unlink()
        shutil.copytree(resolved, target)
    before = published(out)
    adopt_earlier_layout(out)
    assert published(out) == before
    assert published_record(out, "run-key") is not None, "the aggregates need not be written again"


def _adopt_in_subprocess(out: Path, fault: str) -> int:
    script = textwrap.dedent(f"""
        from pathlib import Path
        from inventory.pipeline.publish import adopt_earlier_layout
        adopt_earlier_layout(Path({str(out)!r}))
    """)
    env = dict(os.environ, PYTHONPATH=str(ROOT), INVENTORY_FAULT=fault)
    return subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True,
                          timeout=120).returncode


@pytest.mark.slow
@pytest.mark.parametrize("fault", ["publish:before-switch", "publish:switched", "publish:linked:1",
                                   "publish:linked:4", "publish:linked:7"])
def test_an_adoption_killed_at_any_step_shows_the_earlier_set_and_the_next_completes(tmp_path, fault):
    out = tmp_path / "out"
    before = _earlier_layout(out)
    assert _adopt_in_subprocess(out, fault) == -signal.SIGKILL
    assert published(out) == before, "every file a reader sees, as it was"
    assert _adopt_in_subprocess(out, "none") == 0
    assert published(out) == before
    _of_the_current_generation(out)
    assert len(_generations(out)) == 1 and not list((out / ".state").glob("trash-*"))


# ----------------------------------------------------------------------------------------------
# runs killed while executing and at each step of publishing

ARGS = ("--regions", "430523,430524", "--years", "2021-2022", "--jobs", "1", "--quiet")


@pytest.fixture(scope="module")
def first_set(tmp_path_factory):
    """A complete run (4 energy notebooks, 2 summaries) and the set a reader sees after it."""
    root = tmp_path_factory.mktemp("generations")
    data, out = write_data(root / "data"), root / "out"
    done = run_cli("run", "--data", str(data), "--out", str(out), *ARGS)
    assert done.returncode == 0, done.stderr
    return {"data": data, "out": out, "set": published(out)}


@pytest.fixture(scope="module")
def changed_fresh(first_set, tmp_path_factory) -> bytes:
    """``emissions.csv`` of a fresh run on the data with 430523's 2022 coal changed (as the tests change it)."""
    root = tmp_path_factory.mktemp("fresh")
    data = shutil.copytree(first_set["data"], root / "data")
    set_value(data, "430523", 2022, "raw_coal", "13")
    done = run_cli("run", "--data", str(data), "--out", str(root / "out"), *ARGS)
    assert done.returncode == 0, done.stderr
    return (root / "out" / "emissions.csv").read_bytes()


def _copy(first_set: dict, tmp_path: Path) -> tuple[Path, Path]:
    data, out = tmp_path / "data", tmp_path / "out"
    shutil.copytree(first_set["data"], data)
    shutil.copytree(first_set["out"], out, symlinks=True)
    return data, out


def _notebook(task: str) -> Path:
    """``notebooks/<region>/<year>/<name>.ipynb`` of a task id ``<name>/<region>/<year>``."""
    name, region, year = task.split("/")
    return Path("notebooks") / region / year / f"{name}.ipynb"


#: the tasks whose key changes with 430523's 2022 coal
CHANGED = {"energy/430523/2022", "summary/430523/all", "inventory/430523/2021", "inventory/430523/2022"}


#: (fault, whether the run was killed after its switch); the run executes 10 tasks (--force)
FAULTS = [("task:recorded:1", False), ("task:recorded:5", False), ("publish:index", False),
          ("publish:written:1", False), ("publish:written:3", False), ("publish:before-switch", False),
          ("publish:switched", True), ("publish:removed-old", True)]


@pytest.mark.slow
@pytest.mark.parametrize("fault, switched", FAULTS, ids=[f for f, _ in FAULTS])
def test_a_run_killed_at_any_step_leaves_one_generation_and_the_next_run_completes(first_set, changed_fresh,
                                                                                  tmp_path, fault, switched):
    data, out = _copy(first_set, tmp_path)
    before = published(out)
    assert before == first_set["set"]
    set_value(data, "430523", 2022, "raw_coal", "13")  # the new set differs from the earlier one
    env = dict(os.environ, PYTHONUNBUFFERED="1", INVENTORY_FAULT=fault)
    killed = subprocess.run([sys.executable, "-m", "inventory", "run", "--data", str(data), "--out", str(out),
                             *ARGS, "--force"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    seen = published(out)
    _of_the_current_generation(out)
    if not switched:
        assert seen == before, "killed before its switch: the earlier set, every file of it"
    else:
        assert seen != before and seen["emissions.csv"] != before["emissions.csv"], "the new set"
        assert set(seen) >= set(before), "every file of the earlier set has its counterpart in the new one"
    # the tasks the killed run finished, recorded (journal, or manifest.json folded after a stage)
    # with the generation holding their files
    finished = {task: entry for task, entry in load_manifest(out).items() if entry.get("generation")}
    notebooks = {task: (out / ".state" / "generations" / entry["generation"] / _notebook(task)).read_bytes()
                 for task, entry in finished.items()}
    done = run_cli("run", "--data", str(data), "--out", str(out), *ARGS)
    assert done.returncode == 0, done.stderr
    executed, reused = summary_counts(done.stdout)
    if switched:
        assert (executed, reused) == (0, 10), "the killed run had published everything"
        assert published(out) == seen, "nothing changed: the same set, no new generation"
    else:
        # the changed record re-executes its county-year and the county's summary, unless the killed
        # run finished them: those are adopted from its generation, not executed again
        assert executed == len(CHANGED - set(finished)) and executed + reused == 10
        for task, notebook in notebooks.items():
            assert (out / _notebook(task)).read_bytes() == notebook, task
    assert not (out / ".state" / "manifest.journal").exists()
    assert _generations(out) == [current_generation(out).name], "unfinished generations removed once adopted"
    _of_the_current_generation(out)
    assert (out / "emissions.csv").read_bytes() == changed_fresh, "what a fresh run gives"


@pytest.mark.slow
def test_a_run_that_changes_nothing_makes_no_generation_and_a_subset_run_keeps_other_reports(first_set, tmp_path):
    data, out = _copy(first_set, tmp_path)
    generation = current_generation(out).name
    # the same data folder (the index names it): nothing changes
    again = run_cli("run", "--data", str(first_set["data"]), "--out", str(out), *ARGS)
    assert again.returncode == 0, again.stderr
    assert summary_counts(again.stdout) == (0, 10)
    assert current_generation(out).name == generation and _generations(out) == [generation]
    assert published(out) == first_set["set"]
    # a subset run: its own aggregates and index; the other county's reports stay reachable
    set_value(data, "430523", 2022, "raw_coal", "13")
    subset = run_cli("run", "--data", str(data), "--out", str(out), "--regions", "430523", "--years", "2022",
                     "--jobs", "1", "--quiet")
    assert subset.returncode == 0, subset.stderr
    assert current_generation(out).name != generation
    seen = published(out)
    for path, digest in first_set["set"].items():
        if "/430524/" in path:
            assert seen[path] == digest, f"{path} of the region outside the run, kept"
    assert "430524" not in (out / "reports" / "index.html").read_text(encoding="utf-8")
    _of_the_current_generation(out)
