"""The rules in words: one sentence per hard rule (:data:`RULE_TEXT`), and each rule of a
conflict said in the scenario's own words, with its numbers and field path (:func:`describe`,
one small function per rule in :data:`DESCRIBERS`).

The bottom of :mod:`arshjul.explain`: every other part says things with these helpers.
The sentences come through the message catalogues in the command line's language
(:func:`arshjul.i18n._`: English unless ``--lang sv`` or a Swedish locale); the rule names,
field paths and the scenario's own names in them stay as the scenario file writes them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from .. import rules
from ..check import Violation
from ..i18n import _, cli_day, ngettext
from ..i18n import plural as _plural  # noqa: F401  (scores still counts in English with it)
from ..instance import Instance, RuleKey, SessionSpec
from ..scenario import Scenario

RULE_TEXT: Mapping[str, str] = MappingProxyType({name: r.text for name, r in rules.HARD.items()})
"""One sentence per hard rule, from the catalogue (:mod:`arshjul.rules`)."""

CALENDAR_GROUPS = (
    rules.CALENDAR_WEEKDAY,
    rules.CALENDAR_HOLIDAY,
    rules.CALENDAR_BRIDGE_DAY,
    rules.CALENDAR_HALF_DAY,
)
"""Rules with one key per day or weekday: shown as one item with all its subjects."""


rule_text = rules.rule_text


def _listed(items: Sequence[str], limit: int = 6) -> str:
    if len(items) <= limit:
        return ", ".join(items)
    return ", ".join(items[:limit]) + " " + _("… and {count} more").format(count=len(items) - limit)


class _Where:
    """Finds things of the scenario by the ids an instance uses, with their field paths."""

    def __init__(self, sc: Scenario, inst: Instance) -> None:
        self.sc = sc
        self.inst = inst

    def region_limit(self, code: str, name: str) -> tuple[int, str]:
        """A region's effective limit and the field that sets it."""
        region = self.sc.region(code)
        own = getattr(region.limits, name)
        if own is not None:
            return int(own), f"regions[{code}].limits.{name}"
        return int(getattr(self.sc.limits, name)), f"limits.{name}"

    def theme(self, theme_id: str) -> tuple[str, Any]:
        for host, theme in self.sc.themes():
            if theme.id == theme_id:
                return f"hosts[{host.id}].themes[{theme.id}]", theme
        raise KeyError(theme_id)

    def owner(self, key: str) -> tuple[str, str, Any]:
        """Path, label and object of the scenario item a session-level subject names: a
        theme id, a hybrid id, ``learning`` or a network session id."""
        for host, theme in self.sc.themes():
            if theme.id == key:
                return (
                    f"hosts[{host.id}].themes[{theme.id}]",
                    _("theme '{name}'").format(name=theme.name),
                    theme,
                )
        for hybrid in self.sc.hybrids:
            if hybrid.id == key:
                return f"hybrids[{hybrid.id}]", _("hybrid '{topic}'").format(topic=hybrid.topic), hybrid
        if key == "learning" and self.sc.learning_meeting is not None:
            return "learning_meeting", _("the learning meeting"), self.sc.learning_meeting
        if self.sc.network is not None and ".network." in key:
            day = key.rsplit(".", 1)[-1]
            return "network", _("the network meeting of {day}").format(day=day), self.sc.network
        return key, f"'{key}'", None

    def dialog(self, session_id: str) -> tuple[str, Any, SessionSpec]:
        spec = self.inst.session(session_id)
        path, theme = self.theme(spec.theme or "")
        return path, theme, spec

    def network_date(self, session_id: str) -> tuple[int, dt.date]:
        assert self.sc.network is not None
        day = dt.date.fromisoformat(session_id.rsplit(".", 1)[-1])
        return self.sc.network.dates.index(day), day

    def blackout(self, label: str) -> int:
        for k, span in enumerate(self.sc.calendar.blackouts):
            if (span.name or f"blackouts[{k}]") == label:
                return k
        raise KeyError(label)


