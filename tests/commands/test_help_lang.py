"""``--help`` speaks the command line's language: translated when shown, English unchanged."""

from __future__ import annotations

import subprocess
import sys

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
