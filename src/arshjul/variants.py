"""Alternative scenarios: ``extends:`` files and one-line changes to a scenario in code.

A planner keeps one full scenario and writes each alternative as a short file that says only
what differs::

    extends: sweden-2027.yaml          # relative to this file
    limits: {window_max: 3}            # mappings merge key by key
    regions:
      - {code: SE-H, unavailable: [2027-05-03..2027-05-28]}   # merged into SE-H by code
      - {code: SE-I, remove: true}                            # SE-I is left out

The merge rules, in one place (:func:`merge`):

- mappings merge key by key, recursively;
- lists of items with ids merge **by id**: ``regions`` by ``code``; ``hosts``, ``groups``,
  ``hybrids`` and a host's ``themes`` by ``id``.  A child item with a known id is merged
  into the parent's item (in the parent's position), an unknown id is appended, and
  ``{id: x, remove: true}`` (``{code: SE-X, remove: true}``) removes the item;
- every other list (dates, weekdays, spans, slots, …) and every scalar is replaced whole.

Chains (``a`` extends ``b`` extends ``c``) are allowed; a cycle is a one-line error naming
the file and ``extends``.  Each node of the merged data remembers which file set it last
(:class:`Origin`), so a validation error in the merged scenario names the file the planner
must open.

In code, :func:`variant` derives a changed copy in one line, with dotted paths and list
items addressed by id::

    tight = variant(scenario, {"limits.window_max": 3,
                               "regions[SE-H].unavailable": ["2027-05-03..2027-05-28"]})
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ScenarioError
from .scenario import Scenario, field_path, from_data, parse_yaml, read_text

MAX_CHAIN = 20
"""Longest ``extends`` chain followed; more is surely a mistake."""

_ID_KEYS: dict[tuple[str, ...], str] = {
    ("regions",): "code",
    ("hosts",): "id",
    ("groups",): "id",
    ("hybrids",): "id",
    ("hosts", "*", "themes"): "id",
}
"""Lists merged item by item, and the key that identifies an item.  ``*`` is any index."""

_WHAT: dict[str, str] = {
    "regions": "region",
    "hosts": "host",
    "groups": "group",
    "hybrids": "hybrid",
    "themes": "theme",
}


class _Remove:
    """Marker value for :func:`variant`: delete the key or list item at this path."""

    def __repr__(self) -> str:
        return "REMOVE"


REMOVE: Any = _Remove()
"""``variant(s, {"regions[SE-I]": REMOVE})`` leaves region SE-I out."""


# -- where each part of a merged scenario came from ----------------------------------------


@dataclass
class Origin:
    """The file that last set a node of the merged data, and the origins of its children.

    A node without children came whole from ``source``; a merged mapping or id-list keeps
    one child origin per key or (merged) index.
    """

    source: str
    children: dict[str | int, Origin] = field(default_factory=dict)
    removed: dict[str, str] = field(default_factory=dict)
    """Id removed with ``remove: true`` → the file that removed it (gathered upwards)."""

    def find(self, path: list[str | int]) -> str:
        """The file responsible for ``path``: the deepest node on it that has an origin."""
        node = self
        for part in path:
            child = node.children.get(part)
            if child is None:
                break
            node = child
        return node.source


def _leaf(value: Any, source: str) -> Origin:
    """Origin of data that came whole from one file (children filled in for lookups)."""
    node = Origin(source)
    if isinstance(value, dict):
        node.children = {k: _leaf(v, source) for k, v in value.items()}
    elif isinstance(value, list):
        node.children = {i: _leaf(v, source) for i, v in enumerate(value)}
    return node


def _pattern(path: tuple[str | int, ...]) -> tuple[str, ...]:
    return tuple("*" if isinstance(p, int) else p for p in path)


def _describe(path: tuple[str | int, ...]) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else p)
    return out or "(top level)"


# -- merging ---------------------------------------------------------------------------------


def merge(
    parent: Any,
    parent_origin: Origin,
    child: Any,
    child_source: str,
    path: tuple[str | int, ...] = (),
) -> tuple[Any, Origin]:
    """``child`` laid over ``parent`` by the rules in the module docstring, with origins."""
    if isinstance(parent, dict) and isinstance(child, dict):
        out = dict(parent)
        origin = Origin(child_source, dict(parent_origin.children), dict(parent_origin.removed))
        for key, value in child.items():
            if key in out:
                sub = parent_origin.children.get(key) or _leaf(out[key], parent_origin.source)
                out[key], origin.children[key] = merge(out[key], sub, value, child_source, (*path, key))
                origin.removed.update(origin.children[key].removed)
            else:
                out[key], origin.children[key] = (
                    _strip(value, child_source, (*path, key)),
                    _leaf(value, child_source),
                )
        return out, origin
    id_key = _ID_KEYS.get(_pattern(path))
    if id_key and isinstance(parent, list) and isinstance(child, list):
        return _merge_by_id(parent, parent_origin, child, child_source, path, id_key)
    return _strip(child, child_source, path), _leaf(child, child_source)


def _merge_by_id(
    parent: list[Any],
    parent_origin: Origin,
    child: list[Any],
    child_source: str,
    path: tuple[str | int, ...],
    id_key: str,
) -> tuple[list[Any], Origin]:
    items: list[Any] = list(parent)
    origins: list[Origin] = [
        parent_origin.children.get(i) or _leaf(v, parent_origin.source) for i, v in enumerate(parent)
    ]

    def position(ident: Any) -> int | None:
        for i, item in enumerate(items):
            if isinstance(item, dict) and item.get(id_key) == ident:
                return i
        return None

    what = _WHAT.get(str(path[-1]), "item")
    removed: dict[str, str] = dict(parent_origin.removed)
    for k, value in enumerate(child):
        where = (*path, k)
        ident = value.get(id_key) if isinstance(value, dict) else None
        if isinstance(value, dict) and value.get("remove") is not None:
            if value.get("remove") is not True or ident is None or set(value) != {id_key, "remove"}:
                raise ScenarioError(
                    f"to remove a {what} write only {{{id_key}: …, remove: true}}",
                    source=child_source,
                    field=_describe(where),
                )
            i = position(ident)
            if i is None:
                raise ScenarioError(
                    f"cannot remove {what} '{ident}': the extended scenario has no such {what}",
                    source=child_source,
                    field=_describe(where),
                )
            del items[i], origins[i]
            removed[str(ident)] = child_source
            continue
        i = position(ident) if ident is not None else None
        if i is None:
            items.append(_strip(value, child_source, (*path, len(items))))
            origins.append(_leaf(value, child_source))
        else:
            items[i], origins[i] = merge(items[i], origins[i], value, child_source, (*path, i))
            removed.update(origins[i].removed)
    return items, Origin(child_source, dict(enumerate(origins)), removed)


def _strip(value: Any, source: str, path: tuple[str | int, ...]) -> Any:
    """New data taken as it is; a ``remove`` marker here has nothing to remove."""
    if isinstance(value, list) and _ID_KEYS.get(_pattern(path)):
        id_key = _ID_KEYS[_pattern(path)]
        for k, item in enumerate(value):
            if isinstance(item, dict) and "remove" in item:
                what = _WHAT.get(str(path[-1]), "item")
                raise ScenarioError(
                    f"cannot remove {what} '{item.get(id_key)}': 'remove: true' works only on "
                    f"items of the scenario this file extends",
                    source=source,
                    field=_describe((*path, k)),
                )
            if isinstance(item, dict):
                _strip_children(item, source, (*path, k))
    elif isinstance(value, dict):
        _strip_children(value, source, path)
    return value


def _strip_children(value: dict[str, Any], source: str, path: tuple[str | int, ...]) -> None:
    for key, sub in value.items():
        _strip(sub, source, (*path, key))


# -- reading a chain of files -----------------------------------------------------------------


def resolve(path: str | Path, data: Any = None) -> tuple[Any, Origin]:
    """A scenario file with its ``extends`` chain merged in: plain data (not validated) and
    the origin of each part.  ``data`` is the file's parsed content when the caller has it."""
    return _resolve(Path(path), data, [])


