"""What the planner writes: the scenario file, validated.

A scenario is YAML (comments allowed) checked by pydantic v2.  Unknown keys are errors, so a
typo never silently falls back to a default.  Every rule has a default, so a small scenario
stays small.  Cross-references (regions named in themes, hosts named by sessions, slots,
dates inside the period) are checked after the field-level validation, and every problem
becomes one :class:`~arshjul.errors.ScenarioError` line: ``file: field.path: problem``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from .errors import ScenarioError
from .extends import Origin, locate, merge, unmerged
from .workbook.reader import read_workbook

MAX_FILE_BYTES = 5 * 1024 * 1024
"""Largest scenario file read; a real year of 240 regions is well under 1 MB."""

MAX_REGIONS = 1000
"""Most regions in one scenario (Europe's smart-specialisation regions are about 240)."""

MAX_SESSIONS = 2000
"""Most sessions (dialogs, hybrids, network meetings) in one scenario: beyond this the model
would not fit a planner's machine; split the scenario by host or by year."""

RESERVED_NAMES = frozenset(
    ["con", "prn", "aux", "nul"] + [f"com{i}" for i in range(1, 10)] + [f"lpt{i}" for i in range(1, 10)]
)
"""Ids become file names (themes/<id>.ics); these cannot be files on Windows."""

MAX_YAML_ALIASES = 200
"""YAML anchors are handy; an alias bomb is not.  More aliases than this is an error."""

MAX_CHAIN = 20
"""Longest ``extends`` chain followed; more is surely a mistake."""

Id = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,47}$"),
]
"""Ids become parts of file names and calendar UIDs: lower-case ASCII, digits, ``-`` and ``_``."""

RegionCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}-[A-Z0-9]{1,3}$")]
"""ISO 3166-2 subdivision code such as ``SE-E``; also safe as a file name."""

Name = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Text = Annotated[str, StringConstraints(max_length=5000)]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WORKWEEK: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri")
InvitePolicy = Literal["all", "interested", "presenters"]
PositiveInt = Annotated[int, Field(ge=1, le=100_000)]
NonNegInt = Annotated[int, Field(ge=0, le=100_000)]
Weight = Annotated[int, Field(ge=0, le=1_000_000)]

_WEEK = re.compile(r"^(?:(\d{4})-)?W(\d{1,2})$")


