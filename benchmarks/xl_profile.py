"""Where CP-SAT spends presolve time and memory on a generated size (XL by default).

    python benchmarks/xl_profile.py                                   # the variants below
    python benchmarks/xl_profile.py --variants full --search          # presolve + 60 s search
    python benchmarks/xl_profile.py --variants only:region_daily_cap  # one family

Each variant runs in a process of its own, with the product's one-worker parameters
(``arshjul.cpsat.solve.solver_for``) and, unless ``--search``, ``stop_after_presolve``:

- ``full``: the whole model;
- ``only:RULE``: ``session_once`` plus one rule of ``constraints.CONSTRAINTS``, no objective;
- ``without:RULE``: the whole model minus one rule.

Recorded per variant: build and solve seconds, when the search started, the seconds of each
presolve step (from CP-SAT's log: ``PresolveToFixPoint`` rounds and the slowest steps), the
resident memory after the model was built and its peak (sampled every 0.25 s, and from
``wait4``) with a timeline, and the model's size.  Results go to
``results/<date>-<size>-profile[-search].json``, each variant's CP-SAT log beside it
(``...-profile[-search]-<variant>.log``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from common import REPO, RESULTS, machine, provenance, read_json, rss_mb, spawn, write_json

DEFAULT_VARIANTS = (
    "full",
    "without:region_double_booking",
    "only:region_double_booking",
    "only:region_daily_cap",
    "only:region_invitation_cap",
    "only:region_presentation_gap",
    "only:dialog_max_presenters",
    "only:presenter_available",
)
STEP = re.compile(r"^\s*([\d.e+-]+)s\s+\S+\s+\*?\[(\w+)\]", re.M)


def measure(args: argparse.Namespace) -> int:
    """One variant, in this process."""
    samples: list[tuple[float, float]] = []
    t0 = time.monotonic()
    stop = threading.Event()

    def sampler() -> None:
        while not stop.wait(0.25):
            samples.append((round(time.monotonic() - t0, 2), round(rss_mb()[0], 1)))

    threading.Thread(target=sampler, daemon=True).start()

    from generate import generate
    from ortools.sat.python import cp_model

    from arshjul.cpsat import SolveOptions, constraints
    from arshjul.cpsat.solve import build_model, solver_for
    from arshjul.instance import build_instance
    from arshjul.scenario import from_data

    inst = build_instance(from_data(generate(args.size, args.seed)))
    kind, _, rule = args.one.partition(":")
    names = set(constraints.CONSTRAINTS)
    if kind in ("only", "without") and rule not in names:
        raise SystemExit(f"unknown rule '{rule}' (choose from {', '.join(sorted(names))})")
    if kind == "only":
        for name in [n for n in constraints.CONSTRAINTS if n not in ("session_once", rule)]:
            del constraints.CONSTRAINTS[name]
    elif kind == "without":
        del constraints.CONSTRAINTS[rule]
    started = time.monotonic()
    m = build_model(inst, objective=kind != "only")
    built = time.monotonic()
    rss_model = rss_mb()[0]

    solver = solver_for(SolveOptions(time_limit=args.time_limit, workers=1, seed=args.seed, log=True))
    solver.parameters.stop_after_presolve = not args.search
    solver.parameters.log_to_stdout = False
    lines: list[str] = []
    solver.log_callback = lines.append
    solve_started = time.monotonic()
    code = solver.solve(m.cp)
    done = time.monotonic()
    stop.set()

    log = "\n".join(lines)
    steps: dict[str, float] = {}
    fixpoint: list[float] = []
    for seconds, name in STEP.findall(log):
        steps[name] = round(steps.get(name, 0.0) + float(seconds), 2)
        if name == "PresolveToFixPoint":
            fixpoint.append(round(float(seconds), 3))
    search = re.search(r"Starting search at ([\d.]+)s", log)
    first = re.search(r"^#1\s+([\d.]+)s", log, re.M)
    found = code in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    offset = solve_started - t0
    record: dict[str, Any] = {
        "variant": args.one,
        "search": args.search,
        "build_s": round(built - started, 2),
        "rss_after_model_mb": round(rss_model, 1),
        "solve_wall_s": round(done - solve_started, 2),
        "status": solver.status_name(code),
        "search_started_s": float(search.group(1)) if search else None,
        "first_solution_s": float(first.group(1)) if first else None,
        "objective": solver.objective_value if found else None,
        "bound": solver.best_objective_bound if args.search else None,
        "fixpoint_rounds_s": fixpoint,
        "slowest_steps_s": dict(sorted(steps.items(), key=lambda kv: -kv[1])[:8]),
        "variables": len(m.cp.proto.variables),
        "constraints": len(m.cp.proto.constraints),
        "peak_rss_sampled_mb": max((r for _, r in samples), default=None),
        "rss_timeline_mb": [(round(t - offset, 1), r) for t, r in samples if t >= offset][::8],
    }
    write_json(Path(args.out), record)
    Path(args.out).with_suffix(".log").write_text(log)
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--size", default="XL", choices=("S", "M", "L", "XL"))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--variants", default=",".join(DEFAULT_VARIANTS), help="comma-separated")
    ap.add_argument("--search", action="store_true", help="search after presolve (up to --time-limit)")
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--one", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    ap.add_argument("--t0", type=float, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        return measure(args)

    rows = []
    RESULTS.mkdir(exist_ok=True)
    name = f"{dt.date.today().isoformat()}-{args.size}-profile" + ("-search" if args.search else "")
    work = Path(tempfile.mkdtemp(prefix="arshjul-profile-"))
    for variant in [v.strip() for v in args.variants.split(",") if v.strip()]:
        out = work / f"{variant.replace(':', '-')}.json"
        print(f"[{time.strftime('%H:%M:%S')}] {args.size} {variant} …", file=sys.stderr, flush=True)
        extra = ["--search"] if args.search else []
        child = spawn(
            [
                str(Path(__file__)),
                "--one",
                variant,
                "--size",
                args.size,
                "--seed",
                str(args.seed),
                "--time-limit",
                str(args.time_limit),
                "--out",
                str(out),
                *extra,
            ],
            log=work / f"{variant.replace(':', '-')}.stdout",
        )
        record = read_json(out) or {"variant": variant, "outcome": f"exit {child.returncode}"}
        record["peak_rss_mb"] = round(child.maxrss_mb, 1)
        log = out.with_suffix(".log")
        if log.exists():
            kept = RESULTS / f"{name}-{variant.replace(':', '-')}.log"
            shutil.copyfile(log, kept)
            record["log_file"] = str(kept.relative_to(REPO))
        rows.append(record)
        print(json.dumps({k: v for k, v in record.items() if k != "rss_timeline_mb"}), flush=True)
    shutil.rmtree(work, ignore_errors=True)
    dest = RESULTS / f"{name}.json"
    write_json(
        dest,
        {"variants": rows, "machine": machine(), "code": provenance(REPO / "src" / "arshjul")},
    )
    print(f"written: {dest.relative_to(REPO)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
