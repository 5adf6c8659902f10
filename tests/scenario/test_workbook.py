"""The planning workbook: a scenario as a Swedish .xlsx and back, and errors that name cells."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook
from pydantic import ValidationError

from arshjul.cli import main
from arshjul.errors import ScenarioError
from arshjul.scenario import Scenario, Span, load
from arshjul.workbook import layout as L
from arshjul.workbook import reader
from arshjul.workbook.writer import build, workbook_bytes, write_workbook
from conftest import SCENARIOS

BUNDLED = sorted(SCENARIOS.glob("*.yaml"))
SWEDEN = SCENARIOS / "sweden-2027.yaml"


def canonical(sc: Scenario) -> dict[str, Any]:
    """``model_dump()``, with each theme's interested regions in the regions' order.

    The interest grid has one row per region, so a theme's ``interested`` list comes back
    in the order of the Regioner sheet: the same regions and weights (the instance reads
    them as a mapping), not necessarily the order the YAML listed them in.
    """
    data = sc.model_dump()
    order = [r["code"] for r in data["regions"]]
    for host in data["hosts"]:
        for theme in host["themes"]:
            if theme["interested"] is not None:
                theme["interested"].sort(key=lambda i: order.index(i if isinstance(i, str) else i["region"]))
    return data


def round_trip(sc: Scenario, tmp_path: Path, name: str = "year.xlsx") -> Scenario:
    path = write_workbook(sc, tmp_path / name)
    return load(path)


@pytest.mark.parametrize("path", BUNDLED, ids=[p.stem for p in BUNDLED])
def test_every_bundled_scenario_round_trips(path: Path, tmp_path: Path) -> None:
    sc = load(path)
    back = round_trip(sc, tmp_path)
    assert canonical(back) == canonical(sc)
    # everything but the order of interest lists is exactly the same
    assert [r.code for r in back.regions] == [r.code for r in sc.regions]
    for (_, a), (_, b) in zip(sc.themes(), back.themes(), strict=True):
        assert a.model_dump(exclude={"interested"}) == b.model_dump(exclude={"interested"})
        assert sorted(map(repr, a.interested or [])) == sorted(map(repr, b.interested or []))


def kitchen_sink() -> Scenario:
    """The Sweden year with every corner a scenario can say: åäö, '=' at the start of a
    text, newlines, named and week windows, followup off, explicit empty lists, ..."""
    sc = load(SWEDEN).model_copy(deep=True)
    sc.name = "Årshjul 2027 – ÅÄÖ åäö é"
    sc.description = "=SUMMA(A1) är ingen formel\nandra raden: ”citat” & <xml>"
    sc.regions[0].name = "Region Östergötland-Åland"
    sc.regions[0].county = "Stockholms län"
    sc.regions[1].school_holidays = []  # explicitly none
    sc.regions[2].unavailable = [
        Span.model_validate("W10..W12"),
        Span.model_validate({"name": "Möte: extra", "from": "2027-03-01", "to": "2027-03-01"}),
    ]
    sc.regions[2].limits.daily_max = 2
    sc.regions[2].limits.presentation_gap_days = 0
    host = sc.hosts[0]
    host.gap_days = 3
    host.themes[0].slots = ["morning"]
    host.themes[0].window = Span.model_validate({"name": "Vår", "weeks": (5, 20)})
    host.themes[1].interested = []  # a list, but nobody in it
    host.themes[1].forbidden = [
        Span.model_validate({"name": "Påsk: ledigt", "from": "2027-03-25", "to": "2027-03-29"}),
        Span.model_validate("2027-06-01"),
        Span.model_validate("W33"),
    ]
    host.themes[2].invite = "presenters"
    host.themes[2].preferred_months = []
    host.themes[3].invite = "all"
    host.themes[3].interest_weight = 7
    assert sc.learning_meeting is not None and sc.network is not None
    sc.learning_meeting.slots = ["afternoon", "morning"]
    sc.network.followup_weeks = None
    sc.hybrids[0].invite = "interested"
    sc.hybrids[0].tags = ["health", "life-science"]
    sc.hybrids[1].window = None
    sc.weekdays = ["mon", "wed", "fri"]
    sc.calendar.blackouts = []
    return Scenario.model_validate(sc.model_dump(by_alias=True))


def test_every_corner_round_trips_with_swedish_letters(tmp_path: Path) -> None:
    sc = kitchen_sink()
    back = round_trip(sc, tmp_path, "år-åäö.xlsx")
    assert canonical(back) == canonical(sc)
    assert back.name == "Årshjul 2027 – ÅÄÖ åäö é"
    assert back.description.startswith("=SUMMA(A1)") and "\n" in back.description
    assert back.regions[1].school_holidays == [] and back.regions[0].school_holidays is None
    assert back.hosts[0].themes[1].interested == [] and back.hosts[0].themes[2].interested is None
    assert back.network is not None and back.network.followup_weeks is None


def test_no_learning_meeting_no_network_no_groups(tmp_path: Path) -> None:
    sc = load(SWEDEN).model_copy(deep=True)
    sc.learning_meeting = None
    sc.network = None
    sc.groups = []
    sc.hybrids = []
    back = round_trip(sc, tmp_path)
    assert back.learning_meeting is None and back.network is None
    assert canonical(back) == canonical(sc)


def test_the_workbook_has_its_sheets_dropdowns_dates_and_frozen_headers(tmp_path: Path) -> None:
    path = write_workbook(load(SWEDEN), tmp_path / "year.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == list(L.SHEETS)
    period = wb[L.SCENARIO]["B5"]
    assert period.is_date and period.value.date() == dt.date(2027, 1, 1)
    away = wb[L.AVAILABILITY]
    assert away["D2"].is_date and away["D2"].value.date() == dt.date(2027, 6, 28)
    assert wb[L.NETWORK]["E2"].is_date
    assert wb[L.SLOTS]["C2"].value == dt.time(9, 0)
    for name in L.SHEETS[1:]:
        assert wb[name].freeze_panes in ("A2", "C2"), name
    lists = {
        dv.formula1 for name in (L.AVAILABILITY, L.THEMES) for dv in wb[name].data_validations.dataValidation
    }
    assert "'Regioner'!$A$2:$A$1002" in lists  # region codes
    assert "'Värdar'!$A$2:$A$1002" in lists  # host ids
    assert "'Mötespass'!$A$2:$A$1002" in lists  # slots
    assert '"alla,intresserade,presentatörer"' in lists  # invite policy
    weekday = {dv.formula1 for dv in wb[L.SCENARIO].data_validations.dataValidation}
    assert '"ja,nej"' in weekday
    assert wb[L.THEMES].column_dimensions["C"].width == 40
    grid = wb[L.INTEREST]
    assert grid["A2"].value == "SE-AB" and grid.cell(row=1, column=3).value == "precisionshalsa"
    assert "Planeringsarbetsbok" in wb[L.INSTRUCTIONS]["A1"].value
    assert any("ISO 3166-2" in (row[0] or "") for row in wb[L.INSTRUCTIONS].iter_rows(values_only=True))


def test_the_same_scenario_gives_the_same_bytes() -> None:
    sc = load(SWEDEN)
    first, second = workbook_bytes(sc), workbook_bytes(sc)
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2026, 12, 1, 0, 0, 0)}
        assert b"2026-12-01T00:00:00Z" in archive.read("docProps/core.xml")


# -- errors name the sheet and the cell ----------------------------------------------------


def edited(tmp_path: Path, change: Callable[[Workbook], None], name: str = "year.xlsx") -> Path:
    wb = build(load(SWEDEN))
    change(wb)
    path = tmp_path / name
    wb.save(path)
    return path


def setcell(sheet: str, ref: str, value: Any) -> Callable[[Workbook], None]:
    def change(wb: Workbook) -> None:
        wb[sheet][ref].value = value

    return change


def all_no(wb: Workbook) -> None:
    for r in range(9, 16):
        wb[L.SCENARIO].cell(row=r, column=2).value = "nej"


BAD_CELLS = [
    (
        "text in a date cell",
        setcell(L.AVAILABILITY, "D2", "fredag"),
        "Tillgänglighet!D2: not a date: 'fredag'",
    ),
    (
        "text in a period date",
        setcell(L.SCENARIO, "B6", "nyårsafton"),
        "Scenario!B6: not a date: 'nyårsafton'",
    ),
    (
        "unknown region in the interest grid",
        setcell(L.INTEREST, "A5", "SE-QQ"),
        "Intresse!A5: unknown region 'SE-QQ' (not on the Regioner sheet)",
    ),
    ("negative limit", setcell(L.LIMITS, "C2", -1), "Gränser!C2: Input should be greater than or equal to 0"),
    (
        "weight too high",
        setcell(L.INTEREST, "H2", 500),
        "Intresse!H2: Input should be less than or equal to 100",
    ),
    ("a word not in the drop-down", setcell(L.THEMES, "L3", "några"), "Teman!L3: 'några' is not one of"),
    ("unknown host", setcell(L.THEMES, "A4", "tillvaxtverket"), "Teman!A4: unknown host 'tillvaxtverket'"),
    ("max below min", setcell(L.THEMES, "I3", 0), "Teman!I3: max_presenters (0) is below min_presenters (1)"),
    ("bad id", setcell(L.GROUPS, "A2", "Östra"), "Grupper!A2: 'Östra' is not a valid id"),
    ("bad e-mail", setcell(L.REGIONS, "D2", "nej"), "Regioner!D2: 'nej' is not an e-mail address"),
    (
        "outside the period",
        setcell(L.NETWORK, "E4", dt.date(2028, 1, 5)),
        "Nätverksmöten!E4: 2028-01-05 is outside",
    ),
    ("no weekday", all_no, "Scenario!B9: needs at least one weekday"),
    ("not ja or nej", setcell(L.SCENARIO, "B16", "kanske"), "Scenario!B16: write ja or nej (got 'kanske')"),
    (
        "half a window",
        setcell(L.HYBRIDS, "F2", None),
        "Hybrider!F2: a period needs both a start (Från) and an end",
    ),
    ("bad span text", setcell(L.THEMES, "P13", "W07..fredag"), "Teman!P13: not a span: 'W07..fredag'"),
    ("bad month", setcell(L.THEMES, "F2", "vår"), "Teman!F2: not a month: 'vår'"),
    ("unknown column", setcell(L.REGIONS, "C1", "Landskap"), "Regioner!C1: unknown column 'Landskap'"),
    ("region twice", setcell(L.REGIONS, "A3", "SE-AB"), "Regioner!A3: 'SE-AB' is listed twice"),
    (
        "regional limit it cannot set",
        setcell(L.LIMITS, "B3", 10),
        "Gränser!B3: a region can set only its own",
    ),
    (
        "school holiday of a region on the county table",
        setcell(L.AVAILABILITY, "B2", "skollov"),
        "Tillgänglighet!B2: region 'SE-I' has 'standard' school holidays (Regioner!E9)",
    ),
    ("unknown sheet", lambda wb: setattr(wb[L.THEMES], "title", "Temas"), "Temas: unknown sheet"),
    ("a missing sheet", lambda wb: wb.remove(wb[L.HOSTS]), "has no sheet 'Värdar'"),
    (
        "a time as a number",
        setcell(L.SLOTS, "C2", "nio"),
        "Mötespass!C2: Input should be in a valid time format",
    ),
]


@pytest.mark.parametrize(("change", "expected"), [c[1:] for c in BAD_CELLS], ids=[c[0] for c in BAD_CELLS])
def test_a_bad_cell_is_one_line_naming_sheet_and_cell(
    change: Callable[[Workbook], None], expected: str, tmp_path: Path
) -> None:
    path = edited(tmp_path, change)
    with pytest.raises(ScenarioError) as err:
        load(path)
    assert err.value.line().startswith(f"{path}: {expected}"), err.value.line()
    assert "\n" not in err.value.line()


@pytest.mark.parametrize("command", ["validate", "plan", "calendar"])
def test_the_cli_says_the_cell_in_one_line_and_exits_2(command: str, tmp_path: Path) -> None:
    path = edited(tmp_path, setcell(L.AVAILABILITY, "D2", "fredag"))
    args = [command, str(path)] + (["-o", str(tmp_path / "out")] if command == "plan" else [])
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"error: {path}: Tillgänglighet!D2: not a date: 'fredag' "
        "(write a date such as 2027-05-03, or a week such as W07)"
    ]
    assert not (tmp_path / "out").exists()


def test_a_notes_sheet_is_allowed_and_empty_rows_are_skipped(tmp_path: Path) -> None:
    def change(wb: Workbook) -> None:
        wb.create_sheet("_Anteckningar")["A1"] = "mina noteringar"
        wb.create_sheet("Anteckningar maj")["B7"] = 12
        wb[L.REGIONS].insert_rows(5, 3)

    sc = load(edited(tmp_path, change))
    assert canonical(sc) == canonical(load(SWEDEN))


def test_a_small_hand_made_workbook_gets_every_default(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "scenario"  # sheet names in any case
    for row in [
        ("Fält", "Värde"),
        ("Id", "liten"),
        ("Namn", "Ett litet år"),
        ("Periodens start", dt.date(2027, 9, 1)),
        ("Periodens slut", "2027-12-15"),
    ]:
        ws.append(row)
    regions = wb.create_sheet("Regioner")
    regions.append(["Namn", "Kod"])  # columns in any order
    regions.append(["Region Östergötland", "SE-E"])
    regions.append(["Region Skåne", "SE-M"])
    hosts = wb.create_sheet("Värdar")
    hosts.append(["Id", "Namn"])
    hosts.append(["vinnova", "Vinnova"])
    themes = wb.create_sheet("Teman")
    themes.append(
        ["Värd", "Id", "Namn", "Fönster från", "Fönster till", "Önskade månader", "Spärrade perioder"]
    )
    themes.append(["vinnova", "rymd", "Rymd", "2027-W40", "2027-W44", "okt, nov", "v42; Lov: W44..vecka 45"])
    path = tmp_path / "liten.xlsx"
    wb.save(path)
    sc = load(path)
    theme = sc.hosts[0].themes[0]
    assert theme.preferred_months == [10, 11] and theme.invite == "interested"
    assert theme.window is not None and theme.window.weeks is None
    assert (theme.window.start, theme.window.end) == (dt.date(2027, 10, 4), dt.date(2027, 11, 7))
    assert [(f.name, f.weeks) for f in theme.forbidden] == [(None, (42, 42)), ("Lov", (44, 45))]
    assert sc.limits.window_max == 4 and sc.weekdays == ["mon", "tue", "wed", "thu", "fri"]
    assert [r.code for r in sc.regions] == ["SE-E", "SE-M"]
    assert [b.name for b in sc.calendar.blackouts] == ["Sommar", "Jul och nyår", "Trettondagen"]


# -- files that are not workbooks ------------------------------------------------------------


def not_workbooks(tmp_path: Path) -> list[tuple[Path, str]]:
    text = tmp_path / "text.xlsx"
    text.write_text("id: sweden-2027\n", encoding="utf-8")
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(workbook_bytes(load(SWEDEN))[:4000])
    other = tmp_path / "other.xlsx"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("hello.txt", "a zip, not a workbook")
    old = tmp_path / "old.xlsx"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("[Content_Types].xml", "<nope")
        archive.writestr("xl/workbook.xml", "<not xml")
    return [
        (text, "is not an Excel workbook (.xlsx)"),
        (cut, "is not an Excel workbook (.xlsx): a damaged file"),
        (other, "is a zip file but not an Excel workbook (.xlsx)"),
        (old, "is an old-format (.xls) or password-protected workbook"),
        (broken, "cannot be read as an Excel workbook"),
        (tmp_path / "missing.xlsx", "no such file"),
        (tmp_path, "is a folder, not a file"),
    ]


def test_a_file_that_is_not_a_workbook_is_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "dir.xlsx"
    folder.mkdir()
    for path, expected in not_workbooks(tmp_path):
        if path == tmp_path:
            path = folder
        with pytest.raises(ScenarioError) as err:
            load(path)
        assert err.value.line().startswith(f"{path}: {expected}"), err.value.line()


def test_a_non_xlsx_file_renamed_xlsx_exits_2_without_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "year.xlsx"
    path.write_bytes(SWEDEN.read_bytes())
    done = subprocess.run(
        [sys.executable, "-m", "arshjul.cli", "validate", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"error: {path}: is not an Excel workbook (.xlsx); save it in Excel as 'Excel-arbetsbok (.xlsx)'"
    ]
    assert "Traceback" not in done.stderr and not done.stdout


def test_sizes_are_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_workbook(load(SWEDEN), tmp_path / "year.xlsx")
    with pytest.raises(ScenarioError, match=r"workbooks are limited to 0 MB$"):
        reader.read_workbook(path, max_bytes=1000)
    monkeypatch.setattr(reader, "MAX_UNPACKED_BYTES", 100_000)
    with pytest.raises(ScenarioError, match="unpacks to 0 MB; workbooks are limited to 0 MB unpacked"):
        load(path)
    monkeypatch.setattr(reader, "MAX_UNPACKED_BYTES", 64 * 1024 * 1024)
    monkeypatch.setattr(reader, "MAX_ROWS", 50)
    with pytest.raises(ScenarioError, match=r"S3-områden: has more than 50 rows"):
        load(path)


# -- what a workbook cannot carry ------------------------------------------------------------


def test_the_writer_refuses_what_it_cannot_carry_in_one_line(tmp_path: Path) -> None:
    sc = load(SWEDEN).model_copy(deep=True)
    sc.regions[0].s3[0].tags = ["health, care"]
    with pytest.raises(ScenarioError) as err:
        build(sc)
    assert err.value.line() == (
        "regions[0].s3[0].tags[0]: 'health, care' has a comma; the workbook separates tags with commas"
    )
    # a control character never reaches the writer: the scenario refuses it on assignment
    sc = load(SWEDEN).model_copy(deep=True)
    with pytest.raises(ValidationError, match="control character"):
        sc.hosts[0].themes[0].description = "tab\x07bell"


# -- the commands ----------------------------------------------------------------------------


def test_workbook_new_and_export_round_trip_through_yaml(tmp_path: Path) -> None:
    book = tmp_path / "år.xlsx"
    runner = CliRunner()
    made = runner.invoke(main, ["workbook", "new", str(book)])
    assert made.exit_code == 0, made.output
    assert book.read_bytes() == workbook_bytes(load(SWEDEN))  # the bundled year by default
    again = runner.invoke(main, ["workbook", "new", str(book)])
    assert again.exit_code == 2
    assert again.stderr.strip() == f"error: {book}: exists already; add --force to replace it"
    out = tmp_path / "år.yaml"
    done = runner.invoke(main, ["workbook", "export", str(book), "-o", str(out)])
    assert done.exit_code == 0, done.output
    text = out.read_text(encoding="utf-8")
    assert "Östergötland" in text and text.startswith("# Strategiska snabbdialoger 2027")
    assert load(out).model_dump() == load(book).model_dump()
    assert canonical(load(out)) == canonical(load(SWEDEN))
    printed = runner.invoke(main, ["workbook", "export", str(book)])
    assert printed.exit_code == 0 and yaml.safe_load(printed.stdout)["id"] == "sweden-2027"


def test_workbook_new_from_a_scenario_and_its_refusals(tmp_path: Path) -> None:
    runner = CliRunner()
    book = tmp_path / "multi.xlsx"
    multi = SCENARIOS / "multi-agency-2027.yaml"
    done = runner.invoke(main, ["workbook", "new", str(book), "--from", str(multi)])
    assert done.exit_code == 0, done.output
    assert canonical(load(book)) == canonical(load(multi))
    wrong = runner.invoke(main, ["workbook", "new", str(tmp_path / "year.xls")])
    assert wrong.exit_code == 2 and "must end in .xlsx" in wrong.stderr
    data = yaml.safe_load(SWEDEN.read_text(encoding="utf-8"))
    data["regions"][0]["s3"][0]["tags"] = ["health, care"]
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    refused = runner.invoke(main, ["workbook", "new", str(tmp_path / "bad.xlsx"), "--from", str(bad)])
    assert refused.exit_code == 2
    assert refused.stderr.strip().startswith(
        f"error: {bad}: regions[0].s3[0].tags[0]: 'health, care' has a comma"
    )
    assert not (tmp_path / "bad.xlsx").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary files left


# -- a real spreadsheet program ----------------------------------------------------------


@pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice is not installed (apt-get install libreoffice-calc-nogui)",
)
def test_a_workbook_saved_again_by_libreoffice_reads_the_same(tmp_path: Path) -> None:
    """What a planner's spreadsheet program writes back (shared strings, its own styles and
    date cells) reads as the same scenario."""
    sc = kitchen_sink()
    source = write_workbook(sc, tmp_path / "in" / "år.xlsx")
    out = tmp_path / "out"
    profile = f"-env:UserInstallation=file://{tmp_path / 'profile'}"
    convert = ["--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(source)]
    done = subprocess.run(
        ["soffice", "--headless", "--norestore", profile, *convert],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    resaved = out / "år.xlsx"
    assert resaved.read_bytes() != source.read_bytes()
    assert canonical(load(resaved)) == canonical(sc)
