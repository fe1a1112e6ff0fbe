"""Reports printed to A4 by a real browser: headless Chromium prints, ``pdftotext`` reads each page.

A report built here (a notebook holding a wide table of 14 named columns, as ``show`` displays it) goes
through the report exporter (:func:`inventory.present.report.render_html`), is printed by Chromium
(:mod:`print_pdf`) and read back: every column heading is on the page, whole (not cut at the page edge,
not broken inside a word), the headings are repeated on the next page, every page says 内部资料 and the
review status, and carries its number. Skipped only without Chromium or pdftotext (``.ci/run`` installs
both, and a Chinese font so that Chinese text is printed as text).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from print_pdf import PRINTING, pdf_text

from inventory.present.report import REVIEW_STATUS, render_html
from inventory.present.tables import show

pytestmark = [PRINTING, pytest.mark.slow]  # Chromium in a subprocess

#: the activity table's headings, and three more: 14 columns, wider than an A4 page at their natural widths
HEADINGS = ["类别", "类别名称", "品种名称", "指标", "填报值", "填报单位", "标准值", "单位", "注释符号", "不确定性",
            "位置", "来源", "备注", "因子编号"]


def _report(path: Path, rows: int, **kwargs) -> Path:
    """A report of one wide table of ``rows`` rows, rendered as ``inventory run`` renders a notebook."""
    frame = pd.DataFrame([["1.A.2.c", "制造业和建筑业 化学工业", "一般烟煤", "消费量", 123456.789 + i, "万吨",
                           1234567890.12, "吨", "", 5.0,
                           f"activity/energy.csv:{i + 2} (2022_430523.xlsx!能源!D{i + 15})",
                           "县统计局《能源统计报表》2022 年 规模以上工业企业能源购进、消费与库存（205-1 表）",
                           "按季度合计，第四季度为快报数", f"fuels-{i:04d};ippu-{i:04d}"] for i in range(rows)],
                         columns=HEADINGS)
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("display(show(frame))")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": show(frame)._repr_html_(),
                                                                 "text/plain": "table"})]
    notebook.cells += [nbformat.v4.new_markdown_cell("# 宽表 / A wide table"), cell]
    render_html(notebook, path, title="邵阳县 2022 能源活动", index_href="../../index.html", **kwargs)
    return path


def _header(page: str) -> str:
    """The page's line that says 内部资料 (its top margin), without spaces: pdftotext drops some in a margin box."""
    return "".join("".join(line.split()) for line in page.splitlines() if "内部资料" in line)


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> tuple[Path, list[str]]:
    """The wide report (40 rows: more than one page) printed once for the tests of this module."""
    folder = tmp_path_factory.mktemp("print")
    page = _report(folder / "wide.html", 40)
    return folder, pdf_text(page, folder)


def test_a_wide_table_is_printed_whole_with_its_headings_on_every_page(printed):
    _, pages = printed
    with_rows = [page for page in pages if "1.A.2.c" in page]
    assert len(with_rows) >= 2  # the table goes on over a page break
    for page in with_rows:
        # the heading row, each heading whole on one line: no column cut at the page edge, none broken
        heading_line = next((line for line in page.splitlines() if "类别名称" in line), "")
        missing = [h for h in HEADINGS if h not in heading_line]
        assert not missing, f"headings missing or broken on a printed page: {missing}\n{page[:3000]}"
    # every row is printed (the last one's file:line included), no row left behind a scroll bar
    text = "".join(pages)
    assert "energy.csv:41" in text.replace("\n", "").replace(" ", "")


def test_every_printed_page_says_internal_and_the_review_status_and_its_number(printed):
    folder, pages = printed
    for number, page in enumerate(pages, start=1):
        # the page's top margin: 内部资料 · the review status; its bottom margin: 第 n / N 页
        assert "内部资料·未经审定/notyetapproved" in _header(page), f"page {number}:\n{page[:500]}"
        assert f"第{number}/{len(pages)}页" in "".join(page.split())
    info = subprocess.run(["pdfinfo", str(folder / "wide.pdf")], capture_output=True, text=True)
    if info.returncode == 0:  # pdfinfo comes with pdftotext (poppler-utils)
        assert "(A4)" in info.stdout, info.stdout


def test_the_review_status_is_the_one_passed_and_stays_text(tmp_path):
    # a status from the notebook that tries to end the CSS string, the rule and the style element
    status = '已审定 2026-12-01"; } body { display: none } </style><b>x</b>'
    page = _report(tmp_path / "status.html", 3, review_status=status)
    html = page.read_text(encoding="utf-8")
    assert "<b>x</b>" not in html and "</style><b>" not in html
    assert html.count("</style>") == html.count("<style")  # no style element ended early
    pages = pdf_text(page, tmp_path)
    assert len(pages) == 1
    assert '内部资料·已审定2026-12-01";}body{display:none}</style><b>x</b>' in _header(pages[0])
    assert "类别名称" in pages[0]  # the body was not hidden


def test_the_default_review_status_and_the_notebooks_own(tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.cells.append(nbformat.v4.new_markdown_cell("# 报告 / report"))
    render_html(notebook, tmp_path / "default.html", title="t", index_href="i.html")
    default = (tmp_path / "default.html").read_text(encoding="utf-8")
    assert f"<b>内部资料</b> / internal · {REVIEW_STATUS}</div>" in default  # the header line on screen
    # and on paper, as a CSS string of six-digit escapes: 内 U+5185 部 U+90E8 资 U+8D44 料 U+6599, space, · U+00B7
    assert r'"\005185\0090E8\008D44\006599 \0000B7 ' in default
    # a notebook run with a review_status parameter (papermill records it) carries its own
    notebook.metadata["papermill"] = {"parameters": {"review_status": "初审中 / under review"}}
    render_html(notebook, tmp_path / "own.html", title="t", index_href="i.html")
    own = (tmp_path / "own.html").read_text(encoding="utf-8")
    # 初 U+521D 审 U+5BA1 中 U+4E2D, space, / U+002F, "under review" as it is
    assert "· 初审中 / under review</div>" in own and r'\00521D\005BA1\004E2D \00002F under review"' in own
