"""The workspace's pages and forms: see, move, pin and re-solve, and take the calendars out.

Routes (every one behind :class:`arshjul.web.security.Guard`)::

    GET  /                          the wheel, the sessions month by month and the timeline
                                    a session is dragged on to check a move (or: solve)
    GET  /heatmap                   invitations per region and month against the cap
    GET  /session/{id}              running order, invited regions, follow-up; move and pin
    POST /session/{id}/check        the move applied to a copy and re-checked; nothing saved
    POST /session/{id}/save         keep the checked move as a new (current) plan
    POST /session/{id}/pin          pin or unpin (``pinned=1`` / ``0``)
    GET  /region/{code}             a region's year
    GET  /plans                     every plan of the workspace
    GET  /plans/{id}                one plan against the current one; accept it
    POST /plans/{id}/accept         make it the current plan
    POST /solve                     plan the whole year (background)
    POST /resolve                   re-solve the rest, pinned sessions kept (background)
    GET  /job                       the running (or last) solve: progress, stop, result
    GET  /job/status                the same as JSON, polled by static/app.js
    POST /job/stop                  stop the search, keep the best plan
    GET  /download/{file}           calendar.ics, regions/<code>.ics, themes/…, hosts/…,
                                    plan.json of the current plan
    GET  /static/…                  style.css, app.js

Handlers that touch the library run in Starlette's thread pool; the long ones (solves) run
in :mod:`arshjul.web.jobs`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from . import jobs, planner, regions, timeline, views
from . import library as lib
from .pages import (
    DEFAULT_TIME_LIMIT,
    ENV,
    HERE,
    MAX_TIME_LIMIT,
    SpeakTheScenario,
    State,
    not_found,
    page,
    problem,
    state_of,
)
from .security import Access, Guard, RegionAccess
from .strings import kind_label, text
from .workspace import REGION_CODE, SESSION_ID, Workspace

_state = state_of  # the app's State of a request (pages.py holds the shared page helpers)


def _current(st: State) -> tuple[str, lib.Plan] | None:
    pid = st.ws.current_id()
    return None if pid is None else (pid, st.ws.plan(pid))


# -- see --------------------------------------------------------------------------------------


def index(request: Request) -> Response:
    st = _state(request)
    sc, inst = st.ws.scenario()
    found = _current(st)
    if found is None:
        return page(
            request,
            "start.html",
            scenario=sc,
            sessions=len(inst.sessions),
            regions=len(inst.regions),
            time_limit=st.time_limit,
            job=jobs.current(st.ws),
        )
    pid, plan = found
    pins = st.ws.pins()
    wheel = st.cached(("wheel", pid), lambda: lib.wheel(plan))
    return page(
        request,
        "index.html",
        plan=plan,
        pid=pid,
        wheel=Markup(wheel),
        months=views.months(plan, pins),
        timeline=timeline.timeline(plan, inst, pins),
        pins=[p for p in pins if any(s.id == p for s in plan.sessions)],
        time_limit=st.time_limit,
        regions=plan.regions,
    )


def heatmap(request: Request) -> Response:
    st = _state(request)
    found = _current(st)
    if found is None:
        return RedirectResponse("/", 303)
    pid, plan = found
    svg = st.cached(("heatmap", pid), lambda: lib.heatmap(plan))
    labels, rows = views.heat_rows(plan)
    return page(request, "heatmap.html", plan=plan, heatmap=Markup(svg), labels=labels, rows=rows)


def _session(request: Request) -> tuple[State, str, lib.Plan, lib.Session] | None:
    st = _state(request)
    sid = request.path_params["sid"]
    found = _current(st)
    if found is None or not SESSION_ID.match(sid):
        return None
    pid, plan = found
    s = next((s for s in plan.sessions if s.id == sid), None)
    return None if s is None else (st, pid, plan, s)


def _choices(st: State, pid: str, plan: lib.Plan, sid: str) -> lib.Choices:
    _, inst = st.ws.scenario()
    return st.cached(("alternatives", pid, sid), lambda: lib.alternatives(inst, plan, sid))


def _option_label(o: lib.Alternative, plan: lib.Plan) -> str:
    changes = []
    if o.dropped:
        changes.append(text("without", names=", ".join(plan.regions.get(u, u) for u in o.dropped)))
    if o.added:
        changes.append(text("with", names=", ".join(plan.regions.get(u, u) for u in o.added)))
    label = views.slot_text(o.date, o.slot)
    delta = f"{o.delta:+d}"
    if changes:
        return text(
            "move_option_changes", when=label, objective=o.objective, delta=delta, changes="; ".join(changes)
        )
    return text("move_option", when=label, objective=o.objective, delta=delta)


def session_page(request: Request) -> Response:
    found = _session(request)
    if found is None:
        return not_found(request)
    st, pid, plan, s = found
    _, inst = st.ws.scenario()
    choices = _choices(st, pid, plan, s.id)
    return page(
        request,
        "session.html",
        plan=plan,
        pid=pid,
        s=s,
        when=views.when(s),
        kind_label=kind_label(s.kind, plan.labels),
        order=views.running_order(plan, s),
        invited=views.invited(plan, s),
        followup=views.linked(plan, [s.followup_on] if s.followup_on else []),
        followups=views.linked(plan, s.followups),
        pinned=s.id in st.ws.pins(),
        options=[(f"{o.date.isoformat()} {o.slot}", _option_label(o, plan)) for o in choices.options],
        blocked=choices.blocked[:8],
        slots=lib.slot_names(inst),
        period=(plan.period_start.isoformat(), plan.period_end.isoformat()),
    )


def region_page(request: Request) -> Response:
    st = _state(request)
    code = request.path_params["code"]
    found = _current(st)
    if found is None or not REGION_CODE.match(code) or code not in found[1].regions:
        return not_found(request)
    _, plan = found
    year = views.region_year(plan, code, st.ws.pins())
    top = max([m.invitations for m in year.months] + [1])
    return page(request, "region.html", plan=plan, year=year, code=code, top=top)


# -- move -------------------------------------------------------------------------------------


@dataclass
class Proposal:
    """A move as the form states it, checked against the plan it was made on."""

    base: str
    date: dt.date
    slot: str
    where: str
    """``"<date> <slot>"`` when chosen from the alternatives (their presenters go with it)."""
    moved: lib.Moved


def _proposal(st: State, pid: str, plan: lib.Plan, s: lib.Session, form: FormData) -> Proposal | str:
    sc, inst = st.ws.scenario()
    where = str(form.get("where", "")).strip()
    if where:
        raw_date, _, slot = where.partition(" ")
    else:
        raw_date, slot = str(form.get("date", "")).strip(), str(form.get("slot", "")).strip()
    try:
        date = dt.date.fromisoformat(raw_date)
    except ValueError:
        return text("bad_date", value=raw_date[:40])
    if not plan.period_start <= date <= plan.period_end:
        return text("bad_date", value=raw_date[:40])
    if slot not in lib.slot_names(inst):
        return text("bad_slot", value=slot[:40])
    presenters = None
    if where:
        option = next(
            (o for o in _choices(st, pid, plan, s.id).options if o.date == date and o.slot == slot), None
        )
        if option is not None:
            presenters = option.presenters
    moved = lib.move(sc, inst, plan, s.id, date, slot, presenters)
    if moved is None:
        return text("not_a_slot", date=date.isoformat(), slot=slot)
    return Proposal(pid, date, slot, where, moved)


def _from_timeline(form: Any) -> bool:
    """A move dropped on the year's timeline goes back there (the only other origin is the
    session page; nothing else is accepted, so no form can redirect anywhere else)."""
    return str(form.get("from", "")) == "timeline"


def _check_context(plan: lib.Plan, s: lib.Session, p: Proposal, timeline: bool = False) -> dict[str, Any]:
    after = p.moved.plan.session(s.id)
    before_pen = plan.objective if plan.objective is not None else 0
    names = dict(plan.regions)
    return {
        "plan": plan,
        "s": s,
        "proposal": p,
        "before": views.when(s),
        "after": views.when(after),
        "presenters_before": ", ".join(names.get(u, u) for u in p.moved.presenters_before),
        "presenters_after": ", ".join(names.get(u, u) for u in p.moved.presenters_after),
        "presenters_changed": p.moved.presenters_before != p.moved.presenters_after,
        "penalty_before": before_pen,
        "penalty_after": p.moved.verdict.objective,
        "delta": f"{p.moved.verdict.objective - before_pen:+d}",
        "verdict": p.moved.verdict,
        "from_timeline": timeline,
        "back": "/#timeline" if timeline else f"/session/{s.id}",
    }


async def check_move(request: Request) -> Response:
    found = await run_in_threadpool(_session, request)
    if found is None:
        return not_found(request)
    st, pid, plan, s = found
    form = await request.form()
    p = await run_in_threadpool(_proposal, st, pid, plan, s, form)
    if isinstance(p, str):
        return problem(request, p)
    return page(request, "check.html", **_check_context(plan, s, p, _from_timeline(form)))


async def save_move(request: Request) -> Response:
    found = await run_in_threadpool(_session, request)
    if found is None:
        return not_found(request)
    st, pid, plan, s = found
    form = await request.form()
    if str(form.get("base", "")) != pid:
        return problem(request, text("stale_plan"), 409)
    p = await run_in_threadpool(_proposal, st, pid, plan, s, form)
    if isinstance(p, str):
        return problem(request, p)
    broken = p.moved.verdict.broken
    if broken and str(form.get("confirm_broken", "")) != str(len(broken)):
        context = _check_context(plan, s, p, _from_timeline(form))
        context["error"] = text("confirm_needed", n=len(broken))
        return page(request, "check.html", status=400, **context)
    note = text(
        "moved_note", title=s.title, before=views.when(s), after=views.when(p.moved.plan.session(s.id))
    )
    info = await run_in_threadpool(
        lambda: st.ws.save_plan(
            p.moved.plan,
            origin="move",
            status="broken" if broken else "edited",
            note=note,
            parent=pid,
            broken=tuple(f"{b.rule} [{b.subject}]" for b in broken),
        )
    )
    st.ws.set_current(info.id)
    return RedirectResponse("/#timeline" if _from_timeline(form) else f"/session/{s.id}", 303)


async def pin(request: Request) -> Response:
    found = await run_in_threadpool(_session, request)
    if found is None:
        return not_found(request)
    st, _, _, s = found
    form = await request.form()
    st.ws.set_pinned(s.id, str(form.get("pinned", "1")) == "1")
    return RedirectResponse(f"/session/{s.id}", 303)


# -- plans ------------------------------------------------------------------------------------


def plans_page(request: Request) -> Response:
    st = _state(request)
    return page(request, "plans.html", plans=list(reversed(st.ws.plans())), current=st.ws.current_id())


def _plan_id(request: Request) -> tuple[State, str] | None:
    st = _state(request)
    pid = request.path_params["pid"]
    try:
        st.ws.info(pid)
    except KeyError:
        return None
    return st, pid


def plan_page(request: Request) -> Response:
    found = _plan_id(request)
    if found is None:
        return not_found(request)
    st, pid = found
    info = st.ws.info(pid)
    plan = st.ws.plan(pid)
    current = st.ws.current_id()
    diff = None if current is None or current == pid else views.changes(st.ws.plan(current), plan)
    job = jobs.current(st.ws)
    lines = job.lines if job is not None and job.result == pid else []
    try:
        parent = st.ws.info(info.parent) if info.parent else None
    except KeyError:
        parent = None
    return page(
        request,
        "plan.html",
        info=info,
        plan=plan,
        pid=pid,
        current=current,
        diff=diff,
        lines=lines,
        parent=parent,
    )


async def accept(request: Request) -> Response:
    found = await run_in_threadpool(_plan_id, request)
    if found is None:
        return not_found(request)
    st, pid = found
    st.ws.set_current(pid)
    return RedirectResponse("/", 303)


# -- solve ------------------------------------------------------------------------------------


def _time_limit(form: FormData, default: float) -> float | None:
    raw = str(form.get("time_limit", "")).strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if 1.0 <= value <= MAX_TIME_LIMIT else None


async def solve(request: Request) -> Response:
    st = _state(request)
    form = await request.form()
    limit = _time_limit(form, st.time_limit)
    if limit is None:
        return problem(request, text("bad_time_limit"))
    try:
        await run_in_threadpool(jobs.start_solve, st.ws, time_limit=limit)
    except jobs.AlreadyRunning:
        return problem(request, text("already_running"), 409)
    return RedirectResponse("/job", 303)


async def resolve(request: Request) -> Response:
    st = _state(request)
    form = await request.form()
    limit = _time_limit(form, st.time_limit)
    if limit is None:
        return problem(request, text("bad_time_limit"))
    raw = str(form.get("frozen_until", "")).strip()
    frozen_until = None
    if raw:
        try:
            frozen_until = dt.date.fromisoformat(raw)
        except ValueError:
            return problem(request, text("bad_date", value=raw[:40]))
    try:
        await run_in_threadpool(
            lambda: jobs.start_resolve(st.ws, time_limit=limit, frozen_until=frozen_until)
        )
    except jobs.AlreadyRunning:
        return problem(request, text("already_running"), 409)
    except LookupError:
        return problem(request, text("no_plan_to_resolve"), 409)
    return RedirectResponse("/job", 303)


def job_page(request: Request) -> Response:
    st = _state(request)
    return page(request, "job.html", job=jobs.current(st.ws))


def job_status(request: Request) -> Response:
    job = jobs.current(_state(request).ws)
    return JSONResponse({"state": "none"} if job is None else job.status())


async def job_stop(request: Request) -> Response:
    st = _state(request)
    await request.form()
    jobs.request_stop(st.ws)
    return RedirectResponse("/job", 303)


# -- out --------------------------------------------------------------------------------------


def download(request: Request) -> Response:
    st = _state(request)
    pid = st.ws.current_id()
    if pid is None:
        return not_found(request)
    relative = request.path_params["file"]
    path = st.ws.export_file(pid, relative)
    if path is None:
        return not_found(request)
    kind = "application/json" if relative.endswith(".json") else "text/calendar; charset=utf-8"
    return FileResponse(path, media_type=kind, filename=f"{pid}-{relative.replace('/', '-')}")


# -- the app ----------------------------------------------------------------------------------


def create_app(
    ws: Workspace,
    access: Access,
    *,
    time_limit: float = DEFAULT_TIME_LIMIT,
    store: lib.Store | None = None,
    homework_days: int = 14,
) -> Guard:
    """The workspace app behind its guard (pass the result to uvicorn or a TestClient).
    ``store`` is the regions' database (by default the workspace's embedded SQLite file,
    made and migrated on first use)."""
    if store is None:
        store = lib.Store.open(lib.default_url(ws.root))
    routes = [
        Route("/r", regions.region_home),
        Route("/r/away", regions.region_away, methods=["POST"]),
        Route("/r/interest", regions.region_interest, methods=["POST"]),
        Route("/r/signup", regions.region_signup, methods=["POST"]),
        Route("/r/homework", regions.region_homework, methods=["POST"]),
        Route("/r/feed", regions.region_feed, methods=["POST"]),
        Route("/feed/{token}", regions.feed, methods=["GET", "HEAD"]),
        Route("/proposals", regions.proposals_page),
        Route("/proposals/apply", regions.proposals_apply, methods=["POST"]),
        Route("/followup", regions.followup_list),
        Route("/followup/{sid}", regions.followup_page),
        Route("/followup/{sid}/outcome", regions.followup_outcome, methods=["POST"]),
        Route("/followup/{sid}/action", regions.followup_action, methods=["POST"]),
        Route("/followup/{sid}/done", regions.followup_done, methods=["POST"]),
        Route("/agenda/{sid}", regions.agenda_page),
        Route("/agenda/{sid}/md", regions.agenda_markdown),
        Route("/results", regions.results_page),
        *regions.ROUTES,
        *regions.REGION_ROUTES,
        Route("/", index),
        Route("/heatmap", heatmap),
        Route("/session/{sid}", session_page),
        Route("/session/{sid}/check", check_move, methods=["POST"]),
        Route("/session/{sid}/save", save_move, methods=["POST"]),
        Route("/session/{sid}/pin", pin, methods=["POST"]),
        Route("/region/{code}", region_page),
        Route("/plans", plans_page),
        Route("/plans/{pid}", plan_page),
        Route("/plans/{pid}/accept", accept, methods=["POST"]),
        Route("/solve", solve, methods=["POST"]),
        Route("/resolve", resolve, methods=["POST"]),
        Route("/job", job_page),
        Route("/job/status", job_status),
        Route("/job/stop", job_stop, methods=["POST"]),
        Route("/download/{file:path}", download),
        *planner.ROUTES,
        Mount("/static", app=StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(SpeakTheScenario)])
    app.state.arshjul = State(ws, time_limit=time_limit)
    app.state.store = store
    app.state.env = ENV
    app.state.page = page
    app.state.homework_days = homework_days
    return Guard(app, access, RegionAccess(store, access.cookie.replace("_session_", "_region_")))


ROUTES = (
    ("GET", "/"),
    ("GET", "/heatmap"),
    ("GET", "/session/{sid}"),
    ("POST", "/session/{sid}/check"),
    ("POST", "/session/{sid}/save"),
    ("POST", "/session/{sid}/pin"),
    ("GET", "/region/{code}"),
    ("GET", "/plans"),
    ("GET", "/plans/{pid}"),
    ("POST", "/plans/{pid}/accept"),
    ("POST", "/solve"),
    ("POST", "/resolve"),
    ("GET", "/job"),
    ("GET", "/job/status"),
    ("POST", "/job/stop"),
    ("GET", "/download/{file}"),
    ("GET", "/static/{file}"),
    *planner.ROUTE_TABLE,
    ("GET", "/proposals"),
    ("POST", "/proposals/apply"),
    ("GET", "/followup"),
    ("GET", "/followup/{sid}"),
    ("POST", "/followup/{sid}/outcome"),
    ("POST", "/followup/{sid}/action"),
    ("POST", "/followup/{sid}/done"),
    ("GET", "/agenda/{nid}"),
    ("GET", "/agenda/{nid}/md"),
    ("GET", "/results"),
    *regions.ROUTE_TABLE,
)
"""Every planner route, for the security tests to walk."""

REGION_ROUTES = (
    ("GET", "/r"),
    ("POST", "/r/away"),
    ("POST", "/r/interest"),
    ("POST", "/r/signup"),
    ("POST", "/r/homework"),
    ("POST", "/r/feed"),
    *regions.REGION_ROUTE_TABLE,
)
"""Every region route (a region session only)."""
