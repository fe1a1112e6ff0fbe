"""Activity data (CONTRACTS §3): read, validate, and shape into xarray cubes.

Every ``<data>/activity/*.csv`` file is read; every problem in every file is collected and raised
together as one :class:`~inventory.errors.InputError` naming file, line and column. Values are
converted to the canonical unit of their (item, quantity) — the reported value and unit are kept
beside them, and so is where each record came from (file and line), so that every emission can be
traced back to the records that produced it. Notation keys (NO, NE, NA, IE, C) are kept as keys,
never turned into zeros.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from inventory.core.csvio import UNCERTAINTY, read_rows
from inventory.core.errors import InputError, Issue
from inventory.core.regions import RegionRegistry, load_regions
from inventory.core.units import UnitError, conversion_factor, parse_unit
from inventory.core.vocabulary import NOTATION_KEYS, Vocabulary, load_vocabulary

__all__ = ["ActivityData", "read_activity", "read_inputs", "read_activity_files", "to_cube", "KEY", "REQUIRED",
           "annual_records", "quarter_of", "illustrative", "ILLUSTRATIVE_MARK"]

REQUIRED = ["region", "year", "category", "item", "quantity"]
OPTIONAL = ["value", "unit", "notation", "uncertainty", "source", "note", "period", "origin"]
#: the key of one record; two records with the same key and different values are an error
KEY = ["region", "year", "category", "item", "quantity", "period"]
_EMPTY_DIGEST = hashlib.sha256(b"").hexdigest()
#: a sub-annual period: a quarter (2023Q1) or a month (2023-01)
_PERIOD = re.compile(r"^(?P<year>\d{4})(?:Q(?P<quarter>[1-4])|-(?P<month>0[1-9]|1[0-2]))$")
#: which quantities the rows of the energy balance take (category prefix → quantities)
_EB_ROWS = {"EB.T": ("transformation_input", "transformation_output"), "EB.F": ("final_consumption",)}


@dataclass
class ActivityData:
    """Validated activity records of a data folder.

    ``records`` has one row per input line: the key columns, ``value`` in ``unit`` (canonical),
    ``value_reported``/``unit_reported`` as written, ``notation``, ``uncertainty``, ``source``,
    ``note``, and the provenance ``file``/``line``/``region_reported``.
    """

    records: pd.DataFrame
    files: list[str]
    warnings: list[Issue]
    _digests: dict | None = field(default=None, repr=False)
    _positions: dict | None = field(default=None, repr=False)

    def select(self, region: str | None = None, year: int | None = None) -> pd.DataFrame:
        if region is not None and year is not None:  # one region-year: by a position index built once
            if self._positions is None:
                self._positions = self.records.groupby(["region", "year"], sort=False).indices
            positions = self._positions.get((region, int(year)))
            return self.records.iloc[positions] if positions is not None else self.records.iloc[0:0]
        records = self.records
        if region is not None:
            records = records[records["region"] == region]
        if year is not None:
            records = records[records["year"] == year]
        return records

    def digest(self, region: str, year: int, categories: tuple[str, ...] | None = None) -> str:
        """Content hash of the records of one region and year, wherever they are filed; with
        ``categories`` (prefixes: ``1.A`` covers ``1.A.2``), of those categories' records alone."""
        return self.digests(categories).get((region, int(year)), _EMPTY_DIGEST)

    def digests(self, categories: tuple[str, ...] | None = None) -> dict[tuple[str, int], str]:
        """:meth:`digest` of every region-year, computed in one pass (and kept)."""
        if self._digests is None:
            self._digests = {}
        key = tuple(categories) if categories is not None else None
        if key not in self._digests:
            columns = KEY + ["value", "unit", "notation", "uncertainty", "source", "note"]
            ordered = self.records.sort_values(KEY)
            if key is not None:
                prefixes = tuple(p + "." for p in key)
                ordered = ordered[ordered["category"].isin(key) | ordered["category"].str.startswith(prefixes)]
            row_hashes = pd.util.hash_pandas_object(ordered[columns], index=False).to_numpy()
            digests = {}
            for (region, year), positions in ordered.groupby(["region", "year"], sort=False).indices.items():
                digests[(region, int(year))] = hashlib.sha256(row_hashes[positions].tobytes()).hexdigest()
            self._digests[key] = digests
        return self._digests[key]

    @property
    def regions(self) -> list[str]:
        return sorted(self.records["region"].unique())

    @property
    def years(self) -> list[int]:
        return sorted(int(y) for y in self.records["year"].unique())


