"""A planning workbook read back into plain scenario data, remembering every value's cell.

:func:`read_workbook` turns an .xlsx into the same plain dict the YAML loader feeds to
pydantic, so validation and its messages are the scenario's own; :meth:`Book.validated`
runs that validation and moves each error from its field path (``regions[3].unavailable[0]``)
to the sheet and cell the value came from (``Tillgänglighet!D14``).  Cell-level problems
(text in a date cell, a word that is not one of a drop-down's) are caught here, with the
cell.  A damaged or non-xlsx file is one line, never a traceback; sizes are bounded.

This module must not import :mod:`arshjul.scenario`, which imports it.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from openpyxl.utils import get_column_letter

from ..errors import ScenarioError
from ..fileio import os_reason
from ..i18n import N_
from ..i18n import _ as gettext
from . import layout as L
from .files import load_book, text_of

T = TypeVar("T")

MAX_UNPACKED_BYTES = 64 * 1024 * 1024
"""Largest total size of a workbook's unpacked parts (a zip bomb is refused before reading)."""
MAX_ROWS = 20_000
MAX_COLUMNS = 2_100
"""Per sheet; a scenario of 1,000 regions and 2,000 themes fits."""

Path_ = tuple[str | int, ...]


class _Absent:
    """An empty cell: the field is left out, so the scenario's default applies."""


ABSENT: Any = _Absent()


@dataclass(frozen=True)
class Week:
    """A week without a year (``W07``): the span repeats in every year of the period."""

    number: int


@dataclass
class Book:
    """What a workbook says, as plain scenario data, and where each value stands."""

    source: str
    data: dict[str, Any]
    where: dict[Path_, str] = field(default_factory=dict)

    def validated(self, check: Callable[[Any, str], T]) -> T:
        """``check(data, source)`` (the scenario's ``from_data``), its errors moved to cells."""
        try:
            return check(self.data, self.source)
        except ScenarioError as err:
            raise self.locate(err) from None

    def locate(self, err: ScenarioError) -> ScenarioError:
        """The same problem, naming the sheet and cell of the field (or the nearest one)."""
        # the positional path when the error has one: its text names list items by id
        path = tuple(err.path) if err.path is not None else field_path(err.field or "")
        for n in range(len(path), 0, -1):
            cell = self.where.get(path[:n])
            if cell:
                if n == len(path):  # a rule on a whole row: the cell of the first field it names
                    named = [
                        (m.start(), self.where[(*path, m.group())])
                        for m in re.finditer(r"[a-z_]+", err.problem)
                        if (*path, m.group()) in self.where
                    ]
                    cell = min(named)[1] if named else cell
                return ScenarioError(err.problem, source=self.source, field=cell)
        return ScenarioError(err.problem, source=self.source, field=err.field)


def field_path(text: str) -> Path_:
    """``hosts[0].themes[5].interested[3]`` → ``("hosts", 0, "themes", 5, "interested", 3)``."""
    out: list[str | int] = []
    for m in re.finditer(r"\[(\d+)\]|([^.\[\]]+)", text):
        out.append(int(m.group(1)) if m.group(1) is not None else m.group(2))
    return tuple(out)


# -- the file ------------------------------------------------------------------------------


