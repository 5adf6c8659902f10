"""A region's availability from the files it already keeps: a calendar export (.ics), a CSV
list, a workbook list; read into spans with their source, solved around, shown by
``arshjul calendar --region``, and refused in one line when broken."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from openpyxl import Workbook

import arshjul
from arshjul.errors import ScenarioError
from arshjul.instance import build_instance
from arshjul.scenario import MAX_FILE_BYTES, load
from conftest import base, merge, solve_checked

ICS = """\
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Region Dalarna//Outlook//SV
BEGIN:VTIMEZONE
TZID:W. Europe Standard Time
BEGIN:STANDARD
DTSTART:16011028T030000
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010325T020000
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
END:DAYLIGHT
END:VTIMEZONE
BEGIN:VEVENT
UID:weekly-ledningsgrupp
SUMMARY:Ledningsgrupp
DTSTART;TZID=Europe/Stockholm:20270907T090000
DTEND;TZID=Europe/Stockholm:20270907T100000
RRULE:FREQ=WEEKLY;BYDAY=TU
EXDATE;TZID=Europe/Stockholm:20270914T090000
END:VEVENT
BEGIN:VEVENT
UID:fullmaktige
SUMMARY:Regionfullmäktige i Falun – hela dagen
DTSTART;VALUE=DATE:20270909
DTEND;VALUE=DATE:20270910
END:VEVENT
BEGIN:VEVENT
UID:lunch
SUMMARY:Lunch med kollegor
TRANSP:TRANSPARENT
DTSTART;TZID=Europe/Stockholm:20270910T120000
DTEND;TZID=Europe/Stockholm:20270910T130000
END:VEVENT
BEGIN:VEVENT
UID:natt
SUMMARY:Driftfönster över midnatt
DTSTART;TZID=Europe/Stockholm:20270915T233000
DTEND;TZID=Europe/Stockholm:20270916T003000
END:VEVENT
BEGIN:VEVENT
UID:utc
SUMMARY:Sen resa
DTSTART:20270922T223000Z
DTEND:20270922T230000Z
END:VEVENT
BEGIN:VEVENT
UID:semester
SUMMARY:Semester
TRANSP:TRANSPARENT
DTSTART;VALUE=DATE:20270924
END:VEVENT
BEGIN:VEVENT
UID:cancelled
SUMMARY:Inställt möte
STATUS:CANCELLED
DTSTART;TZID=Europe/Stockholm:20270929T090000
DTEND;TZID=Europe/Stockholm:20270929T100000
END:VEVENT
END:VCALENDAR
"""
"""In the tiny period (2027-09-06..2027-10-01): Tuesdays 7, 21, 28 (14 is an EXDATE), the
all-day 9th, the 15th and 16th (23:30–00:30), the 23rd (22:30 UTC is 00:30 in Stockholm),
the 24th (a free all-day "Semester" still counts); not the free lunch on the 10th, nor the
cancelled meeting on the 29th."""

ICS_DAYS = [7, 9, 15, 16, 21, 23, 24, 28]

CSV = """\
Datum;Anteckning
# Region Skåne, ledningens kalender
2027-09-06;Ledningsdag
2027-09-13..2027-09-14;Konferens i Malmö

