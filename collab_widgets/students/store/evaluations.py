"""The teacher's side of the team peer- and self-evaluation: opened for a class's groups,
closed, its results (per student and per team, with the flags of
:mod:`collab_widgets.students.evaluation`), and feedback released to the students.

The results and the comments are the team's members' (the comments the class's
teacher's only); a coach reads counts, never a rating."""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa

from collab_widgets.core.db import TeamScope, activity
from collab_widgets.core.errors import AccessDenied, InvalidInput, NotFound
from collab_widgets.students import evaluation as rules
from collab_widgets.students import tables as s
from collab_widgets.students.model import EvaluationInfo
from collab_widgets.students.store.classes import (
    bump,
    require_class,
    require_own_class,
    sees_names,
)

MAX_TITLE = 120
MEMBERS_ONLY = "Only the team's teachers see how students rated each other."


def _evaluation_row(conn: sa.Connection, scope: TeamScope, evaluation_id: int):
    row = conn.execute(
        sa.select(s.evaluations).where(
            s.evaluations.c.id == evaluation_id, s.evaluations.c.team_id == scope.team_id
        )
    ).first()
    if row is None:
        raise NotFound("That evaluation is no longer here.")
    return row


def open_evaluation(scope: TeamScope, class_id: int, grouping_id: int, title: str) -> int:
    """Students of the grouping rate themselves and their teammates from their own page;
    another evaluation of the class still open is closed first (one at a time)."""
    title = " ".join(title.split())[:MAX_TITLE] or "Teamwork check"
    with scope.writing() as conn:
        row = require_own_class(conn, scope, class_id)
        grouping = conn.execute(
            sa.select(s.groupings).where(
                s.groupings.c.id == grouping_id, s.groupings.c.class_id == class_id
            )
        ).first()
        if grouping is None or grouping.kind != "groups":
            raise InvalidInput("Choose groups of this class for the students to evaluate.")
        now = scope.store.now()
        conn.execute(
            s.evaluations.update()
            .where(s.evaluations.c.class_id == class_id, s.evaluations.c.closed_at.is_(None))
            .values(closed_at=now)
        )
        evaluation_id = conn.execute(
            s.evaluations.insert().values(
                team_id=scope.team_id,
                class_id=class_id,
                grouping_id=grouping_id,
                title=title,
                dimensions=rules.stored_dimensions(rules.load_dimensions()),
                opened_at=now,
            )
        ).inserted_primary_key[0]
        bump(conn, class_id)
        activity.record(
            conn, scope, "evaluation", f"opened the teamwork check “{title}” in “{row.name}”"
        )
    return evaluation_id


def close(scope: TeamScope, evaluation_id: int) -> None:
    with scope.writing() as conn:
        row = _evaluation_row(conn, scope, evaluation_id)
        require_own_class(conn, scope, row.class_id)
        if row.closed_at is None:
            conn.execute(
                s.evaluations.update()
                .where(s.evaluations.c.id == evaluation_id)
                .values(closed_at=scope.store.now())
            )
            bump(conn, row.class_id)
            activity.record(conn, scope, "evaluation", f"closed the teamwork check “{row.title}”")


WITHDRAWN = (
    "This feedback was taken back for good when a student in it left the class: released "
    "again without their ratings, it would let their teammates work out what they gave. "
    "Open a new teamwork check."
)


def release(scope: TeamScope, evaluation_id: int, released: bool = True) -> None:
    """Each student's page shows their own feedback (closing the evaluation first)."""
    with scope.writing() as conn:
        row = _evaluation_row(conn, scope, evaluation_id)
        require_own_class(conn, scope, row.class_id)
        if released and row.withdrawn_at is not None:
            raise InvalidInput(WITHDRAWN)
        now = scope.store.now()
        conn.execute(
            s.evaluations.update()
            .where(s.evaluations.c.id == evaluation_id)
            .values(
                closed_at=row.closed_at or now,
                released_at=now if released else None,
                first_released_at=row.first_released_at or (now if released else None),
            )
        )
        bump(conn, row.class_id)
        verb = "released the feedback of" if released else "took back the feedback of"
        activity.record(conn, scope, "evaluation", f"{verb} the teamwork check “{row.title}”")


