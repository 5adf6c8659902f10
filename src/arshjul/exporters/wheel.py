"""The annual wheel (*årshjul*): the planning period as a circle of months.

Swedish public-sector planners read a year as a clock face: the period starts at the top
and runs clockwise, months are sectors, and each theme has its own ring, so "the same area
in the same season every year" is visible at a glance.

The picture is hand-built SVG rather than drawn with a plotting library (building blocks in
:mod:`.svg`, Swedish labels in :mod:`.labels`): it stays small and crisp at any size (A4
print, projector), its bytes depend only on the plan (no timestamps, no random ids), and it
needs nothing beyond the standard library.  The PNG export is :func:`.png.wheel_png`.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from ..plan import Closure, Plan, Session
from .labels import KIND_SV, MONTHS_SV, MONTHS_SV_SHORT, clock, day_sv
from .svg import CHAR_EM, FONT_STACK, INK, OKABE_ITO, el, fmt_num, one_line, shorten, text_px

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
    ) -> str:
        """Text along the circle of radius ``r_mid``, vertically centred on it, upright.

        ``anchor`` is in reading order: ``start`` puts the text clockwise of ``deg`` on the
        top half and counter-clockwise on the bottom half, so callers that want the text
        clockwise of ``deg`` everywhere use :meth:`clockwise_from`.
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
        return f'<text font-size="{fmt_num(size)}"{attrs}>{path}</text>'

    def clockwise_from(
        self, r_mid: float, deg: float, span: float, text: str, size: float, attrs: str
    ) -> str:
        """Text occupying the arc from ``deg`` clockwise over ``span`` degrees, upright."""
        top = _upright_top(deg + span / 2)
        return self.text_at(
            r_mid, deg, text, size, anchor="start" if top else "end", attrs=attrs, direction=top
        )


HALO = ' stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke"'


# -- rings ------------------------------------------------------------------------------------


@dataclass
class _Ring:
    key: tuple[str, ...]
    name: str
    sessions: list[Session] = field(default_factory=list)
    colour: str = OKABE_ITO[0]
    r_lo: float = 0.0
    r_hi: float = 0.0

    @property
    def r_mid(self) -> float:
        return (self.r_lo + self.r_hi) / 2

    @property
    def kinds(self) -> list[str]:
        return sorted({s.kind for s in self.sessions}, key=list(KIND_SV).index)


def _rings(plan: Plan) -> list[_Ring]:
    """Rings from the outside in: learning and network meetings (the year's fixed beat, and
    the most sessions, so they get the longest circle), hybrids, then one ring per host and
    theme, hosts in scenario order and themes by their first dialog."""
    several_hosts = len({s.host for s in plan.sessions}) > 1
    by_key: dict[tuple[str, ...], _Ring] = {}
    for s in sorted(plan.sessions, key=lambda s: (s.date, s.start, s.id)):
        if s.kind in ("learning", "network"):
            key: tuple[str, ...] = ("0", "frame")
            name = "Lärmöte och nätverksmöten"
        elif s.kind == "hybrid":
            key, name = ("1", "hybrid"), "Hybridmöten"
        else:
            key = ("2", s.host, s.theme or s.title)
            name = f"{s.host_name}: {s.title}" if several_hosts else s.title
        ring = by_key.setdefault(key, _Ring(key=key, name=one_line(name)))
        ring.sessions.append(s)
    frame = by_key.get(("0", "frame"))
    if frame is not None:
        kinds = frame.kinds
        if kinds == ["learning"]:
            frame.name = "Lärmöte"
        elif kinds == ["network"]:
            frame.name = "Nätverksmöten (RND)"
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
        ring.colour = OKABE_ITO[i % len(OKABE_ITO)]
    if rings:
        width = min(RING_MAX_W, (RINGS_OUT - RINGS_MIN_IN) / len(rings))
        for i, ring in enumerate(rings):
            ring.r_hi = RINGS_OUT - i * width
            ring.r_lo = ring.r_hi - width
    return rings


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


