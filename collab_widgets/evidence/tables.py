"""Saved assessments, their items and students, column mappings, evidence settings."""

from __future__ import annotations

import sqlalchemy as sa

from collab_widgets.core.db.tables import UTCDateTime, metadata

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
