"""arshjul: a year of strategic quick dialogs, planned with CP-SAT, delivered as calendars.

import arshjul
scenario = arshjul.load_scenario("scenarios/sweden-2027.yaml")
plan = arshjul.solve(scenario, time_limit=30)
print(plan.status, plan.objective)
"""

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
