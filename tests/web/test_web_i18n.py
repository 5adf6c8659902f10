"""The workspace in Swedish or English, per the scenario's ``language:``.

Its words come from the web's own gettext domain (``arshjul-web``): every key of
``web/strings.py`` must have a Swedish text with the same ``{placeholders}`` (a key added later
without one fails here), the committed catalogues must match the code and each other, and a
workspace's pages — the planner's and a region's alike — speak its scenario's language."""

from __future__ import annotations

import datetime as dt
import re
import string
from io import BytesIO
from pathlib import Path

import pytest
import yaml
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir, extract_from_file
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po
from icalendar import Calendar
from starlette.testclient import TestClient

import arshjul
from arshjul import i18n
from arshjul.i18n import WEB_DOMAIN, web_translations
from arshjul.store import Store
from arshjul.web import Access, Workspace, create_app, jobs, views
from arshjul.web.strings import (
    _HOMEWORK_QUESTIONS,
    HOMEWORK_QUESTIONS,
    MESSAGES,
    MONTHS,
    WEEKDAYS,
    kind_label,
    language,
    speaking,
    text,
)
from conftest import base, merge
from web_support import (
    BASE,
    HOST,
    PORT,
    SESSION,
    TOKEN,
    cap_breaking_move,
    client,
    sign_in,
    workspace_with_plan,
)

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "src" / "arshjul" / "locale"
POT = LOCALE / f"{WEB_DOMAIN}.pot"
PO = {lang: LOCALE / lang / "LC_MESSAGES" / f"{WEB_DOMAIN}.po" for lang in ("sv", "en")}


def _po(path: Path) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh)


def _fields(message: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(message) if name is not None}


def _texts() -> dict[str, str]:
    """Every English text of the workspace, by where it is (key, or homework question)."""
    out = {f"MESSAGES[{key!r}]": english for key, english in MESSAGES.items()}
    out.update({f"HOMEWORK_QUESTIONS[{i}]": q for i, q in enumerate(_HOMEWORK_QUESTIONS)})
    return out


# -- the catalogues ----------------------------------------------------------------------------


def test_every_web_text_has_a_swedish_translation_with_the_same_placeholders() -> None:
    sv = _po(PO["sv"])
    for where, english in _texts().items():
        entry = sv.get(english)
        assert entry is not None, f"{where} {english!r} is not in sv/{WEB_DOMAIN}.po (extract, update)"
        assert isinstance(entry.string, str) and entry.string.strip(), f"{where}: no Swedish text"
        assert not entry.fuzzy, f"{where}: fuzzy"
        assert _fields(entry.string) == _fields(english), f"{where}: placeholders differ: {entry.string!r}"
        # what the page shows: the compiled catalogue gives the same text
        assert web_translations("sv").gettext(english) == entry.string


def test_the_catalogues_hold_exactly_the_codes_texts() -> None:
    """``pybabel extract -k W_`` (babel.cfg) finds every text and nothing else; the template
    and both catalogues hold the same msgids (no stale entries)."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh, str(ROOT / "babel.cfg"))
    found = extract_from_dir(ROOT, method_map, options_map, keywords={"W_": None})
    code = {m[2] for m in found}
    assert code == set(_texts().values())
    for path in (POT, *PO.values()):
        assert {m.id for m in _po(path) if m.id} == code, f"{path.name}: run pybabel extract/update"


def test_the_command_lines_domain_never_collects_the_webs_texts() -> None:
    """``N_``/``_`` are the CLI domain's keywords: strings.py uses only ``W_``."""
    found = list(extract_from_file("python", ROOT / "src/arshjul/web/strings.py", keywords=DEFAULT_KEYWORDS))
    assert found == []


def test_committed_mo_files_are_compiled_from_their_po() -> None:
    for path in PO.values():
        compiled = BytesIO()
        write_mo(compiled, _po(path))
        compiled.seek(0)
        want = {m.id: m.string for m in read_mo(compiled) if m.id}
        with path.with_suffix(".mo").open("rb") as fh:
            got = {m.id: m.string for m in read_mo(fh) if m.id}
        assert got == want, f"{path.with_suffix('.mo')} is stale: run pybabel compile -D {WEB_DOMAIN}"


# -- text(), months, weekdays ----------------------------------------------------------------


