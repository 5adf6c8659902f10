"""The neighbourhood search after the tree search, and several workers as two searches.

No timing is asserted; the benchmark tables hold the numbers (benchmarks/README.md).
"""

from __future__ import annotations

import importlib.util
import itertools
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from ortools.sat.python import cp_model

import arshjul
from arshjul.check import check
from arshjul.cpsat import lns
from arshjul.cpsat.model import Model, assignment_of
from arshjul.cpsat.solve import (
    SolveOptions,
    SolveResult,
    WarmStart,
    _better,
    _hand_over,
    _lns_wanted,
    build_model,
    complete_hint,
)
from arshjul.greedy import greedy_assignment
from arshjul.instance import Assignment, Instance, build_instance
from arshjul.options import Progress, SolveStatus
from arshjul.scenario import from_data
from arshjul.tabu import tabu_assignment

_spec = importlib.util.spec_from_file_location(
    "bench_generate", Path(__file__).resolve().parents[2] / "benchmarks" / "generate.py"
)
assert _spec is not None and _spec.loader is not None
generate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(generate)


def tight(size: str, seed: int) -> Instance:
    return build_instance(from_data(generate.generate_family("tight", size, seed), f"tight {size} {seed}"))


def test_a_piece_frees_the_sessions_nearest_a_day_or_a_region_and_never_a_fixed_one() -> None:
    import random

    inst = tight("M", 0)
    m = build_model(inst)
    plan = tabu_assignment(inst, greedy_assignment(inst), seed=0)
    fixed = {s.id for s in inst.sessions if len(m.candidates[s.id]) <= 1}
    assert fixed  # the network meetings have their dates
    rng = random.Random(1)
    for size in (1, 5, 20):
        for _ in range(10):
            free = lns.piece(m, plan, rng, size)
            assert len(free) == size and not free & fixed


def test_a_month_piece_frees_a_dialog_outside_its_months_and_sessions_inside_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import random

    inst = tight("M", 0)
    m = build_model(inst)
    plan = tabu_assignment(inst, greedy_assignment(inst), seed=0)
    outside = {s.id for s in inst.dialogs() if lns.outside_preferred_month(m, s, plan.slot[s.id])}
    assert outside  # the tabu plan leaves some dialogs outside their months
    monkeypatch.setattr(lns, "REGION_SHARE", 0.0)
    monkeypatch.setattr(lns, "MONTH_SHARE", 1.0)
    monkeypatch.setattr(lns, "MONTH_OUTSIDE", 0.0)  # more dialogs outside than this: a day piece
    by_day = [lns.piece(m, plan, random.Random(3), 8) for _ in range(2)]
    monkeypatch.setattr(lns, "MONTH_SHARE", 0.0)
    assert by_day == [lns.piece(m, plan, random.Random(3), 8) for _ in range(2)]
    monkeypatch.setattr(lns, "MONTH_SHARE", 1.0)
    monkeypatch.setattr(lns, "MONTH_OUTSIDE", 1.0)
    rng = random.Random(3)
    for _ in range(10):
        free = lns.piece(m, plan, rng, 8)
        assert len(free) == 8 and len(free & outside) >= 1
        months = {inst.slots[plan.slot[f]].date.month for f in free - outside}

        def near(dialog: str, months: set[int] = months) -> bool:
            wanted = inst.themes[inst.session(dialog).theme or ""].preferred_months
            return any(abs(mo - w) <= 1 or abs(mo - w) == 11 for mo in months for w in wanted)

        # the others lie around a day in (or next to) the dialog's preferred months
        assert any(near(d) for d in free & outside)


def test_a_piece_hinted_with_every_value_starts_from_the_plan_itself() -> None:
    """Hinted with the slots and presenters alone, 9 of 22 pieces of this year ended at their
    work limit on a plan worse than the one they started from."""
    import random

    _, m, warm = _warm_m0()
    values = tuple(m.cp.proto.solution_hint.values)  # the warm start's: every variable
    assert len(values) == len(m.cp.proto.variables)
    best = lns.Best(warm.assignment, warm.objective, dict(warm.terms), values)
    free = lns.piece(m, warm.assignment, random.Random(0), 20)
    sub = lns._fixed_but(m, best, free, set())
    assert tuple(sub.proto.solution_hint.values) == values
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.stop_after_first_solution = True
    assert solver.solve(sub) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    assert round(solver.objective_value) == warm.objective  # its first plan is as good as the start
    # without the values, the slots and presenters of the free sessions are hinted
    bare = lns._fixed_but(m, lns.Best(warm.assignment, warm.objective, dict(warm.terms)), free, set())
    assert 0 < len(bare.proto.solution_hint.vars) < len(values)


