"""Screenshots of ``arshjul serve``'s main views, e.g. to refresh ``docs/workspace-*.png``.

    python docs/render_workspace.py [-o docs] [--width 1400]

Plans the bundled year in a temporary workspace, serves it on a free loopback port and
drives headless Chromium through Selenium (Debian: ``apt-get install chromium
chromium-driver``).  Writes workspace-year.png, workspace-timeline.png (a session being
dragged on the timeline), workspace-session.png, workspace-check.png, workspace-heatmap.png,
workspace-region.png, workspace-job.png and workspace-plan.png; shrinks them with pngquant
when it is there (``apt-get install pngquant``).
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
from selenium.webdriver.common.action_chains import ActionChains
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


def shot_timeline(browser: webdriver.Chrome, out: Path) -> None:
    """The timeline with the dialog held over 24 February (where it breaks the cap), let go
    with Escape: nothing is checked or saved."""
    browser.set_window_size(browser.get_window_size()["width"], 760)
    browser.execute_script("document.getElementById('timeline').scrollIntoView();")
    chip = browser.find_element(By.CSS_SELECTOR, f".chip[data-session='{SESSION}']")
    target = browser.find_element(By.CSS_SELECTOR, ".tl-cell[data-date='2027-02-24'][data-slot='afternoon']")
    actions = ActionChains(browser, duration=50)
    actions.move_to_element(chip).click_and_hold().move_by_offset(8, 8).move_to_element(target).perform()
    shot(browser, out, "timeline")
    ActionChains(browser).send_keys("\ue00c").release().perform()  # Escape, then let go


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
            shot_timeline(browser, args.out)
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
