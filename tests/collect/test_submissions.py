"""Ingest keeps every submission, replaces a file not made from the same input only with ``replace``,
and leaves the data folder whole when it is killed at any moment."""

from __future__ import annotations

import csv
import fcntl
import hashlib
import os
import shutil
import signal
from pathlib import Path

import pytest
from pipeline_data import run_cli, tree_digest
from workbook_data import fill

from inventory.collect.departments import departments
from inventory.collect.ingest import complete_interrupted, ingest
from inventory.collect.workbooks import build_workbook, save_workbook
from inventory.core.activity import INGEST_JOURNAL, read_activity
from inventory.core.errors import InputError

STATS = "2023_430523_邵阳县_统计局.xlsx"
HEADER = "region,year,category,item,quantity,value,unit"


def sha12(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


def log_rows(data: Path) -> list[dict[str, str]]:
    with (data / "ingest_log.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def folders(tmp_path, registry):
    data = tmp_path / "data"
    (data / "activity").mkdir(parents=True)
    submissions = tmp_path / "submissions"
    submissions.mkdir()
    save_workbook(build_workbook(departments()["stats"], "430523", 2023, registry), submissions / STATS)
    return {"data": data, "in": submissions, "workbook": submissions / STATS}


def test_a_csv_named_like_an_existing_activity_file_is_refused_unless_replace(folders, tmp_path):
    """The probe: a county's CSV ingested under the name of an activity file made by hand replaced it
    (98 records removed, exit 0). Now: refused, with the count, unless ``replace``; then the earlier file
    is kept in replaced/."""
    existing = folders["data"] / "activity" / "energy.csv"
    existing.write_text(f"{HEADER}\n430523,2023,1.A.2,diesel,consumption,5,吨\n"
                        "430523,2023,1.A.2,raw_coal,consumption,7,吨\n430523,2023,1.A.3.b,diesel,consumption,2,吨\n",
                        encoding="utf-8")
    earlier = existing.read_bytes()
    incoming = tmp_path / "county" / "energy.csv"
    incoming.parent.mkdir()
    incoming.write_text(f"{HEADER}\n430523,2023,1.A.2,diesel,consumption,6,吨\n", encoding="utf-8")
    before = tree_digest(folders["data"])
    result = ingest([incoming], folders["data"])
    [issue] = result.issues
    # 3 records before, 1 after: raw_coal and 1.A.3.b diesel removed, 1.A.2 diesel changed 5 → 6
    assert "activity/energy.csv 已存在，不是由此输入生成的（不是 inventory ingest 写入的" in issue.message
    assert "替换将删除 2 条、修改 1 条记录" in issue.message and "--replace" in issue.message
    assert tree_digest(folders["data"]) == before, "nothing written"
    result = ingest([incoming], folders["data"], replace=True)
    assert result.ok, result.issues
    assert existing.read_bytes() == incoming.read_bytes()
    kept = f"replaced/energy.{sha12(earlier)}.csv"
    assert (folders["data"] / kept).read_bytes() == earlier, "the replaced file is kept"
    [row] = log_rows(folders["data"])
    assert (row["input"], row["replaced"], row["removed"], row["changed"]) == (str(incoming.resolve()), kept, "2",
                                                                             "1")


def test_a_revised_csv_from_the_same_path_replaces_its_own_file(folders, tmp_path):
    incoming = tmp_path / "county.csv"
    incoming.write_text(f"{HEADER}\n430523,2023,1.A.2,diesel,consumption,5,吨\n", encoding="utf-8")
    assert ingest([incoming], folders["data"]).ok
    first = incoming.read_bytes()
    incoming.write_text(f"{HEADER}\n430523,2023,1.A.2,diesel,consumption,6,吨\n", encoding="utf-8")
    result = ingest([incoming], folders["data"])
    assert result.ok, result.issues
    assert [(c.kind, c.before, c.after) for c in result.files[0].changes] == [("changed", "5 吨", "6 吨")]
    assert (folders["data"] / f"replaced/county.{sha12(first)}.csv").read_bytes() == first
    elsewhere = tmp_path / "other" / "county.csv"  # the same name from another place: not the same input
    elsewhere.parent.mkdir()
    elsewhere.write_text(f"{HEADER}\n430523,2023,1.A.2,diesel,consumption,9,吨\n", encoding="utf-8")
    [issue] = ingest([elsewhere], folders["data"]).issues
    assert f"由 {incoming.resolve()} 于" in issue.message and "--replace" in issue.message


def test_every_revision_of_a_workbook_is_kept_and_logged(folders):
    """A revised workbook overwrote the archived copy of the earlier one: now each is kept, named by its
    content, and the log says which copy made which records."""
    fill(folders["workbook"], {"能源消费": {"D15": 35000}})
    first = folders["workbook"].read_bytes()
    assert ingest([folders["in"]], folders["data"]).ok
    activity = folders["data"] / "activity" / "workbook_stats_430523_2023.csv"
    first_records = activity.read_bytes()
    fill(folders["workbook"], {"能源消费": {"D15": 36000}})
    second = folders["workbook"].read_bytes()
    result = ingest([folders["in"]], folders["data"])
    assert result.ok, result.issues  # a revision of the same department, region and year: no --replace
    copies = {p.name: p.read_bytes() for p in (folders["data"] / "workbooks").iterdir()}
    assert copies == {f"2023_430523_邵阳县_统计局.{sha12(first)}.xlsx": first,
                      f"2023_430523_邵阳县_统计局.{sha12(second)}.xlsx": second}
    assert (folders["data"] / f"replaced/workbook_stats_430523_2023.{sha12(first_records)}.csv").read_bytes() == \
        first_records
    assert [row["archived"] for row in log_rows(folders["data"])] == [
        f"workbooks/2023_430523_邵阳县_统计局.{sha12(first)}.xlsx",
        f"workbooks/2023_430523_邵阳县_统计局.{sha12(second)}.xlsx"]
    assert "36000" in activity.read_text(encoding="utf-8")


def test_a_workbook_does_not_replace_a_file_it_did_not_make(folders):
    (folders["data"] / "activity" / "workbook_stats_430523_2023.csv").write_text(
        f"{HEADER}\n430523,2023,1.A.2.f,raw_coal,consumption,1,吨\n", encoding="utf-8")
    fill(folders["workbook"], {"能源消费": {"D15": 35000}})
    [issue] = ingest([folders["in"]], folders["data"]).issues
    assert "不是 inventory ingest 写入的" in issue.message and "修改 1 条记录" in issue.message
    assert ingest([folders["in"]], folders["data"], replace=True).ok


def test_a_second_ingest_is_refused_while_one_holds_the_folder(folders, tmp_path):
    incoming = tmp_path / "county.csv"
    incoming.write_text(f"{HEADER}\n430523,2023,1.A.2,diesel,consumption,5,吨\n", encoding="utf-8")
    descriptor = os.open(folders["data"], os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)  # as a running ingest holds it
        [issue] = ingest([incoming], folders["data"]).issues
        assert "另一个 inventory ingest 正在写入此数据目录" in issue.message
    finally:
        os.close(descriptor)
    assert ingest([incoming], folders["data"]).ok


def _state(data: Path) -> dict[str, str]:
    """The data folder's files, the log without its times (a completed ingest and a redone one differ there)."""
    found = tree_digest(data)
    found.pop("ingest_log.csv", None)
    if (data / "ingest_log.csv").exists():
        found["ingest_log.csv"] = str([{k: v for k, v in row.items() if k != "time"} for row in log_rows(data)])
    return found


def _killed_ingest(inputs: list[Path], data: Path, step: int) -> bool:
    """Run ingest in a forked child that SIGKILLs itself before its ``step``-th call of a function that
    changes the file system (os.replace, os.fsync, os.unlink, os.rmdir, os.mkdir); True when it was killed,
    False when it finished first."""
    pid = os.fork()
    if pid == 0:  # the child: count, then die as the out-of-memory killer or kill -9 would end it
        count = [0]

        def counted(function):
            def call(*args, **kwargs):
                count[0] += 1
                if count[0] == step:
                    os.kill(os.getpid(), signal.SIGKILL)
                return function(*args, **kwargs)
            return call

        for name in ("replace", "fsync", "unlink", "rmdir", "mkdir"):
            setattr(os, name, counted(getattr(os, name)))
        try:
            ingest(inputs, data)
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        assert os.WTERMSIG(status) == signal.SIGKILL
        return True
    assert os.WEXITSTATUS(status) == 0
    return False


@pytest.mark.slow
def test_an_ingest_killed_at_any_step_leaves_the_folder_whole(folders, tmp_path, registry):
    """Fault injection: an ingest that revises a workbook (a new copy, the replaced file kept, the activity
    file, the log) and adds a CSV is killed with SIGKILL before each file-system call in turn. After every
    kill the data folder is as it was, or its journal is there (and ``inventory run`` refuses it); the next
    ingest completes it; the end state is always that of an uninterrupted ingest."""
    submissions = tmp_path / "power"  # the 供电公司 workbook: one sheet, read in a tenth of the 统计局's time
    submissions.mkdir()
    workbook = submissions / "2023_430523_邵阳县_供电公司.xlsx"
    save_workbook(build_workbook(departments()["power"], "430523", 2023, registry), workbook)
    fill(workbook, {"电力调入调出": {"F7": 1000}})
    assert ingest([submissions], folders["data"]).ok
    fill(workbook, {"电力调入调出": {"F7": 1200, "F8": 5}})
    county = submissions / "county.csv"
    county.write_text(f"{HEADER}\n430523,2023,1.A.3.b,diesel,consumption,5,吨\n", encoding="utf-8")
    before = tmp_path / "before"
    shutil.copytree(folders["data"], before)
    expected = tmp_path / "expected"
    shutil.copytree(before, expected)
    assert ingest([submissions], expected).ok
    old, new = _state(before), _state(expected)
    assert old != new
    pending_seen = 0
    step = 0
    while True:
        step += 1
        data = tmp_path / f"killed-{step}"
        shutil.copytree(before, data)
        if not _killed_ingest([submissions], data, step):
            break
        seen = {k: v for k, v in _state(data).items() if not k.startswith(".ingest/")}
        if (data / INGEST_JOURNAL).exists():  # killed after the commit point: the next ingest completes it
            pending_seen += 1
            with pytest.raises(InputError, match="interrupted"):
                read_activity(data)
            result = ingest([submissions], data)
            assert result.ok and "interrupted" in result.warnings[0].message, (step, result.issues)
            assert result.written == [], "completed, the ingest found nothing left to do"
            assert _state(data) == new, f"step {step}"
        else:  # before it (or after the last rename): as it was, or done; staging left over is removed
            assert seen in (old, new), f"step {step}: a torn data folder without a journal"
            assert complete_interrupted(data) is None
            assert _state(data) == seen
        assert not (data / ".ingest").exists()
    assert step > 10 and pending_seen > 3, (step, pending_seen)


@pytest.mark.slow
def test_the_command_refuses_with_exit_2_and_replaces_with_replace(folders, tmp_path):
    existing = folders["data"] / "activity" / "energy.csv"
    existing.write_text(f"{HEADER}\n430523,2023,1.A.2,diesel,consumption,5,吨\n"
                        "430523,2023,1.A.2,raw_coal,consumption,7,吨\n", encoding="utf-8")
    incoming = tmp_path / "energy.csv"
    incoming.write_text(f"{HEADER}\n430523,2023,1.A.2,diesel,consumption,5,吨\n", encoding="utf-8")
    report = str(tmp_path / "report.html")
    refused = run_cli("ingest", str(incoming), "--data", str(folders["data"]), "--report", report)
    assert refused.returncode == 2, refused.stderr
    assert "替换将删除 1 条、修改 0 条记录" in refused.stderr and "--replace" in refused.stderr
    assert "替换将删除 1 条" in Path(report).read_text(encoding="utf-8")
    done = run_cli("ingest", str(incoming), "--data", str(folders["data"]), "--report", report, "--replace")
    assert done.returncode == 0, done.stderr
    assert existing.read_bytes() == incoming.read_bytes() and len(list((folders["data"] / "replaced").iterdir())) == 1


def test_a_write_that_fails_before_the_commit_point_leaves_the_folder_as_it_was(folders, tmp_path):
    """A file named ``workbooks`` where the copies go: the folder cannot be made, the ingest says so, and
    nothing was written (folders are made before the journal, so no rename is left half done)."""
    (folders["data"] / "workbooks").write_text("not a folder")
    fill(folders["workbook"], {"能源消费": {"D15": 35000}})
    before = tree_digest(folders["data"])
    [issue] = ingest([folders["in"]], folders["data"]).issues
    assert issue.message.startswith("写入失败：") and "the data folder is as it was" in issue.message
    assert tree_digest(folders["data"]) == before and not (folders["data"] / ".ingest").exists()
