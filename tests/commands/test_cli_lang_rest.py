"""The last English a Swedish planner met under ``--lang sv``: a workbook's cell-level
problems, the scenario's warnings, PyYAML's and the operating system's reasons, and click's
own words in ``--help`` and usage errors.  Each in Swedish with ``--lang sv`` and, with
``--lang en`` or without ``--lang``, exactly the English line it was before.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from openpyxl import Workbook

from arshjul import i18n
from arshjul.cli import main
from arshjul.scenario import load
from arshjul.workbook import layout as L
from arshjul.workbook.writer import build
from conftest import SCENARIOS

ENGLISH_ENV = {"LC_ALL": None, "LC_MESSAGES": None, "LANG": "C.UTF-8", "LANGUAGE": None}
"""A terminal that says nothing about Swedish: the default, English."""

SWEDEN = SCENARIOS / "sweden-2027.yaml"


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    """``--lang sv`` sets the process's language; later tests expect the default back."""
    yield
    i18n.set_cli_language(i18n.CLI_DEFAULT_LANGUAGE)


def run(lang: str | None, args: list[str]) -> Result:
    """The command in ``lang`` (``None``: no --lang, an English terminal)."""
    return CliRunner(env=ENGLISH_ENV).invoke(main, [*(["--lang", lang] if lang else []), *args])


def error_line(lang: str | None, path: Path) -> str:
    """The one line ``validate`` prints for a bad ``path`` (exit code 2)."""
    result = run(lang, ["validate", str(path)])
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    return lines[0]


# -- 1. a workbook's cells -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def sweden() -> Any:
    """The Sweden year, loaded once (each test builds its workbook from it)."""
    return load(SWEDEN)


def edited(tmp_path: Path, sc: Any, change: Callable[[Workbook], None]) -> Path:
    wb = build(sc)
    change(wb)
    path = tmp_path / "year.xlsx"
    wb.save(path)
    return path


def setcell(sheet: str, ref: str, value: Any) -> Callable[[Workbook], None]:
    def change(wb: Workbook) -> None:
        wb[sheet][ref].value = value

    return change


WORKBOOK_CELLS = [
    # (what, change, the Swedish line's end, the English line's end)
    (
        "text in a date cell",
        setcell(L.AVAILABILITY, "D2", "fredag"),
        "Tillgänglighet!D2: inget datum: 'fredag' (skriv ett datum som 2027-05-03, eller en vecka som W07)",
        "Tillgänglighet!D2: not a date: 'fredag' (write a date such as 2027-05-03, or a week such as W07)",
    ),
    (
        "unknown region in the interest grid",
        setcell(L.INTEREST, "A5", "SE-QQ"),
        "Intresse!A5: okänd region 'SE-QQ' (finns inte på bladet Regioner)",
        "Intresse!A5: unknown region 'SE-QQ' (not on the Regioner sheet)",
    ),
    (
        "not ja or nej",
        setcell(L.SCENARIO, "B16", "kanske"),
        "Scenario!B16: skriv ja eller nej (angivet: 'kanske')",
        "Scenario!B16: write ja or nej (got 'kanske')",
    ),
    (
        "region twice",
        setcell(L.REGIONS, "A3", "SE-AB"),
        "Regioner!A3: 'SE-AB' står två gånger",
        "Regioner!A3: 'SE-AB' is listed twice",
    ),
    (
        "a missing sheet",
        lambda wb: wb.remove(wb[L.HOSTS]),
        "saknar bladet 'Värdar'",
        "has no sheet 'Värdar'",
    ),
    (
        "a date in a number cell",
        setcell(L.LIMITS, "C2", dt.date(2027, 5, 3)),
        "Gränser!C2: inget tal: 2027-05-03 (cellen innehåller ett datum eller klockslag)",
        "Gränser!C2: not a number: 2027-05-03 (the cell holds a date or time)",
    ),
]


