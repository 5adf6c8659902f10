"""All 21 regions edit at once against a real server on loopback: no change is lost, the
database stays consistent, and a restart in the middle keeps every committed change.

Bounded: 21 threads × EDITS edits each, a deadline, then it stops by itself."""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path

import httpx
import pytest

import arshjul
from arshjul.store import Store
from arshjul.web import Access, create_app
from arshjul.web.server import Background, free_port
from web_support import TOKEN, workspace_with_plan

pytestmark = pytest.mark.slow

EDITS = 12
DEADLINE = 120.0
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def _serve(ws: object, store: Store, port: int) -> Background:
    app = create_app(ws, Access.make(token=TOKEN, host="127.0.0.1", port=port), store=store)  # type: ignore[arg-type]
    return Background(app, port)


def _edit(
    base: str, token: str, code: str, start: int, stop: int, ok: list[tuple[str, int]], bad: list[str]
) -> None:
    """One region: sign in, then interest edits (a new weight per edit) and away weeks."""
    try:
        _edits(base, token, code, start, stop, ok, bad)
    except httpx.HTTPError as err:  # the server stopped under us: that edit was not answered
        bad.append(f"{code}: {type(err).__name__}")


def _edits(
    base: str, token: str, code: str, start: int, stop: int, ok: list[tuple[str, int]], bad: list[str]
) -> None:
    end = time.monotonic() + DEADLINE
    with httpx.Client(base_url=base, timeout=30) as h:
        r = h.get(f"/r/{token}")
        page = h.get("/r")
        if page.status_code != 200:
            bad.append(f"{code}: sign-in {r.status_code}/{page.status_code}")
            return
        csrf = CSRF.search(page.text).group(1)  # type: ignore[union-attr]
        for k in range(start, stop):
            if time.monotonic() > end:
                bad.append(f"{code}: deadline")
                return
            week = f"2027-W{10 + k:02d}"
            r = h.post("/r/away", data={"csrf": csrf, "span": week}, follow_redirects=False)
            if r.status_code != 303:
                bad.append(f"{code}: {week} {r.status_code}")
                continue
            ok.append((code, k))


def test_21_regions_at_once_lose_nothing_and_survive_a_restart(tmp_path: Path) -> None:
    ws, _ = workspace_with_plan(tmp_path / "ws")
    url = f"sqlite:///{tmp_path / 'ws' / 'arshjul.db'}"
    store = Store.open(url)
    codes = [r.code for r in arshjul.load_scenario(tmp_path / "ws" / "scenario.yaml").regions]
    assert len(codes) == 21
    tokens = {c: store.create_link(c, f"Person {c}")[1] for c in codes}
    ok: list[tuple[str, int]] = []
    bad: list[str] = []
    began = time.monotonic()
    half = EDITS // 2
    # first half: every region at once against one server
    port = free_port()
    with _serve(ws, store, port):
        threads = [
            threading.Thread(target=_edit, args=(f"http://127.0.0.1:{port}", tokens[c], c, 0, half, ok, bad))
            for c in codes
        ]
        for t in threads:
            t.start()
        wait_until = time.monotonic() + DEADLINE
        while len(ok) < len(codes) * 2 and time.monotonic() < wait_until:
            time.sleep(0.01)  # until the edits are well under way
        assert any(t.is_alive() for t in threads), "all edits ended before the restart"
    # the server stops mid-edit (threads still posting get errors or refused connections)
    for t in threads:
        t.join(timeout=DEADLINE)
    committed_before = {(c.region, c.key) for c in store.changes()}
    store.close()
    # a new server on the same database: the second half
    store2 = Store.open(url)
    port2 = free_port()
    with _serve(ws, store2, port2):
        threads = [
            threading.Thread(
                target=_edit, args=(f"http://127.0.0.1:{port2}", tokens[c], c, half, EDITS, ok, [])
            )
            for c in codes
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=DEADLINE)
    elapsed = time.monotonic() - began
    changes = store2.changes()
    stored = {(c.region, c.key) for c in changes}
    answered = {(code, f"2027-W{10 + k:02d}") for code, k in ok}
    # every change the server answered 303 to is in the database, and nothing else is
    assert answered <= stored, sorted(answered - stored)[:5]
    assert committed_before <= stored
    assert len(changes) == len(stored)  # one row per change: no double writes
    second = {(code, f"2027-W{10 + k:02d}") for code in codes for k in range(half, EDITS)}
    assert second <= stored  # after the restart, every edit of every region went through
    ids = [c.id for c in changes]
    assert ids == sorted(set(ids))
    assert committed_before, "the first server committed nothing before it stopped"
    print(
        f"\nload: {len(codes)} regions, {len(changes)} changes stored, {len(answered)} answered, "
        f"{len(bad)} refused while the server stopped, {elapsed:.1f} s"
    )
    store2.close()