def _session_label(s: Session) -> str:
    when = day_sv(s.date, year=False)
    if s.kind == "dialog":
        n = len(s.presentations)
        what = f"{n} presentation" + ("" if n == 1 else "er")
    else:
        what = one_line(s.title)
    return f"{when} · {what}"


def session_tooltip(plan: Plan, s: Session) -> str:
    """The full story of one session, for ``<title>`` (browsers show it on hover)."""
    lines = [
        one_line(s.title),
        f"{KIND_SV.get(s.kind, s.kind)} · {s.host_name}",
        f"{day_sv(s.date, weekday=True)} {clock(s.start, plan.timezone)}–{clock(s.end, plan.timezone)}",
    ]
    if s.presentations:
        lines.append("Presenterar: " + ", ".join(one_line(p.name) for p in s.presentations))
    if s.invited:
        lines.append(f"Inbjudna: {len(s.invited)} regioner")
    return "\n".join(lines)


def _draw_ring(plan: Plan, ring: _Ring, index: int, tracks: _Tracks) -> tuple[list[str], list[str]]:
    """The ring's band, name and sessions; returns (background parts, foreground parts)."""
    width = ring.r_hi - ring.r_lo
    size = max(9.5, min(13.5, width * 0.40))
    mark = max(4.0, min(7.0, width * 0.17))
    r_mid = ring.r_mid
    deg_per_px = 360.0 / (2 * math.pi * r_mid)
    mark_deg = (mark + 3) * deg_per_px
    band = _sector(ring.r_lo, ring.r_hi, 0, 360)
    back = [
        el(
            "path",
            d=band,
            fill=ring.colour,
            fill_opacity="0.13",
            stroke="#b5b5b5",
            stroke_width="0.8",
            class_="ring",
            data_ring=index,
        )
    ]
    angles = [angle_of(plan, s.date) for s in ring.sessions]
    n = len(angles)
    # two sessions closer than a mark apart take turns on an inner and an outer lane
    lanes = [0] * n
    for i in range(1, n):
        if (angles[i] - angles[i - 1]) < 2.2 * mark_deg and lanes[i - 1] == 0:
            lanes[i] = 1
    max_label_deg = min(60.0, 240 * deg_per_px)
    name_size = size + 0.5
    pad = 1.5 * deg_per_px * name_size
    name = shorten(ring.name, int(70.0 / deg_per_px / (name_size * CHAR_EM)))
    name_deg = text_px(name, name_size) * deg_per_px

    def fit_labels(reserved: float | None) -> list[str]:
        """Each session's label, cut to end before the next mark (clockwise) and before a
        reserved arc starting at ``reserved`` degrees."""
        out = []
        for i, (s, a) in enumerate(zip(ring.sessions, angles, strict=True)):
            room = max_label_deg
            for j, b in enumerate(angles):
                if j != i:
                    ahead = (b - a) % 360 or (360.0 if j < i else 0.0)
                    room = min(room, ahead - 2 * mark_deg)
            if reserved is not None:
                room = min(room, (reserved - a) % 360 - mark_deg)
            full = _session_label(s)
            chars = int(room / deg_per_px / (size * CHAR_EM))
            out.append(full if chars >= len(full) else (shorten(full, chars) if chars >= 7 else ""))
        return out

    def free(lo: float, hi: float) -> bool:
        return not any(lo - mark_deg <= a + k <= hi + mark_deg for a in angles for k in (-360, 0, 360))

    # the ring's name goes beside the top, where the period starts, so the names line up
    # like row headers; session labels give way to it unless a mark sits there
    spines = [
        (360 - 2 * pad - name_deg, 360.0, 360 - pad, "end"),
        (0.0, 2 * pad + name_deg, pad, "start"),
    ]
    options = [(spine, fit_labels(spine[0])) for spine in spines if name and free(spine[0], spine[1])]
    labels = fit_labels(None)
    spine_at: tuple[float, str] | None = None
    if options:
        lost = [
            sum(len(_session_label(s)) - len(t) for s, t in zip(ring.sessions, ls, strict=True))
            for _, ls in options
        ]
        (spine, labels) = options[lost.index(min(lost))]
        spine_at = (spine[2], spine[3])
    occupied: list[tuple[float, float]] = []
    marks: list[str] = []
    for i, (s, a, label) in enumerate(zip(ring.sessions, angles, labels, strict=True)):
        span = text_px(label, size) * deg_per_px
        occupied.append((a - mark_deg, a + mark_deg + span))
        lane = r_mid + (width * 0.22 if lanes[i] else 0.0)
        x, y = _pt(lane, a)
        parts = [
            f"<g id={quoteattr('session-' + s.id)} class={quoteattr('session kind-' + s.kind)} "
            f'data-angle="{a:.4f}" data-date="{s.date.isoformat()}" data-ring="{index}">',
            f"<title>{escape(session_tooltip(plan, s))}</title>",
            marker(s.kind, x, y, mark, ring.colour),
        ]
        if label:
            parts.append(tracks.clockwise_from(lane, a + mark_deg, span, label, size, f' fill="{INK}"{HALO}'))
        parts.append("</g>")
        marks.append("".join(parts))
    name_attrs = f' font-weight="700" fill="#333333"{HALO} class="ring-name"'
    title = ""
    if spine_at is not None:
        title = tracks.text_at(
            r_mid,
            spine_at[0],
            name,
            name_size,
            anchor=spine_at[1],
            attrs=name_attrs,
            direction=True,
        )
    else:  # marks on both sides of the top: the free gap nearest the top that holds the name
        full_deg = text_px(ring.name, name_size) * deg_per_px
        spans = sorted((a0 % 360, a0 % 360 + (a1 - a0)) for a0, a1 in occupied)
        gaps = []
        for j, (_, end) in enumerate(spans):
            nxt_start = spans[(j + 1) % len(spans)][0] + (360.0 if j + 1 >= len(spans) else 0.0)
            mid = (end + nxt_start) / 2
            gaps.append((nxt_start - end, mid, min(mid % 360, 360 - mid % 360)))
        fitting = [g for g in gaps if g[0] >= full_deg + 2 * pad]
        room, mid, _ = min(fitting, key=lambda g: (g[2], g[1])) if fitting else max(gaps)
        name = shorten(ring.name, int((min(room, 120.0) - 2 * pad) / deg_per_px / (name_size * CHAR_EM)))
        if name:
            title = tracks.text_at(r_mid, mid, name, name_size, attrs=name_attrs)
    return back, ([title] if title else []) + marks


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


