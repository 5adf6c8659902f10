"""One tiny scenario per rule, each with its optimum worked out by hand in a comment.

The base (see conftest) is four working weeks of September 2027 — 20 meeting days, one
morning slot each, day indices 0 (Mon 6 Sep) to 25 (Fri 1 Oct) — with every rule slack and
every objective weight 0, so each test switches on exactly what it studies.
"""

from __future__ import annotations

import datetime as dt

from arshjul.check import check
from arshjul.instance import build_instance
from conftest import scenario, solve_checked

THEME = {"id": "halsa", "name": "Hållbar precisionshälsa"}


def theme(**kw: object) -> dict[str, object]:
    return {**THEME, **kw}


def hybrids(n: int, **kw: object) -> list[dict[str, object]]:
    return [{"id": f"h{k}", "host": "vinnova", "topic": f"Hybrid {k}", **kw} for k in range(1, n + 1)]


# -- objective terms -------------------------------------------------------------------------


def test_match_keeps_the_heaviest_interests() -> None:
    # 3 interested regions of weight 1, 2, 3; only 2 presenters fit → the weight-1 region
    # stays out: match = 1 × weight 10 = 10.
    sc = scenario(
        **{
            "weights.match": 10,
            "hosts": [
                {
                    "id": "vinnova",
                    "name": "Vinnova",
                    "themes": [
                        theme(
                            max_presenters=2,
                            interested=[
                                {"region": "SE-E", "weight": 1},
                                {"region": "SE-M", "weight": 2},
                                {"region": "SE-I", "weight": 3},
                            ],
                        )
                    ],
                }
            ],
        }
    )
    plan = solve_checked(sc)
    assert plan.status == "OPTIMAL"
    assert plan.objective == 10
    (dialog,) = plan.sessions
    assert set(dialog.presenting_regions) == {"SE-M", "SE-I"}


def test_coverage_counts_regions_that_present_nowhere() -> None:
    # One theme, all three regions interested, room for 2 → one region uncovered: 1 × 40.
    sc = scenario(
        **{
            "weights.coverage": 40,
            "hosts": [{"id": "vinnova", "name": "Vinnova", "themes": [theme(max_presenters=2)]}],
        }
    )
    plan = solve_checked(sc)
    assert plan.objective == 40
    assert plan.terms == {"match": 0, "coverage": 40, "spread": 0, "preferred_month": 0, "balance": 0}


def test_spread_is_the_busiest_month() -> None:
    # Period September–October, three hybrids: the best split is 2 + 1 → peak 2 × weight 5.
    sc = scenario(
        **{
            "period.end": "2027-10-29",
            "weights.spread": 5,
            "hybrids": hybrids(3),
        }
    )
    plan = solve_checked(sc)
    assert plan.objective == 10
    months = sorted(s.date.month for s in plan.sessions)
    assert months in ([9, 9, 10], [9, 10, 10])


def test_preferred_month_missed_when_the_window_forbids_it() -> None:
    # Preferred October, but the theme's window is September only → 1 dialog outside × 20.
    sc = scenario(
        **{
            "period.end": "2027-10-29",
            "weights.preferred_month": 20,
            "hosts": [
                {
                    "id": "vinnova",
                    "name": "Vinnova",
                    "themes": [theme(preferred_months=[10], window="2027-09-06..2027-09-30")],
                }
            ],
        }
    )
    plan = solve_checked(sc)
    assert plan.objective == 20
    assert plan.sessions[0].date.month == 9


def test_preferred_month_met_when_possible() -> None:
    sc = scenario(
        **{
            "period.end": "2027-10-29",
            "weights.preferred_month": 20,
            "hosts": [{"id": "vinnova", "name": "Vinnova", "themes": [theme(preferred_months=[10])]}],
        }
    )
    plan = solve_checked(sc)
    assert plan.objective == 0
    assert plan.sessions[0].date.month == 10


def test_balance_between_fullest_and_emptiest_dialog() -> None:
    # Two themes, all 3 regions interested in both (6 interest pairs), but each region may
    # present once: 3 presentations → match 3 unmet × 10 = 30; split 2 + 1 → balance 1 × 3.
    # Total 33.
    sc = scenario(
        **{
            "weights.match": 10,
            "weights.balance": 3,
            "limits.max_presentations": 1,
            "hosts": [
                {
                    "id": "vinnova",
                    "name": "Vinnova",
                    "themes": [theme(), {"id": "industri", "name": "Hållbar industri"}],
                }
            ],
        }
    )
    plan = solve_checked(sc)
    assert plan.objective == 33
    assert sorted(len(s.presentations) for s in plan.sessions) == [1, 2]


# -- hard rules ------------------------------------------------------------------------------


