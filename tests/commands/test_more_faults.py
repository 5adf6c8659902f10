"""Faults the first fault suite (``test_cli_faults.py``) did not reach: Ctrl-C while waiting
for another run, a full disk under ``report``, a tampered ``current`` link, inputs that are
links into the output folder or to devices, and the ends of the calendar in CLI options.

Each asserts the exit code, one line on stderr and no traceback, and that nothing was
written or the previous set is intact.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner
from test_cli_faults import leftovers, one_line, plan, refused, visible, write, year

from arshjul.cli import main
from arshjul.fileio import CURRENT, OWN


@pytest.fixture
def planned(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes]]:
    """A scenario (outside the output folder) planned once into out/: (scenario, out, set)."""
    sc = write(tmp_path / "in", year(regions=5))
    out = tmp_path / "out"
    result = plan(str(sc), "-o", str(out))
    assert result.exit_code == 0, result.output
    return sc, out, visible(out)


WAITING = """
import fcntl, sys
real = fcntl.flock
said = []
def flock(fd, op):
    try:
        return real(fd, op)
    except BlockingIOError:
        if not said:
            said.append(1)
            print("WAITING", flush=True)
        raise
fcntl.flock = flock
from arshjul.cli import run
sys.argv = ["arshjul", *sys.argv[1:]]
run()
"""


def test_ctrl_c_while_waiting_for_another_run_changes_nothing(
    planned: tuple[Path, Path, dict[str, bytes]],
) -> None:
    sc, out, before = planned
    with open(out / OWN / "lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # another run is publishing, and takes its time
        args = [
            sys.executable,
            "-c",
            WAITING,
            "plan",
            str(sc),
            "-o",
            str(out),
            "--quiet",
            "--time-limit",
            "10",
        ]
        with subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as proc:
            assert proc.stdout is not None
            assert proc.stdout.readline().strip() == "WAITING"
            proc.send_signal(signal.SIGINT)
            _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert one_line(err) == "Interrupted; nothing was changed in the output folder."
    assert visible(out) == before and leftovers(out) == []


def test_a_tampered_current_link_is_refused_and_never_followed(
    planned: tuple[Path, Path, dict[str, bytes]], tmp_path: Path
) -> None:
    sc, out, _ = planned
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (out / CURRENT).unlink()
    (out / CURRENT).symlink_to(elsewhere)
    line = refused(
        CliRunner().invoke(main, ["plan", str(sc), "-o", str(out), "--quiet", "--time-limit", "10"])
    )
    assert "current" in line and "link arshjul did not make" in line
    assert list(elsewhere.iterdir()) == []


def test_a_scenario_linked_from_inside_the_output_folder_is_refused(
    planned: tuple[Path, Path, dict[str, bytes]], tmp_path: Path
) -> None:
    """A link outside whose target lies inside the output folder: an output could replace it."""
    _, out, before = planned
    real = out / OWN / "year.yaml"
    shutil.copy(tmp_path / "in" / "year.yaml", real)
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    line = refused(CliRunner().invoke(main, ["plan", str(link), "-o", str(out), "--quiet"]))
    assert "lies inside the output folder" in line
    real.unlink()
    assert visible(out) == before


@pytest.mark.parametrize("target", ["/dev/zero", "fifo", "folder"])
def test_a_previous_plan_that_is_no_regular_file_is_one_line(tmp_path: Path, target: str) -> None:
    sc = write(tmp_path / "in", year())
    if target == "fifo":
        os.mkfifo(tmp_path / "fifo")
        path = str(tmp_path / "fifo")
    elif target == "folder":
        (tmp_path / "folder").mkdir()
        path = str(tmp_path / "folder")
    else:
        path = target
    out = tmp_path / "out"
    args = ["plan", str(sc), "-o", str(out), "--previous", path, "--allow-moves", "--quiet"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert path in one_line(result.stderr)
    assert not out.exists()


@pytest.mark.parametrize("today", ["0001-01-01", "9999-12-31"])
def test_report_on_the_first_and_last_day_of_the_calendar(
    planned: tuple[Path, Path, dict[str, bytes]], tmp_path: Path, today: str
) -> None:
    _, out, _ = planned
    elsewhere = tmp_path / "report"
    result = CliRunner().invoke(
        main, ["report", str(out / "plan.json"), "-o", str(elsewhere), "--today", today]
    )
    assert result.exit_code == 0, result.output
    for name in ("wheel.svg", "heatmap.svg"):
        ElementTree.parse(elsewhere / name)


@pytest.mark.parametrize("until", ["0001-01-01", "9999-12-31"])
def test_replan_frozen_until_the_ends_of_the_calendar(
    planned: tuple[Path, Path, dict[str, bytes]], tmp_path: Path, until: str
) -> None:
    sc, out, _ = planned
    sent = tmp_path / "sent.json"
    shutil.copy(out / "plan.json", sent)
    re = tmp_path / "re"
    args = [
        "replan",
        str(sc),
        "--previous",
        str(sent),
        "--frozen-until",
        until,
        "-o",
        str(re),
        "--time-limit",
        "10",
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    checked = CliRunner().invoke(main, ["check", str(sc), str(re / "plan.json")])
    assert checked.exit_code == 0, checked.output


def test_a_full_disk_under_report_leaves_the_previous_set(
    planned: tuple[Path, Path, dict[str, bytes]], tmp_path: Path
) -> None:
    """``report`` into a plan's folder writes a new version carrying the rest over; on a disk
    with room for one set only, that fails with one line and the set stays as it was."""
    _, template, before = planned
    disk = tmp_path / "disk"
    disk.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a tmpfs needs root and mount(8)")
    size = sum(len(b) for b in before.values())
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size + 64 * 1024}", "tmpfs", str(disk)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        out = disk / "out"
        shutil.copytree(template, out, symlinks=True)
        result = CliRunner().invoke(main, ["report", str(out / "plan.json"), "--today", "2027-09-20"])
        line = refused(result)
        assert "No space left on device" in line and "previous outputs are as they were" in line
        assert visible(out) == before
        assert leftovers(out) == []
    finally:
        subprocess.run(["umount", str(disk)], check=True)


def _previous(data: dict[str, Any], case: str) -> dict[str, Any]:
    """A plan sent before, edited by hand or by another tool, that invitations cannot honour."""
    data = json.loads(json.dumps(data))
    gone = json.loads(json.dumps(data["sessions"][0]))
    gone.update(id="other.hybrid.gone", host="other")
    if case == "cancelled host without e-mail":
        data["sessions"].append(gone)
        data["hosts"]["other"] = "Other"
    elif case == "cancelled host with a header in its e-mail":
        data["sessions"].append(gone)
        data["hosts"]["other"] = "Other"
        data["host_emails"]["other"] = "x@example.se\r\nATTENDEE:mailto:evil@example.se"
    elif case == "region contact with a header":
        data["contacts"][data["sessions"][0]["invited"][0]] = "a@b.se\nATTENDEE:mailto:evil@example.se"
    elif case == "a session listed twice":
        data["sessions"].append(data["sessions"][0])
    return data


@pytest.mark.parametrize(
    ("case", "field"),
    [
        ("cancelled host without e-mail", "hosts[other].email"),
        ("cancelled host with a header in its e-mail", "hosts[other].email"),
        ("region contact with a header", "].contact"),
        ("a session listed twice", "sessions[3]"),
    ],
)
def test_a_previous_plan_invitations_cannot_honour_is_one_line_before_solving(
    planned: tuple[Path, Path, dict[str, bytes]], tmp_path: Path, case: str, field: str
) -> None:
    sc, out, before = planned
    sent = tmp_path / "sent.json"
    sent.write_text(
        json.dumps(_previous(json.loads((out / "plan.json").read_text(encoding="utf-8")), case)),
        encoding="utf-8",
    )
    args = [str(sc), "-o", str(out), "--invitations", "--previous", str(sent), "--allow-moves"]
    line = refused(plan(*args))
    assert line.startswith(f"error: {sent}: ") and field in line, line
    assert visible(out) == before and leftovers(out) == []


def _plan_through_the_entry_point(
    tmp_path: Path, probe: str
) -> tuple[subprocess.CompletedProcess[str], Path]:
    """``arshjul plan --quiet`` on the small year, run by ``probe`` (a script that calls the
    entry point and sends its own Ctrl-C at the moment under test); the run and its folder."""
    sc = write(tmp_path / "in", year())
    out = tmp_path / "out"
    args = [sys.executable, "-c", probe, "plan", str(sc), "-o", str(out), "--quiet"]
    return subprocess.run(args, capture_output=True, text=True, timeout=120, check=False), out


RUN = "sys.argv = ['arshjul', *sys.argv[1:]]\nentry.run()\n"
"""A probe's last lines: the real entry point with the test's arguments."""


def _nothing_written(done: subprocess.CompletedProcess[str], out: Path) -> None:
    """The run ended by Ctrl-C in one line, and no output folder was made."""
    assert done.returncode == 130, done.stderr
    assert one_line(done.stderr) == "Interrupted; nothing was changed in the output folder."
    assert not out.exists()


def test_ctrl_c_before_anything_is_loaded_is_one_line(tmp_path: Path) -> None:
    """Ctrl-C at the very first moment the entry point can catch it (before fileio, click,
    pydantic load): exit 130, one line, no traceback, nothing written — every time, not only
    when a sleep happens to land there."""
    early = (
        f"import os, signal, sys\nimport arshjul._entry as entry\nos.kill(os.getpid(), signal.SIGINT)\n{RUN}"
    )
    done, out = _plan_through_the_entry_point(tmp_path, early)
    _nothing_written(done, out)


def test_after_loading_ctrl_c_is_a_keyboard_interrupt_again() -> None:
    """The start-up guard hands SIGINT back, so Ctrl-C still stops a search (and keeps the
    best plan) instead of being swallowed."""
    probe = (
        "import signal\n"
        "import arshjul._entry as entry\n"
        "class Cli:\n"
        "    @staticmethod\n"
        "    def run():\n"
        "        print(signal.getsignal(signal.SIGINT) is signal.default_int_handler)\n"
        "entry.importlib.import_module = lambda name: Cli\n"
        "entry.run()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0 and done.stdout.strip() == "True", done.stdout + done.stderr


def test_ctrl_c_once_the_command_has_ended_keeps_its_exit_code(tmp_path: Path) -> None:
    """Ctrl-C after the plan was written, while Python shuts down (CI caught a signal there
    ending the run silently as killed by SIGINT, exit -2, though every file was written): the
    run ends with the exit code it had chosen.  The probe sends the Ctrl-C itself, at the
    moment the command has ended, so it lands there every time."""
    late = (
        "import os, signal, sys, time\n"
        "import arshjul._entry as entry\n"
        "sys.argv = ['arshjul', *sys.argv[1:]]\n"
        "try:\n"
        "    entry.run()\n"
        "finally:\n"
        "    os.kill(os.getpid(), signal.SIGINT)\n"
        "    time.sleep(0.2)\n"
    )
    done, out = _plan_through_the_entry_point(tmp_path, late)
    assert done.returncode == 0, done.stderr
    assert done.stderr == "" and (out / "plan.json").is_file()


def test_ctrl_c_while_the_workbook_is_written_is_one_line(tmp_path: Path) -> None:
    """Ctrl-C halfway through writing the .xlsx (CI caught it there: the half-written zip was
    finished at shutdown into its already closed buffer, and Python printed that traceback
    under the one line).  The probe raises the Ctrl-C at the archive's fifth member, so it lands
    there every time."""
    mid = (
        "import sys\n"
        "import arshjul._entry as entry\n"
        "from arshjul.workbook import files\n"
        "calls = []\n"
        "write = files._StampedZip.writestr\n"
        "def cut(self, *args, **kwargs):\n"
        "    calls.append(1)\n"
        "    if len(calls) == 5:\n"
        "        raise KeyboardInterrupt\n"
        "    write(self, *args, **kwargs)\n"
        "files._StampedZip.writestr = cut\n"
        f"{RUN}"
    )
    done, out = _plan_through_the_entry_point(tmp_path, mid)
    _nothing_written(done, out)


STEPS = (
    """
