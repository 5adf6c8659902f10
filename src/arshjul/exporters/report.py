"""The report a planner can send: one self-contained HTML file, and the same as Markdown.

The HTML is a single file with inline CSS and inline SVG and no scripts, fonts, images or
links to load, so it opens the same from an e-mail attachment, a file share or a USB stick,
prints on A4, and a Content-Security-Policy that forbids every load proves it.  The Markdown
carries the same sections as text for pasting into documents.  Both are built from one list
of sections, so they cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field
from pathlib import Path

from ..fileio import write_atomic
from ..plan import Plan, Session
from .heatmap import AT_CAP, cap_months, heatmap_svg
from .labels import KIND_SV, MONTHS_SV_SHORT, clock, day_sv
from .png import wheel_png
from .svg import FONT_STACK, one_line, strip_xml_declaration
from .wheel import wheel_svg

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
"""Forbids every load: a report that needed the network would show it as a console error."""

STATUS_SV: dict[str, str] = {
    "OPTIMAL": "Optimal: ingen bättre plan finns enligt vikterna",
    "FEASIBLE": "Godtagbar: alla regler hålls, men det är inte bevisat att ingen bättre plan finns",
    "INFEASIBLE": "Ingen plan: reglerna går inte att uppfylla samtidigt",
    "UNKNOWN": "Ingen plan hittades inom tidsgränsen",
    "MODEL_INVALID": "Modellfel: planeringsmodellen kunde inte byggas",
}
TERMS_SV: dict[str, str] = {
    "match": "Intresse som inte fick presentera (per intressevikt)",
    "coverage": "Intresserade regioner som inte presenterar någonstans",
    "spread": "Möten i den mest belastade månaden (jämn spridning)",
    "preferred_month": "Dialoger utanför temats önskade månader",
    "balance": "Skillnad i antal presentatörer mellan största och minsta dialog",
}

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


def _dec(x: float, digits: int = 1) -> str:
    """Swedish decimal comma."""
    return f"{x:.{digits}f}".replace(".", ",")


def _when(plan: Plan, s: Session) -> str:
    return f"{clock(s.start, plan.timezone)}–{clock(s.end, plan.timezone)}"


def _region(plan: Plan, code: str) -> str:
    return plan.regions.get(code, code)


def _running_order(plan: Plan, s: Session) -> list[str]:
    """Who speaks when: the host first, then each presenter's ten minutes."""
    lines = []
    if s.host_start is not None and s.host_end is not None:
        span = f"{clock(s.host_start, plan.timezone)}–{clock(s.host_end, plan.timezone)}"
        lines.append(f"{span} {s.host_name} (värd)")
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
        lines.append(f"Följs upp på {_ref(plan, s.followup_on)}")
    lines += [f"Följer upp {_ref(plan, f)}" for f in s.followups]
    return lines


def _invited(plan: Plan, s: Session) -> str:
    if not s.invited:
        return "–"
    if set(s.invited) == set(plan.regions):
        return f"alla ({len(s.invited)})"
    return f"{len(s.invited)}: " + ", ".join(s.invited)


def _sections(plan: Plan, today: dt.date | None) -> list[_Section]:
    """Everything the report says, in order, independent of HTML or Markdown."""
    out: list[_Section] = []
    intro = [
        f"Scenario {plan.scenario_id} · {day_sv(plan.period_start)} – {day_sv(plan.period_end)} · "
        f"tider i {plan.timezone}",
    ]
    if today is not None:
        intro.append(f"Läge {day_sv(today)}: möten före detta datum är frysta (redan utskickade).")
    out.append(_Section(title=f"Årshjul: {one_line(plan.scenario_name)}", level=1, paragraphs=intro))
    out.append(_solver_section(plan))
    if plan.terms:
        out.append(_terms_section(plan))
    out.append(
        _Section(
            title="Året i ett hjul",
            paragraphs=[
                "Perioden börjar överst och går medurs; varje ring är ett område eller en "
                "mötestyp. Håll muspekaren över ett möte för detaljer."
            ],
            figure="wheel",
            css_class="wheel",
        )
    )
    out.append(_load_section(plan))
    out.append(_sessions_section(plan, today))
    out.append(_Section(title="Per region", paragraphs=["Vad varje region ombeds göra, och när."]))
    out += _region_sections(plan)
    if plan.closures:
        out.append(_closures_section(plan))
    return out


def _solver_section(plan: Plan) -> _Section:
    rows: list[list[Cell]] = [["Status", f"{STATUS_SV.get(plan.status, plan.status)} ({plan.status})"]]
    rows.append(
        [
            "Målvärde (summa straff, lägre är bättre)",
            "–" if plan.objective is None else str(plan.objective),
        ]
    )
    rows.append(["Undre gräns", "–" if plan.bound is None else _dec(plan.bound)])
    gap = plan.gap
    rows.append(["Avstånd till gränsen (gap)", "–" if gap is None else f"{_dec(gap * 100)} %"])
    rows.append(["Slumpfrö", str(plan.seed)])
    rows.append(["Möten", str(len(plan.sessions))])
    rows.append(["Regioner", str(len(plan.regions))])
    if plan.publication_date is not None:
        rows.append(["Publiceras", day_sv(plan.publication_date)])
    paragraphs = [] if plan.found else [f"Ingen plan att visa: {STATUS_SV.get(plan.status, plan.status)}."]
    return _Section(title="Lösning", paragraphs=paragraphs, table=_Table(["Mått", "Värde"], rows))


