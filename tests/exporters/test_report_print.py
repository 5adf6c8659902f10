"""The report on paper: the bundled year printed to PDF by headless Chromium (``--pdf``),
its pages counted and read back with pypdf.

What a planner who prints it should get: A4 pages, none of them empty, the wheel and the heat
map each whole on a landscape page of its own, no heading alone at the bottom of a page, and
the parts in the order they look for them.  (The report before this layout printed to 31 A4
pages of the bundled year, with the wheel split across two and a page holding a heading only.)

Skipped, with the reason, when no Chromium is installed (Debian: ``apt-get install chromium``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from arshjul.cli import main
from arshjul.exporters.png import find_chromium
from arshjul.exporters.report import write_report
from arshjul.plan import Plan

needs_chromium = pytest.mark.skipif(
    find_chromium() is None, reason="headless Chromium is not installed (Debian: apt-get install chromium)"
)
A4 = (595, 842)
"""A4 in PostScript points (210 × 297 mm), portrait."""
MAX_PAGES = 18
"""The bundled year prints to 17 pages: 4 of meetings, 10 of regions (two a page), the wheel,
the heat map, and closed days with the solver's numbers; one page of slack for a plan whose
tables run a little longer."""


@pytest.fixture(scope="module")
def printed(
    default_plan: Plan, tmp_path_factory: pytest.TempPathFactory
) -> list[tuple[tuple[int, int], str]]:
    """(page size in points, text) of every page of the bundled year's report.pdf."""
    out = tmp_path_factory.mktemp("print")
    written = write_report(default_plan, out, pdf=True)
    assert written[-1] == out / "report.pdf"
    reader = PdfReader(out / "report.pdf")
    return [
        ((round(float(p.mediabox.width)), round(float(p.mediabox.height))), p.extract_text() or "")
        for p in reader.pages
    ]


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def pages_with(printed: list[tuple[tuple[int, int], str]], marker: str) -> list[int]:
    return [i for i, (_, text) in enumerate(printed) if marker in text]


@needs_chromium
def test_the_year_prints_on_a4_in_few_pages(printed: list[tuple[tuple[int, int], str]]) -> None:
    assert 10 <= len(printed) <= MAX_PAGES
    sizes = [size for size, _ in printed]
    assert set(sizes) == {A4, A4[::-1]}  # portrait, and landscape for the two pictures
    assert sizes.count(A4[::-1]) == 2


@needs_chromium
def test_no_page_is_empty(printed: list[tuple[tuple[int, int], str]]) -> None:
    for number, (_, text) in enumerate(printed, 1):
        words = re.findall(r"\w{2,}", text)
        assert len(words) >= 40, f"page {number} holds only {words}"


@needs_chromium
def test_the_wheel_is_whole_on_one_landscape_page(
    printed: list[tuple[tuple[int, int], str]], default_plan: Plan
) -> None:
    (page,) = pages_with(printed, "Teckenförklaring")  # the wheel's legend, top right
    size, text = printed[page]
    assert size == A4[::-1]
    assert lines(text)[0] == "Året i ett hjul"  # its heading heads the page
    # its top (January), its bottom (the legend's notes), its centre (the whole title)
    for marker in ("januari", "december", "Ringar, utifrån och in", "ISO 8601", "26 möten"):
        assert marker in text, marker
    flat = " ".join(text.split())
    assert all(word in flat for word in default_plan.scenario_name.split())
    for other in range(len(printed)):
        if other != page:
            assert "ISO 8601" not in printed[other][1] and "Ringar, utifrån och in" not in printed[other][1]


@needs_chromium
def test_the_heat_map_is_whole_on_one_landscape_page(printed: list[tuple[tuple[int, int], str]]) -> None:
    (page,) = pages_with(printed, "Inbjudningar per region och månad")  # the heat map's own title
    size, text = printed[page]
    assert size == A4[::-1]
    assert lines(text)[0] == "Belastning per region"
    assert "Tjock ram" in text and "varav presentationer den månaden" in text  # its legend, at the bottom
    assert pages_with(printed, "Tjock ram") == [page]
    assert pages_with(printed, "Teckenförklaring") == [page - 1]  # the wheel just before it


@needs_chromium
def test_no_heading_is_left_alone_at_the_bottom_of_a_page(
    printed: list[tuple[tuple[int, int], str]], default_plan: Plan
) -> None:
    months = ["Januari", "Februari", "Mars", "April", "Maj", "Juni", "Juli", "Augusti"]
    months += ["September", "Oktober", "November", "December"]
    headings = {f"{m} 2027" for m in months}
    headings |= {f"{name} ({code})" for code, name in default_plan.regions.items()}
    headings |= {"Årets möten", "Regionerna", "Stängda dagar och perioder", "Så togs planen fram"}
    headings |= {"Poäng per del"}
    for number, (_, text) in enumerate(printed, 1):
        last = lines(text)[-3:]
        assert not headings & set(last), f"page {number} ends with {last}"


@needs_chromium
def test_pages_come_in_a_planners_order(printed: list[tuple[tuple[int, int], str]]) -> None:
    first = {
        part: pages_with(printed, part)[0]
        for part in (
            "Årets möten",
            "Regionerna",
            "Året i ett hjul",
            "Belastning per region",
            "Så togs planen fram",
        )
    }
    assert list(first.values()) == sorted(first.values())
    assert first["Årets möten"] == 0 and first["Så togs planen fram"] == len(printed) - 1


@needs_chromium
def test_report_pdf_from_the_command_line(tmp_path: Path, default_plan: Plan) -> None:
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(default_plan.to_json(), encoding="utf-8")
    done = CliRunner().invoke(main, ["report", str(plan_file), "--pdf"])
    assert done.exit_code == 0, done.output
    assert "report.pdf" in done.output
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF-")


def test_report_pdf_without_chromium_is_one_line_and_exit_2(
    tmp_path: Path, default_plan: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ARSHJUL_CHROMIUM", raising=False)
    monkeypatch.setenv("PATH", "")
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(default_plan.to_json(), encoding="utf-8")
    done = CliRunner().invoke(main, ["report", str(plan_file), "--pdf"])
    assert done.exit_code == 2
    (line,) = done.output.splitlines()
    assert line.startswith("error: report.pdf needs headless Chromium") and "apt-get install chromium" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json"]  # nothing half-written
