"""The report, the wheel, the heat map and plan.xlsx in the plan's ``language``.

Swedish (the default) is what the planners have had all along, word for word (the words are
the Swedish catalogue's now); English says the same with no Swedish word of arshjul's left,
only the scenario's own names (regions, themes, holidays).  The wheel's label-fit tests run
for English too (``tests/exporters/test_wheel.py``, the ``-en`` wheels); here the English report is
printed once to see that its pages hold what they held in Swedish.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import re
import xml.etree.ElementTree as ET
from io import BytesIO
from pathlib import Path

import pytest
from babel.dates import format_date, get_day_names, get_month_names
from babel.messages.pofile import read_po
from openpyxl import load_workbook
from pypdf import PdfReader
from test_ics import STAMP
from test_report_print import A4, MAX_PAGES

from arshjul import i18n
from arshjul.exporters import labels
from arshjul.exporters.heatmap import heatmap_svg
from arshjul.exporters.png import find_chromium
from arshjul.exporters.report import TEXT, report_html, report_markdown, write_report
from arshjul.exporters.wheel import wheel_layout, wheel_svg
from arshjul.exporters.xlsx import SESSIONS, plan_xlsx, sheet_names
from arshjul.plan import Plan
from conftest import ROOT
from plans import sample_plan

SV, EN = i18n.catalogue("sv"), i18n.catalogue("en")
TODAY_OFFSET = dt.timedelta(days=130)

KNOWN_SWEDISH = {
    "Årets", "möten", "Regionerna", "Körschema", "Inbjudna", "Uppföljning", "Belastning",
    "Teckenförklaring", "Ringar", "utifrån", "Mötestyp", "Kalender", "Uppehåll", "medurs",
    "januari", "tis", "okt", "vecka", "Lyssna", "Presentera", "Stängda", "Slumpfrö",
    "Läge", "frysta", "idag", "Sessioner", "Talarordning", "Datum", "Värd", "Straff",
}  # fmt: skip
"""Swedish words of the bundled year's Swedish output, so the word test is not vacuous."""


# -- the shared labels --------------------------------------------------------------------------


def test_swedish_labels_keep_their_look_and_english_ones_are_cldrs() -> None:
    assert labels.month_abbreviations(SV) == (
        "jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
    )  # fmt: skip
    assert labels.weekday_abbreviations(SV) == ("mån", "tis", "ons", "tor", "fre", "lör", "sön")
    for cat in (SV, EN):
        wide = get_month_names("wide", "format", cat.language)
        assert labels.month_names(cat) == tuple(wide[m] for m in range(1, 13))
    assert labels.month_names(SV)[2] == "mars"
    # the English abbreviations are the msgids, which are CLDR's
    cldr_months = get_month_names("abbreviated", "format", "en")
    assert labels.month_abbreviations(EN) == tuple(cldr_months[m] for m in range(1, 13))
    cldr_days = get_day_names("abbreviated", "format", "en")
    assert labels.weekday_abbreviations(EN) == tuple(cldr_days[d] for d in range(7))


def test_short_dates_in_both_languages() -> None:
    day = dt.date(2027, 2, 23)
    assert labels.day_text(SV, day) == "23 feb 2027"
    assert labels.day_text(SV, day, weekday=True) == "tis 23 feb 2027"
    assert labels.day_text(SV, day, weekday=True, year=False) == "tis 23 feb"
    assert labels.day_text(SV, day, year=False) == "23 feb"
    patterns = {
        (True, False): "MMM d, y",
        (True, True): "EEE, MMM d, y",
        (False, True): "EEE, MMM d",
        (False, False): "MMM d",
    }
    for n in range(365):
        d = dt.date(2027, 1, 1) + dt.timedelta(days=n)
        for (year, weekday), pattern in patterns.items():
            assert labels.day_text(EN, d, year=year, weekday=weekday) == format_date(d, pattern, locale="en")


