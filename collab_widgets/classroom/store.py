"""The only SQL of classroom practice: plans written together, lesson study cycles and
their observation notes and photos, and peer observations.

Privacy, checked here at every read and write (a page's browser can ask for anything):
- a lesson study's photos are the team's members' only: never a coach's, never a visitor's
  holding only the team link, never in an export; deleted with the lesson study;
- a peer observation is the two teachers': its notes, glows, grows and wonderings are
  read by the teacher observed and the observer only (a coach, a teammate, the meeting
  record and every export read none of it). The team sees only what the teacher observed
  shares; a coach sees how many the team held, never who;
- the activity record names what happened, never a note's words.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection

import sqlalchemy as sa

from collab_widgets.classroom import cycle_links, rules
from collab_widgets.classroom import tables as c
from collab_widgets.classroom.model import (
    ClassroomSummary,
    CoPlan,
    LessonStudy,
    ObservationNote,
    PeerNote,
    PeerObservation,
    Photo,
    PlanVersion,
    SharedPeerLearning,
)
from collab_widgets.classroom.photos import clean_photo
from collab_widgets.classroom.rules import PlanContent, Segment
from collab_widgets.core.db import Permission, TeamScope, activity, shared_text
from collab_widgets.core.db import tables as t
from collab_widgets.core.errors import AccessDenied, InvalidInput, NotFound
from collab_widgets.core.model import check_text, check_unchanged, clean_name
from collab_widgets.evidence import store as evidence
from collab_widgets.goals import store as goals
from collab_widgets.live import store as live
from collab_widgets.protocols import store as runs
from collab_widgets.protocols.model import Protocol

PLAN_GONE = "That plan is no longer there (it was deleted). Choose another."
STUDY_GONE = "That lesson study is no longer there (it was deleted)."
PEER_PRIVATE = (
    "A peer observation's notes belong to the teacher observed and the colleague who "
    "observed; only they can open it."
)
MAX_PHOTOS_PER_NOTE = 3


def _now(scope: TeamScope):
    return scope.store.now()


def _member(scope: TeamScope, what: str) -> int:
    """The member acting: classroom work is a team member's, never a coach's or a team
    link's."""
    if scope.member_id is None or scope.actor.is_coach:
        raise AccessDenied(f"Only a member of the team, on their own link, can {what}.")
    return scope.member_id


def _names(conn: sa.Connection, scope: TeamScope) -> dict[int, str]:
    rows = conn.execute(
        sa.select(t.members.c.id, t.members.c.name).where(t.members.c.team_id == scope.team_id)
    )
    return dict(rows.all())


def _require_member_of_team(conn: sa.Connection, scope: TeamScope, member_id: int) -> None:
    found = conn.execute(
        sa.select(t.members.c.id).where(
            t.members.c.id == member_id,
            t.members.c.team_id == scope.team_id,
            t.members.c.deleted_at.is_(None),
        )
    ).first()
    if found is None:
        raise InvalidInput("That person is not on this team's roster.", "member")


# --- co-plans ----------------------------------------------------------------------------


def _live_plan(scope: TeamScope, plan_id: int):
    p = c.co_plans.c
    return (p.id == plan_id) & (p.team_id == scope.team_id) & p.deleted_at.is_(None)


def _own_cycle(scope: TeamScope, cycle_id: int | None) -> None:
    if cycle_id is not None:
        goals.get_cycle(scope, cycle_id)  # NotFound unless it is this team's


def create_plan(scope: TeamScope, title: str, cycle_id: int | None = None) -> int:
    title = clean_name(title, "plan's title")
    _own_cycle(scope, cycle_id)
    with scope.writing() as conn:
        plan_id = conn.execute(
            c.co_plans.insert().values(
                team_id=scope.team_id,
                cycle_id=cycle_id,
                title=title,
                standard="",
                target="",
                criteria="",
                groups="",
                materials="",
                created_at=_now(scope),
            )
        ).inserted_primary_key[0]
        activity.record(conn, scope, "co-plan", f"Plan “{title}” started", f"co-plan/{plan_id}")
    return plan_id


def plans(scope: TeamScope) -> list[CoPlan]:
    with scope.reading() as conn:
        ids = conn.execute(
            sa.select(c.co_plans.c.id)
            .where(c.co_plans.c.team_id == scope.team_id, c.co_plans.c.deleted_at.is_(None))
            .order_by(c.co_plans.c.id.desc())
        ).scalars()
        return [_plan(conn, scope, plan_id) for plan_id in ids.all()]


def get_plan(scope: TeamScope, plan_id: int) -> CoPlan:
    with scope.reading() as conn:
        return _plan(conn, scope, plan_id)