def _validate(frame: pd.DataFrame, vocabulary: Vocabulary, registry: RegionRegistry,
              issues: list[Issue]) -> pd.DataFrame:
    """Check every record; return the valid ones with canonical values. Problems go to ``issues``.

    Every independent problem of a row is reported (an unknown region and a text value in the same
    row give two messages); a check that needs another field to be right first (the unit's
    dimension needs a known item and quantity) runs only where that field is right.
    """
    bad = pd.Series(False, index=frame.index)
    reported: dict[str, pd.Series] = {}

    def report(mask: pd.Series, column: str, message) -> None:
        nonlocal bad
        mask = mask.fillna(False).astype(bool)
        done = reported.get(column, pd.Series(False, index=frame.index))
        for index in frame.index[mask & ~done]:
            row = frame.loc[index]
            text = message(row) if callable(message) else message
            issues.append(Issue(row["file"], int(row["line"]), column, text))
        reported[column] = done | mask
        bad = bad | mask

    for column in REQUIRED:
        report(frame[column] == "", column, f"{column} is empty")
    present = {column: frame[column] != "" for column in REQUIRED}

    years = pd.to_numeric(frame["year"], errors="coerce")
    year_ok = frame["year"].str.fullmatch(r"\d{4}") & years.notna()
    report(present["year"] & ~year_ok, "year", lambda r: f"year {r['year']!r} is not a four-digit year")
    frame["year"] = years.fillna(0).astype(int)

    region_known = frame["region"].isin(list(registry.regions))
    report(present["region"] & ~region_known, "region",
           lambda r: f"unknown region code {r['region']!r} (GB/T 2260; see regions.csv)")
    # canonical codes (code history), one look-up per distinct (code, year)
    mapping: dict[tuple[str, int], str | Exception] = {}
    lookup = region_known & year_ok
    for code, year in set(zip(frame.loc[lookup, "region"], frame.loc[lookup, "year"])):
        try:
            mapping[(code, year)] = registry.canonical(code, int(year))
        except ValueError as exc:
            mapping[(code, year)] = exc
    looked_up = [mapping.get((c, y), c) for c, y in zip(frame["region"], frame["year"])]
    invalid = pd.Series([isinstance(v, Exception) for v in looked_up], index=frame.index)
    report(invalid, "region", lambda r: str(mapping[(r["region"], r["year"])]))
    frame["region_reported"] = frame["region"]
    frame["region"] = [c if isinstance(v, Exception) else v for c, v in zip(frame["region"], looked_up)]

    category_ok = frame["category"].isin(vocabulary.categories.index)
    item_ok = frame["item"].isin(vocabulary.items.index)
    quantity_ok = frame["quantity"].isin(vocabulary.quantities.index)
    report(present["category"] & ~category_ok, "category",
           lambda r: f"unknown category {r['category']!r} (IPCC 2006 code such as 1.A.2, or EB, SOC)")
    report(present["item"] & ~item_ok, "item", lambda r: f"unknown item {r['item']!r} (see docs/VOCABULARY.md)")
    report(present["quantity"] & ~quantity_ok, "quantity",
           lambda r: f"unknown quantity {r['quantity']!r} (see docs/VOCABULARY.md)")
    both = item_ok & category_ok
    pairs = {(i, c): vocabulary.category_allowed(i, c)
             for i, c in set(zip(frame.loc[both, "item"], frame.loc[both, "category"]))}
    allowed = pd.Series([pairs.get((i, c), True) for i, c in zip(frame["item"], frame["category"])], index=frame.index)
    report(~allowed, "category", lambda r: f"item {r['item']!r} cannot be recorded under category {r['category']!r}")
    both = item_ok & quantity_ok
    units = {(i, q): vocabulary.canonical_unit(i, q) or ""
             for i, q in set(zip(frame.loc[both, "item"], frame.loc[both, "quantity"]))}
    target = pd.Series([units.get((i, q), "") for i, q in zip(frame["item"], frame["quantity"])],
                       index=frame.index, dtype=object)
    report(both & (target == ""), "quantity",
           lambda r: f"quantity {r['quantity']!r} does not apply to item {r['item']!r} "
                     f"(it takes: {', '.join(vocabulary.quantities_of(r['item']))})")

    # energy-balance rows take their own flows: a process its inputs and outputs, a sector its final
    # consumption (supply flows, losses, non-energy use and simplified totals go under EB itself)
    placed = both & category_ok & frame["category"].str.startswith("EB.")
    for prefix, allowed in _EB_ROWS.items():
        wrong = placed & frame["category"].str.startswith(prefix) & ~frame["quantity"].isin(allowed) if placed.any() \
            else placed
        report(wrong, "quantity", lambda r, allowed=allowed: (
            f"quantity {r['quantity']!r} does not belong under {r['category']} (energy-balance "
            f"{'transformation' if r['category'].startswith('EB.T') else 'final-consumption'} rows take "
            f"{' / '.join(allowed)}; supply flows go under EB)"))

    # notation keys vs values
    has_notation = frame["notation"] != ""
    report(has_notation & ~frame["notation"].isin(list(NOTATION_KEYS)), "notation",
           lambda r: f"unknown notation key {r['notation']!r}; one of {', '.join(NOTATION_KEYS)}")
    report(has_notation & (frame["value"] != ""), "value",
           lambda r: f"both a value ({r['value']}) and a notation key ({r['notation']}) are given; keep one")
    report(~has_notation & (frame["value"] == ""), "value", "value is empty (give a number or a notation key)")

    numbers = pd.to_numeric(frame["value"].str.replace("\u2212", "-", regex=False), errors="coerce")
    report(~has_notation & (frame["value"] != "") & numbers.isna(), "value",
           lambda r: f"value {r['value']!r} is not a number")
    report(~has_notation & ~np.isfinite(numbers.fillna(0)), "value", lambda r: f"value {r['value']!r} is not finite")
    report(~has_notation & (frame["unit"] == ""), "unit", "unit is empty")

    # units: readable, and of the right dimension for (item, quantity); one check per distinct pair
    checked: dict[tuple[str, str], float | str] = {}
    candidates = ~has_notation & (frame["unit"] != "")
    for unit in set(frame.loc[candidates, "unit"]):
        try:
            parse_unit(unit)
        except UnitError as exc:
            checked[(unit, "")] = str(exc)
    unreadable = pd.Series([(u, "") in checked for u in frame["unit"]], index=frame.index) & candidates
    report(unreadable, "unit", lambda r: checked[(r["unit"], "")])
    candidates = candidates & ~unreadable & (target != "")
    for unit, wanted in set(zip(frame.loc[candidates, "unit"], target[candidates])):
        try:
            checked[(unit, wanted)] = conversion_factor(unit, wanted)
        except UnitError:
            checked[(unit, wanted)] = (f"unit {unit!r} is not a unit of {parse_unit(wanted).dimensionality} "
                                       f"(this quantity of this item is measured like {wanted!r})")
    looked_up = [checked.get((u, t), np.nan) if c else np.nan
                 for u, t, c in zip(frame["unit"], target, candidates)]
    unit_problem = pd.Series([isinstance(v, str) for v in looked_up], index=frame.index)
    report(unit_problem, "unit", lambda r: checked[(r["unit"], target[r.name])])
    factors = pd.Series([np.nan if isinstance(v, str) else v for v in looked_up], index=frame.index, dtype=float)

    nonnegative = {q: vocabulary.nonnegative(q) for q in frame.loc[quantity_ok, "quantity"].unique()}
    negative_forbidden = frame["quantity"].map(lambda q: nonnegative.get(q, False)).astype(bool)
    report(~has_notation & (numbers < 0) & negative_forbidden, "value",
           lambda r: f"negative value {r['value']} ({r['quantity']} cannot be negative)")

    periods = frame["period"] != ""
    period_year = pd.Series("", index=frame.index)
    period_year[periods] = frame.loc[periods, "period"].map(lambda p: m.group("year") if (m := _PERIOD.match(p))
                                                            else "")
    report(periods & (period_year != frame["year"].astype(str)), "period",
           lambda r: f"period {r['period']!r} is not a quarter or month of {r['year']} (like {r['year']}Q1 or "
                     f"{r['year']}-01)")
    report((frame["uncertainty"] != "") & ~frame["uncertainty"].map(lambda u: bool(UNCERTAINTY.match(u))),
           "uncertainty", lambda r: f"uncertainty {r['uncertainty']!r} is not '±percent' or 'low..high'")

    frame = frame.assign(value_reported=frame["value"], unit_reported=frame["unit"])
    frame["value"] = numbers * factors
    frame["unit"] = target
    frame.loc[has_notation, "value"] = np.nan
    return frame[~bad]


