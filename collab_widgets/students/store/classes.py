"""A class and its students: made, filled from a class file or an assessment, given
codes, and deleted (by its teacher, or when its retention ends). Every change is its
teacher's; the team reads; a coach or a team-link visitor reads pseudonyms only."""

from __future__ import annotations

import datetime as dt
import json
import secrets

import sqlalchemy as sa

from collab_widgets.core import codes
from collab_widgets.core.db import Store, TeamScope, activity
from collab_widgets.core.db import tables as t
from collab_widgets.core.errors import AccessDenied, InvalidInput, NotFound
from collab_widgets.core.light.tokens import digest
from collab_widgets.core.model import plural
from collab_widgets.evidence import store as evidence
from collab_widgets.evidence.privacy import pseudonym
from collab_widgets.students import rules
from collab_widgets.students import tables as s
from collab_widgets.students.model import AddResult, ClassInfo, Student, StudentsSummary
from collab_widgets.students.rules import ClassMapping, StudentRow

CLASS_CODE_LENGTH = 6  # on the board; a student's own card code makes the pair unguessable
STUDENT_CODE_LENGTH = 10
NOT_YOURS = (
    "Only the class's teacher changes it. Open your own class, or ask its teacher to "
    "make the change."
)
NO_CLASS = "That class is no longer here: its teacher deleted it, or its time ran out."
LIGHT_PAGE = "students"  # the students' light page: its wrong codes are counted under this
WRONG_CODES_KEPT = dt.timedelta(minutes=10)  # how long the page counts a wrong code


def sees_names(scope: TeamScope) -> bool:
    """The team's members see students' names and notes; a coach (even acting for a
    member) and a visitor holding only the team link see pseudonyms."""
    return scope.member_id is not None and not scope.actor.is_coach


def new_code(length: int) -> str:
    return "".join(secrets.choice(codes.ALPHABET) for _ in range(length))


def _fresh_class_code(conn: sa.Connection) -> str:
    while True:
        code = new_code(CLASS_CODE_LENGTH)
        if conn.execute(sa.select(s.classes.c.id).where(s.classes.c.code == code)).first() is None:
            return code


def _fresh_student_code(conn: sa.Connection) -> tuple[str, str]:
    while True:
        code = new_code(STUDENT_CODE_LENGTH)
        hashed = digest(code)
        taken = conn.execute(
            sa.select(s.class_students.c.id).where(s.class_students.c.code_hash == hashed)
        ).first()
        if taken is None:
            return code, hashed


def _class_row(conn: sa.Connection, scope: TeamScope, class_id: int):
    row = conn.execute(
        sa.select(s.classes).where(s.classes.c.id == class_id, s.classes.c.team_id == scope.team_id)
    ).first()
    if row is None:
        raise NotFound(NO_CLASS)
    return row


def require_class(conn: sa.Connection, scope: TeamScope, class_id: int):
    """The class's row, if it is this team's (for every domain reading a class)."""
    return _class_row(conn, scope, class_id)


def require_own_class(conn: sa.Connection, scope: TeamScope, class_id: int):
    """The class's row, if the scope is its teacher's."""
    row = _class_row(conn, scope, class_id)
    if scope.actor.is_coach or scope.member_id != row.owner_id:
        raise AccessDenied(NOT_YOURS)
    return row


def bump(conn: sa.Connection, class_id: int) -> None:
    conn.execute(
        s.classes.update()
        .where(s.classes.c.id == class_id)
        .values(revision=s.classes.c.revision + 1)
    )


def create_class(scope: TeamScope, name: str, retain_until: dt.date | None = None) -> int:
    """A new, empty class of the scope's member (its teacher)."""
    name = rules.check_class_name(name)
    if scope.member_id is None or scope.actor.is_coach:
        raise AccessDenied(
            "A class is a teacher's: open your personal link to make one (a coach cannot)."
        )
    today = scope.store.clock.today()
    until = rules.check_retention(retain_until, today) if retain_until else None
    with scope.writing() as conn:
        class_id = conn.execute(
            s.classes.insert().values(
                team_id=scope.team_id,
                owner_id=scope.member_id,
                name=name,
                code=_fresh_class_code(conn),
                survey_open=False,
                revision=0,
                retain_until=until or rules.end_of_school_year(today),
                created_at=scope.store.now(),
            )
        ).inserted_primary_key[0]
        activity.record(conn, scope, "class", f"made the class “{name}”")
    return class_id


