"""``extends:`` merge rules, chains and cycles, errors that name the right file, and
one-line variants in code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

import arshjul
from arshjul.errors import ScenarioError
from arshjul.scenario import Scenario, from_data
from arshjul.variants import REMOVE, resolve, variant
from conftest import SCENARIOS, base


def parent_data() -> dict[str, Any]:
    d = base()
    d["hosts"][0]["themes"] = [
        {"id": "a", "name": "Theme A", "interested": ["SE-E"], "preferred_months": [9]},
        {"id": "b", "name": "Theme B", "interested": ["SE-M"]},
    ]
    d["hosts"].append({"id": "tva", "name": "Tillväxtverket", "themes": [{"id": "c", "name": "C"}]})
    d["weekdays"] = ["mon", "tue", "wed", "thu", "fri"]
    d["regions"][2]["unavailable"] = ["2027-09-08"]
    return d


def write(folder: Path, name: str, data: dict[str, Any]) -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def load(folder: Path, child: dict[str, Any], parent: dict[str, Any] | None = None) -> Scenario:
    write(folder, "parent.yaml", parent or parent_data())
    return arshjul.load_scenario(write(folder, "child.yaml", {"extends": "parent.yaml", **child}))


def test_mappings_merge_key_by_key(tmp_path: Path) -> None:
    sc = load(tmp_path, {"limits": {"window_max": 3}, "calendar": {"holidays": False}})
    assert sc.limits.window_max == 3
    assert sc.limits.lead_time_days == 0  # the parent's, not the library default 21
    assert sc.calendar.holidays is False
    assert sc.calendar.school_holidays is False  # the parent's


def test_id_lists_merge_by_id_and_keep_order(tmp_path: Path) -> None:
    sc = load(
        tmp_path,
        {
            "regions": [
                {"code": "SE-M", "unavailable": ["2027-09-10"]},  # merged into SE-M
                {"code": "SE-H", "name": "Region Kalmar län"},  # new: appended
            ],
            "hosts": [
                {"id": "vinnova", "themes": [{"id": "a", "dialogs": 2}, {"id": "d", "name": "D"}]},
            ],
        },
    )
    assert [r.code for r in sc.regions] == ["SE-E", "SE-M", "SE-I", "SE-H"]
    m = sc.region("SE-M")
    assert m.name == "Region Skåne" and [str(s.start) for s in m.unavailable] == ["2027-09-10"]
    themes = {t.id: t for _, t in sc.themes()}
    assert [t.id for t in sc.host("vinnova").themes] == ["a", "b", "d"]
    assert themes["a"].dialogs == 2 and themes["a"].name == "Theme A"
    assert themes["a"].preferred_months == [9]  # untouched keys of a merged item stay
    assert [t.id for t in sc.host("tva").themes] == ["c"]  # the other host is untouched


def test_remove_items_by_id(tmp_path: Path) -> None:
    sc = load(
        tmp_path,
        {
            "regions": [{"code": "SE-I", "remove": True}],
            "hosts": [
                {"id": "vinnova", "themes": [{"id": "b", "remove": True}]},
                {"id": "tva", "remove": True},
            ],
        },
    )
    assert [r.code for r in sc.regions] == ["SE-E", "SE-M"]
    assert [h.id for h in sc.hosts] == ["vinnova"]
    assert [t.id for t in sc.host("vinnova").themes] == ["a"]


def test_other_lists_are_replaced_whole(tmp_path: Path) -> None:
    sc = load(
        tmp_path,
        {
            "weekdays": ["tue", "thu"],
            "regions": [{"code": "SE-I", "unavailable": ["2027-09-20..2027-09-21"]}],
            "hosts": [{"id": "vinnova", "themes": [{"id": "a", "interested": ["SE-M"]}]}],
        },
    )
    assert sc.weekdays == ["tue", "thu"]
    spans = sc.region("SE-I").unavailable
    assert [(str(s.start), str(s.end)) for s in spans] == [("2027-09-20", "2027-09-21")]  # not 09-08
    assert [i.region for i in sc.host("vinnova").themes[0].interest()] == ["SE-M"]


def test_chains_merge_in_order(tmp_path: Path) -> None:
    write(tmp_path, "grand.yaml", parent_data())
    write(tmp_path, "mid.yaml", {"extends": "grand.yaml", "limits": {"window_max": 5, "daily_max": 2}})
    sub = tmp_path / "sub"
    sub.mkdir()
    path = write(sub, "leaf.yaml", {"extends": "../mid.yaml", "id": "leaf", "limits": {"window_max": 3}})
    sc = arshjul.load_scenario(path)
    assert (sc.id, sc.limits.window_max, sc.limits.daily_max, sc.limits.window_days) == ("leaf", 3, 2, 28)


def test_extends_null_is_plain(tmp_path: Path) -> None:
    sc = arshjul.load_scenario(write(tmp_path, "plain.yaml", {"extends": None, **parent_data()}))
    assert sc.id == "tiny"


@pytest.mark.parametrize(
    ("files", "match"),
    [
        # a extends b extends a: the file that closes the loop is named, at 'extends'
        (
            {"a.yaml": {"extends": "b.yaml"}, "b.yaml": {"extends": "a.yaml"}},
            r"b\.yaml: extends: .*cycle: a\.yaml → b\.yaml → a\.yaml",
        ),
        # a file that extends itself
        ({"a.yaml": {"extends": "a.yaml"}}, r"a\.yaml: extends: .*cycle"),
        # the parent does not exist: named relative to the child
        ({"a.yaml": {"extends": "nope.yaml"}}, r"a\.yaml: extends: no such file 'nope\.yaml'"),
        # extends must be a path
        ({"a.yaml": {"extends": 3}}, r"a\.yaml: extends: give the file to extend as a path"),
    ],
)
def test_bad_extends(tmp_path: Path, files: dict[str, dict[str, Any]], match: str) -> None:
    for name, content in files.items():
        write(tmp_path, name, content)
    with pytest.raises(ScenarioError, match=match) as info:
        arshjul.load_scenario(tmp_path / "a.yaml")
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("child", "parent_change", "culprit", "field"),
    [
        # the child sets an invalid value: the child file is named
        ({"limits": {"window_max": -1}}, {}, "child.yaml", "limits.window_max"),
        # the parent has an invalid value the child does not touch: the parent is named
        ({"limits": {"window_max": 3}}, {"daily_max": 0}, "parent.yaml", "limits.daily_max"),
        # the child adds a region whose span lies outside the period (a cross-check error)
        (
            {"regions": [{"code": "SE-H", "name": "Kalmar", "unavailable": ["2028-01-03"]}]},
            {},
            "child.yaml",
            r"regions\[SE-H\]\.unavailable\[0\]",
        ),
        # the child merges a bad interested region into the parent's theme
        (
            {"hosts": [{"id": "vinnova", "themes": [{"id": "a", "interested": ["SE-QQ"]}]}]},
            {},
            "child.yaml",
            r"hosts\[vinnova\]\.themes\[a\]\.interested\[SE-QQ\]",
        ),
        # the child removes a region the parent's theme still names: the parent's field,
        # and the problem says which file removed the region
        (
            {"regions": [{"code": "SE-E", "remove": True}]},
            {},
            "parent.yaml",
            r"hosts\[vinnova\]\.themes\[a\]\.interested\[SE-E\]: unknown region 'SE-E' "
            r"\(removed by .*child\.yaml\)",
        ),
        # removing what the parent does not have
        (
            {"regions": [{"code": "SE-X", "remove": True}]},
            {},
            "child.yaml",
            r"regions\[0\]: cannot remove region 'SE-X'",
        ),
        # an unknown key in a merged item is the child's
        (
            {"regions": [{"code": "SE-M", "colour": "red"}]},
            {},
            "child.yaml",
            r"regions\[SE-M\]\.colour: unknown field",
        ),
    ],
)
def test_errors_name_the_file_that_caused_them(
    tmp_path: Path, child: dict[str, Any], parent_change: dict[str, Any], culprit: str, field: str
) -> None:
    parent = parent_data()
    parent["limits"].update(parent_change)
    with pytest.raises(ScenarioError, match=rf"{culprit}: {field}") as info:
        load(tmp_path, child, parent)
    assert str(info.value).startswith(str(tmp_path / culprit))


def test_remove_outside_an_extending_file_is_an_error(tmp_path: Path) -> None:
    d = parent_data()
    d["regions"].append({"code": "SE-X", "remove": True})
    with pytest.raises(ScenarioError, match=r"plain\.yaml: regions\[3\]: .*only on items of the scenario"):
        resolve(write(tmp_path, "plain.yaml", {"extends": None, **d}))


# -- variants in code ------------------------------------------------------------------------------


def test_variant_in_one_line() -> None:
    sc = from_data(parent_data(), "tiny.yaml")
    tight = variant(
        sc,
        {
            "limits.window_max": 3,
            "regions[SE-M].unavailable": ["2027-09-13..2027-09-17"],
            "hosts[vinnova].themes[a].dialogs": 2,
            "regions[SE-H]": {"name": "Region Kalmar län"},  # a new item gets its code
            "hosts[tva]": REMOVE,
        },
        id="tight",
    )
    assert (tight.id, tight.limits.window_max, tight.limits.lead_time_days) == ("tight", 3, 0)
    assert tight.region("SE-M").unavailable[0].end.isoformat() == "2027-09-17"
    assert tight.host("vinnova").themes[0].dialogs == 2
    assert [r.code for r in tight.regions][-1] == "SE-H"
    assert [h.id for h in tight.hosts] == ["vinnova"]
    assert sc.limits.window_max == 100 and len(sc.hosts) == 2  # the original is untouched
    # a scenario round-trips through plain data unchanged
    assert variant(sc, {}) == sc


def test_a_change_made_in_code_under_a_default_is_kept() -> None:
    # The file has no `limits` and no `calendar`: a change made in code to a field under
    # them (and to a default list) survives a variant of another field.
    d = parent_data()
    del d["limits"], d["calendar"]
    sc = from_data(d, "tiny.yaml")
    sc.limits.window_max = 1
    sc.calendar.blackouts.pop()  # the default list, changed in place
    other = variant(sc, {"limits.daily_max": 2})
    assert (other.limits.window_max, other.limits.daily_max) == (1, 2)
    assert [b.name for b in other.calendar.blackouts] == [b.name for b in sc.calendar.blackouts]
    assert other.limits.lead_time_days == 21  # the library default, still unwritten
    assert variant(sc, {}) == sc


def test_an_id_of_digits_wins_over_an_index() -> None:
    d = parent_data()
    d["hosts"][0]["themes"] = [
        {"id": "1", "name": "Theme one"},  # an id of digits only is a valid id
        {"id": "0", "name": "Theme zero"},
        {"id": "d", "name": "Theme d"},
    ]
    sc = from_data(d, "tiny.yaml")
    changed = variant(sc, {"hosts[vinnova].themes[1].dialogs": 2, "hosts[vinnova].themes[2].dialogs": 3})
    dialogs = {t.id: t.dialogs for t in changed.host("vinnova").themes}
    assert dialogs == {"1": 2, "0": 1, "d": 3}  # [1] is the theme with id '1'; [2] no id: position
    removed = variant(sc, {"hosts[vinnova].themes[0]": REMOVE})
    assert [t.id for t in removed.host("vinnova").themes] == ["1", "d"]


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        # the value is invalid: the change is named
        (
            {"limits.window_max": -2},
            r"change 'limits\.window_max': limits\.window_max: .*greater than or equal",
        ),
        # an unknown field
        ({"limits.window_mx": 2}, r"limits\.window_mx: unknown field"),
        # an item that does not exist, with more path after it
        ({"regions[SE-Q].unavailable": []}, r"change: regions\[SE-Q\]: there is no item 'SE-Q'"),
        # not a path at all
        ({"limits..x": 1}, r"is not a field path"),
    ],
)
def test_variant_errors_name_the_change(changes: dict[str, Any], match: str) -> None:
    sc = from_data(parent_data(), "tiny.yaml")
    with pytest.raises(ScenarioError, match=match):
        variant(sc, changes)


# -- shipped examples ------------------------------------------------------------------------------


def test_shipped_variant_changes_only_what_it_says() -> None:
    default = arshjul.load_scenario(SCENARIOS / "sweden-2027.yaml")
    tight = arshjul.load_scenario(SCENARIOS / "variant-tight-cap.yaml")
    a, b = default.model_dump(), tight.model_dump()
    differing = {k for k in a if a[k] != b[k]}
    assert differing == {"id", "name", "limits"}
    assert tight.limits.window_max == 3
    assert {k for k in a["limits"] if a["limits"][k] != b["limits"][k]} == {"window_max"}


def test_shipped_replan_example_keeps_the_id_and_closes_may_for_kalmar() -> None:
    default = arshjul.load_scenario(SCENARIOS / "sweden-2027.yaml")
    may = arshjul.load_scenario(SCENARIOS / "replan-may-2027.yaml")
    assert may.id == default.id  # calendar UIDs stay the same
    spans = may.region("SE-H").unavailable
    assert [(str(s.start), str(s.end)) for s in spans] == [("2027-05-01", "2027-05-31")]
    assert may.region("SE-H").s3 == default.region("SE-H").s3