def _check_duplicates(records: pd.DataFrame, issues: list[Issue], warnings: list[Issue]) -> pd.DataFrame:
    """Same key twice: an error when values differ, a warning (and one record kept) when equal."""
    duplicated = records.duplicated(KEY, keep=False)
    if not duplicated.any():
        return records
    keep = pd.Series(True, index=records.index)
    for _, group in records[duplicated].groupby(KEY, sort=False):
        first = group.iloc[0]
        where = f"{first['file']}:{first['line']}"
        for index, row in group.iloc[1:].iterrows():
            same = (row["notation"] == first["notation"]) and (
                np.isclose(row["value"], first["value"], rtol=1e-12, atol=0) or
                (np.isnan(row["value"]) and np.isnan(first["value"])))
            if same:
                warnings.append(Issue(row["file"], int(row["line"]), "", f"same record as {where}; counted once"))
                keep[index] = False
            else:
                issues.append(Issue(row["file"], int(row["line"]), "value",
                                    f"duplicate of {where} ({first['region']} {first['year']} {first['category']} "
                                    f"{first['item']} {first['quantity']}) with a different value: "
                                    f"{row['value_reported'] or row['notation']} {row['unit_reported']} vs "
                                    f"{first['value_reported'] or first['notation']} {first['unit_reported']}"))
    return records[keep]