@pytest.mark.parametrize(
    ("change", "swedish", "english"),
    [c[1:] for c in WORKBOOK_CELLS],
    ids=[c[0] for c in WORKBOOK_CELLS],
)
def test_a_bad_cell_in_swedish_and_english(
    change: Callable[[Workbook], None], swedish: str, english: str, sweden: Any, tmp_path: Path
) -> None:
    path = edited(tmp_path, sweden, change)
    assert error_line("sv", path) == f"fel: {path}: {swedish}"
    assert error_line("en", path) == f"error: {path}: {english}"
    assert error_line(None, path) == f"error: {path}: {english}"


def test_an_unknown_column_names_the_columns_in_swedish(sweden: Any, tmp_path: Path) -> None:
    path = edited(tmp_path, sweden, setcell(L.REGIONS, "C1", "Landskap"))
    line = error_line("sv", path)
    assert line.startswith(f"fel: {path}: Regioner!C1: okänd kolumn 'Landskap' (kolumnerna är: ")
    assert not re.search(r"\b(unknown|the columns are)\b", line)


# -- 2. the scenario's warnings and the bundled scenarios --------------------------------------


def warnings_of(lang: str | None, path: Path) -> list[str]:
    """The ``warning:`` lines ``validate`` prints for a valid ``path`` (exit code 0)."""
    result = run(lang, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    return result.stderr.splitlines()


def small_year(tmp_path: Path, county: str | None = None) -> tuple[Path, str]:
    """The tiny year of ``test_cli.small`` with school holidays on (its second region given
    ``county``) and that region's code."""
    from test_cli import small, write

    data: dict[str, Any] = small()
    data["calendar"]["school_holidays"] = True
    region = data["regions"][1]
    if county is not None:
        region["county"] = county
    return write(tmp_path, data), region["code"]


def test_a_county_that_is_not_the_codes_warns_in_swedish(tmp_path: Path) -> None:
    path, code = small_year(tmp_path, "Östergötland")
    assert code == "SE-M"
    english = (
        f"warning: {path}: regions[SE-M].county: 'Östergötland' is the county of SE-E (Östergötlands län), "
        "not of SE-M (Skåne län); school holidays follow the code — check the code"
    )
    assert warnings_of("sv", path) == [
        f"varning: {path}: regions[SE-M].county: 'Östergötland' är länet för SE-E (Östergötlands län), "
        "inte för SE-M (Skåne län); skollov följer koden — kontrollera koden"
    ]
    assert warnings_of("en", path) == [english]
    assert warnings_of(None, path) == [english]


def test_a_county_that_is_none_warns_in_swedish(tmp_path: Path) -> None:
    path, _ = small_year(tmp_path, "Atlantis")
    (line,) = warnings_of("sv", path)
    assert line.endswith(
        "'Atlantis' är inget svenskt län; koden är SE-M (Skåne län); skollov följer koden — kontrollera koden"
    )
    assert warnings_of("en", path) == [
        f"warning: {path}: regions[SE-M].county: 'Atlantis' is not a Swedish county; the code is SE-M "
        "(Skåne län); school holidays follow the code — check the code"
    ]


def test_unknown_sportlov_warns_in_swedish(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from arshjul import swedish

    path, code = small_year(tmp_path)
    monkeypatch.delitem(swedish.SPORTLOV_WEEKS, code)
    (line,) = warnings_of("sv", path)
    assert line == (
        f"varning: {path}: regions[{code}].school_holidays: inga sportlovsveckor är kända för {code} "
        "(Skåne län); bara påsklov och höstlov hindrar den från att presentera — ange dess skollov här"
    )
    (english,) = warnings_of("en", path)
    assert english.endswith(
        "only påsklov and höstlov keep it from presenting — list its school holidays here"
    )


@pytest.mark.parametrize(
    ("lang", "problem"),
    [
        ("sv", "det finns inget medföljande scenario som heter 'atlantis-2030'"),
        ("en", "no bundled scenario named 'atlantis-2030'"),
    ],
)
def test_no_bundled_scenario_in_the_cli_language(lang: str, problem: str) -> None:
    from arshjul.errors import ScenarioError
    from arshjul.scenario import bundled

    with i18n.speaking(lang), pytest.raises(ScenarioError) as caught:
        bundled("atlantis-2030")
    assert caught.value.line() == problem


# -- 3. PyYAML's and the operating system's words ----------------------------------------------

YAML_SYNTAX = [
    # (the file, the Swedish line's end, PyYAML's English problem)
    (
        "a: b: c\n",
        "rad 1, kolumn 5: ogiltig YAML: värden för nycklar är inte tillåtna här",
        "mapping values are not allowed here",
    ),
    (
        "id: x\nname:\t1\n",
        "rad 2, kolumn 6: ogiltig YAML: hittade tecknet '\\t', som inte kan inleda något element",
        "found character '\\t' that cannot start any token",
    ),
    (
        "id: *nope\n",
        "rad 1, kolumn 5: ogiltig YAML: hittade det odefinierade aliaset 'nope'",
        "found undefined alias 'nope'",
    ),
    (
        "x: [1, 2\ny: 3\n",
        "rad 2, kolumn 2: ogiltig YAML: väntade ',' eller ']', men fick ':'",
        "expected ',' or ']', but got ':'",
    ),
    (
        "{a: 1, b\n",
        "rad 2, kolumn 1: ogiltig YAML: väntade ',' eller '}', men fick '<stream end>'",
        "expected ',' or '}', but got '<stream end>'",
    ),
]


@pytest.mark.parametrize(("text", "swedish", "problem"), YAML_SYNTAX, ids=[p for _, _, p in YAML_SYNTAX])
def test_pyyamls_problem_in_swedish_and_its_own_words_in_english(
    text: str, swedish: str, problem: str, tmp_path: Path
) -> None:
    import yaml

    with pytest.raises(yaml.MarkedYAMLError) as raw:
        yaml.safe_load(text)
    assert raw.value.problem == problem  # PyYAML's words, as the English line shows them
    path = tmp_path / "year.yaml"
    path.write_text(text, encoding="utf-8")
    line = error_line("sv", path)
    assert line == f"fel: {path}: {swedish}"
    assert not re.search(r"\b(found|expected|but|not allowed|valid)\b", line)
    english = error_line(None, path)
    assert english.startswith(f"error: {path}: line ") and english.endswith(f": not valid YAML: {problem}")
    assert error_line("en", path) == english


def test_an_unknown_pyyaml_problem_keeps_its_words() -> None:
    from arshjul import scenario

    with i18n.speaking("sv"):
        assert scenario._their_problem("found something PyYAML 9 says") == "found something PyYAML 9 says"
        assert scenario._their_problem("second occurrence") == "andra förekomsten"


def test_an_os_reason_by_errno_in_swedish(tmp_path: Path) -> None:
    afile = tmp_path / "a.yaml"
    afile.write_text("id: x\n", encoding="utf-8")
    under_a_file = afile / "year.yaml"  # ENOTDIR
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)  # ELOOP
    book = afile / "year.xlsx"  # ENOTDIR, read by the workbook reader
    for path, swedish, english in [
        (under_a_file, "kan inte läsas: är inte en mapp", "cannot read: Not a directory"),
        (
            loop,
            "kan inte läsas: för många nivåer av symboliska länkar",
            "cannot read: Too many levels of symbolic links",
        ),
        (book, "kan inte läsas: är inte en mapp", "cannot read: Not a directory"),
    ]:
        assert error_line("sv", path) == f"fel: {path}: {swedish}"
        assert error_line(None, path) == f"error: {path}: {english}"


def test_os_reason_maps_by_errno_not_by_text() -> None:
    import errno

    from arshjul.fileio import os_reason

    full = OSError(errno.ENOSPC, "Kein Platz")  # another system's words for the same errno
    odd = OSError(errno.EPIPE, "Broken pipe")  # an errno without a translation
    with i18n.speaking("sv"):
        assert os_reason(full, i18n._) == "det finns inget utrymme kvar på enheten"
        assert os_reason(odd, i18n._) == "Broken pipe"
    with i18n.speaking("en"):
        assert os_reason(full, i18n._) == "Kein Platz"  # English keeps the system's own words
    assert os_reason(full) == "Kein Platz"


def test_an_output_folder_refused_in_swedish(tmp_path: Path) -> None:
    """The output folder's refusals (fileio's OutputFolderError) and the OS reason inside them."""
    from test_cli import small, write

    scenario = write(tmp_path, small())
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    args = ["plan", str(scenario), "-o", str(out), "--time-limit", "10", "--no-report"]
    swedish = run("sv", args)
    assert swedish.exit_code == 2
    assert swedish.stderr.splitlines()[-1] == (
        f"fel: {out}: mappen innehåller filer som arshjul inte har skrivit (t.ex. notes.txt); "
        "välj en tom eller ny mapp, eller en som arshjul har skrivit"
    )
    english = run(None, args)
    assert english.exit_code == 2
    assert english.stderr.splitlines()[-1] == (
        f"error: {out}: the folder holds files arshjul did not write (e.g. notes.txt); "
        "choose an empty or new folder, or one arshjul wrote"
    )
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]