def classes(scope: TeamScope) -> list[ClassInfo]:
    """The team's classes, the scope's own first (any class past its time to be kept is
    deleted first: see :func:`delete_expired`)."""
    delete_expired(scope.store)
    counts = (
        sa.select(s.class_students.c.class_id, sa.func.count().label("n"))
        .group_by(s.class_students.c.class_id)
        .subquery()
    )
    with scope.reading() as conn:
        rows = conn.execute(
            sa.select(s.classes, t.members.c.name.label("owner_name"), counts.c.n)
            .join(t.members, t.members.c.id == s.classes.c.owner_id)
            .outerjoin(counts, counts.c.class_id == s.classes.c.id)
            .where(s.classes.c.team_id == scope.team_id)
            .order_by(s.classes.c.created_at, s.classes.c.id)
        ).all()
    mine = sees_names(scope)
    found = [
        ClassInfo(
            id=row.id,
            name=row.name,
            owner_id=row.owner_id,
            owner_name=row.owner_name,
            students=row.n or 0,
            retain_until=row.retain_until,
            survey_open=row.survey_open,
            code=row.code if mine and row.owner_id == scope.member_id else None,
            created_at=row.created_at,
        )
        for row in rows
    ]
    return sorted(found, key=lambda c: not c.yours)


def class_info(scope: TeamScope, class_id: int) -> ClassInfo:
    found = next((c for c in classes(scope) if c.id == class_id), None)
    if found is None:
        raise NotFound(NO_CLASS)
    return found


def revision(scope: TeamScope, class_id: int) -> int:
    """What a teacher's page polls: it grows when students answer."""
    with scope.reading() as conn:
        return _class_row(conn, scope, class_id).revision


def roster(scope: TeamScope, class_id: int) -> list[Student]:
    """The class's students, in the order they were added, as the scope may see them."""
    salt = evidence.settings(scope).pseudonym_salt
    with scope.reading() as conn:
        _class_row(conn, scope, class_id)
        rows = conn.execute(
            sa.select(s.class_students)
            .where(s.class_students.c.class_id == class_id)
            .order_by(s.class_students.c.id)
        ).all()
    named = sees_names(scope)
    return [
        Student(
            id=row.id,
            key=row.key if named else "",
            pseudonym=pseudonym(salt, row.key),
            display_name=row.display_name if named else pseudonym(salt, row.key),
            name=row.name if named else "",
            attributes=json.loads(row.attributes) if named else {},
            has_card=row.code_hash is not None,
        )
        for row in rows
    ]


def pseudonyms(scope: TeamScope, class_id: int) -> dict[str, int]:
    """Each student's pseudonym (the team's, as in Evidence) -> their id in the class."""
    return {student.pseudonym: student.id for student in roster(scope, class_id)}


def add_students(scope: TeamScope, class_id: int, students: list[StudentRow]) -> AddResult:
    """Adds the students not yet in the class and updates the names and notes of those who
    are (matched by id): a class file exported again after a new student arrived."""
    if not students:
        raise InvalidInput("There are no students to add.")
    keys = [row.key.casefold() for row in students]
    if len(set(keys)) != len(keys):
        raise InvalidInput("A student id appears twice; each student is added once.")
    with scope.writing() as conn:
        row = require_own_class(conn, scope, class_id)
        existing = {
            r.key.casefold(): r.id
            for r in conn.execute(
                sa.select(s.class_students.c.id, s.class_students.c.key).where(
                    s.class_students.c.class_id == class_id
                )
            )
        }
        if len(existing.keys() | set(keys)) > rules.MAX_STUDENTS:
            raise InvalidInput(f"A class holds at most {rules.MAX_STUDENTS} students.")
        added = updated = 0
        now = scope.store.now()
        for student in students:
            values = {
                "name": student.name[:200],
                "display_name": _display_name(student),
                "attributes": json.dumps(rules.check_attributes(student.attributes)),
            }
            known = existing.get(student.key.casefold())
            if known is None:
                conn.execute(
                    s.class_students.insert().values(
                        team_id=scope.team_id,
                        class_id=class_id,
                        key=student.key[:120],
                        added_at=now,
                        code_hash=None,
                        **values,
                    )
                )
                added += 1
            else:
                conn.execute(
                    s.class_students.update().where(s.class_students.c.id == known).values(**values)
                )
                updated += 1
        bump(conn, class_id)
        activity.record(
            conn,
            scope,
            "class",
            f"added {plural(added, 'student')} to “{row.name}”"
            + (f" and updated {updated}" if updated else ""),
        )
    return AddResult(added, updated)


