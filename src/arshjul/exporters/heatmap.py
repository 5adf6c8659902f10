"""The load heat map: invitations per region and month, and who is close to the fatigue cap.

"How do we avoid choking you with invitations?" is the planners' first question, so this
picture answers it per region: one row per region, one cell per month (the numbers are
exactly :meth:`Plan.load`'s ``by_month``), the region's presentations, and its worst rolling
window against its own cap.  A cell or region at the cap gets a thick outline and a ▲, not
just a darker colour, so it survives greyscale print and colour-blind eyes.

Every word the heat map shows is in :data:`TEXT` (English msgids), said in the plan's
``language`` through the message catalogues (:mod:`arshjul.i18n`).
"""

from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape

from ..i18n import N_, Catalogue, catalogue
from ..plan import Plan, RegionLoad
from .labels import day_text, month_abbreviations, month_names
from .svg import FONT_STACK, INK, el, fmt_num, shorten_px, text_px

TEXT: dict[str, str] = {
    "title": N_("Invitations per region and month"),
    "doc_title": N_("Load per region: {name}"),
    # TRANSLATORS: the heat map's subtitle when no region has a cap
    "no_cap": N_("Cap: none given per {days} days"),
    "caps": N_("Cap: at most {cap} invitations per region and {days} days · {start} – {end}"),
    "month_year": N_("{month} {year}"),
    "region": N_("Region"),
    # TRANSLATORS: narrow column heads of the heat map (about 90 px)
    "col_invitations": N_("Invit."),
    "col_presentations": N_("Presenting"),
    "col_worst": N_("Worst window"),
    "cell_tip_presenting": N_(", {n} of them to present"),
    "cell_tip_at_cap": N_(" — part of a {days}-day window at the cap ({cap})"),
    # TRANSLATORS: under a cell's number: how many of its invitations are to present
    "cell_presentations": N_("{n} pres."),
    "region_tip": N_("{name} ({code})"),
    "of_cap": N_("{worst} of {cap}"),
    "over_cap": N_("{text} {mark} over"),
    "at_cap": N_("{text} {mark} at cap"),
    "window_tip": N_("Most invitations in {days} days: {worst}"),
    "window_tip_from": N_(" (from {day})"),
    "window_tip_cap": N_("; cap {cap}"),
    # TRANSLATORS: the colour scale reads "Fewer ▢▢▢▢ more invitations (0–8)"
    "fewer": N_("Fewer"),
    "more": N_("more invitations (0–{top})"),
    "note_cap": N_(
        "Thick frame and {mark}: the month has invitations in a {days}-day window that reaches "
        "the region's cap."
    ),
    "note_pres": N_("“pres.” = how many of them are presentations that month; the rest are to listen."),
    "note_pres_short": N_("“pres.” = of them presentations that month."),
}
"""Every word the heat map shows, by key: English msgids, translated into the plan's
``language`` where shown; ``{name}`` fields are filled with :meth:`str.format`.  (The cell's
tooltip is a plural: :func:`_cell_tip`.)"""


def _t(cat: Catalogue, key: str, **fields: object) -> str:
    text = cat.gettext(TEXT[key])
    return text.format(**fields) if fields else text


def _cell_tip(cat: Catalogue, name: str, month: str, year: str, n: int) -> str:
    return cat.ngettext(
        "{name}, {month} {year}: {n} invitation", "{name}, {month} {year}: {n} invitations", n
    ).format(name=name, month=month, year=year, n=n)