def _resolve(path: Path, data: Any, chain: list[Path]) -> tuple[Any, Origin]:
    source = str(path)
    if data is None:
        data = parse_yaml(read_text(path), source)
    if not isinstance(data, dict) or "extends" not in data:
        if isinstance(data, dict):
            _strip(data, source, ())
        return data, _leaf(data, source)
    data = dict(data)
    target = data.pop("extends")
    if target is None:
        _strip(data, source, ())
        return data, _leaf(data, source)
    if not isinstance(target, str) or not target.strip():
        raise ScenarioError(
            "give the file to extend as a path, e.g. 'extends: base.yaml'",
            source=source,
            field="extends",
        )
    parent_path = path.parent / target.strip()
    here = path.resolve()
    seen = [*chain, here]
    if parent_path.resolve() in seen:
        loop = " → ".join(p.name for p in [*seen[seen.index(parent_path.resolve()) :], parent_path.resolve()])
        raise ScenarioError(
            f"'{target}' is already in the chain, a cycle: {loop}", source=source, field="extends"
        )
    if len(seen) >= MAX_CHAIN:
        raise ScenarioError(f"more than {MAX_CHAIN} files extend each other", source=source, field="extends")
    if not parent_path.is_file():
        raise ScenarioError(
            f"no such file '{target}' (looked for {parent_path}; the path is relative to this file)",
            source=source,
            field="extends",
        )
    parent, parent_origin = _resolve(parent_path, None, seen)
    if not isinstance(parent, dict):
        raise ScenarioError("the extended file is not a mapping of fields", source=source, field="extends")
    return merge(parent, parent_origin, data, source)