def delete(scope: TeamScope, evaluation_id: int) -> None:
    with scope.writing() as conn:
        row = _evaluation_row(conn, scope, evaluation_id)
        require_own_class(conn, scope, row.class_id)
        for table in (s.evaluation_ratings, s.evaluation_comments):
            conn.execute(table.delete().where(table.c.evaluation_id == evaluation_id))
        conn.execute(s.evaluations.delete().where(s.evaluations.c.id == evaluation_id))
        bump(conn, row.class_id)
        activity.record(conn, scope, "evaluation", f"deleted the teamwork check “{row.title}”")


def evaluations(scope: TeamScope, class_id: int) -> list[EvaluationInfo]:
    """Newest first, with how many students have answered."""
    ratings = s.evaluation_ratings.c
    with scope.reading() as conn:
        require_class(conn, scope, class_id)
        answered = (
            sa.select(
                ratings.evaluation_id, sa.func.count(sa.distinct(ratings.rater_id)).label("n")
            )
            .group_by(ratings.evaluation_id)
            .subquery()
        )
        placed = (
            sa.select(s.grouping_members.c.grouping_id, sa.func.count().label("n"))
            .group_by(s.grouping_members.c.grouping_id)
            .subquery()
        )
        rows = conn.execute(
            sa.select(s.evaluations, answered.c.n.label("answered"), placed.c.n.label("placed"))
            .outerjoin(answered, answered.c.evaluation_id == s.evaluations.c.id)
            .outerjoin(placed, placed.c.grouping_id == s.evaluations.c.grouping_id)
            .where(s.evaluations.c.class_id == class_id)
            .order_by(s.evaluations.c.opened_at.desc(), s.evaluations.c.id.desc())
        ).all()
    return [
        EvaluationInfo(
            r.id,
            r.grouping_id,
            r.title,
            r.opened_at,
            r.closed_at,
            r.released_at,
            r.answered or 0,
            r.placed or 0,
            r.withdrawn_at,
        )
        for r in rows
    ]


def teams_of(conn: sa.Connection, grouping_id: int) -> dict[str, list[str]]:
    """The grouping's teams: group number (as text) -> its students' ids (as text)."""
    teams: dict[str, list[str]] = defaultdict(list)
    for member in conn.execute(
        sa.select(s.grouping_members.c.student_id, s.grouping_members.c.group_number)
        .where(s.grouping_members.c.grouping_id == grouping_id)
        .order_by(s.grouping_members.c.group_number, s.grouping_members.c.student_id)
    ):
        teams[str(member.group_number)].append(str(member.student_id))
    return dict(teams)


def ratings_of(conn: sa.Connection, evaluation_id: int) -> list[rules.Rating]:
    r = s.evaluation_ratings.c
    return [
        rules.Rating(str(row.rater_id), str(row.ratee_id), row.dimension, row.level)
        for row in conn.execute(
            sa.select(r.rater_id, r.ratee_id, r.dimension, r.level)
            .where(r.evaluation_id == evaluation_id)
            .order_by(r.id)
        )
    ]


def results(scope: TeamScope, evaluation_id: int) -> list[rules.TeamResult]:
    """Per team and per student: self rating, teammates' mean, the gap and the flags
    (student ids as text; the page names them)."""
    if not sees_names(scope):
        raise AccessDenied(MEMBERS_ONLY)
    with scope.reading() as conn:
        row = _evaluation_row(conn, scope, evaluation_id)
        teams = teams_of(conn, row.grouping_id)
        given = ratings_of(conn, evaluation_id)
    asked = rules.dimensions_in_use(row.dimensions, rules.load_dimensions())
    return rules.results(teams, given, asked)


def comments(scope: TeamScope, evaluation_id: int) -> list[tuple[int, int, str]]:
    """(rater, ratee, text): for the class's teacher only, never released."""
    with scope.reading() as conn:
        row = _evaluation_row(conn, scope, evaluation_id)
        require_own_class(conn, scope, row.class_id)
        c = s.evaluation_comments.c
        return [
            (r.rater_id, r.ratee_id, r.text)
            for r in conn.execute(
                sa.select(c.rater_id, c.ratee_id, c.text)
                .where(c.evaluation_id == evaluation_id, c.text != "")
                .order_by(c.ratee_id, c.id)
            )
        ]
