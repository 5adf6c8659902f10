"""The annual wheel (*årshjul*): the planning period as a circle of months.

Swedish public-sector planners read a year as a clock face: the period starts at the top
and runs clockwise, months are sectors, and each theme has its own ring, so "the same area
in the same season every year" is visible at a glance.

The picture is hand-built SVG rather than drawn with a plotting library (building blocks in
:mod:`.svg`, shared labels in :mod:`.labels`): it stays small and crisp at any size (A4
print, projector), its bytes depend only on the plan (no timestamps, no random ids), and it
needs nothing beyond the standard library.  The PNG export is :func:`.png.wheel_png`.

Telling rings apart: each ring has its own (colour, pattern) pair, seven Okabe–Ito colours
with a plain tint, then with dots, rings and crosses (:func:`.svg.style_of`), so twelve or
twenty themes never share a look, and each ring is named on the ring and in the legend.

Nothing is cut off: every label is measured (:func:`.svg.text_px`, the font's advance
widths) against the room it sits in, the arc up to the next mark on a ring, the month's
sector, the blackout's slice, the chord of the centre circle, the legend's column.  What
does not fit is said shorter (fewer words, never half a word) with the whole text in a
tooltip and in the legend, and the centre title wraps onto as many lines as it needs.
:func:`wheel_layout` returns those measurements so tests can hold the picture to them, and
each fitted ``<text>`` carries its room as ``data-room`` (px) for a check in a browser.

Every word the wheel shows is in :data:`TEXT` (English msgids), said in the plan's
``language`` through the message catalogues (:mod:`arshjul.i18n`).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from ..i18n import N_, Catalogue, catalogue
from ..plan import Closure, Plan, Session
from .labels import KINDS, clock, day_text, kind_name, month_abbreviations, month_names
from .svg import FONT_STACK, INK, el, fmt_num, one_line, shorten_px, style_of, text_px, wrap_px

TEXT: dict[str, str] = {
    # TRANSLATORS: the wheel's outer ring, where learning and network meetings sit
    "frame": N_("Learning and network meetings"),
    "frame_learning": N_("Learning meeting"),
    "frame_network": N_("Network meetings (RND)"),
    "hybrid": N_("Hybrid meetings"),
    "host_theme": N_("{host}: {title}"),
    # TRANSLATORS: a session's label on its ring: "23 feb · 4 presentationer"
    "label": N_("{when} · {what}"),
    "presentations_short": N_("{n} pres."),
    "tip_kind": N_("{kind} · {host}"),
    "tip_when": N_("{day} {start}–{end}"),
    "tip_presenters": N_("Presenting: {names}"),
    "month_year": N_("{month} {year}"),
    # TRANSLATORS: an ISO week number in the wheel's outer band ("v7")
    "week": N_("w{week}"),
    "closure_tip": N_("{name}: {when} ({kind})"),
    # TRANSLATORS: a closure's kind in its tooltip: "Sommar: 5 jul – 15 aug 2027 (uppehåll)"
    "blackout": N_("break"),
    "holiday": N_("holiday"),
    "span": N_("{start} – {end}"),
    "no_plan": N_("no plan"),
    "today_tip": N_("Today: {day} (everything before it is frozen)"),
    "today": N_("today {day}"),
    "legend": N_("Legend"),
    "legend_rings": N_("Rings, from the outside in"),
    "legend_count": N_("({n})"),
    "legend_kinds": N_("Kind of meeting"),
    "legend_calendar": N_("Calendar"),
    "legend_blackout": N_("Break (no meetings):"),
    "legend_blackout_item": N_("{name} {when}"),
    "legend_holiday": N_("Holiday"),
    "legend_today": N_("Today; what lies before it is frozen"),
    "note_direction": N_("The period starts at the top and runs clockwise."),
    "note_weeks": N_("w = week, by ISO 8601 (odd weeks)."),
    "doc_title": N_("Annual wheel: {heading} ({period})"),
}
"""Every word the wheel shows, by key: English msgids, translated into the plan's
``language`` where drawn; ``{name}`` fields are filled with :meth:`str.format`.  Plurals
(presentations, meetings, invited regions) are ``ngettext`` where used; meeting kinds,
months and dates come from :mod:`.labels`."""


def _t(cat: Catalogue, key: str, **fields: object) -> str:
    text = cat.gettext(TEXT[key])
    return text.format(**fields) if fields else text


def _cat(plan: Plan) -> Catalogue:
    """The words of the plan's ``language``, with the agency's ``labels``."""
    return catalogue(plan.language, plan.labels)


# -- geometry ---------------------------------------------------------------------------------

VIEW_W, VIEW_H = 1300, 1000
CX, CY = 500.0, 500.0
R_OUT = 470.0
WEEK_BAND = (444.0, 470.0)
MONTH_BAND = (404.0, 444.0)
CLOSURE_BAND = (390.0, 404.0)
RINGS_OUT = 386.0
RINGS_MIN_IN = 112.0
RING_MAX_W = 60.0
LEGEND_X = 1000.0
LEGEND_RIGHT = VIEW_W - 12.0
"""The legend's text ends here: its lines are measured against it."""
LABEL_MAX_PX = 360.0
"""A session label is at most this long, even on an empty ring."""
TITLE_MARGIN = 8.0
"""Space kept between the centre title and the first ring (px on each side)."""


def _deg(px: float, r: float) -> float:
    """Degrees of arc that ``px`` of text takes on a circle of radius ``r``."""
    return math.degrees(px / r)


def _px(deg: float, r: float) -> float:
    """Length in px of ``deg`` degrees of arc on a circle of radius ``r``."""
    return math.radians(deg) * r


def period_days(plan: Plan) -> int:
    days = (plan.period_end - plan.period_start).days + 1
    if days <= 0:
        raise ValueError(f"period ends ({plan.period_end}) before it starts ({plan.period_start})")
    return days


def angle_of(plan: Plan, day: dt.date) -> float:
    """Degrees clockwise from the top at the start of ``day``: its fraction of the period × 360.

    The drawing places every mark with this and the tests check against it, so "a session
    on 1 July sits at 1 July" is one definition, not two.
    """
    return (day - plan.period_start).days / period_days(plan) * 360.0


def _pt(r: float, deg: float) -> tuple[float, float]:
    rad = math.radians(deg)
    return CX + r * math.sin(rad), CY - r * math.cos(rad)