W39;Vecka utan möten
"""
"""Away: the 6th, the 13th–14th, and week 39 of every year (27 Sep – 1 Oct in the period)."""

CSV_DAYS = [1, 6, 13, 14, 27, 28, 29, 30]


def _xlsx(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["Datum", "Anteckning"])
    ws.append([dt.datetime(2027, 9, 8), "Presentatören på kurs"])
    ws.append(["2027-09-20..2027-09-21", "Ingen redo"])
    ws.append(["2027-W38", None])
    wb.save(path)


XLSX_DAYS = [8, 20, 21, 22, 23, 24, 25, 26]


def _write(folder: Path, **changes: Any) -> Path:
    (folder / "dalarna-busy.ics").write_text(ICS, encoding="utf-8")
    (folder / "skane.csv").write_text(CSV, encoding="utf-8")
    _xlsx(folder / "gotland.xlsx")
    data = merge(base(), **changes)
    data["regions"] = [
        {"code": "SE-E", "name": "Region Östergötland", "away_from": ["dalarna-busy.ics"]},
        {"code": "SE-M", "name": "Region Skåne", "away_from": ["skane.csv"]},
        {"code": "SE-I", "name": "Region Gotland", "cannot_present_from": ["gotland.xlsx"]},
    ]
    path = folder / "year.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _days(days: dict[int, str]) -> list[int]:
    return sorted((dt.date(2027, 9, 6) + dt.timedelta(days=d)).day for d in days)


def test_each_file_resolves_to_its_days(tmp_path: Path) -> None:
    inst = build_instance(load(_write(tmp_path)))
    assert _days(inst.regions["SE-E"].away) == ICS_DAYS
    assert inst.regions["SE-E"].cannot_present == {}
    assert _days(inst.regions["SE-M"].away) == sorted(CSV_DAYS)
    assert _days(inst.regions["SE-I"].cannot_present) == XLSX_DAYS
    assert inst.regions["SE-I"].away == {}


def test_each_day_keeps_its_source(tmp_path: Path) -> None:
    inst = build_instance(load(_write(tmp_path)))
    day = inst.day(dt.date(2027, 9, 9))
    assert (
        inst.regions["SE-E"].away[day]
        == 'away dalarna-busy.ics: "Regionfullmäktige i Falun – hela dagen" (2027-09-09)'
    )
    assert (
        inst.regions["SE-M"]
        .away[inst.day(dt.date(2027, 9, 13))]
        .startswith('away skane.csv: "Konferens i Malmö"')
    )
    assert (
        inst.regions["SE-I"]
        .cannot_present[inst.day(dt.date(2027, 9, 22))]
        .startswith("cannot present gotland.xlsx")
    )


def test_file_days_merge_with_the_regions_own_lists(tmp_path: Path) -> None:
    path = _write(tmp_path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["regions"][0]["away"] = ["2027-09-10"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert _days(build_instance(load(path)).regions["SE-E"].away) == sorted([*ICS_DAYS, 10])


def test_a_plan_keeps_the_regions_out_on_those_days(tmp_path: Path) -> None:
    theme = {
        "id": "t",
        "name": "Tema",
        "dialogs": 2,
        "max_presenters": 3,
        "interested": ["SE-E", "SE-M", "SE-I"],
    }
    hybrids = [{"id": f"h{k}", "host": "vinnova", "topic": f"Hybrid {k}"} for k in range(1, 4)]
    sc = load(
        _write(
            tmp_path,
            **{"hosts": [{"id": "vinnova", "name": "Vinnova", "themes": [theme]}], "hybrids": hybrids},
        )
    )
    plan = solve_checked(sc)  # the independent checker passes
    assert plan.found
    inst = build_instance(sc)
    for s in plan.sessions:
        day = inst.day(s.date)
        presenters = {code for p in s.presentations for code in p.regions}
        for code, spec in inst.regions.items():
            if day in spec.away:
                assert code not in s.invited and code not in presenters, (code, s.id, s.date)
            if day in spec.cannot_present:
                assert code not in presenters, (code, s.id, s.date)


def test_a_variant_keeps_what_the_files_gave(tmp_path: Path) -> None:
    sc = load(_write(tmp_path))
    tight = arshjul.variant(sc, {"limits.window_max": 3})
    assert _days(build_instance(tight).regions["SE-E"].away) == ICS_DAYS


def test_a_variant_of_a_file_reads_its_files(tmp_path: Path) -> None:
    """``variant(path)`` reads the availability files beside the file, as ``load`` does
    (it validated the data alone, and the files' days were silently gone)."""
    tight = arshjul.variant(_write(tmp_path), {"limits.window_max": 3})
    assert _days(build_instance(tight).regions["SE-E"].away) == ICS_DAYS
    assert _days(build_instance(tight).regions["SE-I"].cannot_present) == XLSX_DAYS


def test_every_sweep_variant_keeps_what_the_files_gave(tmp_path: Path) -> None:
    """A sweep's variants are validated again in workers, from plain data: the days the base's
    files gave travel with the task (read once, where the files are)."""
    from arshjul import sweep as sw
    from arshjul.scenario import from_data

    sc = load(_write(tmp_path))
    (variant,) = sw.grid([sw.parse_vary("limits.window_max=3")])
    captured: list[Any] = []
    real = sw.build_instance

    def spy(scenario: Any) -> Any:
        inst = real(scenario)
        captured.append(inst)
        return inst

    sw.build_instance = spy  # type: ignore[assignment]
    try:
        row = sw.run_task(sw.Task(0, variant, sw.data_of(sc), sw.SolveOptions(time_limit=5), read_from=sc))
    finally:
        sw.build_instance = real  # type: ignore[assignment]
    assert row["status"] != sw.BAD_INPUT, row
    assert _days(captured[0].regions["SE-E"].away) == ICS_DAYS
    assert _days(captured[0].regions["SE-I"].cannot_present) == XLSX_DAYS
    assert _days(build_instance(from_data(sw.data_of(sc))).regions["SE-E"].away) == []  # data alone has none
    # plain data that names files cannot be swept: nothing says where the files are
    with pytest.raises(ScenarioError, match=r"regions\[SE-E\]\.away_from.*load_scenario"):
        sw.sweep(sw.data_of(sc), [variant], tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_the_workbook_carries_the_file_references(tmp_path: Path) -> None:
    path = _write(tmp_path)
    book = tmp_path / "year.xlsx"
    out = tmp_path / "back.yaml"
    for args in (
        ["workbook", "new", str(book), "--from", str(path)],
        ["workbook", "export", str(book), "-o", str(out)],
    ):
        done = _cli(*args)
        assert done.returncode == 0, done.stderr
    back = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert [r.get("away_from") for r in back["regions"]] == [["dalarna-busy.ics"], ["skane.csv"], None]
    assert back["regions"][2]["cannot_present_from"] == ["gotland.xlsx"]
    # the workbook itself reads the files beside it
    assert _days(build_instance(load(book)).regions["SE-E"].away) == ICS_DAYS


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "arshjul.cli", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={"PYTHONIOENCODING": "utf-8", "LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"},
        timeout=120,
        check=False,
    )


def test_calendar_shows_each_day_with_its_source(tmp_path: Path) -> None:
    done = _cli("calendar", str(_write(tmp_path)), "--region", "SE-E")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == len(ICS_DAYS)
    assert (
        'Thu 2027-09-09  away dalarna-busy.ics: "Regionfullmäktige i Falun – hela dagen" (2027-09-09)'
        in lines
    )
    assert any("Tue 2027-09-07" in line and '"Ledningsgrupp"' in line for line in lines)
    assert not any("2027-09-14" in line or "2027-09-10" in line for line in lines)
    skane = _cli("calendar", str(tmp_path / "year.yaml"), "--region", "SE-M").stdout
    assert 'skane.csv: "Konferens i Malmö"' in skane
    # the whole-period listing names the file too
    whole = _cli("calendar", str(tmp_path / "year.yaml")).stdout
    assert 'dalarna-busy.ics: "Regionfullmäktige i Falun – hela dagen": Region Östergötland' in whole


def test_calendar_of_an_unknown_region_is_one_line(tmp_path: Path) -> None:
    done = _cli("calendar", str(_write(tmp_path)), "--region", "SE-Q")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "--region" in done.stderr and "SE-Q" in done.stderr


def _bad(tmp_path: Path, ref: str) -> str:
    path = _write(tmp_path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["regions"][0]["away_from"] = [ref]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    done = _cli("validate", str(path))
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert done.stderr.count("\n") == 1, done.stderr
    assert "Traceback" not in done.stderr
    return done.stderr


def test_not_an_ics_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "notes.ics").write_text("Möten i höst:\nTisdagar 9-10\n", encoding="utf-8")
    err = _bad(tmp_path, "notes.ics")
    assert "year.yaml: regions[SE-E].away_from[0]: notes.ics: line 1: not an iCalendar file" in err


def test_a_broken_ics_line_is_named(tmp_path: Path) -> None:
    broken = ICS.replace("SUMMARY:Sen resa\n", "SUMMARY:Sen resa\nthis is not a content line\n")
    (tmp_path / "broken.ics").write_text(broken, encoding="utf-8")
    line = broken.splitlines().index("this is not a content line") + 1
    err = _bad(tmp_path, "broken.ics")
    assert f"broken.ics: line {line}: not an iCalendar content line" in err


def test_a_missing_file_is_one_line(tmp_path: Path) -> None:
    err = _bad(tmp_path, "borta.csv")
    assert "regions[SE-E].away_from[0]: borta.csv: no such file" in err


def test_a_path_with_nul_is_one_line(tmp_path: Path) -> None:
    err = _bad(tmp_path, "dalarna\x00../../etc/passwd.ics")
    assert "regions[SE-E].away_from[0]" in err and "NUL" in err


def test_a_huge_file_is_one_line(tmp_path: Path) -> None:
    with (tmp_path / "huge.csv").open("wb") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)
    err = _bad(tmp_path, "huge.csv")
    assert "huge.csv: is " in err and "limited to 5 MB" in err


