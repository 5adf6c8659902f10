"""What the planner writes: the scenario file, validated.

A scenario is YAML (comments allowed) checked by pydantic v2.  Unknown keys are errors, so a
typo never silently falls back to a default.  Every rule has a default, so a small scenario
stays small.  Cross-references (regions named in themes, hosts named by sessions, slots,
dates inside the period) are checked after the field-level validation, and every problem
becomes one :class:`~arshjul.errors.ScenarioError` line: ``file: field.path: problem``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import errno
import itertools
import os
import re
import stat
import unicodedata
import warnings
from collections.abc import Callable, Iterable, Iterator
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pycountry
import yaml
from babel import Locale
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    ValidationError,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from . import availability, swedish
from .errors import ScenarioError, ScenarioWarning
from .extends import Origin, locate, merge, unmerged, workbook_origin
from .fileio import os_reason
from .i18n import DEFAULT_LANGUAGE, N_, Language, cli_language, ngettext, problem_patterns, their_problem
from .i18n import _ as gettext
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
"""The form of an ISO 3166-2 subdivision code such as ``SE-E``; also safe as a file name.
A region's own ``code`` must moreover be one ISO 3166-2 lists (:func:`_iso_code`)."""


# -- region codes: ISO 3166-2, with suggestions -------------------------------------------------


def _fold(text: str) -> str:
    """Text compared loosely: case, accents and surrounding space ignored (Skåne ~ skane)."""
    plain = unicodedata.normalize("NFKD", text.strip())
    return "".join(c for c in plain if not unicodedata.combining(c)).casefold()


def subdivision_name(code: str) -> str | None:
    """The ISO 3166-2 name of a subdivision (``SE-E`` → ``Östergötlands län``), or ``None``
    when ISO 3166-2 has no such code."""
    sub = pycountry.subdivisions.get(code=code)
    return re.sub(r"\s*\[[^\]]*\]$", "", sub.name) if sub is not None else None


def _named(subs: Iterable[Any]) -> list[tuple[str, str]]:
    return [(sub.code, re.sub(r"\s*\[[^\]]*\]$", "", sub.name)) for sub in subs]


def _aliases(subs: Iterable[Any]) -> dict[str, str]:
    """Other codes ISO 3166-2 gives a subdivision in its name (Sweden's county numbers:
    'Stockholms län [SE-01]'), to the code."""
    out: dict[str, str] = {}
    for sub in subs:
        found = re.search(r"\[([A-Z]{2}-[A-Z0-9]+)\]$", sub.name)
        if found:
            out[found.group(1)] = sub.code
    return out


