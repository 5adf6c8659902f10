"""Where else: every slot a session could move to (with the objective there, checked by
solving) and, for every other slot, a rule that really rules it out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from arshjul.check import check
from arshjul.commands.explain import alternatives as alternatives_cmd
from arshjul.cpsat import SolveOptions, build_model, run
from arshjul.cpsat.conflicts import pin_assignment
from arshjul.cpsat.model import Model
from arshjul.explain import Alternatives, alternatives, region_alternatives
from arshjul.instance import Assignment, Instance, build_instance
from arshjul.plan import Plan
from arshjul.realize import from_plan, to_plan
from arshjul.scenario import Scenario
from conftest import scenario, solve_checked

HALSA = "vinnova.dialog.halsa.1"
INDUSTRI = "vinnova.dialog.industri.1"


def _scenario() -> Scenario:
    """Four weeks, morning and afternoon; Gotland away in week 38.  'halsa' may be presented
    by Gotland or Östergötland, 'industri' only by Gotland; a hybrid in week 36; the host
    keeps 3 days between sessions; every weight on."""
    return scenario(
        **{
            "slots": [
                {"id": "morning", "start": "09:00", "end": "12:00"},
                {"id": "afternoon", "start": "13:00", "end": "16:00"},
            ],
            "weights": {"match": 10, "coverage": 40, "spread": 5, "preferred_month": 20, "balance": 3},
            "limits.host_gap_days": 3,
            "regions": [
                {"code": "SE-E", "name": "Region Östergötland"},
                {"code": "SE-M", "name": "Region Skåne"},
                {"code": "SE-I", "name": "Region Gotland", "unavailable": ["2027-W38"]},
            ],
            "hosts": [
                {
                    "id": "vinnova",
                    "name": "Vinnova",
                    "themes": [
                        {
                            "id": "halsa",
                            "name": "Hälsa",
                            "interested": ["SE-I", "SE-E"],
                            "preferred_months": [9],
                        },
                        {"id": "industri", "name": "Industri", "interested": ["SE-I"]},
                    ],
                }
            ],
            "hybrids": [{"id": "h1", "host": "vinnova", "topic": "Ekosystem", "window": "2027-W36"}],
        }
    )


@pytest.fixture(scope="module")
def solved() -> tuple[Scenario, Instance, Plan]:
    sc = _scenario()
    plan = solve_checked(sc)
    assert plan.found
    return sc, build_instance(sc), plan


def _forced(
    inst: Instance, a: Assignment, sid: str, t: int, presenters: tuple[str, ...] | None
) -> tuple[str, int | None]:
    """Solve with every other session pinned, ``sid`` forced into slot ``t`` and its
    presenters fixed (or free when ``None``)."""
    spec = inst.session(sid)

    def force(m: Model) -> None:
        m.cp.add(m.x[sid, t] == 1)
        if presenters is not None:
            for u in spec.units:
                m.cp.add(m.p[sid, u] == int(u in presenters))

    m = build_model(inst, extra_rules=[pin_assignment(a, free=sid), force])
    result = run(m, SolveOptions(time_limit=10, workers=1))
    return result.status, result.objective


def _verify(inst: Instance, plan: Plan, alt: Alternatives, sample: int) -> None:
    a = from_plan(inst, plan)
    sid = alt.session_id
    spec = inst.session(sid)
    # every slot but the current one is either an option or blocked, once
    seen = sorted([o.slot for o in alt.options] + [b.slot for b in alt.blocked])
    assert seen == [t for t in range(len(inst.slots)) if t != a.slot[sid]]
    # options: solving with that session forced there (presenters as stated) agrees
    options = sorted(alt.options, key=lambda o: (bool(o.dropped), o.delta))
    chosen = [o for o in options if o.dropped][:1] + options[: sample - 1] + options[-1:]
    assert len({o.slot for o in chosen}) >= min(3, len(options))
    for option in chosen:
        status, objective = _forced(inst, a, sid, option.slot, option.presenters)
        assert status == "OPTIMAL", option
        assert objective == option.objective == alt.objective + option.delta
        free_status, free_objective = _forced(inst, a, sid, option.slot, None)
        assert free_status == "OPTIMAL" and free_objective is not None and free_objective <= option.objective
    # blocked: the rule named really rules the slot out
    for b in alt.blocked:
        if b.source == "closed":
            assert b.rules == spec.exclusions[b.slot]
        elif b.source == "checker":
            moved = to_plan(
                inst, Assignment(slot={**a.slot, sid: b.slot}, presenters=a.presenters), status="FEASIBLE"
            )
            broken = {(v.rule, v.subject) for v in check(inst, moved).violations}
            assert set(b.rules) <= broken, b
        else:
            assert b.source == "solver"
            status, _ = _forced(inst, a, sid, b.slot, None)
            assert status == "INFEASIBLE", b


def test_alternatives_of_a_dialog_that_can_drop_a_presenter(solved: tuple[Scenario, Instance, Plan]) -> None:
    _, inst, plan = solved
    alt = alternatives(inst, plan, HALSA)
    assert alt.objective == plan.objective
    assert alt.options and alt.blocked
    # week 38: Gotland is away, Östergötland presents alone (one interest unmet: +10)
    week38 = [o for o in alt.options if o.date.isocalendar().week == 38]
    if "SE-I" in plan.session(HALSA).presenting_regions:
        assert week38 and all(
            o.dropped == ("SE-I",) and "presenter_available [SE-I]" in o.reasons for o in week38
        )
    rules = {r for b in alt.blocked for r, _ in b.rules}
    assert {"calendar_weekday", "host_tempo"} <= rules
    _verify(inst, plan, alt, sample=3)
    json.dumps(alt.to_dict())
    assert "other slots are possible" in "\n".join(alt.lines())


def test_alternatives_ask_the_solver_when_no_presenter_can_step_in(
    solved: tuple[Scenario, Instance, Plan],
) -> None:
    _, inst, plan = solved
    alt = alternatives(inst, plan, INDUSTRI, probe_limit=2)
    by_solver = [b for b in alt.blocked if b.source == "solver"]
    assert len(by_solver) == 2
    for b in by_solver:
        assert set(b.rules) == {("presenter_available", "SE-I"), ("dialog_min_presenters", INDUSTRI)}
    # beyond the probe limit the checker's names stand
    away = [b for b in alt.blocked if b.date.isocalendar().week == 38 and b.date.weekday() < 5]
    assert all(("presenter_available", "SE-I") in b.rules for b in away)
    _verify(inst, plan, alt, sample=3)


def test_alternatives_of_a_session_without_presenters(solved: tuple[Scenario, Instance, Plan]) -> None:
    _, inst, plan = solved
    alt = alternatives(inst, plan, "vinnova.hybrid.h1")
    # the hybrid's window is week 36: every other week is closed by session_window
    assert all(o.date.isocalendar().week == 36 for o in alt.options)
    assert any(("session_window", "h1") in b.rules for b in alt.blocked)
    _verify(inst, plan, alt, sample=3)


def test_region_alternatives_cost_and_breaks(solved: tuple[Scenario, Instance, Plan]) -> None:
    _, inst, plan = solved
    a = from_plan(inst, plan)
    for code in ("SE-E", "SE-I", "SE-M"):
        result = region_alternatives(inst, plan, code)
        for option in result.options:
            units = (*a.presenters.get(option.session_id, ()), code)
            added = to_plan(
                inst,
                Assignment(slot=a.slot, presenters={**a.presenters, option.session_id: units}),
                status="FEASIBLE",
            )
            report = check(inst, added)
            assert report.objective == option.objective == result.objective + option.delta
            assert {(v.rule, v.subject) for v in report.violations} == {
                (v.rule, v.subject) for v in option.broken
            }
        json.dumps(result.to_dict())
    # Skåne is interested in no theme: it can join none
    skane = region_alternatives(inst, plan, "SE-M")
    assert skane.options == [] and set(skane.not_interested) == {HALSA, INDUSTRI}


# -- command line ----------------------------------------------------------------------------


def _files(tmp_path: Path, sc: Scenario, plan: Plan) -> tuple[str, str]:
    import yaml

    sc_path = tmp_path / "s.yaml"
    sc_path.write_text(yaml.safe_dump(json.loads(sc.model_dump_json(by_alias=True, exclude_none=True))))
    plan_path = tmp_path / "plan.json"
    plan_path.write_text(plan.to_json())
    return str(sc_path), str(plan_path)


def test_cli_alternatives(tmp_path: Path, solved: tuple[Scenario, Instance, Plan]) -> None:
    sc, _, plan = solved
    sc_path, plan_path = _files(tmp_path, sc, plan)
    runner = CliRunner()
    text = runner.invoke(alternatives_cmd, [sc_path, plan_path, HALSA])
    assert text.exit_code == 0, text.output
    assert "other slots are possible; best first:" in text.output
    assert "slots are not possible:" in text.output
    data: dict[str, Any] = json.loads(
        runner.invoke(alternatives_cmd, [sc_path, plan_path, HALSA, "--json"]).output
    )
    assert data["session"]["session_id"] == HALSA and data["session"]["options"]
    region = runner.invoke(alternatives_cmd, [sc_path, plan_path, "--region", "SE-E", "--json"])
    assert region.exit_code == 0 and json.loads(region.output)["region"]["region"] == "SE-E"


def test_cli_alternatives_bad_input(tmp_path: Path, solved: tuple[Scenario, Instance, Plan]) -> None:
    sc, _, plan = solved
    sc_path, plan_path = _files(tmp_path, sc, plan)
    runner = CliRunner()
    unknown = runner.invoke(alternatives_cmd, [sc_path, plan_path, "vinnova.dialog.nope.1"])
    assert unknown.exit_code == 2
    assert unknown.output.startswith(f"error: {plan_path}: SESSION_ID: session 'vinnova.dialog.nope.1'")
    assert unknown.output.count("\n") == 1
    region = runner.invoke(alternatives_cmd, [sc_path, plan_path, "--region", "SE-QQ"])
    assert region.exit_code == 2 and "--region: unknown region 'SE-QQ'" in region.output
    neither = runner.invoke(alternatives_cmd, [sc_path, plan_path])
    assert neither.exit_code == 2
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    bad_plan = runner.invoke(alternatives_cmd, [sc_path, str(broken), HALSA])
    assert bad_plan.exit_code == 2 and bad_plan.output.startswith(f"error: {broken}: line 1: not valid JSON")
