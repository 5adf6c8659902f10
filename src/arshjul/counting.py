"""Counting checks: scenarios that arithmetic alone rules out, found without solving.

Each check counts what some hard rules demand against what others allow, and is a
*necessary* condition: a scenario it refuses has no plan, whatever the solver tries, and a
scenario it passes may still have none (the solver and ``arshjul explain`` say why).  The
message names the rules by the names the model, the checker and the explanations use
(``dialog_min_presenters``, ``region_presentation_cap``, ``region_invitation_cap``,
``session_window`` …) and gives the numbers, so a planner sees which wish to give up.

Used by ``arshjul validate``; reads the instance (:func:`arshjul.instance.build_instance`),
changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from .errors import ScenarioError
from .i18n import _, ngettext
from .instance import Instance, SessionSpec, build_instance
from .scenario import Scenario, Theme, field_path

FieldPath = tuple[str | int, ...]
"""A field as keys and list positions, named for the planner by :func:`field_path`."""


def check(scenario: Scenario, inst: Instance | None = None) -> None:
    """Raise the first counting problem as a :class:`ScenarioError` (one line)."""
    found = problems(scenario, inst)
    if found:
        raise found[0]


def problems(scenario: Scenario, inst: Instance | None = None) -> list[ScenarioError]:
    """Every counting problem of the scenario, each a one-line :class:`ScenarioError`."""
    inst = inst if inst is not None else build_instance(scenario)
    days = _open_days(inst)
    return [
        *_theme_days(scenario, inst, days),
        *_theme_presenters(scenario, inst),
        *_all_presenters(scenario, inst),
        *_invitations(scenario, inst, days),
        *_host_days(scenario, inst, days),
    ]


# -- helpers ----------------------------------------------------------------------------------


def _open_days(inst: Instance) -> dict[str, list[int]]:
    """Session id → the days (sorted) on which some slot is open to it."""
    return {
        spec.id: sorted({inst.slots[t].day for t in range(len(inst.slots)) if not spec.exclusions.get(t)})
        for spec in inst.sessions
    }


def _most_apart(days: Iterable[int], gap: int) -> int:
    """Most of ``days`` that can be picked pairwise at least ``gap`` days apart (greedy from
    the earliest, which is optimal on a line)."""
    count, last = 0, None
    for day in sorted(set(days)):
        if last is None or day - last >= gap:
            count, last = count + 1, day
    return count


def _error(s: Scenario, path: FieldPath, problem: str) -> ScenarioError:
    return ScenarioError(problem, field=field_path(s, path), path=path)


def _dialogs(n: int) -> str:
    return ngettext("{count} dialog", "{count} dialogs", n).format(count=n)


def _regions(n: int) -> str:
    return ngettext("{count} region", "{count} regions", n).format(count=n)


def _sessions(n: int) -> str:
    return ngettext("{count} session", "{count} sessions", n).format(count=n)


def _span(inst: Instance, days: list[int]) -> str:
    first, last = inst.date(days[0]), inst.date(days[-1])
    return f"{first}" if first == last else f"{first}..{last}"


def _dialogs_by_theme(s: Scenario, inst: Instance) -> list[tuple[FieldPath, Theme, list[SessionSpec]]]:
    """(path of the theme, the theme, its dialogs) for every theme."""
    out: list[tuple[FieldPath, Theme, list[SessionSpec]]] = []
    for hi, host in enumerate(s.hosts):
        for ti, theme in enumerate(host.themes):
            dialogs = [inst.session(sid) for sid in inst.themes[theme.id].sessions]
            if dialogs:
                out.append((("hosts", hi, "themes", ti), theme, dialogs))
    return out


# -- the checks -------------------------------------------------------------------------------


def _theme_days(s: Scenario, inst: Instance, days: dict[str, list[int]]) -> list[ScenarioError]:
    """``session_window`` (and ``host_tempo``): a theme's dialogs need that many open days
    in its window, held at least the host's gap apart."""
    out = []
    for path, theme, dialogs in _dialogs_by_theme(s, inst):
        name = theme.name
        if theme.window is None:
            continue
        open_days = days[dialogs[0].id]
        where = (*path, "window")
        need = len(dialogs)
        if need > len(open_days):
            out.append(
                _error(
                    s,
                    where,
                    _(
                        "session_window: {dialogs} of '{name}' need {need} days, but only {days} of its "
                        "window {window} are open once weekends, holidays, blackouts, lead time and "
                        "forbidden days are taken out"
                    ).format(
                        dialogs=_dialogs(need),
                        name=name,
                        need=need,
                        days=ngettext("{count} day", "{count} days", len(open_days)).format(
                            count=len(open_days)
                        ),
                        window=theme.window.describe().strip(),
                    ),
                )
            )
            continue
        gap = inst.hosts[dialogs[0].host].gap_days
        fit = _most_apart(open_days, gap)
        if need > fit:
            out.append(
                _error(
                    s,
                    where,
                    _(
                        "session_window and host_tempo: {dialogs} of '{name}' must be at least {gap} "
                        "days apart, but the {days} open days of its window {window} hold at most {fit} "
                        "so far apart"
                    ).format(
                        dialogs=_dialogs(need),
                        name=name,
                        gap=gap,
                        days=len(open_days),
                        window=theme.window.describe().strip(),
                        fit=fit,
                    ),
                )
            )
    return out