class Strict(BaseModel):
    """Base for every scenario object: unknown keys are errors, values are re-validated."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, str_strip_whitespace=True)


class Span(Strict):
    """A stretch of days, inclusive at both ends.

    In YAML a span may be written ``2027-05-03`` (one day), ``2027-05-03..2027-05-14``
    (a range), ``2027-W07`` or ``W07`` (an ISO week; without a year it repeats every year of
    the period), ``W07..W08`` (weeks), or as a mapping ``{name, from, to}``.
    """

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    name: Name | None = None
    start: dt.date | None = Field(default=None, alias="from")
    end: dt.date | None = Field(default=None, alias="to")
    weeks: tuple[int, int] | None = None
    """ISO weeks first..last without a year: resolved in each year of the period."""

    @model_validator(mode="before")
    @classmethod
    def _parse_text(cls, value: Any) -> Any:
        if isinstance(value, dt.date):
            return {"from": value, "to": value}
        if not isinstance(value, str):
            return value
        text = value.strip()
        left, _, right = text.partition("..")
        right = right or left
        lw, rw = _WEEK.match(left.strip()), _WEEK.match(right.strip())
        if lw and rw:
            if bool(lw.group(1)) != bool(rw.group(1)):
                raise ValueError(f"'{text}': give a year on both weeks or on neither")
            if lw.group(1):
                return {
                    "from": _iso_week_day(int(lw.group(1)), int(lw.group(2)), 1),
                    "to": _iso_week_day(int(rw.group(1)), int(rw.group(2)), 7),
                }
            return {"weeks": (int(lw.group(2)), int(rw.group(2)))}
        try:
            return {"from": dt.date.fromisoformat(left.strip()), "to": dt.date.fromisoformat(right.strip())}
        except ValueError:
            raise ValueError(
                f"'{text}' is not a date, a date range 'A..B', or an ISO week like '2027-W07'"
            ) from None

    @model_validator(mode="after")
    def _check(self) -> Span:
        if self.weeks is not None:
            a, b = self.weeks
            for w in (a, b):
                if not 1 <= w <= 53:
                    raise ValueError(f"week {w} does not exist (weeks are 1..53)")
            if b < a:
                raise ValueError(f"week range ends (W{b:02d}) before it starts (W{a:02d})")
            return self
        if self.start is None or self.end is None:
            raise ValueError("a span needs both 'from' and 'to' (or a week)")
        if self.end < self.start:
            raise ValueError(f"ends ({self.end}) before it starts ({self.start})")
        return self

    def days(self, first: dt.date, last: dt.date) -> Iterator[dt.date]:
        """Every day of this span that falls inside ``first..last``."""
        if self.weeks is not None:
            a, b = self.weeks
            for year in range(first.isocalendar().year, last.isocalendar().year + 1):
                for week in range(a, b + 1):
                    try:
                        monday = _iso_week_day(year, week, 1)
                    except ValueError:
                        continue  # week 53 in a year that has 52
                    for k in range(7):
                        day = monday + dt.timedelta(days=k)
                        if first <= day <= last:
                            yield day
            return
        assert self.start is not None and self.end is not None
        day = max(self.start, first)
        while day <= min(self.end, last):
            yield day
            day += dt.timedelta(days=1)

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> Any:
        """Editors must accept the short text forms too, not only the mapping."""
        mapping = handler(core_schema)
        text = {
            "type": "string",
            "description": "A date (2027-05-03), a range (2027-05-03..2027-05-14), "
            "an ISO week (2027-W07 or W07) or weeks (W07..W08)",
            "pattern": r"^\s*(\d{4}-\d{2}-\d{2}|(\d{4}-)?W\d{1,2})"
            r"(\s*\.\.\s*(\d{4}-\d{2}-\d{2}|(\d{4}-)?W\d{1,2}))?\s*$",
        }
        return {"anyOf": [text, mapping]}

    def describe(self) -> str:
        """How the planner would write it back, for messages."""
        label = f"{self.name} " if self.name else ""
        if self.weeks is not None:
            a, b = self.weeks
            return f"{label}(weeks {a}–{b})" if a != b else f"{label}(week {a})"
        if self.start == self.end:
            return f"{label}({self.start})"
        return f"{label}({self.start}..{self.end})"


def _iso_week_day(year: int, week: int, weekday: int) -> dt.date:
    return dt.date.fromisocalendar(year, week, weekday)


class Period(Strict):
    """The planned stretch: a calendar year or any span of days."""

    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _order(self) -> Period:
        if self.end < self.start:
            raise ValueError(f"ends ({self.end}) before it starts ({self.start})")
        if (self.end - self.start).days > 3 * 366:
            raise ValueError("is longer than three years; plan at most three years at once")
        return self


class Slot(Strict):
    """A meeting slot of the day in local time, e.g. morning 09:00–12:00."""

    id: Id
    name: Name | None = None
    start: dt.time
    end: dt.time

    @field_validator("start", "end", mode="before")
    @classmethod
    def _quoted(cls, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            h, m = divmod(value, 60)
            raise ValueError(
                f"write times in quotes, like '{h:02d}:{m:02d}' "
                f"(unquoted, YAML reads {h}:{m:02d} as the number {value})"
            )
        return value

    @model_validator(mode="after")
    def _order(self) -> Slot:
        if self.end <= self.start:
            raise ValueError(f"ends ({self.end}) before it starts ({self.start})")
        return self

    @property
    def minutes(self) -> int:
        return (self.end.hour * 60 + self.end.minute) - (self.start.hour * 60 + self.start.minute)


def _default_slots() -> list[Slot]:
    return [
        Slot(id="morning", name="förmiddag", start=dt.time(9), end=dt.time(12)),
        Slot(id="afternoon", name="eftermiddag", start=dt.time(13), end=dt.time(16)),
    ]


def _default_blackouts() -> list[Span]:
    return [
        Span.model_validate({"name": "Sommar", "weeks": (27, 32)}),
        Span.model_validate({"name": "Jul och nyår", "weeks": (52, 53)}),
        Span.model_validate({"name": "Trettondagen", "weeks": (1, 1)}),
    ]


class CalendarRules(Strict):
    """Which days are meeting days at all."""

    holidays: bool = True
    """Swedish public and de-facto holidays (``holidays`` package) are never meeting days."""
    close_half_day_afternoons: bool = True
    """Afternoons of the half days before holidays (from 14:00) are closed."""
    close_bridge_days: bool = False
    """Also close klämdagar (bridge days between a holiday and a weekend)."""
    blackouts: list[Span] = Field(default_factory=_default_blackouts)
    """Named periods with no meetings: by default summer (weeks 27–32) and Christmas to
    Epiphany.  Give an empty list to plan through them."""
    school_holidays: bool = True
    """Apply each region's school holidays (sportlov by county, höstlov week 44, påsklov)
    as days that region cannot present; it may still listen, and is invited and counted as
    on any other day (staff take the holidays, the region does not close).  A region may
    override its own list."""


class Limits(Strict):
    """Invitation fatigue and preparation: the planners' tempo rules."""

    window_days: PositiveInt = 28
    """Length of the rolling window for the invitation cap, in days."""
    window_max: NonNegInt = 4
    """At most this many invitations to one region in any ``window_days`` days."""
    daily_max: PositiveInt = 1
    """At most this many invitations to one region on one day."""
    max_presentations: NonNegInt = 2
    """At most this many presentations by one region in the period."""
    presentation_gap_days: NonNegInt = 42
    """At least this many days between two presentations by the same region."""
    lead_time_days: NonNegInt = 21
    """No session earlier than this many days after the publication date."""
    host_gap_days: PositiveInt = 7
    """Sessions of one host at least this many days apart (1 = at most one a day)."""