def _plan(conn: sa.Connection, scope: TeamScope, plan_id: int) -> CoPlan:
    row = conn.execute(sa.select(c.co_plans).where(_live_plan(scope, plan_id))).first()
    if row is None:
        raise NotFound(PLAN_GONE)
    s = c.co_plan_segments.c
    segments = conn.execute(
        sa.select(c.co_plan_segments)
        .where(s.plan_id == plan_id, s.team_id == scope.team_id, s.deleted_at.is_(None))
        .order_by(s.position, s.id)
    ).all()
    return CoPlan(
        row.id,
        row.cycle_id,
        row.title,
        row.standard,
        {key: getattr(row, key) for key in rules.SECTIONS},
        tuple(Segment(r.id, r.position, r.task, r.minutes, r.approach) for r in segments),
    )


def set_plan_text(scope: TeamScope, plan_id: int, section: str, typed: str, base: str | None):
    if section not in rules.SECTIONS:
        raise InvalidInput(f"A plan has no section “{section}”.")
    typed = check_text(typed, rules.SECTIONS[section].lower())
    with scope.writing() as conn:
        shared_text.write(conn, scope, c.co_plans, plan_id, section, typed, base, PLAN_GONE)


def set_standard(scope: TeamScope, plan_id: int, standard: str) -> None:
    standard = check_text(standard, "standard")[:200]
    with scope.writing() as conn:
        done = conn.execute(
            c.co_plans.update().where(_live_plan(scope, plan_id)).values(standard=standard)
        )
        if not done.rowcount:
            raise NotFound(PLAN_GONE)


def _approach(approach: str | None) -> str | None:
    if approach is not None and len(approach) > 60:
        raise InvalidInput("That is not one of the co-teaching approaches.", "approach")
    return approach


def add_segment(
    scope: TeamScope, plan_id: int, task: str = "", minutes: int = 10, approach: str | None = None
) -> int:
    task = check_text(task, "task")
    approach = _approach(approach)
    rules.check_minutes(minutes)
    s = c.co_plan_segments.c
    with scope.writing() as conn:
        if (
            conn.execute(sa.select(c.co_plans.c.id).where(_live_plan(scope, plan_id))).first()
            is None
        ):
            raise NotFound(PLAN_GONE)
        count, last = conn.execute(
            sa.select(sa.func.count(), sa.func.max(s.position)).where(
                s.plan_id == plan_id, s.deleted_at.is_(None)
            )
        ).one()
        if count >= rules.MAX_SEGMENTS:
            raise InvalidInput(
                f"A plan holds {rules.MAX_SEGMENTS} tasks at most; join two that go together."
            )
        return conn.execute(
            c.co_plan_segments.insert().values(
                team_id=scope.team_id,
                plan_id=plan_id,
                position=(last or 0) + 1,
                task=task,
                minutes=minutes,
                approach=approach,
            )
        ).inserted_primary_key[0]


def _live_segment(scope: TeamScope, segment_id: int):
    s = c.co_plan_segments.c
    return (s.id == segment_id) & (s.team_id == scope.team_id) & s.deleted_at.is_(None)


def set_segment_task(scope: TeamScope, segment_id: int, typed: str, base: str | None) -> None:
    typed = check_text(typed, "task")
    with scope.writing() as conn:
        shared_text.write(
            conn,
            scope,
            c.co_plan_segments,
            segment_id,
            "task",
            typed,
            base,
            "That task was taken out of the plan by someone else.",
        )


def set_segment(
    scope: TeamScope, segment_id: int, *, minutes: int | None = None, approach: str | None = ""
) -> None:
    """Change a task's minutes and/or its co-teaching approach (``approach`` None: one
    teacher; "" leaves it as it is)."""
    values: dict = {}
    if minutes is not None:
        values["minutes"] = rules.check_minutes(minutes)
    if approach != "":
        values["approach"] = _approach(approach)
    if not values:
        return
    with scope.writing() as conn:
        done = conn.execute(
            c.co_plan_segments.update().where(_live_segment(scope, segment_id)).values(values)
        )
        if not done.rowcount:
            raise NotFound("That task was taken out of the plan by someone else.")


def delete_segment(scope: TeamScope, segment_id: int) -> None:
    with scope.writing() as conn:
        conn.execute(
            c.co_plan_segments.update()
            .where(_live_segment(scope, segment_id))
            .values(deleted_at=_now(scope))
        )


def move_segment(scope: TeamScope, segment_id: int, by: int) -> None:
    """Move a task one place up (-1) or down (+1)."""
    s = c.co_plan_segments.c
    with scope.writing() as conn:
        row = conn.execute(
            sa.select(c.co_plan_segments).where(_live_segment(scope, segment_id))
        ).first()
        if row is None:
            raise NotFound("That task was taken out of the plan by someone else.")
        order = (
            conn.execute(
                sa.select(s.id)
                .where(s.plan_id == row.plan_id, s.deleted_at.is_(None))
                .order_by(s.position, s.id)
            )
            .scalars()
            .all()
        )
        i = order.index(segment_id)
        j = min(len(order) - 1, max(0, i + by))
        order[i], order[j] = order[j], order[i]
        for position, seg in enumerate(order, start=1):
            conn.execute(c.co_plan_segments.update().where(s.id == seg).values(position=position))


