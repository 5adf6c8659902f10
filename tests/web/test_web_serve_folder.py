"""A workspace folder holds everything it plans with, and one ``arshjul serve`` uses it at a
time: the scenario's availability files and ``extends`` base (or a workbook) are copied in,
and a second server on the same folder is refused in one line with exit code 2."""

from __future__ import annotations

import functools
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

import arshjul
from arshjul.web import Workspace, WorkspaceError
from arshjul.web import library as lib
from arshjul.web.server import free_port
from arshjul.workbook.writer import workbook_bytes

ROOT = Path(__file__).resolve().parents[2]

ICS = """\
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Region Östergötland//Outlook//SV
BEGIN:VEVENT
UID:fullmaktige
SUMMARY:Regionfullmäktige – hela dagen
DTSTART;VALUE=DATE:20270301
DTEND;VALUE=DATE:20270306
END:VEVENT
END:VCALENDAR
"""
"""Östergötland away the whole first week of March 2027."""
CSV = "Datum;Anteckning\n2027-W37;Studieresa\n"
"""Skåne cannot present in week 37."""


def _closures(inst: lib.Instance) -> list[tuple[str, list[int], list[int]]]:
    """Every region's away days and the days it cannot present: what the solver plans with."""
    return [(r.code, sorted(r.away), sorted(r.cannot_present)) for r in inst.regions.values()]


@functools.cache
def bundled_closures() -> list[tuple[str, list[int], list[int]]]:
    return _closures(arshjul.build_instance(arshjul.load_scenario(arshjul.bundled("sweden-2027"))))


def _scenario_in_folders(tmp: Path) -> Path:
    """``planning/year.yaml`` extends ``planning/base/sweden-2027.yaml``; Östergötland's
    away days come from ``planning/calendars/oster.ics``, Skåne's from ``shared/skane.csv``
    (outside the scenario's folder)."""
    (tmp / "planning" / "base").mkdir(parents=True)
    (tmp / "planning" / "calendars").mkdir()
    (tmp / "shared").mkdir()
    shutil.copy(arshjul.bundled("sweden-2027"), tmp / "planning" / "base" / "sweden-2027.yaml")
    (tmp / "planning" / "calendars" / "oster.ics").write_text(ICS, encoding="utf-8")
    (tmp / "shared" / "skane.csv").write_text(CSV, encoding="utf-8")
    child = {
        "extends": "base/sweden-2027.yaml",
        "id": "sweden-2027-files",
        "regions": [
            {"code": "SE-E", "away_from": ["calendars/oster.ics"]},
            {"code": "SE-M", "cannot_present_from": ["../shared/skane.csv"]},
        ],
    }
    path = tmp / "planning" / "year.yaml"
    path.write_text("# the year, with the regions' own calendars\n" + yaml.safe_dump(child), encoding="utf-8")
    return path


def test_a_workspace_copies_the_files_its_scenario_reads(tmp_path: Path) -> None:
    source = _scenario_in_folders(tmp_path / "in")
    want = _closures(arshjul.build_instance(arshjul.load_scenario(source)))
    assert want != bundled_closures()  # the files do close slots

    ws = Workspace.open(tmp_path / "ws", source)
    root = ws.root
    assert (root / "calendars" / "oster.ics").read_text(encoding="utf-8") == ICS  # path kept relative
    assert (root / "files" / "skane.csv").read_text(encoding="utf-8") == CSV  # from outside: files/
    assert (root / "source" / "year.yaml").read_bytes() == source.read_bytes()  # the chain as it was
    assert (root / "source" / "base" / "sweden-2027.yaml").is_file()
    kept = yaml.safe_load((root / "scenario.yaml").read_text(encoding="utf-8"))
    assert "extends" not in kept
    assert {r["code"]: r.get("cannot_present_from") for r in kept["regions"]}["SE-M"] == ["files/skane.csv"]

    # nothing outside the folder is read any more: the originals gone, the workspace plans the same
    shutil.rmtree(tmp_path / "in")
    again = Workspace.open(root)
    sc, inst = again.scenario()
    assert sc.id == "sweden-2027-files"
    assert _closures(inst) == want
    # reopening with the same scenario is fine; a folder holding another copy of a file is refused
    Workspace.open(tmp_path / "ws2", _scenario_in_folders(tmp_path / "in"))
    (tmp_path / "ws2" / "calendars" / "oster.ics").write_text(ICS.replace("0306", "0305"), encoding="utf-8")
    with pytest.raises(WorkspaceError, match=r"already holds another calendars/oster\.ics"):
        Workspace.open(tmp_path / "ws2", tmp_path / "in" / "planning" / "year.yaml")


