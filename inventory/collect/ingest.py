"""``inventory ingest``: filled workbooks and activity CSV into the activity records of a data folder.

What it guarantees:

* every problem of every input is reported at once, each with file and sheet!cell (workbooks) or
  file:line (CSV), in the terminal and in a report a department can work from (HTML or Excel);
* nothing in the data folder is written unless every input is valid *and* the data folder as a
  whole is valid afterwards (a workbook value that contradicts a record filed elsewhere is an
  error naming both places);
* source workbooks are never modified; a copy of each ingested workbook is kept in
  ``<data>/workbooks/`` beside the records it produced, and every record says which cell it came
  from (column ``origin``);
* records are filed only into a data folder that exists, and never into the shipped illustrative
  demo (``data_raw/`` of the checkout) unless asked to (``into_demo``, ``--into-demo``);
* one workbook gives one file, ``<data>/activity/workbook_<department>_<region>_<year>.csv``: ingesting
  it again changes nothing, ingesting a revised copy replaces the earlier records and the changes
  (added, changed, removed) are listed; ``<data>/ingest_log.csv`` records every ingest;
* every submission is kept: each workbook's copy is named by its content
  (``workbooks/<name>.<sha256[:12]>.xlsx``), and an activity file that an ingest replaces is kept in
  ``replaced/`` first; an activity file that was not made from the same input (a workbook of the same
  department, region and year, or a CSV from the same path) is replaced only with ``replace``
  (``--replace``);
* a file that cannot be read (damaged, a decompression bomb, a folder with a file's name, no
  permission, a field over the CSV limit) is a problem of that file, never a traceback;
* crash safety: an ingest holds a lock on the data folder, writes every new file into
  ``<data>/.ingest/staging/``, then a journal naming each rename (the commit point), then renames.
  Killed before the journal, the data folder is as it was (the next ingest removes the staging
  folder); killed after, the next ingest completes the renames before anything else, and
  ``inventory run`` refuses the folder until then (:data:`inventory.core.activity.INGEST_JOURNAL`).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from inventory import resources
from inventory.collect.enterprises import ENTERPRISES, enterprise_target, plant_factor_target, read_register
from inventory.collect.workbooks import CellRecord, WorkbookMeta, read_workbook
from inventory.core.activity import INGEST_JOURNAL, KEY, activity_files, read_activity_files
from inventory.core.csvio import read_csv_text
from inventory.core.errors import InputError, Issue
from inventory.core.regions import RegionRegistry, load_regions
from inventory.core.results import atomic_write_bytes, atomic_write_text
from inventory.core.safetext import excel_cell, html_text

__all__ = ["IngestResult", "Change", "ingest", "is_demo_folder", "write_report", "ACTIVITY_COLUMNS"]

#: the columns of a key-enterprise file an enterprise's workbook is filed into (docs/DATA_FORMAT.md §2.10 and
#: ``origin``, the workbook cell of each record, which the IPPU reader passes over)
ENTERPRISE_COLUMNS = ["enterprise", "name", "region", "year", "category", "item", "quantity", "value", "unit", "gas",
                      "source", "note", "origin"]
ENTERPRISE_FOLDER = "enterprises"
#: the columns of the local factor file a key enterprise's plant parameters are filed into (CONTRACTS §4)
PLANT_FACTOR_COLUMNS = ["parameter", "category", "item", "gas", "value", "unit", "region", "year_from", "year_to",
                        "source", "source_table", "confidence", "note"]
ACTIVITY_COLUMNS = ["region", "year", "category", "item", "quantity", "value", "unit", "notation", "uncertainty",
                    "source", "note", "origin"]
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
UNREADABLE_SUFFIXES = (".xls", ".et", ".ett", ".ods")
LOG_COLUMNS = ["time", "input", "sha256", "target", "records", "added", "changed", "removed", "archived", "replaced"]
STATE_DIR = Path(INGEST_JOURNAL).parent  # .ingest/: the staging folder and the journal of a commit
_REGION_IN_NAME = re.compile(r"(?<![0-9])(\d{6}(?:-P\d{2})?)(?![0-9])")
_YEAR_IN_NAME = re.compile(r"(?<![0-9])((?:19|20)\d{2})(?![0-9])")


@dataclass
class Change:
    kind: str  # added / changed / removed
    key: str
    before: str
    after: str
    where: str


@dataclass
class IngestedFile:
    display: str
    kind: str  # workbook / csv
    target: str  # relative to the data folder
    records: int
    meta: WorkbookMeta | None = None
    changes: list[Change] = field(default_factory=list)
    unchanged: bool = False
    archived: str = ""  # the kept copy of the input, relative to the data folder
    replaced: str = ""  # the kept copy of the activity file it replaced


@dataclass
class IngestResult:
    files: list[IngestedFile]
    warnings: list[Issue]
    issues: list[Issue]
    written: list[Path]
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.issues

    def line(self) -> str:
        if not self.ok:
            return f"inventory ingest: {len(self.issues)} problem(s); nothing was written"
        changed = sum(1 for f in self.files if not f.unchanged)
        counts = {kind: sum(1 for f in self.files for c in f.changes if c.kind == kind)
                  for kind in ("added", "changed", "removed")}
        return (f"inventory ingest: ok; {len(self.files)} file(s), {changed} with changes "
                f"({counts['added']} added, {counts['changed']} changed, {counts['removed']} removed records)"
                + ("; dry run, nothing written" if self.dry_run else ""))


def _inputs(paths: list[Path], issues: list[Issue]) -> list[Path]:
    """The workbooks and CSV files among ``paths`` (folders searched); a folder named like one of
    them (``x.csv``, an unpacked ``x.xlsx``) is an issue, not a folder of inputs or a silent skip."""
    suffixes = WORKBOOK_SUFFIXES + UNREADABLE_SUFFIXES + (".csv",)
    found: list[Path] = []
    for path in paths:
        if path.is_dir() and path.suffix.lower() in suffixes:
            found.append(path)  # reading it reports it
        elif path.is_dir():
            try:
                candidates = sorted(path.rglob("*"))
            except OSError as exc:
                issues.append(Issue(str(path), 0, "", f"无法读取文件夹 / cannot read the folder: {exc}"))
                continue
            found += [c for c in candidates if c.suffix.lower() in suffixes and not c.name.startswith(("~$", "."))
                      and (c.is_file() or c.is_dir())]
        elif path.exists():
            found.append(path)
        else:
            issues.append(Issue(str(path), 0, "", "文件或目录不存在 / no such file or folder"))
    return list(dict.fromkeys(p.resolve() for p in found))


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _check_filing(path: Path, display: str, meta: WorkbookMeta, registry: RegionRegistry,
                  regions: list[str] | None, years: list[int] | None, issues: list[Issue]) -> None:
    """A workbook filed in the wrong place: its name or folder names another region or year, it is
    outside what this ingest was asked to take, or its region did not exist that year."""
    stated = f"{meta.region} {meta.year}"
    if meta.region not in registry:
        issues.append(Issue(display, 0, "", f"地区代码 {meta.region} 不在地区表中 / unknown region code"))
        return
    try:
        registry.canonical(meta.region, meta.year)
    except ValueError as exc:
        issues.append(Issue(display, 0, "", str(exc)))
    for code in _REGION_IN_NAME.findall(path.stem):
        if code != meta.region and code in registry:
            issues.append(Issue(display, 0, "", (
                f"文件名写的是 {code}（{registry[code].name_zh}），表内是 {meta.region}"
                 f"（{registry[meta.region].name_zh}）："
                f"放错了地方？ / the file name says {code}, the workbook is {meta.region}'s")))
    for year in _YEAR_IN_NAME.findall(path.stem):
        if int(year) != meta.year:
            issues.append(Issue(display, 0, "", f"文件名写的是 {year} 年，表内是 {meta.year} 年 / the file name "
                                                 f"says {year}, "
                                                f"the workbook is for {meta.year}"))
    for folder in path.parent.parts[-2:]:
        if folder in registry and folder != meta.region:
            issues.append(Issue(display, 0, "", f"放在 {folder} 的文件夹里，但表内是 {meta.region} 的数据 / "
                                                 f"filed under "
                                                f"{folder}, the workbook is {meta.region}'s"))
    if regions and meta.region not in regions:
        issues.append(Issue(display, 0, "", f"此表是 {stated} 的，不在 --regions {','.join(regions)} 之内 / outside "
                                            "the regions asked for"))
    if years and meta.year not in years:
        issues.append(Issue(display, 0, "", f"此表是 {meta.year} 年的，不在 --years 之内 / outside the years "
                                             f"asked for"))


def _workbook_rows(meta: WorkbookMeta, cells: list[CellRecord], name: str) -> list[dict]:
    """Activity-CSV rows of a workbook's cells; a row without a source names the form it came on."""
    from inventory.collect.departments import departments

    department = departments()[meta.department]
    default_source = f"{department.name_zh} {meta.year} 年数据采集表 {name}"
    return [{
        "region": meta.region, "year": str(meta.year), "category": c.category, "item": c.item,
        "quantity": c.quantity, "value": c.value, "unit": c.unit, "notation": c.notation, "uncertainty": "",
        "source": c.source or default_source, "note": c.note, "origin": f"{name}!{c.sheet}!{c.cell}",
    } for c in cells]