import os, signal, sys, contextlib
import arshjul._entry as entry
import arshjul.fileio as fileio
at = int(os.environ["ARSHJUL_TEST_CTRL_C_AT"])
calls = [0]
def count(frame, event, arg):
    calls[0] += 1
    if calls[0] == at:
        os.kill(os.getpid(), signal.SIGINT)
    return None
real = fileio.staged
@contextlib.contextmanager
def staged(*args, **kwargs):
    sys.settrace(count)
    try:
        with real(*args, **kwargs) as stage:
            yield stage
    finally:
        sys.settrace(None)
        if not at:
            print("CALLS", calls[0], file=sys.stderr)
fileio.staged = staged
"""
    + RUN
)
"""Runs the entry point, counting the Python calls from the moment the writing starts, and
sends itself Ctrl-C at call ``ARSHJUL_TEST_CTRL_C_AT`` (0: prints how many there were)."""


def test_ctrl_c_at_every_tenth_of_the_writing_leaves_one_whole_set(
    planned: tuple[Path, Path, dict[str, bytes]],
) -> None:
    """Ctrl-C at ten points spread over the writing and publishing of a new set, placed by
    counting calls rather than by a sleep (which lands wherever the machine's speed puts it):
    each run ends in one line, and the folder shows the old set or the new one, whole, with
    nothing left over.  A sweep like this found the half-written workbook's traceback."""
    sc, out, before = planned
    args = [sys.executable, "-c", STEPS, "plan", str(sc), "-o", str(out), "--quiet", "--time-limit", "10"]

    def run(at: int) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "ARSHJUL_TEST_CTRL_C_AT": str(at)}
        return subprocess.run(args, capture_output=True, text=True, timeout=120, check=False, env=env)

    counted = run(0)
    assert counted.returncode == 0, counted.stderr
    total = int(counted.stderr.split("CALLS ")[1].split()[0])
    assert total > 1000  # the workbook, the calendars and the report are all Python
    shown = visible(out)  # the same scenario again: the new set is the old one's equal
    assert shown == before and leftovers(out) == []
    for tenth in range(10):
        done = run(1 + total * tenth // 10 + total // 20)
        line = one_line(done.stderr)
        assert done.returncode == 130, done.stderr
        assert line in (
            "Interrupted; nothing was changed in the output folder.",
            f"Interrupted after the new outputs were written to {out}/.",
        ), line
        assert visible(out) == before and leftovers(out) == [], tenth


@pytest.mark.parametrize("target", ["link loop", "/dev/zero", "folder", "fifo"])
def test_extends_that_is_no_regular_file_is_one_line(tmp_path: Path, target: str) -> None:
    """``extends:`` naming a loop of links (a RuntimeError traceback before), a device, a
    folder or a named pipe (which would block)."""
    if target == "link loop":
        (tmp_path / "a.yaml").symlink_to("b.yaml")
        (tmp_path / "b.yaml").symlink_to("a.yaml")
        name = "a.yaml"
    elif target == "folder":
        (tmp_path / "base").mkdir()
        name = "base"
    elif target == "fifo":
        os.mkfifo(tmp_path / "base.yaml")
        name = "base.yaml"
    else:
        name = target
    sc = tmp_path / "year.yaml"
    sc.write_text(f"extends: {name}\nid: x\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(sc)])
    assert result.exit_code == 2, result.output
    line = one_line(result.stderr)
    assert line.startswith(f"error: {sc}: extends: '{name}' is "), line


def test_a_reader_that_goes_away_still_gets_the_best_plan_written(tmp_path: Path) -> None:
    """`arshjul plan 2>&1 | head -3`: once the reader has gone, the progress lines fail to
    print.  The search must go on regardless, and the files hold the same plan as a run
    whose output nobody cut off (before the fix: the warm plan, 648 against 496)."""
    sc = Path(__file__).parents[2] / "scenarios" / "sweden-2027.yaml"
    alone = plan(str(sc), "-o", str(tmp_path / "alone"))
    assert alone.exit_code == 0, alone.output
    out = tmp_path / "cut"
    args = [sys.executable, "-m", "arshjul", "plan", str(sc), "-o", str(out), "--time-limit", "10"]
    with subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) as proc:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(3)]
        proc.stdout.close()  # the reader goes away, as `head -3` does
        code = proc.wait(timeout=120)
    assert lines[0].startswith("Planning")
    assert code in (0, 1)  # 1 when its last lines could not be said (0 had it ended first)
    want = json.loads((tmp_path / "alone" / "plan.json").read_text(encoding="utf-8"))
    got = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert (got["status"], got["objective"]) == (want["status"], want["objective"]) == ("OPTIMAL", 496)
    assert leftovers(out) == []


def test_a_sweep_whose_reader_goes_away_still_solves_every_variant(tmp_path: Path) -> None:
    """`arshjul sweep … 2>&1 | head -2`: the results files are what a sweep is for, so the
    variants left when the reader has gone are still solved and written (before the fix
    the sweep ended at the first progress line it could not print, with 2 rows of 3)."""
    sc = Path(__file__).parents[2] / "scenarios" / "sweden-2027.yaml"
    out = tmp_path / "sweep"
    args = [sys.executable, "-m", "arshjul", "sweep", str(sc), "--vary", "limits.window_max=3,4,5"]
    args += ["--jobs", "1", "--time-limit", "2", "-o", str(out)]
    with subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) as proc:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(2)]
        proc.stdout.close()  # the reader goes away, as `head -2` does
        code = proc.wait(timeout=120)
    assert lines[0].startswith("Sweeping 3 variants"), lines
    assert code == 1  # its summary could not be said
    rows = [json.loads(line) for line in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted(row["variant"] for row in rows) == [f"limits.window_max={n}" for n in (3, 4, 5)]
    assert all(row["objective"] is not None for row in rows)
