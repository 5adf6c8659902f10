"""The report a planner can send: one self-contained HTML file, the same as Markdown, and
(through headless Chromium) as an A4 PDF.

The order is what a planner looks for first: the meetings of the year month by month (date,
time, kind, title and who presents in which order), then what each region is asked to do
and how hard that is (invitations per month, the worst window against the region's cap,
presentations), then the wheel and the heat map, and last how the plan was found (the
solver's numbers).

The HTML is a single file with inline CSS and inline SVG and no scripts, fonts, images or
links to load, so it opens the same from an e-mail attachment, a file share or a USB stick,
and a Content-Security-Policy that forbids every load proves it.  Its print CSS lays it out
for A4: the wheel and the heat map get a landscape page each, tables break between rows,
never inside one, and no heading is left alone at the bottom of a page.  The Markdown
carries the same sections as text for pasting into documents.  Both are built from one list
of sections, so they cannot drift apart.

Every word the report shows is in :data:`TEXT` (English msgids) or an ``ngettext`` beside its
use, said in the plan's ``language`` through the message catalogues (:mod:`arshjul.i18n`);
months, weekdays and kinds come from :mod:`.labels`.  Dates are written in full where the
language writes them so (Swedish: ``tisdag 23 februari 2027``, Babel's CLDR names), else in
the short form the wheel and the tables share (``Tue, Feb 23, 2027``).
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field
from pathlib import Path

from babel.numbers import get_decimal_symbol

from ..fileio import write_atomic
from ..followup_results import Results, Tally
from ..i18n import N_, Catalogue, catalogue
from ..plan import FOCUS_MARK, Plan, Session
from .heatmap import AT_CAP, cap_months, heatmap_svg
from .labels import clock, day_text, kind_short, month_abbreviations, month_names
from .pdf import html_pdf
from .png import ChromiumMissing, find_chromium, wheel_png
from .svg import FONT_STACK, one_line, strip_xml_declaration
from .wheel import wheel_svg


def _day(cat: Catalogue, day: dt.date, *, year: bool = True, weekday: bool = False) -> str:
    """A date as the report writes it: in full where the language writes dates so (Swedish:
    ``tisdag 23 februari 2027``, ``23 februari 2027``), else the tables' short form
    (``Tue, Feb 23, 2027``)."""
    if cat.long_dates:
        return cat.long_date(day, year=year, weekday=weekday)
    return day_text(cat, day, year=year, weekday=weekday)


CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
"""Forbids every load: a report that needed the network would show it as a console error."""

TEXT: dict[str, str] = {
    # the top
    "doc_title": N_("Annual wheel: {name}"),
    "intro": N_("Scenario {id} · {start} – {end} · times in {tz}"),
    "frozen": N_("As of {day}: meetings before this date are frozen (already sent)."),
    "no_plan": N_("No plan to show: {status}."),
    # TRANSLATORS: {where} is "Place: …" and/or "Link: …", joined by " · "
    "everywhere": N_("For all meetings: {where}."),
    "place": N_("Place: {place}"),
    "link": N_("Link: {link}"),
    "frozen_mark": N_("{day} (frozen)"),
    # the meetings of the year
    "meetings": N_("The year's meetings"),
    "meetings_intro": N_("Month by month: when, what, and who presents in which order."),
    "month": N_("{month} {year}"),
    "col_date": N_("Date"),
    "col_time": N_("Time"),
    "col_kind": N_("Type"),
    "col_meeting": N_("Meeting"),
    # TRANSLATORS: the report's column with who speaks when (the host, then each presenter)
    "col_order": N_("Schedule"),
    "col_invited": N_("Invited"),
    "col_followup": N_("Follow-up"),
    "host_slot": N_("{span} {host} (host)"),
    # TRANSLATORS: who is invited, by region codes; {n} is how many
    "invited_all": N_("all ({n})"),
    "invited_all_but": N_("all but {codes} ({n})"),
    "invited_some": N_("{codes} ({n})"),
    "followed_up_on": N_("Followed up at {ref}"),
    "follows_up": N_("Follows up {ref}"),
    # the regions
    "regions": N_("The regions"),
    "regions_intro": N_(
        "What each region is asked to do and when, and how close together the invitations "
        "come: the most in {days} days against the region's cap."
    ),
    "region_title": N_("{name} ({code})"),
    "of_cap": N_("{worst} of {cap}"),
    "from_day": N_(" (from {day})"),
    "per_month": N_("Per month: {months}"),
    "contact": N_("Contact: {email}"),
    "col_task": N_("Task"),
    "listen": N_("Listen"),
    "present": N_("Present"),
    # TRANSLATORS: a joint presentation: {name} is the presentation's name
    "jointly": N_("jointly as {name}, with {others}"),
    # TRANSLATORS: the S3 focus area (smart specialisation strategy) a region presents
    "focus": N_("Focus area: {focus}"),
    # the pictures
    "wheel": N_("The year as a wheel"),
    "wheel_intro": N_(
        "The period starts at the top and runs clockwise; each ring is an area or a kind of "
        "meeting. Hover over a meeting for details."
    ),
    "wheel_alt": N_("Annual wheel"),
    "load": N_("Load per region"),
    "load_intro": N_(
        "Invitations per month (to present or to listen). {mark} = part of a {days}-day "
        "window that reaches the region's cap."
    ),
    "col_region": N_("Region"),
    # TRANSLATORS: narrow numeric column heads: invitations, presentations
    "col_invitations": N_("Invit."),
    "col_presentations": N_("Pres."),
    "col_worst": N_("Worst window"),
    # closures
    "closures": N_("Closed days and periods"),
    "col_when": N_("When"),
    "col_what": N_("What"),
    "col_sort": N_("Kind"),
    # TRANSLATORS: a named period without meetings (summer, Christmas)
    "blackout": N_("Break"),
    "holiday": N_("Holiday"),
    "span": N_("{start} – {end}"),
    # how the plan was found
    "solver": N_("How the plan was found"),
    "solver_intro": N_(
        "The plan minimises a sum of weighted penalties under the rules; the solver (OR-Tools "
        "CP-SAT) searches until the time limit or until it has proved that no better plan exists."
    ),
    "col_measure": N_("Measure"),
    "col_value": N_("Value"),
    "status": N_("Status"),
    "status_value": N_("{text} ({status})"),
    "objective": N_("Objective (sum of penalties, lower is better)"),
    "bound": N_("Lower bound"),
    "gap": N_("Distance to the bound (gap)"),
    "seed": N_("Random seed"),
    "sessions": N_("Meetings"),
    "region_count": N_("Regions"),
    "published": N_("Published on"),
    # TRANSLATORS: a percentage; {value} already has the language's decimal mark
    "percent": N_("{value}%"),
    "terms": N_("Penalty by part"),
    "terms_intro": N_("Where the penalties come from."),
    "col_term": N_("Part"),
    "col_penalises": N_("What it penalises"),
    "col_penalty": N_("Penalty"),
    "col_share": N_("Share"),
    "sum": N_("Sum"),
    "footer": N_("Made with arshjul."),
    # what the dialogs brought (only with follow-up data: arshjul report --followup)
    "results": N_("Results of the dialogs"),
    "results_intro": N_(
        "Dialogs held before {day}: {held}, of them followed up (an outcome recorded): "
        "{followed}. Their agreed actions: {open} open, {done} done."
    ),
    "results_none": N_("No dialog was held before {day}."),
    "results_regions": N_("By presenting region"),
    "results_themes": N_("By theme"),
    "col_theme": N_("Theme"),
    "col_held": N_("Held"),
    "col_followed": N_("Followed up"),
    "col_open": N_("Actions open"),
    "col_done": N_("Actions done"),
    # solver statuses and objective terms, by their names in the plan
    "status.OPTIMAL": N_("Optimal: no better plan exists by the weights"),
    "status.FEASIBLE": N_("Feasible: every rule holds, but it is not proved that no better plan exists"),
    "status.INFEASIBLE": N_("No plan: the rules cannot all be met at once"),
    "status.UNKNOWN": N_("No plan was found within the time limit"),
    "status.MODEL_INVALID": N_("Model error: the planning model could not be built"),
    "term.match": N_("Interest that did not get to present (by interest weight)"),
    "term.coverage": N_("Interested regions that present nowhere"),
    "term.spread": N_("Meetings in the busiest month (an even spread)"),
    "term.preferred_month": N_("Dialogs outside the theme's preferred months"),
    "term.balance": N_("Difference in presenters between the largest and the smallest dialog"),
}
"""Every word the report shows, by key: English msgids, translated into the plan's
``language`` where shown (:func:`text`); ``{name}`` fields are filled in with
:meth:`str.format`.  Plurals are ``ngettext`` where used."""

NONE = "–"
"""An empty cell or value, in every language."""


def _cat(plan: Plan) -> Catalogue:
    """The words of the plan's ``language``, with the agency's ``labels``."""
    return catalogue(plan.language, plan.labels)


def text(cat: Catalogue, key: str) -> str:
    """The report's word for ``key`` (a :data:`TEXT` key) in ``cat``'s language, or ``""``
    when there is none (an objective term or status the report does not know)."""
    return cat.gettext(TEXT[key]) if key in TEXT else ""


def _t(cat: Catalogue, key: str, **fields: object) -> str:
    words = cat.gettext(TEXT[key])
    return words.format(**fields) if fields else words


def _status(cat: Catalogue, status: str) -> str:
    return text(cat, f"status.{status}") or status


Cell = str | list[str]
"""A table cell: one line, or several lines shown one under another."""


@dataclass
class _Table:
    headers: list[str]
    rows: list[list[Cell]]
    numeric: frozenset[int] = frozenset()
    nowrap: frozenset[int] = frozenset()
    """Columns kept on one line (dates and times)."""
    bars: dict[int, float] = field(default_factory=dict)
    """Row index → share 0..1 drawn as a bar in HTML (the score breakdown)."""
    css_class: str = ""


@dataclass
class _Section:
    title: str
    level: int = 2
    paragraphs: list[str] = field(default_factory=list)
    table: _Table | None = None
    figure: str | None = None
    """``wheel`` or ``heatmap``: inline SVG in HTML, an image link in Markdown."""
    css_class: str = ""
    table_in_html: bool = True
    """False where the HTML shows the same numbers as a figure (the heat map)."""
    notice: bool = False
    """The first paragraph is a warning (no plan to show)."""
    anchor: str = ""
    """The section's id in HTML, so ``report.html#wheel`` opens at the wheel."""


