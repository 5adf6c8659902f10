"""The first schema: region links, feed tokens, region submissions, dialog outcomes, actions.

Revision ID: 0001
Revises:
Create Date: 2027-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "region_links",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("region", sa.String(32), nullable=False),
        sa.Column("person", sa.String(200), nullable=False),
        sa.Column("email", sa.String(320), nullable=True),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("expires", sa.DateTime, nullable=False),
        sa.Column("revoked", sa.DateTime, nullable=True),
    )
    op.create_index("ix_region_links_region", "region_links", ["region"])
    op.create_table(
        "feed_tokens",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("link_id", sa.Integer, sa.ForeignKey("region_links.id"), nullable=True),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("revoked", sa.DateTime, nullable=True),
    )
    op.create_table(
        "region_submissions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("region", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("who", sa.String(200), nullable=False),
        sa.Column("link_id", sa.Integer, sa.ForeignKey("region_links.id"), nullable=True),
        sa.Column("at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_region_submissions_region", "region_submissions", ["region"])
    op.create_table(
        "dialog_outcomes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("session_id", sa.String(200), nullable=False),
        sa.Column("synergies", sa.Text, nullable=False),
        sa.Column("who", sa.String(200), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_dialog_outcomes_session_id", "dialog_outcomes", ["session_id"])
    op.create_table(
        "dialog_actions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("session_id", sa.String(200), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("due", sa.Date, nullable=True),
        sa.Column("done", sa.Boolean, nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("done_by", sa.String(200), nullable=True),
        sa.Column("done_at", sa.DateTime, nullable=True),
    )
    op.create_index("ix_dialog_actions_session_id", "dialog_actions", ["session_id"])


def downgrade() -> None:
    for table in ("dialog_actions", "dialog_outcomes", "region_submissions", "feed_tokens", "region_links"):
        op.drop_table(table)
