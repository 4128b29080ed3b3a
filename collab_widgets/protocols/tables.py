"""Protocol runs, their steps and the roles members hold in them."""

from __future__ import annotations

import sqlalchemy as sa

from collab_widgets.core.db.tables import UTCDateTime, metadata

protocol_runs = sa.Table(
    "protocol_runs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=False),
    sa.Column("meeting_id", sa.Integer, sa.ForeignKey("meetings.id"), nullable=False),
    sa.Column("session_id", sa.Integer, sa.ForeignKey("live_sessions.id"), nullable=False),
    sa.Column("protocol_key", sa.String(60), nullable=False),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("status", sa.String(10), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("started_at", UTCDateTime, nullable=False),
    sa.Column("step_started_at", UTCDateTime, nullable=False),
    sa.Column("paused_at", UTCDateTime, nullable=True),
    sa.Column("paused_seconds", sa.Float, nullable=False),
    sa.Column("extra_seconds", sa.Integer, nullable=False),
    sa.Column("turn", sa.Integer, nullable=False),
    sa.Column("ended_at", UTCDateTime, nullable=True),
    # added in schema version 4: the assessment a Data-Driven Dialogue is about
    sa.Column(
        "assessment_id",
        sa.Integer,
        sa.ForeignKey("assessments.id", name="fk_protocol_runs_assessment"),
        nullable=True,
    ),
)


run_steps = sa.Table(
    "run_steps",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=False),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("protocol_runs.id"), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("key", sa.String(60), nullable=False),
    sa.Column("minutes", sa.Integer, nullable=False),
    sa.Column("prompt_id", sa.Integer, sa.ForeignKey("live_prompts.id"), nullable=False),
    # comma-separated role names (or "everyone"), as the protocol file gave them
    sa.Column("speakers", sa.String(200), nullable=False),
    sa.Column("silent", sa.String(200), nullable=False),
    sa.Column("notes", sa.Text, nullable=False),
    sa.Column("notes_updated_at", UTCDateTime, nullable=True),
    sa.UniqueConstraint("run_id", "position", name="uq_run_step"),
)


run_roles = sa.Table(
    "run_roles",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=False),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("protocol_runs.id"), nullable=False),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("member_id", sa.Integer, sa.ForeignKey("members.id"), nullable=False),
    sa.UniqueConstraint("run_id", "role", name="uq_run_role"),
)
