"""Reviewable reports: executed notebooks rendered by nbconvert, without code, self-contained.

The template (``templates/report``) extends nbconvert's ``lab`` template, drops every script that
would be fetched from the internet, and adds a review-status banner: nothing the workbench renders
is approved for publication until the review workflow says so.

Reports and the index carry no script, and say so to the browser: a Content-Security-Policy
(:data:`CONTENT_SECURITY_POLICY`) that refuses every script, inline event handler and
``javascript:`` link, and every resource from outside the page. It is a second line: every text from
input on these pages is escaped where it is written (:mod:`inventory.present.html`,
:mod:`inventory.present.tables`, :mod:`inventory.present.charts`, :func:`write_index`).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import quote

import nbformat

from inventory.core.results import atomic_write_text
from inventory.core.safetext import html_text
from inventory.resources import templates_dir

__all__ = ["CONTENT_SECURITY_POLICY", "REVIEW_STATUS", "TEMPLATES", "render_html", "write_index"]

#: the review status a report carries in its header line and on every printed page until the review says otherwise
REVIEW_STATUS = "未经审定 / not yet approved"

#: what a report page may load and run: no script of any kind, images and fonts only from the page
#: itself (figures are inline data), styles only inline; no form, no <base>
CONTENT_SECURITY_POLICY = ("default-src 'none'; script-src 'none'; img-src data:; font-src data:; "
                           "style-src 'unsafe-inline'; form-action 'none'; base-uri 'none'")

TEMPLATES = templates_dir()

_EXPORTER = None
_IMAGE_WITHOUT_ALT = re.compile(r"<img(?![^>]*\balt=)")


def _exporter():
    global _EXPORTER
    if _EXPORTER is None:
        from nbconvert import HTMLExporter
        from nbconvert.exporters.templateexporter import TemplateExporter
        from nbconvert.filters.highlight import Highlight2HTML
        from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

        class ReportExporter(HTMLExporter):
            """HTMLExporter without its final BeautifulSoup pass.

            nbconvert re-parses every page with BeautifulSoup only to add ``alt`` texts and
            ``tabindex`` attributes — about 0.45 s of the 0.6 s a report takes. The same filters are
            registered as in ``HTMLExporter.from_notebook_node`` and alt texts are added by a regular
            expression instead (report pages hold no code cells, so ``tabindex`` has nothing to do).
            """

            def from_notebook_node(self, nb, resources=None, **kw):
                langinfo = nb.metadata.get("language_info", {})
                lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
                self.register_filter("highlight_code", self.filters.get(
                    "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
                resources = self._init_resources(resources)
                self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                    notebook_metadata=self._nb_metadata, parent=self, resources=resources))
                html, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
                return _IMAGE_WITHOUT_ALT.sub('<img alt="图表 / chart" ', html), resources

        _EXPORTER = ReportExporter(
            template_name="report",
            extra_template_basedirs=[str(TEMPLATES)],
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
            optimistic_validation=True,  # validate once after the preprocessors, not after each (12 → 1 passes)
            embed_images=False,  # figures are already inline base64 outputs; True re-parses the page with bs4
        )
    return _EXPORTER


def render_html(notebook, html_path: str | Path, title: str, index_href: str, review_status: str | None = None) -> None:
    """Render an executed notebook (its path, or the notebook itself) to a code-free, self-contained
    HTML page (written atomically), with A4 print styles.

    The page's header line, and on paper the top of every page, say 内部资料 (internal) and the review
    status: ``review_status``, else the notebook's own ``review_status`` parameter (papermill's record of
    it), else :data:`REVIEW_STATUS`. Printed pages carry the title at the top right and 第 n / N 页 below.
    """
    if isinstance(notebook, (str, Path)):
        notebook = nbformat.read(str(notebook), as_version=4)
    if review_status is None:
        parameters = notebook.metadata.get("papermill", {}).get("parameters", {})
        review_status = str(parameters.get("review_status") or REVIEW_STATUS)
    notebook.metadata["title"] = title
    resources = {
        "metadata": {"name": title},
        "inventory_meta": {
            "title": title,
            "generated": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
            "index_href": index_href,
            "content_security_policy": CONTENT_SECURITY_POLICY,
            "review_status": review_status,
            "print_header": _css_string(f"内部资料 · {review_status}"),
            "print_title": _css_string(title),
        },
    }
    body, _ = _exporter().from_notebook_node(notebook, resources=resources)
    atomic_write_text(Path(html_path), body)


def _css_string(text: str) -> str:
    """``text`` as a quoted CSS string for a page-margin box's ``content``: every character but ASCII letters,
    digits and spaces written as a six-digit escape (``"`` → ``\\000022``), so no text can end the string,
    the rule or the ``<style>`` element it is in."""
    return '"' + "".join(c if c.isascii() and (c.isalnum() or c == " ") else f"\\{ord(c):06X}" for c in str(text)) + '"'


def write_index(reports_dir: Path, entries: list[dict], title: str, note: str) -> None:
    """The entry page linking every report: one row per region, one column per year.

    ``entries``: dicts with ``region``, ``region_label``, ``year``, ``name``, ``title`` (what the
    report is, e.g. 能源活动 / Energy), ``href`` (relative to ``reports_dir``), ``status`` (ok / failed
    / stale), and optionally ``qa``: the QA flags of the report, ``{"errors": n, "warnings": m}``
    (``"unknown": True`` when they could not be read), shown beside its link — ``QA ✗2 ⚠5`` in red
    with errors, ``QA ⚠5`` with warnings only, ``QA ✓`` with neither — and counted above the table,
    with a link to every report that has errors.
    """
    years = sorted({e["year"] for e in entries if e["year"] is not None})
    regions = list(dict.fromkeys(e["region"] for e in entries))
    labels = {e["region"]: e["region_label"] for e in entries}
    cells = {}
    for entry in entries:
        cells.setdefault((entry["region"], entry["year"]), []).append(entry)
    head = "".join(f"<th>{y}</th>" for y in years)
    qa_block = _qa_block(entries)
    rows = []
    for region in regions:
        summary = " ".join(_link(e) for e in cells.get((region, None), []))
        row = "".join(
            "<td>" + " ".join(_link(e) for e in cells.get((region, y), [])) + "</td>" for y in years
        )
        rows.append(f"<tr><th>{html_text(labels[region])}</th><td>{summary}</td>{row}</tr>")
    page = f"""<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{html_text(CONTENT_SECURITY_POLICY)}">
<title>{html_text(title)}</title>
<style>
body {{ font-family: sans-serif; margin: 2em; }}
table {{ border-collapse: collapse; }} td, th {{ border: 1px solid #ccc; padding: 4px 8px; text-align: left; }}
.banner {{ padding: 8px 16px; background: #fff4e5; border: 2px solid #f0a040; margin-bottom: 1em; }}
a.failed {{ color: #a00; font-weight: bold; }}
.qa {{ font-size: 85%; margin-left: 2px; padding: 0 3px; border-radius: 3px; }}
.qa-error {{ color: #fff; background: #a00; font-weight: bold; }}
.qa-warning {{ color: #7a4b00; background: #fff0c2; }}
.qa-ok {{ color: #1a6b1a; }}
.qa-unknown {{ color: #fff; background: #666; }}
.qa-summary.has-errors {{ color: #a00; font-weight: bold; }}
</style></head>
<body>
<div class="banner"><b>审定状态 / Review status: 草稿，未经审定，不得公开发布 — draft, not approved for publication.</b>
<br>{html_text(note)}</div>
<h1>{html_text(title)}</h1>
<p>生成时间 / generated {dt.datetime.now().strftime("%Y-%m-%d %H:%M")} ·
数据表 / data: <a href="../emissions.csv">emissions.csv</a> · <a href="../inventory.nc">inventory.nc</a></p>
{qa_block}
<table><thead><tr><th>地区 / region</th><th>汇总 / summary</th>{head}</tr></thead>
<tbody>{"".join(rows)}</tbody></table>
</body></html>
"""
    atomic_write_text(reports_dir / "index.html", page)


def _link(entry: dict) -> str:
    css = ' class="failed"' if entry["status"] == "failed" else ""
    label = entry["name"] + (" ✗" if entry["status"] == "failed" else "")
    title = f' title="{html_text(entry["title"])}"' if entry.get("title") else ""
    return f'<a{css}{title} href="{_href(entry["href"])}">{html_text(label)}</a>' + _qa_mark(entry)


def _href(path: str) -> str:
    """A link to ``path`` (relative, ``/``-separated) as an attribute value: each part percent-encoded,
    so a region code or file name can never make it another scheme (``javascript:``), another host
    (``//host``) or leave the attribute."""
    link = "/".join(quote(part, safe="") for part in path.split("/"))
    return html_text("." + link if link.startswith("/") else link)


def _qa_mark(entry: dict) -> str:
    """The QA status of a report beside its link (nothing for an entry without one)."""
    qa = entry.get("qa")
    if not qa:
        return ""
    errors, warnings = int(qa.get("errors", 0)), int(qa.get("warnings", 0))
    if qa.get("unknown"):
        return ('<span class="qa qa-unknown" title="质量控制标记文件缺失 / QA flags file missing: status unknown">'
                'QA ?</span>')
    title = f"质量控制：{errors} 个错误，{warnings} 个警告 / QA: {errors} error(s), {warnings} warning(s)"
    if errors:
        css, text = "qa-error", f"QA ✗{errors}" + (f" ⚠{warnings}" if warnings else "")
    elif warnings:
        css, text = "qa-warning", f"QA ⚠{warnings}"
    else:
        css, text = "qa-ok", "QA ✓"
    return f'<span class="qa {css}" title="{html_text(title)}">{html_text(text)}</span>'


def _qa_block(entries: list[dict]) -> str:
    """Above the table: the QA counts of the reports, the legend, and every report with errors."""
    checked = [e for e in entries if e.get("qa") and not e.get("document")]  # a document repeats its sectors
    if not checked:
        return ""
    with_errors = [e for e in checked if int(e["qa"].get("errors", 0))]
    errors = sum(int(e["qa"].get("errors", 0)) for e in checked)
    warnings = sum(int(e["qa"].get("warnings", 0)) for e in checked)
    region_years = len({(e["region"], e["year"]) for e in with_errors})
    unknown = sum(1 for e in checked if e["qa"].get("unknown"))
    css = "qa-summary has-errors" if errors or unknown else "qa-summary"
    text = (f"质量控制 / QA: {errors} 个错误（{region_years} 个地区年度）、{warnings} 个警告 / "
            f"{errors} error(s) in {region_years} region-year(s), {warnings} warning(s)")
    if unknown:
        text += f"; {unknown} 份报告状态未知 / {unknown} report(s) without a readable flags file"
    legend = ("QA ✗n：n 个错误（须处理）/ n errors (to be resolved) · QA ⚠n：警告 / warnings · "
              "QA ✓：无错误、无警告 / none · 详见各报告的“质量控制”一节 / see each report's QA section")
    parts = [f'<p class="{css}">{html_text(text)}</p>', f"<p><small>{html_text(legend)}</small></p>"]
    if with_errors:
        items = "".join(
            f'<li><a href="{_href(e["href"])}">{html_text(e["region_label"])} {e["year"]} '
            f'{html_text(e["name"])}</a>: {int(e["qa"]["errors"])} 个错误 / error(s)</li>' for e in with_errors)
        parts.append(f"<p>有错误的报告 / reports with QA errors:</p><ul>{items}</ul>")
    return "\n".join(parts)

