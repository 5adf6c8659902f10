"""What a replan means for people: the change report a planner reads (``changes.txt``), the
same as data (``changes.json``), and the sentences each region's contact must be told.

Plain Python over :class:`~arshjul.replan.ReplanResult` and plan diffs
(:mod:`arshjul.revision`); :func:`split_moves` also serves the comparison table.
"""

from __future__ import annotations

from typing import Any

from .explain import rule_text
from .i18n import _, cli_day
from .plan import Plan, Session
from .replan import ReplanResult
from .revision import Move, PlanDiff


def _when(s: Session) -> str:
    return f"{cli_day(s.date)} {s.start:%H:%M}–{s.end:%H:%M}"


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
                when = _when(old)  # type: ignore[arg-type]
                if new is None:
                    lines.append(_("{title} on {when}: cancelled").format(title=title, when=when))
                else:
                    lines.append(
                        _("{title} on {when}: you are no longer invited").format(title=title, when=when)
                    )
                continue
            assert new is not None
            if not was:
                if code in new.presenting_regions:
                    line = _("{title} on {when}: new invitation (to present)")
                else:
                    line = _("{title} on {when}: new invitation (to listen)")
                lines.append(line.format(title=title, when=_when(new)))
                continue
            assert old is not None
            if old.start != new.start:
                lines.append(
                    _("{title}: moved from {was} to {now}").format(
                        title=title, was=_when(old), now=_when(new)
                    )
                )
            elif old.end != new.end:
                lines.append(
                    _("{title} on {when}: now ends {end} (was {was})").format(
                        title=title, when=_when(new), end=f"{new.end:%H:%M}", was=f"{old.end:%H:%M}"
                    )
                )
            if code in new.presenting_regions and code not in old.presenting_regions:
                lines.append(_("{title} on {when}: you now present").format(title=title, when=_when(new)))
            elif code in old.presenting_regions and code not in new.presenting_regions:
                lines.append(
                    _("{title} on {when}: you no longer present (still invited to listen)").format(
                        title=title, when=_when(new)
                    )
                )
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
    lines = [_("Frozen: {count} session(s) kept exactly as sent.").format(count=len(result.frozen))]
    for sid in result.missing:
        lines.append("  " + _("not in the new scenario (cancel it): {session}").format(session=sid))
    for sid, why in result.released:
        lines.append("  " + _("released, {session}: {why}").format(session=sid, why=why))
    lines.extend(_("Note: {note}").format(note=n) for n in result.notes)
    if not plan.found:
        return lines
    diff = result.diff
    moved, retimed = split_moves(diff)
    lines.append(
        _(
            "Changes: {moved} moved, {added} added, {removed} removed, {presenters} with other "
            "presenters; {changed} calendar entries to update (SEQUENCE raised)"
        ).format(
            moved=len(moved),
            added=len(diff.added),
            removed=len(diff.removed),
            presenters=len(diff.presenters),
            changed=len(diff.changed),
        )
    )
    for m in moved:
        lines.append(
            "  "
            + _("moved    {title} ({session}): {was} → {now}").format(
                title=m.title,
                session=m.session_id,
                was=f"{m.from_start:%Y-%m-%d %H:%M}",
                now=f"{m.to_start:%Y-%m-%d %H:%M}",
            )
        )
    for m in retimed:
        lines.append(
            "  "
            + _("retimed  {title} ({session}): same start, now ends {end} (was {was})").format(
                title=m.title, session=m.session_id, end=f"{m.to_end:%H:%M}", was=f"{m.from_end:%H:%M}"
            )
        )
    for sid in diff.added:
        s = plan.session(sid)
        lines.append(
            "  " + _("added    {title} ({session}): {when}").format(title=s.title, session=sid, when=_when(s))
        )
    for sid in diff.removed:
        s = prev.session(sid)
        lines.append(
            "  "
            + _("removed  {title} ({session}): was {when}").format(title=s.title, session=sid, when=_when(s))
        )
    for pc in diff.presenters:
        parts = []
        if pc.added:
            parts.append("+" + ", +".join(pc.added))
        if pc.dropped:
            parts.append("-" + ", -".join(pc.dropped))
        lines.append(
            "  " + _("presenters {session}: {change}").format(session=pc.session_id, change=" ".join(parts))
        )
    notices = region_notices(prev, plan)
    if notices:
        lines.append("")
        lines.append(_("Tell each region:"))
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
            _(
                "No plan, and unfreezing every session gives none either (or not within the time "
                "limit): the scenario's own rules collide; run 'arshjul explain' on it."
            )
        ]
    prev = {s.id: s for s in result.previous.sessions}
    if result.conflicts_complete:
        head = _(
            "No plan: the frozen sessions below, kept as they were, leave the rest of the year no valid plan:"
        )
    else:
        head = _(
            "No plan: the frozen sessions below, kept as they were, leave the rest of the year no "
            "valid plan (some checks ran out of time; the list may be longer than needed):"
        )
    lines = [head]
    for sid in result.conflicts:
        s = prev.get(sid)
        pres = ", ".join(p.presenter for p in s.presentations) if s else ""
        shown = " " + _("(presenters {names})").format(names=pres) if pres else ""
        lines.append(f"  {sid}: {_when(s) if s else ''}{shown}")
    if result.conflict_rules:
        lines.append(_("They collide with these rules of the scenario:"))
        for rule, subject in result.conflict_rules:
            lines.append(f"  {rule} [{subject}]: {rule_text(rule)}")
    lines.append(
        _("Unfreeze one of them (an earlier --frozen-until, or drop its --pin), or change the scenario.")
    )
    return lines


__all__ = [
    "conflict_lines",
    "region_notices",
    "report_data",
    "report_lines",
    "split_moves",
]
