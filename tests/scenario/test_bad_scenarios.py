"""Bad scenarios the corpus in ``tests/bad/`` cannot hold: whole classes of mistakes, each
refused in one line naming the file, the field and the problem, with exit code 2, no
traceback and nothing written.

The corpus (``test_bad_input.py``) has one file per mistake; here each class is one
parametrised test over many variants of it, built from a small valid scenario.
"""

from __future__ import annotations

import copy
import os
import stat
import sys
from pathlib import Path
from typing import Any

import icalendar
import pycountry
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from test_properties import scenarios as random_scenarios

import arshjul
from arshjul import counting, scenario, swedish
from arshjul.cli import main
from arshjul.errors import ScenarioError, ScenarioWarning, printable
from arshjul.variants import variant
from conftest import base, merge

SMALL: dict[str, Any] = {
    "id": "small",
    "name": "Litet år",
    "period": {"start": "2027-01-01", "end": "2027-12-31"},
    "hosts": [
        {
            "id": "vinnova",
            "name": "Vinnova",
            "email": "snabbdialoger@vinnova.example.se",
            "themes": [
                {"id": "halsa", "name": "Hållbar precisionshälsa", "interested": ["SE-E", "SE-M"]},
                {"id": "rymd", "name": "Rymd", "tags": ["rymd"]},
            ],
        }
    ],
    "regions": [
        {"code": "SE-E", "name": "Region Östergötland", "contact": "s3@regionostergotland.se"},
        {"code": "SE-M", "name": "Region Skåne", "s3": [{"name": "Rymd", "tags": ["rymd"]}]},
        {"code": "SE-BD", "name": "Region Norrbotten", "s3": [{"name": "Rymdindustri", "tags": ["rymd"]}]},
    ],
}
"""A small valid year (three regions, two themes), which each case spoils in one place."""


def small(**changes: Any) -> dict[str, Any]:
    """A copy of ``SMALL`` with dotted keys replaced (``"hosts.0.email"`` reaches into lists)."""
    data = copy.deepcopy(SMALL)
    for dotted, value in changes.items():
        node: Any = data
        *path, last = dotted.split(".")
        for key in path:
            node = node[int(key)] if isinstance(node, list) else node.setdefault(key, {})
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value
    return data


def write(tmp_path: Path, data: Any, name: str = "year.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def refused(tmp_path: Path, path: str | os.PathLike[str], *, plan: bool = True) -> str:
    """Run ``validate`` (and ``plan -o``) on ``path``: exit 2, one ``error:`` line, no
    traceback, nothing written.  Returns the line without ``error: ``."""
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("error: ")
    if plan:
        out = tmp_path / "out"
        planned = CliRunner().invoke(main, ["plan", str(path), "-o", str(out), "--time-limit", "5"])
        assert planned.exit_code == 2, planned.output
        assert planned.stderr.splitlines() == lines
        assert not out.exists()
    return lines[0].removeprefix("error: ")


def test_the_small_year_is_valid(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(write(tmp_path, small()))])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


# -- 5. input files: a regular file of bounded size, or one line -----------------------------


def test_directory(tmp_path: Path) -> None:
    folder = tmp_path / "year.yaml"
    folder.mkdir()
    assert refused(tmp_path, folder, plan=False) == f"{folder}: is a folder, not a file"
    with pytest.raises(ScenarioError, match=r"is a folder, not a file$"):
        scenario.load(folder)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_named_pipe_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "year.yaml"
    os.mkfifo(fifo)  # nobody writes: opening it for reading would block forever
    assert refused(tmp_path, fifo) == (
        f"{fifo}: is a named pipe, not a file; save the scenario to a file and give that"
    )


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this system")
def test_endless_device_is_refused_without_reading(tmp_path: Path) -> None:
    assert refused(tmp_path, "/dev/zero") == (
        "/dev/zero: is a device, not a file; save the scenario to a file and give that"
    )


def test_nul_byte_in_the_path(tmp_path: Path) -> None:
    line = refused(tmp_path, f"{tmp_path}/year\x00.yaml", plan=False)
    assert line == f"{tmp_path}/year\\x00.yaml: the file name has a NUL byte; no file can be named so"
    with pytest.raises(ScenarioError, match="NUL byte"):
        scenario.read_text(Path("year\x00.yaml"))