def test_a_piece_fixed_by_domains_is_the_piece_fixed_by_equalities() -> None:
    """:class:`lns.Fixed` only changes how the other sessions are held: each piece has the
    same optimum, it keeps every session it does not free, and a domain copy that followed
    a better plan is the one made for that plan from the start."""
    import random

    inst, m, warm = _warm_m0()
    values = tuple(m.cp.proto.solution_hint.values)
    best = lns.Best(warm.assignment, warm.objective, dict(warm.terms), values)
    fixed = lns.Fixed(m)
    rng = random.Random(3)
    moved: Assignment | None = None
    for _ in range(3):
        free = lns.piece(m, best.assignment, rng, 8)
        found = []
        for sub in (lns._fixed_but(m, best, free, set()), lns._fixed_but(m, best, free, set(), fixed)):
            solver = cp_model.CpSolver()
            solver.parameters.num_workers = 1
            solver.parameters.max_time_in_seconds = 60
            assert solver.solve(sub) == cp_model.OPTIMAL
            found.append(round(solver.objective_value))
            plan = assignment_of(m, solver)
            for s in inst.sessions:
                if s.id not in free:
                    assert plan.slot[s.id] == best.assignment.slot[s.id]
                    assert set(plan.presenters.get(s.id, ())) == set(best.assignment.presenters.get(s.id, ()))
            if found[-1] < warm.objective:
                moved = plan
        assert found[0] == found[1]
    assert moved is not None and moved.slot != warm.assignment.slot
    fixed.follow(moved)
    fresh = lns.Fixed(m)
    fresh.follow(moved)
    followed, made = fixed.opened(set(), set()), fresh.opened(set(), set())  # (kept: the protos are theirs)
    domains = [list(v.domain) for v in followed.proto.variables]
    assert domains == [list(v.domain) for v in made.proto.variables]
    # every slot variable of the plan is pinned; a freed session is open again
    sid = inst.sessions[0].id
    assert all(domains[m.x[sid, t].index] == [int(t == moved.slot[sid])] * 2 for t in m.candidates[sid])
    reopened = fresh.opened({sid}, set())
    assert all(list(reopened.proto.variables[m.x[sid, t].index].domain) == [0, 1] for t in m.candidates[sid])


def _warm_m0() -> tuple[Instance, Model, WarmStart]:
    """The tight 44-session year, its model and its tabu first plan as the model's start."""
    inst = tight("M", 0)
    m = build_model(inst)
    warm = complete_hint(
        m, tabu_assignment(inst, greedy_assignment(inst), seed=0), SolveOptions(time_limit=60)
    )
    assert warm is not None
    return inst, m, warm


def _improve_for(
    m: Model, start: lns.Best, seconds: float, settings: dict[str, object], better: Callable[[lns.Best], None]
) -> lns.Best:
    """One worker's neighbourhood search from ``start`` for ``seconds``, never halted, no bound."""
    return lns.improve(
        m,
        start,
        until=time.monotonic() + seconds,
        seed=0,
        halt=threading.Event(),
        current=[],
        better=better,
        bound=None,
        settings=settings,
    )


def test_improve_never_returns_a_worse_plan_and_every_rule_holds() -> None:
    inst, m, warm = _warm_m0()
    told: list[int] = []
    start = lns.Best(warm.assignment, warm.objective, dict(warm.terms))
    best = _improve_for(m, start, 5, {"linearization_level": 2}, lambda b: told.append(b.objective))
    assert best.objective <= warm.objective
    assert told == sorted(told, reverse=True) and (not told or told[-1] == best.objective)
    report = check(inst, arshjul.realize.to_plan(inst, best.assignment, status="FEASIBLE"))
    assert report.violations == [] and report.objective == best.objective


