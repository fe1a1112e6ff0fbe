"""Text from input is shown as text, never run: a real ``inventory run`` on hostile names, sources,
notes, workbook origins, a file name and local factor rows, its reports loaded in headless Chromium.

A county's ``regions.csv``, activity files and local factors are written by people outside the
workbench; a report goes to reviewers and to the province. The run below gives the county 430523 and
its park 430523-P01 names that carry HTML and Markdown payloads (an ``<img onerror>``, an ``<svg
onload>``, a ``[x](javascript:…)`` link, a spreadsheet formula), and the records and a local factor
row sources, notes and a factor-set name that carry more (``<script>``, a code span broken out of
with backticks). Every payload that ran would set ``document.title`` to ``PWNED``.

Each page is loaded by Chromium with script enabled (``--dump-dom`` after a virtual-time budget, so
load and error events have fired); the DOM it returns must hold no injected element, no event
handler, no ``javascript:`` link, the page's title must be its own, and every payload must be there
as visible text. Skipped only when no Chromium binary is installed (``apt-get install chromium``;
``.ci/run`` installs it).
"""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pipeline_data import run_cli

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = [
    pytest.mark.slow,  # an `inventory run` in a subprocess (notebooks in kernels) and a browser
    pytest.mark.skipif(CHROMIUM is None, reason="no chromium binary (apt-get install chromium)"),
]

RAN = "PWNED"  # what every payload would set document.title to
COUNTY = """<img src=x onerror="document.title='PWNED'">隆回"""
PARK = """=HYPERLINK("http://x","y")<svg onload="document.title='PWNED'">[x](javascript:alert(1))园区"""
SOURCE = "<script>document.title='PWNED'</script>统计局"
NOTE = "[x](javascript:alert(1)) 说明"
SOURCE_2 = """"><svg onload="document.title='PWNED'">来源"""
NOTE_2 = """批注：<img src=x onerror="document.title='PWNED'">"""
ORIGIN = """2022_430523.xlsx!<b onmouseover="document.title='PWNED'">能源</b>!D15"""
PARK_SOURCE = "园区 `code` <script>document.title='PWNED'</script>"
FACTOR_SOURCE = "<script>document.title='PWNED'</script>本地抽检"
FACTOR_NOTE = "[x](javascript:alert(1))"
FACTOR_SET = """x`<img src=x onerror="document.title='PWNED'">`"""
FILE = """能源<svg onload="document.title='PWNED'">.csv"""


def _write_csv(path: Path, rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory) -> Path:
    """One ``inventory run`` of one county (430523, 2022) and its park, every text hostile."""
    root = tmp_path_factory.mktemp("hostile")
    data, out = root / "data", root / "out"
    _write_csv(data / "regions.csv", [
        ["code", "name_zh", "name_en", "level", "parent", "valid_from", "valid_to", "successor", "note"],
        ["430523", COUNTY, COUNTY, "county", "430500", "", "", "", ""],
        ["430523-P01", PARK, PARK, "park", "430523", "", "", "", ""],
    ])
    header = ["region", "year", "category", "item", "quantity", "value", "unit", "notation", "uncertainty",
              "source", "note", "origin"]
    _write_csv(data / "activity" / FILE, [
        header,
        ["430523", "2022", "1.A.2", "raw_coal", "consumption", "1000", "吨", "", "5", SOURCE, NOTE, ""],
        ["430523", "2022", "1.A.2", "diesel", "consumption", "200", "吨", "", "5", SOURCE_2, NOTE_2, ORIGIN],
        ["430523-P01", "2022", "1.A.2", "raw_coal", "consumption", "100", "吨", "", "5", PARK_SOURCE, "", ""],
    ])
    _write_csv(data / "factors" / "local.csv", [
        ["parameter", "category", "item", "gas", "value", "unit", "region", "year_from", "year_to", "source",
         "confidence", "note", "factor_set"],
        ["oxidation", "*", "raw_coal", "", "0.93", "", "430523", "", "", FACTOR_SOURCE, "local", FACTOR_NOTE,
         FACTOR_SET],
    ])
    done = run_cli("run", "--data", str(data), "--out", str(out), "--years", "2022")
    assert done.returncode == 0, done.stdout + done.stderr
    return out


def _dom(page: Path, profile: Path) -> BeautifulSoup:
    """The DOM of ``page`` after Chromium loaded it with script enabled (events fired, 3 s virtual time)."""
    assert page.is_file(), page
    shown = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", f"--user-data-dir={profile}",
         "--virtual-time-budget=3000", "--dump-dom", page.resolve().as_uri()],
        capture_output=True, text=True, timeout=120)
    assert shown.returncode == 0 and "<html" in shown.stdout, shown.stderr[-2000:]
    return BeautifulSoup(shown.stdout, "html.parser")


def _visible(dom: BeautifulSoup) -> str:
    return " ".join(dom.body.get_text(" ").split())


PAGES = {
    # page → the hostile texts it must show as text
    "reports/430523/2022/energy.html": [COUNTY, SOURCE, NOTE, SOURCE_2, NOTE_2, ORIGIN, FACTOR_SOURCE, FACTOR_NOTE,
                                        FACTOR_SET, FILE],
    "reports/430523-P01/2022/energy.html": [PARK, PARK_SOURCE, FACTOR_SOURCE, FACTOR_SET, FILE],
    "reports/430523/all/summary.html": [COUNTY, PARK],
    "reports/index.html": [COUNTY, PARK],
}


@pytest.mark.parametrize("page", list(PAGES))
def test_hostile_text_is_shown_as_text_and_never_runs(hostile_run, page, tmp_path):
    dom = _dom(hostile_run / page, tmp_path / "profile")
    # the payloads' side effect did not happen, and the page kept its own title
    title = dom.title.get_text() if dom.title else ""
    assert RAN not in title and title.strip(), title
    # no injected element: no image from the payload, no svg, no script at all (reports carry none)
    assert dom.select('img[src="x"]') == []
    assert dom.find_all("svg") == []
    assert dom.find_all("script") == []
    assert [t.name for t in dom.find_all("b") if t.get_text() == "能源"] == []
    # no event handler and no javascript: link anywhere
    handlers = [(t.name, a) for t in dom.find_all(True) for a in t.attrs if a.lower().startswith("on")]
    assert handlers == []
    assert [a["href"] for a in dom.find_all(href=True) if a["href"].strip().lower().startswith("javascript:")] == []
    # what the input said is there, as text
    visible = _visible(dom)
    for text in PAGES[page]:
        assert " ".join(text.split()) in visible, f"not shown as text on {page}: {text!r}"


def test_energy_tables_keep_a_formula_like_name_as_text(hostile_run):
    """The park's name begins with ``=``: in A1 of every sheet of its energy.xlsx it is text, not a formula."""
    from openpyxl import load_workbook

    workbook = load_workbook(hostile_run / "reports" / "430523-P01" / "2022" / "energy.xlsx")
    for sheet in workbook.worksheets:
        assert sheet["A1"].data_type == "s", sheet.title
        assert sheet["A1"].value.startswith('=HYPERLINK("http://x","y")'), sheet.title
