"""Survey rounds and who answered them (never what they answered)."""

from __future__ import annotations

import sqlalchemy as sa

from collab_widgets.core.db.tables import UTCDateTime, metadata

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
