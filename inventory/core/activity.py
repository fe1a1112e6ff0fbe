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
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from inventory.core.csvio import read_rows
from inventory.core.errors import InputError, Issue, bilingual, did_you_mean
from inventory.core.plausibility import uncertainty_problem, year_in_range, year_range_message
from inventory.core.regions import RegionRegistry, load_regions
from inventory.core.units import (
    LOOKALIKES,
    UnitError,
    UnitMagnitudeError,
    conversion_factor,
    dimension_name,
    parse_unit,
    suggest_unit,
    unit_magnitude_message,
)
from inventory.core.vocabulary import NOTATION_KEYS, Vocabulary, load_vocabulary

__all__ = ["ActivityData", "read_activity", "read_inputs", "read_activity_files", "activity_files", "stray_files",
           "to_cube", "KEY", "REQUIRED", "annual_records", "quarter_of", "illustrative", "ILLUSTRATIVE_MARK",
           "INGEST_JOURNAL"]

REQUIRED = ["region", "year", "category", "item", "quantity"]
OPTIONAL = ["value", "unit", "notation", "uncertainty", "source", "note", "period", "origin"]
#: the key of one record; two records with the same key and different values are an error
KEY = ["region", "year", "category", "item", "quantity", "period"]
_EMPTY_DIGEST = hashlib.sha256(b"").hexdigest()
#: written by ``inventory ingest`` at its commit point and removed when its renames are done
#: (inventory.collect.ingest): while it exists, activity/ may be half old, half new
INGEST_JOURNAL = ".ingest/journal.json"
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


#: the columns by their Chinese names, for messages
COLUMN_ZH = {"region": "地区代码", "year": "年份", "category": "类别", "item": "条目", "quantity": "活动量",
             "value": "数值", "unit": "单位", "notation": "注释键", "uncertainty": "不确定性", "period": "期间"}
#: quantities that are flows one way: a negative number there is a sign convention, not a value
_MAGNITUDES = {"outflow", "export", "transformation_input", "loss", "non_energy_use"}
#: files a clerk may drop into activity/ that are not read there (data-collection workbooks)
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".et", ".ett", ".ods", ".wps")
_CHINESE_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _is_number(text: str) -> bool:
    try:
        return np.isfinite(float(text))
    except ValueError:
        return False


