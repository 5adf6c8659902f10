"""Property tests for everything ``arshjul plan`` writes, with names from arbitrary Unicode.

Hypothesis draws every name a scenario carries (scenario, regions, S3 areas, hosts, themes
and their descriptions, locations, meeting links, groups, hybrids, the learning and network
meetings, blackouts, the agency's labels) from all of Unicode except what the scenario
refuses (control characters, surrogates, U+FFFE/U+FFFF, line separators in one-line
fields), mixed with the strings that break writers: å ä ö, right-to-left text, emoji,
combining marks, ``<&>"'``, ``]]>``, ``-->``, backslashes, semicolons, commas, carets,
Excel's ``_x0041_`` escapes, and strings as long as each field allows.  A tiny scenario is
solved (one worker, fixed seed) and the whole output set written with the CLI's
:func:`arshjul.commands.write_outputs`; then every file is read back with independent
parsers:

- each .ics with ``icalendar`` and with ``vobject``: SUMMARY, LOCATION and DESCRIPTION
  read back equal to what the plan says (the documented one-line folding of SUMMARY and
  LOCATION), CN parameters equal to the documented one-line, quote-free form;
- wheel.svg and heatmap.svg with ``xml.etree``; report.html with ``html.parser`` and a
  strict tag stack (every opened tag closed, no script); report.md's tables keep their
  columns;
- plan.json round-trips exactly; plan.xlsx opens with openpyxl with the names in its cells;
- the plan passes the independent checker.

A second property walks the scenario's JSON Schema: every string field refuses every
control character with one line.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import unicodedata
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import icalendar
import openpyxl
import vobject
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import arshjul
from arshjul.commands import write_outputs
from arshjul.errors import ScenarioError
from arshjul.plan import Plan, Session
from arshjul.scenario import Scenario, from_data, json_schema
from arshjul.workbook.files import text_of
from conftest import base, merge

DTSTAMP = dt.datetime(2027, 8, 1, tzinfo=dt.UTC)
NAME_MAX, LINE_MAX, TEXT_MAX = 200, 5000, 5000
"""The scenario's limits: a Name, a Line (location, link), a Text (description)."""

PRINTABLE = st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp"), exclude_characters="\ufffe\uffff")
"""Every character a one-line field accepts."""
FREE = st.one_of(PRINTABLE, st.sampled_from("\t\n\u2028\u2029"))
"""Every character a description accepts (tabs, line breaks, Unicode line separators)."""
HOSTILE = [
    "å ä ö Å Ä Ö",
    "Region Västra Götaland",
    "שלום עולם",
    "مرحبا بالعالم",
    "\u202eevil\u202c",
    "\u200f\u200e",
    "😀",
    "👩\u200d👩\u200d👧",
    "🇸🇪",
    "e\u0301a\u0308o\u0308",
    "\u0301",
    "<&>\"'",
    "]]>",
    "-->",
    "<!--",
    "<script>alert(1)</script>",
    "&amp;&#0;",
    "\\",
    "\\n",
    "\\,",
    ";",
    ",",
    ":",
    "^",
    "^n",
    "^'",
    "_x0041_",
    "=1+1",
    "|",
    "*_`#[]",
    "%s{0}",
    " ",
    "\u00a0",
    "\u3000",
]