def test_a_bad_date_in_a_list_names_its_line(tmp_path: Path) -> None:
    (tmp_path / "list.csv").write_text("2027-09-06\n2027-13-01;oops\n", encoding="utf-8")
    err = _bad(tmp_path, "list.csv")
    assert "list.csv: line 2: '2027-13-01' is not a date" in err


def test_a_folder_and_another_kind_of_file_are_refused(tmp_path: Path) -> None:
    (tmp_path / "dir.ics").mkdir()
    assert "dir.ics: is a folder, not a file" in _bad(tmp_path, "dir.ics")
    assert "give a calendar export (.ics) or a list of dates (.csv or .xlsx)" in _bad(tmp_path, "plan.pdf")


def test_a_runaway_recurrence_stays_inside_the_period(tmp_path: Path) -> None:
    minutely = ICS.replace("RRULE:FREQ=WEEKLY;BYDAY=TU\n", "RRULE:FREQ=HOURLY\n")
    (tmp_path / "dalarna-busy.ics").write_text(minutely, encoding="utf-8")
    path = tmp_path / "year.yaml"
    data = merge(base())
    data["regions"][0]["away_from"] = ["dalarna-busy.ics"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    away = build_instance(load(path)).regions["SE-E"].away
    assert _days(away) == [1, *range(7, 31)]  # every day from the 7th to the period's end


def test_scenario_error_from_the_api(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match=r"borta\.ics: no such file"):
        path = _write(tmp_path)
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["regions"][1]["away_from"] = ["borta.ics"]
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        arshjul.load_scenario(path)


def test_a_rule_every_minute_is_refused_by_its_line(tmp_path: Path) -> None:
    minutely = ICS.replace("RRULE:FREQ=WEEKLY;BYDAY=TU\n", "RRULE:FREQ=MINUTELY\n")
    (tmp_path / "minutely.ics").write_text(minutely, encoding="utf-8")
    line = minutely.splitlines().index("RRULE:FREQ=MINUTELY") + 1
    assert f"minutely.ics: line {line}: an event repeats every minute" in _bad(tmp_path, "minutely.ics")