def _dec(cat: Catalogue, x: float, digits: int = 1) -> str:
    """``x`` with the language's decimal mark (CLDR: a comma in Swedish), never grouped."""
    return f"{x:.{digits}f}".replace(".", get_decimal_symbol(cat.language))


def _when(plan: Plan, s: Session) -> str:
    return f"{clock(s.start, plan.timezone)}–{clock(s.end, plan.timezone)}"


def _region(plan: Plan, code: str) -> str:
    return plan.regions.get(code, code)


def _one_year(plan: Plan) -> bool:
    return plan.period_start.year == plan.period_end.year


def _running_order(plan: Plan, s: Session) -> list[str]:
    """Who speaks when: the host first, then each presenter's ten minutes."""
    cat = _cat(plan)
    lines = []
    if s.host_start is not None and s.host_end is not None:
        span = f"{clock(s.host_start, plan.timezone)}–{clock(s.host_end, plan.timezone)}"
        lines.append(_t(cat, "host_slot", span=span, host=s.host_name))
    for p in s.presentations:
        who = one_line(p.name)
        if len(p.regions) > 1 or (p.regions and p.regions[0] != p.presenter):
            who += " (" + ", ".join(_region(plan, c) for c in p.regions) + ")"
        if p.focus:
            who += FOCUS_MARK + one_line(p.focus)
        lines.append(f"{clock(p.start, plan.timezone)}–{clock(p.end, plan.timezone)} {who}")
    return lines