def _units_that_may_present(inst: Instance, spec: SessionSpec) -> list[str]:
    """Units eligible for a dialog whose every region may present at all."""
    return [
        u for u in spec.units if all(inst.regions[c].max_presentations > 0 for c in inst.units[u].regions)
    ]


def _theme_presenters(s: Scenario, inst: Instance) -> list[ScenarioError]:
    """``dialog_min_presenters`` against ``region_theme_once``: a region presents at most once
    on a theme, so a theme's dialogs together need that many different regions."""
    out = []
    for path, theme, dialogs in _dialogs_by_theme(s, inst):
        name = theme.name
        need = sum(d.min_presenters for d in dialogs)
        regions = {c for u in _units_that_may_present(inst, dialogs[0]) for c in inst.units[u].regions}
        if need > len(regions):
            out.append(
                _error(
                    s,
                    (*path, "min_presenters"),
                    _(
                        "dialog_min_presenters: {dialogs} of '{name}' with at least {least} presenters "
                        "each need {need} presentations, but region_theme_once lets a region present once "
                        "on a theme and only {regions} may present on it"
                    ).format(
                        dialogs=_dialogs(len(dialogs)),
                        name=name,
                        least=dialogs[0].min_presenters,
                        need=need,
                        regions=_regions(len(regions)),
                    ),
                )
            )
    return out


def _all_presenters(s: Scenario, inst: Instance) -> list[ScenarioError]:
    """``dialog_min_presenters`` against ``region_presentation_cap``: all dialogs together
    need more presentations than the regions may give (each at most its
    ``max_presentations``, once per theme it may present on, ``presentation_gap_days``
    apart)."""
    dialogs = inst.dialogs()
    need = sum(d.min_presenters for d in dialogs)
    if need == 0:
        return []
    themes_of: dict[str, set[str]] = {code: set() for code in inst.regions}
    for d in dialogs:
        for u in _units_that_may_present(inst, d):
            for code in inst.units[u].regions:
                themes_of[code].add(str(d.theme))
    first = max(inst.day(s.first_open_day), 0)
    length = inst.n_days - first
    give = 0
    for code, region in inst.regions.items():
        spaced = (
            length if region.presentation_gap_days <= 0 else 1 + (length - 1) // region.presentation_gap_days
        )
        give += max(0, min(region.max_presentations, len(themes_of[code]), spaced))
    if need <= give:
        return []
    return [
        _error(
            s,
            ("limits", "max_presentations"),
            _(
                "dialog_min_presenters: the {dialogs} need at least {need} presentations (min_presenters "
                "of each), but region_presentation_cap lets the {regions} give at most {give} (each its "
                "max_presentations, once on each theme it may present on, presentation_gap_days apart)"
            ).format(
                dialogs=_dialogs(len(dialogs)), need=need, regions=_regions(len(inst.regions)), give=give
            ),
        )
    ]


