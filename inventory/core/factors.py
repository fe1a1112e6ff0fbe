"""The emission-factor database (CONTRACTS §4): shipped defaults + local rows, with provenance.

Shipped defaults live in ``inventory/data/factors/*.csv``; each row names its source document,
table and a ``confidence`` (verified / secondary / derived / memory). A data folder's
``factors/*.csv`` adds local rows (confidence ``local`` unless given). Resolution picks, for each
(region, year, category, item, gas), one row by these rules, in order:

1. local rows beat shipped defaults;
2. among shipped rows, the preferred factor sets (``factor_sets``: the method's sets, then its
   fallback, :mod:`inventory.core.methods`) in their order — one fuel's chain then comes from one
   coherent set, not the most specific row of whichever set;
3. an exact region beats a parent region beats ``*``;
4. an exact category beats its parent (and so on up the IPCC tree) beats ``*``;
5. an exact item beats ``*``;
6. a row with a validity period beats an open-ended one;
7. among local rows, the preferred factor sets;
8. confidence, in the order of :data:`inventory.core.provenance.CONFIDENCE_ORDER` (verified, local,
   derived, secondary, memory).

Every resolved value carries the id of the row it came from, so every emission can name its
factor rows, their sources and their confidence.
"""

from __future__ import annotations

import csv
import difflib
import functools
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from inventory.core.csvio import read_rows
from inventory.core.errors import InputError, Issue, bilingual
from inventory.core.parameters import load_parameters, unit_problem, unknown_parameter_message
from inventory.core.plausibility import factor_problems, uncertainty_problem, year_in_range, year_range_message
from inventory.core.provenance import CONFIDENCE_ORDER
from inventory.core.provenance import rank as confidence_rank
from inventory.core.regions import RegionRegistry, load_regions
from inventory.core.units import UnitError, UnitMagnitudeError, conversion_factor, parse_unit, unit_magnitude_message
from inventory.core.vocabulary import Vocabulary, load_vocabulary

__all__ = ["FactorDatabase", "load_factors", "PARAMETERS", "CONFIDENCES", "known_item_key", "item_subtypes"]

SHIPPED_DIR = Path(__file__).resolve().parent.parent / "data" / "factors"
COLUMNS = ["id", "parameter", "category", "item", "gas", "value", "unit", "region", "year_from",
           "year_to", "source", "source_table", "confidence", "uncertainty", "factor_set", "note"]
LOCAL_REQUIRED = ["parameter", "category", "item", "value", "unit", "region", "source"]

#: parameter → the dimension its unit must have, as ``inventory/data/parameters.csv`` declares it
#: (``activity`` = the unit of the item's activity; ``|`` separates alternatives): see
#: :mod:`inventory.core.parameters`
PARAMETERS = {name: entry.dimension for name, entry in load_parameters().items()}
GASES = {"CO2", "CH4", "N2O", "HFC-23", "HFC-32", "HFC-125", "HFC-134a", "HFC-143a", "HFC-152a",
         "HFC-227ea", "HFC-236fa", "HFC-245fa", "CF4", "C2F6", "SF6", "NF3"}
#: the confidences a factor row may have (the order of :data:`inventory.core.provenance.CONFIDENCE_ORDER`)
CONFIDENCES = tuple(c for c in CONFIDENCE_ORDER if c != "missing")
#: up to this many cells, resolution looks each one up (a notebook's region-year); beyond, it merges
_SMALL = 5000
_UNSET = object()
_YEAR_ZH = {"year_from": "起始年份", "year_to": "截止年份"}


