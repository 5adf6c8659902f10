"""Opening the store (migrations run in code) and everything the web layer asks of it.

Every write is one short transaction; the change log is append-only, so two regions (or two
people of one region) editing at once never overwrite each other's rows: the latest row per
key is the region's current answer, and every earlier one stays as history.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, func, select
from sqlalchemy.orm import Session, sessionmaker

from .models import DialogAction, DialogOutcome, FeedToken, RegionLink, Submission

MIGRATIONS = Path(__file__).parent / "migrations"
KINDS = ("away", "cannot_present", "interest", "signup", "homework")
"""What a region submits: away spans, spans it can listen but not present in, interest per
theme, sign-ups to present, homework done.  ``kind`` is a free string column, so a new kind
needs no migration (the longest, ``cannot_present``, fits its 16 characters)."""
FEED_KINDS = ("region", "theme", "host")
DB_FILE = "arshjul.db"


def default_url(workspace: Path) -> str:
    """The embedded SQLite file of a workspace."""
    return f"sqlite:///{(Path(workspace) / DB_FILE).absolute()}"


def hash_token(token: str) -> str:
    """What is stored of a token: its SHA-256 in hex (the token itself never is)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def now_utc() -> dt.datetime:
    """Now in UTC without a zone, as the tables keep times."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


@dataclass(frozen=True)
class LinkInfo:
    id: int
    region: str
    person: str
    email: str | None
    created: dt.datetime
    expires: dt.datetime
    revoked: dt.datetime | None

    def valid(self, at: dt.datetime) -> bool:
        return self.revoked is None and at < self.expires

    @property
    def state(self) -> str:
        if self.revoked is not None:
            return "revoked"
        return "expired" if now_utc() >= self.expires else "active"


@dataclass(frozen=True)
class FeedInfo:
    id: int
    kind: str
    subject: str
    link_id: int | None


@dataclass(frozen=True)
class FeedRow:
    """A feed as the planner's list shows it (never its token: only the hash is kept)."""

    id: int
    kind: str
    subject: str
    link_id: int | None
    created: dt.datetime
    revoked: dt.datetime | None


@dataclass(frozen=True)
class Change:
    """One row of the change log."""

    id: int
    region: str
    kind: str
    key: str
    value: Any
    who: str
    at: dt.datetime


@dataclass
class RegionState:
    """A region's current answers: the latest change per kind and key."""

    away: dict[str, bool] = field(default_factory=dict)
    """Span text → away (``False`` once withdrawn)."""
    cannot_present: dict[str, bool] = field(default_factory=dict)
    """Span text → may listen but cannot present (``False`` once withdrawn)."""
    interest: dict[str, int] = field(default_factory=dict)
    """Theme id → weight 0–100."""
    signup: dict[str, str | None] = field(default_factory=dict)
    """Theme id → the S3 focus area it will present (``None`` once withdrawn)."""
    homework: dict[str, bool] = field(default_factory=dict)
    """Session id → done."""
    who: dict[tuple[str, str], tuple[str, dt.datetime]] = field(default_factory=dict)
    """(kind, key) → who changed it last, and when."""

    @property
    def away_spans(self) -> list[str]:
        return [k for k, v in self.away.items() if v]

    @property
    def cannot_present_spans(self) -> list[str]:
        return [k for k, v in self.cannot_present.items() if v]


@dataclass(frozen=True)
class Outcome:
    session_id: str
    synergies: str
    who: str
    at: dt.datetime


@dataclass(frozen=True)
class Action:
    id: int
    session_id: str
    text: str
    owner: str
    due: dt.date | None
    done: bool
    created_by: str
    created_at: dt.datetime


def _link(row: RegionLink) -> LinkInfo:
    return LinkInfo(row.id, row.region, row.person, row.email, row.created, row.expires, row.revoked)


