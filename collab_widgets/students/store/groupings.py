"""Groups and tutoring pairs made for a class: saved with what they were made from, and
changed when the teacher moves a student."""

from __future__ import annotations

import json

import sqlalchemy as sa

from collab_widgets.core.db import TeamScope, activity
from collab_widgets.core.errors import InvalidInput, NotFound
from collab_widgets.core.model import plural
from collab_widgets.students import tables as s
from collab_widgets.students.model import GroupingInfo, Placement, SavedGrouping
from collab_widgets.students.store.classes import bump, require_class, require_own_class

KINDS = {"groups": "groups", "tutoring": "tutoring pairs"}
MAX_NAME = 120
EVALUATED = (
    "Students rated their teamwork in these groups, so they stay as they are; make new "
    "groups to move anyone."
)


def _check(conn: sa.Connection, class_id: int, placements: list[Placement]) -> None:
    if not placements:
        raise InvalidInput("There is nobody to place in groups yet.")
    ids = [p.student_id for p in placements]
    if len(set(ids)) != len(ids):
        raise InvalidInput("A student can be in one group only.")
    known = set(
        conn.execute(
            sa.select(s.class_students.c.id).where(
                s.class_students.c.class_id == class_id, s.class_students.c.id.in_(ids)
            )
        ).scalars()
    )
    if known != set(ids):
        raise NotFound("Some of those students are no longer in this class; make the groups again.")


def _write_placements(
    conn: sa.Connection, scope: TeamScope, grouping_id: int, placements: list[Placement]
) -> None:
    conn.execute(s.grouping_members.delete().where(s.grouping_members.c.grouping_id == grouping_id))
    conn.execute(
        s.grouping_members.insert(),
        [
            {
                "team_id": scope.team_id,
                "grouping_id": grouping_id,
                "student_id": p.student_id,
                "group_number": p.group_number,
                "role": p.role,
            }
            for p in placements
        ],
    )


def save(
    scope: TeamScope,
    class_id: int,
    kind: str,
    name: str,
    settings: dict,
    score: float | None,
    placements: list[Placement],
) -> int:
    if kind not in KINDS:
        raise InvalidInput("Choose groups or tutoring pairs.")
    name = " ".join(name.split())[:MAX_NAME] or "Groups"
    with scope.writing() as conn:
        row = require_own_class(conn, scope, class_id)
        _check(conn, class_id, placements)
        grouping_id = conn.execute(
            s.groupings.insert().values(
                team_id=scope.team_id,
                class_id=class_id,
                kind=kind,
                name=name,
                settings=json.dumps(settings, ensure_ascii=False),
                score=score,
                made_at=scope.store.now(),
                made_by=scope.member_id,
            )
        ).inserted_primary_key[0]
        _write_placements(conn, scope, grouping_id, placements)
        bump(conn, class_id)
        count = len({p.group_number for p in placements})
        what = plural(count, "group") if kind == "groups" else plural(count, "tutoring pair")
        activity.record(conn, scope, "groups", f"made {what} for “{row.name}”: “{name}”")
    return grouping_id


def _grouping_row(conn: sa.Connection, scope: TeamScope, grouping_id: int):
    row = conn.execute(
        sa.select(s.groupings).where(
            s.groupings.c.id == grouping_id, s.groupings.c.team_id == scope.team_id
        )
    ).first()
    if row is None:
        raise NotFound("Those groups are no longer here.")
    return row


def update(
    scope: TeamScope, grouping_id: int, placements: list[Placement], score: float | None
) -> None:
    """The groups as the teacher rearranged them (a student moved); refused once students
    have rated their teamwork in them (:data:`EVALUATED`)."""
    with scope.writing() as conn:
        row = _grouping_row(conn, scope, grouping_id)
        require_own_class(conn, scope, row.class_id)
        _check(conn, row.class_id, placements)
        # Groups students rated each other in stay as they were: a student's released
        # feedback is worked out from their team as it is now, so one teammate moved out
        # (or in) would change the averages by exactly that teammate's ratings, which the
        # others could then work out by comparing (and a team moved while rating would
        # rate people it never worked with).
        evaluated = conn.execute(
            sa.select(s.evaluations.c.id).where(s.evaluations.c.grouping_id == grouping_id)
        ).first()
        if evaluated is not None:
            raise InvalidInput(EVALUATED)
        conn.execute(
            s.groupings.update().where(s.groupings.c.id == grouping_id).values(score=score)
        )
        _write_placements(conn, scope, grouping_id, placements)
        bump(conn, row.class_id)
        activity.record(conn, scope, "groups", f"rearranged “{row.name}”")


def delete(scope: TeamScope, grouping_id: int) -> None:
    with scope.writing() as conn:
        row = _grouping_row(conn, scope, grouping_id)
        require_own_class(conn, scope, row.class_id)
        used = conn.execute(
            sa.select(s.evaluations.c.id).where(s.evaluations.c.grouping_id == grouping_id)
        ).first()
        if used is not None:
            raise InvalidInput(
                "Students evaluated their teamwork in these groups; delete the evaluation first."
            )
        conn.execute(
            s.grouping_members.delete().where(s.grouping_members.c.grouping_id == grouping_id)
        )
        conn.execute(s.groupings.delete().where(s.groupings.c.id == grouping_id))
        bump(conn, row.class_id)
        activity.record(conn, scope, "groups", f"deleted the groups “{row.name}”")


def groupings(scope: TeamScope, class_id: int, kind: str | None = None) -> list[GroupingInfo]:
    """Newest first."""
    members = s.grouping_members.c
    with scope.reading() as conn:
        require_class(conn, scope, class_id)
        query = (
            sa.select(
                s.groupings,
                sa.func.count(sa.distinct(members.group_number)).label("groups_n"),
                sa.func.count(members.student_id).label("students_n"),
            )
            .outerjoin(s.grouping_members, members.grouping_id == s.groupings.c.id)
            .where(s.groupings.c.class_id == class_id)
            .group_by(s.groupings.c.id)
            .order_by(s.groupings.c.made_at.desc(), s.groupings.c.id.desc())
        )
        if kind:
            query = query.where(s.groupings.c.kind == kind)
        rows = conn.execute(query).all()
    return [GroupingInfo(r.id, r.kind, r.name, r.made_at, r.groups_n, r.students_n) for r in rows]


def grouping(scope: TeamScope, grouping_id: int) -> SavedGrouping:
    with scope.reading() as conn:
        row = _grouping_row(conn, scope, grouping_id)
        placed = conn.execute(
            sa.select(s.grouping_members)
            .where(s.grouping_members.c.grouping_id == grouping_id)
            .order_by(s.grouping_members.c.group_number, s.grouping_members.c.id)
        ).all()
    info = GroupingInfo(
        row.id,
        row.kind,
        row.name,
        row.made_at,
        len({p.group_number for p in placed}),
        len(placed),
    )
    return SavedGrouping(
        info=info,
        settings=json.loads(row.settings),
        score=row.score,
        placements=tuple(Placement(p.student_id, p.group_number, p.role) for p in placed),
    )


def class_of(scope: TeamScope, grouping_id: int) -> int:
    with scope.reading() as conn:
        return _grouping_row(conn, scope, grouping_id).class_id