@dataclass(frozen=True)
class ConflictItem:
    """One planner-level rule taking part in a conflict (a weekday or holiday group is one)."""

    rule: str
    subjects: tuple[str, ...]
    text: str
    """The rule in the scenario's words, with its numbers and field path."""
    fields: tuple[str, ...] = ()

    @property
    def keys(self) -> tuple[RuleKey, ...]:
        return tuple((self.rule, s) for s in self.subjects)


Describer = Callable[[_Where, Sequence[str], list[str]], str]
"""Says one rule (or calendar group) for its subjects; appends the fields it names."""


def describe(sc: Scenario, inst: Instance, rule: str, subjects: Sequence[str]) -> ConflictItem:
    """One rule (or calendar group) in the scenario's own words, with its numbers."""
    w = _Where(sc, inst)
    subject = subjects[0]
    fields: list[str] = []
    say = DESCRIBERS.get(rule)
    try:
        text = say(w, subjects, fields) if say is not None else ""
    except (KeyError, ValueError, AssertionError, StopIteration):
        text = f"{rule_text(rule)} [{', '.join(subjects)}]"
    if not text:
        text = f"{rule_text(rule)} [{subject}]"
    return ConflictItem(rule=rule, subjects=tuple(subjects), text=text, fields=tuple(fields))


def _region_name(w: _Where, code: str) -> str:
    return w.inst.regions[code].name


def _invited_always(inst: Instance, code: str) -> int:
    return sum(1 for s in inst.sessions if code in s.invited)


def _periods(days: dict[int, str]) -> list[str]:
    """The reasons of a day → reason map, each once, in date order."""
    seen: dict[str, None] = {}
    for day in sorted(days):
        seen.setdefault(days[day], None)
    return list(seen)


# -- one describer per rule ----------------------------------------------------------------


def _invitation_cap(w: _Where, subjects: Sequence[str], fields: list[str]) -> str:
    subject, inst = subjects[0], w.inst
    cap, f = w.region_limit(subject, "window_max")
    fields.append(f)
    n = _invited_always(inst, subject)
    unless = " " + _("(unless held on a day it is away)") if inst.regions[subject].away else ""
    # TRANSLATORS: a region's invitation cap in a conflict; {field} is the scenario's field path
    cap_text = ngettext(
        "{region}: at most {count} invitation in any {days} days ({field})",
        "{region}: at most {count} invitations in any {days} days ({field})",
        cap,
    ).format(region=_region_name(w, subject), count=cap, days=inst.window_days, field=f)
    invited = ngettext(
        "{count} session of the {days}-day period invites it whoever presents",
        "{count} sessions of the {days}-day period invite it whoever presents",
        n,
    ).format(count=n, days=inst.n_days)
    return f"{cap_text}; {invited}{unless}"


def _daily_cap(w: _Where, subjects: Sequence[str], fields: list[str]) -> str:
    cap, f = w.region_limit(subjects[0], "daily_max")
    fields.append(f)
    return ngettext(
        "{region}: at most {count} invitation on one day ({field})",
        "{region}: at most {count} invitations on one day ({field})",
        cap,
    ).format(region=_region_name(w, subjects[0]), count=cap, field=f)


def _presentation_cap(w: _Where, subjects: Sequence[str], fields: list[str]) -> str:
    cap, f = w.region_limit(subjects[0], "max_presentations")
    fields.append(f)
    return ngettext(
        "{region}: at most {count} presentation in the period ({field})",
        "{region}: at most {count} presentations in the period ({field})",
        cap,
    ).format(region=_region_name(w, subjects[0]), count=cap, field=f)


def _presentation_gap(w: _Where, subjects: Sequence[str], fields: list[str]) -> str:
    gap, f = w.region_limit(subjects[0], "presentation_gap_days")
    fields.append(f)
    return _("{region}: at least {days} days between two of its presentations ({field})").format(
        region=_region_name(w, subjects[0]), days=gap, field=f
    )