def _ref(plan: Plan, session_id: str) -> str:
    try:
        s = plan.session(session_id)
    except KeyError:
        return session_id
    return f"{one_line(s.title)} ({_day(_cat(plan), s.date)})"


def _followup(plan: Plan, s: Session) -> list[str]:
    cat = _cat(plan)
    lines = []
    if s.followup_on:
        lines.append(_t(cat, "followed_up_on", ref=_ref(plan, s.followup_on)))
    lines += [_t(cat, "follows_up", ref=_ref(plan, f)) for f in s.followups]
    return lines


def _invited(plan: Plan, s: Session) -> str:
    """Who is invited, in region codes; "all but …" when that is the shorter list."""
    cat = _cat(plan)
    if not s.invited:
        return NONE
    n = len(s.invited)
    if set(s.invited) == set(plan.regions):
        return _t(cat, "invited_all", n=n)
    left_out = [c for c in plan.regions if c not in s.invited]
    if len(left_out) < n:
        return _t(cat, "invited_all_but", codes=", ".join(left_out), n=n)
    named = [c for c in plan.regions if c in s.invited] + [c for c in s.invited if c not in plan.regions]
    return _t(cat, "invited_some", codes=", ".join(named), n=n)


def _shared(plan: Plan) -> tuple[str | None, str | None]:
    """The place and link every session has in common (said once, not in every row)."""
    places = {s.location for s in plan.sessions}
    links = {s.meeting_link for s in plan.sessions}
    place = places.pop() if len(places) == 1 else None
    link = links.pop() if len(links) == 1 else None
    return place, link