def save_version(scope: TeamScope, plan_id: int, label: str = "") -> int:
    """Keep the plan as it is now as its next version; returns the version's number."""
    label = check_text(label, "version's name")[:120]
    v = c.co_plan_versions.c
    with scope.writing() as conn:
        plan = _plan(conn, scope, plan_id)
        number = (
            conn.execute(sa.select(sa.func.max(v.number)).where(v.plan_id == plan_id)).scalar() or 0
        ) + 1
        conn.execute(
            c.co_plan_versions.insert().values(
                team_id=scope.team_id,
                plan_id=plan_id,
                number=number,
                label=label or f"Version {number}",
                content=plan.content().to_json(),
                saved_at=_now(scope),
                saved_by=scope.member_id,
            )
        )
        activity.record(
            conn,
            scope,
            "co-plan",
            f"Plan “{plan.title}”: version {number} kept",
            f"co-plan/{plan_id}",
        )
    return number


def versions(scope: TeamScope, plan_id: int) -> list[PlanVersion]:
    """Oldest first."""
    v = c.co_plan_versions.c
    with scope.reading() as conn:
        names = _names(conn, scope)
        rows = conn.execute(
            sa.select(c.co_plan_versions)
            .where(v.plan_id == plan_id, v.team_id == scope.team_id)
            .order_by(v.number)
        ).all()
    return [
        PlanVersion(
            r.id,
            r.number,
            r.label,
            PlanContent.from_json(r.content),
            r.saved_at,
            names.get(r.saved_by),
        )
        for r in rows
    ]


def versions_saved_on(scope: TeamScope, day) -> list[tuple[str, PlanVersion]]:
    """Each plan's latest version kept on ``day`` (the meeting record's plans)."""
    found = []
    for plan in plans(scope):
        kept = [v for v in versions(scope, plan.id) if v.saved_at.astimezone(dt.UTC).date() == day]
        if kept:
            found.append((plan.title, kept[-1]))
    return found


# --- lesson study ------------------------------------------------------------------------


def _study_where(scope: TeamScope, study_id: int):
    return (c.lesson_studies.c.id == study_id) & (c.lesson_studies.c.team_id == scope.team_id)


def create_study(scope: TeamScope, title: str, cycle_id: int | None = None) -> int:
    title = clean_name(title, "lesson study's title")
    _own_cycle(scope, cycle_id)
    with scope.writing() as conn:
        study_id = conn.execute(
            c.lesson_studies.insert().values(
                team_id=scope.team_id,
                cycle_id=cycle_id,
                title=title,
                stage=rules.THEME,
                theme="",
                study_notes="",
                case_students="[]",
                teaching=1,
                report="",
                created_at=_now(scope),
            )
        ).inserted_primary_key[0]
        activity.record(
            conn,
            scope,
            "lesson-study",
            f"Lesson study “{title}” started",
            f"lesson-study/{study_id}",
        )
    return study_id


def _study(conn: sa.Connection, scope: TeamScope, row) -> LessonStudy:
    teacher = None
    if row.teacher_id is not None:
        teacher = _names(conn, scope).get(row.teacher_id)
    return LessonStudy(
        row.id,
        row.cycle_id,
        row.title,
        row.stage,
        row.theme,
        row.study_notes,
        row.plan_id,
        row.assessment_id,
        tuple(json.loads(row.case_students)),
        row.teacher_id,
        teacher,
        row.teaching,
        row.lesson_started_at,
        row.lesson_ended_at,
        row.debrief_run_id,
        row.report,
    )


def studies(scope: TeamScope) -> list[LessonStudy]:
    with scope.reading() as conn:
        rows = conn.execute(
            sa.select(c.lesson_studies)
            .where(c.lesson_studies.c.team_id == scope.team_id)
            .order_by(c.lesson_studies.c.id.desc())
        ).all()
        return [_study(conn, scope, r) for r in rows]


def get_study(scope: TeamScope, study_id: int) -> LessonStudy:
    with scope.reading() as conn:
        return _study(conn, scope, _study_row(conn, scope, study_id))


def _study_row(conn: sa.Connection, scope: TeamScope, study_id: int):
    row = conn.execute(sa.select(c.lesson_studies).where(_study_where(scope, study_id))).first()
    if row is None:
        raise NotFound(STUDY_GONE)
    return row


STUDY_TEXTS = {"theme": "research theme", "study_notes": "study notes", "report": "report"}


def set_study_text(scope: TeamScope, study_id: int, field: str, typed: str, base: str | None):
    if field not in STUDY_TEXTS:
        raise InvalidInput(f"A lesson study has no “{field}”.")
    typed = check_text(typed, STUDY_TEXTS[field])
    with scope.writing() as conn:
        row = _study_row(conn, scope, study_id)
        check_unchanged(getattr(row, field), base, typed)
        conn.execute(
            c.lesson_studies.update().where(_study_where(scope, study_id)).values({field: typed})
        )


