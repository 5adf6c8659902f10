"""The workspace in a real browser: Debian's Chromium, headless, driven by Selenium through
/usr/bin/chromedriver, against the real server (uvicorn in a thread on a free loopback port).

open → solve → see the year → move a session where it breaks a rule and read the warning →
move it where it fits → save → pin → re-solve → accept → download a calendar and parse it;
and the same moves by dragging a session on the year's timeline (real pointer input).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

import arshjul
from arshjul.web import Access, Workspace, create_app, jobs, new_token
from arshjul.web import library as lib
from arshjul.web.server import Background, free_port
from web_support import (
    CHROMEDRIVER,
    CHROMIUM,
    NO_BROWSER,
    SESSION,
    bundled_plan_json,
    cap_breaking_move,
    chrome,
    open_workspace,
)

pytestmark = pytest.mark.browser

if CHROMIUM is None or CHROMEDRIVER is None:
    pytest.skip(NO_BROWSER, allow_module_level=True)

WAIT = 90
"""Seconds any one step may take at most (a solve is a few; this is a bound, not a goal)."""


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Workspace, str]]:
    ws = open_workspace(tmp_path / "ws")
    port, token = free_port(), new_token()
    app = create_app(ws, Access.make(token=token, host="127.0.0.1", port=port), time_limit=10)
    with Background(app, port):
        yield ws, f"http://127.0.0.1:{port}/?token={token}"
        jobs.wait(ws, WAIT)


@pytest.fixture
def browser() -> Iterator[Any]:
    with chrome() as driver:
        yield driver


def _wait(driver: Any, until: Any) -> Any:
    return WebDriverWait(driver, WAIT, poll_frequency=0.2).until(until)


def _text(driver: Any, element_id: str) -> str:
    text: str = driver.find_element(By.ID, element_id).text
    return text


def _finish_job(driver: Any) -> None:
    """On the progress page: the script polls the job and, when it is done, opens the new
    plan with its changes."""
    _wait(driver, lambda d: d.current_url.endswith("/job"))
    _wait(driver, lambda d: "/plans/" in d.current_url)


def test_open_see_move_save_pin_resolve_accept_download(served: Any, browser: Any) -> None:
    ws, address = served
    browser.get(address)
    assert "token=" not in browser.current_url  # the token left the address bar
    # -- solve the year; the progress page follows the job by itself
    browser.find_element(By.ID, "solve").click()
    _finish_job(browser)
    assert "This is the current plan." in _text(browser, "accepted")
    first = ws.current_id()
    assert first is not None

    # -- see the year: the wheel and the sessions month by month; a click on the wheel opens one
    browser.find_element(By.LINK_TEXT, "Year").click()
    assert browser.find_element(By.CSS_SELECTOR, ".wheel svg.arshjul-wheel").is_displayed()
    months = [h.text for h in browser.find_elements(By.CSS_SELECTOR, ".months h3")]
    assert months[0] == "January 2027" and months[-1] == "December 2027"
    assert len(browser.find_elements(By.CSS_SELECTOR, ".months li")) == len(ws.plan(first).sessions)
    marker = f"g[id='session-{SESSION}'] > :is(circle, rect, polygon, path)"  # the session's mark
    browser.find_element(By.CSS_SELECTOR, marker).click()
    _wait(browser, lambda d: d.current_url.endswith(f"/session/{SESSION}"))

    # -- a move that breaks the invitation cap: the page names the rule before saving
    day, slot, n = cap_breaking_move(ws, ws.plan(first), SESSION)
    date = browser.find_element(By.ID, "move-date")
    browser.execute_script("arguments[0].value = arguments[1];", date, day.isoformat())
    Select(browser.find_element(By.ID, "move-slot")).select_by_value(slot)
    browser.find_element(By.ID, "check-free").click()
    _wait(browser, lambda d: d.current_url.endswith("/check"))
    assert f"breaks {n} rule(s)" in _text(browser, "verdict")
    rows = browser.find_elements(By.CSS_SELECTOR, "tr.violation")
    assert [r.get_attribute("data-rule") for r in rows] == ["region_invitation_cap"] * n
    assert "invitations in any 28 days" in rows[0].text
    assert browser.find_element(By.ID, "save-anyway").text == f"Save anyway, breaking {n} rule(s)"
    assert len(ws.plans()) == 1  # nothing saved by checking

    # -- back, and move it where it fits: the best of the alternatives
    browser.find_element(By.ID, "back").click()
    choice = Select(browser.find_element(By.ID, "where"))
    where = choice.options[0].get_attribute("value")
    choice.select_by_index(0)
    browser.find_element(By.ID, "check-option").click()
    assert "Every rule holds" in _wait(browser, lambda d: d.find_element(By.ID, "verdict")).text
    browser.find_element(By.ID, "save").click()
    _wait(browser, lambda d: d.current_url.endswith(f"/session/{SESSION}"))
    edited = ws.current_id()
    assert edited is not None and edited.endswith("-edited")
    assert "moved by hand" in browser.find_element(By.CSS_SELECTOR, "header .current").text
    moved = ws.plan(edited).session(SESSION)
    assert f"{moved.date.isoformat()} {moved.slot}" == where

    # -- pin it, and re-solve the rest
    browser.find_element(By.ID, "pin").click()
    _wait(browser, lambda d: "This session is pinned." in d.page_source)
    assert ws.pins() == [SESSION]
    browser.find_element(By.LINK_TEXT, "Year").click()
    browser.find_element(By.ID, "resolve").click()
    _finish_job(browser)
    result = browser.current_url.rsplit("/", 1)[1]
    assert ws.current_id() == edited  # shown with its changes, not yet current
    kept = ws.plan(result).session(SESSION)
    assert (kept.date, kept.slot, kept.presentations) == (moved.date, moved.slot, moved.presentations)

    # -- accept
    browser.find_element(By.ID, "accept").click()
    _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".wheel svg"))
    assert ws.current_id() == result

    # -- download the master calendar through the browser's own session, and parse it
    href = browser.find_element(By.ID, "download-master").get_attribute("href")
    body = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(arguments[0]).then(r => r.text()).then(done, e => done('ERROR ' + e));",
        href,
    )
    calendar = Calendar.from_ical(body)
    assert len(calendar.walk("VEVENT")) == len(ws.plan(result).sessions)
    uids = {str(e["uid"]) for e in calendar.walk("VEVENT")}
    assert any(uid.startswith(f"{SESSION}@") for uid in uids)

    # the pages kept to their Content-Security-Policy: nothing was blocked
    blocked = [e["message"] for e in browser.get_log("browser") if "Content Security Policy" in e["message"]]
    assert blocked == []


def test_edit_to_no_plan_read_why_fix_in_one_click_and_solve(served: Any, browser: Any) -> None:
    ws, address = served
    original = (ws.root / "scenario.yaml").read_bytes()
    browser.get(address)
    # -- an edit that leaves no plan: Gotland may get no invitation at all
    browser.find_element(By.LINK_TEXT, "Scenario").click()
    browser.find_element(By.CSS_SELECTOR, "#region-SE-I > summary").click()
    cap = browser.find_element(By.ID, "region-SE-I-limit_window_max")
    cap.clear()
    cap.send_keys("0")
    browser.find_element(By.ID, "save-region-SE-I").click()
    diff = _wait(browser, lambda d: d.find_element(By.ID, "scenario-diff")).text
    assert "+      window_max: 0" in diff and "-      window_max: 3" in diff
    # -- solve: no plan, and the page offers to ask why
    browser.find_element(By.ID, "solve-edited").click()
    _wait(browser, lambda d: d.current_url.endswith("/job"))
    _wait(browser, lambda d: d.find_elements(By.ID, "ask-why"))
    assert "No plan" in _text(browser, "job-state")
    browser.find_element(By.ID, "ask-why").click()
    # -- the why page follows the job by itself and shows the colliding rules and ways out
    conflict = _wait(browser, lambda d: d.find_elements(By.ID, "conflict"))[0]
    assert "regions[SE-I].limits.window_max" in conflict.text
    fixes = browser.find_element(By.ID, "fixes").text
    assert "set regions[SE-I].limits.window_max: 3" in fixes
    browser.find_element(By.ID, "fix-0").click()
    diff = _wait(browser, lambda d: d.find_element(By.ID, "scenario-diff")).text
    assert "+      window_max: 3" in diff
    assert (ws.root / "scenario.yaml").read_bytes() == original
    # -- solve again: a plan, which becomes current and shows
    browser.find_element(By.ID, "solve-edited").click()
    _finish_job(browser)
    assert "This is the current plan." in _text(browser, "accepted")
    browser.find_element(By.LINK_TEXT, "Year").click()
    assert browser.find_element(By.CSS_SELECTOR, ".wheel svg.arshjul-wheel").is_displayed()
    blocked = [e["message"] for e in browser.get_log("browser") if "Content Security Policy" in e["message"]]
    assert blocked == []


def _fits(ws: Workspace, plan: arshjul.Plan, sid: str) -> tuple[str, str]:
    """Another date and slot, nearest first, where ``sid`` (presenters kept) keeps every rule."""
    sc, inst = ws.scenario()
    s = plan.session(sid)
    for t in sorted(inst.slots, key=lambda t: (abs((t.date - s.date).days), t.index)):
        if (t.date, t.slot) == (s.date, s.slot):
            continue
        moved = lib.move(sc, inst, plan, sid, t.date, t.slot)
        if moved is not None and moved.verdict.ok:
            return t.date.isoformat(), t.slot
    raise AssertionError("no other slot keeps every rule")


def _drag(driver: Any, sid: str, day: str, slot: str) -> None:
    """Press on the session's chip on the timeline, drag it onto the day's slot, let go: the
    pointer events a mouse makes (WebDriver input, not synthetic DOM events)."""
    driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center'});", driver.find_element(By.CLASS_NAME, "timeline-grid")
    )
    chip = driver.find_element(By.CSS_SELECTOR, f".chip[data-session='{sid}']")
    target = driver.find_element(By.CSS_SELECTOR, f".tl-cell[data-date='{day}'][data-slot='{slot}']")
    (
        ActionChains(driver, duration=50)
        .move_to_element(chip)
        .click_and_hold()
        .move_by_offset(8, 8)
        .move_to_element(target)
        .pause(0.2)
        .release()
        .perform()
    )


def test_drag_on_the_timeline_checks_the_move_then_saves_it(served: Any, browser: Any) -> None:
    ws, address = served
    info = ws.save_plan(arshjul.Plan.from_json(bundled_plan_json()), origin="solve")
    ws.set_current(info.id)
    plan = ws.plan(info.id)
    browser.get(address)
    here = plan.session(SESSION)
    home = browser.find_element(By.CSS_SELECTOR, f".chip[data-session='{SESSION}']")
    assert home.find_element(By.XPATH, "..").get_attribute("data-date") == here.date.isoformat()

    # -- dragged onto a day that breaks the invitation cap: checked, the rule named, nothing saved
    when, slot, n = cap_breaking_move(ws, plan, SESSION)
    day = when.isoformat()
    _drag(browser, SESSION, day, slot)
    _wait(browser, lambda d: d.current_url.endswith(f"/session/{SESSION}/check"))
    assert f"breaks {n} rule(s)" in _text(browser, "verdict")
    violations = browser.find_elements(By.CSS_SELECTOR, "tr.violation")
    rows = {r.get_attribute("data-rule"): r.text for r in violations}
    assert "invitations in any 28 days" in rows["region_invitation_cap"]
    assert browser.find_element(By.ID, "save-anyway").is_displayed()
    assert len(ws.plans()) == 1 and ws.current_id() == info.id  # nothing saved by checking

    # -- cancel, back on the year: dragged where it fits, saved, and the timeline shows it there
    browser.find_element(By.ID, "back").click()  # a drop's check goes back to the timeline
    _wait(browser, lambda d: d.current_url.endswith("/#timeline"))
    day, slot = _fits(ws, plan, SESSION)
    _drag(browser, SESSION, day, slot)
    _wait(browser, lambda d: d.current_url.endswith(f"/session/{SESSION}/check"))
    assert "Every rule holds" in _text(browser, "verdict")
    browser.find_element(By.ID, "save").click()
    _wait(browser, lambda d: d.current_url.endswith("/#timeline"))
    edited = ws.current_id()
    assert edited is not None and edited.endswith("-edited") and ws.info(edited).parent == info.id
    moved = ws.plan(edited).session(SESSION)
    assert (moved.date.isoformat(), moved.slot) == (day, slot)
    assert [p.presenter for p in moved.presentations] == [p.presenter for p in here.presentations]
    browser.find_element(By.LINK_TEXT, "Year").click()
    chip = browser.find_element(By.CSS_SELECTOR, f".chip[data-session='{SESSION}']")
    cell = chip.find_element(By.XPATH, "..")
    assert (cell.get_attribute("data-date"), cell.get_attribute("data-slot")) == (day, slot)

    # -- a press without a drag is a click: it opens the session (the keyboard's way in too)
    chip.click()
    _wait(browser, lambda d: d.current_url.endswith(f"/session/{SESSION}"))
    assert len(ws.plans()) == 2
    blocked = [e["message"] for e in browser.get_log("browser") if "Content Security Policy" in e["message"]]
    assert blocked == []
