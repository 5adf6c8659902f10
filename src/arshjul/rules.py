"""The rule catalogue: every hard rule and every objective term of a year, declared once.

Each entry has the one name the whole library uses for it — the instance's rule keys, the
CP-SAT constraint (:data:`arshjul.cpsat.constraints.CONSTRAINTS`), the checker's function
(:data:`arshjul.check.CHECKS`), the objective term (:data:`arshjul.cpsat.objective.TERMS`),
the greedy's tests and the explanations — together with its kind, the planner's sentence and
the scenario fields that set it.  Code refers to a name through the constants below
(``rules.REGION_INVITATION_CAP``), so a typo is an error at import, not a silent miss.

Pure data: nothing from arshjul, nothing from OR-Tools.

Kinds of hard rule, and what the other layers owe each kind:

- :attr:`Kind.CLOSES_SLOTS` — closes some slots to a session (a holiday, a window, the lead
  time …).  The instance writes the rule's key into ``SessionSpec.exclusions`` of every slot
  it closes; the model leaves those slots out, or forbids each under the key's switch; the
  checker reports the keys of the slot a session sits in.  They are listed here in the order
  the instance writes them into one slot's exclusions, so the checker reports a slot's
  closing rules in that order too.
- :attr:`Kind.COUNTED` — a constraint over what the plan combines: how many, how far apart,
  who with whom.  The model states it with a switch of its own (so it can be named in a
  conflict), the checker counts it.
- :attr:`Kind.STRUCTURAL` — holds by how a plan is built, never switched off and never part
  of a conflict: each session is one exactly-one over its slots (``session_once``), presenter
  variables exist only for eligible units (``presenter_eligible``), and the running order and
  the invitations are derived from the slot and the presenters (``running_order``,
  ``session_invited``, :mod:`arshjul.realize`).  The model owes them no constraint of their
  name (``session_once`` has one all the same); the checker verifies them, since it also
  judges plans the solver never saw (read back from JSON or edited by hand).

Objective terms are :attr:`Kind.TERM` (the scenario's ``weights.*``) or
:attr:`Kind.CHANGE_TERM` (replanning's change costs, weighted by its command-line options).

Not in the catalogue, because it is not a rule: ``dialog_order``, the symmetry breaking that
numbers a theme's interchangeable dialogs in date order (it excludes no plan up to renaming;
see :func:`arshjul.cpsat.constraints.dialog_order`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final


class Kind(StrEnum):
    """What a catalogue entry is, and so which layers must know it (see the module text)."""

    CLOSES_SLOTS = "closes_slots"
    COUNTED = "counted"
    STRUCTURAL = "structural"
    TERM = "term"
    CHANGE_TERM = "change_term"


@dataclass(frozen=True)
class Rule:
    """One hard rule or objective term."""

    name: str
    kind: Kind
    text: str
    """The planner's sentence: what the rule says, with the field that sets it in brackets."""
    fields: tuple[str, ...] = ()
    """Scenario fields that set it, as dotted paths (``regions[].limits.window_max``: the
    field of any region); empty for a built-in rule."""
    options: tuple[str, ...] = ()
    """Command-line options that set it (replanning's rules and terms)."""

    @property
    def hard(self) -> bool:
        """A rule every plan must keep (not an objective term)."""
        return self.kind in (Kind.CLOSES_SLOTS, Kind.COUNTED, Kind.STRUCTURAL)

    @property
    def modelled(self) -> bool:
        """The CP-SAT model owes it a constraint of its name (structural rules hold by
        construction)."""
        return self.kind in (Kind.CLOSES_SLOTS, Kind.COUNTED)

    @property
    def switchable(self) -> bool:
        """Its instances have switches (``Model.on``) and may be named in a conflict."""
        return self.modelled


# -- the names -------------------------------------------------------------------------------

