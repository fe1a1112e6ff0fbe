"""Reviewable reports: executed notebooks rendered by nbconvert, without code, self-contained.

The template (``templates/report``) extends nbconvert's ``lab`` template, drops every script that
would be fetched from the internet, and adds a review-status banner: nothing the workbench renders
is approved for publication until the review workflow says so.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import nbformat

from inventory.core.results import atomic_write_text
from inventory.resources import templates_dir

__all__ = ["TEMPLATES", "render_html", "write_index"]

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


def render_html(notebook, html_path: str | Path, title: str, index_href: str) -> None:
    """Render an executed notebook (its path, or the notebook itself) to a code-free, self-contained
    HTML page (written atomically)."""
    if isinstance(notebook, (str, Path)):
        notebook = nbformat.read(str(notebook), as_version=4)
    notebook.metadata["title"] = title
    resources = {
        "metadata": {"name": title},
        "inventory_meta": {
            "title": title,
            "generated": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
            "index_href": index_href,
        },
    }
    body, _ = _exporter().from_notebook_node(notebook, resources=resources)
    atomic_write_text(Path(html_path), body)


def write_index(reports_dir: Path, entries: list[dict], title: str, note: str) -> None:
    """The entry page linking every report: one row per region, one column per year.

    ``entries``: dicts with ``region``, ``region_label``, ``year``, ``name``, ``title`` (what the
    report is, e.g. 能源活动 / Energy), ``href`` (relative to ``reports_dir``), ``status`` (ok / failed
    / stale).
    """
    years = sorted({e["year"] for e in entries if e["year"] is not None})
    regions = list(dict.fromkeys(e["region"] for e in entries))
    labels = {e["region"]: e["region_label"] for e in entries}
    cells = {}
    for entry in entries:
        cells.setdefault((entry["region"], entry["year"]), []).append(entry)
    head = "".join(f"<th>{y}</th>" for y in years)
    rows = []
    for region in regions:
        summary = " ".join(_link(e) for e in cells.get((region, None), []))
        row = "".join(
            "<td>" + " ".join(_link(e) for e in cells.get((region, y), [])) + "</td>" for y in years
        )
        rows.append(f"<tr><th>{html.escape(labels[region])}</th><td>{summary}</td>{row}</tr>")
    page = f"""<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
body {{ font-family: sans-serif; margin: 2em; }}
table {{ border-collapse: collapse; }} td, th {{ border: 1px solid #ccc; padding: 4px 8px; text-align: left; }}
.banner {{ padding: 8px 16px; background: #fff4e5; border: 2px solid #f0a040; margin-bottom: 1em; }}
a.failed {{ color: #a00; font-weight: bold; }}
</style></head>
<body>
<div class="banner"><b>审定状态 / Review status: 草稿，未经审定，不得公开发布 — draft, not approved for publication.</b>
<br>{html.escape(note)}</div>
<h1>{html.escape(title)}</h1>
<p>生成时间 / generated {dt.datetime.now().strftime("%Y-%m-%d %H:%M")} ·
数据表 / data: <a href="../emissions.csv">emissions.csv</a> · <a href="../inventory.nc">inventory.nc</a></p>
<table><thead><tr><th>地区 / region</th><th>汇总 / summary</th>{head}</tr></thead>
<tbody>{"".join(rows)}</tbody></table>
</body></html>
"""
    atomic_write_text(reports_dir / "index.html", page)


def _link(entry: dict) -> str:
    css = ' class="failed"' if entry["status"] == "failed" else ""
    label = entry["name"] + (" ✗" if entry["status"] == "failed" else "")
    title = f' title="{html.escape(entry["title"])}"' if entry.get("title") else ""
    return f'<a{css}{title} href="{html.escape(entry["href"])}">{html.escape(label)}</a>'