def test_region_invitation_cap() -> None:
    # Three hybrids inviting everyone, window 14 days.  With at most 1 per window they need
    # days 0, 14, 28 — but the period ends on day 25 → infeasible.  With 2 it fits.
    tight = scenario(**{"limits.window_days": 14, "limits.window_max": 1, "hybrids": hybrids(3)})
    assert solve_checked(tight).status == "INFEASIBLE"
    loose = scenario(**{"limits.window_days": 14, "limits.window_max": 2, "hybrids": hybrids(3)})
    plan = solve_checked(loose)
    assert plan.found
    assert max(load.worst_window for load in plan.load()) <= 2


def test_region_daily_cap() -> None:
    # Two hosts each hold a hybrid on the only open day (window = one Wednesday), morning
    # and afternoon slots: with daily_max 1 no region can take both → infeasible.
    two_hosts = [{"id": "vinnova", "name": "Vinnova"}, {"id": "tva", "name": "Tillväxtverket"}]
    slots = [
        {"id": "morning", "start": "09:00", "end": "12:00"},
        {"id": "afternoon", "start": "13:00", "end": "16:00"},
    ]
    sessions = [
        {"id": "a", "host": "vinnova", "topic": "A", "window": "2027-09-08"},
        {"id": "b", "host": "tva", "topic": "B", "window": "2027-09-08"},
    ]
    one = scenario(**{"hosts": two_hosts, "slots": slots, "hybrids": sessions, "limits.daily_max": 1})
    assert solve_checked(one).status == "INFEASIBLE"
    two = scenario(**{"hosts": two_hosts, "slots": slots, "hybrids": sessions, "limits.daily_max": 2})
    plan = solve_checked(two)
    assert {s.slot for s in plan.sessions} == {"morning", "afternoon"}


def test_region_presentation_cap() -> None:
    # Östergötland is the only one interested in two themes but may present once:
    # one interest unmet → match 1 × 10.
    themes = [theme(interested=["SE-E"]), {"id": "industri", "name": "Industri", "interested": ["SE-E"]}]
    sc = scenario(
        **{
            "weights.match": 10,
            "limits.max_presentations": 1,
            "hosts": [
                {"id": "vinnova", "name": "Vinnova", "themes": [{**t, "min_presenters": 0} for t in themes]}
            ],
        }
    )
    plan = solve_checked(sc)
    assert plan.objective == 10
    assert sum(len(s.presentations) for s in plan.sessions) == 1


def test_region_presentation_gap() -> None:
    # Two themes both wanting Östergötland; 30 days between its presentations cannot fit in
    # a 26-day period → it presents once: match 10.  With 14 days it presents twice: 0.
    themes = [
        {**theme(interested=["SE-E"]), "min_presenters": 0},
        {"id": "industri", "name": "Industri", "interested": ["SE-E"], "min_presenters": 0},
    ]
    hosts = [{"id": "vinnova", "name": "Vinnova", "themes": themes}]
    far = scenario(**{"weights.match": 10, "limits.presentation_gap_days": 30, "hosts": hosts})
    assert solve_checked(far).objective == 10
    near = scenario(**{"weights.match": 10, "limits.presentation_gap_days": 14, "hosts": hosts})
    plan = solve_checked(near)
    assert plan.objective == 0
    d1, d2 = sorted(s.date for s in plan.sessions)
    assert (d2 - d1).days >= 14


def test_presenter_available() -> None:
    # Gotland is away all of weeks 36-37; the theme is forbidden weeks 38-39 → Gotland cannot
    # present: match = its weight 5 × 10 = 50, the others present.
    sc = scenario(
        **{
            "weights.match": 10,
            "regions": [
                {"code": "SE-E", "name": "Region Östergötland"},
                {"code": "SE-I", "name": "Region Gotland", "unavailable": ["2027-W36..2027-W37"]},
            ],
            "hosts": [
                {
                    "id": "vinnova",
                    "name": "Vinnova",
                    "themes": [
                        theme(
                            forbidden=["2027-W38..2027-W39"],
                            interested=["SE-E", {"region": "SE-I", "weight": 5}],
                        )
                    ],
                }
            ],
        }
    )
    plan = solve_checked(sc)
    assert plan.objective == 50
    assert plan.sessions[0].presenting_regions == ("SE-E",)


def test_host_tempo() -> None:
    # Sessions 7 days apart: four fit (days 0, 7, 14, 21 ≤ 25), five do not (28 > 25).
    assert solve_checked(scenario(**{"limits.host_gap_days": 7, "hybrids": hybrids(4)})).found
    assert (
        solve_checked(scenario(**{"limits.host_gap_days": 7, "hybrids": hybrids(5)})).status == "INFEASIBLE"
    )


