"""The report's results section: counted from plain data (``arshjul.followup_results``),
rendered by the report only when follow-up data is given — in the workspace's download
(HTML and PDF path) once anything is followed up, and with ``arshjul report --followup``
from a workspace folder or its database.  Without follow-up data the report is unchanged;
with it, the section is the only difference."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

import arshjul
from arshjul.cli import main
from arshjul.commands import inspect
from arshjul.exporters.labels import day_text
from arshjul.exporters.report import report_html, report_markdown, write_report
from arshjul.followup_results import Tally, tally
from arshjul.i18n import catalogue
from arshjul.store import db as store_db
from arshjul.web import followup
from arshjul.web import library as lib
from regions_support import World, client, world
from web_support import bundled_plan_json, sign_in

SECTION = re.compile(r'<section id="results".*?(?=<section id="wheel")', re.S)


def _plan() -> arshjul.Plan:
    return arshjul.Plan.from_json(bundled_plan_json())


def _dialogs(plan: arshjul.Plan) -> list[arshjul.Session]:
    return sorted((s for s in plan.sessions if s.kind == "dialog"), key=lambda s: (s.start, s.id))


def test_tally_counts_what_was_held_followed_up_and_acted_on() -> None:
    plan = _plan()
    dialogs = _dialogs(plan)
    first, second, later = dialogs[0], dialogs[1], dialogs[-1]
    today = second.date + dt.timedelta(days=1)
    held = [s for s in dialogs if s.date < today]
    actions = [(first.id, True), (first.id, False), (second.id, False), (later.id, True)]
    r = tally(plan, {first.id, later.id}, actions, today)
    assert r.total == Tally(held=len(held), followed_up=1, actions_open=2, actions_done=1)
    # per theme and per presenting region: each held dialog counted once in each
    assert sum(t.held for t in r.themes.values()) == len(held)
    assert r.themes[first.theme or ""].followed_up >= 1
    for code in first.presenting_regions:
        assert r.regions[code].actions_done >= 1
    assert set(r.regions) == {c for s in held for c in s.presenting_regions}
    # the later dialog's outcome and action do not count before it is held
    assert later.id not in {s.id for s in held}
    everything = tally(plan, {first.id, later.id}, actions, plan.period_end + dt.timedelta(days=1))
    assert everything.total == Tally(len(dialogs), 2, 2, 2)


def test_without_follow_up_the_report_is_unchanged_and_with_it_only_the_section_is_new() -> None:
    plan = dataclasses.replace(_plan(), language="en")
    dialogs = _dialogs(plan)
    results = tally(plan, {dialogs[0].id}, [(dialogs[0].id, False)], plan.period_end)
    plain, with_results = report_html(plan), report_html(plan, results=results)
    assert report_html(plan, results=None) == plain
    found = SECTION.search(with_results)
    assert found and 'id="results"' not in plain
    assert with_results.replace(found.group(0), "") == plain  # nothing else moved
    section = found.group(0)
    t = results.total
    day = day_text(catalogue("en"), plan.period_end)
    assert f"Dialogs held before {day}: {t.held}, of them followed up (an outcome recorded): 1." in section
    assert "1 open, 0 done" in section
    assert "By presenting region" in section and "By theme" in section
    assert plan.regions[dialogs[0].presenting_regions[0]] in section
    md = report_markdown(plan, results=results)
    assert "## Results of the dialogs" in md and "### By theme" in md
    assert report_markdown(plan) == report_markdown(plan, results=None)


def test_the_section_in_swedish_and_with_nothing_held_yet() -> None:
    plan = dataclasses.replace(_plan(), language="sv")
    results = tally(plan, set(), [], plan.period_start)
    html = report_html(plan, results=results)
    assert "Dialogernas resultat" in html and "Ingen dialog hölls före" in html
    assert "Per presenterande region" not in html  # no tables when nothing was held
    held = tally(plan, set(), [], plan.period_end + dt.timedelta(days=1))
    html = report_html(plan, results=held)
    assert "Per presenterande region" in html and "Öppna åtgärder" in html


def _followed_up(w: World) -> tuple[arshjul.Session, arshjul.Session]:
    plan = w.ws.plan(w.pid)
    first, second = _dialogs(plan)[:2]
    w.store.record_outcome(first.id, "a joint test bed", who="planner")
    done = w.store.add_action(first.id, "write the call", owner="Vinnova", due=None, who="planner")
    w.store.set_action_done(done, True, who="planner")
    w.store.add_action(second.id, "send the data", owner="SE-AB", due=None, who="planner")
    return first, second


def test_the_workspace_download_carries_it_once_anything_is_followed_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = world(tmp_path)
    end = w.ws.plan(w.pid).period_end + dt.timedelta(days=1)
    monkeypatch.setattr(followup, "today", lambda: end)
    c = client(w)
    sign_in(c)
    plan = w.ws.plan(w.pid)
    before = c.get("/out/report.html")
    assert before.status_code == 200 and 'id="results"' not in before.text
    write_report(plan, tmp_path / "plain")
    assert before.content == (tmp_path / "plain" / "report.html").read_bytes()
    _followed_up(w)
    after = c.get("/out/report.html").text
    section = SECTION.search(after)
    expected = followup.results(plan, w.store, end)
    assert section and expected.total.held == len(_dialogs(plan))
    words = f"{expected.total.actions_open} open, {expected.total.actions_done} done"  # the plan's English
    assert "Results of the dialogs" in section.group(0) and words in section.group(0)


def test_report_followup_from_a_workspace_folder_or_its_database(tmp_path: Path) -> None:
    w = world(tmp_path)
    _, second = _followed_up(w)
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(bundled_plan_json(), encoding="utf-8")
    day = (second.date + dt.timedelta(days=1)).isoformat()
    for where in (w.ws.root, w.ws.root / "arshjul.db"):
        out = tmp_path / f"out-{where.name}"
        r = CliRunner().invoke(
            main, ["report", str(plan_file), "-o", str(out), "--today", day, "--followup", str(where)]
        )
        assert r.exit_code == 0, r.output
        html = (out / "report.html").read_text(encoding="utf-8")
        assert "Results of the dialogs" in html and "1 open, 1 done" in html  # the plan's language
        assert "## Results of the dialogs" in (out / "report.md").read_text(encoding="utf-8")
    # the CLI reads the same numbers the web counts
    plan = w.ws.plan(w.pid)
    on = dt.date.fromisoformat(day)
    assert inspect._followup_results(plan, str(w.ws.root), on) == followup.results(plan, w.store, on)
    assert inspect.WORKSPACE_DB == store_db.DB_FILE
    # without --followup: the report as before
    r = CliRunner().invoke(main, ["report", str(plan_file), "-o", str(tmp_path / "none"), "--today", day])
    assert r.exit_code == 0
    write_report(arshjul.Plan.from_json(bundled_plan_json()), tmp_path / "direct", today=on)
    assert (tmp_path / "none" / "report.html").read_bytes() == (
        tmp_path / "direct" / "report.html"
    ).read_bytes()


@pytest.mark.parametrize("where", ["missing", "empty_folder", "not_a_db", "other_db"])
def test_report_followup_refuses_a_bad_path_in_one_line(tmp_path: Path, where: str) -> None:
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(bundled_plan_json(), encoding="utf-8")
    target = tmp_path / where
    if where == "empty_folder":
        target.mkdir()
    elif where == "not_a_db":
        target.write_text("hello, not a database\n" * 50, encoding="utf-8")
    elif where == "other_db":
        con = sqlite3.connect(target)
        con.execute("CREATE TABLE t (x)")
        con.commit()
        con.close()
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["report", str(plan_file), "-o", str(out), "--followup", str(target)])
    assert r.exit_code == 2, r.output
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in r.output
    assert "arshjul database" in lines[0] and str(target.name) in lines[0]
    assert not out.exists()  # nothing written
    assert where != "missing" or not target.exists()  # and no database made


def test_the_pdf_download_gets_the_same_results(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    w = world(tmp_path)
    end = w.ws.plan(w.pid).period_end + dt.timedelta(days=1)
    monkeypatch.setattr(followup, "today", lambda: end)
    _followed_up(w)
    given: list[object] = []

    def export(plan: arshjul.Plan, folder: Path, *, pdf: bool, results: object = None) -> list[Path]:
        given.append((pdf, results))
        (folder / "report.pdf").write_bytes(b"%PDF-1.4 stand-in")
        return [folder / "report.pdf"]

    monkeypatch.setattr(lib, "export_report", export)
    c = client(w)
    sign_in(c)
    assert c.get("/out/report.pdf").content == b"%PDF-1.4 stand-in"
    assert given == [(True, followup.results(w.ws.plan(w.pid), w.store, end))]
