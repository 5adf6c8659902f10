"""Languages: the message catalogues, the scenario's ``language`` and ``labels`` in the
calendars the regions receive, and the command line's ``--lang`` and locale."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import re
import string
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pytest
import yaml
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po
from click.testing import CliRunner
from icalendar import Calendar
from test_ics import STAMP, second_generation

import arshjul.cli
import arshjul.i18n
from arshjul import i18n
from arshjul.cli import main
from arshjul.edited import plan_from_ics
from arshjul.errors import PlanFileError, ScenarioError
from arshjul.exporters.ics import master_calendar, outlook_problems, write_calendars, write_invitations
from arshjul.instance import build_instance
from arshjul.plan import Plan
from arshjul.realize import blank_plan
from arshjul.revision import carry_sequences
from arshjul.scenario import Scenario, json_schema, load
from conftest import ROOT, base, merge, scenario, solve_checked
from plans import sample_plan

LOCALE = ROOT / "src" / "arshjul" / "locale"
CATALOGUES = {lang: LOCALE / lang / "LC_MESSAGES" / "arshjul.po" for lang in i18n.LANGUAGES}
PYBABEL = "from babel.messages.frontend import main; main()"
"""``pybabel`` of the running interpreter."""
ENGLISH_ENV = {"LC_ALL": None, "LC_MESSAGES": None, "LANG": "C.UTF-8", "LANGUAGE": None}

SWEDISH_MONTHS = (
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
)  # fmt: skip
SWEDISH_WEEKDAYS = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
SWEDISH_DATE = re.compile(rf"\b\d{{1,2}} (?:{'|'.join(SWEDISH_MONTHS)}) \d{{4}}\b")


Key = tuple[str | None, str | tuple[str, ...]]
"""(msgctxt, msgid): "Learning meeting" is one message alone and another in a context."""


def _key(message: Message) -> Key:
    return message.context, message.id if isinstance(message.id, str) else tuple(message.id)


def _read_po(path: Path) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh)


def _code_messages() -> set[Key]:
    """Every msgid in the code, extracted as ``pybabel extract -F babel.cfg`` does."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh, str(ROOT / "babel.cfg"))
    found = extract_from_dir(ROOT, method_map, options_map, keywords=DEFAULT_KEYWORDS)
    return {
        (context, message if isinstance(message, str) else tuple(message))
        for _, _, message, _, context in found
    }


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


# -- the catalogues ----------------------------------------------------------------------------


def test_every_message_in_the_code_is_in_both_catalogues_and_the_template() -> None:
    code = _code_messages()
    assert (None, "Running order:") in code and (None, ("{count} session", "{count} sessions")) in code
    assert ("month", "Mar") in code and ("kind in full", "Learning meeting") in code
    for path in [*CATALOGUES.values(), LOCALE / "arshjul.pot"]:
        catalogue = {_key(m) for m in _read_po(path) if m.id}
        assert code - catalogue == set(), f"{path}: missing (run pybabel extract/update)"
        assert catalogue - code == set(), f"{path}: no longer in the code (run pybabel update)"


def test_the_swedish_catalogue_is_translated_not_fuzzy_and_keeps_the_placeholders() -> None:
    sv = _read_po(CATALOGUES["sv"])
    assert not sv.fuzzy and sv.locale is not None and str(sv.locale) == "sv"
    assert sv.plural_forms == "nplurals=2; plural=(n != 1);"
    for m in sv:
        if not m.id:
            continue
        forms = [m.string] if isinstance(m.string, str) else list(m.string)
        assert forms and all(forms), f"untranslated: {m.id!r}"
        assert not m.fuzzy, f"fuzzy: {m.id!r}"
        ids = [m.id] if isinstance(m.id, str) else list(m.id)
        for form in forms:
            assert _fields(form) == _fields(ids[0]), f"placeholders differ: {m.id!r} → {form!r}"


