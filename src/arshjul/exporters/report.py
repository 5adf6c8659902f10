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

Every word the report shows is in :data:`TEXT`, so a translation pass has one table to route
through gettext.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field
from pathlib import Path

from ..fileio import write_atomic
from ..plan import Plan, Session
from .heatmap import AT_CAP, cap_months, heatmap_svg
from .labels import KIND_SV_SHORT, MONTHS_SV, MONTHS_SV_SHORT, clock, day_sv
from .pdf import html_pdf
from .png import ChromiumMissing, find_chromium, wheel_png
from .svg import FONT_STACK, one_line, strip_xml_declaration
from .wheel import wheel_svg

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
"""Forbids every load: a report that needed the network would show it as a console error."""

TEXT: dict[str, str] = {
    # the top
    "doc_title": "Årshjul: {name}",
    "intro": "Scenario {id} · {start} – {end} · tider i {tz}",
    "summary_one": "{sessions} möte för {regions} regioner.",
    "summary_many": "{sessions} möten för {regions} regioner.",
    "frozen": "Läge {day}: möten före detta datum är frysta (redan utskickade).",
    "no_plan": "Ingen plan att visa: {status}.",
    "everywhere": "Gäller alla möten: {where}.",
    "place": "Plats: {place}",
    "link": "Länk: {link}",
    "frozen_mark": "{day} (fryst)",
    # the meetings of the year
    "meetings": "Årets möten",
    "meetings_intro": "Månad för månad: när, vad, och vem som presenterar i vilken ordning.",
    "month": "{month} {year}",
    "col_date": "Datum",
    "col_time": "Tid",
    "col_kind": "Typ",
    "col_meeting": "Möte",
    "col_order": "Körschema",
    "col_invited": "Inbjudna",
    "col_followup": "Uppföljning",
    "host_slot": "{span} {host} (värd)",
    "invited_all": "alla ({n})",
    "invited_all_but": "alla utom {codes} ({n})",
    "invited_some": "{codes} ({n})",
    "followed_up_on": "Följs upp på {ref}",
    "follows_up": "Följer upp {ref}",
    "none": "–",
    # the regions
    "regions": "Regionerna",
    "regions_intro": (
        "Vad varje region ombeds göra och när, och hur tätt inbjudningarna kommer: "
        "flest på {days} dagar mot regionens tak."
    ),
    "region_title": "{name} ({code})",
    "region_stats": (
        "{invitations} inbjudningar, varav {presentations} att presentera · flest på {days} dagar: {worst}"
    ),
    "of_cap": "{worst} av {cap}",
    "from_day": " (från {day})",
    "per_month": "Per månad: {months}",
    "contact": "Kontakt: {email}",
    "col_task": "Uppgift",
    "listen": "Lyssna",
    "present": "Presentera",
    "jointly": "gemensamt som {name}, med {others}",
    # the pictures
    "wheel": "Året i ett hjul",
    "wheel_intro": (
        "Perioden börjar överst och går medurs; varje ring är ett område eller en "
        "mötestyp. Håll muspekaren över ett möte för detaljer."
    ),
    "wheel_alt": "Årshjul",
    "load": "Belastning per region",
    "load_intro": (
        "Inbjudningar per månad (att presentera eller lyssna). {mark} = del av ett "
        "{days}-dagarsfönster som når regionens tak."
    ),
    "col_region": "Region",
    "col_invitations": "Inbjudn.",
    "col_presentations": "Pres.",
    "col_worst": "Värsta fönster",
    # closures
    "closures": "Stängda dagar och perioder",
    "col_when": "När",
    "col_what": "Vad",
    "col_sort": "Slag",
    "blackout": "Uppehåll",
    "holiday": "Helgdag",
    # how the plan was found
    "solver": "Så togs planen fram",
    "solver_intro": (
        "Planen minimerar en summa av viktade straff under reglerna; lösaren (OR-Tools CP-SAT) "
        "letar tills tidsgränsen eller tills den bevisat att ingen bättre plan finns."
    ),
    "col_measure": "Mått",
    "col_value": "Värde",
    "status": "Status",
    "status_value": "{text} ({status})",
    "objective": "Målvärde (summa straff, lägre är bättre)",
    "bound": "Undre gräns",
    "gap": "Avstånd till gränsen (gap)",
    "seed": "Slumpfrö",
    "sessions": "Möten",
    "region_count": "Regioner",
    "published": "Publiceras",
    "percent": "{value} %",
    "terms": "Poäng per del",
    "terms_intro": "Var straffen kommer ifrån.",
    "col_term": "Del",
    "col_penalises": "Vad den straffar",
    "col_penalty": "Straff",
    "col_share": "Andel",
    "sum": "Summa",
    "footer": "Skapad med arshjul.",
    # solver statuses and objective terms, by their names in the plan
    "status.OPTIMAL": "Optimal: ingen bättre plan finns enligt vikterna",
    "status.FEASIBLE": "Godtagbar: alla regler hålls, men det är inte bevisat att ingen bättre plan finns",
    "status.INFEASIBLE": "Ingen plan: reglerna går inte att uppfylla samtidigt",
    "status.UNKNOWN": "Ingen plan hittades inom tidsgränsen",
    "status.MODEL_INVALID": "Modellfel: planeringsmodellen kunde inte byggas",
    "term.match": "Intresse som inte fick presentera (per intressevikt)",
    "term.coverage": "Intresserade regioner som inte presenterar någonstans",
    "term.spread": "Möten i den mest belastade månaden (jämn spridning)",
    "term.preferred_month": "Dialoger utanför temats önskade månader",
    "term.balance": "Skillnad i antal presentatörer mellan största och minsta dialog",
}
"""Every word the report shows (Swedish), by key; ``{name}`` fields are filled in with
:meth:`str.format`."""


