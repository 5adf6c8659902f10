"""The proposed year: sessions, presenters, invitations and load.  No solver import.

A :class:`Plan` is what every exporter reads and what the checker judges.  It round-trips
through JSON exactly (``Plan.from_json(plan.to_json()) == plan``), so a saved plan can be
checked, reported on or replanned later, and two runs of the same scenario and seed write
the same bytes.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any, Literal
from zoneinfo import ZoneInfo

from .errors import PlanFileError
from .i18n import DEFAULT_LANGUAGE, KIND_LABELS, LANGUAGES, N_, Language, problem_patterns, their_problem
from .i18n import _ as gettext
from .options import SolveStatus

SessionKind = Literal["dialog", "hybrid", "learning", "network"]
# KIND_LABELS (kind → English name) lives in arshjul.i18n; calendars take each kind's word
# from the plan's language and labels (arshjul.i18n.Catalogue.kind).

Status = Literal["OPTIMAL", "FEASIBLE", "INFEASIBLE", "UNKNOWN", "MODEL_INVALID"]
"""The names of :class:`~arshjul.options.SolveStatus`, for callers that write them as text."""
PLAN_FORMAT = 1
FOCUS_MARK = " — "
"""Between a presenter and the focus area it presents wherever a running order is written,
in every language: "09:10–09:20 Region Stockholm — Life science" (:mod:`arshjul.edited`
splits a calendar's running order on it)."""


@dataclass(frozen=True)
class Presentation:
    """One slot in a dialog's running order: a region, or a group presenting jointly."""

    presenter: str
    """Region code (``SE-E``) or group id (``nms``)."""
    name: str
    regions: tuple[str, ...]
    """The region codes this slot speaks for (one, or a group's members)."""
    start: dt.datetime
    end: dt.datetime
    focus: str | None = None
    """The S3 focus area this slot presents (the scenario's ``interested`` entry's ``focus``;
    a group's members' areas joined with "; "); ``None`` when the scenario names none.  Left
    out of plan.json when ``None``, so plans without focus areas keep their bytes."""


@dataclass(frozen=True)
class Session:
    """One meeting on one day: a dialog, hybrid, learning or network meeting."""

    id: str
    """Stable identity: ``host.theme.N`` for dialogs, ``host.hybrid-id``, ``host.learning``,
    ``host.network.YYYY-MM-DD``.  Calendar UIDs derive from it."""
    kind: SessionKind
    host: str
    host_name: str
    title: str
    date: dt.date
    slot: str
    start: dt.datetime
    end: dt.datetime
    theme: str | None = None
    occurrence: int = 1
    host_start: dt.datetime | None = None
    """When the host's own slot in a dialog starts (first in the running order)."""
    host_end: dt.datetime | None = None
    presentations: tuple[Presentation, ...] = ()
    invited: tuple[str, ...] = ()
    """Region codes asked to this session (to present or to listen)."""
    followup_on: str | None = None
    """For a dialog: the network meeting where it is followed up."""
    followups: tuple[str, ...] = ()
    """For a network meeting: the dialogs it follows up."""
    description: str = ""
    location: str | None = None
    meeting_link: str | None = None
    sequence: int = 0
    """iCalendar SEQUENCE: raised each time a published session changes (invitation mode)."""

    @property
    def presenting_regions(self) -> tuple[str, ...]:
        """Every region that presents, a group's members included, in running order."""
        return tuple(code for p in self.presentations for code in p.regions)


@dataclass(frozen=True)
class Closure:
    """A closed stretch shown on calendars and the wheel: a holiday or a blackout."""

    name: str
    start: dt.date
    end: dt.date
    kind: Literal["holiday", "blackout"]


@dataclass(frozen=True)
class RegionLoad:
    """How hard the plan asks of one region: what fatigue limits look at."""

    code: str
    name: str
    invitations: int
    presentations: int
    by_month: dict[str, int]
    """Invitations per month, keys ``YYYY-MM`` for every month of the period."""
    worst_window: int
    """Most invitations in any rolling window of ``window_days``."""
    worst_window_start: dt.date | None


@dataclass
class Plan:
    """A proposed year, as solved (or as edited by hand and read back)."""

    scenario_id: str
    scenario_name: str
    timezone: str
    period_start: dt.date
    period_end: dt.date
    window_days: int
    status: SolveStatus
    objective: int | None = None
    bound: float | None = None
    wall_time: float = field(default=0.0, compare=False)
    """Seconds the solve took: shown on the terminal, never written to files (two runs of
    the same scenario and seed write byte-identical files)."""
    seed: int = 0
    interrupted: bool = field(default=False, compare=False)
    """The search was stopped by Ctrl-C (terminal only, not written to files)."""
    stalled: bool = field(default=False, compare=False)
    """The search stopped because the plan had stopped improving (terminal only)."""
    sessions: list[Session] = field(default_factory=list)
    terms: dict[str, int] = field(default_factory=dict)
    """Weighted objective terms by name; they sum to ``objective``."""
    regions: dict[str, str] = field(default_factory=dict)
    """Region code → name, in scenario order."""
    contacts: dict[str, str] = field(default_factory=dict)
    """Region code → contact e-mail, where the scenario gives one (invitation mode)."""
    hosts: dict[str, str] = field(default_factory=dict)
    """Host id → name."""
    host_emails: dict[str, str] = field(default_factory=dict)
    """Host id → organizer e-mail, where the scenario gives one."""
    window_max: dict[str, int] = field(default_factory=dict)
    """Region code → its invitation cap per ``window_days`` (for load pictures)."""
    publication_date: dt.date | None = None
    closures: list[Closure] = field(default_factory=list)
    language: Language = DEFAULT_LANGUAGE
    """Language of what the regions and planners receive (calendars, report, wheel, heat map,
    plan.xlsx): the scenario's ``language``."""
    labels: dict[str, str] = field(default_factory=dict)
    """Meeting kind → the agency's own word for it (the scenario's ``labels``)."""

    @property
    def found(self) -> bool:
        """True when the plan carries sessions (OPTIMAL or FEASIBLE)."""
        return self.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)

    @property
    def gap(self) -> float | None:
        """Relative distance between objective and bound (0 when proven optimal)."""
        if self.objective is None or self.bound is None:
            return None
        if self.objective == 0:
            return 0.0
        return max(0.0, (self.objective - self.bound) / abs(self.objective))

    def session(self, session_id: str) -> Session:
        for s in self.sessions:
            if s.id == session_id:
                return s
        raise KeyError(session_id)

    def sessions_for(self, code: str) -> list[Session]:
        """The sessions a region is invited to (presenting or listening)."""
        return [s for s in self.sessions if code in s.invited]

    def load(self) -> list[RegionLoad]:
        """Per-region load: invitations by month, worst rolling window, presentations."""
        # every region gets the same months: the period's, and any a session was moved to
        dates = [s.date for s in self.sessions]
        months = _months(min([self.period_start, *dates]), max([self.period_end, *dates]))
        out = []
        for code, name in self.regions.items():
            days = sorted(s.date for s in self.sessions if code in s.invited)
            by_month = dict.fromkeys(months, 0)
            for d in days:
                by_month[f"{d:%Y-%m}"] += 1
            worst, start = worst_window(days, self.window_days)
            out.append(
                RegionLoad(
                    code=code,
                    name=name,
                    invitations=len(days),
                    presentations=sum(code in s.presenting_regions for s in self.sessions),
                    by_month=by_month,
                    worst_window=worst,
                    worst_window_start=start,
                )
            )
        return out

    def sessions_per_month(self) -> dict[str, int]:
        counts = Counter(f"{s.date:%Y-%m}" for s in self.sessions)
        return {m: counts.get(m, 0) for m in _months(self.period_start, self.period_end)}

    # -- JSON ---------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        del data["wall_time"], data["interrupted"], data["stalled"]
        for session in data["sessions"]:
            for p in session["presentations"]:
                if p["focus"] is None:  # optional (format 1 files from before it load too)
                    del p["focus"]
        data = {"format": PLAN_FORMAT, **data}
        return _jsonable(data)

    def to_json(self) -> str:
        """Stable, human-diffable JSON: sorted keys, two-space indent, trailing newline."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str, source: str | None = None) -> Plan:
        try:
            data = json.loads(text, parse_constant=_no_constant)
        except json.JSONDecodeError as exc:
            raise PlanFileError(
                gettext("not valid JSON: {problem}").format(problem=their_problem(exc.msg, _JSON_PROBLEMS)),
                source=source,
                field=gettext("line {line}").format(line=exc.lineno),
            ) from None
        except RecursionError:
            raise PlanFileError(
                gettext("not valid JSON: {problem}").format(problem=gettext("nested too deeply")),
                source=source,
            ) from None
        except ValueError as exc:  # NaN/Infinity, or an integer of more than 4,300 digits
            raise PlanFileError(
                gettext("not valid JSON: {problem}").format(problem=exc), source=source
            ) from None
        return cls.from_dict(data, source)

    @classmethod
    def from_dict(cls, data: Any, source: str | None = None) -> Plan:
        """Rebuild a plan from its JSON form; any missing or mistyped field is one error line."""
        path = "(top level)"
        try:
            if not isinstance(data, dict):
                raise TypeError(gettext("a plan file must be a JSON object"))
            if data.get("format") != PLAN_FORMAT:
                path = "format"
                raise ValueError(
                    gettext("unsupported plan format {got!r} (expected {format})").format(
                        got=data.get("format"), format=PLAN_FORMAT
                    )
                )
            tz = ZoneInfo(_str(data["timezone"]))
            sessions = []
            for k, s in enumerate(data["sessions"]):
                path = f"sessions[{k}]"
                sessions.append(_session_from(s, tz))
            path = "status"
            status = _status(data["status"])
            path = "language"
            language = _language(data.get("language", DEFAULT_LANGUAGE))
            path = "labels"
            labels = _str_map(data.get("labels", {}))
            for kind in labels:
                if kind not in KIND_LABELS:
                    raise ValueError(gettext("no meeting kind {kind!r}").format(kind=kind))
            path = "period_end"
            period_start = dt.date.fromisoformat(data["period_start"])
            period_end = dt.date.fromisoformat(data["period_end"])
            if period_end < period_start:
                raise ValueError(_ends_before(period_end, period_start))
            path = "window_days"
            window_days = _bounded(data["window_days"], 1, MAX_DAYS)
            path = "(top level)"
            plan = cls(
                scenario_id=_str(data["scenario_id"]),
                scenario_name=_str(data["scenario_name"]),
                timezone=_str(data["timezone"]),
                period_start=period_start,
                period_end=period_end,
                window_days=window_days,
                status=status,
                objective=None if data.get("objective") is None else int(data["objective"]),
                bound=None if data.get("bound") is None else float(data["bound"]),
                wall_time=float(data.get("wall_time", 0.0)),
                seed=int(data.get("seed", 0)),
                sessions=sessions,
                terms={str(k): int(v) for k, v in dict(data.get("terms", {})).items()},
                regions=_str_map(data.get("regions", {})),
                contacts=_str_map(data.get("contacts", {})),
                hosts=_str_map(data.get("hosts", {})),
                host_emails=_str_map(data.get("host_emails", {})),
                window_max={str(k): int(v) for k, v in dict(data.get("window_max", {})).items()},
                publication_date=None
                if data.get("publication_date") is None
                else dt.date.fromisoformat(data["publication_date"]),
                closures=[
                    Closure(
                        name=_str(c["name"]),
                        start=dt.date.fromisoformat(c["start"]),
                        end=dt.date.fromisoformat(c["end"]),
                        kind=c["kind"],
                    )
                    for c in data.get("closures", [])
                ],
                language=language,
                labels=labels,
            )
            unsound = _unsound(plan)
            if unsound is not None:
                path, problem = unsound
                raise ValueError(problem)
            return plan
        except PlanFileError:
            raise
        except KeyError as exc:
            raise PlanFileError(
                gettext("missing field {name!r}").format(name=exc.args[0]), source=source, field=path
            ) from None
        except (TypeError, ValueError, AttributeError) as exc:
            problem = their_problem(str(exc), _PYTHON_PROBLEMS) if str(exc) else gettext("malformed value")
            raise PlanFileError(problem, source=source, field=path) from None
        except Exception as exc:  # zoneinfo raises several kinds for a bad zone name
            raise PlanFileError(
                gettext("malformed value ({kind})").format(kind=type(exc).__name__), source=source, field=path
            ) from None


def worst_window(days: list[dt.date], window_days: int) -> tuple[int, dt.date | None]:
    """Most dates of ``days`` (sorted, repeats allowed) inside any ``window_days``-day span."""
    best, start, lo = 0, None, 0
    for hi, day in enumerate(days):
        while (day - days[lo]).days >= window_days:
            lo += 1
        if hi - lo + 1 > best:
            best, start = hi - lo + 1, days[lo]
    return best, start


def _months(first: dt.date, last: dt.date) -> list[str]:
    out, y, m = [], first.year, first.month
    while (y, m) <= (last.year, last.month):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _ends_before(end: dt.date, start: dt.date) -> str:
    return gettext("the period ends ({end}) before it starts ({start})").format(end=end, start=start)


_JSON_PROBLEMS = problem_patterns(
    (
        # TRANSLATORS: the json module's own words, after "not valid JSON:"
        N_("Expecting value"),
        N_("Expecting ',' delimiter"),
        N_("Expecting ':' delimiter"),
        N_("Expecting property name enclosed in double quotes"),
        N_("Unterminated string starting at"),
        N_("Invalid control character at"),
        N_("Invalid \\escape"),
        N_("Invalid \\uXXXX escape"),
        N_("Extra data"),
    )
)
"""The json module's problems (its English words exactly): their translations' msgids."""

_PYTHON_PROBLEMS = problem_patterns(
    (
        # TRANSLATORS: Python's own words for a value it cannot read as a date or time
        N_("Invalid isoformat string: {value}"),
        N_("day is out of range for month"),
        N_("month must be in 1..12"),
        N_("year {year} is out of range"),
        N_("invalid literal for int() with base 10: {value}"),
    )
)
"""Python's problems with a date, a time or a number in a plan file: msgids, as above."""