@dataclass
class FactorDatabase:
    """All factor rows (shipped and local) with resolution by the precedence rules."""

    rows: pd.DataFrame
    registry: RegionRegistry
    vocabulary: Vocabulary
    #: local values outside the published range of their parameter, and the like: the rows are used
    warnings: list[Issue] = field(default_factory=list)
    #: resolutions already made: (parameter, gas, preference, region chain, year, category, item) → row
    _memo: dict = field(default_factory=dict, repr=False)
    _digests: dict = field(default_factory=dict, repr=False)
    _candidates: dict = field(default_factory=dict, repr=False)

    def local_factor_sets(self) -> frozenset[str]:
        """The ``factor_set`` values of the local rows (a method edition a city supplies itself)."""
        return frozenset(self.rows.loc[self.rows["origin"] == "local", "factor_set"])

    def factor_sets(self) -> list[str]:
        """Every factor set of the database (shipped and local), sorted."""
        return sorted(set(self.rows["factor_set"]) - {""})

    def rows_by_id(self, ids) -> pd.DataFrame:
        wanted = [i for i in dict.fromkeys(ids) if i]
        return self.rows.set_index("id").loc[wanted].reset_index()

    def candidates(self, parameter: str, gas: str = "") -> pd.DataFrame:
        rows = self.rows[self.rows["parameter"] == parameter]
        return rows[rows["gas"] == gas]

    def digest(self, region: str, year: int, parameters: tuple[str, ...] = (),
               categories: tuple[str, ...] = ()) -> str:
        """Hash of every row that can apply to ``region`` in ``year`` (for incremental rebuilds);
        with ``parameters`` and ``categories`` (prefixes), of the rows of those parameters whose
        category is ``*``, one of the prefixes, above one (``1`` applies to ``1.A``) or below one."""
        chain = set(self.registry.ancestors(region)) | {"*"}
        local_regions = set(self.rows["region"])
        key = (tuple(sorted(chain & local_regions)), int(year), tuple(parameters), tuple(categories))
        if key not in self._digests:
            rows = self.rows[self.rows["region"].isin(key[0])
                             & (self.rows["year_from"] <= year) & (self.rows["year_to"] >= year)]
            if parameters:
                rows = rows[rows["parameter"].isin(parameters)]
            if categories:
                rows = rows[rows["category"].map(lambda c: _overlaps(c, categories))]
            hashes = pd.util.hash_pandas_object(rows[COLUMNS].sort_values("id"), index=False).to_numpy()
            self._digests[key] = hashlib.sha256(hashes.tobytes()).hexdigest()
        return self._digests[key]

    def resolve(self, parameter: str, cells: pd.DataFrame, gas: str = "",
                factor_sets: list[str] | None = None) -> pd.DataFrame:
        """Pick one factor row for every cell.

        Parameters
        ----------
        parameter : str
            ``ncv``, ``carbon_content``, ``oxidation``, ``ef`` ...
        cells : DataFrame
            Columns ``region``, ``year``, ``category``, ``item``.
        gas : str
            For ``ef`` / ``grid_ef``: the gas; empty for method parameters.
        factor_sets : list of str, optional
            Preferred ``factor_set`` values, most preferred first.

        Returns
        -------
        DataFrame
            Aligned with ``cells``: ``factor_id`` ('' where nothing applies), ``factor_value``,
            ``factor_unit``.
        """
        records, local_regions = self._candidate_records(parameter, gas)
        preference = {name: rank for rank, name in enumerate(factor_sets or [])}
        # regions that see the same factor rows resolve alike: key on the relevant part of the chain
        region_key = {r: tuple(a for a in self.registry.ancestors(r) if a in local_regions)
                      for r in pd.unique(cells["region"])}
        memo_base = (parameter, gas, tuple(factor_sets or ()))
        if len(cells) <= _SMALL:
            # a notebook's region-year: one memo look-up per cell
            picked = []
            for region, year, category, item in zip(cells["region"], cells["year"], cells["category"], cells["item"]):
                chain = region_key[region]
                memo_key = memo_base + (chain, year, category, item)
                row = self._memo.get(memo_key, _UNSET)
                if row is _UNSET:
                    row = self._memo[memo_key] = self._best(records, chain, int(year), category, item, preference)
                picked.append(row)
            return pd.DataFrame({"factor_id": [r["id"] if r else "" for r in picked],
                                 "factor_value": [r["value"] if r else np.nan for r in picked],
                                 "factor_unit": [r["unit"] if r else "" for r in picked]}, index=cells.index)
        # many region-years at once: resolve each distinct cell once, then one merge
        keyed = cells[["region", "year", "category", "item"]].copy()
        keyed["chain"] = keyed["region"].map(region_key)
        unique = keyed.drop_duplicates(["chain", "year", "category", "item"])
        picked = {}
        for chain, year, category, item in unique[["chain", "year", "category", "item"]].itertuples(index=False):
            memo_key = memo_base + (chain, year, category, item)
            if memo_key not in self._memo:
                self._memo[memo_key] = self._best(records, chain, int(year), category, item, preference)
            picked[(chain, year, category, item)] = self._memo[memo_key]
        table = pd.DataFrame(
            [(c, y, k, i, row["id"] if row else "", row["value"] if row else np.nan, row["unit"] if row else "")
             for (c, y, k, i), row in picked.items()],
            columns=["chain", "year", "category", "item", "factor_id", "factor_value", "factor_unit"])
        out = keyed.merge(table, on=["chain", "year", "category", "item"], how="left")
        out.index = cells.index
        return out[["factor_id", "factor_value", "factor_unit"]]

    def _candidate_records(self, parameter: str, gas: str) -> tuple[list[dict], set[str]]:
        """The rows of a parameter (and gas) as records, and the regions they name (kept)."""
        key = (parameter, gas)
        if key not in self._candidates:
            rows = self.candidates(parameter, gas)
            self._candidates[key] = (rows.to_dict("records"), set(rows["region"]) - {"*"})
        return self._candidates[key]

    def _best(self, records: list[dict], chain: tuple, year: int, category: str, item: str,
              preference: dict[str, int]) -> dict | None:
        """The winning row for one cell by the precedence rules (module docstring), or None."""
        category_chain = self.vocabulary.category_ancestors(category)
        best, best_score = None, None
        for row in records:
            if row["item"] not in (item, "*"):
                continue
            if row["region"] != "*" and row["region"] not in chain:
                continue
            if row["category"] != "*" and row["category"] not in category_chain:
                continue
            if not (row["year_from"] <= year <= row["year_to"]):
                continue
            specificity = (
                chain.index(row["region"]) if row["region"] != "*" else len(chain),
                category_chain.index(row["category"]) if row["category"] != "*" else len(category_chain),
                0 if row["item"] == item else 1,
                0 if row["bounded"] else 1,
            )
            ranked = preference.get(row["factor_set"], len(preference))
            # local rows: the most specific wins; shipped rows: the method's factor sets first, so
            # that one fuel's chain comes from one coherent set, then the most specific
            score = ((0, *specificity, ranked) if row["origin"] == "local" else (1, ranked, *specificity)) \
                + (confidence_rank(row["confidence"]),)
            if best_score is None or score < best_score:
                best, best_score = row, score
        return best

    def resolve_series(self, parameter: str, region: str, year: int, item: str, gas: str = "",
                       series: list[str] | tuple[str, ...] | str = (),
                       category: str = "*") -> tuple[dict | None, int | None]:
        """One row of a named series (a grid-factor series, the 等价值 coefficients) for a region-year.

        ``series`` is one factor set or several in order of preference (a province's own series,
        then its regional grid's). A local row that applies wins (precedence rule 1: e.g. the
        provincial grid factor a user adds); then the first series with a row valid in ``year``;
        then — series are published for some years only — the first series with an earlier row,
        its latest; then the first with a later row, its earliest. Returns the row (None when no
        series has a row at all) and the year it was published for when that is not ``year``
        (None when the row is valid in ``year``).
        """
        names = [series] if isinstance(series, str) else list(series)
        cells = pd.DataFrame({"region": [region], "year": [int(year)], "category": [category], "item": [item]})
        picked = self.resolve(parameter, cells, gas=gas, factor_sets=names or None)
        factor_id = picked["factor_id"].iloc[0]
        if factor_id:
            row = self.rows.loc[self.rows["id"] == factor_id].iloc[0].to_dict()
            if row["origin"] == "local" or not names or row["factor_set"] in names:
                return row, None
        chain = set(self.registry.ancestors(region)) | {"*"}
        rows = self.candidates(parameter, gas)
        rows = rows[rows["item"].isin([item, "*"]) & rows["region"].isin(chain)]
        for later in (False, True):
            for name in names:
                own = rows[rows["factor_set"] == name]
                own = own[own["year_from"] > year] if later else own[own["year_to"] < year]
                if len(own):
                    chosen = own.sort_values(["year_from", "id"]).iloc[0] if later else \
                        own.sort_values(["year_to", "id"]).iloc[-1]
                    published = int(chosen["year_from"] if later else chosen["year_to"])
                    return chosen.to_dict(), published
        return None, None

    def unit_scale(self, unit: str, target: str, parameter: str, factor_id: str = "") -> float:
        """Multiplier from a factor row's ``unit`` to ``target``.

        Raises
        ------
        InputError
            The units do not convert; names the factor row's file and line when ``factor_id`` is given.
        """
        try:
            return _cached_conversion(unit, target)
        except UnitError:
            row = self.rows.loc[self.rows["id"] == factor_id]
            where = (row["file"].iloc[0], int(row["line"].iloc[0])) if len(row) else ("factors", 0)
            raise InputError([Issue(where[0], where[1], "unit",
                                    f"{parameter} unit {unit!r} does not fit here: {target!r} is needed "
                                    f"(factor {factor_id or '?'})")]) from None

    def resolve_to(self, parameter: str, cells: pd.DataFrame, target_units: pd.Series | str,
                   gas: str = "", factor_sets: list[str] | None = None) -> pd.DataFrame:
        """:meth:`resolve`, with ``value`` converted into ``target_units`` (per cell or one for all).

        Raises
        ------
        InputError
            A factor row's unit does not convert to the unit the method needs for that item.
        """
        return self.convert(self.resolve(parameter, cells, gas, factor_sets), target_units, parameter)

    def convert(self, resolved: pd.DataFrame, target_units: pd.Series | np.ndarray | str,
                parameter: str) -> pd.DataFrame:
        """Add ``value``: the resolved factors in ``target_units`` (per cell or one for all; NaN
        where no row applies). Every row whose unit does not fit is reported at once.

        Raises
        ------
        InputError
            A factor row's unit does not convert to the unit needed for its cell.
        """
        targets = (np.asarray(target_units, dtype=object) if not isinstance(target_units, str)
                   else np.full(len(resolved), target_units, dtype=object))
        # one conversion per distinct (factor row, its unit, the unit needed), spread back by code
        triples = pd.Series(list(zip(resolved["factor_id"].to_numpy(dtype=object),
                                     resolved["factor_unit"].to_numpy(dtype=object), targets)), dtype=object)
        codes, distinct = pd.factorize(triples)
        issues = []
        scales = np.full(len(distinct), np.nan)
        for position, (factor_id, unit, target) in enumerate(distinct):
            if not factor_id:
                continue
            try:
                scales[position] = self.unit_scale(unit, target, parameter, factor_id)
            except InputError as exc:
                issues += exc.issues
        if issues:
            raise InputError(sorted(set(issues)))
        scale = scales[codes]
        resolved = resolved.copy()
        resolved["value"] = resolved["factor_value"].to_numpy(dtype=float) * scale
        return resolved


