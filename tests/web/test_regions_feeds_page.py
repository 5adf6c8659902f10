"""The planner's list of feed links: every region, theme and host of the scenario, a new
subscription address made (shown once, ``webcal://`` and over the web) and revoked; only the
planner's session opens it, and every change needs its CSRF token."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from icalendar import Calendar

from regions_support import World, client, region_client, world
from web_support import sign_in

WEBCAL = re.compile(r'id="made-webcal" href="webcal://([^/"]+)/feed/([^".]+)\.ics"')


@pytest.fixture(scope="module")
def w(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    yield world(tmp_path_factory.mktemp("regions-feeds-page"))


def test_the_page_lists_every_region_theme_and_host(w: World) -> None:
    p = client(w)
    sign_in(p)
    page = p.get("/feeds")
    assert page.status_code == 200
    sc, _ = w.ws.scenario()
    for r in sc.regions:
        assert f'id="feed-region-{r.code}"' in page.text
    for h, t in sc.themes():
        assert f'id="feed-theme-{t.id}"' in page.text
        assert f'id="feed-host-{h.id}"' in page.text
    # region A's live feed (made with Anna's link) is listed with whose link it came with
    row = page.text.split(f'id="feed-region-{w.a}"', 1)[1].split("</tr>", 1)[0]
    assert "Anna A" in row and "/feeds/revoke" in row
    assert w.a_feed not in page.text  # tokens are never shown again


def test_make_subscribe_and_revoke_a_theme_feed(w: World) -> None:
    p = client(w)
    csrf = sign_in(p)
    r = p.post("/feeds/create", data={"csrf": csrf, "kind": "theme", "subject": "rymd"})
    assert r.status_code == 200
    found = WEBCAL.search(r.text)
    assert found, r.text[:500]
    host, token = found.groups()
    assert host == "127.0.0.1:8765"
    assert f'href="http://127.0.0.1:8765/feed/{token}.ics"' in r.text
    feed = p.get(f"/feed/{token}.ics")
    assert feed.status_code == 200
    sessions = [e for e in Calendar.from_ical(feed.content).walk("VEVENT")]
    plan = w.ws.plan(w.pid)
    assert {str(e["uid"]) for e in sessions} and all(  # type: ignore[index]
        any(s.id in str(e["uid"]) for s in plan.sessions if s.theme == "rymd")  # type: ignore[index]
        for e in sessions
    )
    made = [f for f in w.store.feeds() if f.kind == "theme" and f.subject == "rymd" and f.revoked is None]
    newest = max(made, key=lambda f: f.id)
    r = p.post("/feeds/revoke", data={"csrf": csrf, "feed": str(newest.id)}, follow_redirects=False)
    assert r.status_code == 303
    assert "revoked" in p.get(r.headers["location"]).text
    assert p.get(f"/feed/{token}.ics").status_code == 404
    before = w.store.feeds()
    for unknown in ("999999", "-1", "", "1" * 40):  # nothing to revoke: back to the list, nothing changed
        r = p.post("/feeds/revoke", data={"csrf": csrf, "feed": unknown}, follow_redirects=False)
        assert (r.status_code, r.headers["location"]) == (303, "/feeds")
    assert w.store.feeds() == before


def test_a_host_feed_and_unknown_subjects(w: World) -> None:
    p = client(w)
    csrf = sign_in(p)
    sc, _ = w.ws.scenario()
    host = sc.hosts[0].id
    r = p.post("/feeds/create", data={"csrf": csrf, "kind": "host", "subject": host})
    found = WEBCAL.search(r.text)
    assert found
    assert p.get(f"/feed/{found.group(2)}.ics").status_code == 200
    before = len(w.store.feeds())
    for kind, subject in (("theme", "no-such-theme"), ("region", "SE-ZZ"), ("planner", host), ("", "")):
        r = p.post("/feeds/create", data={"csrf": csrf, "kind": kind, "subject": subject})
        assert r.status_code == 400 and 'id="error"' in r.text
    assert len(w.store.feeds()) == before  # nothing made


@pytest.mark.parametrize(
    ("method", "path"), [("GET", "/feeds"), ("POST", "/feeds/create"), ("POST", "/feeds/revoke")]
)
@pytest.mark.parametrize("role", ["region_a", "region_b", "no_token", "expired", "revoked"])
def test_only_the_planner_opens_it(w: World, role: str, method: str, path: str) -> None:
    before = w.store.feeds()
    if role in ("region_a", "region_b"):
        c, csrf = region_client(w, w.a_token if role == "region_a" else w.b_token)
    else:
        c, csrf = client(w), "x" * 43
        token = {"expired": w.expired_token, "revoked": w.revoked_token}.get(role)
        if token is not None:
            assert c.get(f"/r/{token}", follow_redirects=False).status_code == 403
    live = next(f for f in before if f.revoked is None)
    data = {"csrf": csrf, "kind": "region", "subject": w.b, "feed": str(live.id)}
    r = (
        c.get(path, follow_redirects=False)
        if method == "GET"
        else c.post(path, data=data, follow_redirects=False)
    )
    assert r.status_code == 403, (role, path, r.status_code)
    assert "webcal://" not in r.text and "feed-region-" not in r.text
    assert w.store.feeds() == before  # nothing made, nothing revoked


@pytest.mark.parametrize("path", ["/feeds/create", "/feeds/revoke"])
def test_csrf_on_every_feed_change(w: World, path: str) -> None:
    p = client(w)
    csrf = sign_in(p)
    _, region_csrf = region_client(w, w.a_token)
    before = w.store.feeds()
    live = next(f for f in before if f.revoked is None)
    for given in (None, "", region_csrf, "x" * 64):
        data = {"kind": "theme", "subject": "rymd", "feed": str(live.id)}
        if given is not None:
            data["csrf"] = given
        assert p.post(path, data=data, follow_redirects=False).status_code == 403, given
    data = {"csrf": csrf, "kind": "theme", "subject": "rymd", "feed": str(live.id)}
    assert p.post(path, data=data, headers={"origin": "http://evil.example"}).status_code == 403
    assert w.store.feeds() == before
