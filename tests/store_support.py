"""Stores for the tests: SQLite always, PostgreSQL when ARSHJUL_TEST_POSTGRES_URL is set
(each test gets its own schema-free database state: the tables are emptied first)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from arshjul.store import Store

POSTGRES = os.environ.get("ARSHJUL_TEST_POSTGRES_URL")
TABLES = ("dialog_actions", "dialog_outcomes", "region_submissions", "feed_tokens", "region_links")


def backends() -> list[object]:
    return [
        "sqlite",
        pytest.param(
            "postgresql",
            marks=pytest.mark.skipif(
                POSTGRES is None, reason="set ARSHJUL_TEST_POSTGRES_URL (postgresql+psycopg://…) to run"
            ),
        ),
    ]


def url_for(backend: str, tmp: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp / 'arshjul.db'}"
    assert POSTGRES is not None
    return POSTGRES


def open_store(backend: str, tmp: Path) -> Iterator[Store]:
    store = Store.open(url_for(backend, tmp))
    if backend == "postgresql":
        with store.engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE"))
    yield store
    store.close()
