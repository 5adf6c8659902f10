"""The regions' side of the workspace, kept in a database: region links and feed tokens
(hashed), what the regions submit (an append-only log with who and when), and what the
planner records after a dialog (outcomes and actions).

SQLite embedded at ``<workspace>/arshjul.db`` by default, PostgreSQL by URL; the schema is
made and upgraded by the Alembic migrations shipped in :mod:`arshjul.store.migrations`,
run in code when the store is opened.  Nothing here imports the rest of arshjul: the web
layer maps a region's submissions onto the scenario.
"""

from .db import (
    KINDS,
    Action,
    Change,
    FeedInfo,
    FeedRow,
    LinkInfo,
    Outcome,
    RegionState,
    Store,
    default_url,
    hash_token,
)

__all__ = [
    "KINDS",
    "Action",
    "Change",
    "FeedInfo",
    "FeedRow",
    "LinkInfo",
    "Outcome",
    "RegionState",
    "Store",
    "default_url",
    "hash_token",
]