def _sections(plan: Plan, today: dt.date | None, results: Results | None = None) -> list[_Section]:
    """Everything the report says, in order, independent of HTML or Markdown (the results
    of the dialogs only when follow-up data is given)."""
    cat = _cat(plan)
    out: list[_Section] = [_intro_section(plan, today)]
    if plan.sessions:
        out.append(
            _Section(
                title=_t(cat, "meetings"),
                paragraphs=[_t(cat, "meetings_intro")],
                css_class="meetings-head",
                anchor="meetings",
            )
        )
        out += _month_sections(plan, today)
    if plan.regions:
        out.append(
            _Section(
                title=_t(cat, "regions"),
                paragraphs=[_t(cat, "regions_intro", days=plan.window_days)],
                css_class="regions-head",
                anchor="regions",
            )
        )
        out += _region_sections(plan)
    if results is not None:
        out += _results_sections(plan, results)
    out.append(
        _Section(
            title=_t(cat, "wheel"),
            paragraphs=[_t(cat, "wheel_intro")],
            figure="wheel",
            css_class="figure wheel",
            anchor="wheel",
        )
    )
    out.append(_load_section(plan))
    if plan.closures:
        out.append(_closures_section(plan))
    out.append(_solver_section(plan))
    if plan.terms:
        out.append(_terms_section(plan))
    return out


def _intro_section(plan: Plan, today: dt.date | None) -> _Section:
    cat = _cat(plan)
    paragraphs = []
    if not plan.found:
        paragraphs.append(_t(cat, "no_plan", status=_status(cat, plan.status)))
    paragraphs.append(
        _t(
            cat,
            "intro",
            id=plan.scenario_id,
            start=_day(cat, plan.period_start),
            end=_day(cat, plan.period_end),
            tz=plan.timezone,
        )
    )
    if plan.sessions:
        n = len(plan.sessions)
        paragraphs.append(
            cat.ngettext(
                "{sessions} meeting for {regions} regions.", "{sessions} meetings for {regions} regions.", n
            ).format(sessions=n, regions=len(plan.regions))
        )
    place, link = _shared(plan)
    where = [_t(cat, "place", place=one_line(place))] if place else []
    where += [_t(cat, "link", link=one_line(link))] if link else []
    if where:
        paragraphs.append(_t(cat, "everywhere", where=" · ".join(where)))
    if today is not None:
        paragraphs.append(_t(cat, "frozen", day=_day(cat, today)))
    return _Section(
        title=_t(cat, "doc_title", name=one_line(plan.scenario_name)),
        level=1,
        paragraphs=paragraphs,
        css_class="intro",
        notice=not plan.found,
    )


def _month_sections(plan: Plan, today: dt.date | None) -> list[_Section]:
    """One table per month that has meetings: date, time, kind, title, running order."""
    cat = _cat(plan)
    place, link = _shared(plan)
    by_month: dict[tuple[int, int], list[Session]] = {}
    for s in sorted(plan.sessions, key=lambda s: (s.start, s.id)):
        by_month.setdefault((s.date.year, s.date.month), []).append(s)
    headers = [
        _t(cat, "col_date"),
        _t(cat, "col_time"),
        _t(cat, "col_kind"),
        _t(cat, "col_meeting"),
        _t(cat, "col_order"),
        _t(cat, "col_invited"),
        _t(cat, "col_followup"),
    ]
    several_hosts = len({s.host for s in plan.sessions}) > 1
    out = []
    for (year, month), sessions in by_month.items():
        rows: list[list[Cell]] = []
        for s in sessions:
            day = _day(cat, s.date, weekday=True, year=False)
            if today is not None and s.date < today:
                day = _t(cat, "frozen_mark", day=day)
            what = [one_line(s.title)]
            if several_hosts:
                what.append(s.host_name)
            if s.location and s.location != place:
                what.append(_t(cat, "place", place=one_line(s.location)))
            if s.meeting_link and s.meeting_link != link:
                what.append(_t(cat, "link", link=one_line(s.meeting_link)))
            rows.append(
                [
                    day,
                    _when(plan, s),
                    kind_short(cat, s.kind),
                    what,
                    _running_order(plan, s) or NONE,
                    _invited(plan, s),
                    _followup(plan, s) or NONE,
                ]
            )
        out.append(
            _Section(
                title=_t(cat, "month", month=month_names(cat)[month - 1].capitalize(), year=year),
                level=3,
                table=_Table(headers, rows, nowrap=frozenset({0, 1}), css_class="meetings"),
                css_class="month",
            )
        )
    return out


