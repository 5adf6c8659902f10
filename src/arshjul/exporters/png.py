"""PNG export of the wheel, for documents and slides that do not take SVG.

It goes through headless Chromium: a browser already renders the HTML report, shapes
Swedish text with the system's fonts and follows text along arcs, so the PNG looks exactly
like the SVG does in a browser.  Nothing else in arshjul needs Chromium; without it only
the PNG is missing, with advice on how to get it.
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


def chromium_screenshot(
    html: str, width: int, height: int, *, scale: float = 1.0, timeout: float = 120
) -> bytes:
    """Render an HTML document in headless Chromium and return the viewport as PNG bytes."""
    browser = find_chromium()
    if browser is None:
        raise RuntimeError(
            "PNG export needs headless Chromium and none was found on PATH "
            "(install it, e.g. `apt-get install chromium`, or set ARSHJUL_CHROMIUM); "
            "the SVG and HTML outputs do not need it"
        )
    with tempfile.TemporaryDirectory(prefix="arshjul-png-") as tmp:
        page = Path(tmp) / "page.html"
        out = Path(tmp) / "shot.png"
        page.write_text(html, encoding="utf-8")
        cmd = [
            browser,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={Path(tmp) / 'profile'}",
            f"--window-size={width},{height}",
            f"--force-device-scale-factor={scale:g}",
            f"--screenshot={out}",
            page.as_uri(),
        ]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise RuntimeError(f"Chromium could not render the PNG: {exc}") from None
        if not out.exists() or out.stat().st_size == 0:
            tail = "\n".join(done.stderr.strip().splitlines()[-5:])
            raise RuntimeError(f"Chromium exited with {done.returncode} and wrote no PNG:\n{tail}")
        return out.read_bytes()


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


__all__ = ["CHROMIUM_FLAGS", "CHROMIUM_NAMES", "chromium_screenshot", "find_chromium", "wheel_png"]