def _action(row: DialogAction) -> Action:
    return Action(
        row.id, row.session_id, row.text, row.owner, row.due, row.done, row.created_by, row.created_at
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL lets readers go on while one writer commits; the busy timeout makes concurrent
    writers wait for each other instead of failing."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


class Store:
    """The database of one workspace.  Safe to share between request threads."""

    def __init__(self, url: str) -> None:
        self.url = url
        sqlite = url.startswith("sqlite")
        self.engine: Engine = create_engine(
            url,
            pool_pre_ping=True,
            connect_args={"check_same_thread": False, "timeout": 30} if sqlite else {},
        )
        if sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @classmethod
    def open(cls, url: str) -> Store:
        """The store at ``url``, its schema upgraded to the latest migration."""
        store = cls(url)
        store.upgrade()
        return store

    def upgrade(self) -> None:
        """Run the shipped migrations up to ``head`` (``alembic upgrade head``, in code)."""
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        cfg.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        with self.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _tx(self) -> Iterator[Session]:
        with self._sessions.begin() as session:
            yield session

    # -- region links -------------------------------------------------------------------------

    def create_link(
        self, region: str, person: str, *, email: str | None = None, days: int = 90
    ) -> tuple[LinkInfo, str]:
        """A new link for one person of one region; returns it and its token (shown once)."""
        token = secrets.token_urlsafe(32)
        created = now_utc()
        with self._tx() as s:
            row = RegionLink(
                token_hash=hash_token(token),
                region=region,
                person=person,
                email=email,
                created=created,
                expires=created + dt.timedelta(days=days),
                revoked=None,
            )
            s.add(row)
            s.flush()
            return _link(row), token

    def link_by_token(self, token: str) -> LinkInfo | None:
        """The link a token opens, valid or not (``None`` for no such token)."""
        with self._tx() as s:
            row = s.scalar(select(RegionLink).where(RegionLink.token_hash == hash_token(token)))
            return None if row is None else _link(row)

    def link(self, link_id: int) -> LinkInfo | None:
        with self._tx() as s:
            row = s.get(RegionLink, link_id)
            return None if row is None else _link(row)

    def links(self) -> list[LinkInfo]:
        with self._tx() as s:
            return [_link(r) for r in s.scalars(select(RegionLink).order_by(RegionLink.id))]

    def revoke_link(self, link_id: int) -> bool:
        """Revoke a link and the calendar feeds made through it; ``False`` when there is none."""
        at = now_utc()
        with self._tx() as s:
            row = s.get(RegionLink, link_id)
            if row is None:
                return False
            if row.revoked is None:
                row.revoked = at
            for feed in s.scalars(select(FeedToken).where(FeedToken.link_id == link_id)):
                if feed.revoked is None:
                    feed.revoked = at
            return True

    # -- feeds --------------------------------------------------------------------------------

    def create_feed(self, kind: str, subject: str, *, link_id: int | None = None) -> str:
        """A new feed token for a region, theme or host calendar; returns the token (shown
        once).  A feed made through a link replaces that link's earlier feed."""
        if kind not in FEED_KINDS:
            raise ValueError(f"unknown feed kind {kind!r}")
        token = secrets.token_urlsafe(32)
        at = now_utc()
        with self._tx() as s:
            if link_id is not None:
                for old in s.scalars(select(FeedToken).where(FeedToken.link_id == link_id)):
                    if old.revoked is None:
                        old.revoked = at
            s.add(
                FeedToken(
                    token_hash=hash_token(token), kind=kind, subject=subject, link_id=link_id, created=at
                )
            )
        return token

    def feed_by_token(self, token: str) -> FeedInfo | None:
        """The live feed a token opens; ``None`` for an unknown or revoked one, or one whose
        link is revoked or expired."""
        with self._tx() as s:
            row = s.scalar(select(FeedToken).where(FeedToken.token_hash == hash_token(token)))
            if row is None or row.revoked is not None:
                return None
            if row.link_id is not None:
                link = s.get(RegionLink, row.link_id)
                if link is None or not _link(link).valid(now_utc()):
                    return None
            return FeedInfo(row.id, row.kind, row.subject, row.link_id)

    def feeds(self) -> list[FeedRow]:
        """Every feed token ever made, oldest first (a revoked one says when)."""
        with self._tx() as s:
            return [
                FeedRow(r.id, r.kind, r.subject, r.link_id, r.created, r.revoked)
                for r in s.scalars(select(FeedToken).order_by(FeedToken.id))
            ]

    def revoke_feed(self, feed_id: int) -> bool:
        """End one feed at once; ``False`` when there is no such feed."""
        with self._tx() as s:
            row = s.get(FeedToken, feed_id)
            if row is None:
                return False
            if row.revoked is None:
                row.revoked = now_utc()
            return True

    # -- region submissions ---------------------------------------------------------------------

    def record(
        self, region: str, kind: str, key: str, value: Any, *, who: str, link_id: int | None = None
    ) -> int:
        """Append one change to the log; returns its id."""
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}")
        with self._tx() as s:
            row = Submission(
                region=region,
                kind=kind,
                key=key,
                value=json.dumps(value),
                who=who,
                link_id=link_id,
                at=now_utc(),
            )
            s.add(row)
            s.flush()
            return row.id

    def changes(self, region: str | None = None) -> list[Change]:
        """The change log, oldest first (one region's, or everyone's)."""
        q = select(Submission).order_by(Submission.id)
        if region is not None:
            q = q.where(Submission.region == region)
        with self._tx() as s:
            return [
                Change(r.id, r.region, r.kind, r.key, json.loads(r.value), r.who, r.at) for r in s.scalars(q)
            ]

    def state(self, region: str) -> RegionState:
        return self.states(region).get(region, RegionState())

    def states(self, region: str | None = None) -> dict[str, RegionState]:
        """Every region's current answers (the log folded, latest row per key wins)."""
        out: dict[str, RegionState] = {}
        for c in self.changes(region):
            st = out.setdefault(c.region, RegionState())
            getattr(st, c.kind)[c.key] = c.value
            st.who[(c.kind, c.key)] = (c.who, c.at)
        return out

    def last_change(self) -> dt.datetime | None:
        """When anything a feed shows last changed here (submissions, outcomes, actions)."""
        with self._tx() as s:
            stamps = [
                s.scalar(select(func.max(Submission.at))),
                s.scalar(select(func.max(DialogOutcome.at))),
                s.scalar(select(func.max(DialogAction.created_at))),
                s.scalar(select(func.max(DialogAction.done_at))),
            ]
        known = [t for t in stamps if t is not None]
        return max(known) if known else None

    # -- follow-up ------------------------------------------------------------------------------

    def record_outcome(self, session_id: str, synergies: str, *, who: str) -> None:
        with self._tx() as s:
            s.add(DialogOutcome(session_id=session_id, synergies=synergies, who=who, at=now_utc()))

    def outcomes(self) -> dict[str, Outcome]:
        """The latest outcome of every dialog that has one."""
        with self._tx() as s:
            rows = s.scalars(select(DialogOutcome).order_by(DialogOutcome.id))
            return {r.session_id: Outcome(r.session_id, r.synergies, r.who, r.at) for r in rows}

    def add_action(self, session_id: str, text: str, *, owner: str, due: dt.date | None, who: str) -> int:
        with self._tx() as s:
            row = DialogAction(
                session_id=session_id,
                text=text,
                owner=owner,
                due=due,
                done=False,
                created_by=who,
                created_at=now_utc(),
            )
            s.add(row)
            s.flush()
            return row.id

    def set_action_done(self, action_id: int, done: bool, *, who: str) -> bool:
        with self._tx() as s:
            row = s.get(DialogAction, action_id)
            if row is None:
                return False
            row.done = done
            row.done_by = who
            row.done_at = now_utc()
            return True

    def actions(self, session_id: str | None = None) -> list[Action]:
        q = select(DialogAction).order_by(DialogAction.id)
        if session_id is not None:
            q = q.where(DialogAction.session_id == session_id)
        with self._tx() as s:
            return [_action(r) for r in s.scalars(q)]