def _enterprise_rows(meta: WorkbookMeta, cells: list[CellRecord], name: str) -> list[dict]:
    """Key-enterprise rows (docs/DATA_FORMAT.md §2.10, with ``origin``) of an enterprise's workbook."""
    default_source = f"{meta.enterprise_name} {meta.year} 年重点企业数据表 {name}"
    return [{
        "enterprise": meta.enterprise, "name": meta.enterprise_name, "region": meta.region, "year": str(meta.year),
        "category": c.category, "item": c.item, "quantity": c.quantity, "value": c.value, "unit": c.unit,
        "gas": c.gas, "source": c.source or default_source, "note": c.note, "origin": f"{name}!{c.sheet}!{c.cell}",
    } for c in cells]


def _plant_factor_rows(meta: WorkbookMeta, cells: list[CellRecord], name: str) -> list[dict]:
    """Local factor rows (CONTRACTS §4) of the process parameters a key enterprise measured: its region,
    that year only; ``source_table`` names the workbook cell."""
    default_source = f"{meta.enterprise_name} {meta.year} 年重点企业数据表 {name}"
    measured = f"{meta.enterprise_name}（{meta.enterprise}）实测 / measured at the plant"
    return [{
        "parameter": c.parameter, "category": c.category, "item": c.item, "gas": c.gas, "value": c.value,
        "unit": c.unit, "region": meta.region, "year_from": str(meta.year), "year_to": str(meta.year),
        "source": c.source or default_source, "source_table": f"{name}!{c.sheet}!{c.cell}", "confidence": "local",
        "note": "；".join(t for t in (measured, c.note) if t),
    } for c in cells]


