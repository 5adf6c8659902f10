"""The rule catalogue (arshjul.rules) is the one home of every rule's name: each part of the
library that names rules — the instance's rule keys, the constraint registry, the checker,
the objective, the greedy, the explanations' sentences and the README — names only rules the
catalogue holds, and none forgets a rule it owes something (by kind, as the catalogue says).
"""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
import re
import types
import typing
from typing import Any

import click
import pytest
from pydantic import BaseModel

import arshjul
from arshjul import check, greedy, rules
from arshjul.cli import every_command
from arshjul.cpsat import constraints, objective
from arshjul.cpsat.conflicts import model_all_switchable, model_with_hard_closures
from arshjul.explain import DESCRIBERS, RULE_TEXT
from arshjul.greedy import greedy_assignment
from arshjul.instance import Instance, build_instance
from arshjul.plan import Plan
from arshjul.realize import to_plan
from arshjul.replan import freeze
from arshjul.scenario import Scenario, Slot
from conftest import ROOT, SCENARIOS

SRC = ROOT / "src" / "arshjul"


# -- the catalogue itself --------------------------------------------------------------------


def test_the_catalogue_is_pure_data() -> None:
    tree = ast.parse((SRC / "rules.py").read_text())
    imported = {
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert imported <= {"__future__", "collections.abc", "dataclasses", "enum", "types", "typing"}


def test_every_entry_has_a_name_a_kind_and_a_sentence() -> None:
    assert len(rules.RULES) == len(rules.HARD) + len(rules.TERMS) + len(rules.CHANGE_TERMS)
    for name, rule in rules.RULES.items():
        assert rule.name == name and re.fullmatch(r"[a-z]+(_[a-z]+)*", name)
        assert rule.text and rule.text == rules.rule_text(name)
        assert rule.hard == (rule.kind not in (rules.Kind.TERM, rules.Kind.CHANGE_TERM))
        assert not rule.modelled or rule.hard
        if rule.kind is rules.Kind.TERM:
            assert f"weights.{name}" in rule.fields
    assert rules.rule_text("no_such_rule") == "no such rule"


def test_every_name_has_its_constant_and_every_constant_its_entry() -> None:
    constants = {
        key: value
        for key, value in vars(rules).items()
        if key.isupper() and isinstance(value, str) and not key.startswith("_")
    }
    assert set(constants.values()) == set(rules.RULES)
    assert all(constants[name.upper()] == name for name in rules.RULES)


def test_kinds_and_counts() -> None:
    kinds = {kind: rules.of_kind(kind) for kind in rules.Kind}
    assert {k: len(v) for k, v in kinds.items()} == {
        rules.Kind.CLOSES_SLOTS: 14,
        rules.Kind.COUNTED: 13,
        rules.Kind.STRUCTURAL: 4,
        rules.Kind.TERM: 5,
        rules.Kind.CHANGE_TERM: 3,
    }
    assert kinds[rules.Kind.STRUCTURAL] == (
        rules.SESSION_ONCE,
        rules.PRESENTER_ELIGIBLE,
        rules.SESSION_INVITED,
        rules.RUNNING_ORDER,
    )
    assert kinds[rules.Kind.CLOSES_SLOTS] == rules.CLOSING
    assert "dialog_order" not in rules.RULES  # symmetry breaking, not a rule
    modelled = {r.name for r in rules.RULES.values() if r.modelled}
    assert modelled == set(rules.CLOSING) | set(kinds[rules.Kind.COUNTED])


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _is_list(annotation: Any) -> bool:
    if typing.get_origin(annotation) is list:
        return True
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return any(_is_list(arg) for arg in typing.get_args(annotation))
    return False


def _resolves(path: str) -> bool:
    """``hosts[].themes[].slots`` names a field of the scenario (``[]``: into any item of a
    list; a path may end on a list)."""
    model: type[BaseModel] | None = Scenario
    parts = path.split(".")
    for k, part in enumerate(parts):
        name = part.removesuffix("[]")
        if model is None or name not in model.model_fields:
            return False
        annotation = model.model_fields[name].annotation
        into = part.endswith("[]") or k < len(parts) - 1
        if into and part.endswith("[]") != _is_list(annotation):
            return False
        model = _model_in(annotation)
    return True


def test_every_field_that_sets_a_rule_is_a_scenario_field() -> None:
    assert _resolves("regions[].limits.window_max") and not _resolves("regions.limits.window_max")
    assert not _resolves("limits.window_maximum") and not _resolves("limits[].window_max")
    for rule in rules.RULES.values():
        for path in rule.fields:
            assert _resolves(path), f"{rule.name}: {path}"


def test_every_option_that_sets_a_rule_is_a_command_line_option() -> None:
    options = {
        opt
        for command in every_command().values()
        for param in command.params
        if isinstance(param, click.Option)
        for opt in param.opts
    }
    for rule in rules.RULES.values():
        assert set(rule.options) <= options, rule.name
        assert rule.fields or rule.options or rule.hard, rule.name


# -- the parts that name rules ------------------------------------------------------------------


def test_the_constraint_registry_names_catalogue_rules_and_forgets_none_the_model_owes() -> None:
    names = set(constraints.CONSTRAINTS)
    assert names <= set(rules.HARD)
    assert {r.name for r in rules.HARD.values() if r.modelled} <= names
    for name, build in constraints.CONSTRAINTS.items():
        if rules.RULES[name].kind is rules.Kind.CLOSES_SLOTS:
            assert build == constraints.ClosedSlots(frozenset({name}))
        else:
            assert getattr(build, "__name__", None) == name
    assert not hasattr(constraints, "RULES") and not hasattr(constraints, "LinearTerms")


def test_the_checker_checks_every_hard_rule_under_its_name() -> None:
    assert set(check.CHECKS) == set(rules.HARD)
    for name, parts in check.CHECKS.items():
        assert parts and all(part.rule == name and part.run.__name__ == name for part in parts)
        assert len({part.over for part in parts}) == len(parts)
        assert all(part.over in check.PASSES for part in parts)


def test_objective_terms_are_the_catalogues() -> None:
    assert tuple(objective.TERMS) == tuple(rules.TERMS)
    assert tuple(check.SCORES) == tuple(rules.TERMS) == check.TERM_NAMES
    for name in rules.TERMS:
        assert objective.TERMS[name].__name__ == check.SCORES[name].__name__ == name


def test_the_explanations_sentences_are_for_catalogue_rules() -> None:
    assert dict(RULE_TEXT) == {name: r.text for name, r in rules.HARD.items()}


def test_every_switchable_rule_is_described_in_the_scenarios_words() -> None:
    """A rule that can be named in a conflict has a describer of its name in explain; the
    structural rules are never in a conflict and fall back to their sentence."""
    switchable = {name for name, r in rules.HARD.items() if r.switchable}
    assert set(DESCRIBERS) <= set(rules.HARD)
    # replanning's two closing rules are said by replan's own report, not by explain
    assert switchable - set(DESCRIBERS) == {rules.SESSION_FROZEN, rules.REPLAN_FROZEN_UNTIL}


def _returned_rules(path: str) -> set[str]:
    """Names of the catalogue constants a module returns (``return rules.HOST_TEMPO``)."""
    tree = ast.parse((SRC / path).read_text())
    return {
        getattr(rules, node.value.attr)
        for node in ast.walk(tree)
        if isinstance(node, ast.Return)
        and isinstance(node.value, ast.Attribute)
        and isinstance(node.value.value, ast.Name)
        and node.value.value.id == "rules"
    }


def test_the_greedys_tests_name_catalogue_rules() -> None:
    assert set(greedy.TESTED) <= set(rules.HARD)
    assert _returned_rules("greedy.py") == set(greedy.TESTED)


def test_the_readme_lists_the_catalogue() -> None:
    text = (ROOT / "README.md").read_text()
    section = text[text.index("### The rules, by name") :]
    section = section[: section.index("\n## ")]

    def row(r: rules.Rule) -> str:
        set_by = ", ".join(f"`{f}`" for f in (*r.fields, *r.options)) or "built in"
        return f"| `{r.name}` | {r.kind.value.replace('_', ' ')} | {r.text} | {set_by} |"

    listed = [line for line in section.splitlines() if line.startswith("| `")]
    assert listed == [row(r) for r in rules.RULES.values()]


# -- rule keys in instances and models -------------------------------------------------------------


APRIL = dt.date(2027, 4, 1)


@pytest.fixture(scope="module")
def previous() -> tuple[Instance, Plan]:
    """The Sweden year and its greedy plan (it keeps every rule, see test_greedy)."""
    inst = build_instance(arshjul.load_scenario(SCENARIOS / "sweden-2027.yaml"))
    return inst, to_plan(inst, greedy_assignment(inst), status="FEASIBLE")


@pytest.fixture(scope="module")
def replanned(previous: tuple[Instance, Plan]) -> Instance:
    """The May replanning with every closing rule at work: a slot of the day too short for a
    hybrid, a theme held mornings only, the sessions of the previous plan before April
    frozen."""
    sc = arshjul.load_scenario(SCENARIOS / "replan-may-2027.yaml")
    sc.slots = [*sc.slots, Slot(id="kort", start=dt.time(16, 15), end=dt.time(17, 0))]
    sc.hosts[0].themes[0].slots = ["morning"]
    return freeze(build_instance(sc), previous[1], frozen_until=APRIL).instance


def test_every_closing_key_is_a_closing_rule_written_in_catalogue_order(replanned: Instance) -> None:
    # the checker reports a slot's closing rules in catalogue order: the instance's order
    inst = replanned
    order = {name: k for k, name in enumerate(rules.CLOSING)}
    seen: set[str] = set()
    for s in inst.sessions:
        for keys in s.exclusions.values():
            names = [rule for rule, _ in keys]
            assert set(names) <= set(rules.CLOSING)
            assert names == sorted(names, key=order.__getitem__), (s.id, keys)
            seen |= set(names)
    assert seen == set(rules.CLOSING)


def test_switches_are_for_rules_that_may_be_named_in_a_conflict(replanned: Instance) -> None:
    inst = replanned
    named: set[str] = set()
    for m in (model_with_hard_closures(inst), model_all_switchable(inst)):
        named |= {rule for rule, _ in m.switches}
    assert all(rules.RULES[name].switchable for name in named)
    assert named >= {rules.SESSION_FROZEN, rules.SESSION_PINNED, rules.HOST_TEMPO, rules.CALENDAR_WEEKDAY}


def test_violations_are_named_by_catalogue_rules(previous: tuple[Instance, Plan]) -> None:
    year, plan = previous
    inst = freeze(year, plan, frozen_until=APRIL).instance
    assert check.check(inst, plan).violations == []
    first = plan.sessions[0]  # frozen: moved a week, it breaks its freeze (and more)
    week = dt.timedelta(days=7)
    moved = dataclasses.replace(first, date=first.date + week, start=first.start + week, end=first.end + week)
    broken = dataclasses.replace(plan, sessions=[moved, *plan.sessions[2:], plan.sessions[2]])
    names = {v.rule for v in check.check(inst, broken).violations}
    assert {rules.SESSION_ONCE, rules.SESSION_FROZEN} <= names <= set(rules.HARD)