def test_learning_first() -> None:
    # The learning meeting's window is the last week; a dialog must follow it by 7 days →
    # infeasible.  Opening the learning window to the first week makes it fit.
    hosts = [{"id": "vinnova", "name": "Vinnova", "themes": [theme()]}]
    late = scenario(**{"hosts": hosts, "learning_meeting": {"host": "vinnova", "window": "2027-W39"}})
    assert solve_checked(late).status == "INFEASIBLE"
    early = scenario(**{"hosts": hosts, "learning_meeting": {"host": "vinnova", "window": "2027-W36"}})
    plan = solve_checked(early)
    learning = next(s for s in plan.sessions if s.kind == "learning")
    dialog = next(s for s in plan.sessions if s.kind == "dialog")
    assert (dialog.date - learning.date).days >= 7


def test_dialog_followup_goes_on_the_first_network_meeting_late_enough() -> None:
    # Network meetings on 14 and 28 Sep; follow-up 2 weeks after → the dialog must be on or
    # before 14 Sep, and is followed up on the first meeting at least 14 days later.
    sc = scenario(
        **{
            "hosts": [{"id": "vinnova", "name": "Vinnova", "themes": [theme()]}],
            "network": {"host": "vinnova", "dates": ["2027-09-14", "2027-09-28"], "followup_weeks": 2},
        }
    )
    plan = solve_checked(sc)
    dialog = next(s for s in plan.sessions if s.kind == "dialog")
    assert dialog.date <= dt.date(2027, 9, 14)
    target = plan.session(dialog.followup_on or "")
    assert (target.date - dialog.date).days >= 14
    assert dialog.id in target.followups
    assert all(
        (n.date - dialog.date).days < 14
        for n in plan.sessions
        if n.kind == "network" and n.date < target.date
    )


def test_joint_group_presents_in_one_slot() -> None:
    # Room for one presenter; Östergötland and Skåne both interested (weight 1 each) and they
    # form a group → the group takes the one slot and meets both interests: match 0.
    sc = scenario(
        **{
            "weights.match": 10,
            "groups": [{"id": "duo", "name": "Duo", "members": ["SE-E", "SE-M"]}],
            "hosts": [
                {
                    "id": "vinnova",
                    "name": "Vinnova",
                    "themes": [theme(max_presenters=1, interested=["SE-E", "SE-M"])],
                }
            ],
        }
    )
    plan = solve_checked(sc)
    assert plan.objective == 0
    (dialog,) = plan.sessions
    assert [p.presenter for p in dialog.presentations] == ["duo"]
    assert dialog.presenting_regions == ("SE-E", "SE-M")


def test_dialog_max_presenters_by_slot_length() -> None:
    # A 60-minute slot: 10 min host + 10 min each → 5 presenters fit, though max is 9.
    # 7 interested (weight 1) → 2 unmet → match 20.
    regions = [{"code": f"SE-{c}", "name": f"Region {c}"} for c in "CDEFGHI"]
    sc = scenario(
        **{
            "weights.match": 10,
            "slots": [{"id": "morning", "start": "09:00", "end": "10:00"}],
            "regions": regions,
            "hosts": [{"id": "vinnova", "name": "Vinnova", "themes": [theme()]}],
        }
    )
    plan = solve_checked(sc)
    assert plan.objective == 20
    (dialog,) = plan.sessions
    assert len(dialog.presentations) == 5
    assert dialog.end.hour == 10 and dialog.end.minute == 0


def test_dialog_min_presenters() -> None:
    # Three regions exist, the theme wants at least 4 presenters → infeasible.
    sc = scenario(**{"hosts": [{"id": "vinnova", "name": "Vinnova", "themes": [theme(min_presenters=4)]}]})
    assert solve_checked(sc).status == "INFEASIBLE"


def test_calendar_and_forbidden_periods_are_never_used() -> None:
    # Only Mon 27 Sep–Fri 1 Oct is not forbidden; weekends are closed → a weekday of week 39.
    sc = scenario(
        **{
            "hosts": [
                {"id": "vinnova", "name": "Vinnova", "themes": [theme(forbidden=["2027-09-01..2027-09-26"])]}
            ]
        }
    )
    plan = solve_checked(sc)
    d = plan.sessions[0].date
    assert dt.date(2027, 9, 27) <= d <= dt.date(2027, 10, 1)


def test_swedish_holidays_and_half_days() -> None:
    # Midsummer week 2027: Thu 24 Jun is a half day (afternoon closed), Fri 25 Jun is
    # Midsommarafton.  A hybrid in the afternoon slot with a window of those two days has no
    # open slot → infeasible; in the morning slot it lands on Thursday.
    slots = [
        {"id": "morning", "start": "09:00", "end": "12:00"},
        {"id": "afternoon", "start": "13:00", "end": "16:00"},
    ]
    common = {"period.start": "2027-06-01", "period.end": "2027-06-30", "slots": slots}
    pm = scenario(**common, hybrids=hybrids(1, window="2027-06-24..2027-06-25", slots=["afternoon"]))
    assert solve_checked(pm).status == "INFEASIBLE"
    am = scenario(**common, hybrids=hybrids(1, window="2027-06-24..2027-06-25", slots=["morning"]))
    plan = solve_checked(am)
    assert plan.sessions[0].date == dt.date(2027, 6, 24)
    assert plan.sessions[0].slot == "morning"