def _xy(r: float, deg: float) -> str:
    x, y = _pt(r, deg)
    return f"{fmt_num(x)},{fmt_num(y)}"


def _sector(r0: float, r1: float, a0: float, a1: float) -> str:
    """Path of the ring slice between radii r0<r1 and angles a0<a1 (clockwise)."""
    span = a1 - a0
    if span >= 359.999:  # a full ring: two halves, since one arc cannot close on itself
        return _sector(r0, r1, a0, a0 + 180) + _sector(r0, r1, a0 + 180, a0 + 360)
    big = 1 if span > 180 else 0
    outer = f"M{_xy(r1, a0)}A{fmt_num(r1)},{fmt_num(r1)} 0 {big} 1 {_xy(r1, a1)}"
    if r0 <= 0:
        return f"{outer}L{fmt_num(CX)},{fmt_num(CY)}Z"
    return f"{outer}L{_xy(r0, a1)}A{fmt_num(r0)},{fmt_num(r0)} 0 {big} 0 {_xy(r0, a0)}Z"


def _circle_path(r: float, start: float, clockwise: bool) -> str:
    """A full circle as a path starting at ``start``: the track text follows along an arc."""
    sweep = 1 if clockwise else 0
    half = start + (180 if clockwise else -180)
    rr = f"{fmt_num(r)},{fmt_num(r)}"
    return f"M{_xy(r, start)}A{rr} 0 1 {sweep} {_xy(r, half)}A{rr} 0 1 {sweep} {_xy(r, start)}"


def _upright_top(deg: float) -> bool:
    """Text centred at ``deg`` reads upright when it runs clockwise (top half of the wheel)."""
    d = deg % 360
    return d >= 270 or d < 90


def _offset_pct(deg: float, top: bool) -> str:
    """Where angle ``deg`` falls along a track: the clockwise one starts at the bottom, the
    counter-clockwise one at the top, so text near either seam never runs off the path end."""
    frac = ((deg - 180) % 360) / 360 if top else ((360 - deg) % 360) / 360
    return f"{frac * 100:.3f}%"


class _Tracks:
    """Text tracks (circles in ``<defs>``) by radius: two per radius, one per reading direction."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.defs: list[str] = []
        self._ids: dict[tuple[str, bool], str] = {}

    def ref(self, r: float, top: bool) -> str:
        key = (fmt_num(r), top)
        if key not in self._ids:
            ident = f"{self.prefix}-{len(self._ids)}"
            self._ids[key] = ident
            path = _circle_path(r, 180.0, True) if top else _circle_path(r, 0.0, False)
            self.defs.append(f'<path id="{ident}" d="{path}" fill="none"/>')
        return self._ids[key]

    def text_at(
        self,
        r_mid: float,
        deg: float,
        text: str,
        size: float,
        *,
        anchor: str = "middle",
        attrs: str = "",
        direction: bool | None = None,
        tip: str | None = None,
    ) -> str:
        """Text along the circle of radius ``r_mid``, vertically centred on it, upright.

        ``anchor`` is in reading order: ``start`` puts the text clockwise of ``deg`` on the
        top half and counter-clockwise on the bottom half, so callers that want the text
        clockwise of ``deg`` everywhere use :meth:`clockwise_from`.  ``tip`` becomes the
        text's tooltip (the full wording of a label said shorter).
        """
        top = _upright_top(deg) if direction is None else direction
        # glyphs grow outwards on a clockwise track, inwards on a counter-clockwise one
        base = r_mid - 0.35 * size if top else r_mid + 0.35 * size
        ident = self.ref(base, top)
        path = el(
            "textPath",
            escape(text),
            href=f"#{ident}",
            startOffset=_offset_pct(deg, top),
            text_anchor=anchor,
        )
        title = f"<title>{escape(tip)}</title>" if tip else ""
        return f'<text font-size="{fmt_num(size)}"{attrs}>{title}{path}</text>'

    def clockwise_from(
        self, r_mid: float, deg: float, span: float, text: str, size: float, attrs: str
    ) -> str:
        """Text occupying the arc from ``deg`` clockwise over ``span`` degrees, upright."""
        top = _upright_top(deg + span / 2)
        return self.text_at(
            r_mid, deg, text, size, anchor="start" if top else "end", attrs=attrs, direction=top
        )


def _room_attr(room: float) -> str:
    """The room a fitted text was given, for a browser check of what it really measures."""
    return f' data-room="{room:.1f}"'


HALO = ' stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke"'


# -- what was drawn where (for tests) ----------------------------------------------------------


@dataclass(frozen=True)
class Label:
    """One text the wheel drew and the room it was given.

    Text along a circle has ``arc`` (degrees clockwise from the top, start < end, where the
    text may run) and the ``radius`` it was measured at, so its room is the arc's length;
    straight text (the centre title, the legend) has ``box`` (x0, y0, x1, y1)."""

    role: str
    """``session``, ``ring``, ``month``, ``closure``, ``title`` or ``legend``."""
    text: str
    full: str
    """What the text stands for; differs from ``text`` only where it is said shorter."""
    size: float
    bold: bool
    room: float
    """Px the text may take: the arc's length or the box's width."""
    ring: int | None = None
    arc: tuple[float, float] | None = None
    radius: float | None = None
    box: tuple[float, float, float, float] | None = None

    @property
    def width(self) -> float:
        return text_px(self.text, self.size, bold=self.bold)


@dataclass(frozen=True)
class RingLayout:
    name: str
    colour: str
    pattern: str
    r_lo: float
    r_hi: float
    marks: tuple[float, ...]
    """Angles of the ring's session marks."""
    mark_deg: float
    """Half the arc a mark takes, labels kept clear of it included."""


@dataclass
class WheelLayout:
    """The measurements behind one wheel: its rings and every text it fitted."""

    rings: list[RingLayout]
    labels: list[Label]
    centre: tuple[float, float, float]
    """(x, y, radius) of the white centre that holds the title."""
    title: str
    width: float
    height: float


# -- rings ------------------------------------------------------------------------------------


