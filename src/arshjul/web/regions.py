"""The regions' pages and feeds, and the planner's pages that take in what they send.

Region routes (a region session only; :class:`arshjul.web.security.Guard` checks it)::

    GET  /r/<link token>            sign in (the token becomes a region-session cookie)
    GET  /r                         the region's year, load, away days, interest, sign-ups, homework
    POST /r/away                    add or withdraw an away day, range or week
    POST /r/cannot-present          add or withdraw a day, range or week it can listen, not present
    POST /r/interest                interest per theme, 0–100
    POST /r/signup                  "we want to present" on a theme, with the S3 focus area
    POST /r/homework                homework of one presentation done (or not)
    POST /r/feed                    a new calendar (webcal) link for this person

Feed route (the token is the credential)::

    GET  /feed/<token>.ics          the current plan's region, theme or host calendar

Planner routes (the planner's session only)::

    GET  /proposals                 what the regions propose, against the scenario
    POST /proposals/apply           write the chosen changes into scenario.yaml
    GET  /followup                  every dialog and whether it is followed up
    GET  /followup/{sid}            a dialog's outcome and actions
    POST /followup/{sid}/outcome    record the synergies found
    POST /followup/{sid}/action     add an action (owner, due date)
    POST /followup/{sid}/done       mark an action done or open again
    GET  /agenda/{sid}              a network meeting's follow-up agenda (HTML)
    GET  /agenda/{sid}/md           the same as Markdown
    GET  /results                   dialogs held, followed up, actions per region and theme
    GET  /feeds                     every region's, theme's and host's calendar feeds
    POST /feeds/create              a new feed link for one of them (shown once)
    POST /feeds/revoke              end one feed at once

The routes added since the first part are in :data:`ROUTES` (planner) and
:data:`REGION_ROUTES` (region); their tables for the security tests beside them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from . import followup, proposals, views
from . import library as lib
from .security import CSRF_SCOPE_KEY, FEED_SCOPE_KEY, REGION_SCOPE_KEY, RegionSession
from .strings import HOMEWORK_QUESTIONS, text
from .workspace import SESSION_ID

PLANNER = "planner"
MAX_TEXT = 2000


def _app_state(request: Request) -> Any:
    return request.app.state.arshjul


def _store(request: Request) -> lib.Store:
    store: lib.Store = request.app.state.store
    return store


def _render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    env = request.app.state.env
    html = env.get_template(name).render(csrf=request.scope.get(CSRF_SCOPE_KEY, ""), **context)
    return HTMLResponse(html, status_code=status)


def _clean(value: object, limit: int = 200) -> str:
    return " ".join(str(value or "").split())[:limit]


# -- the region's page ----------------------------------------------------------------------------


def _who(request: Request) -> RegionSession:
    region: RegionSession = request.scope[REGION_SCOPE_KEY]
    return region


def _region_context(
    request: Request, errors: dict[str, str], notice: str = "", **extra: Any
) -> dict[str, Any]:
    st = _app_state(request)
    who = _who(request)
    sc, _ = st.ws.scenario()
    region = next((r for r in sc.regions if r.code == who.region), None)
    name = region.name if region is not None else who.region
    state = _store(request).state(who.region)
    interest = lib.interest_by_theme(sc)
    themes = [
        (t.id, t.name, state.interest.get(t.id, interest.get(t.id, {}).get(who.region, 0)))
        for _, t in sc.themes()
    ]
    pid = st.ws.current_id()
    plan = st.ws.plan(pid) if pid else None
    rows, presenting, year = [], [], None
    days = request.app.state.homework_days
    if plan is not None and who.region in plan.regions:
        year = views.region_year(plan, who.region, [])
        for s in plan.sessions_for(who.region):
            rows.append((s, views.when(s), who.region in s.presenting_regions))
        focus = followup.focus_areas(sc, who.region)
        for s, deadline in followup.homework(plan, who.region, days):
            presenting.append(
                (
                    s,
                    views.when(s),
                    views.running_order(plan, s),
                    deadline,
                    state.homework.get(s.id, False),
                    focus.get(s.theme or ""),
                )
            )
    return {
        "who": who,
        "region_name": name,
        "state": state,
        "themes": themes,
        "focus_areas": [a.name for a in region.s3] if region is not None else [],
        "scenario_away": [s.describe() for _, _, s in region.away_spans()] if region is not None else [],
        "scenario_cannot_present": (
            [s.describe() for _, _, s in region.cannot_present_spans()] if region is not None else []
        ),
        "plan": plan,
        "year": year,
        "rows": rows,
        "presenting": presenting,
        "questions": HOMEWORK_QUESTIONS,
        "days": days,
        "errors": errors,
        "notice": notice,
        **extra,
    }


def region_home(request: Request) -> Response:
    return _render(request, "region_home.html", **_region_context(request, {}))


async def _submit(request: Request, kind: str, field: str, key: str, value: Any) -> Response:
    st = _app_state(request)
    who = _who(request)
    sc, _ = st.ws.scenario()
    path: Path = st.ws.root / "scenario.yaml"
    problem = await run_in_threadpool(proposals.check_change, path, sc, who.region, kind, key, value)
    if problem is not None:
        context = await run_in_threadpool(_region_context, request, {field: problem})
        return _render(request, "region_home.html", status=400, **context)
    stored = int(value) if kind == "interest" else value
    await run_in_threadpool(
        lambda: _store(request).record(who.region, kind, key, stored, who=who.person, link_id=who.link_id)
    )
    return RedirectResponse("/r?saved=1", 303)


async def region_away(request: Request) -> Response:
    form = await request.form()
    span = _clean(form.get("span"), 60)
    if not span:
        return await _submit(request, "away", "away", "", True)
    return await _submit(request, "away", "away", span, str(form.get("action", "add")) != "remove")


async def region_cannot_present(request: Request) -> Response:
    """A day, range or week the region can listen but cannot present (or withdraw it)."""
    form = await request.form()
    span = _clean(form.get("span"), 60)
    on = str(form.get("action", "add")) != "remove"
    return await _submit(request, "cannot_present", "cannot_present", span, on if span else True)


async def region_interest(request: Request) -> Response:
    form = await request.form()
    st = _app_state(request)
    sc, _ = st.ws.scenario()
    who = _who(request)
    state = _store(request).state(who.region)
    interest = lib.interest_by_theme(sc)
    changed = []
    for _, t in sc.themes():
        raw = form.get(f"w_{t.id}")
        if raw is None:
            continue
        now = state.interest.get(t.id, interest.get(t.id, {}).get(who.region, 0))
        if _clean(raw, 20) != str(now):
            changed.append((t.id, _clean(raw, 20)))
    for theme, raw in changed:
        problem = proposals.check_change(st.ws.root / "scenario.yaml", sc, who.region, "interest", theme, raw)
        if problem is not None:
            context = _region_context(request, {f"w_{theme}": problem})
            return _render(request, "region_home.html", status=400, **context)
    for theme, raw in changed:
        _store(request).record(who.region, "interest", theme, int(raw), who=who.person, link_id=who.link_id)
    return RedirectResponse("/r?saved=1", 303)


async def region_signup(request: Request) -> Response:
    form = await request.form()
    theme = _clean(form.get("theme"), 48)
    if str(form.get("action", "add")) == "remove":
        return await _submit(request, "signup", "signup", theme, None)
    return await _submit(request, "signup", "signup", theme, _clean(form.get("focus"), 200))


async def region_homework(request: Request) -> Response:
    form = await request.form()
    st = _app_state(request)
    who = _who(request)
    sid = _clean(form.get("session"), 200)
    pid = st.ws.current_id()
    plan = st.ws.plan(pid) if pid else None
    if plan is None or not any(s.id == sid and who.region in s.presenting_regions for s in plan.sessions):
        context = _region_context(request, {"homework": text("not_found")})
        return _render(request, "region_home.html", status=400, **context)
    done = str(form.get("done", "")) == "1"
    _store(request).record(who.region, "homework", sid, done, who=who.person, link_id=who.link_id)
    return RedirectResponse("/r?saved=1", 303)


async def region_feed(request: Request) -> Response:
    await request.form()
    who = _who(request)
    token = await run_in_threadpool(
        lambda: _store(request).create_feed("region", who.region, link_id=who.link_id)
    )
    host = request.headers.get("host", "127.0.0.1")
    context = await run_in_threadpool(
        _region_context, request, {}, "", feed_url=f"webcal://{host}/feed/{token}.ics"
    )
    return _render(request, "region_home.html", **context)


# -- feeds ----------------------------------------------------------------------------------------


def feed(request: Request) -> Response:
    info: lib.FeedInfo = request.scope[FEED_SCOPE_KEY]
    st = _app_state(request)
    store = _store(request)
    pid = st.ws.current_id()
    if pid is None:
        return PlainTextResponse(text("feed_no_plan") + "\n", status_code=404)
    plan = st.ws.plan(pid)
    focus: dict[str, str] = {}
    if info.kind == "region":
        try:
            focus = followup.focus_areas(st.ws.scenario()[0], info.subject)
        except lib.ScenarioError:  # a scenario being edited: the feed still serves the plan
            focus = {}
    days = request.app.state.homework_days
    extras = followup.feed_extras(plan, store, info.kind, info.subject, days, focus)
    try:
        body = lib.feed_calendar(plan, info.kind, info.subject, extras)
    except ValueError:
        return PlainTextResponse(text("feed_empty") + "\n", status_code=404)
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    stamps = [st.ws.info(pid).created_at]
    last = store.last_change()
    if last is not None:
        stamps.append(last.replace(tzinfo=dt.UTC))
    modified = max(stamps).replace(microsecond=0)
    headers = {
        "etag": etag,
        "last-modified": format_datetime(modified, usegmt=True),
        "cache-control": "private, no-cache",
    }
    given = request.headers.get("if-none-match")
    if given is not None:
        if etag in [t.strip() for t in given.split(",")] or given.strip() == "*":
            return Response(status_code=304, headers=headers)
    elif "if-modified-since" in request.headers:
        try:
            since = parsedate_to_datetime(request.headers["if-modified-since"])
        except (TypeError, ValueError):
            since = None
        if since is not None and since.tzinfo is not None and modified <= since:
            return Response(status_code=304, headers=headers)
    if request.method == "HEAD":
        return Response(status_code=200, headers=headers, media_type="text/calendar; charset=utf-8")
    return Response(body, headers=headers, media_type="text/calendar; charset=utf-8")


# -- the planner's side -----------------------------------------------------------------------------


def proposals_page(request: Request, notice: str = "", error: str = "", status: int = 200) -> Response:
    st = _app_state(request)
    sc, _ = st.ws.scenario()
    found = proposals.proposals(st.ws.root / "scenario.yaml", sc, _store(request).states())
    names = {r.code: r.name for r in sc.regions}
    return request.app.state.page(
        request, "proposals.html", status=status, found=found, names=names, notice=notice, error=error
    )


async def proposals_apply(request: Request) -> Response:
    form = await request.form()
    st = _app_state(request)
    chosen_ids = set(map(str, form.getlist("c")))
    sc, _ = st.ws.scenario()
    path = st.ws.root / "scenario.yaml"
    found = await run_in_threadpool(proposals.proposals, path, sc, _store(request).states())
    chosen = [p for p in found if p.id in chosen_ids]
    problem = await run_in_threadpool(proposals.apply, path, sc, chosen)
    if problem is not None:
        return proposals_page(request, error=problem, status=400)
    return proposals_page(request, notice=text("proposals_applied", n=len(chosen)))


def _plan(request: Request) -> lib.Plan | None:
    st = _app_state(request)
    pid = st.ws.current_id()
    return st.ws.plan(pid) if pid else None


def followup_list(request: Request) -> Response:
    plan = _plan(request)
    if plan is None:
        return RedirectResponse("/", 303)
    store = _store(request)
    outcomes = store.outcomes()
    actions = store.actions()
    dialogs = [
        (s, views.when(s), s.id in outcomes, sum(1 for a in actions if a.session_id == s.id and not a.done))
        for s in plan.sessions
        if s.kind == "dialog"
    ]
    networks = [(s, views.when(s)) for s in plan.sessions if s.kind == "network"]
    return request.app.state.page(request, "followup.html", dialogs=dialogs, networks=networks, plan=plan)


def _dialog(request: Request) -> tuple[lib.Plan, lib.Session] | None:
    plan = _plan(request)
    sid = request.path_params["sid"]
    if plan is None or not SESSION_ID.match(sid):
        return None
    s = next((s for s in plan.sessions if s.id == sid), None)
    return None if s is None else (plan, s)


def followup_page(request: Request, error: str = "", status: int = 200) -> Response:
    found = _dialog(request)
    if found is None or found[1].kind != "dialog":
        return request.app.state.page(request, "message.html", status=404, message=text("not_found"))
    plan, s = found
    store = _store(request)
    return request.app.state.page(
        request,
        "followup_dialog.html",
        status=status,
        s=s,
        when=views.when(s),
        regions=", ".join(plan.regions.get(c, c) for c in s.presenting_regions),
        outcome=store.outcomes().get(s.id),
        actions=store.actions(s.id),
        error=error,
    )


async def followup_outcome(request: Request) -> Response:
    form = await request.form()
    found = _dialog(request)
    if found is None:
        return followup_page(request)
    _store(request).record_outcome(
        found[1].id, str(form.get("synergies", ""))[:MAX_TEXT].strip(), who=PLANNER
    )
    return RedirectResponse(f"/followup/{found[1].id}", 303)


async def followup_action(request: Request) -> Response:
    form = await request.form()
    found = _dialog(request)
    if found is None:
        return followup_page(request)
    what = _clean(form.get("text"), MAX_TEXT)
    owner = _clean(form.get("owner"))
    raw = _clean(form.get("due"), 20)
    if not what or not owner:
        return followup_page(request, error="an action needs a text and an owner", status=400)
    try:
        due = dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        return followup_page(request, error=text("bad_date", value=raw), status=400)
    _store(request).add_action(found[1].id, what, owner=owner, due=due, who=PLANNER)
    return RedirectResponse(f"/followup/{found[1].id}", 303)


async def followup_done(request: Request) -> Response:
    form = await request.form()
    found = _dialog(request)
    if found is None:
        return followup_page(request)
    raw = str(form.get("action", ""))
    action_id = int(raw) if raw.isdigit() and len(raw) < 12 else -1
    if any(a.id == action_id for a in _store(request).actions(found[1].id)):  # else nothing to mark
        _store(request).set_action_done(action_id, str(form.get("done", "1")) == "1", who=PLANNER)
    return RedirectResponse(f"/followup/{found[1].id}", 303)


def _agenda(request: Request) -> tuple[lib.Plan, lib.Session, list[followup.AgendaItem]] | None:
    found = _dialog(request)
    if found is None or found[1].kind != "network":
        return None
    plan, s = found
    return plan, s, followup.agenda(plan, _store(request), s.id)


def agenda_page(request: Request) -> Response:
    found = _agenda(request)
    if found is None:
        return request.app.state.page(request, "message.html", status=404, message=text("not_found"))
    plan, s, items = found
    return request.app.state.page(request, "agenda.html", s=s, when=views.when(s), items=items, plan=plan)


def agenda_markdown(request: Request) -> Response:
    found = _agenda(request)
    if found is None:
        return PlainTextResponse(text("not_found"), status_code=404)
    plan, s, items = found
    return PlainTextResponse(
        followup.agenda_markdown(plan, s, items), media_type="text/markdown; charset=utf-8"
    )


def results_page(request: Request) -> Response:
    plan = _plan(request)
    if plan is None:
        return RedirectResponse("/", 303)
    raw = request.query_params.get("today", "")
    try:
        today = dt.date.fromisoformat(raw) if raw else dt.date.today()
    except ValueError:
        today = dt.date.today()
    found = followup.results(plan, _store(request), today)
    return request.app.state.page(request, "results.html", results=found, plan=plan, today=today)


# -- the planner's list of feeds --------------------------------------------------------------------


def _subjects(sc: lib.Scenario) -> list[tuple[str, str, str]]:
    """Every calendar a feed can serve: (kind, subject id, name), regions, themes, hosts."""
    return (
        [("region", r.code, r.name) for r in sc.regions]
        + [("theme", t.id, t.name) for _, t in sc.themes()]
        + [("host", h.id, h.name) for h in sc.hosts]
    )


def feed_urls(request: Request, token: str) -> tuple[str, str]:
    """The ``webcal://`` address Outlook subscribes to and the same over the page's scheme."""
    host = request.headers.get("host", "127.0.0.1")
    return f"webcal://{host}/feed/{token}.ics", f"{request.url.scheme}://{host}/feed/{token}.ics"