def _csv_text(rows: list[dict], columns: list[str] = ACTIVITY_COLUMNS) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in sorted(rows, key=lambda r: (r["category"], r["item"], r.get("quantity", ""), r.get("parameter", ""),
                                           r.get("gas", ""))):
        writer.writerow(row)
    return buffer.getvalue()


def _describe(record) -> str:
    if record["notation"]:
        return record["notation"]
    return f"{record['value_reported']} {record['unit_reported']}".strip()


def _changes(old: pd.DataFrame | None, new: pd.DataFrame, where: str) -> list[Change]:
    """Records added, changed (value, unit or notation key) and removed, by record key."""
    def keyed(frame):
        return {tuple(str(row[k]) for k in KEY): row for _, row in frame.iterrows()}

    before = keyed(old) if old is not None and len(old) else {}
    after = keyed(new)
    changes = []
    for key in sorted(set(before) | set(after)):
        label = " ".join(k for k in key if k)
        if key not in before:
            changes.append(Change("added", label, "", _describe(after[key]), after[key].get("origin", where)))
        elif key not in after:
            changes.append(Change("removed", label, _describe(before[key]), "", where))
        else:
            old_row, new_row = before[key], after[key]
            same_value = (old_row["notation"] == new_row["notation"]) and (
                (np.isnan(old_row["value"]) and np.isnan(new_row["value"]))
                or bool(np.isclose(old_row["value"], new_row["value"], rtol=1e-12, atol=0)))
            if not same_value:
                changes.append(Change("changed", label, _describe(old_row), _describe(new_row),
                                      new_row.get("origin", where)))
    return changes


def is_demo_folder(data_dir: Path | str) -> bool:
    """Whether ``data_dir`` is the shipped illustrative demo (``data_raw/`` of the checkout)."""
    root = resources.source_root()
    return root is not None and Path(data_dir).resolve() == (root / "data_raw").resolve()


@contextmanager
def _locked(data_dir: Path) -> Iterator[bool]:
    """An exclusive lock on the data folder itself (``flock`` on its descriptor: no file is made);
    yields False when another ingest holds it."""
    import fcntl

    descriptor = os.open(data_dir, os.O_RDONLY)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(descriptor)


def ingest(inputs: list[Path], data_dir: Path, regions: list[str] | None = None, years: list[int] | None = None,
           dry_run: bool = False, into_demo: bool = False, replace: bool = False) -> IngestResult:
    """Read, check and (when everything is valid) file the inputs into ``data_dir``.

    ``data_dir`` must exist; the shipped demo folder (:func:`is_demo_folder`) is refused unless
    ``into_demo``: records of a real county do not belong among the illustrative ones. An activity
    file not made from the same input is replaced only with ``replace``. An ingest interrupted
    after its commit point is completed first (a warning says so), even by a dry run.
    """
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        return IngestResult([], [], [Issue(str(data_dir), 0, "", (
            "数据目录不存在 / the data folder does not exist" if not data_dir.exists() else
            "不是目录 / not a folder") + ": 先建立它，或用 --data 指定已有的数据目录 / create it first, or give an "
                                          "existing one with --data")], [], dry_run)
    if is_demo_folder(data_dir) and not into_demo:
        return IngestResult([], [], [Issue(str(data_dir), 0, "", (
            "这是随附的示例数据目录（示例数据，非官方统计），不接收真实记录；请用 --data 指定本地区自己的数据目录 / "
            "this is the shipped illustrative demo folder: real records do not belong there; give your own data "
            "folder with --data (--into-demo to file into the demo anyway)"))], [], dry_run)
    with _locked(data_dir) as mine:
        if not mine:
            return IngestResult([], [], [Issue(str(data_dir), 0, "", (
                "另一个 inventory ingest 正在写入此数据目录：等它结束后再读入 / another inventory ingest is writing "
                "into this data folder: try again when it has finished"))], [], dry_run)
        warnings: list[Issue] = []
        try:
            completed = complete_interrupted(data_dir)
        except OSError as exc:
            return IngestResult([], [], [Issue(str(data_dir / INGEST_JOURNAL), 0, "", (
                f"上次被中断的读入无法完成：{exc}；排除原因后再读入 / an interrupted ingest cannot be completed: "
                f"{exc}; remove the cause and ingest again"))], [], dry_run)
        if completed:
            warnings.append(completed)
        result = _ingest(inputs, data_dir, regions, years, dry_run, replace, warnings)
    return result


