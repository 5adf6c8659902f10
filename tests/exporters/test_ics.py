"""Calendar files: raw bytes, Outlook's rules, text escaping, times, invitations, read-back.

The independent programs (khal, calcurse, libical) are in ``test_ics_programs.py``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import vobject
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar, Event

from arshjul.errors import PlanFileError, ScenarioError
from arshjul.exporters.ics import (
    event_description,
    host_calendar,
    master_calendar,
    outlook_problems,
    read_ics_sessions,
    region_calendar,
    session_uid,
    theme_calendar,
    write_calendars,
    write_invitations,
)
from arshjul.plan import Plan, Session
from plans import HOSTILE, REGIONS, TZ, at, sample_plan

STAMP = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
LATER = dt.datetime(2027, 1, 15, 7, 30, tzinfo=dt.UTC)
UTC = dt.UTC


# -- plans ---------------------------------------------------------------------------------


def simple(sid: str, start: dt.datetime, minutes: int = 60, **kw: object) -> Session:
    fields: dict[str, object] = {
        "id": sid,
        "kind": "hybrid",
        "host": "vinnova",
        "host_name": "Vinnova",
        "title": f"Möte {sid}",
        "date": start.date(),
        "slot": "morning",
        "start": start,
        "end": start + dt.timedelta(minutes=minutes),
        "invited": tuple(REGIONS),
    }
    fields.update(kw)
    return Session(**fields)  # type: ignore[arg-type]


DST_STARTS = [
    # 2027: clocks go forward 28 Mar 02:00→03:00, back 31 Oct 03:00→02:00.
    at(dt.date(2027, 3, 28), 3),  # the first wall time after the spring gap (01:00Z)
    at(dt.date(2027, 3, 29), 9),
    at(dt.date(2027, 10, 31), 3),  # the first unambiguous hour after the autumn change
    at(dt.date(2027, 11, 1), 9),
    # 2028: 26 Mar and 29 Oct.
    at(dt.date(2028, 3, 26), 3),
    at(dt.date(2028, 3, 27), 9),
    at(dt.date(2028, 10, 29), 3),
    at(dt.date(2028, 10, 30), 9),
    at(dt.date(2028, 3, 25), 23, 30),  # the evening before, still winter time
]


def dst_plan() -> Plan:
    """Two years with sessions right after both DST changes of 2027 and 2028."""
    base = sample_plan()
    extra = [simple(f"vinnova.dst.{t:%Y%m%dT%H%M}", t) for t in DST_STARTS]
    return dataclasses.replace(
        base,
        scenario_id="dst-2027-2028",
        scenario_name="Sommartid 2027–2028",
        period_end=dt.date(2028, 12, 31),
        sessions=sorted([*base.sessions, *extra], key=lambda s: (s.start, s.id)),
    )


def new_york_plan() -> Plan:
    """Times in another zone with DST: the derived VTIMEZONE must carry them."""
    ny = ZoneInfo("America/New_York")
    base = sample_plan()
    starts = [
        dt.datetime(2027, 3, 14, 3, 0, tzinfo=ny),
        dt.datetime(2027, 11, 7, 1, 30, tzinfo=ny, fold=1),  # the second 01:30 (EST)
        dt.datetime(2027, 11, 8, 9, 0, tzinfo=ny),
    ]
    return dataclasses.replace(
        base,
        scenario_id="ny-2027",
        timezone="America/New_York",
        sessions=[simple(f"vinnova.ny.{k}", t) for k, t in enumerate(starts)],
    )


def files_of(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*.ics"))


def all_generations(tmp_path: Path) -> list[Path]:
    """Every kind of file arshjul writes: PUBLISH, REQUEST and CANCEL, for three plans."""
    plan = sample_plan()
    paths = write_calendars(plan, tmp_path / "pub", dtstamp=STAMP, include_closures=True)
    paths += write_calendars(dst_plan(), tmp_path / "dst", dtstamp=STAMP, include_closures=True)
    paths += write_calendars(new_york_plan(), tmp_path / "ny", dtstamp=STAMP)
    paths += write_invitations(plan, None, tmp_path / "inv1", dtstamp=STAMP)
    moved, _ = second_generation(plan)
    paths += write_invitations(moved, plan, tmp_path / "inv2", dtstamp=LATER)
    return paths


def second_generation(plan: Plan) -> tuple[Plan, dict[str, object]]:
    """A copy with the hybrid moved one day later and the autumn dialog removed."""
    moved_id, removed_id = "vinnova.hybrid.ekosystem", "vinnova.dialog.industri.1"
    sessions = []
    for s in plan.sessions:
        if s.id == removed_id:
            continue
        if s.id == moved_id:
            day = dt.timedelta(days=1)
            s = dataclasses.replace(s, start=s.start + day, end=s.end + day, date=s.date + day)
        sessions.append(s)
    return dataclasses.replace(plan, sessions=sessions), {"moved": moved_id, "removed": removed_id}


def events(data: bytes) -> dict[str, Any]:
    cal = Calendar.from_ical(data)
    return {str(ev["uid"]): ev for ev in cal.walk("VEVENT")}


def vevent_blocks(data: bytes) -> dict[str, bytes]:
    """Raw VEVENT bytes by UID, as written (folded lines and all)."""
    out = {}
    for block in re.findall(rb"BEGIN:VEVENT\r\n.*?END:VEVENT\r\n", data, flags=re.S):
        uid = re.search(rb"\r\nUID:(.*?)\r\n(?! )", block)
        assert uid is not None
        out[uid.group(1).decode()] = block
    return out


def header(data: bytes) -> list[str]:
    text = data.decode()
    return text[: text.index("BEGIN:VTIMEZONE")].split("\r\n")


# -- raw bytes -----------------------------------------------------------------------------


def test_raw_bytes_crlf_folded_utf8(tmp_path: Path) -> None:
    paths = all_generations(tmp_path)
    assert len(paths) > 30
    for path in paths:
        data = path.read_bytes()
        text = data.decode("utf-8")  # valid UTF-8
        assert text.endswith("\r\n"), path
        assert b"\n" not in data.replace(b"\r\n", b""), path
        assert b"\r" not in data.replace(b"\r\n", b""), path
        for line in data.split(b"\r\n"):
            assert len(line) <= 75, (path, line)
            line.decode("utf-8")  # folding never splits a character
        assert outlook_problems(data) == [], path
    master = (tmp_path / "pub" / "calendar.ics").read_bytes()
    assert "Östergötland".encode() in master.replace(b"\r\n ", b"")
    assert "Lärmöte".encode() in master


def test_determinism_same_bytes_twice(tmp_path: Path) -> None:
    first = all_generations(tmp_path / "a")
    second = all_generations(tmp_path / "b")
    assert [p.relative_to(tmp_path / "a") for p in first] == [p.relative_to(tmp_path / "b") for p in second]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a


def test_written_layout(tmp_path: Path) -> None:
    plan = sample_plan()
    paths = write_calendars(plan, tmp_path, dtstamp=STAMP)
    names = sorted(str(p.relative_to(tmp_path)) for p in paths)
    assert names == sorted(
        ["calendar.ics", "hosts/vinnova.ics", "themes/halsa.ics", "themes/industri.ics"]
        + [f"regions/{code}.ics" for code in REGIONS]
    )
    assert files_of(tmp_path) == sorted(paths)
    assert not list(tmp_path.rglob(".*"))  # no temporary files left behind


# -- Outlook's rules -------------------------------------------------------------------------


def test_outlook_problems_flags_broken_files() -> None:
    good = master_calendar(sample_plan(), dtstamp=STAMP)
    assert outlook_problems(good) == []

    def broken(old: bytes, new: bytes, count: int = 1) -> list[str]:
        assert old in good
        return outlook_problems(good.replace(old, new, count))

    assert any("RDATE" in p for p in broken(b"TZNAME:CET\r\n", b"TZNAME:CET\r\nRDATE:20271031T030000\r\n"))
    second_std = (
        b"END:STANDARD\r\nBEGIN:STANDARD\r\nDTSTART:19961027T030000\r\nTZOFFSETFROM:+0200\r\n"
        b"TZOFFSETTO:+0100\r\nEND:STANDARD\r\n"
    )
    assert any("STANDARD blocks" in p for p in broken(b"END:STANDARD\r\n", second_std))
    assert any("one BYDAY" in p for p in broken(b"BYDAY=-1SU\r\n", b"BYDAY=-1SU,1SU\r\n"))
    assert any("YEARLY" in p for p in broken(b"FREQ=YEARLY;BYMONTH=3", b"FREQ=MONTHLY;BYMONTH=3"))
    assert any("no TZOFFSETTO" in p for p in broken(b"TZOFFSETTO:+0100\r\n", b""))
    assert any("has no VTIMEZONE" in p for p in broken(b"TZID:Europe/Stockholm\r\n", b"TZID:Europe/Oslo\r\n"))
    assert any("not UTC" in p for p in broken(b"DTSTAMP:20261201T080000Z", b"DTSTAMP:20261201T080000"))
    uid = b"UID:vinnova.learning@sample-2027.arshjul"
    assert any("already used" in p for p in broken(b"UID:vinnova.dialog.halsa.1@sample-2027.arshjul", uid))
    long_uid = b"UID:" + b"x" * 210 + b"@a"
    assert any("202 bytes" in p for p in broken(uid, long_uid))  # unfolded, so also too long a line
    assert any("octets" in p for p in broken(uid, long_uid))
    assert any("CRLF" in p for p in outlook_problems(good.replace(b"\r\n", b"\n")))
    assert any("UTF-8" in p for p in outlook_problems(good.replace("Lärmöte".encode(), b"L\xe4rm\xf6te")))
    assert any(
        "PUBLISH" in p for p in broken(b"SEQUENCE:0\r\n", b"SEQUENCE:0\r\nORGANIZER:mailto:a@b.se\r\n")
    )
    request = good.replace(b"METHOD:PUBLISH", b"METHOD:REQUEST")
    assert any("without ORGANIZER" in p for p in outlook_problems(request))
    assert any("never closed" in p for p in outlook_problems(good[: good.index(b"END:VCALENDAR")]))


def test_outlook_problems_flags_icalendars_own_timezones() -> None:
    """What ``add_missing_timezones()`` writes is exactly what Outlook gets wrong."""
    cal = Calendar()
    cal.add("prodid", "-//test//test//EN")
    cal.add("version", "2.0")
    ev = Event()
    ev.add("uid", "a@b")
    ev.add("dtstamp", STAMP)
    ev.add("dtstart", at(dt.date(2027, 3, 30), 13))
    cal.add_component(ev)
    cal.add_missing_timezones()
    problems = outlook_problems(cal.to_ical())
    assert any("STANDARD blocks" in p or "RDATE" in p for p in problems), problems


def test_publish_header_and_no_itip_properties() -> None:
    plan = sample_plan()
    data = master_calendar(plan, dtstamp=STAMP)
    assert header(data)[:6] == [
        "BEGIN:VCALENDAR",
        "PRODID:-//arshjul//arshjul//EN",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Snabbdialoger 2027",
    ]
    assert b"ORGANIZER" not in data and b"ATTENDEE" not in data
    region = region_calendar(plan, "SE-E", dtstamp=STAMP)
    assert "X-WR-CALNAME:Snabbdialoger 2027 — Region Östergötland" in region.decode()
    assert data.count(b"BEGIN:VTIMEZONE") == 1
    assert b"TZID:Europe/Stockholm" in data


def test_single_appointment_file_has_no_calendar_name() -> None:
    plan = sample_plan()
    one = dataclasses.replace(plan, sessions=plan.sessions[:1])
    data = master_calendar(one, dtstamp=STAMP)
    assert b"X-WR-CALNAME" not in data
    assert outlook_problems(data) == []


def test_event_properties() -> None:
    plan = sample_plan()
    evs = events(master_calendar(plan, dtstamp=STAMP))
    assert list(evs) == [session_uid(plan, s) for s in sorted(plan.sessions, key=lambda s: (s.start, s.id))]
    dialog = evs["vinnova.dialog.halsa.1@sample-2027.arshjul"]
    assert str(dialog["summary"]) == "Snabbdialog: Hållbar precisionshälsa"
    assert dialog.decoded("dtstart") == at(dt.date(2027, 2, 23), 9)
    assert dialog["dtstart"].params["TZID"] == "Europe/Stockholm"
    assert dialog.decoded("dtend") == at(dt.date(2027, 2, 23), 9, 40)
    assert dialog.decoded("dtstamp") == STAMP
    assert dialog.decoded("sequence") == 0
    assert [str(c) for c in dialog["categories"].cats] == ["Snabbdialog", "halsa"]
    assert str(dialog["x-microsoft-cdo-busystatus"]) == "BUSY"
    assert str(dialog["location"]) == "https://teams.example/l/meetup-join/abc?x=1;y=2"
    description = str(dialog["description"])
    assert description.startswith("Möteslänk: https://teams.example/l/meetup-join/abc?x=1;y=2\n")
    assert (
        "Talarordning:\n"
        "09:00–09:10 Vinnova (värd)\n"
        "09:10–09:20 Region Östergötland\n"
        "09:20–09:30 Norra Mellansverige (Region Värmland, Region Dalarna, Region Gävleborg)\n"
        "09:30–09:40 Region Skåne"
    ) in description
    assert "Följs upp på: RND-nätverksmöte, tisdag 20 april 2027 kl. 09:00" in description
    network = evs["vinnova.network.2027-04-20@sample-2027.arshjul"]
    assert "Uppföljning av dialoger:\n- Hållbar precisionshälsa (23 februari 2027)" in str(
        network["description"]
    )
    assert "X-MICROSOFT-SKYPETEAMSMEETINGURL" not in master_calendar(plan, dtstamp=STAMP).decode()


def test_sequence_is_written() -> None:
    plan = sample_plan()
    plan.sessions[0] = dataclasses.replace(plan.sessions[0], sequence=4)
    evs = events(master_calendar(plan, dtstamp=STAMP))
    assert evs[session_uid(plan, plan.sessions[0])].decoded("sequence") == 4


def test_dtstamp_must_be_aware_and_is_written_in_utc() -> None:
    plan = sample_plan()
    with pytest.raises(ValueError):
        master_calendar(plan, dtstamp=dt.datetime(2026, 12, 1, 8))
    data = master_calendar(plan, dtstamp=dt.datetime(2026, 12, 1, 9, tzinfo=TZ))
    assert b"DTSTAMP:20261201T080000Z" in data


def test_uid_over_202_bytes_is_refused() -> None:
    plan = sample_plan()
    plan.sessions[0] = dataclasses.replace(plan.sessions[0], id="x" * 200)
    with pytest.raises(ValueError, match="202"):
        master_calendar(plan, dtstamp=STAMP)


def test_closures_are_free_all_day_events_only_when_asked() -> None:
    plan = sample_plan()
    assert b"VALUE=DATE" not in master_calendar(plan, dtstamp=STAMP)
    data = master_calendar(plan, dtstamp=STAMP, include_closures=True)
    evs = events(data)
    summer = next(ev for ev in evs.values() if str(ev["summary"]) == "Sommar")
    assert summer.decoded("dtstart") == dt.date(2027, 7, 5)
    assert summer.decoded("dtend") == dt.date(2027, 8, 16)  # exclusive
    assert summer["dtstart"].params["VALUE"] == "DATE"
    assert str(summer["x-microsoft-cdo-busystatus"]) == "FREE"
    assert str(summer["transp"]) == "TRANSPARENT"
    assert len(evs) == len(plan.sessions) + len(plan.closures)
    assert b"VALUE=DATE" not in region_calendar(plan, "SE-E", dtstamp=STAMP)
    assert outlook_problems(data) == []


# -- which sessions go where -----------------------------------------------------------------


def test_region_theme_and_host_calendars_hold_their_sessions() -> None:
    plan = sample_plan()
    for code in REGIONS:
        uids = set(events(region_calendar(plan, code, dtstamp=STAMP)))
        assert uids == {session_uid(plan, s) for s in plan.sessions if code in s.invited}, code
    # Norrbotten presents in the autumn dialog but is not invited to it: not on its calendar.
    assert "vinnova.dialog.industri.1@sample-2027.arshjul" not in events(
        region_calendar(plan, "SE-BD", dtstamp=STAMP)
    )
    halsa = events(theme_calendar(plan, "halsa", dtstamp=STAMP))
    assert list(halsa) == ["vinnova.dialog.halsa.1@sample-2027.arshjul"]
    host = events(host_calendar(plan, "vinnova", dtstamp=STAMP))
    assert len(host) == len(plan.sessions)
    with pytest.raises(ValueError):
        region_calendar(plan, "SE-Q", dtstamp=STAMP)
    with pytest.raises(ValueError):
        theme_calendar(plan, "nope", dtstamp=STAMP)
    with pytest.raises(ValueError):
        host_calendar(plan, "nope", dtstamp=STAMP)


@pytest.mark.parametrize("bad", ["../evil", "a/b", "a\\b", ".hidden", "..", "x..y"])
def test_unsafe_names_never_leave_out_dir(tmp_path: Path, bad: str) -> None:
    out = tmp_path / "out"
    plan = sample_plan()
    plan.regions = {**plan.regions, bad: "Evil"}
    with pytest.raises(ValueError):
        write_calendars(plan, out, dtstamp=STAMP)
    theme_plan = sample_plan()
    theme_plan.sessions[1] = dataclasses.replace(theme_plan.sessions[1], theme=bad)
    with pytest.raises(ValueError):
        write_calendars(theme_plan, out, dtstamp=STAMP)
    assert sorted(p.name for p in tmp_path.rglob("*")) == []  # nothing written anywhere


# -- text ----------------------------------------------------------------------------------


def test_hostile_text_round_trips_and_injects_nothing() -> None:
    plan = sample_plan()
    hybrid = plan.session("vinnova.hybrid.ekosystem")
    data = master_calendar(plan, dtstamp=STAMP)
    assert len(re.findall(rb"^BEGIN:VEVENT\r$", data, flags=re.M)) == len(plan.sessions)
    assert len(re.findall(rb"^END:VEVENT\r$", data, flags=re.M)) == len(plan.sessions)
    ev = events(data)[session_uid(plan, hybrid)]
    # SUMMARY and LOCATION are one-line fields: a line break becomes a space, nothing else.
    assert str(ev["summary"]) == HOSTILE.replace("\n", " ")
    assert str(ev["location"]) == hybrid.location
    assert str(ev["description"]) == hybrid.description == event_description(plan, hybrid)
    for s in plan.sessions:
        e = events(data)[session_uid(plan, s)]
        assert str(e.get("description", "")) == event_description(plan, s)
    # vobject reads the same text back.
    vcal = vobject.readOne(data.decode())
    by_uid = {v.uid.value: v for v in vcal.vevent_list}
    v = by_uid[session_uid(plan, hybrid)]
    assert v.summary.value == HOSTILE.replace("\n", " ")
    assert v.description.value == hybrid.description
    assert v.location.value == hybrid.location
    assert len(vcal.vevent_list) == len(plan.sessions)


def test_hostile_text_everywhere(tmp_path: Path) -> None:
    """Hostile text in every field that reaches a file: names, titles, descriptions."""
    plan = sample_plan()
    nasty = 'a\\b;c,d\r\ne"f\x00g\x07h\ttab:BEGIN:VEVENT\nEND:VCALENDAR'
    plan.regions = {code: f"{name} {nasty}" for code, name in plan.regions.items()}
    plan.hosts = {"vinnova": f"Vinnova {nasty}"}
    plan.sessions = [
        dataclasses.replace(s, title=nasty, description=nasty, location=nasty, host_name=nasty)
        for s in plan.sessions
    ]
    plan.closures = [dataclasses.replace(c, name=nasty) for c in plan.closures]
    paths = write_calendars(plan, tmp_path / "pub", dtstamp=STAMP, include_closures=True)
    paths += write_invitations(plan, None, tmp_path / "inv", dtstamp=STAMP)
    clean = 'a\\b;c,d\ne"fgh\ttab:BEGIN:VEVENT\nEND:VCALENDAR'
    for path in paths:
        data = path.read_bytes()
        assert outlook_problems(data) == [], path
        cal = Calendar.from_ical(data)
        assert len(cal.walk("VCALENDAR")) == 1
        for ev in cal.walk("VEVENT"):
            if "closure-" not in str(ev["uid"]):
                assert clean in str(ev["description"])
                assert str(ev["location"]).startswith(clean.replace("\n", " "))
    master = events((tmp_path / "pub" / "calendar.ics").read_bytes())
    assert len(master) == len(plan.sessions) + len(plan.closures)


# -- times ---------------------------------------------------------------------------------


@pytest.mark.parametrize("make", [sample_plan, dst_plan, new_york_plan])
def test_times_read_by_icalendar_and_vobject_agree_with_zoneinfo(make: object) -> None:
    plan = make()  # type: ignore[operator]
    data = master_calendar(plan, dtstamp=STAMP)
    evs = events(data)
    vcal = vobject.readOne(data.decode())
    by_uid = {v.uid.value: v for v in vcal.vevent_list}
    zone = ZoneInfo(plan.timezone)
    for s in plan.sessions:
        uid = session_uid(plan, s)
        for name, want in (("dtstart", s.start), ("dtend", s.end)):
            got = evs[uid].decoded(name)
            assert got.astimezone(UTC) == want.astimezone(UTC), (uid, name, "icalendar")
            v = getattr(by_uid[uid], name).value  # tzinfo built from the VTIMEZONE body
            assert v.astimezone(UTC) == want.astimezone(UTC), (uid, name, "vobject")
            if "TZID" in evs[uid][name].params:
                assert got.utcoffset() == want.astimezone(zone).utcoffset()
                assert v.utcoffset() == want.astimezone(zone).utcoffset(), (uid, name, "vobject")
            else:  # only the second of two equal wall times is written in UTC
                assert want.astimezone(zone).fold == 1, (uid, name)


def test_dst_sessions_are_on_the_right_instants() -> None:
    plan = dst_plan()
    evs = events(master_calendar(plan, dtstamp=STAMP))
    spring = evs["vinnova.dst.20270328T0300@dst-2027-2028.arshjul"]
    assert spring["dtstart"].to_ical() == b"20270328T030000"
    assert spring.decoded("dtstart").astimezone(UTC) == dt.datetime(2027, 3, 28, 1, tzinfo=UTC)
    autumn = evs["vinnova.dst.20281029T0300@dst-2027-2028.arshjul"]
    assert autumn.decoded("dtstart").astimezone(UTC) == dt.datetime(2028, 10, 29, 2, tzinfo=UTC)


# -- invitation mode -----------------------------------------------------------------------


def test_request_files_carry_organizer_and_attendees(tmp_path: Path) -> None:
    plan = sample_plan()
    paths = write_invitations(plan, None, tmp_path, dtstamp=STAMP)
    assert sorted(str(p.relative_to(tmp_path)) for p in paths) == sorted(
        ["calendar.ics"] + [f"regions/{c}.ics" for c in REGIONS]
    )
    master = (tmp_path / "calendar.ics").read_bytes()
    assert b"METHOD:REQUEST" in master and b"X-WR-CALNAME" not in master
    dialog = events(master)["vinnova.dialog.halsa.1@sample-2027.arshjul"]
    org = dialog["organizer"]
    assert str(org) == "mailto:snabbdialoger@vinnova.se" and org.params["CN"] == "Vinnova"
    attendees = {str(a): a.params for a in dialog["attendee"]}
    assert set(attendees) == {
        "mailto:snabbdialoger@vinnova.se",
        "mailto:snabbdialog@regionostergotland.se",
        "mailto:s3@skane.se",
    }
    assert attendees["mailto:snabbdialoger@vinnova.se"]["ROLE"] == "CHAIR"
    assert attendees["mailto:s3@skane.se"]["CN"] == "Region Skåne"
    assert attendees["mailto:s3@skane.se"]["ROLE"] == "REQ-PARTICIPANT"  # Skåne presents
    learning = events(master)["vinnova.learning@sample-2027.arshjul"]
    assert {a.params["ROLE"] for a in learning["attendee"]} == {"CHAIR", "OPT-PARTICIPANT"}
    # A region's file names only its own contact; a region without one has none.
    mine = events((tmp_path / "regions" / "SE-E.ics").read_bytes())
    for ev in mine.values():
        assert {str(a) for a in ev["attendee"]} == {
            "mailto:snabbdialoger@vinnova.se",
            "mailto:snabbdialog@regionostergotland.se",
        }
    for ev in events((tmp_path / "regions" / "SE-S.ics").read_bytes()).values():
        assert str(ev["attendee"]) == "mailto:snabbdialoger@vinnova.se"
    for path in paths:
        assert outlook_problems(path.read_bytes()) == [], path


def test_host_without_email_is_a_one_line_scenario_error(tmp_path: Path) -> None:
    plan = sample_plan()
    plan.host_emails = {}
    with pytest.raises(ScenarioError) as info:
        write_invitations(plan, None, tmp_path, dtstamp=STAMP)
    assert info.value.field == "hosts[vinnova].email"
    assert "hosts[vinnova].email" in str(info.value)
    assert "invitation mode" in str(info.value)
    assert "\n" not in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_bad_email_is_refused(tmp_path: Path) -> None:
    plan = sample_plan()
    plan.contacts = {"SE-E": "a@b.se\r\nATTENDEE:mailto:x@y.se"}
    with pytest.raises(ScenarioError) as info:
        write_invitations(plan, None, tmp_path, dtstamp=STAMP)
    assert "\n" not in str(info.value)


def test_two_generations_update_and_cancel(tmp_path: Path) -> None:
    plan = sample_plan()
    second, ids = second_generation(plan)
    write_invitations(plan, None, tmp_path / "g1", dtstamp=STAMP)
    paths = write_invitations(second, plan, tmp_path / "g2", dtstamp=STAMP)
    g1 = (tmp_path / "g1" / "calendar.ics").read_bytes()
    g2 = (tmp_path / "g2" / "calendar.ics").read_bytes()
    old, new = vevent_blocks(g1), vevent_blocks(g2)
    moved = session_uid(plan, plan.session(str(ids["moved"])))
    removed = session_uid(plan, plan.session(str(ids["removed"])))
    # only what changed goes out: the moved meeting; the unchanged ones are not sent again
    assert set(new) == {moved}
    assert events(g2)[moved].decoded("sequence") == 1
    assert events(g2)[moved].decoded("dtstart") == at(dt.date(2027, 3, 31), 13)
    cancel = (tmp_path / "g2" / "cancel.ics").read_bytes()
    assert b"METHOD:CANCEL" in cancel
    (ev,) = events(cancel).values()
    assert str(ev["uid"]) == removed
    assert ev.decoded("sequence") == 1
    assert str(ev["status"]) == "CANCELLED"
    assert str(ev["organizer"]) == "mailto:snabbdialoger@vinnova.se"
    names = sorted(str(p.relative_to(tmp_path / "g2")) for p in paths)
    invited = plan.session(str(ids["removed"])).invited
    assert [n for n in names if "cancel" in n] == sorted(
        ["cancel.ics"] + [f"regions/{c}-cancel.ics" for c in invited]
    )
    for path in paths:
        assert outlook_problems(path.read_bytes()) == [], path
    # A later DTSTAMP changes only the DTSTAMP line of a meeting.
    write_invitations(plan, None, tmp_path / "g3", dtstamp=LATER)
    g3 = vevent_blocks((tmp_path / "g3" / "calendar.ics").read_bytes())
    learning = "vinnova.learning@sample-2027.arshjul"
    assert g3[learning].replace(b"DTSTAMP:20270115T073000Z", b"DTSTAMP:20261201T080000Z") == old[learning]


def test_uninvited_region_gets_a_cancel(tmp_path: Path) -> None:
    plan = sample_plan()
    second = dataclasses.replace(
        plan,
        sessions=[
            dataclasses.replace(s, invited=tuple(c for c in s.invited if c != "SE-M"))
            if s.id == "vinnova.learning"
            else s
            for s in plan.sessions
        ],
    )
    paths = write_invitations(second, plan, tmp_path, dtstamp=STAMP)
    names = sorted(str(p.relative_to(tmp_path)) for p in paths)
    assert "cancel.ics" not in names  # the meeting is still on
    assert "regions/SE-M-cancel.ics" in names
    (ev,) = events((tmp_path / "regions" / "SE-M-cancel.ics").read_bytes()).values()
    assert str(ev["uid"]) == "vinnova.learning@sample-2027.arshjul"
    assert ev.decoded("sequence") == 1
    master = events((tmp_path / "calendar.ics").read_bytes())
    assert master["vinnova.learning@sample-2027.arshjul"].decoded("sequence") == 1


# -- reading back --------------------------------------------------------------------------


def test_read_back_own_calendar() -> None:
    for plan in (sample_plan(), dst_plan(), new_york_plan()):
        data = master_calendar(plan, dtstamp=STAMP, include_closures=True)
        got = read_ics_sessions(data, "calendar.ics", timezone=plan.timezone)
        assert got == {s.id: (s.start, s.end) for s in plan.sessions}
        for start, end in got.values():
            assert str(start.tzinfo) == plan.timezone and str(end.tzinfo) == plan.timezone
        assert read_ics_sessions(data, "calendar.ics").keys() == got.keys()


def test_read_back_edited_in_another_program() -> None:
    """Outlook exports its own TZID names and blocks; other events are the planner's own."""
    plan = sample_plan()
    text = master_calendar(plan, dtstamp=STAMP).decode()
    text = text.replace("TZID=Europe/Stockholm", "TZID=W. Europe Standard Time")
    text = text.replace("TZID:Europe/Stockholm", "TZID:W. Europe Standard Time")
    text = text.replace(
        "DTSTART;TZID=W. Europe Standard Time:20270202T090000",
        "DTSTART;TZID=W. Europe Standard Time:20270203T140000",
    ).replace(
        "DTEND;TZID=W. Europe Standard Time:20270202T100000",
        "DTEND:20270203T140000Z",
    )
    own = (
        "BEGIN:VEVENT\r\nUID:040000008200E00074C5B7101A82E008@outlook\r\n"
        "DTSTAMP:20270101T000000Z\r\nDTSTART:20270101T100000Z\r\nSUMMARY:Lunch\r\nEND:VEVENT\r\n"
    )
    text = text.replace("END:VCALENDAR", own + "END:VCALENDAR")
    got = read_ics_sessions(text.encode(), "edited.ics", timezone="Europe/Stockholm")
    assert got["vinnova.learning"] == (at(dt.date(2027, 2, 3), 14), at(dt.date(2027, 2, 3), 15))
    assert len(got) == len(plan.sessions)
    # A custom TZID is read through the file's own VTIMEZONE body.
    custom = master_calendar(plan, dtstamp=STAMP).replace(b"Europe/Stockholm", b"Sverige")
    assert read_ics_sessions(custom, "x.ics", timezone="Europe/Stockholm") == {
        s.id: (s.start, s.end) for s in plan.sessions
    }


