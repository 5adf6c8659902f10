"""The report: self-contained HTML (checked statically and in headless Chromium), Markdown,
and the files ``write_report`` leaves behind.

Chromium tests are skipped, with the reason, only when no ``chromium`` is on PATH
(``apt-get install chromium`` on Debian).  PNGs are decoded with zlib and struct alone.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import re
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import pytest

from arshjul.exporters.png import CHROMIUM_FLAGS
from arshjul.exporters.report import CSP, md_escape, report_html, report_markdown, write_report
from arshjul.exporters.wheel import wheel_svg
from plans import HOSTILE, sample_plan

CHROMIUM = shutil.which("chromium")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium is not installed (Debian: apt-get install chromium)"
)
FREEZE = dt.date(2027, 5, 12)


# -- static HTML ------------------------------------------------------------------------------


def test_html_is_self_contained_and_loads_nothing() -> None:
    page = report_html(sample_plan(), today=FREEZE)
    assert page.startswith("<!DOCTYPE html>")
    assert f'<meta http-equiv="Content-Security-Policy" content="{html.escape(CSP)}">' in page
    lower = page.lower()
    assert "<script" not in lower
    for tag in ("<link", "<img", "<iframe", "<object", "<embed", "@import", "@font-face"):
        assert tag not in lower, tag
    # no attribute or CSS url() that points anywhere: links appear only as text
    assert not re.search(r"""\b(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:|//)""", page, re.I)
    assert not re.search(r"url\(\s*['\"]?(?!#)", page)
    # every inline SVG is well-formed XML of its own
    svgs = re.findall(r"<svg\b.*?</svg>", page, re.S)
    assert len(svgs) == 2
    for svg in svgs:
        ET.fromstring(svg)


def test_html_escapes_hostile_text() -> None:
    plan = sample_plan()
    page = report_html(plan)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page
    assert "<script>" not in page and "</script>" not in page
    assert "BEGIN:VEVENT" in page  # shown, as text


def test_html_says_what_the_planner_needs() -> None:
    plan = sample_plan()
    page = report_html(plan, today=FREEZE)
    for text in (
        "Snabbdialoger 2027",
        "(OPTIMAL)",
        "preferred_month",
        "83,3 %",  # match: 100 of 120
        "09:10–09:20 Region Östergötland",
        "09:20–09:30 Norra Mellansverige (Region Värmland, Region Dalarna, Region Gävleborg)",
        "Följs upp på RND-nätverksmöte (20 april 2027)",
        "Följer upp Hållbar precisionshälsa (23 februari 2027)",
        "gemensamt som Norra Mellansverige, med Region Dalarna, Region Gävleborg",
        "Läge 12 maj 2027",
        "Långfredagen",
    ):
        assert text in page, text
    for code, name in plan.regions.items():
        assert f"<h3>{name} ({code})</h3>" in page
    for s in plan.sessions:
        assert f'id="session-{s.id}"' in page


def test_report_of_a_plan_not_found_still_renders() -> None:
    plan = dataclasses.replace(
        sample_plan(), status="INFEASIBLE", sessions=[], objective=None, bound=None, terms={}
    )
    page = report_html(plan)
    assert '<p class="notice">Ingen plan att visa' in page
    assert "Poäng per del" not in page
    assert "ingen plan" in wheel_svg(plan)


PLANNERS_ORDER = [
    "Årets möten",
    "Regionerna",
    "Året i ett hjul",
    "Belastning per region",
    "Stängda dagar och perioder",
    "Så togs planen fram",
]
"""The report's parts, in the order a planner looks for them: the solver's numbers last."""


def test_html_reads_in_a_planners_order() -> None:
    page = report_html(sample_plan(), today=FREEZE)
    heads = re.findall(r"<h2>(.*?)</h2>", page)
    assert heads == PLANNERS_ORDER
    at = {h: page.index(f"<h2>{h}</h2>") for h in heads}
    # the months come under the meetings, the regions under theirs, the score under the solver
    months = [m.start() for m in re.finditer(r"<h3>(?:Februari|Mars|April|November) 2027</h3>", page)]
    assert len(months) == 4 and all(at["Årets möten"] < m < at["Regionerna"] for m in months)
    region = page.index("<h3>Region Östergötland (SE-E)</h3>")
    assert at["Regionerna"] < region < at["Året i ett hjul"]
    assert at["Så togs planen fram"] < page.index("<h3>Poäng per del</h3>")
    assert page.index('class="arshjul-wheel"') > at["Året i ett hjul"]
    for anchor in ("meetings", "regions", "wheel", "load", "solver"):
        assert page.count(f'<section id="{anchor}"') == 1
    assert (
        at["Belastning per region"] < page.index('class="arshjul-heatmap"') < at["Stängda dagar och perioder"]
    )


def test_meetings_come_month_by_month_with_the_running_order() -> None:
    plan = sample_plan()
    md = report_markdown(plan)
    months = re.findall(r"^### (\w+ 2027)$", md, re.M)
    assert months == ["Februari 2027", "Mars 2027", "April 2027", "November 2027"]
    # each meeting sits under its own month, in date order, with kind and presenters in order
    feb = md[md.index("### Februari 2027") : md.index("### Mars 2027")]
    rows = [line for line in feb.splitlines() if line.startswith("| ") and "2027" not in line[:4]]
    assert [r.split(" | ")[0] for r in rows[2:]] == ["| tisdag 2 februari", "| tisdag 23 februari"]
    health = rows[3]
    assert "Snabbdialog" in health and "Hållbar precisionshälsa" in health
    order = ["09:00–09:10 Vinnova (värd)", "09:10–09:20 Region Östergötland", "09:30–09:40 Region Skåne"]
    assert [health.index(x) for x in order] == sorted(health.index(x) for x in order)
    assert "| Lärmöte |" in rows[2]


def test_invited_says_all_but_when_that_is_shorter() -> None:
    plan = sample_plan()
    md = report_markdown(plan)
    assert "alla (6)" in md  # the learning meeting: every region
    assert "alla utom SE-BD (5)" in md  # the dialogs: all six but Norrbotten
    few = dataclasses.replace(plan.sessions[-1], invited=("SE-M", "SE-E"))
    md = report_markdown(dataclasses.replace(plan, sessions=[*plan.sessions[:-1], few]))
    assert "SE-E, SE-M (2)" in md  # in the scenario's order, not as given


def test_a_place_or_link_every_meeting_shares_is_said_once() -> None:
    plan = sample_plan()
    link = "https://teams.example/l/meetup-join/abc"
    same = [dataclasses.replace(s, location="Digitalt", meeting_link=link) for s in plan.sessions]
    md = report_markdown(dataclasses.replace(plan, sessions=same))
    assert md.count(link) == 1 and "Gäller alla möten: Plats: Digitalt · Länk: " in md
    md = report_markdown(plan)  # the sample's places differ: each meeting says its own
    assert "Plats: Vinnova, Mäster Samuelsgatan 56, Stockholm; och digitalt" in md
    assert "Gäller alla möten" not in md


# -- Markdown ---------------------------------------------------------------------------------


def _cells(line: str) -> int:
    """Table cells in a Markdown row, counting only unescaped pipes."""
    count, i = 0, 0
    while i < len(line):
        if line[i] == "\\":
            i += 2
            continue
        count += line[i] == "|"
        i += 1
    return count - 1


def test_markdown_tables_survive_pipes_and_newlines() -> None:
    plan = sample_plan()
    odd = dataclasses.replace(plan.sessions[0], title="Lärmöte | del 1\nrad två | *fet* [länk](x)")
    plan = dataclasses.replace(
        plan, sessions=[odd, *plan.sessions[1:]], regions={**plan.regions, "SE-M": "Skåne | Syd"}
    )
    md = report_markdown(plan)
    table: list[str] = []
    for line in [*md.splitlines(), ""]:
        if line.startswith("|"):
            table.append(line)
        elif table:
            widths = {_cells(row) for row in table}
            assert len(widths) == 1, table
            table = []
    assert "Lärmöte \\| del 1 rad två \\| \\*fet\\* \\[länk\\](x)" in md
    assert "Skåne \\| Syd" in md


def test_markdown_keeps_the_planners_order() -> None:
    md = report_markdown(sample_plan(), today=FREEZE)
    assert re.findall(r"^## (.*)$", md, re.M) == PLANNERS_ORDER
    assert md.index("![Årshjul](wheel.svg)") < md.index("![Belastning per region](heatmap.svg)")
    assert md.index("### Poäng per del") > md.index("## Så togs planen fram")


def test_markdown_escapes_hostile_text_and_links_pictures() -> None:
    md = report_markdown(sample_plan(), today=FREEZE)
    assert "<script>" not in md
    assert "\\<script\\>alert(1)\\</script\\> \\& co" in md
    assert "![Årshjul](wheel.svg)" in md and "![Belastning per region](heatmap.svg)" in md
    assert "| Region Östergötland (SE-E) | 0 | 2 | 1 | 1 |" in md  # load table, same numbers as the heat map
    assert md_escape(HOSTILE).count("\n") == 0


# -- files ------------------------------------------------------------------------------------


def test_write_report_is_atomic_complete_and_deterministic(tmp_path: Path) -> None:
    a = write_report(sample_plan(), tmp_path / "a", today=FREEZE)
    b = write_report(sample_plan(), tmp_path / "b", today=FREEZE)
    assert [p.name for p in a] == ["wheel.svg", "heatmap.svg", "report.html", "report.md"]
    for pa, pb in zip(a, b, strict=True):
        assert pa.read_bytes() == pb.read_bytes()
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == sorted(
        p.name for p in a
    )  # no temp files left
    assert (tmp_path / "a" / "report.html").read_text(encoding="utf-8") == report_html(
        sample_plan(), today=FREEZE
    )


# -- Chromium ---------------------------------------------------------------------------------


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    cmd = [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=90, check=False)


def console_lines(stderr: str) -> list[str]:
    """What the page logged: console messages, CSP refusals, failed loads."""
    return [
        ln
        for ln in stderr.splitlines()
        if "CONSOLE" in ln or "Content Security Policy" in ln or "net::ERR" in ln
    ]


@needs_chromium
def test_console_check_catches_a_load(tmp_path: Path) -> None:
    """The detector itself: a page that tries to load an image must show up as logged."""
    page = tmp_path / "control.html"
    page.write_text(
        '<!DOCTYPE html><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<p>x</p><img src="http://192.0.2.1/x.png">',
        encoding="utf-8",
    )
    done = chromium(tmp_path, "--enable-logging=stderr", "--v=0", "--dump-dom", page.as_uri())
    assert console_lines(done.stderr), done.stderr[-2000:]


@needs_chromium
def test_report_opens_in_chromium_without_errors_or_loads(tmp_path: Path) -> None:
    plan = sample_plan()
    (page,) = [p for p in write_report(plan, tmp_path / "out", today=FREEZE) if p.suffix == ".html"]
    done = chromium(tmp_path, "--enable-logging=stderr", "--v=0", "--dump-dom", page.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    assert console_lines(done.stderr) == []
    dom = done.stdout
    assert "<script" not in dom.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom
    for s in plan.sessions:
        assert dom.count(f'id="session-{s.id}"') == 1


def decode_png(data: bytes) -> tuple[int, int, list[bytes], int]:
    """(width, height, rows of raw pixels, bytes per pixel) of an 8-bit RGB/RGBA PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, []
    width = height = bpp = 0
    while pos < len(data):
        (n,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            width, height, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and ctype in (2, 6) and interlace == 0
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    prev = bytearray(stride)
    rows = []
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        if f == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif f == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, prev, strict=True))
        elif f == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 255
        elif f == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = prev[i]
                c = prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, rows, bpp


def colours(rows: list[bytes], bpp: int) -> dict[tuple[int, ...], int]:
    counts: dict[tuple[int, ...], int] = {}
    for row in rows:
        for i in range(0, len(row), bpp):
            px = tuple(row[i : i + 3])
            counts[px] = counts.get(px, 0) + 1
    return counts


def near(counts: dict[tuple[int, ...], int], rgb: tuple[int, int, int], tol: int = 6) -> int:
    return sum(n for px, n in counts.items() if all(abs(a - b) <= tol for a, b in zip(px, rgb, strict=True)))


@needs_chromium
def test_report_screenshot_is_not_blank(tmp_path: Path) -> None:
    # the wheel comes after the meetings and the regions now, so the window is tall enough to
    # hold the whole sample report (at half scale, to keep the PNG small): its top shows text
    # and table tints, and further down the wheel's orange "today" hand
    (page,) = [p for p in write_report(sample_plan(), tmp_path / "out", today=FREEZE) if p.suffix == ".html"]
    shot = tmp_path / "report.png"
    args = ("--window-size=1200,9000", "--force-device-scale-factor=0.5")
    done = chromium(tmp_path, f"--screenshot={shot}", *args, page.as_uri())
    assert shot.exists(), done.stderr[-2000:]
    width, height, rows, bpp = decode_png(shot.read_bytes())
    assert (width, height) == (600, 4500)
    top = colours(rows[:1000], bpp)
    assert len(top) > 200  # text, tints and anti-aliasing, not a flat page
    assert 1 - top.get((255, 255, 255), 0) / (width * 1000) > 0.05
    assert near(colours(rows, bpp), (0xD5, 0x5E, 0x00)) > 20  # the orange "today" hand of the wheel


@needs_chromium
def test_wheel_png_renders(tmp_path: Path) -> None:
    written = write_report(sample_plan(), tmp_path, today=FREEZE, png=True)
    assert [p.name for p in written][-1] == "wheel.png"
    width, height, rows, bpp = decode_png((tmp_path / "wheel.png").read_bytes())
    assert (width, height) == (1300, 1000)
    counts = colours(rows, bpp)
    assert len(counts) > 200
    assert near(counts, (0x00, 0x9E, 0x73), 4) > 20  # a green Okabe–Ito mark (the health dialog)
    assert near(counts, (0x1A, 0x1A, 0x1A), 20) > 500  # dark text