SUBTYPES = SHIPPED_DIR.parent / "item_subtypes.csv"


@functools.lru_cache(maxsize=1)
def item_subtypes() -> dict[str, str]:
    """The sub-types a factor row's item may name (``data/item_subtypes.csv``: manure systems, rice
    amendments), each with the item group it applies to (``animal``, ``rice``)."""
    with SUBTYPES.open(encoding="utf-8", newline="") as handle:
        return {row["subtype"]: row["applies_to"] for row in csv.DictReader(handle)}


def known_item_key(item: str, vocabulary: Vocabulary) -> bool:
    """Whether a factor row may be keyed on ``item``: an item of the vocabulary, a sub-type alone
    (``liquid_slurry`` for EF3), or a two-way key ``<item>.<sub-type>`` whose sub-type applies to
    the item's group (``swine.liquid_slurry``, ``late_rice.farmyard_manure``; CONTRACTS §4a)."""
    if item in vocabulary.items.index or item in item_subtypes():
        return True
    head, _, tail = item.partition(".")
    return (head in vocabulary.items.index and item_subtypes().get(tail) == vocabulary.items.at[head, "group"])


def _overlaps(category: str, prefixes: tuple[str, ...]) -> bool:
    """Whether a factor row of ``category`` can apply to a category under one of ``prefixes``."""
    if category == "*":
        return True
    return any(category == p or category.startswith(p + ".") or p.startswith(category + ".") for p in prefixes)


