"""Tables for reading: Chinese or English headings, HTML without row numbers, flagged rows marked.

Everything a notebook shows goes through :func:`show`: the same call serves an interactive
JupyterLab session, a papermill run and the rendered report. Every heading, index label and cell is
text: it is escaped (:func:`inventory.core.safetext.html_text`), so a name, source or note from input
can never become markup, whatever table a sector builds.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from inventory.core.safetext import html_text
from inventory.core.units import display_unit

__all__ = ["LABELS", "label", "headings", "Table", "show", "to_wan_tonnes", "is_share", "is_tonnes", "number_text",
           "tonnes_text", "percent_text"]

LABELS = {
    "region": ("地区", "Region"), "year": ("年份", "Year"), "category": ("类别", "Category"),
    "category_name": ("类别名称", "Category name"), "item": ("品种", "Item"), "item_name": ("品种名称", "Item name"),
    "quantity": ("指标", "Quantity"), "value_reported": ("填报值", "Reported value"),
    "unit_reported": ("填报单位", "Reported unit"), "value": ("标准值", "Value"), "unit": ("单位", "Unit"),
    "notation": ("注释符号", "Notation key"), "source": ("来源", "Source"), "where": ("位置", "File:line"),
    "gas": ("气体", "Gas"), "emissions_t": ("排放量（吨）", "Emissions (t)"), "co2e_t": ("CO2当量（吨）", "CO2e (t)"),
    "energy_tj": ("能量（TJ）", "Energy (TJ)"), "activity_value": ("活动水平", "Activity"),
    "activity_unit": ("活动水平单位", "Activity unit"), "method": ("方法", "Method"),
    "factor_ids": ("因子编号", "Factor ids"), "confidence": ("可信度", "Confidence"),
    "id": ("编号", "Id"), "parameter": ("参数", "Parameter"), "factor_set": ("因子集", "Factor set"),
    "source_table": ("出处表格", "Table"), "note": ("备注", "Note"), "flag": ("标记", "Flag"),
    "check": ("检查", "Check"), "severity": ("级别", "Severity"), "message": ("说明", "Message"),
    "uncertainty": ("不确定性", "Uncertainty"), "origin": ("来源类型", "Origin"),
    "share": ("占比", "Share"), "total": ("合计", "Total"),
    # the inventory document's tables (QA findings, factor rows, analyses, consistency, completeness)
    "check_zh": ("检查项", "Check (zh)"), "suggestion": ("处理建议", "What to do"),
    "factor_id": ("因子编号", "Factor id"),
    "sector_zh": ("部门", "Sector (zh)"), "sector_en": ("部门（英文）", "Sector"), "categories": ("类别", "Categories"),
    "total_co2e_t": ("排放合计 CO2当量（吨）", "Total (t CO2e)"),
    "unverified_co2e_t": ("依赖未核实因子 CO2当量（吨）", "Resting on unverified factors (t CO2e)"),
    "flag_count": ("标记数", "Flags"), "checks": ("涉及检查", "Checks"), "rows": ("排放行数", "Emission rows"),
    "region_years": ("地区年份数", "Region-years"), "assessment": ("评估", "Assessment"),
    "cumulative_share": ("累计占比", "Cumulative share"), "key": ("关键类别", "Key"), "rank": ("排序", "Rank"),
    "lulucf": ("土地利用变化和林业", "LULUCF"), "approach": ("方法", "Approach"), "measure": ("对象", "Measure"),
    "estimate": ("估计值", "Estimate"), "low": ("下限（2.5%）", "Low (2.5 %)"),
    "high": ("上限（97.5%）", "High (97.5 %)"),
    "u_pct": ("不确定性（±%；趋势为百分点）", "Uncertainty (± %; trend: percentage points)"),
    "status": ("状态", "Status"), "reported_t": ("本级填报（吨）", "Reported (t)"),
    "sum_of_members_t": ("下级合计（吨）", "Sum of members (t)"), "difference_t": ("差值（吨）", "Difference (t)"),
    "relative": ("相对差", "Relative difference"), "members": ("有结果的下级", "Members with results"),
    "expected_members": ("应有下级", "Expected members"), "count": ("条数", "Count"),
    "name_zh": ("名称", "Name (zh)"), "name_en": ("名称（英文）", "Name"), "gases": ("气体", "Gases"),
}


def label(key: str, lang: str = "zh") -> str:
    zh, en = LABELS.get(key, (key, key))
    return zh if lang == "zh" else en


#: the columns whose words mark a row (the workbench's own flag, severity and QA message, by key or heading):
#: ``error`` → red, ``未核实`` (unverified) → orange. Text from input (a source, a note) never colours a row.
_MARKING = {name for key in ("flag", "severity", "message") for name in (key, *LABELS[key])}
#: a text column with a value longer than this [characters] wraps within a bounded width
_LONG_TEXT = 40
_WRAP = "text-align:left;min-width:14em;max-width:32em;white-space:normal;overflow-wrap:break-word"


#: column names (keys or headings) whose values are shares (fractions: 0.123 is shown ``12.3 %``)
_SHARE_WORDS = ("share", "占比", "比例", "份额")
_SHARE_NAMES = {"relative", "相对差", "Relative difference"}
#: column names whose values are already percentages (12.3 is shown ``12.3 %``)
_PERCENT_SUFFIXES = ("_pct",)
#: gas columns of a results table hold tonnes of that gas (``by_category``: CO2, CH4, N2O, CO2e)
_GAS_COLUMNS = {"CO2", "CH4", "N2O", "CO2e", "HFCs", "PFCs", "SF6", "NF3"}
#: how a heading in tonnes says so, and how it says 万吨 (10^4 t)
_TONNE_MARKS = (("（吨）", "（万吨）"), ("(t)", "(10⁴ t)"), ("_t", "_wan_t"))
_YEAR_NAMES = {"year", "年份", "Year"}
#: columns of standard units (not the units as reported, which are shown as filed): written as people write them
_UNIT_NAMES = {"unit", "单位", "Unit", "activity_unit", "活动水平单位", "Activity unit"}


def is_share(name) -> bool:
    """Whether a column named ``name`` holds shares (fractions shown as percentages)."""
    text = str(name)
    return text in _SHARE_NAMES or any(word in text.lower() for word in _SHARE_WORDS)


def is_tonnes(name) -> bool:
    """Whether a column named ``name`` holds tonnes (``co2e_t``, ``CO2当量（吨）``, ``Emissions (t)``, a gas)."""
    text = str(name)
    return text in _GAS_COLUMNS or any(text.endswith(mark) for mark, _ in _TONNE_MARKS)


def number_text(value: float, decimals: int) -> str:
    """``value`` with thousands separators and ``decimals`` decimals; a value that rounds to zero is
    ``0`` (``0.00``), never ``-0.00``."""
    rounded = round(float(value), decimals)
    return f"{(rounded if rounded != 0 else 0.0):,.{decimals}f}"


def tonnes_text(value: float) -> str:
    """Tonnes to the precision they mean [t]: whole tonnes from 100 t, two decimals from 1 t, three
    significant digits below (a small N2O or CH4 flow is not shown as 0.00); ``0`` for zero."""
    magnitude = abs(float(value))
    if magnitude == 0:
        return "0"
    if magnitude >= 100:
        return number_text(value, 0)
    if magnitude >= 1:
        return number_text(value, 2)
    return number_text(value, min(2 - math.floor(math.log10(magnitude)), 12))


def percent_text(value: float, decimals: int | None = None) -> str:
    """A share (a fraction) as a percentage: 0.1234 → ``12.3 %``, 0.00042 → ``0.04 %`` [%]; never ``-0.0 %``.

    ``decimals`` default: 1, and 2 below 1 % (a 0.04 % difference against a 0.1 % tolerance is not 0.0 %).
    """
    percent = 100 * float(value)
    if decimals is None:
        decimals = 2 if 0 < abs(percent) < 1 else 1
    return number_text(percent, decimals) + " %"


def to_wan_tonnes(frame: pd.DataFrame, columns=None) -> pd.DataFrame:
    """``frame`` with its tonnes columns in 万吨 (10^4 t) and their headings saying so.

    Parameters
    ----------
    frame : DataFrame
        A table with columns in tonnes [t].
    columns : list, optional
        The columns in tonnes (default: those :func:`is_tonnes` recognises by name).

    Returns
    -------
    DataFrame
        A copy; each converted column divided by 10 000 [10^4 t] and renamed: ``（吨）`` → ``（万吨）``,
        ``(t)`` → ``(10⁴ t)``, ``co2e_t`` → ``co2e_wan_t``, a gas ``CO2`` → ``CO2（万吨）``.
    """
    chosen = [c for c in frame.columns if is_tonnes(c)] if columns is None else list(columns)
    converted = frame.copy()
    names = {}
    for column in chosen:
        converted[column] = pd.to_numeric(converted[column], errors="coerce") / 1e4
        text = str(column)
        for mark, wan in _TONNE_MARKS:
            if text.endswith(mark):
                names[column] = text[: -len(mark)] + wan
                break
        else:
            names[column] = f"{text}（万吨）"
    return converted.rename(columns=names)


class Table:
    """A table for reading, as HTML (Jupyter shows it through ``_repr_html_``; the DataFrame is ``frame``).

    Written directly rather than through pandas' Styler: the same look (no row numbers, thousands
    separators, blanks for missing values, flagged rows highlighted) at a tenth of the time, which
    counts when hundreds of notebooks each show a dozen tables. Every heading, index label and text
    cell is escaped; long text (sources, notes) wraps in a column of bounded width. Numbers
    (``class="num"``: right-aligned, never broken) are readable: shares as percentages, tonnes to
    the precision they mean, never ``-0.00``; a column of standard units (``单位``, ``Unit``,
    ``activity_unit`` ...) is written as people write units (:func:`inventory.core.units.display_unit`:
    ``t`` → 吨 in a table with Chinese headings, ``m^3`` → m³); units as reported stay as filed.
    """

    def __init__(self, frame: pd.DataFrame, precision: int | None = None, percent=None, tonnes=None,
                 landscape: bool = False):
        self.frame = frame
        self.landscape = landscape
        self.precision = precision
        self.percent = _chosen(frame, percent, is_share)
        self.tonnes = _chosen(frame, tonnes, is_tonnes)

    def _cell(self, value, kind: str) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "<td></td>"
        if kind in ("unit_zh", "unit_en"):
            return f"<td>{html_text(display_unit(str(value), kind[-2:]))}</td>"
        if isinstance(value, (bool, np.bool_)):
            return f"<td>{bool(value)}</td>"
        if kind == "year" or not isinstance(value, (int, float, np.integer, np.floating)):
            return f"<td>{html_text(value)}</td>"
        if kind == "percent":
            text = percent_text(value, self.precision)
        elif kind == "percent_value":
            text = number_text(value, 1 if self.precision is None else self.precision) + " %"
        elif isinstance(value, (int, np.integer)):
            text = f"{int(value):,}"
        elif kind == "tonnes" and self.precision is None:
            text = tonnes_text(value)
        else:
            text = number_text(value, 2 if self.precision is None else self.precision)
        return f'<td class="num">{text}</td>'

    def _kind(self, position: int) -> str:
        name = self.frame.columns[position]
        if str(name) in _YEAR_NAMES:
            return "year"
        if str(name) in _UNIT_NAMES:
            chinese = any(_chinese(str(c)) for c in self.frame.columns)
            return "unit_zh" if chinese else "unit_en"
        if position in self.percent:
            return "percent"
        if str(name).endswith(_PERCENT_SUFFIXES):
            return "percent_value"
        return "tonnes" if position in self.tonnes else ""

    def _repr_html_(self) -> str:
        frame = self.frame
        indexed = not isinstance(frame.index, pd.RangeIndex)
        kinds = [self._kind(i) for i in range(frame.shape[1])]
        marking = [str(c) in _MARKING for c in frame.columns]
        wraps = [_long_text(frame.iloc[:, i]) for i in range(frame.shape[1])]
        head = ("<th></th>" if indexed else "") + "".join(
            f'<th style="text-align:left">{html_text(c)}</th>' for c in frame.columns)
        rows = []
        for index, values in zip(frame.index, frame.itertuples(index=False, name=None)):
            words = " ".join(str(v) for v, m in zip(values, marking) if m)
            colour = "#fde2e2" if "error" in words.split() else ("#fff4e5" if "未核实" in words else "")
            style = f' style="background-color:{colour}"' if colour and not indexed else ""
            label = f'<th style="text-align:left">{html_text(index)}</th>' if indexed else ""
            cells = "".join(f'<td><div style="{_WRAP}">{html_text(v) if _present(v) else ""}</div></td>' if w else
                            self._cell(v, k) for v, k, w in zip(values, kinds, wraps))
            rows.append(f"<tr{style}>{label}{cells}</tr>")
        css = "dataframe workbench-table" + (" landscape" if self.landscape else "")
        return (f'<table class="{css}"><thead><tr>{head}</tr></thead>'
                f'<tbody>{"".join(rows)}</tbody></table>')


def _chinese(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


def _present(value) -> bool:
    return not (value is None or (isinstance(value, float) and math.isnan(value)))


def _chosen(frame: pd.DataFrame, chosen, recognise) -> set[int]:
    """Positions of the columns ``chosen`` names (True: every numeric column; None: those ``recognise``
    finds by name)."""
    if chosen is None:
        return {i for i, c in enumerate(frame.columns) if recognise(c)}
    if chosen is True:
        return {i for i in range(frame.shape[1]) if pd.api.types.is_numeric_dtype(frame.iloc[:, i])}
    names = {str(c) for c in chosen}
    return {i for i, c in enumerate(frame.columns) if str(c) in names}


def _long_text(column: pd.Series) -> bool:
    """Whether a column holds text longer than :data:`_LONG_TEXT` characters."""
    return not pd.api.types.is_numeric_dtype(column) and any(isinstance(v, str) and len(v) > _LONG_TEXT
                                                             for v in column)


def show(frame: pd.DataFrame, precision: int | None = None, *, unit: str = "t", percent=None,
         tonnes=None, landscape: bool = False) -> Table:
    """A table for reading: no row numbers, readable numbers, blanks for missing values, rows flagged
    as unverified or as errors highlighted.

    Parameters
    ----------
    frame : DataFrame
    precision : int, optional
        Decimals of every number. Default: 2; tonnes to the precision they mean
        (:func:`tonnes_text`), shares with 1 (``12.3 %``).
    unit : str
        ``t`` (default) or ``万吨``: the tonnes columns converted to 万吨 [10^4 t] with 2 decimals and
        their headings saying so (:func:`to_wan_tonnes`).
    percent : list or True, optional
        Columns holding shares (fractions), shown as percentages; True: every numeric column.
        Default: those named as shares (``share``, ``占比``, ``relative`` ...; :func:`is_share`).
        A column whose name ends ``_pct`` already holds percentages: shown with ``%``.
    tonnes : list or True, optional
        Columns in tonnes [t]. Default: those named so (``co2e_t``, ``（吨）``, ``(t)``, a gas;
        :func:`is_tonnes`).
    landscape : bool
        Print the table on A4 landscape pages of its own (a report's ``landscape`` named page): for a
        table too wide to read on a portrait page even with its text wrapped.
    """
    if unit not in ("t", "万吨"):
        raise ValueError(f"show: unit must be 't' or '万吨', not {unit!r}")
    if unit == "万吨":
        columns = sorted(_chosen(frame, tonnes, is_tonnes))
        frame = to_wan_tonnes(frame, [frame.columns[i] for i in columns])
        return Table(frame, 2 if precision is None else precision, percent,
                     [frame.columns[i] for i in columns], landscape)
    return Table(frame, precision, percent, tonnes, landscape)


def headings(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``frame`` with its column names in ``lang`` (:data:`LABELS`; unknown names kept)."""
    return frame.rename(columns={c: label(c, lang) for c in frame.columns})
