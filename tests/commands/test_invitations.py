"""``plan --invitations``: the folder holds only what changed since the plan sent before.

A planner imports the meetings that are new, moved or otherwise changed (METHOD:REQUEST, with
SEQUENCE raised on what was sent before) and the cancelled ones (METHOD:CANCEL) — not the
whole year again.  The first sending (no ``--previous``) sends every session.  The files are
read back with the icalendar library, independently of the writer.

The second plan is the first one again (same scenario, same seed), and the "sent" plan is
made from it by hand, so exactly which sessions changed is known: one moved, one new (absent
from the sent plan), one changed in its title only, one cancelled (only in the sent plan).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from icalendar import Calendar

from arshjul.cli import main
from arshjul.exporters.ics import session_uid, what_to_send
from arshjul.fileio import CURRENT, OWN
from arshjul.plan import Plan
from arshjul.web import library as web_library
from commands.test_cli_faults import leftovers, visible, write, year


def plan(*args: str) -> Result:
    return CliRunner().invoke(main, ["plan", *args, "--time-limit", "10", "--no-report"])


def read(path: Path) -> Plan:
    return Plan.from_json(path.read_text(encoding="utf-8"))


def events(path: Path) -> tuple[str, dict[str, Any]]:
    """(METHOD, UID → VEVENT) of one calendar file, parsed by icalendar."""
    cal = Calendar.from_ical(path.read_bytes())
    return str(cal["method"]), {str(e["uid"]): e for e in cal.walk("VEVENT")}


def invitation_files(out: Path) -> list[str]:
    folder = out / "invitations"
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*.ics")) if folder.exists() else []


def bigger_year() -> dict[str, Any]:
    """Five regions, four themes, two hybrids: six sessions, of which four change."""
    data = year(regions=5)
    data["hosts"][0]["themes"] += [
        {"id": "energi", "name": "Energi"},
        {"id": "mat", "name": "Mat & vatten", "interested": ["SE-M"]},
    ]
    data["hybrids"].append({"id": "ai", "host": "vinnova", "topic": "AI i regionerna"})
    return data


@pytest.fixture(scope="module")
def sent_and_planned(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The first sending planned into out/, and a hand-made "sent" plan differing from it."""
    root = tmp_path_factory.mktemp("invitations")
    sc = write(root / "in", bigger_year())
    out = root / "out"
    first = plan(str(sc), "-o", str(out), "--invitations")
    assert first.exit_code == 0, first.output
    planned = read(out / "plan.json")
    assert len(planned.sessions) == 6
    by_id = {s.id: s for s in planned.sessions}
    moved, new, changed = "vinnova.hybrid.ekosystem", "vinnova.dialog.energi.1", "vinnova.dialog.halsa.1"
    gone_from = "vinnova.hybrid.ai"
    m = by_id[moved]
    day = dt.timedelta(days=1 if m.date < planned.period_end else -1)
    # sent before: the hybrid a day off (so it moves now, and had been updated twice), the
    # health dialog under an older title, no energy dialog, and a session since dropped
    was_moved = dataclasses.replace(m, date=m.date + day, start=m.start + day, end=m.end + day, sequence=2)
    was_changed = dataclasses.replace(by_id[changed], title="Precisionshälsa (preliminär)")
    cancelled = dataclasses.replace(by_id[gone_from], id="vinnova.hybrid.installd", sequence=4)
    sessions = [
        was_moved if s.id == moved else was_changed if s.id == changed else s
        for s in planned.sessions
        if s.id != new
    ] + [cancelled]
    sent = dataclasses.replace(planned, sessions=sessions)
    sent_file = root / "sent.json"
    sent_file.write_text(sent.to_json(), encoding="utf-8")
    return {
        "root": root,
        "scenario": sc,
        "out": out,
        "first": first,
        "planned": planned,
        "sent": sent,
        "sent_file": sent_file,
        "moved": moved,
        "new": new,
        "changed": changed,
        "cancelled": cancelled.id,
    }


def test_the_first_sending_sends_every_session(sent_and_planned: dict[str, Any]) -> None:
    out, planned = sent_and_planned["out"], sent_and_planned["planned"]
    assert "invitations/: 0 moved, 0 changed, 6 new, 0 cancelled" in sent_and_planned["first"].output
    method, got = events(out / "invitations" / "calendar.ics")
    assert method == "REQUEST"
    assert set(got) == {session_uid(planned, s) for s in planned.sessions}
    assert {int(e["sequence"]) for e in got.values()} == {0}
    assert "cancel.ics" not in invitation_files(out)


