"""The annual wheel and the load heat map: geometry, identity, numbers, escaping.

The pictures are checked as data: every SVG is parsed as XML, sessions are found by id,
angles are recomputed from the drawn coordinates, and heat-map cells are compared with
``Plan.load()``, so a test fails on a wrong picture, not just on a crash.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import itertools
import json
import math
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from arshjul.exporters.heatmap import AT_CAP, cap_months, heatmap_svg
from arshjul.exporters.png import CHROMIUM_FLAGS, wheel_png
from arshjul.exporters.svg import OKABE_ITO, PATTERNS, style_of
from arshjul.exporters.wheel import CX, CY, Label, angle_of, wheel_layout, wheel_svg
from arshjul.plan import Closure, Plan, Presentation, Session, SessionKind
from plans import HOSTILE, REGIONS, at, sample_plan

SVG = "{http://www.w3.org/2000/svg}"
CHROMIUM = shutil.which("chromium")

ALL_REGIONS = {
    "SE-AB": "Region Stockholm",
    "SE-C": "Region Uppsala",
    "SE-D": "Region Sörmland",
    "SE-E": "Region Östergötland",
    "SE-F": "Region Jönköpings län",
    "SE-G": "Region Kronoberg",
    "SE-H": "Region Kalmar län",
    "SE-I": "Region Gotland",
    "SE-K": "Region Blekinge",
    "SE-M": "Region Skåne",
    "SE-N": "Region Halland",
    "SE-O": "Västra Götalandsregionen",
    "SE-S": "Region Värmland",
    "SE-T": "Region Örebro län",
    "SE-U": "Region Västmanland",
    "SE-W": "Region Dalarna",
    "SE-X": "Region Gävleborg",
    "SE-Y": "Region Västernorrland",
    "SE-Z": "Region Jämtland Härjedalen",
    "SE-AC": "Region Västerbotten",
    "SE-BD": "Region Norrbotten",
}
THEMES = [
    ("vinnova", "halsa", "Hållbar precisionshälsa"),
    ("vinnova", "industri", "Hållbar industri, hållbara material och materialflöden"),
    ("vinnova", "mat", "Hållbara livsmedelssystem"),
    ("vinnova", "rymd", "Rymd och arktisk testverksamhet"),
    ("vinnova", "stad", "Smarta hållbara städer"),
    ("vinnova", "digital", "Digital omställning och AI"),
    ("vinnova", "life", "Life science"),
    ("vinnova", "transport", "Gröna transporter"),
    ("energimyndigheten", "vatgas", "Vätgas och elektrifiering"),
    ("energimyndigheten", "bio", "Bioekonomi och skog"),
]
TWENTY_THEMES = [
    *THEMES,
    ("vinnova", "kemi", "Cirkulär ekonomi och grön kemi"),
    ("vinnova", "besok", "Besöksnäring, kulturella och kreativa näringar"),
    ("vinnova", "energi", "Smart energi"),
    ("vinnova", "vatten", "Vattenförsörjning och klimatanpassning"),
    ("vinnova", "offentlig", "Innovation i offentlig sektor, vård och omsorg"),
    ("vinnova", "batteri", "Batterier och energilagring"),
    ("vinnova", "skog", "Skogsindustrins nästa generation"),
    ("energimyndigheten", "vind", "Havsbaserad vindkraft"),
    ("energimyndigheten", "solel", "Solel och lokala energisystem"),
    ("energimyndigheten", "effekt", "Effektiv energianvändning i bostäder och lokaler"),
]
"""Twenty themes over two hosts: 22 rings, three more than the palette has plain colours."""


def _session(
    kind: SessionKind,
    sid: str,
    host: str,
    title: str,
    day: dt.date,
    invited: tuple[str, ...],
    **kw: Any,
) -> Session:
    host_name = {"vinnova": "Vinnova", "energimyndigheten": "Energimyndigheten"}[host]
    return Session(
        id=sid,
        kind=kind,
        host=host,
        host_name=host_name,
        title=title,
        date=day,
        slot="morning",
        start=at(day, 9),
        end=at(day, 11),
        invited=invited,
        **kw,
    )


def busy_plan(
    first: dt.date = dt.date(2027, 1, 1),
    last: dt.date = dt.date(2027, 12, 31),
    themes: list[tuple[str, str, str]] = THEMES,
) -> Plan:
    """A full year: two hosts, ten themes (or ``themes``) with two dialogs each, monthly
    network meetings, hybrids and a learning meeting, over 21 regions; dates spread
    deterministically."""
    codes = list(ALL_REGIONS)
    span = (last - first).days
    sessions: list[Session] = []

    def day_at(frac: float) -> dt.date:
        d = first + dt.timedelta(days=int(span * frac))
        while d.weekday() >= 5 or d.month in (7,):
            d += dt.timedelta(days=1 if d.weekday() >= 5 else 31)
        return min(d, last)

    for k, (host, theme, title) in enumerate(themes):
        for occ in (1, 2):
            day = day_at(0.08 + ((k * 0.083 + (occ - 1) * 0.45) % 0.88))
            presenters = [codes[(k * 3 + occ + j) % len(codes)] for j in range(3)]
            pres = tuple(
                Presentation(
                    presenter=c,
                    name=ALL_REGIONS[c],
                    regions=(c,),
                    start=at(day, 9, 10 + 10 * j),
                    end=at(day, 9, 20 + 10 * j),
                )
                for j, c in enumerate(presenters)
            )
            invited = tuple(sorted(set(presenters) | {codes[(k + 7 * occ + j) % 21] for j in range(4)}))
            sessions.append(
                _session(
                    "dialog",
                    f"{host}.{theme}.{occ}",
                    host,
                    title,
                    day,
                    invited,
                    theme=theme,
                    occurrence=occ,
                    presentations=pres,
                    host_start=at(day, 9),
                    host_end=at(day, 9, 10),
                )
            )
    month = first.replace(day=1)
    while month <= last:
        if month.month not in (7, 8) and month >= first:
            day = month + dt.timedelta(days=(1 - month.weekday()) % 7 + 14)  # third Tuesday
            if day <= last:
                sessions.append(
                    _session(
                        "network",
                        f"vinnova.network.{day}",
                        "vinnova",
                        "RND-nätverksmöte",
                        day,
                        tuple(codes),
                    )
                )
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    for j, (hid, title) in enumerate(
        [
            ("ekosystem", HOSTILE),
            ("chips", "Digital omställning — EU Chips Act"),
            ("energi", "Energiomställning i industrin"),
        ]
    ):
        host = "energimyndigheten" if hid == "energi" else "vinnova"
        sessions.append(
            _session("hybrid", f"{host}.{hid}", host, title, day_at(0.15 + 0.31 * j), tuple(codes))
        )
    sessions.append(
        _session("learning", "vinnova.learning", "vinnova", "Lärmöte", day_at(0.04), tuple(codes))
    )
    base = sample_plan()
    return dataclasses.replace(
        base,
        scenario_id="busy",
        scenario_name="Strategiska snabbdialoger — fullt år med två värdar",
        period_start=first,
        period_end=last,
        sessions=sorted(sessions, key=lambda s: (s.start, s.id)),
        regions=dict(ALL_REGIONS),
        hosts={"vinnova": "Vinnova", "energimyndigheten": "Energimyndigheten"},
        window_max=dict.fromkeys(ALL_REGIONS, 4),
        closures=[
            Closure(
                "Trettondedag jul",
                dt.date(first.year + (first.month > 1), 1, 6),
                dt.date(first.year + (first.month > 1), 1, 6),
                "holiday",
            ),
            Closure("Sommar", dt.date(2027, 7, 5), dt.date(2027, 8, 15), "blackout"),
            Closure("Höstlov", dt.date(2027, 11, 1), dt.date(2027, 11, 5), "blackout"),
            Closure("Jul och nyår", dt.date(2027, 12, 23), dt.date(2028, 1, 6), "blackout"),
        ],
    )


def parse(svg: str) -> ET.Element:
    assert svg.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(svg.encode("utf-8"))


def by_class(root: ET.Element, name: str) -> list[ET.Element]:
    return [e for e in root.iter() if name in (e.get("class") or "").split()]


def session_ids(root: ET.Element) -> list[str]:
    return [
        e.get("id", "")[len("session-") :] for e in root.iter() if (e.get("id") or "").startswith("session-")
    ]


# -- angles -----------------------------------------------------------------------------------


def test_angle_of_by_hand() -> None:
    plan = sample_plan()  # 2027: 365 days, 1 Jan = day 0
    assert angle_of(plan, dt.date(2027, 1, 1)) == 0.0
    # 1 July 2027 is day 31+28+31+30+31+30 = 181 of 365
    assert angle_of(plan, dt.date(2027, 7, 1)) == pytest.approx(181 / 365 * 360)
    assert angle_of(plan, dt.date(2028, 1, 1)) == pytest.approx(
        360.0
    )  # the day after the end closes the circle


def test_session_on_1_july_sits_at_1_july() -> None:
    plan = sample_plan()
    july = dt.date(2027, 7, 1)
    moved = dataclasses.replace(plan.sessions[-1], date=july, start=at(july, 9), end=at(july, 10))
    plan = dataclasses.replace(plan, sessions=[*plan.sessions[:-1], moved])
    root = parse(wheel_svg(plan))
    (mark,) = [e for e in root.iter() if e.get("id") == f"session-{moved.id}"]
    expected = 181 / 365 * 360  # 178.52°, just past the bottom of the circle
    assert float(mark.get("data-angle", "nan")) == pytest.approx(expected, abs=1e-3)
    # and the mark is *drawn* there: its centre is at that angle from the wheel's centre
    (dot,) = [e for e in mark if e.tag == f"{SVG}circle"]
    x, y = float(dot.get("cx", "nan")) - CX, CY - float(dot.get("cy", "nan"))
    assert math.degrees(math.atan2(x, y)) % 360 == pytest.approx(expected, abs=0.05)


# -- the wheel --------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["sample", "busy", "busy-academic", "empty"])
def test_wheel_is_xml_and_has_every_session_exactly_once(which: str) -> None:
    if which == "sample":
        plan = sample_plan()
    elif which == "busy":
        plan = busy_plan()
    elif which == "busy-academic":  # a period across new year: August to July
        plan = busy_plan(dt.date(2027, 8, 1), dt.date(2028, 7, 31))
    else:
        plan = dataclasses.replace(
            sample_plan(), status="INFEASIBLE", sessions=[], objective=None, bound=None
        )
    root = parse(wheel_svg(plan, today=plan.period_start + dt.timedelta(days=100)))
    ids = session_ids(root)
    assert sorted(ids) == sorted(s.id for s in plan.sessions)
    assert len(ids) == len(set(ids))
    for s in plan.sessions:
        (g,) = [e for e in root.iter() if e.get("id") == f"session-{s.id}"]
        assert float(g.get("data-angle", "nan")) == pytest.approx(angle_of(plan, s.date), abs=1e-3)
        assert g.find(f"{SVG}title") is not None and g.find(f"{SVG}title").text  # type: ignore[union-attr]
    # every text track a label refers to exists
    defined = {e.get("id") for e in root.iter() if e.get("id")}
    for tp in root.iter(f"{SVG}textPath"):
        assert tp.get("href", "")[1:] in defined


@pytest.mark.parametrize(
    ("first", "last", "months"),
    [
        (dt.date(2027, 1, 1), dt.date(2027, 12, 31), 12),
        (dt.date(2028, 1, 1), dt.date(2028, 12, 31), 12),  # leap year
        (dt.date(2027, 8, 1), dt.date(2028, 7, 31), 12),
        (dt.date(2027, 1, 15), dt.date(2027, 6, 10), 6),  # partial first and last month
    ],
)
def test_month_sectors_tile_the_circle(first: dt.date, last: dt.date, months: int) -> None:
    plan = dataclasses.replace(sample_plan(), period_start=first, period_end=last)
    root = parse(wheel_svg(plan))
    sectors = by_class(root, "month")
    assert len(sectors) == months
    spans = [(float(e.get("data-start-deg", "nan")), float(e.get("data-end-deg", "nan"))) for e in sectors]
    assert spans[0][0] == 0.0
    assert spans[-1][1] == pytest.approx(360.0)
    assert sum(b - a for a, b in spans) == pytest.approx(360.0)
    assert all(prev[1] == pytest.approx(nxt[0]) for prev, nxt in itertools.pairwise(spans))
    assert sectors[0].get("data-month") == f"{first:%Y-%m}"


def test_swedish_month_names_and_weeks() -> None:
    text = "".join(parse(wheel_svg(sample_plan())).itertext())
    for name in (
        "januari",
        "februari",
        "mars",
        "april",
        "maj",
        "juni",
        "juli",
        "augusti",
        "oktober",
        "december",
    ):
        assert name in text
    assert "v27" in text and "v33" in text  # ISO weeks, odd ones numbered


def test_closures_are_drawn_with_their_names() -> None:
    plan = sample_plan()
    root = parse(wheel_svg(plan))
    assert len(by_class(root, "holiday")) == 1
    blackouts = by_class(root, "blackout")
    assert len(blackouts) == 2
    tips = ["".join(b.find(f"{SVG}title").itertext()) for b in blackouts]  # type: ignore[union-attr]
    assert any(t.startswith("Sommar: 5 jul 2027 – 15 aug 2027") for t in tips)


def test_today_hand_only_inside_the_period() -> None:
    plan = sample_plan()
    freeze = dt.date(2027, 5, 12)
    (hand,) = by_class(parse(wheel_svg(plan, today=freeze)), "today")
    assert float(hand.get("data-angle", "nan")) == pytest.approx(131 / 365 * 360)  # 12 May is day 131
    assert not by_class(parse(wheel_svg(plan)), "today")
    assert not by_class(parse(wheel_svg(plan, today=dt.date(2026, 12, 31))), "today")


def test_hostile_text_is_text_in_the_wheel() -> None:
    plan = sample_plan()
    svg = wheel_svg(plan, title="<b>Årshjul</b> & <script>x</script>")
    assert "<script" not in svg and "<b>" not in svg
    root = parse(svg)
    assert not [e for e in root.iter() if e.tag in (f"{SVG}script", "script", f"{SVG}b", "b")]
    (g,) = [e for e in root.iter() if e.get("id") == "session-vinnova.hybrid.ekosystem"]
    tip = "".join(g.find(f"{SVG}title").itertext())  # type: ignore[union-attr]
    assert "<script>alert(1)</script> & co" in tip
    assert "Årshjul" in "".join(root.itertext())


def test_wheel_is_deterministic_and_small() -> None:
    plan = busy_plan()
    a = wheel_svg(plan, today=dt.date(2027, 9, 1))
    assert a == wheel_svg(busy_plan(), today=dt.date(2027, 9, 1))
    assert len(a.encode()) < 150_000
    assert "Okabe" not in a  # palette values only, no comments or generator noise


def test_rings_one_per_host_and_theme_plus_kinds() -> None:
    plan = busy_plan()
    root = parse(wheel_svg(plan))
    rings = by_class(root, "ring")
    # ten themes, one ring for hybrids, one for the learning and network meetings
    assert len(rings) == 12
    names = "".join(t for e in by_class(root, "legend-ring") for t in e.itertext())
    assert "Energimyndigheten: Vätgas" in names and "Hybridmöten" in names


# -- telling rings apart, and labels that fit --------------------------------------------------


def wheel_of(which: str, default_plan: Plan) -> Plan:
    """The wheels whose rings and labels are held to their layout: the bundled year (twelve
    themes, solved), ten and twenty themes over two hosts (22 rings), and the small sample;
    ``-en``: the same plan in English, whose words are longer or shorter than the Swedish."""
    if which.endswith("-en"):
        return dataclasses.replace(wheel_of(which.removesuffix("-en"), default_plan), language="en")
    if which == "bundled":
        return default_plan
    if which == "twenty":
        return busy_plan(themes=TWENTY_THEMES)
    return busy_plan() if which == "busy" else sample_plan()


WHEELS = ["bundled", "twenty", "busy", "sample", "bundled-en", "twenty-en"]


def test_the_bundled_year_and_the_generated_one_have_the_themes_they_claim(default_plan: Plan) -> None:
    assert len({s.theme for s in default_plan.sessions if s.kind == "dialog"}) == 12
    twenty = busy_plan(themes=TWENTY_THEMES)
    assert len({s.theme for s in twenty.sessions if s.kind == "dialog"}) == 20
    assert len(wheel_layout(twenty).rings) == 22


@pytest.mark.parametrize("which", WHEELS)
def test_no_two_rings_share_colour_and_pattern(which: str, default_plan: Plan) -> None:
    plan = wheel_of(which, default_plan)
    root = parse(wheel_svg(plan))
    rings = by_class(root, "ring")
    looks = [(r.get("data-colour"), r.get("data-pattern")) for r in rings]
    assert len(looks) == len(set(looks)), looks
    assert [(r.colour, r.pattern) for r in wheel_layout(plan).rings] == looks
    # the band is filled with what it claims: a plain tint of its colour, or a pattern that is
    # defined once, in that colour, with that motif
    patterns = {p.get("id"): p for p in root.iter(f"{SVG}pattern")}
    for ring, (colour, pattern) in zip(rings, looks, strict=True):
        if pattern == "solid":
            assert ring.get("fill") == colour
            continue
        ref = ring.get("fill", "")
        assert ref.startswith("url(#") and ref.endswith(")")
        defined = patterns[ref[5:-1]]
        assert defined.get("data-pattern") == pattern
        assert {e.get("fill") for e in defined} | {e.get("stroke") for e in defined} >= {colour}
    # and the legend shows each ring with the same look, in the same order
    swatches = by_class(root, "legend-ring")
    assert [(g.get("data-colour"), g.get("data-pattern")) for g in swatches] == looks
    for g, ring in zip(swatches, rings, strict=True):
        (rect,) = [e for e in g if e.tag == f"{SVG}rect"]
        assert rect.get("fill") == ring.get("fill")


def test_twenty_themes_use_patterns_only_past_the_plain_colours() -> None:
    rings = wheel_layout(busy_plan(themes=TWENTY_THEMES)).rings
    assert [r.pattern for r in rings[:7]] == ["solid"] * 7
    assert [r.pattern for r in rings[7:]] == ["dots"] * 7 + ["rings"] * 7 + ["crosses"]
    assert len({r.colour for r in rings}) == 7


CVD = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
    "normal": ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0)),
}
"""Machado, Oliveira and Fernandes (2009), severity 1: linear-RGB matrices that show a colour
as a dichromat sees it."""


def _lab(hex_colour: str, matrix: tuple[tuple[float, float, float], ...]) -> tuple[float, float, float]:
    """CIELAB (D65) of an sRGB colour as seen through ``matrix``."""

    def linear(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    rgb = [linear(int(hex_colour[i : i + 2], 16)) for i in (1, 3, 5)]
    r, g, b = (min(1.0, max(0.0, sum(m * c for m, c in zip(row, rgb, strict=True)))) for row in matrix)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def test_the_palette_stays_apart_for_colour_blind_eyes() -> None:
    """Every two of the seven ring colours differ by at least 15 CIELAB units as people with
    each of the three dichromacies see them (about 2.3 is a just-noticeable difference); where
    more rings than colours are needed, the pattern tells them apart, not a closer colour."""
    for name, matrix in CVD.items():
        seen = [_lab(c, matrix) for c in OKABE_ITO]
        closest = min(math.dist(a, b) for a, b in itertools.combinations(seen, 2))
        assert closest >= 15, (name, closest)
    assert len({style_of(i) for i in range(28)}) == 28
    assert {style_of(i)[1] for i in range(28)} == set(PATTERNS)


def _arc_px(label: Label) -> float:
    assert label.arc is not None and label.radius is not None
    lo, hi = label.arc
    assert lo <= hi
    return math.radians(hi - lo) * label.radius


@pytest.mark.parametrize("which", WHEELS)
def test_every_label_fits_the_room_it_sits_in(which: str, default_plan: Plan) -> None:
    plan = wheel_of(which, default_plan)
    layout = wheel_layout(plan, today=plan.period_start + dt.timedelta(days=130))
    roles = {label.role for label in layout.labels}
    assert {"session", "ring", "month", "title", "legend"} <= roles
    cx, cy, r = layout.centre
    for label in layout.labels:
        if label.arc is not None:  # along a circle: the room is the arc's length
            assert label.room == pytest.approx(_arc_px(label), abs=0.01), label
        else:  # straight: the room is the box's width, and a title line's box is inside the circle
            assert label.box is not None
            x0, y0, x1, y1 = label.box
            assert label.room == pytest.approx(x1 - x0, abs=0.01), label
            if label.role == "title":
                for x, y in ((x0, y0), (x1, y0), (x0, y1), (x1, y1)):
                    assert math.hypot(x - cx, y - cy) <= r, label
            else:
                assert x1 <= layout.width
        assert label.width <= label.room + 1e-6, label
        # said shorter only by whole words (or, for a session, as its short forms), and then
        # the tooltip or the legend has the rest
        if label.role in ("legend", "title"):  # a line of a wrapped text
            assert label.text in label.full, label
        elif label.text != label.full:
            assert label.role in ("ring", "session", "month"), label
            when = label.full.split(" · ")[0]
            short = label.role == "session" and (
                label.text == when or re.fullmatch(rf"{when} · \d+ pres\.", label.text)
            )
            if label.role == "month":
                assert label.full.startswith(label.text[:3]), label
            elif not short:
                assert label.text.endswith("…"), label
                assert label.full.startswith(label.text[:-1]), label
                assert label.full[len(label.text) - 1 :][:1] in (" ", ",", ";", ":", "–", "-", "·"), label


@pytest.mark.parametrize("which", WHEELS)
def test_labels_on_a_ring_keep_clear_of_each_other_and_of_the_marks(which: str, default_plan: Plan) -> None:
    layout = wheel_layout(wheel_of(which, default_plan))

    def overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
        eps = 1e-9  # arcs that only touch do not overlap
        return any(a[0] < b[1] + k - eps and b[0] + k < a[1] - eps for k in (-360.0, 0.0, 360.0))

    for index, ring in enumerate(layout.rings):
        arcs = [lb.arc for lb in layout.labels if lb.ring == index and lb.arc is not None]
        marks = [(m - ring.mark_deg, m + ring.mark_deg) for m in ring.marks]
        for i, a in enumerate(arcs):
            assert not any(overlap(a, m) for m in marks), (ring.name, a)
            assert not any(overlap(a, b) for b in arcs[i + 1 :]), (ring.name, a)


@pytest.mark.parametrize("which", WHEELS)
def test_ring_names_are_whole_in_the_legend_and_mostly_on_the_ring(which: str, default_plan: Plan) -> None:
    plan = wheel_of(which, default_plan)
    layout = wheel_layout(plan)
    legend = [lb for lb in layout.labels if lb.role == "legend"]
    for ring in layout.rings:
        lines = [lb.text for lb in legend if lb.full.startswith(ring.name + "\u00a0(")]
        assert " ".join(lines).replace("\u00a0", " ").startswith(ring.name + " ("), (ring.name, lines)
    on_ring = {lb.full: lb.text for lb in layout.labels if lb.role == "ring"}
    whole = [r.name for r in layout.rings if on_ring.get(r.name) == r.name]
    if which in ("bundled", "sample", "busy"):
        assert len(whole) == len(layout.rings), set(r.name for r in layout.rings) - set(whole)
    else:
        assert len(whole) >= len(layout.rings) - 2
    # a name said shorter keeps the whole of it as the text's tooltip
    root = parse(wheel_svg(plan))
    for text in by_class(root, "ring-name"):
        tip = text.find(f"{SVG}title")
        shown = "".join(text.find(f"{SVG}textPath").itertext())  # type: ignore[union-attr]
        if shown.endswith("…"):
            assert tip is not None and tip.text and tip.text.startswith(shown[:-1])


@pytest.mark.parametrize(
    "title",
    [
        None,
        "Strategiska snabbdialoger 2027 – Vinnova och regionerna",
        "Årshjul",
        "Strategiska snabbdialoger mellan Vinnova, Energimyndigheten, Formas och Sveriges "
        "21 regioner om hållbar tillväxt 2027",
    ],
)
def test_the_centre_title_is_complete(title: str | None, default_plan: Plan) -> None:
    layout = wheel_layout(default_plan, title=title)
    heading = layout.title
    lines = [lb for lb in layout.labels if lb.role == "title" and lb.bold]
    assert " ".join(lb.text for lb in lines).split() == heading.split()
    assert 1 <= len(lines) <= 6
    assert len({lb.size for lb in lines}) == 1 and lines[0].size >= 10
    assert all(lb.text == lb.full for lb in lines)
    text = "".join(
        t for e in by_class(parse(wheel_svg(default_plan, title=title)), "title") for t in e.itertext()
    )
    for word in heading.split():
        assert word in text


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed (apt-get install chromium)")
@pytest.mark.parametrize("which", ["bundled", "twenty", "bundled-en"])
def test_labels_fit_as_chromium_sets_them(which: str, default_plan: Plan, tmp_path: Path) -> None:
    """The measure holds against the browser: every fitted text, as Chromium lays it out with
    the system's fonts, is no longer than the room the wheel gave it (``data-room``)."""
    svg = wheel_svg(wheel_of(which, default_plan))
    script = (
        "<script>const out = [];"
        "for (const t of document.querySelectorAll('text[data-room]'))"
        " out.push([t.getComputedTextLength(), +t.dataset.room, t.textContent]);"
        "document.getElementById('out').textContent = JSON.stringify(out);</script>"
    )
    page = tmp_path / "wheel.html"
    page.write_text(
        '<!DOCTYPE html><meta charset="utf-8"><body>'
        + svg.split("?>", 1)[1]
        + '<pre id="out"></pre>'
        + script,
        encoding="utf-8",
    )
    cmd = [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", page.as_uri()]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=90, check=False)
    found = re.search(r'<pre id="out">(.*?)</pre>', done.stdout, re.S)
    assert found, done.stderr[-2000:]
    measured = json.loads(html.unescape(found.group(1)))
    assert len(measured) == len(re.findall(r"data-room=", svg)) > 50
    too_long = [(w, room, t) for w, room, t in measured if w > room + 0.5]
    assert too_long == []


def test_wheel_png_without_chromium_says_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ARSHJUL_CHROMIUM", raising=False)
    monkeypatch.setenv("PATH", "")
    with pytest.raises(RuntimeError, match="Chromium"):
        wheel_png(wheel_svg(sample_plan()))


# -- the heat map -----------------------------------------------------------------------------


def test_cap_months_by_hand() -> None:
    days = [dt.date(2027, 1, 30), dt.date(2027, 2, 3), dt.date(2027, 2, 20), dt.date(2027, 5, 4)]
    # 30 Jan, 3 Feb and 20 Feb lie within 28 days (21 days from first to last): 3 at cap 3
    assert cap_months(days, 28, 3) == {"2027-01", "2027-02"}
    assert cap_months(days, 28, 4) == set()
    assert cap_months(days, 28, 1) == {"2027-01", "2027-02", "2027-05"}


@pytest.mark.parametrize("which", ["sample", "busy"])
def test_heatmap_numbers_are_plan_load(which: str) -> None:
    plan = sample_plan() if which == "sample" else busy_plan()
    root = parse(heatmap_svg(plan))
    cells = by_class(root, "cell")
    loads = plan.load()
    assert len(cells) == sum(len(load.by_month) for load in loads)
    got = {(c.get("data-region"), c.get("data-month")): int(c.get("data-invitations", "-1")) for c in cells}
    for load in loads:
        for month, n in load.by_month.items():
            assert got[(load.code, month)] == n
    rows = {r.get("data-region"): r for r in by_class(root, "region")}
    for load in loads:
        row = rows[load.code]
        assert int(row.get("data-presentations", "-1")) == load.presentations
        assert int(row.get("data-invitations", "-1")) == load.invitations
        assert int(row.get("data-worst-window", "-1")) == load.worst_window


def test_heatmap_marks_regions_at_the_cap_without_colour() -> None:
    plan = sample_plan()
    # SE-E: 2 Feb and 23 Feb lie 21 days apart, so its worst 28-day window holds 2
    plan = dataclasses.replace(plan, window_max={**plan.window_max, "SE-E": 2})
    root = parse(heatmap_svg(plan))
    hot_rows = [r.get("data-region") for r in by_class(root, "region") if "at-cap" in r.get("class", "")]
    assert hot_rows == ["SE-E"]
    (row,) = [r for r in by_class(root, "region") if r.get("data-region") == "SE-E"]
    window = [t for t in row.iter(f"{SVG}text") if t.get("class") == "window"]
    assert f"2 av 2 {AT_CAP} vid tak" in "".join(window[0].itertext())
    flagged = [c for c in by_class(root, "cell") if "at-cap" in c.get("class", "")]
    assert {c.get("data-month") for c in flagged} == {
        "2027-02",
        "2027-03",
        "2027-04",
    }  # 30 Mar and 20 Apr too
    for c in flagged:
        assert c.find(f"{SVG}rect").get("stroke-width") == "3"  # type: ignore[union-attr]
        assert AT_CAP in "".join(c.itertext())


def test_heatmap_escapes_region_names() -> None:
    plan = dataclasses.replace(sample_plan(), regions={**REGIONS, "SE-E": "<script>alert(1)</script> & Ö"})
    svg = heatmap_svg(plan)
    assert "<script" not in svg
    assert "<script>alert(1)</script> & Ö" in "".join(parse(svg).itertext())
    assert svg == heatmap_svg(plan)
