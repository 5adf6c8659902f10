"""A workspace is a folder; nothing lives only in the browser.

::

    scenario.yaml                      the scenario (copied in by ``arshjul serve FILE``)
    <its files>                        availability files it names, at the same relative paths
    files/, source/                    its files from outside its folder; an extends chain or
                                       a workbook as it was (scenario.yaml is it merged/as YAML)
    serve.lock                         pid and address of the ``arshjul serve`` using the folder
    plans/<id>.json                    every plan ever made here, never changed afterwards
    plans/<id>.meta.json               how it came about: solve, move, re-solve; broken rules
    current.json                       {"plan": "<id>"}: the plan the workspace shows
    pins.json                          {"pins": [session ids]}: kept as they are on a re-solve
    exports/<id>/                      calendars and plan.json of a plan, made on first download

A plan id is ``<UTC time>-<status>``, e.g. ``20270301T091500.123456Z-optimal``; the status is
the solver's (``optimal``, ``feasible``, ``unknown``) or, for a plan moved by hand, ``edited``
(every rule holds) or ``broken`` (saved anyway).  Ids, session ids and region codes coming
from a request are checked against strict patterns before they touch a path, and every file
served is resolved and checked to stay inside the workspace without following a symlink.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import stat
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import library as lib

try:  # POSIX: flock; Windows: msvcrt's byte lock (the system drops either with the process)
    import fcntl

    def _try_lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

except ImportError:  # pragma: no cover - Windows
    import msvcrt

    def _try_lock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]

PLAN_ID = re.compile(r"^[0-9]{8}T[0-9]{6}\.[0-9]{6}Z-(optimal|feasible|unknown|edited|broken)$")
SESSION_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")
REGION_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,31}$")
EXPORT_FILE = re.compile(
    r"^(plan\.json|calendar\.ics|(regions|themes|hosts)/[A-Za-z0-9][A-Za-z0-9._-]{0,99}\.ics)$"
)
"""Files a download may name, relative to a plan's export folder."""


class WorkspaceError(Exception):
    """A workspace that cannot be used as it is (one line for the planner)."""


@dataclass(frozen=True)
class PlanInfo:
    """What the workspace knows of one plan besides the plan itself."""

    id: str
    created: str
    """ISO UTC time."""
    status: str
    origin: str
    """``solve``, ``move`` or ``resolve``."""
    note: str = ""
    penalty: int | None = None
    parent: str | None = None
    broken: tuple[str, ...] = ()
    """``rule [subject]`` of every rule the plan breaks (only for hand-moved plans)."""
    pins: tuple[str, ...] = ()

    @property
    def hand_edited(self) -> bool:
        return self.status in ("edited", "broken")

    @property
    def created_at(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.created)


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write beside ``path`` and rename into place: readers see the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(text.encode("utf-8") if isinstance(text, str) else text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise WorkspaceError(f"{path}: cannot read ({exc})") from None


def inside(root: Path, relative: str) -> Path | None:
    """``root/relative`` when it is a regular file inside ``root`` reached without any
    symlink and without ``..``; else ``None``.  ``root`` itself must be a real folder."""
    if not relative or relative.startswith(("/", "\\")) or "\\" in relative or "\x00" in relative:
        return None
    parts = relative.split("/")
    if any(p in ("", ".", "..") for p in parts):
        return None
    try:
        if not stat.S_ISDIR(os.lstat(root).st_mode):
            return None
        here = root
        for k, part in enumerate(parts):
            here = here / part
            mode = os.lstat(here).st_mode
            last = k == len(parts) - 1
            if (
                stat.S_ISLNK(mode)
                or (last and not stat.S_ISREG(mode))
                or (not last and not stat.S_ISDIR(mode))
            ):
                return None
    except OSError:
        return None
    real_root = Path(os.path.realpath(root))
    real = Path(os.path.realpath(here))
    return here if real.is_relative_to(real_root) else None


LOCK_FILE = "serve.lock"


@dataclass
class ServeLock:
    """An exclusive lock on the workspace's ``serve.lock`` (``flock``: the system drops it
    when the process ends, however it ends, so a killed server never leaves the folder
    locked); the file says which process holds it."""

    path: Path
    fd: int

    @classmethod
    def take(cls, path: Path, address: str) -> ServeLock:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            _try_lock(fd)
        except OSError:
            try:
                os.lseek(fd, 0, os.SEEK_SET)
                held = json.loads(os.read(fd, 4096).decode("utf-8") or "{}")
            except (OSError, ValueError):
                held = {}
            os.close(fd)
            pid = held.get("pid", "?") if isinstance(held, dict) else "?"
            where = held.get("address", "") if isinstance(held, dict) else ""
            raise WorkspaceError(
                f"{path.parent} is already open in another arshjul serve (pid {pid}"
                + (f", {where}" if where else "")
                + "); use that one, stop it first, or give another --workspace folder"
            ) from None
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, (json.dumps({"pid": os.getpid(), "address": address}) + "\n").encode())
        return cls(path, fd)

    def release(self) -> None:
        if self.fd >= 0:
            os.ftruncate(self.fd, 0)
            os.close(self.fd)  # closing drops the flock
            self.fd = -1


