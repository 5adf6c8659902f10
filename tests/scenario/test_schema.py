"""`arshjul schema` describes every field: a description and an example for each property of
every object in the JSON Schema, in the words a planner uses."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner

from arshjul import scenario
from arshjul.cli import main


def _properties(node: Any, where: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every property of every object schema in ``node``: (dotted place, its schema)."""
    if isinstance(node, dict):
        for name, prop in (node.get("properties") or {}).items():
            yield f"{where}.{name}".lstrip("."), prop
        for key, value in node.items():
            if key == "properties":
                for name, prop in value.items():
                    yield from _properties(prop, f"{where}.{name}".lstrip("."))
            elif key == "$defs":
                for name, sub in value.items():
                    yield from _properties(sub, name)
            else:
                yield from _properties(value, where)
    elif isinstance(node, list):
        for value in node:
            yield from _properties(value, where)


SCHEMA = scenario.json_schema()
PROPERTIES = dict(_properties(SCHEMA))


def test_the_schema_has_every_field() -> None:
    assert len(PROPERTIES) >= 106
    for field in ("id", "period", "Limits.window_max", "Theme.interested", "Region.code", "Span.from"):
        assert field in PROPERTIES


@pytest.mark.parametrize("field", sorted(PROPERTIES))
def test_every_field_has_a_description_and_an_example(field: str) -> None:
    prop = PROPERTIES[field]
    description = prop.get("description")
    assert isinstance(description, str) and len(description) >= 10, f"{field}: no description"
    assert description[0].isupper() and description.endswith("."), f"{field}: {description!r}"
    assert "``" not in description and ":class:" not in description, f"{field}: reST in {description!r}"
    examples = prop.get("examples")
    assert isinstance(examples, list) and examples, f"{field}: no example"


def test_examples_are_json() -> None:
    assert json.loads(json.dumps(SCHEMA, ensure_ascii=False)) == SCHEMA


@pytest.mark.parametrize("field", sorted(PROPERTIES))
def test_examples_are_valid_values_of_their_field(field: str) -> None:
    """An editor that offers an example offers something the field accepts."""
    jsonschema = pytest.importorskip("jsonschema")
    prop = PROPERTIES[field]
    validator = jsonschema.Draft202012Validator({**prop, "$defs": SCHEMA["$defs"]})
    for example in prop["examples"]:
        validator.validate(example)


def test_top_level_examples_load() -> None:
    """Each top-level example, put into a small valid scenario, loads (cross-checks too)."""
    small = {
        "id": "x",
        "name": "X",
        "period": {"start": "2027-01-01", "end": "2027-12-31"},
        "hosts": [{"id": "vinnova", "name": "Vinnova"}],
        "regions": [{"code": "SE-E", "name": "Region Östergötland"}],
    }
    needs = {"groups": [{"code": c, "name": c} for c in ("SE-S", "SE-W", "SE-X")]}
    for name, prop in SCHEMA["properties"].items():
        for example in prop["examples"]:
            regions = small["regions"] + needs.get(name, [])
            scenario.from_data({**small, "regions": regions, name: example})


def test_arshjul_schema_prints_the_descriptions() -> None:
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    assert printed["$defs"]["Limits"]["properties"]["window_max"]["description"].startswith("At most")
