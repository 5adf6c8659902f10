"""What the regions submit, as changes to the planner's scenario.

The scenario file stays the planner's copy.  A region's answers (away days and weeks, days it
can listen but cannot present, interest per theme, sign-ups to present with the focus area,
written as the region's ``interested`` entry's ``focus``) show up on the planner's ``/proposals`` page as
proposed changes; the planner applies the ones it wants, which writes ``scenario.yaml`` back
with ruamel.yaml's round trip (comments and layout kept), for the next solve or re-solve.
The current plan — which may already be sent — is never changed by that.

A change is checked before it is stored by applying it to a copy of the scenario's data and
validating that exactly as a scenario file is validated, so a region sees the same one-line
message the planner would (:func:`check_change`).  The same :func:`_apply` edits the plain
data of that check and the round-trip data written back.
"""

from __future__ import annotations

import copy
import io
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from . import library as lib
from .workspace import write_atomic

_lock = threading.Lock()
_cache: dict[Path, tuple[tuple[int, int], Any]] = {}


@dataclass(frozen=True)
class Proposal:
    """One change a region proposes to the scenario."""

    id: str
    """``<region>|<kind>|<key>``: what the apply form posts."""
    region: str
    kind: str
    key: str
    value: Any
    who: str
    at: str


def _data(path: Path) -> Any:
    st = path.stat()
    stamp = (st.st_mtime_ns, st.st_size)
    with _lock:
        hit = _cache.get(path)
        if hit is None or hit[0] != stamp:
            hit = (stamp, lib.scenario_data(path.read_text(encoding="utf-8-sig"), str(path)))
            _cache[path] = hit
        return copy.deepcopy(hit[1])


def _region(data: Any, code: str) -> Any:
    for r in data.get("regions") or []:
        if isinstance(r, dict) and r.get("code") == code:
            return r
    raise KeyError(code)


def _theme(data: Any, theme_id: str) -> Any:
    for h in data.get("hosts") or []:
        for t in (h or {}).get("themes") or []:
            if isinstance(t, dict) and t.get("id") == theme_id:
                return t
    raise KeyError(theme_id)


def _entry_code(item: Any) -> Any:
    return item.get("region") if isinstance(item, dict) else item


SPAN_KINDS = ("away", "cannot_present")
"""The submission kinds that are a region's list of spans in the scenario, by the same name."""


def _spans(region: Any, kind: str) -> tuple[Any, list[Any]]:
    """The region's list of ``kind`` spans (made when missing) and, for ``away``, its older
    name ``unavailable`` (read and withdrawn from, never added to)."""
    spans = region.get(kind)
    if spans is None:
        spans = region[kind] = CommentedSeq() if hasattr(region, "ca") else []
    older = (region.get("unavailable") or []) if kind == "away" else []
    return spans, older


def listed_spans(region: Any, kind: str) -> list[str]:
    """The span texts a region's scenario data lists for ``kind``."""
    older = (region.get("unavailable") or []) if kind == "away" else []
    return [str(s) for s in [*(region.get(kind) or []), *older]]


def focus_of(sc: lib.Scenario, theme_id: str, code: str) -> str | None:
    """The focus area the scenario says ``code`` presents on the theme (``None``: not said)."""
    for _, t in sc.themes():
        if t.id == theme_id:
            return next((i.focus for i in t.interest() if i.region == code), None)
    return None


def _apply(data: Any, sc: lib.Scenario, code: str, kind: str, key: str, value: Any) -> None:
    """One region change applied to scenario data (plain or ruamel round-trip)."""
    if kind in SPAN_KINDS:
        spans, older = _spans(_region(data, code), kind)
        if value and key not in [str(s) for s in [*spans, *older]]:
            spans.append(key)
        if not value:
            for listed in (spans, older):
                for k in [k for k, s in enumerate(listed) if str(s) == key][::-1]:
                    del listed[k]
        return
    theme = _theme(data, key)
    current = lib.interest_by_theme(sc).get(key, {})
    if theme.get("interested") is None:  # interest found by tags: written out, then changed
        entries: Any = CommentedSeq() if hasattr(theme, "ca") else []
        for c, w in current.items():
            entries.append(c if w == 1 else _flow(entries, region=c, weight=w))
        theme["interested"] = entries
    listed = theme["interested"]
    if kind == "interest":  # changed in its place (its comments stay where they were)
        weight = int(value)
        at = [k for k, item in enumerate(listed) if _entry_code(item) == code]
        for k in (at if weight == 0 else at[1:])[::-1]:
            del listed[k]
        if weight == 0:
            return
        if not at:
            listed.append(code if weight == 1 else _flow(listed, region=code, weight=weight))
            return
        item = listed[at[0]]
        if isinstance(item, dict) and item.get("focus"):  # a sign-up's focus stays
            if weight == 1:
                item.pop("weight", None)
            else:
                item["weight"] = weight
        else:
            listed[at[0]] = code if weight == 1 else _flow(listed, region=code, weight=weight)
        return
    if kind == "signup" and value:
        where = next((k for k, item in enumerate(listed) if _entry_code(item) == code), None)
        if where is None:
            listed.append(_flow(listed, region=code, focus=value))
        elif isinstance(listed[where], dict):
            listed[where]["focus"] = value
        else:  # a plain code: becomes {region, focus}, in its place
            listed[where] = _flow(listed, region=code, focus=value)


