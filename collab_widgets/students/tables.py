"""Students working together: a teacher's classes and their students, the column mappings
of class files, the groupings and tutoring pairs made for a class, the students' survey
answers, and the team peer- and self-evaluations with their ratings and comments.

Every row carries its team; a class is its teacher's (``owner_id``), seen by the team.
Nothing here is kept beyond the class's retention date plus its grace period
(:data:`collab_widgets.students.rules.DELETE_AFTER`)."""

from __future__ import annotations

import sqlalchemy as sa

from collab_widgets.core.db.tables import UTCDateTime, metadata


def _team() -> sa.Column:
    return sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=False)


def _class() -> sa.Column:
    return sa.Column("class_id", sa.Integer, sa.ForeignKey("classes.id"), nullable=False)


def _student(name: str) -> sa.Column:
    return sa.Column(name, sa.Integer, sa.ForeignKey("class_students.id"), nullable=False)


classes = sa.Table(
    "classes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _team(),
    # the teacher whose class it is: only they change it; the team reads it
    sa.Column("owner_id", sa.Integer, sa.ForeignKey("members.id"), nullable=False),
    sa.Column("name", sa.String(120), nullable=False),
    # the class code students type (or scan) with their own card's code
    sa.Column("code", sa.String(16), nullable=False, unique=True),
    sa.Column("survey_open", sa.Boolean, nullable=False),
    sa.Column("revision", sa.Integer, nullable=False),  # what the teacher's page polls
    # the last day students' codes open the class; its rows are deleted a while after
    sa.Column("retain_until", sa.Date, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
)


class_students = sa.Table(
    "class_students",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _team(),
    _class(),
    # the id in the school's system: matches an assessment's student id (and pseudonym)
    sa.Column("key", sa.String(120), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),  # as in the file; "" when none
    # what a student's teammates see in the evaluation, and the group cards: first name and
    # initial by default
    sa.Column("display_name", sa.String(80), nullable=False),
    sa.Column("attributes", sa.Text, nullable=False),  # JSON {attribute: value}, team only
    # SHA-256 of the personal code on the student's card (the code itself is not kept)
    sa.Column("code_hash", sa.String(64), nullable=True),
    sa.Column("added_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("class_id", "key", name="uq_class_student"),
    sa.Index("ix_class_student_code", "code_hash", unique=True),
)


class_mappings = sa.Table(
    "class_mappings",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _team(),
    sa.Column("signature", sa.String(64), nullable=False),  # of the file's column names
    sa.Column("mapping", sa.Text, nullable=False),  # JSON: which column holds what
    sa.Column("saved_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("team_id", "signature", name="uq_class_mapping"),
)


groupings = sa.Table(
    "groupings",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _team(),
    _class(),
    sa.Column("kind", sa.String(10), nullable=False),  # "groups" or "tutoring"
    sa.Column("name", sa.String(120), nullable=False),
    sa.Column("settings", sa.Text, nullable=False),  # JSON: what it was made from
    sa.Column("score", sa.Float, nullable=True),
    sa.Column("made_at", UTCDateTime, nullable=False),
    sa.Column("made_by", sa.Integer, sa.ForeignKey("members.id"), nullable=True),
)


grouping_members = sa.Table(
    "grouping_members",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _team(),
    sa.Column("grouping_id", sa.Integer, sa.ForeignKey("groupings.id"), nullable=False),
    _student("student_id"),
    sa.Column("group_number", sa.Integer, nullable=False),
    sa.Column("role", sa.String(10), nullable=True),  # tutoring: "tutor", "tutee", "third"
    sa.UniqueConstraint("grouping_id", "student_id", name="uq_grouping_member"),
)


student_survey_answers = sa.Table(
    "student_survey_answers",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _team(),
    _class(),
    _student("student_id"),
    sa.Column("answers", sa.Text, nullable=False),  # JSON {question: [choices]}
    sa.Column("answered_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("class_id", "student_id", name="uq_student_survey_answer"),
)


evaluations = sa.Table(
    "evaluations",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _team(),
    _class(),
    sa.Column("grouping_id", sa.Integer, sa.ForeignKey("groupings.id"), nullable=False),
    sa.Column("title", sa.String(120), nullable=False),
    # JSON [[id, name], ...]: the questions asked when it opened (a teacher's file may change)
    sa.Column("dimensions", sa.Text, nullable=False),
    sa.Column("opened_at", UTCDateTime, nullable=False),
    sa.Column("closed_at", UTCDateTime, nullable=True),
    sa.Column("released_at", UTCDateTime, nullable=True),  # NULL: not shown to students now
    sa.Column("first_released_at", UTCDateTime, nullable=True),
    # a student of it left the class after a release: never released again (see store)
    sa.Column("withdrawn_at", UTCDateTime, nullable=True),
)


evaluation_ratings = sa.Table(
    "evaluation_ratings",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _team(),
    sa.Column("evaluation_id", sa.Integer, sa.ForeignKey("evaluations.id"), nullable=False),
    _student("rater_id"),
    _student("ratee_id"),
    sa.Column("dimension", sa.String(60), nullable=False),
    sa.Column("level", sa.Integer, nullable=False),
    sa.Column("rated_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint(
        "evaluation_id", "rater_id", "ratee_id", "dimension", name="uq_evaluation_rating"
    ),
)


evaluation_comments = sa.Table(
    "evaluation_comments",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _team(),
    sa.Column("evaluation_id", sa.Integer, sa.ForeignKey("evaluations.id"), nullable=False),
    _student("rater_id"),
    _student("ratee_id"),
    sa.Column("text", sa.Text, nullable=False),  # for the teacher only: never released
    sa.Column("written_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("evaluation_id", "rater_id", "ratee_id", name="uq_evaluation_comment"),
)

# every table above, children first: the order a class's rows are deleted in
CLASS_TABLES = (
    evaluation_comments,
    evaluation_ratings,
    evaluations,
    student_survey_answers,
    grouping_members,
    groupings,
    class_students,
    classes,
)
