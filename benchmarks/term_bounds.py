"""The least each objective term can be on its own, every hard rule kept: a bound no plan
goes below, and a check on the solver's.

    python benchmarks/term_bounds.py M --seed 0 --family tight --time-limit 30

Each term is solved alone (weight 1, the others 0) on the model ``arshjul.solve`` builds,
with the one-worker settings.  Since the least of a sum is at least the sum of the leasts,
Σ weight × (each term's proven bound) is a lower bound on every plan's objective; on the
tight 44-session year it is 3,625 where the solver proves 3,608 (benchmarks/README.md,
third stop of 2026-12-02).  A term not proven optimal in its time gives its proven bound.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time

from common import REPO, table

sys.path.insert(0, str(REPO / "src"))


def main(argv: list[str] | None = None) -> int:
    from generate import FAMILIES, generate_family

    from arshjul.cpsat.solve import build_model, solver_for
    from arshjul.instance import build_instance
    from arshjul.options import SolveOptions
    from arshjul.rules import TERMS
    from arshjul.scenario import from_data

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("size", choices=("S", "M", "L", "XL"))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--family", choices=FAMILIES, default="tight")
    ap.add_argument("--time-limit", type=float, default=30.0, help="seconds per term")
    args = ap.parse_args(argv)

    base = build_instance(from_data(generate_family(args.family, args.size, args.seed), "generated"))
    weights = base.weights
    rows = []
    total = 0.0
    for name in TERMS:
        if not weights.get(name, 0):
            continue
        started = time.monotonic()
        m = build_model(dataclasses.replace(base, weights={n: int(n == name) for n in TERMS}))
        solver = solver_for(SolveOptions(time_limit=args.time_limit, workers=1, seed=args.seed))
        status = solver.status_name(solver.solve(m.cp))
        bound = solver.best_objective_bound if status in ("OPTIMAL", "FEASIBLE") else 0.0
        total += weights[name] * bound
        rows.append([name, weights[name], status, round(bound), round(time.monotonic() - started, 1)])
    print(table(["term", "weight", "status", "least (proven)", "seconds"], rows))
    print(f"\nno plan scores below {round(total):,} (Σ weight × least)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
