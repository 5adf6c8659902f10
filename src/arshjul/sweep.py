"""Sweeps: many variants of one scenario, solved in parallel, one results row each.

A sweep is a list of named change sets (:class:`Variant`) over one base scenario: a grid
from ``--vary limits.window_max=2,3,4 --vary weights.coverage=20,40``, or a YAML list.
Each variant is solved by :func:`arshjul.solve` in its own process — locally in a process
pool, or on an existing Dask distributed cluster — with a fixed seed and one solver worker,
so a row does not depend on where or next to what it ran.  Tasks carry the base scenario as
plain data, so cluster workers need arshjul installed but not the scenario files.

Rows are appended to ``results.csv`` and ``results.jsonl`` as variants finish, each line
flushed to disk: an interrupted sweep keeps what finished.  A variant with bad input, or
one that finds no plan in time, says so in its ``status`` column and the sweep goes on.
When all are done the two files are rewritten in variant order.
"""

from __future__ import annotations

import concurrent.futures as cf
import csv
import io
import itertools
import json
import multiprocessing
import os
import time
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import yaml

from .api import solve
from .changes import ChangeWeights
from .compare import flat, measure
from .errors import ScenarioError
from .fileio import write_atomic
from .instance import build_instance
from .options import SolveOptions, SolveStatus, options_from
from .plan import Plan
from .scenario import Scenario, from_data, keep_availability, parse_yaml, read_text
from .variants import apply, data_of

TIMEOUT, BAD_INPUT, ERROR = "TIMEOUT", "BAD_INPUT", "ERROR"
STATUSES = (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE, SolveStatus.INFEASIBLE, TIMEOUT, BAD_INPUT, ERROR)
"""A row's status: the solver's, ``TIMEOUT`` (no plan within the time limit), ``BAD_INPUT``
(the variant is not a valid scenario) or ``ERROR`` (anything else; the message says what)."""

DEFAULT_OPTIONS = SolveOptions(time_limit=10.0)
"""A sweep gives each variant ten seconds unless told otherwise."""

COLUMNS = (
    "index",
    "variant",
    "changes",
    "status",
    "objective",
    "bound",
    "gap",
    "regions",
    "coverage",
    "worst_window",
    "at_cap",
    "presentations_min",
    "presentations_max",
    "sessions",
    "busiest_month",
    "sessions_per_month",
    "themes_kept_month",
    "terms",
    "message",
    "wall_time",
)
"""Columns of ``results.csv``; ``wall_time`` is the only one that depends on the machine."""

TIMING_COLUMNS = ("wall_time",)


@dataclass(frozen=True)
class Variant:
    """A named set of dotted-path changes (see :func:`arshjul.variants.set_path`)."""

    name: str
    changes: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Task:
    """Everything one worker needs: picklable plain data, no file paths."""

    index: int
    variant: Variant
    base: Mapping[str, Any]
    options: SolveOptions = DEFAULT_OPTIONS
    last_year: Mapping[str, Any] | None = None
    """Last year's plan as JSON data, for the same-month pull and measure."""
    same_month_weight: int = 15
    read_from: Scenario | None = None
    """The base as loaded, with the days its regions' availability files gave (read once,
    here, where the files are: a worker on a cluster may not have them)."""


# -- building the list of variants ---------------------------------------------------------------


def _split_values(text: str) -> list[str]:
    """Comma-separated values, commas inside [], {} or quotes kept."""
    out, depth, quote, cur = [], 0, "", ""
    for ch in text:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        elif ch == "," and depth == 0:
            out.append(cur)
            cur = ""
            continue
        cur += ch
    out.append(cur)
    return [v.strip() for v in out]


def parse_value(text: str) -> Any:
    """A value as YAML reads it: ``3`` → 3, ``true`` → True, ``[a, b]`` → a list."""
    try:
        return yaml.safe_load(text) if text else ""
    except yaml.YAMLError:
        return text


def parse_vary(option: str) -> tuple[str, list[Any]]:
    """``limits.window_max=2,3,4`` → (``limits.window_max``, [2, 3, 4])."""
    path, sep, values = option.partition("=")
    if not sep or not path.strip() or not values.strip():
        raise ScenarioError("write it as PATH=V1,V2,… e.g. limits.window_max=2,3,4", field=f"--vary {option}")
    return path.strip(), [parse_value(v) for v in _split_values(values)]


