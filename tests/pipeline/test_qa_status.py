"""Issue 9, QA errors reach the person: a sector notebook's QA flags are written beside its results,
counted (executed and reused tasks alike) in the last line of ``inventory run``, shown on the report
index, and with ``--fail-on-qa-error`` fail the run with exit code 4.

The fast tests build the flags files and the index by hand or compute one compilation in process;
the slow one runs ``inventory run`` in subprocesses.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import pytest
from pipeline_data import RECORDS, run_cli, summary_counts, write_data

from inventory.cli import EXIT_QA_ERRORS
from inventory.pipeline.run import (
    QAStatus,
    RunSummary,
    Task,
    TaskOutcome,
    _outputs_of,
    format_qa_errors,
    qa_status,
    read_qa_flags,
)
from inventory.present.report import write_index
from inventory.sectors.compilation import FLAGS_SUFFIX, flags_path, read_flags
from inventory.sectors.qa import FLAG_COLUMNS

#: a fuel without shipped ncv, carbon content or oxidation: its CO2 is a missing-factor error flag
NO_FACTOR = ("430523", 2021, "1.A.2", "other_coking_products", "1", "万吨")


def _flags_file(out: Path, task: Task, severities: list[str]) -> Path:
    path = out / "results" / task.relative(FLAGS_SUFFIX)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(FLAG_COLUMNS)
        for number, severity in enumerate(severities):
            writer.writerow([task.region, task.year, "1.A.2", f"fuel{number}", "CO2", "missing_factor", severity,
                             f"flag {number}, with a comma"])
    return path


def _task(region: str, year: int) -> Task:
    return Task("energy", region, year, {"region": region, "year": year}, "k")


def test_the_flags_file_is_one_of_a_sector_tasks_outputs():
    """Promotion moves it into place with the results, and a task without it is not reused."""
    assert "results/430523/2021/energy.flags.csv" in [p.as_posix() for p in _outputs_of(_task("430523", 2021))]
    summary = Task("summary", "430500", None, {"region": "430500"}, "k")
    assert not any(p.name.endswith(FLAGS_SUFFIX) for p in _outputs_of(summary)), "a summary has no QA flags"
    assert flags_path("out/results/430523/2021/energy.csv") == Path("out/results/430523/2021/energy.flags.csv")


def test_write_results_writes_the_flags_beside_the_results(tmp_path):
    from inventory.sectors.energy.compilation import compile_energy

    data = write_data(tmp_path / "data", records=RECORDS + [NO_FACTOR])
    energy = compile_energy("430523", 2021, str(data))
    assert "error" in set(energy.flags["severity"]), "precondition: the fuel without factors is an error flag"
    results = tmp_path / "results" / "430523" / "2021" / "energy.csv"
    assert energy.write_results(results) == results
    flags = read_flags(results)
    assert list(flags.columns) == FLAG_COLUMNS
    assert len(flags) == len(energy.flags)
    error = flags[flags["severity"] == "error"]
    assert list(error["item"]) == ["other_coking_products"] and list(error["gas"]) == ["CO2"]
    status = read_qa_flags(flags_path(results))
    assert (status.errors, status.warnings) == (1, int((energy.flags["severity"] == "warning").sum()))
    assert not status.unknown


def test_qa_is_counted_over_every_task_that_did_not_fail(tmp_path):
    tasks = [_task("430523", 2021), _task("430523", 2022), _task("430524", 2021), _task("430524", 2022),
             Task("summary", "430500", None, {}, "k")]
    _flags_file(tmp_path, tasks[0], ["error", "error", "warning"])
    _flags_file(tmp_path, tasks[1], ["warning", "info"])
    _flags_file(tmp_path, tasks[2], ["error"])
    _flags_file(tmp_path, tasks[3], ["error", "error", "error"])  # the published flags of a task that failed now
    summary = RunSummary(executed=2, reused=2, out_dir=tmp_path)
    summary.failed.append(TaskOutcome(tasks[3].id, False, 0.0, error="boom"))
    summary.qa = qa_status(tmp_path, tasks, summary)
    assert set(summary.qa) == {tasks[0].id, tasks[1].id, tasks[2].id}, "no summary, not the failed task"
    assert (summary.qa_errors, summary.qa_warnings) == (3, 2)
    assert summary.qa_region_years() == [("430523", "2021"), ("430524", "2021")]
    line = summary.line()
    assert "; 3 QA errors in 2 region-years, 2 QA warnings; " in line
    assert summary_counts(line) == (2, 2), "executed N, reused M as before"
    listed = format_qa_errors(summary)
    assert listed.count("QA error ") == 3 and "energy/430523/2021: missing_factor 1.A.2 fuel0 CO2" in listed


def test_fail_on_qa_error_makes_the_run_fail(tmp_path):
    summary = RunSummary(executed=1, out_dir=tmp_path, qa={"energy/430523/2021": QAStatus(errors=2)})
    assert summary.ok and summary.line().startswith("inventory run: ok; "), "without the option: reported only"
    summary.fail_on_qa_error = True
    assert not summary.ok and summary.qa_failed
    assert summary.line().startswith("inventory run: FAILED on QA errors; executed 1, reused 0 notebooks; ")
    clean = RunSummary(executed=1, out_dir=tmp_path, fail_on_qa_error=True,
                       qa={"energy/430523/2021": QAStatus(warnings=4)})
    assert clean.ok and "; 0 QA errors, 4 QA warnings; " in clean.line()
    assert EXIT_QA_ERRORS == 4


def test_a_missing_flags_file_is_an_unknown_status_not_a_clean_one(tmp_path):
    status = read_qa_flags(tmp_path / "nowhere.flags.csv")
    assert status.unknown and status.errors == 0
    summary = RunSummary(out_dir=tmp_path, qa={"energy/430523/2021": status})
    assert "QA status unknown energy/430523/2021" in format_qa_errors(summary)


def test_the_index_shows_each_region_years_qa_status(tmp_path):
    def entry(region, year, qa, status="ok"):
        return {"region": region, "region_label": f"R{region}", "year": year, "name": "energy",
                "href": f"{region}/{year}/energy.html", "title": "能源活动 / Energy", "status": status, "qa": qa}

    entries = [entry("430523", 2021, {"errors": 2, "warnings": 3}), entry("430523", 2022, {"errors": 0, "warnings": 1}),
               entry("430524", 2021, {"errors": 0, "warnings": 0}), entry("430524", 2022, None, status="failed"),
               {"region": "430523", "region_label": "R430523", "year": None, "name": "summary",
                "href": "430523/all/summary.html", "title": "", "status": "ok"}]
    write_index(tmp_path, entries, "title", "note")
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert 'class="qa qa-error"' in page and "QA ✗2 ⚠3" in page
    assert 'class="qa qa-warning"' in page and "QA ⚠1" in page
    assert 'class="qa qa-ok"' in page and "QA ✓" in page
    assert page.count('class="qa ') == 3, "no mark for a failed report or a summary"
    assert "2 error(s) in 1 region-year(s), 4 warning(s)" in page
    # the reports with errors are listed above the table, linked
    assert re.search(r'reports with QA errors:</p><ul><li><a href="430523/2021/energy.html">R430523 2021 energy</a>',
                     page)


def test_an_index_without_qa_information_has_no_qa_block(tmp_path):
    write_index(tmp_path, [{"region": "430523", "region_label": "R", "year": 2021, "name": "energy",
                            "href": "x.html", "title": "", "status": "ok"}], "title", "note")
    assert "QA" not in (tmp_path / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_qa_errors_reach_the_person_and_fail_the_run_on_request(tmp_path):
    """``inventory run`` in a subprocess (stderr a pipe, as in a log): the error flag is listed on
    stderr, counted in the last line and marked on the index; progress lines are printed; the same
    run again reuses every notebook and still counts the error (from the flags files), and with
    ``--fail-on-qa-error`` exits 4 with every output written; ``--quiet`` prints no progress."""
    data = write_data(tmp_path / "data", records=RECORDS + [NO_FACTOR])
    out = tmp_path / "out"
    args = ["run", "--data", str(data), "--out", str(out), "--regions", "430523", "--jobs", "1"]
    first = run_cli(*args)
    assert first.returncode == 0, first.stderr
    last = first.stdout.strip().splitlines()[-1]
    assert last.startswith("inventory run: ok; ") and "; 1 QA error in 1 region-year, " in last
    assert summary_counts(last) == (5, 0)  # two years, the county's summary and its two documents
    assert "QA error energy/430523/2021: missing_factor 1.A.2 other_coking_products CO2" in first.stderr
    assert re.search(r"^\[2/2\] notebooks, \d+\.\d s$", first.stderr, re.M), first.stderr
    assert re.search(r"^\[3/3\] document notebooks, \d+\.\d s$", first.stderr, re.M), first.stderr
    assert (out / "results/430523/2021/energy.flags.csv").is_file()
    assert not list((out / ".state").glob("staging-*"))
    page = (out / "reports" / "index.html").read_text(encoding="utf-8")
    assert "QA ✗1" in page and 'href="430523/2021/energy.html">邵阳县 (430523) 2021 energy</a>' in page

    strict = run_cli(*args, "--fail-on-qa-error", "--quiet")
    assert strict.returncode == EXIT_QA_ERRORS, strict.stderr
    last = strict.stdout.strip().splitlines()[-1]
    assert summary_counts(last) == (0, 5), "reused tasks count too"
    assert last.startswith("inventory run: FAILED on QA errors; ") and "1 QA error in 1 region-year" in last
    assert "other_coking_products" in strict.stderr
    assert not re.search(r"^\[\d+/\d+\]", strict.stderr, re.M), "--quiet: no progress"
    emissions = pd.read_csv(out / "emissions.csv", dtype={"region": str})
    assert set(emissions["year"]) == {2021, 2022}, "the outputs are written all the same"
