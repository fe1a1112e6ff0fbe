"""The emission-factor database (CONTRACTS §4): shipped defaults + local rows, with provenance.

Shipped defaults live in ``inventory/data/factors/*.csv``; each row names its source document,
table and a ``confidence`` (verified / secondary / derived / memory). A data folder's
``factors/*.csv`` adds local rows (confidence ``local`` unless given). Resolution picks, for each
(region, year, category, item, gas), one row by these rules, in order:

1. local rows beat shipped defaults;
2. an exact region beats a parent region beats ``*``;
3. an exact category beats its parent (and so on up the IPCC tree) beats ``*``;
4. an exact item beats ``*``;
5. a row with a validity period beats an open-ended one;
6. the user's factor-set preference (``factor_sets``), if given;
7. confidence: verified/local, then derived, secondary, memory — verified values are the defaults.

Every resolved value carries the id of the row it came from, so every emission can name its
factor rows, their sources and their confidence.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from inventory.errors import InputError, Issue
from inventory.regions import RegionRegistry, load_regions
from inventory.units import UnitError, conversion_factor, parse_unit
from inventory.vocabulary import Vocabulary, load_vocabulary

__all__ = ["FactorDatabase", "load_factors", "PARAMETERS", "UNVERIFIED", "CONFIDENCE_RANK"]

SHIPPED_DIR = Path(__file__).parent / "data" / "factors"
COLUMNS = ["id", "parameter", "category", "item", "gas", "value", "unit", "region", "year_from",
           "year_to", "source", "source_table", "confidence", "uncertainty", "factor_set", "note"]
LOCAL_REQUIRED = ["parameter", "category", "item", "value", "unit", "region", "source"]

#: parameter → the dimension its unit must have ("activity" = per unit of the item's activity)
PARAMETERS = {
    "ncv": "energy/activity",
    "carbon_content": "mass/energy",  # t C per TJ
    "oxidation": "dimensionless",
    "ef": "mass/energy or mass/activity",
    "grid_ef": "mass/energy",
    "tce_coefficient": "energy/activity",
    # parameters of later sectors (IPCC symbols); checked for readability only
    "DOC": "any", "DOCf": "any", "MCF": "any", "F": "any", "k": "any", "OX": "any", "BEF": "any",
    "D": "any", "CF": "any", "R": "any",
}
GASES = {"CO2", "CH4", "N2O", "HFC-23", "HFC-32", "HFC-125", "HFC-134a", "HFC-143a", "HFC-152a",
         "HFC-227ea", "HFC-236fa", "HFC-245fa", "CF4", "C2F6", "SF6", "NF3"}
CONFIDENCE_RANK = {"verified": 0, "local": 0, "derived": 1, "secondary": 2, "memory": 3}
#: confidences flagged in reports: the value has not been checked against its source document
UNVERIFIED = {"secondary", "derived", "memory"}


@dataclass
class FactorDatabase:
    """All factor rows (shipped and local) with resolution by the precedence rules."""

    rows: pd.DataFrame
    registry: RegionRegistry
    vocabulary: Vocabulary
    #: resolutions already made: (parameter, gas, preference, region chain, year, category, item) → row
    _memo: dict = field(default_factory=dict, repr=False)

    def rows_by_id(self, ids) -> pd.DataFrame:
        wanted = [i for i in dict.fromkeys(ids) if i]
        return self.rows.set_index("id").loc[wanted].reset_index()

    def candidates(self, parameter: str, gas: str = "") -> pd.DataFrame:
        rows = self.rows[self.rows["parameter"] == parameter]
        return rows[rows["gas"] == gas]

    def digest(self, region: str, year: int) -> str:
        """Hash of every row that can apply to ``region`` in ``year`` (for incremental rebuilds)."""
        chain = set(self.registry.ancestors(region)) | {"*"}
        rows = self.rows[self.rows["region"].isin(chain)
                         & (self.rows["year_from"] <= year) & (self.rows["year_to"] >= year)]
        text = rows[COLUMNS].sort_values(["parameter", "category", "item", "gas", "id"]).to_csv(index=False)
        return hashlib.sha256(text.encode()).hexdigest()

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
        rows = self.candidates(parameter, gas)
        preference = {name: rank for rank, name in enumerate(factor_sets or [])}
        local_regions = set(rows["region"]) - {"*"}
        # regions that see the same factor rows resolve alike: key on the relevant part of the chain
        region_key = {r: tuple(a for a in self.registry.ancestors(r) if a in local_regions)
                      for r in cells["region"].unique()}
        keyed = cells[["region", "year", "category", "item"]].copy()
        keyed["chain"] = keyed["region"].map(region_key)
        unique = keyed.drop_duplicates(["chain", "year", "category", "item"])
        records = None
        picked = {}
        memo_base = (parameter, gas, tuple(factor_sets or ()))
        for chain, year, category, item in unique[["chain", "year", "category", "item"]].itertuples(index=False):
            memo_key = memo_base + (chain, year, category, item)
            if memo_key not in self._memo:
                if records is None:
                    records = rows.to_dict("records")
                self._memo[memo_key] = self._best(records, chain, int(year), category, item, preference)
            picked[(chain, year, category, item)] = self._memo[memo_key]
        out = pd.DataFrame(index=cells.index)
        lookup = keyed[["chain", "year", "category", "item"]].itertuples(index=False)
        chosen = [picked[(c, y, k, i)] for c, y, k, i in lookup]
        out["factor_id"] = [row["id"] if row else "" for row in chosen]
        out["factor_value"] = [row["value"] if row else np.nan for row in chosen]
        out["factor_unit"] = [row["unit"] if row else "" for row in chosen]
        return out

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
            score = (
                0 if row["origin"] == "local" else 1,
                chain.index(row["region"]) if row["region"] != "*" else len(chain),
                category_chain.index(row["category"]) if row["category"] != "*" else len(category_chain),
                0 if row["item"] == item else 1,
                0 if row["bounded"] else 1,
                preference.get(row["factor_set"], len(preference)),
                CONFIDENCE_RANK.get(row["confidence"], 9),
            )
            if best_score is None or score < best_score:
                best, best_score = row, score
        return best

    def resolve_to(self, parameter: str, cells: pd.DataFrame, target_units: pd.Series | str,
                   gas: str = "", factor_sets: list[str] | None = None) -> pd.DataFrame:
        """:meth:`resolve`, with ``value`` converted into ``target_units`` (per cell or one for all).

        Raises
        ------
        InputError
            A factor row's unit does not convert to the unit the method needs for that item.
        """
        resolved = self.resolve(parameter, cells, gas, factor_sets)
        targets = target_units if isinstance(target_units, pd.Series) else pd.Series(target_units, index=cells.index)
        issues = []
        scale = []
        for factor_id, unit, target in zip(resolved["factor_id"], resolved["factor_unit"], targets):
            if not factor_id:
                scale.append(np.nan)
                continue
            try:
                scale.append(_cached_conversion(unit, target))
            except UnitError:
                row = self.rows.set_index("id").loc[factor_id]
                issues.append(Issue(row["file"], int(row["line"]), "unit",
                                    f"{parameter} unit {unit!r} does not fit: {target!r} is needed here"))
                scale.append(np.nan)
        if issues:
            raise InputError(sorted(set(issues)))
        resolved["value"] = resolved["factor_value"].to_numpy(dtype=float) * np.asarray(scale, dtype=float)
        return resolved


@functools.lru_cache(maxsize=4096)
def _cached_conversion(unit: str, target: str) -> float:
    return conversion_factor(unit, target)


def _read_factor_file(path: Path, display: str, origin: str, issues: list[Issue]) -> pd.DataFrame | None:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        issues.append(Issue(display, 0, "", f"cannot read as UTF-8 CSV: {exc}"))
        return None
    frame.columns = [c.strip() for c in frame.columns]
    required = COLUMNS if origin == "shipped" else LOCAL_REQUIRED
    missing = [c for c in required if c not in frame.columns]
    if missing:
        issues.append(Issue(display, 1, "", f"missing column(s): {', '.join(missing)}"))
        return None
    for column in COLUMNS:
        if column not in frame.columns:
            frame[column] = ""
    frame = frame[COLUMNS].apply(lambda s: s.str.strip())
    frame["file"] = display
    frame["line"] = np.arange(len(frame)) + 2
    frame["origin"] = origin
    if origin == "local":
        frame.loc[frame["id"] == "", "id"] = [f"{display}:{line}" for line in frame.loc[frame["id"] == "", "line"]]
        frame.loc[frame["confidence"] == "", "confidence"] = "local"
        frame.loc[frame["factor_set"] == "", "factor_set"] = "local"
    return frame


def _validate(frame: pd.DataFrame, vocabulary: Vocabulary, registry: RegionRegistry,
              issues: list[Issue]) -> pd.DataFrame:
    good = []
    for row in frame.to_dict("records"):
        problems = []
        parameter = row["parameter"]
        if parameter not in PARAMETERS:
            problems.append(("parameter", f"unknown parameter {parameter!r}; one of {', '.join(PARAMETERS)}"))
        if row["category"] != "*" and row["category"] not in vocabulary.categories.index:
            problems.append(("category", f"unknown category {row['category']!r}"))
        if row["item"] != "*" and row["item"] not in vocabulary.items.index:
            problems.append(("item", f"unknown item {row['item']!r}"))
        if parameter in ("ef", "grid_ef") and row["gas"] not in GASES:
            problems.append(("gas", f"parameter {parameter} needs a gas ({', '.join(sorted(GASES))}), "
                                    f"got {row['gas']!r}"))
        if parameter not in ("ef", "grid_ef") and row["gas"]:
            problems.append(("gas", f"parameter {parameter} takes no gas"))
        if row["region"] != "*" and row["region"] not in registry:
            problems.append(("region", f"unknown region {row['region']!r}"))
        if not row["source"]:
            problems.append(("source", "source is required: say where the value comes from"))
        if row["confidence"] not in CONFIDENCE_RANK:
            problems.append(("confidence", f"unknown confidence {row['confidence']!r}"))
        try:
            value = float(row["value"])
            if not np.isfinite(value):
                raise ValueError
            if value < 0:
                problems.append(("value", f"negative factor {row['value']}"))
        except ValueError:
            problems.append(("value", f"value {row['value']!r} is not a number"))
        try:
            unit = parse_unit(row["unit"])
            problems += _dimension_problems(parameter, row["item"], unit, vocabulary)
        except UnitError as exc:
            problems.append(("unit", str(exc)))
        years = []
        for column in ("year_from", "year_to"):
            text = row[column]
            if text and not (text.isdigit() and len(text) == 4):
                problems.append((column, f"{column} {text!r} is not a four-digit year"))
            years.append(int(text) if text.isdigit() else None)
        if years[0] is not None and years[1] is not None and years[0] > years[1]:
            problems.append(("year_to", f"year_to {years[1]} is before year_from {years[0]}"))
        if problems:
            issues += [Issue(row["file"], row["line"], column, message) for column, message in problems]
        else:
            good.append(row)
    return pd.DataFrame(good, columns=list(frame.columns))


def _dimension_problems(parameter: str, item: str, unit, vocabulary: Vocabulary) -> list[tuple[str, str]]:
    dims = unit.dimensionality
    energy = parse_unit("J").dimensionality
    mass = parse_unit("kg").dimensionality
    activity = None
    if item != "*" and item in vocabulary.items.index:
        activity = parse_unit(vocabulary.items.at[item, "canonical_unit"]).dimensionality
    message = None
    if parameter in ("ncv", "tce_coefficient"):
        if activity is not None and dims != energy / activity:
            unit_of_item = vocabulary.items.at[item, "canonical_unit"]
            message = f"{parameter} must be energy per {unit_of_item}-like unit of {item}"
    elif parameter == "carbon_content":
        if dims != mass / energy:
            message = "carbon_content must be mass of carbon per energy (t/TJ, tC/TJ, kg/GJ)"
    elif parameter == "oxidation":
        if dims:
            message = "oxidation must be a fraction (empty, 1 or %)"
    elif parameter == "grid_ef":
        if dims != mass / energy:
            message = "grid_ef must be mass of gas per energy (t/MWh, kg/kWh, t/GJ)"
    elif parameter == "ef":
        numerator_ok = any(dims == mass / d for d in ([energy] + ([activity] if activity is not None else [])))
        if activity is not None and not numerator_ok:
            message = f"ef must be mass of gas per energy or per unit of {item}'s activity"
    return [("unit", f"unit {unit.units!s}: {message}")] if message else []


def _check_overlaps(rows: pd.DataFrame, issues: list[Issue]) -> None:
    """Two local rows for the same key with overlapping years would make the choice arbitrary."""
    local = rows[rows["origin"] == "local"]
    for _, group in local.groupby(["parameter", "category", "item", "gas", "region"]):
        spans = group.sort_values("year_from")
        previous = None
        for row in spans.to_dict("records"):
            if previous is not None and row["year_from"] <= previous["year_to"]:
                issues.append(Issue(row["file"], row["line"], "year_from",
                                    f"overlaps {previous['file']}:{previous['line']} "
                                    f"({row['parameter']} {row['category']} {row['item']} {row['gas']} "
                                    f"{row['region']})"))
            previous = row


@functools.lru_cache(maxsize=8)
def _load_cached(local_dir: str | None, signature: tuple) -> FactorDatabase:
    vocabulary = load_vocabulary()
    registry = load_regions(Path(local_dir).parent if local_dir else None)
    issues: list[Issue] = []
    frames = []
    for path in sorted(SHIPPED_DIR.glob("*.csv")):
        frame = _read_factor_file(path, f"inventory/data/factors/{path.name}", "shipped", issues)
        if frame is not None:
            frames.append(_validate(frame, vocabulary, registry, issues))
    if local_dir:
        root = Path(local_dir)
        for path in sorted(root.glob("*.csv")):
            frame = _read_factor_file(path, f"factors/{path.name}", "local", issues)
            if frame is not None:
                frames.append(_validate(frame, vocabulary, registry, issues))
    rows = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)
    duplicated_ids = rows[rows["id"].duplicated(keep=False)]
    for row in duplicated_ids.to_dict("records"):
        issues.append(Issue(row["file"], row["line"], "id", f"factor id {row['id']!r} is used twice"))
    rows["value"] = pd.to_numeric(rows["value"])
    rows["bounded"] = (rows["year_from"] != "") | (rows["year_to"] != "")
    rows["year_from"] = pd.to_numeric(rows["year_from"].replace("", "0")).astype(int)
    rows["year_to"] = pd.to_numeric(rows["year_to"].replace("", "9999")).astype(int)
    _check_overlaps(rows, issues)
    if issues:
        raise InputError(issues)
    return FactorDatabase(rows=rows.reset_index(drop=True), registry=registry, vocabulary=vocabulary)


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
