"""The report as an A4 PDF, printed by headless Chromium (the browser :mod:`.png` uses).

The HTML report carries its own print CSS (``@page { size: A4 }``, a landscape page each
for the wheel and the heat map, no row or heading split across pages), so the PDF is what
a planner gets from the browser's Print dialog, without the dialog and without the date,
title and URL Chromium would otherwise stamp in the margins.
"""

from __future__ import annotations

from .png import run_chromium

PDF_FLAGS = ("--no-pdf-header-footer", "--generate-pdf-document-outline")
"""No date, title or URL in the margins; the headings become the PDF's bookmarks."""


def html_pdf(html: str, *, timeout: float = 120) -> bytes:
    """Print an HTML document to PDF through headless Chromium and return the bytes.

    Raises :class:`.png.ChromiumMissing` without a browser, RuntimeError when it fails.
    """
    args = [*PDF_FLAGS, "--print-to-pdf={out}", "{page}"]
    return run_chromium(html, "report.pdf", args, timeout=timeout)


__all__ = ["PDF_FLAGS", "html_pdf"]
