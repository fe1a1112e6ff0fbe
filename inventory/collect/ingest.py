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
  (added, changed, removed) are listed; ``<data>/ingest_log.csv`` records every ingest.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import html
import io
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from inventory import resources
from inventory.collect.workbooks import CellRecord, WorkbookMeta, read_workbook
from inventory.core.activity import KEY, activity_files, read_activity_files
from inventory.core.csvio import read_csv_text
from inventory.core.errors import InputError, Issue
from inventory.core.regions import RegionRegistry, load_regions
from inventory.core.results import atomic_write_bytes, atomic_write_text

__all__ = ["IngestResult", "Change", "ingest", "is_demo_folder", "write_report", "ACTIVITY_COLUMNS"]

ACTIVITY_COLUMNS = ["region", "year", "category", "item", "quantity", "value", "unit", "notation", "uncertainty",
                    "source", "note", "origin"]
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
UNREADABLE_SUFFIXES = (".xls", ".et", ".ett", ".ods")
LOG_COLUMNS = ["time", "input", "sha256", "target", "records", "added", "changed", "removed"]
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
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            for candidate in sorted(path.rglob("*")):
                if candidate.is_file() and not candidate.name.startswith(("~$", ".")) and \
                        candidate.suffix.lower() in WORKBOOK_SUFFIXES + UNREADABLE_SUFFIXES + (".csv",):
                    found.append(candidate)
        elif path.is_file():
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


def _csv_text(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=ACTIVITY_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in sorted(rows, key=lambda r: (r["category"], r["item"], r["quantity"])):
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


def ingest(inputs: list[Path], data_dir: Path, regions: list[str] | None = None, years: list[int] | None = None,
           dry_run: bool = False, into_demo: bool = False) -> IngestResult:
    """Read, check and (when everything is valid) file the inputs into ``data_dir``.

    ``data_dir`` must exist; the shipped demo folder (:func:`is_demo_folder`) is refused unless
    ``into_demo``: records of a real county do not belong among the illustrative ones.
    """
    data_dir = Path(data_dir)
    issues: list[Issue] = []
    warnings: list[Issue] = []
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
    registry = load_regions(data_dir if (data_dir / "regions.csv").exists() else None)
    paths = _inputs([Path(p) for p in inputs], issues)
    if not paths and not issues:
        issues.append(Issue(" ".join(map(str, inputs)), 0, "", "没有找到 .xlsx 或 .csv 文件 / no .xlsx or .csv "
                                                               "files found"))
    staged: dict[str, tuple[Path, str, IngestedFile]] = {}  # target -> (input, its activity CSV, its entry)
    activity_dir = data_dir / "activity"
    for path in paths:
        display = _display(path)
        suffix = path.suffix.lower()
        if suffix == ".csv":
            target = f"activity/{path.name}"
            if path.parent.resolve() == activity_dir.resolve():
                warnings.append(Issue(display, 0, "", "已在数据目录中，只做校验 / already in the data folder: "
                                                      "checked only"))
            # UTF-8, or GBK/GB18030 (Excel on Chinese Windows) read with a warning and filed as UTF-8
            text = read_csv_text(path, display, issues, warnings)
            if text is None:
                continue
            entry = IngestedFile(display, "csv", target, 0)
        else:
            meta, cells = read_workbook(path, display, issues, warnings)
            if meta is None:
                continue
            _check_filing(path, display, meta, registry, regions, years, issues)
            target = f"activity/workbook_{meta.department}_{meta.region}_{meta.year}.csv"
            rows = _workbook_rows(meta, cells, path.name)
            if not rows and not (data_dir / target).exists():
                warnings.append(Issue(display, 0, "", "空表：没有填写任何数值或注释符号，未归档 / nothing filled in: "
                                                      "nothing to file"))
                continue
            text = _csv_text(rows)
            entry = IngestedFile(display, "workbook", target, len(rows), meta=meta)
        if target in staged:
            first = staged[target][2].display
            issues.append(Issue(display, 0, "", f"与 {first} 是同一部门、地区和年份的数据（只能有一份） / the same "
                                                f"department, region and year as {first}"))
            continue
        staged[target] = (path, text, entry)
    if staged:
        _validate_together(data_dir, staged, regions, years, issues, warnings)
    files = [entry for _, _, entry in staged.values()]
    if issues:
        return IngestResult(files, warnings, issues, [], dry_run)
    written = [] if dry_run else _write(data_dir, staged)
    return IngestResult(files, warnings, [], written, dry_run)


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
            entry.unchanged = old_path.exists() and old_path.read_text(encoding="utf-8-sig") == \
                staged[target][1].lstrip("\ufeff")


def _origins(path: Path) -> dict[int, str]:
    """Line a record starts on (1-based, header = 1, as validation counts it: a note with a line
    break spans lines) → the ``origin`` cell of each record of a staged file."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        column = header.index("origin") if "origin" in header else None
        found, start = {}, reader.line_num + 1
        for row in reader:
            found[start] = row[column] if column is not None and column < len(row) else ""
            start = reader.line_num + 1
    return found


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _write(data_dir: Path, staged: dict) -> list[Path]:
    """Copies of the workbooks, the activity files, the log: each written atomically."""
    written = []
    log_rows = []
    now = dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
    for target, (source, text, entry) in staged.items():
        if entry.kind == "workbook":
            copy = data_dir / "workbooks" / source.name
            if not copy.exists() or copy.read_bytes() != source.read_bytes():
                atomic_write_bytes(copy, source.read_bytes())
                written.append(copy)
        path = data_dir / target
        if not entry.unchanged and path.resolve() != source.resolve():
            atomic_write_text(path, text)
            written.append(path)
        counts = {kind: sum(1 for c in entry.changes if c.kind == kind) for kind in ("added", "changed", "removed")}
        log_rows.append({"time": now, "input": str(source), "sha256": _sha256(source), "target": target,
                         "records": entry.records, **counts})
    if written:
        log = data_dir / "ingest_log.csv"
        previous = log.read_text(encoding="utf-8") if log.exists() else ""
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=LOG_COLUMNS, lineterminator="\n")
        if not previous:
            writer.writeheader()
        writer.writerows(log_rows)
        atomic_write_text(log, previous + buffer.getvalue())
        written.append(log)
    return written


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
            sheet.append(list(table.columns))
            for cell in sheet[1]:
                cell.font = Font(bold=True)
            for row in table.itertuples(index=False):
                sheet.append(list(row))
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
        sections.append(f"<h2>{html.escape(name)} ({len(table)})</h2>{body}")
    page = f"""<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8"><title>数据校验报告 / ingest report</title>
<style>body {{ font-family: sans-serif; margin: 2em; }} table {{ border-collapse: collapse; }}
td, th {{ border: 1px solid #ccc; padding: 3px 8px; text-align: left; vertical-align: top; }}
.bad {{ color: #a00; font-weight: bold; }} .ok {{ color: #060; font-weight: bold; }}</style></head>
<body><h1>数据校验报告 / ingest report</h1>
<p>{html.escape(dt.datetime.now().strftime("%Y-%m-%d %H:%M"))} · {html.escape(result.line())}</p>{status}
{"".join(sections)}
</body></html>
"""
    atomic_write_text(path, page)
    return path
