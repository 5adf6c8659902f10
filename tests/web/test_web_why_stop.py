"""``why_not``'s stop, under the why page: set before it starts, nothing is solved and the
answer says it was stopped (a stop during the ways out: test_web_planner's why test)."""

from __future__ import annotations

import threading

import arshjul
from arshjul.web import library as lib


def _no_plan() -> lib.Scenario:
    """The bundled year with Gotland's invitation cap at 0: no plan."""
    data = arshjul.load_scenario(arshjul.bundled("sweden-2027")).model_dump(mode="json", by_alias=True)
    for region in data["regions"]:
        if region["code"] == "SE-I":
            region.setdefault("limits", {})
            region["limits"] = {**(region["limits"] or {}), "window_max": 0}
    return lib.scenario_from_data(data, "no-plan.yaml")


def test_a_stop_set_first_solves_nothing() -> None:
    stop = threading.Event()
    stop.set()
    heard: list[tuple[str, int, int, int]] = []
    conflict = lib.why_not(_no_plan(), stop=stop, progress=lambda *p: heard.append(p))
    assert conflict.stopped and conflict.status == "UNKNOWN"
    assert conflict.rules == [] and conflict.fixes == []
    assert heard == [("conflict", 0, 0, 0)]