def _number_hint(text: str) -> tuple[str, str]:
    """What a value that is not a number most likely meant: ``1,234`` → 1234, ``１２３`` → 123, ``12O`` →
    120, ``1000吨`` → value 1000 and unit 吨, ``约1000`` → numbers only."""
    normal = unicodedata.normalize("NFKC", text).strip().replace("\u2212", "-")
    joined = re.sub(r"(?<=\d)[,\s](?=\d{3}(?!\d))", "", normal)
    if joined != text and _is_number(joined):
        return did_you_mean([joined])
    split = re.fullmatch(r"([-+]?\d+(?:\.\d+)?)\s*([^\d\s.].*)", joined)
    if split:
        try:
            parse_unit(split.group(2))
            return (f"——单位请填在 unit 列：value 填 {split.group(1)}，unit 填 {split.group(2)}",
                    f" — put the unit in the unit column: value {split.group(1)}, unit {split.group(2)}")
        except UnitError:
            pass
    letters = joined.translate(str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1"}))
    if letters != joined and re.fullmatch(r"[-+]?[\d.]+(?:e[-+]?\d+)?", letters) and _is_number(letters):
        return did_you_mean([letters])
    if re.match(r"^(约|大约|近|~|≈|<|>|≤|≥)", joined):
        return ("——只填数字；估计值的说明写在 note 列", " — a number only; say it is an estimate in the note column")
    return "", ""


def _year_hint(text: str) -> tuple[str, str]:
    """``2021年``, ``2021.0`` (a year Excel wrote as a number), ``２０２１`` → 2021."""
    found = re.fullmatch(r"\s*(\d{4})(?:\.0+|\s*年度?)?\s*", unicodedata.normalize("NFKC", text))
    return did_you_mean([found.group(1)]) if found else ("", "")


def _period_hint(text: str, year: int) -> tuple[str, str]:
    """``一季度``, ``2023年1季度``, ``q1`` → 2023Q1; ``1月``, ``2023/1``, ``2023-1`` → 2023-01."""
    normal = unicodedata.normalize("NFKC", text).strip()
    if _PERIOD.match(normal):  # well formed, of another year: the year or the period is wrong, not the form
        return "", ""
    quarter = re.fullmatch(r"(?:\d{4}\s*年?)?\s*(?:第?([一二三四1-4])\s*季度?|[Qq]([1-4]))", normal) or \
        re.fullmatch(r"\d{4}\s*[Qq]([1-4])()", normal)
    if quarter:
        number = _CHINESE_QUARTERS[quarter.group(1) or quarter.group(2)]
        return did_you_mean([f"{year}Q{number}"])
    month = re.fullmatch(r"(?:\d{4}\s*(?:年|[-/.]))?\s*(\d{1,2})\s*月?(?:份)?", normal)
    if month and 1 <= int(month.group(1)) <= 12:
        return did_you_mean([f"{year}-{int(month.group(1)):02d}"])
    return "", ""


def _notation_hint(text: str) -> tuple[str, str]:
    """``no`` → NO, ``N/A`` / ``n.a.`` → NA."""
    key = re.sub(r"[\s/.]", "", unicodedata.normalize("NFKC", text)).upper()
    return did_you_mean([key]) if key in NOTATION_KEYS else ("", "")


def _region_hint(text: str, year: int, registry: RegionRegistry) -> tuple[str, str]:
    """The code a region cell most likely meant: a region given by its name (``邵阳县`` → 430523; a name
    retired by the year → its successor), a code with its name after it, a code Excel wrote as a number."""
    normal = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    code = re.match(r"^(\d{6}(?:-P\d+)?)(?:\.0+)?(?!\d)", normal)
    if code and code.group(1) in registry and code.group(1) != text:
        found = [registry[code.group(1)]]
    else:
        key = normal.casefold()
        names = [(r, unicodedata.normalize("NFKC", r.name_zh), r.name_en.casefold().replace(" ", ""))
                 for r in registry.regions.values()]
        found = [r for r, zh, en in names if key in (zh, en)]
        if not found and len(key) >= 2:
            found = [r for r, zh, en in names if zh.startswith(key) or (key.isascii() and en.startswith(key))]
    codes: list[str] = []
    for region in found:
        chosen = region.code
        if year and not region.valid_in(year) and region.successor:
            chosen = registry.current(chosen)
        if chosen not in codes:
            codes.append(chosen)
    return did_you_mean([(c, registry[c].name_zh) for c in codes[:3]])


def _region_invalid(code: str, year: int, registry: RegionRegistry, error: Exception) -> str:
    """A code not valid in the year, in both languages: a retired code names its successor, a new one the code
    it replaced."""
    region = registry[code]
    if region.successor and region.valid_to is not None and year > region.valid_to:
        successor = registry.regions.get(region.successor)
        label = f"（{successor.name_zh}）" if successor else ""
        return bilingual(f"地区代码 {code}（{region.name_zh}）{region.valid_to} 年以后改为 {region.successor}{label}："
                         f"{year} 年请用 {region.successor}", str(error))
    if not region.valid_in(year):
        before = [r for r in registry.regions.values() if r.successor == code and r.valid_in(year)]
        zh, en = did_you_mean([(r.code, r.name_zh) for r in before])
        return bilingual(f"地区代码 {code}（{region.name_zh}）在 {year} 年无效{zh}", f"{error}{en}")
    return bilingual(f"地区代码 {code} 有误（见 regions.csv）", str(error))


def _category_hint(text: str, vocabulary: Vocabulary) -> tuple[str, str]:
    codes, parent = vocabulary.suggest_category(text)
    if codes:
        return did_you_mean([(c, vocabulary.category_name(c)) for c in codes])
    if parent:
        children = vocabulary.subcategories(parent)
        shown = "、".join(children[:20]) + ("……" if len(children) > 20 else "")
        shown_en = ", ".join(children[:20]) + (" ..." if len(children) > 20 else "")
        return (f"——{parent}（{vocabulary.category_name(parent)}）的下级类别有：{shown}",
                f" — the categories under {parent} ({vocabulary.category_name(parent, 'en')}) are: {shown_en}")
    return "", ""


def _unit_problem(unit: str, wanted: str) -> str | None:
    """Why an activity unit cannot be used at all (unreadable, or a lookalike), with the unit meant; None if
    it reads. ``wanted`` is the record's canonical unit ('' if the item or quantity is unknown)."""
    if unit in LOOKALIKES:
        meant, zh_name, en_name = LOOKALIKES[unit]
        zh, en = did_you_mean([meant])
        return bilingual(f"单位“{unit}”是{zh_name}，统计数据不用这个单位{zh}",
                         f"unit {unit!r} is a {en_name}, not a unit statistics use{en}")
    try:
        parse_unit(unit)
        return None
    except UnitMagnitudeError as exc:
        return unit_magnitude_message(exc)
    except UnitError:
        pass
    meant = suggest_unit(unit, wanted)
    if meant:
        zh, en = did_you_mean([meant])
    else:
        zh, en = "（可用单位见 docs/DATA_FORMAT.md 2.2）", " (units: docs/DATA_FORMAT.md 2.2)"
    return bilingual(f"单位“{unit}”无法识别{zh}", f"unknown unit {unit!r}{en}")


def _dimension_problem(unit: str, wanted: str) -> str:
    """A unit of the wrong kind for the record, in both languages, with the units of the right kind."""
    zh_is, en_is, _ = dimension_name(unit)
    zh_kind, en_kind, examples = dimension_name(wanted)
    zh = f"单位“{unit}”是{zh_is}单位，不是{zh_kind}单位：该条目的这一活动量按{zh_kind}计（如 {examples}）"
    en = (f"unit {unit!r} is a unit of {en_is}, not of {en_kind} (this quantity of this item is measured like "
          f"{wanted!r})")
    if en_is == "energy" and en_kind in ("mass", "volume"):
        zh += "；燃料请按实物量填报，热值和折标准煤由工作台换算"
        en += "; report fuels in physical units: the workbench converts them to energy and standard coal"
    return bilingual(zh, en)


def _validate(frame: pd.DataFrame, vocabulary: Vocabulary, registry: RegionRegistry,
              issues: list[Issue]) -> pd.DataFrame:
    """Check every record; return the valid ones with canonical values. Problems go to ``issues``.

    Every independent problem of a row is reported (an unknown region and a text value in the same
    row give two messages); a check that needs another field to be right first (the unit's
    dimension needs a known item and quantity) runs only where that field is right. Every message
    is in Chinese, then English, and names what was meant where the workbench can tell.
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

    def quantity_zh(quantity: str) -> str:
        return vocabulary.quantities.at[quantity, "name_zh"] if quantity in vocabulary.quantities.index else quantity

    for column in REQUIRED:
        report(frame[column] == "", column, bilingual(f"{COLUMN_ZH[column]}（{column}）为空", f"{column} is empty"))
    present = {column: frame[column] != "" for column in REQUIRED}

    years = pd.to_numeric(frame["year"], errors="coerce")
    year_ok = frame["year"].str.fullmatch(r"\d{4}") & years.notna()
    report(present["year"] & ~year_ok, "year", lambda r: bilingual(
        f"年份“{r['year']}”不是四位数年份{_year_hint(r['year'])[0]}",
        f"year {r['year']!r} is not a four-digit year{_year_hint(r['year'])[1]}"))
    in_range = years.map(lambda y: year_in_range(int(y)) if pd.notna(y) else False)
    report(present["year"] & year_ok & ~in_range, "year", lambda r: year_range_message("year", "年份", r["year"]))
    year_ok = year_ok & in_range
    frame["year"] = years.fillna(0).astype(int)

    region_known = frame["region"].isin(list(registry.regions))

    def unknown_region(row) -> str:
        zh, en = _region_hint(row["region"], int(row["year"]), registry)
        return bilingual(f"地区代码“{row['region']}”不在地区表中{zh}"
                         "（GB/T 2260 代码；本地园区请先在 regions.csv 中登记）",
                         f"unknown region code {row['region']!r}{en} (GB/T 2260; see regions.csv)")

    report(present["region"] & ~region_known, "region", unknown_region)
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
    report(invalid, "region", lambda r: _region_invalid(r["region"], int(r["year"]), registry,
                                                        mapping[(r["region"], r["year"])]))
    frame["region_reported"] = frame["region"]
    frame["region"] = [c if isinstance(v, Exception) else v for c, v in zip(frame["region"], looked_up)]

    category_ok = frame["category"].isin(vocabulary.categories.index)
    item_ok = frame["item"].isin(vocabulary.items.index)
    quantity_ok = frame["quantity"].isin(vocabulary.quantities.index)

    def unknown_category(row) -> str:
        zh, en = _category_hint(row["category"], vocabulary)
        return bilingual(f"未知类别“{row['category']}”{zh}（IPCC 2006 类别代码，如 1.A.2；或 EB、SOC）",
                         f"unknown category {row['category']!r}{en} (IPCC 2006 code such as 1.A.2, or EB, SOC)")

    def unknown_item(row) -> str:
        zh, en = did_you_mean([(c, vocabulary.item_name(c)) for c in vocabulary.suggest_item(row["item"])])
        return bilingual(f"未知条目“{row['item']}”{zh}（见 docs/VOCABULARY.md）",
                         f"unknown item {row['item']!r}{en} (see docs/VOCABULARY.md)")

    def unknown_quantity(row) -> str:
        zh, en = did_you_mean([(c, quantity_zh(c)) for c in vocabulary.suggest_quantity(row["quantity"])])
        return bilingual(f"未知活动量“{row['quantity']}”{zh}（见 docs/VOCABULARY.md）",
                         f"unknown quantity {row['quantity']!r}{en} (see docs/VOCABULARY.md)")

    report(present["category"] & ~category_ok, "category", unknown_category)
    report(present["item"] & ~item_ok, "item", unknown_item)
    report(present["quantity"] & ~quantity_ok, "quantity", unknown_quantity)
    both = item_ok & category_ok
    pairs = {(i, c): vocabulary.category_allowed(i, c)
             for i, c in set(zip(frame.loc[both, "item"], frame.loc[both, "category"]))}
    allowed = pd.Series([pairs.get((i, c), True) for i, c in zip(frame["item"], frame["category"])], index=frame.index)

    def misplaced(row) -> str:
        prefixes = [p for p in vocabulary.items.at[row["item"], "categories"].split(";") if p]
        return bilingual(
            f"条目“{row['item']}”（{vocabulary.item_name(row['item'])}）不能记在类别“{row['category']}”下"
            f"（可用类别：{'、'.join(prefixes)} 及其下级）",
            f"item {row['item']!r} cannot be recorded under category {row['category']!r} "
            f"(allowed: {', '.join(prefixes)} and below)")

    report(~allowed, "category", misplaced)
    both = item_ok & quantity_ok
    units = {(i, q): vocabulary.canonical_unit(i, q) or ""
             for i, q in set(zip(frame.loc[both, "item"], frame.loc[both, "quantity"]))}
    target = pd.Series([units.get((i, q), "") for i, q in zip(frame["item"], frame["quantity"])],
                       index=frame.index, dtype=object)
    report(both & (target == ""), "quantity", lambda r: bilingual(
        f"活动量“{r['quantity']}”（{quantity_zh(r['quantity'])}）不适用于条目“{r['item']}”"
        f"（{vocabulary.item_name(r['item'])}；可用：{'、'.join(vocabulary.quantities_of(r['item']))}）",
        f"quantity {r['quantity']!r} does not apply to item {r['item']!r} "
        f"(it takes: {', '.join(vocabulary.quantities_of(r['item']))})"))

    # energy-balance rows take their own flows: a process its inputs and outputs, a sector its final
    # consumption (supply flows, losses, non-energy use and simplified totals go under EB itself)
    placed = both & category_ok & frame["category"].str.startswith("EB.")
    for prefix, allowed in _EB_ROWS.items():
        wrong = placed & frame["category"].str.startswith(prefix) & ~frame["quantity"].isin(allowed) if placed.any() \
            else placed
        report(wrong, "quantity", lambda r, allowed=allowed: bilingual(
            f"活动量“{r['quantity']}”不能记在 {r['category']} 下（能源平衡表的"
            f"{'加工转换' if r['category'].startswith('EB.T') else '终端消费'}行只接受 {'、'.join(allowed)}；"
            f"供应量记在 EB 下）",
            f"quantity {r['quantity']!r} does not belong under {r['category']} (energy-balance "
            f"{'transformation' if r['category'].startswith('EB.T') else 'final-consumption'} rows take "
            f"{' / '.join(allowed)}; supply flows go under EB)"))

    # notation keys vs values
    has_notation = frame["notation"] != ""
    keys = "、".join(NOTATION_KEYS)
    report(has_notation & ~frame["notation"].isin(list(NOTATION_KEYS)), "notation", lambda r: bilingual(
        f"注释键“{r['notation']}”无效，应为 {keys} 之一{_notation_hint(r['notation'])[0]}",
        f"unknown notation key {r['notation']!r}; one of {', '.join(NOTATION_KEYS)}{_notation_hint(r['notation'])[1]}"))
    report(has_notation & (frame["value"] != ""), "value", lambda r: bilingual(
        f"同时填了数值（{r['value']}）和注释键（{r['notation']}），只保留一个",
        f"both a value ({r['value']}) and a notation key ({r['notation']}) are given; keep one"))
    report(~has_notation & (frame["value"] == ""), "value", bilingual(
        "数值为空（填数字；没有数值时在 notation 列填注释键）", "value is empty (give a number or a notation key)"))

    numbers = pd.to_numeric(frame["value"].str.replace("\u2212", "-", regex=False), errors="coerce")
    report(~has_notation & (frame["value"] != "") & numbers.isna(), "value", lambda r: bilingual(
        f"数值“{r['value']}”不是数字{_number_hint(r['value'])[0]}",
        f"value {r['value']!r} is not a number{_number_hint(r['value'])[1]}"))
    report(~has_notation & ~np.isfinite(numbers.fillna(0)), "value", lambda r: bilingual(
        f"数值“{r['value']}”不是有限数", f"value {r['value']!r} is not finite"))

    def unit_empty(row) -> str:
        wanted = target[row.name]
        if not wanted:
            return bilingual("单位为空", "unit is empty")
        zh_kind, _, examples = dimension_name(wanted)
        return bilingual(f"单位为空（该条目的这一活动量按{zh_kind}计，可填 {examples}）",
                         f"unit is empty (this quantity of this item is measured like {wanted!r})")

    report(~has_notation & (frame["unit"] == ""), "unit", unit_empty)

    # units: readable, and of the right dimension for (item, quantity); one check per distinct pair
    checked: dict[tuple[str, str], float | str] = {}
    candidates = ~has_notation & (frame["unit"] != "")
    for unit, wanted in set(zip(frame.loc[candidates, "unit"], target[candidates])):
        problem = _unit_problem(unit, wanted)
        if problem:
            checked[(unit, "?" + wanted)] = problem
    unreadable = pd.Series([(u, "?" + t) in checked for u, t in zip(frame["unit"], target)],
                           index=frame.index) & candidates
    report(unreadable, "unit", lambda r: checked[(r["unit"], "?" + target[r.name])])
    candidates = candidates & ~unreadable & (target != "")
    for unit, wanted in set(zip(frame.loc[candidates, "unit"], target[candidates])):
        try:
            checked[(unit, wanted)] = conversion_factor(unit, wanted)
        except UnitError:
            checked[(unit, wanted)] = _dimension_problem(unit, wanted)
    looked_up = [checked.get((u, t), np.nan) if c else np.nan
                 for u, t, c in zip(frame["unit"], target, candidates)]
    unit_problem = pd.Series([isinstance(v, str) for v in looked_up], index=frame.index)
    report(unit_problem, "unit", lambda r: checked[(r["unit"], target[r.name])])
    factors = pd.Series([np.nan if isinstance(v, str) else v for v in looked_up], index=frame.index, dtype=float)

    nonnegative = {q: vocabulary.nonnegative(q) for q in frame.loc[quantity_ok, "quantity"].unique()}
    negative_forbidden = frame["quantity"].map(lambda q: nonnegative.get(q, False)).astype(bool)

    def negative(row) -> str:
        quantity = row["quantity"]
        zh = en = ""
        if quantity in _MAGNITUDES:
            zh, en = "；填正的绝对值，方向由活动量表示", "; give the magnitude: the quantity says which way it goes"
        return bilingual(f"负值 {row['value']}（{quantity_zh(quantity)}不能为负{zh}）",
                         f"negative value {row['value']} ({quantity} cannot be negative{en})")

    # after conversion: the value in the canonical unit is finite (1e308 万吨 is not), and its sign is the one
    # checked (a unit's number is positive, so the sign is the value's own; a value whose unit is wrong is
    # checked as written)
    converted = numbers * factors
    report(~has_notation & numbers.notna() & np.isfinite(numbers) & factors.notna() & ~np.isfinite(converted),
           "value", lambda r: bilingual(
               f"数值 {r['value']} {r['unit']} 换算为 {target[r.name]} 后超出可计算的范围（不是有限数）："
               "请核对数值和单位",
               f"value {r['value']} {r['unit']} is not finite once converted to {target[r.name]}: check the value "
               "and its unit"))
    report(~has_notation & (converted.where(factors.notna(), numbers) < 0) & negative_forbidden, "value", negative)

    periods = frame["period"] != ""
    period_year = pd.Series("", index=frame.index)
    period_year[periods] = frame.loc[periods, "period"].map(lambda p: m.group("year") if (m := _PERIOD.match(p))
                                                            else "")
    report(periods & (period_year != frame["year"].astype(str)), "period", lambda r: bilingual(
        f"期间“{r['period']}”不是 {r['year']} 年的季度或月份（应写作 {r['year']}Q1 或 {r['year']}-01）"
        f"{_period_hint(r['period'], r['year'])[0]}",
        f"period {r['period']!r} is not a quarter or month of {r['year']} (like {r['year']}Q1 or "
        f"{r['year']}-01){_period_hint(r['period'], r['year'])[1]}"))
    uncertainty = {u: uncertainty_problem(u) for u in frame["uncertainty"].unique()}
    report(frame["uncertainty"].map(lambda u: uncertainty[u] is not None), "uncertainty",
           lambda r: uncertainty[r["uncertainty"]])

    frame = frame.assign(value_reported=frame["value"], unit_reported=frame["unit"])
    frame["value"] = converted
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
                warnings.append(Issue(row["file"], int(row["line"]), "", bilingual(
                    f"与 {where} 是同一记录，只计一次", f"same record as {where}; counted once")))
                keep[index] = False
            else:
                key = f"{first['region']} {first['year']} {first['category']} {first['item']} {first['quantity']}"
                this = f"{row['value_reported'] or row['notation']} {row['unit_reported']}".strip()
                other = f"{first['value_reported'] or first['notation']} {first['unit_reported']}".strip()
                issues.append(Issue(row["file"], int(row["line"]), "value", bilingual(
                    f"与 {where} 重复（{key}），数值不同：{this} 与 {other}；只保留正确的一条",
                    f"duplicate of {where} ({key}) with a different value: {this} vs {other}")))
    return records[keep]


def read_activity_files(paths: list[Path], root: Path | None = None,
                        registry: RegionRegistry | None = None) -> ActivityData:
    """Read and validate activity CSV files; raise :class:`InputError` listing every problem. A file in
    GBK/GB18030 (Excel's CSV on Chinese Windows) is read, with a warning naming it."""
    vocabulary = load_vocabulary()
    registry = registry or load_regions(root)
    issues: list[Issue] = []
    warnings: list[Issue] = []
    frames = []
    for path in paths:
        display = str(path.relative_to(root)) if root and path.is_relative_to(root) else str(path)
        frame = read_rows(path, display, REQUIRED, OPTIONAL, issues, warnings)
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
    """The CSV files of ``<data>/activity/`` (``.csv`` in any case; that folder only). A folder named
    ``*.csv`` is listed too, so that reading it reports it rather than skipping it silently."""
    folder = Path(data_dir) / "activity"
    if not folder.is_dir():
        raise InputError([Issue(str(folder), 0, "", bilingual(
            f"没有 activity 文件夹：请把活动水平 CSV 文件放在 {Path(data_dir) / 'activity'}/ 中",
            "no activity folder: put activity CSV files in <data>/activity/"))])
    return sorted(p for p in folder.iterdir() if p.suffix.lower() == ".csv"
                  and not p.name.startswith((".", "~$")))


def stray_files(data_dir: str | Path) -> tuple[list[Issue], list[Issue]]:
    """Files of ``<data>/activity/`` that look like data but are not read there: (errors, warnings).

    A spreadsheet (a filled data-collection workbook, ``.xlsx``, ``.xls``, ``.et`` …) is an error: its
    numbers would be missing from the inventory; ``inventory ingest`` reads it. A CSV in a subfolder is
    a warning (only the folder's own level is read; a subfolder may hold old copies on purpose).
    """
    data_dir = Path(data_dir)
    folder = data_dir / "activity"
    errors: list[Issue] = []
    warnings: list[Issue] = []
    if (data_dir / INGEST_JOURNAL).exists():
        errors.append(Issue(str(data_dir / INGEST_JOURNAL), 0, "", bilingual(
            f"上次 inventory ingest 在写入时被中断：先运行 `inventory ingest --data {data_dir} …` 完成它",
            f"an inventory ingest was interrupted while writing: run `inventory ingest --data {data_dir} …` to "
            "complete it first")))
    if not folder.is_dir():
        return errors, warnings
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.name.startswith((".", "~$")):
            continue
        display = path.relative_to(data_dir).as_posix()
        suffix = path.suffix.lower()
        if path.parent == folder and suffix in SPREADSHEET_SUFFIXES:
            save_first = ("（先在 Excel / WPS 中“另存为” .xlsx）", f" (save the {suffix} file as .xlsx first)") \
                if suffix not in (".xlsx", ".xlsm") else ("", "")
            errors.append(Issue(display, 0, "", bilingual(
                f"这是电子表格（{suffix}），activity/ 中只读 CSV，它的数据不会计入：数据采集表请用 "
                f"`inventory ingest {data_dir / display} --data {data_dir}` 读入{save_first[0]}，"
                f"它会写出 activity/ 中的 CSV 并在 workbooks/ 中留一份副本；然后把此文件移出 activity/",
                f"a spreadsheet ({suffix}): activity/ reads CSV files only, so its numbers would be left out; "
                f"use `inventory ingest {data_dir / display} --data {data_dir}`{save_first[1]}, which writes its "
                f"CSV into activity/ and keeps a copy in workbooks/; then move this file out of activity/")))
        elif path.parent != folder and suffix == ".csv":
            warnings.append(Issue(display, 0, "", bilingual(
                "在 activity/ 的子文件夹中，不会读入（只读 activity/ 这一层）；要用它的数据请移到 activity/ 中",
                "in a subfolder of activity/, so not read (only activity/ itself is); move it into activity/ "
                "to use it")))
    return errors, warnings


def _signature(paths: list[Path]) -> tuple:
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in paths if p.exists())


@functools.lru_cache(maxsize=8)
def _read_cached(root: str, signature: tuple) -> ActivityData:
    paths = [Path(name) for name, _, _ in signature if Path(name).parent.name == "activity"]
    return read_activity_files(paths, root=Path(root))


def read_activity(data_dir: str | Path) -> ActivityData:
    """All activity records of a data folder, validated (cached while its files are unchanged).

    Problems of the files and spreadsheets dropped into ``activity/`` (:func:`stray_files`) are raised
    together; the warnings of both are the result's."""
    root = Path(data_dir).resolve()
    files = activity_files(root)
    errors, warnings = stray_files(data_dir)
    try:
        data = _read_cached(str(root), _signature(files + [root / "regions.csv"]))
    except InputError as exc:
        raise InputError(exc.issues + errors) from None
    if errors:
        raise InputError(errors)
    if warnings:
        data = replace(data, warnings=data.warnings + warnings)
    return data


def read_inputs(data_dir: str | Path):
    """Activity and factors of a data folder, validated together: every problem of both at once. The warnings
    of the factor rows (a local value outside its parameter's published range) are added to the activity's,
    which a run prints."""
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
    if factors.warnings:
        activity = replace(activity, warnings=activity.warnings + factors.warnings)
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