def _display_name(student: StudentRow) -> str:
    """The name teammates read: as given, else first name and initial of the file's name,
    else a placeholder the teacher replaces (never the school's id)."""
    shown = student.display_name or rules.default_display_name("", "", student.name)
    return rules.check_display_name(shown) if shown.strip() else rules.NO_DISPLAY_NAME


def _own_student(conn: sa.Connection, class_id: int, student_id: int):
    row = conn.execute(
        sa.select(s.class_students).where(
            s.class_students.c.id == student_id, s.class_students.c.class_id == class_id
        )
    ).first()
    if row is None:
        raise NotFound("That student is not in this class.")
    return row


def set_display_name(scope: TeamScope, class_id: int, student_id: int, typed: str) -> None:
    _update_student(scope, class_id, student_id, display_name=rules.check_display_name(typed))


def set_attributes(
    scope: TeamScope, class_id: int, student_id: int, attributes: dict[str, str]
) -> None:
    kept = json.dumps(rules.check_attributes(attributes))
    _update_student(scope, class_id, student_id, attributes=kept)


def _update_student(scope: TeamScope, class_id: int, student_id: int, **values) -> None:
    """The class's teacher changes what is kept of one of its students."""
    with scope.writing() as conn:
        require_own_class(conn, scope, class_id)
        _own_student(conn, class_id, student_id)
        conn.execute(
            s.class_students.update().where(s.class_students.c.id == student_id).values(**values)
        )


def remove_student(scope: TeamScope, class_id: int, student_id: int) -> None:
    """The student and everything about them in this class (groups, answers, ratings).

    The feedback of a teamwork check they were in that was ever released is taken back for
    good: worked out again without their ratings, it would differ from what their
    teammates saw by exactly what they gave, which each teammate could then work out."""
    with scope.writing() as conn:
        row = require_own_class(conn, scope, class_id)
        _own_student(conn, class_id, student_id)
        released = conn.execute(
            sa.select(s.evaluations.c.id, s.evaluations.c.title)
            .join(
                s.grouping_members,
                s.grouping_members.c.grouping_id == s.evaluations.c.grouping_id,
            )
            .where(
                s.evaluations.c.class_id == class_id,
                s.evaluations.c.first_released_at.is_not(None),
                s.evaluations.c.withdrawn_at.is_(None),
                s.grouping_members.c.student_id == student_id,
            )
        ).all()
        for evaluation in released:
            conn.execute(
                s.evaluations.update()
                .where(s.evaluations.c.id == evaluation.id)
                .values(released_at=None, withdrawn_at=scope.store.now())
            )
        _delete_students(conn, [student_id])
        bump(conn, class_id)
        activity.record(conn, scope, "class", f"took a student off “{row.name}”")
        for evaluation in released:
            activity.record(
                conn,
                scope,
                "evaluation",
                f"took back the feedback of the teamwork check “{evaluation.title}” for "
                "good: a student in it left the class (released again, it would let their "
                "teammates work out what they gave)",
            )