def _theme_once(w: _Where, subjects: Sequence[str], fields: list[str]) -> str:
    return _("{region} presents at most once on each theme (built-in rule)").format(
        region=_region_name(w, subjects[0])
    )


def _double_booking(w: _Where, subjects: Sequence[str], fields: list[str]) -> str:
    return _("{region} is never invited to two sessions in the same slot (built-in rule)").format(
        region=_region_name(w, subjects[0])
    )


def _presenter_available(w: _Where, subjects: Sequence[str], fields: list[str]) -> str:
    subject = subjects[0]
    region, written = w.inst.regions[subject], w.sc.region(subject)
    parts: list[str] = []
    away = _periods(region.away)
    if away:
        names = [n for n in ("away", "unavailable") if getattr(written, n)]
        fields.extend(f"regions[{subject}].{n}" for n in names)
        where = ", ".join(f"regions[{subject}].{n}" for n in names)
        parts.append(
            _("it is away (not invited either): {days} ({fields})").format(
                days=_listed(away, 8), fields=where
            )
        )
    unable = _periods(region.cannot_present)
    if unable:
        fields.extend([f"regions[{subject}].cannot_present", f"regions[{subject}].school_holidays"])
        parts.append(
            _("it cannot present, though it may listen: {days} ({field}, school holidays)").format(
                days=_listed(unable, 8), field=f"regions[{subject}].cannot_present"
            )
        )
    return _("{region} presents only on days it is there: {why}").format(
        region=_region_name(w, subject), why="; ".join(parts)
    )


def _joint_presentation(w: _Where, subjects: Sequence[str], fields: list[str]) -> str:
    subject = subjects[0]
    group = next(g for g in w.sc.groups if g.id == subject)
    fields.append(f"groups[{subject}]")
    return _("a region of '{group}' presents alone or with the group, not both ({field})").format(
        group=group.name, field=f"groups[{subject}]"
    )


def _min_presenters(w: _Where, subjects: Sequence[str], fields: list[str]) -> str:
    path, theme, spec = w.dialog(subjects[0])
    fields.append(f"{path}.min_presenters")
    able = sorted({c for u in spec.units for c in w.inst.units[u].regions})
    need = ngettext(
        "dialog {number} of '{theme}' needs at least {count} presenter ({field})",
        "dialog {number} of '{theme}' needs at least {count} presenters ({field})",
        spec.min_presenters,
    ).format(
        number=spec.occurrence, theme=theme.name, count=spec.min_presenters, field=f"{path}.min_presenters"
    )
    may = ngettext(
        "{count} region may present: {regions}", "{count} regions may present: {regions}", len(able)
    ).format(count=len(able), regions=_listed(able, 8))
    return f"{need}; {may}"


def _max_presenters(w: _Where, subjects: Sequence[str], fields: list[str]) -> str:
    path, theme, spec = w.dialog(subjects[0])
    fields.append(f"{path}.max_presenters")
    return _(
        "dialog {number} of '{theme}' takes at most {count} presenters ({field}), and only as many "
        "as fit the slot after the host's {host} minutes ({each} minutes each)"
    ).format(
        number=spec.occurrence,
        theme=theme.name,
        count=spec.max_presenters,
        field=f"{path}.max_presenters",
        host=spec.host_minutes,
        each=spec.presenter_minutes,
    )


def _host_tempo(w: _Where, subjects: Sequence[str], fields: list[str]) -> str:
    subject, inst = subjects[0], w.inst
    host = inst.hosts[subject]
    own = w.sc.host(subject).gap_days
    f = f"hosts[{subject}].gap_days" if own is not None else "limits.host_gap_days"
    fields.append(f)
    n = sum(1 for s in inst.sessions if s.host == subject)
    return ngettext(
        "{host}: its sessions at least {days} days apart ({field}); it holds {count} session",
        "{host}: its sessions at least {days} days apart ({field}); it holds {count} sessions",
        n,
    ).format(host=host.name, days=host.gap_days, field=f, count=n)


