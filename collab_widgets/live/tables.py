"""The live engine: sessions, prompts, entries (notes, options, marks) and votes."""

from __future__ import annotations

import sqlalchemy as sa

from collab_widgets.core.db.tables import UTCDateTime, metadata

live_sessions = sa.Table(
    "live_sessions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("title", sa.String(200), nullable=False),
    # who moderates (groups notes, closes votes); a coach always may
    sa.Column("moderator_id", sa.Integer, sa.ForeignKey("members.id"), nullable=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("ended_at", UTCDateTime, nullable=True),
)


live_prompts = sa.Table(
    "live_prompts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=False),
    sa.Column("session_id", sa.Integer, sa.ForeignKey("live_sessions.id"), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("anonymous", sa.Boolean, nullable=False),
    sa.Column("budget", sa.Integer, nullable=True),
    sa.Column("scale", sa.Integer, nullable=True),
    sa.Column("source_prompt_id", sa.Integer, sa.ForeignKey("live_prompts.id"), nullable=True),
    sa.Column("status", sa.String(10), nullable=False),
)


live_entries = sa.Table(
    "live_entries",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=False),
    sa.Column("prompt_id", sa.Integer, sa.ForeignKey("live_prompts.id"), nullable=False),
    sa.Column("kind", sa.String(10), nullable=False),
    # NULL for an anonymous note: its author is not stored anywhere
    sa.Column("member_id", sa.Integer, sa.ForeignKey("members.id"), nullable=True),
    sa.Column("text", sa.Text, nullable=True),
    sa.Column("value", sa.Integer, nullable=True),
    sa.Column("group_name", sa.String(80), nullable=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.Column("deleted_at", UTCDateTime, nullable=True),
    sa.Index(
        "uq_live_check_per_member",
        "prompt_id",
        "member_id",
        unique=True,
        sqlite_where=sa.text("kind = 'check'"),
        postgresql_where=sa.text("kind = 'check'"),
    ),
)


live_votes = sa.Table(
    "live_votes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=False),
    sa.Column("prompt_id", sa.Integer, sa.ForeignKey("live_prompts.id"), nullable=False),
    sa.Column("entry_id", sa.Integer, sa.ForeignKey("live_entries.id"), nullable=False),
    sa.Column("member_id", sa.Integer, sa.ForeignKey("members.id"), nullable=False),
    sa.Column("dots", sa.Integer, nullable=False),
    sa.UniqueConstraint("prompt_id", "entry_id", "member_id", name="uq_live_vote"),
)