@functools.lru_cache(maxsize=4096)
def _cached_conversion(unit: str, target: str) -> float:
    return conversion_factor(unit, target)


def _read_factor_file(path: Path, display: str, origin: str, issues: list[Issue]) -> pd.DataFrame | None:
    required = COLUMNS if origin == "shipped" else LOCAL_REQUIRED
    # a GBK factor file is refused with the steps to save it as UTF-8 (factors are few and precise)
    frame = read_rows(path, display, required, [c for c in COLUMNS if c not in required], issues)
    if frame is None:
        return None
    frame = frame[COLUMNS + ["file", "line"]].copy()
    frame["origin"] = origin
    if origin == "local":
        unnamed = frame["id"] == ""
        frame.loc[unnamed, "id"] = [f"{display}:{line}" for line in frame.loc[unnamed, "line"]]
        frame.loc[frame["confidence"] == "", "confidence"] = "local"
        frame.loc[frame["factor_set"] == "", "factor_set"] = "local"
    return frame


def _number(text: str) -> float | None:
    """The finite number a value cell holds, or None."""
    try:
        value = float(text)
    except ValueError:
        return None
    return value if np.isfinite(value) else None


def _validate(frame: pd.DataFrame, vocabulary: Vocabulary, registry: RegionRegistry,
              issues: list[Issue], warnings: list[Issue]) -> pd.DataFrame:
    """The rows of a factor file that are right; every problem of the others goes to ``issues``, and a
    local value outside its parameter's published range to ``warnings`` (:mod:`inventory.core.plausibility`)."""
    good = []
    for row in frame.to_dict("records"):
        problems = []
        parameter = row["parameter"]
        declared = load_parameters().get(parameter)
        if declared is None:
            close = difflib.get_close_matches(parameter, list(load_parameters()), n=3)
            hint = f"（是否应为 {' 或 '.join(close)}？）" if close else ""
            problems.append(("parameter", bilingual(f"未知参数“{parameter}”{hint}（参数表见 docs/DATA_FORMAT.md 3.2）",
                                                    unknown_parameter_message(parameter))))
        if row["category"] != "*" and row["category"] not in vocabulary.categories.index:
            problems.append(("category", bilingual(f"未知类别“{row['category']}”",
                                                   f"unknown category {row['category']!r}")))
        if row["item"] != "*" and not known_item_key(row["item"], vocabulary):
            problems.append(("item", bilingual(f"未知条目“{row['item']}”", f"unknown item {row['item']!r}")))
        if declared is not None and declared.needs_gas and row["gas"] not in GASES:
            got = f"，“{row['gas']}”不是气体" if row["gas"] else ""
            problems.append(("gas", bilingual(f"参数 {parameter} 须在 gas 列填气体（如 CO2、CH4、N2O）{got}",
                                              f"parameter {parameter} needs a gas ({', '.join(sorted(GASES))}), "
                                              f"got {row['gas']!r}")))
        if declared is not None and not declared.needs_gas and row["gas"]:
            problems.append(("gas", bilingual(f"参数 {parameter} 不填气体（gas 列留空）",
                                              f"parameter {parameter} takes no gas")))
        if row["region"] != "*" and row["region"] not in registry:
            problems.append(("region", bilingual(f"地区代码“{row['region']}”不在地区表中（见 regions.csv）",
                                                 f"unknown region {row['region']!r}")))
        if not row["source"]:
            problems.append(("source", bilingual("来源（source）为空：请写明数值出处",
                                                 "source is required: say where the value comes from")))
        if row["confidence"] not in CONFIDENCES:
            problems.append(("confidence", bilingual(
                f"可信度“{row['confidence']}”无效，应为 {'、'.join(CONFIDENCES)} 之一",
                f"unknown confidence {row['confidence']!r}")))
        value = _number(row["value"])
        if value is None:
            problems.append(("value", bilingual(f"数值“{row['value']}”不是有限数",
                                                f"value {row['value']!r} is not a number")))
        unit_ok = False
        try:
            parse_unit(row["unit"])
            problem = unit_problem(parameter, row["item"], row["unit"], vocabulary) if declared is not None else None
            if problem:
                problems.append(("unit", bilingual(f"单位“{row['unit']}”不适用于参数 {parameter}", problem)))
            unit_ok = problem is None
        except UnitMagnitudeError as exc:
            problems.append(("unit", unit_magnitude_message(exc)))
        except UnitError as exc:
            problems.append(("unit", bilingual(f"单位“{row['unit']}”无法识别", str(exc))))
        if declared is not None and value is not None and unit_ok:
            errors, cautions = factor_problems(parameter, row["item"], value, row["unit"],
                                               local=row["origin"] == "local")
            problems += [("value", message) for message in errors]
            warnings += [Issue(row["file"], row["line"], "value", message) for message in cautions]
        uncertainty = uncertainty_problem(row["uncertainty"])
        if uncertainty:
            problems.append(("uncertainty", uncertainty))
        years = []
        for column in ("year_from", "year_to"):
            text = row[column]
            if text and not (text.isdigit() and len(text) == 4):
                problems.append((column, bilingual(f"{_YEAR_ZH[column]}“{text}”不是四位数年份",
                                                   f"{column} {text!r} is not a four-digit year")))
            elif text and not year_in_range(int(text)):
                problems.append((column, year_range_message(column, _YEAR_ZH[column], text)))
            years.append(int(text) if text.isdigit() else None)
        if years[0] is not None and years[1] is not None and years[0] > years[1]:
            problems.append(("year_to", bilingual(f"截止年份 {years[1]} 早于起始年份 {years[0]}",
                                                  f"year_to {years[1]} is before year_from {years[0]}")))
        if problems:
            issues += [Issue(row["file"], row["line"], column, message) for column, message in problems]
        else:
            good.append(row)
    return pd.DataFrame(good, columns=list(frame.columns))