def test_long_dates_where_swedish_is_chosen() -> None:
    day = dt.date(2027, 2, 23)
    assert SV.long_date(day) == "tisdag 23 februari 2027"
    assert SV.long_date(day, year=False) == "tisdag 23 februari"
    assert SV.long_date(day, weekday=False) == "23 februari 2027"
    assert SV.long_date(day, year=False, weekday=False) == "23 februari"
    assert EN.long_date(day) == "Tuesday, February 23, 2027"
    assert SV.long_dates and not EN.long_dates
    for n in range(365):  # CLDR's names, every day of a year: no abbreviation, no period
        d = dt.date(2027, 1, 1) + dt.timedelta(days=n)
        weekday, number, month, year = SV.long_date(d).split()
        assert (weekday, month) == (
            get_day_names("wide", locale="sv")[d.weekday()],
            labels.month_names(SV)[d.month - 1],
        )
        assert (int(number), int(year)) == (d.day, d.year)


def test_the_swedish_report_writes_dates_in_full_the_english_keeps_its_short_form() -> None:
    plan = sample_plan()
    # the wheel and the heat map inside the page keep the short form their labels have room for
    page = re.sub(r"<svg.*?</svg>", "", report_html(plan), flags=re.DOTALL)
    md = report_markdown(plan)
    for text in (page, md):
        assert "tisdag 23 februari" in text  # the meetings of February, and what follows them up
        assert "(23 februari 2027)" in text and "(20 april 2027)" in text
        assert not re.search(
            r"\b(?:mån|tis|ons|tor|fre) \d{1,2} (?:jan|feb|mar|apr|jun|jul|aug|sep|okt|nov|dec)\b", text
        )
    english = dataclasses.replace(plan, language="en")
    page, md = report_html(english), report_markdown(english)
    for text in (page, md):
        assert "Tue, Feb 23" in text and "(Feb 23, 2027)" in text
        assert "Tuesday" not in text and "February 23" not in text


def test_kinds_in_short_in_full_and_the_agencys_own() -> None:
    assert [labels.kind_short(SV, k) for k in labels.KINDS] == [
        "Snabbdialog", "Hybridmöte", "Lärmöte", "Nätverksmöte",
    ]  # fmt: skip
    assert labels.kind_name(SV, "hybrid") == "Hybridmöte (information/identifiering)"
    assert labels.kind_name(EN, "dialog") == "Strategic quick dialog"
    assert labels.kind_short(EN, "hybrid") == "Hybrid meeting"
    own = i18n.catalogue("en", {"dialog": "Dialog morning"})
    assert labels.kind_short(own, "dialog") == labels.kind_name(own, "dialog") == "Dialog morning"


# -- the words of each document ----------------------------------------------------------------


def _svg_text(svg: str) -> str:
    root = ET.fromstring(svg.split("?>", 1)[-1])
    return "\n".join(t for t in root.itertext())


