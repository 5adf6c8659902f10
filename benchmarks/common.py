"""Helpers shared by the benchmark scripts: child processes, memory, machine, tables.

Every measurement runs in a child process of its own, started by :func:`spawn`.  The parent
passes its ``time.monotonic()`` at spawn time (``--t0``); the clock is system-wide on Linux,
so the child can report times *since its own process start*, imports included.  Peak memory
is the child's ``ru_maxrss`` from ``os.wait4`` (the child and any process it waited for).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "results"


@dataclass
class Child:
    """How a measured child process ended."""

    returncode: int
    wall: float
    """Seconds from spawn to exit, seen by the parent."""
    maxrss_mb: float
    """Peak resident memory of the child (or of its largest waited-for descendant)."""
    killed: str | None
    """Why the watchdog killed it, if it did."""


def rss_mb(pid: int | str = "self") -> tuple[float, float]:
    """(current, peak) resident memory of a process in MB, from /proc; (0, 0) if gone."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0, 0.0
    values = {}
    for line in text.splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) / 1024
    return values.get("VmRSS", 0.0), values.get("VmHWM", 0.0)


def spawn(
    args: Sequence[str],
    *,
    log: Path,
    watch: Callable[[float, float], str | None] | None = None,
    poll: float = 0.1,
    env: dict[str, str] | None = None,
) -> Child:
    """Run ``python args... --t0 T`` with stdout and stderr to ``log``.

    ``-X faulthandler`` puts every thread's Python stack in the log if the child crashes.

    ``watch(elapsed, rss_mb)`` is called every ``poll`` seconds; a non-empty answer kills the
    child (by its pid) and is reported as the reason.
    """
    t0 = time.monotonic()
    cmd = [sys.executable, "-X", "faulthandler", *args, "--t0", repr(t0)]
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
    killed: str | None = None
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if watch is not None and killed is None:
            reason = watch(time.monotonic() - t0, rss_mb(proc.pid)[0])
            if reason:
                killed = reason
                os.kill(proc.pid, signal.SIGKILL)
        time.sleep(poll)
    proc.returncode = os.waitstatus_to_exitcode(status)  # already reaped by wait4
    return Child(
        returncode=proc.returncode,
        wall=time.monotonic() - t0,
        maxrss_mb=usage.ru_maxrss / 1024,
        killed=killed,
    )


def snapshot(dest: Path, rev: str = "tree") -> dict[str, Any]:
    """Copy ``src/arshjul`` and ``scenarios`` under ``dest``; say which code that is.

    Others edit the tree while benchmarks run: children importing a snapshot all measure the
    same code.  ``rev`` is ``tree`` (the working tree now) or a git revision (read with
    ``git archive``, the tree is not touched).  Give the children :func:`child_env` of ``dest``.
    """
    package = dest / "src" / "arshjul"
    if rev == "tree":
        shutil.copytree(REPO / "src" / "arshjul", package, ignore=shutil.ignore_patterns("__pycache__"))
        if (REPO / "scenarios").is_dir():
            shutil.copytree(REPO / "scenarios", dest / "scenarios")
        return provenance(package)
    archive = subprocess.run(
        ["git", "archive", rev, "src/arshjul", "scenarios"],
        cwd=REPO,
        capture_output=True,
        check=True,
    )
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, check=True)
    info = provenance(package)
    info["git_head"] = rev
    info["uncommitted"] = []
    return info


def child_env(snapshot_dir: Path | None) -> dict[str, str]:
    """The environment of a child: the snapshot's package first on the path, if any."""
    env = dict(os.environ)
    if snapshot_dir is not None:
        parts = [str(snapshot_dir / "src"), env.get("PYTHONPATH", "")]
        env["PYTHONPATH"] = os.pathsep.join(p for p in parts if p)
    return env


def provenance(package: Path) -> dict[str, Any]:
    """Git commit, uncommitted changes under src/ and scenarios/, and a hash of the code."""
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode())
        digest.update(path.read_bytes())

    def git(*args: str) -> str:
        try:
            done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=False)
        except OSError:
            return ""
        return done.stdout.rstrip()

    return {
        "git_head": git("rev-parse", "--short", "HEAD"),
        "uncommitted": git("status", "--porcelain", "--", "src", "scenarios").splitlines(),
        "code_sha256": digest.hexdigest()[:16],
    }


def write_json(path: Path, data: Any) -> None:
    """Write atomically, so a reader never sees half a file."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, default=str) + "\n")
    os.replace(tmp, path)


def read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = 0.0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_gb = int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    out: dict[str, Any] = {
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": round(mem_gb, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average": os.getloadavg(),
    }
    for module in ("ortools", "pulp", "conference_scheduler"):
        out[module] = _version(module)
    return out


def _version(dist: str) -> str | None:
    from importlib import metadata

    names = {"conference_scheduler": "conference-scheduler"}
    try:
        return metadata.version(names.get(dist, dist))
    except metadata.PackageNotFoundError:
        return None


def table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A Markdown table."""
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
    ]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        if abs(value) >= 100:
            return f"{value:,.0f}"
        if abs(value) >= 10:
            return f"{value:.1f}"
        return f"{value:.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)