@dataclass
class _Ring:
    key: tuple[str, ...]
    name: str
    sessions: list[Session] = field(default_factory=list)
    colour: str = "#E69F00"
    pattern: str = "solid"
    r_lo: float = 0.0
    r_hi: float = 0.0
    index: int = 0

    @property
    def r_mid(self) -> float:
        return (self.r_lo + self.r_hi) / 2

    @property
    def kinds(self) -> list[str]:
        return sorted({s.kind for s in self.sessions}, key=KINDS.index)

    @property
    def fill(self) -> tuple[str, str]:
        """(fill, fill-opacity) of the ring's band and its legend swatch."""
        if self.pattern == "solid":
            return self.colour, "0.14"
        return f"url(#wheel-fill-{self.index})", "1"


def _rings(plan: Plan) -> list[_Ring]:
    """Rings from the outside in: learning and network meetings (the year's fixed beat, and
    the most sessions, so they get the longest circle), hybrids, then one ring per host and
    theme, hosts in scenario order and themes by their first dialog."""
    cat = _cat(plan)
    several_hosts = len({s.host for s in plan.sessions}) > 1
    by_key: dict[tuple[str, ...], _Ring] = {}
    for s in sorted(plan.sessions, key=lambda s: (s.date, s.start, s.id)):
        if s.kind in ("learning", "network"):
            key: tuple[str, ...] = ("0", "frame")
            name = _t(cat, "frame")
        elif s.kind == "hybrid":
            key, name = ("1", "hybrid"), _t(cat, "hybrid")
        else:
            key = ("2", s.host, s.theme or s.title)
            name = _t(cat, "host_theme", host=s.host_name, title=s.title) if several_hosts else s.title
        ring = by_key.setdefault(key, _Ring(key=key, name=one_line(name)))
        ring.sessions.append(s)
    frame = by_key.get(("0", "frame"))
    if frame is not None:
        kinds = frame.kinds
        if kinds == ["learning"]:
            frame.name = _t(cat, "frame_learning")
        elif kinds == ["network"]:
            frame.name = _t(cat, "frame_network")
    host_rank = {h: i for i, h in enumerate(plan.hosts)}

    def order(r: _Ring) -> tuple[object, ...]:
        if r.key[0] != "2":
            return (r.key[0],)
        return (
            "2",
            host_rank.get(r.key[1], len(host_rank)),
            r.key[1],
            r.sessions[0].date,
            r.key[2],
        )

    rings = sorted(by_key.values(), key=order)
    for i, ring in enumerate(rings):
        ring.index = i
        ring.colour, ring.pattern = style_of(i)
    if rings:
        width = min(RING_MAX_W, (RINGS_OUT - RINGS_MIN_IN) / len(rings))
        for i, ring in enumerate(rings):
            ring.r_hi = RINGS_OUT - i * width
            ring.r_lo = ring.r_hi - width
    return rings


def _pattern_def(ring: _Ring) -> str:
    """The ring's fill when it has a pattern: its tint with dots, rings or crosses on top."""
    c = ring.colour
    tint = el("rect", width=8, height=8, fill=c, fill_opacity="0.14")
    ink = f'fill="none" stroke="{c}" stroke-width="1.1" stroke-opacity="0.85"'
    if ring.pattern == "dots":
        motif = f'<circle cx="4" cy="4" r="1.5" fill="{c}" fill-opacity="0.75"/>'
    elif ring.pattern == "rings":
        motif = f'<circle cx="4" cy="4" r="2.2" {ink}/>'
    else:  # crosses
        motif = f'<path d="M4,1.6V6.4M1.6,4H6.4" {ink}/>'
    return el(
        "pattern",
        tint + motif,
        id=f"wheel-fill-{ring.index}",
        width=8,
        height=8,
        patternUnits="userSpaceOnUse",
        data_pattern=ring.pattern,
    )


def marker(kind: str, x: float, y: float, s: float, fill: str) -> str:
    """A session mark whose *shape* tells its kind, so colour is never the only cue."""
    stroke = f' fill="{fill}" stroke="{INK}" stroke-width="1.2"'
    if kind == "hybrid":
        k = s * 1.3
        pts = [(x, y - k), (x + k, y), (x, y + k), (x - k, y)]
    elif kind == "learning":
        k = s * 0.9
        pts = [(x - k, y - k), (x + k, y - k), (x + k, y + k), (x - k, y + k)]
    elif kind == "network":
        k = s * 1.25
        pts = [(x, y - k), (x + k * 0.95, y + k * 0.7), (x - k * 0.95, y + k * 0.7)]
    else:
        return f'<circle cx="{fmt_num(x)}" cy="{fmt_num(y)}" r="{fmt_num(s)}"{stroke}/>'
    return f'<polygon points="{" ".join(f"{fmt_num(a)},{fmt_num(b)}" for a, b in pts)}"{stroke}/>'


def _words_shorter(text: str) -> list[str]:
    """``text`` with fewer and fewer of its last words, each ending in an ellipsis."""
    words = one_line(text).split(" ")
    return [" ".join(words[:n]).rstrip(",;:–—-·") + "…" for n in range(len(words) - 1, 0, -1)]


def session_labels(s: Session, cat: Catalogue | None = None) -> list[str]:
    """What a session's label may say, most to least: the label is the first that fits.
    ``cat``: the words of the plan's language (Swedish when not given)."""
    cat = cat or catalogue()
    when = day_text(cat, s.date, year=False)
    if s.kind == "dialog":
        n = len(s.presentations)
        full = cat.ngettext("{n} presentation", "{n} presentations", n).format(n=n)
        whats = [full, _t(cat, "presentations_short", n=n)]
    else:
        whats = [one_line(s.title), *_words_shorter(s.title)]
    return [*(_t(cat, "label", when=when, what=w) for w in whats), when]


def session_tooltip(plan: Plan, s: Session) -> str:
    """The full story of one session, for ``<title>`` (browsers show it on hover)."""
    cat = _cat(plan)
    lines = [
        one_line(s.title),
        _t(cat, "tip_kind", kind=kind_name(cat, s.kind), host=s.host_name),
        _t(
            cat,
            "tip_when",
            day=day_text(cat, s.date, weekday=True),
            start=clock(s.start, plan.timezone),
            end=clock(s.end, plan.timezone),
        ),
    ]
    if s.presentations:
        lines.append(_t(cat, "tip_presenters", names=", ".join(one_line(p.name) for p in s.presentations)))
    if s.invited:
        n = len(s.invited)
        lines.append(cat.ngettext("Invited: {n} region", "Invited: {n} regions", n).format(n=n))
    return "\n".join(lines)


