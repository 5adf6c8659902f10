"""The ``extends:`` merge: a child scenario's data laid over its parent's, with origins.

Plain data in, plain data out: no files are read here (:func:`arshjul.scenario.resolve`
reads a chain and calls :func:`merge` for each link) and nothing is validated.  The merge
rules, in one place (:func:`merge`):

- mappings merge key by key, recursively;
- lists of items with ids merge **by id**: ``regions`` by ``code``; ``hosts``, ``groups``,
  ``hybrids`` and a host's ``themes`` by ``id``.  A child item with a known id is merged
  into the parent's item (in the parent's position), an unknown id is appended, and
  ``{id: x, remove: true}`` (``{code: SE-X, remove: true}``) removes the item;
- every other list (dates, weekdays, spans, slots, …) and every scalar is replaced whole.

Each node of the merged data remembers which file set it last (:class:`Origin`), so a
validation error in the merged scenario names the file the planner must open (:func:`locate`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .errors import ScenarioError
from .i18n import N_, every_translation
from .i18n import _ as gettext

_ID_KEYS: dict[tuple[str, ...], str] = {
    ("regions",): "code",
    ("hosts",): "id",
    ("groups",): "id",
    ("hybrids",): "id",
    ("hosts", "*", "themes"): "id",
}
"""Lists merged item by item, and the key that identifies an item.  ``*`` is any index."""

_WHAT: dict[str, str] = {
    # TRANSLATORS: what a list of an extending scenario holds, in "cannot remove region 'SE-X'".
    "regions": N_("region"),
    "hosts": N_("host"),
    "groups": N_("group"),
    "hybrids": N_("hybrid"),
    "themes": N_("theme"),
}

_ITEM = N_("item")
"""What a list whose kind is not in ``_WHAT`` holds."""


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
    cell: str | None = None
    """Where a planning workbook (.xlsx) in the chain wrote this node: ``Regioner!B3``."""

    def find(self, path: list[str | int]) -> str:
        """The file responsible for ``path``: the deepest node on it that has an origin."""
        node = self
        for part in path:
            child = node.children.get(part)
            if child is None:
                break
            node = child
        return node.source

    def cell_of(self, path: list[str | int], problem: str = "") -> str | None:
        """The workbook cell the field at ``path`` was read from, or the nearest one above it
        in the same workbook (``None`` when a YAML file set it).  A rule on a whole row (the
        path ends at the row) names the cell of the first of its fields that ``problem`` names."""
        nodes = [self]
        for part in path:
            child = nodes[-1].children.get(part)
            if child is None:
                break
            nodes.append(child)
        last = nodes[-1]
        if len(nodes) == len(path) + 1:
            named = [
                (m.start(), cell)
                for m in re.finditer(r"[a-z_]+", problem)
                if (sub := last.children.get(m.group())) is not None
                and sub.source == last.source
                and (cell := sub.cell) is not None
            ]
            if named and last.cell is not None:
                return min(named)[1]
        for node in reversed(nodes):
            if node.source != last.source:
                break
            if node.cell is not None:
                return node.cell
        return None


def workbook_origin(data: Any, source: str, where: dict[tuple[str | int, ...], str]) -> Origin:
    """Origin of a planning workbook's data: every node from ``source``, with the cell
    ``where`` says it stands in, so an error in a scenario extending it names the cell."""
    origin = _leaf(data, source)
    for path, cell in where.items():
        node: Origin | None = origin
        for part in path:
            node = node.children.get(part) if node is not None else None
        if node is not None:
            node.cell = cell
    return origin


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

    what = gettext(_WHAT.get(str(path[-1]), _ITEM))
    removed: dict[str, str] = dict(parent_origin.removed)
    for k, value in enumerate(child):
        where = (*path, k)
        ident = value.get(id_key) if isinstance(value, dict) else None
        if isinstance(value, dict) and value.get("remove") is not None:
            if value.get("remove") is not True or ident is None or set(value) != {id_key, "remove"}:
                raise ScenarioError(
                    gettext("to remove a {what} write only {{{key}: …, remove: true}}").format(
                        what=what, key=id_key
                    ),
                    source=child_source,
                    field=_describe(where),
                )
            i = position(ident)
            if i is None:
                raise ScenarioError(
                    gettext("cannot remove {what} '{id}': the extended scenario has no such {what}").format(
                        what=what, id=ident
                    ),
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
                what = gettext(_WHAT.get(str(path[-1]), _ITEM))
                raise ScenarioError(
                    gettext(
                        "cannot remove {what} '{id}': 'remove: true' works only on "
                        "items of the scenario this file extends"
                    ).format(what=what, id=item.get(id_key)),
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


def unmerged(data: Any, source: str) -> tuple[Any, Origin]:
    """Data of a file that extends nothing, with its origin (a ``remove`` marker in it is an error)."""
    if isinstance(data, dict):
        _strip(data, source, ())
    return data, _leaf(data, source)


# -- naming the file an error is about ---------------------------------------------------


_PART = re.compile(r"([^.\[\]]+)|\[([^\]]*)\]")


def parse_field(text: str) -> list[str | int]:
    out: list[str | int] = []
    for name, index in _PART.findall(text):
        if name:
            out.append(name)
        elif index.isdigit():
            out.append(int(index))
        else:
            out.append(index)
    return out


def _line_prefixes() -> tuple[str, ...]:
    """How a field that is a place in the file (``line 15, column 8``) starts, in every language."""
    return tuple(sorted({m.split("{")[0] for m in every_translation("line {line}")}))


def locate(
    err: ScenarioError, data: Any, origin: Origin, name: Callable[[Any, list[str | int]], str]
) -> ScenarioError:
    """The same error, naming the file of the chain that set the field it is about; ``name``
    says the field as the planner reads it (``scenario.field_path``: items by their id)."""
    if not err.field or err.field.startswith(_line_prefixes()):
        return err
    parts = list(err.path) if err.path is not None else parse_field(err.field)
    problem = err.problem
    for ident, source in origin.removed.items():
        if f"'{ident}'" in problem:
            problem += gettext(" (removed by {source})").format(source=source)
            break
    cell = origin.cell_of(parts, problem)
    return ScenarioError(problem, source=origin.find(parts), field=cell or name(data, parts))


__all__ = ["Origin", "locate", "merge", "parse_field", "unmerged", "workbook_origin"]
