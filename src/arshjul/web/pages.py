"""What every page of the workspace shares: the app's state, the templates, the helpers
that render a page or a one-line problem (app.py and planner.py both use them), and the
middleware that makes every page of a request speak the scenario's language."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from ..errors import ScenarioError
from ..i18n import DEFAULT_LANGUAGE, Language
from . import views
from .security import CSRF_SCOPE_KEY
from .strings import language, plan_status, speaking, text
from .workspace import Workspace

HERE = Path(__file__).parent
DEFAULT_TIME_LIMIT = 30.0
MAX_TIME_LIMIT = 3600.0


@dataclass
class State:
    """What the app holds besides the workspace folder: pictures and move options of
    plans already seen (plans never change, so these never go stale)."""

    ws: Workspace
    time_limit: float = DEFAULT_TIME_LIMIT
    cache: OrderedDict[tuple[str, ...], Any] = field(default_factory=OrderedDict)

    def cached(self, key: tuple[str, ...], make: Any) -> Any:
        if key in self.cache:
            self.cache.move_to_end(key)
            return self.cache[key]
        value = make()
        self.cache[key] = value
        while len(self.cache) > 64:
            self.cache.popitem(last=False)
        return value


ENV = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
ENV.globals["_"] = text  # speaks the request's language (SpeakTheScenario)
ENV.globals["lang"] = language  # <html lang="{{ lang() }}">
ENV.globals["plan_label"] = views.plan_label
ENV.globals["plan_status"] = plan_status


def state_of(request: Request) -> State:
    state: State = request.app.state.arshjul
    return state


def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    st = state_of(request)
    current = st.ws.current_id()
    context.setdefault("current_info", st.ws.info(current) if current else None)
    html = ENV.get_template(name).render(
        csrf=request.scope.get(CSRF_SCOPE_KEY, ""),
        root=str(st.ws.root),
        nav=name.removesuffix(".html"),
        **context,
    )
    return HTMLResponse(html, status_code=status)


def problem(request: Request, message: str, status: int = 400) -> HTMLResponse:
    return page(request, "message.html", status=status, message=message)


def not_found(request: Request) -> HTMLResponse:
    return problem(request, text("not_found"), 404)


def scenario_language(ws: Workspace) -> Language:
    """The language the workspace's pages speak: its scenario's ``language:`` (Swedish when
    the file cannot be read now: the page that needs it will say what is wrong)."""
    try:
        return ws.scenario()[0].language
    except (OSError, ScenarioError):
        return DEFAULT_LANGUAGE


class SpeakTheScenario:
    """ASGI middleware: every text of a request (templates' ``_``, handlers' ``text``, months,
    weekdays, homework questions) is in the language of the workspace's scenario, for a
    planner's page and a region's page alike.  Starlette runs sync handlers in a thread pool
    that copies the request's context, so the language reaches them too."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        st: State = scope["app"].state.arshjul
        lang = await run_in_threadpool(scenario_language, st.ws)  # may re-read scenario.yaml
        with speaking(lang):
            await self.app(scope, receive, send)