def _status(value: Any) -> SolveStatus:
    """A status arshjul writes, as :class:`SolveStatus`; anything else is an error."""
    try:
        return SolveStatus(value)
    except ValueError:
        known = ", ".join(s.value for s in SolveStatus)
        raise ValueError(
            gettext("unknown status {value!r} (a plan's status is one of {known})").format(
                value=value, known=known
            )
        ) from None


PLAN_MAX_DAYS = 4 * 366
"""The longest period a plan file may span (a scenario spans at most three years)."""

PLAN_MAX_NUMBER = 10**12
"""The largest penalty, bound, count or SEQUENCE a plan file may hold."""


def _unsound(plan: Plan) -> tuple[str, str] | None:
    """(field, problem) for a plan file that arshjul could not have written, else ``None``."""
    span = (plan.period_end - plan.period_start).days
    if span < 0:
        return "period_end", _ends_before(plan.period_end, plan.period_start)
    if span > PLAN_MAX_DAYS:
        return "period_end", gettext("a period of {days} days is longer than a plan can be ({most})").format(
            days=span, most=PLAN_MAX_DAYS
        )
    if not 1 <= plan.window_days <= 366:
        return "window_days", gettext("{value} is not a window length (1 to 366 days)").format(
            value=plan.window_days
        )
    numbers: list[tuple[str, float | int | None]] = [
        ("objective", plan.objective),
        ("bound", plan.bound),
        ("wall_time", plan.wall_time),
        ("seed", plan.seed),
        *((f"terms.{k}", v) for k, v in plan.terms.items()),
        *((f"window_max.{k}", v) for k, v in plan.window_max.items()),
        *((f"sessions[{k}].sequence", s.sequence) for k, s in enumerate(plan.sessions)),
        *((f"sessions[{k}].occurrence", s.occurrence) for k, s in enumerate(plan.sessions)),
    ]
    for name, value in numbers:
        if value is not None and not (abs(value) <= PLAN_MAX_NUMBER):  # also NaN
            return name, gettext("{value} is out of range (at most {most:,} in size)").format(
                value=value, most=PLAN_MAX_NUMBER
            )
    for name, value in numbers[2:]:
        if value is not None and value < 0 and not name.startswith("terms."):
            return name, gettext("{value} is negative").format(value=value)
    for k, s in enumerate(plan.sessions):
        if not plan.period_start <= s.date <= plan.period_end:
            return (
                f"sessions[{k}].date",
                gettext("{day} is outside the period {start}..{end}").format(
                    day=s.date, start=plan.period_start, end=plan.period_end
                ),
            )
    return None