def test_improve_with_the_sessions_fixed_by_domains_keeps_every_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    """The path of the biggest models (:data:`lns.FIXED_VARIABLES`), taken here on a small one."""
    inst, m, warm = _warm_m0()
    monkeypatch.setattr(lns, "FIXED_VARIABLES", 0)
    monkeypatch.setattr(lns, "FIXED_START", 0.0)
    made: list[lns.Fixed] = []
    real = lns.Fixed

    def counted(m: Model) -> lns.Fixed:
        made.append(real(m))
        return made[-1]

    monkeypatch.setattr(lns, "Fixed", counted)
    start = lns.Best(warm.assignment, warm.objective, dict(warm.terms))
    best = _improve_for(m, start, 5, {"linearization_level": 1}, lambda b: None)
    assert len(made) == 1 and best.objective < warm.objective
    # with less than FIXED_START left, the copy is not made: the pieces keep their equalities
    monkeypatch.setattr(lns, "FIXED_START", 60.0)
    _improve_for(m, best, 2, {"linearization_level": 1}, lambda b: None)
    assert len(made) == 1
    report = check(inst, arshjul.realize.to_plan(inst, best.assignment, status="FEASIBLE"))
    assert report.violations == [] and report.objective == best.objective


def test_improve_stops_at_once_when_halted_and_at_the_bound() -> None:
    _, m, warm = _warm_m0()
    first = lns.Best(warm.assignment, warm.objective, dict(warm.terms))

    def go(halt: threading.Event, bound: float | None) -> lns.Best:
        return lns.improve(
            m,
            first,
            until=time.monotonic() + 60,
            seed=0,
            halt=halt,
            current=[],
            better=lambda b: None,
            bound=bound,
            settings={},
        )

    halted = threading.Event()
    halted.set()
    assert go(halted, None) is first
    # a plan at the proven bound cannot be bettered: no piece is tried
    assert go(threading.Event(), warm.objective) is first


def test_a_wide_piece_keeps_every_slot_and_finds_better_presenters() -> None:
    inst, m, warm = _warm_m0()
    dialogs = {s.id for s in inst.dialogs()}
    sub = lns._fixed_but(m, lns.Best(warm.assignment, warm.objective, dict(warm.terms)), set(), dialogs)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 30
    assert solver.solve(sub) == cp_model.OPTIMAL
    plan = assignment_of(m, solver)
    assert plan.slot == warm.assignment.slot  # no session moved
    assert plan.presenters != warm.assignment.presenters
    assert round(solver.objective_value) < warm.objective  # the tabu plan's presenters are not the best
    report = check(inst, arshjul.realize.to_plan(inst, plan, status="FEASIBLE"))
    assert report.violations == [] and report.objective == round(solver.objective_value)


def _record_pieces(
    monkeypatch: pytest.MonkeyPatch, then: Callable[[], None] = lambda: None
) -> list[tuple[set[str], set[str]]]:
    """Every piece ``lns.improve`` makes, as (sessions freed, dialogs whose presenters are
    freed); ``then`` runs after each is recorded."""
    pieces: list[tuple[set[str], set[str]]] = []
    real = lns._fixed_but

    def seen(
        m: Model, plan: lns.Best, free: set[str], loose: set[str], fixed: lns.Fixed | None = None
    ) -> cp_model.CpModel:
        pieces.append((set(free), set(loose)))
        then()
        return real(m, plan, free, loose, fixed)

    monkeypatch.setattr(lns, "_fixed_but", seen)
    return pieces