def _by_name(text: str, subs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Subdivisions whose name the planner typed: 'Skåne' (Skåne län), 'Region Stockholm'
    (Stockholms län), 'vastra gotaland' (Västra Götalands län)."""
    wanted = _fold(text).removeprefix("region ").strip()
    if not wanted:
        return []
    for words in (wanted, wanted.split()[0]):  # 'Jämtland Härjedalen' ~ 'Jämtlands län'
        exact = [
            (code, name)
            for code, name in subs
            if (n := _fold(name)) == words or n.startswith((f"{words} ", f"{words}s "))
        ]
        if exact:
            return exact
    names = {_fold(name): (code, name) for code, name in subs}
    return [names[n] for n in difflib.get_close_matches(wanted, list(names), n=3, cutoff=0.8)]


def _codes_like(text: str) -> tuple[str, list[tuple[str, str]]]:
    """What a planner may have meant by a region code ISO 3166-2 does not have: the country
    it names (``""`` for none) and up to three ``(code, name)`` candidates — a code with a
    typo (difflib over that country's codes), or a county's name instead of its code."""
    head, dash, rest = text.strip().partition("-")
    country = pycountry.countries.get(alpha_2=head.upper()) if dash and len(head) == 2 else None
    if country is None:
        return "", _by_name(text, _named(pycountry.subdivisions))[:3]
    raw = pycountry.subdivisions.get(country_code=country.alpha_2) or []
    subs = _named(raw)
    names = dict(subs)
    upper = _aliases(raw).get(text.strip().upper(), text.strip().upper())
    if upper in names:
        return country.name, [(upper, names[upper])]
    by_name = _by_name(rest, subs)
    if by_name:
        return country.name, by_name[:3]
    scored = sorted(
        ((difflib.SequenceMatcher(None, upper, code).ratio(), code) for code in names),
        key=lambda sc: (-sc[0], sc[1]),
    )
    close = [code for score, code in scored if score >= 0.6][:3]
    best = [code for score, code in scored if scored and score == scored[0][0]]
    if len(best) > 3 and len(names) <= 30:
        close = sorted(names)  # no code stands out: list the country's codes
    return country.name, [(code, names[code]) for code in close]


def _did_you_mean(candidates: list[tuple[str, str]]) -> str:
    if len(candidates) > 3:
        return gettext("its codes are {codes}").format(codes=", ".join(code for code, _ in candidates))
    shown = [f"'{code}' ({name})" for code, name in candidates]
    if len(shown) == 1:
        return gettext("did you mean {a}?").format(a=shown[0])
    if len(shown) == 2:
        return gettext("did you mean {a} or {b}?").format(a=shown[0], b=shown[1])
    return gettext("did you mean {a}, {b} or {c}?").format(a=shown[0], b=shown[1], c=shown[2])


def _region_code_message(got: Any) -> str:
    """For a value that does not even look like a region code ('Skåne', 'se-m')."""
    if isinstance(got, str):
        _, candidates = _codes_like(got)
        if candidates and len(candidates) <= 3:
            return gettext("{got!r} is not a region code; use the ISO 3166-2 code: {hint}").format(
                got=got, hint=_did_you_mean(candidates)
            )
    return gettext("{got!r} is not a region code; use the ISO 3166-2 code, such as 'SE-E' or 'SE-AB'").format(
        got=got
    )


def _country_shown(alpha2: str, english: str) -> str:
    """A country's name in the language messages are in: ISO's English name, Babel's
    (CLDR) name in Swedish (``Sverige``)."""
    if cli_language() == "en":
        return english
    return str(Locale.parse(cli_language()).territories.get(alpha2.upper(), english))


def _iso_code(code: str) -> str:
    """A region's code must be one ISO 3166-2 lists: 'SE-Q' and 'SE-AD' look like codes but
    name no county, so the region's shipped school holidays would silently be missing."""
    if subdivision_name(code) is not None:
        return code
    country, candidates = _codes_like(code)
    if not country:
        raise ValueError(
            gettext("'{code}' is not an ISO 3166-2 region code: there is no country '{country}'").format(
                code=code, country=code[:2]
            )
        )
    country = _country_shown(code[:2], country)
    if candidates:
        raise ValueError(
            gettext("'{code}' is not an ISO 3166-2 region code of {country}; {hint}").format(
                code=code, country=country, hint=_did_you_mean(candidates)
            )
        )
    raise ValueError(
        gettext("'{code}' is not an ISO 3166-2 region code of {country}").format(code=code, country=country)
    )


_CONTROL_NAMES = {0: "NUL", 7: "BEL", 8: "BS", 9: "TAB", 10: "LF", 11: "VT", 12: "FF", 13: "CR", 27: "ESC"}
"""The control characters a planner may have heard of, named in messages."""


def _char_name(c: str) -> str:
    code = ord(c)
    return f"{_CONTROL_NAMES[code]}, U+{code:04X}" if code in _CONTROL_NAMES else f"U+{code:04X}"


def _unfit(text: str, allowed: str) -> tuple[int, str] | None:
    """The first character that no calendar, SVG or terminal should carry: C0 and C1 control
    characters (except those in ``allowed``), lone surrogates and the non-characters
    U+FFFE/U+FFFF (none of them may appear in XML); line and paragraph separators too
    when line breaks are not allowed."""
    for k, c in enumerate(text):
        if c in allowed:
            continue
        kind = unicodedata.category(c)
        if kind in ("Cc", "Cs") or c in "\ufffe\uffff" or (kind in ("Zl", "Zp") and "\n" not in allowed):
            return k, c
    return None


def _one_line(text: str) -> str:
    found = _unfit(text, "")
    if found:
        k, c = found
        if c in "\n\r\u2028\u2029":
            problem = gettext(
                "has a line break ({char}) at character {k}; write it as one line of plain text"
            )
        elif c == "\t":
            problem = gettext("has a tab ({char}) at character {k}; write it as one line of plain text")
        else:
            problem = gettext(
                "has a control character ({char}) at character {k}; write it as one line of plain text"
            )
        raise ValueError(problem.format(char=_char_name(c), k=k + 1))
    return text


def _free_text(text: str) -> str:
    found = _unfit(text, "\t\n")
    if found:
        k, c = found
        raise ValueError(
            gettext(
                "has a control character ({char}) at character {k}; plain text with tabs and line breaks only"
            ).format(char=_char_name(c), k=k + 1)
        )
    return text


Name = Annotated[str, StringConstraints(min_length=1, max_length=200), AfterValidator(_one_line)]
"""A name, a tag or a title: one line of plain text."""
Line = Annotated[str, StringConstraints(max_length=5000), AfterValidator(_one_line)]
"""A longer single line: a location, a meeting link."""
Text = Annotated[str, StringConstraints(max_length=5000), AfterValidator(_free_text)]
"""Free text (a description): tabs and line breaks allowed, no other control characters."""

MAX_EMAIL = 254
"""Longest e-mail address (RFC 5321: a path of 256 octets less the angle brackets)."""
_EMAIL_LOCAL = r"[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*"
_EMAIL_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL_FORM = rf"^{_EMAIL_LOCAL}@(?:{_EMAIL_LABEL}\.)+[A-Za-z](?:[A-Za-z0-9-]{{0,61}}[A-Za-z0-9])?$"
"""What a calendar invitation carries everywhere: ``mailto:`` + this, in iCalendar's
``vCalAddress`` and in Outlook.  Before the '@' letters, digits, '.', '_', '+' and '-' (no
quotes, spaces or the '?', '&', '%' that would add to the ``mailto:`` link); after it, ASCII
host names (an internationalised domain in its ``xn--`` form)."""


def _email_problem(value: str) -> str | None:
    """Why ``value`` is not an address a calendar can carry, or ``None``."""
    if len(value) > MAX_EMAIL:
        return gettext("it is {n} characters long; an address has at most {most}").format(
            n=len(value), most=MAX_EMAIL
        )
    if value.casefold().startswith("mailto:"):
        return gettext("write the address alone, without 'mailto:'")
    found = _unfit(value, "")
    if found:
        return gettext("it has a control character ({char})").format(char=_char_name(found[1]))
    if any(c.isspace() for c in value):
        return gettext("it has a space")
    if any(c in value for c in "\"'`"):
        return gettext("it has a quote")
    if not value.isascii():
        c = next(c for c in value if not c.isascii())
        return gettext("it has '{char}'; calendars need ASCII addresses (a domain in its xn-- form)").format(
            char=c
        )
    local, at, domain = value.rpartition("@")
    if not at or "@" in local or "." not in domain:
        return ""
    if len(local) > 64:
        return gettext("the part before the '@' is longer than 64 characters")
    if not re.fullmatch(_EMAIL_LOCAL, local):
        bad = next((c for c in local if not (c.isalnum() or c in "._+-")), None)
        if bad:
            return gettext(
                "'{char}' cannot stand before the '@' (letters, digits, '.', '_', '+' and '-' only)"
            ).format(char=bad)
        return gettext("the part before the '@' has a '.' at its start or end, or two in a row")
    if not re.match(_EMAIL_FORM, value):
        return gettext("'{domain}' is not a host name").format(domain=domain)
    return None


def _email(value: str) -> str:
    problem = _email_problem(value)
    if problem is not None:
        if problem:
            raise ValueError(
                gettext("{value!r} is not an e-mail address: {problem}").format(value=value, problem=problem)
            )
        raise ValueError(gettext("{value!r} is not an e-mail address").format(value=value))
    return value


Email = Annotated[
    str,
    AfterValidator(_email),
    WithJsonSchema({"type": "string", "format": "email", "maxLength": MAX_EMAIL, "pattern": _EMAIL_FORM}),
]
"""An e-mail address a calendar invitation can carry (see ``_EMAIL_FORM``)."""
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

    name: Name | None = Field(
        default=None,
        description="A name shown in messages and on the wheel.",
        examples=["Almedalen", "Sommar"],
    )
    start: dt.date | None = Field(
        default=None, alias="from", description="The first day of the span.", examples=["2027-06-28"]
    )
    end: dt.date | None = Field(
        default=None, alias="to", description="The last day of the span (included).", examples=["2027-07-02"]
    )
    weeks: tuple[int, int] | None = Field(
        default=None,
        description="ISO weeks first and last, without a year: the span repeats in every year of "
        "the period (instead of from/to).",
        examples=[[27, 32], [7, 7]],
    )

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
                raise ValueError(
                    gettext("'{text}': give a year on both weeks or on neither").format(text=text)
                )
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
                gettext("'{text}' is not a date, a date range 'A..B', or an ISO week like '2027-W07'").format(
                    text=text
                )
            ) from None

    @model_validator(mode="after")
    def _check(self) -> Span:
        if self.weeks is not None:
            a, b = self.weeks
            for w in (a, b):
                if not 1 <= w <= 53:
                    raise ValueError(gettext("week {week} does not exist (weeks are 1..53)").format(week=w))
            if b < a:
                raise ValueError(
                    gettext("week range ends (W{last:02d}) before it starts (W{first:02d})").format(
                        last=b, first=a
                    )
                )
            return self
        if self.start is None or self.end is None:
            raise ValueError(gettext("a span needs both 'from' and 'to' (or a week)"))
        if self.end < self.start:
            raise ValueError(
                gettext("ends ({end}) before it starts ({start})").format(end=self.end, start=self.start)
            )
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
        if self.weeks is not None:  # in the language messages are in now (CLI or page)
            a, b = self.weeks
            weeks = gettext("(weeks {first}–{last})").format(first=a, last=b) if a != b else None
            return label + (weeks or gettext("(week {week})").format(week=a))
        if self.start == self.end:
            return f"{label}({self.start})"
        return f"{label}({self.start}..{self.end})"


def _iso_week_day(year: int, week: int, weekday: int) -> dt.date:
    return dt.date.fromisocalendar(year, week, weekday)


EARLIEST_DAY = dt.date(1900, 1, 1)
LATEST_DAY = dt.date(2999, 12, 31)
"""A period lies within these days: every date arshjul derives from it (lead time, windows,
ISO weeks, UTC times for the calendars) then stays far inside what Python can represent."""


class Period(Strict):
    """The planned stretch: a calendar year or any span of days."""

    start: dt.date = Field(description="The first day planned.", examples=["2027-01-01"])
    end: dt.date = Field(
        description="The last day planned (included); at most three years after the start.",
        examples=["2027-12-31"],
    )

    @field_validator("start", "end")
    @classmethod
    def _plannable(cls, value: dt.date) -> dt.date:
        if not EARLIEST_DAY <= value <= LATEST_DAY:
            raise ValueError(
                gettext("{day} is outside the years arshjul plans ({first} to {last})").format(
                    day=value, first=EARLIEST_DAY.year, last=LATEST_DAY.year
                )
            )
        return value

    @model_validator(mode="after")
    def _order(self) -> Period:
        if self.end < self.start:
            raise ValueError(
                gettext("ends ({end}) before it starts ({start})").format(end=self.end, start=self.start)
            )
        if (self.end - self.start).days > 3 * 366:
            raise ValueError(gettext("is longer than three years; plan at most three years at once"))
        return self


class Slot(Strict):
    """A meeting slot of the day in local time, e.g. morning 09:00–12:00."""

    id: Id = Field(description="The slot's id, used by themes and network meetings.", examples=["morning"])
    name: Name | None = Field(default=None, description="A name shown in calendars.", examples=["förmiddag"])
    start: dt.time = Field(
        description="When the slot starts, local time, in quotes (no UTC offset).", examples=["09:00"]
    )
    end: dt.time = Field(description="When the slot ends, local time, in quotes.", examples=["12:00"])

    @field_validator("start", "end", mode="before")
    @classmethod
    def _quoted(cls, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            h, m = divmod(value, 60)
            raise ValueError(
                gettext(
                    "write times in quotes, like '{h:02d}:{m:02d}' "
                    "(unquoted, YAML reads {h}:{m:02d} as the number {value})"
                ).format(h=h, m=m, value=value)
            )
        return value

    @field_validator("start", "end")
    @classmethod
    def _local_minutes(cls, value: dt.time) -> dt.time:
        if value.tzinfo is not None:
            raise ValueError(
                gettext(
                    "'{given}' has a UTC offset; write the local time alone, like "
                    "'{local}' (the scenario's timezone gives the offset, winter and summer)"
                ).format(given=value.isoformat(timespec="minutes"), local=f"{value:%H:%M}")
            )
        if value.second or value.microsecond:
            raise ValueError(
                gettext("'{given}' has seconds; meeting times are whole minutes, like '{local}'").format(
                    given=value.isoformat(), local=f"{value:%H:%M}"
                )
            )
        return value

    @model_validator(mode="after")
    def _order(self) -> Slot:
        if self.end <= self.start:
            raise ValueError(
                gettext("ends ({end}) before it starts ({start})").format(end=self.end, start=self.start)
            )
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

    holidays: bool = Field(
        default=True,
        description="Swedish public and de-facto holidays (julafton, midsommarafton, nyårsafton) "
        "are never meeting days.",
        examples=[True],
    )
    close_half_day_afternoons: bool = Field(
        default=True,
        description="Close the afternoons of the half days before holidays (from 14:00).",
        examples=[True],
    )
    close_bridge_days: bool = Field(
        default=False,
        description="Also close klämdagar, the bridge days between a holiday and a weekend.",
        examples=[False],
    )
    blackouts: list[Span] = Field(
        default_factory=_default_blackouts,
        description="Named periods with no meetings at all; by default summer (weeks 27–32) and "
        "Christmas to Epiphany.  Give an empty list to plan through them.",
        examples=[["W27..W32", {"name": "Jul och nyår", "weeks": [52, 53]}]],
    )
    school_holidays: bool = Field(
        default=True,
        description="Apply each region's school holidays (sportlov by county, påsklov, höstlov in "
        "week 44) as days it cannot present; it may still listen, and is invited and counted as on any "
        "other day (staff take the holidays, the region does not close).  A region may list its own.",
        examples=[True],
    )


class Limits(Strict):
    """Invitation fatigue and preparation: the planners' tempo rules."""

    window_days: PositiveInt = Field(
        default=28,
        description="Length in days of the rolling window the invitation cap counts in.",
        examples=[28],
    )
    window_max: NonNegInt = Field(
        default=4,
        description="At most this many invitations to one region in any window_days days.",
        examples=[4],
    )
    daily_max: PositiveInt = Field(
        default=1, description="At most this many invitations to one region on one day.", examples=[1]
    )
    max_presentations: NonNegInt = Field(
        default=2,
        description="At most this many presentations by one region in the whole period.",
        examples=[2],
    )
    presentation_gap_days: NonNegInt = Field(
        default=42,
        description="At least this many days between two presentations by the same region "
        "(time to do the homework again).",
        examples=[42],
    )
    lead_time_days: NonNegInt = Field(
        default=21,
        description="No session earlier than this many days after the publication date.",
        examples=[21],
    )
    host_gap_days: PositiveInt = Field(
        default=7,
        description="Sessions of one host at least this many days apart (1: at most one a day).",
        examples=[7],
    )


class RegionLimits(Strict):
    """Per-region overrides of :class:`Limits`; unset fields use the scenario's."""

    window_max: NonNegInt | None = Field(
        default=None,
        description="This region's own limits.window_max (invitations per window).",
        examples=[2],
    )
    daily_max: PositiveInt | None = Field(
        default=None, description="This region's own limits.daily_max (invitations per day).", examples=[1]
    )
    max_presentations: NonNegInt | None = Field(
        default=None, description="This region's own limits.max_presentations in the period.", examples=[3]
    )
    presentation_gap_days: NonNegInt | None = Field(
        default=None, description="This region's own limits.presentation_gap_days.", examples=[28]
    )


class Weights(Strict):
    """Objective weights: the plan minimises the weighted sum of these penalties."""

    match: Weight = Field(
        default=10,
        description="Penalty per unit of interest left unpresented: a region interested in a theme "
        "that does not present on it.",
        examples=[10],
    )
    coverage: Weight = Field(
        default=40,
        description="Penalty per region that is interested in something but presents nowhere.",
        examples=[40],
    )
    spread: Weight = Field(
        default=5,
        description="Penalty per session in the busiest month, for an even spread over the year.",
        examples=[5],
    )
    preferred_month: Weight = Field(
        default=20, description="Penalty per dialog held outside its theme's preferred months.", examples=[20]
    )
    balance: Weight = Field(
        default=3,
        description="Penalty per presenter of difference between the fullest and the emptiest dialog.",
        examples=[3],
    )


class Interest(Strict):
    """A region interested in presenting on a theme, and how much it matters."""

    region: RegionCode = Field(description="The region's ISO 3166-2 code.", examples=["SE-BD"])
    weight: Annotated[int, Field(ge=1, le=100)] = Field(
        default=1,
        description="How much it matters that this region presents (1–100); the match penalty counts it.",
        examples=[5],
    )
    focus: Name | None = Field(
        default=None,
        description="The focus area of its smart specialisation strategy the region will present on "
        "this theme (what it wrote when it signed up to present).",
        examples=["Life science och hälsa"],
    )


class Theme(Strict):
    """A thematic area (*område*) a host runs strategic quick dialogs on."""

    id: Id = Field(
        description="The theme's id: part of file names (themes/<id>.ics) and calendar UIDs.",
        examples=["halsa"],
    )
    name: Name = Field(
        description="The theme's name, the title of its dialogs.", examples=["Hållbar precisionshälsa"]
    )
    description: Text = Field(
        default="",
        description="What the theme is about; goes into the invitations.",
        examples=["Life science och hälsa."],
    )
    dialogs: Annotated[int, Field(ge=1, le=52)] = Field(
        default=1,
        description="How many dialogs on this theme in the whole period, not per year: over a two-year "
        "period write 4 for two a year (validate warns on a period longer than a year).",
        examples=[2],
    )
    preferred_months: list[Annotated[int, Field(ge=1, le=12)]] = Field(
        default_factory=list,
        description="Months (1–12) the dialogs should fall in; outside them costs the "
        "preferred_month penalty.",
        examples=[[3, 4]],
    )
    forbidden: list[Span] = Field(
        default_factory=list,
        description="Days on which no dialog of this theme may be held.",
        examples=[["2027-W07", {"name": "Almedalen", "from": "2027-06-28", "to": "2027-07-02"}]],
    )
    window: Span | None = Field(
        default=None,
        description="Every dialog of this theme falls inside this span.",
        examples=["2027-02-01..2027-06-15"],
    )
    slots: list[Id] | None = Field(
        default=None,
        description="The meeting slots a dialog may use (default: every slot).",
        examples=[["morning"]],
    )
    presenter_minutes: Annotated[int, Field(ge=1, le=240)] = Field(
        default=10, description="Minutes each presenting region gets.", examples=[10]
    )
    host_minutes: Annotated[int, Field(ge=0, le=240)] = Field(
        default=10, description="Minutes the host gets in each dialog.", examples=[10]
    )
    min_presenters: NonNegInt = Field(
        default=1, description="At least this many regions present in each dialog.", examples=[1]
    )
    max_presenters: NonNegInt = Field(
        default=9,
        description="At most this many regions present in each dialog (and as many as fit the slot).",
        examples=[9],
    )
    tags: list[Name] = Field(
        default_factory=list,
        description="Matched against the regions' S3 tags to find the interested regions when "
        "interested is not given.",
        examples=[["life science", "hälsa"]],
    )
    interested: list[RegionCode | Interest] | None = Field(
        default=None,
        description="The regions interested in presenting, as codes or {region, weight}; default: "
        "those whose S3 tags meet the theme's tags (every region when it has no tags).",
        examples=[["SE-E", {"region": "SE-BD", "weight": 5}]],
    )
    interest_weight: Annotated[int, Field(ge=1, le=100)] = Field(
        default=1, description="The weight of a region found by its tags.", examples=[1]
    )
    invite: InvitePolicy = Field(
        default="interested",
        description="Who is invited: 'all' regions, the 'interested' ones (to present or to listen), "
        "or only the 'presenters'.",
        examples=["interested"],
    )

    @model_validator(mode="after")
    def _presenters(self) -> Theme:
        if self.max_presenters < self.min_presenters:
            raise ValueError(
                gettext("max_presenters ({most}) is below min_presenters ({least})").format(
                    most=self.max_presenters, least=self.min_presenters
                )
            )
        return self

    def interest(self) -> list[Interest]:
        return [Interest(region=i) if isinstance(i, str) else i for i in self.interested or []]


class Host(Strict):
    """Who holds meetings: Vinnova, another agency, or a region."""

    id: Id = Field(description="The host's id: part of file names and calendar UIDs.", examples=["vinnova"])
    name: Name = Field(description="The host's name, as the organizer of its sessions.", examples=["Vinnova"])
    email: Email | None = Field(
        default=None,
        description="The organizer's e-mail address in the invitations (needed to send them).",
        examples=["snabbdialoger@vinnova.se"],
    )
    location: Line | None = Field(
        default=None,
        description="Where the host's sessions are held, as calendars show it.",
        examples=["Digitalt (Microsoft Teams)"],
    )
    meeting_link: Line | None = Field(
        default=None,
        description="The link to join the host's sessions.",
        examples=["https://teams.example.org/l/meetup-join/snabbdialoger-2027"],
    )
    gap_days: PositiveInt | None = Field(
        default=None,
        description="This host's own limits.host_gap_days: days between two of its sessions.",
        examples=[14],
    )
    themes: list[Theme] = Field(
        default_factory=list,
        description="The themes this host runs dialogs on.",
        examples=[[{"id": "halsa", "name": "Hållbar precisionshälsa", "tags": ["life science"]}]],
    )


class S3Area(Strict):
    """A focus area of a region's smart specialisation strategy."""

    name: Name = Field(
        description="The focus area as the region names it.", examples=["Life science och hälsa"]
    )
    tags: list[Name] = Field(
        default_factory=list,
        description="Words that themes' tags are matched against (case does not matter).",
        examples=[["life science", "hälsa"]],
    )


def _availability_file(value: str) -> str:
    if not value:
        raise ValueError(gettext("give a file name, e.g. 'dalarna-busy.ics'"))
    if not value.lower().endswith(availability.SUFFIXES):
        raise ValueError(
            gettext(
                "{value!r} is not a file arshjul reads for availability: give a calendar export (.ics) "
                "or a list of dates (.csv or .xlsx)"
            ).format(value=value)
        )
    return value


AvailabilityFile = Annotated[
    str, StringConstraints(max_length=1000), AfterValidator(_one_line), AfterValidator(_availability_file)
]
"""A file a region keeps its availability in (.ics, .csv or .xlsx), relative to the scenario."""


class Region(Strict):
    """One of the regions (RUA) taking part."""

    code: Annotated[RegionCode, AfterValidator(_iso_code)] = Field(
        description="The region's ISO 3166-2 code: names its calendar file and finds its school holidays.",
        examples=["SE-E"],
    )
    name: Name = Field(
        description="The region's name in calendars and reports.", examples=["Region Östergötland"]
    )
    county: Name | None = Field(
        default=None,
        description="The county's name, as a check: school holidays follow the code, and a county "
        "that is not the code's is warned about.",
        examples=["Östergötlands län"],
    )
    contact: Email | None = Field(
        default=None,
        description="The region's e-mail address for its invitations.",
        examples=["s3@regionostergotland.se"],
    )
    s3: list[S3Area] = Field(
        default_factory=list,
        description="The focus areas of the region's smart specialisation strategy.",
        examples=[[{"name": "Life science och hälsa", "tags": ["life science", "hälsa"]}]],
    )
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
    away_from: list[AvailabilityFile] = Field(
        default_factory=list,
        description=(
            "Files the region already keeps that say when it is away, read as if their days were "
            "in `away`; paths are relative to the scenario file.  A calendar export (.ics): every "
            "event that blocks time (TRANSP OPAQUE, the default) takes the days it touches in the "
            "scenario's timezone, recurring ones included; an event marked free (TRANSPARENT) "
            "counts only when its summary says ledig, upptagen, borta, semester, away or busy; a "
            "cancelled one never.  A list (.csv, or the first sheet of an .xlsx): one date, range "
            "or week a row as in `away` (2027-05-03, 2027-05-03..2027-05-14, 2027-W07, W07), and "
            "a note in the second column.  `arshjul calendar --region` shows each day with its file."
        ),
        examples=[["dalarna-busy.ics", "dalarna.csv"]],
    )
    cannot_present_from: list[AvailabilityFile] = Field(
        default_factory=list,
        description=(
            "Files that say when the region cannot present but may listen, read as if their days "
            "were in `cannot_present`; the same kinds of file and rules as `away_from`."
        ),
        examples=[["presentatorer-upptagna.ics", "vecka.xlsx"]],
    )
    school_holidays: list[Span] | None = Field(
        default=None,
        description="The region's own school holidays, instead of the shipped sportlov, påsklov "
        "and höstlov weeks (days it cannot present but may listen); an empty list for none.",
        examples=[["W08", "W44"]],
    )
    limits: RegionLimits = Field(
        default_factory=RegionLimits,
        description="The region's own limits, where they differ from the scenario's.",
        examples=[{"window_max": 2}],
    )

    _read: dict[str, list[tuple[int, Span]]] = PrivateAttr(default_factory=dict)
    """What ``away_from`` and ``cannot_present_from`` gave when the scenario was loaded:
    field → (index of the file, span named by the file and its note)."""

    def away_spans(self) -> list[tuple[str, int, Span]]:
        """Every away span, as (field, index, span): ``away`` first, then ``unavailable``,
        then the days read from the files of ``away_from`` (index: the file's)."""
        return (
            [("away", k, span) for k, span in enumerate(self.away)]
            + [("unavailable", k, span) for k, span in enumerate(self.unavailable)]
            + [("away_from", k, span) for k, span in self._read.get("away_from", [])]
        )

    def cannot_present_spans(self) -> list[tuple[str, int, Span]]:
        """Every cannot-present span (school holidays apart): ``cannot_present``, then the
        days read from the files of ``cannot_present_from``."""
        return [("cannot_present", k, span) for k, span in enumerate(self.cannot_present)] + [
            ("cannot_present_from", k, span) for k, span in self._read.get("cannot_present_from", [])
        ]


class Group(Strict):
    """Regions that may present jointly in one shared slot (e.g. NMS)."""

    id: Id = Field(description="The group's id.", examples=["nms"])
    name: Name = Field(description="The group's name as presenter.", examples=["Norra Mellansverige"])
    members: list[RegionCode] = Field(
        min_length=2,
        description="The regions that present together (at least two; a region is in one group only).",
        examples=[["SE-S", "SE-W", "SE-X"]],
    )


class Hybrid(Strict):
    """An open hybrid information/identification session on a topic."""

    id: Id = Field(description="The session's id (not shared with a theme).", examples=["ekosystem"])
    host: Id = Field(description="The id of the host that holds it.", examples=["vinnova"])
    topic: Name = Field(description="The topic, the session's title.", examples=["Ekosystem"])
    description: Text = Field(
        default="",
        description="What the session is about; goes into the invitation.",
        examples=["Öppen för alla regioner."],
    )
    window: Span | None = Field(
        default=None, description="The session falls inside this span.", examples=["2027-02-15..2027-03-05"]
    )
    slots: list[Id] | None = Field(
        default=None,
        description="The meeting slots it may use (default: every slot).",
        examples=[["afternoon"]],
    )
    duration_minutes: Annotated[int, Field(ge=15, le=600)] = Field(
        default=120, description="How long it lasts, in minutes (it must fit a slot).", examples=[120]
    )
    invite: Literal["all", "interested"] = Field(
        default="all",
        description="Who is invited: 'all' regions, or the 'interested' ones (whose S3 tags meet its tags).",
        examples=["all"],
    )
    tags: list[Name] = Field(
        default_factory=list,
        description="With invite: interested, the regions whose S3 tags meet these are invited.",
        examples=[["digital", "halvledare"]],
    )


class LearningMeeting(Strict):
    """The learning meeting (*lärmöte*) about the format, before the first dialog."""

    host: Id = Field(description="The id of the host that holds it.", examples=["vinnova"])
    name: Name = Field(
        default="Lärmöte om strategiska snabbdialoger",
        description="The meeting's title.",
        examples=["Lärmöte"],
    )
    description: Text = Field(
        default="",
        description="What it is about; goes into the invitation.",
        examples=["Genomgång av formatet och mallen."],
    )
    window: Span | None = Field(
        default=None, description="The meeting falls inside this span.", examples=["2027-01-18..2027-01-29"]
    )
    slots: list[Id] | None = Field(
        default=None,
        description="The meeting slots it may use (default: every slot).",
        examples=[["morning"]],
    )
    duration_minutes: Annotated[int, Field(ge=15, le=600)] = Field(
        default=60, description="How long it lasts, in minutes.", examples=[60]
    )
    days_before_first_dialog: NonNegInt = Field(
        default=7, description="It is held at least this many days before every dialog.", examples=[7]
    )


class NetworkMeetings(Strict):
    """Fixed, recurring meetings of the regional-national (RND) network."""

    host: Id = Field(description="The id of the host that holds them.", examples=["vinnova"])
    name: Name = Field(
        default="RND-nätverksmöte", description="The meetings' title.", examples=["RND-nätverksmöte"]
    )
    description: Text = Field(
        default="",
        description="What they are about; goes into the invitations.",
        examples=["Uppföljning av dialogerna."],
    )
    dates: list[dt.date] = Field(
        min_length=1,
        description="The fixed dates of the meetings in the period.",
        examples=[["2027-03-17", "2027-10-13"]],
    )
    slot: Id = Field(
        default="morning", description="The meeting slot they are held in.", examples=["morning"]
    )
    duration_minutes: Annotated[int, Field(ge=15, le=600)] = Field(
        default=120, description="How long each lasts, in minutes.", examples=[120]
    )
    invite: Literal["all"] = Field(
        default="all", description="Who is invited: every region.", examples=["all"]
    )
    followup_weeks: NonNegInt | None = Field(
        default=2,
        description="Each dialog is followed up on the first network meeting at least this many "
        "weeks after it (that meeting must exist in the period); null switches follow-up off.",
        examples=[2],
    )


class Labels(Strict):
    """The agency's own words for its meetings, per kind; a kind left out keeps arshjul's
    word in the scenario's ``language`` (Snabbdialog, Hybrid informationsmöte, Lärmöte,
    Nätverksmöte)."""

    dialog: Name | None = Field(
        default=None,
        description="Word for a strategic quick dialog; it starts the calendar title.",
        examples=["Dialogförmiddag"],
    )
    hybrid: Name | None = Field(
        default=None, description="Word for a hybrid information session.", examples=["Informationsmöte"]
    )
    learning: Name | None = Field(
        default=None, description="Word for the learning meeting.", examples=["Introduktion"]
    )
    network: Name | None = Field(
        default=None, description="Word for a network meeting.", examples=["RND-möte"]
    )


class Scenario(Strict):
    """A whole planning scenario: the year, the rules, the people."""

    id: Id = Field(
        description="The scenario's id: names the output folder and is part of calendar UIDs.",
        examples=["sweden-2027"],
    )
    name: Name = Field(
        description="The scenario's title, on the report and the wheel.", examples=["Årshjul 2027"]
    )
    description: Text = Field(
        default="",
        description="What the scenario is for, in a few lines.",
        examples=["Strategiska snabbdialoger 2027."],
    )
    period: Period = Field(
        description="The days planned.", examples=[{"start": "2027-01-01", "end": "2027-12-31"}]
    )
    timezone: Name = Field(
        default="Europe/Stockholm",
        description="The IANA time zone the times are in.",
        examples=["Europe/Stockholm"],
    )
    slots: list[Slot] = Field(
        default_factory=_default_slots,
        min_length=1,
        description="The meeting slots of a day (default: morning 09:00–12:00, afternoon 13:00–16:00); "
        "they must not overlap.",
        examples=[[{"id": "morning", "start": "09:00", "end": "12:00"}]],
    )
    weekdays: list[Weekday] = Field(
        default_factory=lambda: list(_WORKWEEK),
        description="The weekdays meetings are held on.",
        examples=[["mon", "tue", "wed", "thu", "fri"]],
    )
    publication_date: dt.date | None = Field(
        default=None,
        description="When the invitations go out; the lead time counts from here (default: the "
        "period start).",
        examples=["2026-12-01"],
    )
    calendar: CalendarRules = Field(
        default_factory=CalendarRules,
        description="Which days are meeting days at all: holidays, bridge days, blackouts, school holidays.",
        examples=[{"close_bridge_days": True}],
    )
    limits: Limits = Field(
        default_factory=Limits,
        description="The tempo rules: invitation fatigue, presentations, lead time, host tempo.",
        examples=[{"window_days": 28, "window_max": 4}],
    )
    weights: Weights = Field(
        default_factory=Weights,
        description="How much each kind of imperfection costs in the plan's penalty.",
        examples=[{"coverage": 40, "spread": 5}],
    )
    hosts: list[Host] = Field(
        min_length=1,
        description="Who holds the meetings, each with its themes.",
        examples=[[{"id": "vinnova", "name": "Vinnova", "themes": [{"id": "halsa", "name": "Hälsa"}]}]],
    )
    regions: list[Region] = Field(
        min_length=1,
        description="The regions taking part.",
        examples=[[{"code": "SE-E", "name": "Region Östergötland"}]],
    )
    groups: list[Group] = Field(
        default_factory=list,
        description="Regions that may present jointly in one slot.",
        examples=[[{"id": "nms", "name": "Norra Mellansverige", "members": ["SE-S", "SE-W", "SE-X"]}]],
    )
    hybrids: list[Hybrid] = Field(
        default_factory=list,
        description="Open hybrid information sessions on a topic.",
        examples=[[{"id": "ekosystem", "host": "vinnova", "topic": "Ekosystem"}]],
    )
    learning_meeting: LearningMeeting | None = Field(
        default=None,
        description="The learning meeting about the format, before the first dialog.",
        examples=[{"host": "vinnova"}],
    )
    network: NetworkMeetings | None = Field(
        default=None,
        description="The RND network meetings on fixed dates, where dialogs are followed up.",
        examples=[{"host": "vinnova", "dates": ["2027-03-17", "2027-10-13"]}],
    )
    language: Language = Field(
        default=DEFAULT_LANGUAGE,
        description="Language of what the regions and planners receive (calendars, report, wheel, "
        "heat map, plan.xlsx): "
        "sv or en.  Default sv: the regions are Swedish.",
        examples=["sv", "en"],
    )
    labels: Labels = Field(
        default_factory=Labels,
        description="The agency's own words for its meetings, per kind (dialog, hybrid, learning, "
        "network); the others keep arshjul's words in the chosen language.",
        examples=[{"dialog": "Dialogförmiddag"}],
    )

    @field_validator("weekdays")
    @classmethod
    def _weekdays(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError(gettext("needs at least one weekday"))
        return sorted(set(value), key=WEEKDAYS.index)

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                gettext("unknown time zone '{zone}' (use an IANA name such as Europe/Stockholm)").format(
                    zone=value
                )
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


Path_ = tuple[str | int, ...]
"""A field as keys and list positions, e.g. ``("hosts", 0, "themes", 2, "window")``."""


def _nonexistent(day: dt.date, time: dt.time, zone: ZoneInfo) -> bool:
    """Whether the wall-clock ``time`` on ``day`` never happens in ``zone`` (a DST gap)."""
    local = dt.datetime.combine(day, time)
    back = local.replace(tzinfo=zone).astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None)
    return back != local


def _check_slot_times(s: Scenario, fail: Callable[[Path_, str], None]) -> None:
    """Slots of one day must not overlap (the model treats two slots as never at the same
    time, so a region could be booked twice), and no slot may start or end in a gap the
    clocks jump over on a meeting day of the period (it would lose an hour, or last none)."""
    order = sorted(range(len(s.slots)), key=lambda k: (s.slots[k].start, s.slots[k].end))
    for a, b in itertools.pairwise(order):
        first, then = s.slots[a], s.slots[b]
        if then.start < first.end:
            fail(
                ("slots", b),
                gettext(
                    "{start}–{end} overlaps slot '{slot}' ({slot_start}–{slot_end}); slots of a day "
                    "must not overlap, or a region could be invited to both at once"
                ).format(
                    start=f"{then.start:%H:%M}",
                    end=f"{then.end:%H:%M}",
                    slot=first.id,
                    slot_start=f"{first.start:%H:%M}",
                    slot_end=f"{first.end:%H:%M}",
                ),
            )
    zone = ZoneInfo(s.timezone)
    meeting_days = {WEEKDAYS.index(w) for w in s.weekdays}
    day = s.period.start
    while day <= s.period.end:
        midnight = dt.datetime.combine(day, dt.time(0), tzinfo=zone)
        next_midnight = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=zone)
        changes = midnight.utcoffset() != next_midnight.utcoffset() or _nonexistent(day, dt.time(0), zone)
        if changes and day.weekday() in meeting_days:
            for k, sl in enumerate(s.slots):
                for end in ("start", "end"):
                    time: dt.time = getattr(sl, end)
                    if _nonexistent(day, time, zone):
                        fail(
                            ("slots", k, end),
                            gettext(
                                "{time} does not exist on {day} in {zone} (the clocks jump over it); "
                                "a session there would be an hour short or last no time at all"
                            ).format(time=f"{time:%H:%M}", day=day, zone=s.timezone),
                        )
        day += dt.timedelta(days=1)


def cross_check(s: Scenario) -> None:
    """References and dates that field validation cannot see; raises the first problem."""

    def fail(path: Path_, problem: str) -> None:
        raise ScenarioError(problem, field=field_path(s, path), path=path)

    codes = {r.code for r in s.regions}
    hosts = {h.id for h in s.hosts}
    slots = {sl.id for sl in s.slots}

    named: list[tuple[Path_, str]] = [(("id",), s.id)]
    named += [(("hosts", i, "id"), h.id) for i, h in enumerate(s.hosts)]
    named += [
        (("hosts", i, "themes", j, "id"), t.id) for i, h in enumerate(s.hosts) for j, t in enumerate(h.themes)
    ]
    named += [(("groups", i, "id"), g.id) for i, g in enumerate(s.groups)]
    named += [(("hybrids", i, "id"), h.id) for i, h in enumerate(s.hybrids)]
    for path, value in named:
        if value.split(".")[0] in RESERVED_NAMES:
            fail(
                path,
                gettext("'{id}' is reserved as a file name on Windows; choose another id").format(id=value),
            )

    sessions = (
        sum(t.dialogs for _, t in s.themes()) + len(s.hybrids) + len(s.network.dates if s.network else [])
    )
    if len(s.regions) > MAX_REGIONS:
        fail(
            ("regions",),
            gettext("{n} regions; arshjul plans at most {most} at once").format(
                n=len(s.regions), most=MAX_REGIONS
            ),
        )
    if sessions > MAX_SESSIONS:
        fail(
            ("hosts",),
            gettext("{n} sessions in all; arshjul plans at most {most} at once").format(
                n=sessions, most=MAX_SESSIONS
            ),
        )

    for field, values in (
        ("regions", [r.code for r in s.regions]),
        ("hosts", [h.id for h in s.hosts]),
        ("slots", [sl.id for sl in s.slots]),
        ("groups", [g.id for g in s.groups]),
        ("hybrids", [h.id for h in s.hybrids]),
    ):
        for dup in _duplicates(values):
            fail((field,), gettext("'{id}' is listed twice").format(id=dup))
    _check_slot_times(s, fail)
    theme_ids = [t.id for _, t in s.themes()]
    for dup in _duplicates(theme_ids):
        fail(
            ("hosts",),
            gettext("theme id '{id}' is used twice (theme ids must be unique across hosts)").format(id=dup),
        )
    for dup in _duplicates([*theme_ids, *(h.id for h in s.hybrids)]):
        fail(("hybrids",), gettext("id '{id}' is used by both a theme and a hybrid session").format(id=dup))

    def in_period(path: Path_, day: dt.date) -> None:
        if not s.period.start <= day <= s.period.end:
            fail(
                path,
                gettext("{day} is outside the period {start}..{end}").format(
                    day=day, start=s.period.start, end=s.period.end
                ),
            )

    def check_span(path: Path_, span: Span) -> None:
        if span.weeks is None:
            assert span.start is not None and span.end is not None
            if span.end < s.period.start or span.start > s.period.end:
                fail(
                    path,
                    gettext("{span} lies outside the period {start}..{end}").format(
                        span=span.describe().strip(), start=s.period.start, end=s.period.end
                    ),
                )

    def check_slots(path: Path_, wanted: list[str] | None) -> None:
        for k, sl in enumerate(wanted or []):
            if sl not in slots:
                fail(
                    (*path, k),
                    gettext("unknown slot '{slot}' (slots are: {slots})").format(
                        slot=sl, slots=", ".join(sorted(slots))
                    ),
                )
        if wanted is not None and not wanted:
            fail(path, gettext("is empty; leave it out to allow every slot"))

    if s.publication_date and s.publication_date > s.period.end:
        fail(
            ("publication_date",),
            gettext("{day} is after the period ends ({end})").format(
                day=s.publication_date, end=s.period.end
            ),
        )
    if s.first_open_day > s.period.end:
        fail(
            ("limits", "lead_time_days"),
            gettext("{n} days of lead time leave no day in the period").format(n=s.limits.lead_time_days),
        )
    for k, span in enumerate(s.calendar.blackouts):
        check_span(("calendar", "blackouts", k), span)

    for hi, host in enumerate(s.hosts):
        for ti, theme in enumerate(host.themes):
            f: Path_ = ("hosts", hi, "themes", ti)
            for k, i in enumerate(theme.interest()):
                if i.region not in codes:
                    fail((*f, "interested", k), gettext("unknown region '{code}'").format(code=i.region))
            for dup in _duplicates(i.region for i in theme.interest()):
                fail((*f, "interested"), gettext("region '{code}' is listed twice").format(code=dup))
            check_slots((*f, "slots"), theme.slots)
            for k, span in enumerate(theme.forbidden):
                check_span((*f, "forbidden", k), span)
            if theme.window:
                check_span((*f, "window"), theme.window)
            for sl in s.slots:
                if theme.slots is None or sl.id in theme.slots:
                    need = theme.host_minutes + theme.min_presenters * theme.presenter_minutes
                    if need > sl.minutes:
                        fail(
                            (*f, "min_presenters"),
                            gettext(
                                "{n} presenters of {each} min plus {host} min for the host do not fit "
                                "the {minutes}-minute slot '{slot}'"
                            ).format(
                                n=theme.min_presenters,
                                each=theme.presenter_minutes,
                                host=theme.host_minutes,
                                minutes=sl.minutes,
                                slot=sl.id,
                            ),
                        )

    for ri, region in enumerate(s.regions):
        for name in ("away", "cannot_present", "unavailable"):
            for k, span in enumerate(getattr(region, name)):
                check_span(("regions", ri, name, k), span)

    grouped: dict[str, str] = {}
    for gi, group in enumerate(s.groups):
        for k, code in enumerate(group.members):
            if code not in codes:
                fail(("groups", gi, "members", k), gettext("unknown region '{code}'").format(code=code))
            if code in grouped and grouped[code] != group.id:
                fail(
                    ("groups", gi, "members", k),
                    gettext(
                        "region '{code}' is already in group '{group}'; "
                        "a region can present jointly in one group only"
                    ).format(code=code, group=grouped[code]),
                )
            grouped[code] = group.id
        for dup in _duplicates(group.members):
            fail(("groups", gi, "members"), gettext("region '{code}' is listed twice").format(code=dup))
        if group.id.upper() in codes:
            fail(("groups", gi, "id"), gettext("'{id}' clashes with a region code").format(id=group.id))

    for hi, hybrid in enumerate(s.hybrids):
        if hybrid.host not in hosts:
            fail(("hybrids", hi, "host"), gettext("unknown host '{host}'").format(host=hybrid.host))
        check_slots(("hybrids", hi, "slots"), hybrid.slots)
        if hybrid.window:
            check_span(("hybrids", hi, "window"), hybrid.window)

    if s.learning_meeting:
        lm = s.learning_meeting
        if lm.host not in hosts:
            fail(("learning_meeting", "host"), gettext("unknown host '{host}'").format(host=lm.host))
        check_slots(("learning_meeting", "slots"), lm.slots)
        if lm.window:
            check_span(("learning_meeting", "window"), lm.window)

    if s.network:
        net = s.network
        if net.host not in hosts:
            fail(("network", "host"), gettext("unknown host '{host}'").format(host=net.host))
        if net.slot not in slots:
            fail(
                ("network", "slot"),
                gettext("unknown slot '{slot}' (slots are: {slots})").format(
                    slot=net.slot, slots=", ".join(sorted(slots))
                ),
            )
        for k, day in enumerate(net.dates):
            in_period(("network", "dates", k), day)
        for dup in _duplicates(str(d) for d in net.dates):
            fail(("network", "dates"), gettext("{day} is listed twice").format(day=dup))


def scenario_warnings(s: Scenario) -> list[ScenarioWarning]:
    """What is valid but probably not what the planner meant (:func:`from_data` issues each
    with :func:`warnings.warn`): a Swedish region whose school holidays are not known, or
    whose ``county`` is not the county of its code (school holidays follow the code, so a
    code changed by mistake would silently take another county's sportlov)."""
    out: list[ScenarioWarning] = []
    for k, region in enumerate(s.regions):
        if not region.code.startswith("SE-"):
            continue
        field = field_path(s, ("regions", k))
        iso_name = subdivision_name(region.code) or region.code
        shipped = swedish.sportlov_weeks(region.code)
        if s.calendar.school_holidays and region.school_holidays is None and shipped is None:
            out.append(
                ScenarioWarning(
                    gettext(
                        "no sportlov weeks are known for {code} ({name}); only påsklov and "
                        "höstlov keep it from presenting — list its school holidays here"
                    ).format(code=region.code, name=iso_name),
                    field=f"{field}.school_holidays",
                )
            )
        if region.county is not None:
            swedish_counties = _named(pycountry.subdivisions.get(country_code="SE") or [])
            meant = [code for code, _ in _by_name(region.county, swedish_counties)]
            if region.code not in meant and _fold(region.county) != _fold(region.code):
                problem = (
                    gettext(
                        "'{county}' is the county of {meant} ({meant_name}), not of {code} ({name}); "
                        "school holidays follow the code — check the code"
                    )
                    if meant
                    else gettext(
                        "'{county}' is not a Swedish county; the code is {code} ({name}); "
                        "school holidays follow the code — check the code"
                    )
                )
                out.append(
                    ScenarioWarning(
                        problem.format(
                            county=region.county,
                            meant=meant[0] if meant else "",
                            meant_name=subdivision_name(meant[0]) if meant else "",
                            code=region.code,
                            name=iso_name,
                        ),
                        field=f"{field}.county",
                    )
                )
    return out


# -- loading --------------------------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    """Safe YAML (no object tags) with a cap on aliases against expansion bombs, and no
    key given twice in a mapping."""

    aliases_seen = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self.aliases_seen += 1
            if self.aliases_seen > MAX_YAML_ALIASES:
                raise ScenarioError(
                    gettext("more than {most} YAML aliases; refusing to expand them").format(
                        most=MAX_YAML_ALIASES
                    )
                )
        return super().compose_node(parent, index)

    def compose_mapping_node(self, anchor: Any) -> Any:
        """A mapping, refused when one of its own keys is given twice: YAML would silently
        keep the last.  Checked as composed, before ``<<`` merges (whose keys a mapping may
        override) are flattened in."""
        node = super().compose_mapping_node(anchor)
        first: dict[tuple[str, str], int] = {}
        for key, _ in node.value:
            if not isinstance(key, yaml.ScalarNode) or key.tag == "tag:yaml.org,2002:merge":
                continue
            mark = key.start_mark
            line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
            if (key.tag, key.value) in first:
                raise ScenarioError(
                    gettext(
                        "key '{key}' is given twice in one mapping (first on line {line}); "
                        "YAML would silently keep only the last"
                    ).format(key=key.value, line=first[key.tag, key.value]),
                    field=_line_column(line, column),
                )
            first[key.tag, key.value] = line
        return node

    def construct_yaml_timestamp(self, node: Any) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as exc:
            mark = node.start_mark
            raise ScenarioError(
                gettext("{value} is not a date ({why})").format(
                    value=node.value, why=_their_problem(str(exc))
                ),
                field=_line_column(mark.line + 1, mark.column + 1),
            ) from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,47}$")
_CODE_PATTERN = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")

_ITEM_IDS: dict[tuple[str, ...], tuple[str, re.Pattern[str]]] = {
    ("regions",): ("code", _CODE_PATTERN),
    ("hosts",): ("id", _ID_PATTERN),
    ("hosts", "*", "themes"): ("id", _ID_PATTERN),
    ("hosts", "*", "themes", "*", "interested"): ("region", _CODE_PATTERN),
    ("hosts", "*", "themes", "*", "slots"): ("", _ID_PATTERN),
    ("slots",): ("id", _ID_PATTERN),
    ("groups",): ("id", _ID_PATTERN),
    ("groups", "*", "members"): ("", _CODE_PATTERN),
    ("hybrids",): ("id", _ID_PATTERN),
    ("hybrids", "*", "slots"): ("", _ID_PATTERN),
    ("learning_meeting", "slots"): ("", _ID_PATTERN),
}
"""Lists whose items have an id: the key that holds it (``""``: the item is its own id) and
the form an id has.  An error names such an item by its id, ``hosts[vinnova].themes[halsa]``,
not by its position in the list."""


def _child(node: Any, key: str | int) -> Any:
    if isinstance(node, list | tuple):
        return node[key] if isinstance(key, int) and -len(node) <= key < len(node) else None
    if isinstance(node, dict):
        return node.get(key)
    if isinstance(node, BaseModel) and isinstance(key, str):
        return getattr(node, key, None)
    return None


def _ident(item: Any, how: tuple[str, re.Pattern[str]]) -> str | None:
    """An item's id, when it is a well-formed one (a malformed id is what an error may be
    about, so the item is then named by its position)."""
    key, form = how
    value = item if isinstance(item, str) else _child(item, key) if key else None
    if isinstance(value, str) and form.match(value) and not value.isdigit():
        return value
    return None


def field_path(root: Any, path: Iterable[str | int]) -> str:
    """A field as the planner reads it: items of the lists in :data:`_ITEM_IDS` by their id
    (``regions[SE-W].unavailable[0]``), others by position.

    ``root`` is plain data (as parsed) or a :class:`Scenario`; ``path`` holds keys and
    positions, or ids already (a path parsed back from such a text).  An item keeps its
    position when its id is missing, malformed or shared with another item of the list."""
    out = ""
    node = root
    walked: list[str] = []
    for part in path:
        how = _ITEM_IDS.get(tuple(walked))
        if isinstance(part, int):
            item = _child(node, part)
            ident = _ident(item, how) if how else None
            if ident is not None and how and [_ident(i, how) for i in node].count(ident) != 1:
                ident = None  # two items share it: only the position tells them apart
            out += f"[{ident if ident is not None else part}]"
            node = item
            walked.append("*")
        elif isinstance(node, list | tuple):
            out += f"[{part}]"  # already an id
            node = next((i for i in node if how and _ident(i, how) == part), None)
            walked.append("*")
        else:
            out += f".{part}" if out else part
            node = _child(node, part)
            walked.append(part)
    return out or "(top level)"


def _clean_loc(loc: tuple[int | str, ...]) -> tuple[int | str, ...]:
    """A pydantic error location without the union branches it names."""
    return tuple(p for p in loc if isinstance(p, int) or (p not in _BRANCHES and "[" not in p))


_PATTERNS = {
    r"^[a-z0-9][a-z0-9_-]{0,47}$": N_(
        "{got!r} is not a valid id; use a-z, 0-9, '-' and '_' only "
        "(no capitals, no å/ä/ö, at most 48 characters)"
    ),
}


def _shown(got: Any) -> str:
    return got.isoformat() if isinstance(got, dt.date | dt.time) else repr(got)


_PYDANTIC: dict[str, str] = {
    # TRANSLATORS: pydantic's messages for a bad value, word for word in English; the
    # {names} are its numbers and texts. "Input" is the value in the scenario file.
    "greater_than": N_("Input should be greater than {gt}"),
    "greater_than_equal": N_("Input should be greater than or equal to {ge}"),
    "less_than": N_("Input should be less than {lt}"),
    "less_than_equal": N_("Input should be less than or equal to {le}"),
    "multiple_of": N_("Input should be a multiple of {multiple_of}"),
    "int_parsing": N_("Input should be a valid integer, unable to parse string as an integer"),
    "int_type": N_("Input should be a valid integer"),
    "int_from_float": N_("Input should be a valid integer, got a number with a fractional part"),
    "float_parsing": N_("Input should be a valid number, unable to parse string as a number"),
    "float_type": N_("Input should be a valid number"),
    "bool_parsing": N_("Input should be a valid boolean, unable to interpret input"),
    "bool_type": N_("Input should be a valid boolean"),
    "string_type": N_("Input should be a valid string"),
    "list_type": N_("Input should be a valid list"),
    "date_parsing": N_("Input should be a valid date in the format YYYY-MM-DD, {error}"),
    "date_type": N_("Input should be a valid date"),
    "date_from_datetime_parsing": N_("Input should be a valid date or datetime, {error}"),
    "date_from_datetime_inexact": N_(
        "Datetimes provided to dates should have zero time - e.g. be exact dates"
    ),
    "time_parsing": N_("Input should be in a valid time format, {error}"),
    "time_type": N_("Input should be a valid time"),
    "string_pattern_mismatch": N_("String should match pattern '{pattern}'"),
    "literal_error": N_("Input should be {expected}"),
}
"""Pydantic's error type → its English message (as pydantic words it: the msgid)."""

