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

from inventory.core.errors import InputError, Issue

__all__ = ["Region", "RegionRegistry", "UnknownRegion", "load_regions"]

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


def _year(value: object) -> int | None:
    text = str(value).strip()
    return int(float(text)) if text not in ("", "nan", "None") else None


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

    def table(self) -> pd.DataFrame:
        return pd.DataFrame([r.__dict__ for r in self.regions.values()])


def _read(path: Path, issues: list[Issue]) -> list[Region]:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    missing = [c for c in COLUMNS[:5] if c not in frame.columns]
    if missing:
        issues.append(Issue(str(path), 1, "", f"missing column(s): {', '.join(missing)}"))
        return []
    regions = []
    for index, row in frame.iterrows():
        line = int(index) + 2
        level = row["level"].strip()
        if level not in LEVELS:
            issues.append(Issue(str(path), line, "level", f"unknown level {level!r}; one of {LEVELS}"))
            continue
        try:
            regions.append(
                Region(
                    code=row["code"].strip(),
                    name_zh=row["name_zh"].strip(),
                    name_en=row["name_en"].strip(),
                    level=level,
                    parent=row["parent"].strip(),
                    valid_from=_year(row.get("valid_from", "")),
                    valid_to=_year(row.get("valid_to", "")),
                    successor=str(row.get("successor", "")).strip(),
                )
            )
        except ValueError:
            issues.append(Issue(str(path), line, "valid_from", "years must be four-digit numbers"))
    return regions


@functools.lru_cache(maxsize=16)
def _load_cached(data_regions: str | None, mtime: float) -> RegionRegistry:
    issues: list[Issue] = []
    by_code = {r.code: r for r in _read(SHIPPED, issues)}
    if data_regions:
        for region in _read(Path(data_regions), issues):
            by_code[region.code] = region
    for region in by_code.values():
        if region.level == "park" and not re.fullmatch(re.escape(region.parent) + r"-P\d{2}", region.code):
            issues.append(Issue(data_regions or str(SHIPPED), 0, "code",
                                f"park {region.code}: park codes are <county code>-P<nn> (e.g. {region.parent}-P01)"))
        if region.parent and region.parent not in by_code:
            issues.append(Issue(data_regions or str(SHIPPED), 0, "parent",
                                f"region {region.code}: unknown parent {region.parent}"))
    if issues:
        raise InputError(issues)
    return RegionRegistry(by_code)


def load_regions(data_dir: str | Path | None = None) -> RegionRegistry:
    """The shipped registry, extended by ``<data_dir>/regions.csv`` when it exists."""
    path = Path(data_dir) / "regions.csv" if data_dir is not None else None
    if path is not None and path.exists():
        return _load_cached(str(path.resolve()), path.stat().st_mtime)
    return _load_cached(None, 0.0)
