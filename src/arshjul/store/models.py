"""The store's tables (SQLAlchemy 2 declarative).  The migrations in ``migrations/versions``
make exactly these; a test compares the two.

Times are UTC, stored without a zone (SQLite keeps no zone; PostgreSQL ``timestamp``).
Tokens are never stored: only their SHA-256 (hex).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class RegionLink(Base):
    """One person's link into one region's page (``/r/<token>``)."""

    __tablename__ = "region_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    region: Mapped[str] = mapped_column(String(32), index=True)
    person: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320), nullable=True)
    created: Mapped[dt.datetime] = mapped_column(DateTime)
    expires: Mapped[dt.datetime] = mapped_column(DateTime)
    revoked: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class FeedToken(Base):
    """A calendar feed (``/feed/<token>.ics``) of one region, theme or host."""

    __tablename__ = "feed_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    """``region``, ``theme`` or ``host``."""
    subject: Mapped[str] = mapped_column(String(200))
    link_id: Mapped[int | None] = mapped_column(ForeignKey("region_links.id"), nullable=True)
    created: Mapped[dt.datetime] = mapped_column(DateTime)
    revoked: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class Submission(Base):
    """One change a region made (append-only: a later row for the same key wins)."""

    __tablename__ = "region_submissions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region: Mapped[str] = mapped_column(String(32), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    """``away``, ``cannot_present``, ``interest``, ``signup`` or ``homework``."""
    key: Mapped[str] = mapped_column(String(200))
    """The away span as written, the theme id, or the session id."""
    value: Mapped[str] = mapped_column(Text)
    """JSON."""
    who: Mapped[str] = mapped_column(String(200))
    link_id: Mapped[int | None] = mapped_column(ForeignKey("region_links.id"), nullable=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime)


class DialogOutcome(Base):
    """What a dialog brought (append-only: the latest row per session is its outcome)."""

    __tablename__ = "dialog_outcomes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[str] = mapped_column(String(200), index=True)
    synergies: Mapped[str] = mapped_column(Text)
    who: Mapped[str] = mapped_column(String(200))
    at: Mapped[dt.datetime] = mapped_column(DateTime)


class DialogAction(Base):
    """An agreed next step of a dialog: what, who owns it, by when, and whether it is done."""

    __tablename__ = "dialog_actions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[str] = mapped_column(String(200), index=True)
    text: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200))
    due: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    done_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    done_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
