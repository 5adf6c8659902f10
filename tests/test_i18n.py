"""Languages: the message catalogues, and the scenario's ``language`` and ``labels`` on their
way into the plan."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import string
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from arshjul import i18n
from arshjul.errors import PlanFileError, ScenarioError
from arshjul.instance import build_instance
from arshjul.plan import Plan
from arshjul.revision import carry_sequences
from arshjul.scenario import json_schema
from conftest import ROOT, scenario, solve_checked
from plans import sample_plan

LOCALE = ROOT / "src" / "arshjul" / "locale"
CATALOGUES = {lang: LOCALE / lang / "LC_MESSAGES" / "arshjul.po" for lang in i18n.LANGUAGES}
PYBABEL = "from babel.messages.frontend import main; main()"
"""``pybabel`` of the running interpreter."""


def _key(message: Message) -> str | tuple[str, ...]:
    return message.id if isinstance(message.id, str) else tuple(message.id)


def _read_po(path: Path) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh)


def _code_messages() -> set[str | tuple[str, ...]]:
    """Every msgid in the code, extracted as ``pybabel extract -F babel.cfg`` does."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh, str(ROOT / "babel.cfg"))
    found = extract_from_dir(ROOT, method_map, options_map, keywords=DEFAULT_KEYWORDS)
    return {message if isinstance(message, str) else tuple(message) for _, _, message, _, _ in found}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


# -- the catalogues ----------------------------------------------------------------------------


def test_every_message_in_the_code_is_in_both_catalogues_and_the_template() -> None:
    code = _code_messages()
    assert "Strategic quick dialog" in code
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


def test_catalogue_words_and_dates() -> None:
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


# -- what the calendars show ---------------------------------------------------------------------


def test_a_new_language_or_label_raises_sequence_so_outlook_updates() -> None:
    plan = sample_plan()
    english = carry_sequences(dataclasses.replace(plan, language="en"), plan)
    assert all(s.sequence == 1 for s in english.sessions)
    relabelled = carry_sequences(dataclasses.replace(plan, labels={"dialog": "Dialogförmiddag"}), plan)
    assert {s.id: s.sequence for s in relabelled.sessions} == {
        s.id: int(s.kind == "dialog") for s in plan.sessions
    }
    assert carry_sequences(Plan.from_json(plan.to_json()), plan).sessions == plan.sessions