def _delete_students(conn: sa.Connection, ids: list[int]) -> None:
    """Every row about these students, and the wrong codes tried with their cards (a
    network address beside a card's hash: the light page's count keeps them minutes, but
    only until the next wrong code, so they could outlive the student)."""
    hashes = [
        code_hash
        for code_hash in conn.execute(
            sa.select(s.class_students.c.code_hash).where(s.class_students.c.id.in_(ids))
        ).scalars()
        if code_hash is not None
    ]
    if hashes:
        conn.execute(
            t.wrong_codes.delete().where(
                t.wrong_codes.c.page == LIGHT_PAGE, t.wrong_codes.c.code_hash.in_(hashes)
            )
        )
    ratings, comments = s.evaluation_ratings.c, s.evaluation_comments.c
    conn.execute(
        s.evaluation_ratings.delete().where(
            sa.or_(ratings.rater_id.in_(ids), ratings.ratee_id.in_(ids))
        )
    )
    conn.execute(
        s.evaluation_comments.delete().where(
            sa.or_(comments.rater_id.in_(ids), comments.ratee_id.in_(ids))
        )
    )
    for table in (s.student_survey_answers, s.grouping_members):
        conn.execute(table.delete().where(table.c.student_id.in_(ids)))
    conn.execute(s.class_students.delete().where(s.class_students.c.id.in_(ids)))


def rotate_class_code(scope: TeamScope, class_id: int) -> str:
    """A new class code: the old one (and every page opened with it) stops working."""
    with scope.writing() as conn:
        row = require_own_class(conn, scope, class_id)
        code = _fresh_class_code(conn)
        conn.execute(s.classes.update().where(s.classes.c.id == class_id).values(code=code))
        bump(conn, class_id)
        activity.record(conn, scope, "class", f"changed the class code of “{row.name}”")
    return code


def issue_student_codes(
    scope: TeamScope, class_id: int, student_ids: list[int] | None = None
) -> dict[int, str]:
    """New card codes for the students chosen (all by default), for printing now: the
    database keeps only their hashes, so a card's old code stops working."""
    with scope.writing() as conn:
        row = require_own_class(conn, scope, class_id)
        query = sa.select(s.class_students.c.id).where(s.class_students.c.class_id == class_id)
        if student_ids is not None:
            query = query.where(s.class_students.c.id.in_(student_ids))
        ids = list(conn.execute(query.order_by(s.class_students.c.id)).scalars())
        if student_ids is not None and len(ids) != len(set(student_ids)):
            raise NotFound("Some of those students are not in this class.")
        issued = {}
        for student_id in ids:
            code, hashed = _fresh_student_code(conn)
            conn.execute(
                s.class_students.update()
                .where(s.class_students.c.id == student_id)
                .values(code_hash=hashed)
            )
            issued[student_id] = code
        bump(conn, class_id)
        activity.record(
            conn, scope, "class", f"printed {plural(len(ids), 'student card')} for “{row.name}”"
        )
    return issued


def set_retention(scope: TeamScope, class_id: int, until: dt.date) -> None:
    until = rules.check_retention(until, scope.store.clock.today())
    with scope.writing() as conn:
        row = require_own_class(conn, scope, class_id)
        conn.execute(
            s.classes.update().where(s.classes.c.id == class_id).values(retain_until=until)
        )
        activity.record(conn, scope, "class", f"set “{row.name}” to be kept until {until:%d %B %Y}")


def set_survey_open(scope: TeamScope, class_id: int, opened: bool) -> None:
    with scope.writing() as conn:
        row = require_own_class(conn, scope, class_id)
        conn.execute(
            s.classes.update().where(s.classes.c.id == class_id).values(survey_open=opened)
        )
        bump(conn, class_id)
        verb = "opened" if opened else "closed"
        activity.record(conn, scope, "class", f"{verb} the students' survey of “{row.name}”")


def survey_answers(scope: TeamScope, class_id: int) -> dict[int, dict[str, list[str]]]:
    """Each student's answers to the interest and schedule survey (student id -> answers)."""
    with scope.reading() as conn:
        _class_row(conn, scope, class_id)
        rows = conn.execute(
            sa.select(s.student_survey_answers).where(
                s.student_survey_answers.c.class_id == class_id
            )
        ).all()
    return {row.student_id: json.loads(row.answers) for row in rows}