def _region_sections(plan: Plan) -> list[_Section]:
    cat = _cat(plan)
    out = []
    by_code = {load.code: load for load in plan.load()}
    years = not _one_year(plan)
    several_hosts = len({s.host for s in plan.sessions}) > 1
    for code, name in plan.regions.items():
        load = by_code[code]
        cap = plan.window_max.get(code)
        worst = str(load.worst_window) if cap is None else _t(cat, "of_cap", worst=load.worst_window, cap=cap)
        if cap is not None and load.invitations and load.worst_window >= cap:
            worst += f" {AT_CAP}"
        stats = cat.ngettext(
            "{invitations} invitation, {presentations} of them to present · most in {days} days: {worst}",
            "{invitations} invitations, {presentations} of them to present · most in {days} days: {worst}",
            load.invitations,
        ).format(
            invitations=load.invitations,
            presentations=load.presentations,
            days=plan.window_days,
            worst=worst,
        )
        if load.worst_window_start is not None and load.worst_window:
            stats += _t(cat, "from_day", day=_day(cat, load.worst_window_start, year=years))
        busy = [f"{month_abbreviations(cat)[int(m[5:]) - 1]} {n}" for m, n in load.by_month.items() if n]
        paragraphs = [stats]
        if busy:
            paragraphs.append(_t(cat, "per_month", months=" · ".join(busy)))
        if code in plan.contacts:
            paragraphs.append(_t(cat, "contact", email=plan.contacts[code]))
        rows: list[list[Cell]] = []
        asked = [s for s in plan.sessions if code in s.invited or code in s.presenting_regions]
        for s in sorted(asked, key=lambda s: (s.start, s.id)):
            slot = next((p for p in s.presentations if code in p.regions), None)
            if slot is None:
                task: list[str] = [_t(cat, "listen")]
                when = _when(plan, s)
            else:
                when = f"{clock(slot.start, plan.timezone)}–{clock(slot.end, plan.timezone)}"
                task = [_t(cat, "present")]
                if len(slot.regions) > 1:
                    others = [_region(plan, c) for c in slot.regions if c != code]
                    task.append(_t(cat, "jointly", name=one_line(slot.name), others=", ".join(others)))
                if slot.focus:
                    task.append(_t(cat, "focus", focus=one_line(slot.focus)))
            title = one_line(s.title) + (f" ({s.host_name})" if several_hosts else "")
            rows.append([_day(cat, s.date, weekday=True, year=years), when, task, title])
        headers = [_t(cat, "col_date"), _t(cat, "col_time"), _t(cat, "col_task"), _t(cat, "col_meeting")]
        out.append(
            _Section(
                title=_t(cat, "region_title", name=name, code=code),
                level=3,
                paragraphs=paragraphs,
                table=_Table(headers, rows, nowrap=frozenset({0, 1}), css_class="tasks") if rows else None,
                css_class="region",
            )
        )
    return out


def _results_sections(plan: Plan, results: Results) -> list[_Section]:
    """Dialogs held, followed up and their actions: the totals, then per presenting region
    and per theme (in the plan's order of regions, themes by their dialogs' title)."""
    cat = _cat(plan)
    day = day_text(cat, results.today)
    t = results.total
    intro = (
        _t(
            cat,
            "results_intro",
            day=day,
            held=t.held,
            followed=t.followed_up,
            open=t.actions_open,
            done=t.actions_done,
        )
        if t.held
        else _t(cat, "results_none", day=day)
    )
    out = [_Section(title=_t(cat, "results"), paragraphs=[intro], css_class="results", anchor="results")]
    if not t.held:
        return out
    headers = [_t(cat, "col_held"), _t(cat, "col_followed"), _t(cat, "col_open"), _t(cat, "col_done")]

    def cells(name: str, t: Tally) -> list[Cell]:
        return [name, str(t.held), str(t.followed_up), str(t.actions_open), str(t.actions_done)]

    order = [c for c in plan.regions if c in results.regions]
    order += sorted(c for c in results.regions if c not in plan.regions)
    regions = [
        cells(_t(cat, "region_title", name=_region(plan, c), code=c), results.regions[c]) for c in order
    ]
    titles: dict[str, str] = {}
    for s in plan.sessions:
        if s.kind == "dialog" and s.theme:
            titles.setdefault(s.theme, one_line(s.title))
    themes = sorted(results.themes, key=lambda k: ((titles.get(k) or k).casefold(), k))
    numeric = frozenset(range(1, 5))
    for key, head, rows in (
        ("results_regions", _t(cat, "col_region"), regions),
        (
            "results_themes",
            _t(cat, "col_theme"),
            [cells(titles.get(k, k), results.themes[k]) for k in themes],
        ),
    ):
        out.append(
            _Section(
                title=_t(cat, key),
                level=3,
                table=_Table([head, *headers], rows, numeric),
                css_class="results",
            )
        )
    return out