def test_committed_mo_files_are_compiled_from_their_po() -> None:
    """The .mo files are committed (gettext reads them as they are); after editing a .po,
    ``pybabel compile -d src/arshjul/locale -D arshjul`` must be run."""
    for po_path in CATALOGUES.values():
        po = _read_po(po_path)
        compiled = BytesIO()
        write_mo(compiled, po)
        compiled.seek(0)
        want = {_key(m): m.string for m in read_mo(compiled) if m.id}
        with po_path.with_suffix(".mo").open("rb") as fh:
            mo = read_mo(fh)
        got = {_key(m): m.string for m in mo if m.id}
        assert got == want, f"{po_path.with_suffix('.mo')} is stale: run pybabel compile"
        assert mo.plural_forms == po.plural_forms


def test_pybabel_extract_works_with_the_projects_config(tmp_path: Path) -> None:
    pot = tmp_path / "arshjul.pot"
    args = ["extract", "-F", "babel.cfg", "-c", "TRANSLATORS:", "-o", str(pot), "."]
    done = subprocess.run(
        [sys.executable, "-c", PYBABEL, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    ids = {_key(m) for m in _read_po(pot) if m.id}
    assert ids == _code_messages()


def test_catalogue_words_dates_and_plurals() -> None:
    sv, en = i18n.catalogue("sv"), i18n.catalogue("en")
    assert sv.kind("dialog") == "Snabbdialog" and en.kind("dialog") == "Strategic quick dialog"
    assert [sv.kind(k) for k in i18n.KIND_LABELS] == [
        "Snabbdialog",
        "Hybrid informationsmöte",
        "Lärmöte",
        "Nätverksmöte",
    ]
    assert sv.date(dt.date(2027, 5, 3)) == "3 maj 2027"
    assert sv.weekday_date(dt.date(2027, 5, 3)) == "måndag 3 maj 2027"
    assert en.date(dt.date(2027, 5, 3)) == "May 3, 2027"
    assert en.weekday_date(dt.date(2027, 5, 3)) == "Monday, May 3, 2027"
    assert sv.ngettext("{count} region", "{count} regions", 1) == "{count} region"
    assert sv.ngettext("{count} region", "{count} regions", 21) == "{count} regioner"
    own = i18n.catalogue("sv", {"dialog": "Dialogförmiddag"})
    assert own.kind("dialog") == "Dialogförmiddag" and own.kind("network") == "Nätverksmöte"
    with pytest.raises(ValueError, match="unknown language"):
        i18n.catalogue("de")
    with pytest.raises(ValueError, match="no meeting kind"):
        i18n.catalogue("sv", {"workshop": "Verkstad"})


# -- the scenario and the plan -------------------------------------------------------------------


def test_scenario_language_defaults_to_swedish_and_labels_are_checked() -> None:
    sc = scenario()
    assert sc.language == "sv" and sc.labels.model_dump(exclude_none=True) == {}
    own = scenario(language="en", labels={"dialog": "Morning dialog"})
    inst = build_instance(own)
    assert (inst.language, inst.labels) == ("en", {"dialog": "Morning dialog"})
    with pytest.raises(ScenarioError, match=r"language"):
        scenario(language="de")
    with pytest.raises(ScenarioError, match=r"labels\.workshop"):
        scenario(labels={"workshop": "Verkstad"})
    with pytest.raises(ScenarioError, match=r"labels\.dialog"):
        scenario(labels={"dialog": ""})
    schema = json_schema()
    assert "sv" in json.dumps(schema) and "Dialogförmiddag" in json.dumps(schema, ensure_ascii=False)


def test_the_scenarios_language_and_labels_reach_the_plan_and_plan_json() -> None:
    sc = scenario(
        language="en",
        labels={"dialog": "Dialogförmiddag"},
        **{"hosts": [{"id": "vinnova", "name": "Vinnova", "themes": [{"id": "halsa", "name": "Hälsa"}]}]},
    )
    plan = solve_checked(sc)
    assert plan.found and (plan.language, plan.labels) == ("en", {"dialog": "Dialogförmiddag"})
    data = json.loads(plan.to_json())
    assert (data["language"], data["labels"]) == ("en", {"dialog": "Dialogförmiddag"})
    assert Plan.from_json(plan.to_json()) == plan


def test_an_old_plan_json_without_language_or_labels_loads_with_the_defaults() -> None:
    old = json.loads(sample_plan().to_json())
    del old["language"], old["labels"]
    plan = Plan.from_json(json.dumps(old, ensure_ascii=False), source="old/plan.json")
    assert (plan.language, plan.labels) == ("sv", {})
    assert plan == sample_plan()
    assert b"Talarordning:" in master_calendar(plan, dtstamp=STAMP)


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("language", "de", "unknown language 'de' (expected sv or en)"),
        ("labels", {"meeting": "x"}, "no meeting kind 'meeting'"),
    ],
)
def test_a_bad_language_or_label_in_plan_json_is_one_line(field: str, value: object, problem: str) -> None:
    data = json.loads(sample_plan().to_json())
    data[field] = value
    with pytest.raises(PlanFileError) as info:
        Plan.from_json(json.dumps(data), source="plan.json")
    assert str(info.value) == f"plan.json: {field}: {problem}"