def test_an_output_folder_error_keeps_its_os_reason_in_either_language(tmp_path: Path) -> None:
    import errno

    from arshjul.fileio import OutputFolderError

    err = OutputFolderError(
        "{out}: cannot write in the output folder: {why}",
        out=tmp_path,
        why=OSError(errno.EROFS, "Read-only file system"),
    )
    assert str(err) == f"{tmp_path}: cannot write in the output folder: Read-only file system"
    with i18n.speaking("sv"):
        assert (
            err.translated(i18n._)
            == f"{tmp_path}: kan inte skriva i utdatamappen: filsystemet är skrivskyddat"
        )
    with i18n.speaking("en"):
        assert err.translated(i18n._) == str(err)


# -- 4. click's own words ------------------------------------------------------------------------


def _flat(text: str) -> str:
    """Help text with click's line wrapping undone."""
    return " ".join(text.split())


def test_help_defaults_and_required_in_swedish() -> None:
    swedish = run("sv", ["plan", "--help"])
    english = run(None, ["plan", "--help"])
    assert swedish.exit_code == english.exit_code == 0
    assert "[standard: 60.0; 0.1<=x<=604800.0]" in _flat(swedish.output)
    assert "[default:" not in swedish.output and "Options:" not in swedish.output
    assert "[default: 60.0; 0.1<=x<=604800.0]" in _flat(english.output)
    assert "standard:" not in english.output
    assert run("en", ["plan", "--help"]).output == english.output
    links = run("sv", ["links", "create", "--help"])
    assert "[krävs]" in links.output and "[required]" not in links.output
    assert "[required]" in run(None, ["links", "create", "--help"]).output