def _terms_section(plan: Plan) -> _Section:
    total = sum(plan.terms.values())
    rows: list[list[Cell]] = []
    bars: dict[int, float] = {}
    largest = max((abs(v) for v in plan.terms.values()), default=0) or 1
    for i, (name, value) in enumerate(plan.terms.items()):
        share = f"{_dec(100 * value / total)} %" if total else "–"
        rows.append([name, TERMS_SV.get(name, ""), str(value), share])
        bars[i] = abs(value) / largest
    rows.append(["Summa", "", str(total), "100 %" if total else "–"])
    return _Section(
        title="Poäng per del",
        paragraphs=["Planen minimerar summan av viktade straff; här är var de kommer ifrån."],
        table=_Table(["Del", "Vad den straffar", "Straff", "Andel"], rows, frozenset({2, 3}), bars=bars),
    )


def _load_section(plan: Plan) -> _Section:
    """The heat map, and the same numbers as a table for the Markdown version."""
    loads = plan.load()
    months = list(loads[0].by_month) if loads else []
    rows: list[list[Cell]] = []
    for load in loads:
        cap = plan.window_max.get(load.code)
        days = sorted(s.date for s in plan.sessions if load.code in s.invited)
        hot = cap_months(days, plan.window_days, cap) if cap is not None else set()
        cells: list[Cell] = [f"{load.name} ({load.code})"]
        cells += [f"{load.by_month[m]}{AT_CAP if m in hot else ''}" for m in months]
        window = f"{load.worst_window}" + (f" av {cap}" if cap is not None else "")
        if cap is not None and load.invitations and load.worst_window >= cap:
            window += f" {AT_CAP}"
        cells += [str(load.invitations), str(load.presentations), window]
        rows.append(cells)
    headers = [
        "Region",
        *(MONTHS_SV_SHORT[int(m[5:]) - 1] for m in months),
        "Inbjudn.",
        "Pres.",
        "Värsta fönster",
    ]
    return _Section(
        title="Belastning per region",
        paragraphs=[
            f"Inbjudningar per månad (att presentera eller lyssna). {AT_CAP} = del av ett "
            f"{plan.window_days}-dagarsfönster som når regionens tak."
        ],
        table=_Table(headers, rows, frozenset(range(1, len(headers)))),
        figure="heatmap",
        css_class="load",
        table_in_html=False,
    )


def _sessions_section(plan: Plan, today: dt.date | None) -> _Section:
    rows: list[list[Cell]] = []
    for s in sorted(plan.sessions, key=lambda s: (s.start, s.id)):
        day = day_sv(s.date, weekday=True)
        if today is not None and s.date < today:
            day += " (fryst)"
        what = [one_line(s.title), f"{KIND_SV.get(s.kind, s.kind)} · {s.host_name}"]
        if s.location:
            what.append(f"Plats: {one_line(s.location)}")
        if s.meeting_link:
            what.append(f"Länk: {one_line(s.meeting_link)}")
        rows.append(
            [
                day,
                _when(plan, s),
                what,
                _running_order(plan, s) or "–",
                _invited(plan, s),
                _followup(plan, s) or "–",
            ]
        )
    return _Section(
        title="Möten",
        table=_Table(
            ["Datum", "Tid", "Möte", "Körschema", "Inbjudna", "Uppföljning"],
            rows,
            nowrap=frozenset({0, 1}),
        ),
    )


def _region_sections(plan: Plan) -> list[_Section]:
    out = []
    by_code = {load.code: load for load in plan.load()}
    for code, name in plan.regions.items():
        load = by_code[code]
        cap = plan.window_max.get(code)
        stats = (
            f"{load.invitations} inbjudningar, varav {load.presentations} att presentera · "
            f"flest på {plan.window_days} dagar: {load.worst_window}"
            + (f" av {cap}" if cap is not None else "")
        )
        if load.worst_window_start is not None and load.worst_window:
            stats += f" (från {day_sv(load.worst_window_start)})"
        busy = [f"{MONTHS_SV_SHORT[int(m[5:]) - 1]} {n}" for m, n in load.by_month.items() if n]
        paragraphs = [stats]
        if busy:
            paragraphs.append("Per månad: " + " · ".join(busy))
        if code in plan.contacts:
            paragraphs.append(f"Kontakt: {plan.contacts[code]}")
        rows: list[list[Cell]] = []
        asked = [s for s in plan.sessions if code in s.invited or code in s.presenting_regions]
        for s in sorted(asked, key=lambda s: (s.start, s.id)):
            slot = next((p for p in s.presentations if code in p.regions), None)
            if slot is None:
                task: list[str] = ["Lyssna"]
                when = _when(plan, s)
            else:
                when = f"{clock(slot.start, plan.timezone)}–{clock(slot.end, plan.timezone)}"
                task = ["Presentera"]
                if len(slot.regions) > 1:
                    others = [_region(plan, c) for c in slot.regions if c != code]
                    task.append(f"gemensamt som {one_line(slot.name)}, med {', '.join(others)}")
            rows.append([day_sv(s.date, weekday=True), when, task, f"{one_line(s.title)} ({s.host_name})"])
        out.append(
            _Section(
                title=f"{name} ({code})",
                level=3,
                paragraphs=paragraphs,
                table=_Table(["Datum", "Tid", "Uppgift", "Möte"], rows, nowrap=frozenset({0, 1}))
                if rows
                else None,
                css_class="region",
            )
        )
    return out