BLUES = ("#ffffff", "#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
"""A single-hue light-to-dark ramp: ordered by lightness alone, so it reads for every eye
and in greyscale.  Index 0 (white) is kept for zero."""
AT_CAP = "▲"

NAME_W = 250.0
CELL_W = 54.0
CELL_H = 32.0
SUM_W = (92.0, 104.0, 150.0)
LEFT = 20.0
TOP = 108.0


def cap_months(days: list[dt.date], window_days: int, cap: int) -> set[str]:
    """Months (``YYYY-MM``) holding an invitation that belongs to a window at or over ``cap``.

    A cap counts invitations in *any* rolling window, which can straddle two months; marking
    the months of the invitations inside such a window points the planner at the real crowd.
    """
    if cap <= 0:
        return {f"{d:%Y-%m}" for d in days}
    out: set[str] = set()
    days = sorted(days)
    for i, first in enumerate(days):
        inside = [d for d in days[i:] if (d - first).days < window_days]
        if len(inside) >= cap:
            out.update(f"{d:%Y-%m}" for d in inside)
    return out


def _shade(value: int, top: int) -> tuple[str, str]:
    """(fill, text colour) for a count, on a ramp that ends at ``top``."""
    if value <= 0:
        return BLUES[0], "#6b6b6b"
    step = 1 + round((len(BLUES) - 2) * min(1.0, value / max(1, top)))
    step = min(len(BLUES) - 1, max(1, step))
    return BLUES[step], ("#ffffff" if step >= 5 else INK)


def _cat(plan: Plan) -> Catalogue:
    """The words of the plan's ``language``, with the agency's ``labels``."""
    return catalogue(plan.language, plan.labels)


def _month_label(cat: Catalogue, key: str) -> str:
    return month_abbreviations(cat)[int(key[5:]) - 1]


def heatmap_svg(plan: Plan) -> str:
    """Regions × months of invitations, presentations per region, worst window vs. cap (SVG).

    Built from :meth:`Plan.load`, so the picture and the numbers a checker uses cannot drift.
    Each month cell carries ``data-region``, ``data-month`` and ``data-invitations``.
    """
    cat = _cat(plan)
    loads = plan.load()
    months = list(loads[0].by_month) if loads else list(plan.sessions_per_month())
    presented: dict[tuple[str, str], int] = {}
    for s in plan.sessions:
        for code in s.presenting_regions:
            key = (code, f"{s.date:%Y-%m}")
            presented[key] = presented.get(key, 0) + 1
    top = max(
        [v for load in loads for v in load.by_month.values()]
        + [plan.window_max.get(c, 0) for c in plan.regions]
        + [1]
    )
    width = LEFT * 2 + NAME_W + CELL_W * len(months) + sum(SUM_W)
    height = TOP + CELL_H * max(1, len(loads)) + 124
    x_sum = LEFT + NAME_W + CELL_W * len(months)
    parts: list[str] = [f'<rect width="{fmt_num(width)}" height="{fmt_num(height)}" fill="#ffffff"/>']
    parts.append(
        f'<text x="{fmt_num(LEFT)}" y="34" font-size="21" font-weight="700" fill="{INK}">'
        f"{escape(_t(cat, 'title'))}</text>"
    )
    parts.append(
        f'<text x="{fmt_num(LEFT)}" y="58" font-size="14" fill="#444444">{escape(_subtitle(plan))}</text>'
    )
    parts += _header(cat, months, x_sum)
    for row, load in enumerate(loads):
        parts += _row(plan, load, row, months, presented, top, x_sum)
    parts += _legend(plan, top, TOP + CELL_H * max(1, len(loads)) + 34, width)
    title = _t(cat, "doc_title", name=plan.scenario_name)
    w, h = fmt_num(width, 0), fmt_num(height, 0)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" class="arshjul-heatmap" width="{w}" height="{h}" '
        f'viewBox="0 0 {w} {h}" role="img" aria-labelledby="heatmap-title" '
        f'font-family="{FONT_STACK}">\n'
        f'<title id="heatmap-title">{escape(title)}</title>\n' + "\n".join(parts) + "\n</svg>\n"
    )


def _subtitle(plan: Plan) -> str:
    cat = _cat(plan)
    caps = sorted(set(plan.window_max.get(c, 0) for c in plan.regions))
    if not caps:
        return _t(cat, "no_cap", days=plan.window_days)
    cap = str(caps[0]) if len(caps) == 1 else f"{caps[0]}–{caps[-1]}"
    return _t(
        cat,
        "caps",
        cap=cap,
        days=plan.window_days,
        start=day_text(cat, plan.period_start),
        end=day_text(cat, plan.period_end),
    )