@dataclass
class _Loaded:
    stamp: tuple[int, int]
    scenario: lib.Scenario
    instance: lib.Instance


@dataclass
class Workspace:
    """One workspace folder; safe to use from several request threads at once."""

    root: Path
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    _loaded: _Loaded | None = field(default=None, repr=False)
    _plans: dict[str, lib.Plan] = field(default_factory=dict, repr=False)

    # -- creating -----------------------------------------------------------------------------

    @classmethod
    def open(cls, root: Path, scenario: Path | None = None) -> Workspace:
        """The workspace in ``root`` (made when missing), with ``scenario`` copied in as its
        ``scenario.yaml`` (the bundled year when the folder has none and none is given), and
        every file the scenario reads with it (:func:`arshjul.web.library.scenario_copy`):
        nothing the workspace plans with lies outside the folder.  A folder whose scenario (or
        one of its files) differs from the one given is refused, never overwritten."""
        root = Path(root).absolute()
        if root.exists() and not root.is_dir():
            raise WorkspaceError(f"{root} is a file, not a workspace folder")
        target = root / "scenario.yaml"
        source = scenario if scenario is not None else (None if target.exists() else lib.bundled_scenario())
        if source is not None:
            # a bad file is refused before anything is copied
            text, files = lib.scenario_copy(Path(source))
            kept = {name: from_.read_bytes() for name, from_ in files.items()}
            if target.exists() and target.read_text(encoding="utf-8-sig") != text:
                raise WorkspaceError(
                    f"{root} already holds another scenario.yaml; use another --workspace "
                    "folder, or open this one without a scenario file"
                )
            for name, data in kept.items():
                here = root / name
                if here.exists() and (not here.is_file() or here.read_bytes() != data):
                    raise WorkspaceError(
                        f"{root} already holds another {name}; use another --workspace folder"
                    )
            (root / "plans").mkdir(parents=True, exist_ok=True)
            for name, data in kept.items():
                if not (root / name).exists():
                    write_atomic(root / name, data)
            if not target.exists():
                write_atomic(target, text)
        (root / "plans").mkdir(parents=True, exist_ok=True)
        ws = cls(root)
        ws.scenario()  # the copy must load too
        return ws

    def lock_for_serving(self, address: str) -> ServeLock:
        """Hold ``serve.lock`` while this process serves the workspace: a second ``arshjul
        serve`` on the same folder is refused (WorkspaceError naming the first one's pid and
        address) instead of two processes writing plans and solving at once."""
        return ServeLock.take(self.root / LOCK_FILE, address)

    # -- the scenario ---------------------------------------------------------------------------

    def scenario(self) -> tuple[lib.Scenario, lib.Instance]:
        """The workspace's scenario and instance, read again when the file changes."""
        path = self.root / "scenario.yaml"
        st = path.stat()
        stamp = (st.st_mtime_ns, st.st_size)
        with self._lock:
            if self._loaded is None or self._loaded.stamp != stamp:
                sc = lib.load_scenario(path)
                self._loaded = _Loaded(stamp, sc, lib.instance(sc))
            return self._loaded.scenario, self._loaded.instance

    # -- plans --------------------------------------------------------------------------------

    def _plan_path(self, plan_id: str) -> Path:
        if not PLAN_ID.match(plan_id):
            raise KeyError(plan_id)
        return self.root / "plans" / f"{plan_id}.json"

    def plans(self) -> list[PlanInfo]:
        """Every plan of the workspace, oldest first."""
        out = []
        for path in (self.root / "plans").glob("*.json"):
            name = path.name.removesuffix(".json")
            if PLAN_ID.match(name):
                out.append(self.info(name))
        return sorted(out, key=lambda i: i.id)

    def info(self, plan_id: str) -> PlanInfo:
        path = self._plan_path(plan_id)
        if not path.is_file():
            raise KeyError(plan_id)
        data = _json(path.with_name(f"{plan_id}.meta.json")) or {}
        status = plan_id.rsplit("-", 1)[1]
        return PlanInfo(
            id=plan_id,
            created=str(data.get("created", "")) or _created_of(plan_id),
            status=status,
            origin=str(data.get("origin", "solve")),
            note=str(data.get("note", "")),
            penalty=data.get("penalty"),
            parent=data.get("parent"),
            broken=tuple(data.get("broken", ())),
            pins=tuple(data.get("pins", ())),
        )

    def plan(self, plan_id: str) -> lib.Plan:
        """A plan by id (plans never change once written, so they are read once)."""
        with self._lock:
            if plan_id in self._plans:
                return self._plans[plan_id]
        path = self._plan_path(plan_id)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise KeyError(plan_id) from None
        plan = lib.plan_from_json(text, str(path))
        with self._lock:
            self._plans[plan_id] = plan
        return plan

    def save_plan(
        self,
        plan: lib.Plan,
        *,
        origin: str,
        status: str | None = None,
        note: str = "",
        parent: str | None = None,
        broken: tuple[str, ...] = (),
        pins: tuple[str, ...] = (),
    ) -> PlanInfo:
        """Keep ``plan`` as a new plan of the workspace; returns its record."""
        label = (status or plan.status).lower()
        with self._lock:
            now = dt.datetime.now(dt.UTC)
            while True:
                plan_id = f"{now:%Y%m%dT%H%M%S.%f}Z-{label}"
                if not self._plan_path(plan_id).exists():
                    break
                now += dt.timedelta(microseconds=1)
            meta = {
                "created": now.isoformat(timespec="seconds"),
                "origin": origin,
                "note": note,
                "penalty": plan.objective,
                "parent": parent,
                "broken": list(broken),
                "pins": list(pins),
            }
            # the meta first: a plan file never appears without its record
            write_atomic(self.root / "plans" / f"{plan_id}.meta.json", json.dumps(meta, indent=2) + "\n")
            write_atomic(self._plan_path(plan_id), lib.plan_to_json(plan))
            self._plans[plan_id] = plan
        return self.info(plan_id)

    def current_id(self) -> str | None:
        data = _json(self.root / "current.json")
        plan_id = data.get("plan") if isinstance(data, dict) else None
        if isinstance(plan_id, str) and PLAN_ID.match(plan_id) and self._plan_path(plan_id).is_file():
            return plan_id
        return None

    def set_current(self, plan_id: str) -> None:
        if not self._plan_path(plan_id).is_file():
            raise KeyError(plan_id)
        write_atomic(self.root / "current.json", json.dumps({"plan": plan_id}) + "\n")

    # -- pins ---------------------------------------------------------------------------------

    def pins(self) -> list[str]:
        data = _json(self.root / "pins.json")
        pins = data.get("pins", []) if isinstance(data, dict) else []
        return [p for p in pins if isinstance(p, str) and SESSION_ID.match(p)]

    def set_pinned(self, session_id: str, pinned: bool) -> list[str]:
        with self._lock:
            pins = [p for p in self.pins() if p != session_id]
            if pinned:
                pins.append(session_id)
            write_atomic(self.root / "pins.json", json.dumps({"pins": pins}, indent=2) + "\n")
            return pins

    # -- files out ------------------------------------------------------------------------------

    def export_file(self, plan_id: str, relative: str) -> Path | None:
        """A file of the plan's calendars (made on first use), or ``None`` when ``relative``
        is no such file or would leave the export folder."""
        if not EXPORT_FILE.match(relative):
            return None
        folder = self._exports(plan_id)
        return inside(folder, relative)

    def _exports(self, plan_id: str) -> Path:
        plan = self.plan(plan_id)
        base = self.root / "exports"
        folder = base / plan_id
        with self._lock:
            if not os.path.lexists(folder):
                base.mkdir(exist_ok=True)
                stage = Path(tempfile.mkdtemp(prefix=f".{plan_id}.", dir=base))
                try:
                    lib.write_calendar_files(plan, stage)
                    os.replace(stage, folder)
                except BaseException:
                    shutil.rmtree(stage, ignore_errors=True)
                    raise
        return folder


def _created_of(plan_id: str) -> str:
    stamp = dt.datetime.strptime(plan_id.split("Z", 1)[0], "%Y%m%dT%H%M%S.%f").replace(tzinfo=dt.UTC)
    return stamp.isoformat(timespec="seconds")
