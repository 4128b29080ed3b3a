"""What a student's own page reads and writes (through the light page,
:mod:`collab_widgets.students.api`): signed in by the class code and the code on their own
card, both checked again at every call, so a new class code or a new card ends the page.

A student reads their own name, the class's name, the survey and their own answers, their
teammates' display names while an evaluation of their group is open, and their own
feedback once released: never another student's answers, ratings, pseudonym or id
beyond the teammates' numbers the page rates them by."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sys
from collections.abc import Callable, Mapping
from typing import TypeVar

import sqlalchemy as sa

from collab_widgets.core import codes
from collab_widgets.core.db import Connection, Store
from collab_widgets.core.errors import AccessDenied, InvalidInput
from collab_widgets.core.light.limits import WrongCodeLimit
from collab_widgets.core.light.tokens import digest
from collab_widgets.students import evaluation as rules
from collab_widgets.students import survey as survey_rules
from collab_widgets.students import tables as s
from collab_widgets.students.model import (
    StudentEvaluation,
    StudentPage,
    StudentSession,
    Teammate,
)
from collab_widgets.students.store.classes import bump
from collab_widgets.students.store.evaluations import ratings_of, teams_of

T = TypeVar("T")

WRONG_CODES = (
    "Those codes do not open a class. Check the class code on the board and the code on "
    "your card, then try again."
)
ENDED = "This class has ended on this workbook. Ask your teacher if you need it."
CHANGED = (
    "Your class code or your card was changed. Type the class code on the board and the "
    "code on your card again."
)
CLOSED = "The teamwork check is closed; your teacher has your answers."


def _find(conn: Connection, class_code: str, student_code: str):
    row = conn.execute(
        sa.select(
            s.class_students.c.id,
            s.class_students.c.display_name,
            s.class_students.c.code_hash,
            s.classes.c.id.label("class_id"),
            s.classes.c.team_id,
            s.classes.c.code,
            s.classes.c.retain_until,
        )
        .join(s.classes, s.classes.c.id == s.class_students.c.class_id)
        .where(
            s.class_students.c.code_hash == digest(codes.normalize(student_code)),
            s.classes.c.code == codes.normalize(class_code),
        )
    ).first()
    return row


class Ended(AccessDenied):
    """Right codes of a class past its last day."""


def _still_open(row, today: dt.date):
    """Codes that are right but of a class past its last day: refused, not a wrong code."""
    if row.retain_until < today:
        raise Ended(ENDED)
    return row


def _session(row) -> StudentSession:
    return StudentSession(
        team_id=row.team_id,
        class_id=row.class_id,
        student_id=row.id,
        display_name=row.display_name,
        class_code=row.code,
        student_code_hash=row.code_hash,
    )


def _card_only(limit: WrongCodeLimit) -> WrongCodeLimit:
    """``limit`` without its count per network: what a right pair of codes must pass."""
    return dataclasses.replace(limit, per_address=sys.maxsize)


def _as_later_call(action: Callable[[], T], later: bool) -> T:
    """``action()``; on a call after signing in (``later``), every refusal but an ended
    class reads :data:`CHANGED`: the page asks for the codes again, where signing in says
    why, and a guesser on the page's routes cannot tell a card tried too often from a
    wrong one."""
    if not later:
        return action()
    try:
        return action()
    except Ended:
        raise
    except AccessDenied as exc:
        raise AccessDenied(CHANGED) from exc


def find(
    store: Store,
    class_code: str,
    student_code: str,
    address: str = "",
    limit: WrongCodeLimit | None = None,
    *,
    later: bool = False,
) -> StudentSession | None:
    """The student the two codes belong to, or None for wrong codes (to be counted by
    :func:`count_wrong`); a read only, so a page's poll writes nothing.

    A right pair opens whatever the count of wrong codes from its network: a room shares
    its school's address (behind a reverse proxy, every school does), so one student typing
    wrong codes on purpose, or a room's pages all refused at once when the class code
    changes, would otherwise lock every student out. Guessing gains nothing from it: a
    pair is a class code and a card of ten characters (about 79 bits; 49 for a classmate
    who knows the class code), and beyond the network's count every wrong code is refused
    unchecked. A card tried too often (``limit``'s count per code: someone holding a card,
    guessing the class code) is refused, right or wrong, until its tries leave the window.
    """

    def look() -> StudentSession | None:
        with store.reading() as conn:
            row = _find(conn, class_code, student_code)
            if row is not None and limit is not None:
                card = codes.normalize(student_code)
                _card_only(limit).attempt(conn, store.now(), address, card, lambda: row)
        if row is None:
            return None
        return _session(_still_open(row, store.clock.today()))

    return _as_later_call(look, later)


def count_wrong(
    store: Store,
    class_code: str,
    student_code: str,
    address: str = "",
    limit: WrongCodeLimit | None = None,
    *,
    later: bool = False,
) -> StudentSession:
    """Codes :func:`find` did not find, counted per network address and per card code
    (``limit``, in the database) and refused (:data:`WRONG_CODES`, or :data:`CHANGED` on a
    ``later`` call); unless they opened a class meanwhile (a card printed a moment ago),
    then the student."""
    refusal = CHANGED if later else WRONG_CODES

    def check(conn: Connection):
        row = _find(conn, class_code, student_code)
        if row is None:
            raise AccessDenied(refusal)
        return row

    def counted() -> StudentSession:
        if limit is None:
            with store.reading() as conn:
                row = check(conn)
            return _session(_still_open(row, store.clock.today()))
        refused: AccessDenied | None = None
        with store.writing() as conn:
            try:
                card = codes.normalize(student_code)
                row = limit.attempt(conn, store.now(), address, card, lambda: check(conn))
            except AccessDenied as exc:  # raised after the block, which keeps the count
                refused = exc
        if refused is not None:
            raise refused
        return _session(_still_open(row, store.clock.today()))

    return _as_later_call(counted, later)


def sign_in(
    store: Store, class_code: str, student_code: str, address: str, limit: WrongCodeLimit
) -> StudentSession:
    """The student the two codes belong to; wrong codes are counted per network address
    and per card code (``limit``), in the database (see :func:`find`)."""
    found = find(store, class_code, student_code, address, limit)
    return found or count_wrong(store, class_code, student_code, address, limit)


def signed_in(
    store: Store,
    class_code: str,
    student_code: str,
    address: str = "",
    limit: WrongCodeLimit | None = None,
) -> StudentSession:
    """The session again, at every call after signing in: refused once either code changed
    (counted as a wrong code with ``limit``: the page's calls are a way in too)."""
    args = (store, class_code, student_code, address, limit)
    return find(*args, later=True) or count_wrong(*args, later=True)


def _still_signed_in(conn: Connection, session: StudentSession) -> None:
    """In a save's own transaction: the codes the session was opened with still open it
    (a class code changed, a card reprinted or a student removed a moment before)."""
    found = conn.execute(
        sa.select(s.class_students.c.id)
        .join(s.classes, s.classes.c.id == s.class_students.c.class_id)
        .where(
            s.class_students.c.id == session.student_id,
            s.class_students.c.code_hash == session.student_code_hash,
            s.classes.c.id == session.class_id,
            s.classes.c.code == session.class_code,
        )
    ).first()
    if found is None:
        raise AccessDenied(CHANGED)


def _open_evaluation(conn: Connection, session: StudentSession):
    """The class's latest evaluation whose groups hold the student (open, or released)."""
    return conn.execute(
        sa.select(s.evaluations)
        .join(
            s.grouping_members,
            s.grouping_members.c.grouping_id == s.evaluations.c.grouping_id,
        )
        .where(
            s.evaluations.c.class_id == session.class_id,
            s.grouping_members.c.student_id == session.student_id,
            sa.or_(s.evaluations.c.closed_at.is_(None), s.evaluations.c.released_at.is_not(None)),
        )
        .order_by(s.evaluations.c.opened_at.desc(), s.evaluations.c.id.desc())
    ).first()


def _team(conn: Connection, grouping_id: int, student_id: int) -> list[str]:
    for members in teams_of(conn, grouping_id).values():
        if str(student_id) in members:
            return members
    return [str(student_id)]


def page(
    store: Store, session: StudentSession, dimensions: tuple[rules.Dimension, ...]
) -> StudentPage:
    with store.reading() as conn:
        class_row = conn.execute(
            sa.select(s.classes.c.name, s.classes.c.survey_open).where(
                s.classes.c.id == session.class_id
            )
        ).one()
        answers = conn.execute(
            sa.select(s.student_survey_answers.c.answers).where(
                s.student_survey_answers.c.student_id == session.student_id
            )
        ).scalar()
        found = _open_evaluation(conn, session)
        evaluation = feedback = None
        if found is not None:
            team = _team(conn, found.grouping_id, session.student_id)
            names = dict(
                conn.execute(
                    sa.select(s.class_students.c.id, s.class_students.c.display_name).where(
                        s.class_students.c.id.in_([int(i) for i in team])
                    )
                ).all()
            )
            own = s.evaluation_ratings.c
            ratings = {
                (r.ratee_id, r.dimension): r.level
                for r in conn.execute(
                    sa.select(own.ratee_id, own.dimension, own.level).where(
                        own.evaluation_id == found.id, own.rater_id == session.student_id
                    )
                )
            }
            written = s.evaluation_comments.c
            comments = dict(
                conn.execute(
                    sa.select(written.ratee_id, written.text).where(
                        written.evaluation_id == found.id,
                        written.rater_id == session.student_id,
                    )
                ).all()
            )
            ordered = sorted(team, key=lambda i: (i != str(session.student_id), names[int(i)]))
            asked = rules.dimensions_in_use(found.dimensions, dimensions)
            evaluation = StudentEvaluation(
                id=found.id,
                title=found.title,
                open=found.closed_at is None,
                teammates=tuple(
                    Teammate(int(i), names[int(i)], i == str(session.student_id)) for i in ordered
                ),
                ratings=ratings,
                comments=comments,
                dimensions=asked,
            )
            if found.released_at is not None:
                in_team = [
                    r for r in ratings_of(conn, found.id) if r.rater in team and r.ratee in team
                ]
                result = rules.team_results("team", team, in_team, asked)
                feedback = rules.feedback_for(str(session.student_id), result, in_team, asked)
    return StudentPage(
        display_name=session.display_name,
        class_name=class_row.name,
        survey_open=class_row.survey_open,
        survey_answers={k: tuple(v) for k, v in json.loads(answers or "{}").items()},
        evaluation=evaluation,
        feedback=feedback,
    )


def save_survey(
    store: Store,
    session: StudentSession,
    survey: survey_rules.StudentSurvey,
    answers: Mapping[str, list[str]],
) -> None:
    cleaned = survey_rules.check_answers(survey, answers)
    text = json.dumps({k: list(v) for k, v in cleaned.items()}, ensure_ascii=False)
    with store.writing() as conn:
        _still_signed_in(conn, session)
        opened = conn.execute(
            sa.select(s.classes.c.survey_open).where(s.classes.c.id == session.class_id)
        ).scalar()
        if not opened:
            raise InvalidInput("The survey is closed; your teacher has your answers.")
        table = s.student_survey_answers
        done = conn.execute(
            table.update()
            .where(table.c.student_id == session.student_id)
            .values(answers=text, answered_at=store.now())
        )
        if done.rowcount == 0:
            conn.execute(
                table.insert().values(
                    team_id=session.team_id,
                    class_id=session.class_id,
                    student_id=session.student_id,
                    answers=text,
                    answered_at=store.now(),
                )
            )
        bump(conn, session.class_id)


def save_evaluation(
    store: Store,
    session: StudentSession,
    evaluation_id: int,
    ratings: Mapping[tuple[int, str], int],
    comments: Mapping[int, str],
    dimensions: tuple[rules.Dimension, ...],
) -> None:
    """The student's ratings (of themselves and each teammate) and comments, as far as
    filled in: each replaces the student's earlier one."""
    with store.writing() as conn:
        _still_signed_in(conn, session)
        found = _open_evaluation(conn, session)
        if found is None or found.id != evaluation_id or found.closed_at is not None:
            raise InvalidInput(CLOSED)
        team = _team(conn, found.grouping_id, session.student_id)
        by_text = {(str(ratee), dim): level for (ratee, dim), level in ratings.items()}
        asked = rules.dimensions_in_use(found.dimensions, dimensions)
        rules.check_ratings(team, str(session.student_id), by_text, asked)
        unknown = {int(i) for i in comments} - {int(i) for i in team}
        if unknown:
            raise InvalidInput("You can write only about your own teammates.")
        cleaned = {int(i): rules.check_comment(text) for i, text in comments.items()}
        now = store.now()
        _replace(
            conn,
            s.evaluation_ratings,
            session,
            evaluation_id,
            [
                {"ratee_id": int(ratee), "dimension": dim, "level": level, "rated_at": now}
                for (ratee, dim), level in by_text.items()
            ],
            lambda row: (row["ratee_id"], row["dimension"]),
        )
        _replace(
            conn,
            s.evaluation_comments,
            session,
            evaluation_id,
            [{"ratee_id": i, "text": text, "written_at": now} for i, text in cleaned.items()],
            lambda row: (row["ratee_id"],),
        )
        bump(conn, session.class_id)


def _replace(
    conn: Connection,
    table: sa.Table,
    session: StudentSession,
    evaluation_id: int,
    rows: list[dict],
    key: Callable[[dict], tuple],
) -> None:
    if not rows:
        return
    mine = sa.and_(table.c.evaluation_id == evaluation_id, table.c.rater_id == session.student_id)
    for row in rows:
        where = [table.c.ratee_id == row["ratee_id"]]
        if "dimension" in row:
            where.append(table.c.dimension == row["dimension"])
        conn.execute(table.delete().where(mine, *where))
    conn.execute(
        table.insert(),
        [
            {
                "team_id": session.team_id,
                "evaluation_id": evaluation_id,
                "rater_id": session.student_id,
                **row,
            }
            for row in sorted(rows, key=key)
        ],
    )
