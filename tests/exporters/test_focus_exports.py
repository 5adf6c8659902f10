"""A region's focus area (#17) where the running order is shown: the calendars' DESCRIPTION
(parsed back with icalendar), the report, plan.xlsx and the workspace's session page, in
English and Swedish, å ä ö intact; a presentation without one renders as before."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from pathlib import Path

import pytest
import yaml
from icalendar import Calendar
from openpyxl import load_workbook
from test_focus_plan import FOCUS, HALSA, focus_scenario

from arshjul.exporters.ics import master_calendar, region_calendar
from arshjul.exporters.report import report_html, report_markdown
from arshjul.exporters.xlsx import plan_xlsx, sheet_names
from arshjul.plan import Plan
from arshjul.web import Workspace
from conftest import solve_checked
from web_support import client, sign_in

STAMP = dt.datetime(2027, 8, 1, tzinfo=dt.UTC)
WORDS = {
    "en": {"heading": "Running order:", "column": "Focus area", "task": "Focus area: "},
    "sv": {"heading": "Talarordning:", "column": "Fokusområde", "task": "Fokusområde: "},
}


@pytest.fixture(scope="module", params=["en", "sv"])
def plan(request: pytest.FixtureRequest) -> Plan:
    solved = solve_checked(focus_scenario(request.param), time_limit=10)
    assert solved.found and solved.language == request.param
    return solved


def _line(plan: Plan) -> str:
    """The running order's line for Östergötland, as the plan's times say."""
    p = next(p for p in plan.session(HALSA).presentations if p.presenter == "SE-E")
    return f"{p.start:%H:%M}–{p.end:%H:%M} Region Östergötland — {FOCUS}"


def _plain(plan: Plan) -> str:
    p = next(p for p in plan.session(HALSA).presentations if p.presenter == "SE-M")
    assert p.focus is None
    return f"{p.start:%H:%M}–{p.end:%H:%M} Region Skåne"


def _description(ics: bytes) -> list[str]:
    cal = Calendar.from_ical(ics)
    event = next(e for e in cal.walk("VEVENT") if HALSA in str(e["uid"]))
    return str(event["description"]).split("\n")


@pytest.mark.parametrize("which", ["master", "SE-E", "SE-M"])
def test_the_calendar_running_order_says_what_a_region_presents(plan: Plan, which: str) -> None:
    ics = (
        master_calendar(plan, dtstamp=STAMP)
        if which == "master"
        else region_calendar(plan, which, dtstamp=STAMP)
    )
    lines = _description(ics)
    heading = lines.index(WORDS[plan.language]["heading"])
    order = lines[heading + 1 : heading + 4]
    assert _line(plan) in order, order
    assert _plain(plan) in order, "no focus: the line as it always was"
    assert f"{_plain(plan)} —" not in "\n".join(lines)


def test_the_report_shows_the_focus_in_the_running_order_and_the_region_table(plan: Plan) -> None:
    md = report_markdown(plan)
    html = report_html(plan)
    for text in (md, html):
        assert _line(plan) in text
        assert WORDS[plan.language]["task"] + FOCUS in text
    assert md.count(WORDS[plan.language]["task"]) == 1, "only the region that has one"
    assert _plain(plan) + " —" not in md


def test_plan_xlsx_shows_the_focus(plan: Plan) -> None:
    wb = load_workbook(io.BytesIO(plan_xlsx(plan, dtstamp=STAMP)))
    names = sheet_names(plan)
    column = WORDS[plan.language]["column"]

    def rows(sheet: str) -> tuple[list[object], list[tuple[object, ...]]]:
        head, *body = wb[sheet].iter_rows(values_only=True)
        return list(head), body

    head, body = rows(names["order"])
    at, presenter = head.index(column), 5  # the Presenter column: a region code or the host id
    assert {r[presenter]: r[at] for r in body} == {"vinnova": None, "SE-E": FOCUS, "SE-M": None}
    head, body = rows(names["sessions"])
    dialog = next(r for r in body if r[-1] == HALSA)
    lines = str(dialog[10]).split("\n")
    assert sum(line.endswith(f" Region Östergötland (SE-E) — {FOCUS}") for line in lines) == 1, lines
    assert sum(line.endswith(" Region Skåne (SE-M)") for line in lines) == 1, lines
    assert column not in head, "the Sessions sheet says it in its running order"
    head, body = rows("SE-E")
    assert [r[head.index(column)] for r in body] == [FOCUS]
    head, body = rows("SE-M")
    assert [r[head.index(column)] for r in body] == [None]


def test_plan_xlsx_without_focus_has_no_focus_column(plan: Plan) -> None:
    """A plan whose scenario names no focus gets the workbook it always did."""
    bare = dataclasses.replace(
        plan,
        sessions=[
            dataclasses.replace(
                s, presentations=tuple(dataclasses.replace(p, focus=None) for p in s.presentations)
            )
            for s in plan.sessions
        ],
    )
    wb = load_workbook(io.BytesIO(plan_xlsx(bare, dtstamp=STAMP)))
    for ws in wb.worksheets:
        assert WORDS[plan.language]["column"] not in next(ws.iter_rows(max_row=1, values_only=True))


def test_the_session_page_shows_the_focus(tmp_path: Path, plan: Plan) -> None:
    source = tmp_path / "tiny.yaml"
    source.write_text(
        yaml.safe_dump(
            focus_scenario(plan.language).model_dump(mode="json", exclude_none=True), allow_unicode=True
        ),
        encoding="utf-8",
    )
    ws = Workspace.open(tmp_path / "ws", source)
    ws.set_current(ws.save_plan(plan, origin="solve").id)
    c = client(ws)
    sign_in(c)
    page = c.get(f"/session/{HALSA}").text
    assert f'— <span class="focus">{FOCUS}</span>' in page