def grid(varies: Sequence[tuple[str, Sequence[Any]]]) -> list[Variant]:
    """Every combination of the varied values, named ``path=value …``."""
    if not varies:
        return [Variant("base")]
    out = []
    for combo in itertools.product(*(values for _, values in varies)):
        changes = {path: value for (path, _), value in zip(varies, combo, strict=True)}
        name = " ".join(f"{path}={_short(value)}" for path, value in changes.items())
        out.append(Variant(name, changes))
    return out


def _short(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str) if not isinstance(value, str) else value


def read_variants(path: Path) -> list[Variant]:
    """A YAML list of ``{name: …, set: {path: value, …}}`` (or a mapping name → changes)."""
    source = str(path)
    data = parse_yaml(read_text(path), source)
    if isinstance(data, dict):
        data = [{"name": k, "set": v} for k, v in data.items()]
    if not isinstance(data, list) or not data:
        raise ScenarioError("expected a list of variants, each {name: …, set: {path: value}}", source=source)
    out: list[Variant] = []
    names: set[str] = set()
    for k, item in enumerate(data):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str | int):
            raise ScenarioError("each variant needs a name", source=source, field=f"[{k}]")
        extra = set(item) - {"name", "set"}
        if extra:
            raise ScenarioError(
                f"unknown field '{sorted(extra)[0]}' (use name and set)",
                source=source,
                field=f"[{k}]",
            )
        changes = item.get("set") or {}
        if not isinstance(changes, dict):
            raise ScenarioError("'set' must map field paths to values", source=source, field=f"[{k}].set")
        name = str(item["name"])
        if name in names:
            raise ScenarioError(f"variant '{name}' is listed twice", source=source, field=f"[{k}].name")
        names.add(name)
        out.append(Variant(name, {str(p): v for p, v in changes.items()}))
    return out


# -- one variant, in a worker --------------------------------------------------------------------


def run_task(task: Task) -> dict[str, Any]:
    """Solve one variant and measure it; never raises (the row's status says what happened)."""
    row: dict[str, Any] = {
        "index": task.index,
        "variant": task.variant.name,
        "changes": json.dumps(dict(task.variant.changes), ensure_ascii=False, sort_keys=True, default=str),
    }
    started = time.monotonic()
    try:
        last_year = None if task.last_year is None else Plan.from_dict(task.last_year, "last year")
        try:
            data = apply(task.base, task.variant.changes)
            scenario = from_data(data)
            if task.read_from is not None:  # the base's availability files stay with it
                scenario = keep_availability(task.read_from, scenario)
            inst = build_instance(scenario)
        except ScenarioError as err:
            return _row(row, status=BAD_INPUT, message=err.line(), started=started)
        weights = ChangeWeights(same_month=task.same_month_weight)
        plan = solve(inst, task.options, last_year=last_year, weights=weights)
    except Exception as exc:  # a sweep reports every failure in its row and goes on
        detail = traceback.format_exception_only(type(exc), exc)[-1].strip()
        return _row(row, status=ERROR, message=detail, started=started)
    status = TIMEOUT if plan.status == SolveStatus.UNKNOWN else plan.status
    if not plan.found:
        why = (
            "the variant's hard rules cannot all hold"
            if status == SolveStatus.INFEASIBLE
            else f"no plan within {task.options.time_limit:g} s"
        )
        return _row(row, status=status, message=why, started=started, wall_time=plan.wall_time)
    m = measure(plan, last_year)
    values = flat(m)
    message = ""
    if status == SolveStatus.FEASIBLE and plan.gap is not None:
        message = f"stopped at {task.options.time_limit:g} s, {100 * plan.gap:.1f}% from the bound"
    busiest = max(m.per_month.values(), default=0)
    row.update(
        {
            "status": status,
            "objective": values["objective"],
            "bound": values["bound"],
            "gap": values["gap"],
            "regions": values["regions"],
            "coverage": values["coverage"],
            "worst_window": values["worst_window"],
            "at_cap": values["at_cap"],
            "presentations_min": values["presentations_min"],
            "presentations_max": values["presentations_max"],
            "sessions": values["sessions"],
            "busiest_month": busiest,
            "sessions_per_month": " ".join(f"{k}:{v}" for k, v in m.per_month.items()),
            "themes_kept_month": None
            if m.themes_both_years is None
            else f"{m.themes_kept_month}/{m.themes_both_years}",
            "terms": values["terms"],
            "message": message,
            "wall_time": round(plan.wall_time, 3),
        }
    )
    return {c: row.get(c) for c in COLUMNS}


