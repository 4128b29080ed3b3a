"""Classroom practice: plans written together (with their segments and saved versions),
lesson study cycles with their observers' notes and photos, and peer observations, whose
notes are kept in a table of their own (they belong to the teacher observed)."""

from __future__ import annotations

import sqlalchemy as sa

from collab_widgets.core.db.tables import UTCDateTime, metadata


def _team() -> sa.Column:
    return sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=False)


co_plans = sa.Table(
    "co_plans",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _team(),
    sa.Column("cycle_id", sa.Integer, sa.ForeignKey("cycles.id"), nullable=True),
    sa.Column("title", sa.String(120), nullable=False),
    # the essential standard the lesson serves, chosen from the cycle's
    sa.Column("standard", sa.String(200), nullable=False),
    # each section as typed, saved with the shared-text rule
    sa.Column("target", sa.Text, nullable=False),
    sa.Column("criteria", sa.Text, nullable=False),
    sa.Column("groups", sa.Text, nullable=False),
    sa.Column("materials", sa.Text, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("deleted_at", UTCDateTime, nullable=True),
)


co_plan_segments = sa.Table(
    "co_plan_segments",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _team(),
    sa.Column("plan_id", sa.Integer, sa.ForeignKey("co_plans.id"), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("task", sa.Text, nullable=False),
    sa.Column("minutes", sa.Integer, nullable=False),
    # a co-teaching approach's id when two adults teach this part; NULL: one teacher
    sa.Column("approach", sa.String(60), nullable=True),
    sa.Column("deleted_at", UTCDateTime, nullable=True),
)


co_plan_versions = sa.Table(
    "co_plan_versions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _team(),
    sa.Column("plan_id", sa.Integer, sa.ForeignKey("co_plans.id"), nullable=False),
    sa.Column("number", sa.Integer, nullable=False),
    sa.Column("label", sa.String(120), nullable=False),
    sa.Column("content", sa.Text, nullable=False),  # JSON: the plan's sections and segments
    sa.Column("saved_at", UTCDateTime, nullable=False),
    sa.Column("saved_by", sa.Integer, sa.ForeignKey("members.id"), nullable=True),
    sa.UniqueConstraint("plan_id", "number", name="uq_co_plan_version"),
)


lesson_studies = sa.Table(
    "lesson_studies",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _team(),
    sa.Column("cycle_id", sa.Integer, sa.ForeignKey("cycles.id"), nullable=True),
    sa.Column("title", sa.String(120), nullable=False),
    sa.Column("stage", sa.String(20), nullable=False),
    sa.Column("theme", sa.Text, nullable=False),
    sa.Column("study_notes", sa.Text, nullable=False),
    sa.Column("plan_id", sa.Integer, sa.ForeignKey("co_plans.id"), nullable=True),
    # the assessment whose students the case students are chosen from, by pseudonym
    sa.Column("assessment_id", sa.Integer, sa.ForeignKey("assessments.id"), nullable=True),
    sa.Column("case_students", sa.Text, nullable=False),  # JSON list of pseudonyms
    sa.Column("teacher_id", sa.Integer, sa.ForeignKey("members.id"), nullable=True),
    sa.Column("teaching", sa.Integer, nullable=False),  # 1, or 2 when taught again
    sa.Column("lesson_started_at", UTCDateTime, nullable=True),
    sa.Column("lesson_ended_at", UTCDateTime, nullable=True),
    sa.Column("debrief_run_id", sa.Integer, sa.ForeignKey("protocol_runs.id"), nullable=True),
    sa.Column("report", sa.Text, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
)


observation_notes = sa.Table(
    "observation_notes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _team(),
    sa.Column("study_id", sa.Integer, sa.ForeignKey("lesson_studies.id"), nullable=False),
    sa.Column("teaching", sa.Integer, nullable=False),
    sa.Column("member_id", sa.Integer, sa.ForeignKey("members.id"), nullable=True),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("case_student", sa.String(80), nullable=True),
    sa.Column("criterion", sa.String(200), nullable=True),
    sa.Column("segment", sa.String(200), nullable=True),
    sa.Column("after_lesson", sa.Boolean, nullable=False),
    sa.Column("deleted_at", UTCDateTime, nullable=True),
    sa.Index("ix_observation_notes_study", "study_id"),
)


# a picture of student work on a lesson study's note: re-encoded, only the picture kept;
# never in a team's export, deleted with its lesson study
observation_photos = sa.Table(
    "observation_photos",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _team(),
    sa.Column("note_id", sa.Integer, sa.ForeignKey("observation_notes.id"), nullable=False),
    sa.Column("media_type", sa.String(40), nullable=False),
    sa.Column("width", sa.Integer, nullable=False),
    sa.Column("height", sa.Integer, nullable=False),
    sa.Column("data", sa.LargeBinary, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
)


peer_observations = sa.Table(
    "peer_observations",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _team(),
    sa.Column("observed_id", sa.Integer, sa.ForeignKey("members.id"), nullable=False),
    sa.Column("observer_id", sa.Integer, sa.ForeignKey("members.id"), nullable=False),
    sa.Column("template", sa.String(60), nullable=True),
    sa.Column("focus", sa.Text, nullable=False),
    sa.Column("evidence", sa.Text, nullable=False),
    sa.Column("glows", sa.Text, nullable=False),
    sa.Column("grows", sa.Text, nullable=False),
    sa.Column("wonderings", sa.Text, nullable=False),
    # what the teacher observed chooses to tell the team, in their own words
    sa.Column("takeaway", sa.Text, nullable=False),
    sa.Column("lesson_started_at", UTCDateTime, nullable=True),
    sa.Column("lesson_ended_at", UTCDateTime, nullable=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("deleted_at", UTCDateTime, nullable=True),
)


# the observer's notes: read by the two teachers only; a note reaches the team only when
# the teacher observed shares it
peer_notes = sa.Table(
    "peer_notes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _team(),
    sa.Column("peer_id", sa.Integer, sa.ForeignKey("peer_observations.id"), nullable=False),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("segment", sa.String(200), nullable=True),
    sa.Column("after_lesson", sa.Boolean, nullable=False),
    sa.Column("shared", sa.Boolean, nullable=False),
    sa.Column("deleted_at", UTCDateTime, nullable=True),
)