_PLURAL_KEYS: dict[str, str] = {"string_too_short": "min_length", "string_too_long": "max_length"}
"""The error types whose message counts → the ``ctx`` key of the count."""


def _counted(kind: str, n: int) -> tuple[str, str]:
    """The English message of a counting error type for ``n`` and its translation."""
    if kind == "string_too_short":
        one, many = (
            "String should have at least {min_length} character",
            "String should have at least {min_length} characters",
        )
        return (one if n == 1 else many), ngettext(
            "String should have at least {min_length} character",
            "String should have at least {min_length} characters",
            n,
        )
    one, many = (
        "String should have at most {max_length} character",
        "String should have at most {max_length} characters",
    )
    return (one if n == 1 else many), ngettext(
        "String should have at most {max_length} character",
        "String should have at most {max_length} characters",
        n,
    )


_DETAILS: tuple[str, ...] = (
    # TRANSLATORS: why a date or a time could not be read (pydantic's words).
    N_("input is too short"),
    N_("unexpected extra characters at the end of the input"),
    N_("invalid character in year"),
    N_("invalid character in month"),
    N_("invalid character in day"),
    N_("invalid character in hour"),
    N_("invalid character in minute"),
    N_("invalid character in second"),
    N_("invalid date separator, expected `-`"),
    N_("invalid time separator, expected `:`"),
    N_("month value is outside expected range of 1-12"),
    N_("day value is outside expected range"),
    N_("hour value is outside expected range of 0-23"),
    N_("minute value is outside expected range of 0-59"),
    N_("second value is outside expected range of 0-59"),
)
"""The reasons pydantic gives in ``{error}`` of a date or time it cannot read."""


