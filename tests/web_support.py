"""Shared by the web tests: one solved bundled year per test run, a workspace holding it, and
a client signed in the way a browser is (the printed address, then the cookie)."""

from __future__ import annotations

import functools
import re
from pathlib import Path

from starlette.testclient import TestClient

import arshjul
from arshjul.web import Access, Workspace, create_app

HOST, PORT = "127.0.0.1", 8765
BASE = f"http://{HOST}:{PORT}"
TOKEN = "t0ken-for-tests-" + "k" * 27
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
SESSION = "vinnova.dialog.precisionshalsa.1"
"""A dialog of the bundled year with four presenters."""


@functools.cache
def bundled_plan_json() -> str:
    """The bundled year solved once per test run (seconds; same seed, same plan).  Solved to
    its proven optimum: with a 10 s limit a heavily loaded machine sometimes stopped at
    another plan, on which the tests' cap-breaking moves did not exist."""
    sc = arshjul.load_scenario(arshjul.bundled("sweden-2027"))
    plan = arshjul.solve(sc, time_limit=120, seed=0)
    assert plan.status == "OPTIMAL", plan.status
    return plan.to_json()


def workspace_with_plan(root: Path) -> tuple[Workspace, str]:
    """A workspace of the bundled year whose current plan is the solved one."""
    ws = Workspace.open(root)
    info = ws.save_plan(arshjul.Plan.from_json(bundled_plan_json()), origin="solve")
    ws.set_current(info.id)
    return ws, info.id


def client(ws: Workspace, *, token: str = TOKEN, time_limit: float = 10) -> TestClient:
    app = create_app(ws, Access.make(token=token, host=HOST, port=PORT), time_limit=time_limit)
    return TestClient(app, base_url=BASE)


def sign_in(c: TestClient, token: str = TOKEN) -> str:
    """Open the printed address; returns the session's CSRF token (from a page's form)."""
    r = c.get(f"/?token={token}")
    assert r.status_code == 200, r.status_code
    assert "token=" not in str(r.url)
    found = CSRF.search(r.text)
    assert found, "no form on the first page"
    return found.group(1)