def _invitations(s: Scenario, inst: Instance, days: dict[str, list[int]]) -> list[ScenarioError]:
    """``region_invitation_cap`` (and ``region_daily_cap``): a region is invited to more
    sessions than its caps allow on the days those sessions can be held."""
    out = []
    window = inst.window_days
    for k, (code, region) in enumerate(inst.regions.items()):
        # invited for sure: a session that could sit on a day the region is away need not count
        sessions = [
            spec
            for spec in inst.sessions
            if code in spec.invited and all(region.invitable(d) for d in days[spec.id])
        ]
        on = sorted({d for spec in sessions for d in days[spec.id]})
        if not sessions or not on or any(not days[spec.id] for spec in sessions):
            continue  # no open day at all is explain's to tell
        length = on[-1] - on[0] + 1
        windows = -(-length // window)
        own = s.regions[k].limits
        if len(sessions) > windows * region.window_max:
            path = (
                ("regions", k, "limits", "window_max")
                if own.window_max is not None
                else ("limits", "window_max")
            )
            out.append(
                _error(
                    s,
                    path,
                    _(
                        "region_invitation_cap: {region} is invited to {sessions} whoever presents, but "
                        "at most {invitations} in any {window} days allow at most {most} in the {length} "
                        "days {span} when they can be held"
                    ).format(
                        region=region.name,
                        sessions=_sessions(len(sessions)),
                        invitations=ngettext(
                            "{count} invitation", "{count} invitations", region.window_max
                        ).format(count=region.window_max),
                        window=window,
                        most=windows * region.window_max,
                        length=length,
                        span=_span(inst, on),
                    ),
                )
            )
        elif len(sessions) > len(on) * region.daily_max:
            path = (
                ("regions", k, "limits", "daily_max")
                if own.daily_max is not None
                else ("limits", "daily_max")
            )
            out.append(
                _error(
                    s,
                    path,
                    _(
                        "region_daily_cap: {region} is invited to {sessions} whoever presents, but at most "
                        "{daily} a day on the {days} days they can be held allow at most {most}"
                    ).format(
                        region=region.name,
                        sessions=_sessions(len(sessions)),
                        daily=region.daily_max,
                        days=len(on),
                        most=len(on) * region.daily_max,
                    ),
                )
            )
    return out


def _host_days(s: Scenario, inst: Instance, days: dict[str, list[int]]) -> list[ScenarioError]:
    """``host_tempo``: a host's sessions, each on an open day and all at least the host's gap
    apart, must fit the days they can be held on."""
    out = []
    for hi, host in enumerate(s.hosts):
        spec = inst.hosts[host.id]
        mine = [x for x in inst.sessions if x.host == host.id]
        if not mine or any(not days[x.id] for x in mine):
            continue
        on = {d for x in mine for d in days[x.id]}
        fit = _most_apart(on, spec.gap_days)
        if len(mine) > fit:
            path = ("hosts", hi, "gap_days") if host.gap_days is not None else ("limits", "host_gap_days")
            out.append(
                _error(
                    s,
                    path,
                    _(
                        "host_tempo: {host} holds {sessions}, at least {gap} days apart, but the {days} "
                        "days they can be held on ({span}) hold at most {fit} so far apart"
                    ).format(
                        host=spec.name,
                        sessions=_sessions(len(mine)),
                        gap=spec.gap_days,
                        days=len(on),
                        span=_span(inst, sorted(on)),
                        fit=fit,
                    ),
                )
            )
    return out


__all__ = ["check", "problems"]
