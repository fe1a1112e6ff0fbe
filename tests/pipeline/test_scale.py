"""Crash safety, scale-out and the vectorised path (issue: fast, incremental, crash-safe pipeline).

Real processes only: a run killed with SIGKILL, a dask.distributed LocalCluster, the CLI.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from pipeline_data import ROOT, run_cli, set_value, summary_counts, tree_digest, write_data

from inventory.pipeline.run import RunOptions, run


def published(out: Path) -> dict[str, str]:
    """The files a reader sees (the .state folder is the pipeline's own)."""
    return {path: digest for path, digest in tree_digest(out).items() if not path.startswith(".state/")}


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("scale")
    data = write_data(root / "data")
    out = root / "out"
    done = run_cli("run", "--data", str(data), "--out", str(out), "--jobs", "2", "--quiet")
    assert done.returncode == 0, done.stderr
    return {"root": root, "data": data, "out": out, "before": published(out)}


def _wait_until_executing(out: Path, process: subprocess.Popen, timeout: float = 60.0) -> None:
    """Until the run has promoted its first notebook into the generation it builds (its workers and
    kernels are up and busy)."""
    def promoted() -> set[Path]:
        return set((out / ".state" / "generations").glob("*/notebooks/**/*.ipynb"))

    deadline = time.time() + timeout
    before = promoted()
    while time.time() < deadline:
        assert process.poll() is None, "the run finished before it could be stopped"
        if promoted() - before:
            return
        time.sleep(0.02)
    pytest.fail("the run did not start executing")


@pytest.mark.parametrize("moment", ["starting", "executing"])
def test_a_run_killed_at_any_moment_leaves_the_earlier_outputs_and_the_next_run_completes(first_run, tmp_path,
                                                                                           moment):
    # a copy of the earlier good state, so that each kill starts from it
    data, out = tmp_path / "data", tmp_path / "out"
    subprocess.run(["cp", "-a", str(first_run["data"]), str(data)], check=True)
    subprocess.run(["cp", "-a", str(first_run["out"]), str(out)], check=True)
    set_value(data, "430523", 2022, "raw_coal", "13")  # changed data: the run has work to do
    # --force: every notebook is executed again, so the run is still busy after its first one is published
    process = subprocess.Popen([sys.executable, "-m", "inventory", "run", "--data", str(data), "--out", str(out),
                                "--jobs", "2", "--quiet", "--force"], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, start_new_session=True)
    if moment == "starting":
        time.sleep(1.0)  # validating its inputs or starting its workers
    else:
        _wait_until_executing(out, process)
    os.killpg(process.pid, signal.SIGKILL)  # the run and its workers and kernels, all at once
    process.wait()
    assert process.returncode == -signal.SIGKILL  # it was killed, not finished
    after = published(out)
    # every file a reader sees is either the earlier one or a complete new one: no temporary or torn
    # files, and the aggregates still parse
    assert not [p for p in after if Path(p).name.startswith(".") and p.endswith(".tmp")]
    for path in after:
        if path.endswith(".csv"):
            pd.read_csv(out / path)
    assert after == first_run["before"], "killed before its switch: the earlier set, every file of it"
    # the next run finishes the work, and its result is what a fresh run gives
    done = run_cli("run", "--data", str(data), "--out", str(out), "--jobs", "2", "--quiet")
    assert done.returncode == 0, done.stderr
    fresh = run_cli("run", "--data", str(data), "--out", str(tmp_path / "fresh"), "--jobs", "1", "--quiet")
    assert fresh.returncode == 0, fresh.stderr
    assert (out / "emissions.csv").read_bytes() == (tmp_path / "fresh" / "emissions.csv").read_bytes()


def test_dask_local_cluster_gives_the_same_results(first_run, tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        summary = run(RunOptions(data_dir=first_run["data"], out_dir=tmp_path / "dask", progress=False,
                                 scheduler=cluster.scheduler_address))
    assert summary.ok, summary.failed
    assert summary.executed == len([p for p in first_run["before"] if p.startswith("notebooks/")])
    assert (tmp_path / "dask" / "emissions.csv").read_bytes() == (first_run["out"] / "emissions.csv").read_bytes()


def test_scheduler_option_on_the_command_line(first_run, tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        done = run_cli("run", "--data", str(first_run["data"]), "--out", str(tmp_path / "o"), "--regions", "430524",
                       "--years", "2022", "--scheduler", cluster.scheduler_address, "--quiet")
    assert done.returncode == 0, done.stderr
    assert summary_counts(done.stdout) == (3, 0)  # the county-year, its summary and its document


def test_vectorised_compute_is_identical_to_the_notebook_path(first_run, tmp_path):
    done = run_cli("compute", "--data", str(first_run["data"]), "--out", str(tmp_path / "c"))
    assert done.returncode == 0, done.stderr
    for name in ("emissions.csv", "emissions_provenance.csv"):
        assert (tmp_path / "c" / name).read_bytes() == (first_run["out"] / name).read_bytes(), name


def test_vectorised_compute_of_the_whole_demo_matches_its_notebooks_on_a_sample(tmp_path):
    """The shipped demo: compute everything at once, and one region-year through its notebook."""
    done = run_cli("compute", "--data", str(ROOT / "data_raw"), "--out", str(tmp_path / "c"))
    assert done.returncode == 0, done.stderr
    one = run_cli("run", "--data", str(ROOT / "data_raw"), "--out", str(tmp_path / "n"), "--regions", "430582",
                  "--years", "2016", "--jobs", "1", "--quiet")
    assert one.returncode == 0, one.stderr
    everything = pd.read_csv(tmp_path / "c" / "emissions.csv", dtype={"region": str})
    sample = everything[(everything["region"] == "430582") & (everything["year"] == 2016)].reset_index(drop=True)
    notebook = pd.read_csv(tmp_path / "n" / "emissions.csv", dtype={"region": str})
    pd.testing.assert_frame_equal(sample, notebook)


@pytest.mark.parametrize("script, arguments", [
    ("bench_compute.py", ["--sizes", "20", "--years", "3"]),
    ("bench_pipeline.py", ["--small", "--regions", "430523", "--years", "2021"]),  # one county-year: the script works
])
def test_benchmarks_still_work_in_their_small_version(script, arguments):
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / script), *arguments], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().startswith("{")


def test_sigterm_to_the_run_alone_stops_its_workers_and_kernels(first_run, tmp_path):
    """A scheduler's SIGTERM reaches the main process only; nothing it started may go on running."""
    data, out = tmp_path / "data", tmp_path / "out"
    subprocess.run(["cp", "-a", str(first_run["data"]), str(data)], check=True)
    process = subprocess.Popen([sys.executable, "-m", "inventory", "run", "--data", str(data), "--out", str(out),
                                "--jobs", "2", "--quiet"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               start_new_session=True)
    _wait_until_executing(out, process)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 128 + signal.SIGTERM
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            os.killpg(process.pid, 0)  # anyone left in the run's process group?
        except ProcessLookupError:
            break
        time.sleep(0.5)
    else:
        os.killpg(process.pid, signal.SIGKILL)
        pytest.fail("workers or kernels outlived the run")
    assert not list((out / ".state").glob("staging-*"))
    done = run_cli("run", "--data", str(data), "--out", str(out), "--jobs", "1", "--quiet")  # the lock is free
    assert done.returncode == 0, done.stderr
