"""The planner's pages beyond the plan: why there is none, editing the scenario, comparing
plans, and the files that go out.

Routes (mounted by :func:`arshjul.web.app.create_app`, behind the same guard)::

    GET  /why                       why_not's answer: the colliding rules, the ways out
    POST /why                       ask why (a background job, deterministic limits)
    POST /why/stop                  stop asking: the page shows what was found by then
    POST /why/apply                 apply one way out to scenario.yaml (``fix``, ``digest``)
    GET  /scenario                  away / cannot-present days, preferred months, caps;
                                    the last edit as a diff, undo
    POST /scenario/limits           limits.window_days, window_max, daily_max, max_presentations
    POST /scenario/region/{code}    a region's away and cannot_present days, its own caps
    POST /scenario/theme/{theme}    a theme's preferred months
    POST /scenario/undo             scenario.yaml back as it was before the last edit
    GET  /compare                   two plans side by side (``?a=<plan>&b=<plan>``)
    GET  /out/{file}                of the current plan: invitations (iTIP, only the changes
                                    against the plan it was made from) as calendar.ics,
                                    cancel.ics, regions/<code>.ics, regions/<code>-cancel.ics
                                    or invitations.zip; plan.xlsx; report.html; report.pdf

Every edit goes through :mod:`arshjul.web.edits`: validated first, written with comments kept,
undoable byte for byte.
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from . import edits, followup, jobs, views
from . import library as lib
from . import pages as base
from .strings import text
from .workspace import PLAN_ID, REGION_CODE, SESSION_ID, Workspace

OUT_FILE = re.compile(
    r"^(invitations\.zip|calendar\.ics|cancel\.ics|regions/[A-Z]{2}-[A-Z0-9]{1,3}(-cancel)?\.ics"
    r"|plan\.xlsx|report\.html|report\.pdf)$"
)
"""Every file ``/out/`` may name; anything else is 404 before any file is touched."""
MEDIA = {
    ".ics": "text/calendar; charset=utf-8",
    ".zip": "application/zip",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".html": "text/html; charset=utf-8",
    ".pdf": "application/pdf",
}
LIMIT_FIELDS = ("window_days", "window_max", "daily_max", "max_presentations")
REGION_LIMIT_FIELDS = ("window_max", "daily_max", "max_presentations")
SPAN_FIELDS = ("away", "cannot_present")


# -- why ----------------------------------------------------------------------------------------


def _why_job(ws: Workspace) -> jobs.Job | None:
    job = jobs.current(ws)
    return job if job is not None and job.kind == "why" else None


def why_page(request: Request) -> Response:
    st = base.state_of(request)
    job = _why_job(st.ws)
    stale = job is not None and job.state == "done" and job.digest != edits.digest(st.ws)
    return base.page(request, "why.html", job=job, conflict=job.conflict if job else None, stale=stale)


async def why_ask(request: Request) -> Response:
    st = base.state_of(request)
    try:
        await run_in_threadpool(lambda: jobs.start_why(st.ws, edits.digest(st.ws)))
    except jobs.AlreadyRunning:
        return base.problem(request, text("already_running"), 409)
    return RedirectResponse("/why", 303)


async def why_stop(request: Request) -> Response:
    """Stop the why job (it ends within a solve's 0.1 s check and keeps what it found)."""
    st = base.state_of(request)
    await request.form()
    if _why_job(st.ws) is not None:
        jobs.request_stop(st.ws)
    return RedirectResponse("/why", 303)


async def why_apply(request: Request) -> Response:
    st = base.state_of(request)
    form = await request.form()
    job = _why_job(st.ws)
    raw = str(form.get("fix", ""))
    if job is None or job.conflict is None or not raw.isdigit() or int(raw) >= len(job.conflict.fixes):
        return base.problem(request, text("no_such_fix"), 409)
    if str(form.get("digest", "")) != job.digest or job.digest != edits.digest(st.ws):
        return base.problem(request, text("why_stale"), 409)
    fix = job.conflict.fixes[int(raw)]
    try:
        await run_in_threadpool(edits.apply, st.ws, fix.changes, text("note_fix", edit=fix.edit))
    except edits.EditRefused as exc:
        return base.problem(request, str(exc))
    return RedirectResponse("/scenario#last-edit", 303)


# -- editing the scenario -------------------------------------------------------------------------


def _region_items(doc: Any) -> dict[str, Any]:
    regions = doc.get("regions") if isinstance(doc, dict) else None
    return {str(r.get("code")): r for r in regions or [] if isinstance(r, dict)}


def _theme_paths(doc: Any) -> dict[str, tuple[str, Any]]:
    """theme id → (its dotted path, its item in the file)."""
    out: dict[str, tuple[str, Any]] = {}
    for k, host in enumerate(doc.get("hosts") or [] if isinstance(doc, dict) else []):
        if not isinstance(host, dict):
            continue
        ref = host.get("id") or k
        for theme in host.get("themes") or []:
            if isinstance(theme, dict) and theme.get("id"):
                out[str(theme["id"])] = (f"hosts[{ref}].themes[{theme['id']}]", theme)
    return out


def _scenario_context(ws: Workspace) -> dict[str, Any]:
    sc, _ = ws.scenario()
    doc = edits.tree(ws)
    regions = []
    items = _region_items(doc)
    for r in sc.regions:
        item = items.get(r.code, {})
        own = item.get("limits") or {}
        regions.append(
            {
                "code": r.code,
                "name": r.name,
                "away": "\n".join(edits.span_line(x) for x in item.get("away") or []),
                "cannot_present": "\n".join(edits.span_line(x) for x in item.get("cannot_present") or []),
                "limits": {f: own.get(f, "") if isinstance(own, dict) else "" for f in REGION_LIMIT_FIELDS},
            }
        )
    themes = [
        {
            "id": tid,
            "name": str(item.get("name", tid)),
            "months": ", ".join(str(m) for m in item.get("preferred_months") or []),
        }
        for tid, (_, item) in _theme_paths(doc).items()
    ]
    return {
        "sc": sc,
        "limits": {f: getattr(sc.limits, f) for f in LIMIT_FIELDS},
        "regions": regions,
        "themes": themes,
        "history": edits.history(ws),
        "diff": edits.last_diff(ws),
    }


def scenario_page(request: Request) -> Response:
    st = base.state_of(request)
    return base.page(request, "scenario.html", **_scenario_context(st.ws))


def _refused(request: Request, ws: Workspace, form_id: str, field: str, message: str) -> Response:
    context = _scenario_context(ws)
    return base.page(
        request,
        "scenario.html",
        status=400,
        error={"form": form_id, "field": field, "message": message},
        **context,
    )


def _number(form: FormData, name: str) -> int | str | None:
    """The field as a whole number; ``""`` when blank (the default), ``None`` when absent."""
    if name not in form:
        return None
    raw = str(form.get(name, "")).strip()
    if not raw:
        return ""
    return int(raw) if re.fullmatch(r"[0-9]{1,6}", raw) else raw


async def _save(
    request: Request, ws: Workspace, form_id: str, changes: list[tuple[str, Any]], field: str, note: str
) -> Response:
    if not changes:
        return RedirectResponse("/scenario", 303)
    try:
        await run_in_threadpool(edits.apply, ws, changes, note)
    except edits.EditRefused as exc:
        return _refused(request, ws, form_id, field, str(exc))
    return RedirectResponse("/scenario#last-edit", 303)


async def edit_limits(request: Request) -> Response:
    st = base.state_of(request)
    form = await request.form()
    changes: list[tuple[str, Any]] = []
    for name in LIMIT_FIELDS:
        value = _number(form, name)
        if value is None or value == "":
            continue
        if isinstance(value, str):
            return _refused(request, st.ws, "limits", name, text("not_a_number", value=value[:40]))
        changes.append((f"limits.{name}", value))
    return await _save(
        request,
        st.ws,
        "limits",
        changes,
        changes[0][0].split(".")[-1] if changes else "",
        text("note_limits"),
    )


async def edit_region(request: Request) -> Response:
    st = base.state_of(request)
    code = request.path_params["code"]
    doc = edits.tree(st.ws)
    item = _region_items(doc).get(code)
    if not REGION_CODE.match(code) or item is None:
        return base.not_found(request)
    form = await request.form()
    form_id = f"region-{code}"
    changes: list[tuple[str, Any]] = []
    field = ""
    for name in SPAN_FIELDS:
        if name not in form:
            continue
        original = item.get(name)
        was = [edits.span_line(x) for x in original or []]
        new = edits.spans_from_lines(str(form.get(name, "")), original)
        if [edits.span_line(x) for x in new] == was:
            continue
        changes.append((f"regions[{code}].{name}", new if new or original is not None else lib.REMOVE))
        field = field or name
    for name in REGION_LIMIT_FIELDS:
        value = _number(form, f"limit_{name}")
        own = item.get("limits") or {}
        current = own.get(name, "") if isinstance(own, dict) else ""
        if value is None or value == current:
            continue
        if isinstance(value, str) and value:
            return _refused(request, st.ws, form_id, f"limit_{name}", text("not_a_number", value=value[:40]))
        if value == "" and name not in own:
            continue
        changes.append((f"regions[{code}].limits.{name}", lib.REMOVE if value == "" else value))
        field = field or f"limit_{name}"
    return await _save(request, st.ws, form_id, changes, field, text("note_region", code=code))


async def edit_theme(request: Request) -> Response:
    st = base.state_of(request)
    theme = request.path_params["theme"]
    found = _theme_paths(edits.tree(st.ws)).get(theme) if SESSION_ID.match(theme) else None
    if found is None:
        return base.not_found(request)
    path, item = found
    form = await request.form()
    form_id = f"theme-{theme}"
    if "months" not in form:
        return RedirectResponse("/scenario", 303)
    months = edits.months_from_text(str(form.get("months", "")))
    if isinstance(months, str):
        return _refused(request, st.ws, form_id, "months", text("not_a_month", value=months[:40]))
    if list(months) == list(item.get("preferred_months") or []):
        return RedirectResponse("/scenario", 303)
    return await _save(
        request,
        st.ws,
        form_id,
        [(f"{path}.preferred_months", months)],
        "months",
        text("note_theme", theme=theme),
    )


async def undo(request: Request) -> Response:
    st = base.state_of(request)
    await run_in_threadpool(edits.undo, st.ws)
    return RedirectResponse("/scenario", 303)


# -- compare ------------------------------------------------------------------------------------


def compare_page(request: Request) -> Response:
    st = base.state_of(request)
    plans = list(reversed(st.ws.plans()))
    a, b = request.query_params.get("a", ""), request.query_params.get("b", "")
    context: dict[str, Any] = {"plans": plans, "a": a, "b": b, "rows": None, "columns": []}
    if a and b:
        if not (PLAN_ID.match(a) and PLAN_ID.match(b)):
            return base.not_found(request)
        try:
            chosen = [(pid, st.ws.info(pid), st.ws.plan(pid)) for pid in (a, b)]
        except KeyError:
            return base.not_found(request)
        named = [(views.plan_label(info.created, info.status), plan) for _, info, plan in chosen]
        context["rows"] = st.cached(("compare", a, b), lambda: lib.compare_rows(named))
        context["columns"] = [
            (pid, label, Markup(st.cached(("wheel", pid), lambda p=plan: lib.wheel(p))))
            for (pid, _, plan), (label, _) in zip(chosen, named, strict=True)
        ]
    return base.page(request, "compare.html", **context)


# -- files out ----------------------------------------------------------------------------------


def _out_bytes(ws: Workspace, pid: str, name: str, store: lib.Store | None = None) -> bytes | None:
    plan = ws.plan(pid)
    if name == "plan.xlsx":
        return lib.export_xlsx(plan)
    with tempfile.TemporaryDirectory(prefix="arshjul-out-") as tmp:
        folder = Path(tmp)
        if name.startswith("report."):
            results = followup.report_results(plan, store) if store else None
            lib.export_report(plan, folder, pdf=name == "report.pdf", results=results)
            return (folder / name).read_bytes()
        parent = ws.info(pid).parent
        previous = None
        if parent is not None:
            try:
                previous = ws.plan(parent)
            except KeyError:
                previous = None
        written = lib.export_invitations(plan, previous, folder)
        if name == "invitations.zip":
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
                for path in sorted(written):
                    z.writestr(path.relative_to(folder).as_posix(), path.read_bytes())
            return buffer.getvalue()
        wanted = folder / name
        return wanted.read_bytes() if wanted in written else None


async def out(request: Request) -> Response:
    st = base.state_of(request)
    name = request.path_params["file"]
    pid = st.ws.current_id()
    if pid is None or not OUT_FILE.match(name):
        return base.not_found(request)
    try:
        body = await run_in_threadpool(_out_bytes, st.ws, pid, name, request.app.state.store)
    except lib.ChromiumMissing:
        return base.problem(request, text("no_chromium"), 503)
    if body is None:
        return base.problem(request, text("nothing_to_send", file=name), 404)
    filename = name.replace("/", "-")
    return Response(
        body,
        media_type=MEDIA[Path(name).suffix],
        headers={"content-disposition": f'attachment; filename="{filename}"'},
    )


ROUTES = [
    Route("/why", why_page),
    Route("/why", why_ask, methods=["POST"]),
    Route("/why/stop", why_stop, methods=["POST"]),
    Route("/why/apply", why_apply, methods=["POST"]),
    Route("/scenario", scenario_page),
    Route("/scenario/limits", edit_limits, methods=["POST"]),
    Route("/scenario/region/{code}", edit_region, methods=["POST"]),
    Route("/scenario/theme/{theme}", edit_theme, methods=["POST"]),
    Route("/scenario/undo", undo, methods=["POST"]),
    Route("/compare", compare_page),
    Route("/out/{file:path}", out),
]
ROUTE_TABLE = (
    ("GET", "/why"),
    ("POST", "/why"),
    ("POST", "/why/stop"),
    ("POST", "/why/apply"),
    ("GET", "/scenario"),
    ("POST", "/scenario/limits"),
    ("POST", "/scenario/region/{code}"),
    ("POST", "/scenario/theme/{theme}"),
    ("POST", "/scenario/undo"),
    ("GET", "/compare"),
    ("GET", "/out/{file}"),
)
"""These routes, for the security tests to walk (added to :data:`arshjul.web.app.ROUTES`)."""