def read_activity_files(paths: list[Path], root: Path | None = None,
                        registry: RegionRegistry | None = None) -> ActivityData:
    """Read and validate activity CSV files; raise :class:`InputError` listing every problem."""
    vocabulary = load_vocabulary()
    registry = registry or load_regions(root)
    issues: list[Issue] = []
    warnings: list[Issue] = []
    frames = []
    for path in paths:
        display = str(path.relative_to(root)) if root and path.is_relative_to(root) else str(path)
        frame = read_rows(path, display, REQUIRED, OPTIONAL, issues)
        if frame is not None and len(frame):
            frames.append(_validate(frame, vocabulary, registry, issues))
    columns = KEY + ["value", "unit", "value_reported", "unit_reported", "notation", "uncertainty",
                     "source", "note", "origin", "file", "line", "region_reported"]
    records = pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)
    records = _check_duplicates(records, issues, warnings)
    if issues:
        raise InputError(issues)
    records = records.astype({"year": int, "line": int, "value": float}).reset_index(drop=True)
    return ActivityData(records=records, files=[str(p) for p in paths], warnings=warnings)


def activity_files(data_dir: str | Path) -> list[Path]:
    folder = Path(data_dir) / "activity"
    if not folder.is_dir():
        raise InputError([Issue(str(folder), 0, "", "no activity folder: put activity CSV files in <data>/activity/")])
    return sorted(folder.glob("*.csv"))