def test_a_plain_scenario_is_copied_as_it_is_with_its_files(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "cal").mkdir(parents=True)
    (folder / "cal" / "oster.ics").write_text(ICS, encoding="utf-8")
    text = arshjul.bundled("sweden-2027").read_text(encoding="utf-8")
    text = text.replace("  - code: SE-E\n", "  - code: SE-E\n    away_from: [cal/oster.ics]\n", 1)
    assert "cal/oster.ics" in text
    (folder / "year.yaml").write_text(text, encoding="utf-8")
    want = _closures(arshjul.build_instance(arshjul.load_scenario(folder / "year.yaml")))
    assert want != bundled_closures()
    ws = Workspace.open(tmp_path / "ws", folder / "year.yaml")
    assert (ws.root / "scenario.yaml").read_text(encoding="utf-8") == text  # comments and all
    assert not (ws.root / "source").exists()
    shutil.rmtree(folder)
    assert _closures(Workspace.open(ws.root).scenario()[1]) == want


def test_a_workbook_becomes_the_workspace_scenario_with_its_files(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "skane.csv").write_text(CSV, encoding="utf-8")
    sc = arshjul.load_scenario(arshjul.bundled("sweden-2027"))
    sc.region("SE-M").cannot_present_from = ["skane.csv"]
    (folder / "year.xlsx").write_bytes(workbook_bytes(sc))
    book = arshjul.load_scenario(folder / "year.xlsx")
    assert book.region("SE-M").cannot_present_from == ["skane.csv"]
    want = _closures(arshjul.build_instance(book))
    assert want != bundled_closures()

    ws = Workspace.open(tmp_path / "ws", folder / "year.xlsx")
    assert (ws.root / "skane.csv").read_text(encoding="utf-8") == CSV
    assert (ws.root / "source" / "year.xlsx").read_bytes() == (folder / "year.xlsx").read_bytes()
    assert (ws.root / "scenario.yaml").read_text(encoding="utf-8").startswith("# ")
    shutil.rmtree(folder)
    assert _closures(Workspace.open(ws.root).scenario()[1]) == want


# -- two servers, one folder --------------------------------------------------------------------

WAIT = 60.0
"""Seconds a server may take to start or stop at most (a bound on a busy machine)."""


def _serve(workspace: Path, port: int) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "arshjul", "serve", "--workspace", str(workspace), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _wait_open(proc: subprocess.Popen[str]) -> str:
    """The address the server printed (it prints it just before it listens)."""
    assert proc.stdout is not None
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if line.startswith("Open "):
            return line.split(" ", 1)[1].strip()
        if not line and proc.poll() is not None:
            break
    raise AssertionError(f"the server did not start: {proc.stderr.read() if proc.stderr else ''}")


def test_the_serve_lock_is_held_until_released(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path / "ws")
    lock = ws.lock_for_serving("http://127.0.0.1:8765/")
    with pytest.raises(WorkspaceError) as refused:
        ws.lock_for_serving("http://127.0.0.1:8766/")
    assert str(refused.value) == (
        f"{ws.root} is already open in another arshjul serve (pid {os.getpid()}, http://127.0.0.1:8765/); "
        "use that one, stop it first, or give another --workspace folder"
    )
    lock.release()
    again = ws.lock_for_serving("http://127.0.0.1:8766/")
    assert '"address": "http://127.0.0.1:8766/"' in (ws.root / "serve.lock").read_text(encoding="utf-8")
    again.release()


@pytest.mark.slow
def test_a_second_serve_on_the_same_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    first = _serve(folder, free_port())
    try:
        _wait_open(first)
        held = (folder / "serve.lock").read_text(encoding="utf-8")
        assert f'"pid": {first.pid}' in held
        second = _serve(folder, free_port())
        out, err = second.communicate(timeout=WAIT)
        assert second.returncode == 2
        lines = err.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in err, err
        assert lines[0].startswith("error: ") and "already open in another arshjul serve" in lines[0]
        assert f"pid {first.pid}" in lines[0] and "--workspace" in lines[0]
        assert "Open " not in out
    finally:
        first.send_signal(signal.SIGINT)
        first.communicate(timeout=WAIT)
    # the first one gone (its lock with it), the folder can be served again
    third = _serve(folder, free_port())
    try:
        _wait_open(third)
    finally:
        third.send_signal(signal.SIGKILL)  # killed, not stopped: the system drops the lock
        third.communicate(timeout=WAIT)
    fourth = _serve(folder, free_port())
    try:
        _wait_open(fourth)
    finally:
        fourth.send_signal(signal.SIGINT)
        fourth.communicate(timeout=WAIT)
