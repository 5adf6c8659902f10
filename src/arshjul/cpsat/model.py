"""Variables of the CP-SAT model, and the switches that turn rule instances on and off.

The model has one Boolean ``x[s, t]`` per session and open slot, one Boolean ``p[s, u]`` per
dialog and unit that may present there, and an integer day per session.  Each hard-rule
instance is identified by its :data:`~arshjul.instance.RuleKey`; in *switchable* mode every
instance gets its own enforcement literal (used to find which rules collide), otherwise the
rule is simply added (or left out when disabled) so presolve sees plain constraints.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from ..instance import Assignment, Instance, RuleKey, SessionSpec


@dataclass
class Model:
    """The CP-SAT model of one instance, with its variables by name."""

    instance: Instance
    switchable: bool = False
    disabled: frozenset[RuleKey] = frozenset()
    cp: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    x: dict[tuple[str, int], cp_model.IntVar] = field(default_factory=dict)
    """(session id, slot index) → the session sits in that slot."""
    p: dict[tuple[str, str], cp_model.IntVar] = field(default_factory=dict)
    """(session id, unit id) → the unit presents in that dialog."""
    days: dict[str, cp_model.IntVar] = field(default_factory=dict)
    """Session id → day index it is held on (made when a rule first needs it)."""
    candidates: dict[str, list[int]] = field(default_factory=dict)
    switches: dict[RuleKey, cp_model.IntVar] = field(default_factory=dict)
    """Enforcement literal of each rule instance (switchable mode only)."""
    terms: dict[str, cp_model.LinearExprT] = field(default_factory=dict)
    """Unweighted objective terms by name."""
    presenting_vars: dict[tuple[str, str], cp_model.IntVar] = field(default_factory=dict)
    held_vars: dict[tuple[str, tuple[int, ...]], cp_model.IntVar] = field(default_factory=dict)
    slot_vars: dict[str, cp_model.IntVar] = field(default_factory=dict)
    short_held: bool = True
    """Write "held in one of these slots" over the smaller side of the session's slots
    (:meth:`held_in`); false writes it over the slots themselves, a longer model whose
    presolved LP gives a higher bound (the tree search's model, :func:`~arshjul.cpsat.solve.solve`)."""

    # -- rule switches ------------------------------------------------------------------------

    def on(self, key: RuleKey) -> list[cp_model.IntVar] | None:
        """Enforcement literals for a rule instance; ``None`` when it is switched off."""
        if key in self.disabled:
            return None
        if not self.switchable:
            return []
        if key not in self.switches:
            self.switches[key] = self.cp.new_bool_var(f"rule[{key[0]}:{key[1]}]")
        return [self.switches[key]]

    # -- helpers over variables ---------------------------------------------------------------

    def day(self, session_id: str) -> cp_model.IntVar:
        """The day index a session is held on; made on first use, since a session that no
        day-based rule mentions needs none (on big models these are most of the terms)."""
        if session_id not in self.days:
            cand = self.candidates[session_id]
            slots = self.instance.slots
            days = sorted({slots[t].day for t in cand}) or [0]
            var = self.cp.new_int_var_from_domain(cp_model.Domain.from_values(days), f"day[{session_id}]")
            self.cp.add(var == sum(slots[t].day * self.x[session_id, t] for t in cand))
            self.days[session_id] = var
        return self.days[session_id]

    def presents(self, session: SessionSpec, code: str) -> list[cp_model.IntVar]:
        """Presenter variables through which a region presents in a session (0 or 1 true)."""
        return [self.p[session.id, u] for u in session.units if code in self.instance.units[u].regions]

    def presenting(self, session: SessionSpec, code: str) -> cp_model.IntVar:
        """One literal: the region presents in the session (alone or with its group)."""
        terms = self.presents(session, code)
        if len(terms) == 1:
            return terms[0]
        key = (session.id, code)
        if key not in self.presenting_vars:
            var = self.cp.new_bool_var(f"presenting[{session.id},{code}]")
            self.cp.add(var == sum(terms))
            self.presenting_vars[key] = var
        return self.presenting_vars[key]

    def held_in(self, session_id: str, slots: list[int]) -> cp_model.IntVar:
        """One literal: the session sits in one of ``slots`` (made once per set of slots, so
        regions away on the same days share it)."""
        key = (session_id, tuple(slots))
        if key not in self.held_vars:
            var = self.cp.new_bool_var(f"held[{session_id},{len(self.held_vars)}]")
            cand = self.candidates[session_id]
            if not self.short_held or 2 * len(slots) <= len(cand):
                self.cp.add(var == sum(self.x[session_id, t] for t in slots))
            else:
                # the session sits in exactly one slot (session_once), so "in one of these" is
                # "in none of the others", a far shorter sum (a region away for a week: 5 slots
                # rather than 750 at 240 regions over two years).  The same plans; CP-SAT's
                # presolve makes another LP of it: better plans at 44 and 106 sessions (the
                # pieces copy a smaller model), a bound 0.3-0.7 % lower at 312 (so the tree
                # search, which gives the bound, keeps the long form: benchmarks/README.md,
                # 2026-12-07)
                inside = set(slots)
                self.cp.add(var + sum(self.x[session_id, t] for t in cand if t not in inside) == 1)
            self.held_vars[key] = var
        return self.held_vars[key]

    def both(self, lit: cp_model.IntVar | None, switches: list[cp_model.IntVar]) -> cp_model.IntVar | None:
        """A literal for "``lit`` and every switch" (``None`` when always true)."""
        parts = ([] if lit is None else [lit]) + switches
        if not parts:
            return None
        if len(parts) == 1:
            return parts[0]
        var = self.cp.new_bool_var("and")
        self.cp.add_bool_and(parts).only_enforce_if(var)
        self.cp.add_bool_or([~v for v in parts] + [var])
        return var

    def slot_interval(
        self, session_id: str, present: cp_model.IntVar | None, name: str
    ) -> cp_model.IntervalVar:
        """``[slot, slot + 1)`` of a session on the timeline of all slots of the period."""
        if session_id not in self.slot_vars:
            cand = self.candidates[session_id] or [0]
            var = self.cp.new_int_var_from_domain(cp_model.Domain.from_values(cand), f"slot[{session_id}]")
            self.cp.add(var == sum(t * self.x[session_id, t] for t in self.candidates[session_id]))
            self.slot_vars[session_id] = var
        var = self.slot_vars[session_id]
        if present is None:
            return self.cp.new_fixed_size_interval_var(var, 1, f"{name}[{session_id}]")
        return self.cp.new_optional_fixed_size_interval_var(var, 1, present, f"{name}[{session_id}]")

    def interval(
        self, session_id: str, length: int, present: cp_model.IntVar | None, name: str
    ) -> cp_model.IntervalVar:
        """``[day, day + length)`` of a session, optional when ``present`` is given."""
        day = self.day(session_id)
        if present is None:
            return self.cp.new_fixed_size_interval_var(day, length, f"{name}[{session_id}]")
        return self.cp.new_optional_fixed_size_interval_var(day, length, present, f"{name}[{session_id}]")


def build_variables(m: Model) -> None:
    """Create x, p and day variables; a session with no open slot makes the model infeasible."""
    inst = m.instance
    n = len(inst.slots)
    for s in inst.sessions:
        cand = s.candidates(n, m.disabled) if not m.switchable else list(range(n))
        m.candidates[s.id] = cand
        for t in cand:
            m.x[s.id, t] = m.cp.new_bool_var(f"x[{s.id},{t}]")
        for u in s.units:
            m.p[s.id, u] = m.cp.new_bool_var(f"p[{s.id},{u}]")


def assignment_of(m: Model, solver: cp_model.CpSolver) -> Assignment:
    """The plan a solved model (or a copy of it with the same variables) holds."""
    inst = m.instance
    slot: dict[str, int] = {}
    presenters: dict[str, tuple[str, ...]] = {}
    for s in inst.sessions:
        slot[s.id] = next(t for t in m.candidates[s.id] if solver.boolean_value(m.x[s.id, t]))
        if s.units:
            presenters[s.id] = tuple(u for u in s.units if solver.boolean_value(m.p[s.id, u]))
    return Assignment(slot=slot, presenters=presenters)
