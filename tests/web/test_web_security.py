"""arshjul serve answers only its planner: token, Host, CSRF, headers, and no way out of the
workspace.  Every route is tried without a token, with a wrong one and with the right one."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from arshjul.web import Workspace, jobs
from arshjul.web.app import ROUTES
from arshjul.web.security import CSP, FORBIDDEN, allowed_hosts
from web_support import BASE, PORT, SESSION, TOKEN, client, sign_in, workspace_with_plan

SECRET = "TOP-SECRET-MARKER-7f3a"
"""Written into files outside the workspace: it must never appear in an answer."""


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, str, Path]]:
    base = tmp_path_factory.mktemp("web-security")
    ws, pid = workspace_with_plan(base / "ws")
    outside = base / "outside"
    outside.mkdir()
    (outside / "secret.ics").write_text(f"BEGIN:VCALENDAR\n{SECRET}\nEND:VCALENDAR\n")
    (outside / "calendar.ics").write_text(SECRET)
    yield ws, pid, outside
    jobs.wait(ws, 60)  # a solve some test started must not outlive the workspace


def _url(path: str, pid: str) -> str:
    """A route with real ids of the workspace filled in."""
    filled = path.replace("{sid}", SESSION).replace("{code}", "SE-I").replace("{pid}", pid)
    filled = filled.replace("{theme}", "precisionshalsa")
    filled = filled.replace("{nid}", "vinnova.network.2027-03-17")
    return filled.replace("{file}", "style.css" if filled.startswith("/static/") else "calendar.ics")


def _form(path: str, csrf: str | None) -> dict[str, str]:
    data = {"time_limit": "1", "where": "", "date": "2027-02-02", "slot": "morning", "pinned": "1"}
    data |= {"text": "an action", "owner": "SE-E", "synergies": "a synergy"}
    data |= {"kind": "theme", "subject": "rymd", "feed": "1"}  # /feeds/create, /feeds/revoke
    if csrf is not None:
        data["csrf"] = csrf
    return data


def _call(c: TestClient, method: str, url: str, data: dict[str, str] | None = None) -> Any:
    if method == "GET":
        return c.get(url, follow_redirects=False)
    return c.post(url, data=data, follow_redirects=False)


def _refused(r: Any, status: int = 403) -> None:
    assert r.status_code == status, (r.status_code, r.text[:200])
    assert SESSION not in r.text and "BEGIN:VCALENDAR" not in r.text and SECRET not in r.text
    assert "set-cookie" not in r.headers


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_no_token_is_403_with_no_data(setup: Any, method: str, path: str) -> None:
    ws, pid, _ = setup
    c = client(ws)
    r = _call(c, method, _url(path, pid), data=_form(path, None) if method == "POST" else None)
    _refused(r)
    assert r.text == FORBIDDEN


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_wrong_token_is_403(setup: Any, method: str, path: str) -> None:
    ws, pid, _ = setup
    c = client(ws)
    url = _url(path, pid)
    if method == "GET":
        _refused(_call(c, "GET", f"{url}?token=wrong-{TOKEN}"))
        _refused(_call(c, "GET", f"{url}?token="))
    else:  # a token in the address never signs a POST in, right or wrong
        _refused(_call(c, "POST", f"{url}?token=wrong", data=_form(path, "x")))
        _refused(_call(c, "POST", f"{url}?token={TOKEN}", data=_form(path, "x")))
    # a made-up session cookie, and the token itself as the cookie, are no session
    for value in ("forged-session", TOKEN):
        c.cookies.set(f"arshjul_session_{PORT}", value)
        _refused(_call(c, method, url, _form(path, "x")))


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_right_token_passes_the_guard(setup: Any, method: str, path: str) -> None:
    ws, pid, _ = setup
    c = client(ws)
    csrf = sign_in(c)
    r = _call(c, method, _url(path, pid), data=_form(path, csrf) if method == "POST" else None)
    # through the guard: the route answers (a second solve while one runs is a 409)
    assert r.status_code in (200, 303, 409), (r.status_code, r.text[:300])
    assert r.headers["content-security-policy"] == CSP
    jobs.wait(ws, 60)
    ws.set_current(pid)
    ws.set_pinned(SESSION, False)


def test_the_token_leaves_the_address_and_the_cookie_is_strict(setup: Any) -> None:
    ws, _, _ = setup
    c = client(ws)
    r = c.get(f"/heatmap?token={TOKEN}&x=1", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/heatmap?x=1"
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    assert TOKEN not in cookie  # the cookie holds a session id, never the token
    assert c.get("/heatmap").status_code == 200
    # the redirect stays on this server whatever the address looked like
    for path in ("//evil.example/x", "/%5Cevil.example", "/%5C%5Cevil.example"):
        r = c.get(f"{path}?token={TOKEN}", follow_redirects=False)
        location = r.headers["location"]
        assert r.status_code == 303 and location.startswith("/") and not location.startswith("//")
        assert "\\" not in location


@pytest.mark.parametrize(
    "host",
    [
        "evil.example:8765",  # DNS rebinding: another name that resolves to 127.0.0.1
        "127.0.0.1:9999",  # another port
        "127.0.0.1",  # no port
        "localhost.evil.example:8765",
        "127.0.0.1:8765.evil.example",
        "",
    ],
)
def test_bad_host_is_400(setup: Any, host: str) -> None:
    ws, _, _ = setup
    c = client(ws)
    sign_in(c)
    for path in ("/", f"/?token={TOKEN}", "/download/calendar.ics", "/static/app.js"):
        r = c.get(path, headers={"host": host}, follow_redirects=False)
        assert r.status_code == 400, (host, path)
        assert "BEGIN:VCALENDAR" not in r.text and "set-cookie" not in r.headers
    r = c.post("/solve", headers={"host": host}, follow_redirects=False)
    assert r.status_code == 400


@pytest.mark.parametrize("host", ["127.0.0.1:8765", "localhost:8765", "LOCALHOST:8765", "[::1]:8765"])
def test_loopback_hosts_are_served(setup: Any, host: str) -> None:
    ws, _, _ = setup
    c = client(ws)
    sign_in(c)
    assert c.get("/plans", headers={"host": host}).status_code == 200


def test_post_needs_the_sessions_csrf_token(setup: Any) -> None:
    ws, pid, _ = setup
    c = client(ws)
    csrf = sign_in(c)
    other = client(ws)
    other_csrf = sign_in(other)
    assert other_csrf != csrf
    url = f"/session/{SESSION}/pin"
    for data in ({}, {"csrf": ""}, {"csrf": "0" * len(csrf)}, {"csrf": other_csrf}, {"csrf": csrf[:-1]}):
        r = c.post(url, data={**data, "pinned": "1"}, follow_redirects=False)
        assert r.status_code == 403, data
    assert ws.pins() == []
    # the right token: in the form, or in the header (for scripts)
    assert c.post(url, data={"csrf": csrf, "pinned": "1"}, follow_redirects=False).status_code == 303
    assert ws.pins() == [SESSION]
    r = c.post(url, data={"pinned": "0"}, headers={"x-csrf-token": csrf}, follow_redirects=False)
    assert r.status_code == 303
    assert ws.pins() == []
    # a form sent from another site is refused even with the right token
    for headers in ({"origin": "http://evil.example"}, {"sec-fetch-site": "cross-site"}):
        r = c.post(url, data={"csrf": csrf, "pinned": "1"}, headers=headers, follow_redirects=False)
        assert r.status_code == 403
    assert ws.pins() == []
    assert ws.current_id() == pid


def test_a_huge_post_is_refused_before_it_is_read(setup: Any) -> None:
    ws, _, _ = setup
    c = client(ws)
    csrf = sign_in(c)
    r = c.post("/job/stop", data={"csrf": csrf, "pad": "x" * 200_000}, follow_redirects=False)
    assert r.status_code == 413


@pytest.mark.parametrize(
    "path",
    [
        "/download/../plans/{pid}.json",
        "/download/..%2fplans%2f{pid}.json",
        "/download/%2e%2e/%2e%2e/scenario.yaml",
        "/download/regions/%2e%2e/%2e%2e/%2e%2e/scenario.yaml",
        "/download/regions/..%2f..%2f..%2fcurrent.json",
        "/download//etc/passwd",
        "/download/%2fetc%2fpasswd",
        "/download/{outside}/secret.ics",
        "/download/regions/SE-I.ics%00.json",
        "/download/regions\\..\\..\\scenario.yaml",
        "/download/scenario.yaml",
        "/download/regions/",
        "/plans/..%2f..%2fscenario",
        "/plans/%2e%2e",
        "/session/..%2f..%2fscenario.yaml",
        "/region/..%2fSE-I",
        "/static/../workspace.py",
        "/static/%2e%2e/workspace.py",
        "/static/..%2fworkspace.py",
    ],
)
def test_no_path_leaves_the_workspace(setup: Any, path: str) -> None:
    ws, pid, outside = setup
    c = client(ws)
    sign_in(c)
    r = c.get(path.replace("{pid}", pid).replace("{outside}", str(outside).lstrip("/")))
    assert r.status_code in (400, 404), (path, r.status_code)
    assert SECRET not in r.text
    assert "def " not in r.text and "root:" not in r.text and "scenario_id" not in r.text
    assert "limits:" not in r.text


def test_a_symlink_inside_the_workspace_is_not_followed_out(setup: Any) -> None:
    ws, pid, outside = setup
    c = client(ws)
    sign_in(c)
    assert c.get("/download/regions/SE-I.ics").status_code == 200  # exports are made now
    folder = ws.root / "exports" / pid
    os.symlink(outside / "secret.ics", folder / "regions" / "SE-ZZ.ics")  # a file pointing out
    os.symlink(outside, folder / "themes" / "out")  # a folder pointing out
    (folder / "hosts").rename(folder / "hosts.real")
    os.symlink(outside, folder / "hosts")  # a whole folder of the export replaced by a link
    for path in ("regions/SE-ZZ.ics", "themes/out/secret.ics", "hosts/secret.ics"):
        r = c.get(f"/download/{path}")
        assert r.status_code == 404, path
        assert SECRET not in r.text
    # the export folder itself replaced by a link out: nothing from it is served
    other = ws.save_plan(ws.plan(pid), origin="solve")
    os.symlink(outside, ws.root / "exports" / other.id)
    ws.set_current(other.id)
    try:
        r = c.get("/download/calendar.ics")
        assert r.status_code == 404
        assert SECRET not in r.text
    finally:
        ws.set_current(pid)


@pytest.mark.parametrize(
    "path", ["/", "/heatmap", f"/session/{SESSION}", "/static/app.js", "/nowhere", "/download/x"]
)
def test_security_headers_on_every_answer(setup: Any, path: str) -> None:
    ws, _, _ = setup
    signed = client(ws)
    sign_in(signed)
    answers = [
        signed.get(path),  # 200 or 404
        client(ws).get(path),  # 403
        signed.get(path, headers={"host": "evil.example"}),  # 400
    ]
    for r in answers:
        h = r.headers
        assert h["content-security-policy"] == CSP
        assert "default-src 'self'" in CSP and "frame-ancestors 'none'" in CSP
        assert "unsafe-inline" not in CSP and "unsafe-eval" not in CSP
        assert h["x-content-type-options"] == "nosniff"
        assert h["referrer-policy"] == "no-referrer"
        assert h["x-frame-options"] == "DENY"
        assert h["cache-control"] == "no-store"


def test_pages_carry_no_inline_script(setup: Any) -> None:
    ws, _, _ = setup
    c = client(ws)
    sign_in(c)
    for path in (
        "/",
        "/heatmap",
        f"/session/{SESSION}",
        "/region/SE-I",
        "/plans",
        "/job",
        "/why",
        "/scenario",
        "/compare",
    ):
        html = c.get(path).text
        assert html.count("<script") == html.count('<script src="/static/app.js" defer></script>') == 1
        assert " onclick=" not in html and "javascript:" not in html and "style=" not in html


def test_a_listening_address_outside_loopback_is_named_in_the_hosts() -> None:
    assert allowed_hosts("127.0.0.1", 8765) == {"127.0.0.1:8765", "localhost:8765", "[::1]:8765"}
    assert "planner.lan:8000" in allowed_hosts("planner.lan", 8000)
    assert "0.0.0.0:8000" not in allowed_hosts("0.0.0.0", 8000)
    assert BASE.endswith(":8765")
