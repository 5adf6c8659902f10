"""Shared by the web tests: one solved bundled year per test run, a workspace holding it, a
client signed in the way a browser is (the printed address, then the cookie), and the real
browser of the browser tests (Debian's Chromium, headless, through its chromedriver)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

import arshjul
from arshjul.web import Access, Workspace, create_app
from arshjul.web import library as lib

HOST, PORT = "127.0.0.1", 8765
BASE = f"http://{HOST}:{PORT}"
TOKEN = "t0ken-for-tests-" + "k" * 27
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
SESSION = "vinnova.dialog.precisionshalsa.1"
"""A dialog of the bundled year with four presenters."""


def bundled_text(language: str = "en") -> str:
    """The bundled year saying ``language: <language>``: the web tests read the pages' English
    words (the bundled year itself leaves the language out, so its pages speak Swedish)."""
    text = arshjul.bundled("sweden-2027").read_text(encoding="utf-8")
    assert "\n# language: sv\n" in text
    return text.replace("\n# language: sv\n", f"\nlanguage: {language}\n", 1)


def open_workspace(root: Path, language: str = "en") -> Workspace:
    """A workspace of the bundled year whose pages speak ``language`` (no plan yet)."""
    root.parent.mkdir(parents=True, exist_ok=True)
    source = root.parent / f"sweden-2027-{language}.yaml"
    source.write_text(bundled_text(language), encoding="utf-8")
    return Workspace.open(root, source)


@functools.cache
def bundled_plan_json() -> str:
    """The bundled year (in English) solved once per test run (seconds; same seed, same plan).
    Solved to its proven optimum: with a 10 s limit a heavily loaded machine sometimes stopped
    at another plan, on which the tests' cap-breaking moves did not exist."""
    sc, _ = lib.scenario_from_text(bundled_text("en"), "sweden-2027-en.yaml")
    plan = arshjul.solve(sc, time_limit=120, seed=0)
    assert plan.status == "OPTIMAL", plan.status
    return plan.to_json()


def workspace_with_plan(root: Path, language: str = "en") -> tuple[Workspace, str]:
    """A workspace of the bundled year whose current plan is the solved one (both in
    ``language``: the plan's own words, its wheel and heat map, follow the scenario's)."""
    ws = open_workspace(root, language)
    plan = arshjul.Plan.from_json(bundled_plan_json())
    info = ws.save_plan(dataclasses.replace(plan, language=language), origin="solve")
    ws.set_current(info.id)
    return ws, info.id


def client(ws: Workspace, *, token: str = TOKEN, time_limit: float = 10) -> TestClient:
    app = create_app(ws, Access.make(token=token, host=HOST, port=PORT), time_limit=time_limit)
    return TestClient(app, base_url=BASE)


def sign_in(c: TestClient, token: str = TOKEN) -> str:
    """Open the printed address; returns the session's CSRF token (from a page's form)."""
    r = c.get(f"/?token={token}")
    assert r.status_code == 200, r.status_code
    assert "token=" not in str(r.url)
    found = CSRF.search(r.text)
    assert found, "no form on the first page"
    return found.group(1)


# -- the real browser ------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver") or next(
    (p for p in ("/usr/bin/chromedriver",) if os.access(p, os.X_OK)), None
)
NO_BROWSER = "needs Chromium and its chromedriver (Debian: apt-get install chromium chromium-driver)"
"""Why a browser test is skipped: test modules call ``pytest.skip(NO_BROWSER, ...)`` when
:data:`CHROMIUM` or :data:`CHROMEDRIVER` is ``None``."""
BROWSER_WAIT = 90
"""Seconds any one browser step may take at most (a solve is a few; a bound, not a goal)."""


@contextmanager
def chrome() -> Iterator[Any]:
    """A headless Chromium driven by Selenium, its console log kept, quit afterwards.

    Selenium is imported here, not at the top, so the many web tests that never open a
    browser do not pay for it (and run where it is not installed)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    assert CHROMIUM is not None and CHROMEDRIVER is not None, NO_BROWSER
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1000"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(BROWSER_WAIT)
    try:
        yield driver
    finally:
        driver.quit()


def cap_breaking_move(ws: Workspace, plan: arshjul.Plan, sid: str) -> tuple[dt.date, str, int]:
    """A date and slot, nearest first, where moving ``sid`` (presenters kept) breaks only the
    invitation cap, and how many regions' caps it breaks there: one where some slot breaks
    one alone.  The bundled year has many optimal plans, and which one the search ends on
    follows its start (since the first plan's presenters are chosen by a small model, no
    slot near this session breaks the cap for a single region)."""
    sc, inst = ws.scenario()
    here = plan.session(sid).date
    found: tuple[dt.date, str, int] | None = None
    for t in sorted(inst.slots, key=lambda t: (abs((t.date - here).days), t.index)):  # nearest first
        moved = lib.move(sc, inst, plan, sid, t.date, t.slot)
        assert moved is not None
        broken = moved.verdict.broken
        if {b.rule for b in broken} != {"region_invitation_cap"}:
            continue
        if len(broken) == 1:
            return t.date, t.slot, 1
        if found is None:
            found = (t.date, t.slot, len(broken))
    assert found is not None, "no slot breaks the cap alone"
    return found
