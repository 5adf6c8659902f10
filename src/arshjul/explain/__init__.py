"""Tell the planner why: which rules collide, what a plan's penalty is made of, and where
else a session could go.

Three questions, one vocabulary (the rule names of :mod:`arshjul.cpsat.constraints`,
:mod:`arshjul.check` and :mod:`arshjul.instance`):

- **why not** — :func:`why_not` finds a minimal set of the scenario's own rules that cannot
  all hold, says each in the scenario's words with its numbers and field path, and offers
  edits of the scenario file that make it solvable, each checked by solving the edited copy;
- **why this** — :func:`breakdown` splits a plan's objective into its terms, per session and
  per region, and lists the hard rules the plan sits exactly at;
- **where else** — :func:`alternatives` lists every other slot a session could move to with
  everything else fixed (and the objective there), and for each slot it cannot use, the rule
  that forbids it; :func:`region_alternatives` lists the dialogs a region could join.

Only :mod:`arshjul.cpsat` touches the solver; this package decides what to ask and how to
say it.  Its parts, each importing only those above it:

- :mod:`.words` — one sentence per rule (:data:`RULE_TEXT`) and each rule of a conflict in
  the scenario's words (:func:`describe`);
- :mod:`.relaxations` — the edits of the scenario file that may switch a rule off, and their check;
- :mod:`.whynot` — :func:`why_not` and its report;
- :mod:`.scores` — :func:`breakdown` and :func:`bindings`;
- :mod:`.moves` — :func:`alternatives` and :func:`region_alternatives`.
"""

from __future__ import annotations

from .moves import (
    INVITATION_RULES,
    PRESENTER_RULES,
    Alternatives,
    Blocked,
    JoinOption,
    MoveOption,
    RegionAlternatives,
    alternatives,
    region_alternatives,
)
from .relaxations import Relaxation, apply_changes, relax
from .scores import Binding, Breakdown, RegionScore, SessionScore, TermLine, bindings, breakdown
from .whynot import ConflictReport, group_keys, why_not
from .words import CALENDAR_GROUPS, DESCRIBERS, RULE_TEXT, ConflictItem, describe, rule_text

__all__ = [
    "CALENDAR_GROUPS",
    "DESCRIBERS",
    "INVITATION_RULES",
    "PRESENTER_RULES",
    "RULE_TEXT",
    "Alternatives",
    "Binding",
    "Blocked",
    "Breakdown",
    "ConflictItem",
    "ConflictReport",
    "JoinOption",
    "MoveOption",
    "RegionAlternatives",
    "RegionScore",
    "Relaxation",
    "SessionScore",
    "TermLine",
    "alternatives",
    "apply_changes",
    "bindings",
    "breakdown",
    "describe",
    "group_keys",
    "region_alternatives",
    "relax",
    "rule_text",
    "why_not",
]