def set_research_lesson(scope: TeamScope, study_id: int, plan_id: int | None) -> None:
    with scope.writing() as conn:
        row = _study_row(conn, scope, study_id)
        if row.stage in rules.TEACHING:
            raise InvalidInput("The lesson is being taught: its plan stays as it is until then.")
        if (
            plan_id is not None
            and conn.execute(sa.select(c.co_plans.c.id).where(_live_plan(scope, plan_id))).first()
            is None
        ):
            raise NotFound(PLAN_GONE)
        conn.execute(
            c.lesson_studies.update().where(_study_where(scope, study_id)).values(plan_id=plan_id)
        )
        activity.record(
            conn,
            scope,
            "lesson-study",
            f"Lesson study “{row.title}”: research lesson chosen",
            f"lesson-study/{study_id}",
        )


def set_teacher(scope: TeamScope, study_id: int, member_id: int | None) -> None:
    with scope.writing() as conn:
        row = _study_row(conn, scope, study_id)
        if member_id is not None:
            _require_member_of_team(conn, scope, member_id)
        activity.record(
            conn,
            scope,
            "lesson-study",
            f"Lesson study “{row.title}”: who teaches it chosen",
            f"lesson-study/{study_id}",
        )
        conn.execute(
            c.lesson_studies.update()
            .where(_study_where(scope, study_id))
            .values(teacher_id=member_id)
        )


def set_case_students(
    scope: TeamScope, study_id: int, assessment_id: int | None, names: Collection[str]
) -> None:
    chosen: tuple[str, ...] = ()
    if assessment_id is not None:
        chosen = rules.check_case_students(
            list(names), cycle_links.assessment_students(scope, assessment_id)
        )
    with scope.writing() as conn:
        row = _study_row(conn, scope, study_id)
        if assessment_id is not None:
            evidence.require_assessment(conn, scope, assessment_id)
        activity.record(
            conn,
            scope,
            "lesson-study",
            f"Lesson study “{row.title}”: {len(chosen)} case "
            f"{'student' if len(chosen) == 1 else 'students'} chosen",
            f"lesson-study/{study_id}",
        )
        conn.execute(
            c.lesson_studies.update()
            .where(_study_where(scope, study_id))
            .values(assessment_id=assessment_id, case_students=json.dumps(list(chosen)))
        )


def move(scope: TeamScope, study_id: int, to: str) -> LessonStudy:
    """Take the lesson study to stage ``to``: starting to teach stamps the lesson's start,
    the debrief after it stamps its end (a note added later is marked so)."""
    with scope.writing() as conn:
        row = _study_row(conn, scope, study_id)
        rules.check_move(
            row.stage, to, has_plan=row.plan_id is not None, taught_again=row.teaching > 1
        )
        if to == row.stage:
            return _study(conn, scope, row)
        values: dict = {"stage": to}
        now = _now(scope)
        if to in rules.TEACHING:
            values.update(lesson_started_at=now, lesson_ended_at=None)
            if to == rules.TEACH_AGAIN:
                values["teaching"] = row.teaching + 1
                values["debrief_run_id"] = None  # the second teaching has a debrief of its own
        summary = f"Lesson study “{row.title}”: {rules.STAGE_NAMES[to]}"
        if row.stage in rules.TEACHING:
            values["lesson_ended_at"] = now
            n = c.observation_notes.c
            count = conn.execute(
                sa.select(sa.func.count()).where(
                    n.study_id == study_id, n.teaching == row.teaching, n.deleted_at.is_(None)
                )
            ).scalar()
            summary += f" ({count} observation {'note' if count == 1 else 'notes'})"
        conn.execute(c.lesson_studies.update().where(_study_where(scope, study_id)).values(values))
        activity.record(conn, scope, "lesson-study", summary, f"lesson-study/{study_id}")
        return _study(conn, scope, _study_row(conn, scope, study_id))


def delete_study(scope: TeamScope, study_id: int) -> None:
    """The lesson study with every note and photo of it, for good."""
    n = c.observation_notes.c
    with scope.writing(Permission.FACILITATE) as conn:
        row = _study_row(conn, scope, study_id)
        notes = sa.select(n.id).where(n.study_id == study_id, n.team_id == scope.team_id)
        conn.execute(c.observation_photos.delete().where(c.observation_photos.c.note_id.in_(notes)))
        conn.execute(c.observation_notes.delete().where(n.study_id == study_id))
        conn.execute(c.lesson_studies.delete().where(_study_where(scope, study_id)))
        activity.record(conn, scope, "lesson-study", f"Lesson study “{row.title}” deleted")


# --- observation notes -------------------------------------------------------------------