def _text(chars: st.SearchStrategy[str], limit: int) -> st.SearchStrategy[str]:
    piece = st.lists(
        st.one_of(st.sampled_from(HOSTILE), st.text(chars, min_size=1, max_size=12)), min_size=1, max_size=5
    ).map("".join)
    long = piece.map(lambda s: (s * (limit // len(s) + 1))[:limit])
    # a name must hold something besides white space (the scenario strips it)
    return st.one_of(piece, piece, piece, long).map(lambda s: s if s.strip() else f"x{s}"[:limit])


NAMES = _text(PRINTABLE, NAME_MAX)
LINES = _text(PRINTABLE, LINE_MAX)
TEXTS = _text(FREE, TEXT_MAX)

OUTPUTS = settings(
    max_examples=12,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),  # shrinking 5,000-character names takes minutes
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@st.composite
def hostile_scenarios(draw: st.DrawFn) -> dict[str, Any]:
    """The tiny base with every name drawn: three regions (two present jointly as a group),
    two hosts, a theme, a hybrid, the learning and network meetings and a blackout."""
    regions = [
        {
            "code": code,
            "name": draw(NAMES),
            "contact": f"s3@{code.lower()}.example.org",
            "s3": [{"name": draw(NAMES), "tags": [draw(NAMES)]}],
        }
        for code in ("SE-E", "SE-M", "SE-I")
    ]
    return merge(
        base(),
        **{
            "name": draw(NAMES),
            "description": draw(TEXTS),
            "regions": regions,
            "hosts": [
                {
                    "id": "vinnova",
                    "name": draw(NAMES),
                    "email": "dialog@vinnova.example.org",
                    "location": draw(LINES),
                    "meeting_link": draw(LINES),
                    "themes": [
                        {
                            "id": "halsa",
                            "name": draw(NAMES),
                            "description": draw(TEXTS),
                            "tags": [draw(NAMES)],
                            "interested": ["SE-E", "SE-M", "SE-I"],
                        }
                    ],
                },
                {
                    "id": "tva",
                    "name": draw(NAMES),
                    "email": "dialog@tva.example.org",
                    "location": draw(LINES),
                },
            ],
            "groups": [{"id": "duo", "name": draw(NAMES), "members": ["SE-E", "SE-M"]}],
            "hybrids": [{"id": "eko", "host": "tva", "topic": draw(NAMES), "description": draw(TEXTS)}],
            "learning_meeting": {"host": "vinnova", "name": draw(NAMES), "description": draw(TEXTS)},
            "network": {
                "host": "tva",
                "name": draw(NAMES),
                "description": draw(TEXTS),
                "dates": ["2027-09-30"],
                "followup_weeks": 1,
            },
            "calendar.blackouts": [{"name": draw(NAMES), "from": "2027-09-13", "to": "2027-09-13"}],
            "labels": {kind: draw(NAMES) for kind in ("dialog", "hybrid", "learning", "network")},
        },
    )


# -- what the plan says a calendar shows (the documented rules, written out again) ---------


def one_line(text: str) -> str:
    """SUMMARY and LOCATION hold one line (README, ics/text.py): line breaks become spaces."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", " ")


def cn(text: str) -> str:
    """A CN parameter: one line; Outlook reads no RFC 6868, so a double quote becomes an
    apostrophe and a caret (which RFC 6868 would double) a modifier circumflex; a backslash
    (which icalendar's reader takes for an escape) a fullwidth reverse solidus."""
    return one_line(text).replace('"', "'").replace("^", "\u02c6").replace("\\", "\uff3c")


def expected_summary(plan: Plan, s: Session) -> str:
    if s.kind == "dialog":
        return f"{one_line(plan.labels['dialog'])}: {one_line(s.title)}"
    return one_line(s.title)


def expected_location(s: Session) -> str:
    place = one_line(s.location) if s.location else ""
    link = one_line(s.meeting_link) if s.meeting_link else ""
    if place and link and link not in place:
        return f"{place} – {link}"
    return place or link


def _check_event(plan: Plan, summary: str, location: str, description: str, uid: str, where: str) -> None:
    sid, _, _rest = uid.partition("@")
    if sid.startswith("closure-"):
        names = {c.name for c in plan.closures}
        assert summary in names, (where, summary)
        return
    s = plan.session(sid)
    assert summary == expected_summary(plan, s), where
    assert location == expected_location(s), where
    assert description.endswith(s.description), where
    for p in s.presentations:
        assert p.name in description, (where, p.name)
    if s.meeting_link:
        assert s.meeting_link in description, where


def _check_ics(plan: Plan, path: Path) -> None:
    raw = path.read_bytes()
    where = path.name
    cal = icalendar.Calendar.from_ical(raw)
    first: list[tuple[str, str, str, str, list[str]]] = []
    for ev in cal.walk("VEVENT"):
        cns = [
            str(a.params["CN"]) for a in [ev.get("organizer"), *_as_list(ev.get("attendee"))] if a is not None
        ]
        first.append(
            (
                str(ev["uid"]),
                str(ev["summary"]),
                str(ev.get("location", "")),
                str(ev.get("description", "")),
                cns,
            )
        )
    second: list[tuple[str, str, str, str, list[str]]] = []
    vcal = vobject.readOne(raw.decode("utf-8"))
    for ev in vcal.contents.get("vevent", []):
        people = ev.contents.get("organizer", []) + ev.contents.get("attendee", [])
        second.append(
            (
                ev.uid.value,
                ev.summary.value,
                ev.location.value if "location" in ev.contents else "",
                ev.description.value if "description" in ev.contents else "",
                [p.params["CN"][0] for p in people],
            )
        )
    assert len(first) == len(second), where
    for one, other in zip(first, second, strict=True):
        for field, a, b in zip(("uid", "summary", "location", "description", "cn"), one, other, strict=True):
            assert a == b, (
                f"{where} {one[0]} {field}: icalendar and vobject differ at {_first_difference(a, b)}"
            )
    for uid, summary, location, description, cns in first:
        _check_event(plan, summary, location, description, uid, where)
        s = None if uid.startswith("closure-") else plan.session(uid.partition("@")[0])
        if s is not None and cns:
            names = {cn(n) for n in [*plan.hosts.values(), *plan.regions.values()]}
            assert set(cns) <= names, (where, cns)
            assert cns[0] == cn(plan.hosts[s.host]), where
    calname = cal.get("x-wr-calname")
    if calname is not None:
        # icalendar reads an X- property's text raw (it wrote it as TEXT): unescape it here
        name = _unescape(calname.to_ical().decode("utf-8"))
        assert name.startswith(cn(plan.scenario_name)), where
        assert vcal.contents["x-wr-calname"][0].value == name, where


def _first_difference(a: Any, b: Any) -> str:
    a, b = str(a), str(b)
    k = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    return f"character {k}: {a[max(0, k - 20) : k + 20]!r} vs {b[max(0, k - 20) : k + 20]!r}"


def _unescape(text: str) -> str:
    """RFC 5545 TEXT unescaped: ``\\,`` ``\\;`` ``\\\\`` and ``\\n``."""
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), text)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


# -- HTML: every opened tag closed --------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class StrictHTML(HTMLParser):
    """Fails on a close tag that does not close the innermost open one, on a script, on an
    event handler attribute; collects the <title>'s text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.title = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag != "script", "a <script> in the report"
        assert not any(name.startswith("on") for name, _ in attrs), attrs
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag != "script"
        assert not any(name.startswith("on") for name, _ in attrs), attrs

    def handle_endtag(self, tag: str) -> None:
        assert tag not in VOID, f"</{tag}>"
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1:]}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1] == "title" and self.stack[:2] == ["html", "head"]:
            self.title += data


def _check_html(plan: Plan, text: str) -> None:
    parser = StrictHTML()
    parser.feed(text)
    parser.close()
    assert parser.stack == [], f"unclosed {parser.stack}"
    assert " ".join(plan.scenario_name.split()) in parser.title


def _bare_pipes(row: str) -> int:
    count, k = 0, 0
    while k < len(row):
        if row[k] == "\\":
            k += 2
            continue
        count += row[k] == "|"
        k += 1
    return count


def _check_markdown(text: str) -> None:
    lines = text.split("\n")
    for k, line in enumerate(lines):
        if line.startswith("| ") and k + 1 < len(lines) and lines[k + 1].startswith("| ---"):
            columns = _bare_pipes(line)
            for row in lines[k:]:
                if not row.startswith("|"):
                    break
                assert _bare_pipes(row) == columns, row


def _check_xlsx(plan: Plan, path: Path) -> None:
    wb = openpyxl.load_workbook(path)
    # as Excel reads them: OOXML's _xHHHH_ escapes undone (arshjul writes '_x0041_' escaped)
    cells = {text_of(c.value) for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert wb.properties.title == plan.scenario_name
    for name in [*plan.regions.values(), *plan.hosts.values(), *(s.title for s in plan.sessions)]:
        assert name in cells, name


def _check_names(sc: Scenario, plan: Plan) -> None:
    """The plan carries the scenario's names exactly."""
    assert plan.scenario_name == sc.name
    assert plan.regions == {r.code: r.name for r in sc.regions}
    assert plan.hosts == {h.id: h.name for h in sc.hosts}
    titles = {s.kind: s.title for s in plan.sessions}
    assert titles["dialog"] == sc.hosts[0].themes[0].name
    assert titles["hybrid"] == sc.hybrids[0].topic
    assert sc.learning_meeting is not None and titles["learning"] == sc.learning_meeting.name
    assert sc.network is not None and titles["network"] == sc.network.name
    assert {c.name for c in plan.closures if c.kind == "blackout"} == {sc.calendar.blackouts[0].name}


@OUTPUTS
@given(hostile_scenarios())
def test_every_written_file_reads_back_with_the_names_as_given(data: dict[str, Any]) -> None:
    sc = from_data(data, "hostile.yaml")
    plan = arshjul.solve(sc, time_limit=10, workers=1, seed=0)
    assert plan.found, plan.status
    assert arshjul.check_plan(sc, plan).violations == []
    _check_names(sc, plan)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        written = write_outputs(plan, out, dtstamp=DTSTAMP, closures=True, invitations=True)
        kinds = {
            p.relative_to(out).parts[0] if len(p.relative_to(out).parts) > 1 else p.suffix for p in written
        }
        assert {
            "regions",
            "themes",
            "hosts",
            "invitations",
            ".ics",
            ".svg",
            ".html",
            ".md",
            ".json",
            ".xlsx",
        } <= kinds
        for path in written:
            if path.suffix == ".ics":
                _check_ics(plan, path)
            elif path.suffix == ".svg":
                ElementTree.fromstring(path.read_bytes())
            elif path.suffix == ".html":
                _check_html(plan, path.read_text(encoding="utf-8"))
            elif path.suffix == ".md":
                _check_markdown(path.read_text(encoding="utf-8"))
            elif path.suffix == ".xlsx":
                _check_xlsx(plan, path)
        text = (out / "plan.json").read_text(encoding="utf-8")
        assert text == plan.to_json()
        again = Plan.from_json(text, source="plan.json")
        assert again == plan
        assert again.to_json() == text
        assert arshjul.check_plan(sc, again).ok


# -- every string field refuses control characters, in one line --------------------------

FULL: dict[str, Any] = merge(
    base(),
    **{
        "description": "Beskrivning",
        "timezone": "Europe/Stockholm",
        "weekdays": ["mon", "tue", "wed", "thu", "fri"],
        "publication_date": "2027-08-01",
        "language": "sv",
        "slots": [{"id": "morning", "name": "Förmiddag", "start": "09:00", "end": "12:00"}],
        "calendar.blackouts": [{"name": "Stängt", "from": "2027-09-13", "to": "2027-09-13"}, "2027-09-14"],
        "regions": [
            {
                "code": "SE-E",
                "name": "Region Östergötland",
                "county": "Östergötlands län",
                "contact": "s3@se-e.example.org",
                "s3": [{"name": "Life science", "tags": ["hälsa"]}],
                "away": ["2027-09-15"],
                "cannot_present": [{"name": "Konferens", "from": "2027-09-16", "to": "2027-09-16"}],
                "unavailable": ["2027-W39"],
                "school_holidays": ["2027-09-17"],
            },
            {"code": "SE-M", "name": "Region Skåne"},
            {"code": "SE-I", "name": "Region Gotland"},
        ],
        "hosts": [
            {
                "id": "vinnova",
                "name": "Vinnova",
                "email": "dialog@vinnova.example.org",
                "location": "Digitalt",
                "meeting_link": "https://teams.example.org/x",
                "themes": [
                    {
                        "id": "halsa",
                        "name": "Hälsa",
                        "description": "Om hälsa.",
                        "slots": ["morning"],
                        "tags": ["hälsa"],
                        "interested": ["SE-E", {"region": "SE-M", "weight": 2, "focus": "Life science"}],
                        "invite": "interested",
                        "forbidden": ["2027-09-20"],
                        "window": "2027-09-06..2027-09-30",
                    }
                ],
            }
        ],
        "groups": [{"id": "duo", "name": "Duo", "members": ["SE-E", "SE-M"]}],
        "hybrids": [
            {
                "id": "eko",
                "host": "vinnova",
                "topic": "Ekosystem",
                "description": "Öppet.",
                "slots": ["morning"],
                "invite": "interested",
                "tags": ["hälsa"],
                "window": "2027-W37",
            }
        ],
        "learning_meeting": {
            "host": "vinnova",
            "name": "Lärmöte",
            "description": "Om formatet.",
            "slots": ["morning"],
            "window": "2027-09-06..2027-09-10",
        },
        "network": {
            "host": "vinnova",
            "name": "RND",
            "description": "Uppföljning.",
            "dates": ["2027-09-28"],
            "slot": "morning",
            "invite": "all",
        },
        "labels": {"dialog": "Dialog", "hybrid": "Hybrid", "learning": "Lär", "network": "Nät"},
    },
)
"""A scenario that fills in every string field of the schema (the walk below proves it)."""

FREE_TEXT_FIELDS = {"description"}
"""Fields that are free text (tabs and line breaks allowed); every other string is one line."""


def _defs() -> dict[str, dict[str, Any]]:
    schema = json_schema()
    return {"Scenario": schema, **schema["$defs"]}


def _props(node: dict[str, Any], defs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The properties an object schema (or any member of its anyOf) allows."""
    out = dict(node.get("properties", {}))
    for member in node.get("anyOf", []):
        out.update(_props(defs[member["$ref"].split("/")[-1]] if "$ref" in member else member, defs))
    return out


def _allows_string(node: dict[str, Any]) -> bool:
    return node.get("type") == "string" or any(_allows_string(m) for m in node.get("anyOf", []))


def _refs(node: dict[str, Any]) -> list[str]:
    found = [node["$ref"].split("/")[-1]] if "$ref" in node else []
    for member in node.get("anyOf", []):
        found += _refs(member)
    if "items" in node:
        found += _refs(node["items"])
    return found


def _schema_strings() -> set[tuple[str, str]]:
    """(definition, property) of every string field the schema has, lists of strings too."""
    defs = _defs()
    out = set()
    for name, node in defs.items():
        for prop, sub in _props(node, defs).items():
            if _allows_string(sub) or _allows_string(sub.get("items", {})):
                out.add((name, prop))
            for member in sub.get("anyOf", []):
                if _allows_string(member.get("items", {})):
                    out.add((name, prop))
    return out


def _string_leaves(
    data: Any, node: str, defs: dict[str, dict[str, Any]], path: tuple[Any, ...] = ()
) -> list[tuple[tuple[Any, ...], str, str]]:
    """(path, definition, property) of every string in ``data``, walking the schema with it."""
    out: list[tuple[tuple[Any, ...], str, str]] = []
    props = _props(defs[node], defs)
    for key, value in data.items():
        sub = props[key]
        targets = _refs(sub)
        items = value if isinstance(value, list) else [value]
        for k, item in enumerate(items):
            where = (*path, key, k) if isinstance(value, list) else (*path, key)
            if isinstance(item, str):
                out.append((where, node, key))
            elif isinstance(item, dict):
                kind = targets[0] if len(targets) == 1 else node
                out += _string_leaves(item, kind, defs, where)
    return out


LEAVES = _string_leaves(FULL, "Scenario", _defs())
CONTROLS = [chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)]] + ["\ud800", "\udfff", "\ufffe", "\uffff"]


def test_the_full_scenario_is_valid_and_fills_every_string_field_of_the_schema() -> None:
    from_data(FULL, "full.yaml")
    covered = {(node, prop) for _, node, prop in LEAVES}
    # file names, read when the scenario loads (tests/scenario/test_availability_files.py
    # holds their names and contents to the same one-line refusals)
    files = {("Region", "away_from"), ("Region", "cannot_present_from")}
    assert _schema_strings() - covered - files == set()


def _put(data: dict[str, Any], path: tuple[Any, ...], value: str) -> dict[str, Any]:
    out = merge(data)
    node: Any = out
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return out


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.sampled_from(LEAVES), st.sampled_from(CONTROLS), st.integers(0, 10**6))
def test_a_control_character_in_any_string_field_is_one_error_line(
    leaf: tuple[tuple[Any, ...], str, str], char: str, at: int
) -> None:
    path, _, prop = leaf
    node: Any = FULL
    for key in path:
        node = node[key]
    if prop in FREE_TEXT_FIELDS and char in "\t\n":
        return  # a description may have tabs and line breaks
    # inside the text: white space at either end (a tab, a line break) is trimmed as a
    # scenario trims every string, which leaves no control character to refuse
    k = 1 + at % (len(node) - 1)
    changed = _put(FULL, path, node[:k] + char + node[k:])
    try:
        from_data(changed, "bad.yaml")
    except ScenarioError as err:
        line = str(err)
        assert "\n" not in line and "\r" not in line
        assert line.startswith("bad.yaml")
        assert all(unicodedata.category(c) not in ("Cc", "Cs") for c in line), repr(line)
    else:
        raise AssertionError(f"{path}: {char!r} accepted")
