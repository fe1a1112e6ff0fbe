"""Issue 10, nothing lost, nothing torn, nothing written outside ``--out``.

* output paths: a region code that is a path refuses the run before anything is written;
* the aggregates as one set: a publication killed (SIGKILL) at each of its steps leaves the three
  files of one generation, and the contract paths stay readable by plain ``pandas.read_csv``;
* the manifest recorded task by task: a run killed after N finished tasks is resumed by the next;
* orphans: ``kill -9`` of the run leaves no worker and no kernel, and the next run removes their
  socket folders; Ctrl-C ends with one line;
* ``inventory compute`` takes the run's lock, and a run does not reuse aggregates it did not write.

Killing processes needs real processes: those tests are ``slow``.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest
from pipeline_data import ROOT, run_cli, summary_counts, tree_digest, write_data

from inventory.cli import main
from inventory.core.errors import InputError
from inventory.pipeline.processes import KERNEL_FOLDER_PREFIX
from inventory.pipeline.publish import AGGREGATES, current_generation, publish_aggregates, published_record
from inventory.pipeline.run import OutputLock, RunOptions, Task, _Manifest, output_path_issues, run

# ----------------------------------------------------------------------------------------------
# 1. every output path inside --out


def _regions_csv(data: Path, codes: list[str]) -> None:
    """A data folder's regions.csv adding ``codes`` as counties of 邵阳市 (header line 1, then one line each)."""
    lines = ["code,name_zh,name_en,level,parent"] + [f"{code},县{i},County {i},county,430500"
                                                     for i, code in enumerate(codes)]
    (data / "regions.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _energy_task(region: str, suffix: str = ".xlsx", name: str = "energy") -> Task:
    return Task(name, region, 2021, {"region": region, "year": 2021}, "k", outputs={"tables_path": suffix})


def test_region_codes_that_are_paths_are_refused_naming_the_code_and_its_line(tmp_path):
    data, out = tmp_path / "data", tmp_path / "out"
    data.mkdir()
    absolute = str(tmp_path / "elsewhere")
    _regions_csv(data, ["../../escape", "430524/../../x", absolute, "430599"])
    tasks = [_energy_task(code) for code in ("../../escape", "430524/../../x", absolute, "430599", "430523")]
    issues = output_path_issues(tasks, out, data)
    by_line = {issue.line: issue for issue in issues}
    assert sorted(by_line) == [2, 3, 4], "one problem per bad code, on its line of regions.csv; good codes pass"
    for line, code in ((2, "../../escape"), (3, "430524/../../x"), (4, absolute)):
        issue = by_line[line]
        assert issue.file == str(data / "regions.csv") and issue.column == "code"
        assert f"地区代码 {code!r}" in issue.message and f"region code {code!r}" in issue.message
        assert issue.message.index("地区代码") < issue.message.index("region code"), "Chinese first"
        assert "outside the output folder" in issue.message
    assert absolute in by_line[4].message and "→ " + absolute in by_line[4].message, "says where it would go"


def test_a_sector_declaring_an_output_suffix_that_leaves_out_is_refused(tmp_path):
    issues = output_path_issues([_energy_task("430523", suffix="/../../../../x.xlsx")], tmp_path / "out", tmp_path)
    assert len(issues) == 1 and issues[0].file == "sector energy" and "extra-output" in issues[0].message
    issues = output_path_issues([_energy_task("430523", name="../x")], tmp_path / "out", tmp_path)
    assert len(issues) == 1 and "sector '../x'" in issues[0].message


def test_a_folder_of_out_linked_elsewhere_is_refused(tmp_path):
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / "reports").symlink_to(elsewhere)
    issues = output_path_issues([_energy_task("430523")], out, tmp_path)
    assert len(issues) == 1 and "through a link" in issues[0].message and str(elsewhere) in issues[0].message


