"""Property tests: every plan the library returns for random small scenarios keeps every hard
rule (by the independent checker) and its recomputed objective equals the solver's."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from arshjul.plan import Plan
from arshjul.scenario import from_data
from conftest import base, merge, solve_checked

CODES = ["SE-E", "SE-M", "SE-I", "SE-BD"]
NAMES = {
    "SE-E": "Region Östergötland",
    "SE-M": "Region Skåne",
    "SE-I": "Region Gotland",
    "SE-BD": "Region Norrbotten",
}
WEEKS = ["2027-W36", "2027-W37", "2027-W38", "2027-W39"]


@st.composite
def scenarios(draw: st.DrawFn) -> dict[str, Any]:
    codes = draw(st.lists(st.sampled_from(CODES), min_size=2, max_size=4, unique=True))
    regions = []
    for code in codes:
        region: dict[str, Any] = {"code": code, "name": NAMES[code]}
        if draw(st.booleans()):
            region["unavailable"] = [draw(st.sampled_from(WEEKS))]
        if draw(st.booleans()):
            region["limits"] = {"window_max": draw(st.integers(1, 4))}
        regions.append(region)
    themes = []
    for k in range(draw(st.integers(1, 3))):
        interested = draw(st.lists(st.sampled_from(codes), min_size=1, max_size=len(codes), unique=True))
        theme: dict[str, Any] = {
            "id": f"t{k}",
            "name": f"Tema {k} – åäö",
            "dialogs": draw(st.integers(1, 2)),
            "min_presenters": draw(st.integers(0, 2)),
            "max_presenters": draw(st.integers(2, 4)),
            "interested": [{"region": c, "weight": draw(st.integers(1, 3))} for c in interested],
            "invite": draw(st.sampled_from(["all", "interested", "presenters"])),
        }
        if draw(st.booleans()):
            theme["forbidden"] = [draw(st.sampled_from(WEEKS))]
        if draw(st.booleans()):
            theme["preferred_months"] = [draw(st.sampled_from([9, 10]))]
        themes.append(theme)
    data = merge(
        base(),
        **{
            "regions": regions,
            "hosts": [
                {"id": "vinnova", "name": "Vinnova", "themes": themes},
                {"id": "tva", "name": "Tillväxtverket"},
            ],
            "limits": {
                "window_days": draw(st.integers(7, 28)),
                "window_max": draw(st.integers(1, 5)),
                "daily_max": draw(st.integers(1, 2)),
                "max_presentations": draw(st.integers(0, 3)),
                "presentation_gap_days": draw(st.integers(0, 21)),
                "lead_time_days": 0,
                "host_gap_days": draw(st.integers(1, 7)),
            },
            "weights": {
                name: draw(st.integers(0, 20))
                for name in ("match", "coverage", "spread", "preferred_month", "balance")
            },
        },
    )
    if draw(st.booleans()):
        data["slots"] = [
            {"id": "morning", "start": "09:00", "end": "12:00"},
            {"id": "afternoon", "start": "13:00", "end": "16:00"},
        ]
    if len(codes) >= 2 and draw(st.booleans()):
        data["groups"] = [{"id": "duo", "name": "Duo", "members": codes[:2]}]
    data["hybrids"] = [
        {"id": f"h{k}", "host": draw(st.sampled_from(["vinnova", "tva"])), "topic": f"Hybrid {k}"}
        for k in range(draw(st.integers(0, 2)))
    ]
    if draw(st.booleans()):
        data["learning_meeting"] = {"host": "vinnova"}
    if draw(st.booleans()):
        data["network"] = {
            "host": "tva",
            "dates": sorted(
                draw(
                    st.lists(
                        st.sampled_from(["2027-09-21", "2027-09-28", "2027-09-30"]),
                        min_size=1,
                        max_size=2,
                        unique=True,
                    )
                )
            ),
            "followup_weeks": draw(st.sampled_from([None, 1])),
        }
    return data


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_every_returned_plan_passes_the_checker(data: dict[str, Any]) -> None:
    sc = from_data(data, "random.yaml")
    plan = solve_checked(sc, time_limit=10, workers=1)  # asserts checker + objective
    assert plan.status in ("OPTIMAL", "FEASIBLE", "INFEASIBLE")
    if plan.found:
        assert Plan.from_json(plan.to_json()) == plan


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), st.sampled_from(["2027-09-13", "2027-09-20", "2027-09-27"]), st.sampled_from(WEEKS))
def test_replanned_years_keep_every_rule_and_every_frozen_session(
    data: dict[str, Any], frozen_until: str, blackout: str
) -> None:
    # Solve, then replan a changed year (a new blackout week) keeping everything before the
    # freeze date: the new plan passes the checker of the changed scenario wherever the
    # frozen part itself still does, and frozen sessions are byte-identical.
    import datetime as dt
    import json

    from arshjul.check import check
    from arshjul.replan import replan

    sc = from_data(data, "random.yaml")
    before = solve_checked(sc, time_limit=10, workers=1)
    if not before.found:
        return
    changed = from_data(merge(data, **{"calendar.blackouts": [blackout]}), "random.yaml")
    cut = dt.date.fromisoformat(frozen_until)
    result = replan(changed, before, frozen_until=cut, time_limit=10, explain=False)
    if not result.plan.found:
        assert result.plan.status in ("INFEASIBLE", "UNKNOWN")
        return
    event(f"{len(result.frozen)} frozen" if result.frozen else "nothing frozen")
    report = check(result.instance, result.plan)
    assert report.ok, report.violations
    old = {s.id: s for s in before.sessions}
    for sid in result.frozen:
        new = result.plan.session(sid)
        assert json.dumps(new.__dict__, default=str) == json.dumps(old[sid].__dict__, default=str)
