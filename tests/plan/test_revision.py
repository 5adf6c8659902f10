"""Plan differences and SEQUENCE carrying — what makes Outlook update instead of duplicate."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

import pytest

from arshjul.plan import Plan, Presentation, Session
from arshjul.revision import carry_sequences, diff_plans
from plans import REGIONS, sample_plan

HOUR = dt.timedelta(hours=1)
DIALOG = "vinnova.dialog.halsa.1"
NETWORK = "vinnova.network.2027-04-20"
HYBRID = "vinnova.hybrid.ekosystem"
LEARNING = "vinnova.learning"


def edit(plan: Plan, sid: str, **changes: object) -> Plan:
    return dataclasses.replace(
        plan,
        sessions=[dataclasses.replace(s, **changes) if s.id == sid else s for s in plan.sessions],  # type: ignore[arg-type]
    )


def shift(s: Session, by: dt.timedelta) -> dict[str, object]:
    return {"start": s.start + by, "end": s.end + by, "date": (s.start + by).date()}


def with_sequences(plan: Plan, seq: int) -> Plan:
    return dataclasses.replace(plan, sessions=[dataclasses.replace(s, sequence=seq) for s in plan.sessions])


def seqs(plan: Plan) -> dict[str, int]:
    return {s.id: s.sequence for s in plan.sessions}


def test_identical_plans_have_no_diff() -> None:
    diff = diff_plans(sample_plan(), sample_plan())
    assert diff.empty
    assert diff.regions == {}


def test_moved_session() -> None:
    old = sample_plan()
    hybrid = old.session(HYBRID)
    new = edit(old, HYBRID, **shift(hybrid, 24 * HOUR))
    diff = diff_plans(old, new)
    (move,) = diff.moved
    assert move.session_id == HYBRID
    assert (move.from_start, move.to_start) == (hybrid.start, hybrid.start + 24 * HOUR)
    assert (move.from_end, move.to_end) == (hybrid.end, hybrid.end + 24 * HOUR)
    assert diff.changed == (HYBRID,)
    assert not diff.added and not diff.removed and not diff.presenters
    assert set(diff.regions) == set(hybrid.invited)
    assert all(rc.moved == (HYBRID,) and not rc.added and not rc.removed for rc in diff.regions.values())


def test_same_instant_in_another_zone_is_no_move() -> None:
    old = sample_plan()
    s = old.session(HYBRID)
    new = edit(old, HYBRID, start=s.start.astimezone(dt.UTC), end=s.end.astimezone(dt.UTC))
    assert diff_plans(old, new).empty
    assert seqs(carry_sequences(new, old)) == seqs(old)


def test_added_and_removed_sessions_per_region() -> None:
    old = sample_plan()
    extra = dataclasses.replace(old.session(LEARNING), id="vinnova.hybrid.chips", invited=("SE-BD",))
    new = dataclasses.replace(
        old, sessions=[s for s in old.sessions if s.id != "vinnova.dialog.industri.1"] + [extra]
    )
    diff = diff_plans(old, new)
    assert diff.added == ("vinnova.hybrid.chips",)
    assert diff.removed == ("vinnova.dialog.industri.1",)
    assert diff.regions["SE-BD"].added == ("vinnova.hybrid.chips",)
    assert diff.regions["SE-BD"].removed == ()  # Norrbotten presented there but was not invited
    for code in old.session("vinnova.dialog.industri.1").invited:
        assert diff.regions[code].removed == ("vinnova.dialog.industri.1",)


def test_presenters_added_and_dropped() -> None:
    old = sample_plan()
    dialog = old.session(DIALOG)
    skane = dialog.presentations[-1]
    norrbotten = Presentation("SE-BD", "Region Norrbotten", ("SE-BD",), skane.start, skane.end)
    new = edit(old, DIALOG, presentations=(*dialog.presentations[:-1], norrbotten))
    diff = diff_plans(old, new)
    (change,) = diff.presenters
    assert (change.session_id, change.added, change.dropped) == (DIALOG, ("SE-BD",), ("SE-M",))
    assert diff.changed == (DIALOG,)
    assert diff.moved == ()


def test_invitation_changes_show_per_region() -> None:
    old = sample_plan()
    learning = old.session(LEARNING)
    new = edit(old, LEARNING, invited=tuple(c for c in learning.invited if c != "SE-M"))
    diff = diff_plans(old, new)
    assert diff.regions["SE-M"].removed == (LEARNING,)
    assert list(diff.regions) == ["SE-M"]
    back = diff_plans(new, old)
    assert back.regions["SE-M"].added == (LEARNING,)


CHANGES: dict[str, Callable[[Session], dict[str, object]]] = {
    "start and end": lambda s: shift(s, HOUR),
    "end": lambda s: {"end": s.end + HOUR},
    "title": lambda s: {"title": s.title + " (ny)"},
    "presenters": lambda s: {"presentations": s.presentations[:1]},
    "invited": lambda s: {"invited": s.invited[:-1]},
    "description": lambda s: {"description": "Ny text"},
    "location": lambda s: {"location": "Stockholm"},
    "link": lambda s: {"meeting_link": "https://teams.example/other"},
    "follow-up": lambda s: {"followup_on": None},
    "host name": lambda s: {"host_name": "Verket"},
}


@pytest.mark.parametrize("what", sorted(CHANGES))
def test_any_visible_change_raises_sequence_by_one(what: str) -> None:
    old = with_sequences(sample_plan(), 3)
    new = edit(old, DIALOG, **CHANGES[what](old.session(DIALOG)))
    new = with_sequences(new, 0)  # a fresh solve knows nothing of sequences
    carried = carry_sequences(new, old)
    # The network meeting lists the dialog by title and date: those changes show there too.
    changed = {DIALOG, NETWORK} if what in ("title", "start and end") else {DIALOG}
    assert seqs(carried) == {s.id: 4 if s.id in changed else 3 for s in old.sessions}


def test_followup_changes_ripple_to_what_shows_them() -> None:
    old = sample_plan()
    network = old.session(NETWORK)
    moved = edit(old, NETWORK, **shift(network, 24 * HOUR))
    # The dialog's calendar entry shows when it is followed up: it changed too.
    assert seqs(carry_sequences(moved, old)) == {
        s.id: 1 if s.id in (NETWORK, DIALOG) else 0 for s in old.sessions
    }
    renamed = edit(old, DIALOG, title="Precisionshälsa")
    assert seqs(carry_sequences(renamed, old))[NETWORK] == 1  # it lists the dialog's title


def test_region_name_and_contact_are_shown() -> None:
    old = sample_plan()
    renamed = dataclasses.replace(old, regions={**old.regions, "SE-W": "Region Dalarna (ny)"})
    carried = carry_sequences(renamed, old)
    assert {sid for sid, n in seqs(carried).items() if n} == {
        s.id for s in old.sessions if "SE-W" in s.invited or "SE-W" in s.presenting_regions
    }
    recontacted = dataclasses.replace(old, contacts={**old.contacts, "SE-E": "ny@regionostergotland.se"})
    assert all(
        n == 1
        for sid, n in seqs(carry_sequences(recontacted, old)).items()
        if "SE-E" in old.session(sid).invited
    )


def test_carry_sequences_is_a_copy_and_idempotent() -> None:
    old = with_sequences(sample_plan(), 2)
    new = edit(sample_plan(), HYBRID, title="Ekosystem")
    before = new.to_json()
    once = carry_sequences(new, old)
    assert new.to_json() == before  # inputs untouched
    assert once is not new and once.regions is not new.regions
    assert seqs(once) == {s.id: 3 if s.id == HYBRID else 2 for s in old.sessions}
    assert seqs(carry_sequences(once, old)) == seqs(once)


def test_new_session_keeps_its_own_sequence() -> None:
    old = sample_plan()
    extra = dataclasses.replace(old.session(LEARNING), id="vinnova.hybrid.chips", sequence=0)
    new = dataclasses.replace(old, sessions=[*old.sessions, extra])
    assert seqs(carry_sequences(new, old))["vinnova.hybrid.chips"] == 0
    assert set(REGIONS) >= set(diff_plans(old, new).regions)