# -- the bundled year's calendars -----------------------------------------------------------------


def _events(data: bytes) -> list[Calendar]:
    return list(Calendar.from_ical(data).walk("VEVENT"))


def _sessions(data: bytes) -> list[Calendar]:
    return [ev for ev in _events(data) if not str(ev["uid"]).startswith("closure-")]


def test_the_bundled_year_in_swedish(default_scenario: Scenario, default_plan: Plan) -> None:
    assert default_scenario.language == "sv" and default_plan.language == "sv"
    data = master_calendar(default_plan, dtstamp=STAMP, include_closures=True)
    by_uid = {str(ev["uid"]).split("@")[0]: ev for ev in _events(data)}
    dialogs = [s for s in default_plan.sessions if s.kind == "dialog"]
    assert len(dialogs) == 14
    for s in dialogs:
        ev = by_uid[s.id]
        assert str(ev["summary"]) == f"Snabbdialog: {s.title}"
        assert str(ev["categories"].cats[0]) == "Snabbdialog"
        description = str(ev["description"])
        assert "\nTalarordning:\n" in f"\n{description}"
        assert f"{s.host_start:%H:%M}–{s.host_end:%H:%M} Vinnova (värd)" in description
        if s.followup_on:
            net = default_plan.session(s.followup_on)
            day = i18n.catalogue("sv").weekday_date(net.date)
            assert f"Följs upp på: {net.title}, {day} kl. {net.start:%H:%M}" in description
    assert any(s.followup_on for s in dialogs)
    networks = [by_uid[s.id] for s in default_plan.sessions if s.followups]
    assert networks
    for ev in networks:
        assert "Uppföljning av dialoger:\n- " in str(ev["description"])
        assert SWEDISH_DATE.search(str(ev["description"]))
    categories = {str(ev["categories"].cats[0]) for ev in _events(data)}
    assert {"Snabbdialog", "Hybrid informationsmöte", "Lärmöte", "Nätverksmöte", "Helgdag"} <= categories
    assert "Mötesfri period" in categories


def test_the_agencys_own_label_for_its_dialogs(default_plan: Plan, tmp_path: Path) -> None:
    """``labels: {dialog: Dialogförmiddag}`` in the bundled year's file, through the instance
    into the plan (the sessions are the solved year's: the label changes no placement)."""
    text = (ROOT / "scenarios" / "sweden-2027.yaml").read_text(encoding="utf-8")
    path = tmp_path / "own.yaml"
    path.write_text(text + "\nlabels: {dialog: Dialogförmiddag}\n", encoding="utf-8")
    own = load(path)
    plan = blank_plan(build_instance(own), status="FEASIBLE", sessions=default_plan.sessions)
    assert plan.labels == {"dialog": "Dialogförmiddag"}
    summaries = {
        str(ev["uid"]).split("@")[0]: str(ev["summary"])
        for ev in _sessions(master_calendar(plan, dtstamp=STAMP))
    }
    for s in plan.sessions:
        if s.kind == "dialog":
            assert summaries[s.id] == f"Dialogförmiddag: {s.title}"
        else:
            assert summaries[s.id] == s.title
    assert "Snabbdialog:" not in "".join(summaries.values())


