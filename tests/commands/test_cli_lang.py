"""Every command's own lines in the planner's language: Swedish with ``--lang sv`` (or a
Swedish locale), English by default, with no Swedish word of arshjul's left in English.

One tiny year is planned once (English) and every other command runs against it twice, in
Swedish and in English; the scenario's own names (regions, themes) are Swedish in both, so
the words looked for are arshjul's, never the scenario's.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner, Result
from test_cli import small, write

from arshjul import i18n
from arshjul.cli import main
from arshjul.commands.plan import _ProgressLine
from conftest import merge

ENGLISH_ENV = {"LC_ALL": None, "LC_MESSAGES": None, "LANG": "C.UTF-8", "LANGUAGE": None}
"""A terminal that says nothing about Swedish: the default, English."""

SWEDISH_UI = re.compile(
    r"\b(?:straff|löst|Löste|giltigt|värd|teman|dialoger|öppet|stängt|borta|öppna dagar|Skrev|Löser|"
    r"varianter|klara|Resultat|BRUTEN|hårda regler|föreslagen|fel|varning|bästa|söker|gräns|Länk|"
    r"länken|mötet|okänd|ange|återkallad|kalendrar|planer|möten|regioner|mån|tis|ons|tors|tor|fre|lör|sön)\b"
)
"""arshjul's own Swedish words in what the commands print (none is in the tiny year's names)."""


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    """The tiny year of ``test_cli.small`` and its plan, planned once."""
    folder = tmp_path_factory.mktemp("lang")
    scenario = write(folder, small())
    out = folder / "out"
    done = CliRunner(env=ENGLISH_ENV).invoke(
        main, ["plan", str(scenario), "-o", str(out), "--time-limit", "10", "--no-report"]
    )
    assert done.exit_code == 0, done.output
    session = next(
        line.split("UID:")[1].split("@")[0]
        for line in (out / "calendar.ics").read_text(encoding="utf-8").splitlines()
        if line.startswith("UID:") and ".dialog." in line
    )
    tight = write(folder, merge(small(), **{"limits.window_max": 1}), "tight.yaml")  # no plan
    # the day of the health dialog (2027-09-07) closed: a replan or comparison must move it
    closed = [{"name": "Stängt", "start": "2027-09-07", "end": "2027-09-07"}]
    moved = write(folder, merge(small(), **{"calendar.blackouts": closed}), "moved.yaml")
    return SimpleNamespace(
        folder=folder, scenario=scenario, tight=tight, moved=moved, plan=out / "plan.json", session=session
    )


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    """The command line's language is the process's: what a test here chose ends with it, so a
    later test that calls the library directly finds the default English."""
    yield
    i18n.set_cli_language(i18n.CLI_DEFAULT_LANGUAGE)


def run(lang: str | None, args: list[str]) -> Result:
    """The command, in ``lang`` (``None``: no --lang, an English terminal)."""
    return CliRunner(env=ENGLISH_ENV).invoke(main, [*(["--lang", lang] if lang else []), *args])


Args = Callable[[SimpleNamespace, Path], list[str]]

COMMANDS: list[tuple[str, Args, list[str], list[str]]] = [
    # (name, arguments, Swedish that must be printed, the English it stands for)
    (
        "validate",
        lambda y, tmp: ["validate", str(y.scenario)],
        [r": giltigt — 3 regioner, 1 värd, 2 teman, \d+ möten \(\d+ dialoger\)$"],
        [r": valid — 3 regions, 1 host, 2 themes, \d+ sessions \(\d+ dialogs\)$"],
    ),
    (
        "check",
        lambda y, tmp: ["check", str(y.scenario), str(y.plan)],
        [r"plan\.json: alla hårda regler håller; straff \d+ \("],
        [r"plan\.json: every hard rule holds; penalty \d+ \("],
    ),
    (
        "check --plan",
        lambda y, tmp: ["check", str(y.scenario), str(y.plan), "--plan", str(y.plan)],
        [r"^föreslagen plan: straff \d+ \(redigerad \+0\)$"],
        [r"^proposed plan: penalty \d+ \(edited \+0\)$"],
    ),
    (
        "report",
        lambda y, tmp: ["report", str(y.plan), "-o", str(tmp / "report")],
        [r"^Skrev wheel\.svg, heatmap\.svg, report\.html, report\.md till "],
        [r"^Wrote wheel\.svg, heatmap\.svg, report\.html, report\.md to "],
    ),
    (
        "calendar",
        lambda y, tmp: ["calendar", str(y.scenario)],
        [
            r"^mån 2027-09-06  öppet: ",
            r"^lör 2027-09-11  stängt: ",
            r"^\d+ öppna dagar av 26 under 2027-09-06\.\.2027-10-01$",
        ],
        [
            r"^Mon 2027-09-06  open: ",
            r"^Sat 2027-09-11  closed: ",
            r"^\d+ open days of 26 in 2027-09-06\.\.2027-10-01$",
        ],
    ),
    (
        "calendar --region",
        lambda y, tmp: ["calendar", str(y.scenario), "--region", "SE-M"],
        [r"^SE-M: inga dagar borta$"],
        [r"^SE-M: no days away$"],
    ),
    (
        "explain",
        lambda y, tmp: ["explain", str(y.scenario), "--time-limit", "10"],
        [
            r"^Löste 'Tiny': OPTIMAL, straff \d+\.$",
            r"^Straff \d+ = match \d+ \+ coverage \d+ ",
            r"^term +rått +vikt +straff  vad$",
            r"^balance .* (?:fullast \d+ talare|en enda dialog)",
        ],
        [
            r"^Solved 'Tiny': OPTIMAL, penalty \d+\.$",
            r"^Penalty \d+ = match \d+ \+ coverage \d+ ",
            r"^term +raw +weight +penalty  what$",
            r"^balance .* (?:fullest \d+ presenters|a single dialog)",
        ],
    ),
    (
        "explain without a plan",
        lambda y, tmp: ["explain", str(y.tight), "--time-limit", "10"],
        [
            r"^Ingen plan: de här reglerna i scenariot kan inte hålla samtidigt ",
            r"^  1\. Region \w+: högst 1 inbjudan under 28 dagar i följd \(limits\.window_max\); \d+ möten? ",
            r"^     \[region_invitation_cap SE-\w+\]$",
            r"^Vägar ut, var och en prövad genom att lösa det ändrade scenariot:$",
        ],
        [
            r"^No plan: these rules of the scenario cannot all hold together ",
            r"^  1\. Region \w+: at most 1 invitation in any 28 days \(limits\.window_max\); \d+ sessions? ",
            r"^     \[region_invitation_cap SE-\w+\]$",
            r"^Ways out, each checked by solving the edited scenario:$",
        ],
    ),
    (
        "alternatives of a session",
        lambda y, tmp: ["alternatives", str(y.scenario), str(y.plan), y.session, "--time-limit", "10"],
        [
            r"^'.+' \(vinnova\.dialog\.\w+\.1\) ligger (?:mån|tis|ons|tors|fre) 2027-\d\d-\d\d \(morning\); "
            r"planens straff \d+\.$",
            r"^Talare: ",
            r"^(?:1 annat mötespass är möjligt|\d+ andra mötespass är möjliga); bästa först:$",
            r"^\d+ mötespass är inte möjliga?:$",
        ],
        [
            r"^'.+' \(vinnova\.dialog\.\w+\.1\) is on (?:Mon|Tue|Wed|Thu|Fri) 2027-\d\d-\d\d \(morning\); "
            r"plan penalty \d+\.$",
            r"^Presenters: ",
            r"^\d+ other slots? (?:is|are) possible; best first:$",
            r"^\d+ slots? (?:is|are) not possible:$",
        ],
    ),
    (
        "alternatives of a region",
        lambda y, tmp: ["alternatives", str(y.scenario), str(y.plan), "--region", "SE-I"],
        [
            r"^.+ \(SE-I\) presenterar i \d+ dialoger?\b.*; planens straff \d+\.$",
            r"^Den kan läggas till i \d+ dialog",
        ],
        [
            r"^.+ \(SE-I\) presents in \d+ dialogs?\b.*; plan penalty \d+\.$",
            r"^It could be added to \d+ dialog",
        ],
    ),
    (
        "alternatives",
        lambda y, tmp: ["alternatives", str(y.scenario), str(y.plan), "vinnova.dialog.nej.1"],
        [r"^fel: .*plan\.json: SESSION_ID: mötet 'vinnova\.dialog\.nej\.1' finns inte i planen \(t\.ex\. "],
        [r"^error: .*plan\.json: SESSION_ID: session 'vinnova\.dialog\.nej\.1' is not in the plan \(e\.g\. "],
    ),
    (
        "alternatives --region",
        lambda y, tmp: ["alternatives", str(y.scenario), str(y.plan), "--region", "SE-QQ"],
        [r"^fel: .*year\.yaml: --region: okänd region 'SE-QQ' \(regionerna är: SE-E, SE-M, SE-I\)$"],
        [r"^error: .*year\.yaml: --region: unknown region 'SE-QQ' \(regions are: SE-E, SE-M, SE-I\)$"],
    ),
    (
        "compare",
        lambda y, tmp: ["compare", str(y.scenario), str(y.scenario), "--time-limit", "10"],
        [r"^  .*year\.yaml: OPTIMAL, straff \d+ på [\d.]+ s$"],
        [r"^  .*year\.yaml: OPTIMAL, penalty \d+ in [\d.]+s$"],
    ),
    (
        "compare --json --csv",
        lambda y, tmp: ["compare", str(y.scenario), "--json", "--csv"],
        [r"^fel: --json/--csv: ange --json eller --csv, inte båda$"],
        [r"^error: --json/--csv: give --json or --csv, not both$"],
    ),
    (
        "sweep",
        lambda y, tmp: [
            "sweep", str(y.scenario), "--vary", "limits.window_max=3,4", "--jobs", "1",
            "--time-limit", "5", "-o", str(tmp / "sweep"),
        ],
        [
            r"^Löser 2 varianter av 'Tiny' på 1 lokal process, 5 s vardera$",
            r"^  \[\d/2\] OPTIMAL +straff \d+ ",
            r"^2 av 2 varianter klara: ",
            r"^Resultat: .*results\.csv och .*results\.jsonl$",
        ],
        [
            r"^Sweeping 2 variants of 'Tiny' on 1 local process, 5 s each$",
            r"^  \[\d/2\] OPTIMAL +penalty \d+ ",
            r"^2 of 2 variants finished: ",
            r"^Results: .*results\.csv and .*results\.jsonl$",
        ],
    ),
    (
        "sweep of too many",
        lambda y, tmp: [
            "sweep", str(y.scenario), "-o", str(tmp / "many"),
            "--vary", "limits.window_max=" + ",".join(str(n) for n in range(1, 34)),
            "--vary", "limits.daily_max=" + ",".join(str(n) for n in range(1, 34)),
        ],
        [r"^fel: --vary/--variants: 1089 varianter skulle lösas \(fler än 1\s000\); lägg till --yes "],
        [r"^error: --vary/--variants: 1089 variants would be solved \(more than 1,000\); add --yes "],
    ),
    (
        "replan",
        lambda y, tmp: [
            "replan", str(y.scenario), "--previous", str(y.plan), "--frozen-until", "2027-09-13",
            "--time-limit", "10", "-o", str(tmp / "replan"), "--quiet",
        ],
        [
            r"^Status: OPTIMAL   straff \d+ \(.*\)   löst på [\d.]+ s$",
            r"^Skrev \d+ filer till .*, kalendrar\)$",
        ],
        [
            r"^Status: OPTIMAL   penalty \d+ \(.*\)   solved in [\d.]+s$",
            r"^Wrote \d+ files to .*, calendars\)$",
        ],
    ),
    (
        "workbook new",
        lambda y, tmp: ["workbook", "new", str(tmp / "år.xlsx"), "--from", str(y.scenario)],
        [r"^Skrev .*år\.xlsx från .*year\.yaml: 3 regioner, 1 värd, 2 teman\.  Redigera den och kör sedan: "],
        [r"^Wrote .*år\.xlsx from .*year\.yaml: 3 regions, 1 host, 2 themes\.  Edit it, then: "],
    ),
    (
        "workbook export",
        lambda y, tmp: ["workbook", "export", str(y.scenario), "-o", str(y.scenario)],
        [r"year\.yaml: finns redan; lägg till --force för att ersätta den$"],
        [r"year\.yaml: exists already; add --force to replace it$"],
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("args", "swedish", "english"), [c[1:] for c in COMMANDS], ids=[c[0] for c in COMMANDS]
)
def test_each_command_speaks_swedish_with_lang_sv_and_english_without(
    year: SimpleNamespace, tmp_path: Path, args: Args, swedish: list[str], english: list[str]
) -> None:
    sv = run("sv", args(year, tmp_path / "sv"))
    en = run(None, args(year, tmp_path / "en"))
    assert sv.exit_code == en.exit_code, (sv.output, en.output)
    for pattern in swedish:
        assert re.search(pattern, sv.output, flags=re.M), (pattern, sv.output)
    for pattern in english:
        assert re.search(pattern, en.output, flags=re.M), (pattern, en.output)
    assert not SWEDISH_UI.findall(en.output), en.output

    # and --lang en says the same as the English terminal (solve times aside)
    def steady(text: str) -> str:
        return re.sub(r"[\d.]+ ?s\b", "_s", text).replace(str(tmp_path / "en2"), str(tmp_path / "en"))

    again = run("en", args(year, tmp_path / "en2"))
    assert steady(again.output) == steady(en.output)


def test_a_swedish_locale_is_swedish_without_lang(year: SimpleNamespace) -> None:
    result = CliRunner(env={**ENGLISH_ENV, "LANG": "sv_SE.UTF-8"}).invoke(
        main, ["validate", str(year.scenario)]
    )
    assert result.exit_code == 0 and ": giltigt — 3 regioner" in result.output


def test_check_names_a_broken_rule_in_both_languages(year: SimpleNamespace, tmp_path: Path) -> None:
    # every session in one slot breaks the daily cap and more: BROKEN / BRUTEN, with counts
    plan = year.plan.read_text(encoding="utf-8")
    dates = sorted(set(re.findall(r'"date": "(2027-\d\d-\d\d)"', plan)))
    broken = tmp_path / "broken.json"
    broken.write_text(plan.replace(f'"date": "{dates[-1]}"', f'"date": "{dates[0]}"'), encoding="utf-8")
    sv = run("sv", ["check", str(year.scenario), str(broken)])
    en = run(None, ["check", str(year.scenario), str(broken)])
    assert sv.exit_code == en.exit_code == 1
    assert re.search(r"^BRUTEN \w", sv.output, flags=re.M) and re.search(r"^BROKEN \w", en.output, flags=re.M)
    assert re.search(r": (?:1 bruten regel|\d+ brutna regler);", sv.output)
    assert re.search(r": \d+ broken rules?;", en.output)
    assert not SWEDISH_UI.findall(en.output)


def test_links_in_both_languages(year: SimpleNamespace, tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    workspace.mkdir()
    shutil.copy(year.scenario, workspace / "scenario.yaml")
    ws = ["--workspace", str(workspace)]
    sv = run("sv", ["links", "create", *ws, "--region", "SE-E", "--person", "Åsa Öberg"])
    assert sv.exit_code == 0, sv.output
    assert re.search(
        r"^Länk 1 för Åsa Öberg \(Region Östergötland\), giltig till \d{4}-\d\d-\d\d:$", sv.output, flags=re.M
    )
    assert re.search(r"^  sida:     http://127\.0\.0\.1:8765/r/\S+$", sv.output, flags=re.M)
    assert re.search(r"^  kalender: webcal://", sv.output, flags=re.M)
    assert "Länken visas bara nu" in sv.output
    en = run(None, ["links", "create", *ws, "--region", "SE-E", "--person", "Åsa Öberg"])
    assert re.search(r"^Link 2 for Åsa Öberg \(Region Östergötland\), valid until ", en.output, flags=re.M)
    assert re.search(r"^  page:     http://", en.output, flags=re.M) and "  calendar: webcal://" in en.output
    assert not SWEDISH_UI.findall(en.output.replace("Åsa Öberg", "").replace("Region Östergötland", ""))
    assert run("sv", ["links", "revoke", *ws, "1"]).output == "Länk 1 återkallad.\n"
    assert run(None, ["links", "revoke", *ws, "2"]).output == "Link 2 revoked.\n"
    assert run("sv", ["links", "revoke", *ws, "9"]).stderr == "fel: ingen länk 9\n"
    assert run(None, ["links", "revoke", *ws, "9"]).stderr == "error: no link 9\n"
    assert run("sv", ["links", "feed", *ws]).stderr == "fel: ange exakt en av --theme och --host\n"
    assert run("sv", ["links", "create", *ws, "--region", "SE-X", "--person", "A"]).stderr == (
        "fel: okänd region 'SE-X' (scenariot har SE-E, SE-I, SE-M)\n"
    )


def _progress(objective: float | None, bound: float | None, solutions: int) -> SimpleNamespace:
    return SimpleNamespace(objective=objective, bound=bound, elapsed=2.5, solutions=solutions)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "sv",
            [
                "  söker…   2.5 s, ingen plan ännu, gräns 10",
                "    2.5 s  bästa 40  gräns 30, gap 25.0 %  (1 plan)",
                "    2.5 s  bästa 40  gränsen ännu okänd  (3 planer)",
            ],
        ),
        (
            "en",
            [
                "  searching…   2.5s, no plan yet, bound 10",
                "    2.5s  best 40  bound 30, gap 25.0%  (1 plan)",
                "    2.5s  best 40  bound not yet known  (3 plans)",
            ],
        ),
    ],
)
def test_the_progress_line_in_both_languages(
    lang: str, expected: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    was = i18n.cli_language()
    i18n.set_cli_language(lang)
    try:
        line = _ProgressLine(enabled=True)
        line.tty = True  # one rewritten line: each state is printed, solutions or not
        for p in (_progress(None, 10, 0), _progress(40, 30, 1), _progress(40, None, 3)):
            line(p)
        line.done()
    finally:
        i18n.set_cli_language(was)
    shown = [part.rstrip() for part in capsys.readouterr().err.split("\r") if part.strip()]
    assert shown == expected


def test_default_is_english_whatever_the_scenarios_language(tmp_path: Path) -> None:
    # a scenario in English for its regions, a terminal that says nothing: English; with
    # --lang sv the command line is Swedish while the calendars stay in the scenario's English
    scenario = write(tmp_path, merge(small(), language="en"))
    en = run(None, ["validate", str(scenario)])
    sv = run("sv", ["validate", str(scenario)])
    assert ": valid — " in en.output and ": giltigt — " in sv.output


def _lines(text: str, *patterns: str) -> None:
    for pattern in patterns:
        assert re.search(pattern, text, flags=re.M), (pattern, text)


def test_the_compare_table_in_both_languages(year: SimpleNamespace) -> None:
    args = ["compare", str(year.scenario), str(year.moved), str(year.tight), "--time-limit", "10"]
    sv, en = run("sv", args), run(None, args)
    assert sv.exit_code == en.exit_code == 0, (sv.output, en.output)
    _lines(
        sv.stdout,
        r"^status +OPTIMAL +OPTIMAL +INFEASIBLE$",
        r"^straff +\d+ +\d+ +–$",
        r"^täckning \(regioner som presenterar\) +3/3 +3/3 +–$",
        r"^inbjudningar i värsta fönstret +\d+ +\d+ +–$",
        r"^regioner vid taket +\d+",
        r"^möten 2027-09 +\d+",
        r"^lösningstid s +[\d.]+",
        r"^mot year: flyttade +– +1 +–$",
        r"^tillagda / borttagna +– +0 / 0 +–$",
        r"^moved mot year:$",
        r"^  flyttat    vinnova\.dialog\.halsa\.1: 2027-09-07 09:00 → 2027-09-08 09:00$",
    )
    _lines(
        en.stdout,
        r"^objective +\d+ +\d+ +–$",
        r"^coverage \(regions presenting\) +3/3 +3/3 +–$",
        r"^worst window invitations +\d+ +\d+ +–$",
        r"^sessions 2027-09 +\d+",
        r"^vs year: moved +– +1 +–$",
        r"^added / removed +– +0 / 0 +–$",
        r"^moved against year:$",
        r"^  moved      vinnova\.dialog\.halsa\.1: 2027-09-07 09:00 → 2027-09-08 09:00$",
    )
    assert not SWEDISH_UI.findall(en.output), en.output


def test_the_replan_report_and_changes_txt_in_both_languages(year: SimpleNamespace, tmp_path: Path) -> None:
    def replan(lang: str | None, out: Path) -> Result:
        return run(
            lang,
            [
                "replan", str(year.moved), "--previous", str(year.plan), "--frozen-until", "2027-09-07",
                "--time-limit", "10", "-o", str(out), "--invitations",
            ],
        )  # fmt: skip

    sv, en = replan("sv", tmp_path / "sv"), replan(None, tmp_path / "en")
    assert sv.exit_code == en.exit_code == 0, (sv.output, en.output)
    swedish = [
        r"^Frysta: 1 möte\(n\) behålls exakt som de skickades\.$",
        r"^Ändringar: 1 flyttade, 0 tillagda, 0 borttagna, 0 med andra talare; \d+ kalenderposter att "
        r"uppdatera \(SEQUENCE höjd\)$",
        r"^  flyttat    Hållbar precisionshälsa \(vinnova\.dialog\.halsa\.1\): "
        r"2027-09-07 09:00 → 2027-09-08 09:00$",
        r"^Meddela varje region:$",
        r"^    - Hållbar precisionshälsa: flyttat från tis 2027-09-07 09:00–09:40 "
        r"till ons 2027-09-08 09:00–09:40$",
    ]
    english = [
        r"^Frozen: 1 session\(s\) kept exactly as sent\.$",
        r"^Changes: 1 moved, 0 added, 0 removed, 0 with other presenters; \d+ calendar entries to update "
        r"\(SEQUENCE raised\)$",
        r"^  moved    Hållbar precisionshälsa \(vinnova\.dialog\.halsa\.1\): "
        r"2027-09-07 09:00 → 2027-09-08 09:00$",
        r"^Tell each region:$",
        r"^    - Hållbar precisionshälsa: moved from Tue 2027-09-07 09:00–09:40 "
        r"to Wed 2027-09-08 09:00–09:40$",
    ]
    _lines(sv.output, *swedish, r"^invitations/: 1 flyttade, \d+ ändrade, 0 nya, 0 inställda$")
    _lines(en.output, *english, r"^invitations/: 1 moved, \d+ changed, 0 new, 0 cancelled$")
    assert not SWEDISH_UI.findall(en.output), en.output
    # changes.txt is the planner's copy of what was printed; changes.json is data, the same in both
    _lines((tmp_path / "sv" / "changes.txt").read_text(encoding="utf-8"), *swedish)
    _lines((tmp_path / "en" / "changes.txt").read_text(encoding="utf-8"), *english)
    assert (tmp_path / "sv" / "changes.json").read_bytes() == (tmp_path / "en" / "changes.json").read_bytes()
    assert "moved from Tue" in (tmp_path / "sv" / "changes.json").read_text(encoding="utf-8")


def test_a_replan_without_a_plan_says_why_in_both_languages(year: SimpleNamespace, tmp_path: Path) -> None:
    args = ["replan", str(year.tight), "--previous", str(year.plan), "--frozen-until", "2027-09-07"]
    sv = run("sv", [*args, "--time-limit", "10", "-o", str(tmp_path / "sv")])
    en = run(None, [*args, "--time-limit", "10", "-o", str(tmp_path / "en")])
    assert sv.exit_code == en.exit_code != 0
    _lines(sv.output, r"^Frysta: 1 möte", r"^Ingen plan, och utan några frysta möten blir det ingen heller ")
    _lines(en.output, r"^Frozen: 1 session", r"^No plan, and unfreezing every session gives none either ")
    assert not SWEDISH_UI.findall(en.output), en.output


@pytest.mark.parametrize(
    ("lang", "nothing", "wrote"),
    [
        (
            "sv",
            r"^invitations/: inget har ändrats sedan .*plan\.json; ingen inbjudan skrevs$",
            r"^Skrev \d+ filer ",
        ),
        (
            None,
            r"^invitations/: nothing changed since .*plan\.json; no invitation was written$",
            r"^Wrote \d+ files ",
        ),
    ],
)
def test_replan_says_what_invitations_holds_as_plan_does(
    year: SimpleNamespace, tmp_path: Path, lang: str | None, nothing: str, wrote: str
) -> None:
    # the year replanned unchanged: no invitation to send, so none written and none claimed
    out = tmp_path / "replan"
    result = run(
        lang,
        [
            "replan", str(year.scenario), "--previous", str(year.plan), "--frozen-until", "2027-09-07",
            "--time-limit", "10", "-o", str(out), "--invitations", "--quiet",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    _lines(result.output, nothing, wrote)
    written = next(line for line in result.output.splitlines() if re.match(wrote, line))
    assert "invitations/" not in written and not (out / "invitations").exists()


# -- the counting checks and the advice validate prints ------------------------------------------

ENGLISH_FILLER = re.compile(r"\b(?:of|but|whoever|need|needs|days|apart|hold|most|invited|once|only|each)\b")
"""English words of the counting sentences (none is a rule's or a field's name)."""


def test_validate_prints_counting_checks_and_advice_in_both_languages(tmp_path: Path) -> None:
    tight = write(tmp_path, merge(small(), **{"limits.window_max": 1}), "tight.yaml")
    sv, en = run("sv", ["validate", str(tight)]), run(None, ["validate", str(tight)])
    assert sv.exit_code == en.exit_code == 2
    assert re.search(
        r"^fel: .*tight\.yaml: limits\.window_max: region_invitation_cap: Region Östergötland bjuds in till "
        r"4 möten vem som än presenterar, men högst 1 inbjudan under 28 dagar i följd tillåter högst 1 under "
        r"de 26 dagarna 2027-09-06\.\.2027-10-01 då de kan hållas$",
        sv.stderr,
        flags=re.M,
    ), sv.stderr
    assert re.search(
        r"^error: .*: region_invitation_cap: Region Östergötland is invited to 4 sessions ", en.stderr
    )
    assert not SWEDISH_UI.findall(en.output) and "bjuds" not in en.output
    # a two-year period: its dialogs count for the whole period, not a year (a warning, still valid)
    long = write(tmp_path, merge(small(), **{"period.end": "2028-09-30"}), "long.yaml")
    sv, en = run("sv", ["validate", str(long)]), run(None, ["validate", str(long)])
    assert sv.exit_code == en.exit_code == 0
    _lines(
        sv.output,
        r"^varning: .*long\.yaml: hosts\[vinnova\]\.themes\[halsa\]\.dialogs: 1 dialog under hela "
        r"perioden på 391 dagar \(ungefär 1,1 år\), inte per år; skriv 1 för 1 om året$",
    )
    _lines(
        en.output,
        r"^warning: .*long\.yaml: hosts\[vinnova\]\.themes\[halsa\]\.dialogs: 1 dialog in the whole 391-day "
        r"period \(about 1\.1 years\), not per year; write 1 for 1 a year$",
    )
    assert not SWEDISH_UI.findall(en.output)


def test_every_counting_check_speaks_swedish() -> None:
    from test_bad_scenarios import COUNTING

    from arshjul import counting, scenario

    for case, (data, _field, english) in COUNTING.items():
        sc = scenario.from_data(data)
        with i18n.speaking("sv"):
            swedish = counting.problems(sc)[0].problem
        with i18n.speaking("en"):
            assert counting.problems(sc)[0].problem == english, case
        rule = re.match(r"\w+", english)
        assert rule and swedish.startswith(rule.group(0)) and swedish != english, (case, swedish)
        assert not ENGLISH_FILLER.findall(swedish), (case, swedish)


# -- the checker's broken rules: check, plan's verification, the web's check page ------------------

CHECK_ENGLISH = re.compile(
    r"\b(?:is|are|not|of|the|on|and|at|least|most|needed|allowed|apart|times|missing|planned|twice|falls|"
    r"invited|presents|holds|should|session|slot)\b"
)
"""English words of the checker's sentences (none is in the tiny year's ids or names)."""


def test_check_prints_the_broken_rules_in_swedish(year: SimpleNamespace, tmp_path: Path) -> None:
    plan = year.plan.read_text(encoding="utf-8")
    dates = sorted(set(re.findall(r'"date": "(2027-\d\d-\d\d)"', plan)))
    broken = tmp_path / "broken.json"
    broken.write_text(plan.replace(f'"date": "{dates[-1]}"', f'"date": "{dates[0]}"'), encoding="utf-8")
    sv = run("sv", ["check", str(year.scenario), str(broken)])
    assert sv.exit_code == 1
    _lines(
        sv.output,
        r"^BRUTEN session_fits_slot \[vinnova\.hybrid\.ekosystem\]: 2027-\d\d-\d\d \d\d:\d\d–\d\d:\d\d "
        r"ligger inte i något mötespass under perioden$",
        r"^BRUTEN host_tempo \[vinnova\]: Vinnova håller '[\w.]+' och '[\w.]+' \d+ dagar? isär; "
        r"minst 1 behövs$",
    )


def test_every_broken_rule_of_a_mangled_plan_is_swedish(year: SimpleNamespace) -> None:
    import dataclasses
    import datetime as dt

    from arshjul.check import check
    from arshjul.commands import instance_of
    from arshjul.plan import Plan, Session
    from arshjul.scenario import load

    inst = instance_of(load(year.scenario), str(year.scenario))
    plan = Plan.from_json(year.plan.read_text(encoding="utf-8"))
    first, *rest = plan.sessions
    saturday = dt.date(2027, 9, 11)

    def on(day: dt.date, s: Session) -> Session:
        shift = day - s.date
        return dataclasses.replace(s, date=day, start=s.start + shift, end=s.end + shift)

    dialog = next(s for s in plan.sessions if s.kind == "dialog")
    mangled: list[list[Session]] = [
        [*rest],  # one missing
        [first, first, *rest],  # one twice
        [on(saturday, first), *rest],  # on a Saturday, and too close to the others
        [dataclasses.replace(s, presentations=()) if s is dialog else s for s in plan.sessions],
        [dataclasses.replace(s, invited=()) if s is dialog else s for s in plan.sessions],
        [dataclasses.replace(s, followup_on=None) if s is dialog else s for s in plan.sessions],
    ]
    seen: set[str] = set()
    for sessions in mangled:
        bad = dataclasses.replace(plan, sessions=sessions)
        with i18n.speaking("en"):
            english = [v.message for v in check(inst, bad).violations]
        with i18n.speaking("sv"):
            swedish = [v.message for v in check(inst, bad).violations]
        assert english and len(swedish) == len(english)
        for sv, en in zip(swedish, english, strict=True):
            assert sv != en and not CHECK_ENGLISH.findall(sv.replace(dialog.id, "")), (sv, en)
            seen.add(sv)
    assert any("lördag" in m for m in seen) and any("saknas i planen" in m for m in seen), seen


def test_the_ways_out_explain_proposes_in_both_languages(year: SimpleNamespace) -> None:
    args = ["explain", str(year.tight), "--time-limit", "10"]
    sv, en = run("sv", args), run(None, args)
    assert sv.exit_code == en.exit_code
    _lines(
        sv.output,
        r"^  - sätt limits\.window_max: \d+ \(nu 1\)$",
        r"^  - sätt regions\[SE-\w\]\.limits\.window_max: något av 2…\d+ \(nu 1\): ingen plan med något "
        r"av dem: bevisat \(inte ens \d+ ger någon\)$",
    )
    _lines(
        en.output,
        r"^  - set limits\.window_max: \d+ \(now 1\)$",
        r"^  - set regions\[SE-\w\]\.limits\.window_max: any of 2…\d+ \(now 1\): no plan with any of them: "
        r"proven \(even \d+ gives none\)$",
    )
    assert not SWEDISH_UI.findall(en.output)


# -- closed days and a region's days away (the instance's reasons) ----------------------------------


def test_calendar_reasons_and_a_regions_days_in_both_languages(tmp_path: Path) -> None:
    data = small()
    data["regions"][1] |= {"away": ["2027-09-13"], "cannot_present": ["2027-09-14"]}  # type: ignore[index]
    blackouts = [{"name": "Höst", "start": "2027-09-20", "end": "2027-09-21"}]
    scenario = write(tmp_path, merge(data, **{"calendar.blackouts": blackouts}))
    sv, en = run("sv", ["calendar", str(scenario)]), run(None, ["calendar", str(scenario)])
    _lines(
        sv.output,
        r"^lör 2027-09-11  stängt: lördagar är inte mötesdagar$",
        r"^mån 2027-09-20  stängt: spärrperiod Höst$",
        r"^mån 2027-09-13  öppet: .*; borta: Region Skåne$",
        r"^tis 2027-09-14  öppet: .*; kan inte presentera: Region Skåne$",
    )
    _lines(
        en.output,
        r"^Sat 2027-09-11  closed: Saturdays are not meeting days$",
        r"^Mon 2027-09-20  closed: blackout Höst$",
        r"^Mon 2027-09-13  open: .*; away: Region Skåne$",  # not "away: away:"
        r"^Tue 2027-09-14  open: .*; cannot present: Region Skåne$",  # not "away: cannot present"
    )
    assert not SWEDISH_UI.findall(en.output)
    days = ["calendar", str(scenario), "--region", "SE-M"]
    assert (
        run("sv", days).output
        == "mån 2027-09-13  borta (2027-09-13)\ntis 2027-09-14  kan inte presentera (2027-09-14)\n"
    )
    assert (
        run(None, days).output
        == "Mon 2027-09-13  away (2027-09-13)\nTue 2027-09-14  cannot present (2027-09-14)\n"
    )
    unknown = ["calendar", str(scenario), "--region", "SE-X"]
    assert run("sv", unknown).stderr.endswith(
        "--region: ingen region 'SE-X' i scenariot (dess regioner: SE-E, SE-M, SE-I)\n"
    )
    assert run(None, unknown).stderr.endswith(
        "--region: no region 'SE-X' in the scenario (its regions: SE-E, SE-M, SE-I)\n"
    )


def test_calendar_never_calls_a_region_that_may_listen_away() -> None:
    """Sportlov week 9 in the bundled year: those regions cannot present but are invited, and
    count against their caps — the listing said "away:" for them, as for a region not invited."""
    line = next(
        ln
        for ln in run(
            None, ["calendar", str(Path(__file__).resolve().parents[2] / "scenarios" / "sweden-2027.yaml")]
        ).output.splitlines()
        if ln.startswith("Wed 2027-03-03")
    )
    assert "cannot present: sportlov: Region Dalarna, Region Gotland" in line, line
    assert "away" not in line, line


def test_a_span_of_weeks_is_worded_in_the_command_lines_language() -> None:
    bundled = str(Path(__file__).resolve().parents[2] / "scenarios" / "sweden-2027.yaml")
    days = ["calendar", bundled, "--region", "SE-C"]
    assert "tis 2027-02-23  sportlov (vecka 8)" in run("sv", days).output.splitlines()
    assert "Tue 2027-02-23  sportlov (week 8)" in run(None, days).output.splitlines()