MAX_DAYS = 100_000
"""The most days a window may span (as a scenario's ``window_days``)."""
MAX_SEQUENCE = 2**31 - 1
"""iCalendar's SEQUENCE is an INTEGER: at most 2,147,483,647 (RFC 5545 3.3.8)."""


def _no_constant(name: str) -> Any:
    raise ValueError(gettext("{name} is not a JSON number").format(name=name))


def _bounded(value: Any, lo: int, hi: int) -> int:
    """A whole number from ``lo`` to ``hi`` (a JSON float that is whole is taken too)."""
    number = int(value)
    if number != value or isinstance(value, bool):
        raise ValueError(gettext("expected a whole number, got {value!r}").format(value=value))
    if not lo <= number <= hi:
        raise ValueError(gettext("{number} is not from {lo} to {hi:,}").format(number=number, lo=lo, hi=hi))
    return number


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(gettext("expected text, got {kind}").format(kind=type(value).__name__))
    return value


def _str_map(value: Any) -> dict[str, str]:
    return {_str(k): _str(v) for k, v in dict(value).items()}


def _language(value: Any) -> Language:
    for known in LANGUAGES:
        if value == known:
            return known
    raise ValueError(
        gettext("unknown language {value!r} (expected {languages})").format(
            value=value, languages=gettext(" or ").join(LANGUAGES)
        )
    )