def _words(texts: list[str]) -> set[str]:
    """The words of messages, placeholders left out."""
    return {w for t in texts for chunk in re.split(r"\{[^}]*\}", t) for w in re.findall(r"\w\w+", chunk)}


@functools.cache
def _swedish_words() -> frozenset[str]:
    """Words of the Swedish catalogue that are no words of the English messages."""
    sv = [m for m in _read_po(CATALOGUES["sv"]) if m.id]
    english = _words([i for m in sv for i in ([m.id] if isinstance(m.id, str) else m.id)])
    swedish = _words([f for m in sv for f in ([m.string] if isinstance(m.string, str) else m.string)])
    return frozenset(swedish - english | set(SWEDISH_MONTHS) | set(SWEDISH_WEEKDAYS) | {"kl"})


def _swedish_left(text: str, scenario_text: list[str]) -> list[str]:
    """Swedish in ``text`` once every name and text from the scenario is taken out."""
    for own in sorted(scenario_text, key=len, reverse=True):
        text = text.replace(own, "")
    words = _swedish_words()
    tokens = set(re.findall(r"\w+", text))  # a whole word of the text, as (?<!\w)word(?!\w) finds it
    found = sorted(
        w
        for w in words
        if (w in tokens if re.fullmatch(r"\w+", w) else re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text))
    )
    return found + sorted(set(re.findall("[åäöÅÄÖ]", text)))


def test_english_calendars_carry_no_swedish_words_of_arshjuls(default_plan: Plan, tmp_path: Path) -> None:
    plan = dataclasses.replace(default_plan, language="en")
    # one more generation, so that cancellation texts are written too
    gone = dataclasses.replace(plan, sessions=plan.sessions[1:])
    paths = write_calendars(plan, tmp_path / "pub", dtstamp=STAMP, include_closures=True)
    paths += write_invitations(gone, plan, tmp_path / "inv", dtstamp=STAMP)
    assert any(p.name.endswith("cancel.ics") for p in paths)
    scenario_text = [
        *(s.title for s in plan.sessions),
        *(s.description for s in plan.sessions if s.description),
        *(s.location for s in plan.sessions if s.location),
        *(s.meeting_link for s in plan.sessions if s.meeting_link),
        *plan.regions.values(),
        *plan.hosts.values(),
        *(p.name for s in plan.sessions for p in s.presentations),
        *(c.name for c in plan.closures),
    ]
    checked = 0
    for path in paths:
        for ev in _events(path.read_bytes()):
            for name in ("summary", "description", "location"):
                if name in ev:
                    left = _swedish_left(str(ev[name]), scenario_text)
                    assert left == [], (path.name, str(ev["uid"]), name, left)
            category = str(ev["categories"].cats[0])
            assert category in {*i18n.KIND_LABELS.values(), "Holiday", "Blackout"}, category
            checked += 1
    assert checked > 100
    dialog = next(s for s in plan.sessions if s.kind == "dialog" and s.followup_on)
    ev = next(
        e for e in _events(master_calendar(plan, dtstamp=STAMP)) if str(e["uid"]).startswith(dialog.id + "@")
    )
    assert str(ev["summary"]) == f"Strategic quick dialog: {dialog.title}"
    description = str(ev["description"])
    assert "Running order:\n" in description and " Vinnova (host)\n" in description
    assert re.search(r"Followed up at: .+, \w+day, \w+ \d{1,2}, 2027 at \d\d:\d\d", description)