class RegionLimits(Strict):
    """Per-region overrides of :class:`Limits`; unset fields use the scenario's."""

    window_max: NonNegInt | None = None
    daily_max: PositiveInt | None = None
    max_presentations: NonNegInt | None = None
    presentation_gap_days: NonNegInt | None = None


class Weights(Strict):
    """Objective weights: the plan minimises the weighted sum of these penalties."""

    match: Weight = 10
    """Per unit of interest weight left unpresented (a region interested in a theme that
    does not present on it)."""
    coverage: Weight = 40
    """Per region that is interested in something but presents nowhere."""
    spread: Weight = 5
    """Per session in the busiest month (an even spread over the months)."""
    preferred_month: Weight = 20
    """Per dialog held outside its theme's preferred months."""
    balance: Weight = 3
    """Per presenter of difference between the fullest and the emptiest dialog."""


class Interest(Strict):
    region: RegionCode
    weight: Annotated[int, Field(ge=1, le=100)] = 1


class Theme(Strict):
    """A thematic area (*område*) a host runs strategic quick dialogs on."""

    id: Id
    name: Name
    description: Text = ""
    dialogs: Annotated[int, Field(ge=1, le=52)] = 1
    """How many dialogs on this theme in the whole period — not per year: over a two-year
    period, ``dialogs: 2`` is two dialogs in the two years (write 4 for two a year).
    ``preferred_months`` apply to every year alike, a dated ``window`` is one span (weeks
    written ``W07..W08`` repeat every year).  ``arshjul validate`` warns on a period longer
    than a year."""
    preferred_months: list[Annotated[int, Field(ge=1, le=12)]] = Field(default_factory=list)
    forbidden: list[Span] = Field(default_factory=list)
    """Hard: no dialog of this theme on these days."""
    window: Span | None = None
    """Hard: every dialog of this theme inside this span."""
    slots: list[Id] | None = None
    """Which meeting slots a dialog may use (default: all)."""
    presenter_minutes: Annotated[int, Field(ge=1, le=240)] = 10
    host_minutes: Annotated[int, Field(ge=0, le=240)] = 10
    min_presenters: NonNegInt = 1
    max_presenters: NonNegInt = 9
    tags: list[Name] = Field(default_factory=list)
    """Matched against the regions' S3 tags when ``interested`` is not given."""
    interested: list[RegionCode | Interest] | None = None
    """Regions interested in presenting; default: those whose S3 tags meet ``tags``."""
    interest_weight: Annotated[int, Field(ge=1, le=100)] = 1
    """Weight of a region found by tag matching."""
    invite: InvitePolicy = "interested"
    """Who is invited: every region, the interested ones (to present or listen), or only
    the presenters."""

    @model_validator(mode="after")
    def _presenters(self) -> Theme:
        if self.max_presenters < self.min_presenters:
            raise ValueError(
                f"max_presenters ({self.max_presenters}) is below min_presenters ({self.min_presenters})"
            )
        return self

    def interest(self) -> list[Interest]:
        return [Interest(region=i) if isinstance(i, str) else i for i in self.interested or []]


