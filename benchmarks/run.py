"""Benchmark arshjul at sizes S, M, L and XL; every plan is checked.

    python benchmarks/run.py --sizes S,M,L,XL --time-limit 60 --workers 1 --seed 0

For each size, in a subprocess of its own: time from process start to the first feasible
plan, objective and bound over time, final status and gap, peak memory, model size and where
the model build spends its time (per rule family), whole-process wall time to the plan, and
the independent checker's verdict (no violations, recomputed objective == solver objective).
S is the bundled ``scenarios/sweden-2027.yaml`` when it exists, else ``generate.py S``.

Results go to ``benchmarks/results/<date>-<size>.json``; a Markdown summary is printed.
A size whose model does not build within ``--build-timeout`` seconds, or whose memory passes
``--max-rss-gb``, is killed; its JSON then holds what was measured up to that point (phases
done, rule families built, a stack sample of where the build was busy).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib
import os
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from common import (
    REPO,
    RESULTS,
    Child,
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

SIZES = ("S", "M", "L", "XL")
CHECKPOINTS = (10.0, 30.0, 60.0, 120.0)
"""Seconds since the process started at which the best plan and bound are read."""
MODEL_FILES = ("constraints.py", "objective.py", "model.py")
LOG_LINE = re.compile(r"^#(\w+)\s+([\d.]+)s\s+best:(\S+)\s+next:\[([^,\]]*),?([^\]]*)\]")


# -- the child: one size, measured -----------------------------------------------------------


class Recorder:
    """The child's running record, flushed to a JSON file after every step."""

    def __init__(self, path: Path, t0: float, data: dict[str, Any]) -> None:
        self.path = path
        self.t0 = t0
        self.data = data
        self.data.setdefault("phases", {})
        self.data.setdefault("rss_mb", {})
        self.lock = threading.Lock()

    def since_start(self) -> float:
        return time.monotonic() - self.t0

    def phase(self, name: str) -> None:
        """Mark the end of a phase: seconds since process start and memory at that point."""
        with self.lock:
            self.data["phases"][name] = round(self.since_start(), 3)
            now, peak = rss_mb()
            self.data["rss_mb"][name] = {"rss": round(now, 1), "peak": round(peak, 1)}
        self.flush()

    def flush(self) -> None:
        with self.lock:
            write_json(self.path, self.data)


class StackSampler(threading.Thread):
    """Samples where the main thread is busy inside arshjul, ten times a second."""

    def __init__(self, recorder: Recorder, interval: float = 0.1) -> None:
        super().__init__(name="stack-sampler", daemon=True)
        self.recorder = recorder
        self.interval = interval
        self.main = threading.main_thread().ident
        self.stop = threading.Event()
        self.lines: Counter[str] = Counter()
        self.rules: Counter[str] = Counter()

    def run(self) -> None:
        beats = 0
        while not self.stop.wait(self.interval):
            frame = sys._current_frames().get(self.main or 0)
            line = rule = None
            while frame is not None:
                code = frame.f_code
                if "/arshjul/" in code.co_filename:
                    where = f"{Path(code.co_filename).name}:{frame.f_lineno} {code.co_name}"
                    line = line or where
                    if Path(code.co_filename).name in MODEL_FILES:
                        rule = f"{Path(code.co_filename).stem}.{code.co_name}"
                frame = frame.f_back
            self.lines[line or "(outside arshjul)"] += 1
            if rule:
                self.rules[rule] += 1
            beats += 1
            if beats % 50 == 0:
                self.save()
        self.save()

    def save(self) -> None:
        total = sum(self.lines.values()) or 1
        with self.recorder.lock:
            self.recorder.data["build_samples"] = {
                "interval_s": self.interval,
                "samples": total,
                "lines": {k: round(v / total, 3) for k, v in self.lines.most_common(8)},
                "outermost_model_function": {k: round(v / total, 3) for k, v in self.rules.most_common(8)},
            }
        self.recorder.flush()


