"""What a family's own page reads and writes (through the light page,
:mod:`collab_widgets.families.api`): opened by one guardian's link code, checked again at
every call, so a rotated, revoked or blocked link ends the page at once.

A family reads its own child's name and results, the class graph as counts per bin, the
home activities, the meetings' dates, its own goals and their progress, the conference
times still free and its own, its own agreements, the workshops and its own sign-ups, and
whether it answered the open feedback survey. Never another family's anything: no other
child's id, name, pseudonym or result, no contact, no conference note."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import sqlalchemy as sa

from collab_widgets.core import codes
from collab_widgets.core.db import Connection, Store
from collab_widgets.core.db import tables as t
from collab_widgets.core.i18n import N_
from collab_widgets.core.light.limits import WrongCodeLimit, find_by_code
from collab_widgets.core.light.tokens import digest
from collab_widgets.families import rules
from collab_widgets.families import tables as f
from collab_widgets.families.library import FeedbackSurvey
from collab_widgets.families.library import asked as asked_questions
from collab_widgets.families.model import FamilyGoal, FamilySession, Progress
from collab_widgets.families.rules import FamilyError, FamilyRefused, GoalDraft, GoalProblem
from collab_widgets.families.store.class_meetings import _meeting, goal_of, goal_progress
from collab_widgets.students import tables as s

WRONG_LINK = N_(
    "This link does not open a family page. Check that the whole link was copied, or ask "
    "the teacher for a new one."
)
CHANGED = N_("This link was changed or stopped by the teacher. Ask the teacher for your new link.")
ENDED = N_("This class's year on the workbook is over. Ask the teacher if you need anything.")
TOO_MANY = N_("Too many tries with wrong links. Wait a few minutes, then open your link again.")
GOAL_CHANGED = N_(
    "Someone in your family changed this goal a moment ago. Here it is now; your own "
    "words are still in the boxes if you want to save them instead."
)
GOAL_CLOSED = N_(
    "This meeting is over, so its goal stays as you set it. Talk with the teacher if you "
    "would like to change it."
)
SLOT_TAKEN = N_("Another family chose that time a moment ago. Please choose another time.")
NO_MEETING = N_("That meeting is no longer planned. Reload the page to see the dates now.")
NO_SLOT = N_("That time is no longer offered. Please choose another time.")
NO_WORKSHOP = N_("That workshop is no longer planned.")
SURVEY_CLOSED = N_("The survey is closed. Thank you!")
SURVEY_DONE = N_("Your family has already answered this survey. Thank you!")
SURVEY_INCOMPLETE = N_("Choose an answer for each question, then send.")


def _look_up(conn: Connection, code: str):
    return conn.execute(
        sa.select(
            f.family_guardians.c.id,
            f.family_guardians.c.code_hash,
            f.families.c.id.label("family_id"),
            f.families.c.student_id,
            f.families.c.language,
            s.classes.c.id.label("class_id"),
            s.classes.c.team_id,
            s.classes.c.retain_until,
        )
        .join(f.families, f.families.c.id == f.family_guardians.c.family_id)
        .join(s.classes, s.classes.c.id == f.families.c.class_id)
        .where(
            f.family_guardians.c.code_hash == digest(codes.normalize(code)),
            f.family_guardians.c.blocked.is_(False),
        )
    ).first()


def _session(row, today: dt.date) -> FamilySession:
    if row.retain_until < today:
        raise FamilyRefused(ENDED)
    return FamilySession(
        team_id=row.team_id,
        class_id=row.class_id,
        family_id=row.family_id,
        student_id=row.student_id,
        guardian_id=row.id,
        code_hash=row.code_hash,
        language=row.language,
    )


def sign_in(
    store: Store, code: str, address: str, limit: WrongCodeLimit, *, later: bool = False
) -> FamilySession:
    """The guardian the link's code belongs to. Wrong codes are counted per network and
    per code (``limit``); a right code opens whatever its network's count (a school's
    families share few addresses), unless that code was tried too often."""
    row = find_by_code(
        store,
        codes.normalize(code),
        address,
        limit,
        _look_up,
        unknown=FamilyRefused(CHANGED if later else WRONG_LINK),
        too_many=FamilyRefused(TOO_MANY),
    )
    return _session(row, store.clock.today())


def _still_signed_in(conn: Connection, session: FamilySession) -> None:
    """In a save's own transaction: the link still opens this family's page."""
    found = conn.execute(
        sa.select(f.family_guardians.c.id).where(
            f.family_guardians.c.id == session.guardian_id,
            f.family_guardians.c.code_hash == session.code_hash,
            f.family_guardians.c.blocked.is_(False),
        )
    ).first()
    if found is None:
        raise FamilyRefused(CHANGED)


@dataclasses.dataclass(frozen=True)
class MeetingView:
    """One class meeting as a family sees it: its own child's result and the bin it is in,
    and the class graph as counts (or None for a class too small to show one)."""

    id: int
    title: str
    held_on: dt.date
    starts_at: str
    skill: str
    bins: tuple | None
    child_percent: float | None
    child_bin: int | None
    agenda: tuple[dict, ...]
    activities: tuple[dict, ...]
    goal: FamilyGoal | None
    progress: Progress | None


@dataclasses.dataclass(frozen=True)
class FamilyPageData:
    child: str
    class_name: str
    teacher: str
    language: str
    meetings: tuple[MeetingView, ...]
    slots: tuple[dict, ...]  # {id, kind, day, starts_at, minutes, mine}
    agreements: tuple[dict, ...]  # {text, owner, done}
    workshops: tuple[dict, ...]  # {id, title, held_on, starts_at, place, signed_up}
    feedback: dict | None  # {round, title, answered, questions}


def page(store: Store, session: FamilySession, today: dt.date | None = None) -> FamilyPageData:
    """Everything the family's page shows, and nothing about anyone else."""
    today = today or store.clock.today()
    with store.reading() as conn:
        _still_signed_in(conn, session)
        child = conn.execute(
            sa.select(s.class_students.c.display_name, s.classes.c.name, s.classes.c.owner_id)
            .join(s.classes, s.classes.c.id == s.class_students.c.class_id)
            .where(s.class_students.c.id == session.student_id)
        ).one()
        teacher = conn.execute(
            sa.select(t.members.c.name).where(t.members.c.id == child.owner_id)
        ).scalar()
        meetings = _meetings(conn, session)
        slot_rows = conn.execute(
            sa.select(f.conference_slots)
            .where(
                f.conference_slots.c.class_id == session.class_id,
                sa.or_(
                    f.conference_slots.c.family_id.is_(None),
                    f.conference_slots.c.family_id == session.family_id,
                ),
                f.conference_slots.c.day >= today,
            )
            .order_by(f.conference_slots.c.day, f.conference_slots.c.starts_at)
        ).all()
        agreement_rows = conn.execute(
            sa.select(f.conference_agreements)
            .where(f.conference_agreements.c.family_id == session.family_id)
            .order_by(f.conference_agreements.c.id)
        ).all()
        workshop_rows = conn.execute(
            sa.select(
                f.family_workshops,
                f.workshop_signups.c.signed_up_at,
            )
            .outerjoin(
                f.workshop_signups,
                sa.and_(
                    f.workshop_signups.c.workshop_id == f.family_workshops.c.id,
                    f.workshop_signups.c.family_id == session.family_id,
                ),
            )
            .where(
                f.family_workshops.c.class_id == session.class_id,
                f.family_workshops.c.held_on >= today,
            )
            .order_by(f.family_workshops.c.held_on)
        ).all()
        open_round = conn.execute(
            sa.select(
                f.feedback_rounds.c.id, f.feedback_rounds.c.title, f.feedback_rounds.c.questions
            ).where(
                f.feedback_rounds.c.class_id == session.class_id,
                f.feedback_rounds.c.closed_at.is_(None),
            )
        ).first()
        answered = open_round is not None and (
            conn.execute(
                sa.select(f.feedback_receipts.c.id).where(
                    f.feedback_receipts.c.round_id == open_round.id,
                    f.feedback_receipts.c.family_id == session.family_id,
                )
            ).first()
            is not None
        )
    return FamilyPageData(
        child=child.display_name,
        class_name=child.name,
        teacher=teacher or "",
        language=session.language,
        meetings=tuple(meetings),
        slots=tuple(
            {
                "id": row.id,
                "kind": row.kind,
                "day": row.day,
                "starts_at": row.starts_at,
                "minutes": row.minutes,
                "mine": row.family_id == session.family_id,
            }
            for row in slot_rows
        ),
        agreements=tuple(
            {"text": row.text, "owner": row.owner, "done": row.done_at is not None}
            for row in agreement_rows
        ),
        workshops=tuple(
            {
                "id": row.id,
                "title": json.loads(row.title),
                "held_on": row.held_on,
                "starts_at": row.starts_at,
                "place": row.place,
                "signed_up": row.signed_up_at is not None,
            }
            for row in workshop_rows
        ),
        feedback=None
        if open_round is None
        else {
            "round": open_round.id,
            "title": open_round.title,
            "answered": answered,
            "questions": json.loads(open_round.questions),
        },
    )