def _ingest(inputs: list[Path], data_dir: Path, regions: list[str] | None, years: list[int] | None, dry_run: bool,
            replace: bool, warnings: list[Issue]) -> IngestResult:
    issues: list[Issue] = []
    try:
        registry = load_regions(data_dir if (data_dir / "regions.csv").exists() else None)
    except InputError as exc:
        return IngestResult([], warnings, exc.issues, [], dry_run)
    paths = _inputs([Path(p) for p in inputs], issues)
    if not paths and not issues:
        issues.append(Issue(" ".join(map(str, inputs)), 0, "", "没有找到 .xlsx 或 .csv 文件 / no .xlsx or .csv "
                                                               "files found"))
    staged: dict[str, tuple[Path, str, IngestedFile]] = {}  # target -> (input, its activity CSV, its entry)
    for path in paths:
        display = _display(path)
        try:
            read = _read_input(path, display, data_dir, registry, regions, years, issues, warnings)
        except Exception as exc:  # noqa: BLE001 — a file no check foresaw fails alone, named, never a traceback
            issues.append(Issue(display, 0, "", f"无法读取此文件 / this file could not be read: "
                                                f"{type(exc).__name__}: {exc}"))
            continue
        for target, text, entry in read or []:
            if target in staged:
                first = staged[target][2].display
                issues.append(Issue(display, 0, "", f"与 {first} 是同一部门（企业）、地区和年份的数据（只能有一份） / "
                                                    f"the same department (enterprise), region and year as {first}"))
                continue
            staged[target] = (path, text, entry)
    if staged:
        activity = {t: v for t, v in staged.items() if t.startswith("activity/")}
        if activity:
            _validate_together(data_dir, activity, regions, years, issues, warnings)
        enterprises = {t: v for t, v in staged.items() if t.startswith(f"{ENTERPRISE_FOLDER}/")}
        if enterprises:
            _validate_enterprises(data_dir, enterprises, issues)
        plant = {t: v for t, v in staged.items() if t.startswith("factors/")}
        if plant:
            _validate_plant_factors(data_dir, plant, issues)
        _check_replacing(data_dir, staged, replace, issues)
    files = [entry for _, _, entry in staged.values()]
    if issues:
        return IngestResult(files, warnings, issues, [], dry_run)
    if dry_run:
        return IngestResult(files, warnings, [], [], dry_run)
    try:
        written = _write(data_dir, staged)
    except OSError as exc:
        pending = (data_dir / INGEST_JOURNAL).exists()
        if not pending:
            shutil.rmtree(data_dir / STATE_DIR, ignore_errors=True)
        return IngestResult(files, warnings, [Issue(str(data_dir), 0, "", (
            f"写入失败：{exc}；" + ("已提交的写入将由下次读入完成 / " if pending else "数据目录未改动 / ")
            + f"writing failed: {exc}; "
            + ("the next ingest completes what was committed" if pending else "the data folder is as it was")))],
            [], dry_run)
    return IngestResult(files, warnings, [], written, dry_run)


def _read_input(path: Path, display: str, data_dir: Path, registry: RegionRegistry, regions: list[str] | None,
                years: list[int] | None, issues: list[Issue],
                warnings: list[Issue]) -> list[tuple[str, str, IngestedFile]] | None:
    """One input as (target, CSV text, entry) for each file it makes (a key enterprise's workbook: its
    records and, where it gave plant parameters, their factor rows); None when it has problems or nothing
    to file."""
    if path.suffix.lower() == ".csv":
        target = f"activity/{path.name}"
        if path.parent.resolve() == (data_dir / "activity").resolve():
            warnings.append(Issue(display, 0, "", "已在数据目录中，只做校验 / already in the data folder: "
                                                  "checked only"))
        # UTF-8, or GBK/GB18030 (Excel on Chinese Windows) read with a warning and filed as UTF-8
        text = read_csv_text(path, display, issues, warnings)
        return None if text is None else [(target, text, IngestedFile(display, "csv", target, 0))]
    meta, cells = read_workbook(path, display, issues, warnings)
    if meta is None:
        return None
    _check_filing(path, display, meta, registry, regions, years, issues)
    if meta.department == ENTERPRISES:
        target = enterprise_target(meta.enterprise, meta.year)
        rows = _enterprise_rows(meta, [c for c in cells if not c.parameter], path.name)
        text = _csv_text(rows, ENTERPRISE_COLUMNS)
        factors = _plant_factor_rows(meta, [c for c in cells if c.parameter], path.name)
        factor_target = plant_factor_target(meta.enterprise, meta.year)
        made = []
        if factors or (data_dir / factor_target).exists():
            made.append((factor_target, _csv_text(factors, PLANT_FACTOR_COLUMNS),
                         IngestedFile(display, "workbook", factor_target, len(factors), meta=meta)))
        if rows or made or (data_dir / target).exists():
            made.insert(0, (target, text, IngestedFile(display, "workbook", target, len(rows), meta=meta)))
            return made
    else:
        target = f"activity/workbook_{meta.department}_{meta.region}_{meta.year}.csv"
        rows = _workbook_rows(meta, cells, path.name)
        if rows or (data_dir / target).exists():
            return [(target, _csv_text(rows), IngestedFile(display, "workbook", target, len(rows), meta=meta))]
    warnings.append(Issue(display, 0, "", "空表：没有填写任何数值或注释符号，未归档 / nothing filled in: "
                                          "nothing to file"))
    return None


def _filed_from(data_dir: Path, issues: list[Issue]) -> dict[str, dict[str, str]]:
    """The last ``ingest_log.csv`` row of each target: which input made each activity file."""
    log = data_dir / "ingest_log.csv"
    if not log.exists():
        return {}
    try:
        with log.open(encoding="utf-8-sig", newline="") as handle:
            return {row["target"]: row for row in csv.DictReader(handle) if row.get("target")}
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        issues.append(Issue(str(log), 0, "", f"读入记录无法读取 / the ingest log cannot be read: {exc}"))
        return {}