@contextlib.contextmanager
def families(recorder: Recorder, inst: Any) -> Iterator[list[dict[str, Any]]]:
    """Time every rule family and objective term of ``build_model`` and count what each adds,
    on models of ``inst`` (not the small one that chooses the first plan's presenters).

    Wraps the entries of ``constraints.CONSTRAINTS``, ``objective.TERMS`` and ``build_variables``
    in this process only (they are restored afterwards); ``build_model`` itself is unchanged.
    """
    constraints = importlib.import_module("arshjul.cpsat.constraints")
    objective = importlib.import_module("arshjul.cpsat.objective")
    solve_mod = importlib.import_module("arshjul.cpsat.solve")
    done: list[dict[str, Any]] = []
    recorder.data["families"] = done

    def wrap(label: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(m: Any, *args: Any, **kwargs: Any) -> Any:
            if m.instance is not inst:
                return fn(m, *args, **kwargs)
            proto = m.cp.proto
            v0, c0 = len(proto.variables), len(proto.constraints)
            with recorder.lock:
                recorder.data["building"] = label
            started = time.perf_counter()
            out = fn(m, *args, **kwargs)
            seconds = time.perf_counter() - started
            done.append(
                {
                    "family": label,
                    "seconds": round(seconds, 3),
                    "variables": len(proto.variables) - v0,
                    "constraints": len(proto.constraints) - c0,
                    "range": [c0, len(proto.constraints)],
                    "rss_mb": round(rss_mb()[0], 1),
                }
            )
            recorder.flush()
            return out

        return timed

    saved_rules = dict(constraints.CONSTRAINTS)
    saved_terms = dict(objective.TERMS)
    saved_variables = getattr(solve_mod, "build_variables")  # noqa: B009
    for name, fn in saved_rules.items():
        constraints.CONSTRAINTS[name] = wrap(f"rule.{name}", fn)
    for name, fn in saved_terms.items():
        objective.TERMS[name] = wrap(f"objective.{name}", fn)
    setattr(solve_mod, "build_variables", wrap("variables", saved_variables))  # noqa: B010
    try:
        yield done
    finally:
        constraints.CONSTRAINTS.update(saved_rules)
        objective.TERMS.update(saved_terms)
        setattr(solve_mod, "build_variables", saved_variables)  # noqa: B010


KINDS = {
    "linear": lambda c: len(c.linear.vars),
    "exactly_one": lambda c: len(c.exactly_one.literals),
    "at_most_one": lambda c: len(c.at_most_one.literals),
    "bool_or": lambda c: len(c.bool_or.literals),
    "bool_and": lambda c: len(c.bool_and.literals),
    "interval": lambda c: 1,
    "no_overlap": lambda c: len(c.no_overlap.intervals),
    "cumulative": lambda c: len(c.cumulative.intervals),
}
"""Constraint kinds the model uses, and how many terms (variables, literals, intervals) each
holds; anything else is counted as ``other``."""


def constraint_terms(proto: Any, start: int, stop: int) -> tuple[int, Counter[str]]:
    """Terms in constraints ``start..stop`` (enforcement literals included), and their kinds."""
    kinds: Counter[str] = Counter()
    terms = 0
    for k in range(start, stop):
        c = proto.constraints[k]
        terms += len(c.enforcement_literal)
        for kind, size in KINDS.items():
            if getattr(c, f"has_{kind}")():
                kinds[kind] += 1
                terms += size(c)
                break
        else:
            kinds["other"] += 1
    return terms, kinds


def load_scenario_data(size: str, seed: int, family: str = "loose") -> tuple[dict[str, Any], str]:
    """Plain scenario data and where it came from (loose S: the bundled Sweden year)."""
    from arshjul.errors import ScenarioError
    from arshjul.scenario import bundled, parse_yaml, read_text

    if size == "S" and family == "loose":
        try:
            path = bundled("sweden-2027")
        except ScenarioError:
            pass
        else:
            return parse_yaml(read_text(path), str(path)), f"scenarios/{path.name} (bundled)"
    from generate import generate_family

    return generate_family(
        family, size, seed
    ), f"benchmarks/generate.py {size} --seed {seed} --family {family}"


def apply_overrides(data: dict[str, Any], overrides: list[str]) -> None:
    """``limits.presentation_gap_days=0``: set a dotted field to an integer or a string."""
    for item in overrides:
        path, _, raw = item.partition("=")
        keys = path.split(".")
        node = data
        for key in keys[:-1]:
            node = node.setdefault(key, {})
        value: Any = int(raw) if re.fullmatch(r"-?\d+", raw) else raw
        node[keys[-1]] = value


def measure(args: argparse.Namespace) -> int:
    """Run one size in this process and record it in ``args.out``."""
    rec = Recorder(
        Path(args.out),
        args.t0,
        {
            "size": args.one,
            "seed": args.seed,
            "time_limit": args.time_limit,
            "workers": args.workers,
            "load_1min_at_start": round(os.getloadavg()[0], 2),
            "overrides": args.override,
        },
    )
    rec.phase("python_started")
    import arshjul
    from arshjul.check import check
    from arshjul.cpsat import Progress, SolveOptions
    from arshjul.instance import build_instance
    from arshjul.scenario import from_data

    rec.data["arshjul"] = {"version": arshjul.__version__, "file": arshjul.__file__}
    rec.phase("imported")

    data, source = load_scenario_data(args.one, args.seed, args.family)
    apply_overrides(data, args.override)
    rec.data["source"] = source
    rec.data["family"] = args.family
    scenario = from_data(data, source)
    rec.phase("scenario")
    inst = build_instance(scenario)
    rec.data["instance"] = {
        "sessions": len(inst.sessions),
        "dialogs": len(inst.dialogs()),
        "themes": len(inst.themes),
        "hosts": len(inst.hosts),
        "regions": len(inst.regions),
        "units": len(inst.units),
        "slots": len(inst.slots),
        "days": inst.n_days,
        "candidate_slots": sum(len(s.candidates(len(inst.slots))) for s in inst.sessions),
    }
    rec.phase("instance")

    # arshjul.solve is measured as it runs; its model build and warm start are watched
    solve_mod = importlib.import_module("arshjul.cpsat.solve")
    models: list[Any] = []
    real_build = getattr(solve_mod, "build_model")  # noqa: B009
    real_start = getattr(solve_mod, "start_from")  # noqa: B009

    def watched_build(*a: Any, **kw: Any) -> Any:
        started = time.perf_counter()
        m = real_build(*a, **kw)
        if m.instance is not inst:  # the small model of the first plan's presenters
            return m
        if not models:
            rec.data["build_seconds"] = round(time.perf_counter() - started, 3)
            rec.data.pop("building", None)
            rec.phase("model")
        models.append(m)
        return m

    def watched_start(*a: Any, **kw: Any) -> Any:
        started = time.perf_counter()
        warm = real_start(*a, **kw)
        rec.phase("warm start")
        rec.data["warm_start"] = (
            None
            if warm is None
            else {"objective": warm.objective, "seconds": round(time.perf_counter() - started, 3)}
        )
        return warm

    events: list[dict[str, Any]] = []

    def progress(p: Progress) -> None:
        previous = events[-1]["solutions"] if events else 0
        events.append(
            {
                "t": round(p.elapsed, 3),
                "since_start": round(rec.since_start(), 3),
                "objective": p.objective,
                "bound": p.bound,
                "solutions": p.solutions,
                "kind": "solution" if p.solutions > previous else "heartbeat",
            }
        )
        with rec.lock:
            rec.data["solve"] = {"events": events}

    options = SolveOptions(
        time_limit=args.time_limit, workers=args.workers, seed=args.seed, log=True, warm_start=args.warm_start
    )
    sampler = StackSampler(rec)
    sampler.start()
    setattr(solve_mod, "build_model", watched_build)  # noqa: B010
    setattr(solve_mod, "start_from", watched_start)  # noqa: B010
    try:
        with families(rec, inst) as fams:
            plan = arshjul.solve(inst, options, progress=progress)
    finally:
        setattr(solve_mod, "build_model", real_build)  # noqa: B010
        setattr(solve_mod, "start_from", real_start)  # noqa: B010
        sampler.stop.set()
        sampler.join()
    rec.phase("solved")
    sys.stdout.flush()

    if models:
        proto = models[0].cp.proto
        total_terms = 0
        for fam in fams:
            if "range" not in fam:
                continue
            terms, kinds = constraint_terms(proto, *fam.pop("range"))
            fam["terms"] = terms
            fam["kinds"] = dict(kinds)
            total_terms += terms
        rec.data["model"] = {
            "models_built": len(models),
            "variables": len(proto.variables),
            "constraints": len(proto.constraints),
            "terms": total_terms,
            "variables_by_prefix": dict(Counter(v.name.split("[")[0] for v in proto.variables).most_common()),
        }

    solve: dict[str, Any] = {
        "status": str(plan.status),
        "objective": plan.objective,
        "bound": plan.bound,
        "wall_time": round(plan.wall_time or 0.0, 3),
        "events": events,
    }
    firsts = [e for e in events if e["kind"] == "solution"]
    if firsts:
        solve["first_solution_s"] = firsts[0]["t"]
        solve["first_solution_since_start_s"] = firsts[0]["since_start"]
        solve["solutions"] = firsts[-1]["solutions"]
    if plan.objective is not None and plan.bound is not None:
        solve["gap"] = abs(plan.objective - plan.bound) / max(1, abs(plan.objective))
    rec.data["solve"] = solve
    rec.flush()

    if not plan.found:
        rec.data["outcome"] = "no plan"
        rec.flush()
        return 1
    rec.phase("plan")
    report = check(inst, plan)
    rec.phase("checked")
    rec.data["check"] = {
        "ok": report.ok,
        "violations": [str(v) for v in report.violations[:20]],
        "recomputed_objective": report.objective,
        "solver_objective": plan.objective,
        "objective_matches": report.objective == plan.objective,
        "terms": report.terms,
        "weighted": report.weighted,
    }
    rec.data["wall_to_plan_s"] = rec.data["phases"]["solved"]
    agrees = report.ok and report.objective == plan.objective
    rec.data["outcome"] = "ok" if agrees else "check failed"
    rec.flush()
    return 0 if rec.data["outcome"] == "ok" else 1


# -- the parent: one child per size, then the tables ------------------------------------------


def cp_sat_bounds(log: Path) -> list[dict[str, Any]]:
    """(t, best, bound) from CP-SAT's own search log: the bound moves between solutions too."""
    out: list[dict[str, Any]] = []
    try:
        lines = log.read_text(errors="replace").splitlines()
    except OSError:
        return out
    for line in lines:
        match = LOG_LINE.match(line)
        if not match:
            continue
        kind, t, best, lo, _hi = match.groups()
        try:
            bound = float(lo)
        except ValueError:
            continue
        out.append({"t": float(t), "event": kind, "best": _number(best), "bound": bound})
    return out


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def checkpoints(data: dict[str, Any], time_limit: float) -> list[dict[str, Any]]:
    """Best objective and bound at the first plan and at 10, 30, 60 and 120 s since the
    process started (progress heartbeats every 5 s carry the bound CP-SAT logged last)."""
    solve = data.get("solve", {})
    events = solve.get("events", [])
    ended = data.get("phases", {}).get("solved")
    marks: list[tuple[str, float]] = []
    if "first_solution_since_start_s" in solve:
        marks.append(("first plan", solve["first_solution_since_start_s"]))
    marks += [(f"{c:g} s", c) for c in CHECKPOINTS if c <= time_limit + 15]
    out = []
    for label, t in marks:
        seen = [e for e in events if e.get("since_start", e["t"]) <= t + 1e-6]
        objs = [e["objective"] for e in seen if e["objective"] is not None]
        bounds = [e["bound"] for e in seen if e["bound"] is not None]
        finished = ended is not None and t > ended
        row = {
            "at": label,
            "t": round(t, 2),
            "objective": min(objs) if objs else None,
            "bound": max(bounds) if bounds else None,
            "search_over": finished,
        }
        if finished and solve.get("objective") is not None:
            row["objective"], row["bound"] = solve["objective"], solve["bound"]
        out.append(row)
    return out


def watchdog(out: Path, build_timeout: float, total_timeout: float, max_mb: float) -> Any:
    def watch(elapsed: float, rss: float) -> str | None:
        if rss > max_mb:
            return f"memory over {max_mb:.0f} MB after {elapsed:.0f} s"
        if elapsed > total_timeout:
            return f"no result after {elapsed:.0f} s"
        if elapsed > build_timeout and "model" not in read_json(out).get("phases", {}):
            return f"model not built after {build_timeout:.0f} s"
        return None

    return watch


def run_size(
    size: str, args: argparse.Namespace, stamp: str, code: dict[str, Any], env: dict[str, str], seed: int
) -> dict[str, Any]:
    """One size and seed in a fresh subprocess; the JSON written to results/."""
    RESULTS.mkdir(exist_ok=True)
    time_limit = time_limit_of(args, size)
    if args.family == "loose":
        name = f"{stamp}-{size}" + (f"-s{seed}" if seed else "")
    else:
        name = f"{stamp}-{args.family}-{size}-s{seed}"
    name += f"-{args.tag}" if args.tag else ""
    out = RESULTS / f"{name}.json"
    log = RESULTS / f"{name}.log"
    out.unlink(missing_ok=True)
    child_args = [
        str(Path(__file__)),
        "--one",
        size,
        "--time-limit",
        str(time_limit),
        "--workers",
        str(args.workers),
        "--seed",
        str(seed),
        "--family",
        args.family,
        "--out",
        str(out),
    ]
    for item in args.override:
        child_args += ["--override", item]
    if not args.warm_start:
        child_args.append("--no-warm-start")
    total_timeout = args.build_timeout + time_limit + 180
    load_before = os.getloadavg()[0]
    child: Child = spawn(
        child_args,
        log=log,
        watch=watchdog(out, args.build_timeout, total_timeout, args.max_rss_gb * 1024),
        env=env,
    )
    data = read_json(out)
    data["peak_rss_mb"] = round(child.maxrss_mb, 1)
    data["process_wall_s"] = round(child.wall, 3)
    data["returncode"] = child.returncode
    if child.killed:
        data["outcome"] = f"killed: {child.killed}"
    elif "outcome" not in data:
        data["outcome"] = f"crashed (exit {child.returncode}); see {log.name}"
    data["load_1min_before"] = round(load_before, 2)
    data["load_1min_after"] = round(os.getloadavg()[0], 2)
    data["cp_sat_log"] = cp_sat_bounds(log)
    data["checkpoints"] = checkpoints(data, time_limit)
    data["machine"] = machine()
    data["code"] = code
    data["log_file"] = str(log.relative_to(REPO))
    write_json(out, data)
    return data


def time_limit_of(args: argparse.Namespace, size: str) -> float:
    """The time limit of a size: ``--xl-time-limit`` at XL when given."""
    if size == "XL" and args.xl_time_limit is not None:
        return float(args.xl_time_limit)
    return float(args.time_limit)


def _at(d: dict[str, Any], label: str) -> str | None:
    for c in d.get("checkpoints", []):
        if c["at"] == label:
            if c["objective"] is None and c["bound"] is None:
                return None
            obj = "–" if c["objective"] is None else f"{c['objective']:,.0f}"
            bound = "–" if c["bound"] is None else f"{c['bound']:,.0f}"
            return f"{obj} / {bound}"
    return None


def _verdict(d: dict[str, Any]) -> str:
    check = d.get("check")
    if not check:
        return "no plan" if d.get("outcome") == "no plan" else str(d.get("outcome"))
    return "ok" if check.get("ok") and check.get("objective_matches") else "FAILED"


def short_summary(results: list[dict[str, Any]]) -> str:
    """The reviewer's table: one row per size and seed, then the medians per size."""
    rows = []
    for d in results:
        solve = d.get("solve", {})
        rows.append(
            [
                d.get("family", "loose"),
                d.get("size"),
                d.get("seed"),
                d.get("load_1min_before"),
                solve.get("first_solution_since_start_s"),
                _at(d, "10 s"),
                _at(d, "30 s"),
                _at(d, "60 s"),
                _at(d, "120 s"),
                solve.get("status"),
                f"{solve['gap']:.1%}" if "gap" in solve else None,
                d.get("peak_rss_mb"),
                _verdict(d),
            ]
        )
    out = [
        table(
            [
                "family",
                "size",
                "seed",
                "load 1 min",
                "first plan s",
                "10 s obj / bound",
                "30 s",
                "60 s",
                "120 s",
                "status",
                "gap",
                "peak RSS MB",
                "checker",
            ],
            rows,
        )
    ]
    medians = []
    for size in SIZES:
        mine = [d for d in results if d.get("size") == size]
        if not mine:
            continue
        firsts = [d.get("solve", {}).get("first_solution_since_start_s") for d in mine]
        gaps = [d.get("solve", {}).get("gap") for d in mine]
        # a run without a plan counts as infinitely slow / infinitely far from its bound
        first = statistics.median([f if f is not None else float("inf") for f in firsts])
        gap = statistics.median([g if g is not None else float("inf") for g in gaps])
        medians.append(
            [
                size,
                len(mine),
                None if first == float("inf") else round(first, 2),
                None if gap == float("inf") else f"{gap:.1%}",
                max(d.get("peak_rss_mb", 0) for d in mine),
                sum(1 for d in mine if _verdict(d) == "ok"),
            ]
        )
    out.append(
        table(
            ["size", "seeds", "median first plan s", "median final gap", "max RSS MB", "checker ok"], medians
        )
    )
    return "\n\n".join(out)


def summary(results: list[dict[str, Any]]) -> str:
    """The Markdown tables: one line per size, progress over time, model families."""
    rows = []
    for d in results:
        inst = d.get("instance", {})
        model = d.get("model", {})
        solve = d.get("solve", {})
        check = d.get("check", {})
        rows.append(
            [
                d.get("size"),
                f"{inst.get('sessions', '?')} × {inst.get('slots', '?')}",
                model.get("variables"),
                model.get("constraints"),
                d.get("build_seconds"),
                (
                    f"{d['warm_start']['objective']} / {d['warm_start']['seconds']}"
                    if d.get("warm_start")
                    else ("none" if "warm_start" in d else None)
                ),
                solve.get("first_solution_s"),
                solve.get("first_solution_since_start_s"),
                solve.get("status"),
                solve.get("objective"),
                solve.get("bound"),
                f"{solve['gap']:.1%}" if "gap" in solve else None,
                d.get("wall_to_plan_s"),
                d.get("peak_rss_mb"),
                ("ok" if check.get("ok") and check.get("objective_matches") else "FAILED") if check else None,
                d.get("outcome"),
            ]
        )
    out = [
        table(
            [
                "size",
                "sessions × slots",
                "variables",
                "constraints",
                "build s",
                "warm start: objective / s",
                "first plan s (search)",
                "first plan s (since start)",
                "status",
                "objective",
                "bound",
                "gap",
                "wall to plan s",
                "peak RSS MB",
                "checker",
                "outcome",
            ],
            rows,
        )
    ]
    progress_rows = [
        [d.get("size"), c["at"], c["objective"], c["bound"], "yes" if c["search_over"] else ""]
        for d in results
        for c in d.get("checkpoints", [])
    ]
    if progress_rows:
        out.append(table(["size", "at", "objective", "bound", "search already over"], progress_rows))
    fam_rows = []
    for d in results:
        for f in d.get("families", []):
            fam_rows.append(
                [
                    d.get("size"),
                    f["family"],
                    f.get("seconds"),
                    f.get("variables"),
                    f.get("constraints"),
                    f.get("terms"),
                ]
            )
        if d.get("building"):
            fam_rows.append([d.get("size"), f"{d['building']} (unfinished)"] + [None] * 4)
    if fam_rows:
        out.append(
            table(
                ["size", "family", "build s", "variables", "constraints", "terms"],
                fam_rows,
            )
        )
    return "\n\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sizes", default="S,M,L,XL", help="comma-separated: S, M, L, XL")
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument(
        "--workers", type=int, default=1, help="CP-SAT workers (default 1, as the CLI and the API)"
    )
    ap.add_argument("--xl-time-limit", type=float, help="time limit at XL (default: --time-limit)")
    ap.add_argument("--seed", type=int, default=0, help="one seed (see --seeds)")
    ap.add_argument("--seeds", help="comma-separated seeds, e.g. 0,1,2 (overrides --seed)")
    ap.add_argument(
        "--family",
        choices=("loose", "tight", "tight2"),
        default="loose",
        help="scenario family (benchmarks/generate.py): loose, tight (3 in 28), tight2 (2 in 28)",
    )
    ap.add_argument("--full", action="store_true", help="also print the long tables")
    ap.add_argument(
        "--build-timeout",
        type=float,
        default=240.0,
        help="kill a size whose model is not built this many seconds after start",
    )
    ap.add_argument(
        "--max-rss-gb", type=float, default=12.0, help="kill a size whose resident memory passes this"
    )
    ap.add_argument(
        "--override",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help="change a scenario field, e.g. limits.presentation_gap_days=0",
    )
    ap.add_argument(
        "--no-warm-start",
        dest="warm_start",
        action="store_false",
        help="the solver alone, without the greedy first plan (as arshjul plan --no-warm-start)",
    )
    ap.add_argument("--tag", default="", help="suffix of the result files (for variants)")
    ap.add_argument(
        "--code",
        default="tree",
        metavar="tree|live|REV",
        help="arshjul to measure: a copy of the working tree taken at start "
        "(default), the live tree, or a git revision such as HEAD",
    )
    ap.add_argument("--one", choices=SIZES, help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    ap.add_argument("--t0", type=float, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.one:
        try:
            return measure(args)
        except Exception:
            traceback.print_exc()
            return 2
    if args.override and not args.tag:
        args.tag = re.sub(r"[^A-Za-z0-9_=-]+", "_", "+".join(args.override).split(".")[-1])
    sizes = [s.strip().upper() for s in args.sizes.split(",") if s.strip()]
    for s in sizes:
        if s not in SIZES:
            ap.error(f"unknown size '{s}' (choose from {', '.join(SIZES)})")
    stamp = dt.date.today().isoformat()
    snap = None if args.code == "live" else Path(tempfile.mkdtemp(prefix="arshjul-bench-"))
    code = provenance(REPO / "src" / "arshjul") if snap is None else snapshot(snap, args.code)
    env = child_env(snap)
    print(
        f"code: {code['git_head']} + {len(code['uncommitted'])} uncommitted file(s), "
        f"sha256 {code['code_sha256']}",
        file=sys.stderr,
    )
    seeds = [int(x) for x in args.seeds.split(",")] if args.seeds else [args.seed]
    results = []
    try:
        for size in sizes:
            for seed in seeds:
                results.append(one_size(size, args, stamp, code, env, seed))
    finally:
        if snap is not None:
            shutil.rmtree(snap, ignore_errors=True)
    print(short_summary(results))
    if args.full:
        print()
        print(summary(results))
    return 0 if all(d.get("outcome") == "ok" for d in results) else 1


def one_size(
    size: str, args: argparse.Namespace, stamp: str, code: dict[str, Any], env: dict[str, str], seed: int
) -> dict[str, Any]:
    """Run and log one size and seed."""
    print(f"[{time.strftime('%H:%M:%S')}] {args.family} {size} seed {seed} …", file=sys.stderr, flush=True)
    data = run_size(size, args, stamp, code, env, seed)
    print(
        f"[{time.strftime('%H:%M:%S')}] {size} seed {seed}: {data.get('outcome')} "
        f"({data['process_wall_s']:.0f} s, {data['peak_rss_mb']:.0f} MB)",
        file=sys.stderr,
        flush=True,
    )
    return data


if __name__ == "__main__":
    sys.exit(main())