def _pydantic_message(err: dict[str, Any]) -> str:
    """Pydantic's message in the command line's language.  The English is the template
    filled with ``ctx``; where that is not pydantic's own text (a type not mapped, a wording
    that changed), pydantic's text is kept, so the English never drifts from pydantic."""
    kind = err["type"]
    ctx = dict(err.get("ctx") or {})
    msg = str(err["msg"])
    if kind in _PLURAL_KEYS:
        n = ctx.get(_PLURAL_KEYS[kind])
        if not isinstance(n, int):
            return msg
        english, translated = _counted(kind, n)
        return translated.format(**ctx) if english.format(**ctx) == msg else msg
    template = _PYDANTIC.get(kind)
    try:
        if template is None or template.format(**ctx) != msg:
            return msg
    except (KeyError, IndexError, ValueError):
        return msg
    shown = dict(ctx)
    if isinstance(ctx.get("error"), str) and ctx["error"] in _DETAILS:
        shown["error"] = gettext(ctx["error"])
    if kind == "literal_error" and isinstance(ctx.get("expected"), str):
        head, sep, last = ctx["expected"].rpartition(" or ")
        # TRANSLATORS: joins the last two of the values a field allows: 'a', 'b' or 'c'.
        shown["expected"] = head + gettext(" or ") + last if sep else ctx["expected"]
    return gettext(template).format(**shown)