def _header(cat: Catalogue, months: list[str], x_sum: float) -> list[str]:
    parts: list[str] = []
    y = TOP - 12
    years = len({m[:4] for m in months}) > 1
    for i, key in enumerate(months):
        x = LEFT + NAME_W + CELL_W * (i + 0.5)
        tip = (
            f"<title>{_t(cat, 'month_year', month=month_names(cat)[int(key[5:]) - 1], year=key[:4])}</title>"
        )
        parts.append(
            el(
                "text",
                _month_label(cat, key) + tip,
                x=x,
                y=y,
                font_size=14,
                font_weight=600,
                fill=INK,
                text_anchor="middle",
            )
        )
        if years and (i == 0 or key.endswith("-01")):
            parts.append(
                f'<text x="{fmt_num(x)}" y="{fmt_num(y - 18)}" font-size="12" fill="#555555" '
                f'text-anchor="middle">{key[:4]}</text>'
            )
    heads = (_t(cat, "col_invitations"), _t(cat, "col_presentations"), _t(cat, "col_worst"))
    x = x_sum
    for w, head in zip(SUM_W, heads, strict=True):
        parts.append(
            el(
                "text",
                head,
                x=x + w / 2,
                y=y,
                font_size=13,
                font_weight=600,
                fill=INK,
                text_anchor="middle",
            )
        )
        x += w
    parts.append(el("text", _t(cat, "region"), x=LEFT, y=y, font_size=14, font_weight=600, fill=INK))
    return parts


def _row(
    plan: Plan,
    load: RegionLoad,
    row: int,
    months: list[str],
    presented: dict[tuple[str, str], int],
    top: int,
    x_sum: float,
) -> list[str]:
    cat = _cat(plan)
    y = TOP + CELL_H * row
    cap = plan.window_max.get(load.code)
    days = sorted(s.date for s in plan.sessions if load.code in s.invited)
    hot = cap_months(days, plan.window_days, cap) if cap is not None else set()
    at_cap = cap is not None and load.worst_window >= cap and load.invitations > 0
    band = "#f6f6f6" if row % 2 else "#ffffff"
    # the name as much as fits beside its code, measured; the tooltip has both whole
    room = NAME_W - 12 - text_px(f" {load.code}", 11)
    name = (
        escape(shorten_px(load.name, 14, room) or load.code)
        + el("tspan", f" {escape(load.code)}", font_size=11, fill="#666666")
        + f"<title>{escape(_t(cat, 'region_tip', name=load.name, code=load.code))}</title>"
    )
    parts = [
        el("rect", x=LEFT, y=y, width=x_sum + sum(SUM_W) - LEFT, height=CELL_H, fill=band),
        el("text", name, x=LEFT + 6, y=y + CELL_H / 2, dy="0.35em", fill=INK, text_anchor="start"),
    ]
    for i, key in enumerate(months):
        value = load.by_month.get(key, 0)
        pres = presented.get((load.code, key), 0)
        flagged = key in hot
        fill, ink = _shade(value, top)
        x = LEFT + NAME_W + CELL_W * i
        tip = _cell_tip(cat, load.name, month_names(cat)[int(key[5:]) - 1], key[:4], value)
        if pres:
            tip += _t(cat, "cell_tip_presenting", n=pres)
        if flagged:
            tip += _t(cat, "cell_tip_at_cap", days=plan.window_days, cap=cap)
        inset = 1.5 if flagged else 0.5
        rect = el(
            "rect",
            x=x + inset,
            y=y + inset,
            width=CELL_W - 2 * inset,
            height=CELL_H - 2 * inset,
            fill=fill,
            stroke=INK if flagged else "#c4c4c4",
            stroke_width=3 if flagged else None,
        )
        label = f"{value}{AT_CAP}" if flagged else str(value)
        body = f"<title>{escape(tip)}</title>" + rect
        body += el(
            "text",
            label,
            x=x + CELL_W / 2,
            y=y + CELL_H / 2 - (3 if pres else 0),
            dy="0.35em",
            font_weight=700 if value else None,
            fill=ink,
        )
        if pres:
            body += el(
                "text",
                _t(cat, "cell_presentations", n=pres),
                x=x + CELL_W / 2,
                y=y + CELL_H - 4,
                font_size="9.5",
                fill=ink,
            )
        parts.append(
            el(
                "g",
                body,
                class_="cell at-cap" if flagged else "cell",
                data_region=load.code,
                data_month=key,
                data_invitations=value,
                data_presentations=pres,
            )
        )
    x = x_sum
    sums = (str(load.invitations), str(load.presentations), _window_text(cat, load, cap))
    for j, (w, text) in enumerate(zip(SUM_W, sums, strict=True)):
        flag = j == 2 and at_cap
        if flag:
            parts.append(
                el(
                    "rect",
                    x=x + 1.5,
                    y=y + 1.5,
                    width=w - 3,
                    height=CELL_H - 3,
                    fill="#ffffff",
                    stroke=INK,
                    stroke_width=3,
                )
            )
        tip = f"<title>{escape(_window_tooltip(plan, load, cap))}</title>" if j == 2 else ""
        parts.append(
            el(
                "text",
                escape(text) + tip,
                x=x + w / 2,
                y=y + CELL_H / 2,
                dy="0.35em",
                font_weight=700 if flag else None,
                fill=INK,
                class_="window" if j == 2 else None,
            )
        )
        x += w
    row_g = el(
        "g",
        "\n".join(parts),
        class_="region at-cap" if at_cap else "region",
        data_region=load.code,
        data_invitations=load.invitations,
        data_presentations=load.presentations,
        data_worst_window=load.worst_window,
        data_cap="" if cap is None else cap,
        font_size=14,
        text_anchor="middle",
    )
    return [row_g]


