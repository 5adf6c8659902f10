"""Fuzzing the readers: whatever the input, the only error is the documented one-line error,
and an INFEASIBLE answer on tiny scenarios is confirmed by brute force."""

from __future__ import annotations

import copy
import itertools
import json
from typing import Any

import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import arshjul
from arshjul.check import check
from arshjul.errors import PlanFileError, ScenarioError
from arshjul.instance import Assignment, build_instance
from arshjul.plan import Plan
from arshjul.realize import to_plan
from arshjul.scenario import from_data, parse_yaml
from conftest import base, merge
from plans import sample_plan

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

VALID: dict[str, Any] = merge(
    base(),
    **{
        "hosts": [{"id": "vinnova", "name": "Vinnova", "themes": [{"id": "halsa", "name": "Hälsa"}]}],
        "hybrids": [{"id": "eko", "host": "vinnova", "topic": "Ekosystem", "window": "2027-W37"}],
        "groups": [{"id": "duo", "name": "Duo", "members": ["SE-E", "SE-M"]}],
        "network": {"host": "vinnova", "dates": ["2027-09-28"]},
    },
)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(data, dict):
        for k, v in data.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _paths(v, (*prefix, i))
    return out


def _mutate(data: Any, path: tuple[Any, ...], value: Any, delete: bool) -> Any:
    data = copy.deepcopy(data)
    if not path:
        return value
    node = data
    for key in path[:-1]:
        node = node[key]
    if delete:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return data


def _only_scenario_errors(data: Any) -> None:
    try:
        sc = from_data(data, "fuzz.yaml")
        build_instance(sc)
    except ScenarioError as err:
        assert "\n" not in str(err)
        assert str(err).startswith("fuzz.yaml")


@FUZZ
@given(st.text(max_size=300))
def test_any_text_is_a_scenario_or_one_error_line(text: str) -> None:
    try:
        data = parse_yaml(text, "fuzz.yaml")
    except ScenarioError as err:
        assert "\n" not in str(err)
        return
    _only_scenario_errors(data)


@FUZZ
@given(st.data())
def test_a_valid_scenario_changed_anywhere_is_valid_or_one_error_line(data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(_paths(VALID)))
    delete = bool(path) and data.draw(st.booleans())
    value = data.draw(json_values)
    _only_scenario_errors(_mutate(VALID, path, value, delete))


PLAN_JSON = json.loads(sample_plan().to_json())


@FUZZ
@given(st.data())
def test_a_plan_file_changed_anywhere_reads_back_or_is_one_error_line(data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(_paths(PLAN_JSON)))
    delete = bool(path) and data.draw(st.booleans())
    changed = _mutate(PLAN_JSON, path, data.draw(json_values), delete)
    try:
        Plan.from_json(json.dumps(changed), source="plan.json")
    except PlanFileError as err:
        assert "\n" not in str(err) and str(err).startswith("plan.json")


@FUZZ
@given(st.binary(max_size=200))
def test_any_bytes_as_plan_json(raw: bytes) -> None:
    try:
        Plan.from_json(raw.decode("utf-8", errors="replace"), source="plan.json")
    except PlanFileError as err:
        assert "\n" not in str(err)


# -- INFEASIBLE is true: brute force on tiny scenarios -----------------------------------------


@st.composite
def tiny(draw: st.DrawFn) -> dict[str, Any]:
    """One week (5 meeting days, one slot), two regions, one or two dialogs and a hybrid at
    most: small enough to try every placement and every presenter set."""
    themes = [
        {
            "id": f"t{k}",
            "name": f"Tema {k}",
            "min_presenters": draw(st.integers(0, 2)),
            "max_presenters": 2,
            "interested": draw(
                st.lists(st.sampled_from(["SE-E", "SE-M"]), min_size=1, max_size=2, unique=True)
            ),
            "forbidden": draw(
                st.lists(st.sampled_from(["2027-09-06", "2027-09-07", "2027-09-08"]), max_size=2)
            ),
        }
        for k in range(draw(st.integers(1, 2)))
    ]
    return merge(
        base(),
        **{
            "period.end": "2027-09-10",
            "regions": [
                {
                    "code": "SE-E",
                    "name": "Region Östergötland",
                    "unavailable": draw(st.lists(st.sampled_from(["2027-09-09", "2027-09-10"]), max_size=1)),
                },
                {"code": "SE-M", "name": "Region Skåne"},
            ],
            "hosts": [{"id": "vinnova", "name": "Vinnova", "themes": themes}],
            "hybrids": [{"id": "h", "host": "vinnova", "topic": "H"}] if draw(st.booleans()) else [],
            "limits": {
                "window_days": draw(st.integers(1, 5)),
                "window_max": draw(st.integers(1, 3)),
                "max_presentations": draw(st.integers(0, 2)),
                "presentation_gap_days": draw(st.integers(0, 3)),
                "lead_time_days": 0,
                "host_gap_days": draw(st.integers(1, 3)),
            },
        },
    )


def _brute_force_feasible(sc: arshjul.Scenario) -> bool:
    inst = build_instance(sc)
    n = len(inst.slots)
    options = [s.candidates(n) for s in inst.sessions]
    teams = [
        [c for k in range(len(s.units) + 1) for c in itertools.combinations(s.units, k)] if s.units else [()]
        for s in inst.sessions
    ]
    for slots in itertools.product(*options):
        for chosen in itertools.product(*teams):
            a = Assignment(
                slot={s.id: t for s, t in zip(inst.sessions, slots, strict=True)},
                presenters={s.id: c for s, c in zip(inst.sessions, chosen, strict=True) if s.units},
            )
            if check(inst, to_plan(inst, a, status="FEASIBLE")).ok:
                return True
    return False


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny())
def test_infeasible_only_when_brute_force_agrees(data: dict[str, Any]) -> None:
    sc = from_data(data, "tiny.yaml")
    plan = arshjul.solve(sc, time_limit=10)
    assert plan.status in ("OPTIMAL", "INFEASIBLE")
    event(plan.status)
    assert (plan.status == "OPTIMAL") == _brute_force_feasible(sc), yaml.safe_dump(data)