def _load_section(plan: Plan) -> _Section:
    """The heat map, and the same numbers as a table for the Markdown version."""
    cat = _cat(plan)
    loads = plan.load()
    months = list(loads[0].by_month) if loads else []
    rows: list[list[Cell]] = []
    for load in loads:
        cap = plan.window_max.get(load.code)
        days = sorted(s.date for s in plan.sessions if load.code in s.invited)
        hot = cap_months(days, plan.window_days, cap) if cap is not None else set()
        cells: list[Cell] = [_t(cat, "region_title", name=load.name, code=load.code)]
        cells += [f"{load.by_month[m]}{AT_CAP if m in hot else ''}" for m in months]
        window = (
            str(load.worst_window) if cap is None else _t(cat, "of_cap", worst=load.worst_window, cap=cap)
        )
        if cap is not None and load.invitations and load.worst_window >= cap:
            window += f" {AT_CAP}"
        cells += [str(load.invitations), str(load.presentations), window]
        rows.append(cells)
    headers = [
        _t(cat, "col_region"),
        *(month_abbreviations(cat)[int(m[5:]) - 1] for m in months),
        _t(cat, "col_invitations"),
        _t(cat, "col_presentations"),
        _t(cat, "col_worst"),
    ]
    return _Section(
        title=_t(cat, "load"),
        paragraphs=[_t(cat, "load_intro", mark=AT_CAP, days=plan.window_days)],
        table=_Table(headers, rows, frozenset(range(1, len(headers)))),
        figure="heatmap",
        css_class="figure load",
        anchor="load",
        table_in_html=False,
    )


def _closures_section(plan: Plan) -> _Section:
    cat = _cat(plan)
    rows: list[list[Cell]] = []
    for c in sorted(plan.closures, key=lambda c: (c.start, c.end, c.name)):
        start, end = _day(cat, c.start), _day(cat, c.end)
        when = start if c.start == c.end else _t(cat, "span", start=start, end=end)
        rows.append([when, one_line(c.name), _t(cat, "blackout" if c.kind == "blackout" else "holiday")])
    table = _Table(
        [_t(cat, "col_when"), _t(cat, "col_what"), _t(cat, "col_sort")], rows, nowrap=frozenset({0})
    )
    return _Section(title=_t(cat, "closures"), table=table, css_class="closures")


def _solver_section(plan: Plan) -> _Section:
    cat = _cat(plan)
    status = _t(cat, "status_value", text=_status(cat, plan.status), status=plan.status)
    rows: list[list[Cell]] = [[_t(cat, "status"), status]]
    rows.append([_t(cat, "objective"), NONE if plan.objective is None else str(plan.objective)])
    rows.append([_t(cat, "bound"), NONE if plan.bound is None else _dec(cat, plan.bound)])
    gap = plan.gap
    rows.append([_t(cat, "gap"), NONE if gap is None else _t(cat, "percent", value=_dec(cat, gap * 100))])
    rows.append([_t(cat, "seed"), str(plan.seed)])
    rows.append([_t(cat, "sessions"), str(len(plan.sessions))])
    rows.append([_t(cat, "region_count"), str(len(plan.regions))])
    if plan.publication_date is not None:
        rows.append([_t(cat, "published"), _day(cat, plan.publication_date)])
    return _Section(
        title=_t(cat, "solver"),
        paragraphs=[_t(cat, "solver_intro")],
        table=_Table([_t(cat, "col_measure"), _t(cat, "col_value")], rows, css_class="solver"),
        css_class="solver",
        anchor="solver",
    )


def _terms_section(plan: Plan) -> _Section:
    cat = _cat(plan)
    total = sum(plan.terms.values())
    rows: list[list[Cell]] = []
    bars: dict[int, float] = {}
    largest = max((abs(v) for v in plan.terms.values()), default=0) or 1
    for i, (name, value) in enumerate(plan.terms.items()):
        share = _t(cat, "percent", value=_dec(cat, 100 * value / total)) if total else NONE
        rows.append([name, text(cat, f"term.{name}"), str(value), share])
        bars[i] = abs(value) / largest
    rows.append([_t(cat, "sum"), "", str(total), _t(cat, "percent", value=100) if total else NONE])
    headers = [_t(cat, "col_term"), _t(cat, "col_penalises"), _t(cat, "col_penalty"), _t(cat, "col_share")]
    return _Section(
        title=_t(cat, "terms"),
        level=3,
        paragraphs=[_t(cat, "terms_intro")],
        table=_Table(headers, rows, frozenset({2, 3}), bars=bars, css_class="terms"),
        css_class="terms",
    )


# -- HTML -------------------------------------------------------------------------------------

PRINT_FIGURE_H = "168mm"
"""Height of the wheel and the heat map on their landscape A4 page: 190 mm inside the
margins, less the heading and one line of text above the picture."""