def test_swedish_letters_round_trip_through_the_ics(default_plan: Plan, tmp_path: Path) -> None:
    labels = {"dialog": "Dialogförmiddag", "hybrid": "Öppen hybridträff", "network": "Nätverksträff"}
    plan = dataclasses.replace(default_plan, labels=labels)
    paths = write_calendars(plan, tmp_path, dtstamp=STAMP, include_closures=True)
    wanted = {s.id: s for s in plan.sessions}
    seen = 0
    for path in paths:
        raw = path.read_bytes()
        assert outlook_problems(raw) == [], path
        raw.decode("utf-8")  # strict: folding never splits an å
        for ev in _sessions(raw):
            s = wanted[str(ev["uid"]).split("@")[0]]
            want = f"Dialogförmiddag: {s.title}" if s.kind == "dialog" else s.title
            assert str(ev["summary"]) == want
            assert str(ev["categories"].cats[0]) == labels.get(s.kind, "Lärmöte")
            if s.kind == "dialog":
                assert "Talarordning:" in str(ev["description"])
                assert "Vinnova (värd)" in str(ev["description"])
            seen += 1
    assert seen > 26
    region = Calendar.from_ical((tmp_path / "regions" / "SE-E.ics").read_bytes())
    assert str(region["x-wr-calname"]).endswith("— Region Östergötland")


# -- iTIP: cancellations say why -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "gone", "uninvited"),
    [
        ("sv", "Mötet är inställt.", "Mötet hålls som planerat, men Region Skåne är inte längre inbjuden."),
        (
            "en",
            "This meeting is cancelled.",
            "The meeting is still held, but Region Skåne is no longer invited to it.",
        ),
    ],
)
def test_cancellations_say_why_in_the_plans_language(
    tmp_path: Path, language: str, gone: str, uninvited: str
) -> None:
    plan = dataclasses.replace(sample_plan(), language=language)
    second, ids = second_generation(plan)
    second = dataclasses.replace(
        second,
        sessions=[
            dataclasses.replace(s, invited=tuple(c for c in s.invited if c != "SE-M"))
            if s.id == "vinnova.learning"
            else s
            for s in second.sessions
        ],
    )
    write_invitations(second, plan, tmp_path, dtstamp=STAMP)
    (ev,) = _events((tmp_path / "cancel.ics").read_bytes())
    assert str(ev["description"]).startswith(gone)
    mine = {
        str(e["uid"]).split("@")[0]: str(e["description"])
        for e in _events((tmp_path / "regions" / "SE-M-cancel.ics").read_bytes())
    }
    assert mine["vinnova.learning"].startswith(uninvited)
    assert mine[str(ids["removed"])].startswith(gone)
    # the meetings still on carry no such line
    assert gone not in (tmp_path / "calendar.ics").read_bytes().decode()


def test_a_new_language_or_label_raises_sequence_so_outlook_updates() -> None:
    plan = sample_plan()
    english = carry_sequences(dataclasses.replace(plan, language="en"), plan)
    assert all(s.sequence == 1 for s in english.sessions)
    relabelled = carry_sequences(dataclasses.replace(plan, labels={"dialog": "Dialogförmiddag"}), plan)
    assert {s.id: s.sequence for s in relabelled.sessions} == {
        s.id: int(s.kind == "dialog") for s in plan.sessions
    }
    assert carry_sequences(Plan.from_json(plan.to_json()), plan).sessions == plan.sessions


def test_running_orders_read_back_in_either_language() -> None:
    sc = scenario(
        groups=[{"id": "duo", "name": "Duo", "members": ["SE-E", "SE-M"]}],
        hosts=[
            {
                "id": "vinnova",
                "name": "Vinnova",
                "themes": [{"id": "halsa", "name": "Hälsa", "max_presenters": 2}],
            }
        ],
        **{"weights.match": 10},
    )
    plan = solve_checked(sc)
    inst = build_instance(sc)
    for language in i18n.LANGUAGES:
        data = master_calendar(dataclasses.replace(plan, language=language), dtstamp=STAMP)
        assert plan_from_ics(data, inst, source="e.ics").sessions == plan.sessions, language