def _signature(paths: list[Path]) -> tuple:
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in paths if p.exists())


@functools.lru_cache(maxsize=8)
def _read_cached(root: str, signature: tuple) -> ActivityData:
    paths = [Path(name) for name, _, _ in signature if Path(name).parent.name == "activity"]
    return read_activity_files(paths, root=Path(root))


def read_activity(data_dir: str | Path) -> ActivityData:
    """All activity records of a data folder, validated (cached while its files are unchanged)."""
    root = Path(data_dir).resolve()
    files = activity_files(root)
    return _read_cached(str(root), _signature(files + [root / "regions.csv"]))


def read_inputs(data_dir: str | Path):
    """Activity and factors of a data folder, validated together: every problem of both at once."""
    from inventory.core.factors import load_factors

    issues: list[Issue] = []
    activity = factors = None
    try:
        activity = read_activity(data_dir)
    except InputError as exc:
        issues += exc.issues
    try:
        factors = load_factors(data_dir)
    except InputError as exc:
        issues += exc.issues
    if issues:
        raise InputError(issues)
    return activity, factors


def quarter_of(period: str) -> int | None:
    """The quarter (1–4) of a period label: ``2023Q2`` → 2, ``2023-05`` → 2; None if not sub-annual."""
    found = _PERIOD.match(period or "")
    if not found:
        return None
    if found.group("quarter"):
        return int(found.group("quarter"))
    return (int(found.group("month")) - 1) // 3 + 1


def annual_records(records: pd.DataFrame) -> pd.DataFrame:
    """The records the annual computation uses: those without a ``period``, and, for a key (region,
    year, category, item, quantity) filed by quarter or month only, its sub-annual records — whose
    sum is then the year (季度核算: the year as the sum of its quarters). A key filed both for the
    year and by period keeps the annual record (the quarterly check compares the two)."""
    sub_annual = records["period"] != ""
    if not sub_annual.any():
        return records
    annual_keys = pd.MultiIndex.from_frame(records.loc[~sub_annual, KEY[:-1]])
    keys = pd.MultiIndex.from_frame(records.loc[sub_annual, KEY[:-1]])
    parts = records.loc[sub_annual][~keys.isin(annual_keys)].assign(period="")
    return pd.concat([records[~sub_annual], parts], ignore_index=True)


def to_cube(records: pd.DataFrame, quantities: list[str] | None = None) -> xr.Dataset:
    """Shape records into a cube: dims (region, year, category, item), one variable per quantity.

    Values are in the canonical unit of each item (coordinate ``unit`` along ``item``); cells
    without a record are NaN; notation keys are kept in string variables ``<quantity>_notation``.
    """
    if quantities is None:
        quantities = sorted(records["quantity"].unique())
    dims = ["region", "year", "category", "item"]
    coords = {d: sorted(records[d].unique()) for d in dims}
    units = records.drop_duplicates(["item", "quantity"]).set_index(["item", "quantity"])["unit"]
    cube = xr.Dataset(coords=coords)
    for quantity in quantities:
        subset = records[(records["quantity"] == quantity) & (records["period"] == "")]
        values = subset.set_index(dims)["value"].to_xarray().reindex(coords)
        item_units = [units.get((item, quantity), "") for item in coords["item"]]
        cube[quantity] = values.assign_attrs(quantity=quantity)
        cube[quantity] = cube[quantity].assign_coords({f"unit_{quantity}": ("item", item_units)})
        notation = subset[subset["notation"] != ""]
        if len(notation):
            keys = notation.set_index(dims)["notation"].to_xarray().reindex(coords).fillna("")
            cube[f"{quantity}_notation"] = keys.astype(str)
    return cube


#: what the source of every shipped demo record says (示例数据，非官方统计)
ILLUSTRATIVE_MARK = "示例数据"


def illustrative(records: pd.DataFrame) -> bool:
    """Whether the records are the shipped illustrative data (their source says 示例数据)."""
    return bool(records["source"].str.contains(ILLUSTRATIVE_MARK, regex=False).any())