def _meetings(conn: Connection, session: FamilySession) -> list[MeetingView]:
    rows = conn.execute(
        sa.select(f.family_meetings, f.family_results.c.percent)
        .outerjoin(
            f.family_results,
            sa.and_(
                f.family_results.c.meeting_id == f.family_meetings.c.id,
                f.family_results.c.student_id == session.student_id,
            ),
        )
        .where(f.family_meetings.c.class_id == session.class_id)
        .order_by(f.family_meetings.c.held_on, f.family_meetings.c.id)
    ).all()
    goals = {
        row.meeting_id: goal_of(row)
        for row in conn.execute(
            sa.select(f.family_goals).where(f.family_goals.c.family_id == session.family_id)
        ).all()
    }
    views = []
    for row in rows:
        meeting = _meeting(row)
        goal = goals.get(row.id)
        percent = row.percent
        views.append(
            MeetingView(
                id=row.id,
                title=meeting.title,
                held_on=meeting.held_on,
                starts_at=meeting.starts_at,
                skill=meeting.skill,
                bins=meeting.bins,
                child_percent=percent,
                child_bin=None
                if percent is None or meeting.bins is None
                else rules.bin_index(percent),
                agenda=meeting.agenda,
                activities=meeting.activities,
                goal=goal,
                progress=None
                if goal is None
                else goal_progress(conn, session.class_id, session.student_id, goal),
            )
        )
    return views


