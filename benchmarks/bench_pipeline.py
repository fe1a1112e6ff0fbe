"""Benchmarks 1–3: the notebook pipeline on the shipped demo.

1. full rebuild (fresh output folder) with ``inventory run``, against a naive sequential papermill
   loop over the same notebooks and parameters (a cold kernel per notebook, no reports);
2. a rerun with nothing changed;
3. a rerun after one county-year's activity data changed (seconds, and notebooks executed).

Each figure is the median of ``--repeat`` runs (the naive loop: ``--naive-repeat``). Every run is a
fresh ``inventory`` process, as a user or a scheduler would start it.

    python benchmarks/bench_pipeline.py --repeat 3 --naive-repeat 1
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
from pathlib import Path

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


def naive_loop(data: Path, out: Path, regions: str, years: str) -> tuple[float, int]:
    """papermill.execute_notebook, one cold kernel per notebook, one after the other; no reports."""
    import papermill

    from inventory.cli import parse_list, parse_years
    from inventory.core.activity import read_activity
    from inventory.core.factors import load_factors
    from inventory.core.regions import load_regions
    from inventory.pipeline.run import RunOptions, notebook_path, plan

    options = RunOptions(data_dir=data, out_dir=out, regions=parse_list(regions), years=parse_years(years))
    tasks = plan(options, read_activity(data), load_factors(data), load_regions(data))
    started = time.perf_counter()
    for task in tasks:
        parameters = dict(task.parameters)
        parameters["results_path"] = str(out / "naive" / task.relative(".csv"))
        if task.name == "summary":
            parameters["emissions_path"] = str(out / "naive_emissions.csv")
            _collect(out / "naive", out / "naive_emissions.csv")
        target = out / "naive" / task.relative(".ipynb")
        target.parent.mkdir(parents=True, exist_ok=True)
        papermill.execute_notebook(str(notebook_path(task.name)), str(target),
                                   parameters=parameters, progress_bar=False, cwd=str(notebook_path(task.name).parent))
    return time.perf_counter() - started, len(tasks)


def _collect(results: Path, target: Path) -> None:
    rows = []
    # every sector's results of every region-year (not their QA flags): what the summary sums
    for path in sorted(p for p in results.rglob("*.csv") if not p.name.endswith(".flags.csv")):
        with path.open(encoding="utf-8") as handle:
            rows += list(csv.DictReader(handle))
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


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
    args = parser.parse_args()
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
                seconds, executed, reused = inventory_run(data, out, args.regions, args.years, args.jobs)
                nothing.append(seconds)
                results["unchanged_executed"] = executed
                change_one_value(data, region, int(year))
                seconds, executed, reused = inventory_run(data, out, args.regions, args.years, args.jobs)
                one.append(seconds)
                results["one_changed_executed"], results["one_changed_reused"] = executed, reused
            if attempt < args.naive_repeat:
                seconds, count = naive_loop(args.data, scratch / f"naive{attempt}", args.regions, args.years)
                naive.append(seconds)
                results["naive_notebooks"] = count
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
    print(json.dumps(results, ensure_ascii=False))


if __name__ == "__main__":
    main()