class Host(Strict):
    """Who holds meetings: Vinnova, another agency, or a region."""

    id: Id
    name: Name
    email: Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")] | None = None
    location: Text | None = None
    meeting_link: Text | None = None
    gap_days: PositiveInt | None = None
    """Override of ``limits.host_gap_days`` for this host."""
    themes: list[Theme] = Field(default_factory=list)


class S3Area(Strict):
    """A focus area of a region's smart specialisation strategy."""

    name: Name
    tags: list[Name] = Field(default_factory=list)


class Region(Strict):
    """One of the regions (RUA) taking part."""

    code: RegionCode
    name: Name
    county: Name | None = None
    """County name used to look up shipped school holidays (default: from the code)."""
    contact: Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")] | None = None
    s3: list[S3Area] = Field(default_factory=list)
    away: list[Span] = Field(
        default_factory=list,
        description=(
            "Days the region takes no part at all (holiday, its own conference, the political "
            "calendar): it neither presents nor is invited, so a session held on such a day "
            "does not count toward its invitation caps and is not in its calendar."
        ),
        examples=[["2027-06-28..2027-07-02", "2027-W44"]],
    )
    cannot_present: list[Span] = Field(
        default_factory=list,
        description=(
            "Days the region cannot present (no one ready) but may listen: it is still "
            "invited, and the invitation counts toward its caps."
        ),
        examples=[["2027-03-01..2027-03-12"]],
    )
    unavailable: list[Span] = Field(
        default_factory=list,
        description="The older name of `away` (the same meaning: not invited, not presenting).",
        examples=[["2027-06-28..2027-07-02"]],
    )
    school_holidays: list[Span] | None = None
    """Overrides the shipped sportlov/höstlov/påsklov weeks for this region (days it cannot
    present but may listen, like ``cannot_present``)."""
    limits: RegionLimits = Field(default_factory=RegionLimits)

    def away_spans(self) -> list[tuple[str, int, Span]]:
        """Every away span, as (field, index, span): ``away`` first, then ``unavailable``."""
        return [("away", k, span) for k, span in enumerate(self.away)] + [
            ("unavailable", k, span) for k, span in enumerate(self.unavailable)
        ]


class Group(Strict):
    """Regions that may present jointly in one shared slot (e.g. NMS)."""

    id: Id
    name: Name
    members: list[RegionCode] = Field(min_length=2)


class Hybrid(Strict):
    """An open hybrid information/identification session on a topic."""

    id: Id
    host: Id
    topic: Name
    description: Text = ""
    window: Span | None = None
    slots: list[Id] | None = None
    duration_minutes: Annotated[int, Field(ge=15, le=600)] = 120
    invite: Literal["all", "interested"] = "all"
    tags: list[Name] = Field(default_factory=list)
    """With ``invite: interested``, the regions whose S3 tags meet these are invited."""


class LearningMeeting(Strict):
    """The learning meeting (*lärmöte*) about the format, before the first dialog."""

    host: Id
    name: Name = "Lärmöte om strategiska snabbdialoger"
    description: Text = ""
    window: Span | None = None
    slots: list[Id] | None = None
    duration_minutes: Annotated[int, Field(ge=15, le=600)] = 60
    days_before_first_dialog: NonNegInt = 7
    """Held at least this many days before every dialog."""


class NetworkMeetings(Strict):
    """Fixed, recurring meetings of the regional-national (RND) network."""

    host: Id
    name: Name = "RND-nätverksmöte"
    description: Text = ""
    dates: list[dt.date] = Field(min_length=1)
    slot: Id = "morning"
    duration_minutes: Annotated[int, Field(ge=15, le=600)] = 120
    invite: Literal["all"] = "all"
    followup_weeks: NonNegInt | None = 2
    """Each dialog is followed up on the first network meeting at least this many weeks
    after it; that meeting must exist in the period.  ``null`` switches follow-up off."""