def save_goal(
    store: Store,
    session: FamilySession,
    meeting_id: int,
    draft: GoalDraft,
    seen_version: int | None,
) -> tuple[FamilyGoal | None, list[GoalProblem]]:
    """The family's 60-day goal of a meeting, checked (:func:`rules.check_goal`): saved, or
    the problems by field and nothing saved. ``seen_version``: the goal's version the page
    showed (None: it showed none); another guardian's newer goal is never overwritten."""
    with store.writing() as conn:
        _still_signed_in(conn, session)
        meeting = conn.execute(
            sa.select(f.family_meetings.c.held_on, f.family_results.c.percent)
            .outerjoin(
                f.family_results,
                sa.and_(
                    f.family_results.c.meeting_id == f.family_meetings.c.id,
                    f.family_results.c.student_id == session.student_id,
                ),
            )
            .where(
                f.family_meetings.c.id == meeting_id,
                f.family_meetings.c.class_id == session.class_id,
            )
        ).first()
        if meeting is None:
            raise FamilyError(NO_MEETING)
        if meeting.held_on < store.clock.today():  # read at the next meeting as it was set
            raise FamilyError(GOAL_CLOSED)
        checked, problems = rules.check_goal(
            draft, meeting.percent, meeting.held_on, store.clock.today()
        )
        if checked is None:
            return None, problems
        where = (
            f.family_goals.c.family_id == session.family_id,
            f.family_goals.c.meeting_id == meeting_id,
        )
        stored = conn.execute(sa.select(f.family_goals).where(*where)).first()
        if (stored.version if stored else None) != seen_version:
            raise FamilyError(GOAL_CHANGED)
        values = {
            "practice": checked.practice,
            "times_per_week": checked.times_per_week,
            "target": checked.target,
            "by_date": checked.by_date,
            "written_at": store.now(),
        }
        if stored is None:
            conn.execute(
                f.family_goals.insert().values(
                    team_id=session.team_id,
                    family_id=session.family_id,
                    meeting_id=meeting_id,
                    version=1,
                    **values,
                )
            )
        else:
            done = conn.execute(
                f.family_goals.update()
                .where(*where, f.family_goals.c.version == seen_version)
                .values(version=seen_version + 1, **values)
            )
            if done.rowcount != 1:
                raise FamilyError(GOAL_CHANGED)
        _bump(conn, session)
        return goal_of(conn.execute(sa.select(f.family_goals).where(*where)).one()), []


def _bump(conn: Connection, session: FamilySession) -> None:
    """The teacher's page polls the class's change counter."""
    conn.execute(
        s.classes.update()
        .where(s.classes.c.id == session.class_id)
        .values(revision=s.classes.c.revision + 1)
    )