def _check_replacing(data_dir: Path, staged: dict, replace: bool, issues: list[Issue]) -> None:
    """An activity file is replaced without ``replace`` only by a revision of the input that made it:
    a workbook of the same department, region and year (the target's name says which), or a CSV from
    the same path."""
    filed = _filed_from(data_dir, issues)
    for target, (source, _, entry) in staged.items():
        path = data_dir / target
        if entry.unchanged or not path.exists() or path.resolve() == source.resolve():
            continue
        before = filed.get(target)
        if before is None:
            made = "不是 inventory ingest 写入的 / not written by inventory ingest"
            same = False
        else:
            made = f"由 {before['input']} 于 {before['time']} 读入 / filed from {before['input']} at {before['time']}"
            same = (Path(before["input"]).suffix.lower() in WORKBOOK_SUFFIXES if entry.kind == "workbook"
                    else before["input"] == str(source))
        if same or replace:
            continue
        counts = {kind: sum(1 for c in entry.changes if c.kind == kind) for kind in ("added", "changed", "removed")}
        issues.append(Issue(entry.display, 0, "", (
            f"{target} 已存在，不是由此输入生成的（{made}）；替换将删除 {counts['removed']} 条、修改 "
            f"{counts['changed']} 条记录。确需替换请加 --replace（原文件会保存在 replaced/ 中），"
            "否则请给此文件另起名字 / "
            f"{target} exists and was not made from this input; replacing it would remove {counts['removed']} and "
            f"change {counts['changed']} record(s): add --replace to replace it (the earlier file is kept in "
            f"replaced/), or give this file another name")))


def _validate_together(data_dir: Path, staged: dict, regions: list[str] | None, years: list[int] | None,
                       issues: list[Issue], warnings: list[Issue]) -> None:
    """The data folder as it would be: its other activity files and the staged ones, validated as one;
    problems in a staged workbook file are named by the workbook's sheet and cell."""
    root = data_dir.resolve()
    try:
        existing = activity_files(root)
    except InputError:
        existing = []
    targets = {(root / target).resolve() for target in staged}
    kept = [p for p in existing if p.resolve() not in targets]
    with tempfile.TemporaryDirectory(prefix="inventory-ingest-") as scratch:
        scratch_path = Path(scratch)
        names: dict[str, tuple[str, IngestedFile]] = {}
        staged_paths = []
        for target, (_, text, entry) in staged.items():
            path = scratch_path / Path(target).name
            path.write_text(text, encoding="utf-8")
            staged_paths.append(path)
            names[str(path)] = (target, entry)
        new_issues: list[Issue] = []
        try:
            data = read_activity_files(kept + staged_paths, root=root)
        except InputError as exc:
            new_issues = exc.issues
            data = None
        by_line = {str(p): _origins(p) for p in staged_paths}

        def located(issue: Issue) -> Issue:
            """An issue of a staged file, named by its input: the workbook cell, or the CSV line."""
            if issue.file not in names:
                return issue
            entry = names[issue.file][1]
            if entry.kind == "workbook":
                origin = by_line[issue.file].get(issue.line, "")
                return Issue(entry.display, 0, origin.split("!", 1)[1] if "!" in origin else "", issue.message)
            return Issue(entry.display, issue.line, issue.column, issue.message)

        issues.extend(located(issue) for issue in new_issues)
        if data is None:
            return
        warnings.extend(located(w) for w in data.warnings if w.file in names)
        records = data.records
        for path in staged_paths:
            target, entry = names[str(path)]
            mine = records[records["file"] == str(path)]
            entry.records = len(mine)
            if entry.kind == "csv":
                if regions:
                    for _, row in mine[~mine["region"].isin(regions)].iterrows():
                        issues.append(Issue(entry.display, int(row["line"]), "region",
                                            f"{row['region']} 不在 --regions 之内 / outside the regions asked for"))
                if years:
                    for _, row in mine[~mine["year"].isin(years)].iterrows():
                        issues.append(Issue(entry.display, int(row["line"]), "year",
                                            f"{row['year']} 不在 --years 之内 / outside the years asked for"))
            old_path = root / target
            old = None
            if old_path.exists():
                try:
                    old = read_activity_files([old_path], root=root).records
                except InputError:
                    old = None
            entry.changes = _changes(old, mine, entry.display)
            entry.unchanged = _same_text(old_path, staged[target][1])


def _validate_enterprises(data_dir: Path, staged: dict, issues: list[Issue]) -> None:
    """The key-enterprise files as they would be — the data folder's others and the staged ones — read by
    the IPPU sector's reader; a problem of a staged file is named by its workbook cell. A record key
    (enterprise, year, category, item, quantity, gas) filed in two files is an error naming both: the
    county's sum would count it twice."""
    from inventory.core.errors import InputError as ReadError

    root = data_dir.resolve()
    folder = root / ENTERPRISE_FOLDER
    targets = {(root / target).resolve() for target in staged}
    kept = [p for p in sorted(folder.glob("*.csv")) if p.resolve() not in targets] if folder.is_dir() else []
    with tempfile.TemporaryDirectory(prefix="inventory-ingest-") as scratch:
        scratch_path = Path(scratch)
        (scratch_path / ENTERPRISE_FOLDER).mkdir()
        if (root / "regions.csv").exists():
            shutil.copyfile(root / "regions.csv", scratch_path / "regions.csv")
        for path in kept:
            shutil.copyfile(path, scratch_path / ENTERPRISE_FOLDER / path.name)
        names: dict[str, tuple[str, IngestedFile, dict[int, str]]] = {}
        for target, (_, text, entry) in staged.items():
            path = scratch_path / target
            path.write_text(text, encoding="utf-8")
            names[target] = (target, entry, _origins(path))
        try:
            rows = read_register(scratch_path)
        except ReadError as exc:
            for issue in exc.issues:
                if issue.file in names:
                    _, entry, origins = names[issue.file]
                    origin = origins.get(issue.line, "")
                    issues.append(Issue(entry.display, 0, origin.split("!", 1)[1] if "!" in origin else "",
                                        f"{issue.column}: {issue.message}" if issue.column else issue.message))
                else:
                    issues.append(Issue(str(data_dir / issue.file), issue.line, issue.column, issue.message))
            return
    rows = rows.assign(gas=rows["gas"].where(rows["quantity"] == "reported_emissions", ""))
    key = ["enterprise", "year", "category", "item", "quantity", "gas"]

    def place(row) -> str:
        if row["file"] in names:
            _, entry, origins = names[row["file"]]
            return f"{entry.display}: {origins.get(row['line'], '').split('!', 1)[-1]}"
        return f"{data_dir / row['file']}:{row['line']}"

    for _, group in rows[rows.duplicated(key, keep=False)].groupby(key, sort=True):
        first, *others = group.to_dict("records")
        for other in others:
            mine, elsewhere = (other, first) if other["file"] in names else (first, other)
            if mine["file"] not in names:
                continue
            origin = names[mine["file"]][2].get(mine["line"], "")
            label = " ".join(str(mine[k]) for k in key if mine[k])
            issues.append(Issue(names[mine["file"]][1].display, 0, origin.split("!", 1)[1] if "!" in origin else "", (
                f"{label}：与 {place(elsewhere)} 重复（企业合计会算两次），只保留一处 / the same record is filed in "
                f"{place(elsewhere)} too (the county's sum would count it twice): keep one")))
    for target, (_, text, entry) in staged.items():
        mine = rows[rows["file"] == target]
        entry.records = len(mine)
        old_path = root / target
        old = _enterprise_records(old_path) if old_path.exists() else None
        entry.changes = _enterprise_changes(old, mine, names[target][2], entry.display)
        entry.unchanged = _same_text(old_path, text)