def _window_text(cat: Catalogue, load: RegionLoad, cap: int | None) -> str:
    text = _t(cat, "of_cap", worst=load.worst_window, cap=cap) if cap is not None else str(load.worst_window)
    if cap is not None and load.invitations and load.worst_window > cap:
        return _t(cat, "over_cap", text=text, mark=AT_CAP)
    if cap is not None and load.invitations and load.worst_window >= cap:
        return _t(cat, "at_cap", text=text, mark=AT_CAP)
    return text


def _window_tooltip(plan: Plan, load: RegionLoad, cap: int | None) -> str:
    cat = _cat(plan)
    text = _t(cat, "window_tip", days=plan.window_days, worst=load.worst_window)
    if load.worst_window_start is not None and load.worst_window:
        text += _t(cat, "window_tip_from", day=day_text(cat, load.worst_window_start))
    if cap is not None:
        text += _t(cat, "window_tip_cap", cap=cap)
    return text


def _legend(plan: Plan, top: int, y: float, width: float) -> list[str]:
    cat = _cat(plan)
    parts = ['<g class="legend">' + el("text", _t(cat, "fewer"), x=LEFT, y=y, font_size=13, fill="#444444")]
    x = LEFT + 48
    steps = sorted({_shade(v, top)[0] for v in range(1, top + 1)}, key=BLUES.index)
    for colour in (BLUES[0], *steps):
        parts.append(
            f'<rect x="{fmt_num(x)}" y="{fmt_num(y - 14)}" width="30" height="18" fill="{colour}" '
            f'stroke="#c4c4c4" stroke-width="1"/>'
        )
        x += 32
    more = _t(cat, "more", top=top)
    parts.append(el("text", more, x=x + 6, y=y, font_size=13, fill="#444444"))
    y += 34
    sample = el(
        "rect",
        x=LEFT + 1.5,
        y=y - 15.5,
        width=40,
        height=21,
        fill="#ffffff",
        stroke=INK,
        stroke_width=3,
    )
    sample += el(
        "text",
        AT_CAP,
        x=LEFT + 21.5,
        y=y - 5,
        dy="0.35em",
        font_size=13,
        font_weight=700,
        fill=INK,
        text_anchor="middle",
    )
    parts.append(sample)
    note = _t(cat, "note_cap", mark=AT_CAP, days=plan.window_days)
    parts.append(el("text", escape(note), x=LEFT + 52, y=y, font_size=13, fill=INK))
    y += 26
    note = _t(cat, "note_pres")
    if text_px(note, 13) > width - LEFT * 2:
        note = _t(cat, "note_pres_short")
    parts.append(el("text", escape(note), x=LEFT, y=y, font_size=13, fill=INK))
    parts.append("</g>")
    return parts