def _t(key: str, **fields: object) -> str:
    return TEXT[key].format(**fields) if fields else TEXT[key]


def _status(status: str) -> str:
    return TEXT.get(f"status.{status}", status)


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


def _dec(x: float, digits: int = 1) -> str:
    """Swedish decimal comma."""
    return f"{x:.{digits}f}".replace(".", ",")


def _when(plan: Plan, s: Session) -> str:
    return f"{clock(s.start, plan.timezone)}–{clock(s.end, plan.timezone)}"


def _region(plan: Plan, code: str) -> str:
    return plan.regions.get(code, code)


def _one_year(plan: Plan) -> bool:
    return plan.period_start.year == plan.period_end.year


def _running_order(plan: Plan, s: Session) -> list[str]:
    """Who speaks when: the host first, then each presenter's ten minutes."""
    lines = []
    if s.host_start is not None and s.host_end is not None:
        span = f"{clock(s.host_start, plan.timezone)}–{clock(s.host_end, plan.timezone)}"
        lines.append(_t("host_slot", span=span, host=s.host_name))
    for p in s.presentations:
        who = one_line(p.name)
        if len(p.regions) > 1 or (p.regions and p.regions[0] != p.presenter):
            who += " (" + ", ".join(_region(plan, c) for c in p.regions) + ")"
        lines.append(f"{clock(p.start, plan.timezone)}–{clock(p.end, plan.timezone)} {who}")
    return lines


def _ref(plan: Plan, session_id: str) -> str:
    try:
        s = plan.session(session_id)
    except KeyError:
        return session_id
    return f"{one_line(s.title)} ({day_sv(s.date)})"


def _followup(plan: Plan, s: Session) -> list[str]:
    lines = []
    if s.followup_on:
        lines.append(_t("followed_up_on", ref=_ref(plan, s.followup_on)))
    lines += [_t("follows_up", ref=_ref(plan, f)) for f in s.followups]
    return lines


def _invited(plan: Plan, s: Session) -> str:
    """Who is invited, in region codes; "all but …" when that is the shorter list."""
    if not s.invited:
        return _t("none")
    n = len(s.invited)
    if set(s.invited) == set(plan.regions):
        return _t("invited_all", n=n)
    left_out = [c for c in plan.regions if c not in s.invited]
    if len(left_out) < n:
        return _t("invited_all_but", codes=", ".join(left_out), n=n)
    named = [c for c in plan.regions if c in s.invited] + [c for c in s.invited if c not in plan.regions]
    return _t("invited_some", codes=", ".join(named), n=n)