def _opt_str(value: Any) -> str | None:
    return None if value is None else _str(value)


def _time(value: Any, tz: ZoneInfo) -> dt.datetime:
    t = dt.datetime.fromisoformat(_str(value))
    if t.tzinfo is None:
        return t.replace(tzinfo=tz)
    return t.astimezone(tz)


def _session_from(s: dict[str, Any], tz: ZoneInfo) -> Session:
    if s["kind"] not in KIND_LABELS:
        raise ValueError(gettext("unknown session kind {kind!r}").format(kind=s["kind"]))
    start, end = _time(s["start"], tz), _time(s["end"], tz)
    if end <= start:
        raise ValueError(gettext("session ends before it starts"))
    return Session(
        id=_str(s["id"]),
        kind=s["kind"],
        host=_str(s["host"]),
        host_name=_str(s.get("host_name", s["host"])),
        title=_str(s["title"]),
        date=dt.date.fromisoformat(s["date"]),
        slot=_str(s["slot"]),
        start=start,
        end=end,
        theme=_opt_str(s.get("theme")),
        occurrence=_bounded(s.get("occurrence", 1), 1, MAX_DAYS),
        host_start=None if s.get("host_start") is None else _time(s["host_start"], tz),
        host_end=None if s.get("host_end") is None else _time(s["host_end"], tz),
        presentations=tuple(
            Presentation(
                presenter=_str(p["presenter"]),
                name=_str(p["name"]),
                regions=tuple(_str(r) for r in p["regions"]),
                start=_time(p["start"], tz),
                end=_time(p["end"], tz),
                focus=_opt_str(p.get("focus")),
            )
            for p in s.get("presentations", [])
        ),
        invited=tuple(_str(r) for r in s.get("invited", [])),
        followup_on=_opt_str(s.get("followup_on")),
        followups=tuple(_str(x) for x in s.get("followups", [])),
        description=_str(s.get("description", "")),
        location=_opt_str(s.get("location")),
        meeting_link=_opt_str(s.get("meeting_link")),
        sequence=_bounded(s.get("sequence", 0), 0, MAX_SEQUENCE),
    )