def _month_band(plan: Plan, tracks: _Tracks, r_in: float) -> list[str]:
    parts: list[str] = []
    lo, hi = MONTH_BAND
    years = plan.period_start.year != plan.period_end.year
    months = _months(plan)
    for i, (first, last) in enumerate(months):
        a0, a1 = angle_of(plan, first), angle_of(plan, last + dt.timedelta(days=1))
        name = MONTHS_SV[first.month - 1]
        label = f"{name} {first.year}" if years and (i == 0 or first.month == 1) else name
        parts.append(
            el(
                "path",
                f"<title>{escape(label)}</title>",
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
        room = (a1 - a0) / 360 * 2 * math.pi * (lo + hi) / 2
        size = 17.0
        if text_px(label, size) > room * 0.92:
            label = MONTHS_SV_SHORT[first.month - 1]
        if text_px(label, size) <= room * 0.92:
            parts.append(
                tracks.text_at(
                    (lo + hi) / 2,
                    (a0 + a1) / 2,
                    label,
                    size,
                    attrs=f' font-weight="600" fill="{INK}"',
                )
            )
        # month boundary through all rings, so a mark can be read against its month
        parts.append(_line(r_in, lo, a0, 'stroke="#8a8a8a" stroke-width="1"'))
    return parts


def _line(r0: float, r1: float, deg: float, attrs: str) -> str:
    x0, y0 = _pt(r0, deg)
    x1, y1 = _pt(r1, deg)
    return (
        f'<line x1="{fmt_num(x0)}" y1="{fmt_num(y0)}" x2="{fmt_num(x1)}" y2="{fmt_num(y1)}" ' + f"{attrs}/>"
    )


def _week_band(plan: Plan) -> list[str]:
    """ISO week ticks at each Monday, odd weeks numbered at mid-week (sportlov is "v7–10")."""
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
                    f"v{week}",
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


def _closures(plan: Plan, tracks: _Tracks, r_in: float) -> list[str]:
    """Blackouts hatched across the rings and named in their band; holidays as thin slices."""
    lo, hi = CLOSURE_BAND
    parts = [f'<path d="{_sector(lo, hi, 0, 360)}" fill="#f7f7f7" stroke="#b5b5b5" stroke-width="0.8"/>']
    order = sorted(plan.closures, key=lambda c: (c.kind != "holiday", c.start, c.end, c.name))
    for c in order:
        start, end = max(c.start, plan.period_start), min(c.end, plan.period_end)
        if start > end:
            continue
        a0, a1 = angle_of(plan, start), angle_of(plan, end + dt.timedelta(days=1))
        tip = f"<title>{escape(_closure_tooltip(c))}</title>"
        if c.kind == "blackout":
            parts.append(
                f'<g class="closure blackout">{tip}'
                f'<path d="{_sector(r_in, RINGS_OUT, a0, a1)}" fill="url(#wheel-hatch)"/>'
                f'<path d="{_sector(lo, hi, a0, a1)}" fill="#4d4d4d"/>'
            )
            room = (a1 - a0) / 360 * 2 * math.pi * (lo + hi) / 2
            name = shorten(one_line(c.name), int(room / (10 * CHAR_EM)))
            if len(name) >= 3:
                parts.append(tracks.text_at((lo + hi) / 2, (a0 + a1) / 2, name, 10, attrs=' fill="#ffffff"'))
            parts.append("</g>")
        else:
            parts.append(
                f'<g class="closure holiday">{tip}'
                f'<path d="{_sector(r_in, RINGS_OUT, a0, a1)}" fill="#8c8c8c" fill-opacity="0.28"/>'
                f'<path d="{_sector(lo, hi, a0, a1)}" fill="#8c8c8c"/></g>'
            )
    return parts


def _closure_tooltip(c: Closure) -> str:
    kind = "uppehåll" if c.kind == "blackout" else "helgdag"
    when = day_sv(c.start) if c.start == c.end else f"{day_sv(c.start)} – {day_sv(c.end)}"
    return f"{one_line(c.name)}: {when} ({kind})"


def _wrap(text: str, chars: int, lines: int) -> list[str]:
    """Greedy word wrap into at most ``lines`` lines, the last one cut with an ellipsis."""
    out: list[str] = []
    words = one_line(text).split(" ")
    current = ""
    for w in words:
        candidate = f"{current} {w}".strip()
        if len(candidate) <= chars or not current:
            current = candidate
        else:
            out.append(current)
            current = w
    if current:
        out.append(current)
    if len(out) > lines:
        out = [*out[: lines - 1], shorten(" ".join(out[lines - 1 :]), chars)]
    return [shorten(line, chars) for line in out]


def _period_text(plan: Plan) -> str:
    a, b = plan.period_start, plan.period_end
    if a == dt.date(a.year, 1, 1) and b == dt.date(a.year, 12, 31):
        return str(a.year)
    return f"{day_sv(a)} – {day_sv(b)}"


def _centre(plan: Plan, title: str, r: float) -> list[str]:
    n = len(plan.sessions)
    parts = [f'<circle cx="{fmt_num(CX)}" cy="{fmt_num(CY)}" r="{fmt_num(r)}" fill="#ffffff"/>']
    # the largest size at which the whole title fits in three lines, else the smallest, cut
    for title_size in (22.0, 19.0, 16.0, 14.0):
        chars = max(6, int(1.7 * r / (title_size * CHAR_EM)))
        lines = _wrap(title, chars, 3)
        if " ".join(lines) == one_line(title):
            break
    rows: list[tuple[str, float, str]] = [(line, title_size, "700") for line in lines]
    if _period_text(plan) not in title:
        rows.append((_period_text(plan), 17.0, "400"))
    rows.append((f"{n} möte" + ("" if n == 1 else "n") if plan.found else "ingen plan", 14.0, "400"))
    height = sum(size * 1.25 for _, size, _ in rows)
    y = CY - height / 2
    for text, size, weight in rows:
        y += size * 1.25
        parts.append(
            f'<text x="{fmt_num(CX)}" y="{fmt_num(y - size * 0.3)}" font-size="{fmt_num(size)}" '
            f'font-weight="{weight}" fill="{INK}" text-anchor="middle">{escape(text)}</text>'
        )
    return parts


def _today(plan: Plan, today: dt.date, r_in: float, tracks: _Tracks) -> list[str]:
    if not plan.period_start <= today <= plan.period_end:
        return []
    a = angle_of(plan, today)
    colour = "#D55E00"
    parts = [
        f'<g class="today" data-angle="{a:.4f}" data-date="{today.isoformat()}">'
        f"<title>{escape(f'Idag: {day_sv(today)} (allt före är fryst)')}</title>",
        _line(r_in - 6, R_OUT + 4, a, f'stroke="{colour}" stroke-width="3.5" stroke-linecap="round"'),
    ]
    x, y = _pt(r_in - 6, a)
    parts.append(f'<circle cx="{fmt_num(x)}" cy="{fmt_num(y)}" r="5" fill="{colour}"/>')
    # the label hugs the outer edge just after the hand, so it never leaves the picture
    label = f"idag {day_sv(today, year=False)}"
    span = text_px(label, 14) * 360 / (2 * math.pi * (R_OUT + 11))
    parts.append(
        tracks.clockwise_from(
            R_OUT + 11, a + 0.8, span, label, 14, f' font-weight="700" fill="{colour}"{HALO}'
        )
    )
    parts.append("</g>")
    return parts


def _legend_head(x: float, y: float, text: str) -> str:
    return el("text", text, x=x, y=y, font_size=14, font_weight=700, fill="#333333")


def _legend(plan: Plan, rings: list[_Ring], today_drawn: bool) -> list[str]:
    x = LEGEND_X
    y = 42.0
    parts = [
        '<g class="legend">'
        + el("text", "Teckenförklaring", x=x, y=y, font_size=19, font_weight=700, fill=INK)
    ]
    y += 30
    parts.append(_legend_head(x, y, "Ringar, utifrån och in"))
    y += 8
    room = VIEW_H - y - 300
    two_lines = sum(2 if len(r.name) > 30 else 1 for r in rings) * 17 + len(rings) * 10 <= room
    step = 17.0 if two_lines else max(11.0, min(17.0, room / max(1, len(rings))))
    size = 14.0 if two_lines else max(9.0, step - 3)
    for i, ring in enumerate(rings):
        lines = _wrap(ring.name, 30, 2) if two_lines else [shorten(ring.name, 34)]
        top = y + 4
        parts.append(
            f'<g class="legend-ring" data-ring="{i}"><title>{escape(ring.name)}</title>'
            + el(
                "rect",
                x=x,
                y=top,
                width=step + 5,
                height=step - 1,
                fill=ring.colour,
                fill_opacity="0.35",
                stroke="#8a8a8a",
                stroke_width="0.8",
            )
            + marker(
                ring.kinds[0],
                x + (step + 5) / 2,
                top + (step - 1) / 2,
                min(6.0, step / 3),
                ring.colour,
            )
        )
        for j, line in enumerate(lines):
            extra = f" ({len(ring.sessions)})" if j == len(lines) - 1 else ""
            parts.append(
                f'<text x="{fmt_num(x + step + 14)}" y="{fmt_num(top + (j + 0.78) * step)}" '
                f'font-size="{fmt_num(size)}" fill="{INK}">{escape(line + extra)}</text>'
            )
        parts.append("</g>")
        y += len(lines) * step + (10 if two_lines else 3)
    y += 22
    kinds = [k for k in KIND_SV if any(s.kind == k for s in plan.sessions)]
    if kinds:
        parts.append(_legend_head(x, y, "Mötestyp"))
        y += 6
        for kind in kinds:
            y += 22
            parts.append(marker(kind, x + 11, y - 5, 6, "#ffffff"))
            parts.append(el("text", escape(KIND_SV[kind]), x=x + 30, y=y, font_size=14, fill=INK))
        y += 30
    kinds_closed = {c.kind for c in plan.closures}
    if kinds_closed or today_drawn:
        parts.append(_legend_head(x, y, "Kalender"))
        y += 6
    if "blackout" in kinds_closed:
        y += 22
        parts.append(
            el(
                "rect",
                x=x,
                y=y - 13,
                width=22,
                height=16,
                fill="url(#wheel-hatch)",
                stroke="#4d4d4d",
            )
            + el("text", "Uppehåll (inga möten)", x=x + 30, y=y, font_size=14, fill=INK)
        )
    if "holiday" in kinds_closed:
        y += 22
        parts.append(
            el("rect", x=x + 8, y=y - 13, width=5, height=16, fill="#8c8c8c")
            + el("text", "Helgdag", x=x + 30, y=y, font_size=14, fill=INK)
        )
    if today_drawn:
        y += 22
        parts.append(
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
            + el("text", "Idag; det som ligger före är fryst", x=x + 30, y=y, font_size=14, fill=INK)
        )
    y = VIEW_H - 40
    for note in (
        "Perioden börjar överst och går medurs.",
        "v = vecka enligt ISO 8601 (udda veckor).",
    ):
        parts.append(el("text", escape(note), x=x, y=y, font_size="12.5", fill="#555555"))
        y += 18
    parts.append("</g>")
    return parts


def wheel_svg(plan: Plan, *, today: dt.date | None = None, title: str | None = None) -> str:
    """The period as a clockwise circle of months with one ring per theme, as an SVG document.

    ``today`` (a freeze date) draws a hand at that day; ``title`` replaces
    the scenario name in the centre.  Same plan and arguments give the same bytes.
    """
    period_days(plan)  # raises on an upside-down period before anything is drawn
    rings = _rings(plan)
    r_in = rings[-1].r_lo if rings else RINGS_OUT
    tracks = _Tracks("wheel-track")
    heading = one_line(title if title is not None else plan.scenario_name) or plan.scenario_id
    background: list[str] = []
    foreground: list[str] = []
    for i, ring in enumerate(rings):
        back, front = _draw_ring(plan, ring, i, tracks)
        background += back
        foreground += front
    closures = _closures(plan, tracks, r_in)
    months = _month_band(plan, tracks, r_in)
    drawn_today = today is not None and plan.period_start <= today <= plan.period_end
    hand = _today(plan, today, r_in, tracks) if today is not None else []
    body = [
        f'<rect width="{VIEW_W}" height="{VIEW_H}" fill="#ffffff"/>',
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
        *_week_band(plan),
        "</g>",
        '<g class="sessions">',
        *foreground,
        "</g>",
        *_centre(plan, heading, r_in - 4),
        *hand,
        *_legend(plan, rings, drawn_today),
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
        *tracks.defs,
    ]
    doc_title = f"Årshjul: {heading} ({_period_text(plan)})"
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" class="arshjul-wheel" '
        f'width="{VIEW_W}" height="{VIEW_H}" viewBox="0 0 {VIEW_W} {VIEW_H}" '
        'role="img" aria-labelledby="wheel-title" '
        f'font-family="{FONT_STACK}" data-period-start="{plan.period_start.isoformat()}" '
        f'data-period-end="{plan.period_end.isoformat()}">\n'
        f'<title id="wheel-title">{escape(doc_title)}</title>\n'
    )
    return head + "<defs>" + "\n".join(defs) + "</defs>\n" + "\n".join(p for p in body if p) + "\n</svg>\n"
