"""A bad-input line under ``--lang sv`` is Swedish through and through, the problem included;
without ``--lang`` it is the exact English line the corpus in ``tests/bad/`` expects.

The problem text is pydantic's message for a bad value (mapped by its error type in
``scenario._message``) or one of arshjul's own validators; both go through the catalogue.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Literal

import pytest
from click.testing import CliRunner
from pydantic import BaseModel, Field, ValidationError

from arshjul import availability, extends, i18n, scenario
from arshjul.cli import main
from arshjul.errors import ScenarioError
from arshjul.workbook.reader import workbook_sheets

BAD = Path(__file__).resolve().parents[1] / "bad"

ENGLISH_ENV = {"LC_ALL": None, "LC_MESSAGES": None, "LANG": "C.UTF-8", "LANGUAGE": None}
"""A terminal that says nothing about Swedish."""

NOT_SWEDISH: dict[str, str] = {}
"""Files of the corpus whose line keeps a library's English words (none: PyYAML's and Python's
reasons are translated by their exact English text too, ``scenario._their_problem``)."""

ENGLISH_WORDS = frozenset(
    [
        "an",
        "and",
        "are",
        "at",
        "be",
        "before",
        "both",
        "but",
        "by",
        "cannot",
        "character",
        "characters",
        "column",
        "day",
        "does",
        "each",
        "empty",
        "ends",
        "equal",
        "field",
        "file",
        "got",
        "greater",
        "has",
        "input",
        "integer",
        "is",
        "item",
        "items",
        "least",
        "less",
        "line",
        "listed",
        "mapping",
        "more",
        "most",
        "must",
        "needs",
        "no",
        "not",
        "number",
        "of",
        "on",
        "only",
        "or",
        "outside",
        "read",
        "required",
        "should",
        "starts",
        "string",
        "than",
        "the",
        "to",
        "twice",
        "unknown",
        "use",
        "valid",
        "value",
        "week",
        "weeks",
        "with",
        "write",
    ]
)
"""Words that give an English sentence away (none of them is a Swedish word: not "text",
"list", "region" or "id", which are both; nor "a", as in a-z)."""


def corpus() -> Iterator[Any]:
    """Each file of ``tests/bad/`` with the English line it expects."""
    for path in sorted(BAD.glob("*.yaml")):
        first = path.read_bytes().split(b"\n", 1)[0].decode("utf-8")
        expect = first.removeprefix("# expect: ")
        if path.stem in NOT_SWEDISH:
            continue
        yield pytest.param(path, expect, id=path.stem)


CASES = list(corpus())


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    """``--lang sv`` sets the process's language; later tests expect the default back."""
    yield
    i18n.set_cli_language(i18n.CLI_DEFAULT_LANGUAGE)


def validate(path: Path, *lang: str) -> tuple[int, list[str]]:
    result = CliRunner(env=ENGLISH_ENV).invoke(main, [*lang, "validate", str(path)])
    return result.exit_code, result.stderr.splitlines()


def english_words(problem: str) -> list[str]:
    """The English words of ``problem``, leaving out what the scenario itself wrote (quoted
    values, ids like ``max_presenters``, code in backticks) and abbreviations (YAML, ISO)."""
    text = re.sub(r"'[^']*'|`[^`]*`", " ", problem)
    words = re.findall(r"[A-Za-zÅÄÖåäöÉé_]+", text)
    return [w for w in words if "_" not in w and not w.isupper() and w.lower() in ENGLISH_WORDS]


def test_the_corpus_is_mostly_covered() -> None:
    assert len(CASES) >= 80


@pytest.mark.parametrize(("path", "expect"), CASES)
def test_bad_line_in_swedish(path: Path, expect: str) -> None:
    code, lines = validate(path, "--lang", "sv")
    assert code == 2 and len(lines) == 1, lines
    line = lines[0]
    head = f"fel: {path}: "
    assert line.startswith(head), line
    problem = line.removeprefix(head)
    field, sep, _ = expect.partition(": ")
    if sep and re.fullmatch(r"[A-Za-z0-9_\-.\[\]/]+", field):
        assert problem.startswith(f"{field}: "), line  # the field path is the scenario's own
        problem = problem.removeprefix(f"{field}: ")
    assert problem and problem != expect.removeprefix(f"{field}: "), line
    assert english_words(problem) == [], line


@pytest.mark.parametrize(("path", "expect"), CASES)
def test_bad_line_in_english_unchanged(path: Path, expect: str) -> None:
    code, lines = validate(path)
    assert code == 2
    assert lines == [f"error: {path}: {expect}"]


def test_english_words_would_catch_an_english_problem() -> None:
    assert english_words("Input should be greater than or equal to 1") != []
    assert english_words("Värdet ska vara 'mon' eller 'sun' (angivet: 'monday')") == []


# -- pydantic's messages the corpus does not reach -----------------------------------------------


class _Model(BaseModel):
    gt: Annotated[int, Field(gt=0)] = 1
    lt: Annotated[int, Field(lt=10)] = 1
    multiple: Annotated[int, Field(multiple_of=5)] = 5
    number: float = 1.0
    flag: bool = True
    whole: int = 1
    text: str = ""
    day: dt.date = dt.date(2027, 1, 1)
    at: dt.time = dt.time(9)
    short: Annotated[str, Field(max_length=2)] = ""
    two: Annotated[str, Field(min_length=2)] = "ab"
    kind: Literal["a", "b"] = "a"
    pattern: Annotated[str, Field(pattern=r"^x+$")] = "x"
    items: list[int] = []
    mapping: dict[str, int] = {}