def test_with_previous_only_the_changed_sessions_are_sent(sent_and_planned: dict[str, Any]) -> None:
    t = sent_and_planned
    out = t["out"]  # the folder of the first sending: its full invitations must go
    result = plan(
        str(t["scenario"]),
        "-o",
        str(out),
        "--invitations",
        "--previous",
        str(t["sent_file"]),
        "--allow-moves",
    )
    assert result.exit_code == 0, result.output
    assert "invitations/: 1 moved, 1 changed, 1 new, 1 cancelled" in result.output
    now = read(out / "plan.json")
    assert [s.id for s in now.sessions] == [s.id for s in t["planned"].sessions]  # the same plan
    uid = {
        sid: f"{sid}@{now.scenario_id}.arshjul"
        for sid in (t["moved"], t["new"], t["changed"], t["cancelled"])
    }

    # the full calendar still has the whole year
    _, full = events(out / "calendar.ics")
    assert len(full) == 6

    method, sent = events(out / "invitations" / "calendar.ics")
    assert method == "REQUEST"
    assert set(sent) == {uid[t["moved"]], uid[t["new"]], uid[t["changed"]]}
    assert int(sent[uid[t["moved"]]]["sequence"]) == 3  # above the 2 sent before
    assert int(sent[uid[t["changed"]]]["sequence"]) == 1
    assert int(sent[uid[t["new"]]]["sequence"]) == 0
    assert sent[uid[t["moved"]]].decoded("dtstart") == now.session(t["moved"]).start
    assert now.session(t["changed"]).title in str(sent[uid[t["changed"]]]["summary"])

    method, cancel = events(out / "invitations" / "cancel.ics")
    assert method == "CANCEL" and set(cancel) == {uid[t["cancelled"]]}
    assert int(cancel[uid[t["cancelled"]]]["sequence"]) == 5
    assert str(cancel[uid[t["cancelled"]]]["status"]) == "CANCELLED"

    # each region's file: only its own changed sessions; a region with none gets no file
    names = invitation_files(out)
    for code in now.regions:
        mine = {uid[sid] for sid in (t["moved"], t["new"], t["changed"]) if code in now.session(sid).invited}
        path = out / "invitations" / "regions" / f"{code}.ics"
        if not mine:
            assert f"regions/{code}.ics" not in names
            continue
        method, got = events(path)
        assert method == "REQUEST" and set(got) == mine, code
        cancelled_for = [c for c in t["sent"].session(t["cancelled"]).invited if c == code]
        assert (f"regions/{code}-cancel.ics" in names) == bool(cancelled_for), code
    assert leftovers(out) == []
    assert {p.split("/")[0] for p in visible(out)} == {p.name for p in (out / CURRENT).iterdir()}


def test_the_web_download_is_the_same_implementation(
    sent_and_planned: dict[str, Any], tmp_path: Path
) -> None:
    """invitations.zip and the command line's folder: the same files, byte for byte."""
    t = sent_and_planned
    out = t["root"] / "web-check"
    assert (
        plan(
            str(t["scenario"]),
            "-o",
            str(out),
            "--invitations",
            "--previous",
            str(t["sent_file"]),
            "--allow-moves",
        ).exit_code
        == 0
    )
    cli = {
        str(p.relative_to(out / "invitations")): p.read_bytes() for p in (out / "invitations").rglob("*.ics")
    }
    written = web_library.export_invitations(read(out / "plan.json"), t["sent"], tmp_path)
    web = {str(p.relative_to(tmp_path)): p.read_bytes() for p in written}
    assert web == cli and len(web) >= 3
    sending = what_to_send(read(out / "plan.json"), t["sent"])
    assert (sending.moved, sending.new, sending.changed, sending.cancelled) == (
        (t["moved"],),
        (t["new"],),
        (t["changed"],),
        (t["cancelled"],),
    )


def test_nothing_changed_writes_no_invitation(sent_and_planned: dict[str, Any]) -> None:
    t = sent_and_planned
    out = t["root"] / "unchanged"
    assert plan(str(t["scenario"]), "-o", str(out), "--invitations").exit_code == 0
    assert invitation_files(out)  # the first sending
    sent = t["root"] / "sent-unchanged.json"
    shutil.copy(out / "plan.json", sent)
    result = plan(
        str(t["scenario"]), "-o", str(out), "--invitations", "--previous", str(sent), "--allow-moves"
    )
    assert result.exit_code == 0, result.output
    assert f"invitations/: nothing changed since {sent}; no invitation was written" in result.output
    assert invitation_files(out) == []
    assert not (out / "invitations").is_symlink() and not (out / CURRENT / "invitations").exists()
    assert "invitations" not in {p.split("/")[0] for p in visible(out)}
    assert (out / "calendar.ics").is_file() and leftovers(out) == []
    assert sorted(p.name for p in (out / OWN).iterdir()) == ["lock", "v-2"]


def test_swedish_summary(sent_and_planned: dict[str, Any], tmp_path: Path) -> None:
    t = sent_and_planned
    result = CliRunner().invoke(
        main,
        [
            "--lang",
            "sv",
            "plan",
            str(t["scenario"]),
            "-o",
            str(tmp_path / "sv"),
            "--invitations",
            "--time-limit",
            "10",
            "--no-report",
            "--quiet",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "invitations/: 0 flyttade, 0 ändrade, 6 nya, 0 inställda" in result.output