def _learning_first(w: _Where, subjects: Sequence[str], fields: list[str]) -> str:
    fields.append("learning_meeting.days_before_first_dialog")
    return _("the learning meeting at least {days} days before every dialog ({field})").format(
        days=w.inst.learning_gap_days, field="learning_meeting.days_before_first_dialog"
    )


def _session_pinned(w: _Where, subjects: Sequence[str], fields: list[str]) -> str:
    return _("'{session}' was already sent and keeps its date and presenters").format(session=subjects[0])


def _weekday(w: _Where, subjects: Sequence[str], fields: list[str]) -> str:
    fields.append("weekdays")
    closed = list(subjects)
    label = _("weekends") if set(closed) == {"sat", "sun"} else _("closed weekdays")
    return _("{which} ({days}) are not meeting days (weekdays: [{open}])").format(
        which=label, days=", ".join(closed), open=", ".join(w.sc.weekdays)
    )


def _holiday(w: _Where, subjects: Sequence[str], fields: list[str]) -> str:
    fields.append("calendar.holidays")
    return ngettext(
        "{count} holiday closed ({field}): {days}", "{count} holidays closed ({field}): {days}", len(subjects)
    ).format(count=len(subjects), field="calendar.holidays", days=_listed(list(subjects)))


def _bridge_day(w: _Where, subjects: Sequence[str], fields: list[str]) -> str:
    fields.append("calendar.close_bridge_days")
    return ngettext(
        "{count} bridge day closed ({field}): {days}",
        "{count} bridge days closed ({field}): {days}",
        len(subjects),
    ).format(count=len(subjects), field="calendar.close_bridge_days", days=_listed(list(subjects)))


def _half_day(w: _Where, subjects: Sequence[str], fields: list[str]) -> str:
    fields.append("calendar.close_half_day_afternoons")
    return ngettext(
        "afternoons from 14:00 closed on {count} half day ({field}): {days}",
        "afternoons from 14:00 closed on {count} half days ({field}): {days}",
        len(subjects),
    ).format(count=len(subjects), field="calendar.close_half_day_afternoons", days=_listed(list(subjects)))


def _blackout(w: _Where, subjects: Sequence[str], fields: list[str]) -> str:
    subject = subjects[0]
    k = w.blackout(subject)
    span = w.sc.calendar.blackouts[k]
    fields.append(f"calendar.blackouts[{k}]")
    what = span.describe().strip()
    return _("blackout '{name}' ({field}, {when})").format(
        name=subject, field=f"calendar.blackouts[{k}]", when=what.removeprefix(subject).strip(" ()")
    )


def _lead_time(w: _Where, subjects: Sequence[str], fields: list[str]) -> str:
    sc = w.sc
    fields.append("limits.lead_time_days")
    pub = sc.publication_date or sc.period.start
    return _(
        "no session before {first}: invitations go out {published} and need {days} days of lead "
        "time (publication_date, limits.lead_time_days)"
    ).format(first=sc.first_open_day, published=pub, days=sc.limits.lead_time_days)


def _session_slots(w: _Where, subjects: Sequence[str], fields: list[str]) -> str:
    path, label, obj = w.owner(subjects[0])
    fields.append(f"{path}.slots")
    return _("{what} may only use the slots {slots} ({field})").format(
        what=label, slots=", ".join(obj.slots), field=f"{path}.slots"
    )


def _fits_slot(w: _Where, subjects: Sequence[str], fields: list[str]) -> str:
    path, label, obj = w.owner(subjects[0])
    if path.startswith("hosts["):
        need = obj.host_minutes + obj.min_presenters * obj.presenter_minutes
        fields.append(f"{path}.min_presenters")
        return _(
            "{what} needs {minutes} minutes ({host} for the host and {count} × {each} for "
            "presenters), more than some slots give"
        ).format(
            what=label,
            minutes=need,
            host=obj.host_minutes,
            count=obj.min_presenters,
            each=obj.presenter_minutes,
        )
    fields.append(f"{path}.duration_minutes")
    return _("{what} lasts {minutes} minutes, longer than some meeting slots ({field})").format(
        what=label, minutes=obj.duration_minutes, field=f"{path}.duration_minutes"
    )