def _html_text(page: str) -> str:
    page = re.sub(r"<style>.*?</style>", " ", page, flags=re.S)
    page = re.sub(r"<svg\b.*?</svg>", lambda m: " " + _svg_text(m.group(0)) + " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "\n", page))


def _xlsx_text(data: bytes) -> str:
    wb = load_workbook(BytesIO(data))
    out = [wb.properties.title or ""]
    for ws in wb.worksheets:
        out.append(ws.title)
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    out.append(cell.value)
                if cell.comment is not None:
                    out.append(cell.comment.text)
    return "\n".join(out)


def documents(plan: Plan) -> dict[str, str]:
    """The text of everything a planner or a region receives besides the calendars."""
    today = plan.period_start + TODAY_OFFSET
    return {
        "report.html": _html_text(report_html(plan, today=today)),
        "report.md": re.sub(r"<br>|\]\(\w+\.svg\)", "\n", report_markdown(plan, today=today)),
        "wheel.svg": _svg_text(wheel_svg(plan, today=today)),
        "heatmap.svg": _svg_text(heatmap_svg(plan)),
        "plan.xlsx": _xlsx_text(plan_xlsx(plan, dtstamp=STAMP)),
    }


WORD = re.compile(r"[^\W\d_]+")


def _words(text: str) -> set[str]:
    return set(WORD.findall(text))


def _scenario_words(plan: Plan) -> set[str]:
    """Words of the scenario's own texts (names, titles, places, holidays) and identifiers."""
    texts = [
        plan.scenario_name,
        plan.scenario_id,
        plan.timezone,
        *plan.regions,
        *plan.regions.values(),
        *plan.hosts,
        *plan.hosts.values(),
        *plan.contacts.values(),
        *(c.name for c in plan.closures),
        *plan.terms,  # the objective's terms by their names in the plan (match, spread…)
    ]
    for s in plan.sessions:
        texts += [s.title, s.theme or "", s.description or "", s.location or "", s.meeting_link or ""]
        texts += [s.id, s.slot or ""]  # identifiers plan.xlsx shows as they are
        texts += [w for p in s.presentations for w in (p.name, p.presenter)]
    return _words("\n".join(texts))


def _english_words() -> set[str]:
    """Words of arshjul's English messages (both languages may share one: Region, Status)."""
    with (ROOT / "src" / "arshjul" / "locale" / "arshjul.pot").open("rb") as fh:
        template = read_po(fh)
    ids = [i for m in template if m.id for i in ([m.id] if isinstance(m.id, str) else m.id)]
    ids += [
        *get_month_names("wide", "format", "en").values(),
        *get_day_names("wide", "format", "en").values(),
    ]
    return {w.lower() for w in _words("\n".join(ids))}


def _ui_words(text: str, scenario: set[str]) -> set[str]:
    """Words that are arshjul's, not the scenario's: a word cut short (``Öster…``) is the
    scenario's too."""
    words = _words(text) - scenario
    return {w for w in words if not any(s.startswith(w) for s in scenario)}


@pytest.fixture(scope="module")
def both(default_plan: Plan) -> dict[str, dict[str, str]]:
    plan = dataclasses.replace(default_plan, language="sv")
    return {"sv": documents(plan), "en": documents(dataclasses.replace(plan, language="en"))}


def test_english_documents_carry_no_swedish_words_of_arshjuls(
    both: dict[str, dict[str, str]], default_plan: Plan
) -> None:
    scenario = _scenario_words(default_plan)
    english = _english_words()
    for name in both["sv"]:
        sv = _ui_words(both["sv"][name], scenario)
        en = _ui_words(both["en"][name], scenario)
        swedish = {w for w in sv if w.lower() not in english}
        assert swedish, name
        assert sorted(swedish & en) == [], (name, sorted(swedish & en))
        assert sorted(w for w in en if re.search("[åäöÅÄÖ]", w)) == [], name
    found = set().union(*(_ui_words(t, scenario) for t in both["sv"].values()))
    assert found >= KNOWN_SWEDISH, KNOWN_SWEDISH - found


def test_swedish_is_the_default_and_says_what_it_said(
    default_plan: Plan, both: dict[str, dict[str, str]]
) -> None:
    assert default_plan.language == "sv"
    assert documents(default_plan) == both["sv"]
    page = report_html(default_plan)
    assert '<html lang="sv">' in page and "<h2>Årets möten</h2>" in page
    assert "Körschema" in page and "Snabbdialog" in page and "Lärmöte" in page


def test_the_english_report_reads_in_english(default_plan: Plan) -> None:
    plan = dataclasses.replace(default_plan, language="en")
    page = report_html(plan, today=plan.period_start + TODAY_OFFSET)
    assert '<html lang="en">' in page
    headings = re.findall(r"<h2>(.*?)</h2>", page)
    assert [html.unescape(h) for h in headings] == [
        "The year's meetings",
        "The regions",
        "The year as a wheel",
        "Load per region",
        "Closed days and periods",
        "How the plan was found",
    ]
    months = [html.unescape(h) for h in re.findall(r"<h3>(\w+ \d{4})</h3>", page)]
    assert months and all(m.split()[0] in labels.month_names(EN) for m in months)
    assert f"<h1>Annual wheel: {html.escape(plan.scenario_name)}</h1>" in page
    assert "<th>Schedule</th>" in page and "<td>Quick dialog</td>" in page
    assert re.search(r"<td class=\"nowrap\">(?:Mon|Tue|Wed|Thu|Fri), (?:[A-Z][a-z]{2}) \d{1,2}</td>", page)
    assert "26 meetings for 21 regions." in page
    assert "As of " in page and "(frozen)" in page
    md = report_markdown(plan)
    assert md.startswith(f"# Annual wheel: {plan.scenario_name}\n")
    assert "![Annual wheel](wheel.svg)" in md and "## How the plan was found" in md


def test_the_english_wheel_and_heat_map(default_plan: Plan) -> None:
    plan = dataclasses.replace(default_plan, language="en")
    layout = wheel_layout(plan)
    centre = [lb.text for lb in layout.labels if lb.role == "title"]
    assert centre[-1] == "26 meetings"
    assert "Annual wheel: " in wheel_svg(plan)
    legend = {lb.text for lb in layout.labels if lb.role == "legend"}
    assert {"Legend", "Rings, from the outside in", "Kind of meeting"} <= legend
    months = {lb.text for lb in layout.labels if lb.role == "month"}
    assert months <= set(labels.month_names(EN)) | set(labels.month_abbreviations(EN))
    heat = heatmap_svg(plan)
    assert "Invitations per region and month" in heat and ">Jan<" in heat


def test_plurals_follow_the_count() -> None:
    plan = dataclasses.replace(sample_plan(), language="en")
    one = dataclasses.replace(plan, sessions=plan.sessions[:1])
    assert "1 meeting for " in report_html(one)
    assert any(lb.text == "1 meeting" for lb in wheel_layout(one).labels)
    sv = dataclasses.replace(one, language="sv")
    assert "1 möte för " in report_html(sv)
    assert TEXT["sessions"] == "Meetings"


def test_plan_xlsx_in_english(default_plan: Plan) -> None:
    plan = dataclasses.replace(default_plan, language="en")
    wb = load_workbook(BytesIO(plan_xlsx(plan, dtstamp=STAMP)))
    names = sheet_names(plan)
    assert wb.sheetnames[:5] == [names[k] for k in ("sessions", "order", "invitations", "load", "penalty")]
    assert wb.sheetnames[:5] == ["Sessions", "Running order", "Invitations", "Load", "Penalty"]
    heads = [c.value for c in wb["Sessions"][1]]
    assert heads[:6] == ["Date", "Day", "Week", "Start", "End", "Type"]
    assert wb["Sessions"]["B2"].value in labels.weekday_abbreviations(EN)
    assert SESSIONS == "Sessioner" == sheet_names(default_plan)["sessions"]


# -- on paper ----------------------------------------------------------------------------------


@pytest.mark.skipif(find_chromium() is None, reason="headless Chromium is not installed")
def test_the_english_report_prints_like_the_swedish(default_plan: Plan, tmp_path: Path) -> None:
    """English words are longer here and shorter there: the pages still hold what they
    held, the wheel and the heat map each whole on a landscape page."""
    plan = dataclasses.replace(default_plan, language="en")
    write_report(plan, tmp_path, pdf=True)
    reader = PdfReader(tmp_path / "report.pdf")
    pages = [
        ((round(float(p.mediabox.width)), round(float(p.mediabox.height))), p.extract_text() or "")
        for p in reader.pages
    ]
    assert len(pages) <= MAX_PAGES
    assert all(size in (A4, A4[::-1]) for size, _ in pages)
    assert all(text.strip() for _, text in pages)
    wheel = [i for i, (_, text) in enumerate(pages) if "The year as a wheel" in text]
    heat = [i for i, (_, text) in enumerate(pages) if "Load per region" in text]
    assert len(wheel) == 1 and pages[wheel[0]][0] == A4[::-1]
    assert "Legend" in pages[wheel[0]][1]
    assert len(heat) == 1 and pages[heat[0]][0] == A4[::-1]
    assert "Invitations per region and month" in pages[heat[0]][1]