def choose_slot(store: Store, session: FamilySession, slot_id: int) -> None:
    """Takes a conference time for the family, in one statement that succeeds only while
    the time is free (two families choosing at once: one gets it, the other is told); the
    family's other time of the same kind, if any, is given up."""
    with store.writing() as conn:
        _still_signed_in(conn, session)
        row = conn.execute(
            sa.select(f.conference_slots).where(
                f.conference_slots.c.id == slot_id,
                f.conference_slots.c.class_id == session.class_id,
            )
        ).first()
        if row is None or row.day < store.clock.today():
            raise FamilyError(NO_SLOT)
        if row.family_id == session.family_id:
            return
        taken = conn.execute(
            f.conference_slots.update()
            .where(f.conference_slots.c.id == slot_id, f.conference_slots.c.family_id.is_(None))
            .values(family_id=session.family_id, booked_at=store.now())
        )
        if taken.rowcount != 1:
            raise FamilyError(SLOT_TAKEN)
        conn.execute(
            f.conference_slots.update()
            .where(
                f.conference_slots.c.class_id == session.class_id,
                f.conference_slots.c.family_id == session.family_id,
                f.conference_slots.c.kind == row.kind,
                f.conference_slots.c.id != slot_id,
                f.conference_slots.c.day >= store.clock.today(),
            )
            .values(family_id=None, booked_at=None)
        )
        _bump(conn, session)


def give_up_slot(store: Store, session: FamilySession, slot_id: int) -> None:
    with store.writing() as conn:
        _still_signed_in(conn, session)
        conn.execute(
            f.conference_slots.update()
            .where(
                f.conference_slots.c.id == slot_id,
                f.conference_slots.c.class_id == session.class_id,
                f.conference_slots.c.family_id == session.family_id,
                f.conference_slots.c.day >= store.clock.today(),  # one held stays on record
            )
            .values(family_id=None, booked_at=None)
        )
        _bump(conn, session)


def sign_up(store: Store, session: FamilySession, workshop_id: int, coming: bool) -> None:
    with store.writing() as conn:
        _still_signed_in(conn, session)
        found = conn.execute(
            sa.select(f.family_workshops.c.id).where(
                f.family_workshops.c.id == workshop_id,
                f.family_workshops.c.class_id == session.class_id,
                f.family_workshops.c.held_on >= store.clock.today(),
            )
        ).first()
        if found is None:
            raise FamilyError(NO_WORKSHOP)
        where = (
            f.workshop_signups.c.workshop_id == workshop_id,
            f.workshop_signups.c.family_id == session.family_id,
        )
        when = store.now() if coming else None
        done = conn.execute(f.workshop_signups.update().where(*where).values(signed_up_at=when))
        if done.rowcount == 0 and coming:
            conn.execute(
                f.workshop_signups.insert().values(
                    team_id=session.team_id,
                    workshop_id=workshop_id,
                    family_id=session.family_id,
                    signed_up_at=when,
                    attended=False,
                )
            )
        _bump(conn, session)


def answer_feedback(
    store: Store,
    session: FamilySession,
    round_id: int,
    answers: dict[str, int],
    survey: FeedbackSurvey,
) -> None:
    """The family's anonymous answers to the open feedback round, added to the round's
    counts (no family, no time, no row of its own); a receipt (the family, the round)
    stops a second answer."""
    levels = range(1, len(survey.scale["en"]) + 1)
    with store.writing() as conn:
        _still_signed_in(conn, session)
        row = conn.execute(
            sa.select(f.feedback_rounds).where(
                f.feedback_rounds.c.id == round_id,
                f.feedback_rounds.c.class_id == session.class_id,
            )
        ).first()
        if row is None or row.closed_at is not None:
            raise FamilyError(SURVEY_CLOSED)
        asked = [q.id for q in asked_questions(survey, json.loads(row.questions))]
        if any(not isinstance(answers.get(q), int) or answers[q] not in levels for q in asked):
            raise FamilyError(SURVEY_INCOMPLETE)
        receipt = (
            f.feedback_receipts.c.round_id == round_id,
            f.feedback_receipts.c.family_id == session.family_id,
        )
        if conn.execute(sa.select(f.feedback_receipts.c.id).where(*receipt)).first():
            raise FamilyError(SURVEY_DONE)
        conn.execute(
            f.feedback_receipts.insert().values(
                team_id=session.team_id, round_id=round_id, family_id=session.family_id
            )
        )
        for question in asked:
            _count(conn, session.team_id, round_id, question, answers[question])
        _bump(conn, session)


def _count(conn: Connection, team_id: int, round_id: int, question: str, level: int) -> None:
    """One more family gave ``level`` to ``question`` in the round."""
    where = (
        f.feedback_counts.c.round_id == round_id,
        f.feedback_counts.c.question == question,
        f.feedback_counts.c.level == level,
    )
    added = conn.execute(
        f.feedback_counts.update().where(*where).values(families=f.feedback_counts.c.families + 1)
    )
    if added.rowcount == 0:
        conn.execute(
            f.feedback_counts.insert().values(
                team_id=team_id, round_id=round_id, question=question, level=level, families=1
            )
        )