def test_path_longer_than_the_system_allows(tmp_path: Path) -> None:
    long = tmp_path / ("a" * 6000 + ".yaml")
    line = refused(tmp_path, long)
    assert line.endswith(" characters): cannot read: the path is longer than the system allows")
    assert len(line) < 300  # the file is named, shortened in the middle
    assert line.startswith(str(tmp_path)[:40])


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root reads every file")
def test_unreadable_file(tmp_path: Path) -> None:
    path = write(tmp_path, small())
    path.chmod(0)
    try:
        assert refused(tmp_path, path) == f"{path}: cannot read: permission denied"
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_unreadable_file_even_for_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same refusal where the test runs as root: the open is made to fail as it would."""
    path = write(tmp_path, small())
    real_open = os.open

    def denied(file: Any, *args: Any, **kwargs: Any) -> int:
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied")
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(os, "open", denied)
    assert refused(tmp_path, path) == f"{path}: cannot read: permission denied"


def test_file_that_grows_past_the_cap_while_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only ``MAX_FILE_BYTES + 1`` bytes are ever read, whatever ``stat`` said first."""
    path = tmp_path / "year.yaml"
    path.write_bytes(b"# " + b"x" * (3 << 19) + b"\n")  # 1.5 MB
    monkeypatch.setattr(scenario, "MAX_FILE_BYTES", 1 << 20)
    with pytest.raises(ScenarioError) as info:
        scenario.read_text(path)
    assert str(info.value) == f"{path}: is 1.6 MB; scenario files are limited to 1 MB"
    real_stat = os.stat

    def says_small(file: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        st = real_stat(file, *args, **kwargs)
        if str(file) != str(path):
            return st
        return os.stat_result((*st[:6], 10, *st[7:]))  # st_size: 10 bytes

    monkeypatch.setattr(os, "stat", says_small)
    with pytest.raises(ScenarioError) as info:
        scenario.read_text(path)
    assert str(info.value) == f"{path}: is larger than 1 MB; scenario files are limited to 1 MB"


# -- 4. a key given twice in one mapping ----------------------------------------------------

SMALL_YAML = yaml.safe_dump(SMALL, allow_unicode=True, sort_keys=False)

DUPLICATE_KEYS = {
    # name: (YAML text, the text at which the second key starts, the key)
    "top-level": (
        SMALL_YAML + "period: {start: 2028-01-01, end: 2028-12-31}\n",
        "period: {start: 2028",
        "period",
    ),
    "nested": (
        SMALL_YAML.replace("  end: '2027-12-31'\n", "  end: '2027-12-31'\n  start: '2027-02-01'\n"),
        "start: '2027-02-01'",
        "start",
    ),
    "in a list item": (
        SMALL_YAML.replace("- code: SE-M\n", "- code: SE-M\n  code: SE-K\n"),
        "code: SE-K",
        "code",
    ),
    "flow mapping": (
        SMALL_YAML + "limits: {window_max: 3, daily_max: 1, window_max: 5}\n",
        "window_max: 5",
        "window_max",
    ),
    "quoted the second time": (SMALL_YAML + "'id': other\n", "'id': other", "id"),
}


@pytest.mark.parametrize("case", DUPLICATE_KEYS, ids=list(DUPLICATE_KEYS))
def test_duplicate_key(tmp_path: Path, case: str) -> None:
    text, second, key = DUPLICATE_KEYS[case]
    at = text.index(second)
    line_no = text.count("\n", 0, at) + 1
    column = at - text.rfind("\n", 0, at)
    path = tmp_path / "year.yaml"
    path.write_text(text, encoding="utf-8")
    line = refused(tmp_path, path)
    assert line.startswith(
        f"{path}: line {line_no}, column {column}: key '{key}' is given twice in one mapping (first on line "
    )
    assert line.endswith("); YAML would silently keep only the last")


def test_a_merge_key_may_be_overridden(tmp_path: Path) -> None:
    """``<<: *defaults`` then the same key again is how YAML merges are meant to be used."""
    text = SMALL_YAML.replace(
        "hosts:\n", "x-slot: &slot {id: morning, start: '09:00', end: '12:00'}\nhosts:\n"
    )
    text = text.replace("x-slot: &slot", "slots:\n- <<: &slot")
    text = text.replace("end: '12:00'}\n", "end: '12:00'}\n  end: '11:30'\n", 1)
    data = scenario.parse_yaml(text)
    assert data["slots"] == [{"id": "morning", "start": "09:00", "end": "11:30"}]


# -- 3. list items are named by their code or id, not by their position ----------------------

SWEDEN = [
    *("SE-AB", "SE-C", "SE-D", "SE-E", "SE-F", "SE-G", "SE-H", "SE-I", "SE-K", "SE-M", "SE-N"),
    *("SE-O", "SE-S", "SE-T", "SE-U", "SE-W", "SE-X", "SE-Y", "SE-Z", "SE-AC", "SE-BD"),
]


def sweden(**changes: Any) -> dict[str, Any]:
    """The small year with all 21 Swedish regions (Dalarna, SE-W, is the 16th)."""
    return small(regions=[{"code": code, "name": f"Region {code}"} for code in SWEDEN], **changes)


ITEM_PATHS = {
    # name: (data, the field the error must name)
    "region by code": (sweden(**{"regions.15.kontakt": "x"}), "regions[SE-W].kontakt"),
    "theme by id": (small(**{"hosts.0.themes.1.dialogs": 0}), "hosts[vinnova].themes[rymd].dialogs"),
    "slot by id": (
        small(
            slots=[{"id": "fm", "start": "09:00", "end": "12:00"}, {"id": "em", "start": "13:00", "end": 9}]
        ),
        "slots[em].end",
    ),
    "hybrid by id": (
        small(hybrids=[{"id": "chips", "host": "vinnova", "topic": "EU Chips Act", "duration_minutes": 5}]),
        "hybrids[chips].duration_minutes",
    ),
    "group by id": (
        small(groups=[{"id": "ost", "name": "Östra", "members": ["SE-E", "SE-K"]}]),
        "groups[ost].members[SE-K]",
    ),
    "interest mapping by region": (
        small(**{"hosts.0.themes.0.interested": ["SE-E", {"region": "SE-M", "weight": 0}]}),
        "hosts[vinnova].themes[halsa].interested[SE-M].weight",
    ),
    "interest code by itself": (
        small(**{"hosts.0.themes.0.interested": ["SE-E", "SE-K"]}),
        "hosts[vinnova].themes[halsa].interested[SE-K]",
    ),
    "cross-check on a region": (
        sweden(**{"regions.15.unavailable": ["2028-03-01"]}),
        "regions[SE-W].unavailable[0]",
    ),
    # an item whose id is the faulty value, or is shared, or looks like a position: by position
    "malformed id": (small(**{"hosts.0.themes.1.id": "Rymd"}), "hosts[vinnova].themes[1].id"),
    "shared id": (
        small(regions=[*SMALL["regions"], {"code": "SE-E", "name": "Again", "kontakt": "x"}]),
        "regions[3].kontakt",
    ),
    "id of digits": (
        small(**{"hosts.0.themes.1.id": "2027", "hosts.0.themes.1.dialogs": 0}),
        "hosts[vinnova].themes[1].dialogs",
    ),
}


@pytest.mark.parametrize("case", ITEM_PATHS, ids=list(ITEM_PATHS))
def test_items_are_named_by_id(tmp_path: Path, case: str) -> None:
    data, field = ITEM_PATHS[case]
    path = write(tmp_path, data)
    assert refused(tmp_path, path).startswith(f"{path}: {field}: ")


def test_extends_names_items_by_id_in_the_file_that_set_them(tmp_path: Path) -> None:
    write(tmp_path, sweden(**{"regions.15.unavailable": ["2028-03-01"]}), "base.yaml")
    child = write(tmp_path, {"extends": "base.yaml", "regions": [{"code": "SE-M", "name": "Region Skåne"}]})
    line = refused(tmp_path, child)
    assert line.startswith(f"{tmp_path / 'base.yaml'}: regions[SE-W].unavailable[0]: ")


def test_variant_names_items_by_id() -> None:
    with pytest.raises(ScenarioError) as info:
        variant(scenario.from_data(sweden()), {"regions[SE-W].unavailable": ["2028-03-01"]})
    assert str(info.value).startswith("change 'regions[SE-W].unavailable': regions[SE-W].unavailable[0]: ")


# -- 8. control characters in strings -----------------------------------------------------------

FULL: dict[str, Any] = {
    "id": "full",
    "name": "Årshjul med allt",
    "description": "Alla fält.\n\tMed tabb och radbrytning.",
    "period": {"start": "2027-01-01", "end": "2027-12-31"},
    "timezone": "Europe/Stockholm",
    "slots": [{"id": "morning", "name": "förmiddag", "start": "09:00", "end": "12:00"}],
    "weekdays": ["mon", "tue", "wed", "thu", "fri"],
    "publication_date": "2026-12-01",
    "calendar": {"blackouts": ["W27..W32", {"name": "Jul", "from": "2027-12-20", "to": "2027-12-31"}]},
    "hosts": [
        {
            "id": "vinnova",
            "name": "Vinnova",
            "email": "snabbdialoger@vinnova.example.se",
            "location": "Digitalt (Microsoft Teams)",
            "meeting_link": "https://teams.example.org/l/meetup-join/snabbdialoger",
            "themes": [
                {
                    "id": "halsa",
                    "name": "Hållbar precisionshälsa",
                    "description": "Precisionshälsa.",
                    "forbidden": [{"name": "Almedalen", "from": "2027-06-28", "to": "2027-07-02"}],
                    "window": "2027-02-01..2027-06-15",
                    "slots": ["morning"],
                    "tags": ["life science"],
                    "interested": ["SE-E", {"region": "SE-M", "weight": 2}],
                    "invite": "interested",
                }
            ],
        }
    ],
    "regions": [
        {
            "code": "SE-E",
            "name": "Region Östergötland",
            "county": "Östergötlands län",
            "contact": "s3@regionostergotland.se",
            "s3": [{"name": "Life science", "tags": ["life science"]}],
            "unavailable": ["2027-05-03"],
            "school_holidays": ["W07..W08"],
        },
        {"code": "SE-M", "name": "Region Skåne"},
    ],
    "groups": [{"id": "syd", "name": "Sydost", "members": ["SE-E", "SE-M"]}],
    "hybrids": [
        {
            "id": "ekosystem",
            "host": "vinnova",
            "topic": "Ekosystem",
            "description": "Öppen för alla.",
            "slots": ["morning"],
            "window": "2027-02-01..2027-03-31",
            "invite": "interested",
            "tags": ["life science"],
        }
    ],
    "learning_meeting": {
        "host": "vinnova",
        "name": "Lärmöte",
        "description": "Om formatet.",
        "slots": ["morning"],
    },
    "network": {
        "host": "vinnova",
        "name": "RND",
        "description": "Uppföljning.",
        "dates": ["2027-11-10"],
        "slot": "morning",
    },
}
"""A valid year that writes every string field there is at least once."""


def _string_leaves(value: Any, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    if isinstance(value, str):
        return [path]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _string_leaves(v, (*path, k))]
    if isinstance(value, list):
        return [p for k, v in enumerate(value) for p in _string_leaves(v, (*path, k))]
    return []


def _spoil(data: Any, path: tuple[str | int, ...], char: str) -> Any:
    spoiled = copy.deepcopy(data)
    node = spoiled
    for part in path[:-1]:
        node = node[part]
    text = node[path[-1]]
    node[path[-1]] = text[:2] + char + text[2:]
    return spoiled


STRING_FIELDS = _string_leaves(FULL)


def test_the_full_year_is_valid_and_has_every_string_field() -> None:
    scenario.from_data(FULL)
    assert len(STRING_FIELDS) >= 60


@pytest.mark.parametrize("path", STRING_FIELDS, ids=[scenario.field_path(FULL, p) for p in STRING_FIELDS])
def test_escape_character_in_every_string_field(tmp_path: Path, path: tuple[str | int, ...]) -> None:
    spoiled = _spoil(FULL, path, "\x1b")
    line = refused(tmp_path, write(tmp_path, spoiled), plan=False)
    field = scenario.field_path(spoiled, path)
    where = line.removeprefix(f"{tmp_path / 'year.yaml'}: ")
    # the error names the field itself, or the span or list item the text is a part of
    named = [scenario.field_path(spoiled, path[:k]) for k in (len(path), len(path) - 1)]
    assert any(where.startswith(f"{n}: ") for n in named), (field, line)
    assert "\x1b" not in line  # shown escaped, never sent to the terminal


CONTROL = {
    "NUL": ("\\0", "NUL, U+0000"),
    "BEL": ("\\a", "BEL, U+0007"),
    "ESC": ("\\e", "ESC, U+001B"),
    "form feed": ("\\f", "FF, U+000C"),
    "backspace": ("\\b", "BS, U+0008"),
    "DEL": ("\\x7f", "U+007F"),
    "C1 next line": ("\\N", "U+0085"),
    "C1 CSI": ("\\x9b", "U+009B"),
    "lone surrogate": ("\\ud800", "U+D800"),
    "non-character": ("\\uffff", "U+FFFF"),
}


CONTROL_PLACES = {
    # where: (the YAML line to replace, its spoiled form with {c} for the escape, the field shown, the rule)
    "name": ("name: Litet år\n", 'name: "Litet{c} år"\n', "name", "write it as one line of plain text"),
    "description": (
        "name: Litet år\n",
        'name: Litet år\ndescription: "Rad ett\\n\\tRad{c} två"\n',
        "description",
        "plain text with tabs and line breaks only",
    ),
    "region name": (
        "  name: Region Östergötland\n",
        '  name: "Region{c} Östergötland"\n',
        "regions[SE-E].name",
        "write it as one line of plain text",
    ),
}


@pytest.mark.parametrize("case", CONTROL, ids=list(CONTROL))
@pytest.mark.parametrize("place", CONTROL_PLACES, ids=list(CONTROL_PLACES))
def test_control_character_escaped_in_yaml(tmp_path: Path, case: str, place: str) -> None:
    escape, named = CONTROL[case]
    line_was, spoiled, shown, rule = CONTROL_PLACES[place]
    assert line_was in SMALL_YAML
    path = tmp_path / "year.yaml"
    path.write_text(SMALL_YAML.replace(line_was, spoiled.format(c=escape), 1), encoding="utf-8")
    line = refused(tmp_path, path)
    if case == "lone surrogate":  # not text at all: refused before pydantic (which fails on a span)
        assert line.startswith(f"{path}: {shown}: has a lone surrogate (U+D800) at character ")
        return
    assert line.startswith(f"{path}: {shown}: has ")
    assert f"({named}) at character " in line and line.endswith(rule)


@pytest.mark.parametrize(
    ("char", "what"),
    [("\t", "a tab (TAB, U+0009)"), ("\n", "a line break (LF, U+000A)"), ("\u2028", "a line break (U+2028)")],
)
def test_names_are_one_line(char: str, what: str) -> None:
    with pytest.raises(ScenarioError) as info:
        scenario.from_data(small(**{"hosts.0.themes.0.name": f"Hållbar{char}hälsa"}))
    assert str(info.value) == (
        f"hosts[vinnova].themes[halsa].name: has {what} at character 8; write it as one line of plain text"
    )


def test_descriptions_keep_tabs_and_line_breaks() -> None:
    s = scenario.from_data(small(description="Första raden\n\tandra raden"))
    assert s.description == "Första raden\n\tandra raden"


def test_a_raw_control_character_in_the_file(tmp_path: Path) -> None:
    path = tmp_path / "year.yaml"
    path.write_text(SMALL_YAML.replace("Litet år", "Litet\x1bår"), encoding="utf-8")
    assert refused(tmp_path, path) == (
        f"{path}: line 2: not valid YAML: "
        "a control character (ESC, U+001B) cannot be written into a YAML file"
    )


# -- 7. e-mail addresses a calendar can carry ---------------------------------------------------

BAD_EMAILS = {
    "space": ("snabb dialoger@vinnova.se", "it has a space"),
    "tab inside": ("snabb\tdialoger@vinnova.se", "it has a control character (TAB, U+0009)"),
    "control character": ("snabb\x07dialoger@vinnova.se", "it has a control character (BEL, U+0007)"),
    "quoted local part": ('"snabb dialoger"@vinnova.se', "it has a space"),
    "double quote": ('snabb"dialoger@vinnova.se', "it has a quote"),
    "apostrophe": ("o'brien@vinnova.se", "it has a quote"),
    "non-ASCII local part": (
        "åsa@vinnova.se",
        "it has 'å'; calendars need ASCII addresses (a domain in its xn-- form)",
    ),
    "non-ASCII domain": (
        "info@region-skåne.se",
        "it has 'å'; calendars need ASCII addresses (a domain in its xn-- form)",
    ),
    "mailto: prefix": ("mailto:snabbdialoger@vinnova.se", "write the address alone, without 'mailto:'"),
    "mailto: header injection": (
        "snabbdialoger?cc=all@vinnova.se",
        "'?' cannot stand before the '@' (letters, digits, '.', '_', '+' and '-' only)",
    ),
    "query after the domain": (
        "snabbdialoger@vinnova.se?subject=x",
        "'vinnova.se?subject=x' is not a host name",
    ),
    "ampersand": (
        "a&b@vinnova.se",
        "'&' cannot stand before the '@' (letters, digits, '.', '_', '+' and '-' only)",
    ),
    "angle brackets": (
        "<snabbdialoger@vinnova.se>",
        "'<' cannot stand before the '@' (letters, digits, '.', '_', '+' and '-' only)",
    ),
    "semicolon": (
        "a;b@vinnova.se",
        "';' cannot stand before the '@' (letters, digits, '.', '_', '+' and '-' only)",
    ),
    "leading dot": (
        ".snabb@vinnova.se",
        "the part before the '@' has a '.' at its start or end, or two in a row",
    ),
    "two dots": (
        "snabb..dialoger@vinnova.se",
        "the part before the '@' has a '.' at its start or end, or two in a row",
    ),
    "local part over 64": ("a" * 65 + "@vinnova.se", "the part before the '@' is longer than 64 characters"),
    "over 254 characters": (
        "a" * 64 + "@" + ("b" * 62 + ".") * 2 + "b" * 61 + ".se",
        "it is 255 characters long; an address has at most 254",
    ),
    "domain label with hyphen": ("a@-vinnova.se", "'-vinnova.se' is not a host name"),
    "numeric top-level domain": ("a@vinnova.123", "'vinnova.123' is not a host name"),
    "no top-level domain": ("a@vinnova", ""),
    "two @": ("a@b@vinnova.se", ""),
}


@pytest.mark.parametrize("case", BAD_EMAILS, ids=list(BAD_EMAILS))
@pytest.mark.parametrize(
    ("where", "shown"),
    [("hosts.0.email", "hosts[vinnova].email"), ("regions.1.contact", "regions[SE-M].contact")],
)
def test_bad_email(tmp_path: Path, case: str, where: str, shown: str) -> None:
    address, problem = BAD_EMAILS[case]
    path = write(tmp_path, small(**{where: address}))
    line = refused(tmp_path, path, plan=where.startswith("hosts"))
    expected = f"{path}: {shown}: {printable(repr(address))} is not an e-mail address"
    assert line == (f"{expected}: {problem}" if problem else expected)


GOOD_EMAILS = [
    "snabbdialoger@vinnova.se",
    "Anna.Berg+s3@Region-Ostergotland.example.se",
    "s3_kontakt-1@m.example.se",
    "info@xn--rgion-skne-02a.se",
    "a" * 64 + "@" + ("b" * 62 + ".") * 2 + "b" * 61 + ".s",  # 254 characters, the most there may be
]


@pytest.mark.parametrize("address", GOOD_EMAILS)
def test_good_email_is_carried_by_a_calendar(address: str) -> None:
    s = scenario.from_data(small(**{"hosts.0.email": address, "regions.1.contact": address}))
    assert s.host("vinnova").email == address == s.region("SE-M").contact
    event = icalendar.Event()
    event.add("organizer", icalendar.vCalAddress(f"mailto:{address}"))
    cal = icalendar.Calendar()
    cal.add_component(event)
    again = icalendar.Calendar.from_ical(cal.to_ical())
    organizer = next(iter(again.walk("VEVENT")))["ORGANIZER"]
    assert str(organizer) == f"mailto:{address}"


# -- 6. calendar extremes and times -------------------------------------------------------------

SUNDAYS = {"weekdays": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "calendar": {"blackouts": []}}
"""Every day a meeting day, so a DST gap on a Sunday matters."""

CALENDAR = {
    # name: (changes, field, problem)
    "period in year 1": (
        {"period": {"start": "0001-01-01", "end": "0001-12-31"}},
        "period.start",
        "0001-01-01 is outside the years arshjul plans (1900 to 2999)",
    ),
    "period in year 9999": (
        {"period": {"start": "9999-01-01", "end": "9999-12-31"}},
        "period.start",
        "9999-01-01 is outside the years arshjul plans (1900 to 2999)",
    ),
    "period ends on the last day there is": (
        {"period": {"start": "2999-06-01", "end": "9999-12-31"}},
        "period.end",
        "9999-12-31 is outside the years arshjul plans (1900 to 2999)",
    ),
    "period a day too early": (
        {"period": {"start": "1899-12-31", "end": "1900-06-30"}},
        "period.start",
        "1899-12-31 is outside the years arshjul plans (1900 to 2999)",
    ),
    "lead time past the last day": (
        {"period": {"start": "2999-01-01", "end": "2999-12-31"}, "limits": {"lead_time_days": 100000}},
        "limits.lead_time_days",
        "100000 days of lead time leave no day in the period",
    ),
    "lead time from a late publication": (
        {
            "period": {"start": "2999-01-01", "end": "2999-12-31"},
            "publication_date": "2999-12-31",
            "limits": {"lead_time_days": 100000},
        },
        "limits.lead_time_days",
        "100000 days of lead time leave no day in the period",
    ),
    "slot with a UTC offset": (
        {"slots": [{"id": "fm", "start": "09:00+02:00", "end": "12:00"}]},
        "slots[fm].start",
        "'09:00+02:00' has a UTC offset; write the local time alone, like '09:00' "
        "(the scenario's timezone gives the offset, winter and summer)",
    ),
    "slot end in UTC": (
        {"slots": [{"id": "fm", "start": "09:00", "end": "12:00Z"}]},
        "slots[fm].end",
        "'12:00+00:00' has a UTC offset; write the local time alone, like '12:00' "
        "(the scenario's timezone gives the offset, winter and summer)",
    ),
    "slot with seconds": (
        {"slots": [{"id": "fm", "start": "09:00:30", "end": "12:00"}]},
        "slots[fm].start",
        "'09:00:30' has seconds; meeting times are whole minutes, like '09:00'",
    ),
    "start in the Stockholm spring gap": (
        {**SUNDAYS, "slots": [{"id": "natt", "start": "02:30", "end": "05:00"}]},
        "slots[natt].start",
        "02:30 does not exist on 2027-03-28 in Europe/Stockholm (the clocks jump over it); "
        "a session there would be an hour short or last no time at all",
    ),
    "end in the Stockholm spring gap": (
        {**SUNDAYS, "slots": [{"id": "natt", "start": "01:00", "end": "02:00"}]},
        "slots[natt].end",
        "02:00 does not exist on 2027-03-28 in Europe/Stockholm (the clocks jump over it); "
        "a session there would be an hour short or last no time at all",
    ),
    "a 0-minute slot across the gap": (
        {**SUNDAYS, "slots": [{"id": "natt", "start": "02:00", "end": "03:00"}]},
        "slots[natt].start",
        "02:00 does not exist on 2027-03-28 in Europe/Stockholm (the clocks jump over it); "
        "a session there would be an hour short or last no time at all",
    ),
    "New York": (
        {
            **SUNDAYS,
            "timezone": "America/New_York",
            "slots": [{"id": "natt", "start": "02:15", "end": "04:00"}],
        },
        "slots[natt].start",
        "02:15 does not exist on 2027-03-14 in America/New_York (the clocks jump over it); "
        "a session there would be an hour short or last no time at all",
    ),
    "Lord Howe's half-hour gap": (
        {
            **SUNDAYS,
            "timezone": "Australia/Lord_Howe",
            "slots": [{"id": "natt", "start": "01:00", "end": "02:15"}],
        },
        "slots[natt].end",
        "02:15 does not exist on 2027-10-03 in Australia/Lord_Howe (the clocks jump over it); "
        "a session there would be an hour short or last no time at all",
    ),
    "Santiago's gap at midnight": (
        {
            **SUNDAYS,
            "timezone": "America/Santiago",
            "slots": [{"id": "natt", "start": "00:00", "end": "02:00"}],
        },
        "slots[natt].start",
        "00:00 does not exist on 2027-09-05 in America/Santiago (the clocks jump over it); "
        "a session there would be an hour short or last no time at all",
    ),
    "overlapping slots": (
        {
            "slots": [
                {"id": "fm", "start": "09:00", "end": "12:00"},
                {"id": "lunch", "start": "11:00", "end": "14:00"},
            ]
        },
        "slots[lunch]",
        "11:00–14:00 overlaps slot 'fm' (09:00–12:00); slots of a day must not overlap, "
        "or a region could be invited to both at once",
    ),
    "the same slot twice under two ids": (
        {
            "slots": [
                {"id": "fm", "start": "09:00", "end": "12:00"},
                {"id": "morgon", "start": "09:00", "end": "12:00"},
            ]
        },
        "slots[morgon]",
        "09:00–12:00 overlaps slot 'fm' (09:00–12:00); slots of a day must not overlap, "
        "or a region could be invited to both at once",
    ),
    "a slot inside another, listed first": (
        {
            "slots": [
                {"id": "kort", "start": "10:00", "end": "11:00"},
                {"id": "dag", "start": "09:00", "end": "16:00"},
            ]
        },
        "slots[kort]",
        "10:00–11:00 overlaps slot 'dag' (09:00–16:00); slots of a day must not overlap, "
        "or a region could be invited to both at once",
    ),
}


@pytest.mark.parametrize("case", CALENDAR, ids=list(CALENDAR))
def test_calendar_extremes_and_times(tmp_path: Path, case: str) -> None:
    changes, field, problem = CALENDAR[case]
    path = write(tmp_path, small(**changes))
    assert refused(tmp_path, path) == f"{path}: {field}: {problem}"


@pytest.mark.parametrize(
    "changes",
    [
        {"period": {"start": "1900-01-01", "end": "1900-12-31"}},
        {"period": {"start": "2999-01-01", "end": "2999-12-31"}, "publication_date": "1900-01-01"},
        # a night slot is fine when the gap falls on a day without meetings (a Sunday)
        {"slots": [{"id": "natt", "start": "02:30", "end": "05:00"}]},
        {
            "slots": [
                {"id": "fm", "start": "09:00", "end": "12:00"},
                {"id": "em", "start": "12:00", "end": "15:00"},
            ]
        },
    ],
    ids=["first year", "last year", "gap on a Sunday", "slots that touch"],
)
def test_calendar_edges_that_are_fine(tmp_path: Path, changes: dict[str, Any]) -> None:
    result = CliRunner().invoke(main, ["validate", str(write(tmp_path, small(**changes)))])
    assert result.exit_code == 0, result.output


# -- 9. counting checks in validate: what arithmetic alone rules out --------------------------

SEPTEMBER = base()
"""Four working weeks of September 2027 with every rule off (tests/conftest.py)."""


def september(**changes: Any) -> dict[str, Any]:
    return merge(SEPTEMBER, **changes)


def hybrids(n: int, host: str = "vinnova") -> list[dict[str, Any]]:
    return [{"id": f"{host}-h{k}", "host": host, "topic": f"Hybrid {k}"} for k in range(n)]


COUNTING = {
    # name: (scenario, field, problem)
    "a theme needs more presenters than may present on it": (
        september(
            hosts=[
                {
                    "id": "vinnova",
                    "name": "Vinnova",
                    "themes": [
                        {
                            "id": "halsa",
                            "name": "Hälsa",
                            "dialogs": 2,
                            "min_presenters": 2,
                            "interested": ["SE-E", "SE-M", "SE-I"],
                        }
                    ],
                }
            ]
        ),
        "hosts[vinnova].themes[halsa].min_presenters",
        "dialog_min_presenters: 2 dialogs of 'Hälsa' with at least 2 presenters each need 4 presentations, "
        "but region_theme_once lets a region present once on a theme and only 3 regions may present on it",
    ),
    "the dialogs need more presentations than the regions may give": (
        september(
            **{"limits.max_presentations": 1},
            hosts=[
                {
                    "id": "vinnova",
                    "name": "Vinnova",
                    "themes": [{"id": f"t{k}", "name": f"Tema {k}", "min_presenters": 2} for k in range(2)],
                }
            ],
        ),
        "limits.max_presentations",
        "dialog_min_presenters: the 2 dialogs need at least 4 presentations (min_presenters of each), but "
        "region_presentation_cap lets the 3 regions give at most 3 (each its max_presentations, once on each "
        "theme it may present on, presentation_gap_days apart)",
    ),
    "presentation gaps leave too few presentations": (
        september(
            **{"limits.presentation_gap_days": 42},
            hosts=[
                {
                    "id": "vinnova",
                    "name": "Vinnova",
                    "themes": [{"id": f"t{k}", "name": f"Tema {k}", "min_presenters": 2} for k in range(2)],
                }
            ],
        ),
        "limits.max_presentations",
        "dialog_min_presenters: the 2 dialogs need at least 4 presentations (min_presenters of each), but "
        "region_presentation_cap lets the 3 regions give at most 3 (each its max_presentations, once on each "
        "theme it may present on, presentation_gap_days apart)",
    ),
    "more invitations than the window cap allows": (
        september(**{"limits.window_max": 2}, hybrids=hybrids(3)),
        "limits.window_max",
        "region_invitation_cap: Region Östergötland is invited to 3 sessions whoever presents, but at most "
        "2 invitations in any 28 days allow at most 2 in the 26 days 2027-09-06..2027-10-01 "
        "when they can be held",
    ),
    "one region's own window cap": (
        september(
            regions=[*SEPTEMBER["regions"][:2], {**SEPTEMBER["regions"][2], "limits": {"window_max": 1}}],
            hybrids=hybrids(2),
        ),
        "regions[SE-I].limits.window_max",
        "region_invitation_cap: Region Gotland is invited to 2 sessions whoever presents, but at most "
        "1 invitation in any 28 days allow at most 1 in the 26 days 2027-09-06..2027-10-01 "
        "when they can be held",
    ),
    "more invitations than days": (
        september(
            **{"limits.daily_max": 1},
            hybrids=[*hybrids(11), *hybrids(10, "tva")],
            hosts=[{"id": "vinnova", "name": "Vinnova"}, {"id": "tva", "name": "Tillväxtverket"}],
            **{"period.end": "2027-09-30"},
        ),
        "limits.daily_max",
        "region_daily_cap: Region Östergötland is invited to 21 sessions whoever presents, but at most "
        "1 a day on the 19 days they can be held allow at most 19",
    ),
    "more dialogs than open days in the window": (
        september(
            hosts=[
                {
                    "id": "vinnova",
                    "name": "Vinnova",
                    "themes": [
                        {"id": "halsa", "name": "Hälsa", "dialogs": 4, "window": "2027-09-10..2027-09-14"}
                    ],
                }
            ]
        ),
        "hosts[vinnova].themes[halsa].window",
        "session_window: 4 dialogs of 'Hälsa' need 4 days, but only 3 days of its window "
        "(2027-09-10..2027-09-14) are open once weekends, holidays, blackouts, lead time and forbidden days "
        "are taken out",
    ),
    "dialogs of the window too close for the host": (
        september(
            **{"limits.host_gap_days": 7},
            hosts=[
                {
                    "id": "vinnova",
                    "name": "Vinnova",
                    "themes": [
                        {"id": "halsa", "name": "Hälsa", "dialogs": 3, "window": "2027-09-06..2027-09-17"}
                    ],
                }
            ],
        ),
        "hosts[vinnova].themes[halsa].window",
        "session_window and host_tempo: 3 dialogs of 'Hälsa' must be at least 7 days apart, but the 10 open "
        "days of its window (2027-09-06..2027-09-17) hold at most 2 so far apart",
    ),
    "a host's sessions too close": (
        september(hosts=[{"id": "vinnova", "name": "Vinnova", "gap_days": 7}], hybrids=hybrids(5)),
        "hosts[vinnova].gap_days",
        "host_tempo: Vinnova holds 5 sessions, at least 7 days apart, but the 20 days they can be held on "
        "(2027-09-06..2027-10-01) hold at most 4 so far apart",
    ),
}


@pytest.mark.parametrize("case", COUNTING, ids=list(COUNTING))
def test_counting_check(tmp_path: Path, case: str) -> None:
    data, field, problem = COUNTING[case]
    path = write(tmp_path, data)
    assert refused(tmp_path, path, plan=False) == f"{path}: {field}: {problem}"
    # sound: the solver agrees there is no plan
    plan = arshjul.solve(scenario.from_data(data), time_limit=20, workers=1)
    assert plan.status == "INFEASIBLE"


@pytest.mark.parametrize("name", ["sweden-2027", "multi-agency-2027", "tight-2027", "variant-tight-cap"])
def test_counting_passes_the_shipped_scenarios(name: str) -> None:
    assert counting.problems(scenario.load(scenario.bundled(name))) == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_scenarios())
