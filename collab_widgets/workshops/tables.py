"""Workshops, their prompts, participants and answers."""

from __future__ import annotations

import sqlalchemy as sa

from collab_widgets.core.db.tables import UTCDateTime, metadata

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