USAGE_ERRORS = [
    # (arguments, the Swedish line, the English line: click's words, as before)
    (
        ["plan", "--bogus"],
        "fel: Flaggan '--bogus' finns inte. Menade du '--log'?",
        "error: No such option '--bogus'. Did you mean '--log'?",
    ),
    (["check"], "fel: Saknar argumentet 'SCENARIO'.", "error: Missing argument 'SCENARIO'."),
    (
        ["plan", "--time-limit", "abc"],
        "fel: Ogiltigt värde för '--time-limit': 'abc' är inget giltigt tal.",
        "error: Invalid value for '--time-limit': 'abc' is not a valid number.",
    ),
    (
        ["plan", "--seed", "99999999999"],
        "fel: Ogiltigt värde för '--seed': 99999999999 ligger inte i intervallet 0<=x<=2147483647.",
        "error: Invalid value for '--seed': 99999999999 is not in the range 0<=x<=2147483647.",
    ),
    (
        ["calendar", "--region"],
        "fel: Flaggan '--region' kräver ett värde.",
        "error: Option '--region' requires an argument.",
    ),
    (["nosuch"], "fel: Kommandot 'nosuch' finns inte.", "error: No such command 'nosuch'."),
    (
        ["plan", "--preset", "fast"],
        "fel: Ogiltigt värde för '--preset': 'fast' är inte något av "
        "'auto', 'prove', 'portfolio', 'first-plan'.",
        "error: Invalid value for '--preset': 'fast' is not one of "
        "'auto', 'prove', 'portfolio', 'first-plan'.",
    ),
]