def _closures_section(plan: Plan) -> _Section:
    rows: list[list[Cell]] = []
    for c in sorted(plan.closures, key=lambda c: (c.start, c.end, c.name)):
        when = day_sv(c.start) if c.start == c.end else f"{day_sv(c.start)} – {day_sv(c.end)}"
        rows.append([when, one_line(c.name), "Uppehåll" if c.kind == "blackout" else "Helgdag"])
    table = _Table(["När", "Vad", "Slag"], rows, nowrap=frozenset({0}))
    return _Section(title="Stängda dagar och perioder", table=table)


# -- HTML -------------------------------------------------------------------------------------

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
th, td {{ border: 1px solid #c4c4c4; padding: 4px 8px; text-align: left; vertical-align: top; }}
th {{ background: #ececec; }}
tbody tr:nth-child(even) td {{ background: #f8f8f8; }}
td.num, th.num {{ text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }}
td .line {{ display: block; }}
td.nowrap {{ white-space: nowrap; }}
.bar {{ display: inline-block; height: .75em; background: #0072B2; margin-right: .4em;
  vertical-align: baseline; }}
figure {{ margin: .5em 0 1em; }}
figure svg {{ display: block; width: 100%; height: auto; }}
.notice {{ border: 3px solid #D55E00; padding: .5em .8em; font-weight: 700; }}
@page {{ size: A4; margin: 12mm; }}
@page wide {{ size: A4 landscape; margin: 10mm; }}
@media print {{
  body {{ max-width: none; padding: 0; font-size: 10pt; }}
  section.wheel {{ page: wide; }}
  h2, h3 {{ break-after: avoid; }}
  section.region, figure, tr {{ break-inside: avoid; }}
  thead {{ display: table-header-group; }}
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
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _render_html(plan: Plan, sections: list[_Section], figures: dict[str, str]) -> str:
    out = [
        "<!DOCTYPE html>",
        '<html lang="sv">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_h(CSP)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_h(f'Årshjul: {one_line(plan.scenario_name)}')}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
    ]
    for sec in sections:
        out.append(f'<section class="{sec.css_class}">' if sec.css_class else "<section>")
        out.append(f"<h{sec.level}>{_h(sec.title)}</h{sec.level}>")
        for i, para in enumerate(sec.paragraphs):
            notice = sec.title == "Lösning" and i == 0 and not plan.found
            out.append(f'<p class="notice">{_h(para)}</p>' if notice else f"<p>{_h(para)}</p>")
        if sec.figure:
            out.append(f"<figure>{strip_xml_declaration(figures[sec.figure])}</figure>")
        if sec.table is not None and sec.table_in_html:
            out.append(_html_table(sec.table))
        out.append("</section>")
    out += ["<footer><p>Skapad med arshjul.</p></footer>", "</body>", "</html>", ""]
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
    images = {
        "wheel": ("Årshjul", "wheel.svg"),
        "heatmap": ("Belastning per region", "heatmap.svg"),
    }
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


def write_report(plan: Plan, out_dir: Path, *, today: dt.date | None = None, png: bool = False) -> list[Path]:
    """Write ``wheel.svg``, ``heatmap.svg``, ``report.html``, ``report.md`` (and ``wheel.png``
    when asked) into ``out_dir``, each atomically; returns the paths in that order."""
    out_dir = Path(out_dir)
    wheel = wheel_svg(plan, today=today)
    heat = heatmap_svg(plan)
    sections = _sections(plan, today)
    written = [
        write_atomic(out_dir / "wheel.svg", wheel),
        write_atomic(out_dir / "heatmap.svg", heat),
        write_atomic(
            out_dir / "report.html", _render_html(plan, sections, {"wheel": wheel, "heatmap": heat})
        ),
        write_atomic(out_dir / "report.md", report_markdown(plan, today=today)),
    ]
    if png:
        written.append(write_atomic(out_dir / "wheel.png", wheel_png(wheel)))
    return written
