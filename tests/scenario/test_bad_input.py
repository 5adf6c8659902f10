"""Bad input: every mistake a planner can make gives one line naming file, field and problem.

Each file in ``tests/bad/`` holds one known mistake.  Its first line is

    # expect: <field.path>: <problem>        (or just <problem> for whole-file errors)

and ``scenario.load`` must raise a :class:`ScenarioError` whose text is exactly
``<file>: <expect>``, on one line, quickly: within ``WORK_BOUND`` Python calls (a count, not
a clock, so a busy machine cannot fail it).  A second line ``# xfail: <why>`` marks a case
whose expected message is a *proposed* wording the loader does not give yet (the test then
fails until the loader is fixed; delete the line when it is); ``# xfail(run=False): <why>``
marks one that is not even run, because today it would not finish.

Also here: the size cap (refused before the file is read), and the shipped scenarios load with
their Swedish names intact.
"""

from __future__ import annotations

import builtins
import contextlib
import datetime as dt
import io
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from arshjul import scenario
from arshjul.errors import ScenarioError

BAD = Path(__file__).resolve().parents[1] / "bad"
SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
SHIPPED = ["sweden-2027", "multi-agency-2027", "tight-2027"]

WORK_BOUND = 200_000
"""Python function calls (calls into C included) that refusing one bad file may take.  The worst
of the corpus takes about 58,000 (a list nested 600 deep; the YAML bombs 22,000 to 45,000), and
loading the whole bundled year about 233,000.  Work that would blow up (an expansion bomb that
got through) is stopped at the bound, so the test stays quick even then."""


class _TooMuchWork(BaseException):
    """Raised inside the loader at call ``WORK_BOUND + 1``; no ``except Exception`` catches it."""


@contextlib.contextmanager
def _work_bound(limit: int) -> Iterator[None]:
    """Fail the test when the code inside makes more than ``limit`` Python calls."""
    calls = 0

    def count(frame: Any, event: str, arg: Any) -> None:
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1
            if calls > limit:
                raise _TooMuchWork

    previous = sys.getprofile()
    sys.setprofile(count)
    try:
        yield
    except _TooMuchWork:
        pytest.fail(f"more than {limit} Python calls")
    finally:
        sys.setprofile(previous)


def _case(path: Path) -> Any:
    # Decoded leniently: one case is deliberately not UTF-8 (its header lines are ASCII).
    lines = path.read_bytes().decode("utf-8", errors="replace").splitlines()
    assert lines and lines[0].startswith("# expect: "), f"{path.name}: no '# expect:' line"
    expect = lines[0].removeprefix("# expect: ")
    marks = []
    for line in lines[1:3]:
        if line.startswith("# xfail(run=False): "):
            reason = line.removeprefix("# xfail(run=False): ")
            marks.append(pytest.mark.xfail(reason=reason, run=False, strict=True))
        elif line.startswith("# xfail: "):
            marks.append(pytest.mark.xfail(reason=line.removeprefix("# xfail: "), strict=True))
    return pytest.param(path, expect, id=path.stem, marks=marks)


CASES = [_case(p) for p in sorted(BAD.glob("*.yaml"))]


def test_corpus_is_there() -> None:
    names = sorted(p.name for p in BAD.glob("*.yaml"))
    assert len(names) >= 30
    numbers = [name.split("-", 1)[0] for name in names]
    assert all(n.isdigit() and len(n) == 2 for n in numbers)
    assert len(set(numbers)) == len(numbers), "two bad-input files share a number"


@pytest.mark.parametrize(("path", "expect"), CASES)
def test_bad_input(path: Path, expect: str) -> None:
    with _work_bound(WORK_BOUND), pytest.raises(ScenarioError) as info:
        scenario.load(path)
    message = str(info.value)
    assert message == f"{path}: {expect}"
    assert "\n" not in message and "\r" not in message


def test_huge_file_is_refused_by_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.yaml"
    line = b"# padding, padding, padding, padding, padding, padding, padding, padding, paddi\n"
    assert len(line) == 80
    with path.open("wb") as out:
        out.write(b"id: huge\n")
        out.write(line * (50_000_000 // 80))
        out.truncate(50_000_000)

    # Refused from its size alone: the file is never opened, nothing reaches the YAML parser.
    opened: list[str] = []
    real_open = io.open

    def spy_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    def no_parse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the huge file reached the YAML parser")

    monkeypatch.setattr(io, "open", spy_open)
    monkeypatch.setattr(builtins, "open", spy_open)
    monkeypatch.setattr(scenario, "parse_yaml", no_parse)
    with pytest.raises(ScenarioError) as info:
        scenario.load(path)
    monkeypatch.undo()
    assert str(path) not in opened, "the huge file was opened"
    assert str(info.value) == f"{path}: is 50.0 MB; scenario files are limited to 5 MB"


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    with pytest.raises(ScenarioError) as info:
        scenario.load(path)
    assert str(info.value) == f"{path}: no such file"


# -- the shipped scenarios ---------------------------------------------------------------


def _strings(value: Any) -> list[str]:
    """Every string in plain data or a model dump, depth first."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_scenario_loads(name: str) -> None:
    s = scenario.load(SCENARIOS / f"{name}.yaml")
    assert s.id == name
    assert len(s.regions) == 21
    assert {r.code for r in s.regions} >= {"SE-AB", "SE-E", "SE-M", "SE-O", "SE-AC", "SE-BD"}
    assert s.period.start == dt.date(2027, 1, 1) and s.period.end == dt.date(2027, 12, 31)
    assert any(True for _ in s.themes())
    assert scenario.bundled(name).read_bytes() == (SCENARIOS / f"{name}.yaml").read_bytes()


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_names_round_trip(name: str) -> None:
    path = SCENARIOS / f"{name}.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    written = [t for t in _strings(raw) if not t.isascii()]
    assert {"å", "ä", "ö"} <= set("".join(written)), "the scenario should exercise å, ä and ö"
    for text in written:
        assert unicodedata.is_normalized("NFC", text), f"{text!r} is not NFC"

    s = scenario.load(path)
    loaded = _strings(s.model_dump(mode="json", by_alias=True))
    missing = [t for t in written if t.strip() not in loaded]
    assert not missing, f"changed on the way in: {missing[:3]}"

    again = scenario.Scenario.model_validate_json(s.model_dump_json(by_alias=True))
    assert again == s
    assert [r.name for r in again.regions] == [r.name for r in s.regions]
    assert s.region("SE-E").name == "Region Östergötland"
    assert s.region("SE-Z").name == "Region Jämtland Härjedalen"
    assert s.region("SE-O").name == "Västra Götalandsregionen"
