"""``arshjul links``' feeds: a theme's or host's feed made (both addresses printed once),
listed without its token, revoked; unknown themes, hosts and feed ids refused in one line
with exit code 2."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from click.testing import CliRunner

import arshjul
from arshjul.cli import main
from arshjul.store import Store

FEED = re.compile(r"^webcal://127\.0\.0\.1:8765/feed/([A-Za-z0-9_-]{40,})\.ics$")


def _workspace(tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    ws.mkdir()
    shutil.copy(arshjul.bundled("sweden-2027"), ws / "scenario.yaml")
    return ws


def _run(*args: str) -> tuple[int, list[str]]:
    r = CliRunner().invoke(main, ["links", *args])
    return r.exit_code, r.output.strip().splitlines()


def test_make_list_and_revoke_theme_and_host_feeds(tmp_path: Path) -> None:
    ws = str(_workspace(tmp_path))
    code, lines = _run("feed", "--workspace", ws, "--theme", "rymd")
    assert code == 0 and len(lines) == 2
    found = FEED.match(lines[0])
    assert found and lines[1] == f"http://127.0.0.1:8765/feed/{found.group(1)}.ics"
    code, lines = _run("feed", "--workspace", ws, "--host", "vinnova")
    assert code == 0
    code, listed = _run("feeds", "--workspace", ws)
    assert code == 0 and [line.split("\t")[1:3] for line in listed] == [
        ["theme", "rymd"],
        ["host", "vinnova"],
    ]
    assert all(line.endswith("\tactive") for line in listed) and found.group(1) not in "\n".join(listed)
    first = listed[0].split("\t")[0]
    code, lines = _run("revoke-feed", "--workspace", ws, first)
    assert code == 0 and lines == [f"Feed {first} revoked."]
    store = Store.open(f"sqlite:///{Path(ws) / 'arshjul.db'}")
    assert store.feed_by_token(found.group(1)) is None
    _, listed = _run("feeds", "--workspace", ws)
    assert listed[0].endswith("\trevoked") and listed[1].endswith("\tactive")


def test_unknown_theme_host_or_feed_in_one_line(tmp_path: Path) -> None:
    ws = str(_workspace(tmp_path))
    for args in (["--theme", "kärnkraft"], ["--host", "nasa"], [], ["--theme", "rymd", "--host", "vinnova"]):
        code, lines = _run("feed", "--workspace", ws, *args)
        assert code == 2 and len(lines) == 1 and lines[0].startswith("error: "), lines
    assert "kärnkraft" not in "\n".join(_run("feeds", "--workspace", ws)[1])
    code, lines = _run("revoke-feed", "--workspace", ws, "42")
    assert code == 2 and lines == ["error: no feed 42"]