def _session_window(w: _Where, subjects: Sequence[str], fields: list[str]) -> str:
    path, label, obj = w.owner(subjects[0])
    fields.append(f"{path}.window")
    return _("{what} must be held within {span} ({field})").format(
        what=label, span=obj.window.describe().strip(), field=f"{path}.window"
    )


def _theme_forbidden(w: _Where, subjects: Sequence[str], fields: list[str]) -> str:
    theme_id, _sep, nth = subjects[0].partition("#")
    path, theme = w.theme(theme_id)
    span = theme.forbidden[int(nth)]
    fields.append(f"{path}.forbidden[{nth}]")
    return _("theme '{theme}' may not be held in {span} ({field})").format(
        theme=theme.name, span=span.describe().strip(), field=f"{path}.forbidden[{nth}]"
    )


def _followup(w: _Where, subjects: Sequence[str], fields: list[str]) -> str:
    network = w.sc.network
    assert network is not None
    fields.append("network.followup_weeks")
    last = max(network.dates)
    weeks = network.followup_weeks or 0
    return _(
        "each dialog is followed up at a network meeting at least {weeks} weeks later; the last "
        "meeting is {last}, so no dialog after {latest} ({field})"
    ).format(weeks=weeks, last=last, latest=last - dt.timedelta(weeks=weeks), field="network.followup_weeks")


def _network_fixed(w: _Where, subjects: Sequence[str], fields: list[str]) -> str:
    k, day = w.network_date(subjects[0])
    network = w.sc.network
    assert network is not None
    fields.append(f"network.dates[{k}]")
    return _("the network meeting on {day} ({slot}) is fixed ({field})").format(
        day=cli_day(day), slot=network.slot, field=f"network.dates[{k}]"
    )


DESCRIBERS: dict[str, Describer] = {
    rules.REGION_INVITATION_CAP: _invitation_cap,
    rules.REGION_DAILY_CAP: _daily_cap,
    rules.REGION_PRESENTATION_CAP: _presentation_cap,
    rules.REGION_PRESENTATION_GAP: _presentation_gap,
    rules.REGION_THEME_ONCE: _theme_once,
    rules.REGION_DOUBLE_BOOKING: _double_booking,
    rules.PRESENTER_AVAILABLE: _presenter_available,
    rules.JOINT_PRESENTATION: _joint_presentation,
    rules.DIALOG_MIN_PRESENTERS: _min_presenters,
    rules.DIALOG_MAX_PRESENTERS: _max_presenters,
    rules.HOST_TEMPO: _host_tempo,
    rules.LEARNING_FIRST: _learning_first,
    rules.SESSION_PINNED: _session_pinned,
    rules.CALENDAR_WEEKDAY: _weekday,
    rules.CALENDAR_HOLIDAY: _holiday,
    rules.CALENDAR_BRIDGE_DAY: _bridge_day,
    rules.CALENDAR_HALF_DAY: _half_day,
    rules.CALENDAR_BLACKOUT: _blackout,
    rules.LEAD_TIME: _lead_time,
    rules.SESSION_SLOTS: _session_slots,
    rules.SESSION_FITS_SLOT: _fits_slot,
    rules.SESSION_WINDOW: _session_window,
    rules.THEME_FORBIDDEN: _theme_forbidden,
    rules.DIALOG_FOLLOWUP: _followup,
    rules.NETWORK_FIXED: _network_fixed,
}
"""How :func:`describe` says each rule, by rule name.  A rule without one (the built-in
rules with no numbers of their own, such as ``session_once``) falls back to its
:data:`RULE_TEXT` sentence with the subject."""


def _violation_dict(v: Violation) -> dict[str, Any]:
    return {
        "rule": v.rule,
        "subject": v.subject,
        "message": v.message,
        "sessions": list(v.sessions),
        "regions": list(v.regions),
    }