def _flow(listed: Any, **fields: Any) -> Any:
    """A new ``interested`` entry, on one line like ``{region: SE-BD, weight: 5}`` when
    written back into a round-trip list (a block mapping would sit under a bare ``-``)."""
    if not isinstance(listed, CommentedSeq):
        return fields
    entry = CommentedMap(fields)
    entry.fa.set_flow_style()
    return entry


def check_change(path: Path, sc: lib.Scenario, code: str, kind: str, key: str, value: Any) -> str | None:
    """``None`` when the change keeps the scenario valid, else the one-line message."""
    if kind == "signup" and value:
        region = next((r for r in sc.regions if r.code == code), None)
        areas = [a.name for a in region.s3] if region is not None else []
        if areas and value not in areas:
            return f"'{value}' is not one of the region's S3 focus areas ({', '.join(areas)})"
    if kind in ("interest", "signup") and key not in {t.id for _, t in sc.themes()}:
        return f"unknown theme '{key}'"
    if kind == "interest":
        try:
            weight = int(str(value).strip())
        except ValueError:
            return f"the weight must be a whole number 0–100 (got '{str(value)[:20]}')"
        if not 0 <= weight <= 100:
            return f"the weight must be a whole number 0–100 (got {weight})"
    data = _data(path)
    try:
        _apply(data, sc, code, kind, key, value)
    except KeyError as err:
        return f"unknown {err.args[0]}"
    try:
        lib.scenario_from_data(data, str(path))
    except lib.ScenarioError as err:
        return str(err).splitlines()[0]
    return None


def proposals(path: Path, sc: lib.Scenario, states: dict[str, lib.RegionState]) -> list[Proposal]:
    """Every region answer that differs from the scenario, region by region."""
    data = _data(path)
    interest = lib.interest_by_theme(sc)
    out: list[Proposal] = []
    for code in sorted(states):
        st = states[code]
        try:
            region = _region(data, code)
        except KeyError:
            continue

        def add(kind: str, key: str, value: Any, st: lib.RegionState = st, code: str = code) -> None:
            who, at = st.who[(kind, key)]
            out.append(Proposal(f"{code}|{kind}|{key}", code, kind, key, value, who, f"{at:%Y-%m-%d %H:%M}"))

        for kind in SPAN_KINDS:
            listed = listed_spans(region, kind)
            for key, on in getattr(st, kind).items():
                if on != (key in listed):
                    add(kind, key, on)
        for key, weight in st.interest.items():
            if key in interest and interest[key].get(code, 0) != weight:
                add("interest", key, weight)
        for key, focus in st.signup.items():
            if focus and key in interest and (code not in interest[key] or focus_of(sc, key, code) != focus):
                add("signup", key, focus)
    return out


def apply(path: Path, sc: lib.Scenario, chosen: list[Proposal]) -> str | None:
    """Write the chosen changes into ``scenario.yaml`` (comments kept); ``None`` when done,
    else why not (the file is then left as it was)."""
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    with _lock:
        data = yaml.load(path.read_text(encoding="utf-8-sig"))
        for p in chosen:
            _apply(data, sc, p.region, p.kind, p.key, p.value)
        out = io.StringIO()
        yaml.dump(data, out)
        text = out.getvalue()
        try:
            lib.scenario_from_data(lib.scenario_data(text, str(path)), str(path))
        except lib.ScenarioError as err:
            return str(err).splitlines()[0]
        write_atomic(path, text)
    return None
