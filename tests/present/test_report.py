"""inventory.present.report: the index page and the rendered reports show text from input as text,
link only inside the reports folder, and tell the browser to run no script."""

import html
import re

import nbformat

from inventory.present.html import Html
from inventory.present.report import CONTENT_SECURITY_POLICY, render_html, write_index

NAME = """<img src=x onerror="document.title='PWNED'">隆回 (430524)"""


def _policy(page: str) -> str:
    """The Content-Security-Policy a page declares in its head (empty: none)."""
    head = page.split("<body", 1)[0]
    found = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"', head)
    return html.unescape(found[0]) if len(found) == 1 else ""


def _entry(**fields) -> dict:
    entry = {"region": "430524", "region_label": NAME, "year": 2022, "name": "energy", "title": "能源活动 / Energy",
             "href": "430524/2022/energy.html", "status": "ok", "qa": {"errors": 1, "warnings": 0}}
    return entry | fields


def test_the_index_escapes_names_and_keeps_links_relative(tmp_path):
    entries = [_entry(), _entry(region="javascript:alert(1)", region_label="x", name="<b>n</b>",
                                href="javascript:alert(1)//2022/energy.html"),
               _entry(region="//host", region_label="y", href="//host/2022/energy.html")]
    write_index(tmp_path, entries, "<title>清单", "数据目录 / data folder: /data/<script>x</script>")
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    escaped = "&lt;img src=x onerror=&quot;document.title=&#x27;PWNED&#x27;&quot;&gt;隆回 (430524)"
    assert page.count(escaped) == 2  # the region's row, and the list of reports with QA errors
    assert "<img" not in page and "<script>" not in page and "<b>n</b>" not in page
    assert "<title>&lt;title&gt;清单</title>" in page and "/data/&lt;script&gt;x&lt;/script&gt;" in page
    hrefs = re.findall(r'href="([^"]*)"', page)
    assert "430524/2022/energy.html" in hrefs
    # a code that looks like a scheme is percent-encoded: a relative path, never a javascript: link
    assert "javascript%3Aalert%281%29//2022/energy.html" in hrefs
    assert not [h for h in hrefs if h.lower().startswith("javascript:")]
    assert ".//host/2022/energy.html" in hrefs and not [h for h in hrefs if h.startswith("//")]  # not another host
    assert _policy(page) == CONTENT_SECURITY_POLICY


def test_a_report_carries_the_policy_and_escapes_its_title(tmp_path):
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("display(header)")
    cell.outputs = [nbformat.v4.new_output("display_data", data={
        "text/html": Html("<p><b>") + NAME + Html("</b></p>"), "text/plain": "header"})]  # as header() gives it
    notebook.cells.append(cell)
    render_html(notebook, tmp_path / "r.html", title=NAME, index_href="../../index.html")
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert _policy(page) == CONTENT_SECURITY_POLICY  # in the head, before anything it governs
    assert "<img" not in page.split("<body", 1)[1].replace('<img alt="图表 / chart"', "")
    assert "&lt;img src=x onerror=" in page  # the output and the banner's title, as text
    assert "<script" not in page