def test_text_months_weekdays_and_questions_follow_the_language() -> None:
    assert language() == "en"  # outside a request: the msgids
    assert text("pinned_count", n=3) == "3 pinned" and MONTHS[4] == "May" and WEEKDAYS[0] == "Mon"
    day = dt.date(2027, 2, 1)
    assert views.day_text(day) == "Mon 1 Feb 2027"
    with speaking("sv"):
        assert language() == "sv"
        assert text("pin") == "Lås det här mötet" and text("invited", n=4) == "Inbjudna regioner (4)"
        assert list(MONTHS)[:3] == ["januari", "februari", "mars"] and WEEKDAYS[3] == "tors"
        assert views.day_text(day) == "mån 1 feb 2027"
        assert HOMEWORK_QUESTIONS[0].startswith("Vilket fokusområde") and len(HOMEWORK_QUESTIONS) == 4
        assert kind_label("dialog") == "Snabbdialog"
        assert kind_label("dialog", {"dialog": "Dialogförmiddag"}) == "Dialogförmiddag"
        assert text("no_such_key") == "no_such_key"
        assert views.plan_label("2027-02-01T09:00:00+00:00", "feasible").endswith(" · godtagbar")
        assert views.plan_label("not a time", "edited") == "flyttad för hand"
    assert language() == "en" and text("pin") == "Pin this session"
    assert views.plan_label("2027-02-01T09:00:00+00:00", "feasible").endswith(" · feasible")


# -- the pages ----------------------------------------------------------------------------------

SWEDISH = {
    "/": ("Möten, månad för månad", "Planera om resten", "Ladda ner", "Snabbdialog", "februari 2027"),
    "/heatmap": ("Inbjudningar per region och månad", "Värsta 28 dagar", "Tak", "Totalt"),
    "session": ("Talarordning", "Inbjudna regioner", "Lås det här mötet", "Flytta mötet", "(värd)"),
    "region": ("Året för", "inbjudningar", "Månad", "Möten", "lyssnar"),
    "/r": ("ert år", "Era inbjudningar och presentationer", "Hemläxa", "Vilket fokusområde", "Anmäl"),
}
ENGLISH = {
    "/": (
        "Sessions, month by month",
        "Re-solve the rest",
        "Download",
        "Strategic quick dialog",
        "February 2027",
    ),
    "/heatmap": ("Invitations per region and month", "Worst 28 days", "Cap", "Total"),
    "session": ("Running order", "Invited regions", "Pin this session", "Move this session", "(host)"),
    "region": ("s year", "invitations", "Month", "Sessions", "listens"),
    "/r": ("your year", "Your invitations and presentations", "Homework", "Which focus area", "Sign up"),
}
NOT_SWEDISH = re.compile(
    r"\b(Presenters|Running order|Invitations|Penalty|Download|Sessions|Month|Year|Host|Total|"
    r"Pin|Unpin|Move|Homework|Sign up|Workspace|January|February|December|Mon|Tue|Wed|Thu|Fri|"
    r"listens|presents|invited|host|cap)\b"
)
"""English UI words that must not appear on a Swedish page (outside tags and attributes)."""
NOT_ENGLISH = re.compile(
    r"\b(Möten|Talarordning|Inbjudningar|Straff|Värd|januari|februari|mån|tis|lyssnar)\b"
)


LIBRARY = re.compile(r'<details class="blocked">.*?</details>', re.S)
""""Why not elsewhere": the library's own sentences (rule texts, checker messages), which are in
English as the command line's ``explain`` gives them; the page's words around them are tested."""


Pages = dict[str, str]
"""Page name → its HTML."""