class Scenario(Strict):
    """A whole planning scenario: the year, the rules, the people."""

    id: Id
    name: Name
    description: Text = ""
    period: Period
    timezone: Name = "Europe/Stockholm"
    slots: list[Slot] = Field(default_factory=_default_slots, min_length=1)
    weekdays: list[Weekday] = Field(default_factory=lambda: list(_WORKWEEK))
    publication_date: dt.date | None = None
    """When invitations go out; lead time counts from here (default: the period start)."""
    calendar: CalendarRules = Field(default_factory=CalendarRules)
    limits: Limits = Field(default_factory=Limits)
    weights: Weights = Field(default_factory=Weights)
    hosts: list[Host] = Field(min_length=1)
    regions: list[Region] = Field(min_length=1)
    groups: list[Group] = Field(default_factory=list)
    hybrids: list[Hybrid] = Field(default_factory=list)
    learning_meeting: LearningMeeting | None = None
    network: NetworkMeetings | None = None

    @field_validator("weekdays")
    @classmethod
    def _weekdays(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("needs at least one weekday")
        return sorted(set(value), key=WEEKDAYS.index)

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone '{value}' (use an IANA name such as Europe/Stockholm)"
            ) from None
        return value

    # -- convenience used by the layers below ---------------------------------------------

    def region(self, code: str) -> Region:
        return next(r for r in self.regions if r.code == code)

    def host(self, host_id: str) -> Host:
        return next(h for h in self.hosts if h.id == host_id)

    def themes(self) -> Iterator[tuple[Host, Theme]]:
        for host in self.hosts:
            for theme in host.themes:
                yield host, theme

    @property
    def first_open_day(self) -> dt.date:
        """No session before the publication date plus the lead time, nor before the period."""
        published = self.publication_date or self.period.start
        return max(self.period.start, published + dt.timedelta(days=self.limits.lead_time_days))


# -- cross-reference checks -----------------------------------------------------------------


