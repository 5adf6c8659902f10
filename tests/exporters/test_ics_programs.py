"""Independent programs read our calendars: khal, calcurse and libical (Debian packages).

Each test skips, with the package to install, only when its program is truly missing:
``apt-get install khal calcurse python3-gi gir1.2-ical-3.0``.  Everything runs in temporary
folders with temporary configuration; nothing touches the user's own calendars.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from test_ics import LATER, STAMP, dst_plan, new_york_plan, second_generation

from arshjul.exporters.ics import session_uid, write_calendars, write_invitations
from plans import sample_plan

STOCKHOLM = ZoneInfo("Europe/Stockholm")
SYSTEM_PYTHON = "/usr/bin/python3"
PUBLISH_ORGANIZER = (
    "Failed iTIP restrictions for ORGANIZER property. Expected 1 instances of the property and got 0"
)
"""The one libical finding a PUBLISH file keeps: it asks for ORGANIZER (see outlook-ics.md)."""

needs_khal = pytest.mark.skipif(
    shutil.which("khal") is None, reason="khal is not installed (apt-get install khal)"
)
needs_calcurse = pytest.mark.skipif(
    shutil.which("calcurse") is None, reason="calcurse is not installed (apt-get install calcurse)"
)


def _libical_missing() -> str | None:
    if not Path(SYSTEM_PYTHON).exists():
        return f"{SYSTEM_PYTHON} is missing (apt-get install python3-gi gir1.2-ical-3.0)"
    probe = subprocess.run(
        [SYSTEM_PYTHON, "-c", "import gi; gi.require_version('ICalGLib', '3.0')"],
        capture_output=True,
        timeout=60,
    )
    if probe.returncode != 0:
        return "libical GI bindings are missing (apt-get install python3-gi gir1.2-ical-3.0)"
    return None


# -- what each file should show --------------------------------------------------------------


def expected(path: Path) -> list[tuple[str, str, str]]:
    """(uid, start, end) per event as Stockholm wall time (all-day: dates, end inclusive)."""
    out = []
    for ev in Calendar.from_ical(path.read_bytes()).walk("VEVENT"):
        start, end = ev.decoded("dtstart"), ev.decoded("dtend")
        if isinstance(start, dt.datetime):
            s = f"{start.astimezone(STOCKHOLM):%Y-%m-%d %H:%M}"
            e = f"{end.astimezone(STOCKHOLM):%Y-%m-%d %H:%M}"
        else:
            s, e = f"{start:%Y-%m-%d}", f"{end - dt.timedelta(days=1):%Y-%m-%d}"
        out.append((str(ev["uid"]), s, e))
    return out


def publish_files(tmp_path: Path) -> list[Path]:
    paths = write_calendars(sample_plan(), tmp_path / "pub", dtstamp=STAMP, include_closures=True)
    paths += write_calendars(dst_plan(), tmp_path / "dst", dtstamp=STAMP)
    paths += write_calendars(new_york_plan(), tmp_path / "ny", dtstamp=STAMP)
    return paths


# -- khal --------------------------------------------------------------------------------------


class Khal:
    """khal with a temporary config: one calendar folder per name, Stockholm local time."""

    def __init__(self, root: Path, names: list[str]) -> None:
        self.root = root
        cals = "".join(f"[[{name}]]\npath = {root / 'cals' / name}\ntype = calendar\n" for name in names)
        for name in names:
            (root / "cals" / name).mkdir(parents=True)
        self.config = root / "khal.conf"
        self.config.write_text(
            "[calendars]\n" + cals + "\n[locale]\n"
            "local_timezone = Europe/Stockholm\ndefault_timezone = Europe/Stockholm\n"
            "timeformat = %H:%M\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\n"
            "datetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n"
            f"\n[sqlite]\npath = {root / 'khal.db'}\n",
            encoding="utf-8",
        )
        self.env = {**os.environ, "HOME": str(root), "XDG_CONFIG_HOME": str(root / "xdg")}

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["khal", "-c", str(self.config), *args],
            capture_output=True,
            text=True,
            env=self.env,
            timeout=120,
            stdin=subprocess.DEVNULL,
        )

    def import_file(self, name: str, path: Path) -> None:
        done = self.run("import", "--batch", "-a", name, str(path))
        assert done.returncode == 0, (path, done.stdout, done.stderr)
        noise = (done.stdout + done.stderr).strip()
        assert not re.search(r"skip|warn|error|could not", noise, re.I), (path, noise)

    def listing(self, calendar: str | None = None) -> list[tuple[str, str, str, str, str]]:
        """Events as (calendar, uid, start, end, cancelled); khal lists a UID found in several
        calendars only once, so ask for one calendar at a time."""
        done = self.run(
            "list",
            *(["-a", calendar] if calendar else []),
            "--once",
            "--day-format",
            "",
            "--format",
            "{calendar}|{uid}|{start}|{end}|{cancelled}",
            "2027-01-01",
            "800d",
        )
        assert done.returncode == 0, done.stderr
        rows = []
        for line in done.stdout.splitlines():
            if line.strip():
                cal, uid, start, end, cancelled = line.split("|")
                rows.append((cal, uid, start, end, cancelled.strip()))
        return rows


@needs_khal
def test_khal_imports_every_file_with_the_same_times(tmp_path: Path) -> None:
    # Every file of the sample plan; of the DST and New York plans the master (their region
    # files hold the very same events).
    paths = [
        p
        for p in publish_files(tmp_path / "files")
        if p.parent.name == "pub" or p.parent.parent.name == "pub" or p.name == "calendar.ics"
    ]
    names = {p: re.sub(r"[^A-Za-z0-9-]", "-", str(p.relative_to(tmp_path / "files"))) for p in paths}
    khal = Khal(tmp_path / "khal", list(names.values()))
    for path, name in names.items():
        khal.import_file(name, path)
    listed: dict[str, list[tuple[str, str, str]]] = {}
    for path, name in names.items():
        listed[name] = [(uid, start, end) for cal, uid, start, end, _ in khal.listing(name)]
        assert sorted(listed[name]) == sorted(expected(path)), path
    # The DST sessions, spelled out: the wall time in Stockholm is what the planner planned.
    dst = dict((uid, start) for uid, start, _ in listed["dst-calendar-ics"])
    assert dst["vinnova.dst.20270328T0300@dst-2027-2028.arshjul"] == "2027-03-28 03:00"
    assert dst["vinnova.dst.20281029T0300@dst-2027-2028.arshjul"] == "2028-10-29 03:00"
    assert dst["vinnova.dst.20281030T0900@dst-2027-2028.arshjul"] == "2028-10-30 09:00"
    ny = {uid: start for uid, start, _ in listed["ny-calendar-ics"]}
    assert ny["vinnova.ny.2@ny-2027.arshjul"] == "2027-11-08 15:00"  # 09:00 EST


@needs_khal
def test_khal_applies_the_second_generation(tmp_path: Path) -> None:
    plan = sample_plan()
    second, ids = second_generation(plan)
    write_invitations(plan, None, tmp_path / "g1", dtstamp=STAMP)
    write_invitations(second, plan, tmp_path / "g2", dtstamp=LATER)
    khal = Khal(tmp_path / "khal", ["inbox"])
    for path in ("g1/calendar.ics", "g2/calendar.ics", "g2/cancel.ics"):
        khal.import_file("inbox", tmp_path / path)
    rows = khal.listing()
    uids = Counter(uid for _, uid, *_ in rows)
    assert set(uids.values()) == {1}, uids  # one event per UID, nothing duplicated
    assert set(uids) == {session_uid(plan, s) for s in plan.sessions}
    by_uid = {uid: (start, end, cancelled) for _, uid, start, end, cancelled in rows}
    for s in second.sessions:
        start = f"{s.start.astimezone(STOCKHOLM):%Y-%m-%d %H:%M}"
        end = f"{s.end.astimezone(STOCKHOLM):%Y-%m-%d %H:%M}"
        assert by_uid[session_uid(plan, s)] == (start, end, ""), s.id
    assert by_uid[session_uid(plan, second.session(str(ids["moved"])))][0] == "2027-03-31 13:00"
    removed = session_uid(plan, plan.session(str(ids["removed"])))
    assert by_uid[removed][2] == "CANCELLED"


# -- calcurse ----------------------------------------------------------------------------------


def _calcurse(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TZ": "Europe/Stockholm", "HOME": str(root), "TMPDIR": str(root)}
    return subprocess.run(
        ["calcurse", "-D", str(root / "data"), "-C", str(root / "conf"), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


@needs_calcurse
def test_calcurse_imports_every_file_with_the_same_times(tmp_path: Path) -> None:
    paths = publish_files(tmp_path / "files")
    for k, path in enumerate(paths):
        root = tmp_path / f"cc{k}"
        (root / "data").mkdir(parents=True)
        (root / "conf").mkdir()
        want = expected(path)
        timed = [w for w in want if " " in w[1]]
        all_day = [w for w in want if " " not in w[1]]
        done = _calcurse(root, "-i", str(path))
        report = done.stdout + done.stderr
        assert f"{len(timed)} app{'s' if len(timed) != 1 else ''} / " in report, (path, report)
        assert f"{len(all_day)} event" in report, (path, report)
        assert "/ 0 skipped" in report, (path, report)
        assert done.returncode == 0, (path, report)
        listing = _calcurse(
            root,
            "--input-datefmt",
            "4",
            "-Q",
            "--from",
            "2027-01-01",
            "--days",
            "800",
            "--format-apt",
            "APT|%(start:%Y-%m-%d %H:%M)|%(end:%Y-%m-%d %H:%M)\\n",
            "--format-event",
            "EVENT|%m\\n",
            "--format-recur-event",
            "EVENT|%m\\n",
        )
        assert listing.returncode == 0, listing.stderr
        # (A meeting across midnight is listed under both days: compare as sets; the import
        # report above already counted every appointment once.)
        apts = {tuple(line.split("|")[1:]) for line in listing.stdout.splitlines() if line.startswith("APT|")}
        assert apts == {(s, e) for _, s, e in timed}, path
        # All-day events cover their days, the exclusive DTEND day not included.
        event_days = sum(line.startswith("EVENT|") for line in listing.stdout.splitlines())
        total = sum((dt.date.fromisoformat(e) - dt.date.fromisoformat(s)).days + 1 for _, s, e in all_day)
        assert event_days == total, path


# -- libical -----------------------------------------------------------------------------------

LIBICAL_SCRIPT = r"""
import datetime, json, sys
import gi
gi.require_version("ICalGLib", "3.0")
from gi.repository import ICalGLib as I