def _message(err: dict[str, Any]) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    got = err.get("input")
    if kind == "extra_forbidden":
        return gettext("unknown field (check the spelling; `arshjul schema` lists the fields)")
    if kind == "missing":
        return gettext("is required")
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == _CODE_PATTERN.pattern:
        return _region_code_message(got)
    if kind == "string_pattern_mismatch" and ctx.get("pattern") in _PATTERNS:
        return gettext(_PATTERNS[ctx["pattern"]]).format(got=got)
    if kind == "too_short":
        n = ctx.get("min_length")
        if not isinstance(n, int):
            return str(err["msg"])
        actual = ctx.get("actual_length") or gettext("none")
        return ngettext(
            "needs at least {n} item, got {actual}", "needs at least {n} items, got {actual}", n
        ).format(n=n, actual=actual)
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return gettext("Input should be a mapping of fields (got {got})").format(got=_shown(got))
    if kind == "value_error":
        return str(err["msg"]).removeprefix("Value error, ")
    msg = _pydantic_message(err)
    typed = kind.endswith("_type") or kind.endswith("_parsing") or kind == "literal_error"
    if typed and not isinstance(got, dict | list):
        # TRANSLATORS: after pydantic's message, the value the scenario gave.
        return gettext("{message} (got {got})").format(message=msg, got=_shown(got))
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


