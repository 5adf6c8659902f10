"""arshjul beside PyPI ``conference-scheduler`` (PuLP + CBC) on the problem both can express.

    pip install conference-scheduler      # optional, benchmark only (brings PuLP and CBC)
    python benchmarks/baseline.py --sizes 20/60,100/300,200/600,400/1200 --seed 0

The problem: put each of N events into one of S slots, with per-event unavailability and at
most one event per slot; no objective (feasibility).  Slots are
two a day (09–12, 13–16) on consecutive days; an event's unavailability is a few seeded runs
of whole days.  Both libraries get the same seeded instance, each in a subprocess of its own
(whole-process wall time from spawn, imports included; peak memory).

The arshjul side is a scenario, solved with ``arshjul.solve``:

- every event is the one dialog of a theme of its own host (so ``host_tempo`` never relates
  two events), with ``min_presenters: 0`` and nobody interested (no presenters);
- its unavailable days are the theme's ``forbidden`` spans (a theme is the only session kind
  with arbitrary forbidden days; hybrids have one window only);
- one region, invited to every event (``invite: all``); ``region_double_booking`` then
  allows at most one event per slot.  ``daily_max`` and ``window_max`` are set so high that
  the invitation caps never bind, and every objective weight is 0;
- the calendar is switched off (every weekday open, no holidays, blackouts, school holidays
  or lead time), so the open slots are exactly the baseline's.

The conference-scheduler side calls ``scheduler.solution(events, slots)`` with one venue,
each event's unavailability given as the list of its unavailable ``Slot`` objects, demand 0
and no objective function; CBC runs as a separate process that PuLP starts, so its memory is
counted beside the Python process's (``RUSAGE_CHILDREN``).

Both plans are checked here, independently of either library: every event exactly once, at
most one event per slot, none in an unavailable slot.  arshjul's own checker must also pass.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import shutil
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from common import (
    REPO,
    RESULTS,
    child_env,
    machine,
    provenance,
    read_json,
    rss_mb,
    snapshot,
    spawn,
    table,
    write_json,
)

FIRST_DAY = dt.date(2027, 1, 4)
PARTS = (("morning", dt.time(9), dt.time(12)), ("afternoon", dt.time(13), dt.time(16)))
EVENT_MINUTES = 60
LIBRARIES = ("conference-scheduler", "arshjul", "arshjul-solver")
"""The third is a what-if, not the product: ``arshjul.solve(..., warm_start=False)``, so CP-SAT
alone finds the plan.  The product starts from its greedy plan; with every weight 0 a greedy
plan that the checker accepts has penalty 0, which no plan can beat, so it is returned as
optimal without building a model (``arshjul.api._checked_start``)."""


@dataclass(frozen=True)
class Problem:
    """N events, S slots (two a day from ``FIRST_DAY``), unavailable days per event."""

    events: int
    slots: int
    seed: int
    blocked: tuple[frozenset[int], ...]
    """Per event: the day indices it cannot be held on."""

    @property
    def days(self) -> int:
        return self.slots // len(PARTS)

    def slot_day(self, slot: int) -> int:
        return slot // len(PARTS)

    def open_slot(self, event: int, slot: int) -> bool:
        return self.slot_day(slot) not in self.blocked[event]

    def runs(self, event: int) -> list[tuple[int, int]]:
        """The event's unavailable days as (first, last) runs."""
        out: list[tuple[int, int]] = []
        for d in sorted(self.blocked[event]):
            if out and d == out[-1][1] + 1:
                out[-1] = (out[-1][0], d)
            else:
                out.append((d, d))
        return out


