"""Solves in the background: one per workspace at a time, with progress and a stop.

A job runs in a daemon thread.  Its progress (best penalty, bound, gap) is kept here for the
progress page to poll; its result is a plan saved into the workspace like any other (so
nothing is lost when the browser closes), and the job remembers which plan was current when
it started, to show the difference.  The stop button sets an event the solver's wait loop
checks (``SolveOptions.stop``); the search then ends and keeps the best plan found so far.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import library as lib
from .strings import text
from .workspace import Workspace


class AlreadyRunning(Exception):
    """A solve is already running in this workspace."""


@dataclass
class Job:
    """One solve or re-solve, as the progress page sees it."""

    kind: str
    """``solve`` (a whole new year) or ``resolve`` (the rest, pinned sessions kept)."""
    base: str | None
    """The plan that was current when the job started."""
    time_limit: float
    pins: tuple[str, ...] = ()
    started: float = field(default_factory=time.monotonic)
    state: str = "running"
    """``running``, ``done`` (a plan was saved) or ``failed`` (no plan; ``message`` says why)."""
    progress: lib.SolveProgress | None = None
    result: str | None = None
    """The saved plan's id."""
    message: str = ""
    lines: list[str] = field(default_factory=list)
    stopping: bool = False
    stop: threading.Event = field(default_factory=threading.Event, repr=False)
    finished: float | None = None
    conflict: lib.Conflict | None = None
    """A ``why`` job's answer."""
    digest: str = ""
    """A ``why`` job's scenario file (SHA-256): its fixes apply to that version only."""
    stage: str = ""
    """A ``why`` job's stage: ``conflict`` (finding the rules that collide), ``ways_out``."""
    relaxed: tuple[int, int, int] = (0, 0, 0)
    """A ``why`` job's colliding rules tried for ways out so far, of how many, and the edits
    decided (each solved or shown by the greedy)."""

    @property
    def elapsed(self) -> float:
        return (self.finished or time.monotonic()) - self.started

    def status(self) -> dict[str, object]:
        """What ``/job/status`` answers."""
        p = self.progress
        return {
            "kind": self.kind,
            "state": self.state,
            "elapsed": round(self.elapsed, 1),
            "time_limit": self.time_limit,
            "best": None if p is None or p.best is None else round(p.best),
            "bound": None if p is None or p.bound is None else round(p.bound),
            "gap": None if p is None or p.gap is None else round(100 * p.gap, 1),
            "solutions": 0 if p is None else p.solutions,
            "stopping": self.stopping,
            "result": self.result,
            "message": self.message,
            "stage": self.stage,
            "stage_text": text(
                f"why_stage_{self.stage}", done=self.relaxed[0], total=self.relaxed[1], edits=self.relaxed[2]
            )
            if self.stage
            else "",
        }


_LOCK = threading.Lock()
_JOBS: dict[Path, Job] = {}
"""Workspace folder → its latest job (running or finished), for every app in this process."""


def current(ws: Workspace) -> Job | None:
    with _LOCK:
        return _JOBS.get(ws.root.resolve())


def _start(ws: Workspace, job: Job, work: Callable[[Job], None]) -> Job:
    key = ws.root.resolve()
    with _LOCK:
        running = _JOBS.get(key)
        if running is not None and running.state == "running":
            raise AlreadyRunning
        _JOBS[key] = job

    def run() -> None:
        try:
            work(job)
        except Exception as exc:  # a job must never die silently: the page shows it
            job.state, job.message = "failed", f"{type(exc).__name__}: {exc}"
        finally:
            job.finished = time.monotonic()

    # the job's texts (plan notes) speak the language of the request that started it
    context = contextvars.copy_context()
    threading.Thread(target=context.run, args=(run,), name=f"arshjul-{job.kind}", daemon=True).start()
    return job


def _reporter(job: Job) -> Callable[[lib.SolveProgress], None]:
    def report(p: lib.SolveProgress) -> None:
        job.progress = p

    return report


def start_solve(ws: Workspace, *, time_limit: float) -> Job:
    """Plan the whole year again; the first plan of a workspace becomes current at once."""
    job = Job("solve", ws.current_id(), time_limit)

    def work(job: Job) -> None:
        sc, _ = ws.scenario()
        plan = lib.solve(sc, time_limit=time_limit, report=_reporter(job), stop=job.stop)
        _finish(ws, job, plan, origin="solve", note=text("note_solve"))

    return _start(ws, job, work)


def start_resolve(ws: Workspace, *, time_limit: float, frozen_until: dt.date | None = None) -> Job:
    """Re-solve the rest of the current plan with its pinned sessions kept exactly."""
    base = ws.current_id()
    if base is None:
        raise LookupError("no current plan to re-solve")
    previous = ws.plan(base)
    have = {s.id for s in previous.sessions}
    pins = tuple(p for p in ws.pins() if p in have)
    job = Job("resolve", base, time_limit, pins)

    def work(job: Job) -> None:
        sc, _ = ws.scenario()
        out = lib.replan(
            sc,
            previous,
            pins=pins,
            frozen_until=frozen_until,
            time_limit=time_limit,
            report=_reporter(job),
            stop=job.stop,
        )
        job.lines = out.report
        note = text("note_resolve", n=len(out.frozen))
        if frozen_until is not None:
            note += text("note_frozen_until", date=frozen_until.isoformat())
        _finish(ws, job, out.plan, origin="resolve", note=note)

    return _start(ws, job, work)


def start_why(ws: Workspace, digest: str) -> Job:
    """Ask why the scenario has no plan (``why_not``, deterministic limits); the answer stays
    on the job (``conflict``) for the why page.  It can take most of a minute: its stage is
    on the job for the page to show, and :func:`request_stop` ends it with what was found
    (``conflict.stopped``)."""
    job = Job("why", ws.current_id(), lib.WHY_TIME_LIMIT, digest=digest)

    def progress(stage: str, done: int, total: int, edits: int) -> None:
        job.stage, job.relaxed = stage, (done, total, edits)

    def work(job: Job) -> None:
        sc, _ = ws.scenario()
        job.conflict = lib.why_not(sc, stop=job.stop, progress=progress)
        job.state = "done"

    return _start(ws, job, work)


def _finish(ws: Workspace, job: Job, plan: lib.Plan, *, origin: str, note: str) -> None:
    if not plan.found:
        job.state = "failed"
        job.message = {
            "INFEASIBLE": text("no_plan_infeasible"),
            "MODEL_INVALID": text("no_plan_invalid"),
        }.get(plan.status, text("no_plan_in_time", limit=f"{job.time_limit:g}"))
        return
    if plan.interrupted:
        note += text("note_stopped")
    solutions = job.progress.solutions if job.progress is not None else 1
    job.progress = lib.SolveProgress(plan.wall_time, plan.objective, plan.bound, solutions)
    info = ws.save_plan(plan, origin=origin, note=note, parent=job.base, pins=job.pins)
    if job.base is None:
        ws.set_current(info.id)
    job.result = info.id
    job.state = "done"


def request_stop(ws: Workspace) -> bool:
    """Ask the running job to stop (it keeps its best plan); False when none runs."""
    job = current(ws)
    if job is None or job.state != "running":
        return False
    job.stopping = True
    job.stop.set()
    return True


def wait(ws: Workspace, timeout: float) -> Job | None:
    """Wait until the workspace's job has finished (for tests and scripts)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = current(ws)
        if job is None or job.state != "running":
            return job
        time.sleep(0.1)
    return current(ws)