PYDANTIC = [
    ({"gt": 0}, "greater_than", "Värdet ska vara större än 0"),
    ({"lt": 10}, "less_than", "Värdet ska vara mindre än 10"),
    ({"multiple": 7}, "multiple_of", "Värdet ska vara en multipel av 5"),
    (
        {"number": "x"},
        "float_parsing",
        "Värdet ska vara ett giltigt tal, texten går inte att läsa som ett tal",
    ),
    ({"number": [1]}, "float_type", "Värdet ska vara ett giltigt tal"),
    ({"flag": 2.5}, "bool_type", "Värdet ska vara ett sanningsvärde (true eller false) (angivet: 2.5)"),
    ({"whole": [1]}, "int_type", "Värdet ska vara ett giltigt heltal"),
    ({"text": 5}, "string_type", "Värdet ska vara en giltig text (angivet: 5)"),
    ({"day": "2027-13-01"}, "date_from_datetime_parsing", "månaden ligger utanför intervallet 1-12"),
    ({"day": "2027/01/01"}, "date_from_datetime_parsing", "ogiltig avgränsare i datumet, `-` väntades"),
    ({"day": [1]}, "date_type", "Värdet ska vara ett giltigt datum"),
    (
        {"day": "2027-01-01T10:00"},
        "date_from_datetime_inexact",
        "Värdet ska vara ett rent datum, utan klockslag",
    ),
    ({"at": "25:00"}, "time_parsing", "timmen ligger utanför intervallet 0-23"),
    ({"at": [1]}, "time_type", "Värdet ska vara ett giltigt klockslag"),
    ({"short": "abc"}, "string_too_long", "Texten ska ha högst 2 tecken"),
    ({"two": "a"}, "string_too_short", "Texten ska ha minst 2 tecken"),
    ({"kind": "c"}, "literal_error", "Värdet ska vara 'a' eller 'b' (angivet: 'c')"),
    ({"pattern": "y"}, "string_pattern_mismatch", "Texten ska matcha mönstret '^x+$'"),
]


def _error(data: dict[str, Any]) -> dict[str, Any]:
    with pytest.raises(ValidationError) as caught:
        _Model.model_validate(data)
    return dict(caught.value.errors()[0])


@pytest.mark.parametrize(("data", "kind", "swedish"), PYDANTIC, ids=[k for _, k, _ in PYDANTIC])
def test_pydantic_message_in_swedish(data: dict[str, Any], kind: str, swedish: str) -> None:
    err = _error(data)
    assert err["type"] == kind
    with i18n.speaking("sv"):
        said = scenario._message(err)
    assert swedish in said
    assert english_words(said) == [], said


@pytest.mark.parametrize(("data", "kind", "swedish"), PYDANTIC, ids=[k for _, k, _ in PYDANTIC])
def test_pydantic_message_in_english_is_pydantics(data: dict[str, Any], kind: str, swedish: str) -> None:
    err = _error(data)
    with i18n.speaking("en"):
        said = scenario._message(err)
    assert said == err["msg"] or said.startswith(f"{err['msg']} (got ")


def test_unmapped_type_keeps_pydantics_message() -> None:
    err = _error({"mapping": {"a": "x"}})
    err["type"] = "no_such_type_arshjul_maps"
    with i18n.speaking("sv"):
        assert scenario._message(err) == err["msg"]


def test_changed_pydantic_wording_falls_back_to_it() -> None:
    """Should pydantic reword a message, the English line follows pydantic, not a stale msgid."""
    err = _error({"gt": 0})
    err["msg"] = "Input must exceed 0"
    with i18n.speaking("sv"):
        assert scenario._message(err) == "Input must exceed 0"


def test_swedish_keeps_a_ring_umlaut_round_trip() -> None:
    code, lines = validate(BAD / "64-bad-id-uppercase.yaml", "--lang", "sv")
    assert code == 2
    assert "inga å/ä/ö" in lines[0]


# -- availability files and extends --------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "problem", "field"),
    [
        ("sv", "ingen iCalendar-fil (den måste börja med BEGIN:VCALENDAR)", "rad 1"),
        ("en", "not an iCalendar file (it must start with BEGIN:VCALENDAR)", "line 1"),
    ],
)
def test_availability_file_problem_in_the_cli_language(lang: str, problem: str, field: str) -> None:
    with i18n.speaking(lang), pytest.raises(ScenarioError) as caught:
        availability.read_ics("hello\n", dt.date(2027, 1, 1), dt.date(2027, 12, 31), "Europe/Stockholm")
    assert (caught.value.problem, caught.value.field) == (problem, field)


def test_a_file_place_is_kept_in_either_language() -> None:
    """``extends.locate`` leaves an error at a place in the file alone, in Swedish too."""
    with i18n.speaking("sv"):
        err = ScenarioError("x", field="rad 3, kolumn 1")
        assert extends.locate(err, {}, extends.Origin("a.yaml"), scenario.field_path) is err


@pytest.mark.parametrize(
    ("lang", "problem"),
    [
        ("sv", "är ingen Excel-arbetsbok (.xlsx); spara den i Excel som 'Excel-arbetsbok (.xlsx)'"),
        ("en", "is not an Excel workbook (.xlsx); save it in Excel as 'Excel-arbetsbok (.xlsx)'"),
    ],
)
def test_workbook_file_problem_in_the_cli_language(lang: str, problem: str) -> None:
    with i18n.speaking(lang), pytest.raises(ScenarioError) as caught:
        workbook_sheets(b"not a workbook", "year.xlsx")
    assert caught.value.problem == problem
