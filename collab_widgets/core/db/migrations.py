"""Ordered schema migrations, applied in one transaction each.

Each step is frozen history: it spells out its own tables and columns instead of reading
the ``tables`` modules, so that later changes to the schema never rewrite what an old step
did. To change the schema: edit :mod:`.tables` or a domain's ``tables.py``, append a step
here, raise ``SCHEMA_VERSION``, and extend ``tests/unit/test_store_migrations.py`` with a
database file of the old version.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import sqlalchemy as sa

from collab_widgets.core.db.tables import SCHEMA_VERSION, UTCDateTime

if TYPE_CHECKING:  # imported when a step runs: alembic weighs 10 MB in every kernel
    from alembic.operations import Operations


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer, primary_key=True)


def _team() -> sa.Column:
    return sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=False)


def _meeting() -> sa.Column:
    return sa.Column("meeting_id", sa.Integer, sa.ForeignKey("meetings.id"), nullable=False)


def _assessment() -> sa.Column:
    return sa.Column("assessment_id", sa.Integer, sa.ForeignKey("assessments.id"), nullable=False)


def _when(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, UTCDateTime, nullable=nullable)


def _v1_teams_members_norms(op: Operations) -> None:
    op.create_table("schema_version", sa.Column("version", sa.Integer, nullable=False))
    op.create_table(
        "coaches",
        _id(),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("code", sa.String(16), nullable=False, unique=True),
        _when("created_at"),
    )
    op.create_table(
        "teams",
        _id(),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("code", sa.String(16), nullable=False, unique=True),
        sa.Column("coach_id", sa.Integer, sa.ForeignKey("coaches.id"), nullable=True),
        sa.Column("revision", sa.Integer, nullable=False, server_default="0"),
        sa.Column("role_rotation", sa.Integer, nullable=False, server_default="0"),
        _when("created_at"),
    )
    op.create_table(
        "members",
        _id(),
        _team(),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("name_key", sa.String(80), nullable=False),
        sa.Column("token", sa.String(16), nullable=False, unique=True),
        sa.Column("position", sa.Integer, nullable=False),
        _when("joined_at"),
        _when("deleted_at", nullable=True),
    )
    op.create_index(
        "uq_members_active_name",
        "members",
        ["team_id", "name_key"],
        unique=True,
        sqlite_where=sa.text("deleted_at IS NULL"),
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.create_table(
        "role_assignments",
        _id(),
        _team(),
        sa.Column("rotation", sa.Integer, nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("member_id", sa.Integer, sa.ForeignKey("members.id"), nullable=False),
        _when("assigned_at"),
        sa.UniqueConstraint("team_id", "rotation", "role", name="uq_role_per_rotation"),
    )
    op.create_table(
        "norms",
        _id(),
        _team(),
        sa.Column("category", sa.String(30), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        _when("created_at"),
        _when("updated_at"),
        _when("retired_at", nullable=True),
        _when("deleted_at", nullable=True),
    )
    op.create_table(
        "activity",
        _id(),
        _team(),
        _when("at"),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("member_id", sa.Integer, sa.ForeignKey("members.id"), nullable=True),
        sa.Column("link", sa.String(200), nullable=True),
    )


def _v2_meetings_and_norm_checks(op: Operations) -> None:
    op.create_table(
        "meetings",
        _id(),
        _team(),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        _when("created_at"),
        _when("deleted_at", nullable=True),
    )
    op.create_table(
        "agenda_items",
        _id(),
        _team(),
        _meeting(),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("minutes", sa.Integer, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        _when("deleted_at", nullable=True),
    )
    op.create_table(
        "attendance",
        _id(),
        _team(),
        _meeting(),
        sa.Column("member_id", sa.Integer, sa.ForeignKey("members.id"), nullable=False),
        sa.Column("present", sa.Boolean, nullable=False),
        sa.UniqueConstraint("meeting_id", "member_id", name="uq_attendance"),
    )
    op.create_table(
        "norm_checks",
        _id(),
        _team(),
        _meeting(),
        sa.Column("member_id", sa.Integer, sa.ForeignKey("members.id"), nullable=False),
        sa.Column("norm_id", sa.Integer, sa.ForeignKey("norms.id"), nullable=False),
        sa.Column("phase", sa.String(10), nullable=False),
        sa.Column("rating", sa.Integer, nullable=False),
        _when("updated_at"),
        sa.UniqueConstraint("meeting_id", "member_id", "norm_id", "phase", name="uq_norm_check"),
    )


def _v3_live_engine_and_protocol_runs(op: Operations) -> None:
    op.add_column(
        "teams",
        sa.Column("anonymous_board", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "live_sessions",
        _id(),
        _team(),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("moderator_id", sa.Integer, sa.ForeignKey("members.id"), nullable=True),
        _when("created_at"),
        _when("ended_at", nullable=True),
    )
    op.create_table(
        "live_prompts",
        _id(),
        _team(),
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
    op.create_table(
        "live_entries",
        _id(),
        _team(),
        sa.Column("prompt_id", sa.Integer, sa.ForeignKey("live_prompts.id"), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("member_id", sa.Integer, sa.ForeignKey("members.id"), nullable=True),
        sa.Column("text", sa.Text, nullable=True),
        sa.Column("value", sa.Integer, nullable=True),
        sa.Column("group_name", sa.String(80), nullable=True),
        _when("created_at"),
        _when("updated_at"),
        _when("deleted_at", nullable=True),
    )
    op.create_index(
        "uq_live_check_per_member",
        "live_entries",
        ["prompt_id", "member_id"],
        unique=True,
        sqlite_where=sa.text("kind = 'check'"),
        postgresql_where=sa.text("kind = 'check'"),
    )
    op.create_table(
        "live_votes",
        _id(),
        _team(),
        sa.Column("prompt_id", sa.Integer, sa.ForeignKey("live_prompts.id"), nullable=False),
        sa.Column("entry_id", sa.Integer, sa.ForeignKey("live_entries.id"), nullable=False),
        sa.Column("member_id", sa.Integer, sa.ForeignKey("members.id"), nullable=False),
        sa.Column("dots", sa.Integer, nullable=False),
        sa.UniqueConstraint("prompt_id", "entry_id", "member_id", name="uq_live_vote"),
    )
    op.create_table(
        "protocol_runs",
        _id(),
        _team(),
        _meeting(),
        sa.Column("session_id", sa.Integer, sa.ForeignKey("live_sessions.id"), nullable=False),
        sa.Column("protocol_key", sa.String(60), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        _when("started_at"),
        _when("step_started_at"),
        _when("paused_at", nullable=True),
        sa.Column("paused_seconds", sa.Float, nullable=False),
        sa.Column("extra_seconds", sa.Integer, nullable=False),
        sa.Column("turn", sa.Integer, nullable=False),
        _when("ended_at", nullable=True),
    )
    op.create_table(
        "run_steps",
        _id(),
        _team(),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("protocol_runs.id"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("key", sa.String(60), nullable=False),
        sa.Column("minutes", sa.Integer, nullable=False),
        sa.Column("prompt_id", sa.Integer, sa.ForeignKey("live_prompts.id"), nullable=False),
        sa.Column("speakers", sa.String(200), nullable=False),
        sa.Column("silent", sa.String(200), nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
        _when("notes_updated_at", nullable=True),
        sa.UniqueConstraint("run_id", "position", name="uq_run_step"),
    )
    op.create_table(
        "run_roles",
        _id(),
        _team(),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("protocol_runs.id"), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("member_id", sa.Integer, sa.ForeignKey("members.id"), nullable=False),
        sa.UniqueConstraint("run_id", "role", name="uq_run_role"),
    )


def _v4_evidence(op: Operations) -> None:
    op.create_table(
        "assessments",
        _id(),
        _team(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("given_on", sa.Date, nullable=True),
        sa.Column("file_name", sa.String(200), nullable=False),
        sa.Column("totals_only", sa.Boolean, nullable=False),
        sa.Column("attributes", sa.Text, nullable=False),
        sa.Column("warnings", sa.Text, nullable=False),
        sa.Column("created_by", sa.Integer, sa.ForeignKey("members.id"), nullable=True),
        _when("created_at"),
        _when("deleted_at", nullable=True),
    )
    op.create_table(
        "assessment_items",
        _id(),
        _team(),
        _assessment(),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("item", sa.String(200), nullable=False),
        sa.Column("standard", sa.String(200), nullable=False),
        sa.Column("max_points", sa.Float, nullable=False),
        sa.Column("answer", sa.String(200), nullable=False),
        sa.Column("options", sa.Boolean, nullable=False),
        sa.UniqueConstraint("assessment_id", "position", name="uq_assessment_item"),
    )
    op.create_table(
        "assessment_students",
        _id(),
        _team(),
        _assessment(),
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
    op.create_table(
        "column_mappings",
        _id(),
        _team(),
        sa.Column("signature", sa.String(64), nullable=False),
        sa.Column("mapping", sa.Text, nullable=False),
        _when("updated_at"),
        sa.UniqueConstraint("team_id", "signature", name="uq_column_mapping"),
    )
    op.create_table(
        "evidence_settings",
        _id(),
        sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=False, unique=True),
        sa.Column("band_names", sa.Text, nullable=False),
        sa.Column("band_cuts", sa.Text, nullable=False),
        sa.Column("group_cuts", sa.Text, nullable=False),
        sa.Column("min_n", sa.Integer, nullable=False),
        sa.Column("compare_teachers", sa.Boolean, nullable=False),
        sa.Column("pseudonym_salt", sa.String(32), nullable=False),
        _when("updated_at"),
    )
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds a column with its foreign key in place (batch mode would copy the
        # table, which the steps and roles pointing at it forbid)
        op.execute(
            "ALTER TABLE protocol_runs ADD COLUMN assessment_id INTEGER "
            "CONSTRAINT fk_protocol_runs_assessment REFERENCES assessments (id)"
        )
    else:
        op.add_column("protocol_runs", sa.Column("assessment_id", sa.Integer, nullable=True))
        op.create_foreign_key(
            "fk_protocol_runs_assessment",
            "protocol_runs",
            "assessments",
            ["assessment_id"],
            ["id"],
        )


def _v5_goals_and_cycles(op: Operations) -> None:
    op.create_table(
        "cycles",
        _id(),
        _team(),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("starts_on", sa.Date, nullable=False),
        sa.Column("ends_on", sa.Date, nullable=False),
        sa.Column("stage", sa.String(20), nullable=False),
        sa.Column("must_learn", sa.Text, nullable=False),
        sa.Column("how_know", sa.Text, nullable=False),
        sa.Column("respond", sa.Text, nullable=False),
        sa.Column("extend", sa.Text, nullable=False),
        _when("created_at"),
        _when("deleted_at", nullable=True),
    )
    op.create_table(
        "cycle_assessments",
        _id(),
        _team(),
        sa.Column("cycle_id", sa.Integer, sa.ForeignKey("cycles.id"), nullable=False),
        _assessment(),
        sa.UniqueConstraint("cycle_id", "assessment_id", name="uq_cycle_assessment"),
    )
    op.create_table(
        "goals",
        _id(),
        _team(),
        sa.Column("cycle_id", sa.Integer, sa.ForeignKey("cycles.id"), nullable=False),
        sa.Column("draft", sa.Text, nullable=False),
        sa.Column("met_posted", sa.Boolean, nullable=False),
        _when("created_at"),
        _when("deleted_at", nullable=True),
    )
    op.create_table(
        "goal_versions",
        _id(),
        _team(),
        sa.Column("goal_id", sa.Integer, sa.ForeignKey("goals.id"), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("fields", sa.Text, nullable=False),
        sa.Column("statement", sa.Text, nullable=False),
        sa.Column("saved_by", sa.Integer, sa.ForeignKey("members.id"), nullable=True),
        _when("saved_at"),
        sa.UniqueConstraint("goal_id", "version", name="uq_goal_version"),
    )
    op.create_table(
        "goal_checkpoints",
        _id(),
        _team(),
        sa.Column("goal_id", sa.Integer, sa.ForeignKey("goals.id"), nullable=False),
        sa.Column("taken_on", sa.Date, nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("assessment_id", sa.Integer, sa.ForeignKey("assessments.id"), nullable=True),
        sa.Column("created_by", sa.Integer, sa.ForeignKey("members.id"), nullable=True),
        _when("created_at"),
        _when("deleted_at", nullable=True),
    )
    op.create_table(
        "wins",
        _id(),
        _team(),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("goal_id", sa.Integer, sa.ForeignKey("goals.id"), nullable=True),
        sa.Column("member_id", sa.Integer, sa.ForeignKey("members.id"), nullable=True),
        _when("posted_at"),
        _when("deleted_at", nullable=True),
    )


def _v6_reflection_surveys_decisions_actions(op: Operations) -> None:
    def member(name: str, nullable: bool = True) -> sa.Column:
        return sa.Column(name, sa.Integer, sa.ForeignKey("members.id"), nullable=nullable)

    def meeting_or_none() -> sa.Column:
        return sa.Column("meeting_id", sa.Integer, sa.ForeignKey("meetings.id"), nullable=True)

    parts = [sa.Column(p, sa.Text, nullable=False) for p in ("what", "so_what", "now_what")]
    op.create_table(
        "reflections",
        _id(),
        _team(),
        _meeting(),
        member("member_id", nullable=False),
        *parts,
        _when("updated_at"),
        sa.UniqueConstraint("meeting_id", "member_id", name="uq_reflection"),
    )
    op.create_table(
        "syntheses",
        _id(),
        _team(),
        sa.Column(
            "meeting_id", sa.Integer, sa.ForeignKey("meetings.id"), nullable=False, unique=True
        ),
        *[sa.Column(p, sa.Text, nullable=False) for p in ("what", "so_what", "now_what")],
        _when("updated_at"),
    )
    op.create_table(
        "survey_rounds",
        _id(),
        _team(),
        meeting_or_none(),
        sa.Column("instrument", sa.String(60), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("min_respondents", sa.Integer, nullable=False),
        sa.Column("answers", sa.Text, nullable=False),
        member("opened_by"),
        _when("opened_at"),
        _when("closed_at", nullable=True),
        _when("deleted_at", nullable=True),
    )
    op.create_table(
        "survey_responders",
        _id(),
        _team(),
        sa.Column("round_id", sa.Integer, sa.ForeignKey("survey_rounds.id"), nullable=False),
        member("member_id", nullable=False),
        sa.UniqueConstraint("round_id", "member_id", name="uq_survey_responder"),
    )
    op.create_table(
        "decisions",
        _id(),
        _team(),
        meeting_or_none(),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("method", sa.String(40), nullable=False),
        sa.Column("result", sa.Text, nullable=False),
        sa.Column("present", sa.Text, nullable=False),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("protocol_runs.id"), nullable=True),
        member("decided_by"),
        _when("decided_at"),
        _when("deleted_at", nullable=True),
    )
    op.create_table(
        "actions",
        _id(),
        _team(),
        meeting_or_none(),
        sa.Column("text", sa.Text, nullable=False),
        member("owner_id"),
        sa.Column("due_on", sa.Date, nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("prompted_by", sa.Text, nullable=False),
        sa.Column("decision_id", sa.Integer, sa.ForeignKey("decisions.id"), nullable=True),
        member("created_by"),
        _when("created_at"),
        _when("deleted_at", nullable=True),
    )
    op.create_table(
        "action_history",
        _id(),
        _team(),
        sa.Column("action_id", sa.Integer, sa.ForeignKey("actions.id"), nullable=False),
        member("member_id"),
        _when("at"),
        sa.Column("change", sa.Text, nullable=False),
    )


def _v7_coaches_given_teams(op: Operations) -> None:
    op.create_table(
        "coach_teams",
        _id(),
        sa.Column("coach_id", sa.Integer, sa.ForeignKey("coaches.id"), nullable=False),
        sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=False),
        _when("given_at"),
        sa.UniqueConstraint("coach_id", "team_id", name="uq_coach_team"),
    )


def _v8_workshops(op: Operations) -> None:
    def workshop() -> sa.Column:
        return sa.Column("workshop_id", sa.Integer, sa.ForeignKey("workshops.id"), nullable=False)

    op.create_table(
        "workshops",
        _id(),
        sa.Column("coach_id", sa.Integer, sa.ForeignKey("coaches.id"), nullable=False),
        sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=True),
        sa.Column("title", sa.String(120), nullable=False),
        sa.Column("code", sa.String(16), nullable=False, unique=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("results_shown", sa.Boolean, nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        _when("created_at"),
        _when("ended_at", nullable=True),
    )
    op.create_table(
        "workshop_prompts",
        _id(),
        workshop(),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("options", sa.Text, nullable=False),
        _when("deleted_at", nullable=True),
    )
    op.create_table(
        "workshop_participants",
        _id(),
        workshop(),
        sa.Column("name", sa.String(80), nullable=True),
        _when("joined_at"),
        _when("left_at", nullable=True),
    )
    op.create_table(
        "workshop_answers",
        _id(),
        workshop(),
        sa.Column("prompt_id", sa.Integer, sa.ForeignKey("workshop_prompts.id"), nullable=False),
        sa.Column(
            "participant_id",
            sa.Integer,
            sa.ForeignKey("workshop_participants.id"),
            nullable=False,
        ),
        sa.Column("value", sa.Text, nullable=False),
        _when("answered_at"),
        sa.UniqueConstraint("prompt_id", "participant_id", name="uq_workshop_answer"),
    )


def _v9_participant_tokens(op: Operations) -> None:
    # participants joined before this version were on kernel pages and hold no token
    with op.batch_alter_table("workshop_participants") as table:
        table.add_column(sa.Column("token_hash", sa.String(64), nullable=True))
        table.create_index("ix_workshop_participant_token", ["token_hash"], unique=True)


def _v10_claimed_names(op: Operations) -> None:
    with op.batch_alter_table("members") as table:
        table.add_column(sa.Column("claimed_at", UTCDateTime, nullable=True))
    # Names already on a roster count as taken: left claimable, anyone holding the team
    # link could take them. Their owners keep their personal links; someone who used to
    # pick their name gets their link from the coach.
    op.execute("UPDATE members SET claimed_at = joined_at")


def _v11_wrong_codes(op: Operations) -> None:
    # counted in the database so that several server processes share the limits; before,
    # each server counted in its own memory, so there is nothing to carry over
    op.create_table(
        "wrong_codes",
        _id(),
        sa.Column("page", sa.String(40), nullable=False),
        sa.Column("network", sa.String(64), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        _when("tried_at"),
    )
    op.create_index("ix_wrong_codes_network", "wrong_codes", ["page", "network", "tried_at"])
    op.create_index("ix_wrong_codes_code", "wrong_codes", ["page", "code_hash", "tried_at"])


def _v12_no_student_named_in_saved_warnings(op: Operations) -> None:
    # An assessment's warning about students left out for having no score listed their ids,
    # and every member (and every notebook) saw it; the count stays, the ids go.
    left_out = re.compile(r"(are|is) left out: .*$")
    conn = op.get_bind()
    saved = conn.execute(sa.text("SELECT id, warnings FROM assessments")).all()
    for assessment, text in saved:
        warnings = json.loads(text)
        kept = [left_out.sub(r"\1 left out.", warning) for warning in warnings]
        if kept != warnings:
            conn.execute(
                sa.text("UPDATE assessments SET warnings = :kept WHERE id = :id"),
                {
                    "kept": json.dumps(kept, ensure_ascii=False, separators=(",", ":")),
                    "id": assessment,
                },
            )


def _member(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.Integer, sa.ForeignKey("members.id"), nullable=nullable)


def _v13_classroom_practice(op: Operations) -> None:
    op.create_table(
        "co_plans",
        _id(),
        _team(),
        sa.Column("cycle_id", sa.Integer, sa.ForeignKey("cycles.id"), nullable=True),
        sa.Column("title", sa.String(120), nullable=False),
        sa.Column("standard", sa.String(200), nullable=False),
        sa.Column("target", sa.Text, nullable=False),
        sa.Column("criteria", sa.Text, nullable=False),
        sa.Column("groups", sa.Text, nullable=False),
        sa.Column("materials", sa.Text, nullable=False),
        _when("created_at"),
        _when("deleted_at", nullable=True),
    )
    op.create_table(
        "co_plan_segments",
        _id(),
        _team(),
        sa.Column("plan_id", sa.Integer, sa.ForeignKey("co_plans.id"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("task", sa.Text, nullable=False),
        sa.Column("minutes", sa.Integer, nullable=False),
        sa.Column("approach", sa.String(60), nullable=True),
        _when("deleted_at", nullable=True),
    )
    op.create_table(
        "co_plan_versions",
        _id(),
        _team(),
        sa.Column("plan_id", sa.Integer, sa.ForeignKey("co_plans.id"), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("label", sa.String(120), nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        _when("saved_at"),
        _member("saved_by"),
        sa.UniqueConstraint("plan_id", "number", name="uq_co_plan_version"),
    )
    op.create_table(
        "lesson_studies",
        _id(),
        _team(),
        sa.Column("cycle_id", sa.Integer, sa.ForeignKey("cycles.id"), nullable=True),
        sa.Column("title", sa.String(120), nullable=False),
        sa.Column("stage", sa.String(20), nullable=False),
        sa.Column("theme", sa.Text, nullable=False),
        sa.Column("study_notes", sa.Text, nullable=False),
        sa.Column("plan_id", sa.Integer, sa.ForeignKey("co_plans.id"), nullable=True),
        sa.Column("assessment_id", sa.Integer, sa.ForeignKey("assessments.id"), nullable=True),
        sa.Column("case_students", sa.Text, nullable=False),
        _member("teacher_id"),
        sa.Column("teaching", sa.Integer, nullable=False),
        _when("lesson_started_at", nullable=True),
        _when("lesson_ended_at", nullable=True),
        sa.Column("debrief_run_id", sa.Integer, sa.ForeignKey("protocol_runs.id"), nullable=True),
        sa.Column("report", sa.Text, nullable=False),
        _when("created_at"),
    )
    op.create_table(
        "observation_notes",
        _id(),
        _team(),
        sa.Column("study_id", sa.Integer, sa.ForeignKey("lesson_studies.id"), nullable=False),
        sa.Column("teaching", sa.Integer, nullable=False),
        _member("member_id"),
        _when("at"),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("case_student", sa.String(80), nullable=True),
        sa.Column("criterion", sa.String(200), nullable=True),
        sa.Column("segment", sa.String(200), nullable=True),
        sa.Column("after_lesson", sa.Boolean, nullable=False),
        _when("deleted_at", nullable=True),
    )
    op.create_index("ix_observation_notes_study", "observation_notes", ["study_id"])
    op.create_table(
        "observation_photos",
        _id(),
        _team(),
        sa.Column("note_id", sa.Integer, sa.ForeignKey("observation_notes.id"), nullable=False),
        sa.Column("media_type", sa.String(40), nullable=False),
        sa.Column("width", sa.Integer, nullable=False),
        sa.Column("height", sa.Integer, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        _when("created_at"),
    )
    op.create_table(
        "peer_observations",
        _id(),
        _team(),
        _member("observed_id", nullable=False),
        _member("observer_id", nullable=False),
        sa.Column("template", sa.String(60), nullable=True),
        sa.Column("focus", sa.Text, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("glows", sa.Text, nullable=False),
        sa.Column("grows", sa.Text, nullable=False),
        sa.Column("wonderings", sa.Text, nullable=False),
        sa.Column("takeaway", sa.Text, nullable=False),
        _when("lesson_started_at", nullable=True),
        _when("lesson_ended_at", nullable=True),
        _when("created_at"),
        _when("deleted_at", nullable=True),
    )
    op.create_table(
        "peer_notes",
        _id(),
        _team(),
        sa.Column("peer_id", sa.Integer, sa.ForeignKey("peer_observations.id"), nullable=False),
        _when("at"),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("segment", sa.String(200), nullable=True),
        sa.Column("after_lesson", sa.Boolean, nullable=False),
        sa.Column("shared", sa.Boolean, nullable=False),
        _when("deleted_at", nullable=True),
    )


def _v14_students(op: Operations) -> None:
    op.create_table(
        "classes",
        _id(),
        _team(),
        _member("owner_id", nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("code", sa.String(16), nullable=False, unique=True),
        sa.Column("survey_open", sa.Boolean, nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("retain_until", sa.Date, nullable=False),
        _when("created_at"),
    )
    op.create_table(
        "class_students",
        _id(),
        _team(),
        sa.Column("class_id", sa.Integer, sa.ForeignKey("classes.id"), nullable=False),
        sa.Column("key", sa.String(120), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("display_name", sa.String(80), nullable=False),
        sa.Column("attributes", sa.Text, nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=True),
        _when("added_at"),
        sa.UniqueConstraint("class_id", "key", name="uq_class_student"),
    )
    op.create_index("ix_class_student_code", "class_students", ["code_hash"], unique=True)
    op.create_table(
        "class_mappings",
        _id(),
        _team(),
        sa.Column("signature", sa.String(64), nullable=False),
        sa.Column("mapping", sa.Text, nullable=False),
        _when("saved_at"),
        sa.UniqueConstraint("team_id", "signature", name="uq_class_mapping"),
    )
    op.create_table(
        "groupings",
        _id(),
        _team(),
        sa.Column("class_id", sa.Integer, sa.ForeignKey("classes.id"), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("settings", sa.Text, nullable=False),
        sa.Column("score", sa.Float, nullable=True),
        _when("made_at"),
        _member("made_by"),
    )
    op.create_table(
        "grouping_members",
        _id(),
        _team(),
        sa.Column("grouping_id", sa.Integer, sa.ForeignKey("groupings.id"), nullable=False),
        _class_student("student_id"),
        sa.Column("group_number", sa.Integer, nullable=False),
        sa.Column("role", sa.String(10), nullable=True),
        sa.UniqueConstraint("grouping_id", "student_id", name="uq_grouping_member"),
    )
    op.create_table(
        "student_survey_answers",
        _id(),
        _team(),
        sa.Column("class_id", sa.Integer, sa.ForeignKey("classes.id"), nullable=False),
        _class_student("student_id"),
        sa.Column("answers", sa.Text, nullable=False),
        _when("answered_at"),
        sa.UniqueConstraint("class_id", "student_id", name="uq_student_survey_answer"),
    )
    op.create_table(
        "evaluations",
        _id(),
        _team(),
        sa.Column("class_id", sa.Integer, sa.ForeignKey("classes.id"), nullable=False),
        sa.Column("grouping_id", sa.Integer, sa.ForeignKey("groupings.id"), nullable=False),
        sa.Column("title", sa.String(120), nullable=False),
        sa.Column("dimensions", sa.Text, nullable=False),
        _when("opened_at"),
        _when("closed_at", nullable=True),
        _when("released_at", nullable=True),
        _when("first_released_at", nullable=True),
        _when("withdrawn_at", nullable=True),
    )
    op.create_table(
        "evaluation_ratings",
        _id(),
        _team(),
        _evaluation(),
        _class_student("rater_id"),
        _class_student("ratee_id"),
        sa.Column("dimension", sa.String(60), nullable=False),
        sa.Column("level", sa.Integer, nullable=False),
        _when("rated_at"),
        sa.UniqueConstraint(
            "evaluation_id", "rater_id", "ratee_id", "dimension", name="uq_evaluation_rating"
        ),
    )
    op.create_table(
        "evaluation_comments",
        _id(),
        _team(),
        _evaluation(),
        _class_student("rater_id"),
        _class_student("ratee_id"),
        sa.Column("text", sa.Text, nullable=False),
        _when("written_at"),
        sa.UniqueConstraint("evaluation_id", "rater_id", "ratee_id", name="uq_evaluation_comment"),
    )


def _evaluation() -> sa.Column:
    return sa.Column("evaluation_id", sa.Integer, sa.ForeignKey("evaluations.id"), nullable=False)


def _class_student(name: str) -> sa.Column:
    return sa.Column(name, sa.Integer, sa.ForeignKey("class_students.id"), nullable=False)


def _cascade(name: str, target: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.Integer, sa.ForeignKey(target, ondelete="CASCADE"), nullable=nullable)


def _v15_families(op: Operations) -> None:
    op.create_table(
        "families",
        _id(),
        _team(),
        _cascade("class_id", "classes.id"),
        _cascade("student_id", "class_students.id"),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("contact", sa.Text, nullable=False),
        _when("created_at"),
        sa.UniqueConstraint("student_id", name="uq_family_student"),
    )
    op.create_table(
        "family_guardians",
        _id(),
        _team(),
        _cascade("family_id", "families.id"),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=True),
        _when("code_issued_at", nullable=True),
        sa.Column("blocked", sa.Boolean, nullable=False),
        _when("created_at"),
    )
    op.create_index("ix_family_guardian_code", "family_guardians", ["code_hash"], unique=True)
    op.create_table(
        "family_meetings",
        _id(),
        _team(),
        _cascade("class_id", "classes.id"),
        sa.Column("title", sa.String(120), nullable=False),
        sa.Column("held_on", sa.Date, nullable=False),
        sa.Column("starts_at", sa.String(5), nullable=False),
        sa.Column("skill", sa.String(200), nullable=False),
        sa.Column("assessment_id", sa.Integer, nullable=True),
        sa.Column("assessment_name", sa.String(200), nullable=False),
        sa.Column("bins", sa.Text, nullable=False),
        sa.Column("agenda", sa.Text, nullable=False),
        sa.Column("activities", sa.Text, nullable=False),
        sa.Column("involvement", sa.Text, nullable=False),
        _when("created_at"),
    )
    op.create_table(
        "family_results",
        _id(),
        _team(),
        _cascade("meeting_id", "family_meetings.id"),
        _cascade("student_id", "class_students.id"),
        sa.Column("percent", sa.Float, nullable=True),
        sa.UniqueConstraint("meeting_id", "student_id", name="uq_family_result"),
    )
    op.create_table(
        "family_attendance",
        _id(),
        _team(),
        _cascade("meeting_id", "family_meetings.id"),
        _cascade("family_id", "families.id"),
        _when("marked_at"),
        sa.UniqueConstraint("meeting_id", "family_id", name="uq_family_attendance"),
    )
    op.create_table(
        "family_goals",
        _id(),
        _team(),
        _cascade("family_id", "families.id"),
        _cascade("meeting_id", "family_meetings.id"),
        sa.Column("practice", sa.Text, nullable=False),
        sa.Column("times_per_week", sa.Integer, nullable=False),
        sa.Column("target", sa.Float, nullable=False),
        sa.Column("by_date", sa.Date, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        _when("written_at"),
        sa.UniqueConstraint("family_id", "meeting_id", name="uq_family_goal"),
    )
    op.create_table(
        "conference_slots",
        _id(),
        _team(),
        _cascade("class_id", "classes.id"),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("starts_at", sa.String(5), nullable=False),
        sa.Column("minutes", sa.Integer, nullable=False),
        sa.Column(
            "family_id",
            sa.Integer,
            sa.ForeignKey("families.id", ondelete="SET NULL"),
            nullable=True,
        ),
        _when("booked_at", nullable=True),
        sa.Column("notes", sa.Text, nullable=False),
        sa.UniqueConstraint("class_id", "day", "starts_at", name="uq_conference_slot"),
    )
    op.create_table(
        "conference_agreements",
        _id(),
        _team(),
        _cascade("slot_id", "conference_slots.id"),
        _cascade("family_id", "families.id"),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("owner", sa.String(10), nullable=False),
        _when("done_at", nullable=True),
        _when("made_at"),
    )
    op.create_table(
        "family_workshops",
        _id(),
        _team(),
        _cascade("class_id", "classes.id"),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("held_on", sa.Date, nullable=False),
        sa.Column("starts_at", sa.String(5), nullable=False),
        sa.Column("place", sa.String(200), nullable=False),
        sa.Column("involvement", sa.String(40), nullable=False),
        _when("created_at"),
    )
    op.create_table(
        "workshop_signups",
        _id(),
        _team(),
        _cascade("workshop_id", "family_workshops.id"),
        _cascade("family_id", "families.id"),
        _when("signed_up_at", nullable=True),
        sa.Column("attended", sa.Boolean, nullable=False),
        sa.UniqueConstraint("workshop_id", "family_id", name="uq_workshop_signup"),
    )
    op.create_table(
        "feedback_rounds",
        _id(),
        _team(),
        _cascade("class_id", "classes.id"),
        sa.Column("title", sa.String(120), nullable=False),
        sa.Column("questions", sa.Text, nullable=False),
        sa.Column("opened_on", sa.Date, nullable=False),
        _when("closed_at", nullable=True),
    )
    op.create_table(
        "feedback_counts",
        _id(),
        _team(),
        _cascade("round_id", "feedback_rounds.id"),
        sa.Column("question", sa.String(60), nullable=False),
        sa.Column("level", sa.Integer, nullable=False),
        sa.Column("families", sa.Integer, nullable=False),
        sa.UniqueConstraint("round_id", "question", "level", name="uq_feedback_count"),
    )
    op.create_table(
        "feedback_receipts",
        _id(),
        _team(),
        _cascade("round_id", "feedback_rounds.id"),
        _cascade("family_id", "families.id"),
        sa.UniqueConstraint("round_id", "family_id", name="uq_feedback_receipt"),
    )


def _school() -> sa.Column:
    return sa.Column("school_id", sa.Integer, sa.ForeignKey("schools.id"), nullable=False)


def _v16_schools_and_community(op: Operations) -> None:
    # a school is a scope of its own: its teams (and their classes) and coaches belong to
    # it, and so do its partnerships and its plan
    op.create_table(
        "schools",
        _id(),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False, server_default="0"),
        _when("created_at"),
    )
    op.create_table(
        "school_people",
        _id(),
        _school(),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False, unique=True),
        _when("created_at"),
    )
    op.create_table(
        "school_activity",
        _id(),
        _school(),
        _when("at"),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("school_people.id"), nullable=True),
    )
    op.create_table(
        "partners",
        _id(),
        _school(),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("name_key", sa.String(120), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("offers", sa.Text, nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
        _when("created_at"),
        sa.UniqueConstraint("school_id", "name_key", name="uq_partner_name"),
    )
    op.create_table(
        "partner_contacts",
        _id(),
        _school(),
        _cascade("partner_id", "partners.id"),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("role", sa.String(120), nullable=False),
        sa.Column("reach", sa.String(200), nullable=False),
        _when("created_at"),
    )
    op.create_table(
        "partner_agreements",
        _id(),
        _school(),
        _cascade("partner_id", "partners.id"),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("starts_on", sa.Date, nullable=False),
        sa.Column("ends_on", sa.Date, nullable=False),
        _when("created_at"),
    )
    op.create_table(
        "community_activities",
        _id(),
        _school(),
        sa.Column(
            "partner_id",
            sa.Integer,
            sa.ForeignKey("partners.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("held_on", sa.Date, nullable=False),
        sa.Column("involvement", sa.String(40), nullable=False),
        sa.Column("participants", sa.Integer, nullable=False),
        _when("created_at"),
    )
    op.create_table(
        "mentoring_programmes",
        _id(),
        _school(),
        sa.Column(
            "partner_id",
            sa.Integer,
            sa.ForeignKey("partners.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("starts_on", sa.Date, nullable=False),
        sa.Column("ends_on", sa.Date, nullable=False),
        sa.Column("minutes_a_week", sa.Integer, nullable=False),
        sa.Column("weights", sa.Text, nullable=False),
        _when("created_at"),
    )
    op.create_table(
        "mentors",
        _id(),
        _school(),
        _cascade("programme_id", "mentoring_programmes.id"),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("interests", sa.Text, nullable=False),
        sa.Column("times", sa.Text, nullable=False),
        sa.Column("languages", sa.Text, nullable=False),
        sa.Column("cleared_on", sa.Date, nullable=True),
        sa.Column("clearance_expires_on", sa.Date, nullable=True),
        sa.Column("cleared_by", sa.String(120), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=True, unique=True),
        _when("created_at"),
    )
    op.create_table(
        "mentees",
        _id(),
        _school(),
        _cascade("programme_id", "mentoring_programmes.id"),
        _cascade("class_id", "classes.id"),
        _cascade("student_id", "class_students.id"),
        sa.Column("interests", sa.Text, nullable=False),
        sa.Column("times", sa.Text, nullable=False),
        sa.Column("languages", sa.Text, nullable=False),
        _when("created_at"),
        sa.UniqueConstraint("programme_id", "student_id", name="uq_mentee_student"),
    )
    op.create_table(
        "mentor_matches",
        _id(),
        _school(),
        _cascade("programme_id", "mentoring_programmes.id"),
        _cascade("mentor_id", "mentors.id"),
        _cascade("mentee_id", "mentees.id"),
        sa.Column("started_on", sa.Date, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("closed_on", sa.Date, nullable=True),
        sa.Column("closing_note", sa.Text, nullable=False),
        _when("created_at"),
    )
    op.create_table(
        "mentor_logs",
        _id(),
        _school(),
        _cascade("match_id", "mentor_matches.id"),
        sa.Column("met_on", sa.Date, nullable=False),
        sa.Column("minutes", sa.Integer, nullable=False),
        sa.Column("activity", sa.String(200), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("check_in", sa.Integer, nullable=False),
        _when("created_at"),
    )
    op.create_table(
        "service_projects",
        _id(),
        _school(),
        sa.Column(
            "partner_id",
            sa.Integer,
            sa.ForeignKey("partners.id", ondelete="SET NULL"),
            nullable=True,
        ),
        _cascade("class_id", "classes.id"),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("standards", sa.Text, nullable=False),
        sa.Column("starts_on", sa.Date, nullable=False),
        sa.Column("ends_on", sa.Date, nullable=False),
        sa.Column("outcomes", sa.Text, nullable=False),
        sa.Column("quality", sa.Text, nullable=False),
        _when("created_at"),
    )
    op.create_table(
        "project_teams",
        _id(),
        _school(),
        _cascade("project_id", "service_projects.id"),
        sa.Column(
            "grouping_id",
            sa.Integer,
            sa.ForeignKey("groupings.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("group_number", sa.Integer, nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("students", sa.Integer, nullable=False),
        _when("created_at"),
        sa.UniqueConstraint("project_id", "grouping_id", "group_number", name="uq_project_team"),
    )
    op.create_table(
        "service_hours",
        _id(),
        _school(),
        _cascade("project_team_id", "project_teams.id"),
        sa.Column("served_on", sa.Date, nullable=False),
        sa.Column("hours", sa.Float, nullable=False),
        sa.Column("what", sa.String(200), nullable=False),
        _when("created_at"),
    )
    op.create_table(
        "project_milestones",
        _id(),
        _school(),
        _cascade("project_id", "service_projects.id"),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("due_on", sa.Date, nullable=False),
        sa.Column("done_on", sa.Date, nullable=True),
        _when("created_at"),
    )
    op.create_table(
        "service_reflections",
        _id(),
        _school(),
        _cascade("project_team_id", "project_teams.id"),
        sa.Column("what", sa.Text, nullable=False),
        sa.Column("so_what", sa.Text, nullable=False),
        sa.Column("now_what", sa.Text, nullable=False),
        _when("created_at"),
    )
    op.create_table(
        "career_events",
        _id(),
        _school(),
        sa.Column(
            "partner_id",
            sa.Integer,
            sa.ForeignKey("partners.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("held_on", sa.Date, nullable=False),
        _when("created_at"),
    )
    op.create_table(
        "career_placements",
        _id(),
        _school(),
        _cascade("event_id", "career_events.id"),
        _cascade("class_id", "classes.id"),
        _cascade("student_id", "class_students.id"),
        sa.Column("hours", sa.Float, nullable=False),
        sa.Column("reflection", sa.Text, nullable=False),
        _when("created_at"),
        sa.UniqueConstraint("event_id", "student_id", name="uq_career_placement"),
    )
    op.create_table(
        "partnership_plans",
        _id(),
        _school(),
        sa.Column("title", sa.String(120), nullable=False),
        sa.Column("starts_on", sa.Date, nullable=False),
        sa.Column("ends_on", sa.Date, nullable=False),
        sa.Column("evaluation", sa.Text, nullable=False),
        _when("created_at"),
        sa.UniqueConstraint("school_id", "title", name="uq_plan_title"),
    )
    op.create_table(
        "plan_goals",
        _id(),
        _school(),
        _cascade("plan_id", "partnership_plans.id"),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column(
            "team_goal_id",
            sa.Integer,
            sa.ForeignKey("goals.id", ondelete="SET NULL"),
            nullable=True,
        ),
        _when("created_at"),
    )
    op.create_table(
        "plan_activities",
        _id(),
        _school(),
        _cascade("goal_id", "plan_goals.id"),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("involvement", sa.String(40), nullable=False),
        sa.Column("planned_on", sa.Date, nullable=False),
        sa.Column("responsible", sa.String(120), nullable=False),
        sa.Column("expected", sa.Integer, nullable=False),
        sa.Column("happened", sa.Boolean, nullable=True),
        sa.Column("participants", sa.Integer, nullable=True),
        _when("created_at"),
    )
    # added in place: rebuilding teams (as a batch does on SQLite) is refused while rows
    # point at it, and SQLite adds a column's reference only inside its ADD COLUMN
    for table in ("teams", "coaches"):
        if op.get_bind().dialect.name == "sqlite":
            op.execute(f"ALTER TABLE {table} ADD COLUMN school_id INTEGER REFERENCES schools (id)")
        else:
            op.add_column(
                table,
                sa.Column("school_id", sa.Integer, sa.ForeignKey("schools.id"), nullable=True),
            )
    # the teams and coaches already here were one school's: they become "Our school", whose
    # name its coordinator can change
    conn = op.get_bind()
    if conn.execute(sa.text("SELECT 1 FROM teams UNION SELECT 1 FROM coaches")).first():
        conn.execute(
            sa.text("INSERT INTO schools (name, revision, created_at) VALUES (:n, 0, :at)"),
            {"n": "Our school", "at": dt.datetime.now(dt.UTC).replace(tzinfo=None)},
        )
        school = conn.execute(sa.text("SELECT max(id) FROM schools")).scalar()
        for table in ("teams", "coaches"):
            conn.execute(sa.text(f"UPDATE {table} SET school_id = :s"), {"s": school})


def _v17_hub_sign_in(op: Operations) -> None:
    op.create_table(
        "hub_links",
        _id(),
        sa.Column("hub_user", sa.String(255), nullable=False, index=True),
        sa.Column(
            "coach_id",
            sa.Integer,
            sa.ForeignKey("coaches.id", ondelete="CASCADE"),
            nullable=True,
            unique=True,
        ),
        sa.Column(
            "member_id",
            sa.Integer,
            sa.ForeignKey("members.id", ondelete="CASCADE"),
            nullable=True,
            unique=True,
        ),
        sa.Column("how", sa.String(40), nullable=False),
        _when("linked_at"),
        _when("signed_in_at", nullable=True),
    )
    op.create_table(
        "hub_sessions",
        _id(),
        sa.Column("secret_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("hub_user", sa.String(255), nullable=False, index=True),
        sa.Column("server", sa.String(80), nullable=False),
        _when("started_at"),
    )


MIGRATIONS: list[tuple[int, Callable[[Operations], None]]] = [
    (1, _v1_teams_members_norms),
    (2, _v2_meetings_and_norm_checks),
    (3, _v3_live_engine_and_protocol_runs),
    (4, _v4_evidence),
    (5, _v5_goals_and_cycles),
    (6, _v6_reflection_surveys_decisions_actions),
    (7, _v7_coaches_given_teams),
    (8, _v8_workshops),
    (9, _v9_participant_tokens),
    (10, _v10_claimed_names),
    (11, _v11_wrong_codes),
    (12, _v12_no_student_named_in_saved_warnings),
    (13, _v13_classroom_practice),
    (14, _v14_students),
    (15, _v15_families),
    (16, _v16_schools_and_community),
    (17, _v17_hub_sign_in),
]
assert MIGRATIONS[-1][0] == SCHEMA_VERSION, "tables.py and migrations.py disagree"


def current_version(conn: sa.Connection) -> int:
    """0 for an empty database; raises ValueError for a database that is not ours."""
    inspector = sa.inspect(conn)
    names = set(inspector.get_table_names())
    if "schema_version" not in names:
        if names:
            raise ValueError("this database holds other tables and no workbook schema")
        return 0
    version = conn.execute(sa.text("SELECT max(version) FROM schema_version")).scalar()
    return int(version or 0)


def migrate(engine: sa.Engine, target: int = SCHEMA_VERSION) -> int:
    """Bring the database to ``target``; returns the version it had before."""
    with engine.connect() as conn:
        start = current_version(conn)
    if start > SCHEMA_VERSION:
        raise ValueError(
            f"the database has schema version {start}, newer than this program ({SCHEMA_VERSION})"
        )
    pending = [(version, step) for version, step in MIGRATIONS if start < version <= target]
    if pending:
        from alembic.migration import MigrationContext
        from alembic.operations import Operations
    for version, step in pending:
        with engine.begin() as conn:
            step(Operations(MigrationContext.configure(conn)))
            conn.execute(sa.text("DELETE FROM schema_version"))
            conn.execute(
                sa.text("INSERT INTO schema_version (version) VALUES (:v)"), {"v": version}
            )
    return start
