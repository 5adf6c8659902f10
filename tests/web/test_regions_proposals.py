"""A region's "cannot present" days and its sign-up's focus area, from the region's page to
the planner's proposals page to scenario.yaml (comments kept), and on into the scenario the
next solve reads."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from icalendar import Calendar
from ruamel.yaml import YAML

import arshjul
from arshjul.web import library as lib
from arshjul.web import proposals
from regions_support import World, client, region_client, world
from web_support import sign_in


def _themes(w: World) -> dict[str, object]:
    sc, _ = w.ws.scenario()
    return {t.id: t for _, t in sc.themes()}


def _apply(w: World, ids: list[str]) -> str:
    p = client(w)
    csrf = sign_in(p)
    r = p.post("/proposals/apply", data={"csrf": csrf, "c": ids})
    assert r.status_code == 200, r.text[:500]
    return r.text


def test_cannot_present_from_the_region_page_to_the_scenario(tmp_path: Path) -> None:
    w = world(tmp_path)
    rc, csrf = region_client(w, w.a_token)
    assert 'id="cannot-present-form"' in rc.get("/r").text
    r = rc.post("/r/cannot-present", data={"csrf": csrf, "span": "2027-W40"}, follow_redirects=False)
    assert r.status_code == 303
    bad = rc.post("/r/cannot-present", data={"csrf": csrf, "span": "nästa vecka"})
    assert bad.status_code == 400 and 'id="cannot-present-error"' in bad.text
    empty = rc.post("/r/cannot-present", data={"csrf": csrf, "span": ""})
    assert empty.status_code == 400
    state = w.store.state(w.a)
    assert state.cannot_present_spans == ["2027-W40"] and state.away_spans == []
    assert "2027-W40" in rc.get("/r").text  # listed with a withdraw button
    # another region neither sees it nor changes A's by naming A
    rb, csrf_b = region_client(w, w.b_token)
    assert "2027-W40" not in rb.get("/r").text
    data = {"csrf": csrf_b, "span": "2027-W40", "action": "remove", "region": w.a}
    assert rb.post("/r/cannot-present", data=data, follow_redirects=False).status_code == 303
    assert w.store.state(w.a).cannot_present_spans == ["2027-W40"]
    assert w.store.state(w.b).cannot_present == {"2027-W40": False}  # B's own (a no-op) answer
    # the planner sees it as its own kind, not as away
    p = client(w)
    sign_in(p)
    page = p.get("/proposals").text
    assert "can listen but not present 2027-W40" in page and "away 2027-W40" not in page
    assert "Applied 1 changes" in _apply(w, [f"{w.a}|cannot_present|2027-W40"])
    sc, _ = w.ws.scenario()
    region = next(r for r in sc.regions if r.code == w.a)
    assert [s.describe() for _, _, s in region.cannot_present_spans()] == ["(2027-10-04..2027-10-10)"]
    assert [s.describe() for _, _, s in region.away_spans()] == []
    text = (w.ws.root / "scenario.yaml").read_text(encoding="utf-8")
    assert "# Days this region cannot take part at all" in text  # comments kept
    # the next solve's instance: the region cannot present that week, but stays invitable
    _, inst = w.ws.scenario()
    spec = inst.regions[w.a]
    week = [d for d, why in spec.cannot_present.items() if "2027-10-04..2027-10-10" in why]
    assert len(week) == 7 and all(spec.invitable(d) and not spec.can_present(d) for d in week)
    # the region page shows it as already in the scenario; withdrawing proposes the reverse
    assert "2027-W40" in rc.get("/r").text
    r = rc.post(
        "/r/cannot-present",
        data={"csrf": csrf, "span": "2027-W40", "action": "remove"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert "can present again 2027-W40" in p.get("/proposals").text
    _apply(w, [f"{w.a}|cannot_present|2027-W40"])
    sc, _ = w.ws.scenario()
    region = next(r for r in sc.regions if r.code == w.a)
    assert region.cannot_present_spans() == []


def test_cannot_present_applies_to_plain_and_round_trip_data(tmp_path: Path) -> None:
    w = world(tmp_path)
    sc, _ = w.ws.scenario()
    path = w.ws.root / "scenario.yaml"
    assert proposals.check_change(path, sc, w.a, "cannot_present", "2027-05-03..2027-05-07", True) is None
    problem = proposals.check_change(path, sc, w.a, "cannot_present", "2027-13-01", True)
    assert problem is not None and "\n" not in problem
    yaml = YAML()
    data = yaml.load(path.read_text(encoding="utf-8"))
    proposals._apply(data, sc, w.a, "cannot_present", "2027-W12", True)
    proposals._apply(data, sc, w.a, "cannot_present", "2027-W12", True)  # twice: listed once
    region = next(r for r in data["regions"] if r["code"] == w.a)
    assert [str(s) for s in region["cannot_present"]] == ["2027-W12"]
    assert "away" not in region or "2027-W12" not in [str(s) for s in region["away"]]


def test_signup_focus_reaches_the_scenario(tmp_path: Path) -> None:
    w = world(tmp_path)
    sc, _ = w.ws.scenario()
    region = next(r for r in sc.regions if r.code == w.a)
    focus = region.s3[-1].name
    rc, csrf = region_client(w, w.a_token)
    # a theme the region is not interested in (found by tags), and one it is listed on bare
    assert w.a not in lib.interest_by_theme(sc)["livsmedel"]
    listed = lib.interest_by_theme(sc)["rymd"]
    assert listed.get(w.a) == 1
    for theme in ("livsmedel", "rymd"):
        r = rc.post("/r/signup", data={"csrf": csrf, "theme": theme, "focus": focus}, follow_redirects=False)
        assert r.status_code == 303, r.text[:300]
    bad = rc.post("/r/signup", data={"csrf": csrf, "theme": "rymd", "focus": "Kärnkraft"})
    assert bad.status_code == 400 and "S3 focus areas" in bad.text
    p = client(w)
    sign_in(p)
    page = p.get("/proposals").text
    assert f"signs up to present on livsmedel ({focus})" in page
    assert f"signs up to present on rymd ({focus})" in page  # already interested: the focus is new
    _apply(w, [f"{w.a}|signup|livsmedel", f"{w.a}|signup|rymd"])
    themes = _themes(w)
    for theme in ("livsmedel", "rymd"):
        entry = next(i for i in themes[theme].interest() if i.region == w.a)  # type: ignore[attr-defined]
        assert entry.focus == focus
        assert entry.weight == 1
    sc, _ = w.ws.scenario()
    assert proposals.focus_of(sc, "rymd", w.a) == focus
    assert lib.interest_by_theme(sc)["rymd"] == {**listed, w.a: 1}  # nobody else changed
    text = (w.ws.root / "scenario.yaml").read_text(encoding="utf-8")
    assert (
        "# Only Norrbotten has space as an S3 area" in text
        and f"  - {{region: {w.a}, focus: {focus}}}\n\n" in text
    )  # one line, in its place
    assert 'id="no-proposals"' in p.get("/proposals").text
    # a later weight keeps the focus
    r = rc.post("/r/interest", data={"csrf": csrf, "w_rymd": "7"}, follow_redirects=False)
    assert r.status_code == 303
    _apply(w, [f"{w.a}|interest|rymd"])
    entry = next(i for i in _themes(w)["rymd"].interest() if i.region == w.a)  # type: ignore[attr-defined]
    assert (entry.weight, entry.focus) == (7, focus)


def test_focus_is_a_documented_scenario_field() -> None:
    field = arshjul.scenario.Interest.model_fields["focus"]
    assert field.description and field.examples
    entry = arshjul.scenario.Interest.model_validate({"region": "SE-AB", "focus": "Hälsa och vård"})
    assert entry.focus == "Hälsa och vård"


def test_the_focus_shows_with_the_homework_and_in_the_feed(tmp_path: Path) -> None:
    w = world(tmp_path)
    plan = w.ws.plan(w.pid)
    mine = next(s for s in plan.sessions if s.kind == "dialog" and w.a in s.presenting_regions)
    sc, _ = w.ws.scenario()
    focus = next(r for r in sc.regions if r.code == w.a).s3[0].name
    rc, csrf = region_client(w, w.a_token)
    page = rc.get("/r").text
    assert "You present your focus area" not in page
    r = rc.post("/r/signup", data={"csrf": csrf, "theme": mine.theme, "focus": focus}, follow_redirects=False)
    assert r.status_code == 303
    _apply(w, [f"{w.a}|signup|{mine.theme}"])
    article = rc.get("/r").text.split(f'id="hw-{mine.id}"', 1)[1].split("</article>", 1)[0]
    assert f"You present your focus area {focus}." in article
    # the homework reminder in the region's feed: on the deadline, with the focus area
    events = Calendar.from_ical(rc.get(f"/feed/{w.a_feed}.ics").content).walk("VEVENT")
    reminder = next(e for e in events if str(e["uid"]).startswith("homework-") and mine.id in str(e["uid"]))
    assert reminder["dtstart"].dt == mine.date - dt.timedelta(days=14)
    assert f"Your focus area: {focus}" in str(reminder["description"])
    # region B's feed carries B's reminders only, and none with A's focus
    b_feed = rc.get(f"/feed/{w.b_feed}.ics").content
    b_homework = [
        e for e in Calendar.from_ical(b_feed).walk("VEVENT") if str(e["uid"]).startswith("homework-")
    ]
    assert b_homework and all(str(e["uid"]).startswith(f"homework-{w.b}-") for e in b_homework)
    assert focus not in b_feed.decode("utf-8")
