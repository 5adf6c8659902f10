"""Concurrent runs into one output folder, and readers while they write.

Four ``arshjul plan`` processes (fresh interpreters, loopback only: no network) plan four
different small years into the same folder at once, their publishing slowed so that it
overlaps.  Each must end with exit 0 (it waited for the one before it, then published) or
the documented one line "another arshjul is writing this folder" and exit 2 — never a
traceback — and the folder must end as one complete set of one of the four runs, byte for
byte, with nothing left in staging, which ``arshjul check`` accepts.  A reader looping
meanwhile, which resolves ``current`` once per read as the README says, must only ever see
one whole set; a naive reader opening ``out/calendar.ics`` must only ever see one whole file.

Bounded: every process has a timeout, and the lock wait is at most ``LOCK_WAIT`` s.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from icalendar import Calendar
from test_cli_faults import leftovers, one_line, spawn, visible, write, year

from arshjul.cli import main
from arshjul.fileio import CURRENT, OWN

ARGS = ["--quiet", "--time-limit", "10", "--invitations"]
RUNS = [(3, "Körning ett"), (5, "Körning två"), (4, "Körning tre"), (3, "Körning fyra")]
"""(regions, name): other names, other region calendars, so a mix of two would show."""


def version_set(folder: Path) -> dict[str, bytes]:
    """Every file under one version folder, by its path inside it."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def read_whole_set(out: Path) -> dict[str, bytes] | None:
    """A reader that needs the set: resolve ``current`` once, read under that version.  When
    a newer run removed that version meanwhile it is told so (``None``) and reads again."""
    try:
        version = out / os.readlink(out / CURRENT)
        return version_set(version) if version.is_dir() else None
    except FileNotFoundError:
        return None


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("concurrent")
    scenarios, references = [], []
    for k, (regions, name) in enumerate(RUNS):
        sc = write(root / "in", year(regions=regions, name=name), f"run-{k}.yaml")
        ref = root / f"reference-{k}"
        result = CliRunner().invoke(main, ["plan", str(sc), "-o", str(ref), *ARGS])
        assert result.exit_code == 0, result.output
        scenarios.append(sc)
        references.append(visible(ref))
    return {"root": root, "scenarios": scenarios, "references": references}


def test_four_writers_and_a_reader_never_see_a_mix(runs: dict[str, Any]) -> None:
    out = runs["root"] / "out"
    references: list[dict[str, bytes]] = runs["references"]
    calendars = {ref["calendar.ics"] for ref in references}
    first = CliRunner().invoke(main, ["plan", str(runs["scenarios"][0]), "-o", str(out), *ARGS])
    assert first.exit_code == 0

    assert read_whole_set(out) == references[0]
    procs = [
        spawn(["plan", str(sc), "-o", str(out), *ARGS], pause_at=-1, slow=0.02) for sc in runs["scenarios"]
    ]
    reads = gone = 0
    try:
        while any(p.poll() is None for p in procs):
            got = read_whole_set(out)
            if got is None:
                gone += 1  # its version was removed under it: it reads again
            else:
                reads += 1
                assert got in references, f"a mixed or partial set: {sorted(got)}"
            try:
                naive = (out / "calendar.ics").read_bytes()  # one file through the top-level link
            except FileNotFoundError:
                gone += 1  # opened in the instant its old version was removed
                continue
            assert naive in calendars, "a torn calendar.ics"
            Calendar.from_ical(naive)
        results = [p.communicate(timeout=120) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.communicate()

    for proc, (stdout, stderr) in zip(procs, results, strict=True):
        assert "Traceback" not in stderr, stderr
        if proc.returncode == 0:
            assert "Wrote" in stdout
        else:
            assert proc.returncode == 2, (proc.returncode, stderr)
            assert "another arshjul is writing this folder" in one_line(stderr)
    assert sum(p.returncode == 0 for p in procs) >= 1
    print(f"\nconcurrency: exits {[p.returncode for p in procs]}, {reads} whole-set reads, {gone} re-reads")

    final = visible(out)
    assert final in references
    assert final == read_whole_set(out)
    assert leftovers(out) == []
    assert sorted(p.name for p in (out / OWN).iterdir()) == [
        "lock",
        os.readlink(out / CURRENT).split("/")[-1],
    ]
    assert {p.split("/")[0] for p in final} == {p.name for p in (out / CURRENT).iterdir()}
    assert not [p.name for p in out.iterdir() if p.name.startswith(".") and p.name != OWN]
    winner = runs["scenarios"][references.index(final)]
    name = json.loads(final["plan.json"])["scenario_name"]
    assert name == RUNS[references.index(final)][1]
    checked = CliRunner().invoke(main, ["check", str(winner), str(out / "plan.json")])
    assert checked.exit_code == 0, checked.output


def test_a_kill_between_making_a_link_and_renaming_it_leaves_nothing_in_the_way(
    runs: dict[str, Any],
) -> None:
    """kill -9 exactly between ``symlink`` and ``rename`` of a publishing link: the folder
    still shows a whole set and the next run writes without complaint (the half-made link
    lives in ``.arshjul``, cleared as a leftover)."""
    out = runs["root"] / "killed"
    assert CliRunner().invoke(main, ["plan", str(runs["scenarios"][1]), "-o", str(out), *ARGS]).exit_code == 0
    before = visible(out)
    killer = (
        "import os, sys\n"
        "real = os.replace\n"
        "def replace(src, dst, *a, **k):\n"
        "    if os.path.islink(src) and os.path.basename(str(src)).startswith('link-'):\n"
        "        os.kill(os.getpid(), 9)\n"
        "    return real(src, dst, *a, **k)\n"
        "os.replace = replace\n"
        "from arshjul.cli import run\n"
        "sys.argv = ['arshjul', *sys.argv[1:]]\n"
        "run()\n"
    )
    args = ["plan", str(runs["scenarios"][2]), "-o", str(out), *ARGS]
    done = subprocess.run(
        [sys.executable, "-c", killer, *args], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == -9, done.stderr
    assert visible(out) == before
    assert [p for p in (out / OWN).iterdir() if p.name.startswith("link-")]  # the half-made link
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 0, again.output
    assert visible(out) == runs["references"][2] and leftovers(out) == []


def test_the_version_folders_are_as_readable_as_the_files(runs: dict[str, Any]) -> None:
    out = runs["root"] / "shared"
    old = os.umask(0o022)
    try:
        assert (
            CliRunner().invoke(main, ["plan", str(runs["scenarios"][0]), "-o", str(out), *ARGS]).exit_code
            == 0
        )
    finally:
        os.umask(old)
    version = out / os.readlink(out / CURRENT)
    assert version.stat().st_mode & 0o777 == 0o755
    assert (version / "plan.json").stat().st_mode & 0o777 == 0o644