def test_read_back_floating_times_need_the_plan_zone() -> None:
    plan = sample_plan()
    data = master_calendar(plan, dtstamp=STAMP).replace(b";TZID=Europe/Stockholm", b"")
    got = read_ics_sessions(data, "f.ics", timezone="Europe/Stockholm")
    assert got == {s.id: (s.start, s.end) for s in plan.sessions}
    with pytest.raises(PlanFileError, match="floating"):
        read_ics_sessions(data, "f.ics")


def _mutate(old: bytes, new: bytes) -> bytes:
    data = master_calendar(sample_plan(), dtstamp=STAMP)
    assert old in data
    return data.replace(old, new, 1)


LEARNING_START = b"DTSTART;TZID=Europe/Stockholm:20270202T090000\r\n"
MALFORMED = {
    "garbage": b"this is not a calendar",
    "empty": b"",
    "not utf-8": b"BEGIN:VCALENDAR\r\nX:\xff\xfe\r\nEND:VCALENDAR\r\n",
    "no end": b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a.b@c.arshjul\r\n",
    "no dtstart": _mutate(LEARNING_START, b""),
    "bad dtstart": _mutate(LEARNING_START, b"DTSTART;TZID=Europe/Stockholm:2027-02-02 nine\r\n"),
    "date only": _mutate(LEARNING_START, b"DTSTART;VALUE=DATE:20270202\r\n"),
    "ends first": _mutate(LEARNING_START, b"DTSTART;TZID=Europe/Stockholm:20270202T110000\r\n"),
    "repeats": _mutate(LEARNING_START, LEARNING_START + b"RRULE:FREQ=WEEKLY\r\n"),
    "twice": _mutate(
        b"UID:vinnova.dialog.halsa.1@sample-2027.arshjul",
        b"UID:vinnova.learning@sample-2027.arshjul",
    ),
    "no end time": _mutate(b"DTEND;TZID=Europe/Stockholm:20270202T100000\r\n", b""),
    "bad zone": _mutate(LEARNING_START, b"DTSTART;TZID=Mars/Olympus:20270202T090000\r\n"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_read_back_malformed_is_one_plan_file_error(case: str) -> None:
    with pytest.raises(PlanFileError) as info:
        read_ics_sessions(MALFORMED[case], "bad.ics", timezone="Europe/Stockholm")
    message = str(info.value)
    assert message.startswith("bad.ics: ")
    assert "\n" not in message and "\r" not in message


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_read_back_never_raises_anything_else(data: st.DataObject) -> None:
    base = master_calendar(sample_plan(), dtstamp=STAMP)
    cut = data.draw(st.integers(0, len(base)))
    junk = data.draw(st.binary(max_size=40))
    mutated = base[:cut] + junk + base[cut + data.draw(st.integers(0, 40)) :]
    try:
        got = read_ics_sessions(mutated, "fuzz.ics", timezone="Europe/Stockholm")
    except PlanFileError as exc:
        assert "\n" not in str(exc)
    else:
        assert isinstance(got, dict)