_PART = re.compile(r"([^.\[\]]+)|\[([^\]]*)\]")


def _parse_field(text: str) -> list[str | int]:
    out: list[str | int] = []
    for name, index in _PART.findall(text):
        if name:
            out.append(name)
        elif index.isdigit():
            out.append(int(index))
        else:
            out.append(index)
    return out


def _field_by_id(data: Any, parts: list[str | int]) -> str:
    """A field path with merged-list indices shown as ids (``regions[SE-H]``), since the
    index in the merged list need not match any file's own list."""
    return field_path(data, parts)


def locate(err: ScenarioError, data: Any, origin: Origin) -> ScenarioError:
    """The same error, naming the file of the chain that set the field it is about."""
    if not err.field or err.field.startswith("line "):
        return err
    parts = list(err.path) if err.path is not None else _parse_field(err.field)
    problem = err.problem
    for ident, source in origin.removed.items():
        if f"'{ident}'" in problem:
            problem += f" (removed by {source})"
            break
    return ScenarioError(problem, source=origin.find(parts), field=_field_by_id(data, parts))


def load_extending(path: str | Path, data: Any) -> Scenario:
    """Validate a scenario file that has an ``extends:`` key (``scenario.load`` calls this)."""
    merged, origin = resolve(path, data)
    return validate(merged, origin)


def validate(data: Any, origin: Origin) -> Scenario:
    """Validate merged data; an error names the file that contributed the faulty field."""
    try:
        return from_data(data)
    except ScenarioError as err:
        raise locate(err, data, origin) from None


# -- changes in code ------------------------------------------------------------------------------


def data_of(scenario: Scenario | Mapping[str, Any]) -> dict[str, Any]:
    """Plain data (as in a YAML file) of a scenario, to change and validate again."""
    if isinstance(scenario, Scenario):
        return scenario.model_dump(mode="python", by_alias=True, exclude_unset=True)
    return copy.deepcopy(dict(scenario))


def _tokens(path: str) -> list[tuple[str, str]]:
    """``regions[SE-H].unavailable`` → [("key", "regions"), ("item", "SE-H"), ("key", …)]."""
    if not path or path.strip() != path:
        raise ScenarioError("is not a field path like 'limits.window_max'", field=repr(path))
    out: list[tuple[str, str]] = []
    pos = 0
    for m in re.finditer(r"\.?([^.\[\]]+)|\[([^\[\]]+)\]", path):
        if m.start() != pos or (m.group(0).startswith(".") and not out):
            raise ScenarioError("is not a field path like 'limits.window_max'", field=path)
        out.append(("key", m.group(1)) if m.group(1) is not None else ("item", m.group(2)))
        pos = m.end()
    if pos != len(path) or not out:
        raise ScenarioError("is not a field path like 'limits.window_max'", field=path)
    return out


