"""Families of a class: one family per student, a link per guardian, class family meetings
with their class graph and each child's own result, 60-day family goals, conference slots
with their notes and agreements, family workshops with sign-ups, and the anonymous family
feedback survey.

Every row carries its team and hangs from a class (or a class's student) with ``ON DELETE
CASCADE``: deleting a class, or taking a student off it (the students' store does both,
recorded once in the activity record), deletes its families' rows in the same
transaction, on SQLite as on PostgreSQL. How a family is reached (``families.contact``) is
the teacher's and the team's only: no family page and no export reads it."""

from __future__ import annotations

import sqlalchemy as sa

from collab_widgets.core.db.tables import UTCDateTime, metadata


def _team() -> sa.Column:
    return sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=False)


def _owned_by(name: str, target: str, nullable: bool = False) -> sa.Column:
    """A column whose rows go with the row they point at."""
    return sa.Column(name, sa.Integer, sa.ForeignKey(target, ondelete="CASCADE"), nullable=nullable)


families = sa.Table(
    "families",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _team(),
    _owned_by("class_id", "classes.id"),
    _owned_by("student_id", "class_students.id"),
    sa.Column("language", sa.String(8), nullable=False),  # preferred: "en", "es"
    # how the teacher reaches the family (phone, email, best time): teacher and team only
    sa.Column("contact", sa.Text, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("student_id", name="uq_family_student"),
)

family_guardians = sa.Table(
    "family_guardians",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _team(),
    _owned_by("family_id", "families.id"),
    sa.Column("name", sa.String(120), nullable=False),  # as the teacher calls them
    # SHA-256 of the guardian's own link code (the code is shown once, on the card)
    sa.Column("code_hash", sa.String(64), nullable=True),
    sa.Column("code_issued_at", UTCDateTime, nullable=True),
    # refused everywhere (e.g. a court order) until the teacher lifts it: no link, no card
    sa.Column("blocked", sa.Boolean, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Index("ix_family_guardian_code", "code_hash", unique=True),
)

family_meetings = sa.Table(
    "family_meetings",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _team(),
    _owned_by("class_id", "classes.id"),
    sa.Column("title", sa.String(120), nullable=False),
    sa.Column("held_on", sa.Date, nullable=False),
    sa.Column("starts_at", sa.String(5), nullable=False),  # "18:00", the school's time
    sa.Column("skill", sa.String(200), nullable=False),  # an essential standard, in words
    # the saved assessment the graph came from; its results are copied below, so a later
    # change to the assessment does not change what families were shown
    sa.Column("assessment_id", sa.Integer, nullable=True),
    sa.Column("assessment_name", sa.String(200), nullable=False),
    sa.Column("bins", sa.Text, nullable=False),  # JSON [[low, high, count], ...]
    sa.Column("agenda", sa.Text, nullable=False),  # JSON [{title: {lang}, minutes}]
    sa.Column("activities", sa.Text, nullable=False),  # JSON [{title, materials, steps}]
    sa.Column("involvement", sa.Text, nullable=False),  # JSON [type id, ...]
    sa.Column("created_at", UTCDateTime, nullable=False),
)

family_results = sa.Table(
    "family_results",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _team(),
    _owned_by("meeting_id", "family_meetings.id"),
    _owned_by("student_id", "class_students.id"),
    sa.Column("percent", sa.Float, nullable=True),  # None: no score on the skill
    sa.UniqueConstraint("meeting_id", "student_id", name="uq_family_result"),
)

family_attendance = sa.Table(
    "family_attendance",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _team(),
    _owned_by("meeting_id", "family_meetings.id"),
    _owned_by("family_id", "families.id"),
    sa.Column("marked_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("meeting_id", "family_id", name="uq_family_attendance"),
)

family_goals = sa.Table(
    "family_goals",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _team(),
    _owned_by("family_id", "families.id"),
    _owned_by("meeting_id", "family_meetings.id"),
    sa.Column("practice", sa.Text, nullable=False),  # what the family will do at home
    sa.Column("times_per_week", sa.Integer, nullable=False),
    sa.Column("target", sa.Float, nullable=False),  # percent on the meeting's skill
    sa.Column("by_date", sa.Date, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),  # two guardians: no silent overwrite
    sa.Column("written_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("family_id", "meeting_id", name="uq_family_goal"),
)

conference_slots = sa.Table(
    "conference_slots",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _team(),
    _owned_by("class_id", "classes.id"),
    sa.Column("kind", sa.String(12), nullable=False),  # "individual" or "student-led"
    sa.Column("day", sa.Date, nullable=False),
    sa.Column("starts_at", sa.String(5), nullable=False),
    sa.Column("minutes", sa.Integer, nullable=False),
    # the family that chose it; taken only while NULL, in one statement (never two)
    sa.Column(
        "family_id", sa.Integer, sa.ForeignKey("families.id", ondelete="SET NULL"), nullable=True
    ),
    sa.Column("booked_at", UTCDateTime, nullable=True),
    sa.Column("notes", sa.Text, nullable=False),  # the teacher's and the team's only
    sa.UniqueConstraint("class_id", "day", "starts_at", name="uq_conference_slot"),
)

conference_agreements = sa.Table(
    "conference_agreements",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _team(),
    _owned_by("slot_id", "conference_slots.id"),
    _owned_by("family_id", "families.id"),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("owner", sa.String(10), nullable=False),  # "teacher", "family", "student"
    sa.Column("done_at", UTCDateTime, nullable=True),
    sa.Column("made_at", UTCDateTime, nullable=False),
)

family_workshops = sa.Table(
    "family_workshops",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _team(),
    _owned_by("class_id", "classes.id"),
    sa.Column("title", sa.Text, nullable=False),  # JSON {language: text}
    sa.Column("held_on", sa.Date, nullable=False),
    sa.Column("starts_at", sa.String(5), nullable=False),
    sa.Column("place", sa.String(200), nullable=False),
    sa.Column("involvement", sa.String(40), nullable=False),  # one of the six types
    sa.Column("created_at", UTCDateTime, nullable=False),
)

workshop_signups = sa.Table(
    "workshop_signups",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _team(),
    _owned_by("workshop_id", "family_workshops.id"),
    _owned_by("family_id", "families.id"),
    sa.Column("signed_up_at", UTCDateTime, nullable=True),  # NULL: came without signing up
    sa.Column("attended", sa.Boolean, nullable=False),
    sa.UniqueConstraint("workshop_id", "family_id", name="uq_workshop_signup"),
)

feedback_rounds = sa.Table(
    "feedback_rounds",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _team(),
    _owned_by("class_id", "classes.id"),
    sa.Column("title", sa.String(120), nullable=False),
    sa.Column("questions", sa.Text, nullable=False),  # JSON: the ids asked when it opened
    sa.Column("opened_on", sa.Date, nullable=False),
    sa.Column("closed_at", UTCDateTime, nullable=True),
)

# A family's answers are added to the round's counts (how many families gave each level to
# each question) and not kept one by one: nothing to match with a family, not even an
# order (a table keeps its rows in the order they came); the teacher sees means only, once
# the survey's minimum of families has answered (the receipts below count them).
feedback_counts = sa.Table(
    "feedback_counts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _team(),
    _owned_by("round_id", "feedback_rounds.id"),
    sa.Column("question", sa.String(60), nullable=False),
    sa.Column("level", sa.Integer, nullable=False),
    sa.Column("families", sa.Integer, nullable=False),
    sa.UniqueConstraint("round_id", "question", "level", name="uq_feedback_count"),
)

feedback_receipts = sa.Table(
    "feedback_receipts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _team(),
    _owned_by("round_id", "feedback_rounds.id"),
    _owned_by("family_id", "families.id"),
    sa.UniqueConstraint("round_id", "family_id", name="uq_feedback_receipt"),
)

# children first: every table of this domain
FAMILY_TABLES = (
    feedback_receipts,
    feedback_counts,
    feedback_rounds,
    workshop_signups,
    family_workshops,
    conference_agreements,
    conference_slots,
    family_goals,
    family_attendance,
    family_results,
    family_meetings,
    family_guardians,
    families,
)
