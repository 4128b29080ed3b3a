"""Members' reflections and the team's synthesis."""

from __future__ import annotations

import sqlalchemy as sa

from collab_widgets.core.db.tables import UTCDateTime, metadata

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