def test_a_run_with_path_region_codes_exits_2_and_writes_nothing_anywhere(tmp_path, capsys):
    """The data folder's regions.csv gives three counties path-like codes with records of their own;
    a sentinel sits where the absolute code's notebook would be written."""
    data = tmp_path / "data"
    absolute = tmp_path / "elsewhere" / "abs"
    codes = ["../../escape", "430524/../../x", str(absolute)]
    records = [(code, 2021, "1.A.2", "raw_coal", "10", "万吨") for code in codes]
    write_data(data, records=records + [("430523", 2021, "1.A.2", "raw_coal", "10", "万吨")])
    _regions_csv(data, codes)
    sentinel = absolute / "2021" / "energy.ipynb"
    sentinel.parent.mkdir(parents=True)
    sentinel.write_text("a notebook published earlier", encoding="utf-8")
    before = tree_digest(tmp_path)
    out = tmp_path / "work" / "out"
    code = main(["run", "--data", str(data), "--out", str(out), "--jobs", "1", "--quiet"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "nothing was written" in err
    for region in codes:
        assert repr(region) in err, f"the message names {region}"
    assert tree_digest(tmp_path) == before, "no file written or removed anywhere"
    assert not (tmp_path / "work").exists()
    assert sentinel.read_text(encoding="utf-8") == "a notebook published earlier"


# ----------------------------------------------------------------------------------------------
# 2. the aggregates as one set


def _emissions(value: float, rows: int = 3) -> pd.DataFrame:
    """A small emissions table whose every number is ``value`` (one generation told from another by it)."""
    return pd.DataFrame({"region": ["430523"] * rows, "year": [2021] * rows, "category": ["1.A.2"] * rows,
                         "item": [f"fuel{i}" for i in range(rows)], "gas": ["CO2"] * rows,
                         "emissions_t": [value] * rows, "co2e_t": [value] * rows, "activity_value": [1.0] * rows,
                         "activity_unit": ["t"] * rows, "energy_tj": [0.0] * rows,
                         "records": [f"activity/energy.csv:{i + 2}" for i in range(rows)], "method": ["m"] * rows,
                         "factor_ids": ["ef=x"] * rows, "confidence": ["verified"] * rows})


def _publish_in_subprocess(out: Path, value: float, fault: str | None, rows: int = 3) -> int:
    """``publish_aggregates`` in a process of its own, SIGKILLed at ``fault`` (INVENTORY_FAULT)."""
    table = out.parent / f"emissions-{value}.pickle"
    _emissions(value, rows).to_pickle(table)
    script = textwrap.dedent(f"""
        from pathlib import Path
        import pandas as pd
        from inventory.pipeline.publish import publish_aggregates
        publish_aggregates(Path({str(out)!r}), pd.read_pickle({str(table)!r}), "AR5", attrs={{}}, key="k{value}")
    """)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("INVENTORY_FAULT", None)
    if fault:
        env["INVENTORY_FAULT"] = fault
    done = subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode in (0, -signal.SIGKILL), done.stderr
    return done.returncode


def _one_generation(out: Path) -> float:
    """The three files a reader opens at the contract paths are those of the current generation
    (their SHA-256 is the one recorded for it) and hold the same numbers; returns its value."""
    record = json.loads((current_generation(out) / "generation.json").read_text(encoding="utf-8"))
    for name in AGGREGATES:
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == record["sha256"][name], \
            f"{name} is not of the current generation"
    emissions = pd.read_csv(out / "emissions.csv")  # plain pandas, through the links
    provenance = pd.read_csv(out / "emissions_provenance.csv")
    import xarray as xr

    with xr.open_dataset(out / "inventory.nc") as cube:
        total = float(cube["CO2"].sum())
    values = set(emissions["emissions_t"]) | set(provenance["emissions_t"])
    assert len(values) == 1 and total == pytest.approx(values.pop() * len(emissions))
    return float(emissions["emissions_t"].iloc[0])


@pytest.mark.slow
@pytest.mark.parametrize("fault", ["publish:written:1", "publish:written:2", "publish:written:3",
                                   "publish:before-switch", "publish:switched", "publish:removed-old"])
def test_a_publication_killed_at_any_step_leaves_one_generation(tmp_path, fault):
    out = tmp_path / "out"
    assert _publish_in_subprocess(out, 1.0, None) == 0
    assert _one_generation(out) == 1.0
    code = _publish_in_subprocess(out, 2.0, fault)
    assert code == -signal.SIGKILL, "killed at the named step"
    # before the switch: the old set, whole; from the switch on: the new set, whole
    expected = 1.0 if fault.startswith(("publish:written", "publish:before")) else 2.0
    assert _one_generation(out) == expected
    assert _publish_in_subprocess(out, 3.0, None) == 0, "the next publication completes"
    assert _one_generation(out) == 3.0
    assert [p.name for p in (out / ".state" / "generations").iterdir()] == [current_generation(out).name], \
        "older generations (and one left by the killed publication) are removed"


@pytest.mark.slow
@pytest.mark.parametrize("fault", ["publish:linked:1", "publish:linked:2", "publish:linked:3"])
def test_plain_files_of_an_earlier_version_are_replaced_without_a_mix(tmp_path, fault):
    """An output folder of an earlier version: three plain files. Each is replaced by a link in its
    turn; killed in between, every file still shows the earlier set."""
    out = tmp_path / "plain"
    assert _publish_in_subprocess(tmp_path / "first", 1.0, None) == 0
    out.mkdir()
    for name in AGGREGATES:
        (out / name).write_bytes((tmp_path / "first" / name).read_bytes())  # plain files, no record
    assert _publish_in_subprocess(out, 2.0, fault) == -signal.SIGKILL
    assert _one_generation(out) == 1.0
    assert _publish_in_subprocess(out, 2.0, None) == 0
    assert _one_generation(out) == 2.0
    assert all((out / name).is_symlink() for name in AGGREGATES)


def test_published_record_checks_the_files_against_their_digests(tmp_path):
    out = tmp_path / "out"
    publish_aggregates(out, _emissions(1.0), "AR5", attrs={}, key="run-key")
    assert published_record(out, "run-key")["rows"] == 3
    assert published_record(out, "another key") is None
    # a file changed in place (through its link): not what was published
    with open(out / "emissions.csv", "a", encoding="utf-8") as handle:
        handle.write("430523,2021,1.A.2,extra,CO2,1,1\n")
    assert published_record(out, "run-key") is None
    publish_aggregates(out, _emissions(1.0), "AR5", attrs={}, key="run-key")
    assert published_record(out, "run-key") is not None
    # a plain file put over a contract path (a script, an older version): not what was published
    (out / "inventory.nc").unlink()
    (out / "inventory.nc").write_bytes((out / ".state" / "current" / "inventory.nc").read_bytes())
    assert published_record(out, "run-key") is None
    # inventory compute into the folder: recorded without a run's key
    publish_aggregates(out, _emissions(1.0), "AR5", attrs={}, key=None)
    assert published_record(out, "run-key") is None and published_record(out) is not None


def test_compute_refuses_a_folder_locked_by_a_run(tmp_path, capsys):
    data, out = write_data(tmp_path / "data"), tmp_path / "out"
    with OutputLock(out):
        assert main(["compute", "--data", str(data), "--out", str(out), "--regions", "430523"]) == 3
    err = capsys.readouterr().err
    assert "another inventory run" in err and "nothing was written" in err
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == [".state", ".state/lock"]
    assert main(["compute", "--data", str(data), "--out", str(out), "--regions", "430523"]) == 0
    assert published_record(out) is not None and pd.read_csv(out / "emissions.csv")["region"].eq(430523).all()


# ----------------------------------------------------------------------------------------------
# 5. the manifest, task by task


def test_manifest_journal_records_each_task_and_survives_a_cut_last_line(tmp_path):
    (tmp_path / ".state").mkdir()
    manifest = _Manifest(tmp_path)
    manifest.record("energy/430523/2021", {"key": "a"})
    manifest.record("energy/430523/2022", {"key": "b"})
    manifest.record("energy/430523/2021", None)  # failed on a second try: to be redone
    manifest.close()
    journal = tmp_path / ".state" / "manifest.journal"
    with open(journal, "ab") as handle:
        handle.write(b'{"task": "energy/430524/2021", "entry": {"ke')  # a kill in the middle of a line
    assert _Manifest(tmp_path).entries == {"energy/430523/2022": {"key": "b"}}
    again = _Manifest(tmp_path)
    again.fold()
    assert not journal.exists()
    assert json.loads((tmp_path / ".state" / "manifest.json").read_text()) == {"energy/430523/2022": {"key": "b"}}


# ----------------------------------------------------------------------------------------------
# runs killed: the manifest, orphans, kernel folders, Ctrl-C


def _descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (from /proc)."""
    children: dict[int, set[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), set()).add(int(stat.parent.name))
    found, frontier = set(), [pid]
    while frontier:
        for child in children.get(frontier.pop(), ()):
            if child not in found:
                found.add(child)
                frontier.append(child)
    return found


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has stopped: it only waits to be reaped


def _left_after(pids: set[int], seconds: float) -> list[int]:
    """Those of ``pids`` still running after up to ``seconds`` (then killed, so that no test leaves any)."""
    deadline = time.time() + seconds
    while time.time() < deadline and any(_running(p) for p in pids):
        time.sleep(0.1)
    left = [p for p in pids if _running(p)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    return left


def _kernel_folders(owners: set[int]) -> list[Path]:
    return [p for p in Path(tempfile.gettempdir()).glob(f"{KERNEL_FOLDER_PREFIX}*")
            if any(p.name.startswith(f"{KERNEL_FOLDER_PREFIX}{pid}-") for pid in owners)]


def _interruptible() -> None:
    """In the child before it starts: Ctrl-C as at a terminal. A process started in the background by a
    non-interactive shell (a CI job, ``make test &``) inherits SIGINT ignored, and Python then never
    raises KeyboardInterrupt; a terminal's foreground job has the default."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _start_run(data: Path, out: Path, *extra: str, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "inventory", "run", "--data", str(data), "--out", str(out),
                             "--quiet", *extra], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, env=dict(os.environ, PYTHONUNBUFFERED="1", **(env or {})),
                            preexec_fn=_interruptible)


