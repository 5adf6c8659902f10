"""Start-up time of the quick CLI commands (run by hand, never from pytest).

    python benchmarks/startup.py              # 5 runs of each command, median wall time
    python benchmarks/startup.py --runs 9

Measures, each in a fresh process, the wall time of ``arshjul validate``, ``arshjul check``
and ``arshjul report`` on the bundled scenario, and prints the median, min and max over the
runs.  The plan they check and report on is made once first (``arshjul plan --time-limit 20``)
unless ``--plan`` names one.  Then it shows ``python -X importtime -c "import arshjul.plan"``:
the ten most expensive imports (cumulative microseconds), so one sees whether OR-Tools is
loaded by that import and what it costs.  See ``startup.md`` for the method and the numbers.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCENARIO = REPO / "scenarios" / "sweden-2027.yaml"


def arshjul_exe() -> str:
    """The ``arshjul`` script beside this interpreter (the venv's), else the one on PATH."""
    beside = Path(sys.executable).with_name("arshjul")
    if beside.exists():
        return str(beside)
    found = shutil.which("arshjul")
    if found is None:
        sys.exit("arshjul is not installed (pip install -e .)")
    return found


def wall(args: list[str]) -> float:
    """Seconds from start to exit of one child process; its output is discarded."""
    start = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def import_times(module: str, top: int) -> list[str]:
    """The ``top`` lines of ``-X importtime`` for ``import module``, by cumulative time."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        check=True,
        capture_output=True,
        text=True,
    )
    lines = [line for line in done.stderr.splitlines() if line.startswith("import time:")]
    rows = [line for line in lines if line.split("|")[1].strip().isdigit()]
    rows.sort(key=lambda line: int(line.split("|")[1]))
    return [lines[0], *rows[len(rows) - top :]] if lines and top > 0 else []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="runs of each command (default 5)")
    parser.add_argument("--plan", type=Path, help="plan JSON to check and report on (default: make one)")
    parser.add_argument("--top", type=int, default=10, help="import-time lines to show (default 10)")
    opts = parser.parse_args()

    exe = arshjul_exe()
    work = Path(tempfile.mkdtemp(prefix="arshjul-startup-"))
    plan = opts.plan
    if plan is None:
        out = work / "plan"
        subprocess.run(
            [exe, "plan", str(SCENARIO), "--time-limit", "20", "-o", str(out), "--quiet"], check=True
        )
        plan = out / "plan.json"

    commands = {
        "validate": [exe, "validate", str(SCENARIO)],
        "check": [exe, "check", str(SCENARIO), str(plan)],
        "report": [exe, "report", str(plan), "-o", str(work / "report")],
    }
    print(f"{opts.runs} runs each, wall seconds (median / min / max)")
    for name, args in commands.items():
        times = [wall(args) for _ in range(opts.runs)]
        print(f"  {name:9} {statistics.median(times):.2f} / {min(times):.2f} / {max(times):.2f}")

    print('\npython -X importtime -c "import arshjul.plan" (self us | cumulative us | module)')
    for line in import_times("arshjul.plan", opts.top):
        print(" ", line)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