def _lone_surrogate(
    data: Any, loc: tuple[Any, ...] = (), seen: set[int] | None = None
) -> tuple[tuple[Any, ...], int, str] | None:
    """Where the first string (key or value) with a lone surrogate is, or ``None``.  Each
    list and mapping is looked into once: YAML aliases share them (a billion laughs)."""
    if isinstance(data, str):
        k = next((k for k, c in enumerate(data) if "\ud800" <= c <= "\udfff"), None)
        return None if k is None else (loc, k, data[k])
    seen = set() if seen is None else seen
    if not isinstance(data, dict | list) or id(data) in seen:
        return None
    seen.add(id(data))
    for key, value in data.items() if isinstance(data, dict) else enumerate(data):
        found = _lone_surrogate(key, loc, seen) or _lone_surrogate(value, (*loc, key), seen)
        if found is not None:
            return found
    return None


def from_data(data: Any, source: str | None = None) -> Scenario:
    """Validate plain data (as parsed from YAML or JSON) into a :class:`Scenario`."""
    if data is None:
        raise ScenarioError(
            gettext("is empty; a scenario needs at least id, name, period, hosts and regions"), source=source
        )
    if not isinstance(data, dict):
        raise ScenarioError(
            gettext("a scenario must be a mapping of fields (got {type})").format(type=type(data).__name__),
            source=source,
        )
    surrogate = _lone_surrogate(data)
    if surrogate is not None:  # pydantic cannot even word its error about one in a span
        loc, k, c = surrogate
        raise ScenarioError(
            gettext("has a lone surrogate ({char}) at character {k}; write plain text").format(
                char=_char_name(c), k=k + 1
            ),
            source=source,
            field=field_path(data, loc),
            path=loc,
        )
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        first = _pick(exc.errors())
        loc = _clean_loc(first["loc"])
        raise ScenarioError(
            _message(dict(first)), source=source, field=field_path(data, loc), path=loc
        ) from None
    try:
        cross_check(scenario)
    except ScenarioError as exc:
        raise exc.located(source) if source else exc from None
    for warning in scenario_warnings(scenario):
        warnings.warn(warning.located(source) if source else warning, stacklevel=2)
    return scenario