def test_counting_never_refuses_a_scenario_with_a_plan(data: dict[str, Any]) -> None:
    sc = scenario.from_data(data, "random.yaml")
    found = counting.problems(sc)
    event("refused by counting" if found else "passed counting")
    if found:
        assert arshjul.solve(sc, time_limit=10, workers=1).status == "INFEASIBLE", found[0]


# -- 2. region codes: ISO 3166-2, with suggestions; warnings on school holidays ---------------

REGION_CODES = {
    # the code written: the problem
    "SE-AD": "'SE-AD' is not an ISO 3166-2 region code of Sweden; did you mean 'SE-D' (Södermanlands län), "
    "'SE-AB' (Stockholms län) or 'SE-AC' (Västerbottens län)?",
    "SE-Q": "'SE-Q' is not an ISO 3166-2 region code of Sweden; its codes are SE-AB, SE-AC, SE-BD, SE-C, "
    "SE-D, SE-E, SE-F, SE-G, SE-H, SE-I, SE-K, SE-M, SE-N, SE-O, SE-S, SE-T, SE-U, SE-W, SE-X, SE-Y, SE-Z",
    "SE-01": "'SE-01' is not an ISO 3166-2 region code of Sweden; did you mean 'SE-AB' (Stockholms län)?",
    "SE-BE": "'SE-BE' is not an ISO 3166-2 region code of Sweden; did you mean 'SE-E' (Östergötlands län), "
    "'SE-AB' (Stockholms län) or 'SE-BD' (Norrbottens län)?",
    "XX-A": "'XX-A' is not an ISO 3166-2 region code: there is no country 'XX'",
    "DE-01": "'DE-01' is not an ISO 3166-2 region code of Germany; its codes are DE-BB, DE-BE, DE-BW, DE-BY, "
    "DE-HB, DE-HE, DE-HH, DE-MV, DE-NI, DE-NW, DE-RP, DE-SH, DE-SL, DE-SN, DE-ST, DE-TH",
    "FR-75": "'FR-75' is not an ISO 3166-2 region code of France; did you mean 'FR-75C' (Paris), "
    "'FR-05' (Hautes-Alpes) or 'FR-07' (Ardèche)?",
}
COUNTY_NAMES = {
    # a name (or a code in the wrong case) written as the code: the problem
    "se-m": "'se-m' is not a region code; use the ISO 3166-2 code: did you mean 'SE-M' (Skåne län)?",
    "Skåne": "'Skåne' is not a region code; use the ISO 3166-2 code: did you mean 'SE-M' (Skåne län)?",
    "Region Stockholm": "'Region Stockholm' is not a region code; use the ISO 3166-2 code: "
    "did you mean 'SE-AB' (Stockholms län)?",
    "vastra gotaland": "'vastra gotaland' is not a region code; use the ISO 3166-2 code: "
    "did you mean 'SE-O' (Västra Götalands län)?",
    "Jämtland Härjedalen": "'Jämtland Härjedalen' is not a region code; use the ISO 3166-2 code: "
    "did you mean 'SE-Z' (Jämtlands län)?",
    "SE-Dalarna": "'SE-Dalarna' is not a region code; use the ISO 3166-2 code: "
    "did you mean 'SE-W' (Dalarnas län)?",
    "Ingenstans": "'Ingenstans' is not a region code; use the ISO 3166-2 code, such as 'SE-E' or 'SE-AB'",
}


