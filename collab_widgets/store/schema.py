"""The current database schema. Every table carries its team.

Changing anything here needs a new step in :mod:`.migrations` (and the upgrade test);
``tests/unit/test_store_migrations.py`` checks the migrated database matches this file.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

SCHEMA_VERSION = 10


class UTCDateTime(sa.types.TypeDecorator):
    """Aware UTC datetimes on every backend (SQLite keeps no time zone)."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return None if value is None else value.replace(tzinfo=dt.UTC)


metadata = sa.MetaData()

schema_version = sa.Table(
    "schema_version", metadata, sa.Column("version", sa.Integer, nullable=False)
)

coaches = sa.Table(
    "coaches",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(80), nullable=False),
    sa.Column("code", sa.String(16), nullable=False, unique=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
)

teams = sa.Table(
    "teams",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(80), nullable=False),
    sa.Column("code", sa.String(16), nullable=False, unique=True),
    sa.Column("coach_id", sa.Integer, sa.ForeignKey("coaches.id"), nullable=True),
    sa.Column("revision", sa.Integer, nullable=False, server_default="0"),
    sa.Column("role_rotation", sa.Integer, nullable=False, server_default="0"),
    sa.Column("created_at", UTCDateTime, nullable=False),
    # added in schema version 3: the team's default for notes on a live board
    sa.Column("anonymous_board", sa.Boolean, nullable=False, server_default=sa.false()),
)

members = sa.Table(
    "members",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=False),
    sa.Column("name", sa.String(80), nullable=False),
    sa.Column("name_key", sa.String(80), nullable=False),
    sa.Column("token", sa.String(16), nullable=False, unique=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("joined_at", UTCDateTime, nullable=False),
    sa.Column("deleted_at", UTCDateTime, nullable=True),
    # added in schema version 10: when the member took their name (on the team link, by
    # joining there, or by first opening their personal link); until then the name can be
    # taken once on the team link, and after that never again
    sa.Column("claimed_at", UTCDateTime, nullable=True),
    sa.Index(
        "uq_members_active_name",
        "team_id",
        "name_key",
        unique=True,
        sqlite_where=sa.text("deleted_at IS NULL"),
        postgresql_where=sa.text("deleted_at IS NULL"),
    ),
)

role_assignments = sa.Table(
    "role_assignments",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=False),
    sa.Column("rotation", sa.Integer, nullable=False),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("member_id", sa.Integer, sa.ForeignKey("members.id"), nullable=False),
    sa.Column("assigned_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("team_id", "rotation", "role", name="uq_role_per_rotation"),
)

norms = sa.Table(
    "norms",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=False),
    sa.Column("category", sa.String(30), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.Column("retired_at", UTCDateTime, nullable=True),
    sa.Column("deleted_at", UTCDateTime, nullable=True),
)

activity = sa.Table(
    "activity",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=False),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("summary", sa.Text, nullable=False),
    sa.Column("member_id", sa.Integer, sa.ForeignKey("members.id"), nullable=True),
    sa.Column("link", sa.String(200), nullable=True),
)

# --- added in schema version 2 -------------------------------------------------------

meetings = sa.Table(
    "meetings",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=False),
    sa.Column("date", sa.Date, nullable=False),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("deleted_at", UTCDateTime, nullable=True),
)

agenda_items = sa.Table(
    "agenda_items",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=False),
    sa.Column("meeting_id", sa.Integer, sa.ForeignKey("meetings.id"), nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("minutes", sa.Integer, nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("deleted_at", UTCDateTime, nullable=True),
)

attendance = sa.Table(
    "attendance",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=False),
    sa.Column("meeting_id", sa.Integer, sa.ForeignKey("meetings.id"), nullable=False),
    sa.Column("member_id", sa.Integer, sa.ForeignKey("members.id"), nullable=False),
    sa.Column("present", sa.Boolean, nullable=False),
    sa.UniqueConstraint("meeting_id", "member_id", name="uq_attendance"),
)

norm_checks = sa.Table(
    "norm_checks",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=False),
    sa.Column("meeting_id", sa.Integer, sa.ForeignKey("meetings.id"), nullable=False),
    sa.Column("member_id", sa.Integer, sa.ForeignKey("members.id"), nullable=False),
    sa.Column("norm_id", sa.Integer, sa.ForeignKey("norms.id"), nullable=False),
    sa.Column("phase", sa.String(10), nullable=False),
    sa.Column("rating", sa.Integer, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("meeting_id", "member_id", "norm_id", "phase", name="uq_norm_check"),
)