# -- away vs cannot present ------------------------------------------------------------------


def _capped_gotland(**gotland: object) -> dict[str, object]:
    """Three hybrids inviting everyone; the third only on Wed 15 Sep.  Gotland may have at
    most 2 invitations in 28 days (the whole 26-day period is one window); the others are
    slack."""
    return {
        "hybrids": [
            *hybrids(2),
            {"id": "h3", "host": "vinnova", "topic": "Hybrid 3", "window": "2027-09-15"},
        ],
        "regions": [
            {"code": "SE-E", "name": "Region Östergötland"},
            {"code": "SE-M", "name": "Region Skåne"},
            {"code": "SE-I", "name": "Region Gotland", "limits": {"window_max": 2}, **gotland},
        ],
    }


def test_away_on_the_only_day_over_the_cap_makes_a_plan() -> None:
    # Three sessions invite Gotland, it may have 2: infeasible.  Away on 15 Sep, the day h3
    # must be held, h3 does not invite it: 2 invitations, a plan (objective 0: no weights).
    assert solve_checked(scenario(**_capped_gotland())).status == "INFEASIBLE"
    plan = solve_checked(scenario(**_capped_gotland(away=["2027-09-15"])))
    assert plan.status == "OPTIMAL" and plan.objective == 0
    h3 = plan.session("vinnova.hybrid.h3")
    assert h3.date == dt.date(2027, 9, 15)
    assert h3.invited == ("SE-E", "SE-M")  # not invited, so no calendar entry for it
    assert sorted(s.id for s in plan.sessions_for("SE-I")) == ["vinnova.hybrid.h1", "vinnova.hybrid.h2"]
    assert next(load for load in plan.load() if load.code == "SE-I").worst_window == 2


def test_unavailable_is_the_old_name_of_away() -> None:
    plan = solve_checked(scenario(**_capped_gotland(unavailable=["2027-09-15"])))
    assert plan.found
    assert "SE-I" not in plan.session("vinnova.hybrid.h3").invited


def test_a_region_that_cannot_present_still_counts_as_invited() -> None:
    # Cannot present on 15 Sep, but may listen: h3 still invites Gotland → 3 invitations
    # against its cap of 2 → infeasible.
    assert solve_checked(scenario(**_capped_gotland(cannot_present=["2027-09-15"]))).status == "INFEASIBLE"


def _one_day_dialog(**gotland: object) -> dict[str, object]:
    return {
        "weights.match": 10,
        "regions": [
            {"code": "SE-E", "name": "Region Östergötland"},
            {"code": "SE-I", "name": "Region Gotland", **gotland},
        ],
        "hosts": [
            {
                "id": "vinnova",
                "name": "Vinnova",
                "themes": [theme(window="2027-09-15", interested=["SE-E", {"region": "SE-I", "weight": 5}])],
            }
        ],
    }


def test_cannot_present_listens_and_away_is_not_invited() -> None:
    # The dialog can only be on 15 Sep.  Gotland (weight 5) cannot present that day either
    # way: match = 5 × 10 = 50.  Unable to present, it is invited to listen; away, it is not.
    listening = solve_checked(scenario(**_one_day_dialog(cannot_present=["2027-09-15"])))
    assert listening.objective == 50
    (dialog,) = listening.sessions
    assert dialog.presenting_regions == ("SE-E",) and dialog.invited == ("SE-E", "SE-I")
    away = solve_checked(scenario(**_one_day_dialog(away=["2027-09-15"])))
    assert away.objective == 50
    (dialog,) = away.sessions
    assert dialog.presenting_regions == ("SE-E",) and dialog.invited == ("SE-E",)


def test_the_checker_counts_away_days_on_its_own() -> None:
    # The plan made with Gotland away on 15 Sep, judged against the year where it only cannot
    # present that day: h3 should have invited it (session_invited) and 3 invitations break
    # its cap of 2 (region_invitation_cap).
    plan = solve_checked(scenario(**_capped_gotland(away=["2027-09-15"])))
    listening = build_instance(scenario(**_capped_gotland(cannot_present=["2027-09-15"])))
    found = {(v.rule, v.subject) for v in check(listening, plan).violations}
    assert found == {("session_invited", "vinnova.hybrid.h3"), ("region_invitation_cap", "SE-I")}