def _wait_for_kernels(process: subprocess.Popen, count: int, timeout: float = 120.0) -> set[int]:
    """The run's processes once ``count`` kernels (ipykernel_launcher) run below it."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        assert process.poll() is None, process.communicate()
        below = _descendants(process.pid)
        kernels = [p for p in below if "ipykernel" in Path(f"/proc/{p}/cmdline").read_text(errors="replace")
                   ] if below else []
        if len(kernels) >= count:
            return below
        time.sleep(0.1)
    pytest.fail("the run's kernels did not start")


@pytest.mark.slow
def test_kill_9_of_the_run_leaves_no_worker_no_kernel_and_the_next_run_removes_their_folders(tmp_path):
    data, out = write_data(tmp_path / "data"), tmp_path / "out"
    process = _start_run(data, out, "--jobs", "2")
    below = _wait_for_kernels(process, 2)
    assert len(below) >= 4, "two workers, two kernels"
    os.kill(process.pid, signal.SIGKILL)  # the main process alone, as the out-of-memory killer does
    process.wait()
    left = _left_after(below, 5.0)
    assert not left, f"processes outlived the run by 5 s: {left}"
    assert _kernel_folders(below | {process.pid}), "a killed worker leaves its kernel folder (removed next)"
    done = run_cli("run", "--data", str(data), "--out", str(out), "--jobs", "1", "--quiet")
    assert done.returncode == 0, done.stderr
    assert not _kernel_folders(below | {process.pid}), "the next run removed the folders of the killed processes"


@pytest.mark.slow
def test_a_run_killed_after_two_finished_tasks_is_resumed_from_them(tmp_path):
    data, out = write_data(tmp_path / "data"), tmp_path / "out"
    args = ("--regions", "430523,430524", "--jobs", "1")
    process = _start_run(data, out, *args, env={"INVENTORY_FAULT": "task:recorded:2"})
    process.communicate(timeout=300)
    assert process.returncode == -signal.SIGKILL
    journal = (out / ".state" / "manifest.journal").read_text(encoding="utf-8").splitlines()
    assert len(journal) == 2, "each finished task was recorded at once"
    assert not (out / "emissions.csv").exists(), "killed before the aggregates"
    done = run_cli("run", "--data", str(data), "--out", str(out), *args, "--quiet")
    assert done.returncode == 0, done.stderr
    # 4 energy tasks (two counties × 2021, 2022), two summaries, 4 documents: the two recorded ones are reused
    assert summary_counts(done.stdout) == (8, 2)
    assert not (out / ".state" / "manifest.journal").exists()


@pytest.mark.slow
def test_ctrl_c_ends_with_one_line_and_leaves_nothing_behind(tmp_path):
    data, out = write_data(tmp_path / "data"), tmp_path / "out"
    process = _start_run(data, out, "--jobs", "2")
    below = _wait_for_kernels(process, 2)
    os.killpg(process.pid, signal.SIGINT)  # Ctrl-C at a terminal: the whole foreground group
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    assert "Traceback" not in err, err
    assert err.strip().splitlines() == ["inventory run: 已中断（Ctrl-C），已发布的输出保持原样 / interrupted (Ctrl-C); "
                                        "the outputs published before are as they were"]
    assert not _left_after(below, 5.0), "workers and kernels stopped"
    assert not _kernel_folders(below | {process.pid}), "their socket folders removed"
    assert not list((out / ".state").glob("staging-*"))


@pytest.mark.slow
def test_a_run_does_not_keep_aggregates_that_compute_wrote_into_its_folder(tmp_path):
    data, out = write_data(tmp_path / "data"), tmp_path / "out"
    args = ("--data", str(data), "--out", str(out), "--regions", "430523", "--years", "2021")
    first = run_cli("run", *args, "--jobs", "1", "--quiet")
    assert first.returncode == 0, first.stderr
    emissions = (out / "emissions.csv").read_bytes()
    computed = run_cli("compute", *args, "--gwp", "AR6")
    assert computed.returncode == 0, computed.stderr
    assert (out / "emissions.csv").read_bytes() != emissions, "compute published AR6 CO2e"
    again = run_cli("run", *args, "--jobs", "1", "--quiet")
    assert again.returncode == 0, again.stderr
    assert summary_counts(again.stdout) == (0, 3), "the notebooks are reused"
    assert (out / "emissions.csv").read_bytes() == emissions, "the run's own aggregates, written again"
    assert published_record(out)["key"] is not None


def test_run_api_refuses_path_codes_before_taking_the_lock(tmp_path):
    data = tmp_path / "data"
    write_data(data, records=[("../escape", 2021, "1.A.2", "raw_coal", "10", "万吨")])
    _regions_csv(data, ["../escape"])
    with pytest.raises(InputError, match="region code '../escape'"):
        run(RunOptions(data_dir=data, out_dir=tmp_path / "out", progress=False))
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
@pytest.mark.parametrize("command", ["compute", "templates", "ingest"])
def test_ctrl_c_in_the_other_commands_ends_with_one_line(tmp_path, command):
    """A real SIGINT delivered to the process as the command starts (the handler is main()'s, the
    same for every command): exit 130, one line, no traceback."""
    data = write_data(tmp_path / "data")
    arguments = {"compute": ["--data", str(data), "--out", str(tmp_path / "out")],
                 "templates": ["--out", str(tmp_path / "workbooks")],
                 "ingest": [str(data / "activity"), "--data", str(data)]}[command]
    script = (f"import os, signal, sys\nfrom inventory import cli\nrun = cli._{command}\n"
              f"def interrupted(args):\n    os.kill(os.getpid(), signal.SIGINT)\n    return run(args)\n"
              f"cli._{command} = interrupted\nsys.exit(cli.main(sys.argv[1:]))\n")
    done = subprocess.run([sys.executable, "-c", script, command, *arguments], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env=dict(os.environ, PYTHONPATH=str(ROOT)), preexec_fn=_interruptible)
    assert done.returncode == 130, done.stderr
    assert done.stderr.strip().splitlines() == [f"inventory {command}: 已中断（Ctrl-C），已发布的输出保持原样 / "
                                                "interrupted (Ctrl-C); the outputs published before are as they were"]