def _duplicates(values: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    dup: list[str] = []
    for v in values:
        if v in seen and v not in dup:
            dup.append(v)
        seen.add(v)
    return dup


def cross_check(s: Scenario) -> None:
    """References and dates that field validation cannot see; raises the first problem."""

    def fail(field: str, problem: str) -> None:
        raise ScenarioError(problem, field=field)

    codes = {r.code for r in s.regions}
    hosts = {h.id for h in s.hosts}
    slots = {sl.id for sl in s.slots}

    named = [("id", s.id)]
    named += [(f"hosts[{i}].id", h.id) for i, h in enumerate(s.hosts)]
    named += [
        (f"hosts[{i}].themes[{j}].id", t.id) for i, h in enumerate(s.hosts) for j, t in enumerate(h.themes)
    ]
    named += [(f"groups[{i}].id", g.id) for i, g in enumerate(s.groups)]
    named += [(f"hybrids[{i}].id", h.id) for i, h in enumerate(s.hybrids)]
    for field, value in named:
        if value.split(".")[0] in RESERVED_NAMES:
            fail(field, f"'{value}' is reserved as a file name on Windows; choose another id")

    sessions = (
        sum(t.dialogs for _, t in s.themes()) + len(s.hybrids) + len(s.network.dates if s.network else [])
    )
    if len(s.regions) > MAX_REGIONS:
        fail("regions", f"{len(s.regions)} regions; arshjul plans at most {MAX_REGIONS} at once")
    if sessions > MAX_SESSIONS:
        fail("hosts", f"{sessions} sessions in all; arshjul plans at most {MAX_SESSIONS} at once")

    for field, values in (
        ("regions", [r.code for r in s.regions]),
        ("hosts", [h.id for h in s.hosts]),
        ("slots", [sl.id for sl in s.slots]),
        ("groups", [g.id for g in s.groups]),
        ("hybrids", [h.id for h in s.hybrids]),
    ):
        for dup in _duplicates(values):
            fail(field, f"'{dup}' is listed twice")
    theme_ids = [t.id for _, t in s.themes()]
    for dup in _duplicates(theme_ids):
        fail("hosts", f"theme id '{dup}' is used twice (theme ids must be unique across hosts)")
    for dup in _duplicates([*theme_ids, *(h.id for h in s.hybrids)]):
        fail("hybrids", f"id '{dup}' is used by both a theme and a hybrid session")

    def in_period(field: str, day: dt.date) -> None:
        if not s.period.start <= day <= s.period.end:
            fail(field, f"{day} is outside the period {s.period.start}..{s.period.end}")

    def check_span(field: str, span: Span) -> None:
        if span.weeks is None:
            assert span.start is not None and span.end is not None
            if span.end < s.period.start or span.start > s.period.end:
                fail(
                    field,
                    f"{span.describe().strip()} lies outside the period {s.period.start}..{s.period.end}",
                )

    def check_slots(field: str, wanted: list[str] | None) -> None:
        for k, sl in enumerate(wanted or []):
            if sl not in slots:
                fail(f"{field}[{k}]", f"unknown slot '{sl}' (slots are: {', '.join(sorted(slots))})")
        if wanted is not None and not wanted:
            fail(field, "is empty; leave it out to allow every slot")

    if s.publication_date and s.publication_date > s.period.end:
        fail("publication_date", f"{s.publication_date} is after the period ends ({s.period.end})")
    if s.first_open_day > s.period.end:
        fail(
            "limits.lead_time_days", f"{s.limits.lead_time_days} days of lead time leave no day in the period"
        )
    for k, span in enumerate(s.calendar.blackouts):
        check_span(f"calendar.blackouts[{k}]", span)

    for hi, host in enumerate(s.hosts):
        for ti, theme in enumerate(host.themes):
            f = f"hosts[{hi}].themes[{ti}]"
            for k, i in enumerate(theme.interest()):
                if i.region not in codes:
                    fail(f"{f}.interested[{k}]", f"unknown region '{i.region}'")
            for dup in _duplicates(i.region for i in theme.interest()):
                fail(f"{f}.interested", f"region '{dup}' is listed twice")
            check_slots(f"{f}.slots", theme.slots)
            for k, span in enumerate(theme.forbidden):
                check_span(f"{f}.forbidden[{k}]", span)
            if theme.window:
                check_span(f"{f}.window", theme.window)
            for sl in s.slots:
                if theme.slots is None or sl.id in theme.slots:
                    need = theme.host_minutes + theme.min_presenters * theme.presenter_minutes
                    if need > sl.minutes:
                        fail(
                            f"{f}.min_presenters",
                            f"{theme.min_presenters} presenters of {theme.presenter_minutes} min plus "
                            f"{theme.host_minutes} min for the host do not fit the "
                            f"{sl.minutes}-minute slot '{sl.id}'",
                        )

    for ri, region in enumerate(s.regions):
        for name in ("away", "cannot_present", "unavailable"):
            for k, span in enumerate(getattr(region, name)):
                check_span(f"regions[{ri}].{name}[{k}]", span)

    grouped: dict[str, str] = {}
    for gi, group in enumerate(s.groups):
        for k, code in enumerate(group.members):
            if code not in codes:
                fail(f"groups[{gi}].members[{k}]", f"unknown region '{code}'")
            if code in grouped and grouped[code] != group.id:
                fail(
                    f"groups[{gi}].members[{k}]",
                    f"region '{code}' is already in group '{grouped[code]}'; "
                    "a region can present jointly in one group only",
                )
            grouped[code] = group.id
        for dup in _duplicates(group.members):
            fail(f"groups[{gi}].members", f"region '{dup}' is listed twice")
        if group.id.upper() in codes:
            fail(f"groups[{gi}].id", f"'{group.id}' clashes with a region code")

    for hi, hybrid in enumerate(s.hybrids):
        if hybrid.host not in hosts:
            fail(f"hybrids[{hi}].host", f"unknown host '{hybrid.host}'")
        check_slots(f"hybrids[{hi}].slots", hybrid.slots)
        if hybrid.window:
            check_span(f"hybrids[{hi}].window", hybrid.window)

    if s.learning_meeting:
        lm = s.learning_meeting
        if lm.host not in hosts:
            fail("learning_meeting.host", f"unknown host '{lm.host}'")
        check_slots("learning_meeting.slots", lm.slots)
        if lm.window:
            check_span("learning_meeting.window", lm.window)

    if s.network:
        net = s.network
        if net.host not in hosts:
            fail("network.host", f"unknown host '{net.host}'")
        if net.slot not in slots:
            fail("network.slot", f"unknown slot '{net.slot}' (slots are: {', '.join(sorted(slots))})")
        for k, day in enumerate(net.dates):
            in_period(f"network.dates[{k}]", day)
        for dup in _duplicates(str(d) for d in net.dates):
            fail("network.dates", f"{dup} is listed twice")


# -- loading --------------------------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    """Safe YAML (no object tags) with a cap on aliases against expansion bombs."""

    aliases_seen = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self.aliases_seen += 1
            if self.aliases_seen > MAX_YAML_ALIASES:
                raise ScenarioError(f"more than {MAX_YAML_ALIASES} YAML aliases; refusing to expand them")
        return super().compose_node(parent, index)

    def construct_yaml_timestamp(self, node: Any) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as exc:
            mark = node.start_mark
            raise ScenarioError(
                f"{node.value} is not a date ({exc})", field=f"line {mark.line + 1}, column {mark.column + 1}"
            ) from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def _loc(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in _BRANCHES or "[" in str(part):
            continue
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


_EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
_PATTERNS = {
    r"^[a-z0-9][a-z0-9_-]{0,47}$": "{got!r} is not a valid id; use a-z, 0-9, '-' and '_' only "
    "(no capitals, no å/ä/ö, at most 48 characters)",
    r"^[A-Z]{2}-[A-Z0-9]{1,3}$": "{got!r} is not a region code; use the ISO 3166-2 code, "
    "such as 'SE-E' or 'SE-AB'",
    _EMAIL: "{got!r} is not an e-mail address",
}


def _shown(got: Any) -> str:
    return got.isoformat() if isinstance(got, dt.date | dt.time) else repr(got)


def _message(err: dict[str, Any]) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    got = err.get("input")
    if kind == "extra_forbidden":
        return "unknown field (check the spelling; `arshjul schema` lists the fields)"
    if kind == "missing":
        return "is required"
    if kind == "string_pattern_mismatch" and ctx.get("pattern") in _PATTERNS:
        return _PATTERNS[ctx["pattern"]].format(got=got)
    if kind == "too_short":
        n = ctx.get("min_length")
        return f"needs at least {n} {'item' if n == 1 else 'items'}, got {ctx.get('actual_length') or 'none'}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"Input should be a mapping of fields (got {_shown(got)})"
    msg = str(err["msg"])
    msg = msg.removeprefix("Value error, ")
    typed = kind.endswith("_type") or kind.endswith("_parsing") or kind == "literal_error"
    if typed and not isinstance(got, dict | list):
        return f"{msg} (got {_shown(got)})"
    return msg


_BRANCHES = ("constrained-str", "Interest")
"""Union branches pydantic names in error locations (``interested``: a code or a mapping)."""


def _pick(errors: list[Any]) -> Any:
    """The first error; of a union, the branch that fits the input rather than a 'wrong type' one."""
    first = errors[0]
    loc = first["loc"]
    cut = next((k for k, part in enumerate(loc) if part in _BRANCHES), None)
    if cut is None:
        return first
    same = [e for e in errors if e["loc"][:cut] == loc[:cut]]
    fitting = [e for e in same if not e["type"].endswith("_type")]
    return (fitting or same)[0]


def from_data(data: Any, source: str | None = None) -> Scenario:
    """Validate plain data (as parsed from YAML or JSON) into a :class:`Scenario`."""
    if data is None:
        raise ScenarioError(
            "is empty; a scenario needs at least id, name, period, hosts and regions", source=source
        )
    if not isinstance(data, dict):
        raise ScenarioError(
            "a scenario must be a mapping of fields (got " + type(data).__name__ + ")", source=source
        )
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        first = _pick(exc.errors())
        raise ScenarioError(_message(dict(first)), source=source, field=_loc(first["loc"])) from None
    try:
        cross_check(scenario)
    except ScenarioError as exc:
        raise exc.located(source) if source else exc from None
    return scenario


def parse_yaml(text: str, source: str | None = None) -> Any:
    """YAML text to plain data, with file-and-line errors."""
    try:
        return yaml.load(text, Loader=_Loader)
    except ScenarioError as exc:
        raise exc.located(source) if source else exc from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(unknown place)"
        problem = str(exc.problem)
        tag = re.match(r"could not determine a constructor for the tag '(.*)'", problem)
        if tag:
            short = tag.group(1).replace("tag:yaml.org,2002:", "!!")
            raise ScenarioError(
                f"YAML tag '{short}' is not allowed; a scenario holds plain data only",
                source=source,
                field=where,
            ) from None
        if "<block" in problem:
            problem = "the indentation does not match the lines above"
        raise ScenarioError(f"not valid YAML: {problem}", source=source, field=where) from None
    except yaml.YAMLError as exc:
        raise ScenarioError(f"not valid YAML: {exc}", source=source) from None
    except RecursionError:
        raise ScenarioError("YAML nested too deeply", source=source) from None


def read_text(path: Path) -> str:
    """A file's text, with one-line errors for missing, huge or non-UTF-8 files."""
    source = str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ScenarioError("no such file", source=source) from None
    except OSError as exc:
        raise ScenarioError(f"cannot read: {exc.strerror}", source=source) from None
    if path.is_dir():
        raise ScenarioError("is a folder, not a file", source=source)
    if size > MAX_FILE_BYTES:
        raise ScenarioError(
            f"is {size / 1e6:.1f} MB; scenario files are limited to {MAX_FILE_BYTES // (1024 * 1024)} MB",
            source=source,
        )
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ScenarioError(
            f"not UTF-8 text (byte {exc.start}); save the file as UTF-8", source=source, field=f"line {line}"
        ) from None


def load(path: str | Path) -> Scenario:
    """Read and validate a scenario file (an ``extends:`` chain is merged first)."""
    p = Path(path)
    if p.suffix.lower() == ".xlsx":  # the planning workbook; errors name sheet and cell
        return read_workbook(p, MAX_FILE_BYTES).validated(from_data)
    data = parse_yaml(read_text(p), str(p))
    # `extends: other.yaml` never reaches pydantic: the chain is merged first (arshjul.extends)
    if isinstance(data, dict) and "extends" in data:
        return from_merged(*resolve(p, data))
    return from_data(data, str(p))


# -- extends: chains ----------------------------------------------------------------------------


def resolve(path: str | Path, data: Any = None) -> tuple[Any, Origin]:
    """A scenario file with its ``extends`` chain merged in: plain data (not validated) and
    the origin of each part.  ``data`` is the file's parsed content when the caller has it."""
    return _resolve(Path(path), data, [])


def _resolve(path: Path, data: Any, chain: list[Path]) -> tuple[Any, Origin]:
    source = str(path)
    if data is None:
        data = parse_yaml(read_text(path), source)
    if not isinstance(data, dict) or "extends" not in data:
        return unmerged(data, source)
    data = dict(data)
    target = data.pop("extends")
    if target is None:
        return unmerged(data, source)
    if not isinstance(target, str) or not target.strip():
        raise ScenarioError(
            "give the file to extend as a path, e.g. 'extends: base.yaml'",
            source=source,
            field="extends",
        )
    parent_path = path.parent / target.strip()
    here = path.resolve()
    seen = [*chain, here]
    if parent_path.resolve() in seen:
        loop = " → ".join(p.name for p in [*seen[seen.index(parent_path.resolve()) :], parent_path.resolve()])
        raise ScenarioError(
            f"'{target}' is already in the chain, a cycle: {loop}", source=source, field="extends"
        )
    if len(seen) >= MAX_CHAIN:
        raise ScenarioError(f"more than {MAX_CHAIN} files extend each other", source=source, field="extends")
    if not parent_path.is_file():
        raise ScenarioError(
            f"no such file '{target}' (looked for {parent_path}; the path is relative to this file)",
            source=source,
            field="extends",
        )
    parent, parent_origin = _resolve(parent_path, None, seen)
    if not isinstance(parent, dict):
        raise ScenarioError("the extended file is not a mapping of fields", source=source, field="extends")
    return merge(parent, parent_origin, data, source)


def from_merged(data: Any, origin: Origin) -> Scenario:
    """Validate merged data; an error names the file that contributed the faulty field."""
    try:
        return from_data(data)
    except ScenarioError as err:
        raise locate(err, data, origin) from None


def bundled(name: str = "sweden-2027") -> Path:
    """Path of a scenario shipped with the package (works installed or from a checkout)."""
    filename = name if name.endswith(".yaml") else f"{name}.yaml"
    packaged = resources.files("arshjul") / "scenarios" / filename
    if packaged.is_file():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parents[2] / "scenarios" / filename
    if checkout.is_file():
        return checkout
    raise ScenarioError(f"no bundled scenario named '{name}'")


def json_schema() -> dict[str, Any]:
    """JSON Schema of the scenario file, for editors."""
    schema = Scenario.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "arshjul scenario"
    return schema