def add_note(
    scope: TeamScope,
    study_id: int,
    text: str,
    *,
    case_student: str | None = None,
    criterion: str | None = None,
    segment: str | None = None,
) -> int:
    """An observer's note, stamped now; a note added once the lesson ended is kept and
    marked "added after the lesson"."""
    text = rules.check_note(text)
    member = _member(scope, "add an observation note")
    study = get_study(scope, study_id)
    current = set()
    if case_student and study.assessment_id is not None:
        current = cycle_links.assessment_students(scope, study.assessment_id)
    rules.check_case_student(case_student, study.case_students, current)
    with scope.writing() as conn:
        row = _study_row(conn, scope, study_id)
        if row.lesson_started_at is None:
            raise InvalidInput(
                "The lesson has not started yet: notes open when the team moves the lesson "
                "study to “Teach and observe”."
            )
        note_id = conn.execute(
            c.observation_notes.insert().values(
                team_id=scope.team_id,
                study_id=study_id,
                teaching=row.teaching,
                member_id=member,
                at=_now(scope),
                text=text,
                case_student=case_student or None,
                criterion=(criterion or None) and criterion[:200],
                segment=(segment or None) and segment[:200],
                after_lesson=row.lesson_ended_at is not None,
            )
        ).inserted_primary_key[0]
    return note_id


def _own_note(conn: sa.Connection, scope: TeamScope, note_id: int):
    n = c.observation_notes.c
    row = conn.execute(
        sa.select(c.observation_notes).where(
            n.id == note_id, n.team_id == scope.team_id, n.deleted_at.is_(None)
        )
    ).first()
    if row is None:
        raise NotFound("That note is no longer there.")
    if row.member_id != scope.member_id:
        raise AccessDenied("You can change only your own notes.")
    return row


def edit_note(scope: TeamScope, note_id: int, text: str) -> None:
    text = rules.check_note(text)
    _member(scope, "change an observation note")
    with scope.writing() as conn:
        _own_note(conn, scope, note_id)
        conn.execute(
            c.observation_notes.update()
            .where(c.observation_notes.c.id == note_id)
            .values(text=text)
        )


def set_note_tags(
    scope: TeamScope,
    note_id: int,
    *,
    case_student: str | None = None,
    criterion: str | None = None,
    segment: str | None = None,
) -> None:
    """Tag one's own note again (the observer picked the case student after typing)."""
    _member(scope, "change an observation note")
    with scope.writing() as conn:
        row = _own_note(conn, scope, note_id)
        study = _study(conn, scope, _study_row(conn, scope, row.study_id))
    current = set()
    if case_student and study.assessment_id is not None:
        current = cycle_links.assessment_students(scope, study.assessment_id)
    rules.check_case_student(case_student, study.case_students, current)
    with scope.writing() as conn:
        _own_note(conn, scope, note_id)
        conn.execute(
            c.observation_notes.update()
            .where(c.observation_notes.c.id == note_id)
            .values(
                case_student=case_student or None,
                criterion=(criterion or None) and criterion[:200],
                segment=(segment or None) and segment[:200],
            )
        )


def delete_note(scope: TeamScope, note_id: int) -> None:
    _member(scope, "delete an observation note")
    with scope.writing() as conn:
        _own_note(conn, scope, note_id)
        conn.execute(c.observation_photos.delete().where(c.observation_photos.c.note_id == note_id))
        conn.execute(
            c.observation_notes.update()
            .where(c.observation_notes.c.id == note_id)
            .values(deleted_at=_now(scope))
        )


def notes(scope: TeamScope, study_id: int, teaching: int | None = None) -> list[ObservationNote]:
    """A lesson study's notes, oldest first (one teaching's, if given): for the team's
    members (notes about students; a coach sees the lesson study's stage)."""
    _member(scope, "read the observation notes")
    n, p = c.observation_notes.c, c.observation_photos.c
    query = sa.select(c.observation_notes).where(
        n.study_id == study_id, n.team_id == scope.team_id, n.deleted_at.is_(None)
    )
    if teaching is not None:
        query = query.where(n.teaching == teaching)
    with scope.reading() as conn:
        names = _names(conn, scope)
        rows = conn.execute(query.order_by(n.at, n.id)).all()
        photos: dict[int, list[int]] = {}
        for photo_id, note_id in conn.execute(
            sa.select(p.id, p.note_id)
            .where(p.team_id == scope.team_id, p.note_id.in_([r.id for r in rows]))
            .order_by(p.id)
        ):
            photos.setdefault(note_id, []).append(photo_id)
    return [
        ObservationNote(
            r.id,
            r.teaching,
            r.member_id,
            names.get(r.member_id),
            r.at,
            r.text,
            r.case_student,
            r.criterion,
            r.segment,
            r.after_lesson,
            tuple(photos.get(r.id, ())),
        )
        for r in rows
    ]