def _validate_plant_factors(data_dir: Path, staged: dict, issues: list[Issue]) -> None:
    """The factor database as it would be with the staged plant parameters (every local factor file of the
    data folder and the shipped ones, :func:`inventory.core.factors.load_factors`); a problem of a staged
    row is named by its workbook cell."""
    from inventory.core.factors import load_factors

    root = data_dir.resolve()
    targets = {(root / target).resolve() for target in staged}
    kept = [p for p in sorted((root / "factors").glob("*.csv")) if p.resolve() not in targets]
    with tempfile.TemporaryDirectory(prefix="inventory-ingest-") as scratch:
        scratch_path = Path(scratch)
        (scratch_path / "factors").mkdir()
        if (root / "regions.csv").exists():
            shutil.copyfile(root / "regions.csv", scratch_path / "regions.csv")
        for path in kept:
            shutil.copyfile(path, scratch_path / "factors" / path.name)
        cells: dict[str, tuple[IngestedFile, dict[int, str]]] = {}
        for target, (_, text, entry) in staged.items():
            (scratch_path / target).write_text(text, encoding="utf-8")
            with (scratch_path / target).open(encoding="utf-8", newline="") as handle:
                cells[target] = (entry, {line: row["source_table"] for line, row in
                                         enumerate(csv.DictReader(handle), start=2)})
            entry.records = len(cells[target][1])
            entry.changes = _factor_changes(root / target, text, entry.display)
            entry.unchanged = _same_text(root / target, text)
        try:
            load_factors(scratch_path)
        except InputError as exc:
            for issue in exc.issues:
                if issue.file not in cells:
                    issues.append(Issue(str(data_dir / issue.file), issue.line, issue.column, issue.message))
                    continue
                entry, origins = cells[issue.file]
                origin = origins.get(issue.line, "")
                hint = (" — 同一区县多家企业实测同一参数时，请清单编制组按产量加权后填一行本地因子 / several plants of "
                        "the county measured it: the inventory team files the production-weighted value"
                        if issue.column == "year_from" else "")
                issues.append(Issue(entry.display, 0, origin.split("!", 1)[1] if "!" in origin else "",
                                    f"{issue.column}: {issue.message}{hint}"))


def _factor_changes(path: Path, text: str, where: str) -> list[Change]:
    """Plant parameters added, changed and removed (by parameter, category, item, gas)."""
    def keyed(content: str) -> dict:
        return {(r["parameter"], r["category"], r["item"], r["gas"], r["year_from"]): r
                for r in csv.DictReader(io.StringIO(content))}

    before = keyed(path.read_text(encoding="utf-8-sig")) if path.is_file() else {}
    after = keyed(text)
    changes = []
    for key in sorted(set(before) | set(after)):
        label = " ".join(k for k in key if k)
        old, new = before.get(key), after.get(key)
        if old is None:
            changes.append(Change("added", label, "", f"{new['value']} {new['unit']}", new["source_table"]))
        elif new is None:
            changes.append(Change("removed", label, f"{old['value']} {old['unit']}", "", where))
        elif (old["value"], old["unit"]) != (new["value"], new["unit"]):
            changes.append(Change("changed", label, f"{old['value']} {old['unit']}", f"{new['value']} {new['unit']}",
                                  new["source_table"]))
    return changes


def _enterprise_records(path: Path) -> pd.DataFrame | None:
    """A filed key-enterprise file, read alone (None if it does not read)."""
    from inventory.core.errors import InputError as ReadError

    with tempfile.TemporaryDirectory(prefix="inventory-ingest-") as scratch:
        (Path(scratch) / ENTERPRISE_FOLDER).mkdir()
        shutil.copyfile(path, Path(scratch) / ENTERPRISE_FOLDER / path.name)
        if (path.parent.parent / "regions.csv").exists():
            shutil.copyfile(path.parent.parent / "regions.csv", Path(scratch) / "regions.csv")
        try:
            rows = read_register(Path(scratch))
        except ReadError:
            return None
    return rows.assign(gas=rows["gas"].where(rows["quantity"] == "reported_emissions", ""))


