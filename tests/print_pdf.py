"""Print a page with headless Chromium and read the PDF back as text, page by page (``pdftotext``).

``pdf_text(html_path, tmp_path)`` is what a test of a printed report calls: Chromium prints the page to
A4 as the page's own print styles say (``--print-to-pdf``, no browser header or footer, the page's
``@page`` margin boxes instead), ``pdftotext -layout`` reads every page. Tests that use it skip when
either program is missing (:data:`PRINTING`; ``.ci/run`` installs both).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PDFTOTEXT = shutil.which("pdftotext")
#: a mark for tests that print: skipped without Chromium or pdftotext
PRINTING = pytest.mark.skipif(CHROMIUM is None or PDFTOTEXT is None,
                              reason="no chromium or no pdftotext (apt-get install chromium poppler-utils)")


def chinese_font() -> bool:
    """Whether fontconfig (what Chromium draws text with) knows a font for Chinese; without one Chinese text is
    printed as empty boxes, not as text."""
    fonts = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True) \
        if shutil.which("fc-list") else None
    return bool(fonts and fonts.stdout.strip())


def print_pdf(html_path: Path, pdf_path: Path, profile: Path) -> Path:
    """``html_path`` printed by headless Chromium to ``pdf_path`` (A4 by the page's ``@page`` rule)."""
    assert chinese_font(), "no Chinese font for Chromium: apt-get install fonts-wqy-microhei (.ci/run does)"
    done = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", f"--user-data-dir={profile}",
         "--no-pdf-header-footer", "--virtual-time-budget=3000", f"--print-to-pdf={pdf_path}",
         Path(html_path).resolve().as_uri()],
        capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and pdf_path.is_file(), done.stderr[-2000:]
    return pdf_path


def pdf_pages(pdf_path: Path) -> list[str]:
    """The text of every page of a PDF (``pdftotext -layout``; pages end with a form feed)."""
    done = subprocess.run([PDFTOTEXT, "-layout", "-enc", "UTF-8", str(pdf_path), "-"], capture_output=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    pages = done.stdout.decode("utf-8").split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def pdf_text(html_path: Path, tmp_path: Path) -> list[str]:
    """The text of each page of ``html_path`` printed to A4 by headless Chromium (a list, one string a page)."""
    pdf = print_pdf(html_path, tmp_path / (Path(html_path).stem + ".pdf"), tmp_path / "chromium-profile")
    return pdf_pages(pdf)
