"""``extends:`` across formats and folders: a YAML scenario may extend a planning workbook
(.xlsx), and an availability file named in a base file is found beside that base file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from arshjul.cli import main
from arshjul.errors import ScenarioError
from arshjul.instance import build_instance
from arshjul.scenario import load
from arshjul.variants import variant
from arshjul.workbook import layout as L
from arshjul.workbook.writer import build, write_workbook
from conftest import SCENARIOS, base, merge

SWEDEN = SCENARIOS / "sweden-2027.yaml"

CSV = "Datum;Anteckning\n2027-09-08;Regionstyrelsen\n"
"""One away day (a Wednesday) inside the tiny period of ``conftest.base()``."""


def _yaml(path: Path, data: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


# -- extends: base.xlsx ---------------------------------------------------------------------


def test_a_scenario_extends_a_workbook(tmp_path: Path) -> None:
    workbook = write_workbook(load(SWEDEN), tmp_path / "bas.xlsx")
    child = _yaml(
        tmp_path / "år.yaml",
        {
            "extends": "bas.xlsx",
            "name": "Dialoger 2027 – Östergötlands utkast",
            "limits": {"window_max": 5},
            "regions": [{"code": "SE-E", "name": "Region Östergötland (ändrad)"}],
        },
    )
    base_sc, sc = load(workbook), load(child)
    assert sc.name == "Dialoger 2027 – Östergötlands utkast"
    assert sc.limits.window_max == 5 != base_sc.limits.window_max
    assert [r.code for r in sc.regions] == [r.code for r in base_sc.regions]
    assert next(r.name for r in sc.regions if r.code == "SE-E") == "Region Östergötland (ändrad)"
    # everything the child does not set is the workbook's
    assert sc.hosts == base_sc.hosts and sc.period == base_sc.period


def test_a_chain_may_pass_through_yaml_to_a_workbook_and_variants_read_it(tmp_path: Path) -> None:
    write_workbook(load(SWEDEN), tmp_path / "base" / "bas.xlsx")
    _yaml(tmp_path / "base" / "mitten.yaml", {"extends": "bas.xlsx", "limits": {"window_max": 6}})
    child = _yaml(tmp_path / "år.yaml", {"extends": "base/mitten.yaml", "id": "utkast"})
    sc = load(child)
    assert (sc.id, sc.limits.window_max) == ("utkast", 6)
    assert variant(child, {"limits.window_max": 4}).limits.window_max == 4


@pytest.mark.parametrize(
    ("sheet", "ref", "value", "expected"),
    [
        (L.REGIONS, "D2", "nej", "Regioner!D2: 'nej' is not an e-mail address"),
        (L.THEMES, "I3", 0, "Teman!I3: max_presenters (0) is below min_presenters (1)"),
        (L.THEMES, "A4", "tillvaxtverket", "Teman!A4: unknown host 'tillvaxtverket'"),
    ],
    ids=["a field", "a rule on a row", "a reference"],
)
def test_a_bad_cell_of_the_extended_workbook_names_its_sheet_and_cell(
    sheet: str, ref: str, value: object, expected: str, tmp_path: Path
) -> None:
    wb = build(load(SWEDEN))
    wb[sheet][ref].value = value
    wb.save(tmp_path / "bas.xlsx")
    child = _yaml(tmp_path / "år.yaml", {"extends": "bas.xlsx", "limits": {"window_max": 5}})
    result = CliRunner().invoke(main, ["validate", str(child)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {tmp_path / 'bas.xlsx'}: {expected}"), lines


def test_a_cell_the_workbook_reads_wrongly_is_named_before_any_merge(tmp_path: Path) -> None:
    wb = build(load(SWEDEN))
    wb[L.AVAILABILITY]["D2"].value = "fredag"
    wb.save(tmp_path / "bas.xlsx")
    child = _yaml(tmp_path / "år.yaml", {"extends": "bas.xlsx"})
    result = CliRunner().invoke(main, ["validate", str(child)])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"error: {tmp_path / 'bas.xlsx'}: Tillgänglighet!D2: not a date: 'fredag' "
        "(write a date such as 2027-05-03, or a week such as W07)"
    ]


def test_a_field_the_child_set_names_the_child_not_the_workbook(tmp_path: Path) -> None:
    write_workbook(load(SWEDEN), tmp_path / "bas.xlsx")
    child = _yaml(tmp_path / "år.yaml", {"extends": "bas.xlsx", "limits": {"window_max": -1}})
    with pytest.raises(ScenarioError) as err:
        load(child)
    assert err.value.line().startswith(f"{child}: limits.window_max: ")


def test_a_workbook_that_is_not_one_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "bas.xlsx").write_text("name: not a workbook\n", encoding="utf-8")
    child = _yaml(tmp_path / "år.yaml", {"extends": "bas.xlsx"})
    result = CliRunner().invoke(main, ["validate", str(child)])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"error: {tmp_path / 'bas.xlsx'}: is not an Excel workbook (.xlsx); "
        "save it in Excel as 'Excel-arbetsbok (.xlsx)'"
    ]


# -- availability files are relative to the file that names them ----------------------------


def _chain(tmp_path: Path, ref: str = "dalarna.csv") -> Path:
    data = merge(base())
    data["regions"] = [
        {"code": "SE-W", "name": "Region Dalarna", "away_from": [ref]},
        {"code": "SE-M", "name": "Region Skåne"},
        {"code": "SE-I", "name": "Region Gotland"},
    ]
    _yaml(tmp_path / "base" / "common.yaml", data)
    return _yaml(tmp_path / "år.yaml", {"extends": "base/common.yaml", "id": "barn"})


def test_a_base_files_availability_is_found_beside_the_base(tmp_path: Path) -> None:
    child = _chain(tmp_path)
    (tmp_path / "base" / "dalarna.csv").write_text(CSV, encoding="utf-8")
    inst = build_instance(load(child))
    day = inst.day(dt.date(2027, 9, 8))
    assert inst.regions["SE-W"].away[day].startswith('away dalarna.csv: "Regionstyrelsen"')
    assert sorted(inst.regions["SE-W"].away) == [day]


def test_a_file_beside_the_child_is_not_taken_for_the_bases(tmp_path: Path) -> None:
    child = _chain(tmp_path)
    (tmp_path / "dalarna.csv").write_text(CSV, encoding="utf-8")  # beside the child only
    with pytest.raises(ScenarioError) as err:
        load(child)
    line = err.value.line()
    assert line.startswith(f"{tmp_path / 'base' / 'common.yaml'}: regions[SE-W].away_from[0]: dalarna.csv:")
    assert "no such file" in line


def test_a_list_the_child_sets_is_relative_to_the_child(tmp_path: Path) -> None:
    child = _chain(tmp_path)
    data = yaml.safe_load(child.read_text(encoding="utf-8"))
    data["regions"] = [{"code": "SE-W", "away_from": ["egen.csv"]}]
    _yaml(child, data)
    (tmp_path / "egen.csv").write_text(CSV, encoding="utf-8")
    (tmp_path / "base" / "egen.csv").write_text("Datum\n2027-09-10\n", encoding="utf-8")
    inst = build_instance(load(child))
    assert sorted(inst.regions["SE-W"].away) == [inst.day(dt.date(2027, 9, 8))]


def test_calendar_shows_the_base_files_days(tmp_path: Path) -> None:
    child = _chain(tmp_path)
    (tmp_path / "base" / "dalarna.csv").write_text(CSV, encoding="utf-8")
    result = CliRunner().invoke(main, ["calendar", str(child), "--region", "SE-W"])
    assert result.exit_code == 0, result.output
    assert "2027-09-08" in result.output and "dalarna.csv" in result.output


def test_a_workbooks_availability_files_are_found_beside_the_workbook(tmp_path: Path) -> None:
    # the workbook (with its Regioner sheet naming dalarna.csv) lives in base/, the child above
    _chain(tmp_path)
    (tmp_path / "base" / "dalarna.csv").write_text(CSV, encoding="utf-8")
    write_workbook(load(tmp_path / "base" / "common.yaml"), tmp_path / "base" / "bas.xlsx")
    child = _yaml(tmp_path / "år.yaml", {"extends": "base/bas.xlsx", "id": "barn"})
    inst = build_instance(load(child))
    assert sorted(inst.regions["SE-W"].away) == [inst.day(dt.date(2027, 9, 8))]
    (tmp_path / "base" / "dalarna.csv").unlink()
    (tmp_path / "dalarna.csv").write_text(CSV, encoding="utf-8")  # beside the child: not the one meant
    with pytest.raises(ScenarioError) as err:
        load(child)
    assert err.value.line().startswith(
        f"{tmp_path / 'base' / 'bas.xlsx'}: regions[SE-W].away_from[0]: dalarna.csv:"
    )