def read_workbook(path: Path, max_bytes: int) -> Book:
    """Read the workbook at ``path`` (at most ``max_bytes``) into a :class:`Book`."""
    source = str(path)

    def fail(problem: str) -> ScenarioError:
        return ScenarioError(problem, source=source)

    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise fail(gettext("no such file")) from None
    except OSError as exc:
        raise fail(gettext("cannot read: {why}").format(why=os_reason(exc, gettext))) from None
    if path.is_dir():
        raise fail(gettext("is a folder, not a file"))
    if size > max_bytes:
        raise fail(
            gettext("is {size:.1f} MB; workbooks are limited to {limit} MB").format(
                size=size / 1e6, limit=max_bytes // (1024 * 1024)
            )
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise fail(gettext("cannot read: {why}").format(why=os_reason(exc, gettext))) from None
    return _Reader(source, workbook_sheets(raw, source)).book()


def workbook_sheets(raw: bytes, source: str) -> dict[str, list[list[Any]]]:
    """Every sheet of the .xlsx in ``raw``, row by row, within the size bounds (a zip that
    unpacks to more than ``MAX_UNPACKED_BYTES`` is refused unread)."""

    def fail(problem: str) -> ScenarioError:
        return ScenarioError(problem, source=source)

    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise fail(
            gettext(
                "is an old-format (.xls) or password-protected workbook; save it in Excel as an "
                "unprotected 'Excel-arbetsbok (.xlsx)'"
            )
        )
    if not raw.startswith(b"PK"):
        raise fail(gettext("is not an Excel workbook (.xlsx); save it in Excel as 'Excel-arbetsbok (.xlsx)'"))
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise fail(
            gettext("is not an Excel workbook (.xlsx): a damaged file ({why})").format(why=exc)
        ) from None
    if "xl/workbook.xml" not in names:
        raise fail(gettext("is a zip file but not an Excel workbook (.xlsx): it has no xl/workbook.xml"))
    if unpacked > MAX_UNPACKED_BYTES:
        raise fail(
            gettext("unpacks to {size:.0f} MB; workbooks are limited to {limit} MB unpacked").format(
                size=unpacked / 1e6, limit=MAX_UNPACKED_BYTES // (1024 * 1024)
            )
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about Excel features it drops
            wb = load_book(raw)  # strings exactly as stored (OOXML escapes undone in _grid)
            try:
                sheets = {name: _grid(source, name, wb[name]) for name in wb.sheetnames}
            finally:
                wb.close()
    except ScenarioError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a damaged part
        detail = " ".join(str(exc).split())[:160]
        raise fail(
            gettext("cannot be read as an Excel workbook ({why})").format(
                why=f"{type(exc).__name__}{': ' + detail if detail else ''}"
            )
        ) from None
    return sheets


def _grid(source: str, name: str, ws: Any) -> list[list[Any]]:
    """A sheet's values, row by row (trailing empty cells dropped), within the size bounds."""
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()  # a wrong (or huge) stated size must not decide what is read
    rows: list[list[Any]] = []
    for k, values in enumerate(ws.iter_rows(values_only=True), start=1):
        row = [text_of(v) if isinstance(v, str) else v for v in values]
        while row and (row[-1] is None or row[-1] == ""):
            row.pop()
        if len(row) > MAX_COLUMNS:
            raise ScenarioError(
                gettext("has more than {most} columns").format(most=MAX_COLUMNS), source=source, field=name
            )
        if k > MAX_ROWS:
            if row:
                raise ScenarioError(
                    gettext("has more than {most} rows").format(most=MAX_ROWS), source=source, field=name
                )
            continue
        rows.append(row)
    while rows and not rows[-1]:
        rows.pop()
    return rows


# -- cells ---------------------------------------------------------------------------------

_WEEK = re.compile(r"^(?:w|v|v\.|vecka|week)\s*(\d{1,2})$", re.IGNORECASE)
_YEAR_WEEK = re.compile(r"^(\d{4})-?w(\d{1,2})$", re.IGNORECASE)
_INT = re.compile(r"^[+-]?\d+$")


def _shown(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, str) else str(value)


def _not_a_date() -> str:
    """A cell that is not a date, in the command line's language (``{value}``: what it holds)."""
    return gettext("not a date: {value} (write a date such as 2027-05-03)")


_LOOKUP: dict[str, tuple[str, str]] = {
    # TRANSLATORS: {code} is the code a row gives (quoted), {sheet} the sheet's Swedish name
    "region": (
        N_("which region? (the cell is empty)"),
        N_("unknown region {code} (not on the {sheet} sheet)"),
    ),
    "host": (N_("which host? (the cell is empty)"), N_("unknown host {code} (not on the {sheet} sheet)")),
}
"""What a row that names a region or a host says when the name is missing or unknown."""


class _Cells:
    """Converts one cell's value by the column's kind; errors name the cell."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, ref: str, problem: str) -> ScenarioError:
        return ScenarioError(problem, source=self.source, field=ref)

    def convert(self, col: L.Col, value: Any, ref: str) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            return ABSENT
        if isinstance(value, str):
            value = value.strip()
        kind = col.kind
        if kind == "text":
            return self.text(value)
        if kind == "int":
            return self.integer(value, ref)
        if kind == "date":
            return self.date(value, ref)
        if kind in ("from", "to"):
            return self.end(value, ref, end=kind == "to")
        if kind == "time":
            return self.time(value, ref)
        if kind == "bool":
            return self.boolean(value, ref)
        if kind == "choice":
            return self.choice(col.choices, value, ref)
        if kind == "list":
            items = [part.strip() for part in self.text(value).split(",")]
            return [item for item in items if item] or ABSENT
        if kind == "months":
            return self.months(value, ref)
        if kind == "spans":
            return self.spans(value, ref)
        if kind == "followup":
            if isinstance(value, str) and value.casefold() == L.NO_FOLLOWUP:
                return None
            return self.integer(value, ref)
        raise AssertionError(kind)

    def text(self, value: Any) -> str:
        if isinstance(value, str):
            return value
        if isinstance(value, bool):
            return L.YES if value else L.NO
        return _shown(value)

    def integer(self, value: Any, ref: str) -> Any:
        if isinstance(value, dt.date | dt.time):
            raise self.fail(
                ref,
                gettext("not a number: {value} (the cell holds a date or time)").format(value=_shown(value)),
            )
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and _INT.match(value):
            return int(value)
        return value  # the scenario says what is wrong with it

    def date(self, value: Any, ref: str) -> dt.date:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
            raise self.fail(ref, _not_a_date().format(value=repr(value)))
        raise self.fail(ref, _not_a_date().format(value=_shown(value)))

    def end(self, value: Any, ref: str, *, end: bool) -> dt.date | Week:
        """One end of a span: a date, a week (``W07``) or a week of a year (``2027-W07``)."""
        if isinstance(value, str):
            week = _WEEK.match(value)
            if week:
                return Week(int(week.group(1)))
            year_week = _YEAR_WEEK.match(value)
            if year_week:
                year, number = int(year_week.group(1)), int(year_week.group(2))
                try:
                    return dt.date.fromisocalendar(year, number, 7 if end else 1)
                except ValueError:
                    raise self.fail(
                        ref,
                        gettext("{value}: {year} has no week {number}").format(
                            value=repr(value), year=year, number=number
                        ),
                    ) from None
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        raise self.fail(
            ref,
            gettext("not a date: {value} (write a date such as 2027-05-03, or a week such as W07)").format(
                value=_shown(value)
            ),
        )

    def time(self, value: Any, ref: str) -> Any:
        if isinstance(value, dt.datetime):
            return value.time()
        if isinstance(value, dt.time | str):
            return value
        raise self.fail(
            ref, gettext("not a time: {value} (write a time such as 09:00)").format(value=_shown(value))
        )

    def boolean(self, value: Any, ref: str) -> bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and value.casefold() in L.BOOL_WORDS:
            return L.BOOL_WORDS[value.casefold()]
        raise self.fail(
            ref, gettext("write {yes} or {no} (got {value})").format(yes=L.YES, no=L.NO, value=_shown(value))
        )

    def choice(self, choices: dict[str, Any], value: Any, ref: str) -> Any:
        text = self.text(value).casefold()
        for word, meant in choices.items():
            if text in (word, str(meant).casefold()):
                return meant
        raise self.fail(
            ref,
            gettext("{value} is not one of: {choices}").format(value=_shown(value), choices=L.words(choices)),
        )

    def months(self, value: Any, ref: str) -> list[Any]:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return [self.integer(value, ref)]
        out: list[Any] = []
        for token in re.split(r"[,;\s]+", self.text(value)):
            if not token:
                continue
            word = token.casefold().rstrip(".")
            if _INT.match(word):
                out.append(int(word))
            elif word in L.MONTHS:
                out.append(L.MONTHS.index(word) + 1)
            elif word in L.MONTH_NAMES:
                out.append(L.MONTH_NAMES.index(word) + 1)
            else:
                raise self.fail(
                    ref,
                    gettext("not a month: {value} (write month numbers 1–12, such as 2, 3)").format(
                        value=repr(token)
                    ),
                )
        return out

    def spans(self, value: Any, ref: str) -> list[dict[str, Any]]:
        out = []
        for item in self.text(value).split(";"):
            item = item.strip()
            if not item:
                continue
            name, _, spec = item.rpartition(":")
            left, sep, right = spec.partition("..")
            try:
                first = self.end(left.strip(), ref, end=False)
                last = self.end(right.strip() if sep else left.strip(), ref, end=True)
            except ScenarioError:
                raise self.fail(
                    ref,
                    gettext(
                        "not a span: {value} (write for example 'Högsäsong: W07..W10' or "
                        "'2027-05-03..2027-05-07'; several separated by ';')"
                    ).format(value=repr(item)),
                ) from None
            span = self.span(first, last, ref, ref)
            if name.strip():
                span = {"name": name.strip(), **span}
            out.append(span)
        return out

    def span(self, first: Any, last: Any, first_ref: str, last_ref: str) -> dict[str, Any]:
        if isinstance(first, Week) and isinstance(last, Week):
            return {"weeks": [first.number, last.number]}
        if isinstance(first, Week) or isinstance(last, Week):
            raise self.fail(last_ref, gettext("give both ends as dates, or both as weeks (W07)"))
        return {"from": first, "to": last}


# -- sheets --------------------------------------------------------------------------------


@dataclass
class _Row:
    """One data row of a table: converted values (empty cells left out) and every cell."""

    number: int
    first: str
    values: dict[str, Any]
    cells: dict[str, str]


class _Reader:
    def __init__(self, source: str, sheets: dict[str, list[list[Any]]]) -> None:
        self.source = source
        self.cells = _Cells(source)
        self.data: dict[str, Any] = {}
        self.where: dict[Path_, str] = {}
        self.sheets: dict[str, tuple[str, list[list[Any]]]] = {}
        known = {name.casefold(): name for name in L.SHEETS}
        for name, rows in sheets.items():
            key = name.strip().casefold()
            if key in known:
                if known[key] in self.sheets:
                    raise self.fail(
                        name, gettext("the sheet '{sheet}' is there twice").format(sheet=known[key])
                    )
                self.sheets[known[key]] = (name, rows)
            elif not key.startswith(L.NOTE_PREFIXES):
                raise self.fail(
                    name,
                    gettext(
                        "unknown sheet (the workbook's sheets are: {sheets}; "
                        "notes go in a sheet whose name starts with '_')"
                    ).format(sheets=", ".join(L.SHEETS)),
                )
        for name in L.REQUIRED_SHEETS:
            if name not in self.sheets:
                raise ScenarioError(gettext("has no sheet '{sheet}'").format(sheet=name), source=source)

    def fail(self, ref: str, problem: str) -> ScenarioError:
        return ScenarioError(problem, source=self.source, field=ref)

    def ref(self, sheet: str, row: int, column: int) -> str:
        return f"{self.sheets[sheet][0]}!{get_column_letter(column)}{row}"

    def rows(self, sheet: str) -> list[list[Any]]:
        return self.sheets[sheet][1]

    def at(self, path: Path_, ref: str) -> None:
        self.where.setdefault(path, ref)

    # -- the whole book ----------------------------------------------------------------

    def book(self) -> Book:
        self.scenario()
        self.slots()
        self.blackouts()
        self.regions()
        self.hosts()
        self.themes()
        self.interest()
        self.groups()
        self.hybrids()
        self.learning()
        self.network()
        return Book(self.source, self.data, self.where)

    # -- generic layouts ---------------------------------------------------------------

    def table(self, sheet: str, columns: Sequence[L.Col]) -> Iterator[_Row]:
        """The data rows of a table sheet; headers are matched by name (any order)."""
        rows = self.rows(sheet)
        by_header = {c.header.casefold(): c for c in columns}
        found: dict[int, L.Col] = {}
        heads = rows[0] if rows else []
        for k, title in enumerate(heads, start=1):
            text = "" if title is None else str(title).strip()
            if not text:
                continue
            col = by_header.get(text.casefold())
            if col is None:
                raise self.fail(
                    self.ref(sheet, 1, k),
                    gettext("unknown column {name} (the columns are: {columns})").format(
                        name=repr(text), columns=", ".join(c.header for c in columns)
                    ),
                )
            if col in found.values():
                raise self.fail(
                    self.ref(sheet, 1, k), gettext("the column {name} is there twice").format(name=repr(text))
                )
            found[k] = col
        for r, values in enumerate(rows[1:], start=2):
            if not any(v is not None and str(v).strip() for v in values):
                continue
            row = _Row(r, self.ref(sheet, r, 1), {}, {})
            for k, value in enumerate(values, start=1):
                if k not in found:
                    if value is not None and str(value).strip():
                        raise self.fail(
                            self.ref(sheet, r, k), gettext("a value in a column without a heading")
                        )
                    continue
            for k, col in found.items():
                ref = self.ref(sheet, r, k)
                row.cells[col.key] = ref
                value = values[k - 1] if k <= len(values) else None
                converted = self.cells.convert(col, value, ref)
                if converted is not ABSENT:
                    row.values[col.key] = converted
            row.first = next(iter(row.cells.values()), row.first)
            yield row

    def fields(self, sheet: str, fields: Sequence[L.Col]) -> _Row:
        """A field/value sheet (label in A, value in B) as one row keyed by field."""
        by_label = {c.header.casefold(): c for c in fields}
        row = _Row(1, f"{self.sheets[sheet][0]}", {}, {})
        for r, values in enumerate(self.rows(sheet)[1:], start=2):
            label = values[0] if values else None
            value = values[1] if len(values) > 1 else None
            text = "" if label is None else str(label).strip()
            if not text:
                if value is not None and str(value).strip():
                    raise self.fail(
                        self.ref(sheet, r, 2), gettext("a value without a field name in column A")
                    )
                continue
            col = by_label.get(text.casefold())
            if col is None:
                if value is None or not str(value).strip():
                    continue
                raise self.fail(
                    self.ref(sheet, r, 1),
                    gettext("unknown field {name} (the fields are: {fields})").format(
                        name=repr(text), fields=", ".join(c.header for c in fields)
                    ),
                )
            if col.key in row.cells:
                raise self.fail(
                    self.ref(sheet, r, 1), gettext("the field {name} is there twice").format(name=repr(text))
                )
            ref = self.ref(sheet, r, 2)
            row.cells[col.key] = ref
            converted = self.cells.convert(col, value, ref)
            if converted is not ABSENT:
                row.values[col.key] = converted
        return row

    def obj(self, row: _Row, path: Path_, skip: Sequence[str] = ()) -> dict[str, Any]:
        """A row's plain fields as a mapping (window.* become a span), noting their cells."""
        self.at(path, row.first)
        out: dict[str, Any] = {}
        for key, ref in row.cells.items():
            if key in skip or key.startswith("window."):
                continue
            self.at((*path, key), ref)
            if key in row.values:
                out[key] = row.values[key]
        if any(key.startswith("window.") for key in row.cells):
            window = self.span(row, (*path, "window"), "window.name", "window.from", "window.to")
            if window is not None:
                out["window"] = window
        return out

    def span(self, row: _Row, path: Path_, name: str, first: str, last: str) -> dict[str, Any] | None:
        """A span from three cells of a row (name, from, to); ``None`` when all are empty."""
        refs = row.cells
        given = {k: row.values[k] for k in (name, first, last) if k in row.values}
        if not given:
            return None
        self.at(path, refs.get(first, row.first))
        for key, cell in (("name", name), ("from", first), ("start", first), ("weeks", first)):
            if cell in refs:
                self.at((*path, key), refs[cell])
        for key in ("to", "end"):
            if last in refs:
                self.at((*path, key), refs[last])
        if first not in given or last not in given:
            missing = first if first not in given else last
            raise self.fail(
                refs.get(missing, row.first),
                gettext(
                    "a period needs both a start (Från) and an end (Till); "
                    "for one day give the same date twice"
                ),
            )
        span = self.cells.span(given[first], given[last], refs[first], refs[last])
        if name in given:
            span = {"name": given[name], **span}
        return span

    def lookup(self, index: dict[str, int], row: _Row, key: str, what: str, sheet: str) -> int:
        """The position of the region or host a row names in ``key`` (``what``: which of them)."""
        ref = row.cells.get(key, row.first)
        code = row.values.get(key)
        empty, unknown = _LOOKUP[what]
        if code is None:
            raise self.fail(ref, gettext(empty))
        if code not in index:
            raise self.fail(ref, gettext(unknown).format(code=repr(code), sheet=sheet))
        return index[code]

    def unique(self, index: dict[str, int], row: _Row, key: str, k: int, problem: str) -> None:
        value = row.values.get(key)
        if value is None:
            return
        if value in index:
            raise self.fail(row.cells[key], problem.format(value=value))
        index[value] = k

    # -- the sheets --------------------------------------------------------------------

    def scenario(self) -> None:
        row = self.fields(L.SCENARIO, L.SCENARIO_FIELDS)
        days: list[tuple[str, str]] = []
        day_refs: list[str] = []
        for col in L.SCENARIO_FIELDS:
            if col.key not in row.cells:
                continue
            ref = row.cells[col.key]
            if col.key.startswith("weekday."):
                day_refs.append(ref)
                if row.values.get(col.key):
                    days.append((col.key.removeprefix("weekday."), ref))
                continue
            path = tuple(col.key.split("."))
            for n in range(1, len(path) + 1):
                self.at(path[:n], ref)
            if col.key in row.values:
                _put(self.data, path, row.values[col.key])
        if any(key.startswith("weekday.") for key in row.values):
            self.data["weekdays"] = [day for day, _ in days]
            self.at(("weekdays",), day_refs[0])
            for k, (_, ref) in enumerate(days):
                self.at(("weekdays", k), ref)

    def slots(self) -> None:
        if L.SLOTS not in self.sheets:
            return
        self.at(("slots",), self.sheets[L.SLOTS][0])
        self.data["slots"] = [
            self.obj(row, ("slots", k)) for k, row in enumerate(self.table(L.SLOTS, L.SLOT_COLUMNS))
        ]

    def blackouts(self) -> None:
        if L.CLOSED not in self.sheets:
            return
        path: Path_ = ("calendar", "blackouts")
        self.at(path, self.sheets[L.CLOSED][0])
        spans: list[dict[str, Any]] = []
        for row in self.table(L.CLOSED, L.SPAN_COLUMNS):
            span = self.span(row, (*path, len(spans)), "name", "from", "to")
            if span is not None:
                spans.append(span)
        self.data.setdefault("calendar", {})["blackouts"] = spans

    def regions(self) -> None:
        self.at(("regions",), self.sheets[L.REGIONS][0])
        regions: list[dict[str, Any]] = []
        school: list[_Row] = []
        self.region_index: dict[str, int] = {}
        for row in self.table(L.REGIONS, L.REGION_COLUMNS):
            k = len(regions)
            school.append(row)
            self.unique(self.region_index, row, "code", k, gettext("'{value}' is listed twice"))
            region = self.obj(row, ("regions", k), skip=("school",))
            if row.values.get("school") == "own":
                region["school_holidays"] = []
                self.at(("regions", k, "school_holidays"), row.cells["school"])
            regions.append(region)
        self.data["regions"] = regions
        if L.S3 in self.sheets:
            for row in self.table(L.S3, L.S3_COLUMNS):
                k = self.lookup(self.region_index, row, "region", "region", L.REGIONS)
                areas = regions[k].setdefault("s3", [])
                areas.append(self.obj(row, ("regions", k, "s3", len(areas)), skip=("region",)))
        if L.AVAILABILITY in self.sheets:
            for row in self.table(L.AVAILABILITY, L.AVAILABILITY_COLUMNS):
                k = self.lookup(self.region_index, row, "region", "region", L.REGIONS)
                kind = row.values.get("type", "unavailable")
                if kind == "school_holidays" and "school_holidays" not in regions[k]:
                    raise self.fail(
                        row.cells["type"],
                        gettext(
                            "region {region} has 'standard' school holidays ({cell}); write 'egna' there "
                            "to give its own"
                        ).format(
                            region=repr(row.values["region"]),
                            cell=school[k].cells.get("school", school[k].first),
                        ),
                    )
                spans = regions[k].setdefault(kind, [])
                span = self.span(row, ("regions", k, kind, len(spans)), "name", "from", "to")
                if span is None:
                    raise self.fail(
                        row.cells.get("from", row.first), gettext("which days? (Från and Till are empty)")
                    )
                spans.append(span)
        if L.LIMITS in self.sheets:
            self.limits(regions)

    def limits(self, regions: list[dict[str, Any]]) -> None:
        self.at(("limits",), self.sheets[L.LIMITS][0])
        seen: dict[str, int] = {}
        for row in self.table(L.LIMITS, L.LIMIT_COLUMNS):
            self.unique(seen, row, "scope", row.number, gettext("{value!r} has two rows"))
            scope = row.values.get("scope")
            values = {k: v for k, v in row.values.items() if k != "scope"}
            if scope is None:
                if values:
                    raise self.fail(
                        row.cells.get("scope", row.first),
                        gettext("whose limits? write '{everyone}' or a region code").format(
                            everyone=L.GLOBAL
                        ),
                    )
                continue
            if str(scope).casefold() == L.GLOBAL:
                for key, ref in row.cells.items():
                    if key != "scope":
                        self.at(("limits", key), ref)
                self.data["limits"] = values
                continue
            k = self.lookup(self.region_index, row, "scope", "region", L.REGIONS)
            for key, ref in row.cells.items():
                if key == "scope":
                    continue
                if key not in L.REGION_LIMIT_KEYS:
                    if key in values:
                        names = [c.header for c in L.LIMIT_COLUMNS if c.key in L.REGION_LIMIT_KEYS]
                        raise self.fail(
                            ref,
                            gettext("a region can set only its own {names}").format(names=", ".join(names)),
                        )
                    continue
                self.at(("regions", k, "limits", key), ref)
            self.at(("regions", k, "limits"), row.first)
            if values:
                regions[k]["limits"] = values

    def hosts(self) -> None:
        self.at(("hosts",), self.sheets[L.HOSTS][0])
        hosts: list[dict[str, Any]] = []
        self.host_index: dict[str, int] = {}
        for row in self.table(L.HOSTS, L.HOST_COLUMNS):
            self.unique(self.host_index, row, "id", len(hosts), gettext("'{value}' is listed twice"))
            hosts.append(self.obj(row, ("hosts", len(hosts))))
        self.data["hosts"] = hosts

    def themes(self) -> None:
        self.theme_index: dict[str, tuple[int, int]] = {}
        if L.THEMES not in self.sheets:
            return
        hosts = self.data["hosts"]
        seen: dict[str, int] = {}
        for row in self.table(L.THEMES, L.THEME_COLUMNS):
            h = self.lookup(self.host_index, row, "host", "host", L.HOSTS)
            themes = hosts[h].setdefault("themes", [])
            path: Path_ = ("hosts", h, "themes", len(themes))
            self.at(("hosts", h, "themes"), self.sheets[L.THEMES][0])
            self.unique(
                seen,
                row,
                "id",
                0,
                gettext("theme id '{value}' is used twice (theme ids must be unique across hosts)"),
            )
            theme = self.obj(row, path, skip=("host", "interest_from"))
            if row.values.get("interest_from") == "list":
                theme["interested"] = []
                self.at((*path, "interested"), row.cells["interest_from"])
            if "id" in row.values:
                self.theme_index[row.values["id"]] = (h, len(themes))
            themes.append(theme)

    def interest(self) -> None:
        if L.INTEREST not in self.sheets:
            return
        rows = self.rows(L.INTEREST)
        columns: dict[int, str] = {}
        for k, title in enumerate(rows[0] if rows else [], start=1):
            text = "" if title is None else str(title).strip()
            if k <= len(L.INTEREST_FIXED) or not text:
                continue
            if text not in self.theme_index:
                raise self.fail(
                    self.ref(L.INTEREST, 1, k),
                    gettext("unknown theme {name} (not on the Teman sheet)").format(name=repr(text)),
                )
            if text in columns.values():
                raise self.fail(
                    self.ref(L.INTEREST, 1, k),
                    gettext("the theme {name} has two columns").format(name=repr(text)),
                )
            columns[k] = text
        for k, theme_id in columns.items():
            h, t = self.theme_index[theme_id]
            self.where[("hosts", h, "themes", t, "interested")] = self.ref(L.INTEREST, 1, k)
        for r, values in enumerate(rows[1:], start=2):
            code = values[0] if values else None
            code = None if code is None or not str(code).strip() else str(code).strip()
            if code is not None and code not in self.region_index:
                raise self.fail(
                    self.ref(L.INTEREST, r, 1),
                    gettext(_LOOKUP["region"][1]).format(code=repr(code), sheet=L.REGIONS),
                )
            for k, value in enumerate(values, start=1):
                if k <= len(L.INTEREST_FIXED) or value is None or not str(value).strip():
                    continue
                ref = self.ref(L.INTEREST, r, k)
                if k not in columns:
                    raise self.fail(ref, gettext("a value in a column without a theme id in row 1"))
                if code is None:
                    raise self.fail(ref, gettext("which region? (column A of this row is empty)"))
                h, t = self.theme_index[columns[k]]
                theme = self.data["hosts"][h]["themes"][t]
                if "interested" not in theme:
                    raise self.fail(
                        ref,
                        gettext(
                            "theme '{theme}' finds its regions by S3 tags ('taggar' under "
                            "'Intresse från' on Teman); write 'lista' there to use this column"
                        ).format(theme=columns[k]),
                    )
                path = ("hosts", h, "themes", t, "interested", len(theme["interested"]))
                self.at(path, self.ref(L.INTEREST, r, 1))
                if isinstance(value, str) and value.strip().casefold() == L.INTERESTED:
                    theme["interested"].append(code)
                else:
                    weight = self.cells.integer(value.strip() if isinstance(value, str) else value, ref)
                    theme["interested"].append({"region": code, "weight": weight})
                    self.at((*path, "weight"), ref)
                    self.at((*path, "region"), self.ref(L.INTEREST, r, 1))

    def groups(self) -> None:
        if L.GROUPS not in self.sheets:
            return
        self.at(("groups",), self.sheets[L.GROUPS][0])
        self.data["groups"] = [
            self.obj(row, ("groups", k)) for k, row in enumerate(self.table(L.GROUPS, L.GROUP_COLUMNS))
        ]

    def hybrids(self) -> None:
        if L.HYBRIDS not in self.sheets:
            return
        self.at(("hybrids",), self.sheets[L.HYBRIDS][0])
        self.data["hybrids"] = [
            self.obj(row, ("hybrids", k)) for k, row in enumerate(self.table(L.HYBRIDS, L.HYBRID_COLUMNS))
        ]

    def learning(self) -> None:
        if L.LEARNING not in self.sheets:
            return
        row = self.fields(L.LEARNING, L.LEARNING_FIELDS)
        self.at(("learning_meeting",), self.sheets[L.LEARNING][0])
        meeting = self.obj(row, ("learning_meeting",))
        if row.values:
            self.data["learning_meeting"] = meeting

    def network(self) -> None:
        if L.NETWORK not in self.sheets:
            return
        row = self.fields(L.NETWORK, L.NETWORK_FIELDS)
        self.at(("network",), self.sheets[L.NETWORK][0])
        meeting = self.obj(row, ("network",))
        rows = self.rows(L.NETWORK)
        heads = [str(v).strip().casefold() if v is not None else "" for v in (rows[0] if rows else [])]
        dates: list[dt.date] = []
        if L.NETWORK_DATES.casefold() in heads[len(L.FIELD_HEADERS) :]:
            column = heads.index(L.NETWORK_DATES.casefold(), len(L.FIELD_HEADERS)) + 1
            self.at(("network", "dates"), self.ref(L.NETWORK, 1, column))
            col = L.Col(L.NETWORK_DATES, "dates", "date")
            for r, values in enumerate(rows[1:], start=2):
                value = values[column - 1] if column <= len(values) else None
                ref = self.ref(L.NETWORK, r, column)
                day = self.cells.convert(col, value, ref)
                if day is not ABSENT:
                    self.at(("network", "dates", len(dates)), ref)
                    dates.append(day)
        if row.values or dates:
            self.data["network"] = {**meeting, "dates": dates}


def _put(data: dict[str, Any], path: Path_, value: Any) -> None:
    node = data
    for key in path[:-1]:
        node = node.setdefault(str(key), {})
    node[str(path[-1])] = value