def kids(comp, kind):
    out, c = [], comp.get_first_component(kind)
    while c is not None:
        out.append(c)
        c = comp.get_next_component(kind)
    return out


def errors(comp):
    found = []
    def walk(c):
        p = c.get_first_property(I.PropertyKind.XLICERROR_PROPERTY)
        while p is not None:
            found.append(p.get_xlicerror())
            p = c.get_next_property(I.PropertyKind.XLICERROR_PROPERTY)
        for s in kids(c, I.ComponentKind.ANY_COMPONENT):
            walk(s)
    walk(comp)
    return found


def utc(prop, zones):
    raw = prop.get_value_as_string()
    if "T" not in raw:
        return None
    if raw.endswith("Z"):
        return datetime.datetime.strptime(raw, "%Y%m%dT%H%M%SZ").strftime("%Y-%m-%dT%H:%M:%SZ")
    par = prop.get_first_parameter(I.ParameterKind.TZID_PARAMETER)
    tz = zones[par.get_tzid()]
    unix = I.Time.new_from_string(raw).as_timet_with_zone(tz)
    moment = datetime.datetime.fromtimestamp(unix, datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


report = {}
for path in sys.argv[1:]:
    text = open(path, encoding="utf-8", newline="").read()
    root = I.Component.new_from_string(text)
    zones = {}
    for vtz in kids(root, I.ComponentKind.VTIMEZONE_COMPONENT):
        tz = I.Timezone.new()
        tz.set_component(vtz.clone())  # the file's own VTIMEZONE body, not libical's database
        zones[tz.get_tzid()] = tz
    times = {}
    for ev in kids(root, I.ComponentKind.VEVENT_COMPONENT):
        start = ev.get_first_property(I.PropertyKind.DTSTART_PROPERTY)
        end = ev.get_first_property(I.PropertyKind.DTEND_PROPERTY)
        times[ev.get_uid()] = [utc(start, zones), utc(end, zones)]
    # restriction_check stops at the first component that fails, so check each event alone.
    # (Split on whole lines: hostile text may hold "BEGIN:VEVENT" inside an escaped SUMMARY.)
    marker = "\r\nBEGIN:VEVENT\r\n"
    head, *blocks = text.split(marker)
    blocks[-1] = blocks[-1].replace("\r\nEND:VCALENDAR\r\n", "")
    checks = []
    for block in blocks:
        one = I.Component.new_from_string(head + marker + block + "\r\nEND:VCALENDAR\r\n")
        I.restriction_check(one)
        checks.append(errors(one))
    whole = I.Component.new_from_string(text)
    I.restriction_check(whole)
    report[path] = {
        "parse": errors(root),
        "events": checks,
        "whole": errors(whole),
        "times": times,
        "method": str(root.get_method()),
    }
print(json.dumps(report))
"""


def _libical(paths: list[Path]) -> dict[str, dict[str, object]]:
    reason = _libical_missing()
    if reason:
        pytest.skip(reason)
    done = subprocess.run(
        [SYSTEM_PYTHON, "-c", LIBICAL_SCRIPT, *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": ""},
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, dict[str, object]] = json.loads(done.stdout)
    return result


def test_libical_restriction_check_publish_request_cancel(tmp_path: Path) -> None:
    plan = sample_plan()
    second, _ = second_generation(plan)
    publish = publish_files(tmp_path / "pub")
    itip = write_invitations(plan, None, tmp_path / "g1", dtstamp=STAMP)
    itip += write_invitations(second, plan, tmp_path / "g2", dtstamp=LATER)
    methods = {p: ("CANCEL" if "cancel" in p.name else "REQUEST") for p in itip}
    assert "CANCEL" in methods.values()
    report = _libical(publish + itip)
    for path in publish + itip:
        found = report[str(path)]
        assert found["parse"] == [], path
        events = found["events"]
        assert isinstance(events, list) and events, path
        allowed = [PUBLISH_ORGANIZER] if path in publish else []
        for errs in events:
            assert errs == allowed, (path, errs)
        assert found["whole"] in ([], [PUBLISH_ORGANIZER]), path
        if path in methods:
            assert methods[path] in str(found["method"]), path


def test_libical_reads_the_vtimezone_body_to_the_same_instants(tmp_path: Path) -> None:
    """libical computes UTC from our VTIMEZONE blocks (not its own database) — a third,
    independent reader, in C — and must land on zoneinfo's instants, DST days included."""
    plans = {"sample": sample_plan(), "dst": dst_plan(), "ny": new_york_plan()}
    paths = {name: write_calendars(p, tmp_path / name, dtstamp=STAMP)[0] for name, p in plans.items()}
    report = _libical(list(paths.values()))
    for name, plan in plans.items():
        times = report[str(paths[name])]["times"]
        assert isinstance(times, dict)
        for s in plan.sessions:
            want = [
                f"{s.start.astimezone(dt.UTC):%Y-%m-%dT%H:%M:%SZ}",
                f"{s.end.astimezone(dt.UTC):%Y-%m-%dT%H:%M:%SZ}",
            ]
            assert times[session_uid(plan, s)] == want, (name, s.id)