_CSS = f"""
:root {{ color-scheme: light; }}
body {{ font-family: {FONT_STACK}; color: #1a1a1a; background: #fff; max-width: 1240px;
  margin: 0 auto; padding: 24px 28px 48px; line-height: 1.45; }}
h1 {{ font-size: 1.9em; margin: 0 0 .2em; }}
h2 {{ font-size: 1.4em; border-bottom: 2px solid #d0d0d0; padding-bottom: .2em;
  margin-top: 1.8em; }}
h3 {{ font-size: 1.1em; margin: 1.4em 0 .3em; }}
p {{ margin: .3em 0; }}
table {{ border-collapse: collapse; width: 100%; font-size: .9em; margin: .5em 0 1em; }}
th, td {{ border: 1px solid #c4c4c4; padding: 4px 8px; text-align: left; vertical-align: top;
  overflow-wrap: break-word; }}
th {{ background: #ececec; }}
tbody tr:nth-child(even) td {{ background: #f8f8f8; }}
td.num, th.num {{ text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }}
td .line {{ display: block; }}
td.nowrap, th.nowrap {{ white-space: nowrap; overflow-wrap: normal; }}
table.meetings td:nth-child(4) .line + .line, table.meetings td:nth-child(7) {{ color: #444; }}
.bar {{ display: inline-block; height: .75em; background: #0072B2; margin-right: .4em;
  vertical-align: baseline; }}
figure {{ margin: .5em 0 1em; }}
figure svg {{ display: block; width: 100%; height: auto; }}
.notice {{ border: 3px solid #D55E00; padding: .5em .8em; font-weight: 700; }}
footer {{ margin-top: 2em; color: #555; }}
@page {{ size: A4; margin: 14mm 12mm; }}
@page wide {{ size: A4 landscape; margin: 10mm 12mm; }}
@media print {{
  body {{ max-width: none; padding: 0; font-size: 9pt; line-height: 1.3; }}
  h1 {{ font-size: 17pt; }}
  h2 {{ font-size: 13pt; margin-top: 1.2em; }}
  h3 {{ font-size: 10.5pt; margin: 1em 0 .2em; }}
  h1, h2, h3, h2 + p, h3 + p {{ break-after: avoid; }}
  table {{ margin: .3em 0 .6em; }}
  th, td {{ padding: 2px 5px; }}
  tr, figure, section.region, section.closures, section.solver, section.terms {{ break-inside: avoid; }}
  thead {{ display: table-header-group; }}
  section.figure {{ page: wide; break-before: page; break-after: page; }}
  section.figure h2 {{ margin-top: 0; }}
  section.figure figure {{ margin: 0; }}
  section.figure figure svg {{ width: 100%; height: {PRINT_FIGURE_H}; }}
  table.meetings {{ table-layout: fixed; }}
  table.meetings td, table.meetings th {{ padding: 2px 3px; }}
  table.meetings th:nth-child(1) {{ width: 10%; }}
  table.meetings th:nth-child(2) {{ width: 10.5%; }}
  table.meetings th:nth-child(3) {{ width: 12.5%; }}
  table.meetings th:nth-child(4) {{ width: 17%; }}
  table.meetings th:nth-child(5) {{ width: 23%; }}
  table.meetings th:nth-child(6) {{ width: 11%; }}
  table.meetings th:nth-child(7) {{ width: 16%; }}
  table.tasks {{ font-size: .85em; }}
  table.tasks td, table.tasks th {{ padding: 0 5px; line-height: 1.25; }}
  table.tasks td:nth-child(1), table.tasks td:nth-child(2) {{ width: 1%; }}
  table.tasks td:nth-child(3) {{ width: 22%; }}
  section.region h3 {{ margin-top: .8em; }}
  footer {{ display: none; }}
}}
"""


def _h(text: str) -> str:
    return html.escape(text, quote=True)


def _html_cell(cell: Cell) -> str:
    if isinstance(cell, list):
        return "".join(f'<span class="line">{_h(line)}</span>' for line in cell)
    return _h(cell)


def _html_table(table: _Table) -> str:
    def cls(i: int) -> str:
        names = (["num"] if i in table.numeric else []) + (["nowrap"] if i in table.nowrap else [])
        return f' class="{" ".join(names)}"' if names else ""

    head = "".join(f"<th{cls(i)}>{_h(h)}</th>" for i, h in enumerate(table.headers))
    body = []
    for r, row in enumerate(table.rows):
        cells = []
        for i, cell in enumerate(row):
            inner = _html_cell(cell)
            if i == 0 and r in table.bars:
                inner = f'<span class="bar" style="width:{table.bars[r] * 6:.2f}em"></span>' + inner
            cells.append(f"<td{cls(i)}>{inner}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    css = f' class="{table.css_class}"' if table.css_class else ""
    return f"<table{css}><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _render_html(plan: Plan, sections: list[_Section], figures: dict[str, str]) -> str:
    cat = _cat(plan)
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{plan.language}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_h(CSP)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_h(_t(cat, 'doc_title', name=one_line(plan.scenario_name)))}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
    ]
    for sec in sections:
        attrs = (f' id="{sec.anchor}"' if sec.anchor else "") + (
            f' class="{sec.css_class}"' if sec.css_class else ""
        )
        out.append(f"<section{attrs}>")
        out.append(f"<h{sec.level}>{_h(sec.title)}</h{sec.level}>")
        for i, para in enumerate(sec.paragraphs):
            notice = sec.notice and i == 0
            out.append(f'<p class="notice">{_h(para)}</p>' if notice else f"<p>{_h(para)}</p>")
        if sec.figure:
            out.append(f"<figure>{strip_xml_declaration(figures[sec.figure])}</figure>")
        if sec.table is not None and sec.table_in_html:
            out.append(_html_table(sec.table))
        out.append("</section>")
    out += [f"<footer><p>{_h(_t(cat, 'footer'))}</p></footer>", "</body>", "</html>", ""]
    return "\n".join(out)


