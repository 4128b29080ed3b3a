"""Cycles of inquiry, the assessments linked to them, goals, versions, checkpoints, wins."""

from __future__ import annotations

import sqlalchemy as sa

from collab_widgets.core.db.tables import UTCDateTime, metadata

cycles = sa.Table(
    "cycles",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=False),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("starts_on", sa.Date, nullable=False),
    sa.Column("ends_on", sa.Date, nullable=False),
    sa.Column("stage", sa.String(20), nullable=False),
    # the four critical questions, as typed
    sa.Column("must_learn", sa.Text, nullable=False),
    sa.Column("how_know", sa.Text, nullable=False),
    sa.Column("respond", sa.Text, nullable=False),
    sa.Column("extend", sa.Text, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("deleted_at", UTCDateTime, nullable=True),
)


# "How we will know": the common assessments of a cycle, saved by the evidence workbook
cycle_assessments = sa.Table(
    "cycle_assessments",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=False),
    sa.Column("cycle_id", sa.Integer, sa.ForeignKey("cycles.id"), nullable=False),
    sa.Column("assessment_id", sa.Integer, sa.ForeignKey("assessments.id"), nullable=False),
    sa.UniqueConstraint("cycle_id", "assessment_id", name="uq_cycle_assessment"),
)


goals = sa.Table(
    "goals",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=False),
    sa.Column("cycle_id", sa.Integer, sa.ForeignKey("cycles.id"), nullable=False),
    # the builder's fields as typed since the last version (JSON), so nothing is lost
    sa.Column("draft", sa.Text, nullable=False),
    sa.Column("met_posted", sa.Boolean, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("deleted_at", UTCDateTime, nullable=True),
)


goal_versions = sa.Table(
    "goal_versions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=False),
    sa.Column("goal_id", sa.Integer, sa.ForeignKey("goals.id"), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("fields", sa.Text, nullable=False),  # JSON: the GoalDraft as typed
    sa.Column("statement", sa.Text, nullable=False),
    sa.Column("saved_by", sa.Integer, sa.ForeignKey("members.id"), nullable=True),
    sa.Column("saved_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("goal_id", "version", name="uq_goal_version"),
)


goal_checkpoints = sa.Table(
    "goal_checkpoints",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=False),
    sa.Column("goal_id", sa.Integer, sa.ForeignKey("goals.id"), nullable=False),
    sa.Column("taken_on", sa.Date, nullable=False),
    sa.Column("value", sa.Float, nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("assessment_id", sa.Integer, sa.ForeignKey("assessments.id"), nullable=True),
    sa.Column("created_by", sa.Integer, sa.ForeignKey("members.id"), nullable=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("deleted_at", UTCDateTime, nullable=True),
)


wins = sa.Table(
    "wins",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("goal_id", sa.Integer, sa.ForeignKey("goals.id"), nullable=True),
    sa.Column("member_id", sa.Integer, sa.ForeignKey("members.id"), nullable=True),
    sa.Column("posted_at", UTCDateTime, nullable=False),
    sa.Column("deleted_at", UTCDateTime, nullable=True),
)