def _enterprise_changes(old: pd.DataFrame | None, new: pd.DataFrame, origins: dict[int, str],
                        where: str) -> list[Change]:
    """Key-enterprise records added, changed and removed (values compared in their canonical units)."""
    key = ["year", "category", "item", "quantity", "gas"]

    def keyed(frame) -> dict:
        return {tuple(str(row[k]) for k in key): row for row in frame.to_dict("records")}

    before = keyed(old) if old is not None else {}
    after = keyed(new)
    changes = []
    for record in sorted(set(before) | set(after)):
        label = " ".join(k for k in record if k)
        if record not in before:
            row = after[record]
            changes.append(Change("added", label, "", f"{row['value']:g} {row['unit']}",
                                  origins.get(row["line"], where)))
        elif record not in after:
            row = before[record]
            changes.append(Change("removed", label, f"{row['value']:g} {row['unit']}", "", where))
        elif not np.isclose(before[record]["value"], after[record]["value"], rtol=1e-12, atol=0):
            changes.append(Change("changed", label, f"{before[record]['value']:g} {before[record]['unit']}",
                                  f"{after[record]['value']:g} {after[record]['unit']}",
                                  origins.get(after[record]["line"], where)))
    return changes


def _same_text(path: Path, text: str) -> bool:
    """Whether the file at ``path`` holds ``text`` (a BOM aside)."""
    if not path.is_file():
        return False
    try:
        return path.read_bytes().decode("utf-8-sig") == text.lstrip("\ufeff")
    except (OSError, UnicodeDecodeError):
        return False