# --- added in schema version 3: the live engine and protocol runs ---------------------

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

# --- added in schema version 4: evidence ----------------------------------------------

assessments = sa.Table(
    "assessments",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("given_on", sa.Date, nullable=True),
    sa.Column("file_name", sa.String(200), nullable=False),
    sa.Column("totals_only", sa.Boolean, nullable=False),
    # JSON lists: the attribute columns subgroups can use, and the import's warnings
    sa.Column("attributes", sa.Text, nullable=False),
    sa.Column("warnings", sa.Text, nullable=False),
    sa.Column("created_by", sa.Integer, sa.ForeignKey("members.id"), nullable=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("deleted_at", UTCDateTime, nullable=True),
)

assessment_items = sa.Table(
    "assessment_items",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=False),
    sa.Column("assessment_id", sa.Integer, sa.ForeignKey("assessments.id"), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("item", sa.String(200), nullable=False),
    sa.Column("standard", sa.String(200), nullable=False),
    sa.Column("max_points", sa.Float, nullable=False),
    sa.Column("answer", sa.String(200), nullable=False),
    sa.Column("options", sa.Boolean, nullable=False),
    sa.UniqueConstraint("assessment_id", "position", name="uq_assessment_item"),
)

# One row per student; their points (and chosen options) are JSON lists in the order of
# the assessment's items, which keeps a 50,000-student file to 50,000 rows.
assessment_students = sa.Table(
    "assessment_students",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=False),
    sa.Column("assessment_id", sa.Integer, sa.ForeignKey("assessments.id"), nullable=False),
    sa.Column("student_key", sa.String(200), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("teacher", sa.String(200), nullable=False),
    sa.Column("section", sa.String(200), nullable=False),
    sa.Column("attributes", sa.Text, nullable=False),
    sa.Column("points", sa.Text, nullable=False),
    sa.Column("responses", sa.Text, nullable=False),
    sa.Column("reported_total", sa.Float, nullable=True),
    sa.Column("reported_max", sa.Float, nullable=True),
    sa.UniqueConstraint("assessment_id", "student_key", name="uq_assessment_student"),
)

column_mappings = sa.Table(
    "column_mappings",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=False),
    sa.Column("signature", sa.String(64), nullable=False),
    sa.Column("mapping", sa.Text, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("team_id", "signature", name="uq_column_mapping"),
)

evidence_settings = sa.Table(
    "evidence_settings",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=False, unique=True),
    # JSON lists: band names and the cut scores between them; the question 3/4 cut points
    sa.Column("band_names", sa.Text, nullable=False),
    sa.Column("band_cuts", sa.Text, nullable=False),
    sa.Column("group_cuts", sa.Text, nullable=False),
    sa.Column("min_n", sa.Integer, nullable=False),
    sa.Column("compare_teachers", sa.Boolean, nullable=False),
    # makes the team's pseudonyms its own: the same student, the same pseudonym, every time
    sa.Column("pseudonym_salt", sa.String(32), nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)

# --- goals and the cycle of inquiry (schema version 5) -------------------------------

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

# --- reflection, pulse surveys, decisions and actions (schema version 6) -------------

# What? So what? Now what? — a member's own, read by that member alone
reflections = sa.Table(
    "reflections",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=False),
    sa.Column("meeting_id", sa.Integer, sa.ForeignKey("meetings.id"), nullable=False),
    sa.Column("member_id", sa.Integer, sa.ForeignKey("members.id"), nullable=False),
    sa.Column("what", sa.Text, nullable=False),
    sa.Column("so_what", sa.Text, nullable=False),
    sa.Column("now_what", sa.Text, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("meeting_id", "member_id", name="uq_reflection"),
)

# the team's shared synthesis, one per meeting
syntheses = sa.Table(
    "syntheses",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=False),
    sa.Column("meeting_id", sa.Integer, sa.ForeignKey("meetings.id"), nullable=False, unique=True),
    sa.Column("what", sa.Text, nullable=False),
    sa.Column("so_what", sa.Text, nullable=False),
    sa.Column("now_what", sa.Text, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)

# A pulse survey's round. Its answers are one JSON list, reshuffled at every answer, with
# no member and no time: which member answered is kept apart (survey_responders), so no
# answer can be traced back to its member, not even by the order rows were written in.
survey_rounds = sa.Table(
    "survey_rounds",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=False),
    sa.Column("meeting_id", sa.Integer, sa.ForeignKey("meetings.id"), nullable=True),
    sa.Column("instrument", sa.String(60), nullable=False),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("min_respondents", sa.Integer, nullable=False),
    sa.Column("answers", sa.Text, nullable=False),
    sa.Column("opened_by", sa.Integer, sa.ForeignKey("members.id"), nullable=True),
    sa.Column("opened_at", UTCDateTime, nullable=False),
    sa.Column("closed_at", UTCDateTime, nullable=True),
    sa.Column("deleted_at", UTCDateTime, nullable=True),
)

