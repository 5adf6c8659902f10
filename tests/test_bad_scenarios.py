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

import pytest
import yaml
from click.testing import CliRunner

from arshjul import scenario
from arshjul.cli import main
from arshjul.errors import ScenarioError
from arshjul.variants import variant

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