def _line(line: int) -> str:
    """Where in a file a problem is, when the field is not known."""
    return gettext("line {line}").format(line=line)


def _line_column(line: int, column: int) -> str:
    """Where in a file a problem is, when the field is not known: ``line 15, column 8``."""
    return gettext("line {line}, column {column}").format(line=line, column=column)


_YAML_PROBLEMS: tuple[str, ...] = (
    # TRANSLATORS: PyYAML's own words for a YAML syntax error, after "not valid YAML:";
    # {found} is what it found, quoted as PyYAML quotes it ('\t', ':', '<scalar>')
    N_("mapping values are not allowed here"),
    N_("mapping keys are not allowed here"),
    N_("sequence entries are not allowed here"),
    N_("could not find expected ':'"),
    N_("found character {found} that cannot start any token"),
    N_("found undefined alias {found}"),
    N_("found undefined tag handle {found}"),
    N_("found unknown escape character {found}"),
    N_("found unexpected end of stream"),
    N_("found unexpected document separator"),
    N_("found unhashable key"),
    N_("found duplicate anchor {found}; first occurrence"),
    N_("second occurrence"),
    N_("but found another document"),
    N_("expected ',' or ']', but got {found}"),
    N_("expected ',' or '}}', but got {found}"),
    N_("expected the node content, but found {found}"),
    N_("expected '<document start>', but found {found}"),
    N_("expected alphabetic or numeric character, but found {found}"),
    N_("expected ' ', but found {found}"),
    N_("expected a comment or a line break, but found {found}"),
    N_("expected chomping or indentation indicators, but found {found}"),
    N_("expected indentation indicator in the range 1-9, but found 0"),
    N_("expected a digit, but found {found}"),
)
"""PyYAML's problems (its English words exactly, with ``{found}`` for what it quotes; a brace
of its own doubled, as ``str.format`` needs): the msgids of their translations.  A problem not
here (a newer PyYAML's) is shown in PyYAML's words."""


_DATE_PROBLEMS: tuple[str, ...] = (
    # TRANSLATORS: Python's own words for an impossible date, in "2027-02-31 is not a date (…)"
    N_("day is out of range for month"),
    N_("month must be in 1..12"),
    N_("year {year} is out of range"),
    N_("day {day} must be in range 1..{last} for month {month} in year {year}"),
)
"""Python's reasons a date cannot be (3.11's words and 3.12's): msgids, as :data:`_YAML_PROBLEMS`."""


_KNOWN_PROBLEMS = problem_patterns(_YAML_PROBLEMS + _DATE_PROBLEMS)


def _their_problem(problem: str) -> str:
    """PyYAML's or Python's problem text in the command line's language (:func:`their_problem`)."""
    return their_problem(problem, _KNOWN_PROBLEMS)


def parse_yaml(text: str, source: str | None = None) -> Any:
    """YAML text to plain data, with file-and-line errors."""
    try:
        return yaml.load(text, Loader=_Loader)
    except ScenarioError as exc:
        raise exc.located(source) if source else exc from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = _line_column(mark.line + 1, mark.column + 1) if mark else gettext("(unknown place)")
        problem = str(exc.problem)
        tag = re.match(r"could not determine a constructor for the tag '(.*)'", problem)
        if tag:
            short = tag.group(1).replace("tag:yaml.org,2002:", "!!")
            raise ScenarioError(
                gettext("YAML tag '{tag}' is not allowed; a scenario holds plain data only").format(
                    tag=short
                ),
                source=source,
                field=where,
            ) from None
        if "<block" in problem:
            problem = gettext("the indentation does not match the lines above")
        else:
            problem = _their_problem(problem)
        raise ScenarioError(
            gettext("not valid YAML: {problem}").format(problem=problem), source=source, field=where
        ) from None
    except yaml.reader.ReaderError as exc:
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        line = text.count("\n", 0, exc.position) + 1
        raise ScenarioError(
            gettext("not valid YAML: a control character ({char}) cannot be written into a YAML file").format(
                char=_char_name(char)
            ),
            source=source,
            field=_line(line),
        ) from None
    except yaml.YAMLError as exc:
        raise ScenarioError(gettext("not valid YAML: {problem}").format(problem=exc), source=source) from None
    except RecursionError:
        raise ScenarioError(gettext("YAML nested too deeply"), source=source) from None


MAX_PATH_SHOWN = 160
"""Longest file name shown whole in a message; longer ones are shortened in the middle."""


def _path_shown(source: str) -> str:
    """A file name fit for a one-line message: control characters escaped, long ones cut."""
    shown = "".join(c if c.isprintable() else repr(c)[1:-1] for c in source)
    if len(shown) > MAX_PATH_SHOWN:
        shown = f"{shown[: MAX_PATH_SHOWN // 2]}…{shown[-MAX_PATH_SHOWN // 4 :]} ({len(source)} characters)"
    return shown


def _kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return gettext("is a folder, not a file")
    if stat.S_ISFIFO(mode):
        return gettext("is a named pipe, not a file; save the scenario to a file and give that")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return gettext("is a device, not a file; save the scenario to a file and give that")
    if stat.S_ISSOCK(mode):
        return gettext("is a socket, not a file; save the scenario to a file and give that")
    return gettext("is not a regular file; save the scenario to a file and give that")


