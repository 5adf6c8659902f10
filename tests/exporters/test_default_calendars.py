"""The bundled Sweden 2027 year, solved, written and read back by independent programs:
every file Outlook would import passes our Outlook rules, vobject, khal, calcurse and
libical, and every event lies on a Swedish working day inside its meeting slot."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import holidays
import pytest
import vobject
from test_ics_programs import (
    PUBLISH_ORGANIZER,
    Khal,
    _calcurse,
    _libical,
    expected,
    needs_calcurse,
    needs_khal,
)

from arshjul.exporters.ics import outlook_problems, write_calendars, write_invitations
from arshjul.plan import Plan

STOCKHOLM = ZoneInfo("Europe/Stockholm")
STAMP = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
SLOTS = [(dt.time(9), dt.time(12)), (dt.time(13), dt.time(16))]


@pytest.fixture(scope="module")
def written(default_plan: Plan, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    root = tmp_path_factory.mktemp("default")
    return {
        "publish": write_calendars(default_plan, root / "pub", dtstamp=STAMP, include_closures=True),
        "request": write_invitations(default_plan, None, root / "inv", dtstamp=STAMP),
    }


def test_the_default_year_is_solved_to_optimality(default_plan: Plan) -> None:
    assert default_plan.status == "OPTIMAL"
    assert len(default_plan.sessions) == 26


def test_every_file_keeps_the_outlook_rules_and_the_raw_format(written: dict[str, list[Path]]) -> None:
    files = written["publish"] + written["request"]
    assert len(files) > 30
    for path in files:
        raw = path.read_bytes()
        assert outlook_problems(raw) == [], path
        raw.decode("utf-8")
        assert b"\n" not in raw.replace(b"\r\n", b""), path
        assert max(len(line) for line in raw.split(b"\r\n")) <= 75, path


def test_every_event_is_on_a_swedish_working_day_inside_a_slot(
    default_plan: Plan, written: dict[str, list[Path]]
) -> None:
    closed = holidays.country_holidays("SE", years=2027, categories=("public", "de_facto"))
    blackouts = [(c.start, c.end) for c in default_plan.closures if c.kind == "blackout"]
    planned = {s.id: (s.start, s.end) for s in default_plan.sessions}
    seen = 0
    for path in written["publish"]:
        with path.open(encoding="utf-8", newline="") as fh:
            cal = vobject.readOne(fh.read())
        for ev in cal.vevent_list:
            start, end = ev.dtstart.value, ev.dtend.value
            if not isinstance(start, dt.datetime):
                continue  # an all-day closure marker
            start, end = start.astimezone(STOCKHOLM), end.astimezone(STOCKHOLM)
            day = start.date()
            assert day.weekday() < 5, (path, ev.uid.value)
            assert day not in closed, (path, ev.uid.value, closed.get(day))
            assert not any(a <= day <= b for a, b in blackouts), (path, ev.uid.value)
            assert any(a <= start.time() and end.time() <= b for a, b in SLOTS), (path, ev.uid.value)
            sid = ev.uid.value.split("@")[0]
            assert (start, end) == planned[sid], (path, sid)
            seen += 1
    assert seen > 26


@needs_khal
def test_khal_imports_every_default_file_with_the_planned_times(
    written: dict[str, list[Path]], tmp_path: Path
) -> None:
    paths = written["publish"]
    names = {p: re.sub(r"[^A-Za-z0-9-]", "-", f"{p.parent.name}-{p.stem}") for p in paths}
    khal = Khal(tmp_path / "khal", list(names.values()))
    for path, name in names.items():
        khal.import_file(name, path)
    for path, name in names.items():
        listed = [(uid, start, end) for _, uid, start, end, _ in khal.listing(name)]
        assert sorted(listed) == sorted(expected(path)), path


@needs_calcurse
def test_calcurse_imports_every_default_file_with_nothing_skipped(
    written: dict[str, list[Path]], tmp_path: Path
) -> None:
    for k, path in enumerate(written["publish"]):
        root = tmp_path / f"cc{k}"
        (root / "data").mkdir(parents=True)
        (root / "conf").mkdir()
        timed = [w for w in expected(path) if " " in w[1]]
        done = _calcurse(root, "-i", str(path))
        report = done.stdout + done.stderr
        assert done.returncode == 0, (path, report)
        assert f"{len(timed)} app{'s' if len(timed) != 1 else ''} / " in report, (path, report)
        assert "/ 0 skipped" in report, (path, report)
        listing = _calcurse(
            root,
            "--input-datefmt",
            "4",
            "-Q",
            "--from",
            "2027-01-01",
            "--days",
            "365",
            "--format-apt",
            "APT|%(start:%Y-%m-%d %H:%M)|%(end:%Y-%m-%d %H:%M)\\n",
        )
        apts = {tuple(line.split("|")[1:]) for line in listing.stdout.splitlines() if line.startswith("APT|")}
        assert apts == {(s, e) for _, s, e in timed}, path


def test_libical_finds_nothing_but_the_documented_publish_note(written: dict[str, list[Path]]) -> None:
    publish, request = written["publish"], written["request"]
    report = _libical(publish + request)
    for path in publish + request:
        found = report[str(path)]
        assert found["parse"] == [], path
        allowed = [PUBLISH_ORGANIZER] if path in publish else []
        events = found["events"]
        assert isinstance(events, list)
        for errs in events:
            assert errs == allowed, (path, errs)