def test_on_a_year_of_few_dialogs_the_first_piece_and_the_one_after_a_better_plan_are_wide(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inst, m, warm = _warm_m0()
    dialogs = {s.id for s in inst.dialogs()}
    assert not lns._presenters_free(m, dialogs)  # 38 dialogs
    improved: list[int] = []
    halt = threading.Event()

    def enough() -> None:  # eight pieces seen (not a time on the clock: a busy machine)
        if len(pieces) >= 8:
            halt.set()

    pieces = _record_pieces(monkeypatch, enough)
    lns.improve(
        m,
        lns.Best(warm.assignment, warm.objective, dict(warm.terms)),
        until=time.monotonic() + 120,
        seed=0,
        halt=halt,
        current=[],
        better=lambda b: improved.append(len(pieces)),
        bound=None,
        settings={"linearization_level": 1},
    )
    wide = [not free for free, _ in pieces]
    assert all((not free and loose == dialogs) or (free and not loose) for free, loose in pieces)
    assert wide[0] and len(pieces) == 8 and improved
    for i in improved:  # the piece after a better plan from a narrow piece is wide
        if not wide[i - 1] and i < len(pieces):
            assert wide[i]
    # no two wide pieces in a row: a wide piece's own better plan is followed by a narrow one
    assert not any(a and b for a, b in itertools.pairwise(wide))


def test_on_a_year_of_many_dialogs_every_piece_frees_every_presenter(monkeypatch: pytest.MonkeyPatch) -> None:
    inst, m, warm = _warm_m0()
    monkeypatch.setattr(lns, "PRESENTERS_FREE_DIALOGS", len(inst.dialogs()))
    dialogs = {s.id for s in inst.dialogs()}
    improved: list[int] = []
    halt = threading.Event()

    def enough() -> None:  # three pieces seen and a better plan found: stop after this one
        if len(pieces) >= 3 and improved:
            halt.set()

    pieces = _record_pieces(monkeypatch, enough)
    first = lns.Best(warm.assignment, warm.objective, dict(warm.terms))
    best = lns.improve(
        m, first, until=time.monotonic() + 120, seed=0, halt=halt, current=[],
        better=lambda b: improved.append(len(pieces)), bound=None, settings={"linearization_level": 1},
    )
    assert len(pieces) >= 3 and improved
    assert all(free and loose == dialogs for free, loose in pieces)  # no wide piece between
    assert best.objective < first.objective
    report = check(inst, arshjul.realize.to_plan(inst, best.assignment, status="FEASIBLE"))
    assert report.violations == [] and report.objective == best.objective


def test_with_nothing_to_move_the_presenters_are_still_chosen_once(monkeypatch: pytest.MonkeyPatch) -> None:
    inst, m, warm = _warm_m0()
    dialogs = {s.id for s in inst.dialogs()}
    pieces = _record_pieces(monkeypatch)
    monkeypatch.setattr(lns, "PRESENTERS_FREE_DIALOGS", len(inst.dialogs()))
    monkeypatch.setattr(lns, "piece", lambda *a: set())  # as when every session is pinned
    first = lns.Best(warm.assignment, warm.objective, dict(warm.terms))
    best = lns.improve(
        m, first, until=time.monotonic() + 30, seed=0, halt=threading.Event(), current=[],
        better=lambda b: None, bound=None, settings={"linearization_level": 1},
    )
    assert pieces == [(set(), dialogs)]  # one wide piece, then the search ends
    assert best.objective < first.objective  # the tabu plan's presenters are not the best
    assert best.assignment.slot == warm.assignment.slot


def test_the_shared_plan_keeps_the_better_of_what_it_is_offered() -> None:
    shared = lns.Incumbent()
    a, b = (lns.Best(Assignment(slot={}, presenters={}), v, {}) for v in (10, 7))
    assert shared.offer(a) is a
    assert shared.offer(b) is b
    assert shared.offer(a) is b  # a worse plan offered later does not replace it


def test_searches_that_share_a_plan_start_from_the_better_one() -> None:
    inst, m, warm = _warm_m0()
    first = lns.Best(warm.assignment, warm.objective, dict(warm.terms))
    shared = lns.Incumbent()

    def go(seconds: float, seed: int, follow: bool = True) -> lns.Best:
        return lns.improve(
            m,
            first,
            until=time.monotonic() + seconds,
            seed=seed,
            halt=threading.Event(),
            current=[],
            better=lambda b: None,
            bound=None,
            settings={"linearization_level": 1},
            shared=shared,
            follow=follow,
        )

    ahead = go(5, 0)
    assert ahead.objective < warm.objective  # 5 s of pieces improve the tabu plan
    # a second search from the warm plan, with no time for a piece of its own, returns the
    # plan the first one reached, not its own start
    late = go(0, 1)
    assert late.objective == ahead.objective and late.assignment == ahead.assignment
    # one that does not follow the shared plan keeps to its own (the one-worker search)
    assert go(0, 1, follow=False) is first
    report = check(inst, arshjul.realize.to_plan(inst, late.assignment, status="FEASIBLE"))
    assert report.violations == [] and report.objective == late.objective


def test_the_tree_search_works_a_fixed_amount_and_has_at_most_half_the_clock(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    solve_module = importlib.import_module("arshjul.cpsat.solve")
    # search started at 0 with 60 s to go: the clock takes it away only at half the time
    assert not _hand_over(29.5, 0.0, 60.0)
    assert _hand_over(30.0, 0.0, 60.0)
    assert _hand_over(40.0, 10.0, 70.0) and not _hand_over(39.0, 10.0, 70.0)
    m = build_model(tight("M", 0))
    assert solve_module.tree_work(m) == solve_module.TREE_WORK  # under PIECE_VARIABLES: once
    monkeypatch.setattr(lns, "PIECE_VARIABLES", len(m.cp.proto.variables) // 4)
    assert solve_module.tree_work(m) == pytest.approx(4 * solve_module.TREE_WORK, rel=0.01)


def test_the_pieces_start_from_the_same_plan_however_busy_the_machine_is(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The hand-over goes by CP-SAT's deterministic time, so the plan the pieces start from
    (and so every piece after it) is the same run after run, even with a load beside it."""
    solve_module = importlib.import_module("arshjul.cpsat.solve")
    monkeypatch.setattr(solve_module, "TREE_WORK", 1.0)
    starts: list[tuple[int, Assignment]] = []

    def record(m: Model, best: lns.Best, **_: object) -> lns.Best:
        starts.append((best.objective, best.assignment))
        return best

    monkeypatch.setattr(lns, "improve", record)
    inst = tight("M", 1)
    busy = threading.Event()

    def burn() -> None:  # a second thread that keeps a core busy through the second run
        while not busy.is_set():
            sum(i * i for i in range(10_000))

    results = [solve_module.solve(inst, SolveOptions(time_limit=120, workers=1, seed=0))]
    spinner = threading.Thread(target=burn, daemon=True)
    spinner.start()
    try:
        results.append(solve_module.solve(inst, SolveOptions(time_limit=120, workers=1, seed=0)))
    finally:
        busy.set()
        spinner.join()
    assert len(starts) == 2 and starts[0] == starts[1]
    assert results[0].objective == results[1].objective and results[0].bound == results[1].bound


def test_a_tree_search_that_ends_its_work_without_a_plan_goes_on_to_the_deadline(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No warm plan and the tree search's work done before it found one: the pieces have
    nothing to start from, so the search must go on rather than return nothing early (on a
    slow machine the 106-session year at 2 in 28 came back empty 10 s before its limit)."""
    solve_module = importlib.import_module("arshjul.cpsat.solve")
    monkeypatch.setattr(solve_module, "TREE_WORK", 1e-9)
    calls: list[float] = []
    real = cp_model.CpSolver.solve

    def counted(self: cp_model.CpSolver, model: cp_model.CpModel, *args: object) -> object:
        calls.append(self.parameters.max_deterministic_time)
        return real(self, model, *args)

    monkeypatch.setattr(cp_model.CpSolver, "solve", counted)
    inst = tight("S", 0)
    result = solve_module.solve(inst, SolveOptions(time_limit=60, workers=1, seed=0, warm_start=False))
    assert calls[0] == pytest.approx(1e-9) and len(calls) >= 2
    assert calls[1] > 1e9  # the second search has no work limit
    assert result.status == SolveStatus.OPTIMAL and result.objective == 296
    assert result.bound is not None and result.bound <= result.objective
    report = check(inst, arshjul.realize.to_plan(inst, result.assignment, status="OPTIMAL"))
    assert report.violations == [] and report.objective == 296


def test_lns_only_with_one_worker_an_objective_and_not_when_switched_off() -> None:
    inst = tight("S", 0)
    m = build_model(inst)
    assert _lns_wanted(m, SolveOptions())
    assert not _lns_wanted(m, SolveOptions(lns=False))
    assert not _lns_wanted(m, SolveOptions(workers=2))
    assert not _lns_wanted(m, SolveOptions(preset="first-plan"))


def test_a_tight_year_cut_off_by_the_time_limit_comes_back_improved_and_checked() -> None:
    scenario = from_data(generate.generate_family("tight", "M", 1), "tight M 1")
    inst = build_instance(scenario)
    seen: list[Progress] = []
    plan = arshjul.solve(scenario, time_limit=15, workers=1, seed=0, progress=seen.append)
    assert plan.found
    report = check(inst, plan)
    assert report.ok and report.objective == plan.objective
    assert plan.bound is not None and plan.bound <= plan.objective
    objectives = [p.objective for p in seen if p.objective is not None]
    assert objectives == sorted(objectives, reverse=True)  # progress never goes backwards
    assert objectives[-1] < objectives[0]  # the first plan (the tabu search's) was improved on


def _result(status: SolveStatus, objective: int | None, bound: float | None) -> SolveResult:
    assignment = None if objective is None else Assignment(slot={}, presenters={})
    return SolveResult(status=status, objective=objective, bound=bound, wall_time=1.0, assignment=assignment)


def test_two_searches_keep_the_better_plan_and_the_higher_bound() -> None:
    one = _result(SolveStatus.FEASIBLE, 120, 90.0)
    two = _result(SolveStatus.FEASIBLE, 110, 80.0)
    best = _better([one, two], interrupted=False)
    assert best.objective == 110 and best.bound == 90.0 and best.status == SolveStatus.FEASIBLE
    # a tie keeps the one-worker search's plan
    assert _better([one, _result(SolveStatus.FEASIBLE, 120, 95.0)], False).bound == 95.0
    # a plan at the other search's bound is proven optimal
    assert _better([_result(SolveStatus.FEASIBLE, 100, 100.0), two], False).status == SolveStatus.OPTIMAL
    assert _better([_result(SolveStatus.UNKNOWN, None, None), two], True).objective == 110
    assert _better([_result(SolveStatus.UNKNOWN, None, None), two], True).interrupted


@pytest.mark.parametrize("workers", [2, 3])
def test_several_workers_find_the_one_worker_optimum_of_the_tight_21_region_year(workers: int) -> None:
    scenario = from_data(generate.generate_family("tight", "S", 0), "tight S 0")
    plan = arshjul.solve(scenario, time_limit=60, workers=workers, seed=0)
    assert plan.status == SolveStatus.OPTIMAL and plan.objective == 296
    assert check(build_instance(scenario), plan).ok


def test_a_stop_during_two_searches_keeps_the_best_plan() -> None:
    scenario = from_data(generate.generate_family("tight", "M", 0), "tight M 0")
    stop = threading.Event()
    timer = threading.Timer(6.0, stop.set)
    timer.start()
    try:
        plan = arshjul.solve(scenario, time_limit=120, workers=2, seed=0, stop=stop)
    finally:
        timer.cancel()
    assert plan.found and plan.interrupted  # stopped, not run to its two minutes
    assert check(build_instance(scenario), plan).ok


def test_ctrl_c_while_the_second_search_starts_stops_both(monkeypatch: pytest.MonkeyPatch) -> None:
    # the first search reports its warm plan at once, so a Ctrl-C often lands while the second
    # thread starts; it must stop the first one too (once it escaped, and the process aborted
    # with CP-SAT still running in a daemon thread)
    started: list[threading.Thread] = []
    real_start = threading.Thread.start

    def start(self: threading.Thread) -> None:
        real_start(self)
        if self.name.startswith("search-"):
            started.append(self)
            if len(started) == 2:
                raise KeyboardInterrupt

    monkeypatch.setattr(threading.Thread, "start", start)
    scenario = from_data(generate.generate_family("tight", "M", 0), "tight M 0")
    plan = arshjul.solve(scenario, time_limit=120, workers=2, seed=0)
    monkeypatch.undo()
    assert len(started) == 2 and not any(t.is_alive() for t in started)
    assert plan.interrupted and plan.found
    assert check(build_instance(scenario), plan).ok


def test_the_pieces_keep_the_full_lp_from_the_size_where_it_was_measured_better(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    solve_module = importlib.import_module("arshjul.cpsat.solve")  # the package's solve() shadows it
    m = build_model(tight("M", 0))
    variables = len(m.cp.proto.variables)
    assert variables < solve_module.FULL_LP_VARIABLES  # the 44-session year: the light LP
    assert solve_module.pieces_settings(m)["linearization_level"] == 1
    monkeypatch.setattr(solve_module, "FULL_LP_VARIABLES", variables)
    settings = solve_module.pieces_settings(m)
    assert settings["linearization_level"] == 2
    assert settings == solve_module.PRESETS["prove"]
    settings["linearization_level"] = 0  # a copy: the presets stay as they are
    assert solve_module.PRESETS["prove"]["linearization_level"] == 2