def _shared(plan: Plan) -> tuple[str | None, str | None]:
    """The place and link every session has in common (said once, not in every row)."""
    places = {s.location for s in plan.sessions}
    links = {s.meeting_link for s in plan.sessions}
    place = places.pop() if len(places) == 1 else None
    link = links.pop() if len(links) == 1 else None
    return place, link


def _sections(plan: Plan, today: dt.date | None) -> list[_Section]:
    """Everything the report says, in order, independent of HTML or Markdown."""
    out: list[_Section] = [_intro_section(plan, today)]
    if plan.sessions:
        out.append(
            _Section(
                title=_t("meetings"),
                paragraphs=[_t("meetings_intro")],
                css_class="meetings-head",
                anchor="meetings",
            )
        )
        out += _month_sections(plan, today)
    if plan.regions:
        out.append(
            _Section(
                title=_t("regions"),
                paragraphs=[_t("regions_intro", days=plan.window_days)],
                css_class="regions-head",
                anchor="regions",
            )
        )
        out += _region_sections(plan)
    out.append(
        _Section(
            title=_t("wheel"),
            paragraphs=[_t("wheel_intro")],
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
    paragraphs = []
    if not plan.found:
        paragraphs.append(_t("no_plan", status=_status(plan.status)))
    paragraphs.append(
        _t(
            "intro",
            id=plan.scenario_id,
            start=day_sv(plan.period_start),
            end=day_sv(plan.period_end),
            tz=plan.timezone,
        )
    )
    if plan.sessions:
        n = len(plan.sessions)
        paragraphs.append(
            _t("summary_one" if n == 1 else "summary_many", sessions=n, regions=len(plan.regions))
        )
    place, link = _shared(plan)
    where = [_t("place", place=one_line(place))] if place else []
    where += [_t("link", link=one_line(link))] if link else []
    if where:
        paragraphs.append(_t("everywhere", where=" · ".join(where)))
    if today is not None:
        paragraphs.append(_t("frozen", day=day_sv(today)))
    return _Section(
        title=_t("doc_title", name=one_line(plan.scenario_name)),
        level=1,
        paragraphs=paragraphs,
        css_class="intro",
        notice=not plan.found,
    )


def _month_sections(plan: Plan, today: dt.date | None) -> list[_Section]:
    """One table per month that has meetings: date, time, kind, title, running order."""
    place, link = _shared(plan)
    by_month: dict[tuple[int, int], list[Session]] = {}
    for s in sorted(plan.sessions, key=lambda s: (s.start, s.id)):
        by_month.setdefault((s.date.year, s.date.month), []).append(s)
    headers = [
        _t("col_date"),
        _t("col_time"),
        _t("col_kind"),
        _t("col_meeting"),
        _t("col_order"),
        _t("col_invited"),
        _t("col_followup"),
    ]
    several_hosts = len({s.host for s in plan.sessions}) > 1
    out = []
    for (year, month), sessions in by_month.items():
        rows: list[list[Cell]] = []
        for s in sessions:
            day = day_sv(s.date, weekday=True, year=False)
            if today is not None and s.date < today:
                day = _t("frozen_mark", day=day)
            what = [one_line(s.title)]
            if several_hosts:
                what.append(s.host_name)
            if s.location and s.location != place:
                what.append(_t("place", place=one_line(s.location)))
            if s.meeting_link and s.meeting_link != link:
                what.append(_t("link", link=one_line(s.meeting_link)))
            rows.append(
                [
                    day,
                    _when(plan, s),
                    KIND_SV_SHORT.get(s.kind, s.kind),
                    what,
                    _running_order(plan, s) or _t("none"),
                    _invited(plan, s),
                    _followup(plan, s) or _t("none"),
                ]
            )
        out.append(
            _Section(
                title=_t("month", month=MONTHS_SV[month - 1].capitalize(), year=year),
                level=3,
                table=_Table(headers, rows, nowrap=frozenset({0, 1}), css_class="meetings"),
                css_class="month",
            )
        )
    return out


def _region_sections(plan: Plan) -> list[_Section]:
    out = []
    by_code = {load.code: load for load in plan.load()}
    years = not _one_year(plan)
    several_hosts = len({s.host for s in plan.sessions}) > 1
    for code, name in plan.regions.items():
        load = by_code[code]
        cap = plan.window_max.get(code)
        worst = str(load.worst_window) if cap is None else _t("of_cap", worst=load.worst_window, cap=cap)
        if cap is not None and load.invitations and load.worst_window >= cap:
            worst += f" {AT_CAP}"
        stats = _t(
            "region_stats",
            invitations=load.invitations,
            presentations=load.presentations,
            days=plan.window_days,
            worst=worst,
        )
        if load.worst_window_start is not None and load.worst_window:
            stats += _t("from_day", day=day_sv(load.worst_window_start, year=years))
        busy = [f"{MONTHS_SV_SHORT[int(m[5:]) - 1]} {n}" for m, n in load.by_month.items() if n]
        paragraphs = [stats]
        if busy:
            paragraphs.append(_t("per_month", months=" · ".join(busy)))
        if code in plan.contacts:
            paragraphs.append(_t("contact", email=plan.contacts[code]))
        rows: list[list[Cell]] = []
        asked = [s for s in plan.sessions if code in s.invited or code in s.presenting_regions]
        for s in sorted(asked, key=lambda s: (s.start, s.id)):
            slot = next((p for p in s.presentations if code in p.regions), None)
            if slot is None:
                task: list[str] = [_t("listen")]
                when = _when(plan, s)
            else:
                when = f"{clock(slot.start, plan.timezone)}–{clock(slot.end, plan.timezone)}"
                task = [_t("present")]
                if len(slot.regions) > 1:
                    others = [_region(plan, c) for c in slot.regions if c != code]
                    task.append(_t("jointly", name=one_line(slot.name), others=", ".join(others)))
            title = one_line(s.title) + (f" ({s.host_name})" if several_hosts else "")
            rows.append([day_sv(s.date, weekday=True, year=years), when, task, title])
        headers = [_t("col_date"), _t("col_time"), _t("col_task"), _t("col_meeting")]
        out.append(
            _Section(
                title=_t("region_title", name=name, code=code),
                level=3,
                paragraphs=paragraphs,
                table=_Table(headers, rows, nowrap=frozenset({0, 1}), css_class="tasks") if rows else None,
                css_class="region",
            )
        )
    return out


def _load_section(plan: Plan) -> _Section:
    """The heat map, and the same numbers as a table for the Markdown version."""
    loads = plan.load()
    months = list(loads[0].by_month) if loads else []
    rows: list[list[Cell]] = []
    for load in loads:
        cap = plan.window_max.get(load.code)
        days = sorted(s.date for s in plan.sessions if load.code in s.invited)
        hot = cap_months(days, plan.window_days, cap) if cap is not None else set()
        cells: list[Cell] = [_t("region_title", name=load.name, code=load.code)]
        cells += [f"{load.by_month[m]}{AT_CAP if m in hot else ''}" for m in months]
        window = str(load.worst_window) if cap is None else _t("of_cap", worst=load.worst_window, cap=cap)
        if cap is not None and load.invitations and load.worst_window >= cap:
            window += f" {AT_CAP}"
        cells += [str(load.invitations), str(load.presentations), window]
        rows.append(cells)
    headers = [
        _t("col_region"),
        *(MONTHS_SV_SHORT[int(m[5:]) - 1] for m in months),
        _t("col_invitations"),
        _t("col_presentations"),
        _t("col_worst"),
    ]
    return _Section(
        title=_t("load"),
        paragraphs=[_t("load_intro", mark=AT_CAP, days=plan.window_days)],
        table=_Table(headers, rows, frozenset(range(1, len(headers)))),
        figure="heatmap",
        css_class="figure load",
        anchor="load",
        table_in_html=False,
    )


def _closures_section(plan: Plan) -> _Section:
    rows: list[list[Cell]] = []
    for c in sorted(plan.closures, key=lambda c: (c.start, c.end, c.name)):
        when = day_sv(c.start) if c.start == c.end else f"{day_sv(c.start)} – {day_sv(c.end)}"
        rows.append([when, one_line(c.name), _t("blackout" if c.kind == "blackout" else "holiday")])
    table = _Table([_t("col_when"), _t("col_what"), _t("col_sort")], rows, nowrap=frozenset({0}))
    return _Section(title=_t("closures"), table=table, css_class="closures")


def _solver_section(plan: Plan) -> _Section:
    status = _t("status_value", text=_status(plan.status), status=plan.status)
    rows: list[list[Cell]] = [[_t("status"), status]]
    rows.append([_t("objective"), _t("none") if plan.objective is None else str(plan.objective)])
    rows.append([_t("bound"), _t("none") if plan.bound is None else _dec(plan.bound)])
    gap = plan.gap
    rows.append([_t("gap"), _t("none") if gap is None else _t("percent", value=_dec(gap * 100))])
    rows.append([_t("seed"), str(plan.seed)])
    rows.append([_t("sessions"), str(len(plan.sessions))])
    rows.append([_t("region_count"), str(len(plan.regions))])
    if plan.publication_date is not None:
        rows.append([_t("published"), day_sv(plan.publication_date)])
    return _Section(
        title=_t("solver"),
        paragraphs=[_t("solver_intro")],
        table=_Table([_t("col_measure"), _t("col_value")], rows, css_class="solver"),
        css_class="solver",
        anchor="solver",
    )


def _terms_section(plan: Plan) -> _Section:
    total = sum(plan.terms.values())
    rows: list[list[Cell]] = []
    bars: dict[int, float] = {}
    largest = max((abs(v) for v in plan.terms.values()), default=0) or 1
    for i, (name, value) in enumerate(plan.terms.items()):
        share = _t("percent", value=_dec(100 * value / total)) if total else _t("none")
        rows.append([name, TEXT.get(f"term.{name}", ""), str(value), share])
        bars[i] = abs(value) / largest
    rows.append([_t("sum"), "", str(total), _t("percent", value=100) if total else _t("none")])
    headers = [_t("col_term"), _t("col_penalises"), _t("col_penalty"), _t("col_share")]
    return _Section(
        title=_t("terms"),
        level=3,
        paragraphs=[_t("terms_intro")],
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
    out = [
        "<!DOCTYPE html>",
        '<html lang="sv">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_h(CSP)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_h(_t('doc_title', name=one_line(plan.scenario_name)))}</title>",
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
    out += [f"<footer><p>{_h(_t('footer'))}</p></footer>", "</body>", "</html>", ""]
    return "\n".join(out)


def report_html(plan: Plan, *, today: dt.date | None = None) -> str:
    """The whole report as one self-contained HTML page (no scripts, no loads, prints on A4)."""
    figures = {"wheel": wheel_svg(plan, today=today), "heatmap": heatmap_svg(plan)}
    return _render_html(plan, _sections(plan, today), figures)


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


def report_markdown(plan: Plan, *, today: dt.date | None = None) -> str:
    """The report as Markdown, for pasting into documents; pictures link to ``wheel.svg`` and
    ``heatmap.svg`` beside it (as :func:`write_report` writes them)."""
    images = {"wheel": (_t("wheel_alt"), "wheel.svg"), "heatmap": (_t("load"), "heatmap.svg")}
    out: list[str] = []
    for sec in _sections(plan, today):
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
) -> list[Path]:
    """Write ``wheel.svg``, ``heatmap.svg``, ``report.html``, ``report.md`` (and ``wheel.png``,
    ``report.pdf`` when asked) into ``out_dir``, each atomically; returns the paths in that
    order.  PNG and PDF need headless Chromium: without one, :class:`ChromiumMissing` is
    raised before anything is written."""
    if (png or pdf) and find_chromium() is None:
        raise ChromiumMissing("report.pdf" if pdf else "wheel.png")
    out_dir = Path(out_dir)
    wheel = wheel_svg(plan, today=today)
    heat = heatmap_svg(plan)
    page = _render_html(plan, _sections(plan, today), {"wheel": wheel, "heatmap": heat})
    written = [
        write_atomic(out_dir / "wheel.svg", wheel),
        write_atomic(out_dir / "heatmap.svg", heat),
        write_atomic(out_dir / "report.html", page),
        write_atomic(out_dir / "report.md", report_markdown(plan, today=today)),
    ]
    if png:
        written.append(write_atomic(out_dir / "wheel.png", wheel_png(wheel)))
    if pdf:
        written.append(write_atomic(out_dir / "report.pdf", html_pdf(page)))
    return written
