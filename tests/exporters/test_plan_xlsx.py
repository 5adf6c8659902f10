"""plan.xlsx: the plan as a workbook, written beside plan.json, the same bytes every time."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from arshjul.cli import main
from arshjul.exporters.xlsx import INVITATIONS, LOAD, ORDER, PENALTY, SESSIONS, plan_xlsx
from arshjul.plan import Plan
from arshjul.scenario import load
from arshjul.workbook.writer import write_workbook
from conftest import SCENARIOS

SWEDEN = SCENARIOS / "sweden-2027.yaml"
STAMP = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The Sweden year planned from its YAML and from its workbook: the two output folders."""
    root = tmp_path_factory.mktemp("planned")
    book = write_workbook(load(SWEDEN), root / "år-2027.xlsx")
    outs = []
    for name, source in (("yaml", SWEDEN), ("xlsx", book)):
        out = root / name
        result = CliRunner().invoke(
            main, ["plan", str(source), "-o", str(out), "--quiet", "--no-report", "--time-limit", "60"]
        )
        assert result.exit_code == 0, result.output
        outs.append(out)
    return outs[0], outs[1]


def plan_of(out: Path) -> Plan:
    return Plan.from_json((out / "plan.json").read_text(encoding="utf-8"))


def test_planning_the_workbook_gives_the_plan_of_the_yaml(planned: tuple[Path, Path]) -> None:
    from_yaml, from_xlsx = (plan_of(out) for out in planned)
    assert from_yaml.status == from_xlsx.status == "OPTIMAL"
    assert from_xlsx.objective == from_yaml.objective
    assert from_xlsx.terms == from_yaml.terms


def test_plan_xlsx_has_its_sheets_with_dates_as_dates(planned: tuple[Path, Path]) -> None:
    out = planned[0]
    plan = plan_of(out)
    wb = load_workbook(out / "plan.xlsx")
    assert wb.sheetnames[:5] == [SESSIONS, ORDER, INVITATIONS, LOAD, PENALTY]
    assert sorted(wb.sheetnames[5:]) == sorted(plan.regions)  # plan.json keeps regions sorted
    ws = wb[SESSIONS]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:O{len(plan.sessions) + 1}"
    for row, s in enumerate(plan.sessions, start=2):
        day, start, end = ws.cell(row=row, column=1), ws.cell(row=row, column=4), ws.cell(row=row, column=5)
        assert day.is_date and day.value.date() == s.date
        assert start.value == s.start.time().replace(tzinfo=None) and end.value == s.end.time().replace(
            tzinfo=None
        )
        assert ws.cell(row=row, column=15).value == s.id
        order = ws.cell(row=row, column=11).value
        for p in s.presentations:  # the running order, with times, in order
            assert f"{p.start:%H:%M}–{p.end:%H:%M} {p.name} ({p.presenter})" in order
        if s.presentations:
            names = [line.split(" ", 1)[1] for line in order.splitlines()]
            assert names[1:] == [f"{p.name} ({p.presenter})" for p in s.presentations]
    talks = [r for r in wb[ORDER].iter_rows(min_row=2, values_only=True) if r[4] == "presenterar"]
    assert len(talks) == sum(len(s.presentations) for s in plan.sessions)
    assert all(isinstance(r[0], dt.datetime) and isinstance(r[1], dt.time) for r in talks)


def test_the_invitation_matrix_is_the_plans(planned: tuple[Path, Path]) -> None:
    out = planned[0]
    plan = plan_of(out)
    ws = load_workbook(out / "plan.xlsx")[INVITATIONS]
    assert ws.freeze_panes == "C3"
    for k, s in enumerate(plan.sessions, start=3):
        assert ws.cell(row=1, column=k).value.date() == s.date
        assert ws.cell(row=2, column=k).value == s.title
    codes = [ws.cell(row=r, column=1).value for r in range(3, ws.max_row + 1)]
    assert sorted(codes) == sorted(plan.regions)
    for r, code in enumerate(codes, start=3):
        for k, s in enumerate(plan.sessions, start=3):
            expected = "P" if code in s.presenting_regions else "x" if code in s.invited else None
            assert ws.cell(row=r, column=k).value == expected, (code, s.id)
        total = ws.cell(row=r, column=len(plan.sessions) + 3).value
        assert total == len(plan.sessions_for(code))


def test_load_penalty_and_region_sheets(planned: tuple[Path, Path]) -> None:
    out = planned[0]
    plan = plan_of(out)
    wb = load_workbook(out / "plan.xlsx")
    loads = {row[0]: row for row in wb[LOAD].iter_rows(min_row=2, values_only=True)}
    for load_ in plan.load():
        row = loads[load_.code]
        assert list(row[2:14]) == list(load_.by_month.values())
        assert row[14:16] == (load_.invitations, load_.worst_window)
        assert row[17] == plan.window_max[load_.code]
    penalty = {row[0]: row[2] for row in wb[PENALTY].iter_rows(min_row=2, values_only=True) if row[0]}
    assert {k: penalty[k] for k in plan.terms} == plan.terms
    assert penalty["Totalt"] == plan.objective == sum(plan.terms.values())
    region = wb["SE-E"]
    rows = list(region.iter_rows(min_row=2, values_only=True))
    assert [r[5] for r in rows] == [s.title for s in plan.sessions_for("SE-E")]
    assert all(isinstance(r[0], dt.datetime) for r in rows)
    presents = [s for s in plan.sessions if "SE-E" in s.presenting_regions]
    assert sum(str(r[7]).startswith("presenterar") for r in rows) == len(presents)


def test_two_writes_are_the_same_bytes(planned: tuple[Path, Path]) -> None:
    plan = plan_of(planned[0])
    assert plan.publication_date == STAMP.date()
    first, second = plan_xlsx(plan, dtstamp=STAMP), plan_xlsx(plan, dtstamp=STAMP)
    assert first == second
    with zipfile.ZipFile(planned[0] / "plan.xlsx") as written:  # the CLI's DTSTAMP: publication date
        assert {info.date_time for info in written.infolist()} == {(2026, 12, 1, 0, 0, 0)}
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2026, 12, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml")
    assert b"2026-12-01T00:00:00Z" in core and core.count(b"2026-12-01T00:00:00Z") == 2
    other = plan_xlsx(plan, dtstamp=dt.datetime(2027, 2, 3, 4, 5, 6, tzinfo=dt.UTC))
    assert other != first and b"2027-02-03T04:05:06Z" in zipfile.ZipFile(io.BytesIO(other)).read(
        "docProps/core.xml"
    )