def _row(
    row: dict[str, Any],
    *,
    status: str,
    message: str,
    started: float,
    wall_time: float | None = None,
) -> dict[str, Any]:
    elapsed = time.monotonic() - started if wall_time is None else wall_time
    row.update(status=status, message=message, wall_time=round(elapsed, 3))
    return {c: row.get(c) for c in COLUMNS}


# -- writing results as they come ----------------------------------------------------------------


class Results:
    """``results.csv`` and ``results.jsonl`` in a folder, appended and flushed row by row."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.csv_path = self.out_dir / "results.csv"
        self.jsonl_path = self.out_dir / "results.jsonl"
        self.rows: list[dict[str, Any]] = []
        self._csv: IO[str] = self.csv_path.open("w", newline="", encoding="utf-8")
        self._jsonl: IO[str] = self.jsonl_path.open("w", encoding="utf-8")
        self._writer = csv.DictWriter(self._csv, fieldnames=list(COLUMNS), lineterminator="\n")
        self._writer.writeheader()
        self._sync(self._csv)

    @staticmethod
    def _sync(fh: IO[str]) -> None:
        fh.flush()
        os.fsync(fh.fileno())

    def add(self, row: dict[str, Any]) -> None:
        self.rows.append(row)
        self._writer.writerow(_csv_row(row))
        self._sync(self._csv)
        self._jsonl.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        self._sync(self._jsonl)

    def close(self, *, sort: bool) -> None:
        """Close the files; when the sweep is complete, rewrite them in variant order."""
        self._csv.close()
        self._jsonl.close()
        if not sort:
            return
        ordered = sorted(self.rows, key=lambda r: r["index"])
        write_atomic(self.csv_path, csv_text(ordered))
        write_atomic(
            self.jsonl_path,
            "".join(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in ordered),
        )


def _csv_row(row: Mapping[str, Any]) -> dict[str, Any]:
    return {c: "" if row.get(c) is None else row.get(c) for c in COLUMNS}


def csv_text(rows: Iterable[Mapping[str, Any]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(_csv_row(row))
    return buf.getvalue()


# -- running ---------------------------------------------------------------------------------------


@dataclass
class SweepResult:
    rows: list[dict[str, Any]]
    """Finished rows in variant order."""
    interrupted: bool = False
    csv_path: Path | None = None
    jsonl_path: Path | None = None

    @property
    def failed(self) -> list[dict[str, Any]]:
        return [r for r in self.rows if r["status"] in (BAD_INPUT, ERROR, TIMEOUT)]


Progress = Callable[[dict[str, Any], int, int], None]
"""Called after each finished row with (row, finished so far, total)."""


def _files_named(data: Mapping[str, Any]) -> str | None:
    """The first ``regions[CODE].away_from``/``cannot_present_from`` that names files."""
    regions = data.get("regions")
    for region in regions if isinstance(regions, list) else []:
        for name in ("away_from", "cannot_present_from"):
            if isinstance(region, Mapping) and region.get(name):
                return f"regions[{region.get('code', '?')}].{name}"
    return None


def sweep(
    base: Mapping[str, Any] | Scenario,
    variants: Sequence[Variant],
    out_dir: Path,
    options: SolveOptions | None = None,
    *,
    jobs: int | None = None,
    cluster: str | Any | None = None,
    last_year: Plan | None = None,
    same_month_weight: int = 15,
    progress: Progress | None = None,
    **overrides: Any,
) -> SweepResult:
    """Solve every variant of ``base`` and write the results table.  ``base`` is a loaded
    scenario (:func:`arshjul.load_scenario`: its regions' availability files already read,
    and kept in every variant that names the same files) or plain scenario data (which then
    cannot name availability files: nothing would say where they are).

    ``options`` (default: :data:`DEFAULT_OPTIONS`, ten seconds a variant) and keyword
    overrides as for :func:`arshjul.solve`.  Locally a process pool of ``jobs`` processes
    (default: the number of cores); with ``cluster`` (a scheduler address, or a
    ``distributed.Client``) the tasks run there.  Ctrl-C stops the sweep; the rows written
    so far stay.
    """
    options = options_from(options or DEFAULT_OPTIONS, overrides)
    read_from = base if isinstance(base, Scenario) else None
    data = data_of(base)
    named = None if read_from is not None else _files_named(data)
    if named is not None:
        raise ScenarioError(
            "availability files are read relative to the scenario file: sweep the loaded "
            "scenario (arshjul.load_scenario) rather than its data",
            source="sweep",
            field=named,
        )
    tasks = [
        Task(
            index=i,
            variant=v,
            base=data,
            read_from=read_from,
            options=options,
            last_year=None if last_year is None else last_year.to_dict(),
            same_month_weight=same_month_weight,
        )
        for i, v in enumerate(variants)
    ]
    # reach the cluster before any file is touched: a bad address leaves results.csv as it was
    if not isinstance(cluster, str):
        return _sweep(tasks, out_dir, jobs, cluster, progress)
    client = connect(cluster)
    try:
        return _sweep(tasks, out_dir, jobs, client, progress)
    finally:
        client.close()


def _sweep(
    tasks: Sequence[Task],
    out_dir: Path,
    jobs: int | None,
    client: Any,
    progress: Callable[[dict[str, Any], int, int], None] | None,
) -> SweepResult:
    results = Results(out_dir)
    done = 0
    interrupted = False

    def finished(row: dict[str, Any]) -> None:
        nonlocal done
        done += 1
        results.add(row)
        if progress:
            progress(row, done, len(tasks))

    try:
        if client is not None:
            _run_cluster(tasks, client, finished)
        else:
            _run_local(tasks, jobs or os.cpu_count() or 1, finished)
    except KeyboardInterrupt:
        interrupted = True
    finally:
        results.close(sort=not interrupted)
    rows = sorted(results.rows, key=lambda r: r["index"])
    return SweepResult(rows, interrupted, results.csv_path, results.jsonl_path)


def _failure(task: Task, exc: BaseException) -> dict[str, Any]:
    row = {
        "index": task.index,
        "variant": task.variant.name,
        "changes": json.dumps(dict(task.variant.changes), ensure_ascii=False, sort_keys=True, default=str),
        "status": ERROR,
        "message": f"the worker failed: {type(exc).__name__}: {exc}".strip(),
    }
    return {c: row.get(c) for c in COLUMNS}


def _run_local(tasks: Sequence[Task], jobs: int, finished: Callable[[dict[str, Any]], None]) -> None:
    """A pool of fresh (spawned) processes: no solver state is shared or forked."""
    if not tasks:
        return
    context = multiprocessing.get_context("spawn")
    pool = cf.ProcessPoolExecutor(max_workers=max(1, min(jobs, len(tasks))), mp_context=context)
    try:
        futures = {pool.submit(run_task, t): t for t in tasks}
        for fut in cf.as_completed(futures):
            try:
                row = fut.result()
            except Exception as exc:  # a crashed worker process: report, go on
                row = _failure(futures[fut], exc)
            finished(row)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


CONNECT_TIMEOUT = "30s"
"""How long to try reaching a scheduler before saying it cannot be reached."""


def connect(address: str) -> Any:
    """A Dask distributed client for a scheduler address (``OSError`` when it cannot be
    reached; the caller closes it)."""
    try:
        from distributed import Client
    except ImportError:  # pragma: no cover - depends on the optional extra
        raise ScenarioError(
            "running on a cluster needs Dask distributed: pip install 'arshjul[cluster]'",
            field="--cluster",
        ) from None
    return Client(address, timeout=CONNECT_TIMEOUT)


def _run_cluster(tasks: Sequence[Task], client: Any, finished: Callable[[dict[str, Any]], None]) -> None:
    """Submit every task to a Dask distributed cluster and collect rows as they finish."""
    from distributed import as_completed  # the optional extra, there once connect() worked

    futures = {}
    token = f"{os.getpid()}-{time.time_ns()}"
    for t in tasks:
        fut = client.submit(run_task, t, pure=False, key=f"arshjul-sweep-{token}-{t.index}")
        futures[fut.key] = (fut, t)
    try:
        for fut in as_completed([f for f, _ in futures.values()]):
            task = futures[fut.key][1]
            try:
                row = fut.result()
            except Exception as exc:  # a lost worker or a pickling problem
                row = _failure(task, exc)
            finished(row)
    except BaseException:
        client.cancel([f for f, _ in futures.values()])
        raise


def comparable(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Rows without the timing columns: what must agree between two runs of one sweep."""
    return [{k: v for k, v in r.items() if k not in TIMING_COLUMNS} for r in rows]


__all__ = [
    "COLUMNS",
    "DEFAULT_OPTIONS",
    "STATUSES",
    "Results",
    "SweepResult",
    "Task",
    "Variant",
    "comparable",
    "csv_text",
    "grid",
    "parse_value",
    "parse_vary",
    "read_variants",
    "run_task",
    "sweep",
]