SESSION_ONCE: Final = "session_once"
CALENDAR_WEEKDAY: Final = "calendar_weekday"
CALENDAR_HOLIDAY: Final = "calendar_holiday"
CALENDAR_BRIDGE_DAY: Final = "calendar_bridge_day"
CALENDAR_BLACKOUT: Final = "calendar_blackout"
CALENDAR_HALF_DAY: Final = "calendar_half_day"
LEAD_TIME: Final = "lead_time"
SESSION_SLOTS: Final = "session_slots"
SESSION_FITS_SLOT: Final = "session_fits_slot"
SESSION_WINDOW: Final = "session_window"
THEME_FORBIDDEN: Final = "theme_forbidden"
DIALOG_FOLLOWUP: Final = "dialog_followup"
NETWORK_FIXED: Final = "network_fixed"
SESSION_FROZEN: Final = "session_frozen"
REPLAN_FROZEN_UNTIL: Final = "replan_frozen_until"
DIALOG_MIN_PRESENTERS: Final = "dialog_min_presenters"
DIALOG_MAX_PRESENTERS: Final = "dialog_max_presenters"
JOINT_PRESENTATION: Final = "joint_presentation"
PRESENTER_AVAILABLE: Final = "presenter_available"
PRESENTER_ELIGIBLE: Final = "presenter_eligible"
REGION_THEME_ONCE: Final = "region_theme_once"
REGION_PRESENTATION_CAP: Final = "region_presentation_cap"
REGION_PRESENTATION_GAP: Final = "region_presentation_gap"
REGION_INVITATION_CAP: Final = "region_invitation_cap"
REGION_DAILY_CAP: Final = "region_daily_cap"
REGION_DOUBLE_BOOKING: Final = "region_double_booking"
HOST_TEMPO: Final = "host_tempo"
LEARNING_FIRST: Final = "learning_first"
SESSION_PINNED: Final = "session_pinned"
SESSION_INVITED: Final = "session_invited"
RUNNING_ORDER: Final = "running_order"

MATCH: Final = "match"
COVERAGE: Final = "coverage"
SPREAD: Final = "spread"
PREFERRED_MONTH: Final = "preferred_month"
BALANCE: Final = "balance"
MOVED: Final = "moved"
PRESENTERS_CHANGED: Final = "presenters_changed"
SAME_MONTH: Final = "same_month"

_THEME = "hosts[].themes[]"

# -- the catalogue ---------------------------------------------------------------------------

