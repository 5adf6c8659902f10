"""The regions' side, route by route and role by role: a region sees and changes only its
own things, never another region's nor any planner page; the planner's session opens no
region page; every change needs its session's CSRF token; feeds open only by their own
token; wrong tokens are rate-limited; no token ever reaches a log line."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from icalendar import Calendar

from arshjul.web.app import REGION_ROUTES, ROUTES
from arshjul.web.security import CSP, REGION_FORBIDDEN
from arshjul.web.server import Background, free_port
from regions_support import World, app, client, region_client, world
from web_support import SESSION, TOKEN, sign_in

ROLES = ("planner", "region_a", "region_b", "no_token", "expired", "revoked", "made_up")


@pytest.fixture(scope="module")
def w(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    yield world(tmp_path_factory.mktemp("regions-security"))


def _as(w: World, role: str) -> tuple[Any, str | None]:
    """A client in ``role`` and the CSRF token it has (if any)."""
    if role == "planner":
        c = client(w)
        return c, sign_in(c)
    if role in ("region_a", "region_b"):
        return region_client(w, w.a_token if role == "region_a" else w.b_token)
    c = client(w)
    token = {"expired": w.expired_token, "revoked": w.revoked_token, "made_up": "x" * 43}.get(role)
    if token is not None:
        r = c.get(f"/r/{token}", follow_redirects=False)
        assert r.status_code == 403 and "set-cookie" not in r.headers
    return c, None


def _form(path: str, w: World, csrf: str | None) -> dict[str, str]:
    data = {
        "span": "2027-W18",
        "theme": "rymd",
        "focus": "x",
        "session": SESSION,
        "done": "1",
        "w_rymd": "50",
    }
    if csrf is not None:
        data["csrf"] = csrf
    return data


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path"), REGION_ROUTES)
def test_region_routes_by_role(w: World, role: str, method: str, path: str) -> None:
    c, csrf = _as(w, role)
    if method == "GET":
        r = c.get(path, follow_redirects=False)
    else:
        r = c.post(path, data=_form(path, w, csrf), follow_redirects=False)
    assert r.headers["content-security-policy"] == CSP
    if role in ("region_a", "region_b"):
        assert r.status_code in (200, 303, 400), (r.status_code, r.text[:300])
    else:
        assert r.status_code == 403, (role, r.status_code)
        assert r.text == REGION_FORBIDDEN


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_a_region_session_opens_no_planner_page(w: World, method: str, path: str) -> None:
    c, csrf = region_client(w, w.a_token)
    url = path.replace("{sid}", SESSION).replace("{code}", w.a).replace("{pid}", w.pid)
    url = url.replace("{nid}", "vinnova.network.2027-03-17").replace("{file}", "calendar.ics")
    if method == "GET":
        r = c.get(url, follow_redirects=False)
    else:
        r = c.post(url, data={"csrf": csrf or "", "time_limit": "1"}, follow_redirects=False)
    if path.startswith("/static/"):
        assert r.status_code in (200, 404)  # the region pages' own css and js
        return
    assert r.status_code == 403, (path, r.status_code)
    assert "BEGIN:VCALENDAR" not in r.text and SESSION not in r.text


def test_region_a_never_reads_or_changes_region_b(w: World) -> None:
    ca, csrf_a = region_client(w, w.a_token)
    cb, _ = region_client(w, w.b_token)
    before_b = w.store.state(w.b)
    # a field naming another region is ignored: the region is the session's
    r = ca.post("/r/away", data={"csrf": csrf_a, "span": "2027-W20", "region": w.b}, follow_redirects=False)
    assert r.status_code == 303
    assert "2027-W20" in w.store.state(w.a).away_spans
    assert w.store.state(w.b) == before_b
    page_b = cb.get("/r").text
    assert "2027-W20" not in page_b and "Anna A" not in page_b
    # homework only for the region's own presentations
    plan = w.ws.plan(w.pid)
    b_only = next(s for s in plan.sessions if w.b in s.presenting_regions and w.a not in s.presenting_regions)
    r = ca.post(
        "/r/homework", data={"csrf": csrf_a, "session": b_only.id, "done": "1"}, follow_redirects=False
    )
    assert r.status_code == 400
    assert b_only.id not in w.store.state(w.a).homework and b_only.id not in w.store.state(w.b).homework
    # B's feed token is B's calendar, not A's
    b_feed = w.store.create_feed("region", w.b)  # (the role walk made B's link a new feed)
    feed_b = Calendar.from_ical(ca.get(f"/feed/{b_feed}.ics").content)
    uids = {str(e["uid"]) for e in feed_b.walk("VEVENT")}
    assert any(b_only.id in u for u in uids)
    a_only = [s for s in plan.sessions_for(w.a) if w.b not in s.invited]
    assert not any(s.id in u for s in a_only for u in uids)


def test_a_region_page_shows_only_its_own_year(w: World) -> None:
    c, _ = region_client(w, w.a_token)
    page = c.get("/r").text
    plan = w.ws.plan(w.pid)
    mine = {s.id for s in plan.sessions_for(w.a)}
    others = [s for s in plan.sessions if s.id not in mine]
    assert all(f"hw-{s.id}" not in page for s in others)
    assert "<script>" not in page and " onclick=" not in page and " onload=" not in page


def test_csrf_on_every_region_change(w: World) -> None:
    c, _ = region_client(w, w.a_token)
    planner = client(w)
    planner_csrf = sign_in(planner)
    for method, path in REGION_ROUTES:
        if method != "POST":
            continue
        for given in (None, "", planner_csrf, "x" * 64):
            data = _form(path, w, given)
            assert c.post(path, data=data, follow_redirects=False).status_code == 403, (path, given)
        r = c.post(path, data=_form(path, w, None), headers={"origin": "http://evil.example"})
        assert r.status_code == 403


def test_the_planner_session_opens_no_region_page(w: World) -> None:
    c = client(w)
    sign_in(c)
    assert c.get("/r").status_code == 403


def test_revoking_ends_a_live_region_session_and_its_feed(tmp_path: Path) -> None:
    v = world(tmp_path)
    c, _ = region_client(v, v.a_token)
    assert c.get(f"/feed/{v.a_feed}.ics").status_code == 200
    v.store.revoke_link(v.a_link)
    assert c.get("/r").status_code == 403
    assert c.get(f"/feed/{v.a_feed}.ics").status_code == 404
    assert c.get(f"/r/{v.a_token}", follow_redirects=False).status_code == 403


@pytest.mark.parametrize("which", ["a", "theme", "revoked", "made_up", "empty"])
def test_feeds_open_only_by_their_token(tmp_path: Path, which: str) -> None:
    w = world(tmp_path)
    c = client(w)
    tokens = {"a": w.a_feed, "theme": w.theme_feed, "revoked": w.revoked_feed, "made_up": "y" * 43}
    token = tokens.get(which, "")
    r = c.get(f"/feed/{token}.ics")
    if which in ("a", "theme"):
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/calendar")
        assert r.headers["content-security-policy"] == CSP
    else:
        assert r.status_code == 404 and "BEGIN:VCALENDAR" not in r.text
    assert c.post(f"/feed/{w.a_feed}.ics").status_code == 405


def test_feed_etag_and_304(tmp_path: Path) -> None:
    w = world(tmp_path)
    c = client(w)
    r = c.get(f"/feed/{w.a_feed}.ics")
    etag, modified = r.headers["etag"], r.headers["last-modified"]
    assert c.get(f"/feed/{w.a_feed}.ics", headers={"if-none-match": etag}).status_code == 304
    assert c.get(f"/feed/{w.a_feed}.ics", headers={"if-modified-since": modified}).status_code == 304
    assert c.get(f"/feed/{w.a_feed}.ics", headers={"if-none-match": '"other"'}).status_code == 200


def test_wrong_tokens_are_rate_limited(tmp_path: Path) -> None:
    v = world(tmp_path)
    c = client(v)
    for k in range(10):
        assert c.get(f"/r/{'z' * 40}{k:03d}", follow_redirects=False).status_code == 403
    assert c.get(f"/r/{v.a_token}", follow_redirects=False).status_code == 429
    assert c.get(f"/feed/{v.a_feed}.ics").status_code == 429
    assert c.get(f"/?token={TOKEN}", follow_redirects=False).status_code == 429


def test_feed_guessing_is_rate_limited(tmp_path: Path) -> None:
    v = world(tmp_path)
    c = client(v)
    for k in range(10):
        assert c.get(f"/feed/guess{k}.ics").status_code == 404
    assert c.get(f"/feed/{v.a_feed}.ics").status_code == 429


def test_no_token_reaches_the_server_log(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    v = world(tmp_path)
    port = free_port()
    caplog.set_level(logging.DEBUG)
    with Background(app_for_port(v, port), port):
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base) as h:
            h.get(f"/r/{v.a_token}")
            h.get(f"/r/{'q' * 43}")
            h.get(f"/feed/{v.a_feed}.ics")
            h.get(f"/feed/{'p' * 43}.ics")
            h.get(f"/?token={TOKEN}")
    # the client's own loggers (httpx, httpcore) name the URL it asked for; the server's may not
    server = [r for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]
    text = "\n".join(f"{r.name} {r.getMessage()} {r.args!r}" for r in server)
    for token in (v.a_token, v.a_feed, TOKEN):
        assert token not in text


def app_for_port(v: World, port: int) -> object:
    from_support = app(v)  # the same app, answering on the real port's Host
    guard: Any = from_support
    guard.access.hosts = frozenset({f"127.0.0.1:{port}"})
    return guard