def add_photo(scope: TeamScope, note_id: int, data: bytes, name: str = "") -> int:
    """A photo of student work on one's own note: only the picture is kept."""
    _member(scope, "attach a photo")
    photo = clean_photo(data, name)  # before the transaction: decoding takes a moment
    p = c.observation_photos.c
    with scope.writing() as conn:
        _own_note(conn, scope, note_id)
        count = conn.execute(sa.select(sa.func.count()).where(p.note_id == note_id)).scalar()
        if count >= MAX_PHOTOS_PER_NOTE:
            raise InvalidInput(
                f"A note holds {MAX_PHOTOS_PER_NOTE} photos at most. Add another note for more."
            )
        title = conn.execute(
            sa.select(c.lesson_studies.c.title)
            .join(c.observation_notes, c.observation_notes.c.study_id == c.lesson_studies.c.id)
            .where(c.observation_notes.c.id == note_id)
        ).scalar()
        activity.record(conn, scope, "lesson-study", f"Lesson study “{title}”: a photo attached")
        return conn.execute(
            c.observation_photos.insert().values(
                team_id=scope.team_id,
                note_id=note_id,
                media_type=photo.media_type,
                width=photo.width,
                height=photo.height,
                data=photo.data,
                created_at=_now(scope),
            )
        ).inserted_primary_key[0]


def photo(scope: TeamScope, photo_id: int) -> Photo:
    _member(scope, "see photos of students' work")
    p = c.observation_photos.c
    with scope.reading() as conn:
        row = conn.execute(
            sa.select(c.observation_photos).where(p.id == photo_id, p.team_id == scope.team_id)
        ).first()
    if row is None:
        raise NotFound("That photo is no longer there.")
    return Photo(row.id, row.media_type, row.width, row.height, row.data)


def start_debrief(
    scope: TeamScope,
    study_id: int,
    protocol: Protocol,
    roles: dict[str, int],
    meeting_id: int | None = None,
) -> int:
    """Run ``protocol`` (the lesson study debrief) with the observers' notes of the latest
    teaching already on its boards: grouped by case student on the step keyed
    ``by-case-student``, by segment of the plan on ``by-segment``."""
    study = get_study(scope, study_id)
    if study.stage != rules.DEBRIEF:
        raise InvalidInput("The debrief starts once the lesson was taught and observed.")
    if study.debrief_run_id is not None:
        raise InvalidInput(
            "This lesson's debrief has already started: it is on the Debrief tab (and among "
            "its meeting's protocols once finished)."
        )
    run_id = runs.start_run(scope, protocol, meeting_id, roles)
    run = runs.get_run(scope, run_id)
    prompts = {step.key: step.prompt_id for step in run.steps}
    observed = notes(scope, study_id, study.teaching)
    seeded = []
    for key, group_of in (
        ("by-case-student", lambda note: note.case_student or "The class as a whole"),
        ("by-segment", lambda note: note.segment or "Not tied to a part of the lesson"),
    ):
        if key in prompts:
            seeded += [
                (
                    prompts[key],
                    note.text + (" (added after the lesson)" if note.after_lesson else ""),
                    group_of(note),
                    note.member_id,
                )
                for note in observed
            ]
    with scope.writing() as conn:
        live.seed_notes(conn, scope, seeded)
        conn.execute(
            c.lesson_studies.update()
            .where(_study_where(scope, study_id))
            .values(debrief_run_id=run_id)
        )
        activity.record(
            conn,
            scope,
            "lesson-study",
            f"Lesson study “{study.title}”: debrief started",
            f"run/{run_id}",
        )
    return run_id


def debrief_meeting(scope: TeamScope) -> int | None:
    """The meeting of the latest lesson study debrief (its actions are that meeting's)."""
    with scope.reading() as conn:
        run_id = conn.execute(
            sa.select(sa.func.max(c.lesson_studies.c.debrief_run_id)).where(
                c.lesson_studies.c.team_id == scope.team_id
            )
        ).scalar()
    return None if run_id is None else runs.get_run(scope, run_id).meeting_id


# --- peer observation --------------------------------------------------------------------


def _peer_happened(conn: sa.Connection, scope: TeamScope, what: str) -> None:
    """The activity record says that a peer observation ``what`` (was arranged…), never
    who observed whom: peer observation is not an evaluation."""
    activity.record(conn, scope, "peer-observation", f"A peer observation {what}", named=False)


def _peer_row(conn: sa.Connection, scope: TeamScope, peer_id: int):
    """The peer observation, for one of its two teachers only."""
    if scope.actor.is_coach or scope.member_id is None:
        raise AccessDenied(PEER_PRIVATE)
    o = c.peer_observations.c
    row = conn.execute(
        sa.select(c.peer_observations).where(
            o.id == peer_id, o.team_id == scope.team_id, o.deleted_at.is_(None)
        )
    ).first()
    if row is None:
        raise NotFound("That peer observation is no longer there.")
    if scope.member_id not in (row.observed_id, row.observer_id):
        raise AccessDenied(PEER_PRIVATE)
    return row