survey_responders = sa.Table(
    "survey_responders",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=False),
    sa.Column("round_id", sa.Integer, sa.ForeignKey("survey_rounds.id"), nullable=False),
    sa.Column("member_id", sa.Integer, sa.ForeignKey("members.id"), nullable=False),
    sa.UniqueConstraint("round_id", "member_id", name="uq_survey_responder"),
)

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

# --- coaches given teams (schema version 7) -------------------------------------------

# A coach sees the teams they created (teams.coach_id) and those given to them here.
coach_teams = sa.Table(
    "coach_teams",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("coach_id", sa.Integer, sa.ForeignKey("coaches.id"), nullable=False),
    sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=False),
    sa.Column("given_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("coach_id", "team_id", name="uq_coach_team"),
)

# --- workshops (schema version 8) -----------------------------------------------------

# A trainer's (coach's) live session for a room of participants. Not a team's rows: a
# workshop may concern one team (team_id), whose activity record then notes it.
workshops = sa.Table(
    "workshops",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("coach_id", sa.Integer, sa.ForeignKey("coaches.id"), nullable=False),
    sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=True),
    sa.Column("title", sa.String(120), nullable=False),
    sa.Column("code", sa.String(16), nullable=False, unique=True),
    sa.Column("position", sa.Integer, nullable=False),  # the prompt shown; -1 before the first
    sa.Column("results_shown", sa.Boolean, nullable=False),
    sa.Column("revision", sa.Integer, nullable=False),  # what participants' pages poll
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("ended_at", UTCDateTime, nullable=True),
)

workshop_prompts = sa.Table(
    "workshop_prompts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("workshop_id", sa.Integer, sa.ForeignKey("workshops.id"), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("kind", sa.String(12), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("options", sa.Text, nullable=False),  # a JSON list (multiple choice)
    sa.Column("deleted_at", UTCDateTime, nullable=True),
)

workshop_participants = sa.Table(
    "workshop_participants",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("workshop_id", sa.Integer, sa.ForeignKey("workshops.id"), nullable=False),
    sa.Column("name", sa.String(80), nullable=True),  # NULL: joined anonymously
    sa.Column("joined_at", UTCDateTime, nullable=False),
    sa.Column("left_at", UTCDateTime, nullable=True),
    # SHA-256 of the token the participant's page holds (the token itself is not kept)
    sa.Column("token_hash", sa.String(64), nullable=True),
    sa.Index("ix_workshop_participant_token", "token_hash", unique=True),
)

workshop_answers = sa.Table(
    "workshop_answers",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("workshop_id", sa.Integer, sa.ForeignKey("workshops.id"), nullable=False),
    sa.Column("prompt_id", sa.Integer, sa.ForeignKey("workshop_prompts.id"), nullable=False),
    sa.Column(
        "participant_id", sa.Integer, sa.ForeignKey("workshop_participants.id"), nullable=False
    ),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("answered_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("prompt_id", "participant_id", name="uq_workshop_answer"),
)

TEAM_TABLES = (
    members,
    role_assignments,
    norms,
    activity,
    meetings,
    agenda_items,
    attendance,
    norm_checks,
    live_sessions,
    live_prompts,
    live_entries,
    live_votes,
    assessments,
    assessment_items,
    assessment_students,
    column_mappings,
    evidence_settings,
    protocol_runs,
    run_steps,
    run_roles,
    cycles,
    cycle_assessments,
    goals,
    goal_versions,
    goal_checkpoints,
    wins,
    reflections,
    syntheses,
    survey_rounds,
    survey_responders,
    decisions,
    actions,
    action_history,
)