def report_html(plan: Plan, *, today: dt.date | None = None, results: Results | None = None) -> str:
    """The whole report as one self-contained HTML page (no scripts, no loads, prints on A4);
    with ``results``, the dialogs' follow-up results after the regions."""
    figures = {"wheel": wheel_svg(plan, today=today), "heatmap": heatmap_svg(plan)}
    return _render_html(plan, _sections(plan, today, results), figures)


# -- Markdown ---------------------------------------------------------------------------------

_MD_SPECIAL = set("\\`*_[]<>|&#")


def md_escape(text: str) -> str:
    """Text that Markdown shows literally: punctuation with meaning gets a backslash, and the
    text stays on one line (a newline would end a table row)."""
    flat = one_line(text)
    return "".join(f"\\{ch}" if ch in _MD_SPECIAL else ch for ch in flat)


def _md_cell(cell: Cell) -> str:
    if isinstance(cell, list):
        return "<br>".join(md_escape(line) for line in cell) or " "
    return md_escape(cell) or " "


def _md_table(table: _Table) -> list[str]:
    align = ["---:" if i in table.numeric else "---" for i in range(len(table.headers))]
    lines = [
        "| " + " | ".join(md_escape(h) or " " for h in table.headers) + " |",
        "| " + " | ".join(align) + " |",
    ]
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in table.rows]
    return lines


def report_markdown(plan: Plan, *, today: dt.date | None = None, results: Results | None = None) -> str:
    """The report as Markdown, for pasting into documents; pictures link to ``wheel.svg`` and
    ``heatmap.svg`` beside it (as :func:`write_report` writes them)."""
    cat = _cat(plan)
    images = {"wheel": (_t(cat, "wheel_alt"), "wheel.svg"), "heatmap": (_t(cat, "load"), "heatmap.svg")}
    out: list[str] = []
    for sec in _sections(plan, today, results):
        out.append(f"{'#' * sec.level} {md_escape(sec.title)}")
        out.append("")
        for para in sec.paragraphs:
            out += [md_escape(para), ""]
        if sec.figure:
            alt, target = images[sec.figure]
            out += [f"![{alt}]({target})", ""]
        if sec.table is not None and sec.table.rows:
            out += [*_md_table(sec.table), ""]
    return "\n".join(out).rstrip("\n") + "\n"


# -- files ------------------------------------------------------------------------------------


def write_report(
    plan: Plan,
    out_dir: Path,
    *,
    today: dt.date | None = None,
    png: bool = False,
    pdf: bool = False,
    results: Results | None = None,
) -> list[Path]:
    """Write ``wheel.svg``, ``heatmap.svg``, ``report.html``, ``report.md`` (and ``wheel.png``,
    ``report.pdf`` when asked) into ``out_dir``, each atomically; returns the paths in that
    order; ``results`` adds the dialogs' follow-up results.  PNG and PDF need headless
    Chromium: without one, :class:`ChromiumMissing` is raised before anything is written."""
    if (png or pdf) and find_chromium() is None:
        raise ChromiumMissing("report.pdf" if pdf else "wheel.png")
    out_dir = Path(out_dir)
    wheel = wheel_svg(plan, today=today)
    heat = heatmap_svg(plan)
    page = _render_html(plan, _sections(plan, today, results), {"wheel": wheel, "heatmap": heat})
    written = [
        write_atomic(out_dir / "wheel.svg", wheel),
        write_atomic(out_dir / "heatmap.svg", heat),
        write_atomic(out_dir / "report.html", page),
        write_atomic(out_dir / "report.md", report_markdown(plan, today=today, results=results)),
    ]
    if png:
        written.append(write_atomic(out_dir / "wheel.png", wheel_png(wheel)))
    if pdf:
        written.append(write_atomic(out_dir / "report.pdf", html_pdf(page)))
    return written
