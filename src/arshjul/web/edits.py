"""Edits of the workspace's scenario.yaml, each one undoable.

An edit is a set of dotted-path changes (the ``changes`` of a ``why_not`` fix, or what a
form on the scenario page says).  It is applied to the file's ruamel.yaml round-trip tree,
so comments, key order and flow style stay; the edited text is validated by the library
(scenario and instance) before anything is written, and a refusal is one line.

Undo: before scenario.yaml is replaced, its bytes as they were are kept as
``scenarios/<UTC time>.yaml`` with ``scenarios/<UTC time>.json`` (what the edit was).  Undo
writes the newest kept version back, byte for byte, and drops it: undo again goes one
edit further back.  The difference an edit made is the newest kept version against the
current file.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import io
import json
import os
import re
import tempfile
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from . import library as lib
from .workspace import Workspace

HISTORY = "scenarios"
VERSION_ID = re.compile(r"^[0-9]{8}T[0-9]{6}\.[0-9]{6}Z$")
_LOCK = threading.Lock()


class EditRefused(Exception):
    """The edit does not give a valid scenario; ``str()`` is the one line to show."""


@dataclass(frozen=True)
class Version:
    """A scenario.yaml as it was before an edit."""

    id: str
    created: str
    note: str


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 4096  # never re-wrap a long line the planner wrote
    y.indent(mapping=2, sequence=4, offset=2)  # the bundled files' layout
    return y


def scenario_path(ws: Workspace) -> Path:
    return ws.root / "scenario.yaml"


def digest(ws: Workspace) -> str:
    """The scenario file's SHA-256: an answer about one version is not applied to another."""
    return hashlib.sha256(scenario_path(ws).read_bytes()).hexdigest()


def tree(ws: Workspace) -> Any:
    """The scenario file as a round-trip tree (to read the file's own values from)."""
    return _yaml().load(scenario_path(ws).read_bytes().decode("utf-8-sig"))


def _write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def edited_text(ws: Workspace, changes: Iterable[tuple[str, Any]]) -> tuple[str, str]:
    """(before, after): the file's text and the text with ``changes`` applied and validated."""
    before = scenario_path(ws).read_bytes().decode("utf-8-sig")
    y = _yaml()
    try:
        doc = y.load(before)
    except YAMLError as exc:
        raise EditRefused(" ".join(str(exc).split())) from None
    sc, _ = ws.scenario()
    try:
        lib.edit_scenario_text(doc, sc, changes)
        out = io.StringIO()
        y.dump(doc, out)
        after = out.getvalue()
        lib.scenario_from_text(after)
    except lib.ScenarioError as exc:
        raise EditRefused(exc.line()) from None
    return before, after


def apply(ws: Workspace, changes: Iterable[tuple[str, Any]], note: str) -> Version | None:
    """Apply ``changes`` to scenario.yaml, keeping the old file; ``None`` when nothing changed.
    EditRefused (nothing written) when the edited scenario does not validate."""
    with _LOCK:
        old = scenario_path(ws).read_bytes()
        _, after = edited_text(ws, changes)
        new = after.encode("utf-8")
        if new == old:
            return None
        now = dt.datetime.now(dt.UTC)
        folder = ws.root / HISTORY
        while True:
            vid = f"{now:%Y%m%dT%H%M%S.%f}Z"
            if not (folder / f"{vid}.yaml").exists():
                break
            now += dt.timedelta(microseconds=1)
        meta = {"created": now.isoformat(timespec="seconds"), "note": note}
        _write_bytes(folder / f"{vid}.json", (json.dumps(meta, ensure_ascii=False, indent=2) + "\n").encode())
        _write_bytes(folder / f"{vid}.yaml", old)
        _write_bytes(scenario_path(ws), new)
        return Version(vid, meta["created"], note)


