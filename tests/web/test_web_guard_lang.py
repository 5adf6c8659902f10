"""The guard's refusals (web/security.py) in the language the browser asks for: Swedish for
``Accept-Language: sv-SE,…``, English (exactly as before) when it asks for none or for English.
The guard answers before the workspace is read, so the scenario's ``language:`` is not asked."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from arshjul.web import Workspace, jobs
from arshjul.web.security import FORBIDDEN, REGION_FORBIDDEN, SIGNED_IN_REGION, asked_language
from web_support import client, open_workspace, sign_in

SWEDISH = {"accept-language": "sv-SE,sv;q=0.9,en-US;q=0.8,en;q=0.7"}
ENGLISH = {"accept-language": "en-GB,en;q=0.9"}


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    # the scenario speaks Swedish: the refusals follow the browser, not the scenario
    workspace = open_workspace(tmp_path_factory.mktemp("guard-lang") / "ws", "sv")
    yield workspace
    jobs.wait(workspace, 60)


def _get(ws: Workspace, path: str, headers: dict[str, str] | None = None) -> Any:
    return client(ws).get(path, headers=headers or {}, follow_redirects=False)


def test_no_token_in_swedish_and_english(ws: Workspace) -> None:
    r = _get(ws, "/", SWEDISH)
    assert r.status_code == 403
    assert (
        r.text
        == "Åtkomst nekad. Öppna adressen som 'arshjul serve' skrev ut (den innehåller åtkomsttoken).\n"
    )
    assert r.headers["content-type"] == "text/plain; charset=utf-8"
    assert r.content.decode("utf-8") == r.text  # å ä ö as UTF-8
    assert _get(ws, "/").text == FORBIDDEN
    assert _get(ws, "/", ENGLISH).text == FORBIDDEN
    assert (
        FORBIDDEN
        == "Forbidden. Open the address that 'arshjul serve' printed (it carries the access token).\n"
    )


def test_bad_host_and_a_wrong_token_in_swedish(ws: Workspace) -> None:
    r = _get(ws, "/", {**SWEDISH, "host": "evil.example:8765"})
    assert (r.status_code, r.text) == (400, "Felaktigt Host-huvud.\n")
    assert _get(ws, "/", {"host": "evil.example:8765"}).text == "Bad Host header.\n"
    r = _get(ws, "/?token=wrong", SWEDISH)
    assert r.status_code == 403 and r.text.startswith("Åtkomst nekad.")


def test_a_stale_form_and_another_site_in_swedish(ws: Workspace) -> None:
    c = client(ws)
    sign_in(c)
    r = c.post("/solve", data={"time_limit": "1"}, headers=SWEDISH, follow_redirects=False)
    assert r.status_code == 403
    assert r.text == "Åtkomst nekad: formuläret är inaktuellt eller skickades inte från den här sidan.\n"
    r = c.post("/solve", data={"time_limit": "1"}, follow_redirects=False)
    assert r.text == "Forbidden: the form is stale or was not sent by this page.\n"
    r = c.post(
        "/solve", data={}, headers={**SWEDISH, "origin": "http://evil.example"}, follow_redirects=False
    )
    assert r.text == "Åtkomst nekad: begäran kom från en annan webbplats.\n"


def test_the_regions_side_in_swedish(ws: Workspace) -> None:
    r = _get(ws, "/r", SWEDISH)
    assert r.status_code == 403
    assert r.text == "Åtkomst nekad. Öppna länken du fick (den kan ha gått ut eller återkallats).\n"
    assert _get(ws, "/r").text == REGION_FORBIDDEN
    r = _get(ws, "/feed/" + "x" * 40 + ".ics", SWEDISH)
    assert (r.status_code, r.text) == (404, "Kalendern finns inte (länken kan ha återkallats).\n")
    assert (
        _get(ws, "/feed/" + "y" * 40 + ".ics").text == "No such calendar (the link may have been revoked).\n"
    )
    assert 'lang="en"' in SIGNED_IN_REGION and "Continue to your region's page" in SIGNED_IN_REGION


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("sv-SE,sv;q=0.9,en;q=0.8", "sv"),
        ("sv", "sv"),
        ("en-US,en;q=0.9,sv;q=0.5", "en"),
        ("de-DE, sv;q=0.3", "sv"),
        ("sv;q=0, en", "en"),
        ("fr", "en"),
        ("", "en"),
        ("sv;q=nonsense", "en"),
    ],
)
def test_the_asked_language(header: str, language: str) -> None:
    assert asked_language({"accept-language": header} if header else {}) == language


def test_swedish_refusals_on_every_planner_route_without_a_token(ws: Workspace) -> None:
    """No English word of the guard's reaches a Swedish browser on any refused planner route."""
    from arshjul.web.app import ROUTES

    c = client(ws)
    for method, path in ROUTES:
        url = path.replace("{sid}", "x").replace("{code}", "SE-I").replace("{pid}", "p")
        url = url.replace("{theme}", "t").replace("{nid}", "n").replace("{file}", "calendar.ics")
        r = c.request(method, url, headers=SWEDISH, follow_redirects=False)
        assert r.status_code == 403, (method, url)
        assert "Forbidden" not in r.text and r.text.startswith("Åtkomst nekad"), (method, url)
