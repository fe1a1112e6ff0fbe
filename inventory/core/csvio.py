"""Reading the project's CSV inputs: every cell a string, every record with the line it starts on — so
that each error can name file, line and column.

Files are UTF-8 (a BOM accepted). A file that cannot be read (a folder named ``x.csv``, no permission),
or a field longer than :data:`FIELD_LIMIT` characters, is an issue naming the file (and line), never a
traceback. A file that is not UTF-8 but reads as GB18030 (which contains GBK:
what Excel writes as "CSV (逗号分隔)" on Chinese Windows) is read when the caller takes warnings, with a
warning naming the file; else, and for anything else, the message gives the steps to save it as UTF-8.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd

from inventory.core.errors import Issue, bilingual

__all__ = ["FIELD_LIMIT", "UNCERTAINTY", "read_rows", "read_csv_text", "SAVE_AS_UTF8", "HEADER_ALIASES"]

#: the longest field a CSV may hold (the ``csv`` module's own limit): longer is an unclosed quote, not data
FIELD_LIMIT = csv.field_size_limit()

#: an uncertainty cell: ± percent at 95 % confidence ("5", "±5", "5%") or a range "low..high"
UNCERTAINTY = re.compile(r"^\s*(?:±?\s*(\d+(?:\.\d+)?)\s*%?|(-?\d+(?:\.\d+)?)\s*\.\.\s*(-?\d+(?:\.\d+)?))\s*$")

#: how to save a file as UTF-8 CSV, in Chinese and in English
SAVE_AS_UTF8 = (
    "请在 Excel 中打开，点“文件 → 另存为”，保存类型选“CSV UTF-8(逗号分隔)(*.csv)”，保存；"
    "或用记事本打开，“另存为”时编码选 UTF-8",
    "open it in Excel, File → Save As, choose the type 'CSV UTF-8 (Comma delimited) (*.csv)', Save; "
    "or open it in Notepad and choose the encoding UTF-8 in Save As",
)

#: what a header may say instead of a column's name (its Chinese heading)
HEADER_ALIASES = {
    "地区": "region", "地区代码": "region", "行政区划代码": "region", "区划代码": "region", "地区编码": "region",
    "年份": "year", "年度": "year", "年": "year", "类别": "category", "类别代码": "category",
    "排放源类别": "category", "条目": "item", "品种": "item", "能源品种": "item", "燃料品种": "item",
    "活动量": "quantity", "指标": "quantity", "数值": "value", "数量": "value", "值": "value", "单位": "unit",
    "计量单位": "unit", "注释键": "notation", "注释符号": "notation", "不确定性": "uncertainty", "来源": "source",
    "数据来源": "source", "备注": "note", "说明": "note", "期间": "period", "季度": "period", "月份": "period",
    "出处": "origin", "参数": "parameter", "气体": "gas", "可信度": "confidence", "起始年份": "year_from",
    "截止年份": "year_to",
}


def _decode(raw: bytes, display: str, issues: list[Issue], warnings: list[Issue] | None) -> str | None:
    """The text of a file: UTF-8, or GB18030 with a warning (when ``warnings`` is given)."""
    zh_steps, en_steps = SAVE_AS_UTF8
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        issues.append(Issue(display, 0, "", bilingual(
            f"这是 UTF-16 编码的“Unicode 文本”，不是 UTF-8 CSV：{zh_steps}",
            f"UTF-16 'Unicode text', not UTF-8 CSV: {en_steps}")))
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        utf8 = exc
    try:
        text = raw.decode("gb18030").lstrip("\ufeff")
    except UnicodeDecodeError as gb18030:
        # the line where the decoding that got further stopped: the likelier encoding's bad bytes
        position = max(utf8.start, gb18030.start)
        line = raw[:position].count(b"\n") + 1
        issues.append(Issue(display, line, "", bilingual(
            f"不是 UTF-8 文本，也不是 GBK/GB18030（第 {position} 字节起无法识别；不会用替换字符读入）：{zh_steps}",
            f"not UTF-8 text, nor GBK/GB18030 (the bytes from {position} on cannot be decoded; they are never "
            f"replaced): save it as UTF-8 CSV: {en_steps}")))
        return None
    if warnings is None:
        issues.append(Issue(display, 0, "", bilingual(
            f"是 GBK/GB18030 编码（中文 Windows 上 Excel 的“CSV(逗号分隔)”），不是 UTF-8：{zh_steps}",
            f"GBK/GB18030 text (Excel's 'CSV (Comma delimited)' on Chinese Windows), not UTF-8; save it as "
            f"UTF-8 CSV: {en_steps}")))
        return None
    warnings.append(Issue(display, 0, "", bilingual(
        f"按 GBK/GB18030 编码读入（中文 Windows 上 Excel 的“CSV(逗号分隔)”），不是 UTF-8：请核对报告中的中文；"
        f"以后请存为 UTF-8：{zh_steps}",
        f"read as GBK/GB18030 (Excel's 'CSV (Comma delimited)' on Chinese Windows), not UTF-8: check its "
        f"Chinese text in the reports; next time save it as UTF-8 CSV: {en_steps}")))
    return text


def _renames(header: list[str], missing: list[str]) -> list[tuple[str, str]]:
    """Header cells that stand for a missing column: (cell, column) — ``活动量`` → quantity, ``Region`` → region."""
    found = []
    for cell in header:
        column = HEADER_ALIASES.get(cell, cell.casefold().replace(" ", "_"))
        if column in missing and cell != column:
            found.append((cell, column))
    return found


def _read_bytes(path: Path, display: str, issues: list[Issue]) -> bytes | None:
    """The bytes of a file, or None with an issue naming it (a folder, no permission, gone)."""
    try:
        return Path(path).read_bytes()
    except IsADirectoryError:
        issues.append(Issue(display, 0, "", bilingual("是文件夹，不是文件（名字以 .csv 结尾）：请改名或移走",
                                                      "a folder, not a file (its name ends in .csv): rename or "
                                                      "move it")))
    except PermissionError:
        issues.append(Issue(display, 0, "", bilingual("没有读取权限", "permission denied: the file cannot be read")))
    except OSError as exc:
        issues.append(Issue(display, 0, "", bilingual(f"无法读取：{exc.strerror or exc}",
                                                      f"cannot be read: {exc.strerror or exc}")))
    return None


def read_csv_text(path: Path, display: str, issues: list[Issue], warnings: list[Issue]) -> str | None:
    """The text of a CSV file as :func:`read_rows` reads it: UTF-8, or GBK/GB18030 with a warning;
    None (and an issue naming the file) when it is neither, cannot be read, or does not parse as CSV
    (a field longer than :data:`FIELD_LIMIT` characters among them)."""
    raw = _read_bytes(path, display, issues)
    text = None if raw is None else _decode(raw, display, issues, warnings)
    if text is None:
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    try:
        for _ in reader:
            start = reader.line_num + 1
    except csv.Error as exc:
        issues.append(_csv_problem(display, start, exc))
        return None
    return text


def _csv_problem(display: str, line: int, exc: csv.Error) -> Issue:
    """A record that does not parse as CSV, at the line it starts on."""
    if "field larger than field limit" in str(exc):
        return Issue(display, line, "", bilingual(
            f"单元格超过 {FIELD_LIMIT:,} 个字符（引号不成对？）：请检查此行起的英文双引号",
            f"a field longer than {FIELD_LIMIT:,} characters (an unclosed quote?): check the double quotes from "
            "this line on"))
    return Issue(display, line, "", bilingual(f"不是可读的 CSV：{exc}", f"not readable as CSV: {exc}"))


def read_rows(path: Path, display: str, required: list[str], optional: list[str],
              issues: list[Issue], warnings: list[Issue] | None = None) -> pd.DataFrame | None:
    """Read a CSV into a frame of stripped strings with columns ``required + optional``, plus
    ``file`` (= ``display``) and ``line`` (1-based, the header is line 1; blank rows skipped,
    quoted fields spanning lines counted). Problems go to ``issues``; None if the file is unusable.
    With ``warnings``, a GBK/GB18030 file is read and a warning says so; without, it is refused.
    """
    raw = _read_bytes(path, display, issues)
    text = None if raw is None else _decode(raw, display, issues, warnings)
    if text is None:
        return None
    start = 1
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        header = next(reader, None)
        if header is None:
            issues.append(Issue(display, 1, "", bilingual("空文件：第一行必须是表头（列名）",
                                                          "empty file: a header row is required")))
            return None
        header = [h.strip() for h in header]
        rows, lines = [], []
        start = reader.line_num + 1
        for row in reader:
            if any(cell.strip() for cell in row):
                if len(row) != len(header):
                    hint = (("多出的逗号？含逗号的文字要加英文双引号，数值不要用千分位逗号",
                             "a stray comma? quote text that holds commas; no thousands separators in numbers")
                            if len(row) > len(header) else ("少了单元格？", "cells missing?"))
                    issues.append(Issue(display, start, "", bilingual(
                        f"有 {len(row)} 个字段，表头有 {len(header)} 个（{hint[0]}）",
                        f"{len(row)} fields, the header has {len(header)} ({hint[1]})")))
                else:
                    rows.append(row)
                    lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        issues.append(_csv_problem(display, start, exc))
        return None
    missing = [c for c in required if c not in header]
    if missing:
        renames = _renames(header, missing)
        zh = en = ""
        if renames:
            zh = "——表头" + "、".join(f"“{cell}”请改为 {column}" for cell, column in renames)
            en = " — rename the header " + ", ".join(f"{cell!r} to {column}" for cell, column in renames)
        issues.append(Issue(display, 1, "", bilingual(
            f"缺少必填列：{', '.join(missing)}{zh}（列名用英文，见 docs/DATA_FORMAT.md 2.1）",
            f"missing required column(s): {', '.join(missing)}{en}")))
        return None
    duplicated = sorted({h for h in header if header.count(h) > 1})
    if duplicated:
        issues.append(Issue(display, 1, "", bilingual(f"列名重复：{', '.join(duplicated)}",
                                                      f"duplicated column(s): {', '.join(duplicated)}")))
        return None
    frame = pd.DataFrame(rows, columns=header, dtype=object)
    for column in optional:
        if column not in frame.columns:
            frame[column] = ""
    frame = frame[required + optional].apply(lambda s: s.str.strip())
    frame["file"] = display
    frame["line"] = lines
    return frame