@pytest.mark.parametrize("code", REGION_CODES)
def test_region_code_not_in_iso_3166_2(tmp_path: Path, code: str) -> None:
    path = write(tmp_path, small(**{"regions.1.code": code, "hosts.0.themes.0.interested": ["SE-E"]}))
    assert refused(tmp_path, path) == f"{path}: regions[{code}].code: {REGION_CODES[code]}"


@pytest.mark.parametrize("code", COUNTY_NAMES)
def test_county_name_instead_of_a_code(tmp_path: Path, code: str) -> None:
    path = write(tmp_path, small(**{"regions.1.code": code, "hosts.0.themes.0.interested": ["SE-E"]}))
    assert refused(tmp_path, path) == f"{path}: regions[1].code: {COUNTY_NAMES[code]}"


@pytest.mark.parametrize("code", ["SE-AB", "SE-X", "NO-03", "FI-19", "GB-ENG", "FR-75C", "DE-BY", "PL-02"])
def test_iso_codes_of_any_country_are_fine(code: str) -> None:
    s = scenario.from_data(small(**{"regions.1.code": code, "hosts.0.themes.0.interested": ["SE-E"]}))
    assert s.regions[1].code == code


def test_every_swedish_county_has_its_sportlov() -> None:
    """The shipped table covers every Swedish code ISO 3166-2 has, so no Swedish region loses
    its sportlov for want of a row (the warning below is for when it would)."""
    codes = {sub.code for sub in pycountry.subdivisions.get(country_code="SE")}
    assert len(codes) == 21
    assert {code for code in codes if swedish.sportlov_weeks(code) is None} == set()


