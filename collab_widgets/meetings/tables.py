"""Meetings, their agenda, attendance and norms checks."""

from __future__ import annotations

import sqlalchemy as sa

from collab_widgets.core.db.tables import UTCDateTime, metadata

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
