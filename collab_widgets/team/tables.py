"""The team's norms."""

from __future__ import annotations

import sqlalchemy as sa

from collab_widgets.core.db.tables import UTCDateTime, metadata

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