def feeds_page(
    request: Request, made: tuple[str, str, str, str] | None = None, error: str = "", status: int = 200
) -> Response:
    """Every region, theme and host with its live feeds (when made, through whose link) and
    a button for a new one; ``made`` is the one just made, its addresses shown this once."""
    st = _app_state(request)
    sc, _ = st.ws.scenario()
    store = _store(request)
    people = {link.id: link.person for link in store.links()}
    live: dict[tuple[str, str], list[tuple[int, str, str]]] = {}
    for f in store.feeds():
        if f.revoked is None:
            via = people.get(f.link_id, "") if f.link_id is not None else ""
            live.setdefault((f.kind, f.subject), []).append((f.id, f"{f.created:%Y-%m-%d %H:%M}", via))
    rows = [(kind, sid, name, live.get((kind, sid), [])) for kind, sid, name in _subjects(sc)]
    revoked = request.method == "GET" and request.query_params.get("revoked") == "1"
    return request.app.state.page(
        request, "feeds.html", status=status, rows=rows, made=made, error=error, request_revoked=revoked
    )


async def feeds_create(request: Request) -> Response:
    form = await request.form()
    st = _app_state(request)
    sc, _ = st.ws.scenario()
    kind, subject = _clean(form.get("kind"), 16), _clean(form.get("subject"), 200)
    if (kind, subject) not in {(k, s) for k, s, _ in _subjects(sc)}:
        return feeds_page(request, error=text("feeds_unknown", kind=kind, subject=subject), status=400)
    token = await run_in_threadpool(lambda: _store(request).create_feed(kind, subject))
    webcal, web = feed_urls(request, token)
    return feeds_page(request, made=(kind, subject, webcal, web))


async def feeds_revoke(request: Request) -> Response:
    form = await request.form()
    raw = str(form.get("feed", ""))
    feed_id = int(raw) if raw.isdigit() and len(raw) < 12 else -1
    done = await run_in_threadpool(_store(request).revoke_feed, feed_id)
    return RedirectResponse("/feeds?revoked=1" if done else "/feeds", 303)  # else nothing to revoke


ROUTES = [
    Route("/feeds", feeds_page),
    Route("/feeds/create", feeds_create, methods=["POST"]),
    Route("/feeds/revoke", feeds_revoke, methods=["POST"]),
]
"""The planner's routes of this part (mounted by :func:`arshjul.web.app.create_app`)."""
ROUTE_TABLE = (("GET", "/feeds"), ("POST", "/feeds/create"), ("POST", "/feeds/revoke"))
REGION_ROUTES = [Route("/r/cannot-present", region_cannot_present, methods=["POST"])]
"""The region's routes of this part."""
REGION_ROUTE_TABLE = (("POST", "/r/cannot-present"),)
