"""A region's page in a real browser (Debian's Chromium, headless, through Selenium and
/usr/bin/chromedriver) against the real server on a free loopback port.

The region's contact opens the private link, marks a week away and signs up to present on a
theme with a focus area; the planner then sees both on the proposals page, applies them,
finds them in the scenario page's fields, and solves with them: the new plan invites the
region to nothing in that week, and the scenario the solve read carries the focus area.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from arshjul.plan import Plan
from arshjul.web import Access, create_app, jobs, new_token
from arshjul.web import library as lib
from arshjul.web.server import Background, free_port
from regions_support import World, world
from web_support import BROWSER_WAIT, CHROMEDRIVER, CHROMIUM, NO_BROWSER, chrome

pytestmark = pytest.mark.browser

if CHROMIUM is None or CHROMEDRIVER is None:
    pytest.skip(NO_BROWSER, allow_module_level=True)

THEME = "livsmedel"
"""A theme the region is not interested in by its S3 tags: the sign-up adds it."""


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[World, str, str]]:
    w = world(tmp_path)
    port, token = free_port(), new_token()
    app = create_app(
        w.ws, Access.make(token=token, host="127.0.0.1", port=port), time_limit=10, store=w.store
    )
    with Background(app, port):
        yield w, f"http://127.0.0.1:{port}", token
        jobs.wait(w.ws, BROWSER_WAIT)


@pytest.fixture
def browser() -> Iterator[Any]:
    with chrome() as driver:
        yield driver


def _wait(driver: Any, until: Any) -> Any:
    """``until`` holds; an element of the page being left (stale) or not there yet is
    looked up again, since each form posts and the browser loads the next page."""
    ignored = (NoSuchElementException, StaleElementReferenceException)
    return WebDriverWait(driver, BROWSER_WAIT, poll_frequency=0.2, ignored_exceptions=ignored).until(until)


def _invited_week(plan: Plan, code: str) -> tuple[str, set[dt.date]]:
    """The ISO week (``2027-W18``) and days of the first session the plan invites ``code``
    to: marking it away must then change the next plan.  Taken from the plan, not fixed,
    since a change to the search may move every session."""
    first = min(s.date for s in plan.sessions if code in s.invited)
    year, week, weekday = first.isocalendar()
    monday = first - dt.timedelta(days=weekday - 1)
    return f"{year}-W{week:02d}", {monday + dt.timedelta(days=k) for k in range(7)}


def _text(driver: Any, element_id: str) -> str:
    text: str = driver.find_element(By.ID, element_id).text
    return text


def test_a_region_marks_a_week_away_signs_up_and_the_planner_solves_with_it(
    served: tuple[World, str, str], browser: Any
) -> None:
    w, base, token = served
    sc, _ = w.ws.scenario()
    region = next(r for r in sc.regions if r.code == w.a)
    focus = region.s3[-1].name
    assert w.a not in lib.interest_by_theme(sc)[THEME]
    first_plan = w.ws.current_id()
    assert first_plan is not None
    week, week_days = _invited_week(w.ws.plan(first_plan), w.a)

    # -- the region: open the private link; the page is the region's own
    browser.get(f"{base}/r/{w.a_token}")
    _wait(browser, lambda d: d.current_url == f"{base}/r")
    assert region.name in _text(browser, "region-heading")
    assert w.a_token not in browser.current_url

    # -- mark a week away
    browser.find_element(By.ID, "span").send_keys(week)
    browser.find_element(By.CSS_SELECTOR, "#away-form button[value=add]").click()
    _wait(browser, lambda d: week in d.find_element(By.ID, "away-list").text)

    # -- sign up to present on a theme, with a focus area
    Select(browser.find_element(By.ID, "signup-theme")).select_by_value(THEME)
    Select(browser.find_element(By.ID, "signup-focus")).select_by_visible_text(focus)
    browser.find_element(By.CSS_SELECTOR, "#signup-form button[value=add]").click()
    _wait(browser, lambda d: f"{THEME}: {focus}" in d.find_element(By.ID, "signup-list").text)
    assert w.store.state(w.a).signup == {THEME: focus}

    # -- the planner: both show up as proposals, ticked; apply them
    browser.get(f"{base}/?token={token}")
    _wait(browser, lambda d: "token=" not in d.current_url)
    browser.find_element(By.LINK_TEXT, "From the regions").click()
    rows = _wait(browser, lambda d: d.find_element(By.ID, "proposals")).text
    assert f"away {week}" in rows and f"signs up to present on {THEME} ({focus})" in rows
    assert "Anna A" in rows
    browser.find_element(By.CSS_SELECTOR, "form[action='/proposals/apply'] button").click()
    assert "Applied 2 changes" in _wait(browser, lambda d: d.find_element(By.ID, "notice")).text
    assert w.ws.current_id() == first_plan  # the plan already sent stays as it is

    # -- the scenario page shows the away week in the region's field
    browser.find_element(By.LINK_TEXT, "Scenario").click()
    away = _wait(browser, lambda d: d.find_element(By.ID, f"region-{w.a}-away"))
    assert week in (away.get_attribute("value") or "")

    # -- and the next solve uses it: solve from the scenario page, wait for the new plan
    browser.find_element(By.ID, "solve-edited").click()
    _wait(browser, lambda d: "/plans/" in d.current_url)
    sc, _ = w.ws.scenario()  # what the solve read
    entry = next(i for _, t in sc.themes() if t.id == THEME for i in t.interest() if i.region == w.a)
    assert entry.focus == focus
    newest = max(w.ws.plans(), key=lambda info: info.created)
    assert newest.id != first_plan
    plan = w.ws.plan(newest.id)
    assert plan.found
    invited = [s for s in plan.sessions if w.a in s.invited and s.date in week_days]
    assert invited == []  # away: invited to nothing that week
    console = [e["message"] for e in browser.get_log("browser") if "favicon.ico" not in e["message"]]
    assert [m for m in console if "Content Security Policy" in m or "Uncaught" in m] == [], console