def test_missing_school_holidays_are_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(swedish.SPORTLOV_WEEKS, "SE-BD")
    path = write(tmp_path, small())
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"warning: {path}: regions[SE-BD].school_holidays: no sportlov weeks are known for SE-BD "
        "(Norrbottens län); only påsklov and höstlov keep it from presenting — list its school holidays here"
    ]
    assert result.stdout.startswith(f"{path}: valid — ")
    # listing them, or switching school holidays off, says the planner has seen to it
    for fixed in ({"regions.2.school_holidays": ["W10"]}, {"calendar": {"school_holidays": False}}):
        quiet = CliRunner().invoke(main, ["validate", str(write(tmp_path, small(**fixed)))])
        assert quiet.exit_code == 0 and quiet.stderr == ""


COUNTIES = {
    # county written for SE-M (Skåne): the warning, or None
    "Skåne": None,
    "Skåne län": None,
    "skane": None,
    "SE-M": None,
    "Östergötland": "'Östergötland' is the county of SE-E (Östergötlands län), not of SE-M (Skåne län); "
    "school holidays follow the code — check the code",
    "Atlantis": "'Atlantis' is not a Swedish county; the code is SE-M (Skåne län); "
    "school holidays follow the code — check the code",
}


@pytest.mark.parametrize("county", COUNTIES)
def test_county_that_is_not_the_codes(tmp_path: Path, county: str) -> None:
    path = write(tmp_path, small(**{"regions.1.county": county}))
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    expected = COUNTIES[county]
    assert result.stderr.splitlines() == (
        [f"warning: {path}: regions[SE-M].county: {expected}"] if expected else []
    )


def test_warnings_reach_scripts_as_a_warning_category() -> None:
    with pytest.warns(
        ScenarioWarning, match=r"^year\.yaml: regions\[SE-M\]\.county: 'Östergötland' is the county"
    ):
        scenario.from_data(small(**{"regions.1.county": "Östergötland"}), "year.yaml")
