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

__all__ = ["LABELS", "label", "headings", "Table", "show"]

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


class Table:
    """A table for reading, as HTML (Jupyter shows it through ``_repr_html_``; the DataFrame is ``frame``).

    Written directly rather than through pandas' Styler: the same look (no row numbers, thousands
    separators, blanks for missing values, flagged rows highlighted) at a tenth of the time, which
    counts when hundreds of notebooks each show a dozen tables. Every heading, index label and text
    cell is escaped; long text (sources, notes) wraps in a column of bounded width.
    """

    def __init__(self, frame: pd.DataFrame, precision: int = 2):
        self.frame = frame
        self.precision = precision

    def _cell(self, value, year: bool) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return ""
        if isinstance(value, (bool, np.bool_)):
            return str(bool(value))
        if isinstance(value, (int, np.integer)) and not year:
            return f"{int(value):,}"
        if isinstance(value, (float, np.floating)) and not year:
            return f"{float(value) + 0.0:,.{self.precision}f}"
        return html_text(value)

    def _repr_html_(self) -> str:
        frame = self.frame
        indexed = not isinstance(frame.index, pd.RangeIndex)
        years = [str(c) in ("year", "年份", "Year") for c in frame.columns]
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
            cells = "".join(f'<td><div style="{_WRAP}">{self._cell(v, y)}</div></td>' if w else
                            f"<td>{self._cell(v, y)}</td>" for v, y, w in zip(values, years, wraps))
            rows.append(f"<tr{style}>{label}{cells}</tr>")
        return (f'<table class="dataframe workbench-table"><thead><tr>{head}</tr></thead>'
                f'<tbody>{"".join(rows)}</tbody></table>')


def _long_text(column: pd.Series) -> bool:
    """Whether a column holds text longer than :data:`_LONG_TEXT` characters."""
    return not pd.api.types.is_numeric_dtype(column) and any(isinstance(v, str) and len(v) > _LONG_TEXT
                                                             for v in column)


def show(frame: pd.DataFrame, precision: int = 2) -> Table:
    """A table for reading: no row numbers, thousands separators, blanks for missing values,
    rows flagged as unverified or as errors highlighted."""
    return Table(frame, precision)


def headings(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``frame`` with its column names in ``lang`` (:data:`LABELS`; unknown names kept)."""
    return frame.rename(columns={c: label(c, lang) for c in frame.columns})