def _near(a: float, lo: float, hi: float, margin: float) -> bool:
    """Angle ``a`` lies within ``margin`` degrees of the arc [lo, hi] (any turn of the circle)."""
    return any(lo - margin <= a + k <= hi + margin for k in (-360.0, 0.0, 360.0))


# -- the whole picture ------------------------------------------------------------------------


def _months(plan: Plan) -> list[tuple[dt.date, dt.date]]:
    """(first day, last day) of each month of the period, clipped to the period."""
    out = []
    day = plan.period_start
    while day <= plan.period_end:
        nxt = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
        out.append((day, min(nxt - dt.timedelta(days=1), plan.period_end)))
        day = nxt
    return out


def _line(r0: float, r1: float, deg: float, attrs: str) -> str:
    x0, y0 = _pt(r0, deg)
    x1, y1 = _pt(r1, deg)
    return (
        f'<line x1="{fmt_num(x0)}" y1="{fmt_num(y0)}" x2="{fmt_num(x1)}" y2="{fmt_num(y1)}" ' + f"{attrs}/>"
    )


def _closure_when(cat: Catalogue, c: Closure, *, year: bool = True) -> str:
    """``6 jan 2027``, ``1–3 jan 2027`` within a month, else ``5 jul – 15 aug 2027``."""
    if c.start == c.end:
        return day_text(cat, c.start, year=year)
    if (c.start.year, c.start.month) == (c.end.year, c.end.month):
        month = month_abbreviations(cat)[c.start.month - 1]
        # TRANSLATORS: days of one month: "1–3 jan 2027"
        days = (
            cat.gettext("{month} {first}–{last}, {year}") if year else cat.gettext("{month} {first}–{last}")
        )
        return days.format(month=month, first=c.start.day, last=c.end.day, year=c.end.year)
    return _t(cat, "span", start=day_text(cat, c.start, year=year), end=day_text(cat, c.end, year=year))


def _closure_tooltip(cat: Catalogue, c: Closure) -> str:
    kind = _t(cat, "blackout" if c.kind == "blackout" else "holiday")
    return _t(cat, "closure_tip", name=one_line(c.name), when=_closure_when(cat, c), kind=kind)


def _period_text(plan: Plan) -> str:
    cat = _cat(plan)
    a, b = plan.period_start, plan.period_end
    if a == dt.date(a.year, 1, 1) and b == dt.date(a.year, 12, 31):
        return str(a.year)
    return _t(cat, "span", start=day_text(cat, a), end=day_text(cat, b))


def _chord(r: float, y0: float, y1: float) -> float:
    """Width of the centre circle (radius ``r``) across the whole band y0..y1."""
    dy = max(abs(y0 - CY), abs(y1 - CY))
    return 2 * math.sqrt(r * r - dy * dy) if dy < r else 0.0


LINE_H = 1.25
"""Line height of the centre's rows, in em."""


