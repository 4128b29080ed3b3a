"""Decisions, actions and each action's history."""

from __future__ import annotations

import sqlalchemy as sa

from collab_widgets.core.db.tables import UTCDateTime, metadata

decisions = sa.Table(
    "decisions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=False),
    sa.Column("meeting_id", sa.Integer, sa.ForeignKey("meetings.id"), nullable=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("method", sa.String(40), nullable=False),
    sa.Column("result", sa.Text, nullable=False),
    sa.Column("present", sa.Text, nullable=False),  # JSON list of names, as they were then
    sa.Column("run_id", sa.Integer, sa.ForeignKey("protocol_runs.id"), nullable=True),
    sa.Column("decided_by", sa.Integer, sa.ForeignKey("members.id"), nullable=True),
    sa.Column("decided_at", UTCDateTime, nullable=False),
    sa.Column("deleted_at", UTCDateTime, nullable=True),
)


actions = sa.Table(
    "actions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=False),
    sa.Column("meeting_id", sa.Integer, sa.ForeignKey("meetings.id"), nullable=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("owner_id", sa.Integer, sa.ForeignKey("members.id"), nullable=True),
    sa.Column("due_on", sa.Date, nullable=True),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("prompted_by", sa.Text, nullable=False),
    sa.Column("decision_id", sa.Integer, sa.ForeignKey("decisions.id"), nullable=True),
    sa.Column("created_by", sa.Integer, sa.ForeignKey("members.id"), nullable=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("deleted_at", UTCDateTime, nullable=True),
)


action_history = sa.Table(
    "action_history",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=False),
    sa.Column("action_id", sa.Integer, sa.ForeignKey("actions.id"), nullable=False),
    sa.Column("member_id", sa.Integer, sa.ForeignKey("members.id"), nullable=True),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("change", sa.Text, nullable=False),
)