def _check_overlaps(rows: pd.DataFrame, issues: list[Issue]) -> None:
    """Two local rows for the same key that would tie make the choice arbitrary: two open-ended
    rows, or two dated rows whose years overlap. (A dated row next to an open-ended one is fine:
    the dated one wins in its years — "default X, from 2020 Y".)"""
    local = rows[rows["origin"] == "local"]
    for _, group in local.groupby(["parameter", "category", "item", "gas", "region", "bounded"]):
        previous = None
        for row in group.sort_values(["year_from", "line"]).to_dict("records"):
            if previous is not None and row["year_from"] <= previous["year_to"]:
                key = f"{row['parameter']} {row['category']} {row['item']} {row['gas']} {row['region']}"
                issues.append(Issue(row["file"], row["line"], "year_from", bilingual(
                    f"与 {previous['file']}:{previous['line']} 的有效年份重叠（{key}），无法确定用哪一行",
                    f"overlaps {previous['file']}:{previous['line']} ({key})")))
            previous = row


@functools.lru_cache(maxsize=8)
def _load_cached(local_dir: str | None, signature: tuple) -> FactorDatabase:
    vocabulary = load_vocabulary()
    registry = load_regions(Path(local_dir).parent if local_dir else None)
    issues: list[Issue] = []
    warnings: list[Issue] = []
    frames = []
    for path in sorted(SHIPPED_DIR.glob("*.csv")):
        frame = _read_factor_file(path, f"inventory/data/factors/{path.name}", "shipped", issues)
        if frame is not None:
            frames.append(_validate(frame, vocabulary, registry, issues, warnings))
    if local_dir:
        root = Path(local_dir)
        for path in sorted(root.glob("*.csv")):
            frame = _read_factor_file(path, f"factors/{path.name}", "local", issues)
            if frame is not None:
                frames.append(_validate(frame, vocabulary, registry, issues, warnings))
    rows = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)
    duplicated_ids = rows[rows["id"].duplicated(keep=False)]
    for row in duplicated_ids.to_dict("records"):
        issues.append(Issue(row["file"], row["line"], "id", bilingual(f"因子编号“{row['id']}”重复",
                                                                      f"factor id {row['id']!r} is used twice")))
    rows["value"] = pd.to_numeric(rows["value"])
    rows["bounded"] = (rows["year_from"] != "") | (rows["year_to"] != "")
    rows["year_from"] = pd.to_numeric(rows["year_from"].replace("", "0")).astype(int)
    rows["year_to"] = pd.to_numeric(rows["year_to"].replace("", "9999")).astype(int)
    _check_overlaps(rows, issues)
    if issues:
        raise InputError(issues)
    return FactorDatabase(rows=rows.reset_index(drop=True), registry=registry, vocabulary=vocabulary,
                          warnings=sorted(warnings))


def load_factors(data_dir: str | Path | None = None) -> FactorDatabase:
    """Shipped defaults plus ``<data_dir>/factors/*.csv`` (cached while the files are unchanged)."""
    local = Path(data_dir).resolve() / "factors" if data_dir is not None else None
    files = sorted(SHIPPED_DIR.glob("*.csv"))
    if local is not None and local.is_dir():
        files += sorted(local.glob("*.csv"))
    if data_dir is not None and (Path(data_dir) / "regions.csv").exists():
        files.append(Path(data_dir) / "regions.csv")
    signature = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)
    return _load_cached(str(local) if local is not None else None, signature)