_CATALOGUE: tuple[Rule, ...] = (
    Rule(SESSION_ONCE, Kind.STRUCTURAL, "each session is held exactly once"),
    # closing rules, in the order the instance writes them into one slot's exclusions
    Rule(
        CALENDAR_WEEKDAY,
        Kind.CLOSES_SLOTS,
        "meetings only on the scenario's weekdays (weekdays)",
        ("weekdays",),
    ),
    Rule(
        CALENDAR_HOLIDAY,
        Kind.CLOSES_SLOTS,
        "no meetings on Swedish holidays (calendar.holidays)",
        ("calendar.holidays",),
    ),
    Rule(
        CALENDAR_BRIDGE_DAY,
        Kind.CLOSES_SLOTS,
        "no meetings on bridge days (calendar.close_bridge_days)",
        ("calendar.close_bridge_days",),
    ),
    Rule(
        CALENDAR_BLACKOUT,
        Kind.CLOSES_SLOTS,
        "no meetings in a blackout period (calendar.blackouts)",
        ("calendar.blackouts",),
    ),
    Rule(
        CALENDAR_HALF_DAY,
        Kind.CLOSES_SLOTS,
        "no afternoons on the half days before holidays (calendar.close_half_day_afternoons)",
        ("calendar.close_half_day_afternoons",),
    ),
    Rule(
        LEAD_TIME,
        Kind.CLOSES_SLOTS,
        "no session before the publication date plus the lead time (limits.lead_time_days)",
        ("publication_date", "limits.lead_time_days"),
    ),
    Rule(
        SESSION_SLOTS,
        Kind.CLOSES_SLOTS,
        "a session only in the meeting slots it allows (slots)",
        (f"{_THEME}.slots", "hybrids[].slots", "learning_meeting.slots"),
    ),
    Rule(
        SESSION_FITS_SLOT,
        Kind.CLOSES_SLOTS,
        "a session fits inside its meeting slot",
        (
            "slots",
            f"{_THEME}.host_minutes",
            f"{_THEME}.presenter_minutes",
            f"{_THEME}.min_presenters",
            "hybrids[].duration_minutes",
            "learning_meeting.duration_minutes",
            "network.duration_minutes",
        ),
    ),
    Rule(
        SESSION_WINDOW,
        Kind.CLOSES_SLOTS,
        "a session inside its window (window)",
        (f"{_THEME}.window", "hybrids[].window", "learning_meeting.window"),
    ),
    Rule(
        THEME_FORBIDDEN,
        Kind.CLOSES_SLOTS,
        "no dialog of a theme in its forbidden periods (forbidden)",
        (f"{_THEME}.forbidden",),
    ),
    Rule(
        DIALOG_FOLLOWUP,
        Kind.CLOSES_SLOTS,
        "each dialog followed up at a later network meeting (network.followup_weeks)",
        ("network.followup_weeks", "network.dates"),
    ),
    Rule(
        NETWORK_FIXED,
        Kind.CLOSES_SLOTS,
        "network meetings on their fixed dates (network.dates)",
        ("network.dates", "network.slot"),
    ),
    Rule(
        SESSION_FROZEN,
        Kind.CLOSES_SLOTS,
        "a session sent before the freeze date keeps its date and slot (--frozen-until, --pin)",
        options=("--frozen-until", "--pin"),
    ),
    Rule(
        REPLAN_FROZEN_UNTIL,
        Kind.CLOSES_SLOTS,
        "a session planned anew is held on or after the freeze date (--frozen-until)",
        options=("--frozen-until",),
    ),
    # rules over what the plan combines
    Rule(
        DIALOG_MIN_PRESENTERS,
        Kind.COUNTED,
        "at least min_presenters presenters in every dialog",
        (f"{_THEME}.min_presenters",),
    ),
    Rule(
        DIALOG_MAX_PRESENTERS,
        Kind.COUNTED,
        "no more presenters than max_presenters and than fit the slot",
        (f"{_THEME}.max_presenters", f"{_THEME}.host_minutes", f"{_THEME}.presenter_minutes", "slots"),
    ),
    Rule(
        JOINT_PRESENTATION,
        Kind.COUNTED,
        "a region presents alone or with its group, not both",
        ("groups[].members",),
    ),
    Rule(
        PRESENTER_AVAILABLE,
        Kind.COUNTED,
        "a region presents only on days it is neither away nor unable to present "
        "(away, cannot_present, school holidays)",
        (
            "regions[].away",
            "regions[].unavailable",
            "regions[].cannot_present",
            "regions[].school_holidays",
            "calendar.school_holidays",
        ),
    ),
    Rule(
        PRESENTER_ELIGIBLE,
        Kind.STRUCTURAL,
        "only regions interested in a theme present in its dialogs",
        (f"{_THEME}.interested", f"{_THEME}.tags", "regions[].s3", "groups[].members"),
    ),
    Rule(REGION_THEME_ONCE, Kind.COUNTED, "a region presents at most once on each theme"),
    Rule(
        REGION_PRESENTATION_CAP,
        Kind.COUNTED,
        "at most max_presentations presentations per region",
        ("limits.max_presentations", "regions[].limits.max_presentations"),
    ),
    Rule(
        REGION_PRESENTATION_GAP,
        Kind.COUNTED,
        "at least presentation_gap_days between two presentations of a region",
        ("limits.presentation_gap_days", "regions[].limits.presentation_gap_days"),
    ),
    Rule(
        REGION_INVITATION_CAP,
        Kind.COUNTED,
        "at most window_max invitations per region in any window_days days",
        ("limits.window_days", "limits.window_max", "regions[].limits.window_max"),
    ),
    Rule(
        REGION_DAILY_CAP,
        Kind.COUNTED,
        "at most daily_max invitations per region on one day",
        ("limits.daily_max", "regions[].limits.daily_max"),
    ),
    Rule(
        REGION_DOUBLE_BOOKING,
        Kind.COUNTED,
        "a region is never invited to two sessions at the same time",
    ),
    Rule(
        HOST_TEMPO,
        Kind.COUNTED,
        "a host's sessions at least gap_days apart",
        ("limits.host_gap_days", "hosts[].gap_days"),
    ),
    Rule(
        LEARNING_FIRST,
        Kind.COUNTED,
        "the learning meeting at least days_before_first_dialog days before every dialog",
        ("learning_meeting.days_before_first_dialog",),
    ),
    Rule(
        SESSION_PINNED,
        Kind.COUNTED,
        "a session already sent keeps its date and presenters",
        options=("--frozen-until", "--pin"),
    ),
    Rule(
        SESSION_INVITED,
        Kind.STRUCTURAL,
        "invitations follow the theme's invitation policy (invite), never to a region away that day (away)",
        (f"{_THEME}.invite", "hybrids[].invite", "hybrids[].tags", "regions[].away", "regions[].unavailable"),
    ),
    Rule(
        RUNNING_ORDER,
        Kind.STRUCTURAL,
        "times follow the running order: host first, then each presenter",
        (
            f"{_THEME}.host_minutes",
            f"{_THEME}.presenter_minutes",
            "hybrids[].duration_minutes",
            "learning_meeting.duration_minutes",
            "network.duration_minutes",
        ),
    ),
    # the objective: Σ weight × term, in the order the plan reports its terms
    Rule(MATCH, Kind.TERM, "interest weight left unpresented", ("weights.match",)),
    Rule(COVERAGE, Kind.TERM, "interested regions that present nowhere", ("weights.coverage",)),
    Rule(SPREAD, Kind.TERM, "sessions in the busiest month", ("weights.spread",)),
    Rule(
        PREFERRED_MONTH,
        Kind.TERM,
        "dialogs held outside their theme's preferred months",
        ("weights.preferred_month", f"{_THEME}.preferred_months"),
    ),
    Rule(
        BALANCE,
        Kind.TERM,
        "presenters in the fullest dialog minus presenters in the emptiest one",
        ("weights.balance",),
    ),
    # replanning's change costs (arshjul.replan), weighted by its options
    Rule(MOVED, Kind.CHANGE_TERM, "sessions not in their previous slot", options=("--moved-weight",)),
    Rule(
        PRESENTERS_CHANGED,
        Kind.CHANGE_TERM,
        "presenters added to or dropped from a dialog",
        options=("--presenters-weight",),
    ),
    Rule(
        SAME_MONTH,
        Kind.CHANGE_TERM,
        "dialogs held in another month than their theme's dialog last year",
        options=("--last-year", "--same-month-weight"),
    ),
)