def make_problem(events: int, slots: int, seed: int) -> Problem:
    """A seeded instance: each event away on 1–4 runs of days, each up to 1/8 of the period."""
    if slots % len(PARTS):
        raise ValueError(f"slots must be a multiple of {len(PARTS)} (two a day), got {slots}")
    rng = random.Random(f"{events}/{slots}/{seed}")
    days = slots // len(PARTS)
    blocked = []
    for _ in range(events):
        away: set[int] = set()
        for _run in range(rng.randint(1, 4)):
            length = rng.randint(1, max(1, days // 8))
            start = rng.randrange(days)
            away.update(range(start, min(days, start + length)))
        blocked.append(frozenset(away))
    return Problem(events=events, slots=slots, seed=seed, blocked=tuple(blocked))


def verify(problem: Problem, placed: dict[int, int]) -> list[str]:
    """Independent check of an event → slot placement."""
    problems = []
    missing = set(range(problem.events)) - set(placed)
    if missing:
        problems.append(f"{len(missing)} events not placed")
    seen: dict[int, int] = {}
    for event, slot in sorted(placed.items()):
        if not 0 <= slot < problem.slots:
            problems.append(f"event {event} in slot {slot}, which does not exist")
            continue
        if slot in seen:
            problems.append(f"events {seen[slot]} and {event} share slot {slot}")
        seen[slot] = event
        if not problem.open_slot(event, slot):
            problems.append(f"event {event} placed on unavailable day {problem.slot_day(slot)}")
    return problems


# -- the two sides, each run in a child process -----------------------------------------------


def scenario_data(problem: Problem) -> dict[str, Any]:
    """The instance as an arshjul scenario (see the module docstring for the mapping)."""
    last = FIRST_DAY + dt.timedelta(days=problem.days - 1)
    big = 100_000

    def day(k: int) -> str:
        return (FIRST_DAY + dt.timedelta(days=k)).isoformat()

    hosts = []
    for e in range(problem.events):
        hosts.append(
            {
                "id": f"h{e:04d}",
                "name": f"Host {e}",
                "themes": [
                    {
                        "id": f"e{e:04d}",
                        "name": f"Event {e}",
                        "dialogs": 1,
                        "min_presenters": 0,
                        "max_presenters": 0,
                        "host_minutes": EVENT_MINUTES,
                        "interested": [],
                        "invite": "all",
                        "forbidden": [f"{day(a)}..{day(b)}" for a, b in problem.runs(e)],
                    }
                ],
            }
        )
    return {
        "id": f"baseline-{problem.events}-{problem.slots}-{problem.seed}",
        "name": f"Baseline {problem.events} events / {problem.slots} slots",
        "period": {"start": FIRST_DAY.isoformat(), "end": last.isoformat()},
        "publication_date": FIRST_DAY.isoformat(),
        "slots": [
            {"id": name, "start": start.strftime("%H:%M"), "end": end.strftime("%H:%M")}
            for name, start, end in PARTS
        ],
        "weekdays": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
        "calendar": {
            "holidays": False,
            "close_half_day_afternoons": False,
            "close_bridge_days": False,
            "blackouts": [],
            "school_holidays": False,
        },
        "limits": {
            "window_days": 1,
            "window_max": big,
            "daily_max": big,
            "max_presentations": 0,
            "presentation_gap_days": 0,
            "lead_time_days": 0,
            "host_gap_days": 1,
        },
        "weights": {
            "match": 0,
            "coverage": 0,
            "spread": 0,
            "preferred_month": 0,
            "balance": 0,
        },
        "hosts": hosts,
        "regions": [{"code": "SE-AB", "name": "Region Stockholm"}],
    }


def run_arshjul(
    problem: Problem, args: argparse.Namespace, mark: Any, *, warm_start: bool = True
) -> dict[str, Any]:
    import arshjul
    from arshjul.scenario import from_data

    mark("imported")
    data = scenario_data(problem)
    scenario = from_data(data)
    mark("built")
    started = time.monotonic()
    plan = arshjul.solve(
        scenario, time_limit=args.time_limit, workers=args.workers, seed=args.seed, warm_start=warm_start
    )
    solve_call = time.monotonic() - started
    mark("solved")
    report = arshjul.check_plan(scenario, plan)
    part = {name: k for k, (name, _, _) in enumerate(PARTS)}
    placed: dict[int, int] = {}
    for s in plan.sessions:
        event = int(s.theme.removeprefix("e")) if s.theme else -1
        placed[event] = (s.date - FIRST_DAY).days * len(PARTS) + part[s.slot]
    return {
        "status": plan.status,
        "objective": plan.objective,
        "solver_wall_s": plan.wall_time,
        "solve_call_s": round(solve_call, 3),
        "checker_ok": report.ok,
        "checker_objective_matches": report.objective == plan.objective,
        "checker_violations": [str(v) for v in report.violations[:10]],
        "placed": placed,
    }


def run_arshjul_solver(problem: Problem, args: argparse.Namespace, mark: Any) -> dict[str, Any]:
    """What-if: ``arshjul.solve`` without the warm start, so CP-SAT alone finds the plan."""
    return run_arshjul(problem, args, mark, warm_start=False)


def run_conference_scheduler(problem: Problem, args: argparse.Namespace, mark: Any) -> dict[str, Any]:
    import pulp
    from conference_scheduler import scheduler
    from conference_scheduler.resources import Event, Slot

    mark("imported")
    slots = [
        Slot(
            venue="Sal 1",
            starts_at=dt.datetime.combine(FIRST_DAY + dt.timedelta(days=d), start),
            duration=(end.hour - start.hour) * 60,
            capacity=100,
            session=f"{FIRST_DAY + dt.timedelta(days=d)} {name}",
        )
        for d in range(problem.days)
        for name, start, end in PARTS
    ]
    events = [
        Event(
            name=f"e{e:04d}",
            duration=EVENT_MINUTES,
            demand=0,
            unavailability=[slots[t] for t in range(problem.slots) if not problem.open_slot(e, t)],
        )
        for e in range(problem.events)
    ]
    mark("built")
    solver, cbc_peak = _cbc_with_peak(pulp)
    solve_seconds: list[float] = []
    original = pulp.LpProblem.solve

    def timed_solve(self: Any, *a: Any, **k: Any) -> Any:
        started = time.monotonic()
        try:
            return original(self, *a, **k)
        finally:
            solve_seconds.append(time.monotonic() - started)

    pulp.LpProblem.solve = timed_solve
    try:
        solution = scheduler.solution(events, slots, solver=solver)
    except ValueError as exc:  # the library's way of saying "no solution"
        mark("solved")
        return {"status": f"no solution: {exc}", "placed": {}}
    finally:
        pulp.LpProblem.solve = original
    mark("solved")
    return {
        "status": "FEASIBLE",
        "cbc_call_s": round(sum(solve_seconds), 3),
        "solver_process_peak_mb": cbc_peak(),
        "placed": {int(e): int(t) for e, t in solution},
    }


def _cbc_with_peak(pulp: Any) -> tuple[Any, Any]:
    """PuLP's bundled CBC, started through GNU ``time`` so its own peak memory is known.

    (``RUSAGE_CHILDREN`` cannot tell: a forked child starts with its parent's high-water
    mark.)  Without ``/usr/bin/time`` the plain bundled CBC is used and the peak is unknown.
    """
    cbc = pulp.PULP_CBC_CMD(msg=False)
    gnu_time = Path("/usr/bin/time")
    if not gnu_time.exists():
        return cbc, lambda: None
    folder = Path(tempfile.mkdtemp(prefix="cbc-peak-"))
    report = folder / "maxrss_kb"
    wrapper = folder / "cbc"
    wrapper.write_text(f'#!/bin/sh\nexec {gnu_time} -f %M -a -o "{report}" "{cbc.path}" "$@"\n')
    wrapper.chmod(0o755)

    def peak() -> float | None:
        try:
            values = [int(v) for v in report.read_text().split() if v.isdigit()]
        except OSError:
            return None
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return round(max(values) / 1024, 1) if values else None

    return pulp.COIN_CMD(path=str(wrapper), msg=False), peak


def measure(args: argparse.Namespace) -> int:
    """One library on one size, in this process."""
    out = Path(args.out)
    t0 = args.t0
    record: dict[str, Any] = {"library": args.one, "phases": {}, "rss_mb": {}}

    def mark(name: str) -> None:
        record["phases"][name] = round(time.monotonic() - t0, 3)
        now, peak = rss_mb()
        record["rss_mb"][name] = {"rss": round(now, 1), "peak": round(peak, 1)}
        write_json(out, record)

    mark("python_started")
    events, slots = (int(x) for x in args.size.split("/"))
    problem = make_problem(events, slots, args.seed)
    record["unavailable_share"] = round(
        sum(len(b) for b in problem.blocked) / (problem.events * problem.days), 3
    )
    side = {
        "arshjul": run_arshjul,
        "arshjul-solver": run_arshjul_solver,
        "conference-scheduler": run_conference_scheduler,
    }[args.one]
    result = side(problem, args, mark)
    placed = result.pop("placed")
    record.update(result)
    record["verified"] = verify(problem, placed) if placed else ["no placement"]
    if result.get("checker_ok") is False or result.get("checker_objective_matches") is False:
        record["verified"].append("arshjul's checker: " + "; ".join(result["checker_violations"]))
    record["wall_to_solution_s"] = record["phases"]["solved"]
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    record["python_peak_mb"] = round(own, 1)
    # Python and CBC run at once (the Python process keeps its model while CBC solves), so
    # their peaks add up; arshjul starts no process (CP-SAT runs inside Python): 0 there.
    record.setdefault("solver_process_peak_mb", 0.0)
    record["peak_mb"] = round(own + (record["solver_process_peak_mb"] or 0.0), 1)
    write_json(out, record)
    return 0 if not record["verified"] else 1


# -- the parent ---------------------------------------------------------------------------------


def run_pair(size: str, args: argparse.Namespace, work: Path, env: dict[str, str]) -> dict[str, Any]:
    """Both libraries on one size, each in a fresh subprocess."""
    row: dict[str, Any] = {"size": size}
    for lib in LIBRARIES:
        out = work / f"{lib}-{size.replace('/', '-')}.json"
        log = work / f"{lib}-{size.replace('/', '-')}.log"
        print(f"[{time.strftime('%H:%M:%S')}] {size} {lib} …", file=sys.stderr, flush=True)
        child = spawn(
            [
                str(Path(__file__)),
                "--one",
                lib,
                "--size",
                size,
                "--seed",
                str(args.seed),
                "--workers",
                str(args.workers),
                "--time-limit",
                str(args.time_limit),
                "--out",
                str(out),
            ],
            log=log,
            watch=lambda elapsed, rss: f"over {args.timeout:.0f} s" if elapsed > args.timeout else None,
            env=env,
        )
        data = read_json(out)
        data["wait4_peak_mb"] = round(child.maxrss_mb, 1)
        data["process_wall_s"] = round(child.wall, 3)
        data["returncode"] = child.returncode
        if child.killed:
            data["outcome"] = f"killed: {child.killed}"
        elif child.returncode != 0 and not data.get("verified"):
            data["outcome"] = f"crashed (exit {child.returncode}): {log.read_text()[-800:]}"
        else:
            data["outcome"] = "ok" if not data.get("verified") else "WRONG PLAN"
        row[lib] = data
        print(
            f"[{time.strftime('%H:%M:%S')}] {size} {lib}: {data['outcome']} "
            f"{data.get('wall_to_solution_s', '?')} s, {data.get('peak_mb', '?')} MB",
            file=sys.stderr,
            flush=True,
        )
    c = row["conference-scheduler"]
    for lib in ("arshjul", "arshjul-solver"):
        a = row[lib]
        if "wall_to_solution_s" in a and "wall_to_solution_s" in c:
            row[f"{lib}_speedup"] = round(c["wall_to_solution_s"] / a["wall_to_solution_s"], 2)
            row[f"{lib}_memory_ratio"] = round(a["peak_mb"] / c["peak_mb"], 3)
    return row


def summary(rows: list[dict[str, Any]]) -> str:
    """Markdown: one line per size with the libraries side by side, then the phase split."""
    main_rows = []
    split_rows = []
    for r in rows:
        a, c, w = r["arshjul"], r["conference-scheduler"], r["arshjul-solver"]
        main_rows.append(
            [
                r["size"],
                c.get("wall_to_solution_s"),
                a.get("wall_to_solution_s"),
                _times(r.get("arshjul_speedup")),
                f"{c.get('python_peak_mb')} + {c.get('solver_process_peak_mb')}",
                a.get("peak_mb"),
                _share(r.get("arshjul_memory_ratio")),
                w.get("wall_to_solution_s"),
                _times(r.get("arshjul-solver_speedup")),
                " / ".join(r[lib]["outcome"] for lib in LIBRARIES),
            ]
        )
        for lib in LIBRARIES:
            d = r[lib]
            ph = d.get("phases", {})
            rss = d.get("rss_mb", {})
            split_rows.append(
                [
                    r["size"],
                    lib,
                    ph.get("imported"),
                    _minus(ph.get("built"), ph.get("imported")),
                    _minus(ph.get("solved"), ph.get("built")),
                    d.get("cbc_call_s", d.get("solver_wall_s")),
                    rss.get("imported", {}).get("rss"),
                    d.get("peak_mb"),
                    d.get("unavailable_share"),
                ]
            )
    return "\n\n".join(
        [
            table(
                [
                    "events/slots",
                    "c-s s",
                    "arshjul s",
                    "speed-up (c-s / arshjul)",
                    "c-s MB (Python + CBC)",
                    "arshjul MB",
                    "memory (arshjul / c-s)",
                    "what-if: solver alone (no warm start), s",
                    "what-if speed-up",
                    "outcome (c-s / arshjul / what-if)",
                ],
                main_rows,
            ),
            table(
                [
                    "events/slots",
                    "library",
                    "imports done s",
                    "inputs built s",
                    "model + solve s",
                    "of which solver s",
                    "RSS after imports MB",
                    "peak MB",
                    "unavailable share",
                ],
                split_rows,
            ),
        ]
    )


def _times(x: float | None) -> str | None:
    return None if x is None else f"{x:.2f}×"


def _share(x: float | None) -> str | None:
    return None if x is None else f"{x:.2f}"


def _minus(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else round(a - b, 3)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sizes", default="20/60,100/300,200/600,400/1200", help="events/slots, comma-separated")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--workers", type=int, default=1, help="CP-SAT workers (default 1: CBC solves on one thread)"
    )
    ap.add_argument("--time-limit", type=float, default=60.0, help="arshjul's time limit")
    ap.add_argument("--timeout", type=float, default=900.0, help="kill a child after this")
    ap.add_argument(
        "--code", default="tree", metavar="tree|live|REV", help="arshjul to measure (see run.py --help)"
    )
    ap.add_argument("--tag", default="", help="suffix of the result file (for variants)")
    ap.add_argument("--one", choices=LIBRARIES, help=argparse.SUPPRESS)
    ap.add_argument("--size", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    ap.add_argument("--t0", type=float, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        try:
            return measure(args)
        except Exception:
            traceback.print_exc()
            return 2

    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    for s in sizes:
        n_events, n_slots = s.split("/")
        make_problem(int(n_events), int(n_slots), args.seed)  # fail early on a bad size
    work = Path(tempfile.mkdtemp(prefix="arshjul-baseline-"))
    snap = None if args.code == "live" else work / "code"
    code = provenance(REPO / "src" / "arshjul") if snap is None else snapshot(snap, args.code)
    env = child_env(snap)
    try:
        rows = [run_pair(size, args, work, env) for size in sizes]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    RESULTS.mkdir(exist_ok=True)
    name = f"{dt.date.today().isoformat()}-baseline" + (f"-{args.tag}" if args.tag else "")
    out = RESULTS / f"{name}.json"
    write_json(
        out,
        {
            "sizes": rows,
            "seed": args.seed,
            "workers": args.workers,
            "time_limit": args.time_limit,
            "machine": machine(),
            "code": code,
        },
    )
    print(summary(rows))
    print(f"\nwritten: {out.relative_to(REPO)}", file=sys.stderr)
    ok = all(r[lib]["outcome"] == "ok" for r in rows for lib in LIBRARIES)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
