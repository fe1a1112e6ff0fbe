"""Region registry: GB/T 2260 codes of the city, its county-level units and parks (CONTRACTS §2).

The registry ships with the project (``inventory/data/regions.csv``) and is extended or overridden
by a data folder's own ``regions.csv`` with the same columns. Code history is kept: a retired code
(邵东县 430521, replaced by 邵东市 430582 in 2019) is accepted for the years it was valid and
mapped to its successor, so that one region has one code across the whole time series.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from inventory.core.csvio import read_rows
from inventory.core.errors import InputError, Issue, bilingual
from inventory.core.plausibility import year_in_range, year_range_message

__all__ = ["Region", "RegionRegistry", "UnknownRegion", "load_regions", "CODE", "code_problem"]

SHIPPED = Path(__file__).resolve().parent.parent / "data" / "regions.csv"
COLUMNS = ["code", "name_zh", "name_en", "level", "parent", "valid_from", "valid_to", "successor"]
LEVELS = ("province", "city", "county", "park")


@dataclass(frozen=True)
class Region:
    code: str
    name_zh: str
    name_en: str
    level: str
    parent: str
    valid_from: int | None
    valid_to: int | None
    successor: str

    def valid_in(self, year: int) -> bool:
        return (self.valid_from is None or year >= self.valid_from) and (
            self.valid_to is None or year <= self.valid_to
        )

    def label(self, lang: str = "zh") -> str:
        return f"{self.name_zh if lang == 'zh' else self.name_en} ({self.code})"


class UnknownRegion(LookupError):
    """A region asked for by a name (or code) that names no region, or more than one.

    ``candidates``: the codes it could mean (empty when nothing comes close); the message lists
    them with their names.
    """

    def __init__(self, text: str, candidates: list[str], message: str):
        super().__init__(message)
        self.text, self.candidates = text, candidates


def _folded(text: str) -> str:
    return " ".join(str(text).split()).casefold()


class RegionRegistry:
    """All known regions, by code."""

    def __init__(self, regions: dict[str, Region]):
        self.regions = regions

    def __contains__(self, code: str) -> bool:
        return code in self.regions

    def __getitem__(self, code: str) -> Region:
        return self.regions[code]

    def lookup(self, text: str) -> str:
        """The code of the region that ``text`` names: its code (``430523``), its Chinese name
        (``邵阳县``) or its English name (``Shaoyang County``, any case), or a part of one of those
        names that fits one region alone (``隆回`` → 430524).

        A retired region is found by its own name and code (``邵东县`` → 430521; :meth:`current`
        gives the code it became).

        Raises
        ------
        UnknownRegion
            No region, or more than one, fits; the message lists the candidates with their names
            (``邵阳`` fits 邵阳市 430500, 邵阳县 430523 ...).
        """
        text = str(text).strip()
        if text in self.regions:
            return text
        wanted = _folded(text)
        if not wanted:
            raise UnknownRegion(text, [], "empty region name")
        exact = [r.code for r in self.regions.values() if wanted in (_folded(r.name_zh), _folded(r.name_en))]
        if len(exact) == 1:
            return exact[0]
        partial = exact or [r.code for r in self.regions.values()
                            if wanted in _folded(r.name_zh) or wanted in _folded(r.name_en)]
        if len(partial) == 1:
            return partial[0]
        if partial:
            listed = ", ".join(f"{code} {self.regions[code].name_zh} / {self.regions[code].name_en}"
                               for code in partial[:12])
            more = f" and {len(partial) - 12} more" if len(partial) > 12 else ""
            raise UnknownRegion(text, partial, f"region name {text!r} is ambiguous / 地区名称不唯一: it fits "
                                               f"{listed}{more}; give the code or the full name")
        names = {}
        for region in self.regions.values():
            names.setdefault(_folded(region.name_zh), region.code)
            names.setdefault(_folded(region.name_en), region.code)
        near = list(dict.fromkeys(names[n] for n in difflib.get_close_matches(wanted, list(names), n=8, cutoff=0.6)))
        if near:
            hint = "; similar / 相近: "
        else:  # nothing close: the regions there are (the first of them)
            near = [r.code for r in self.regions.values() if r.level in ("city", "county")][:12]
            hint = "; known regions include / 已知地区如: "
        hint += ", ".join(f"{c} {self.regions[c].name_zh} / {self.regions[c].name_en}" for c in near)
        raise UnknownRegion(text, near, f"unknown region {text!r} / 未知地区: no region has this code or "
                                        f"name{hint}")

    def canonical(self, code: str, year: int) -> str:
        """The code a record of ``year`` is kept under: a retired code maps to its successor.

        Raises
        ------
        KeyError
            Unknown code.
        ValueError
            The code was not valid in ``year`` (e.g. 430521 used for 2020).
        """
        region = self.regions[code]
        if not region.valid_in(year):
            if region.successor and region.valid_to is not None and year > region.valid_to:
                raise ValueError(
                    f"region {code} ({region.name_zh}) was replaced by {region.successor} after "
                    f"{region.valid_to}; use {region.successor} for {year}"
                )
            raise ValueError(f"region {code} ({region.name_zh}) is not valid in {year}")
        seen = {code}
        while region.successor:
            region = self.regions[region.successor]
            if region.code in seen:
                raise ValueError(f"region successor cycle at {code}")
            seen.add(region.code)
        return region.code

    def current(self, code: str) -> str:
        """The code in use today for ``code``: itself, or the end of its successor chain."""
        seen = {code}
        while self.regions[code].successor and self.regions[code].successor not in seen:
            code = self.regions[code].successor
            seen.add(code)
        return code

    def ancestors(self, code: str) -> list[str]:
        """``code`` and its parents up to the top, nearest first."""
        chain = []
        current = code
        while current and current in self.regions and current not in chain:
            chain.append(current)
            current = self.regions[current].parent
        return chain

    def children(self, code: str, level: str | None = None) -> list[str]:
        """Direct children of ``code`` (current codes only), optionally of one level."""
        return sorted(
            r.code
            for r in self.regions.values()
            if r.parent == code and not r.successor and (level is None or r.level == level)
        )

    def descendants(self, code: str) -> set[str]:
        """Every region below ``code`` (children, their children ...; current codes only), not ``code``."""
        found, frontier = set(), [code]
        while frontier:
            for child in self.children(frontier.pop()):
                if child not in found:
                    found.add(child)
                    frontier.append(child)
        return found

    def table(self) -> pd.DataFrame:
        return pd.DataFrame([r.__dict__ for r in self.regions.values()])


#: a region code: GB/T 2260 (six digits), or ISO 3166-2 style for a region outside China (``DE-BY``: two capital
#: letters, a hyphen, one to eight capitals or digits); a park adds ``-P<nn>`` to its county's code. No dots,
#: slashes, spaces or anything else: a code names folders of the outputs.
CODE = re.compile(r"(?:[1-9]\d{5}|[A-Z]{2}-[A-Z0-9]{1,8})(?:-P\d{2})?")
#: the columns of a regions.csv by their Chinese names, for messages
_COLUMN_ZH = {"code": "地区代码", "name_zh": "中文名", "name_en": "英文名", "level": "级别", "parent": "上级代码",
              "valid_from": "起始年份", "valid_to": "截止年份", "successor": "继任代码"}


def code_problem(code: str) -> str | None:
    """Why ``code`` is no region code, in Chinese and English; None when it is one (:data:`CODE`)."""
    if CODE.fullmatch(code):
        return None
    zh = en = ""
    if any(c in code for c in "/\\.") or code.startswith("~"):
        zh, en = "（代码中不能有 / \\ . 等路径字符）", " (no path characters such as / \\ . in a code)"
    return bilingual(f"地区代码“{code}”格式不对：应为 GB/T 2260 六位数字（如 430523），园区为“县级代码-P两位序号”"
                     f"（如 430523-P01），境外地区为 ISO 3166-2 式代码（如 DE-BY）{zh}",
                     f"region code {code!r} is malformed: GB/T 2260 six digits (430523), a park <county code>-P<nn> "
                     f"(430523-P01), or ISO 3166-2 style outside China (DE-BY){en}")


def _year_cell(row: dict, column: str, issues: list[Issue]) -> int | None:
    text = row[column]
    if not text:
        return None
    if not (len(text) == 4 and text.isdigit()):
        issues.append(Issue(row["file"], row["line"], column, bilingual(
            f"{_COLUMN_ZH[column]}“{text}”不是四位数年份", f"{column} {text!r} is not a four-digit year")))
        return None
    if not year_in_range(int(text)):
        issues.append(Issue(row["file"], row["line"], column, year_range_message(column, _COLUMN_ZH[column], text)))
        return None
    return int(text)


def _read(path: Path, display: str, issues: list[Issue]) -> list[tuple[Region, str, int]]:
    """The rows of a regions.csv that are right, each with its file and line; every problem to ``issues``."""
    if not path.is_file():
        issues.append(Issue(display, 0, "", bilingual("不是文件（是文件夹？）", "not a file (a folder?)")))
        return []
    try:
        frame = read_rows(path, display, COLUMNS[:5], COLUMNS[5:] + ["note"], issues)
    except OSError as exc:
        issues.append(Issue(display, 0, "", bilingual(f"无法读取：{exc.strerror}", f"cannot be read: {exc.strerror}")))
        return []
    if frame is None:
        return []
    if frame.empty:
        issues.append(Issue(display, 1, "", bilingual("只有表头，没有地区", "a header and no region")))
        return []
    regions, lines = [], {}
    for row in frame.to_dict("records"):
        line = int(row["line"])
        before = len(issues)
        for column in ("code", "level"):
            if not row[column]:
                issues.append(Issue(display, line, column, bilingual(f"{_COLUMN_ZH[column]}（{column}）为空",
                                                                     f"{column} is empty")))
        if not row["name_zh"] and not row["name_en"]:
            issues.append(Issue(display, line, "name_zh", bilingual("中文名和英文名都为空", "no name: name_zh and "
                                                                                      "name_en are both empty")))
        for column in ("code", "parent", "successor"):
            problem = code_problem(row[column]) if row[column] else None
            if problem:
                issues.append(Issue(display, line, column, problem))
        if row["level"] and row["level"] not in LEVELS:
            issues.append(Issue(display, line, "level", bilingual(
                f"级别“{row['level']}”无效，应为 {'、'.join(LEVELS)} 之一",
                f"unknown level {row['level']!r}; one of {', '.join(LEVELS)}")))
        elif row["level"] == "park" and not row["parent"]:
            issues.append(Issue(display, line, "parent", bilingual(
                "园区须填上级县级代码", "a park needs its county as parent")))
        elif row["level"] == "park" and row["code"] and not code_problem(row["code"]) \
                and not re.fullmatch(re.escape(row["parent"]) + r"-P\d{2}", row["code"]):
            issues.append(Issue(display, line, "code", bilingual(
                f"园区代码“{row['code']}”应为“上级县级代码-P两位序号”（如 {row['parent']}-P01）",
                f"park {row['code']}: park codes are <county code>-P<nn> (e.g. {row['parent']}-P01)")))
        elif row["level"] in LEVELS and row["level"] != "park" and "-P" in row["code"] \
                and not code_problem(row["code"]):
            issues.append(Issue(display, line, "level", bilingual(
                f"代码“{row['code']}”是园区代码，级别应为 park", f"code {row['code']!r} is a park's: level park")))
        if row["code"] and row["code"] in (row["parent"], row["successor"]):
            column = "parent" if row["code"] == row["parent"] else "successor"
            issues.append(Issue(display, line, column, bilingual(f"{_COLUMN_ZH[column]}不能是本地区自己",
                                                                 f"{column} is the region itself")))
        valid_from = _year_cell(row, "valid_from", issues)
        valid_to = _year_cell(row, "valid_to", issues)
        if valid_from is not None and valid_to is not None and valid_from > valid_to:
            issues.append(Issue(display, line, "valid_to", bilingual(
                f"截止年份 {valid_to} 早于起始年份 {valid_from}",
                f"valid_to {valid_to} is before valid_from {valid_from}")))
        if row["code"] in lines:
            issues.append(Issue(display, line, "code", bilingual(
                f"地区代码 {row['code']} 重复（与第 {lines[row['code']]} 行）",
                f"region code {row['code']} is listed twice (also line {lines[row['code']]})")))
        lines.setdefault(row["code"], line)
        if len(issues) > before:
            continue
        regions.append((Region(code=row["code"], name_zh=row["name_zh"], name_en=row["name_en"], level=row["level"],
                               parent=row["parent"], valid_from=valid_from, valid_to=valid_to,
                               successor=row["successor"]), display, line))
    return regions


def _check_links(by_code: dict[str, Region], where: dict[str, tuple[str, int]], issues: list[Issue]) -> None:
    """Every parent and successor is a registered region; no region is its own ancestor or successor."""
    for region in by_code.values():
        file, line = where[region.code]
        for column, target in (("parent", region.parent), ("successor", region.successor)):
            if target and target not in by_code:
                issues.append(Issue(file, line, column, bilingual(
                    f"地区 {region.code}：{_COLUMN_ZH[column]} {target} 不在地区表中（请先登记它）",
                    f"region {region.code}: unknown {column} {target} (register it first)")))
        for column, step in (("parent", lambda r: r.parent), ("successor", lambda r: r.successor)):
            seen, current = {region.code}, step(region)
            while current in by_code:
                if current in seen:
                    issues.append(Issue(file, line, column, bilingual(
                        f"地区 {region.code} 的{_COLUMN_ZH[column]}链成环（经过 {current}）",
                        f"region {region.code}: its {column} chain goes round in a cycle (through {current})")))
                    break
                seen.add(current)
                current = step(by_code[current])


@functools.lru_cache(maxsize=16)
def _load_cached(data_regions: str | None, mtime: float) -> RegionRegistry:
    issues: list[Issue] = []
    by_code: dict[str, Region] = {}
    where: dict[str, tuple[str, int]] = {}
    sources = [(SHIPPED, "inventory/data/regions.csv")]
    if data_regions:
        sources.append((Path(data_regions), "regions.csv"))
    for path, display in sources:
        for region, file, line in _read(path, display, issues):
            by_code[region.code] = region
            where[region.code] = (file, line)
    _check_links(by_code, where, issues)
    if issues:
        raise InputError(issues)
    return RegionRegistry(by_code)


def load_regions(data_dir: str | Path | None = None) -> RegionRegistry:
    """The shipped registry, extended by ``<data_dir>/regions.csv`` when it exists."""
    path = Path(data_dir) / "regions.csv" if data_dir is not None else None
    if path is not None and path.exists():
        return _load_cached(str(path.resolve()), path.stat().st_mtime)
    return _load_cached(None, 0.0)