def _read_capped(path: Path, source: str) -> bytes:
    """At most ``MAX_FILE_BYTES + 1`` bytes of a regular file.

    The file is checked with ``os.stat`` before it is opened (a named pipe would block the
    open, ``/dev/zero`` would never end), opened without blocking, and checked again on the
    open descriptor, so a file swapped in between is caught too."""
    try:
        before = os.stat(path)
    except FileNotFoundError:
        raise ScenarioError(gettext("no such file"), source=source) from None
    except PermissionError:
        raise ScenarioError(gettext("cannot read: permission denied"), source=source) from None
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            raise ScenarioError(
                gettext("cannot read: the path is longer than the system allows"), source=source
            ) from None
        raise ScenarioError(
            gettext("cannot read: {why}").format(why=os_reason(exc, gettext)), source=source
        ) from None
    if not stat.S_ISREG(before.st_mode):
        raise ScenarioError(_kind_of(before.st_mode), source=source)
    limit = MAX_FILE_BYTES // (1024 * 1024)
    if before.st_size > MAX_FILE_BYTES:
        raise ScenarioError(
            gettext("is {size:.1f} MB; scenario files are limited to {limit} MB").format(
                size=before.st_size / 1e6, limit=limit
            ),
            source=source,
        )
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except PermissionError:
        raise ScenarioError(gettext("cannot read: permission denied"), source=source) from None
    except OSError as exc:
        raise ScenarioError(
            gettext("cannot read: {why}").format(why=os_reason(exc, gettext)), source=source
        ) from None
    try:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode):
            raise ScenarioError(_kind_of(opened.st_mode), source=source)
        chunks: list[bytes] = []
        left = MAX_FILE_BYTES + 1
        while left > 0:
            try:
                chunk = os.read(fd, min(left, 1 << 20))
            except OSError as exc:
                raise ScenarioError(
                    gettext("cannot read: {why}").format(why=os_reason(exc, gettext)), source=source
                ) from None
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    raw = b"".join(chunks)
    if len(raw) > MAX_FILE_BYTES:
        raise ScenarioError(
            gettext("is larger than {limit} MB; scenario files are limited to {limit} MB").format(
                limit=limit
            ),
            source=source,
        )
    return raw


def read_text(path: Path) -> str:
    """A file's text, with one-line errors for anything but a readable regular file of at
    most ``MAX_FILE_BYTES`` of UTF-8: missing, a folder, a pipe or device, unreadable,
    huge, a name with a NUL byte or too long for the system, or not UTF-8."""
    source = str(path)
    if "\x00" in source:
        raise ScenarioError(
            gettext("the file name has a NUL byte; no file can be named so"), source=_path_shown(source)
        )
    raw = _read_capped(Path(path), _path_shown(source))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ScenarioError(
            gettext("not UTF-8 text (byte {byte}); save the file as UTF-8").format(byte=exc.start),
            source=source,
            field=_line(line),
        ) from None


def load(path: str | Path) -> Scenario:
    """Read and validate a scenario file (an ``extends:`` chain is merged first), and the
    files its regions keep their availability in (:func:`read_availability`)."""
    p = Path(path)
    if p.suffix.lower() == ".xlsx":  # the planning workbook; errors name sheet and cell
        return read_availability(read_workbook(p, MAX_FILE_BYTES).validated(from_data), p)
    data = parse_yaml(read_text(p), str(p))
    # `extends: other.yaml` never reaches pydantic: the chain is merged first (arshjul.extends)
    if isinstance(data, dict) and "extends" in data:
        merged, origin = resolve(p, data)
        return read_availability(from_merged(merged, origin), p, (merged, origin))
    return read_availability(from_data(data, str(p)), p)


# -- availability files: what the regions already keep -------------------------------------------

MAX_LABEL = 100
"""Longest file name kept in the name of a span read from it (the rest is cut)."""


def _label(ref: str, note: str) -> str:
    name = ref if len(ref) <= MAX_LABEL else f"…{ref[-(MAX_LABEL - 1) :]}"
    return f'{name}: "{note}"' if note else name


def _file_spans(ref: str, path: Path, sc: Scenario) -> list[Span]:
    """The spans one availability file gives, each named by the file and its note; a
    problem is a ``ScenarioError`` whose problem names the file (and line)."""
    shown = _path_shown(ref)
    try:
        raw = _read_capped(path, shown)
        text: str | None = None
        if not ref.lower().endswith(".xlsx"):
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                line = raw[: exc.start].count(b"\n") + 1
                raise ScenarioError(
                    gettext("not UTF-8 text (byte {byte}); save the file as UTF-8").format(byte=exc.start),
                    field=_line(line),
                ) from None
        entries = availability.read_entries(raw, text, shown, sc.period.start, sc.period.end, sc.timezone)
    except ScenarioError as err:
        where = [p for p in (err.field,) if p]
        raise ScenarioError(": ".join([shown, *where, err.problem])) from None
    spans: list[Span] = []
    for entry in entries:
        label = _label(ref, entry.note)
        try:
            if entry.text is not None:
                span = Span.model_validate(entry.text)
                span.name = label
            else:
                span = Span.model_validate({"name": label, "from": entry.first, "to": entry.last})
        except ValidationError as exc:
            problem = _message(dict(exc.errors()[0]))
            raise ScenarioError(f"{shown}: {entry.where}: {problem}") from None
        spans.append(span)
    return spans


def read_availability(
    sc: Scenario, path: str | Path, chain: tuple[Any, Origin] | None = None
) -> Scenario:
    """``sc`` with the files of each region's ``away_from`` and ``cannot_present_from`` read
    into spans named by the file and the note they came with (``dalarna-busy.ics:
    "Regionfullmäktige"``).  A path is relative to the file that wrote it: the scenario file
    ``path``, or in an ``extends`` chain (``chain``: the merged data and its origins) the
    base file that set the list, as the planner who wrote it there meant.  A file that cannot
    be read is one ``ScenarioError`` naming that scenario file, the field, the file and its line."""
    for region in sc.regions:
        read: dict[str, list[tuple[int, Span]]] = {}
        for name in ("away_from", "cannot_present_from"):
            for k, ref in enumerate(getattr(region, name)):
                written_in = _written_in(chain, region.code, name, k) or str(path)
                try:
                    spans = _file_spans(ref, Path(written_in).parent / ref, sc)
                except ScenarioError as err:
                    raise ScenarioError(
                        err.problem, source=written_in, field=f"regions[{region.code}].{name}[{k}]"
                    ) from None
                read.setdefault(name, []).extend((k, span) for span in spans)
        region._read = read
    return sc


def _written_in(chain: tuple[Any, Origin] | None, code: str, name: str, k: int) -> str | None:
    """The file of an ``extends`` chain that wrote ``regions[code].name[k]`` (``None``: no chain)."""
    if chain is None:
        return None
    data, origin = chain
    regions = data.get("regions") if isinstance(data, dict) else None
    for i, item in enumerate(regions if isinstance(regions, list) else []):
        if isinstance(item, dict) and str(item.get("code", "")).strip().upper() == code:
            return origin.find(["regions", i, name, k])
    return None


def keep_availability(source: Scenario, copy: Scenario) -> Scenario:
    """``copy`` (validated again from ``source``'s data, e.g. a variant) with the spans
    ``source`` read from availability files, for each region that names the same files."""
    by_code = {r.code: r for r in source.regions}
    for region in copy.regions:
        was = by_code.get(region.code)
        if (
            was is not None
            and was.away_from == region.away_from
            and was.cannot_present_from == region.cannot_present_from
        ):
            region._read = dict(was._read)
    return copy


# -- extends: chains ----------------------------------------------------------------------------


def resolve(path: str | Path, data: Any = None) -> tuple[Any, Origin]:
    """A scenario file with its ``extends`` chain merged in: plain data (not validated) and
    the origin of each part.  ``data`` is the file's parsed content when the caller has it."""
    return _resolve(Path(path), data, [])


def _resolve(path: Path, data: Any, chain: list[Path]) -> tuple[Any, Origin]:
    source = str(path)
    if data is None and path.suffix.lower() == ".xlsx":  # a planning workbook: the chain ends here
        book = read_workbook(path, MAX_FILE_BYTES)
        return book.data, workbook_origin(book.data, source, book.where)
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
            gettext(
                "give the file to extend as a path, e.g. 'extends: base.yaml' (or a workbook, base.xlsx)"
            ),
            source=source,
            field="extends",
        )
    parent_path = path.parent / target.strip()
    here = path.resolve()
    seen = [*chain, here]
    try:
        resolved = parent_path.resolve()
    except (OSError, RuntimeError):  # a loop of symbolic links (RuntimeError before Python 3.13)
        raise ScenarioError(
            gettext("'{file}' is a loop of symbolic links").format(file=target),
            source=source,
            field="extends",
        ) from None
    if resolved in seen:
        loop = " → ".join(p.name for p in [*seen[seen.index(resolved) :], resolved])
        raise ScenarioError(
            gettext("'{file}' is already in the chain, a cycle: {loop}").format(file=target, loop=loop),
            source=source,
            field="extends",
        )
    if len(seen) >= MAX_CHAIN:
        raise ScenarioError(
            gettext("more than {most} files extend each other").format(most=MAX_CHAIN),
            source=source,
            field="extends",
        )
    if parent_path.exists() and not parent_path.is_file():
        raise ScenarioError(
            gettext("'{file}' is not a regular file (a folder, device or pipe)").format(file=target),
            source=source,
            field="extends",
        )
    if not parent_path.is_file():
        raise ScenarioError(
            gettext("no such file '{file}' (looked for {path}; the path is relative to this file)").format(
                file=target, path=parent_path
            ),
            source=source,
            field="extends",
        )
    parent, parent_origin = _resolve(parent_path, None, seen)
    if not isinstance(parent, dict):
        raise ScenarioError(
            gettext("the extended file is not a mapping of fields"), source=source, field="extends"
        )
    return merge(parent, parent_origin, data, source)


def from_merged(data: Any, origin: Origin) -> Scenario:
    """Validate merged data; an error names the file that contributed the faulty field."""
    try:
        return from_data(data)
    except ScenarioError as err:
        raise locate(err, data, origin, field_path) from None


def bundled(name: str = "sweden-2027") -> Path:
    """Path of a scenario shipped with the package (works installed or from a checkout)."""
    filename = name if name.endswith(".yaml") else f"{name}.yaml"
    packaged = resources.files("arshjul") / "scenarios" / filename
    if packaged.is_file():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parents[2] / "scenarios" / filename
    if checkout.is_file():
        return checkout
    raise ScenarioError(gettext("no bundled scenario named '{name}'").format(name=name))


def json_schema() -> dict[str, Any]:
    """JSON Schema of the scenario file, for editors."""
    schema = Scenario.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "arshjul scenario"
    return schema