def _find_item(items: list[Any], ident: str, path: str) -> int | None:
    if ident.lstrip("-").isdigit():
        k = int(ident)
        if not -len(items) <= k < len(items):
            raise ScenarioError(f"index {k} is outside the list of {len(items)}", field=path)
        return k % len(items)
    for i, item in enumerate(items):
        if isinstance(item, dict) and ident in (item.get("code"), item.get("id")):
            return i
    return None


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    """Set (or with :data:`REMOVE` delete) the value at a dotted path in plain data, in place.

    ``key`` steps into a mapping (created when missing), ``[ID]`` into the list item whose
    ``code`` or ``id`` is ID (appended, with that id, when missing and it is the last step),
    ``[N]`` into the N-th item of any list.
    """
    tokens = _tokens(path)
    node: Any = data
    for k, (kind, name) in enumerate(tokens):
        last = k == len(tokens) - 1
        done = ".".join(n if t == "key" else f"[{n}]" for t, n in tokens[: k + 1]).replace(".[", "[")
        if kind == "key":
            if not isinstance(node, dict):
                raise ScenarioError(f"'{name}' is inside something that is not a mapping", field=path)
            if last:
                if value is REMOVE:
                    node.pop(name, None)
                else:
                    node[name] = copy.deepcopy(value)
                return
            nxt = tokens[k + 1][0]
            if name not in node or node[name] is None:
                node[name] = [] if nxt == "item" else {}
            node = node[name]
            continue
        if not isinstance(node, list):
            raise ScenarioError(
                f"[{name}] addresses a list item, but {done.rsplit('[', 1)[0]} is not a list",
                field=path,
            )
        i = _find_item(node, name, path)
        if last:
            if value is REMOVE:
                if i is None:
                    raise ScenarioError(f"there is no item '{name}' to remove", field=path)
                del node[i]
            elif i is None:
                item = copy.deepcopy(value)
                if isinstance(item, dict):
                    key = "code" if re.fullmatch(r"[A-Z]{2}-[A-Z0-9]{1,3}", name) else "id"
                    item.setdefault(key, name)
                node.append(item)
            else:
                node[i] = copy.deepcopy(value)
            return
        if i is None:
            raise ScenarioError(f"there is no item '{name}' in this list", field=done)
        node = node[i]


def apply(data: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """A deep copy of plain scenario data with every dotted-path change applied in order."""
    out = copy.deepcopy(dict(data))
    for path, value in changes.items():
        set_path(out, path, value)
    return out


def variant(
    base: Scenario | Mapping[str, Any] | str | Path,
    changes: Mapping[str, Any] | None = None,
    /,
    **fields: Any,
) -> Scenario:
    """A validated copy of ``base`` with ``changes`` applied (dotted paths, items by id).

    ``base`` is a scenario, plain data, or a scenario file (its ``extends`` chain merged).
    Keyword arguments are top-level fields (``id="tight"``).  An error names the change::

        variant(s, {"limits.window_max": 3, "regions[SE-H].unavailable": ["2027-W18..2027-W21"]})
    """
    if isinstance(base, str | Path):
        data, _ = resolve(base)
        if not isinstance(data, dict):
            raise ScenarioError("a scenario must be a mapping of fields", source=str(base))
    else:
        data = data_of(base)
    all_changes = {**(changes or {}), **fields}
    for path, value in all_changes.items():
        try:
            set_path(data, path, value)
        except ScenarioError as err:
            raise ScenarioError(err.problem, source="change", field=err.field or path) from None
    try:
        return from_data(data)
    except ScenarioError as err:
        culprit = next((p for p in all_changes if err.field and _touches(p, err.field, data)), None)
        where = _field_by_id(data, _parse_field(err.field)) if err.field else None
        if culprit is None:
            raise ScenarioError(err.problem, source="variant", field=where) from None
        raise ScenarioError(err.problem, source=f"change '{culprit}'", field=where) from None


def _touches(change: str, field_path: str, data: Any) -> bool:
    """Whether an error at ``field_path`` lies at or under the changed path."""
    shown = _field_by_id(data, _parse_field(field_path))
    norm = change.replace(".[", "[")
    return shown == norm or shown.startswith(norm + ".") or shown.startswith(norm + "[")


__all__ = [
    "REMOVE",
    "Origin",
    "apply",
    "data_of",
    "load_extending",
    "locate",
    "merge",
    "resolve",
    "set_path",
    "validate",
    "variant",
]