def _words(html: str) -> str:
    """What a reader sees: the text between tags (the SVGs' texts included)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", LIBRARY.sub(" ", html), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture(scope="module", params=["sv", "en"])
def pages(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, dict[str, str]]:
    """Every page the test reads, of a workspace whose scenario says ``language: <param>``."""
    lang: str = request.param
    root = tmp_path_factory.mktemp(f"i18n-{lang}")
    ws, pid = workspace_with_plan(root / "ws", lang)
    plan = ws.plan(pid)
    code = sorted({c for s in plan.sessions if s.kind == "dialog" for c in s.presenting_regions})[0]
    store = Store.open(f"sqlite:///{root / 'ws' / 'arshjul.db'}")
    info, link = store.create_link(code, "Åsa Öberg")
    feed = store.create_feed("region", code, link_id=info.id)
    app = create_app(ws, Access.make(token=TOKEN, host=HOST, port=PORT), time_limit=5, store=store)
    planner = TestClient(app, base_url=BASE)
    sign_in(planner)
    region = TestClient(app, base_url=BASE)
    assert region.get(f"/r/{link}", follow_redirects=False).status_code == 200
    got = {}
    for name, c, path in (
        ("/", planner, "/"),
        ("/heatmap", planner, "/heatmap"),
        ("session", planner, f"/session/{SESSION}"),
        ("region", planner, f"/region/{code}"),
        ("/r", region, "/r"),
    ):
        r = c.get(path)
        assert r.status_code == 200, (path, r.text[:300])
        got[name] = r.text
    homework = [
        str(e["description"])
        for e in Calendar.from_ical(region.get(f"/feed/{feed}.ics").content).walk("VEVENT")
        if str(e["uid"]).startswith("homework-")
    ]
    got["feed"] = "\n".join(homework)
    return lang, got


@pytest.mark.parametrize("name", list(SWEDISH))
def test_a_page_speaks_the_scenarios_language(pages: tuple[str, Pages], name: str) -> None:
    lang, got = pages
    html = got[name]
    assert f'<html lang="{lang}">' in html
    words = _words(html)
    for expected in (SWEDISH if lang == "sv" else ENGLISH)[name]:
        assert expected in words, f"{name} ({lang}): no {expected!r}"
    leak = (NOT_SWEDISH if lang == "sv" else NOT_ENGLISH).findall(words)
    assert leak == [], f"{name} ({lang}) has words of the other language: {sorted(set(leak))}"


def test_swedish_letters_round_trip_on_a_swedish_page(pages: tuple[str, Pages]) -> None:
    lang, got = pages
    assert "Åsa Öberg" in got["/r"]  # the person's name, as the store keeps it
    if lang == "sv":
        assert "Året för" in got["region"] and "Hemläxa inför era presentationer" in got["/r"]


def test_a_regions_calendar_feed_gives_its_homework_in_the_scenarios_language(
    pages: tuple[str, Pages],
) -> None:
    lang, got = pages
    if lang == "sv":
        assert "Hemläxa inför" in got["feed"] and "(att göra)" in got["feed"]
        assert "- Vilka styrkor har er region inom området" in got["feed"]
        assert "Homework" not in got["feed"] and "Which focus area" not in got["feed"]
    else:
        assert "Homework due (to do):" in got["feed"] and "- Which focus area" in got["feed"]


def test_the_language_follows_an_edit_of_the_scenario(tmp_path: Path) -> None:
    """Set ``language:`` in scenario.yaml and the next page speaks it (no restart)."""
    ws, _ = workspace_with_plan(tmp_path / "ws", "en")
    app = create_app(ws, Access.make(token=TOKEN, host=HOST, port=PORT), time_limit=5)
    c = TestClient(app, base_url=BASE)
    sign_in(c)
    assert "Running order" in c.get(f"/session/{SESSION}").text
    path = ws.root / "scenario.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("\nlanguage: en\n", "\nlanguage: sv\n\n"), "utf-8"
    )
    page = c.get(f"/session/{SESSION}").text
    assert '<html lang="sv">' in page and "Talarordning" in page and "Running order" not in page
    assert arshjul.load_scenario(path).language == "sv"


def test_a_background_solve_writes_its_note_in_the_scenarios_language(tmp_path: Path) -> None:
    """The solve runs in its own thread: it gets the language of the request that started it."""
    data = merge(base(), language="sv")
    data["hosts"][0]["themes"] = [{"id": "halsa", "name": "Hälsa", "interested": ["SE-E", "SE-M"]}]
    (tmp_path / "tiny.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    ws = Workspace.open(tmp_path / "ws", tmp_path / "tiny.yaml")
    c = client(ws, time_limit=5)
    csrf = sign_in(c)
    assert c.post("/solve", data={"csrf": csrf, "time_limit": "5"}).status_code == 200
    job = jobs.wait(ws, 60)
    assert job is not None and job.state == "done" and job.result, job and job.message
    assert ws.info(job.result).note == "en helt ny plan"


@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_broken_rule_on_the_check_page_is_in_the_pages_language(tmp_path: Path, language: str) -> None:
    """The library's own sentence for a broken rule follows the page, not the language the
    server process was started with (the command line's, English here)."""
    ws, _ = workspace_with_plan(tmp_path / "ws", language)
    c = client(ws)
    csrf = sign_in(c)
    day, slot, _ = cap_breaking_move(ws, ws.plan(ws.current_id() or ""), SESSION)
    r = c.post(f"/session/{SESSION}/check", data={"csrf": csrf, "date": day.isoformat(), "slot": slot})
    assert r.status_code == 200
    row = re.search(r'<tr class="violation" data-rule="region_invitation_cap">(.*?)</tr>', r.text, re.S)
    assert row, r.text[:2000]
    words = {"sv": "inbjudningar", "en": "invitations"}[language]
    other = {"sv": "invitations", "en": "inbjudningar"}[language]
    sentence = re.findall(r"<td>(.*?)</td>", row.group(1), re.S)[1]
    assert words in sentence and other not in sentence, sentence
    assert i18n.cli_language() == "en"  # the process's own language is untouched