def history(ws: Workspace) -> list[Version]:
    """The kept versions, newest first."""
    folder = ws.root / HISTORY
    out = []
    for path in folder.glob("*.yaml") if folder.is_dir() else ():
        vid = path.name.removesuffix(".yaml")
        if not VERSION_ID.match(vid) or path.is_symlink():
            continue
        try:
            meta = json.loads((folder / f"{vid}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            meta = {}
        out.append(Version(vid, str(meta.get("created", "")), str(meta.get("note", ""))))
    return sorted(out, key=lambda v: v.id, reverse=True)


def undo(ws: Workspace) -> Version | None:
    """Write the newest kept version back as scenario.yaml, byte for byte, and drop it."""
    with _LOCK:
        kept = history(ws)
        if not kept:
            return None
        last = kept[0]
        folder = ws.root / HISTORY
        _write_bytes(scenario_path(ws), (folder / f"{last.id}.yaml").read_bytes())
        (folder / f"{last.id}.yaml").unlink()
        (folder / f"{last.id}.json").unlink(missing_ok=True)
        return last


@dataclass(frozen=True)
class DiffLine:
    kind: str
    """``add``, ``del``, ``hunk`` or ``same``."""
    text: str


def last_diff(ws: Workspace) -> list[DiffLine]:
    """What the newest edit changed: its kept version against the current file."""
    kept = history(ws)
    if not kept:
        return []
    before = (ws.root / HISTORY / f"{kept[0].id}.yaml").read_bytes().decode("utf-8-sig").splitlines()
    after = scenario_path(ws).read_bytes().decode("utf-8-sig").splitlines()
    out = []
    for line in difflib.unified_diff(before, after, "before", "after", lineterm="", n=2):
        if line.startswith(("---", "+++")):
            continue
        kind = {"+": "add", "-": "del", "@": "hunk"}.get(line[:1], "same")
        out.append(DiffLine(kind, line))
    return out


# -- what the forms show and send -----------------------------------------------------------------


def span_line(item: Any) -> str:
    """One span of the file as a line of the form: ``2027-W44``, ``Almedalsveckan:
    2027-06-28..2027-07-02``, ``Sommar: W27..W32``."""
    if isinstance(item, dict):
        name = item.get("name")
        if item.get("weeks") is not None:
            a, b = item["weeks"]
            spec = f"W{int(a):02d}..W{int(b):02d}"
        else:
            a, b = item.get("from"), item.get("to") or item.get("from")
            spec = str(a) if a == b else f"{a}..{b}"
        return f"{name}: {spec}" if name else spec
    return str(item)


def spans_from_lines(text: str, original: Any) -> Any:
    """The lines of a span field as the list to write: a line as it was keeps its item (with
    its comments and style), a new line becomes a span the scenario can read."""
    old = list(original) if isinstance(original, list) else []
    by_line = {span_line(item): item for item in old}
    out = CommentedSeq()
    if isinstance(original, CommentedSeq) and original.fa.flow_style():
        out.fa.set_flow_style()
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line in by_line:
            out.append(by_line[line])
            continue
        name, sep, spec = line.rpartition(": ")
        if not sep:
            out.append(line)
            continue
        left, _, right = spec.partition("..")
        item = CommentedMap(name=name.strip())
        weeks = (
            re.fullmatch(r"W(\d{1,2})", left.strip()),
            re.fullmatch(r"W(\d{1,2})", (right or left).strip()),
        )
        if weeks[0] and weeks[1]:
            item["weeks"] = [int(weeks[0].group(1)), int(weeks[1].group(1))]
        else:
            item["from"], item["to"] = left.strip(), (right or left).strip()
        item.fa.set_flow_style()
        out.append(item)
    if isinstance(original, CommentedSeq) and old and out:
        # the file's own list, refilled: what follows its last item (a blank line, the next
        # block's comment) stays after the last item
        tail = original.ca.items.pop(len(old) - 1, None)
        del original[:]
        original.extend(out)
        if tail is not None:
            original.ca.items[len(out) - 1] = tail
        return original
    return out


def months_from_text(text: str) -> list[int] | str:
    """``2, 3`` → [2, 3]; anything else → the offending part."""
    out = []
    for part in re.split(r"[,\s]+", text.strip()):
        if not part:
            continue
        if not part.isdigit():
            return part
        out.append(int(part))
    seq = CommentedSeq(out)
    seq.fa.set_flow_style()
    return seq