def invite(
    scope: TeamScope,
    observer_id: int,
    focus: str,
    evidence_to_collect: str = "",
    template: str | None = None,
) -> int:
    """The acting member invites a colleague to observe them."""
    me = _member(scope, "invite a colleague to observe")
    if template is not None and len(template) > 60:
        raise InvalidInput("That is not one of the observation templates.", "template")
    if observer_id == me:
        raise InvalidInput("Invite a colleague: you cannot observe yourself.", "observer")
    focus, evidence_to_collect = check_text(focus, "focus"), check_text(evidence_to_collect)
    with scope.writing() as conn:
        _require_member_of_team(conn, scope, observer_id)
        peer_id = conn.execute(
            c.peer_observations.insert().values(
                team_id=scope.team_id,
                observed_id=me,
                observer_id=observer_id,
                template=template,
                focus=focus,
                evidence=evidence_to_collect,
                glows="",
                grows="",
                wonderings="",
                takeaway="",
                created_at=_now(scope),
            )
        ).inserted_primary_key[0]
        _peer_happened(conn, scope, "was arranged")
    return peer_id


def _peer(conn: sa.Connection, scope: TeamScope, row) -> PeerObservation:
    names = _names(conn, scope)
    return PeerObservation(
        row.id,
        row.observed_id,
        names.get(row.observed_id, ""),
        row.observer_id,
        names.get(row.observer_id, ""),
        row.template,
        row.focus,
        row.evidence,
        row.glows,
        row.grows,
        row.wonderings,
        row.takeaway,
        row.lesson_started_at,
        row.lesson_ended_at,
        row.created_at,
    )


def my_peer_observations(scope: TeamScope) -> list[PeerObservation]:
    """Those the acting member is observed in or observes; none for anyone else."""
    if scope.actor.is_coach or scope.member_id is None:
        return []
    o = c.peer_observations.c
    with scope.reading() as conn:
        rows = conn.execute(
            sa.select(c.peer_observations)
            .where(
                o.team_id == scope.team_id,
                o.deleted_at.is_(None),
                sa.or_(o.observed_id == scope.member_id, o.observer_id == scope.member_id),
            )
            .order_by(o.id.desc())
        ).all()
        return [_peer(conn, scope, r) for r in rows]


def get_peer(scope: TeamScope, peer_id: int) -> PeerObservation:
    with scope.reading() as conn:
        return _peer(conn, scope, _peer_row(conn, scope, peer_id))


# Who writes what: the teacher observed sets the focus and what they tell the team; the
# observer writes what they saw go well, what could grow, and what they wonder.
PEER_TEXTS = {
    "focus": "observed",
    "evidence": "observed",
    "takeaway": "observed",
    "glows": "observer",
    "grows": "observer",
    "wonderings": "observer",
}


def set_peer_text(scope: TeamScope, peer_id: int, field: str, typed: str, base: str | None):
    if field not in PEER_TEXTS:
        raise InvalidInput(f"A peer observation has no “{field}”.")
    typed = check_text(typed, field)
    with scope.writing() as conn:
        row = _peer_row(conn, scope, peer_id)
        writer = row.observed_id if PEER_TEXTS[field] == "observed" else row.observer_id
        if scope.member_id != writer:
            who = "teacher observed" if PEER_TEXTS[field] == "observed" else "observer"
            raise AccessDenied(f"Only the {who} writes this part.")
        check_unchanged(getattr(row, field), base, typed)
        conn.execute(
            c.peer_observations.update()
            .where(c.peer_observations.c.id == peer_id)
            .values({field: typed})
        )


def peer_lesson(scope: TeamScope, peer_id: int, *, start: bool) -> None:
    """Start (or end) the lesson being observed: notes are stamped against it."""
    with scope.writing() as conn:
        row = _peer_row(conn, scope, peer_id)
        now = _now(scope)
        values = (
            {"lesson_started_at": now, "lesson_ended_at": None}
            if start
            else {"lesson_ended_at": now, "lesson_started_at": row.lesson_started_at or now}
        )
        conn.execute(
            c.peer_observations.update().where(c.peer_observations.c.id == peer_id).values(values)
        )
        if not start:
            _peer_happened(conn, scope, "took place")


def add_peer_note(scope: TeamScope, peer_id: int, text: str, segment: str | None = None) -> int:
    text = rules.check_note(text)
    with scope.writing() as conn:
        row = _peer_row(conn, scope, peer_id)
        if scope.member_id != row.observer_id:
            raise AccessDenied("The observer takes the notes; the teacher observed reads them.")
        if row.lesson_started_at is None:
            raise InvalidInput("Start the lesson first: notes are stamped with its time.")
        return conn.execute(
            c.peer_notes.insert().values(
                team_id=scope.team_id,
                peer_id=peer_id,
                at=_now(scope),
                text=text,
                segment=(segment or None) and segment[:200],
                after_lesson=row.lesson_ended_at is not None,
                shared=False,
            )
        ).inserted_primary_key[0]


