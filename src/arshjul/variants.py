"""Alternative scenarios: ``extends:`` files and one-line changes to a scenario in code.

A planner keeps one full scenario and writes each alternative as a short file that says only
what differs::

    extends: sweden-2027.yaml          # relative to this file
    limits: {window_max: 3}            # mappings merge key by key
    regions:
      - {code: SE-H, unavailable: [2027-05-03..2027-05-28]}   # merged into SE-H by code
      - {code: SE-I, remove: true}                            # SE-I is left out

The merge rules, in one place (:func:`arshjul.extends.merge`):

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
from pathlib import Path
from typing import Any

from .errors import ScenarioError
from .extends import Origin, locate, merge, parse_field
from .scenario import Scenario, field_path, from_data, keep_availability, read_availability, resolve
from .scenario import from_merged as validate


class _Remove:
    """Marker value for :func:`variant`: delete the key or list item at this path."""

    def __repr__(self) -> str:
        return "REMOVE"


REMOVE: Any = _Remove()
"""``variant(s, {"regions[SE-I]": REMOVE})`` leaves region SE-I out."""


def load_extending(path: str | Path, data: Any) -> Scenario:
    """Validate a scenario file that has an ``extends:`` key, as ``scenario.load`` does.

    The merge, chains and origins live below this module (:mod:`arshjul.extends`,
    :func:`arshjul.scenario.resolve`); they are re-exported here.
    """
    return validate(*resolve(path, data))


# -- changes in code ------------------------------------------------------------------------------


def data_of(scenario: Scenario | Mapping[str, Any]) -> dict[str, Any]:
    """Plain data (as in a YAML file) of a scenario, to change and validate again.

    Every field that was set (as the file wrote it) and every field that differs from its
    default: a change made in code under a default the file never wrote
    (``sc.limits.window_max = 1`` with no ``limits`` in the file) is kept, while what the
    file left to the defaults stays unwritten, as in the file."""
    if isinstance(scenario, Scenario):
        written = scenario.model_dump(mode="python", by_alias=True, exclude_unset=True)
        changed = scenario.model_dump(mode="python", by_alias=True, exclude_defaults=True)
        merged = _union(written, changed)
        assert isinstance(merged, dict)
        return merged
    return copy.deepcopy(dict(scenario))


def _union(a: Any, b: Any) -> Any:
    """Two dumps of one scenario, merged: mappings key by key, lists of one length item by
    item (they are the same list, dumped twice), anything else from ``b``."""
    if isinstance(a, dict) and isinstance(b, dict):
        return {**a, **{k: _union(a[k], v) if k in a else v for k, v in b.items()}}
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [_union(x, y) for x, y in zip(a, b, strict=True)]
    return b


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
    """The position of the item whose ``code`` or ``id`` is ``ident``, else (digits) the
    item at that index, else ``None``.  An id wins over an index: ids may be made of
    digits only (``themes[2027]``), and an id always means the same item, wherever the
    list puts it."""
    for i, item in enumerate(items):
        if isinstance(item, dict) and ident in (item.get("code"), item.get("id")):
            return i
    if ident.lstrip("-").isdigit():
        k = int(ident)
        if not -len(items) <= k < len(items):
            raise ScenarioError(f"index {k} is outside the list of {len(items)}", field=path)
        return k % len(items)
    return None


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    """Set (or with :data:`REMOVE` delete) the value at a dotted path in plain data, in place.

    ``key`` steps into a mapping (created when missing), ``[ID]`` into the list item whose
    ``code`` or ``id`` is ID (appended, with that id, when missing and it is the last step),
    ``[N]`` into the N-th item of any list — unless an item has the id N, which wins.
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
    read: tuple[Path, Any] | None = None  # a file's path and the origins of its chain
    if isinstance(base, str | Path):
        data, origin = resolve(base)
        read = (Path(base), origin)
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
        changed = from_data(data)
    except ScenarioError as err:
        culprit = next((p for p in all_changes if err.field and _touches(p, err.field, data)), None)
        where = field_path(data, parse_field(err.field)) if err.field else None
        if culprit is None:
            raise ScenarioError(err.problem, source="variant", field=where) from None
        raise ScenarioError(err.problem, source=f"change '{culprit}'", field=where) from None
    # the days a region's availability files gave stay with it (they are read at load); a
    # file's are read now, beside the file (or the base of its chain) that names them
    if isinstance(base, Scenario):
        return keep_availability(base, changed)
    if read is not None:
        return read_availability(changed, read[0], (data, read[1]))
    return changed


def _touches(change: str, field: str, data: Any) -> bool:
    """Whether an error at ``field`` lies at or under the changed path."""
    shown = field_path(data, parse_field(field))
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