@pytest.mark.parametrize(
    ("args", "swedish", "english"), USAGE_ERRORS, ids=[" ".join(a) for a, _, _ in USAGE_ERRORS]
)
def test_a_usage_error_in_swedish_and_clicks_english(args: list[str], swedish: str, english: str) -> None:
    said = run("sv", args)
    assert said.exit_code == 2 and said.stderr.splitlines() == [swedish]
    for lang in (None, "en"):  # after a Swedish run in the same process: click's English again
        said = run(lang, args)
        assert said.exit_code == 2 and said.stderr.splitlines() == [english]


def test_a_path_click_refuses_in_swedish(tmp_path: Path) -> None:
    afile = tmp_path / "notes.txt"
    afile.write_text("mine", encoding="utf-8")
    args = ["plan", "-o", str(afile)]
    assert run("sv", args).stderr.splitlines() == [
        f"fel: Ogiltigt värde för '-o' / '--output': '{afile}' är en fil, ingen mapp."
    ]
    assert run(None, args).stderr.splitlines() == [
        f"error: Invalid value for '-o' / '--output': Directory '{afile}' is a file."
    ]


def test_every_click_message_has_its_placeholders_in_swedish() -> None:
    """A Swedish click message formats with what click gives it (``{name:.0}`` included)."""
    import string

    from arshjul.cli import CLICK_MESSAGES

    for msgid in CLICK_MESSAGES:
        fields = {name for _, name, _, _ in string.Formatter().parse(msgid) if name}
        values = dict.fromkeys(fields, "X")
        with i18n.speaking("sv"):
            swedish = i18n._(msgid)
        assert swedish != msgid, msgid
        swedish.format(**values)


def test_workbook_new_cannot_write_says_the_os_reason_in_swedish(tmp_path: Path) -> None:
    afile = tmp_path / "a.txt"
    afile.write_text("mine", encoding="utf-8")
    target = afile / "year.xlsx"  # its folder is a file: EEXIST when the folder is made
    swedish = run("sv", ["workbook", "new", str(target)])
    assert swedish.exit_code == 2
    assert swedish.stderr.splitlines() == [f"fel: {target}: kan inte skriva: filen finns redan"]
    english = run(None, ["workbook", "new", str(target)])
    assert english.stderr.splitlines() == [f"error: {target}: cannot write: File exists"]


# -- 6. a plan file's problems (plan.json, an edited calendar) -------------------------------------


def check_line(lang: str | None, plan: Path) -> str:
    """The one line ``check`` prints for a bad plan file (exit code 2)."""
    result = run(lang, ["check", str(SWEDEN), str(plan)])
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    return lines[0]


@pytest.mark.parametrize(
    ("text", "english", "swedish"),
    [
        (
            "{",
            "not valid JSON: Expecting property name enclosed in double quotes",
            "inte giltig JSON: ett fältnamn",
        ),
        ("[1, 2", "not valid JSON: Expecting ',' delimiter", "inte giltig JSON: ett ',' saknas"),
        ("[]", "a plan file must be a JSON object", "en planfil måste vara ett JSON-objekt"),
        ('{"format": 99}', "unsupported plan format 99", "planformatet 99 stöds inte"),
    ],
)
def test_a_broken_plan_file_is_told_in_swedish(tmp_path: Path, text: str, english: str, swedish: str) -> None:
    plan = tmp_path / "plan.json"
    plan.write_text(text, encoding="utf-8")
    assert english in check_line(None, plan)
    assert english in check_line("en", plan)
    line = check_line("sv", plan)
    assert swedish in line and english not in line, line


def test_a_plan_files_missing_field_and_bad_date_are_told_in_swedish(tmp_path: Path) -> None:
    import json

    from arshjul.plan import PLAN_FORMAT

    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({"format": PLAN_FORMAT}), encoding="utf-8")
    assert "missing field 'timezone'" in check_line("en", plan)
    assert "fältet 'timezone' saknas" in check_line("sv", plan)
    calendar = tmp_path / "edited.ics"
    calendar.write_bytes(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nEND:VCALENDAR\r\n")
    english = check_line("en", calendar)
    swedish = check_line("sv", calendar)
    assert "in this calendar" in english and "i den här kalendern" in swedish, (english, swedish)
