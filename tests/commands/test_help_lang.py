"""``--help`` speaks the command line's language: translated when shown, English unchanged."""

from __future__ import annotations

import subprocess
import sys

import click
from click.testing import CliRunner

from arshjul.cli import HelpInLanguage, main


def _help(*args: str) -> str:
    return CliRunner().invoke(main, [*args, "--help"]).output


def test_plan_help_in_swedish_with_lang() -> None:
    text = _help("--lang", "sv", "plan")
    assert "Lös SCENARIO och skriv planen" in text and "Exempel:" in text and "Flaggor:" in text
    assert "Solve SCENARIO" not in text and "Options:" not in text and "Usage:" not in text
    assert "--time-limit" in text  # option names stay


def test_group_help_in_swedish_even_when_help_comes_first() -> None:
    for args in (("--lang", "sv"), ("--lang=sv",)):
        text = _help(*args)
        assert "Planera ett år av strategiska snabbdialoger" in text and "Kommandon:" in text
    text = CliRunner().invoke(main, ["--help", "--lang", "sv"]).output
    assert "Användning:" in text


def test_english_help_is_as_before() -> None:
    text = _help("plan")
    assert text.startswith("Usage: main plan [OPTIONS] [SCENARIO]\n\n  Solve SCENARIO and write the plan,")
    assert "  --seed INTEGER RANGE            Random seed (same seed, same plan).  [default:" in text
    assert "Options:" in text and "Example:" in text


def test_every_command_translates_its_help() -> None:
    ctx = main.make_context("arshjul", ["--help"], resilient_parsing=True)
    for name in main.list_commands(ctx):
        command = main.get_command(ctx, name)
        assert isinstance(command, HelpInLanguage), name


def test_swedish_locale_sets_the_help_language() -> None:
    env = {"LANG": "sv_SE.UTF-8", "PATH": "/usr/bin:/bin"}
    import os

    env["PYTHONPATH"] = os.environ.get("PYTHONPATH", "")
    out = subprocess.run(
        [sys.executable, "-m", "arshjul", "--help"], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert "Kommandon:" in out


ENGLISH = (
    "Usage:",
    "Options:",
    "Commands:",
    "Example",
    "Show this message",
    "Folder for",
    "Seconds ",
    " the ",
)
"""Words of the English help that a Swedish one never has (outside the example command lines)."""


def _prose(text: str) -> str:
    """The help without its example command lines (``arshjul …``, which stay as they are)."""
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("arshjul "))


def test_every_command_and_subcommand_help_is_swedish_with_lang_sv() -> None:
    ctx = main.make_context("arshjul", ["--help"], resilient_parsing=True)
    paths: list[tuple[str, ...]] = [()]
    for name in main.list_commands(ctx):
        paths.append((name,))
        command = main.get_command(ctx, name)
        if isinstance(command, click.Group):
            paths += [(name, sub) for sub in command.list_commands(ctx)]
    for path in paths:
        swedish = _prose(_help("--lang", "sv", *path))
        assert "Användning:" in swedish and "Flaggor:" in swedish, path
        assert "Visa den här hjälpen och avsluta." in swedish, path
        leftover = [word for word in ENGLISH if word in swedish]
        assert not leftover, (path, leftover)
        english = _help(*path)
        assert "Usage:" in english and "Options:" in english and "Show this message and exit." in english, (
            path
        )
    assert len(paths) > 14


def test_english_help_of_the_group_lists_the_commands_as_before() -> None:
    text = _help()
    assert "\n  Plan a year of strategic quick dialogs between an agency and Sweden's" in text
    assert "  --version       Show the version and exit.\n" in text
    assert "  plan          Solve SCENARIO and write the plan, calendars and summary.\n" in text


def test_the_summaries_are_what_click_makes_of_each_command_help_in_both_languages() -> None:
    from arshjul.cli import SUMMARIES, every_command, summary
    from arshjul.i18n import set_cli_language

    commands = every_command()
    assert set(SUMMARIES) == set(commands)
    try:
        for lang in ("en", "sv"):
            set_cli_language(lang)
            for name, command in commands.items():
                for limit in (30, 45, 80, 200):
                    assert summary(name, limit) == command.get_short_help_str(limit), (lang, name, limit)
    finally:
        set_cli_language("en")


NO_SOLVER = """
import sys
from arshjul.cli import run
sys.argv = ["arshjul", *sys.argv[1:]]
try:
    run()
finally:
    print("loaded:", *sorted(m for m in sys.modules if m.startswith(("ortools", "arshjul.commands"))),
          file=sys.stderr)
"""


def test_group_help_in_either_language_loads_no_command_and_no_solver() -> None:
    for args in (["--help"], ["--lang", "sv", "--help"]):
        done = subprocess.run(
            [sys.executable, "-c", NO_SOLVER, *args], capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
        assert done.stderr.strip().splitlines()[-1] == "loaded:", done.stderr