def _delete_class(conn: sa.Connection, class_id: int) -> int:
    ids = list(
        conn.execute(
            sa.select(s.class_students.c.id).where(s.class_students.c.class_id == class_id)
        ).scalars()
    )
    _delete_students(conn, ids)
    for table in (s.evaluations, s.groupings):
        conn.execute(table.delete().where(table.c.class_id == class_id))
    conn.execute(s.classes.delete().where(s.classes.c.id == class_id))
    return len(ids)


def delete_class(scope: TeamScope, class_id: int) -> None:
    """The class and everything about its students, at once and for good; the activity
    record keeps that it happened (the class's name and a count, no student)."""
    with scope.writing() as conn:
        row = require_own_class(conn, scope, class_id)
        count = _delete_class(conn, class_id)
        activity.record(
            conn,
            scope,
            "class",
            f"deleted the class “{row.name}” and everything about its {plural(count, 'student')}",
        )


def delete_expired(store: Store) -> int:
    """Deletes every class whose retention date is more than
    :data:`~collab_widgets.students.rules.DELETE_AFTER` past (by the store's clock); each
    deletion is in its team's activity record. Returns how many classes went. Also
    forgets the students' page's wrong codes older than :data:`WRONG_CODES_KEPT`."""
    last_kept = store.clock.today() - rules.DELETE_AFTER
    expired_now = sa.select(s.classes.c.id, s.classes.c.team_id, s.classes.c.name).where(
        s.classes.c.retain_until < last_kept
    )
    # the students' page's wrong codes (network addresses) past the time they are counted:
    # the page forgets them when the next wrong code comes, which may be never
    stale = (
        t.wrong_codes.c.page == LIGHT_PAGE,
        t.wrong_codes.c.tried_at <= (store.now() - WRONG_CODES_KEPT),
    )
    with store.reading() as conn:  # most days there is neither: no write then
        forget = conn.execute(sa.select(t.wrong_codes.c.id).where(*stale).limit(1)).first()
        expiring = conn.execute(expired_now.limit(1)).first()
    if forget is None and expiring is None:
        return 0
    with store.writing() as conn:
        conn.execute(t.wrong_codes.delete().where(*stale))
        expired = conn.execute(expired_now).all()
        for row in expired:
            count = _delete_class(conn, row.id)
            conn.execute(
                t.activity.insert().values(
                    team_id=row.team_id,
                    at=store.now(),
                    kind="class",
                    summary=(
                        f"the class “{row.name}” and everything about its "
                        f"{plural(count, 'student')} were deleted: its time to be kept ended"
                    ),
                    member_id=None,
                    link=None,
                )
            )
    return len(expired)


def remembered_mapping(scope: TeamScope, columns: list[str]) -> ClassMapping | None:
    with scope.reading() as conn:
        text = conn.execute(
            sa.select(s.class_mappings.c.mapping).where(
                s.class_mappings.c.team_id == scope.team_id,
                s.class_mappings.c.signature == rules.signature(columns),
            )
        ).scalar()
    return None if text is None else ClassMapping.from_json(text, columns)


def remember_mapping(scope: TeamScope, columns: list[str], mapping: ClassMapping) -> None:
    key = rules.signature(columns)
    with scope.writing() as conn:
        done = conn.execute(
            s.class_mappings.update()
            .where(s.class_mappings.c.team_id == scope.team_id, s.class_mappings.c.signature == key)
            .values(mapping=mapping.to_json(), saved_at=scope.store.now())
        )
        if done.rowcount == 0:
            conn.execute(
                s.class_mappings.insert().values(
                    team_id=scope.team_id,
                    signature=key,
                    mapping=mapping.to_json(),
                    saved_at=scope.store.now(),
                )
            )


def summary(scope: TeamScope) -> StudentsSummary:
    """For the coach: classes, students, groupings, evaluations (counts only)."""
    with scope.reading() as conn:

        def count(table: sa.Table) -> int:
            return conn.execute(
                sa.select(sa.func.count()).where(table.c.team_id == scope.team_id)
            ).scalar_one()

        return StudentsSummary(
            count(s.classes),
            count(s.class_students),
            count(s.groupings),
            count(s.evaluations),
        )
