"""Charts drawn as HTML: horizontal stacked bars made of sized boxes, no image, no script.

Why not matplotlib for the per-region-year charts: a matplotlib figure costs about 0.15 s of drawing
and PNG encoding in every one of the hundreds of notebooks a run executes (a fifth of a notebook's
time), and its labels need a CJK font on the machine that draws them. These bars cost a millisecond,
carry Chinese labels (the reader's browser has the fonts), keep their numbers as text (copy, search,
screen readers; each bar has its value as a tooltip), print with their colours, and render the same
in JupyterLab and in the nbconvert report. Trend charts over years stay with matplotlib.
"""

from __future__ import annotations

import pandas as pd

from inventory.core.safetext import html_text
from inventory.present.html import Html
from inventory.present.tables import number_text

__all__ = ["stacked_bars"]

_PRINT_COLOURS = "print-color-adjust:exact;-webkit-print-color-adjust:exact;"


def _number(value: float, decimals: int) -> str:
    return number_text(value, decimals)  # never -0.0


def stacked_bars(table: pd.DataFrame, title: str, unit: str, colours: dict[str, str],
                 series_labels: dict[str, str] | None = None, row_labels: dict[str, str] | None = None,
                 decimals: int = 1) -> Html:
    """One bar per row of ``table``, stacked by its columns, all bars on one scale.

    Parameters
    ----------
    table : DataFrame
        Rows are the bars (index: their keys), columns the series [``unit``]. Negative values
        (removals) are drawn to the left of a zero line, positive ones to its right, on one scale;
        the number after each bar is its net value.
    title : str
        Caption above the chart. It, the unit and every label are text (escaped, however they came
        from input: a region name in a title, an item in a label), never markup.
    unit : str
        Unit of the values, shown in the caption and after each total.
    colours : dict
        Colour (CSS) of each series; a series without one is grey.
    series_labels, row_labels : dict, optional
        Legend text of a series and label of a bar, by key (default: the key itself).
    decimals : int
        Decimals of the numbers shown.

    Raises
    ------
    ValueError
        A non-finite value: a bar cannot show it truthfully.
    """
    values = table.astype(float).fillna(0.0)
    if not values.map(lambda v: abs(v) != float("inf")).to_numpy().all():
        raise ValueError("stacked_bars: values must be finite")
    series_labels, row_labels = series_labels or {}, row_labels or {}
    if (values < 0).to_numpy().any():
        return _diverging(values, title, unit, colours, series_labels, row_labels, decimals)
    totals = values.sum(axis=1)
    scale = float(totals.max()) if len(totals) and totals.max() > 0 else 1.0
    colour = {name: html_text(colours.get(name, "#9a9a9a")) for name in values.columns}
    legend = " ".join(
        f'<span style="white-space:nowrap;margin-right:1em"><span style="display:inline-block;width:0.9em;'
        f'height:0.9em;vertical-align:middle;background:{colour[name]};{_PRINT_COLOURS}"></span> '
        f'{html_text(series_labels.get(name, name))}</span>' for name in values.columns)
    rows = []
    for key, row in values.iterrows():
        segments = "".join(
            f'<span title="{html_text(series_labels.get(name, name))}: {_number(value, decimals)} '
            f'{html_text(unit)}" style="flex:none;height:100%;width:{100 * value / scale:.3f}%;'
            f'background:{colour[name]};{_PRINT_COLOURS}"></span>'
            for name, value in row.items() if value > 0)
        rows.append(
            f'<tr><th scope="row" style="text-align:left;font-weight:normal;white-space:nowrap;width:1%;'
            f'padding:1px 8px 1px 0">{html_text(row_labels.get(key, key))}</th>'
            f'<td style="padding:1px 0;min-width:12em"><div style="display:flex;height:14px">'
            f'{segments}</div></td>'
            f'<td style="text-align:right;white-space:nowrap;width:1%;padding:1px 0 1px 8px">'
            f'{_number(totals[key], decimals)}</td></tr>')
    return Html(
        f'<figure class="workbench-chart" style="margin:1em 0;max-width:60em">'
        f'<figcaption style="font-weight:bold;margin-bottom:0.3em">{html_text(title)} [{html_text(unit)}]'
        f'</figcaption><div style="margin-bottom:0.4em">{legend}</div>'
        f'<table style="border-collapse:collapse;width:100%;table-layout:auto">{"".join(rows)}</table></figure>')


def _segments(row: pd.Series, scale: float, colour: dict, series_labels: dict, unit: str, decimals: int) -> str:
    return "".join(
        f'<span title="{html_text(series_labels.get(name, name))}: {_number(value, decimals)} '
        f'{html_text(unit)}" style="flex:none;height:100%;width:{100 * abs(value) / scale:.3f}%;'
        f'background:{colour[name]};{_PRINT_COLOURS}"></span>'
        for name, value in row.items() if value != 0)


def _diverging(values: pd.DataFrame, title: str, unit: str, colours: dict[str, str], series_labels: dict,
               row_labels: dict, decimals: int) -> Html:
    """:func:`stacked_bars` of a table with negative values: each bar's negative parts stacked
    leftwards from a zero line, its positive parts rightwards, all on one scale."""
    negative = values.clip(upper=0.0)
    positive = values.clip(lower=0.0)
    left = float(-negative.sum(axis=1).min()) if len(values) else 0.0
    right = float(positive.sum(axis=1).max()) if len(values) else 0.0
    scale = left + right or 1.0
    left_share, right_share = 100 * left / scale, 100 * right / scale
    colour = {name: html_text(colours.get(name, "#9a9a9a")) for name in values.columns}
    legend = " ".join(
        f'<span style="white-space:nowrap;margin-right:1em"><span style="display:inline-block;width:0.9em;'
        f'height:0.9em;vertical-align:middle;background:{colour[name]};{_PRINT_COLOURS}"></span> '
        f'{html_text(series_labels.get(name, name))}</span>' for name in values.columns)
    rows = []
    for key in values.index:
        below = _segments(negative.loc[key], left or 1.0, colour, series_labels, unit, decimals)
        above = _segments(positive.loc[key], right or 1.0, colour, series_labels, unit, decimals)
        rows.append(
            f'<tr><th scope="row" style="text-align:left;font-weight:normal;white-space:nowrap;width:1%;'
            f'padding:1px 8px 1px 0">{html_text(row_labels.get(key, key))}</th>'
            f'<td style="padding:1px 0;min-width:12em"><div style="display:flex;height:14px">'
            f'<div style="display:flex;flex-direction:row-reverse;width:{left_share:.3f}%;height:100%">{below}</div>'
            f'<div style="width:1px;background:#000;{_PRINT_COLOURS}"></div>'
            f'<div style="display:flex;width:{right_share:.3f}%;height:100%">{above}</div></div></td>'
            f'<td style="text-align:right;white-space:nowrap;width:1%;padding:1px 0 1px 8px">'
            f'{_number(float(values.loc[key].sum()), decimals)}</td></tr>')
    return Html(
        f'<figure class="workbench-chart" style="margin:1em 0;max-width:60em">'
        f'<figcaption style="font-weight:bold;margin-bottom:0.3em">{html_text(title)} [{html_text(unit)}]'
        f'</figcaption><div style="margin-bottom:0.4em">{legend} · 负值（吸收）在零线左侧 / negative values '
        f'(removals) left of the zero line</div>'
        f'<table style="border-collapse:collapse;width:100%;table-layout:auto">{"".join(rows)}</table></figure>')
