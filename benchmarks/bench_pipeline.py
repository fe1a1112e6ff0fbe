"""Benchmarks 1–3: the notebook pipeline on the shipped demo.

1. full rebuild (fresh output folder) with ``inventory run``, against a naive sequential papermill
   loop over every task the run plans (sector notebooks, summaries, inventory documents) with the same
   parameters (a cold kernel per notebook, no reports);
2. a rerun with nothing changed;
3. a rerun after one county-year's activity data changed (seconds, and notebooks executed).

Each figure is the median of ``--repeat`` runs (the naive loop: ``--naive-repeat``). Every run is a
fresh ``inventory`` process, as a user or a scheduler would start it.

    python benchmarks/bench_pipeline.py --repeat 3 --naive-repeat 1
    python benchmarks/bench_pipeline.py --full-demo  # the issue's figure: all regions and years, once each
    python benchmarks/bench_pipeline.py --small      # CI: two regions, two years, one repeat
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import pandas as pd

from inventory.core.results import read_results, write_emissions_csv
from inventory.pipeline.publish import load_manifest
from inventory.pipeline.run import NOTEBOOKS, RunOptions, plan, write_document_inputs
from inventory.sectors.compilation import FLAGS_SUFFIX, read_flags

ROOT = Path(__file__).resolve().parent.parent
SUMMARY = re.compile(r"executed (\d+), reused (\d+)")


def inventory_run(data: Path, out: Path, regions: str, years: str, jobs: int) -> tuple[float, int, int]:
    command = [sys.executable, "-m", "inventory", "run", "--data", str(data), "--out", str(out), "--quiet",
               "--regions", regions, "--years", years, "--jobs", str(jobs)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"inventory run failed:\n{done.stdout}\n{done.stderr}")
    executed, reused = (int(x) for x in SUMMARY.search(done.stdout).groups())
    return seconds, executed, reused


def naive_loop(data: Path, out: Path, regions: str, years: str) -> tuple[float, dict[str, int]]:
    """papermill.execute_notebook over every task ``plan`` gives, one cold kernel per notebook, one after
    the other; no reports. Returns the seconds and the notebooks executed by kind (sector or document).

    Each notebook gets the run's parameters; its results and extra outputs (``task.outputs``, the Excel
    tables) go to ``out/naive``. Once the sector notebooks are done, their results and QA flags are
    collected and the files the documents read (``task.staged_inputs``) are written to ``out/staged``
    by the library functions the run uses (``write_emissions_csv``, ``inventory.documents.inventory.
    analyses``, ``inventory.pipeline.run.write_document_inputs``); that time is counted too.
    """
    import papermill

    from inventory.cli import parse_list, parse_years
    from inventory.core.activity import read_activity
    from inventory.core.factors import load_factors
    from inventory.core.regions import load_regions

    options = RunOptions(data_dir=data, out_dir=out, regions=parse_list(regions), years=parse_years(years))
    activity, factors, registry = read_activity(data), load_factors(data), load_regions(data)
    tasks = plan(options, activity, factors, registry)
    naive, staged = out / "naive", out / "staged"
    started = time.perf_counter()
    for task in tasks:
        if task.document and not staged.exists():
            _stage(naive, staged, [t for t in tasks if not t.document], activity, factors, registry)
        parameters = dict(task.parameters)
        parameters["results_path"] = str(naive / "results" / task.relative(".csv"))
        for parameter, suffix in task.outputs.items():
            parameters[parameter] = str(naive / "outputs" / task.relative(suffix))
        for parameter, name in task.staged_inputs.items():
            parameters[parameter] = str(staged / name)
        target = naive / "notebooks" / task.relative(".ipynb")
        for path in (target, *(Path(parameters[p]) for p in ("results_path", *task.outputs))):
            path.parent.mkdir(parents=True, exist_ok=True)
        papermill.execute_notebook(task.notebook, str(target), parameters=parameters, progress_bar=False,
                                   cwd=str(NOTEBOOKS))
    return time.perf_counter() - started, dict(sorted(Counter(task.name for task in tasks).items()))


def _stage(naive: Path, staged: Path, sectors: list, activity, factors, registry) -> None:
    """The files the summaries and inventory documents read: every sector notebook's results and QA
    flags collected (in the plan's order, as the run collects them), then written as the run writes them."""
    from inventory.documents.inventory import analyses

    emissions = pd.concat([read_results(naive / "results" / t.relative(".csv")) for t in sectors], ignore_index=True)
    flags = pd.concat([read_flags(naive / "results" / t.relative(FLAGS_SUFFIX)) for t in sectors], ignore_index=True)
    staged.mkdir(parents=True)
    write_emissions_csv(staged / "emissions.csv", emissions)
    write_document_inputs(staged, emissions, flags, analyses(emissions, registry, factors, activity))


def executed_by_kind(out: Path) -> dict[str, int]:
    """The tasks a fresh run recorded in its manifest (``<out>/.state/manifest.json``), by kind."""
    return dict(Counter(task_id.split("/")[0] for task_id in load_manifest(out)))


def change_one_value(data: Path, region: str, year: int) -> None:
    """Scale the first numeric record of ``region`` in ``year`` by 1.1, wherever it is filed."""
    for path in sorted((data / "activity").glob("*.csv")):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        reader = list(csv.reader(lines))
        header = reader[0]
        for index, row in enumerate(reader[1:], start=1):
            record = dict(zip(header, row))
            if record["region"] == region and record["year"] == str(year) and record.get("value"):
                record["value"] = f"{float(record['value']) * 1.1:.4f}"
                from io import StringIO

                buffer = StringIO()
                csv.writer(buffer, lineterminator="\n").writerow([record[h] for h in header])
                lines[index] = buffer.getvalue()
                path.write_text("".join(lines), encoding="utf-8")
                return
    raise ValueError(f"no numeric record of {region} {year}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT / "data_raw")
    parser.add_argument("--regions", default="all")
    parser.add_argument("--years", default="all")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--naive-repeat", type=int, default=1)
    parser.add_argument("--changed", default="430523:2021", help="region:year whose data is changed in benchmark 3")
    parser.add_argument("--small", action="store_true",
                        help="CI size: one repeat; unless --regions/--years are given, 430523 × 2021,2022")
    parser.add_argument("--full-demo", action="store_true",
                        help="the issue's figure: every region and year of the demo, one pipeline run against "
                             "one naive loop (--repeat 1 --naive-repeat 1)")
    args = parser.parse_args()
    if args.full_demo:
        args.regions, args.years, args.repeat, args.naive_repeat = "all", "all", 1, 1
    if args.small:
        args.repeat, args.naive_repeat = 1, 1
        if args.regions == "all" and args.years == "all":
            args.regions, args.years = "430523", "2021,2022"
    region, year = args.changed.split(":")
    results: dict[str, object] = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
                                             f"{platform.python_version()}", "jobs": args.jobs}
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        full, nothing, one, naive = [], [], [], []
        # the pipeline and the naive loop take turns, so that both meet the same machine (a shared
        # machine's speed drifts over the half hour this takes)
        for attempt in range(max(args.repeat, args.naive_repeat)):
            if attempt < args.repeat:
                data = scratch / f"data{attempt}"
                shutil.copytree(args.data, data)
                out = scratch / f"out{attempt}"
                seconds, executed, _ = inventory_run(data, out, args.regions, args.years, args.jobs)
                full.append(seconds)
                results["notebooks"] = executed
                results["notebooks_by_kind"] = executed_by_kind(out)
                seconds, executed, reused = inventory_run(data, out, args.regions, args.years, args.jobs)
                nothing.append(seconds)
                results["unchanged_executed"] = executed
                change_one_value(data, region, int(year))
                seconds, executed, reused = inventory_run(data, out, args.regions, args.years, args.jobs)
                one.append(seconds)
                results["one_changed_executed"], results["one_changed_reused"] = executed, reused
            if attempt < args.naive_repeat:
                seconds, kinds = naive_loop(args.data, scratch / f"naive{attempt}", args.regions, args.years)
                naive.append(seconds)
                results["naive_notebooks"] = sum(kinds.values())
                results["naive_notebooks_by_kind"] = kinds
    results.update({
        "full_rebuild_s": round(statistics.median(full), 1),
        "full_rebuild_runs_s": [round(x, 1) for x in full],
        "unchanged_rerun_s": round(statistics.median(nothing), 2),
        "unchanged_runs_s": [round(x, 2) for x in nothing],
        "one_changed_rerun_s": round(statistics.median(one), 1),
        "one_changed_runs_s": [round(x, 1) for x in one],
        "naive_loop_s": round(statistics.median(naive), 1),
        "naive_runs_s": [round(x, 1) for x in naive],
    })
    results["speedup"] = round(results["naive_loop_s"] / results["full_rebuild_s"], 1)
    kinds = ", ".join(f"{name} {count}" for name, count in results["notebooks_by_kind"].items())
    print(f"pipeline (full rebuild): {results['full_rebuild_s']} s, {results['notebooks']} notebooks executed "
          f"({kinds})\nnaive papermill loop: {results['naive_loop_s']} s, {results['naive_notebooks']} notebooks\n"
          f"ratio naive / pipeline: {results['speedup']}×", file=sys.stderr)
    print(json.dumps(results, ensure_ascii=False))


if __name__ == "__main__":
    main()
