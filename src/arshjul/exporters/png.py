"""PNG export of the wheel, for documents and slides that do not take SVG.

It goes through headless Chromium: a browser already renders the HTML report, shapes
Swedish text with the system's fonts and follows text along arcs, so the PNG looks exactly
like the SVG does in a browser.  The same runner prints the report to PDF (:mod:`.pdf`).
Nothing else in arshjul needs Chromium; without it only the PNG and the PDF are missing,
with advice on how to get them (:class:`ChromiumMissing`).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from .svg import strip_xml_declaration
from .wheel import VIEW_H, VIEW_W

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
)


class ChromiumMissing(RuntimeError):
    """No headless Chromium for an output that needs one (``wheel.png``, ``report.pdf``).

    The message is one line that says what to install; the CLI prints it and exits 2."""

    def __init__(self, output: str) -> None:
        self.output = output
        super().__init__(
            f"{output} needs headless Chromium and none was found on PATH "
            "(install it, e.g. `apt-get install chromium`, or set ARSHJUL_CHROMIUM); "
            "the SVG, HTML and Markdown outputs do not need it"
        )


def find_chromium() -> str | None:
    """Path of a Chromium-family browser: ``$ARSHJUL_CHROMIUM``, else the first on ``PATH``."""
    env = os.environ.get("ARSHJUL_CHROMIUM")
    if env:
        return env
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def run_chromium(html: str, output: str, args: list[str], *, timeout: float = 120) -> bytes:
    """Open ``html`` in headless Chromium with ``args`` and return the file it wrote.

    ``args`` may name two placeholders: ``{out}`` (the file Chromium should write) and
    ``{page}`` (the page's URL).  ``output`` names the result in messages (``wheel.png``).
    Raises :class:`ChromiumMissing` without a browser and RuntimeError when it writes nothing.
    """
    browser = find_chromium()
    if browser is None:
        raise ChromiumMissing(output)
    with tempfile.TemporaryDirectory(prefix="arshjul-chromium-") as tmp:
        page = Path(tmp) / "page.html"
        out = Path(tmp) / output
        page.write_text(html, encoding="utf-8")
        cmd = [
            browser,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={Path(tmp) / 'profile'}",
            *(a.replace("{out}", str(out)).replace("{page}", page.as_uri()) for a in args),
        ]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise RuntimeError(f"Chromium could not render {output}: {exc}") from None
        if not out.exists() or out.stat().st_size == 0:
            tail = "\n".join(done.stderr.strip().splitlines()[-5:])
            raise RuntimeError(f"Chromium exited with {done.returncode} and wrote no {output}:\n{tail}")
        return out.read_bytes()


def chromium_screenshot(
    html: str, width: int, height: int, *, scale: float = 1.0, timeout: float = 120
) -> bytes:
    """Render an HTML document in headless Chromium and return the viewport as PNG bytes."""
    args = [
        f"--window-size={width},{height}",
        f"--force-device-scale-factor={scale:g}",
        "--screenshot={out}",
        "{page}",
    ]
    return run_chromium(html, "wheel.png", args, timeout=timeout)


def wheel_png(svg: str, *, scale: float = 1.0) -> bytes:
    """The wheel as PNG, for documents and slides that do not take SVG.

    Rendered by headless Chromium so it matches what browsers show; raises RuntimeError with
    advice when no Chromium is installed.  ``scale`` > 1 gives a sharper, larger image.
    """
    size = re.search(r'<svg[^>]*\bwidth="(\d+)"[^>]*\bheight="(\d+)"', svg)
    width, height = (int(size.group(1)), int(size.group(2))) if size else (VIEW_W, VIEW_H)
    html = (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        "<style>html,body{margin:0;background:#fff}svg{display:block}</style></head>"
        "<body>" + strip_xml_declaration(svg) + "</body></html>"
    )
    return chromium_screenshot(html, width, height, scale=scale)


__all__ = [
    "CHROMIUM_FLAGS",
    "CHROMIUM_NAMES",
    "ChromiumMissing",
    "chromium_screenshot",
    "find_chromium",
    "run_chromium",
    "wheel_png",
]
