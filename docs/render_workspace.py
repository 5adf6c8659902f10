"""Screenshots of ``arshjul serve``'s main views, e.g. to refresh ``docs/workspace-*.png``.

    python docs/render_workspace.py [-o docs] [--width 1400]

Plans the bundled year in a temporary workspace, serves it on a free loopback port and
drives headless Chromium through Selenium (Debian: ``apt-get install chromium
chromium-driver``).  Writes workspace-year.png, workspace-session.png,
workspace-check.png, workspace-heatmap.png, workspace-region.png, workspace-job.png and
workspace-plan.png; shrinks them with pngquant when it is there (``apt-get install
pngquant``).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from arshjul.web import Access, Workspace, create_app, jobs, new_token
from arshjul.web.server import Background, free_port

SESSION = "vinnova.dialog.precisionshalsa.1"
"""A dialog with four presenters; moving it to 24 February breaks the invitation cap."""
PIN = "vinnova.hybrid.ekosystem"
"""Pinned before the re-solve, which then moves the dialog back to where the cap holds."""


def driver(width: int, height: int) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", f"--window-size={width},{height}"):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def shot(browser: webdriver.Chrome, out: Path, name: str, height: int | None = None) -> None:
    if height is not None:
        browser.set_window_size(browser.get_window_size()["width"], height)
    time.sleep(0.3)
    path = out / f"workspace-{name}.png"
    browser.save_screenshot(str(path))
    if shutil.which("pngquant"):
        subprocess.run(
            ["pngquant", "--force", "--skip-if-larger", "--output", str(path), "64", str(path)], check=False
        )
    print(path, f"{path.stat().st_size // 1024} KB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--out", type=Path, default=Path(__file__).parent, help="folder for the PNGs")
    parser.add_argument("--width", type=int, default=1400)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    ws = Workspace.open(Path(tempfile.mkdtemp(prefix="arshjul-shots-")) / "ws")
    port, token = free_port(), new_token()
    app = create_app(ws, Access.make(token=token, host="127.0.0.1", port=port), time_limit=20)
    base = f"http://127.0.0.1:{port}"
    with Background(app, port):
        browser = driver(args.width, 900)
        try:
            browser.get(f"{base}/?token={token}")
            browser.find_element(By.ID, "solve").click()
            WebDriverWait(browser, 20).until(lambda b: b.current_url.endswith("/job"))
            jobs.wait(ws, 60)
            browser.get(f"{base}/")
            shot(browser, args.out, "year", 1000)
            browser.get(f"{base}/heatmap")
            shot(browser, args.out, "heatmap", 1000)
            browser.get(f"{base}/region/SE-I")
            shot(browser, args.out, "region", 900)
            browser.get(f"{base}/session/{SESSION}")
            shot(browser, args.out, "session", 1000)
            date = browser.find_element(By.ID, "move-date")
            browser.execute_script("arguments[0].value = '2027-02-24';", date)
            browser.find_element(By.ID, "check-free").click()
            shot(browser, args.out, "check", 900)
            browser.find_element(By.ID, "save-anyway").click()  # kept, marked as breaking a rule
            browser.get(f"{base}/session/{PIN}")
            browser.find_element(By.ID, "pin").click()
            browser.get(f"{base}/")
            browser.find_element(By.ID, "resolve").click()
            WebDriverWait(browser, 20).until(lambda b: b.current_url.endswith("/job"))
            shot(browser, args.out, "job", 700)
            jobs.wait(ws, 60)
            browser.get(f"{base}/job")
            link = browser.find_element(By.ID, "result-link").get_attribute("href") or ""
            browser.get(link)
            shot(browser, args.out, "plan", 800)
            if not re.search(r"/plans/", link):
                return 1
        finally:
            browser.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
