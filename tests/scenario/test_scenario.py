"""The scenario schema: span forms, defaults, and the JSON Schema for editors."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pycountry
import pytest
import yaml

from arshjul import scenario
from arshjul.advice import warnings
from arshjul.errors import ScenarioError
from arshjul.instance import build_instance
from arshjul.scenario import Span
from conftest import scenario as tiny

D = dt.date
SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
SHIPPED = ["sweden-2027", "multi-agency-2027", "tight-2027"]


def minimal(**extra: Any) -> dict[str, Any]:
    """The smallest valid scenario, as plain data."""
    data: dict[str, Any] = {
        "id": "minimal",
        "name": "Minsta möjliga",
        "period": {"start": D(2027, 1, 1), "end": D(2027, 12, 31)},
        "hosts": [{"id": "vinnova", "name": "Vinnova", "themes": [{"id": "halsa", "name": "Hälsa"}]}],
        "regions": [{"code": "SE-E", "name": "Region Östergötland"}],
    }
    data.update(extra)
    return data


def days(span: Span, first: dt.date, last: dt.date) -> list[dt.date]:
    return list(span.days(first, last))


def run(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=k) for k in range((last - first).days + 1)]


# -- spans -------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["2027-05-03", D(2027, 5, 3), " 2027-05-03 "])
def test_span_one_day(value: Any) -> None:
    span = Span.model_validate(value)
    assert (span.start, span.end, span.weeks) == (D(2027, 5, 3), D(2027, 5, 3), None)
    assert days(span, D(2027, 1, 1), D(2027, 12, 31)) == [D(2027, 5, 3)]
    assert span.describe() == "(2027-05-03)"


def test_span_range() -> None:
    span = Span.model_validate("2027-05-03..2027-05-14")
    assert (span.start, span.end) == (D(2027, 5, 3), D(2027, 5, 14))
    assert days(span, D(2027, 1, 1), D(2027, 12, 31)) == run(D(2027, 5, 3), D(2027, 5, 14))
    # clipped to the period
    assert days(span, D(2027, 5, 10), D(2027, 12, 31)) == run(D(2027, 5, 10), D(2027, 5, 14))
    assert span.describe() == "(2027-05-03..2027-05-14)"


def test_span_iso_week_with_year() -> None:
    span = Span.model_validate("2027-W07")
    assert (span.start, span.end, span.weeks) == (D(2027, 2, 15), D(2027, 2, 21), None)


def test_span_iso_week_range_with_year_crosses_new_year() -> None:
    span = Span.model_validate("2026-W52..2027-W01")
    assert (span.start, span.end) == (D(2026, 12, 21), D(2027, 1, 10))


def test_span_weeks_repeat_in_each_year_of_the_period() -> None:
    span = Span.model_validate("W07..W08")
    assert span.weeks == (7, 8)
    got = days(span, D(2027, 1, 1), D(2028, 12, 31))
    # 2027-W07 starts Monday 15 February; 2028-W01 starts Monday 3 January, so W07 on 14 February
    assert got == run(D(2027, 2, 15), D(2027, 2, 28)) + run(D(2028, 2, 14), D(2028, 2, 27))
    assert span.describe() == "(weeks 7–8)"


def test_span_single_week_without_year() -> None:
    span = Span.model_validate("W44")
    assert span.weeks == (44, 44)
    assert days(span, D(2027, 1, 1), D(2027, 12, 31)) == run(D(2027, 11, 1), D(2027, 11, 7))
    assert span.describe() == "(week 44)"


def test_week_53_only_in_years_that_have_it() -> None:
    span = Span.model_validate("W53")
    # 2026 has 53 ISO weeks (W53 = 28 Dec 2026 .. 3 Jan 2027); 2027 has 52.
    assert days(span, D(2026, 1, 1), D(2027, 12, 31)) == run(D(2026, 12, 28), D(2027, 1, 3))
    # A period starting in 2027 still sees the tail of 2026-W53 ...
    assert days(span, D(2027, 1, 1), D(2027, 12, 31)) == run(D(2027, 1, 1), D(2027, 1, 3))
    # ... and a period wholly inside the 52-week year 2027 has no week 53 at all.
    assert days(span, D(2027, 3, 1), D(2027, 12, 31)) == []


def test_span_mapping_forms() -> None:
    named = Span.model_validate({"name": "Almedalen", "from": "2027-06-28", "to": "2027-07-02"})
    assert (named.name, named.start, named.end) == ("Almedalen", D(2027, 6, 28), D(2027, 7, 2))
    assert named.describe() == "Almedalen (2027-06-28..2027-07-02)"
    weeks = Span.model_validate({"name": "Sommar", "weeks": [27, 32]})
    assert weeks.weeks == (27, 32)
    assert weeks.describe() == "Sommar (weeks 27–32)"


def test_spans_in_yaml_arrive_as_dates_or_strings() -> None:
    text = (
        "forbidden: [2027-05-03, 2027-05-03..2027-05-14, 2027-W07, W07..W08,"
        " {from: 2027-06-01, to: 2027-06-02}]"
    )
    data = yaml.safe_load(text)
    spans = [Span.model_validate(v) for v in data["forbidden"]]
    assert [s.describe() for s in spans] == [
        "(2027-05-03)",
        "(2027-05-03..2027-05-14)",
        "(2027-02-15..2027-02-21)",
        "(weeks 7–8)",
        "(2027-06-01..2027-06-02)",
    ]


# -- defaults ----------------------------------------------------------------------------


def test_minimal_scenario_has_the_documented_defaults() -> None:
    s = scenario.from_data(minimal())
    assert s.description == ""
    assert s.timezone == "Europe/Stockholm"
    assert [(sl.id, sl.start, sl.end, sl.minutes) for sl in s.slots] == [
        ("morning", dt.time(9), dt.time(12), 180),
        ("afternoon", dt.time(13), dt.time(16), 180),
    ]
    assert s.weekdays == ["mon", "tue", "wed", "thu", "fri"]
    assert s.publication_date is None
    assert s.groups == [] and s.hybrids == []
    assert s.learning_meeting is None and s.network is None

    cal = s.calendar
    assert (
        cal.holidays,
        cal.close_half_day_afternoons,
        cal.close_bridge_days,
        cal.school_holidays,
    ) == (
        True,
        True,
        False,
        True,
    )
    assert [(b.name, b.weeks) for b in cal.blackouts] == [
        ("Sommar", (27, 32)),
        ("Jul och nyår", (52, 53)),
        ("Trettondagen", (1, 1)),
    ]

    lim = s.limits
    assert lim.model_dump() == {
        "window_days": 28,
        "window_max": 4,
        "daily_max": 1,
        "max_presentations": 2,
        "presentation_gap_days": 42,
        "lead_time_days": 21,
        "host_gap_days": 7,
    }
    assert s.weights.model_dump() == {
        "match": 10,
        "coverage": 40,
        "spread": 5,
        "preferred_month": 20,
        "balance": 3,
    }
    # Without a publication date, lead time counts from the period start.
    assert s.first_open_day == D(2027, 1, 22)

    host = s.host("vinnova")
    assert (host.email, host.location, host.meeting_link, host.gap_days) == (None, None, None, None)
    theme = host.themes[0]
    assert theme.dialogs == 1
    assert theme.preferred_months == [] and theme.forbidden == [] and theme.tags == []
    assert theme.window is None and theme.slots is None and theme.interested is None
    assert (theme.presenter_minutes, theme.host_minutes) == (10, 10)
    assert (theme.min_presenters, theme.max_presenters) == (1, 9)
    assert (theme.interest_weight, theme.invite) == (1, "interested")

    region = s.region("SE-E")
    assert region.county is None and region.contact is None
    assert region.s3 == [] and region.unavailable == [] and region.school_holidays is None
    assert region.limits.model_dump() == {
        "window_max": None,
        "daily_max": None,
        "max_presentations": None,
        "presentation_gap_days": None,
    }


def test_session_defaults() -> None:
    s = scenario.from_data(
        minimal(
            hybrids=[{"id": "ekosystem", "host": "vinnova", "topic": "Ekosystem"}],
            learning_meeting={"host": "vinnova"},
            network={"host": "vinnova", "dates": [D(2027, 3, 17)]},
        )
    )
    hy = s.hybrids[0]
    assert (hy.duration_minutes, hy.invite, hy.window, hy.slots, hy.tags) == (
        120,
        "all",
        None,
        None,
        [],
    )
    lm = s.learning_meeting
    assert lm is not None
    assert (lm.name, lm.duration_minutes, lm.days_before_first_dialog) == (
        "Lärmöte om strategiska snabbdialoger",
        60,
        7,
    )
    net = s.network
    assert net is not None
    assert (net.name, net.slot, net.duration_minutes, net.invite, net.followup_weeks) == (
        "RND-nätverksmöte",
        "morning",
        120,
        "all",
        2,
    )


def test_publication_date_moves_the_first_open_day() -> None:
    s = scenario.from_data(minimal(publication_date=D(2026, 12, 1)))
    assert s.first_open_day == D(2027, 1, 1)  # 2026-12-22 is before the period
    s = scenario.from_data(minimal(publication_date=D(2027, 1, 10)))
    assert s.first_open_day == D(2027, 1, 31)


def test_weekdays_are_sorted_and_deduplicated() -> None:
    s = scenario.from_data(minimal(weekdays=["thu", "tue", "thu"]))
    assert s.weekdays == ["tue", "thu"]


def test_interest_accepts_codes_and_weights() -> None:
    theme = {"id": "rymd", "name": "Rymd", "interested": ["SE-E", {"region": "SE-BD", "weight": 5}]}
    s = scenario.from_data(
        minimal(
            hosts=[{"id": "vinnova", "name": "Vinnova", "themes": [theme]}],
            regions=[
                {"code": "SE-E", "name": "Region Östergötland"},
                {"code": "SE-BD", "name": "Region Norrbotten"},
            ],
        )
    )
    interest = s.host("vinnova").themes[0].interest()
    assert [(i.region, i.weight) for i in interest] == [("SE-E", 1), ("SE-BD", 5)]


@pytest.mark.parametrize("ident", ["console", "null", "a", "0", "x" * 48, "snabb_dialog-2027"])
def test_ids_that_are_fine(ident: str) -> None:
    assert scenario.from_data(minimal(id=ident)).id == ident


@pytest.mark.parametrize("ident", ["con", "nul", "aux", "com1", "lpt9"])
def test_ids_reserved_as_windows_file_names_are_refused(ident: str) -> None:
    # ids become file names (themes/<id>.ics) that planners open on Windows
    with pytest.raises(ScenarioError, match=f"^id: '{ident}' is reserved as a file name on Windows"):
        scenario.from_data(minimal(id=ident))


def test_too_many_regions_is_a_clear_error() -> None:
    # real ISO 3166-2 codes (region codes must be); there are some five thousand
    codes = sorted(s.code for s in pycountry.subdivisions if re.fullmatch(r"[A-Z]{2}-[A-Z0-9]{1,3}", s.code))
    regions = [{"code": c, "name": f"Region {c}"} for c in codes[: scenario.MAX_REGIONS + 1]]
    with pytest.raises(ScenarioError, match=r"^regions: 1001 regions; arshjul plans at most 1000 at once"):
        scenario.from_data(minimal(regions=regions))


def test_strings_are_stripped() -> None:
    s = scenario.from_data(minimal(name="  Årshjul 2027  "))
    assert s.name == "Årshjul 2027"


# -- JSON Schema ---------------------------------------------------------------------------


def test_json_schema_is_json_with_a_dialect() -> None:
    schema = scenario.json_schema()
    again = json.loads(json.dumps(schema, ensure_ascii=False))
    assert again == schema
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == "arshjul scenario"
    assert schema["type"] == "object"
    assert set(schema["required"]) >= {"id", "name", "period", "hosts", "regions"}
    assert schema["additionalProperties"] is False
    assert {"Span", "Theme", "Region", "Host"} <= set(schema["$defs"])
    # Spans are aliased in files: the schema must say `from`/`to`, not `start`/`end`.
    span = schema["$defs"]["Span"]
    mapping = next(alt for alt in span["anyOf"] if alt.get("type") == "object")
    assert {"from", "to", "weeks"} <= set(mapping["properties"])
    assert any(alt.get("type") == "string" for alt in span["anyOf"])  # '2027-W07', 'A..B'


def test_json_schema_rejects_a_malformed_span_text() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    data = _as_json(minimal(calendar={"blackouts": ["summer"]}))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(scenario.json_schema()).validate(data)


def _as_json(value: Any) -> Any:
    """YAML data as it would be written in JSON: dates and times become strings."""
    return json.loads(json.dumps(value, default=lambda v: v.isoformat()))


def test_json_schema_is_a_valid_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft202012Validator.check_schema(scenario.json_schema())


def test_json_schema_accepts_mapping_spans() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    blackouts = [{"name": "Sommar", "weeks": [27, 32]}, {"from": "2027-12-20", "to": "2027-12-31"}]
    data = _as_json(minimal(calendar={"blackouts": blackouts}))
    jsonschema.Draft202012Validator(scenario.json_schema()).validate(data)


@pytest.mark.parametrize("name", SHIPPED)
def test_json_schema_validates_the_shipped_scenarios(name: str) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    data = _as_json(yaml.safe_load((SCENARIOS / f"{name}.yaml").read_text(encoding="utf-8")))
    jsonschema.Draft202012Validator(scenario.json_schema()).validate(data)


def test_a_period_longer_than_a_year_warns_that_dialogs_count_the_whole_period() -> None:
    # dialogs counts per period: over two years, `dialogs: 2` is two dialogs, not four.
    two_years = tiny(
        **{
            "period.end": "2029-09-05",
            "hosts": [
                {"id": "vinnova", "name": "Vinnova", "themes": [{"id": "halsa", "name": "H", "dialogs": 2}]}
            ],
        }
    )
    assert len(build_instance(two_years).dialogs()) == 2
    (advice,) = warnings(two_years)
    assert advice.field == "hosts[vinnova].themes[halsa].dialogs"
    assert "not per year" in advice.message and "write 4 for 2 a year" in advice.message
    assert warnings(tiny()) == []