# -- the command line ----------------------------------------------------------------------------


def _year(tmp_path: Path, name: str = "year.yaml", **changes: object) -> Path:
    data = merge(
        base(),
        **{
            "hosts": [{"id": "vinnova", "name": "Vinnova", "themes": [{"id": "halsa", "name": "Hälsa"}]}],
            "network": {"host": "vinnova", "dates": ["2027-09-28"], "followup_weeks": 1},
            "weights.coverage": 40,
        },
        **changes,
    )
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_lang_sv_plan_prints_swedish(tmp_path: Path) -> None:
    sc = _year(tmp_path)
    args = ["plan", str(sc), "-o", str(tmp_path / "out"), "--time-limit", "10", "--no-report"]
    result = CliRunner(env=ENGLISH_ENV).invoke(main, ["--lang", "sv", *args])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Planerar 'Tiny' (" in out and "2 möten, 3 regioner" in out
    assert re.search(r"^Status: OPTIMAL   straff \d+ .*  löst på [\d.]+ s$", out, flags=re.M)
    assert re.search(r"^datum +tid +typ +möte +talare$", out, flags=re.M)
    assert re.search(r"^(mån|tis|ons|tors|fre) 2027-09-\d\d ", out, flags=re.M)
    assert re.search(r"^region +inbjudningar +max 28 d +tak +presenterar$", out, flags=re.M)
    assert "Straff per regel: match 0" in out
    assert re.search(r"^Skrev \d+ filer till ", out, flags=re.M)
    # the calendars are in the scenario's language whatever the terminal speaks
    assert b"Talarordning:" in (tmp_path / "out" / "calendar.ics").read_bytes()

    english = CliRunner(env=ENGLISH_ENV).invoke(main, [*args[:3], str(tmp_path / "en"), *args[4:]])
    assert english.exit_code == 0, english.output
    assert re.search(r"^date +time +kind +session +presenters$", english.output, flags=re.M)
    assert "Penalty by rule: " in english.output and "Wrote " in english.output


@pytest.mark.parametrize(
    ("env", "language"),
    [
        ({"LANG": "sv_SE.UTF-8"}, "sv"),
        ({"LC_MESSAGES": "sv_SE.UTF-8", "LANG": "en_GB.UTF-8"}, "sv"),
        ({"LC_ALL": "C", "LANG": "sv_SE.UTF-8"}, "en"),
        ({"LC_ALL": "sv_FI.UTF-8"}, "sv"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({}, "en"),
    ],
)
def test_the_locale_chooses_the_command_lines_language(env: dict[str, str], language: str) -> None:
    assert i18n.language_from_env(env) == language


def test_exit_2_and_exit_1_lines_in_swedish(tmp_path: Path) -> None:
    env = {**ENGLISH_ENV, "LANG": "sv_SE.UTF-8"}
    bad = _year(tmp_path, **{"limits.window_max": -1})
    result = CliRunner(env=env).invoke(main, ["validate", str(bad)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"fel: {bad}: limits.window_max: ")
    assert result.stderr.count("\n") == 1
    tight = _year(tmp_path, "tight.yaml", **{"limits.window_max": 1})
    result = CliRunner(env=env).invoke(main, ["plan", str(tight), "-o", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert "Ingen plan: scenariots hårda regler kan inte uppfyllas samtidigt." in result.stderr
    assert not (tmp_path / "none").exists()
    # --lang wins over the locale
    result = CliRunner(env=env).invoke(main, ["--lang", "en", "validate", str(bad)])
    assert result.stderr.startswith(f"error: {bad}: ")


def test_the_cli_offers_the_languages_the_catalogues_have() -> None:
    # cli.py keeps its own copy so that it imports nothing of arshjul before a command runs
    assert tuple(arshjul.cli.LANGUAGES) == tuple(arshjul.i18n.LANGUAGES)