def _origins(path: Path) -> dict[int, str]:
    """Line a record starts on (1-based, header = 1, as validation counts it: a note with a line
    break spans lines) → the ``origin`` cell of each record of a staged file (which parses as CSV:
    :func:`read_csv_text` checked it)."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        column = header.index("origin") if "origin" in header else None
        found, start = {}, reader.line_num + 1
        for row in reader:
            found[start] = row[column] if column is not None and column < len(row) else ""
            start = reader.line_num + 1
    return found


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _kept_name(folder: str, name: str, data: bytes) -> str:
    """``<folder>/<stem>.<sha256[:12]><suffix>``: a copy named by its content, so that every
    version is kept and the same content is kept once."""
    path = Path(name)
    return f"{folder}/{path.stem}.{_digest(data)[:12]}{path.suffix}"


def _write(data_dir: Path, staged: dict) -> list[Path]:
    """Kept copies of the inputs and of the activity files replaced, the activity files, the log:
    committed as one (:func:`_commit`)."""
    writes: dict[str, bytes] = {}
    log_rows = []
    now = dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
    workbooks = (data_dir / "workbooks").resolve()
    for target, (source, text, entry) in staged.items():
        content = source.read_bytes()
        if entry.kind == "workbook":
            if source.parent.resolve() == workbooks:  # already kept in the data folder: not copied again
                entry.archived = source.relative_to(workbooks.parent).as_posix()
            else:
                entry.archived = _kept_name("workbooks", source.name, content)
                if not (data_dir / entry.archived).exists():
                    writes[entry.archived] = content
        path = data_dir / target
        if not entry.unchanged and path.resolve() != source.resolve():
            if path.is_file():
                earlier = path.read_bytes()
                entry.replaced = _kept_name("replaced", path.name, earlier)
                if not (data_dir / entry.replaced).exists():
                    writes[entry.replaced] = earlier
            writes[target] = text.encode("utf-8")
        counts = {kind: sum(1 for c in entry.changes if c.kind == kind) for kind in ("added", "changed", "removed")}
        log_rows.append({"time": now, "input": str(source), "sha256": _digest(content), "target": target,
                         "records": entry.records, **counts, "archived": entry.archived, "replaced": entry.replaced})
    if not writes:
        return []
    writes["ingest_log.csv"] = _log_text(data_dir / "ingest_log.csv", log_rows).encode("utf-8")
    _commit(data_dir, writes)
    return [data_dir / target for target in writes]


def _log_text(log: Path, rows: list[dict]) -> str:
    """``ingest_log.csv`` with ``rows`` added; earlier rows kept (those of a log from before a column
    was added get it empty)."""
    earlier = []
    if log.exists():
        with log.open(encoding="utf-8-sig", newline="") as handle:
            earlier = list(csv.DictReader(handle))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=LOG_COLUMNS, lineterminator="\n", restval="", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(earlier + rows)
    return buffer.getvalue()


def _fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _commit(data_dir: Path, writes: dict[str, bytes]) -> None:
    """Write every file of one ingest so that a kill at any moment leaves the data folder as it was or,
    once the journal exists, as :func:`complete_interrupted` (run by the next ingest) makes it:

    1. each new content into ``.ingest/staging/<n>`` (written and synced);
    2. ``.ingest/journal.json`` — staged file → target, for every file — written atomically: the commit point;
    3. the renames, the journal removed, the staging folder removed (:func:`complete_interrupted`).
    """
    state = data_dir / STATE_DIR
    staging = state / "staging"
    staging.mkdir(parents=True)
    moves = []
    for index, (target, content) in enumerate(writes.items()):
        atomic_write_bytes(staging / str(index), content)
        moves.append([f"staging/{index}", target])
    _fsync_folder(staging)
    for target in writes:  # folders made before the commit point: a file in their way fails it, not the renames
        (data_dir / target).parent.mkdir(parents=True, exist_ok=True)
    journal = {"time": dt.datetime.now().isoformat(timespec="seconds"), "moves": moves}
    atomic_write_text(data_dir / INGEST_JOURNAL, json.dumps(journal, ensure_ascii=False, indent=1))
    _fsync_folder(state)
    complete_interrupted(data_dir)


def complete_interrupted(data_dir: Path) -> Issue | None:
    """Finish what an ingest began: with a journal (it was killed after its commit point), do the
    renames it names that are not done yet; then remove the journal and the staging folder (a
    staging folder without a journal is a commit that never happened). Idempotent: a kill in here
    is completed by the next call. A warning when a journal was completed, else None."""
    state = data_dir / STATE_DIR
    if not state.exists():
        return None
    journal_path = data_dir / INGEST_JOURNAL
    done = None
    if journal_path.exists():
        journal = json.loads(journal_path.read_text(encoding="utf-8"))
        folders = set()
        for staged, target in journal["moves"]:
            source, destination = state / staged, data_dir / target
            if source.exists():
                destination.parent.mkdir(parents=True, exist_ok=True)
                os.replace(source, destination)
                folders.add(destination.parent)
        for folder in folders:
            _fsync_folder(folder)
        journal_path.unlink()
        done = Issue(str(data_dir), 0, "", (
            f"上次读入（{journal['time']}）在写入时被中断，已完成其写入（{len(journal['moves'])} 个文件） / "
            f"the ingest of "
            f"{journal['time']} was interrupted while writing: its {len(journal['moves'])} file(s) are now in place"))
    shutil.rmtree(state)
    return done


# ----------------------------------------------------------------------------------------------
# the report


def _where(issue: Issue) -> str:
    if issue.line:
        return f"line {issue.line}" + (f", column {issue.column}" if issue.column else "")
    return issue.column


def report_tables(result: IngestResult) -> dict[str, pd.DataFrame]:
    problems = pd.DataFrame([{"文件 / file": i.file, "位置 / where": _where(i), "问题 / problem": i.message}
                             for i in result.issues], columns=["文件 / file", "位置 / where", "问题 / problem"])
    warnings = pd.DataFrame([{"文件 / file": i.file, "位置 / where": _where(i), "提示 / warning": i.message}
                             for i in result.warnings], columns=["文件 / file", "位置 / where", "提示 / warning"])
    files = pd.DataFrame([{
        "文件 / file": f.display, "类型 / kind": f.kind,
        "部门 / department": f.meta.department if f.meta else "", "地区 / region": f.meta.region if f.meta else "",
        "年份 / year": str(f.meta.year) if f.meta else "", "记录 / records": f.records, "写入 / target": f.target,
        "变化 / changes": "无变化 / unchanged" if f.unchanged else str(len(f.changes)),
        "保存的副本 / kept copy": f.archived, "被替换的文件保存为 / replaced file kept as": f.replaced,
    } for f in result.files])
    changes = pd.DataFrame([{"文件 / file": f.display, "变化 / change": c.kind, "记录 / record": c.key,
                             "原值 / before": c.before, "新值 / after": c.after, "位置 / where": c.where}
                            for f in result.files for c in f.changes])
    return {"问题 problems": problems, "提示 warnings": warnings, "文件 files": files, "变化 changes": changes}


def write_report(result: IngestResult, path: Path) -> Path:
    """The validation report: an HTML page, or an Excel list when ``path`` ends in .xlsx."""
    tables = report_tables(result)
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook
        from openpyxl.styles import Font

        workbook = Workbook()
        workbook.remove(workbook.active)
        for name, table in tables.items():
            sheet = workbook.create_sheet(name)
            sheet.append([excel_cell(sheet, heading) for heading in table.columns])
            for cell in sheet[1]:
                cell.font = Font(bold=True)
            for row in table.itertuples(index=False):  # sheet names, messages, keys: text from input, never a formula
                sheet.append([excel_cell(sheet, value) for value in row])
            for column, heading in zip(sheet.columns, table.columns):
                width = max([len(str(heading))] + [len(str(c.value or "")) for c in column])
                sheet.column_dimensions[column[0].column_letter].width = min(80, width + 2)
            sheet.freeze_panes = "A2"
            sheet.auto_filter.ref = sheet.dimensions
        buffer = io.BytesIO()
        workbook.save(buffer)
        atomic_write_bytes(path, buffer.getvalue())
        return path
    status = ("<p class='bad'>有问题，未写入任何数据 / problems found: nothing was written.</p>" if not result.ok else
              "<p class='ok'>校验通过 / all inputs valid.</p>")
    sections = []
    for name, table in tables.items():
        body = table.to_html(index=False, escape=True, border=0) if len(table) else "<p>无 / none</p>"
        sections.append(f"<h2>{html_text(name)} ({len(table)})</h2>{body}")
    page = f"""<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8"><title>数据校验报告 / ingest report</title>
<style>body {{ font-family: sans-serif; margin: 2em; }} table {{ border-collapse: collapse; }}
td, th {{ border: 1px solid #ccc; padding: 3px 8px; text-align: left; vertical-align: top; }}
.bad {{ color: #a00; font-weight: bold; }} .ok {{ color: #060; font-weight: bold; }}</style></head>
<body><h1>数据校验报告 / ingest report</h1>
<p>{html_text(dt.datetime.now().strftime("%Y-%m-%d %H:%M"))} · {html_text(result.line())}</p>{status}
{"".join(sections)}
</body></html>
"""
    atomic_write_text(path, page)
    return path