def peer_notes(scope: TeamScope, peer_id: int) -> list[PeerNote]:
    n = c.peer_notes.c
    with scope.reading() as conn:
        _peer_row(conn, scope, peer_id)
        rows = conn.execute(
            sa.select(c.peer_notes)
            .where(n.peer_id == peer_id, n.team_id == scope.team_id, n.deleted_at.is_(None))
            .order_by(n.at, n.id)
        ).all()
    return [PeerNote(r.id, r.at, r.text, r.segment, r.after_lesson, r.shared) for r in rows]


def _peer_note_row(conn: sa.Connection, scope: TeamScope, note_id: int):
    n = c.peer_notes.c
    row = conn.execute(
        sa.select(c.peer_notes).where(
            n.id == note_id, n.team_id == scope.team_id, n.deleted_at.is_(None)
        )
    ).first()
    if row is None:
        raise NotFound("That note is no longer there.")
    return row, _peer_row(conn, scope, row.peer_id)


def edit_peer_note(scope: TeamScope, note_id: int, text: str) -> None:
    text = rules.check_note(text)
    with scope.writing() as conn:
        _note, peer = _peer_note_row(conn, scope, note_id)
        if scope.member_id != peer.observer_id:
            raise AccessDenied("Only the observer changes the notes they took.")
        # a note changed after it was shared is the team's no longer: the teacher observed
        # shares the new words, or not
        conn.execute(
            c.peer_notes.update()
            .where(c.peer_notes.c.id == note_id)
            .values(text=text, shared=False)
        )


def share_peer_note(scope: TeamScope, note_id: int, shared: bool) -> None:
    """The teacher observed, and only they, gives a note to the team (or takes it back)."""
    with scope.writing() as conn:
        _note, peer = _peer_note_row(conn, scope, note_id)
        if scope.member_id != peer.observed_id:
            raise AccessDenied("The notes belong to the teacher observed: only they share them.")
        conn.execute(
            c.peer_notes.update().where(c.peer_notes.c.id == note_id).values(shared=shared)
        )


def delete_peer_observation(scope: TeamScope, peer_id: int) -> None:
    """The teacher observed removes it, notes and all, for good."""
    with scope.writing() as conn:
        row = _peer_row(conn, scope, peer_id)
        if scope.member_id != row.observed_id:
            raise AccessDenied("Only the teacher observed can delete it.")
        conn.execute(c.peer_notes.delete().where(c.peer_notes.c.peer_id == peer_id))
        conn.execute(c.peer_observations.delete().where(c.peer_observations.c.id == peer_id))
        _peer_happened(conn, scope, "was deleted")


def shared_peer_learning(scope: TeamScope) -> list[SharedPeerLearning]:
    """What teachers observed chose to give the team: their takeaway and shared notes. For
    the team's members; a coach learns how many observations there were, nothing more."""
    if scope.actor.is_coach or scope.member_id is None:
        return []
    o, n = c.peer_observations.c, c.peer_notes.c
    with scope.reading() as conn:
        names = _names(conn, scope)
        rows = conn.execute(
            sa.select(c.peer_observations)
            .where(o.team_id == scope.team_id, o.deleted_at.is_(None))
            .order_by(o.id.desc())
        ).all()
        out = []
        for row in rows:
            shared = (
                conn.execute(
                    sa.select(n.text)
                    .where(n.peer_id == row.id, n.shared, n.deleted_at.is_(None))
                    .order_by(n.at, n.id)
                )
                .scalars()
                .all()
            )
            if row.takeaway.strip() or shared:
                out.append(
                    SharedPeerLearning(
                        row.id,
                        names.get(row.observed_id, ""),
                        row.created_at.date(),
                        row.takeaway,
                        tuple(shared),
                    )
                )
    return out


def peer_count(scope: TeamScope) -> int:
    o = c.peer_observations.c
    with scope.reading() as conn:
        return conn.execute(
            sa.select(sa.func.count()).where(o.team_id == scope.team_id, o.deleted_at.is_(None))
        ).scalar()


def summary(scope: TeamScope) -> ClassroomSummary:
    """For a coach: how many plans and peer observations, each lesson study's stage."""
    with scope.reading() as conn:
        plans_count = conn.execute(
            sa.select(sa.func.count()).where(
                c.co_plans.c.team_id == scope.team_id, c.co_plans.c.deleted_at.is_(None)
            )
        ).scalar()
        stages = (
            conn.execute(
                sa.select(c.lesson_studies.c.stage)
                .where(c.lesson_studies.c.team_id == scope.team_id)
                .order_by(c.lesson_studies.c.id)
            )
            .scalars()
            .all()
        )
    return ClassroomSummary(
        plans_count, tuple(rules.STAGE_NAMES.get(s, s) for s in stages), peer_count(scope)
    )
