"""How long "why is there no plan?" takes on the bundled year made infeasible by one cap.

    python benchmarks/explain_bench.py                 # SE-I window_max 1, three runs
    python benchmarks/explain_bench.py --alternatives  # also: where else, for every dialog

The default scenario (``scenarios/sweden-2027.yaml``) with Region Gotland's invitation cap
lowered to 1 per 28 days cannot be planned: 24 sessions invite every region whoever
presents, and 1 per 28 days leaves room for at most 14.  The known answer is checked, not the clock
(benchmarks assert known results): the conflict is exactly ``region_invitation_cap SE-I``,
and the smallest verified cap is 3.  Times go to stdout, one line per run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from arshjul import load_scenario, solve  # noqa: E402
from arshjul.explain import alternatives, why_not  # noqa: E402
from arshjul.instance import build_instance  # noqa: E402

EXPECTED_KEYS = (("region_invitation_cap", "SE-I"),)
EXPECTED_FIX = "set regions[SE-I].limits.window_max: 3 (now 1)"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default=str(REPO / "scenarios" / "sweden-2027.yaml"))
    ap.add_argument("--region", default="SE-I")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--workers", type=int, default=2, help="cores for checking relaxations")
    ap.add_argument("--alternatives", action="store_true", help="also time alternatives per dialog")
    args = ap.parse_args(argv)

    sc = load_scenario(args.scenario)
    tight = sc.model_copy(deep=True)
    tight.region(args.region).limits.window_max = 1

    times: list[float] = []
    for k in range(args.repeat):
        started = time.monotonic()
        report = why_not(tight, workers=args.workers)
        wall = time.monotonic() - started
        times.append(wall)
        fixes = [f.edit for f in report.fixes]
        print(
            f"run {k + 1}: {wall:5.2f} s  status {report.status}  keys {list(report.keys)}  "
            f"minimal {report.minimal}  solves {report.solves}  fixes {fixes}"
        )
        if args.region == "SE-I" and Path(args.scenario).name == "sweden-2027.yaml":
            assert report.keys == EXPECTED_KEYS, report.keys
            assert report.minimal and report.complete
            assert fixes[:1] == [EXPECTED_FIX], fixes
    print(f"why_not: min {min(times):.2f} s, median {statistics.median(times):.2f} s over {len(times)} runs")

    if args.alternatives:
        inst = build_instance(sc)
        plan = solve(inst, time_limit=60, workers=args.workers)
        assert plan.found, plan.status
        per: list[float] = []
        for s in plan.sessions:
            if s.kind != "dialog":
                continue
            started = time.monotonic()
            alt = alternatives(inst, plan, s.id)
            wall = time.monotonic() - started
            per.append(wall)
            print(
                f"alternatives {s.id:<42} {wall:5.2f} s  {len(alt.options):>3} options  "
                f"{len(alt.blocked):>3} blocked  {alt.solves:>3} solves"
            )
        print(f"alternatives: median {statistics.median(per):.2f} s, max {max(per):.2f} s per dialog")
    return 0


if __name__ == "__main__":
    sys.exit(main())
