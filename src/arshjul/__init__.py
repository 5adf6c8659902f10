"""arshjul: a year of strategic quick dialogs, planned with CP-SAT, delivered as calendars.

import arshjul
scenario = arshjul.load_scenario("scenarios/sweden-2027.yaml")
plan = arshjul.solve(scenario, time_limit=30)
print(plan.status, plan.objective)

Every public name is loaded on first use (PEP 562 ``__getattr__``): ``import arshjul`` costs
nothing, ``arshjul.Plan`` loads the plan model, and only ``arshjul.solve`` and
``arshjul.check_plan`` load the solver (OR-Tools).  ``from arshjul import solve`` works as
always; the ``TYPE_CHECKING`` imports below let mypy and IDEs see every name.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .api import check_plan, solve
    from .changes import ChangeWeights
    from .check import CheckReport, Violation
    from .errors import PlanFileError, ScenarioError
    from .instance import Instance, build_instance
    from .options import Progress, SolveOptions, SolveStatus
    from .plan import Plan, Presentation, Session
    from .scenario import Scenario, bundled
    from .scenario import load as load_scenario
    from .variants import variant

__version__ = "0.1.0"

_WHERE: dict[str, tuple[str, str]] = {
    "check_plan": ("api", "check_plan"),  # loads the solver
    "solve": ("api", "solve"),  # loads the solver
    "ChangeWeights": ("changes", "ChangeWeights"),
    "CheckReport": ("check", "CheckReport"),
    "Violation": ("check", "Violation"),
    "PlanFileError": ("errors", "PlanFileError"),
    "ScenarioError": ("errors", "ScenarioError"),
    "Instance": ("instance", "Instance"),
    "build_instance": ("instance", "build_instance"),
    "Progress": ("options", "Progress"),
    "SolveOptions": ("options", "SolveOptions"),
    "SolveStatus": ("options", "SolveStatus"),
    "Plan": ("plan", "Plan"),
    "Presentation": ("plan", "Presentation"),
    "Session": ("plan", "Session"),
    "Scenario": ("scenario", "Scenario"),
    "bundled": ("scenario", "bundled"),
    "load_scenario": ("scenario", "load"),
    "variant": ("variants", "variant"),
}
"""Public name → (module of this package, attribute): where ``__getattr__`` finds it."""

__all__ = [
    "ChangeWeights",
    "CheckReport",
    "Instance",
    "Plan",
    "PlanFileError",
    "Presentation",
    "Progress",
    "Scenario",
    "ScenarioError",
    "Session",
    "SolveOptions",
    "SolveStatus",
    "Violation",
    "build_instance",
    "bundled",
    "check_plan",
    "load_scenario",
    "solve",
    "variant",
]


def __getattr__(name: str) -> Any:
    """Load a public name on first use (and keep it, so the next use is a plain lookup)."""
    try:
        module, attribute = _WHERE[name]
    except KeyError:
        raise AttributeError(f"module 'arshjul' has no attribute '{name}'") from None
    value = getattr(importlib.import_module(f".{module}", __name__), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