# -- lookups -----------------------------------------------------------------------------------

RULES: Mapping[str, Rule] = MappingProxyType({r.name: r for r in _CATALOGUE})
"""Every entry by name, in catalogue order."""

HARD: Mapping[str, Rule] = MappingProxyType({r.name: r for r in _CATALOGUE if r.hard})
"""The hard rules: a plan that breaks one is no plan."""

TERMS: Mapping[str, Rule] = MappingProxyType({r.name: r for r in _CATALOGUE if r.kind is Kind.TERM})
"""The scenario's objective terms, in the order a plan reports them."""

CHANGE_TERMS: Mapping[str, Rule] = MappingProxyType(
    {r.name: r for r in _CATALOGUE if r.kind is Kind.CHANGE_TERM}
)
"""Replanning's change costs."""


def of_kind(kind: Kind) -> tuple[str, ...]:
    """The names of one kind, in catalogue order."""
    return tuple(r.name for r in _CATALOGUE if r.kind is kind)


CLOSING: tuple[str, ...] = of_kind(Kind.CLOSES_SLOTS)
"""The rules that close slots, in the order the instance writes them into a slot."""


def rule_text(name: str) -> str:
    """The planner's sentence for a rule or term (a name the catalogue lacks reads as its
    words, so an explanation never fails on a name)."""
    rule = RULES.get(name)
    return name.replace("_", " ") if rule is None else rule.text