class _Wheel:
    """Draws one wheel and keeps the measurements of every text it fits."""

    def __init__(self, plan: Plan, today: dt.date | None, heading: str) -> None:
        self.plan = plan
        self.today = today
        self.heading = heading
        self.cat = _cat(plan)
        self.tracks = _Tracks("wheel-track")
        self.labels: list[Label] = []
        self.rings = _rings(plan)
        self.r_in = self.rings[-1].r_lo if self.rings else RINGS_OUT
        self.ring_layouts: list[RingLayout] = []

    # -- one ring ---------------------------------------------------------------------------

    def ring(self, ring: _Ring) -> tuple[list[str], list[str]]:
        """The ring's band, name and sessions; returns (background parts, foreground parts)."""
        plan, tracks, index = self.plan, self.tracks, ring.index
        width = ring.r_hi - ring.r_lo
        size = max(9.5, min(13.5, width * 0.40))
        mark = max(4.0, min(7.0, width * 0.17))
        r_mid = ring.r_mid
        mark_deg = _deg(mark + 3, r_mid)
        fill, opacity = ring.fill
        back = [
            el(
                "path",
                d=_sector(ring.r_lo, ring.r_hi, 0, 360),
                fill=fill,
                fill_opacity=opacity,
                stroke="#b5b5b5",
                stroke_width="0.8",
                class_="ring",
                data_ring=index,
                data_colour=ring.colour,
                data_pattern=ring.pattern,
            )
        ]
        angles = [angle_of(plan, s.date) for s in ring.sessions]
        self.ring_layouts.append(
            RingLayout(ring.name, ring.colour, ring.pattern, ring.r_lo, ring.r_hi, tuple(angles), mark_deg)
        )
        n = len(angles)
        # two sessions closer than a mark apart take turns on an inner and an outer lane
        lanes = [0] * n
        for i in range(1, n):
            if (angles[i] - angles[i - 1]) < 2.2 * mark_deg and lanes[i - 1] == 0:
                lanes[i] = 1
        lane_r = [r_mid + (width * 0.22 if lane else 0.0) for lane in lanes]
        label_r = [r - 0.35 * size for r in lane_r]  # the shorter of the lane's two tracks
        choices = [session_labels(s, self.cat) for s in ring.sessions]
        name_size = size + 0.5
        name_r = r_mid - 0.35 * name_size
        pad = _deg(1.5 * name_size, name_r)
        name_deg = _deg(text_px(ring.name, name_size, bold=True), name_r)

        def fit_labels(reserved: float | None) -> list[tuple[str, float]]:
            """(label, room in degrees) of each session: its label ends before the next mark
            clockwise and before a reserved arc starting at ``reserved`` degrees."""
            out = []
            for i, a in enumerate(angles):
                room = _deg(LABEL_MAX_PX, label_r[i])
                for j, b in enumerate(angles):
                    if j != i:
                        ahead = (b - a) % 360 or (360.0 if j < i else 0.0)
                        room = min(room, ahead - 2 * mark_deg)
                if reserved is not None:
                    room = min(room, (reserved - a) % 360 - mark_deg)
                room = max(0.0, room)
                fits = [c for c in choices[i] if text_px(c, size) <= _px(room, label_r[i])]
                out.append((fits[0] if fits else "", room))
            return out

        def lost(labels: list[tuple[str, float]]) -> int:
            return sum(len(c[0]) - len(t) for c, (t, _) in zip(choices, labels, strict=True))

        def free(lo: float, hi: float) -> bool:
            return not any(_near(a, lo, hi, mark_deg) for a in angles)

        # the ring's name goes beside the top, where the period starts, so the names line up
        # like row headers; else in the gap between marks that costs the labels least
        marks = sorted(a % 360 for a in angles)
        gaps = [
            (a + mark_deg + pad, (marks[k + 1] if k + 1 < n else marks[0] + 360) - mark_deg - pad)
            for k, a in enumerate(marks)
        ]
        spines = [(pad, pad + name_deg), (360 - pad - name_deg, 360 - pad)]
        name, arc, on_spine = ring.name, None, True
        options = [(lo, hi) for lo, hi in spines if ring.name and free(lo, hi)]
        if not options:
            on_spine = False
            options = [(hi - name_deg, hi) for lo, hi in gaps if ring.name and hi - lo >= name_deg]
        if options:

            def cost(o: tuple[float, float]) -> tuple[int, float]:
                mid = (o[0] + o[1]) / 2 % 360
                return lost(fit_labels(o[0] - pad)), min(mid, 360 - mid)

            arc = min(options, key=cost)
        elif gaps:  # the whole name fits nowhere: fewer words in the widest gap
            lo, hi = max(gaps, key=lambda g: g[1] - g[0])
            name = shorten_px(ring.name, name_size, _px(hi - lo, name_r), bold=True)
            if name:
                arc = (hi - _deg(text_px(name, name_size, bold=True), name_r), hi)
        labels = fit_labels(None if arc is None else arc[0] - pad)
        marks_out: list[str] = []
        for i, (s, a, (label, room)) in enumerate(zip(ring.sessions, angles, labels, strict=True)):
            lane = lane_r[i]
            x, y = _pt(lane, a)
            parts = [
                f"<g id={quoteattr('session-' + s.id)} class={quoteattr('session kind-' + s.kind)} "
                f'data-angle="{a:.4f}" data-date="{s.date.isoformat()}" data-ring="{index}">',
                f"<title>{escape(session_tooltip(plan, s))}</title>",
                marker(s.kind, x, y, mark, ring.colour),
            ]
            if label:
                room_px = _px(room, label_r[i])
                span = _deg(text_px(label, size), label_r[i])
                attrs = f' fill="{INK}"{HALO} class="label"{_room_attr(room_px)}'
                parts.append(tracks.clockwise_from(lane, a + mark_deg, span, label, size, attrs))
                self.labels.append(
                    Label(
                        "session",
                        label,
                        choices[i][0],
                        size,
                        False,
                        room_px,
                        ring=index,
                        arc=(a + mark_deg, a + mark_deg + room),
                        radius=label_r[i],
                    )
                )
            parts.append("</g>")
            marks_out.append("".join(parts))
        front = marks_out
        if arc is not None and name:
            room_px = _px(arc[1] - arc[0], name_r)
            attrs = f' font-weight="700" fill="#333333"{HALO} class="ring-name"{_room_attr(room_px)}'
            mid = (arc[0] + arc[1]) / 2
            tip = ring.name if name != ring.name else None
            front = [
                tracks.text_at(
                    r_mid, mid, name, name_size, attrs=attrs, direction=True if on_spine else None, tip=tip
                ),
                *marks_out,
            ]
            self.labels.append(
                Label("ring", name, ring.name, name_size, True, room_px, ring=index, arc=arc, radius=name_r)
            )
        return back, front

    # -- bands --------------------------------------------------------------------------------

    def month_band(self) -> list[str]:
        plan, parts = self.plan, []
        lo, hi = MONTH_BAND
        size = 17.0
        r_text = (lo + hi) / 2 - 0.35 * size
        years = plan.period_start.year != plan.period_end.year
        for i, (first, last) in enumerate(_months(plan)):
            a0, a1 = angle_of(plan, first), angle_of(plan, last + dt.timedelta(days=1))
            name = month_names(self.cat)[first.month - 1]
            full = (
                _t(self.cat, "month_year", month=name, year=first.year)
                if years and (i == 0 or first.month == 1)
                else name
            )
            parts.append(
                el(
                    "path",
                    f"<title>{escape(full)}</title>",
                    class_="month",
                    d=_sector(lo, hi, a0, a1),
                    fill="#ececec" if i % 2 else "#dcdcdc",
                    stroke="#8a8a8a",
                    stroke_width=1,
                    data_month=f"{first:%Y-%m}",
                    data_start_deg=f"{a0:.4f}",
                    data_end_deg=f"{a1:.4f}",
                )
            )
            margin = (a1 - a0) * 0.04
            arc = (a0 + margin, a1 - margin)
            room = _px(arc[1] - arc[0], r_text)
            fits = [
                t
                for t in (full, name, month_abbreviations(self.cat)[first.month - 1])
                if text_px(t, size, bold=True) <= room
            ]
            if fits:
                attrs = f' font-weight="600" fill="{INK}" class="month-name"{_room_attr(room)}'
                parts.append(self.tracks.text_at((lo + hi) / 2, (a0 + a1) / 2, fits[0], size, attrs=attrs))
                self.labels.append(Label("month", fits[0], full, size, True, room, arc=arc, radius=r_text))
            # month boundary through all rings, so a mark can be read against its month
            parts.append(_line(self.r_in, lo, a0, 'stroke="#8a8a8a" stroke-width="1"'))
        return parts

    def week_band(self) -> list[str]:
        """ISO week ticks at each Monday, odd weeks numbered at mid-week (sportlov is "v7–10")."""
        plan = self.plan
        lo, hi = WEEK_BAND
        parts = [f'<path d="{_sector(lo, hi, 0, 360)}" fill="#ffffff" stroke="#8a8a8a" stroke-width="1"/>']
        total = period_days(plan)
        monday = plan.period_start - dt.timedelta(days=plan.period_start.weekday())
        while monday <= plan.period_end:
            a = angle_of(plan, monday)
            if a >= 0:
                parts.append(_line(hi - 9, hi, a, 'stroke="#555555" stroke-width="1"'))
            week = monday.isocalendar().week
            mid = a + 3.5 / total * 360
            if 0 <= mid < 360 and week % 2 == 1:
                x, y = _pt(lo + 10, mid)
                rot = mid if _upright_top(mid) else mid + 180
                turn = f"rotate({fmt_num(rot)} {fmt_num(x)} {fmt_num(y)})"
                parts.append(
                    el(
                        "text",
                        _t(self.cat, "week", week=week),
                        x=x,
                        y=y,
                        dy="0.35em",
                        font_size=11,
                        fill="#444444",
                        text_anchor="middle",
                        transform=turn,
                    )
                )
            monday += dt.timedelta(days=7)
        return parts

    def closures(self) -> list[str]:
        """Blackouts hatched across the rings and named in their band where the whole name
        fits (the legend lists them all); holidays as thin slices."""
        plan, r_in = self.plan, self.r_in
        lo, hi = CLOSURE_BAND
        size = 10.0
        r_text = (lo + hi) / 2 - 0.35 * size
        parts = [f'<path d="{_sector(lo, hi, 0, 360)}" fill="#f7f7f7" stroke="#b5b5b5" stroke-width="0.8"/>']
        order = sorted(plan.closures, key=lambda c: (c.kind != "holiday", c.start, c.end, c.name))
        for c in order:
            start, end = max(c.start, plan.period_start), min(c.end, plan.period_end)
            if start > end:
                continue
            a0, a1 = angle_of(plan, start), angle_of(plan, end + dt.timedelta(days=1))
            tip = f"<title>{escape(_closure_tooltip(self.cat, c))}</title>"
            if c.kind == "blackout":
                parts.append(
                    f'<g class="closure blackout">{tip}'
                    f'<path d="{_sector(r_in, RINGS_OUT, a0, a1)}" fill="url(#wheel-hatch)"/>'
                    f'<path d="{_sector(lo, hi, a0, a1)}" fill="#4d4d4d"/>'
                )
                margin = min(_deg(4, r_text), (a1 - a0) / 4)
                arc = (a0 + margin, a1 - margin)
                room = _px(arc[1] - arc[0], r_text)
                name = one_line(c.name)
                if text_px(name, size) <= room:
                    attrs = f' fill="#ffffff" class="closure-name"{_room_attr(room)}'
                    parts.append(self.tracks.text_at((lo + hi) / 2, (a0 + a1) / 2, name, size, attrs=attrs))
                    self.labels.append(
                        Label("closure", name, name, size, False, room, arc=arc, radius=r_text)
                    )
                parts.append("</g>")
            else:
                parts.append(
                    f'<g class="closure holiday">{tip}'
                    f'<path d="{_sector(r_in, RINGS_OUT, a0, a1)}" fill="#8c8c8c" fill-opacity="0.28"/>'
                    f'<path d="{_sector(lo, hi, a0, a1)}" fill="#8c8c8c"/></g>'
                )
        return parts

    # -- the centre ---------------------------------------------------------------------------

    def centre(self) -> list[str]:
        """The title, wrapped onto as many lines as it needs at the largest size that fits
        the circle, then the period and the number of meetings."""
        plan, title = self.plan, self.heading
        r = self.r_in - 4
        r_text = r - TITLE_MARGIN
        n = len(plan.sessions)
        count = (
            self.cat.ngettext("{n} meeting", "{n} meetings", n).format(n=n)
            if plan.found
            else _t(self.cat, "no_plan")
        )
        after: list[tuple[str, float, bool]] = []
        if _period_text(plan) not in title:
            after.append((_period_text(plan), 17.0, False))
        after.append((count, 14.0, False))
        placed = self._title_rows(title, after, r_text)
        parts = [f'<circle cx="{fmt_num(CX)}" cy="{fmt_num(CY)}" r="{fmt_num(r)}" fill="#ffffff"/>']
        for text, size, bold, (y0, y1), room, full in placed:
            weight = "700" if bold else "400"
            tip = f"<title>{escape(full)}</title>" if full != text else ""
            parts.append(
                f'<text x="{fmt_num(CX)}" y="{fmt_num(y1 - size * 0.3)}" font-size="{fmt_num(size)}" '
                f'font-weight="{weight}" fill="{INK}" text-anchor="middle" class="title"'
                f"{_room_attr(room)}>{tip}{escape(text)}</text>"
            )
            box = (CX - room / 2, y0, CX + room / 2, y1)
            self.labels.append(Label("title", text, full, size, bold, room, box=box))
        return parts

    @staticmethod
    def _title_rows(
        title: str, after: list[tuple[str, float, bool]], r: float
    ) -> list[tuple[str, float, bool, tuple[float, float], float, str]]:
        """(text, size, bold, (y0, y1), room, full) of each centre row, vertically centred."""

        def boxes(sizes: list[float]) -> list[tuple[float, float]]:
            y = CY - sum(s * LINE_H for s in sizes) / 2
            out = []
            for s in sizes:
                out.append((y, y + s * LINE_H))
                y += s * LINE_H
            return out

        words = len(one_line(title).split(" "))
        for size in (22.0, 20.0, 18.0, 16.0, 15.0, 14.0, 13.0, 12.0, 11.0, 10.0):
            for lines in range(1, min(words, 6) + 1):
                sizes = [size] * lines + [s for _, s, _ in after]
                rows = boxes(sizes)
                rooms = [_chord(r, y0, y1) for y0, y1 in rows]
                wrapped = wrap_px(title, size, rooms[:lines], bold=True)
                if wrapped is None:
                    continue
                rest = list(zip(after, rows[lines:], rooms[lines:], strict=True))
                if all(text_px(t, s, bold=b) <= room for (t, s, b), _, room in rest):
                    head = [
                        (t, size, True, box, room, t)
                        for t, box, room in zip(wrapped, rows, rooms, strict=False)
                    ]
                    return head + [(t, s, b, box, room, t) for (t, s, b), box, room in rest]
        # a word wider than the circle: cut it, the whole title stays in the tooltip
        sizes = [10.0] * 6 + [s for _, s, _ in after]
        rows = boxes(sizes)
        rooms = [_chord(r, y0, y1) for y0, y1 in rows]
        cut = shorten_px(title, 10.0, rooms[0], bold=True) or "…"
        out = [(cut, 10.0, True, rows[0], rooms[0], title)]
        return out + [
            (t, s, b, box, room, t) for (t, s, b), box, room in zip(after, rows[6:], rooms[6:], strict=True)
        ]

    def today_hand(self) -> list[str]:
        today, plan, r_in = self.today, self.plan, self.r_in
        if today is None or not plan.period_start <= today <= plan.period_end:
            return []
        a = angle_of(plan, today)
        colour = "#D55E00"
        parts = [
            f'<g class="today" data-angle="{a:.4f}" data-date="{today.isoformat()}">'
            f"<title>{escape(_t(self.cat, 'today_tip', day=day_text(self.cat, today)))}</title>",
            _line(r_in - 6, R_OUT + 4, a, f'stroke="{colour}" stroke-width="3.5" stroke-linecap="round"'),
        ]
        x, y = _pt(r_in - 6, a)
        parts.append(f'<circle cx="{fmt_num(x)}" cy="{fmt_num(y)}" r="5" fill="{colour}"/>')
        # the label hugs the outer edge just after the hand, so it never leaves the picture
        label = _t(self.cat, "today", day=day_text(self.cat, today, year=False))
        span = _deg(text_px(label, 14, bold=True), R_OUT + 11)
        parts.append(
            self.tracks.clockwise_from(
                R_OUT + 11, a + 0.8, span, label, 14, f' font-weight="700" fill="{colour}"{HALO}'
            )
        )
        parts.append("</g>")
        return parts

    # -- the legend ---------------------------------------------------------------------------

    def _legend_text(
        self, x: float, y: float, text: str, size: float, full: str, *, bold: bool = False, fill: str = INK
    ) -> str:
        """One measured line of legend text with its baseline at ``y``."""
        room = LEGEND_RIGHT - x
        box = (x, y - size, LEGEND_RIGHT, y + 0.3 * size)
        self.labels.append(Label("legend", text, full, size, bold, room, box=box))
        weight = ' font-weight="700"' if bold else ""
        return (
            f'<text x="{fmt_num(x)}" y="{fmt_num(y)}" font-size="{fmt_num(size)}"{weight} fill="{fill}"'
            f"{_room_attr(room)}>{escape(text)}</text>"
        )

    def _lines(self, text: str, size: float, room: float, most: int = 6) -> list[str]:
        """``text`` wrapped to ``room``; a word wider than the room is cut (tooltip: whole)."""
        lines = wrap_px(text, size, [room] * most)
        if lines is not None:
            return lines
        return [shorten_px(text, size, room) or "…"]

    def legend(self) -> tuple[list[str], float]:
        """The legend column, every line measured against it; returns its parts and the
        height the picture needs (more than :data:`VIEW_H` only for very many rings)."""
        rings, x = self.rings, LEGEND_X
        out = [
            '<g class="legend">',
            self._legend_text(x, 42.0, _t(self.cat, "legend"), 19, _t(self.cat, "legend"), bold=True),
        ]
        top = 72.0
        out.append(
            self._legend_text(
                x, top, _t(self.cat, "legend_rings"), 14, _t(self.cat, "legend_rings"), bold=True
            )
        )
        _, lower_h = self._legend_lower(0.0, dry=True)
        notes = [
            self._lines(_t(self.cat, k), 12.5, LEGEND_RIGHT - x) for k in ("note_direction", "note_weeks")
        ]
        notes_h = 18.0 * sum(len(n) for n in notes) + 22
        budget = VIEW_H - notes_h - lower_h - (top + 8)

        # a ring's count stays on the line of its name's last word (a no-break space)
        named = [f"{r.name}\u00a0{_t(self.cat, 'legend_count', n=len(r.sessions))}" for r in rings]

        def entries(size: float) -> tuple[list[list[str]], float, float, float]:
            sh = min(16.0, size * 1.15)
            sw = sh * 2.6  # room for the ring's mark and, beside it, its fill
            room = LEGEND_RIGHT - (x + sw + 9)
            texts = [self._lines(entry, size, room) for entry in named]
            gap = max(3.0, size * 0.45)
            need = sum(max(sh, len(t) * size * 1.2) + gap for t in texts)
            return texts, need, sh, sw

        for size in (14.0, 13.0, 12.0, 11.0, 10.0, 9.0):
            texts, need, sh, sw = entries(size)
            if need <= budget:
                break
        y = top + 8
        for ring, lines, entry in zip(rings, texts, named, strict=True):
            fill, opacity = ring.fill
            out.append(
                f'<g class="legend-ring" data-ring="{ring.index}" data-colour="{ring.colour}" '
                f'data-pattern="{ring.pattern}"><title>{escape(ring.name)}</title>'
                + el(
                    "rect",
                    x=x,
                    y=y + 2,
                    width=sw,
                    height=sh,
                    fill=fill,
                    fill_opacity=opacity,
                    stroke="#8a8a8a",
                    stroke_width="0.8",
                )
                + marker(ring.kinds[0], x + sh / 2 + 1, y + 2 + sh / 2, min(6.0, sh / 2.8), ring.colour)
            )
            for j, line in enumerate(lines):
                out.append(self._legend_text(x + sw + 9, y + (j + 0.85) * size * 1.2, line, size, entry))
            out.append("</g>")
            y += max(sh, len(lines) * size * 1.2) + max(3.0, size * 0.45)
        lower, lower_h = self._legend_lower(y, dry=False)
        y += lower_h
        height = max(float(VIEW_H), y + notes_h)
        ny = height - notes_h + 22
        for note in notes:
            for line in note:
                out.append(self._legend_text(x, ny, line, 12.5, " ".join(note), fill="#555555"))
                ny += 18
        out += lower
        out.append("</g>")
        return out, height

    def _legend_lower(self, y0: float, *, dry: bool) -> tuple[list[str], float]:
        """Kinds and calendar marks below the rings; returns (parts, height).  A dry run
        measures the height and records no labels."""
        plan, x = self.plan, LEGEND_X
        kept = len(self.labels)
        out: list[str] = []
        y = y0 + 22
        kinds = [k for k in KINDS if any(s.kind == k for s in plan.sessions)]
        if kinds:
            out.append(
                self._legend_text(
                    x, y, _t(self.cat, "legend_kinds"), 14, _t(self.cat, "legend_kinds"), bold=True
                )
            )
            y += 6
            for kind in kinds:
                lines = self._lines(kind_name(self.cat, kind), 14, LEGEND_RIGHT - (x + 30), 2)
                y += 22
                out.append(marker(kind, x + 11, y - 5, 6, "#ffffff"))
                for j, line in enumerate(lines):
                    out.append(self._legend_text(x + 30, y + j * 17, line, 14, kind_name(self.cat, kind)))
                y += 17 * (len(lines) - 1)
            y += 30
        kinds_closed = {c.kind for c in plan.closures}
        drawn_today = self.today is not None and plan.period_start <= self.today <= plan.period_end
        if kinds_closed or drawn_today:
            out.append(
                self._legend_text(
                    x, y, _t(self.cat, "legend_calendar"), 14, _t(self.cat, "legend_calendar"), bold=True
                )
            )
            y += 6
        if "blackout" in kinds_closed:
            y += 22
            out.append(
                el("rect", x=x, y=y - 13, width=22, height=16, fill="url(#wheel-hatch)", stroke="#4d4d4d")
            )
            out.append(
                self._legend_text(
                    x + 30, y, _t(self.cat, "legend_blackout"), 14, _t(self.cat, "legend_blackout")
                )
            )
            one_year = plan.period_start.year == plan.period_end.year
            by_name: dict[str, list[str]] = {}
            for c in sorted(plan.closures, key=lambda c: (c.start, c.end, c.name)):
                if c.kind == "blackout" and c.end >= plan.period_start and c.start <= plan.period_end:
                    by_name.setdefault(one_line(c.name), []).append(
                        _closure_when(self.cat, c, year=not one_year)
                    )
            for name, whens in by_name.items():
                item = _t(self.cat, "legend_blackout_item", name=name, when=", ".join(whens))
                for line in self._lines(item, 12.5, LEGEND_RIGHT - (x + 30)):
                    y += 16
                    out.append(self._legend_text(x + 30, y, line, 12.5, item))
        if "holiday" in kinds_closed:
            y += 22
            out.append(el("rect", x=x + 8, y=y - 13, width=5, height=16, fill="#8c8c8c"))
            out.append(
                self._legend_text(
                    x + 30, y, _t(self.cat, "legend_holiday"), 14, _t(self.cat, "legend_holiday")
                )
            )
        if drawn_today:
            y += 22
            out.append(
                el(
                    "line",
                    x1=x,
                    y1=y - 5,
                    x2=x + 22,
                    y2=y - 5,
                    stroke="#D55E00",
                    stroke_width="3.5",
                    stroke_linecap="round",
                )
            )
            for j, line in enumerate(
                self._lines(_t(self.cat, "legend_today"), 14, LEGEND_RIGHT - (x + 30), 2)
            ):
                out.append(self._legend_text(x + 30, y + j * 17, line, 14, _t(self.cat, "legend_today")))
                y += 17 if j else 0
        if dry:
            del self.labels[kept:]
        return out, y - y0 + 10

    # -- all of it ----------------------------------------------------------------------------

    def build(self) -> tuple[str, WheelLayout]:
        plan = self.plan
        background: list[str] = []
        foreground: list[str] = []
        for ring in self.rings:
            back, front = self.ring(ring)
            background += back
            foreground += front
        closures = self.closures()
        months = self.month_band()
        centre = self.centre()
        hand = self.today_hand()
        legend, height = self.legend()
        body = [
            f'<rect width="{VIEW_W}" height="{fmt_num(height, 0)}" fill="#ffffff"/>',
            '<g class="rings">',
            *background,
            "</g>",
            '<g class="closures">',
            *closures,
            "</g>",
            '<g class="months">',
            *months,
            "</g>",
            '<g class="weeks">',
            *self.week_band(),
            "</g>",
            '<g class="sessions">',
            *foreground,
            "</g>",
            *centre,
            *hand,
            *legend,
        ]
        hatch = el("rect", width=7, height=7, fill="#8c8c8c", fill_opacity="0.16") + el(
            "line", x1=0, y1=0, x2=0, y2=7, stroke="#5a5a5a", stroke_width="1.6", stroke_opacity="0.45"
        )
        defs = [
            el(
                "pattern",
                hatch,
                id="wheel-hatch",
                width=7,
                height=7,
                patternUnits="userSpaceOnUse",
                patternTransform="rotate(45)",
            ),
            *(_pattern_def(r) for r in self.rings if r.pattern != "solid"),
            *self.tracks.defs,
        ]
        doc_title = _t(self.cat, "doc_title", heading=self.heading, period=_period_text(plan))
        h = fmt_num(height, 0)
        head = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<svg xmlns="http://www.w3.org/2000/svg" class="arshjul-wheel" '
            f'width="{VIEW_W}" height="{h}" viewBox="0 0 {VIEW_W} {h}" '
            'role="img" aria-labelledby="wheel-title" '
            f'font-family="{FONT_STACK}" data-period-start="{plan.period_start.isoformat()}" '
            f'data-period-end="{plan.period_end.isoformat()}">\n'
            f'<title id="wheel-title">{escape(doc_title)}</title>\n'
        )
        svg = head + "<defs>" + "\n".join(defs) + "</defs>\n" + "\n".join(p for p in body if p) + "\n</svg>\n"
        layout = WheelLayout(
            rings=self.ring_layouts,
            labels=self.labels,
            centre=(CX, CY, self.r_in - 4),
            title=self.heading,
            width=float(VIEW_W),
            height=height,
        )
        return svg, layout


def _wheel(plan: Plan, today: dt.date | None, title: str | None) -> _Wheel:
    period_days(plan)  # raises on an upside-down period before anything is drawn
    heading = one_line(title if title is not None else plan.scenario_name) or plan.scenario_id
    return _Wheel(plan, today, heading)


def wheel_svg(plan: Plan, *, today: dt.date | None = None, title: str | None = None) -> str:
    """The period as a clockwise circle of months with one ring per theme, as an SVG document.

    ``today`` (a freeze date) draws a hand at that day; ``title`` replaces
    the scenario name in the centre.  Same plan and arguments give the same bytes.
    """
    return _wheel(plan, today, title).build()[0]


def wheel_layout(plan: Plan, *, today: dt.date | None = None, title: str | None = None) -> WheelLayout:
    """The measurements behind :func:`wheel_svg` with the same arguments: each ring's colour,
    pattern and radii, and every text it fitted with the room it was given."""
    return _wheel(plan, today, title).build()[1]


__all__ = [
    "TEXT",
    "Label",
    "RingLayout",
    "WheelLayout",
    "angle_of",
    "marker",
    "period_days",
    "session_labels",
    "session_tooltip",
    "wheel_layout",
    "wheel_svg",
]
