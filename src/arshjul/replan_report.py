"""What a replan means for people: the change report a planner reads (``changes.txt``), the
same as data (``changes.json``), and the sentences each region's contact must be told.

Plain Python over :class:`~arshjul.replan.ReplanResult` and plan diffs
(:mod:`arshjul.revision`); :func:`split_moves` also serves the comparison table.
"""

from __future__ import annotations

from typing import Any

from .explain import rule_text
from .plan import Plan, Session
from .replan import ReplanResult
from .revision import Move, PlanDiff


def _when(s: Session) -> str:
    return f"{s.date:%a %Y-%m-%d} {s.start:%H:%M}–{s.end:%H:%M}"


def region_notices(previous: Plan, plan: Plan) -> dict[str, list[str]]:
    """Region code → the sentences its contact must be told, in session order."""
    before = {s.id: s for s in previous.sessions}
    after = {s.id: s for s in plan.sessions}
    out: dict[str, list[str]] = {}
    for code in dict.fromkeys([*previous.regions, *plan.regions]):
        lines: list[str] = []
        for sid in dict.fromkeys([*before, *after]):
            old, new = before.get(sid), after.get(sid)
            was = old is not None and code in old.invited
            now = new is not None and code in new.invited
            if not was and not now:
                continue
            title = (new or old).title  # type: ignore[union-attr]
            if was and not now:
                gone = "cancelled" if new is None else "you are no longer invited"
                lines.append(f"{title} on {_when(old)}: {gone}")  # type: ignore[arg-type]
                continue
            assert new is not None
            if not was:
                role = "to present" if code in new.presenting_regions else "to listen"
                lines.append(f"{title} on {_when(new)}: new invitation ({role})")
                continue
            assert old is not None
            if old.start != new.start:
                lines.append(f"{title}: moved from {_when(old)} to {_when(new)}")
            elif old.end != new.end:
                lines.append(f"{title} on {_when(new)}: now ends {new.end:%H:%M} (was {old.end:%H:%M})")
            if code in new.presenting_regions and code not in old.presenting_regions:
                lines.append(f"{title} on {_when(new)}: you now present")
            elif code in old.presenting_regions and code not in new.presenting_regions:
                lines.append(f"{title} on {_when(new)}: you no longer present (still invited to listen)")
        if lines:
            out[code] = lines
    return out


def split_moves(diff: PlanDiff) -> tuple[list[Move], list[Move]]:
    """(sessions that start at another time, sessions that only end at another time —
    a dialog gets shorter or longer when its presenters change)."""
    moved = [m for m in diff.moved if m.from_start != m.to_start]
    return moved, [m for m in diff.moved if m.from_start == m.to_start]


def report_lines(result: ReplanResult) -> list[str]:
    """The replan report a planner reads: what was kept, what changed, who must be told."""
    prev, plan = result.previous, result.plan
    lines = [f"Frozen: {len(result.frozen)} session(s) kept exactly as sent."]
    for sid in result.missing:
        lines.append(f"  not in the new scenario (cancel it): {sid}")
    for sid, why in result.released:
        lines.append(f"  released, {sid}: {why}")
    lines.extend(f"Note: {n}" for n in result.notes)
    if not plan.found:
        return lines
    diff = result.diff
    moved, retimed = split_moves(diff)
    lines.append(
        f"Changes: {len(moved)} moved, {len(diff.added)} added, {len(diff.removed)} removed, "
        f"{len(diff.presenters)} with other presenters; {len(diff.changed)} calendar "
        "entries to update (SEQUENCE raised)"
    )
    for m in moved:
        lines.append(
            f"  moved    {m.title} ({m.session_id}): "
            f"{m.from_start:%Y-%m-%d %H:%M} → {m.to_start:%Y-%m-%d %H:%M}"
        )
    for m in retimed:
        lines.append(
            f"  retimed  {m.title} ({m.session_id}): same start, now ends {m.to_end:%H:%M} "
            f"(was {m.from_end:%H:%M})"
        )
    for sid in diff.added:
        s = plan.session(sid)
        lines.append(f"  added    {s.title} ({sid}): {_when(s)}")
    for sid in diff.removed:
        s = prev.session(sid)
        lines.append(f"  removed  {s.title} ({sid}): was {_when(s)}")
    for pc in diff.presenters:
        parts = []
        if pc.added:
            parts.append("+" + ", +".join(pc.added))
        if pc.dropped:
            parts.append("-" + ", -".join(pc.dropped))
        lines.append(f"  presenters {pc.session_id}: {' '.join(parts)}")
    notices = region_notices(prev, plan)
    if notices:
        lines.append("")
        lines.append("Tell each region:")
        for code, items in notices.items():
            name = plan.regions.get(code) or prev.regions.get(code, code)
            contact = plan.contacts.get(code) or prev.contacts.get(code)
            lines.append(f"  {name} ({code}){f' <{contact}>' if contact else ''}:")
            lines.extend(f"    - {item}" for item in items)
    return lines


def report_data(result: ReplanResult) -> dict[str, Any]:
    """The replan report as JSON-ready data."""
    data: dict[str, Any] = {
        "status": result.plan.status,
        "objective": result.plan.objective,
        "frozen": list(result.frozen),
        "missing": list(result.missing),
        "released": [{"session": s, "why": w} for s, w in result.released],
        "notes": list(result.notes),
        "changes": result.changes,
        "conflicts": None if result.conflicts is None else list(result.conflicts),
    }
    if result.plan.found:
        diff = result.diff
        moved, retimed = split_moves(diff)
        data["moved"] = [
            {
                "session": m.session_id,
                "from": m.from_start.isoformat(),
                "to": m.to_start.isoformat(),
            }
            for m in moved
        ]
        data["retimed"] = [
            {
                "session": m.session_id,
                "end_was": m.from_end.isoformat(),
                "end": m.to_end.isoformat(),
            }
            for m in retimed
        ]
        data["added"] = list(diff.added)
        data["removed"] = list(diff.removed)
        data["presenters"] = [
            {"session": p.session_id, "added": list(p.added), "dropped": list(p.dropped)}
            for p in diff.presenters
        ]
        data["changed"] = list(diff.changed)
        data["regions"] = region_notices(result.previous, result.plan)
    return data


def conflict_lines(result: ReplanResult) -> list[str]:
    """Why a replan has no plan, naming the frozen sessions involved."""
    if result.conflicts is None:
        return [
            "No plan, and unfreezing every session gives none either (or not within the time "
            "limit): the scenario's own rules collide; run 'arshjul explain' on it."
        ]
    prev = {s.id: s for s in result.previous.sessions}
    lines = [
        "No plan: the frozen sessions below, kept as they were, leave the rest of the year no "
        "valid plan"
        + (
            ""
            if result.conflicts_complete
            else " (some checks ran out of time; the list may be longer than needed)"
        )
        + ":"
    ]
    for sid in result.conflicts:
        s = prev.get(sid)
        pres = ", ".join(p.presenter for p in s.presentations) if s else ""
        lines.append(f"  {sid}: {_when(s) if s else ''}{f' (presenters {pres})' if pres else ''}")
    if result.conflict_rules:
        lines.append("They collide with these rules of the scenario:")
        for rule, subject in result.conflict_rules:
            lines.append(f"  {rule} [{subject}]: {rule_text(rule)}")
    lines.append(
        "Unfreeze one of them (an earlier --frozen-until, or drop its --pin), or change the scenario."
    )
    return lines


__all__ = [
    "conflict_lines",
    "region_notices",
    "report_data",
    "report_lines",
    "split_moves",
]
