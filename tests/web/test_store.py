"""The store on SQLite and (when ARSHJUL_TEST_POSTGRES_URL is set) on PostgreSQL: the
migrations make the tables the models declare, tokens are kept only hashed, the change log
is append-only and folds into each region's current answers."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from arshjul.store import Store, hash_token
from arshjul.store.models import Base
from store_support import backends, open_store


@pytest.fixture(params=backends())
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    yield from open_store(request.param, tmp_path)


def test_migrations_make_the_models_tables(store: Store) -> None:
    found = inspect(store.engine)
    for table in Base.metadata.sorted_tables:
        columns = {c["name"] for c in found.get_columns(table.name)}
        assert columns == {c.name for c in table.columns}, table.name
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0001"


def test_upgrade_twice_is_a_no_op(store: Store) -> None:
    store.upgrade()
    store.upgrade()


def test_link_tokens_are_stored_only_hashed(store: Store) -> None:
    _, token = store.create_link("SE-E", "Anna A", email="anna@example.se", days=90)
    assert len(token) >= 43
    with store.engine.connect() as conn:
        dump = repr(conn.execute(text("SELECT * FROM region_links")).fetchall())
    assert token not in dump and hash_token(token) in dump
    found = store.link_by_token(token)
    assert found is not None and found.region == "SE-E" and found.valid(found.created)
    assert found.expires - found.created == dt.timedelta(days=90)
    assert store.link_by_token(token + "x") is None


def test_revoking_a_link_revokes_its_feeds(store: Store) -> None:
    link, _ = store.create_link("SE-E", "Anna A")
    feed = store.create_feed("region", "SE-E", link_id=link.id)
    theme = store.create_feed("theme", "rymd")
    assert store.feed_by_token(feed) is not None
    assert store.revoke_link(link.id)
    assert store.feed_by_token(feed) is None
    assert store.feed_by_token(theme) is not None
    assert not store.revoke_link(999)
    again = store.link(link.id)
    assert again is not None and again.state == "revoked"


def test_a_new_feed_of_a_link_replaces_the_old_one(store: Store) -> None:
    link, _ = store.create_link("SE-E", "Anna A")
    first = store.create_feed("region", "SE-E", link_id=link.id)
    second = store.create_feed("region", "SE-E", link_id=link.id)
    assert store.feed_by_token(first) is None and store.feed_by_token(second) is not None


def test_expired_link_feeds_stop(store: Store) -> None:
    link, _ = store.create_link("SE-E", "Anna A", days=0)
    feed = store.create_feed("region", "SE-E", link_id=link.id)
    assert store.feed_by_token(feed) is None


def test_the_log_is_append_only_and_the_latest_row_wins(store: Store) -> None:
    store.record("SE-E", "away", "2027-W18", True, who="Anna A")
    store.record("SE-E", "interest", "rymd", 40, who="Anna A")
    store.record("SE-E", "interest", "rymd", 70, who="Bo B")
    store.record("SE-E", "signup", "rymd", "Rymd och geodata", who="Bo B")
    store.record("SE-E", "away", "2027-W18", False, who="Bo B")
    store.record("SE-M", "homework", "s1", True, who="Cia C")
    st = store.state("SE-E")
    assert st.interest == {"rymd": 70} and st.away_spans == [] and st.signup == {"rymd": "Rymd och geodata"}
    assert st.who[("interest", "rymd")][0] == "Bo B"
    assert [c.value for c in store.changes("SE-E") if c.key == "rymd" and c.kind == "interest"] == [40, 70]
    assert store.states()["SE-M"].homework == {"s1": True}
    assert store.last_change() is not None
    with pytest.raises(ValueError, match="unknown kind"):
        store.record("SE-E", "nonsense", "k", 1, who="x")


def test_outcomes_and_actions(store: Store) -> None:
    store.record_outcome("d1", "shared test bed", who="planner")
    store.record_outcome("d1", "shared test bed; joint call", who="planner")
    a = store.add_action("d1", "draft a joint call", owner="SE-E", due=dt.date(2027, 6, 1), who="planner")
    store.add_action("d1", "share data", owner="Vinnova", due=None, who="planner")
    assert store.outcomes()["d1"].synergies == "shared test bed; joint call"
    assert store.set_action_done(a, True, who="planner")
    assert [x.done for x in store.actions("d1")] == [True, False]
    assert not store.set_action_done(999, True, who="planner")


def test_concurrent_writers_lose_nothing(store: Store) -> None:
    def edit(code: str) -> None:
        for k in range(20):
            store.record(code, "interest", f"t{k}", k, who=code)

    threads = [threading.Thread(target=edit, args=(f"SE-{c}",)) for c in "ABCDEFGH"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(store.changes()) == 8 * 20
    assert all(len(st.interest) == 20 for st in store.states().values())


def test_cannot_present_is_its_own_kind(store: Store) -> None:
    store.record("SE-E", "cannot_present", "2027-W40", True, who="Anna A")
    store.record("SE-E", "away", "2027-W41", True, who="Anna A")
    store.record("SE-E", "cannot_present", "2027-W42", True, who="Anna A")
    store.record("SE-E", "cannot_present", "2027-W42", False, who="Bo B")
    st = store.state("SE-E")
    assert st.cannot_present_spans == ["2027-W40"] and st.away_spans == ["2027-W41"]
    assert st.who[("cannot_present", "2027-W42")][0] == "Bo B"


def test_the_planners_list_of_feeds_and_revoking_one(store: Store) -> None:
    link, _ = store.create_link("SE-E", "Anna A")
    region = store.create_feed("region", "SE-E", link_id=link.id)
    theme = store.create_feed("theme", "rymd")
    host = store.create_feed("host", "vinnova")
    rows = store.feeds()
    assert [(f.kind, f.subject, f.link_id) for f in rows] == [
        ("region", "SE-E", link.id),
        ("theme", "rymd", None),
        ("host", "vinnova", None),
    ]
    assert all(f.revoked is None for f in rows)
    assert not any(token in repr(rows) for token in (region, theme, host))  # only ids, never tokens
    assert store.revoke_feed(rows[1].id)
    assert store.revoke_feed(rows[1].id)  # again: still revoked, still there
    assert store.feed_by_token(theme) is None
    assert store.feed_by_token(region) is not None and store.feed_by_token(host) is not None
    assert [f.revoked is not None for f in store.feeds()] == [False, True, False]
    assert not store.revoke_feed(999)
