"""Shared by the regions' tests: a workspace with the solved bundled year, its store, and
region links of two regions (A presents in the plan), expired and revoked links, feeds."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from starlette.testclient import TestClient

import arshjul
from arshjul.store import Store
from arshjul.web import Access, Workspace, create_app
from web_support import BASE, HOST, PORT, TOKEN, bundled_plan_json, workspace_with_plan

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass
class World:
    ws: Workspace
    pid: str
    store: Store
    a: str
    """Region A's code (presents at least once in the plan)."""
    b: str
    a_token: str
    b_token: str
    expired_token: str
    revoked_token: str
    a_feed: str
    b_feed: str
    theme_feed: str
    revoked_feed: str
    a_link: int


def presenting_regions() -> tuple[str, str]:
    plan = arshjul.Plan.from_json(bundled_plan_json())
    presenting = sorted({c for s in plan.sessions if s.kind == "dialog" for c in s.presenting_regions})
    return presenting[0], presenting[1]


def world(root: Path, store: Store | None = None) -> World:
    ws, pid = workspace_with_plan(root / "ws")
    store = store or Store.open(f"sqlite:///{root / 'ws' / 'arshjul.db'}")
    a, b = presenting_regions()
    la, ta = store.create_link(a, "Anna A", email="anna@example.se")
    lb, tb = store.create_link(b, "Bo B")
    _, te = store.create_link(a, "Eva Expired", days=0)
    lr, tr = store.create_link(a, "Rut Revoked")
    rf = store.create_feed("region", a, link_id=lr.id)
    store.revoke_link(lr.id)
    return World(
        ws,
        pid,
        store,
        a,
        b,
        ta,
        tb,
        te,
        tr,
        store.create_feed("region", a, link_id=la.id),
        store.create_feed("region", b, link_id=lb.id),
        store.create_feed("theme", "rymd"),
        rf,
        la.id,
    )


def app(w: World) -> object:
    return create_app(w.ws, Access.make(token=TOKEN, host=HOST, port=PORT), time_limit=5, store=w.store)


def client(w: World) -> TestClient:
    return TestClient(app(w), base_url=BASE)  # type: ignore[arg-type]


def region_client(w: World, token: str) -> tuple[TestClient, str]:
    """A client signed in through a region link; returns it and its CSRF token."""
    c = client(w)
    r = c.get(f"/r/{token}", follow_redirects=False)
    assert r.status_code == 200, r.text
    assert 'http-equiv="refresh"' in r.text
    page = c.get("/r")
    assert page.status_code == 200, page.text
    found = CSRF.search(page.text)
    assert found
    return c, found.group(1)
